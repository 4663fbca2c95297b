/**
 * Chat members (add, remove, list, bots, is_in_chat, the users+bots list of +chat-members-list),
 * managers, moderation and the per-user chat settings (mute). Codes as Lark answers them.
 */
import { isInChat, type Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError, ok, paginate, pageSize, type Reply } from '../lark.js';
import {
  actsAsManager,
  actsAsOwner,
  bodyObject,
  chatErr,
  chatForChatApi,
  idList,
  idTypeParam,
  memberGroup,
  requireMember,
  userById,
  userIdOut,
} from '../model/chats.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, UserSettingRec } from '../state.js';

const V1 = '/open-apis/im/v1';
const MEMBERS_READ = ['im:chat:readonly', 'im:chat', 'im:chat.group_info:readonly', 'im:chat.members:read'];
const MEMBERS_WRITE = ['im:chat', 'im:chat.members:write_only'];
const MANAGERS_WRITE = ['im:chat', 'im:chat.managers:write_only'];
const MEMBER_ID_TYPES = ['open_id', 'union_id', 'user_id', 'app_id'];

function caller(req: EmuRequest): Caller {
  return req.caller!;
}

function intQuery(raw: string | null, name: string, allowed: number[], def: number): number {
  if (raw === null || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || !allowed.includes(n)) throw chatErr.invalidParam(`${name} must be one of ${allowed.join(', ')}`);
  return n;
}

function userMemberItem(emu: Emulator, openId: string, idType: string): Record<string, unknown> {
  const u = emu.db.t.users.get(openId);
  return { member_id_type: idType, member_id: userIdOut(emu, openId, idType), name: u?.name ?? '', tenant_key: u?.tenant_key ?? '' };
}

function botMemberItem(emu: Emulator, appId: string): Record<string, unknown> {
  const a = emu.db.t.apps.get(appId);
  return { member_id_type: 'app_id', member_id: appId, app_id: appId, name: a?.name ?? appId, tenant_key: a?.tenant_key ?? '' };
}

// ---- members ----

function addMembers(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('member_id_type'), MEMBER_ID_TYPES);
  const succeed = intQuery(req.query.get('succeed_type'), 'succeed_type', [0, 1, 2], 0);
  const chat = memberGroup(emu, req.params.chat_id, c);
  if (chat.props.add_member_permission === 'only_owner' && !actsAsManager(chat, c)) throw chatErr.notOwnerOrCreator(chat, c);
  const b = bodyObject(req.json);
  const ids = idList(b.id_list, 'id_list', { required: true, max: 50 });
  if (ids.length === 0) throw chatErr.noValidMembers('id_list is empty');
  const invalid: string[] = [];
  const notExisted: string[] = [];
  const users: string[] = [];
  const bots: string[] = [];
  for (const id of ids) {
    if (idType === 'app_id') {
      const app = emu.db.get('apps', id);
      if (!app) notExisted.push(id);
      else if (!app.bot_enabled || app.tenant_key !== chat.tenant_key) invalid.push(id);
      else if (!bots.includes(id)) bots.push(id);
      continue;
    }
    const u = userById(emu, id, idType);
    if (!u) notExisted.push(id);
    // users of another tenant cannot join an internal chat; a bot sees only its own tenant
    else if (u.tenant_key !== chat.tenant_key) invalid.push(id);
    else if (!users.includes(u.open_id)) users.push(u.open_id);
  }
  if (bots.length > 5) throw chatErr.invalidParam('at most 5 bots may be added per request');
  if (succeed === 2 && (invalid.length || notExisted.length)) {
    throw new LarkError(232027, 'There are no valid members in the ID list specified in your request.', 400, { invalid_id_list: invalid, not_existed_id_list: notExisted }, `succeed_type=2 and ${[...invalid, ...notExisted].join(', ')} cannot be added`);
  }
  if (users.length === 0 && bots.length === 0) {
    throw chatErr.noValidMembers(`none of ${ids.join(', ')} can be added to ${chat.chat_id}`);
  }
  const nextBots = [...chat.bots, ...bots.filter((x) => !chat.bots.includes(x))];
  if (nextBots.length > 15) throw chatErr.invalidParam('a chat may hold at most 15 bots');
  const next: ChatRec = { ...chat, members: [...chat.members, ...users.filter((x) => !chat.members.includes(x))], bots: nextBots, update_time: String(req.now) };
  emu.db.put('chats', chat.chat_id, next);
  // succeed_type 1: unavailable ids are skipped and not reported as invalid
  return ok({ invalid_id_list: succeed === 1 ? [] : invalid, not_existed_id_list: notExisted, pending_approval_id_list: [] });
}

