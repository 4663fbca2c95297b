/**
 * `+chat-search` (docs/shortcuts-chats-feed.md): a page (with --page-all every page) of
 * `POST /open-apis/im/v2/chats/search`, by keyword and/or member ids, with type/mode filters, a
 * descending sort and `--exclude-muted`.
 */
import { CliError } from '../../core/errors.js';
import { isPlainObject, JsonNumber } from '../../core/json.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { PAGE_ALL_FLAGS, planPageAll, validatePageAll, walkPages } from '../../shortcut/page-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { splitCsv, validateUserId } from '../../shortcut/validate.js';

const PATH = '/open-apis/im/v2/chats/search';
const SEARCH_TYPES = ['private', 'external', 'public_joined', 'public_not_joined'];
const runes = (s: string) => [...s].length;

// ---------------------------------------------------------------------------
// Go strconv.Quote / strconv.Unquote, for the hyphenated-query rule

// made on first use: a Unicode property class costs ~0.6 ms to build, and `im --help` loads this file
let printable: RegExp | undefined;
const SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if ((printable ??= new RegExp('^[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S} ]$', 'u')).test(ch)) out += ch;
    else if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

const UNESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Go strconv.Unquote; undefined when `s` is not a valid quoted literal. */
export function goUnquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0]!;
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) return undefined;
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = chars[++i];
    if (e === undefined) return undefined;
    if (UNESCAPES[e] !== undefined) out += UNESCAPES[e];
    else if (e === q) out += q;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = chars.slice(i + 1, i + 1 + n).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (e !== 'x' && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return undefined;
      out += String.fromCodePoint(cp);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = chars.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      out += String.fromCodePoint(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

/** A query containing `-` is sent quoted (already-quoted input is unquoted first). */
export function normalizeQuery(query: string): string {
  if (!query.includes('-')) return query;
  return goQuote(goUnquote(query) ?? query);
}

// ---------------------------------------------------------------------------

function searchBody(rt: ShortcutRuntime): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (rt.str('query')) body.query = normalizeQuery(rt.str('query'));
  const filter: Record<string, unknown> = {};
  if (rt.str('search-types')) filter.search_types = splitCsv(rt.str('search-types'));
  if (rt.str('chat-modes')) {
    const modes: string[] = [];
    for (const m of splitCsv(rt.str('chat-modes'))) {
      const wire = m === 'group' ? 'default' : m === 'topic' ? 'thread' : '';
      if (wire && !modes.includes(wire)) modes.push(wire);
    }
    if (modes.length) filter.chat_modes = modes;
  }
  if (rt.str('member-ids')) filter.member_ids = splitCsv(rt.str('member-ids'));
  if (rt.bool('is-manager')) filter.is_manager = true;
  if (rt.bool('disable-search-by-user')) filter.disable_search_by_user = true;
  if (Object.keys(filter).length) body.filter = filter;
  // the hidden alias counts only when --sort was not given (the canonical flag wins)
  const sorter = rt.has('sort-by') && !rt.has('sort') ? rt.str('sort-by') : rt.str('sort') ? `${rt.str('sort')}_desc` : '';
  if (sorter) body.sorter = sorter;
  return body;
}

function searchParams(rt: ShortcutRuntime): Record<string, string | number> {
  const params: Record<string, string | number> = { page_size: rt.int('page-size') > 0 ? rt.int('page-size') : 20 };
  if (rt.str('page-token')) params.page_token = rt.str('page-token');
  return params;
}

function intPart(v: unknown): number {
  const n = typeof v === 'number' ? v : v instanceof JsonNumber ? Number(v.text) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export default defineShortcut({
  service: 'im',
  command: '+chat-search',
  description: 'Search the group chats visible to the user or bot by --query keyword and/or --member-ids (e.g. find a chat_id by name); filters, sort, --exclude-muted; user/bot',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:chat:read'],
  hasFormat: true,
  pretty: 'chat-search',
  flags: [
    { name: 'query', desc: 'keyword (max 64 characters); a value with "-" is sent quoted' },
    { name: 'search-types', desc: 'comma-separated chat types: private, external, public_joined, public_not_joined' },
    { name: 'chat-modes', desc: 'comma-separated chat modes: group, topic' },
    { name: 'member-ids', desc: 'comma-separated member open_ids (ou_xxx), max 50' },
    { name: 'is-manager', type: 'bool', desc: 'only chats the caller created or manages' },
    { name: 'disable-search-by-user', type: 'bool', desc: 'do not match by member name (default: member names first, then chat names)' },
    { name: 'sort', desc: 'sort field, always descending', enum: ['create_time', 'update_time', 'member_count'] },
    { name: 'sort-by', hidden: true, desc: 'legacy alias of --sort', enum: ['create_time_desc', 'update_time_desc', 'member_count_desc'] },
    { name: 'page-size', type: 'int', default: 20, desc: 'page size (1-100)' },
    { name: 'page-token', desc: 'page token from a previous page' },
    { name: 'exclude-muted', type: 'bool', desc: 'drop chats the user has muted (user identity only; no effect as bot)' },
    ...PAGE_ALL_FLAGS,
  ],
  validate(rt) {
    const query = rt.str('query');
    if (query === '' && rt.str('member-ids') === '') {
      throw new CliError(
        'validation',
        '--query and --member-ids cannot both be empty; provide at least one (e.g. --query "team-name" or --member-ids "ou_xxx")',
      );
    }
    if (runes(query) > 64) throw new CliError('validation', `--query exceeds the maximum of 64 characters (got ${runes(query)})`);
    for (const t of splitCsv(rt.str('search-types'))) {
      if (!SEARCH_TYPES.includes(t)) {
        throw new CliError('validation', `invalid --search-types value "${t}": expected one of private, external, public_joined, public_not_joined`);
      }
    }
    for (const m of splitCsv(rt.str('chat-modes'))) {
      if (m !== 'group' && m !== 'topic') throw new CliError('validation', `invalid --chat-modes value "${m}": expected one of group, topic`);
    }
    if (rt.str('member-ids')) {
      const ids = splitCsv(rt.str('member-ids'));
      if (ids.length > 50) throw new CliError('validation', `--member-ids exceeds the maximum of 50 (got ${ids.length})`);
      ids.forEach(validateUserId);
    }
    const n = rt.int('page-size');
    if (n < 1 || n > 100) throw new CliError('validation', '--page-size must be an integer between 1 and 100');
    validatePageAll(rt);
  },
  dryRun(rt) {
    return planPageAll(new DryRun(), rt).post(PATH).params(searchParams(rt)).body(searchBody(rt));
  },
  async execute(rt) {
    // every page first (the token in the query, the same body), then one mute filter over all their chats
    const walk = await walkPages(rt, { method: 'POST', path: PATH, query: searchParams(rt), body: searchBody(rt) });
    const { hasMore, pageToken } = walk;
    const last = walk.pages[walk.pages.length - 1] ?? {};
    const total = intPart(last.total);
    // the server's notice (e.g. the query was truncated) is kept even when only an earlier page had it
    let notice = '';
    for (const p of walk.pages) if (typeof p.notice === 'string' && p.notice !== '') notice = p.notice;
    const rows = walk.items
      .filter(isPlainObject)
      .map((it) => it.meta_data)
      .filter(isPlainObject);
    const types = splitCsv(rt.str('search-types'));
    const { applyMuteFilter } = await import('../chat-lookup.js');
    const mf = await applyMuteFilter(
      rt,
      { exclude: rt.bool('exclude-muted'), hasMore, allNonMember: types.length === 1 && types[0] === 'public_not_joined' },
      rows.length ? rows : undefined,
    );
    const data: Record<string, unknown> = { chats: mf.rows ?? null, total, has_more: hasMore, page_token: pageToken };
    if (mf.filter) data.filter = mf.filter;
    if (notice) data.notice = notice;

    await rt.out(data, { prettyExtra: { hint: mf.hint }, pagination: { ...walk.pagination, items: mf.rows?.length ?? 0 } });
  },
});
