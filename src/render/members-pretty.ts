/**
 * `--format pretty` of `+chat-members-list` (docs/shortcuts-chats-feed.md): one aligned table,
 * users first, then bots, columns `type member_id name app_id tenant_key`, and a footer with the
 * totals. Columns are laid out as Go's tabwriter does with padding 2 (the last column unpadded).
 */
import { goValueText, isPlainObject, JsonNumber } from '../core/json.js';
import { sanitizeTerminal } from '../output/sanitize.js';

type Obj = Record<string, unknown>;

/** A cell: `%v` of the value, '' for an absent or null one, terminal controls stripped. */
function cell(v: unknown): string {
  return v === null || v === undefined ? '' : sanitizeTerminal(goValueText(v));
}

/** Rows of cells aligned like text/tabwriter (minwidth 0, padding 2, padchar ' '). */
export function tabulate(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.slice(0, -1).forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...c].length);
    });
  }
  return rows
    .map((r) => r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat(widths[i]! + 2 - [...c].length) : c)).join('') + '\n')
    .join('');
}

/** The server's -1: the caller may not see how many users the chat has. */
function isHiddenTotal(v: unknown): boolean {
  return v === -1 || (v instanceof JsonNumber && Number(v.text) === -1);
}

export function chatMembersPretty(data: Obj): string {
  const users = (Array.isArray(data.users) ? data.users : []).filter(isPlainObject);
  const bots = (Array.isArray(data.bots) ? data.bots : []).filter(isPlainObject);
  if (users.length === 0 && bots.length === 0) return 'No members found.\n';
  const rows: string[][] = [['type', 'member_id', 'name', 'app_id', 'tenant_key']];
  for (const u of users) rows.push(['user', cell(u.member_id), cell(u.name), '', cell(u.tenant_key)]);
  for (const b of bots) rows.push(['bot', cell(b.member_id), cell(b.name), cell(b.app_id), cell(b.tenant_key)]);
  const userPart = isHiddenTotal(data.user_total) ? 'users hidden' : `${goValueText(data.user_total)} user(s)`;
  let footer = `\n${userPart}, ${goValueText(data.bot_total)} bot(s)`;
  if (data.has_more === true) {
    footer += ' (more available, use --page-token to fetch next page';
    if (typeof data.page_token === 'string' && data.page_token !== '') footer += `, page_token: ${sanitizeTerminal(data.page_token)}`;
    footer += ')';
  }
  return tabulate(rows) + footer + '\n';
}