function removeMembers(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('member_id_type'), MEMBER_ID_TYPES);
  const chat = memberGroup(emu, req.params.chat_id, c);
  const b = bodyObject(req.json);
  const ids = idList(b.id_list, 'id_list', { required: true, max: 50 });
  if (ids.length === 0) throw chatErr.noValidMembers('id_list is empty');
  const invalid: string[] = [];
  const users: string[] = [];
  const bots: string[] = [];
  for (const id of ids) {
    if (idType === 'app_id') {
      if (chat.bots.includes(id)) bots.push(id);
      else invalid.push(id);
      continue;
    }
    const u = userById(emu, id, idType);
    if (u && chat.members.includes(u.open_id)) users.push(u.open_id);
    else invalid.push(id);
  }
  if (bots.length > 5) throw chatErr.invalidParam('at most 5 bots may be removed per request');
  const self = c.identity === 'bot' ? c.app.app_id : c.actorId;
  const others = [...users, ...bots].filter((x) => x !== self);
  if (others.length && !actsAsManager(chat, c)) {
    throw new LarkError(232014, 'The token used in the request does NOT have the permissions necessary to complete the request.', 400, undefined, `${c.actorId} is neither owner, manager nor creator bot of ${chat.chat_id} and may remove only itself`);
  }
  if ([...users, ...bots].includes(chat.owner_id)) throw new LarkError(232076, "Can't kick chat owner.", 400, undefined, `${chat.owner_id} owns ${chat.chat_id}`);
  const next: ChatRec = {
    ...chat,
    members: chat.members.filter((m) => !users.includes(m)),
    bots: chat.bots.filter((m) => !bots.includes(m)),
    managers: chat.managers.filter((m) => !users.includes(m)),
    bot_managers: chat.bot_managers.filter((m) => !bots.includes(m)),
    moderators: chat.moderators.filter((m) => !users.includes(m)),
    update_time: String(req.now),
  };
  emu.db.put('chats', chat.chat_id, next);
  return ok({ invalid_id_list: invalid });
}

function listMembers(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('member_id_type'));
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const chat = chatForChatApi(emu, req.params.chat_id);
  requireMember(chat, c);
  const page = paginate(chat.members, `members:${chat.chat_id}`, req.query.get('page_token'), size);
  return ok({ items: page.items.map((m) => userMemberItem(emu, m, idType)), page_token: page.page_token, has_more: page.has_more, member_total: chat.members.length });
}

/** GET …/members/list (+chat-members-list): users then bots, one paging over both. */
function listAllMembers(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('member_id_type'));
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const raw = req.query.get('member_types') ?? '';
  const types = raw ? raw.split(',').map((s) => s.trim().toLowerCase()) : ['user', 'bot'];
  for (const t of types) if (t !== 'user' && t !== 'bot') throw chatErr.invalidParam(`member_types contains "${t}": expected user or bot`);
  const chat = memberGroup(emu, req.params.chat_id, c);
  const all: Array<{ kind: 'user' | 'bot'; id: string }> = [];
  if (types.includes('user')) for (const m of chat.members) all.push({ kind: 'user', id: m });
  if (types.includes('bot')) for (const b of chat.bots) all.push({ kind: 'bot', id: b });
  const page = paginate(all, `memberlist:${chat.chat_id}:${types.join(',')}`, req.query.get('page_token'), size);
  const data: Record<string, unknown> = {
    users: page.items.filter((x) => x.kind === 'user').map((x) => userMemberItem(emu, x.id, idType)),
    bots: page.items.filter((x) => x.kind === 'bot').map((x) => botMemberItem(emu, x.id)),
    has_more: page.has_more,
    page_token: page.page_token,
    truncations: [],
  };
  if (types.includes('user')) data.user_total = chat.props.hide_member_count_setting === 'only_owner' && !actsAsManager(chat, c) ? -1 : chat.members.length;
  if (types.includes('bot')) data.bot_total = chat.bots.length;
  return ok(data);
}

