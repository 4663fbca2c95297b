/**
 * Chats: create, get, update, disband, list the caller's chats, search (v2 and v1), share links,
 * batch look-ups by chat id and p2p look-ups by chatter id. Codes and rules as Lark answers them
 * (232xxx, see model/chats.ts).
 */
import { randomUUID } from 'node:crypto';
import { isInChat, type Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError, newId, ok, paginate, pageSize, type Reply } from '../lark.js';
import {
  actsAsManager,
  actsAsOwner,
  activeTime,
  bodyObject,
  canSee,
  chatErr,
  chatForChatApi,
  chatListItem,
  chatView,
  idList,
  idTypeParam,
  memberGroup,
  prop,
  publicView,
  userById,
  userIdOut,
} from '../model/chats.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec } from '../state.js';

const READ = ['im:chat:readonly', 'im:chat', 'im:chat:read'];
const V1 = '/open-apis/im/v1';

const runes = (s: string) => [...s].length;

function caller(req: EmuRequest): Caller {
  return req.caller!;
}

function optString(b: Record<string, unknown>, k: string, max?: number): string | undefined {
  const v = b[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw chatErr.invalidParam(`${k} must be a string`);
  if (max !== undefined && runes(v) > max) throw chatErr.invalidParam(`${k} is longer than ${max} characters`);
  return v;
}

function optEnum(b: Record<string, unknown>, k: string, allowed: string[]): string | undefined {
  const v = optString(b, k);
  if (v === undefined) return undefined;
  if (!allowed.includes(v)) throw chatErr.invalidParam(`${k} must be one of ${allowed.join(', ')}`);
  return v;
}

function boolQuery(raw: string | null, name: string): boolean {
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw chatErr.invalidParam(`${name} must be true or false`);
}

/** Settings both create and update take, kept in ChatRec.props. */
const ENUM_PROPS: Record<string, string[]> = {
  add_member_permission: ['all_members', 'only_owner'],
  share_card_permission: ['allowed', 'not_allowed'],
  at_all_permission: ['all_members', 'only_owner'],
  edit_permission: ['all_members', 'only_owner'],
  join_message_visibility: ['only_owner', 'all_members', 'not_anyone'],
  leave_message_visibility: ['only_owner', 'all_members', 'not_anyone'],
  membership_approval: ['no_approval_required', 'approval_required'],
  group_message_type: ['chat', 'thread'],
  urgent_setting: ['only_owner', 'all_members'],
  video_conference_setting: ['only_owner', 'all_members'],
  pin_manage_setting: ['only_owner', 'all_members'],
  hide_member_count_setting: ['all_members', 'only_owner'],
};
const RESTRICTED = ['screenshot_has_permission_setting', 'download_has_permission_setting', 'message_has_permission_setting'];

function readProps(b: Record<string, unknown>, into: Record<string, unknown>): void {
  const avatar = optString(b, 'avatar');
  if (avatar !== undefined) into.avatar = avatar;
  if (b.i18n_names !== undefined) {
    const v = b.i18n_names;
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw chatErr.invalidParam('i18n_names must be an object of strings');
    into.i18n_names = { ...(v as Record<string, string>) };
  }
  for (const [k, allowed] of Object.entries(ENUM_PROPS)) {
    const v = optEnum(b, k, allowed);
    if (v !== undefined) into[k] = v;
  }
  for (const k of ['labels', 'toolkit_ids']) {
    if (b[k] !== undefined) into[k] = idList(b[k], k);
  }
  if (b.restricted_mode_setting !== undefined) {
    const v = b.restricted_mode_setting;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw chatErr.invalidParam('restricted_mode_setting must be an object');
    const r = v as Record<string, unknown>;
    const out: Record<string, unknown> = { status: false, screenshot_has_permission_setting: 'all_members', download_has_permission_setting: 'all_members', message_has_permission_setting: 'all_members' };
    if (r.status !== undefined) {
      if (typeof r.status !== 'boolean') throw chatErr.invalidParam('restricted_mode_setting.status must be a boolean');
      out.status = r.status;
    }
    for (const k of RESTRICTED) {
      if (r[k] === undefined) continue;
      if (r[k] !== 'all_members' && r[k] !== 'not_anyone') throw chatErr.invalidParam(`restricted_mode_setting.${k} must be all_members or not_anyone`);
      out[k] = r[k];
    }
    into.restricted_mode_setting = out;
  }
}

/** Users to invite: ids of the given type, each a user the caller can see. */
function resolveUsers(emu: Emulator, c: Caller, ids: string[], idType: string): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const u = userById(emu, id, idType);
    if (!u) throw chatErr.invalidUserId(id);
    if (c.identity === 'bot' && u.tenant_key !== c.app.tenant_key) {
      throw new LarkError(232043, 'Your request contains user(s) that are not visible to the bot (outside the app availability).', 400, undefined, `user ${id} is outside the availability of app ${c.app.app_id}`);
    }
    if (!out.includes(u.open_id)) out.push(u.open_id);
  }
  return out;
}

