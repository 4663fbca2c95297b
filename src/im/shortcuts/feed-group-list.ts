/**
 * `+feed-group-list` (chats-flags-feed.md §14): the caller's feed groups (tags), live and deleted;
 * `--page-all` merges both lists across pages.
 */
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { FEED_GROUP_READ_SCOPE, feedGroupPageFlags, timeWindow, validateFeedGroupPaging, wantsAllPages } from '../feed-common.js';

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
  flags: feedGroupPageFlags(),
  validate: validateFeedGroupPaging,
  dryRun(rt) {
    return new DryRun().get(PATH).params(query(rt, rt.str('page-token')));
  },
  async execute(rt) {
    const fetchPage = (token: string) => rt.json<Record<string, unknown>>({ method: 'GET', path: PATH, query: query(rt, token) });
    let data: Record<string, unknown>;
    if (wantsAllPages(rt)) {
      const { fetchAllPages } = await import('../../shortcut/page-loop.js');
      data = await fetchAllPages(rt.io, {
        limit: rt.int('page-limit'),
        lists: ['groups', 'deleted_groups'],
        fetch: fetchPage,
        progress: (page, n) => `page ${page}: ${n.groups} groups, ${n.deleted_groups} deleted`,
      });
    } else {
      data = await fetchPage(rt.str('page-token'));
    }
    const p = rt.format === 'pretty' ? await import('../chats-feed-pretty.js') : undefined;
    await rt.out(data, { pretty: () => p!.feedGroupTable(data, data.has_more === true) });
  },
});
