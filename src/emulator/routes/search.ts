/**
 * Message search: `POST /open-apis/im/v1/messages/search` (what `+messages-search` calls, user or
 * bot) and Lark's documented `POST /open-apis/search/v2/message` (user only), over one engine:
 * keyword terms (all must appear, case-insensitive), sender, chat, chat type, sender type,
 * attachment type, @mentions and a time range, newest first, with cursor page tokens that stay
 * stable while new messages arrive.
 *
 * Speed: each message's lower-cased searchable text (and its attachment and mention facts) is
 * computed once, lazily, and kept in a WeakMap keyed by the record object. Every change to a
 * message puts a new record object (state.ts), so a put invalidates the entry by itself; nothing
 * of this is persisted or stored in the tables.
 */
import type { Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { fieldError, LarkError, ok, pageSize, pageToken, readPageToken, type Reply } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, Db, MessageRec } from '../state.js';

const IMAGE = 1;
const FILE = 2;
const VIDEO = 4;
const LINK = 8;

interface Facts {
  /** Lower-cased searchable text. */
  text: string;
  /** Attachment bits (IMAGE | FILE | VIDEO | LINK). */
  attach: number;
  /** open_ids / app_ids mentioned. */
  ats: string[];
  atAll: boolean;
}

const facts = new WeakMap<MessageRec, Facts>();

const URL_RE = /https?:\/\/\S/i;

function collectPost(v: unknown, parts: string[], f: Facts, names: Map<string, string>): void {
  if (Array.isArray(v)) {
    for (const x of v) collectPost(x, parts, f, names);
    return;
  }
  if (!v || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  const tag = o.tag;
  if (typeof tag === 'string') {
    if (typeof o.text === 'string') parts.push(o.text);
    if (tag === 'a') {
      f.attach |= LINK;
      if (typeof o.href === 'string') parts.push(o.href);
    }
    if (tag === 'img' && typeof o.image_key === 'string') f.attach |= IMAGE;
    if (tag === 'media' && typeof o.file_key === 'string') f.attach |= VIDEO;
    if (tag === 'at') {
      const id = typeof o.user_id === 'string' ? o.user_id : '';
      if (id === 'all' || id === '@_all') f.atAll = true;
      const name = typeof o.user_name === 'string' ? o.user_name : names.get(id);
      if (name) parts.push(`@${name}`);
    }
    if (tag === 'md' && typeof o.text === 'string' && /\]\(https?:/.test(o.text)) f.attach |= LINK;
    return;
  }
  if (typeof o.title === 'string') parts.push(o.title);
  for (const x of Object.values(o)) if (x && typeof x === 'object') collectPost(x, parts, f, names);
}

function collectCard(v: unknown, parts: string[], depth: number): void {
  if (depth > 30) return;
  if (Array.isArray(v)) {
    for (const x of v) collectCard(x, parts, depth + 1);
    return;
  }
  if (!v || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'string') {
      if (k === 'content' || k === 'text' || k === 'title') parts.push(x);
    } else if (x && typeof x === 'object') collectCard(x, parts, depth + 1);
  }
}

/** Messages per block of the block filter. */
const BLOCK = 256;
interface Block {
  recs: MessageRec[];
  text: string;
}
const blockCache = new WeakMap<Db, Block[]>();

function blocksOf(db: Db): Block[] {
  let b = blockCache.get(db);
  if (!b) blockCache.set(db, (b = []));
  return b;
}

/**
 * The joined search text of block `n` of the seq-ordered history, rebuilt when any record in it
 * was replaced (a put makes a new record object) or the block grew.
 */
function blockText(blocks: Block[], list: MessageRec[], n: number): string {
  const start = n * BLOCK;
  const end = Math.min(list.length, start + BLOCK);
  const cached = blocks[n];
  if (cached && cached.recs.length === end - start) {
    let same = true;
    for (let j = 0; j < cached.recs.length; j++) {
      if (cached.recs[j] !== list[start + j]) {
        same = false;
        break;
      }
    }
    if (same) return cached.text;
  }
  const recs = list.slice(start, end);
  const text = recs.map((m) => factsOf(m).text).join('\n');
  blocks[n] = { recs, text };
  return text;
}