// ---- create ----

function createChat(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const setBotManager = boolQuery(req.query.get('set_bot_manager'), 'set_bot_manager');
  const uuid = req.query.get('uuid') ?? '';
  if (uuid.length > 50) throw chatErr.invalidParam('uuid is longer than 50 characters');
  if (c.identity === 'bot' && !c.app.bot_enabled) throw chatErr.botDisabled(c.app.app_id);

  const idemKey = uuid ? `chat:${c.app.app_id}:${c.actorId}:${uuid}` : '';
  if (idemKey) {
    const seen = emu.db.get('idempotency', idemKey);
    const prior = seen && seen.expires_at > req.now ? emu.db.get('chats', seen.message_id) : undefined;
    if (prior && !prior.deleted) return ok({ chat_id: prior.chat_id, ...chatView(emu, prior, c, idType) });
  }

  const b = bodyObject(req.json);
  const name = optString(b, 'name', 60) ?? '';
  const description = optString(b, 'description', 100) ?? '';
  const mode = (optEnum(b, 'chat_mode', ['group', 'topic']) ?? 'group') as 'group' | 'topic';
  const type = optEnum(b, 'chat_type', ['private', 'public']) ?? 'private';
  if (b.external !== undefined && typeof b.external !== 'boolean') throw chatErr.invalidParam('external must be a boolean');
  if (b.external === true) throw new LarkError(232033, 'The operator or invited bots does NOT have the authority to manage external chats without the scope.', 400, undefined, 'external chats are not emulated');
  if (type === 'public' && runes(name.trim()) < 2) throw chatErr.invalidParam('a public chat needs a name of at least 2 characters');
  const props: Record<string, unknown> = {};
  readProps(b, props);
  const users = resolveUsers(emu, c, idList(b.user_id_list, 'user_id_list', { max: 50 }), idType);
  const botIds = idList(b.bot_id_list, 'bot_id_list', { max: 5 });
  const bots: string[] = [];
  for (const id of botIds) {
    const app = emu.db.get('apps', id);
    if (!app) throw chatErr.appNotExist(id);
    if (!app.bot_enabled) throw chatErr.botDisabled(id);
    if (!bots.includes(id)) bots.push(id);
  }
  let owner: string | undefined;
  const ownerRaw = optString(b, 'owner_id');
  if (ownerRaw) {
    const u = userById(emu, ownerRaw, idType);
    if (!u) throw chatErr.invalidUserId(ownerRaw);
    owner = u.open_id;
  }
  if (type === 'public' && [...emu.db.t.chats.values()].some((x) => !x.deleted && x.chat_type === 'public' && x.name === name)) {
    throw new LarkError(232026, 'This name is already used in an existing public chat. Names of public chats are supposed to be different.', 400, undefined, `a public chat named "${name}" exists`);
  }

  // the creator is always in the chat; a bot stays there as a bot member
  const members = [...users];
  if (c.identity === 'user' && !members.includes(c.actorId)) members.unshift(c.actorId);
  if (owner && !members.includes(owner)) members.unshift(owner);
  if (c.identity === 'bot' && !bots.includes(c.app.app_id)) bots.unshift(c.app.app_id);
  if (bots.length > 15) throw chatErr.invalidParam('a chat may hold at most 15 bots');

  const ownerId = owner ?? (c.identity === 'user' ? c.actorId : c.app.app_id);
  const t = String(req.now);
  props._creator = c.identity === 'bot' ? c.app.app_id : c.actorId;
  if (mode === 'topic' && props.group_message_type === undefined) props.group_message_type = 'thread';
  const chat: ChatRec = {
    chat_id: newId.chat(),
    name,
    description,
    chat_mode: mode,
    chat_type: type,
    owner_id: ownerId,
    owner_id_type: emu.db.get('apps', ownerId) ? 'app_id' : 'open_id',
    members,
    bots,
    managers: [],
    bot_managers: setBotManager && c.identity === 'bot' && ownerId !== c.app.app_id ? [c.app.app_id] : [],
    create_time: t,
    update_time: t,
    tenant_key: c.app.tenant_key,
    external: false,
    props,
    moderation_setting: 'all_members',
    moderators: [],
  };
  emu.db.put('chats', chat.chat_id, chat);
  if (idemKey) emu.db.put('idempotency', idemKey, { key: idemKey, message_id: chat.chat_id, expires_at: req.now + 10 * 3600 * 1000 });
  return ok({ chat_id: chat.chat_id, ...chatView(emu, chat, c, idType) });
}

