/**
 * Chat logic the chat, member and contact endpoints share: Lark's chat object in its several
 * shapes (chats.get, the list/batch_query item, the search meta_data), id types, the chat-level
 * error codes (232xxx), and the role rules (owner, manager, the creator bot).
 */
import { appHasScope, isInChat, isManager, isOwner, type Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError } from '../lark.js';
import type { ChatRec, UserRec } from '../state.js';

export type UserIdType = 'open_id' | 'union_id' | 'user_id';

// ---- the chat-level errors, as Lark words them ----

export const chatErr = {
  invalidParam: (why: string) => new LarkError(232001, 'Your request contains an invalid request parameter.', 400, undefined, why),
  appNotExist: (id: string) => new LarkError(232004, 'Such an app does NOT exist.', 400, undefined, `unknown app ${id}`),
  invalidChatId: (id: string) => new LarkError(232006, 'Your request specifies a chat_id which is invalid.', 400, undefined, `chat ${id} does not exist`),
  unsupportedChat: (chat: ChatRec) =>
    new LarkError(232008, 'Your request specifies a chat whose type is NOT supported currently.', 400, undefined, `chat ${chat.chat_id} is a ${chat.chat_mode} chat: group operations do not apply`),
  dissolved: (id: string) => new LarkError(232009, 'Your request specifies a chat which has already been dissolved.', 400, undefined, `chat ${id} was disbanded`),
  outOfChat: (chat: ChatRec, caller: Caller) =>
    new LarkError(232011, 'Operator can NOT be out of the chat.', 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`),
  idTypeUnsupported: (t: string) => new LarkError(232015, 'Your request specifies a member_id_type which is NOT supported.', 400, undefined, `unsupported id type "${t}"`),
  notOwnerOrCreator: (chat: ChatRec, caller: Caller) =>
    new LarkError(
      232017,
      'No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.',
      400,
      undefined,
      `${caller.identity} ${caller.actorId} is neither the owner of ${chat.chat_id} nor its creator bot with im:chat:operate_as_owner`,
    ),
  botDisabled: (appId: string) => new LarkError(232025, 'Bot ability is not activated.', 400, undefined, `app ${appId} has no bot ability`),
  noValidMembers: (why: string) => new LarkError(232027, 'There are no valid members in the ID list specified in your request.', 400, undefined, why),
  invalidUserId: (id: string) => new LarkError(232030, 'Your request specifies a user_id which is invalid.', 400, undefined, `unknown user ${id}`),
};

// ---- ids ----

/** A user_id_type / member_id_type query value (default open_id); anything else is 232015. */
export function idTypeParam(raw: string | null, allowed: readonly string[] = ['open_id', 'union_id', 'user_id'], def = 'open_id'): string {
  if (raw === null || raw === '') return def;
  if (!allowed.includes(raw)) throw chatErr.idTypeUnsupported(raw);
  return raw;
}

/** The user an id of the given type names. */
export function userById(emu: Emulator, id: unknown, type: string): UserRec | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  if (type === 'open_id') return emu.db.t.users.get(id);
  for (const u of emu.db.t.users.values()) if ((type === 'union_id' ? u.union_id : u.user_id) === id) return u;
  return undefined;
}

/** A user's id in the given type (an open_id that names no user is passed through). */
export function userIdOut(emu: Emulator, openId: string, type: string): string {
  if (type === 'open_id') return openId;
  const u = emu.db.t.users.get(openId);
  if (!u) return openId;
  return type === 'union_id' ? u.union_id : u.user_id;
}

/** Body arrays of id strings: absent -> [], anything but an array of strings is a 232001. */
export function idList(v: unknown, field: string, opts: { required?: boolean; max?: number } = {}): string[] {
  if (v === undefined || v === null) {
    if (opts.required) throw chatErr.invalidParam(`${field} is required`);
    return [];
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw chatErr.invalidParam(`${field} must be an array of strings`);
  if (opts.max !== undefined && v.length > opts.max) throw chatErr.invalidParam(`${field} has ${v.length} items, at most ${opts.max} are allowed`);
  return v as string[];
}

/** The JSON body as an object ({} when there is none); anything else is a 232001. */
export function bodyObject(json: unknown): Record<string, unknown> {
  if (json === undefined || json === null) return {};
  if (typeof json !== 'object' || Array.isArray(json)) throw chatErr.invalidParam('the body must be a JSON object');
  return json as Record<string, unknown>;
}

// ---- existence and roles ----

/** The chat for a chat endpoint: unknown 232006, disbanded 232009. */
export function chatForChatApi(emu: Emulator, chatId: string | undefined): ChatRec {
  const chat = chatId ? emu.db.get('chats', chatId) : undefined;
  if (!chat) throw chatErr.invalidChatId(chatId ?? '');
  if (chat.deleted) throw chatErr.dissolved(chat.chat_id);
  return chat;
}

/** Group operations (settings, members, managers, moderation, links) do not apply to p2p chats. */
export function requireGroup(chat: ChatRec): void {
  if (chat.chat_mode === 'p2p') throw chatErr.unsupportedChat(chat);
}

export function requireMember(chat: ChatRec, caller: Caller): void {
  if (!isInChat(chat, caller)) throw chatErr.outOfChat(chat, caller);
}

/** The chat of a group operation by one of its members: chatForChatApi, requireGroup, requireMember, in that order. */
export function memberGroup(emu: Emulator, chatId: string | undefined, caller: Caller): ChatRec {
  const chat = chatForChatApi(emu, chatId);
  requireGroup(chat);
  requireMember(chat, caller);
  return chat;
}

/** The bot that created the chat and holds im:chat:operate_as_owner acts as its owner. */
export function isCreatorBot(chat: ChatRec, caller: Caller): boolean {
  return caller.identity === 'bot' && chat.props._creator === caller.app.app_id && appHasScope(caller.app, 'im:chat:operate_as_owner');
}

export function actsAsOwner(chat: ChatRec, caller: Caller): boolean {
  return isOwner(chat, caller) || isCreatorBot(chat, caller);
}

export function actsAsManager(chat: ChatRec, caller: Caller): boolean {
  return isManager(chat, caller) || isCreatorBot(chat, caller);
}

/** Whether the caller may see the chat at all (a member, or a public group of its tenant). */
export function canSee(chat: ChatRec, caller: Caller): boolean {
  if (chat.deleted) return false;
  if (isInChat(chat, caller)) return true;
  return chat.chat_mode !== 'p2p' && chat.chat_type === 'public' && chat.tenant_key === caller.app.tenant_key;
}

// ---- views ----

const DEFAULT_PROPS: Record<string, unknown> = {
  avatar: 'https://s1-imfile.feishucdn.com/static-resource/v1/v2_default_chat_avatar~noop.image',
  i18n_names: {},
  add_member_permission: 'all_members',
  share_card_permission: 'allowed',
  at_all_permission: 'all_members',
  edit_permission: 'all_members',
  join_message_visibility: 'all_members',
  leave_message_visibility: 'all_members',
  membership_approval: 'no_approval_required',
  labels: [],
  toolkit_ids: [],
  restricted_mode_setting: { status: false, screenshot_has_permission_setting: 'all_members', download_has_permission_setting: 'all_members', message_has_permission_setting: 'all_members' },
  urgent_setting: 'all_members',
  video_conference_setting: 'all_members',
  pin_manage_setting: 'all_members',
  hide_member_count_setting: 'all_members',
};

/** A group setting: the chat's own value or Lark's default. */
export function prop(chat: ChatRec, key: string): unknown {
  return key in chat.props ? chat.props[key] : DEFAULT_PROPS[key];
}

function ownerFields(emu: Emulator, chat: ChatRec, idType: string): Record<string, unknown> {
  // a bot-owned chat answers an empty owner (Lark does not name bots as owners)
  if (chat.owner_id_type === 'app_id') return { owner_id: '', owner_id_type: '' };
  return { owner_id: userIdOut(emu, chat.owner_id, idType), owner_id_type: idType };
}

function moderationPermission(chat: ChatRec): string {
  return chat.moderation_setting === 'only_owner' ? 'only_owner' : chat.moderation_setting === 'moderator_list' ? 'moderator_list' : 'all_members';
}

/** The peer of a p2p chat, seen from the caller. */
export function p2pPeer(chat: ChatRec, caller: Caller): { id: string; type: 'user' | 'bot' } | undefined {
  const me = caller.identity === 'bot' ? caller.app.app_id : caller.actorId;
  const parties = chat.p2p_parties ?? [];
  const other = parties.find((p) => p !== me) ?? parties[0];
  if (!other) return undefined;
  return { id: other, type: other.startsWith('ou_') ? 'user' : 'bot' };
}

function chatStatus(chat: ChatRec): string {
  return chat.deleted ? 'dissolved' : 'normal';
}

/** The full chats.get object (also the create answer, with chat_id). */
export function chatView(emu: Emulator, chat: ChatRec, caller: Caller, idType: string): Record<string, unknown> {
  if (chat.chat_mode === 'p2p') {
    const peer = p2pPeer(chat, caller);
    return {
      avatar: '',
      name: '',
      description: '',
      chat_mode: 'p2p',
      chat_type: 'private',
      chat_tag: 'inner',
      external: chat.external,
      tenant_key: chat.tenant_key,
      user_count: String(chat.members.length),
      bot_count: String(chat.bots.length),
      chat_status: chatStatus(chat),
      p2p_target_id: peer ? userIdOut(emu, peer.id, idType) : '',
      p2p_target_type: peer?.type ?? '',
    };
  }
  const v: Record<string, unknown> = {
    avatar: prop(chat, 'avatar'),
    name: chat.name,
    description: chat.description,
    i18n_names: prop(chat, 'i18n_names'),
    add_member_permission: prop(chat, 'add_member_permission'),
    share_card_permission: prop(chat, 'share_card_permission'),
    at_all_permission: prop(chat, 'at_all_permission'),
    edit_permission: prop(chat, 'edit_permission'),
    ...ownerFields(emu, chat, idType),
    user_manager_id_list: chat.managers.map((m) => userIdOut(emu, m, idType)),
    bot_manager_id_list: [...chat.bot_managers],
    group_message_type: (chat.props.group_message_type as string | undefined) ?? (chat.chat_mode === 'topic' ? 'thread' : 'chat'),
    chat_mode: chat.chat_mode,
    chat_type: chat.chat_type,
    chat_tag: chat.external ? 'external' : 'inner',
    join_message_visibility: prop(chat, 'join_message_visibility'),
    leave_message_visibility: prop(chat, 'leave_message_visibility'),
    membership_approval: prop(chat, 'membership_approval'),
    moderation_permission: moderationPermission(chat),
    external: chat.external,
    tenant_key: chat.tenant_key,
    labels: prop(chat, 'labels'),
    toolkit_ids: prop(chat, 'toolkit_ids'),
    restricted_mode_setting: prop(chat, 'restricted_mode_setting'),
    urgent_setting: prop(chat, 'urgent_setting'),
    video_conference_setting: prop(chat, 'video_conference_setting'),
    pin_manage_setting: prop(chat, 'pin_manage_setting'),
    hide_member_count_setting: prop(chat, 'hide_member_count_setting'),
    user_count: String(chat.members.length),
    bot_count: String(chat.bots.length),
    chat_status: chatStatus(chat),
  };
  return v;
}

/** What a caller outside a public chat may see of it. */
export function publicView(emu: Emulator, chat: ChatRec, idType: string): Record<string, unknown> {
  return {
    avatar: prop(chat, 'avatar'),
    name: chat.name,
    description: chat.description,
    i18n_names: prop(chat, 'i18n_names'),
    ...ownerFields(emu, chat, idType),
    chat_mode: chat.chat_mode,
    chat_type: chat.chat_type,
    chat_tag: chat.external ? 'external' : 'inner',
    external: chat.external,
    tenant_key: chat.tenant_key,
    user_count: String(chat.members.length),
    bot_count: String(chat.bots.length),
    chat_status: chatStatus(chat),
  };
}

/** A row of GET /im/v1/chats and of chats/batch_query. */
export function chatListItem(emu: Emulator, chat: ChatRec, caller: Caller, idType: string, p2pName: 'peer' | 'empty'): Record<string, unknown> {
  if (chat.chat_mode === 'p2p') {
    const peer = p2pPeer(chat, caller);
    return {
      chat_id: chat.chat_id,
      avatar: '',
      name: p2pName === 'peer' && peer ? emu.displayName(peer.id) : '',
      description: '',
      external: chat.external,
      tenant_key: chat.tenant_key,
      chat_status: chatStatus(chat),
      chat_mode: 'p2p',
      p2p_target_type: peer?.type ?? '',
      p2p_target_id: peer ? (peer.type === 'user' ? userIdOut(emu, peer.id, idType) : peer.id) : '',
    };
  }
  return {
    chat_id: chat.chat_id,
    avatar: prop(chat, 'avatar'),
    name: chat.name,
    description: chat.description,
    ...ownerFields(emu, chat, idType),
    external: chat.external,
    tenant_key: chat.tenant_key,
    chat_status: chatStatus(chat),
    chat_mode: chat.chat_mode,
  };
}

/** The time of the chat's last activity (its newest message, else its last update). */
export function activeTime(emu: Emulator, chat: ChatRec): number {
  const ids = emu.db.messagesByChat.get(chat.chat_id);
  const last = ids && ids.length ? emu.db.t.messages.get(ids[ids.length - 1]!) : undefined;
  return Math.max(Number(last?.create_time ?? 0), Number(chat.update_time), Number(chat.create_time));
}

/** Whether the user or app id is in the chat (as a user member or a bot). */
export function memberIn(chat: ChatRec, id: string): boolean {
  if (chat.chat_mode === 'p2p') return (chat.p2p_parties ?? []).includes(id);
  return chat.members.includes(id) || chat.bots.includes(id);
}