/** The searchable facts of a message (cached per record object). */
export function factsOf(m: MessageRec): Facts {
  const hit = facts.get(m);
  if (hit) return hit;
  const f: Facts = { text: '', attach: 0, ats: (m.mentions ?? []).map((x) => x.id), atAll: false };
  const names = new Map((m.mentions ?? []).map((x) => [x.key, x.name] as [string, string]));
  const parts: string[] = [];
  let c: unknown;
  try {
    c = JSON.parse(m.content);
  } catch {
    c = undefined;
  }
  const o = c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
  switch (m.msg_type) {
    case 'text': {
      let t = typeof o.text === 'string' ? o.text : '';
      if (t.includes('@_all')) f.atAll = true;
      for (const [k, n] of names) t = t.split(k).join(`@${n}`);
      parts.push(t);
      if (URL_RE.test(t)) f.attach |= LINK;
      break;
    }
    case 'post':
      collectPost(o, parts, f, names);
      if (parts.some((p) => URL_RE.test(p))) f.attach |= LINK;
      break;
    case 'interactive':
      collectCard(o, parts, 0);
      break;
    case 'image':
      f.attach |= IMAGE;
      break;
    case 'file':
      f.attach |= FILE;
      if (typeof o.file_name === 'string') parts.push(o.file_name);
      break;
    case 'media':
      f.attach |= VIDEO;
      if (typeof o.file_name === 'string') parts.push(o.file_name);
      break;
    case 'audio':
      if (typeof o.file_name === 'string') parts.push(o.file_name);
      break;
    default:
      break;
  }
  f.text = parts.join('\n').toLowerCase();
  facts.set(m, f);
  return f;
}

// ---- the query ----

export interface SearchQuery {
  terms: string[];
  chatIds?: string[];
  fromIds?: string[];
  /** Attachment bits any of which must be present. */
  attach?: number;
  /** 'group' (group and topic chats) or 'p2p'. */
  chatType?: 'group' | 'p2p';
  fromTypes?: Array<'user' | 'app'>;
  excludeFromTypes?: Array<'user' | 'app'>;
  atIds?: string[];
  /** Emulator-clock ms, inclusive. */
  start?: number;
  end?: number;
}

function visibleChats(db: Db, caller: Caller): Set<string> {
  const out = new Set<string>();
  for (const c of db.t.chats.values()) if (!c.deleted && sees(c, caller)) out.add(c.chat_id);
  return out;
}

function sees(c: ChatRec, caller: Caller): boolean {
  if (c.chat_mode === 'p2p') return (c.p2p_parties ?? []).includes(caller.actorId);
  return caller.identity === 'bot' ? c.bots.includes(caller.app.app_id) : c.members.includes(caller.actorId);
}

/**
 * The hits of `q` the caller may see, newest first, from the position of `cursor` (the seq of the
 * last hit of the previous page): at most `limit` of them, and whether there are more.
 */
export function searchMessages(db: Db, caller: Caller, q: SearchQuery, cursor: number | undefined, limit: number): { hits: MessageRec[]; more: boolean } {
  const visible = visibleChats(db, caller);
  const chatModes = new Map<string, string>();
  for (const id of visible) chatModes.set(id, db.t.chats.get(id)!.chat_mode);
  const fromIds = q.fromIds?.length ? new Set(q.fromIds) : undefined;
  const atIds = q.atIds?.length ? q.atIds : undefined;
  const matches = (m: MessageRec): boolean => {
    if (m.deleted || m.upper_message_id) return false;
    if (fromIds && !fromIds.has(m.sender.id)) return false;
    if (q.fromTypes && !q.fromTypes.includes(m.sender.sender_type)) return false;
    if (q.excludeFromTypes && q.excludeFromTypes.includes(m.sender.sender_type)) return false;
    if (q.start !== undefined || q.end !== undefined) {
      const t = Number(m.create_time);
      if (q.start !== undefined && t < q.start) return false;
      if (q.end !== undefined && t > q.end) return false;
    }
    if (m.msg_type === 'system') return false;
    if (!q.terms.length && !q.attach && !atIds) return true;
    const f = factsOf(m);
    if (q.attach && !(f.attach & q.attach)) return false;
    if (atIds && !f.atAll && !atIds.some((id) => f.ats.includes(id))) return false;
    for (const t of q.terms) if (!f.text.includes(t)) return false;
    return true;
  };
  const wantsMode = (id: string): boolean => !q.chatType || (q.chatType === 'p2p' ? chatModes.get(id) === 'p2p' : chatModes.get(id) !== 'p2p');
  const chatIds = (q.chatIds?.length ? [...new Set(q.chatIds)].filter((c) => visible.has(c)) : [...visible]).filter(wantsMode);
  const out: MessageRec[] = [];
  let more = false;
  // newest first: one chat's history, or the whole seq-ordered history filtered by chat, scanned
  // from the end (both lists are in seq order, so the cursor is a binary search)
  const wanted = new Set(chatIds);
  const list = db.messagesBySeq;
  let i = list.length - 1;
  if (cursor !== undefined) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.seq < cursor) lo = mid + 1;
      else hi = mid;
    }
    i = lo - 1;
  }
  const blocks = q.terms.length ? blocksOf(db) : undefined;
  for (; i >= 0 && chatIds.length > 0; i--) {
    // a block of messages whose joined text lacks a term is skipped whole (rare terms)
    if (blocks && (i === list.length - 1 || (i + 1) % BLOCK === 0)) {
      const text = blockText(blocks, list, Math.floor(i / BLOCK));
      if (!q.terms.every((t) => text.includes(t))) {
        i = Math.floor(i / BLOCK) * BLOCK;
        continue;
      }
    }
    const m = list[i]!;
    if (!wanted.has(m.chat_id) || !matches(m)) continue;
    if (out.length === limit) {
      more = true;
      break;
    }
    out.push(m);
  }
  return { hits: out, more };
}