// ---- get / update / disband ----

function getChat(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const chat = chatForChatApi(emu, req.params.chat_id);
  if (chat.tenant_key !== c.app.tenant_key) throw new LarkError(232010, 'Operator and chat can NOT be in different tenants.', 400, undefined, `chat ${chat.chat_id} is in another tenant`);
  if (isInChat(chat, c)) return ok(chatView(emu, chat, c, idType));
  if (chat.chat_mode !== 'p2p' && chat.chat_type === 'public') return ok(publicView(emu, chat, idType));
  throw chatErr.outOfChat(chat, c);
}

/** Fields any member may edit when edit_permission is all_members. */
const FREE_FIELDS = ['avatar', 'name', 'description', 'i18n_names'];
const UPDATE_FIELDS = new Set([
  ...FREE_FIELDS,
  ...Object.keys(ENUM_PROPS),
  'owner_id',
  'labels',
  'toolkit_ids',
  'restricted_mode_setting',
  'chat_type',
]);

function updateChat(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const chat = memberGroup(emu, req.params.chat_id, c);
  const b = bodyObject(req.json);
  const given = Object.keys(b).filter((k) => UPDATE_FIELDS.has(k) && b[k] !== undefined && b[k] !== null);
  const privileged = actsAsManager(chat, c);
  if (!privileged) {
    if (chat.props.edit_permission === 'only_owner') {
      throw new LarkError(232002, 'No Permission: Only chat owner or admin can edit chat information in the current situation.', 400, undefined, `edit_permission is only_owner and ${c.actorId} is neither owner nor manager`);
    }
    const locked = given.filter((k) => !FREE_FIELDS.includes(k));
    if (locked.length) {
      throw new LarkError(232016, 'Non-chat-owner or Non-chat-admin can only edit certain parts.', 400, undefined, `${c.actorId} is neither owner nor manager and may not change ${locked.join(', ')}`);
    }
  }
  const next: ChatRec = { ...chat, props: { ...chat.props } };
  const name = optString(b, 'name', 60);
  if (name !== undefined) next.name = name;
  const description = optString(b, 'description', 100);
  if (description !== undefined) next.description = description;
  readProps(b, next.props);
  const type = optEnum(b, 'chat_type', ['private', 'public']);
  if (type !== undefined) next.chat_type = type;
  if (next.chat_type === 'public' && runes(next.name.trim()) < 2) throw chatErr.invalidParam('a public chat needs a name of at least 2 characters');
  const ownerRaw = optString(b, 'owner_id');
  if (ownerRaw) {
    if (!actsAsOwner(chat, c)) throw new LarkError(232016, 'Non-chat-owner or Non-chat-admin can only edit certain parts.', 400, undefined, `only the owner may transfer ${chat.chat_id}`);
    const u = userById(emu, ownerRaw, idType);
    if (!u) throw chatErr.invalidUserId(ownerRaw);
    if (u.tenant_key !== chat.tenant_key) throw new LarkError(232031, 'The chat and the new designated chat owner must be in the same tenant.', 400, undefined, `user ${ownerRaw} is in another tenant`);
    if (!chat.members.includes(u.open_id)) throw new LarkError(232012, 'New chat owner can NOT be out of the chat.', 400, undefined, `user ${ownerRaw} is not in chat ${chat.chat_id}`);
    next.owner_id = u.open_id;
    next.owner_id_type = 'open_id';
    next.managers = next.managers.filter((m) => m !== u.open_id);
  }
  next.update_time = String(req.now);
  emu.db.put('chats', chat.chat_id, next);
  return ok({});
}

