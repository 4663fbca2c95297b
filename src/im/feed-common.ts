/**
 * Shared pieces of the feed-shortcut commands (chats-flags-feed.md §9) and the feed-group
 * commands (§13): `--chat-id` collection, the write ledger, the feed-group paging flags and
 * checks, and the best-effort `chat_name` enrichment.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject, JsonNumber } from '../core/json.js';
import type { FlagDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { lookupChats } from './chat-lookup.js';

// ---------------------------------------------------------------------------
// Feed shortcuts

export const FEED_SHORTCUT_WRITE_SCOPE = 'im:feed.shortcut:write';
export const FEED_SHORTCUT_READ_SCOPE = 'im:feed.shortcut:read';
export const FEED_SHORTCUT_BATCH_LIMIT = 10;
/** The only feed-shortcut type the open platform exposes. */
export const SHORTCUT_TYPE_CHAT = 1;

export const CHAT_ID_SLICE_FLAG: FlagDef = {
  name: 'chat-id',
  type: 'string_slice',
  desc: `chat ID(s) to act on (oc_xxx); repeat the flag or separate with commas; at most ${FEED_SHORTCUT_BATCH_LIMIT}`,
};

/** `--chat-id` values: trimmed, oc_ checked, deduplicated, at most 10 (§9). */
export function collectShortcutChatIds(rt: ShortcutRuntime): string[] {
  const raw = rt.arr('chat-id');
  if (raw.length === 0) {
    throw new CliError('validation', '--chat-id is required (oc_xxx); repeat the flag or pass comma-separated values');
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v0 of raw) {
    const v = v0.trim();
    if (v === '') continue;
    if (!v.startsWith('oc_')) throw new CliError('validation', `invalid --chat-id "${v}": must be an open_chat_id starting with oc_`);
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  if (out.length === 0) throw new CliError('validation', '--chat-id is required (oc_xxx)');
  if (out.length > FEED_SHORTCUT_BATCH_LIMIT) {
    throw new CliError('validation', `too many --chat-id values (${out.length}); the server accepts up to ${FEED_SHORTCUT_BATCH_LIMIT} per request`);
  }
  return out;
}

export interface ShortcutItem {
  feed_card_id: string;
  type: number;
}

export function shortcutItems(ids: string[]): ShortcutItem[] {
  return ids.map((id) => ({ feed_card_id: id, type: SHORTCUT_TYPE_CHAT }));
}

const REASON_LABELS = ['unknown', 'no_permission', 'invalid_item', 'has_pending_delete', 'type_not_support', 'internal_error'];

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof JsonNumber) return Number(v.text);
  return undefined;
}

/**
 * The write ledger (§9): labels on `failed_shortcuts`, the requested items that did not fail,
 * counts from the request alone. Printed as the success envelope, or as the `ok:false` partial
 * failure (exit 1) when the server reported failed items. JSON only (`--format` is ignored).
 */
export async function emitShortcutWriteLedger(rt: ShortcutRuntime, requested: ShortcutItem[], response: unknown): Promise<void> {
  const data: Record<string, unknown> = isPlainObject(response) ? response : {};
  const failed = Array.isArray(data.failed_shortcuts) ? data.failed_shortcuts : undefined;
  const failedIds = new Set<string>();
  for (const f of failed ?? []) {
    if (!isPlainObject(f)) continue;
    const reason = numberOf(f.reason);
    if (reason !== undefined) f.reason_label = REASON_LABELS[Math.trunc(reason)] ?? 'unknown';
    if (isPlainObject(f.shortcut) && typeof f.shortcut.feed_card_id === 'string' && f.shortcut.feed_card_id !== '') {
      failedIds.add(f.shortcut.feed_card_id);
    }
  }
  const succeeded = requested.filter((it) => !failedIds.has(it.feed_card_id));
  data.total = requested.length;
  data.success_count = succeeded.length;
  data.failure_count = requested.length - succeeded.length;
  data.succeeded_shortcuts = succeeded;
  if (failed && failed.length > 0) await rt.outPartial(data);
  else await rt.out(data, { format: 'json' });
}

// ---------------------------------------------------------------------------
// Feed groups

export const FEED_GROUP_READ_SCOPE = 'im:feed_group_v1:read';
export const CHAT_NAME_DESC = 'will also POST /open-apis/im/v1/chats/batch_query to resolve chat_name from feed_id; requires im:chat:read';

/** --page-size … --end-time of the two feed-group list commands. */
export function feedGroupPageFlags(): FlagDef[] {
  return [
    { name: 'page-size', type: 'int', default: 50, desc: 'page size (1-50); live and deleted entries count together' },
    { name: 'page-token', desc: 'fetch exactly this page (even with --page-all); omit for the first page' },
    { name: 'page-all', type: 'bool', desc: 'fetch every page and merge the live and deleted lists' },
    { name: 'page-limit', type: 'int', default: 20, desc: 'maximum pages with --page-all (1-1000)' },
    { name: 'start-time', desc: 'only entries updated at or after this time (Unix milliseconds)' },
    { name: 'end-time', desc: 'only entries updated at or before this time (Unix milliseconds)' },
  ];
}

function isInt64Text(v: string): boolean {
  if (!/^[+-]?\d+$/.test(v)) return false;
  const n = BigInt(v);
  return n <= 2n ** 63n - 1n && n >= -(2n ** 63n);
}

/** page-size, page-limit, start-time, end-time checks (§13, §14). */
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

/** Auto-pagination only with --page-all and no explicit --page-token (even `""`). */
export function wantsAllPages(rt: ShortcutRuntime): boolean {
  return rt.bool('page-all') && !rt.has('page-token');
}

/**
 * Best-effort `chat_name` on every entry of `items` and `deleted_items` whose feed_id is a chat
 * with a non-empty name (§13). Never fails; warns when nothing at all could be resolved.
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
