/**
 * `+feed-group-list-item` (chats-flags-feed.md §15): the feed cards of one feed group, live and
 * deleted, each with `chat_name` when its chat can be resolved (best effort).
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import {
  CHAT_NAME_DESC,
  FEED_GROUP_READ_SCOPE,
  enrichChatNames,
  feedGroupPageFlags,
  timeWindow,
  validateFeedGroupPaging,
  wantsAllPages,
} from '../feed-common.js';

const path = (rt: ShortcutRuntime) => `/open-apis/im/v1/groups/${escapePathSegment(rt.str('feed-group-id'))}/list_item`;

/** page_token only when non-empty. */
function query(rt: ShortcutRuntime, token: string): Record<string, string> {
  return { page_size: String(rt.int('page-size')), ...(token ? { page_token: token } : {}), ...timeWindow(rt) };
}

export default defineShortcut({
  service: 'im',
  command: '+feed-group-list-item',
  description: 'List the feed cards of one feed group (tag), live and deleted, with chat_name resolved from feed_id; --page-all; user only',
  risk: 'read',
  authTypes: ['user'],
  userScopes: [FEED_GROUP_READ_SCOPE, 'im:chat:read'],
  hasFormat: true,
  flags: [{ name: 'feed-group-id', desc: 'feed group ID (ofg_xxx), required' }, ...feedGroupPageFlags()],
  validate(rt) {
    if (rt.str('feed-group-id') === '') throw new CliError('validation', '--feed-group-id is required');
    validateFeedGroupPaging(rt);
  },
  dryRun(rt) {
    return new DryRun().get(path(rt)).params(query(rt, rt.str('page-token'))).desc(CHAT_NAME_DESC);
  },
  async execute(rt) {
    const fetchPage = (token: string) => rt.json<Record<string, unknown>>({ method: 'GET', path: path(rt), query: query(rt, token) });
    let data: Record<string, unknown>;
    if (wantsAllPages(rt)) {
      const { fetchAllPages } = await import('../../shortcut/page-loop.js');
      data = await fetchAllPages(rt.io, {
        limit: rt.int('page-limit'),
        lists: ['items', 'deleted_items'],
        fetch: fetchPage,
        progress: (page, n) => `page ${page}: ${n.items} items, ${n.deleted_items} deleted`,
      });
    } else {
      data = await fetchPage(rt.str('page-token'));
    }
    await enrichChatNames(rt, data);
    const p = rt.format === 'pretty' ? await import('../chats-feed-pretty.js') : undefined;
    await rt.out(data, { pretty: () => p!.feedItemTable(data, data.has_more === true) });
  },
});