// ---- parsing ----

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A time as `+messages-search` sends it (the user's own text): Unix seconds (or ms), RFC 3339 with
 * an offset, a local date-time, or a date (the start of the day, or its end for an end time).
 */
export function parseSearchTime(v: unknown, field: string, end: boolean): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v > 1e12 ? v : v * 1000 + (end ? 999 : 0);
  if (typeof v !== 'string' || v.trim() === '') throw fieldError(field, `${field} must be a time string`);
  const s = v.trim();
  if (/^\d{1,16}$/.test(s)) {
    const n = Number(s);
    return n > 1e12 ? n : n * 1000 + (end ? 999 : 0);
  }
  let m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m) {
    const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7]}`);
    if (Number.isFinite(t)) return t + (end ? 999 : 0);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dateOnly = m[4] === undefined;
    const h = dateOnly ? (end ? 23 : 0) : Number(m[4]);
    const mi = dateOnly ? (end ? 59 : 0) : Number(m[5]);
    const se = dateOnly ? (end ? 59 : 0) : Number(m[6] ?? 0);
    const dt = new Date(y, mo - 1, d, h, mi, se, end ? 999 : 0);
    if (dt.getFullYear() === y && `${pad(dt.getMonth() + 1)}-${pad(dt.getDate())}` === `${m[2]}-${m[3]}`) return dt.getTime();
  }
  throw fieldError(field, `${field} is not a valid time: ${s}`);
}

function strList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw fieldError(field, `${field} must be an array of strings`);
  return v as string[];
}

function enumList<T extends string>(v: unknown, field: string, allowed: readonly T[]): T[] | undefined {
  const l = strList(v, field);
  if (!l) return undefined;
  for (const x of l) if (!(allowed as readonly string[]).includes(x)) throw fieldError(field, `${field} values must be one of ${allowed.join(', ')}`);
  return l as T[];
}

function bodyOf(req: EmuRequest): Record<string, unknown> {
  const b = req.json ?? {};
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw fieldError('body', 'the request body must be a JSON object');
  return b as Record<string, unknown>;
}

function termsOf(v: unknown, field = 'query'): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'string') throw fieldError(field, `${field} must be a string`);
  if (v.length > 1000) throw fieldError(field, `${field} must be at most 1000 characters`);
  return v.toLowerCase().split(/\s+/).filter(Boolean);
}

const SENDER_TYPE: Record<string, 'user' | 'app'> = { user: 'user', bot: 'app' };
const ATTACH: Record<string, number> = { image: IMAGE, file: FILE, video: VIDEO, media: VIDEO, link: LINK };

function callerOf(req: EmuRequest): Caller {
  if (!req.caller) throw new LarkError(99991661, 'Missing access token for authorization. Please make a request with token attached.', 400);
  return req.caller;
}

/** `POST /open-apis/im/v1/messages/search`: body {query, filter:{…}}, query page_size/page_token. */
function imSearch(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const size = pageSize(req.query.get('page_size'), 20, 50);
  const b = bodyOf(req);
  const q: SearchQuery = { terms: termsOf(b.query) };
  if (b.filter !== undefined && b.filter !== null) {
    if (typeof b.filter !== 'object' || Array.isArray(b.filter)) throw fieldError('filter', 'filter must be an object');
    const f = b.filter as Record<string, unknown>;
    q.chatIds = strList(f.chat_ids, 'filter.chat_ids');
    q.fromIds = strList(f.from_ids, 'filter.from_ids');
    q.atIds = strList(f.at_chatter_ids, 'filter.at_chatter_ids');
    const attach = enumList(f.include_attachment_types, 'filter.include_attachment_types', ['file', 'image', 'video', 'link'] as const);
    if (attach?.length) q.attach = attach.reduce((a, x) => a | ATTACH[x]!, 0);
    const from = enumList(f.from_types, 'filter.from_types', ['user', 'bot'] as const);
    if (from?.length) q.fromTypes = from.map((x) => SENDER_TYPE[x]!);
    const excl = enumList(f.exclude_from_types, 'filter.exclude_from_types', ['user', 'bot'] as const);
    if (excl?.length) q.excludeFromTypes = excl.map((x) => SENDER_TYPE[x]!);
    if (f.chat_type !== undefined && f.chat_type !== null && f.chat_type !== '') {
      if (f.chat_type !== 'group' && f.chat_type !== 'p2p') throw fieldError('filter.chat_type', 'chat_type must be group or p2p');
      q.chatType = f.chat_type;
    }
    if (f.is_at_me !== undefined && f.is_at_me !== null) {
      if (typeof f.is_at_me !== 'boolean') throw fieldError('filter.is_at_me', 'is_at_me must be a boolean');
      if (f.is_at_me) q.atIds = [...(q.atIds ?? []), caller.actorId];
    }
    if (f.time_range !== undefined && f.time_range !== null) {
      if (typeof f.time_range !== 'object' || Array.isArray(f.time_range)) throw fieldError('filter.time_range', 'time_range must be an object');
      const tr = f.time_range as Record<string, unknown>;
      if (tr.start_time !== undefined && tr.start_time !== '') q.start = parseSearchTime(tr.start_time, 'filter.time_range.start_time', false);
      if (tr.end_time !== undefined && tr.end_time !== '') q.end = parseSearchTime(tr.end_time, 'filter.time_range.end_time', true);
      if (q.start !== undefined && q.end !== undefined && q.start > q.end) throw fieldError('filter.time_range', 'start_time must not be later than end_time');
    }
  }
  const scope = `search:${caller.identity}:${caller.actorId}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  const { hits, more } = searchMessages(emu.db, caller, q, typeof pos === 'number' ? pos : undefined, size);
  return ok({
    items: hits.map((m) => ({ meta_data: { message_id: m.message_id } })),
    has_more: more,
    page_token: more ? pageToken(scope, hits[hits.length - 1]!.seq) : '',
  });
}

