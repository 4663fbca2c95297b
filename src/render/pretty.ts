/**
 * `--format pretty` of the four read shortcuts (docs/shortcuts-read.md): a table of the
 * messages plus a footer. Loaded only on the execute path (it pulls in the table printer).
 * Server text is stripped of terminal control sequences: cells by the table
 * printer, the page token and ids here.
 */
import { isPlainObject } from '../core/json.js';
import { renderTable } from '../output/formats.js';
import { sanitizeTerminal } from '../output/sanitize.js';
import type { Message } from './message.js';

/** TruncateContent: newlines → spaces, then at most `n` code points followed by `…`. */
export function truncateContent(s: string, n: number): string {
  const flat = s.split('\n').join(' ');
  const cps = [...flat];
  return cps.length > n ? cps.slice(0, n).join('') + '…' : flat;
}

/** The sender cell: the name the server gave, else the sender's id ('' for neither, e.g. system messages). */
function senderName(m: Message): string {
  if (!isPlainObject(m.sender)) return '';
  if (typeof m.sender.name === 'string' && m.sender.name) return m.sender.name;
  return typeof m.sender.id === 'string' ? m.sender.id : '';
}

function table(rows: Record<string, string>[]): string {
  return renderTable(rows, { emptyText: '(no data)' });
}

function messageRows(messages: Message[], opts: { messageId?: boolean; chat?: boolean; width: number }): Record<string, string>[] {
  return messages.map((m) => {
    const row: Record<string, string> = { time: m.create_time, type: m.msg_type };
    if (opts.messageId) row.message_id = m.message_id;
    const name = senderName(m);
    if (name) row.sender = name;
    if (opts.chat) {
      const chatName = typeof m.chat_name === 'string' ? m.chat_name : '';
      if (chatName) row.chat = chatName;
      else if (m.chat_type === 'p2p') row.chat = 'p2p';
      else if (typeof m.chat_id === 'string') row.chat = m.chat_id;
    }
    if (m.content) row.content = truncateContent(m.content, opts.width);
    return row;
  });
}

const TIP = 'tip: use --format json to view full message content\n';

export interface PagedData {
  messages: Message[];
  has_more: boolean;
  page_token: string;
}

/** `+chat-messages-list`. */
export function prettyChatMessages(d: PagedData): string {
  if (d.messages.length === 0) return 'No messages in this time range.\n';
  const more = d.has_more ? ` (more available, page_token: ${sanitizeTerminal(d.page_token)})` : '';
  return table(messageRows(d.messages, { width: 40 })) + `\n${d.messages.length} message(s)${more}\n` + TIP;
}

/** `+threads-messages-list`. */
export function prettyThreadMessages(d: PagedData): string {
  if (d.messages.length === 0) return 'No messages in this thread.\n';
  const more = d.has_more ? ` (more available, page_token: ${sanitizeTerminal(d.page_token)})` : '';
  return table(messageRows(d.messages, { width: 40 })) + `\n${d.messages.length} thread message(s)${more}\n` + TIP;
}

/** `+messages-mget`. */
export function prettyMget(d: { messages: Message[] }): string {
  if (d.messages.length === 0) return 'No messages found.\n';
  return table(messageRows(d.messages, { width: 40, messageId: true })) + `\n${d.messages.length} message(s)\n` + TIP;
}

/** `+messages-search`: normal, no hits, or the mget-failure fallback. */
export function prettySearch(d: PagedData & { message_ids?: string[] }, truncatedAfter?: number): string {
  if (d.message_ids) {
    return `Found ${d.message_ids.length} messages (failed to fetch details):\n` + d.message_ids.map((id) => `  ${sanitizeTerminal(id)}\n`).join('');
  }
  if (d.messages.length === 0) return 'No matching messages found.\n';
  const more = d.has_more ? ' (more available, use --page-token to fetch next page)' : '';
  let out = table(messageRows(d.messages, { width: 30, chat: true })) + `\n${d.messages.length} search result(s)${more}\n`;
  if (truncatedAfter !== undefined) {
    out += `warning: stopped after fetching ${truncatedAfter} page(s); use --page-limit, --page-all, or --page-token to continue\n`;
  }
  return out;
}
