/**
 * Emulated endpoints: feed shortcuts (chats pinned to the user's feed sidebar) and feed groups
 * (tags), all user-only and all scoped to the calling user: nobody sees another user's records.
 *
 * Feed shortcuts (im/v2):
 *   POST /open-apis/im/v2/feed_shortcuts         {shortcuts:[{feed_card_id,type:1}] (1-10), is_header}
 *   POST /open-apis/im/v2/feed_shortcuts/remove  {shortcuts:[…]}
 *   GET  /open-apis/im/v2/feed_shortcuts         page_token, page_size (1-50, default 50)
 * Per-item problems are answered in `failed_shortcuts` ({shortcut, reason}: 1 no_permission,
 * 2 invalid_item, 4 type_not_support), never as a request error. Re-adding a shortcut and
 * removing an absent one succeed. Page tokens carry a version of the list: once the list
 * changes, an old token is refused and the caller starts again.
 *
 * Feed groups (im/v1/groups): create / update (update_fields 1 name, 2 rules) / delete (soft:
 * listed under deleted_groups afterwards), batch_query, batch_add_item / batch_remove_item
 * (normal groups; removed items are listed under deleted_items), list, list_item,
 * batch_query_item. Group ids are ofg_…. A rule group's items are its rules evaluated over the
 * user's chats at the time of reading.
 */
import { isInChat } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError, fieldError, invalidParam, newId, ok, pageSize, pageToken, readPageToken } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, FeedGroupRec, FeedShortcutRec, UserRec } from '../state.js';

const SHORTCUT_WRITE = ['im:feed.shortcut:write'];
const SHORTCUT_READ = ['im:feed.shortcut:read'];
const GROUP_WRITE = ['im:feed_group_v1:write'];
const GROUP_READ = ['im:feed_group_v1:read'];

const SHORTCUT_BATCH = 10;
const SHORTCUT_PAGE_MAX = 50;
const GROUP_PAGE_MAX = 50;
/** Items per batch_add_item / batch_remove_item / batch_query_item, ids per batch_query. */
const GROUP_BATCH = 50;
const GROUP_NAME_MAX = 60;
const MAX_RULES = 20;
const MAX_CONDITION_ITEMS = 20;

/** failed_shortcuts reasons. */
const REASON = { no_permission: 1, invalid_item: 2, type_not_support: 4 } as const;

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bodyObj(req: EmuRequest, required: string): Json {
  if (!isObj(req.json)) throw fieldError(required, `${required} is required`);
  return req.json;
}

// ---------------------------------------------------------------------------------------------
// Feed shortcuts

function shortcutKey(owner: string, feedId: string): string {
  return `${owner}|${feedId}`;
}

/** The user's shortcuts in sidebar order (chats since disbanded are not shown). */
function shortcutsOf(emu: Emulator, owner: string): FeedShortcutRec[] {
  const out: FeedShortcutRec[] = [];
  for (const s of emu.db.t.feed_shortcuts.values()) {
    if (s.owner !== owner) continue;
    const chat = emu.db.get('chats', s.feed_id);
    if (!chat || chat.deleted) continue;
    out.push(s);
  }
  return out.sort((a, b) => (a.rank ?? a.seq) - (b.rank ?? b.seq) || a.seq - b.seq);
}

interface ShortcutReq {
  /** The items as sent (echoed in failed_shortcuts). */
  raw: Json;
  feed_card_id: string;
  type: number;
}

function readShortcuts(req: EmuRequest): { body: Json; items: ShortcutReq[] } {
  const body = bodyObj(req, 'shortcuts');
  const list = body.shortcuts;
  if (list === undefined || list === null) throw fieldError('shortcuts', 'shortcuts is required');
  if (!Array.isArray(list)) throw fieldError('shortcuts', 'shortcuts must be an array');
  if (list.length === 0 || list.length > SHORTCUT_BATCH) {
    throw fieldError('shortcuts', `shortcuts must contain between 1 and ${SHORTCUT_BATCH} items`);
  }
  const items = list.map((v, i): ShortcutReq => {
    const at = `shortcuts[${i}]`;
    if (!isObj(v)) throw fieldError(at, 'must be an object');
    if (typeof v.feed_card_id !== 'string') throw fieldError(`${at}.feed_card_id`, 'feed_card_id must be a string');
    if (typeof v.type !== 'number' || !Number.isInteger(v.type)) throw fieldError(`${at}.type`, 'type must be an integer');
    return { raw: { feed_card_id: v.feed_card_id, type: v.type }, feed_card_id: v.feed_card_id, type: v.type };
  });
  return { body, items };
}