/** `POST /open-apis/search/v2/message`: Lark's documented user search (ids only). */
function v2Search(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const b = bodyOf(req);
  if (typeof b.query !== 'string') throw fieldError('query', 'query is required');
  const q: SearchQuery = { terms: termsOf(b.query) };
  q.chatIds = strList(b.chat_ids, 'chat_ids');
  q.fromIds = strList(b.from_ids, 'from_ids');
  q.atIds = strList(b.at_chatter_ids, 'at_chatter_ids');
  if (b.message_type !== undefined && b.message_type !== '') {
    const bit = typeof b.message_type === 'string' && b.message_type !== 'link' ? ATTACH[b.message_type] : undefined;
    if (!bit) throw fieldError('message_type', 'message_type must be file, image or media');
    q.attach = bit;
  }
  if (b.from_type !== undefined && b.from_type !== '') {
    if (b.from_type !== 'bot' && b.from_type !== 'user') throw fieldError('from_type', 'from_type must be bot or user');
    q.fromTypes = [SENDER_TYPE[b.from_type]!];
  }
  if (b.chat_type !== undefined && b.chat_type !== '') {
    if (b.chat_type !== 'group_chat' && b.chat_type !== 'p2p_chat') throw fieldError('chat_type', 'chat_type must be group_chat or p2p_chat');
    q.chatType = b.chat_type === 'p2p_chat' ? 'p2p' : 'group';
  }
  if (b.start_time !== undefined && b.start_time !== '') q.start = parseSearchTime(b.start_time, 'start_time', false);
  if (b.end_time !== undefined && b.end_time !== '') q.end = parseSearchTime(b.end_time, 'end_time', true);
  const scope = `search_v2:${caller.actorId}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  const { hits, more } = searchMessages(emu.db, caller, q, typeof pos === 'number' ? pos : undefined, size);
  return ok({ items: hits.map((m) => m.message_id), has_more: more, page_token: more ? pageToken(scope, hits[hits.length - 1]!.seq) : '' });
}

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/im/v1/messages/search', auth: 'any', scopes: ['search:message'], handler: imSearch },
  { method: 'POST', path: '/open-apis/search/v2/message', auth: 'user', scopes: ['search:message'], handler: v2Search },
];
