/**
 * `--format pretty` pieces of the chat / feed-group shortcuts (chats-flags-feed.md §1.5): the shared
 * table (rows of objects, columns = union of sorted keys, `(no data)` when empty) and the
 * sanitising of server text printed outside the table (DECISIONS.md 14). Loaded only when
 * `--format pretty` is printed.
 */
import { renderTable } from '../output/formats.js';
import { sanitizeTerminal } from '../output/sanitize.js';
import { formatRfc3339Local } from '../shortcut/time.js';
import { isPlainObject } from '../core/json.js';

export { sanitizeTerminal as clean };

/** The shared table renderer. */
export function table(rows: Record<string, unknown>[]): string {
  return renderTable(rows, { emptyText: '(no data)' });
}

/** ` (more available, use --page-token to fetch next page[, page_token: <t>])` of the chat lists. */
export function chatMoreHint(hasMore: boolean, pageToken: string): string {
  if (!hasMore) return '';
  return ` (more available, use --page-token to fetch next page${pageToken ? `, page_token: ${sanitizeTerminal(pageToken)}` : ''})`;
}

const MORE = ' (more available, use --page-token to fetch next page)';

/** `update_time` of a feed card: integer milliseconds → local RFC 3339, anything else unchanged. */
export function feedTime(raw: string): string {
  if (!/^[+-]?\d+$/.test(raw)) return raw;
  const n = BigInt(raw);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return raw;
  // beyond what a JS Date holds (±8.64e15 ms) the raw value is kept
  if (n > 8_640_000_000_000_000n || n < -8_640_000_000_000_000n) return raw;
  return formatRfc3339Local(Number(n));
}

/** The item table of the feed-group item commands (§13). */
export function feedItemTable(data: Record<string, unknown>, hasMore: boolean): string {
  const items = Array.isArray(data.items) ? data.items : [];
  const rows = items.filter(isPlainObject).map((m) => ({
    feed_id: typeof m.feed_id === 'string' ? m.feed_id : '',
    chat_name: typeof m.chat_name === 'string' ? m.chat_name : '',
    update_time: feedTime(typeof m.update_time === 'string' ? m.update_time : ''),
  }));
  let out = table(rows) + `\n${items.length} item(s)${hasMore ? MORE : ''}\n`;
  const deleted = Array.isArray(data.deleted_items) ? data.deleted_items : [];
  if (deleted.length) out += `(${deleted.length} deleted)\n`;
  return out;
}

/** The group table of `+feed-group-list` (§14). */
export function feedGroupTable(data: Record<string, unknown>, hasMore: boolean): string {
  const groups = Array.isArray(data.groups) ? data.groups : [];
  const rows = groups.filter(isPlainObject).map((m) => ({
    group_id: typeof m.group_id === 'string' ? m.group_id : '',
    name: typeof m.name === 'string' ? m.name : '',
    type: typeof m.type === 'string' ? m.type : '',
  }));
  let out = table(rows) + `\n${groups.length} group(s)${hasMore ? MORE : ''}\n`;
  const deleted = Array.isArray(data.deleted_groups) ? data.deleted_groups : [];
  if (deleted.length) out += `(${deleted.length} deleted)\n`;
  return out;
}