function deleteChat(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const chat = memberGroup(emu, req.params.chat_id, c);
  if (!actsAsOwner(chat, c)) throw chatErr.notOwnerOrCreator(chat, c);
  emu.db.put('chats', chat.chat_id, { ...chat, deleted: true, update_time: String(req.now) });
  return ok({});
}

// ---- list / search ----

function listChats(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const sort = req.query.get('sort_type') || 'ByCreateTimeAsc';
  if (sort !== 'ByCreateTimeAsc' && sort !== 'ByActiveTimeDesc') throw chatErr.invalidParam('sort_type must be ByCreateTimeAsc or ByActiveTimeDesc');
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const typesRaw = req.query.get('types') ?? '';
  const types = typesRaw ? typesRaw.split(',').map((s) => s.trim()) : ['group'];
  for (const t of types) if (t !== 'group' && t !== 'p2p') throw chatErr.invalidParam(`types contains "${t}": expected p2p or group`);
  // bots never list p2p chats (privacy)
  const wantP2p = types.includes('p2p') && c.identity === 'user';
  const wantGroup = types.includes('group');
  const rows: Array<{ chat: ChatRec; key: number }> = [];
  for (const chat of emu.db.t.chats.values()) {
    if (chat.deleted || !isInChat(chat, c)) continue;
    if (chat.chat_mode === 'p2p' ? !wantP2p : !wantGroup) continue;
    rows.push({ chat, key: sort === 'ByActiveTimeDesc' ? -activeTime(emu, chat) : Number(chat.create_time) });
  }
  rows.sort((a, b) => a.key - b.key || (a.chat.chat_id < b.chat.chat_id ? -1 : 1));
  const scope = `chats:${c.actorId}:${sort}:${types.join(',')}`;
  const page = paginate(rows, scope, req.query.get('page_token'), size);
  return ok({ items: page.items.map((r) => chatListItem(emu, r.chat, c, idType, 'peer')), page_token: page.page_token, has_more: page.has_more });
}

interface SearchInput {
  query: string;
  searchTypes: string[];
  modes: string[];
  memberIds: string[];
  isManager: boolean;
  byUser: boolean;
}

