/**
 * The message domain's rules, shared by the message endpoints, the admin API and seeds: who a
 * `receive_id` names (a chat, or the p2p chat with a user, made on demand), whether a msg_type and
 * its content are what Lark accepts, who may speak in a moderated chat, user id kinds, and the
 * read model (who has read what) behind read_users and read_status.
 */
import type { Caller } from '../access.js';
import { fieldError, invalidParam, LarkError, newId } from '../lark.js';
import type { ChatRec, Db, MessageRec, UserRec } from '../state.js';

/** msg_types a client may send with POST /messages (merge_forward only comes from merge_forward). */
export const SENDABLE_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system'] as const;

/** Lark's content limits: 150 KB for text, 30 KB for cards and rich text. */
const TEXT_LIMIT = 150 * 1024;
const CARD_LIMIT = 30 * 1024;

export const USER_ID_TYPES = ['open_id', 'user_id', 'union_id'] as const;
export type UserIdType = (typeof USER_ID_TYPES)[number];

// ---- user ids ----

/** A user by an id of the given kind (open_id, user_id, union_id, email). */
export function findUser(db: Db, id: string, type: string): UserRec | undefined {
  if (type === 'open_id') return db.t.users.get(id);
  for (const u of db.t.users.values()) {
    if (type === 'user_id' && u.user_id === id) return u;
    if (type === 'union_id' && u.union_id === id) return u;
    if (type === 'email' && u.email.toLowerCase() === id.toLowerCase()) return u;
  }
  return undefined;
}

/** The user's id of the given kind (open_id when the kind is unknown, or for a non-user id). */
export function userIdAs(db: Db, openId: string, type: string | null | undefined): string {
  if (!type || type === 'open_id') return openId;
  const u = db.t.users.get(openId);
  if (!u) return openId;
  if (type === 'user_id') return u.user_id;
  if (type === 'union_id') return u.union_id;
  return openId;
}

/** A `user_id_type` query parameter: open_id by default, Lark's field error when unknown. */
export function userIdType(raw: string | null | undefined, required = false): UserIdType {
  if (raw === null || raw === undefined || raw === '') {
    if (required) throw fieldError('user_id_type', 'user_id_type is required');
    return 'open_id';
  }
  if (!(USER_ID_TYPES as readonly string[]).includes(raw)) throw fieldError('user_id_type', `user_id_type must be one of ${USER_ID_TYPES.join(', ')}`);
  return raw as UserIdType;
}

export { botOpenId } from './messages.js';

// ---- p2p chats ----

const p2pMemo = new Map<string, string>();

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The p2p chat between two parties (open_ids or app_ids), if there is one. */
export function findP2P(db: Db, a: string, b: string): ChatRec | undefined {
  const key = pairKey(a, b);
  const memo = p2pMemo.get(key);
  if (memo) {
    const c = db.t.chats.get(memo);
    if (c && !c.deleted && c.chat_mode === 'p2p' && c.p2p_parties?.includes(a) && c.p2p_parties.includes(b)) return c;
    p2pMemo.delete(key);
  }
  for (const c of db.t.chats.values()) {
    if (c.chat_mode !== 'p2p' || c.deleted) continue;
    const p = c.p2p_parties ?? [];
    if (p.length === 2 && p.includes(a) && p.includes(b)) {
      p2pMemo.set(key, c.chat_id);
      return c;
    }
  }
  return undefined;
}

/** The p2p chat between two parties, created on demand (chat_mode p2p, p2p_parties [a, b]). */
export function findOrCreateP2P(db: Db, a: string, b: string, now: number): ChatRec {
  const found = findP2P(db, a, b);
  if (found) return found;
  const isApp = (id: string) => db.t.apps.has(id);
  const tenant = db.t.users.get(a)?.tenant_key ?? db.t.apps.get(a)?.tenant_key ?? db.t.users.get(b)?.tenant_key ?? '';
  const t = String(now);
  const chat: ChatRec = {
    chat_id: newId.chat(),
    name: '',
    description: '',
    chat_mode: 'p2p',
    chat_type: 'private',
    owner_id: a,
    owner_id_type: isApp(a) ? 'app_id' : 'open_id',
    members: [a, b].filter((x) => !isApp(x)),
    bots: [a, b].filter(isApp),
    managers: [],
    bot_managers: [],
    p2p_parties: [a, b],
    create_time: t,
    update_time: t,
    tenant_key: tenant,
    external: false,
    props: {},
    moderation_setting: 'all_members',
    moderators: [],
  };
  db.put('chats', chat.chat_id, chat);
  p2pMemo.set(pairKey(a, b), chat.chat_id);
  return chat;
}

// ---- receivers ----

export const RECEIVE_ID_TYPES = ['chat_id', 'open_id', 'user_id', 'union_id', 'email'] as const;

/** What a receive_id names: a chat (with the thread root when it names a thread). */
export interface Receiver {
  chat: ChatRec;
  /** For receive_id_type thread_id: the thread's root message. */
  threadRoot?: MessageRec;
}