/** Why an item cannot be pinned, or undefined when it can. */
function shortcutProblem(emu: Emulator, req: EmuRequest, it: ShortcutReq): number | undefined {
  if (it.type !== 1) return REASON.type_not_support;
  const chat = it.feed_card_id ? emu.db.get('chats', it.feed_card_id) : undefined;
  if (!chat || chat.deleted) return REASON.invalid_item;
  if (!isInChat(chat, req.caller!)) return REASON.no_permission;
  return undefined;
}

function shortcutCreate(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const { body, items } = readShortcuts(req);
  if (body.is_header !== undefined && typeof body.is_header !== 'boolean') throw fieldError('is_header', 'is_header must be a boolean');
  const atHead = body.is_header !== false;
  const failed: Json[] = [];
  const fresh: string[] = [];
  for (const it of items) {
    const reason = shortcutProblem(emu, req, it);
    if (reason !== undefined) {
      failed.push({ shortcut: it.raw, reason });
      continue;
    }
    if (fresh.includes(it.feed_card_id) || emu.db.get('feed_shortcuts', shortcutKey(owner, it.feed_card_id))) continue; // already pinned: no-op
    fresh.push(it.feed_card_id);
  }
  if (fresh.length) {
    const current = shortcutsOf(emu, owner);
    const ranks = current.map((s) => s.rank ?? s.seq);
    const min = ranks.length ? Math.min(...ranks) : 0;
    const max = ranks.length ? Math.max(...ranks) : 0;
    fresh.forEach((id, j) => {
      const key = shortcutKey(owner, id);
      const rank = atHead ? min - fresh.length + j : max + 1 + j;
      emu.db.put('feed_shortcuts', key, { key, owner, feed_id: id, feed_type: '1', create_time: String(req.now), seq: emu.db.nextSeq(), rank });
    });
  }
  return ok({ failed_shortcuts: failed });
}

function shortcutRemove(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const { items } = readShortcuts(req);
  const failed: Json[] = [];
  for (const it of items) {
    if (it.type !== 1) {
      failed.push({ shortcut: it.raw, reason: REASON.type_not_support });
      continue;
    }
    if (!it.feed_card_id) {
      failed.push({ shortcut: it.raw, reason: REASON.invalid_item });
      continue;
    }
    emu.db.del('feed_shortcuts', shortcutKey(owner, it.feed_card_id)); // absent: nothing to do
  }
  return ok({ failed_shortcuts: failed });
}

