/**
 * What the feed-shortcut commands share (`+feed-shortcut-create`, `-remove`, `-list`;
 * docs/shortcuts-chats-feed.md): a Lark feed shortcut is a chat pinned to the top of the feed.
 * `--chat-id` collection and the write ledger.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject, JsonNumber } from '../core/json.js';
import type { FlagDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';


export const FEED_SHORTCUT_WRITE_SCOPE = 'im:feed.shortcut:write';
export const FEED_SHORTCUT_READ_SCOPE = 'im:feed.shortcut:read';
export const FEED_SHORTCUT_BATCH_LIMIT = 10;
/** The only feed-shortcut type the open platform exposes. */
export const FEED_SHORTCUT_TYPE_CHAT = 1;

export const CHAT_ID_SLICE_FLAG = {
  name: 'chat-id',
  type: 'string_slice',
  desc: `chat ID(s) to act on (oc_xxx); repeat the flag or separate with commas; at most ${FEED_SHORTCUT_BATCH_LIMIT}`,
} as const satisfies FlagDef;

/** `--chat-id` values: trimmed, oc_ checked, deduplicated, at most 10. */
export function collectFeedShortcutChatIds(rt: ShortcutRuntime): string[] {
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

export interface FeedShortcutItem {
  feed_card_id: string;
  type: number;
}

export function feedShortcutItems(ids: string[]): FeedShortcutItem[] {
  return ids.map((id) => ({ feed_card_id: id, type: FEED_SHORTCUT_TYPE_CHAT }));
}

const REASON_LABELS = ['unknown', 'no_permission', 'invalid_item', 'has_pending_delete', 'type_not_support', 'internal_error'];

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof JsonNumber) return Number(v.text);
  return undefined;
}

/**
 * The write ledger: labels on `failed_shortcuts`, the requested items that did not fail,
 * counts from the request alone. Printed as the success envelope, or as the `ok:false` partial
 * failure (exit 1) when the server reported failed items. JSON only (`--format` is ignored).
 */
export async function emitFeedShortcutLedger(rt: ShortcutRuntime, requested: FeedShortcutItem[], response: unknown): Promise<void> {
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