function listBots(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const chat = chatForChatApi(emu, req.params.chat_id);
  requireMember(chat, c);
  return ok({ items: chat.bots.map((id) => ({ bot_id: id, bot_name: emu.db.t.apps.get(id)?.name ?? id })) });
}

function isInChatRoute(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const chat = chatForChatApi(emu, req.params.chat_id);
  return ok({ is_in_chat: isInChat(chat, c) });
}

// ---- managers ----

function managerIds(req: EmuRequest, emu: Emulator, chat: ChatRec): { users: string[]; bots: string[] } {
  const idType = idTypeParam(req.query.get('member_id_type'), MEMBER_ID_TYPES);
  const b = bodyObject(req.json);
  const ids = idList(b.manager_ids, 'manager_ids', { required: true, max: 50 });
  if (ids.length === 0) throw chatErr.noValidMembers('manager_ids is empty');
  const users: string[] = [];
  const bots: string[] = [];
  for (const id of ids) {
    if (idType === 'app_id') {
      if (!chat.bots.includes(id)) throw chatErr.noValidMembers(`bot ${id} is not in chat ${chat.chat_id}`);
      if (!bots.includes(id)) bots.push(id);
      continue;
    }
    const u = userById(emu, id, idType);
    if (!u || !chat.members.includes(u.open_id)) throw chatErr.noValidMembers(`user ${id} is not in chat ${chat.chat_id}`);
    if (!users.includes(u.open_id)) users.push(u.open_id);
  }
  if (bots.length > 5) throw chatErr.invalidParam('at most 5 bots per request');
  return { users, bots };
}

function managersAnswer(emu: Emulator, chat: ChatRec, req: EmuRequest): Reply {
  const t = req.query.get('member_id_type') || 'open_id';
  const idType = t === 'app_id' ? 'open_id' : t;
  return ok({ chat_managers: chat.managers.map((m) => userIdOut(emu, m, idType)), chat_bot_managers: [...chat.bot_managers] });
}

function ownerOnly(chat: ChatRec, c: Caller): void {
  if (!actsAsOwner(chat, c)) {
    throw new LarkError(232038, 'The operator is not chat owner, no permission to complete the request.', 400, undefined, `${c.identity} ${c.actorId} is not the owner of ${chat.chat_id}`);
  }
}

/** The chat and the ids of a manager change, after the rules both changes share (a group; the owner asks). */
function managerChange(req: EmuRequest, emu: Emulator): { chat: ChatRec; users: string[]; bots: string[] } {
  const c = caller(req);
  const chat = memberGroup(emu, req.params.chat_id, c);
  ownerOnly(chat, c);
  return { chat, ...managerIds(req, emu, chat) };
}

function addManagers(req: EmuRequest, emu: Emulator): Reply {
  const { chat, users, bots } = managerChange(req, emu);
  const managers = [...chat.managers, ...users.filter((u) => u !== chat.owner_id && !chat.managers.includes(u))];
  const botManagers = [...chat.bot_managers, ...bots.filter((x) => x !== chat.owner_id && !chat.bot_managers.includes(x))];
  if (managers.length + botManagers.length > 10) throw new LarkError(232040, 'The chat managers has reached the limit of maximum number.', 400, undefined, `chat ${chat.chat_id} would have more than 10 managers`);
  const next: ChatRec = { ...chat, managers, bot_managers: botManagers, update_time: String(req.now) };
  emu.db.put('chats', chat.chat_id, next);
  return managersAnswer(emu, next, req);
}

function deleteManagers(req: EmuRequest, emu: Emulator): Reply {
  const { chat, users, bots } = managerChange(req, emu);
  const next: ChatRec = { ...chat, managers: chat.managers.filter((m) => !users.includes(m)), bot_managers: chat.bot_managers.filter((m) => !bots.includes(m)), update_time: String(req.now) };
  emu.db.put('chats', chat.chat_id, next);
  return managersAnswer(emu, next, req);
}

// ---- moderation ----