/** A short, stable fingerprint of the list's order (FNV-1a). */
function fingerprint(ids: string[]): string {
  let h = 0x811c9dc5;
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x7c, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function shortcutList(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const size = pageSize(req.query.get('page_size'), SHORTCUT_PAGE_MAX, SHORTCUT_PAGE_MAX);
  const all = shortcutsOf(emu, owner);
  const version = fingerprint(all.map((s) => s.feed_id));
  const scope = `feed_shortcuts:${owner}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  let start = 0;
  if (typeof pos === 'string') {
    const m = /^([0-9a-f]{8}):(\d+)$/.exec(pos);
    if (!m) throw fieldError('page_token', 'invalid page token');
    if (m[1] !== version) {
      throw new LarkError(
        99992402,
        'field validation failed',
        400,
        { field_violations: [{ field: 'page_token', description: 'the shortcut list changed since this page token was issued; list again without page_token' }] },
        'stale feed shortcut page token',
      );
    }
    start = Number(m[2]);
  } else if (pos !== undefined) throw fieldError('page_token', 'invalid page token');
  const page = all.slice(start, start + size);
  const hasMore = start + size < all.length;
  return ok({
    shortcuts: page.map((s) => ({ feed_card_id: s.feed_id, type: 1 })),
    has_more: hasMore,
    page_token: hasMore ? pageToken(scope, `${version}:${start + size}`) : '',
  });
}

// ---------------------------------------------------------------------------------------------
// Feed groups: ids, rules

type IdType = 'open_id' | 'union_id' | 'user_id';

function userIdType(req: EmuRequest): IdType {
  const v = req.query.get('user_id_type');
  if (v === null || v === '') return 'open_id';
  if (v === 'open_id' || v === 'union_id' || v === 'user_id') return v;
  throw fieldError('user_id_type', 'user_id_type must be one of open_id, union_id, user_id');
}

function findUser(emu: Emulator, id: string, type: IdType): UserRec | undefined {
  if (type === 'open_id') return emu.db.get('users', id);
  for (const u of emu.db.t.users.values()) if (u[type] === id) return u;
  return undefined;
}

function userIdAs(emu: Emulator, openId: string, type: IdType): string {
  if (type === 'open_id') return openId;
  return emu.db.get('users', openId)?.[type] ?? openId;
}

const MATCH_TYPES = ['match_all', 'match_any'];
const ACTIONS = ['add', 'remove'];
const COND_TYPES = ['keyword', 'chatter', 'chat_type'];
const OPERATORS: Record<string, string[]> = { keyword: ['contain', 'not_contain'], chatter: ['is', 'is_not'], chat_type: ['is', 'is_not'] };
const CHAT_TYPES = ['p2p', 'group', 'thread_group', 'helpdesk', 'bot', 'mute', 'flag', 'cross_tenant', 'any'];

interface CondItem {
  type: string;
  operator: string;
  keyword?: string;
  /** Stored as an open_id. */
  user_id?: string;
  chat_type?: string;
}
interface Rule {
  condition: { match_type: string; condition_items: CondItem[] };
  action: string;
}

function enumField(o: Json, k: string, allowed: string[], at: string): string {
  const v = o[k];
  if (v === undefined || v === null || v === '') throw fieldError(`${at}.${k}`, `${k} is required`);
  if (typeof v !== 'string' || !allowed.includes(v)) throw fieldError(`${at}.${k}`, `${k} must be one of ${allowed.join(', ')}`);
  return v;
}

/** A rules object (`{rules:[…]}`), checked and normalised (chatter ids become open_ids). */
function readRules(emu: Emulator, v: unknown, at: string, idType: IdType): { rules: Rule[] } {
  if (!isObj(v)) throw fieldError(at, 'rules must be an object');
  const list = v.rules;
  if (!Array.isArray(list)) throw fieldError(`${at}.rules`, 'rules.rules is required and must be an array');
  if (list.length > MAX_RULES) throw fieldError(`${at}.rules`, `at most ${MAX_RULES} rules`);
  const rules = list.map((r, i): Rule => {
    const ra = `${at}.rules[${i}]`;
    if (!isObj(r)) throw fieldError(ra, 'must be an object');
    const c = r.condition;
    if (!isObj(c)) throw fieldError(`${ra}.condition`, 'condition is required');
    const match_type = enumField(c, 'match_type', MATCH_TYPES, `${ra}.condition`);
    const items = c.condition_items;
    if (!Array.isArray(items) || items.length === 0) throw fieldError(`${ra}.condition.condition_items`, 'condition_items must be a non-empty array');
    if (items.length > MAX_CONDITION_ITEMS) throw fieldError(`${ra}.condition.condition_items`, `at most ${MAX_CONDITION_ITEMS} condition items`);
    const condition_items = items.map((ci, j): CondItem => {
      const ca = `${ra}.condition.condition_items[${j}]`;
      if (!isObj(ci)) throw fieldError(ca, 'must be an object');
      const type = enumField(ci, 'type', COND_TYPES, ca);
      const operator = enumField(ci, 'operator', OPERATORS[type]!, ca);
      if (type === 'keyword') {
        if (typeof ci.keyword !== 'string' || ci.keyword.trim() === '') throw fieldError(`${ca}.keyword`, 'keyword is required for a keyword condition');
        return { type, operator, keyword: ci.keyword };
      }
      if (type === 'chatter') {
        if (typeof ci.user_id !== 'string' || ci.user_id === '') throw fieldError(`${ca}.user_id`, 'user_id is required for a chatter condition');
        const u = findUser(emu, ci.user_id, idType);
        if (!u) throw fieldError(`${ca}.user_id`, `no user with ${idType} ${ci.user_id}`);
        return { type, operator, user_id: u.open_id };
      }
      return { type, operator, chat_type: enumField(ci, 'chat_type', CHAT_TYPES, ca) };
    });
    const action = enumField(r, 'action', ACTIONS, ra);
    return { condition: { match_type, condition_items }, action };
  });
  return { rules };
}

function rulesView(emu: Emulator, rules: { rules: Rule[] }, idType: IdType): Json {
  return {
    rules: rules.rules.map((r) => ({
      condition: {
        match_type: r.condition.match_type,
        condition_items: r.condition.condition_items.map((ci) => (ci.user_id ? { ...ci, user_id: userIdAs(emu, ci.user_id, idType) } : { ...ci })),
      },
      action: r.action,
    })),
  };
}

function groupType(g: FeedGroupRec): 'normal' | 'rule' {
  return g.props.type === 'rule' ? 'rule' : 'normal';
}

function groupRules(g: FeedGroupRec): { rules: Rule[] } | undefined {
  const r = g.props.rules;
  return isObj(r) && Array.isArray(r.rules) ? (r as unknown as { rules: Rule[] }) : undefined;
}

function groupView(emu: Emulator, g: FeedGroupRec, idType: IdType): Json {
  const out: Json = { group_id: g.feed_group_id, type: groupType(g), name: g.name };
  const rules = groupRules(g);
  if (groupType(g) === 'rule' && rules) out.rules = rulesView(emu, rules, idType);
  return out;
}

/** The caller's live group (another user's group, a deleted one or an unknown id: not found). */
function groupOr404(req: EmuRequest, emu: Emulator, opts: { allowDeleted?: boolean } = {}): FeedGroupRec {
  const id = req.params.feed_group_id ?? '';
  const g = emu.db.get('feed_groups', id);
  if (!g || g.owner !== req.caller!.actorId || (g.deleted && !opts.allowDeleted)) {
    throw new LarkError(
      230001,
      'Your request contains an invalid request parameter, feed_group_id is invalid.',
      400,
      undefined,
      !g ? `feed group ${id} does not exist` : g.owner !== req.caller!.actorId ? `feed group ${id} belongs to another user` : `feed group ${id} was deleted`,
    );
  }
  return g;
}

function readName(emu: Emulator, owner: string, v: unknown, at: string, self?: string): string {
  if (v === undefined || v === null || v === '') throw fieldError(at, 'name is required');
  if (typeof v !== 'string') throw fieldError(at, 'name must be a string');
  const name = v.trim();
  if (name === '') throw fieldError(at, 'name must not be blank');
  if ([...name].length > GROUP_NAME_MAX) throw fieldError(at, `name must be at most ${GROUP_NAME_MAX} characters`);
  for (const g of emu.db.t.feed_groups.values()) {
    if (g.owner === owner && !g.deleted && g.feed_group_id !== self && g.name === name) {
      throw new LarkError(230001, `Your request contains an invalid request parameter, a feed group named "${name}" already exists.`, 400, undefined, 'duplicate feed group name');
    }
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Feed groups: rule evaluation

interface ChatFacts {
  chat: ChatRec;
  name: string;
  tags: Set<string>;
  people: Set<string>;
}

/** The user's chats with what rules test: the name, the chat-type tags and the people in it. */
function userChats(emu: Emulator, user: UserRec): ChatFacts[] {
  const muted = new Set<string>();
  for (const s of emu.db.t.user_settings.values()) if (s.open_id === user.open_id && s.props.is_muted === true) muted.add(s.chat_id);
  const flagged = new Set<string>();
  for (const b of emu.db.t.bookmarks.values()) {
    if (b.owner !== user.open_id || b.deleted) continue;
    const m = emu.db.get('messages', b.item_id);
    if (m) flagged.add(m.chat_id);
  }
  const out: ChatFacts[] = [];
  for (const chat of emu.db.t.chats.values()) {
    if (chat.deleted) continue;
    const parties = chat.chat_mode === 'p2p' ? (chat.p2p_parties ?? []) : chat.members;
    if (!parties.includes(user.open_id)) continue;
    const tags = new Set<string>(['any']);
    let name = chat.name;
    if (chat.chat_mode === 'p2p') {
      const other = parties.find((p) => p !== user.open_id) ?? user.open_id;
      const app = emu.db.get('apps', other);
      tags.add(app ? 'bot' : 'p2p');
      name = app ? app.name : (emu.db.get('users', other)?.name ?? '');
    } else tags.add(chat.chat_mode === 'topic' ? 'thread_group' : 'group');
    if (muted.has(chat.chat_id)) tags.add('mute');
    if (flagged.has(chat.chat_id)) tags.add('flag');
    if (chat.external) tags.add('cross_tenant');
    out.push({ chat, name, tags, people: new Set(parties) });
  }
  return out;
}

function condHolds(c: CondItem, f: ChatFacts): boolean {
  switch (c.type) {
    case 'keyword': {
      const has = f.name.toLowerCase().includes((c.keyword ?? '').toLowerCase());
      return c.operator === 'contain' ? has : !has;
    }
    case 'chatter': {
      const has = f.people.has(c.user_id ?? '');
      return c.operator === 'is' ? has : !has;
    }
    default: {
      const has = f.tags.has(c.chat_type ?? '');
      return c.operator === 'is' ? has : !has;
    }
  }
}

/** A rule group's chats: each rule in order adds or removes the chats its condition matches. */
function ruleItems(emu: Emulator, g: FeedGroupRec): string[] {
  const user = emu.db.get('users', g.owner);
  const rules = groupRules(g);
  if (!user || !rules) return [];
  const chats = userChats(emu, user);
  const set = new Set<string>();
  for (const r of rules.rules) {
    const all = r.condition.match_type === 'match_all';
    for (const f of chats) {
      const items = r.condition.condition_items;
      const hit = all ? items.every((c) => condHolds(c, f)) : items.some((c) => condHolds(c, f));
      if (!hit) continue;
      if (r.action === 'add') set.add(f.chat.chat_id);
      else set.delete(f.chat.chat_id);
    }
  }
  return [...set].sort();
}

interface ItemView {
  feed_id: string;
  feed_type: string;
  update_time: string;
}

/** Live and deleted items of a group, as Lark lists them. */
function groupItems(emu: Emulator, g: FeedGroupRec): { live: ItemView[]; deleted: ItemView[] } {
  if (groupType(g) === 'rule') {
    return { live: ruleItems(emu, g).map((id) => ({ feed_id: id, feed_type: 'chat', update_time: g.update_time })), deleted: [] };
  }
  return {
    live: g.items.map((i) => ({ feed_id: i.feed_id, feed_type: i.feed_type, update_time: i.update_time ?? i.add_time })),
    deleted: (g.deleted_items ?? []).map((i) => ({ feed_id: i.feed_id, feed_type: i.feed_type, update_time: i.update_time })),
  };
}

// ---------------------------------------------------------------------------------------------
// Feed groups: handlers

function groupCreate(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const idType = userIdType(req);
  const body = bodyObj(req, 'feed_group_creator');
  const c = body.feed_group_creator;
  if (!isObj(c)) throw fieldError('feed_group_creator', 'feed_group_creator is required');
  const type = enumField(c, 'type', ['normal', 'rule'], 'feed_group_creator');
  const name = readName(emu, owner, c.name, 'feed_group_creator.name');
  const props: Json = { type };
  if (type === 'rule') {
    if (c.rules === undefined || c.rules === null) throw fieldError('feed_group_creator.rules', 'rules is required when type is rule');
    props.rules = readRules(emu, c.rules, 'feed_group_creator.rules', idType);
  } else if (c.rules !== undefined && c.rules !== null) {
    throw fieldError('feed_group_creator.rules', 'rules are only accepted when type is rule');
  }
  const id = newId.feedGroup();
  const now = String(req.now);
  emu.db.put('feed_groups', id, { feed_group_id: id, owner, name, props, items: [], deleted_items: [], create_time: now, update_time: now, seq: emu.db.nextSeq() });
  return ok({ group_id: id });
}

function groupUpdate(req: EmuRequest, emu: Emulator) {
  const idType = userIdType(req);
  const g = groupOr404(req, emu);
  const body = bodyObj(req, 'feed_group_updater');
  const u = body.feed_group_updater;
  if (!isObj(u)) throw fieldError('feed_group_updater', 'feed_group_updater is required');
  const fields = u.update_fields;
  if (fields !== undefined && fields !== null && !Array.isArray(fields)) throw new LarkError(9499, 'Invalid parameter value', 400, undefined, 'update_fields is not an array');
  const set = new Set<number>();
  for (const f of (fields as unknown[] | undefined | null) ?? []) {
    // Lark takes the integer markers only: "name"/"rules" strings are refused (9499)
    if (f !== 1 && f !== 2) throw new LarkError(9499, 'Invalid parameter value', 400, undefined, `update_fields holds ${JSON.stringify(f)}; only 1 (name) and 2 (rules) exist`);
    set.add(f);
  }
  if (set.size === 0) return ok({});
  const next: FeedGroupRec = { ...g, props: { ...g.props } };
  if (set.has(1)) next.name = readName(emu, g.owner, u.name, 'feed_group_updater.name', g.feed_group_id);
  if (set.has(2)) {
    if (groupType(g) !== 'rule') throw invalidParam('rules can only be set on a group of type rule.');
    if (u.rules === undefined || u.rules === null) throw fieldError('feed_group_updater.rules', 'rules is required when update_fields has 2');
    next.props.rules = readRules(emu, u.rules, 'feed_group_updater.rules', idType);
  }
  next.update_time = String(req.now);
  next.seq = emu.db.nextSeq();
  emu.db.put('feed_groups', g.feed_group_id, next);
  return ok({});
}

function groupDelete(req: EmuRequest, emu: Emulator) {
  const g = groupOr404(req, emu);
  emu.db.put('feed_groups', g.feed_group_id, { ...g, deleted: true, update_time: String(req.now), seq: emu.db.nextSeq() });
  return ok({});
}

function groupBatchQuery(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const idType = userIdType(req);
  const body = bodyObj(req, 'group_ids');
  const ids = body.group_ids;
  if (ids === undefined || ids === null) throw fieldError('group_ids', 'group_ids is required');
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw fieldError('group_ids', 'group_ids must be an array of strings');
  if (ids.length === 0 || ids.length > GROUP_BATCH) throw fieldError('group_ids', `group_ids must contain between 1 and ${GROUP_BATCH} ids`);
  const groups: Json[] = [];
  const deleted: Json[] = [];
  const seen = new Set<string>();
  for (const id of ids as string[]) {
    if (seen.has(id)) continue;
    seen.add(id);
    const g = emu.db.get('feed_groups', id);
    if (!g || g.owner !== owner) continue;
    (g.deleted ? deleted : groups).push(groupView(emu, g, idType));
  }
  return ok({ groups, deleted_groups: deleted });
}

interface FeedItemReq {
  raw: Json;
  feed_id: string;
  feed_type: unknown;
}

function readFeedItems(req: EmuRequest): FeedItemReq[] {
  const body = bodyObj(req, 'items');
  const list = body.items;
  if (list === undefined || list === null) throw fieldError('items', 'items is required');
  if (!Array.isArray(list)) throw fieldError('items', 'items must be an array');
  if (list.length === 0 || list.length > GROUP_BATCH) throw fieldError('items', `items must contain between 1 and ${GROUP_BATCH} items`);
  return list.map((v, i) => {
    const at = `items[${i}]`;
    if (!isObj(v)) throw fieldError(at, 'must be an object');
    if (v.feed_id === undefined || v.feed_id === null || v.feed_id === '') throw fieldError(`${at}.feed_id`, 'feed_id is required');
    if (typeof v.feed_id !== 'string') throw fieldError(`${at}.feed_id`, 'feed_id must be a string');
    if (v.feed_type !== undefined && typeof v.feed_type !== 'string') throw fieldError(`${at}.feed_type`, 'feed_type must be a string');
    return { raw: { feed_id: v.feed_id, feed_type: v.feed_type }, feed_id: v.feed_id, feed_type: v.feed_type };
  });
}

function failedItem(it: FeedItemReq, code: number, message: string): Json {
  return { item: it.raw, error_code: code, error_message: message };
}

function requireNormal(g: FeedGroupRec): void {
  if (groupType(g) === 'rule') throw invalidParam('the items of a rule group follow its rules and cannot be added or removed.');
}

function groupAddItems(req: EmuRequest, emu: Emulator) {
  const g = groupOr404(req, emu);
  requireNormal(g);
  const items = readFeedItems(req);
  const now = String(req.now);
  const live = [...g.items];
  let deleted = [...(g.deleted_items ?? [])];
  const failed: Json[] = [];
  const done = new Set<string>();
  for (const it of items) {
    if (it.feed_type !== 'chat') {
      failed.push(failedItem(it, 230001, 'feed_type must be chat'));
      continue;
    }
    const chat = emu.db.get('chats', it.feed_id);
    if (!chat || chat.deleted) {
      failed.push(failedItem(it, 232010, 'Chat not found or has been disbanded.'));
      continue;
    }
    if (!isInChat(chat, req.caller!)) {
      failed.push(failedItem(it, 232011, 'Operator can NOT be out of the chat.'));
      continue;
    }
    if (done.has(it.feed_id)) {
      failed.push(failedItem(it, 230001, 'duplicate feed in the request'));
      continue;
    }
    if (live.some((x) => x.feed_id === it.feed_id)) {
      failed.push(failedItem(it, 230001, 'the feed is already in the feed group'));
      continue;
    }
    done.add(it.feed_id);
    live.push({ feed_id: it.feed_id, feed_type: 'chat', add_time: now, update_time: now });
    deleted = deleted.filter((x) => x.feed_id !== it.feed_id);
  }
  if (done.size) emu.db.put('feed_groups', g.feed_group_id, { ...g, items: live, deleted_items: deleted });
  return ok({ failed_items: failed });
}

function groupRemoveItems(req: EmuRequest, emu: Emulator) {
  const g = groupOr404(req, emu);
  requireNormal(g);
  const items = readFeedItems(req);
  const now = String(req.now);
  let live = [...g.items];
  let deleted = [...(g.deleted_items ?? [])];
  const failed: Json[] = [];
  let changed = false;
  for (const it of items) {
    if (it.feed_type !== 'chat') {
      failed.push(failedItem(it, 230001, 'feed_type must be chat'));
      continue;
    }
    const cur = live.find((x) => x.feed_id === it.feed_id);
    if (!cur) {
      failed.push(failedItem(it, 230001, 'the feed is not in the feed group'));
      continue;
    }
    live = live.filter((x) => x.feed_id !== it.feed_id);
    deleted = deleted.filter((x) => x.feed_id !== it.feed_id);
    deleted.push({ feed_id: cur.feed_id, feed_type: cur.feed_type, add_time: cur.add_time, update_time: now });
    changed = true;
  }
  if (changed) emu.db.put('feed_groups', g.feed_group_id, { ...g, items: live, deleted_items: deleted });
  return ok({ failed_items: failed });
}

/** start_time / end_time (ms, inclusive) of the list endpoints. */
function timeWindow(req: EmuRequest): { from: number; to: number } {
  const read = (k: string, def: number): number => {
    const v = req.query.get(k);
    if (v === null || v === '') return def;
    if (!/^-?\d+$/.test(v)) throw fieldError(k, `${k} must be Unix milliseconds`);
    return Number(v);
  };
  const from = read('start_time', -Infinity);
  const to = read('end_time', Infinity);
  if (from > to) throw fieldError('start_time', 'start_time must not be after end_time');
  return { from, to };
}

function groupList(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  if (!req.query.has('page_token')) {
    throw new LarkError(99992402, 'Missing required parameter: page_token', 400, { field_violations: [{ field: 'page_token', description: 'page_token is required (empty for the first page)' }] });
  }
  const size = pageSize(req.query.get('page_size'), GROUP_PAGE_MAX, GROUP_PAGE_MAX);
  const { from, to } = timeWindow(req);
  const scope = `feed_groups:${owner}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  const after = typeof pos === 'number' ? pos : 0;
  const mine: FeedGroupRec[] = [];
  for (const g of emu.db.t.feed_groups.values()) {
    if (g.owner !== owner || g.seq <= after) continue;
    const t = Number(g.update_time);
    if (t < from || t > to) continue;
    mine.push(g);
  }
  mine.sort((a, b) => a.seq - b.seq);
  const page = mine.slice(0, size);
  const hasMore = mine.length > size;
  const last = page[page.length - 1];
  return ok({
    groups: page.filter((g) => !g.deleted).map((g) => groupView(emu, g, 'open_id')),
    deleted_groups: page.filter((g) => g.deleted).map((g) => groupView(emu, g, 'open_id')),
    page_token: hasMore && last ? pageToken(scope, last.seq) : '',
    has_more: hasMore,
  });
}

/** Sort key of an item in list_item: update time, then kind, then id. */
function itemKey(i: ItemView, deleted: boolean): string {
  return `${i.update_time.padStart(16, '0')}|${deleted ? 1 : 0}|${i.feed_id}`;
}

function groupListItems(req: EmuRequest, emu: Emulator) {
  const g = groupOr404(req, emu);
  const size = pageSize(req.query.get('page_size'), GROUP_PAGE_MAX, GROUP_PAGE_MAX);
  const { from, to } = timeWindow(req);
  const scope = `feed_group_items:${g.feed_group_id}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  const after = typeof pos === 'string' ? pos : '';
  const { live, deleted } = groupItems(emu, g);
  const all: Array<{ key: string; deleted: boolean; v: ItemView }> = [];
  for (const [list, del] of [[live, false], [deleted, true]] as const) {
    for (const v of list) {
      const t = Number(v.update_time);
      if (t < from || t > to) continue;
      const key = itemKey(v, del);
      if (after && key <= after) continue;
      all.push({ key, deleted: del, v });
    }
  }
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = all.slice(0, size);
  const hasMore = all.length > size;
  const last = page[page.length - 1];
  return ok({
    items: page.filter((x) => !x.deleted).map((x) => x.v),
    deleted_items: page.filter((x) => x.deleted).map((x) => x.v),
    page_token: hasMore && last ? pageToken(scope, last.key) : '',
    has_more: hasMore,
  });
}

function groupQueryItems(req: EmuRequest, emu: Emulator) {
  const g = groupOr404(req, emu);
  const items = readFeedItems(req);
  const { live, deleted } = groupItems(emu, g);
  const liveById = new Map(live.map((i) => [i.feed_id, i]));
  const delById = new Map(deleted.map((i) => [i.feed_id, i]));
  const outLive: ItemView[] = [];
  const outDel: ItemView[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if ((it.feed_type !== undefined && it.feed_type !== 'chat') || seen.has(it.feed_id)) continue;
    seen.add(it.feed_id);
    const l = liveById.get(it.feed_id);
    if (l) outLive.push(l);
    else {
      const d = delById.get(it.feed_id);
      if (d) outDel.push(d);
    }
  }
  return ok({ items: outLive, deleted_items: outDel });
}

const G = '/open-apis/im/v1/groups';

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/im/v2/feed_shortcuts/remove', auth: 'user', scopes: SHORTCUT_WRITE, handler: shortcutRemove },
  { method: 'POST', path: '/open-apis/im/v2/feed_shortcuts', auth: 'user', scopes: SHORTCUT_WRITE, handler: shortcutCreate },
  { method: 'GET', path: '/open-apis/im/v2/feed_shortcuts', auth: 'user', scopes: SHORTCUT_READ, handler: shortcutList },

  { method: 'POST', path: `${G}/batch_query`, auth: 'user', scopes: GROUP_READ, handler: groupBatchQuery },
  { method: 'POST', path: G, auth: 'user', scopes: GROUP_WRITE, handler: groupCreate },
  { method: 'GET', path: G, auth: 'user', scopes: GROUP_READ, handler: groupList },
  { method: 'PUT', path: `${G}/:feed_group_id`, auth: 'user', scopes: GROUP_WRITE, handler: groupUpdate },
  { method: 'DELETE', path: `${G}/:feed_group_id`, auth: 'user', scopes: GROUP_WRITE, handler: groupDelete },
  { method: 'POST', path: `${G}/:feed_group_id/batch_add_item`, auth: 'user', scopes: GROUP_WRITE, handler: groupAddItems },
  { method: 'POST', path: `${G}/:feed_group_id/batch_remove_item`, auth: 'user', scopes: GROUP_WRITE, handler: groupRemoveItems },
  { method: 'GET', path: `${G}/:feed_group_id/list_item`, auth: 'user', scopes: GROUP_READ, handler: groupListItems },
  { method: 'POST', path: `${G}/:feed_group_id/batch_query_item`, auth: 'user', scopes: GROUP_READ, handler: groupQueryItems },
];
