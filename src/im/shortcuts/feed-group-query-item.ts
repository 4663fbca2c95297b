/**
 * `+feed-group-query-item` (docs/shortcuts-chats-feed.md): look up given chats in one feed group (no
 * pagination), with `chat_name` resolved from feed_id (best effort).
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { splitCsv } from '../../shortcut/validate.js';
import { CHAT_NAME_DESC, FEED_GROUP_READ_SCOPE, enrichChatNames } from '../feed-groups.js';

const path = (rt: ShortcutRuntime) => `/open-apis/im/v1/groups/${escapePathSegment(rt.str('feed-group-id'))}/batch_query_item`;
const body = (rt: ShortcutRuntime) => ({ items: splitCsv(rt.str('feed-id')).map((id) => ({ feed_id: id, feed_type: 'chat' })) });

export default defineShortcut({
  service: 'im',
  command: '+feed-group-query-item',
  description: 'Look up given chats (--feed-id) in one feed group (tag), with chat_name resolved; user only',
  risk: 'read',
  authTypes: ['user'],
  userScopes: [FEED_GROUP_READ_SCOPE, 'im:chat:read'],
  hasFormat: true,
  pretty: 'feed-items-queried',
  flags: [
    { name: 'feed-group-id', desc: 'feed group ID (ofg_xxx), required' },
    { name: 'feed-id', desc: 'chat IDs (oc_xxx) to look up, comma-separated, required' },
  ],
  validate(rt) {
    if (rt.str('feed-group-id') === '') throw new CliError('validation', '--feed-group-id is required');
    if (splitCsv(rt.str('feed-id')).length === 0) throw new CliError('validation', '--feed-id is required (comma-separated chat IDs)');
  },
  dryRun(rt) {
    return new DryRun().post(path(rt)).body(body(rt)).desc(CHAT_NAME_DESC);
  },
  async execute(rt) {
    const data = await rt.json<Record<string, unknown>>({ method: 'POST', path: path(rt), body: body(rt) });
    await enrichChatNames(rt, data);
    await rt.out(data);
  },
});