/** Lark strips the quotes the CLI puts around a hyphenated query. */
function plainQuery(q: string): string {
  const t = q.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (typeof v === 'string') return v;
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

function searchHits(emu: Emulator, c: Caller, s: SearchInput): ChatRec[] {
  const q = plainQuery(s.query).toLowerCase();
  const members = s.memberIds.map((id) => id);
  const byName: ChatRec[] = [];
  const byMember: ChatRec[] = [];
  for (const chat of emu.db.t.chats.values()) {
    if (chat.chat_mode === 'p2p' || !canSee(chat, c)) continue;
    const joined = isInChat(chat, c);
    if (s.searchTypes.length) {
      const kind = chat.external ? 'external' : chat.chat_type === 'public' ? (joined ? 'public_joined' : 'public_not_joined') : 'private';
      if (!s.searchTypes.includes(kind)) continue;
    }
    if (s.modes.length && !s.modes.includes(chat.chat_mode === 'topic' ? 'thread' : 'default')) continue;
    if (members.length && !members.every((m) => chat.members.includes(m))) continue;
    if (s.isManager && !actsAsManager(chat, c)) continue;
    if (!q) {
      byName.push(chat);
      continue;
    }
    if (chat.name.toLowerCase().includes(q)) byName.push(chat);
    else if (s.byUser && chat.members.some((m) => (emu.db.t.users.get(m)?.name ?? '').toLowerCase().includes(q))) byMember.push(chat);
  }
  return [...byMember, ...byName];
}

function searchMeta(emu: Emulator, chat: ChatRec, c: Caller): Record<string, unknown> {
  const owner = chat.owner_id_type === 'app_id' ? { owner_id: '', owner_id_type: '' } : { owner_id: chat.owner_id, owner_id_type: 'open_id' };
  return {
    chat_id: chat.chat_id,
    name: chat.name,
    description: chat.description,
    avatar: prop(chat, 'avatar'),
    ...owner,
    external: chat.external,
    tenant_key: chat.tenant_key,
    chat_status: 'normal',
    chat_mode: chat.chat_mode,
    chat_type: chat.chat_type,
    create_time: String(Math.floor(Number(chat.create_time) / 1000)),
    update_time: String(Math.floor(Number(chat.update_time) / 1000)),
    member_count: chat.members.length,
    is_member: isInChat(chat, c),
  };
}

function searchV2(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  if (c.identity === 'bot' && !c.app.bot_enabled) throw chatErr.botDisabled(c.app.app_id);
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const b = bodyObject(req.json);
  const query = optString(b, 'query') ?? '';
  if (runes(query) > 64 + 2) throw chatErr.invalidParam('query is longer than 64 characters');
  const f = b.filter === undefined || b.filter === null ? {} : b.filter;
  if (typeof f !== 'object' || Array.isArray(f)) throw chatErr.invalidParam('filter must be an object');
  const filter = f as Record<string, unknown>;
  const searchTypes = idList(filter.search_types, 'filter.search_types');
  for (const t of searchTypes) if (!['private', 'external', 'public_joined', 'public_not_joined'].includes(t)) throw chatErr.invalidParam(`filter.search_types contains "${t}"`);
  const modes = idList(filter.chat_modes, 'filter.chat_modes');
  for (const m of modes) if (m !== 'default' && m !== 'thread') throw chatErr.invalidParam(`filter.chat_modes contains "${m}"`);
  const memberIds = idList(filter.member_ids, 'filter.member_ids', { max: 50 });
  for (const k of ['is_manager', 'disable_search_by_user']) {
    if (filter[k] !== undefined && typeof filter[k] !== 'boolean') throw chatErr.invalidParam(`filter.${k} must be a boolean`);
  }
  const sorter = optEnum(b, 'sorter', ['create_time_desc', 'update_time_desc', 'member_count_desc']);
  if (!query.trim() && memberIds.length === 0) throw chatErr.invalidParam('query and filter.member_ids cannot both be empty');
  const hits = searchHits(emu, c, { query, searchTypes, modes, memberIds, isManager: filter.is_manager === true, byUser: filter.disable_search_by_user !== true });
  if (sorter) {
    const key = (x: ChatRec) => (sorter === 'member_count_desc' ? x.members.length : Number(sorter === 'create_time_desc' ? x.create_time : x.update_time));
    hits.sort((x, y) => key(y) - key(x) || (x.chat_id < y.chat_id ? -1 : 1));
  }
  const page = paginate(hits, `chatsearch:${c.actorId}:${JSON.stringify([query, filter, sorter ?? ''])}`, req.query.get('page_token'), size);
  return ok({ items: page.items.map((x) => ({ meta_data: searchMeta(emu, x, c) })), total: hits.length, has_more: page.has_more, page_token: page.page_token });
}

/** GET /im/v1/chats/search: the older search (chats visible to the caller, by name or member). */
function searchV1(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const query = req.query.get('query') ?? '';
  if (runes(query) > 64) throw chatErr.invalidParam('query is longer than 64 characters');
  const hits = searchHits(emu, c, { query, searchTypes: [], modes: [], memberIds: [], isManager: false, byUser: true });
  const page = paginate(hits, `chatsearch1:${c.actorId}:${query}`, req.query.get('page_token'), size);
  return ok({ items: page.items.map((x) => chatListItem(emu, x, c, idType, 'empty')), page_token: page.page_token, has_more: page.has_more });
}

// ---- share link ----

function shareLink(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const chat = memberGroup(emu, req.params.chat_id, c);
  const b = bodyObject(req.json);
  const period = optEnum(b, 'validity_period', ['week', 'year', 'permanently']) ?? 'week';
  if (chat.props.share_card_permission === 'not_allowed' && !actsAsManager(chat, c)) {
    throw new LarkError(232016, 'No permission to share the chat: only the owner and managers may share it.', 400, undefined, `share_card_permission is not_allowed and ${c.actorId} is neither owner nor manager`);
  }
  let token = chat.share_token;
  if (!token) {
    token = randomUUID();
    emu.db.put('chats', chat.chat_id, { ...chat, share_token: token });
  }
  const days = period === 'week' ? 7 : period === 'year' ? 365 : 0;
  return ok({
    share_link: `https://applink.feishu.cn/client/chat/chatter/add_by_link?link_token=${token}`,
    expire_time: days ? String(Math.floor((req.now + days * 86400_000) / 1000)) : '',
    is_permanent: days === 0,
  });
}

// ---- batch look-ups ----

function batchQuery(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const b = bodyObject(req.json);
  const ids = idList(b.chat_ids, 'chat_ids', { required: true, max: 100 });
  if (ids.length === 0) throw chatErr.invalidParam('chat_ids must not be empty');
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const chat = emu.db.get('chats', id);
    if (!chat || !canSee(chat, c)) continue;
    items.push(isInChat(chat, c) ? chatListItem(emu, chat, c, idType, 'empty') : { chat_id: chat.chat_id, ...publicView(emu, chat, idType) });
  }
  return ok({ items });
}