/**
 * Resolves `receive_id_type` + `receive_id` for the caller: a chat as is, a user as the p2p chat
 * between the caller and that user (made on demand), a thread (forwarding only) as its chat and
 * root. Unknown kinds and ids are Lark's errors.
 */
export function resolveReceiver(db: Db, caller: Caller, type: string | null, receiveId: unknown, now: number, allowThread = false): Receiver {
  const kinds: readonly string[] = allowThread ? [...RECEIVE_ID_TYPES, 'thread_id'] : RECEIVE_ID_TYPES;
  if (!type) throw fieldError('receive_id_type', 'receive_id_type is required');
  if (!kinds.includes(type)) throw fieldError('receive_id_type', `receive_id_type must be one of ${kinds.join(', ')}`);
  if (typeof receiveId !== 'string') throw fieldError('receive_id', receiveId === undefined ? 'receive_id is required' : 'receive_id must be a string');
  if (receiveId === '') throw fieldError('receive_id', 'receive_id is required');
  if (type === 'chat_id') {
    const chat = db.t.chats.get(receiveId);
    if (!chat || chat.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, invalid receive_id.', 400, undefined, `chat ${receiveId} does not exist`);
    return { chat };
  }
  if (type === 'thread_id') {
    const thread = db.t.threads.get(receiveId);
    const root = thread ? db.t.messages.get(thread.root_id) : undefined;
    const chat = thread ? db.t.chats.get(thread.chat_id) : undefined;
    if (!thread || !root || !chat || chat.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, invalid receive_id.', 400, undefined, `thread ${receiveId} does not exist`);
    return { chat, threadRoot: root };
  }
  const user = findUser(db, receiveId, type);
  if (!user) throw new LarkError(230001, 'Your request contains an invalid request parameter, invalid receive_id.', 400, undefined, `no user with ${type} ${receiveId}`);
  if (user.open_id === caller.actorId) throw new LarkError(230001, 'Your request contains an invalid request parameter, can not send message to yourself.', 400, undefined, 'a user cannot message themselves');
  if (user.tenant_key !== caller.app.tenant_key) {
    throw new LarkError(230013, 'Bot has NO availability to this user.', 400, undefined, `user ${user.open_id} is in another tenant`);
  }
  return { chat: findOrCreateP2P(db, caller.actorId, user.open_id, now) };
}

// ---- speaking rights ----

/** 230002 outside the chat; 230035 when the chat's moderation lets only some members speak. */
export function requireMaySpeak(chat: ChatRec, caller: Caller): void {
  const inChat = chat.chat_mode === 'p2p' ? (chat.p2p_parties ?? []).includes(caller.actorId) : caller.identity === 'bot' ? chat.bots.includes(caller.app.app_id) : chat.members.includes(caller.actorId);
  if (!inChat) throw new LarkError(230002, 'Bot/User can NOT be out of the chat.', 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`);
  if (chat.chat_mode === 'p2p' || chat.moderation_setting === 'all_members' || !chat.moderation_setting) return;
  const id = caller.actorId;
  const privileged = chat.owner_id === id || (caller.identity === 'bot' ? chat.bot_managers.includes(id) : chat.managers.includes(id));
  if (privileged) return;
  if (chat.moderation_setting === 'moderator_list' && chat.moderators.includes(id)) return;
  throw new LarkError(230035, 'Send Message Permission deny.', 400, undefined, `chat ${chat.chat_id} is moderated (${chat.moderation_setting}) and ${id} may not speak`);
}

// ---- content ----

function bad(msg: string, verdict?: string): LarkError {
  return new LarkError(230001, `Your request contains an invalid request parameter, ${msg}`, 400, undefined, verdict ?? msg);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function requireResource(db: Db, key: unknown, type: 'image' | 'file', field: string): void {
  if (typeof key !== 'string' || key === '') throw bad(`content.${field} is required.`);
  const r = db.t.resources.get(key);
  if (!r || r.type !== type) {
    throw new LarkError(230001, `Your request contains an invalid request parameter, invalid ${field}: ${key}.`, 400, undefined, `${type} ${key} was never uploaded`);
  }
}

function checkPostBody(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v.content !== undefined && !Array.isArray(v.content)) return false;
  if (Array.isArray(v.content) && !v.content.every((line) => Array.isArray(line) && line.every(isObj))) return false;
  if (v.title !== undefined && typeof v.title !== 'string') return false;
  // the attachment zone: [{"key":"file_…"}, …]
  if (v.files !== undefined && !(Array.isArray(v.files) && v.files.every((f) => isObj(f) && typeof f.key === 'string' && f.key !== ''))) return false;
  return true;
}

const POST_LOCALES = /^[a-z]{2}_[a-z]{2}$/;

/**
 * Checks a msg_type and its content string as Lark's send endpoints do: valid JSON of the right
 * shape for the type, keys that were uploaded, chats and users that exist, and the size limits.
 */
export function validateContent(db: Db, msgType: unknown, content: unknown, allowed: readonly string[] = SENDABLE_TYPES): void {
  if (typeof msgType !== 'string' || msgType === '') throw fieldError('msg_type', msgType === undefined ? 'msg_type is required' : 'msg_type must be a string');
  if (typeof content !== 'string') throw fieldError('content', content === undefined ? 'content is required' : 'content must be a string');
  if (!allowed.includes(msgType)) throw bad(`msg_type ${msgType} is not supported.`);
  const size = Buffer.byteLength(content);
  if ((msgType === 'text' && size > TEXT_LIMIT) || ((msgType === 'post' || msgType === 'interactive') && size > CARD_LIMIT)) {
    throw new LarkError(230025, 'The length of the message content reaches its limit.', 400, undefined, `content is ${size} bytes`);
  }
  let c: unknown;
  try {
    c = JSON.parse(content);
  } catch {
    throw bad('content is not a string in json format.');
  }
  if (msgType === 'interactive') {
    const card = isObj(c) ? c : undefined;
    const known = ['elements', 'header', 'config', 'i18n_elements', 'i18n_header', 'body', 'schema', 'card_link', 'type', 'data'];
    if (!card || !Object.keys(card).some((k) => known.includes(k))) throw new LarkError(230099, 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err, please check whether the card json is correct;', 400, undefined, 'the card JSON is not a card');
    if (card.type === 'template' && !(isObj(card.data) && typeof card.data.template_id === 'string')) throw new LarkError(230099, 'Failed to create card content, ext=ErrCode: 200620; ErrMsg: template_id is required;', 400, undefined, 'template card without template_id');
    return;
  }
  if (!isObj(c)) throw bad('content is not a string in json format.');
  switch (msgType) {
    case 'text':
      if (typeof c.text !== 'string') throw bad('content.text is required.');
      if (c.text.trim() === '') throw bad('text content is empty.');
      return;
    case 'post': {
      const bodies = Object.entries(c);
      if (bodies.length === 0) throw bad('post content is empty.');
      // {"zh_cn":{title,content}, …}, or a single body {title, content}
      const direct = 'content' in c || 'title' in c;
      if (direct ? !checkPostBody(c) : !bodies.every(([k, v]) => POST_LOCALES.test(k) && checkPostBody(v))) throw bad('post content is invalid.');
      for (const body of direct ? [c] : bodies.map(([, v]) => v as Record<string, unknown>)) {
        for (const f of (body.files as Array<{ key: string }> | undefined) ?? []) requireResource(db, f.key, 'file', 'files.key');
      }
      return;
    }
    case 'image':
      requireResource(db, c.image_key, 'image', 'image_key');
      return;
    case 'file':
    case 'audio':
      requireResource(db, c.file_key, 'file', 'file_key');
      return;
    case 'media':
      requireResource(db, c.file_key, 'file', 'file_key');
      if (c.image_key !== undefined && c.image_key !== '') requireResource(db, c.image_key, 'image', 'image_key');
      return;
    case 'sticker':
      if (typeof c.file_key !== 'string' || c.file_key === '') throw bad('content.file_key is required.');
      return;
    case 'share_chat': {
      const chat = typeof c.chat_id === 'string' ? db.t.chats.get(c.chat_id) : undefined;
      if (!chat || chat.deleted || chat.chat_mode === 'p2p') throw bad(`invalid chat_id: ${String(c.chat_id ?? '')}.`);
      return;
    }
    case 'share_user':
      if (typeof c.user_id !== 'string' || !db.t.users.has(c.user_id)) throw bad(`invalid user_id: ${String(c.user_id ?? '')}.`);
      return;
    case 'system':
      if (c.type !== 'divider') throw bad('only divider system messages can be sent.');
      return;
    default:
      return;
  }
}

// ---- read model ----

/**
 * Who has read a message: its sender; anyone in `read_by`; and a user whose read mark in the chat
 * (set when they send there or list its messages) is at or past the message. Marks live in the
 * meta table under `read:<chat_id>:<open_id>` as {seq, time}.
 */
export function readMark(db: Db, chatId: string, openId: string): { seq: number; time: string } | undefined {
  const v = db.t.meta.get(`read:${chatId}:${openId}`)?.value as { seq?: unknown; time?: unknown } | undefined;
  if (!v || typeof v.seq !== 'number' || typeof v.time !== 'string') return undefined;
  return { seq: v.seq, time: v.time };
}

/** Moves a user's read mark in a chat forward to `seq` (never back). */
export function markRead(db: Db, chatId: string, openId: string, seq: number, now: number): void {
  if (!db.t.users.has(openId)) return;
  const cur = readMark(db, chatId, openId);
  if (cur && cur.seq >= seq) return;
  const key = `read:${chatId}:${openId}`;
  db.put('meta', key, { key, value: { seq, time: String(now) } });
}

/** When the user read the message (ms string), or undefined when unread. */
export function readTime(db: Db, m: MessageRec, openId: string): string | undefined {
  if (m.sender.id === openId) return m.create_time;
  const explicit = m.read_by?.[openId];
  if (explicit) return explicit;
  const mark = readMark(db, m.chat_id, openId);
  if (mark && mark.seq >= m.seq) return Number(mark.time) >= Number(m.create_time) ? mark.time : m.create_time;
  return undefined;
}
