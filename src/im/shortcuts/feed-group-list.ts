/**
 * `+feed-group-list` (docs/shortcuts-chats-feed.md): the caller's feed groups (tags), live and deleted;
 * `--page-all` merges both lists across pages.
 */
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { pageOrAll } from '../../shortcut/page-or-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { FEED_GROUP_READ_SCOPE, FEED_GROUP_PAGE_FLAGS, timeWindow, validateFeedGroupPaging } from '../feed-groups.js';

const PATH = '/open-apis/im/v1/groups';

/** page_token is always sent, empty on the first page (the endpoint requires it). */
function query(rt: ShortcutRuntime, token: string): Record<string, string> {
  return { page_size: String(rt.int('page-size')), page_token: token, ...timeWindow(rt) };
}

export default defineShortcut({
  service: 'im',
  command: '+feed-group-list',
  description: 'List the feed groups (tags) of the user, live and deleted; --page-all merges every page; user only',
  risk: 'read',
  authTypes: ['user'],
  userScopes: [FEED_GROUP_READ_SCOPE],
  hasFormat: true,
  pretty: 'feed-groups',
  flags: FEED_GROUP_PAGE_FLAGS,
  validate: validateFeedGroupPaging,
  dryRun(rt) {
    return new DryRun().get(PATH).params(query(rt, rt.str('page-token')));
  },
  async execute(rt) {
    const fetchPage = (token: string) => rt.json<Record<string, unknown>>({ method: 'GET', path: PATH, query: query(rt, token) });
    const data = await pageOrAll(rt, {
      lists: ['groups', 'deleted_groups'],
      fetch: fetchPage,
      progress: (page, n) => `page ${page}: ${n.groups} groups, ${n.deleted_groups} deleted`,
    });
    await rt.out(data);
  },
});
