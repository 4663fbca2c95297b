/**
 * `+feed-group-list-item` (docs/shortcuts-chats-feed.md): the feed cards of one feed group, live and
 * deleted, each with `chat_name` when its chat can be resolved (best effort).
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { pageOrAll } from '../../shortcut/page-or-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import {
  CHAT_NAME_DESC,
  FEED_GROUP_READ_SCOPE,
  enrichChatNames,
  FEED_GROUP_PAGE_FLAGS,
  timeWindow,
  validateFeedGroupPaging,
} from '../feed-groups.js';

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
  pretty: 'feed-items',
  flags: [{ name: 'feed-group-id', desc: 'feed group ID (ofg_xxx), required' }, ...FEED_GROUP_PAGE_FLAGS],
  validate(rt) {
    if (rt.str('feed-group-id') === '') throw new CliError('validation', '--feed-group-id is required');
    validateFeedGroupPaging(rt);
  },
  dryRun(rt) {
    return new DryRun().get(path(rt)).params(query(rt, rt.str('page-token'))).desc(CHAT_NAME_DESC);
  },
  async execute(rt) {
    const fetchPage = (token: string) => rt.json<Record<string, unknown>>({ method: 'GET', path: path(rt), query: query(rt, token) });
    const data = await pageOrAll(rt, {
      lists: ['items', 'deleted_items'],
      fetch: fetchPage,
      progress: (page, n) => `page ${page}: ${n.items} items, ${n.deleted_items} deleted`,
    });
    await enrichChatNames(rt, data);
    await rt.out(data);
  },
});