function getModeration(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const chat = memberGroup(emu, req.params.chat_id, c);
  const list = chat.moderation_setting === 'moderator_list' ? chat.moderators : [];
  const page = paginate(list, `moderators:${chat.chat_id}`, req.query.get('page_token'), size);
  return ok({
    moderation_setting: chat.moderation_setting,
    page_token: page.page_token,
    has_more: page.has_more,
    items: page.items.map((m) => ({ user_id_type: idType, user_id: userIdOut(emu, m, idType), tenant_key: emu.db.t.users.get(m)?.tenant_key ?? '' })),
  });
}

function updateModeration(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const idType = idTypeParam(req.query.get('user_id_type'));
  const chat = memberGroup(emu, req.params.chat_id, c);
  if (!actsAsOwner(chat, c)) throw chatErr.notOwnerOrCreator(chat, c);
  const b = bodyObject(req.json);
  let setting = chat.moderation_setting;
  if (b.moderation_setting !== undefined) {
    if (b.moderation_setting !== 'all_members' && b.moderation_setting !== 'only_owner' && b.moderation_setting !== 'moderator_list') {
      throw chatErr.invalidParam('moderation_setting must be all_members, only_owner or moderator_list');
    }
    setting = b.moderation_setting;
  }
  const resolve = (field: string): string[] =>
    idList(b[field], field, { max: 50 }).map((id) => {
      const u = userById(emu, id, idType);
      if (!u || !chat.members.includes(u.open_id)) throw chatErr.invalidParam(`${field}: user ${id} is not in chat ${chat.chat_id}`);
      return u.open_id;
    });
  const added = resolve('moderator_added_list');
  const removed = resolve('moderator_removed_list');
  if ((added.length || removed.length) && setting !== 'moderator_list') throw chatErr.invalidParam('moderator lists apply only with moderation_setting moderator_list');
  let moderators = setting === 'moderator_list' ? [...chat.moderators] : [];
  for (const a of added) if (!moderators.includes(a)) moderators.push(a);
  moderators = moderators.filter((m) => !removed.includes(m));
  emu.db.put('chats', chat.chat_id, { ...chat, moderation_setting: setting, moderators, update_time: String(req.now) });
  return ok({});
}

// ---- per-user settings ----

function settingKey(openId: string, chatId: string): string {
  return `${openId}:${chatId}`;
}

function settingOf(emu: Emulator, openId: string, chatId: string): { is_muted: boolean; is_mute_at_all: boolean } {
  const p = emu.db.get('user_settings', settingKey(openId, chatId))?.props ?? {};
  return { is_muted: p.is_muted === true, is_mute_at_all: p.is_mute_at_all === true };
}

/** The chat ids a user-setting call may touch: null (with the reason) for one it may not. */
function settingTarget(emu: Emulator, c: Caller, chatId: string): string | null {
  const chat = emu.db.get('chats', chatId);
  if (!chat || chat.deleted) return 'chat not found or has been disbanded';
  if (!isInChat(chat, c)) return 'user is not in the chat';
  return null;
}

function chatIdsBody(req: EmuRequest, max: number): string[] {
  const b = bodyObject(req.json);
  const ids = idList(b.chat_ids, 'chat_ids', { required: true, max });
  if (ids.length === 0) throw chatErr.invalidParam('chat_ids must not be empty');
  return [...new Set(ids)];
}

function settingsQuery(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const items: Record<string, unknown>[] = [];
  const invalid_ids: Array<{ id: string; msg: string }> = [];
  for (const id of chatIdsBody(req, 10)) {
    const why = settingTarget(emu, c, id);
    if (why) invalid_ids.push({ id, msg: why });
    else items.push({ chat_id: id, ...settingOf(emu, c.actorId, id) });
  }
  return ok({ items, invalid_ids });
}

