/**
 * `--format pretty` of the chat / feed-group shortcuts (docs/shortcuts-chats-feed.md, Pretty
 * output): the shared table (rows of objects, columns = union of sorted keys, `(no data)` when
 * empty); server text printed outside the table is sanitised for the terminal. Loaded only when
 * `--format pretty` is printed (shortcut/pretty.ts).
 */
import { renderTable } from '../output/formats.js';
import { sanitizeTerminal } from '../output/sanitize.js';
import { formatRfc3339Local } from '../core/time.js';
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

/** The item table of the feed-group item commands. */
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

/** The group table of `+feed-group-list`. */
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

type Obj = Record<string, unknown>;
const chatsOf = (data: Obj): Obj[] => (Array.isArray(data.chats) ? data.chats.filter(isPlainObject) : []);
const hintLine = (hint: unknown): string => (typeof hint === 'string' && hint ? `${sanitizeTerminal(hint)}\n` : '');
const pageToken = (data: Obj): string => (typeof data.page_token === 'string' ? data.page_token : '');

/** `+chat-list`; `extra.hint`: the mute filter's hint. */
export function chatListPretty(data: Obj, extra: { hint?: unknown }): string {
  const hint = hintLine(extra.hint);
  const chats = chatsOf(data);
  if (chats.length === 0) return 'No chats found.\n' + hint;
  const rows = chats.map((m) => {
    const row: Obj = { chat_id: m.chat_id, name: m.name };
    for (const k of ['description', 'owner_id', 'chat_status']) if (typeof m[k] === 'string' && m[k] !== '') row[k] = m[k];
    if (typeof m.external === 'boolean') row.external = m.external;
    if (typeof m.chat_mode === 'string' && m.chat_mode !== '') {
      row.chat_mode = m.chat_mode;
      if (m.chat_mode === 'p2p') {
        for (const k of ['p2p_target_type', 'p2p_target_id']) if (typeof m[k] === 'string' && m[k] !== '') row[k] = m[k];
      }
    }
    return row;
  });
  return table(rows) + `\n${rows.length} chat(s) listed${chatMoreHint(data.has_more === true, pageToken(data))}\n` + hint;
}

/** `+chat-search`; the footer counts the server's `total`, not the rows shown. */
export function chatSearchPretty(data: Obj, extra: { hint?: unknown }): string {
  const hint = hintLine(extra.hint);
  const chats = chatsOf(data);
  if (chats.length === 0) return 'No matching group chats found.\n' + hint;
  const rows = chats.map((m) => {
    const row: Obj = { chat_id: m.chat_id, name: m.name };
    for (const k of ['description', 'owner_id', 'chat_mode']) if (typeof m[k] === 'string' && m[k] !== '') row[k] = m[k];
    if (typeof m.external === 'boolean') row.external = m.external;
    for (const k of ['chat_status', 'create_time']) if (typeof m[k] === 'string' && m[k] !== '') row[k] = m[k];
    return row;
  });
  return table(rows) + `\n${String(data.total)} chat(s) found${chatMoreHint(data.has_more === true, pageToken(data))}\n` + hint;
}

/** `+chat-create`. */
export function chatCreatePretty(data: Obj): string {
  let out = 'Group created successfully\n\n' + table([data]);
  if (typeof data.share_link === 'string' && data.share_link !== '') out += `\nShare link: ${sanitizeTerminal(data.share_link)}\n`;
  return out;
}

/** `+chat-update`. */
export function chatUpdatePretty(data: Obj): string {
  return `Group updated successfully (chat_id: ${sanitizeTerminal(String(data.chat_id))})\n`;
}