function p2pBatchQuery(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('chatter_id_type'));
  const b = bodyObject(req.json);
  const ids = idList(b.chatter_ids, 'chatter_ids', { required: true, max: 50 });
  if (ids.length === 0) throw chatErr.invalidParam('chatter_ids must not be empty');
  const me = c.identity === 'bot' ? c.app.app_id : c.actorId;
  const p2p_chats: Array<{ chatter_id: string; chat_id: string }> = [];
  for (const id of ids) {
    const u = userById(emu, id, idType);
    if (!u) continue;
    for (const chat of emu.db.t.chats.values()) {
      if (chat.deleted || chat.chat_mode !== 'p2p') continue;
      const parties = chat.p2p_parties ?? [];
      if (parties.includes(me) && parties.includes(u.open_id) && (me !== u.open_id || parties[0] === parties[1])) {
        p2p_chats.push({ chatter_id: userIdOut(emu, u.open_id, idType), chat_id: chat.chat_id });
        break;
      }
    }
  }
  return ok({ p2p_chats });
}

export const routes: Route[] = [
  { method: 'POST', path: `${V1}/chats/batch_query`, auth: 'any', scopes: READ, handler: batchQuery },
  { method: 'GET', path: `${V1}/chats/search`, auth: 'any', scopes: READ, handler: searchV1 },
  { method: 'POST', path: `${V1}/chat_p2p/batch_query`, auth: 'any', scopes: [...READ, 'im:message.p2p_msg:get_as_user', 'im:message.p2p_msg:readonly', 'im:message:readonly', 'im:message'], handler: p2pBatchQuery },
  { method: 'POST', path: '/open-apis/im/v2/chats/search', auth: 'any', scopes: READ, handler: searchV2 },
  { method: 'POST', path: `${V1}/chats`, auth: 'any', scopes: ['im:chat', 'im:chat:create', 'im:chat:create_by_user'], handler: createChat },
  { method: 'GET', path: `${V1}/chats`, auth: 'any', scopes: READ, handler: listChats },
  { method: 'POST', path: `${V1}/chats/:chat_id/link`, auth: 'any', scopes: READ, handler: shareLink },
  { method: 'GET', path: `${V1}/chats/:chat_id`, auth: 'any', scopes: READ, handler: getChat },
  { method: 'PUT', path: `${V1}/chats/:chat_id`, auth: 'any', scopes: ['im:chat', 'im:chat:update'], handler: updateChat },
  { method: 'DELETE', path: `${V1}/chats/:chat_id`, auth: 'any', scopes: ['im:chat', 'im:chat:delete'], handler: deleteChat },
];

