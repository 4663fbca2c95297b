/**
 * What the feed-group commands share (`+feed-group-list`, `-list-item`, `-query-item`;
 * docs/shortcuts-chats-feed.md): the paging flags and checks, and the best-effort `chat_name`
 * enrichment.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject } from '../core/json.js';
import type { FlagDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { lookupChats } from './chat-lookup.js';


export const FEED_GROUP_READ_SCOPE = 'im:feed_group_v1:read';
export const CHAT_NAME_DESC = 'will also POST /open-apis/im/v1/chats/batch_query to resolve chat_name from feed_id; requires im:chat:read';

/** --page-size … --end-time of the two feed-group list commands. */
export const FEED_GROUP_PAGE_FLAGS = [
  { name: 'page-size', type: 'int', default: 50, desc: 'page size (1-50); live and deleted entries count together' },
  { name: 'page-token', desc: 'fetch exactly this page (even with --page-all); omit for the first page' },
  { name: 'page-all', type: 'bool', desc: 'fetch every page and merge the live and deleted lists' },
  { name: 'page-limit', type: 'int', default: 20, desc: 'maximum pages with --page-all (1-1000)' },
  { name: 'start-time', desc: 'only entries updated at or after this time (Unix milliseconds)' },
  { name: 'end-time', desc: 'only entries updated at or before this time (Unix milliseconds)' },
] as const satisfies readonly FlagDef[];

function isInt64Text(v: string): boolean {
  if (!/^[+-]?\d+$/.test(v)) return false;
  const n = BigInt(v);
  return n <= 2n ** 63n - 1n && n >= -(2n ** 63n);
}

/** page-size, page-limit, start-time, end-time checks. */
export function validateFeedGroupPaging(rt: ShortcutRuntime): void {
  const size = rt.int('page-size');
  if (size < 1 || size > 50) throw new CliError('validation', '--page-size must be an integer between 1 and 50');
  const limit = rt.int('page-limit');
  if (limit < 1 || limit > 1000) throw new CliError('validation', '--page-limit must be an integer between 1 and 1000');
  for (const f of ['start-time', 'end-time']) {
    const v = rt.str(f);
    if (v !== '' && !isInt64Text(v)) throw new CliError('validation', `--${f} must be Unix milliseconds (a decimal integer string)`);
  }
}

/** `start_time` / `end_time` query values, only when given. */
export function timeWindow(rt: ShortcutRuntime): Record<string, string> {
  const out: Record<string, string> = {};
  if (rt.str('start-time')) out.start_time = rt.str('start-time');
  if (rt.str('end-time')) out.end_time = rt.str('end-time');
  return out;
}

/**
 * Best-effort `chat_name` on every entry of `items` and `deleted_items` whose feed_id is a chat
 * with a non-empty name. Never fails; warns when nothing at all could be resolved.
 */
export async function enrichChatNames(rt: ShortcutRuntime, data: Record<string, unknown>): Promise<void> {
  const lists = [data.items, data.deleted_items].map((l) => (Array.isArray(l) ? l.filter(isPlainObject) : []));
  const ids = new Set<string>();
  for (const list of lists) for (const m of list) if (typeof m.feed_id === 'string' && m.feed_id !== '') ids.add(m.feed_id);
  if (ids.size === 0) return;
  const chats = await lookupChats(rt, ids, 'best-effort');
  if (chats.size === 0) {
    rt.io.stderr.write(`warning: could not resolve chat names for ${ids.size} feed(s); chat_name will be empty\n`);
    return;
  }
  for (const list of lists) {
    for (const m of list) {
      const chat = typeof m.feed_id === 'string' ? chats.get(m.feed_id) : undefined;
      if (chat && typeof chat.name === 'string' && chat.name !== '') m.chat_name = chat.name;
    }
  }
}