function settingsUpdate(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const b = bodyObject(req.json);
  const list = b.chat_settings;
  if (!Array.isArray(list) || list.length === 0) throw chatErr.invalidParam('chat_settings must be a non-empty array');
  if (list.length > 10) throw chatErr.invalidParam(`chat_settings has ${list.length} items, at most 10 are allowed`);
  const updates: Array<{ chat_id: string; is_muted?: boolean; is_mute_at_all?: boolean }> = [];
  for (const [i, s] of list.entries()) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw chatErr.invalidParam(`chat_settings[${i}] must be an object`);
    const o = s as Record<string, unknown>;
    if (typeof o.chat_id !== 'string' || !o.chat_id) throw chatErr.invalidParam(`chat_settings[${i}].chat_id is required`);
    for (const k of ['is_muted', 'is_mute_at_all']) if (o[k] !== undefined && typeof o[k] !== 'boolean') throw chatErr.invalidParam(`chat_settings[${i}].${k} must be a boolean`);
    updates.push({ chat_id: o.chat_id, is_muted: o.is_muted as boolean | undefined, is_mute_at_all: o.is_mute_at_all as boolean | undefined });
  }
  const invalid_ids: Array<{ id: string; msg: string }> = [];
  for (const u of updates) {
    const why = settingTarget(emu, c, u.chat_id);
    if (why) {
      invalid_ids.push({ id: u.chat_id, msg: why });
      continue;
    }
    const key = settingKey(c.actorId, u.chat_id);
    const prev = emu.db.get('user_settings', key);
    const props = { ...(prev?.props ?? {}) };
    if (u.is_muted !== undefined) props.is_muted = u.is_muted;
    if (u.is_mute_at_all !== undefined) props.is_mute_at_all = u.is_mute_at_all;
    const rec: UserSettingRec = { key, open_id: c.actorId, chat_id: u.chat_id, props };
    emu.db.put('user_settings', key, rec);
  }
  return ok({ invalid_ids });
}

function muteStatus(req: EmuRequest, emu: Emulator): Reply {
  const c = caller(req);
  const items: Record<string, unknown>[] = [];
  const invalid_id_list: Array<{ id: string; msg: string }> = [];
  for (const id of chatIdsBody(req, 100)) {
    const why = settingTarget(emu, c, id);
    if (why) invalid_id_list.push({ id, msg: why });
    else items.push({ chat_id: id, is_muted: settingOf(emu, c.actorId, id).is_muted });
  }
  return ok({ items, invalid_id_list });
}

const SETTINGS_READ = ['im:chat:read', 'im:chat:readonly', 'im:chat', 'im:chat.user_setting:read'];

export const routes: Route[] = [
  { method: 'GET', path: `${V1}/chats/:chat_id/members/bots`, auth: 'any', scopes: MEMBERS_READ, handler: listBots },
  { method: 'GET', path: `${V1}/chats/:chat_id/members/is_in_chat`, auth: 'any', scopes: MEMBERS_READ, handler: isInChatRoute },
  { method: 'GET', path: `${V1}/chats/:chat_id/members/list`, auth: 'any', scopes: MEMBERS_READ, handler: listAllMembers },
  { method: 'POST', path: `${V1}/chats/:chat_id/members`, auth: 'any', scopes: MEMBERS_WRITE, handler: addMembers },
  { method: 'DELETE', path: `${V1}/chats/:chat_id/members`, auth: 'any', scopes: MEMBERS_WRITE, handler: removeMembers },
  { method: 'GET', path: `${V1}/chats/:chat_id/members`, auth: 'any', scopes: MEMBERS_READ, handler: listMembers },
  { method: 'POST', path: `${V1}/chats/:chat_id/managers/add_managers`, auth: 'any', scopes: MANAGERS_WRITE, handler: addManagers },
  { method: 'POST', path: `${V1}/chats/:chat_id/managers/delete_managers`, auth: 'any', scopes: MANAGERS_WRITE, handler: deleteManagers },
  { method: 'GET', path: `${V1}/chats/:chat_id/moderation`, auth: 'any', scopes: ['im:chat:readonly', 'im:chat', 'im:chat.moderation:read'], handler: getModeration },
  { method: 'PUT', path: `${V1}/chats/:chat_id/moderation`, auth: 'any', scopes: ['im:chat', 'im:chat:moderation:write_only'], handler: updateModeration },
  { method: 'POST', path: `${V1}/chat_user_setting/batch_query`, auth: 'user', scopes: SETTINGS_READ, handler: settingsQuery },
  { method: 'POST', path: `${V1}/chat_user_setting/batch_update`, auth: 'user', scopes: ['im:chat', 'im:chat.user_setting:write'], handler: settingsUpdate },
  { method: 'POST', path: `${V1}/chat_user_setting/batch_get_mute_status`, auth: 'user', scopes: SETTINGS_READ, handler: muteStatus },
];
