/**
 * The message endpoints: send, reply, get, mget, list (chat and thread containers), edit, card
 * update, recall, forward, merge_forward, thread forward, read users, read status and the urgent
 * (buzz) notifications. Message-domain rules (receivers, p2p chats, content checks, the read
 * model) live in model/message-rules.ts; making and showing messages in model/messages.ts.
 */
import type { Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { fieldError, invalidParam, LarkError, ok, pageSize, pageToken, paginate, readPageToken, type Reply } from '../lark.js';
import { markRead, readTime, requireMaySpeak, resolveReceiver, userIdAs, userIdType, findUser, validateContent, type Receiver } from '../model/message-rules.js';
import { createMessage, extractMentions, messageOr404, messageView, type MessageViewOptions } from '../model/messages.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, Db, MessageRec } from '../state.js';

const V1 = '/open-apis/im/v1';

/** Accepted scopes (any one suffices), as api/im-methods.json and the shortcut specs name them. */
const SEND_SCOPES = ['im:message', 'im:message:send_as_bot', 'im:message:send', 'im:message.send_as_user'];
const READ_SCOPES = [
  'im:message', 'im:message:readonly', 'im:message:get_as_user', 'im:message.group_msg', 'im:message.group_msg:get_as_user',
  'im:message.p2p_msg', 'im:message.p2p_msg:readonly', 'im:message.p2p_msg:get_as_user', 'im:message.history:readonly',
];
const RECALL_SCOPES = ['im:message:recall', 'im:message', 'im:message:send_as_bot'];
const UPDATE_SCOPES = ['im:message', 'im:message:send_as_bot', 'im:message:update'];
const FORWARD_SCOPES = ['im:message:send_as_bot', 'im:message'];
const READ_USERS_SCOPES = ['im:message:basic', 'im:message:readonly', 'im:message', 'im:message:get_as_user'];
const READ_STATUS_SCOPES = ['im:message:readonly', 'im:message', 'im:message:get_as_user', 'im:message.read_status:readonly'];

/** Idempotency keys last an hour. */
const UUID_TTL_MS = 3600_000;
/** Cards can be updated for 14 days. */
const CARD_UPDATE_WINDOW_MS = 14 * 86400_000;

// ---- request helpers ----

function body(req: EmuRequest): Record<string, unknown> {
  const b = req.json;
  if (b === undefined) return {};
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw fieldError('body', 'the request body must be a JSON object');
  return b as Record<string, unknown>;
}

function callerOf(req: EmuRequest): Caller {
  if (!req.caller) throw new LarkError(99991661, 'Missing access token for authorization. Please make a request with token attached.', 400);
  return req.caller;
}

function viewOpts(req: EmuRequest): MessageViewOptions {
  const t = userIdType(req.query.get('user_id_type'));
  return { userIdType: t, withSenderName: req.query.get('with_sender_name') === 'true' };
}

function checkCardContentType(req: EmuRequest): void {
  const v = req.query.get('card_msg_content_type');
  if (v !== null && v !== '' && v !== 'raw_card_content' && v !== 'user_card_content') {
    throw fieldError('card_msg_content_type', 'card_msg_content_type must be raw_card_content or user_card_content');
  }
}

function optionalUuid(v: unknown, field = 'uuid'): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw fieldError(field, 'uuid must be a string');
  if (v.length > 50) throw fieldError(field, 'uuid must be at most 50 characters');
  return v;
}

function chatOf(db: Db, m: MessageRec): ChatRec {
  const chat = db.t.chats.get(m.chat_id);
  if (!chat || chat.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, message_id is invalid.', 400, undefined, `the chat of ${m.message_id} is gone`);
  return chat;
}

function inChat(chat: ChatRec, caller: Caller): boolean {
  if (chat.chat_mode === 'p2p') return (chat.p2p_parties ?? []).includes(caller.actorId);
  return caller.identity === 'bot' ? chat.bots.includes(caller.app.app_id) : chat.members.includes(caller.actorId);
}

/** 230002 unless the caller is in the message's chat. */
function requireReader(chat: ChatRec, caller: Caller): void {
  if (!inChat(chat, caller)) throw new LarkError(230002, 'Bot/User can NOT be out of the chat.', 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`);
}

function notRecalled(m: MessageRec): void {
  if (m.deleted) throw new LarkError(230011, 'The message is recalled.', 400, undefined, `message ${m.message_id} was recalled`);
}

/** A visible, existing message: 230001 when unknown, 230002 when the caller is outside its chat. */
function readable(emu: Emulator, caller: Caller, id: string | undefined): { m: MessageRec; chat: ChatRec } {
  const m = messageOr404(emu.db, id);
  const chat = chatOf(emu.db, m);
  requireReader(chat, caller);
  return { m, chat };
}

/** The message of an idempotency key, when the key was used within the hour. */
function seen(db: Db, key: string, now: number): MessageRec | undefined {
  const rec = db.t.idempotency.get(key);
  if (!rec || rec.expires_at <= now) return undefined;
  return db.t.messages.get(rec.message_id);
}

function remember(db: Db, key: string, messageId: string, now: number): void {
  db.put('idempotency', key, { key, message_id: messageId, expires_at: now + UUID_TTL_MS });
}

function idemKey(kind: string, caller: Caller, uuid: string, extra = ''): string {
  return `${kind}:${caller.app.app_id}:${caller.actorId}:${uuid}${extra ? ':' + extra : ''}`;
}

/** A forward's idempotency: its receive_id_type, its key (with ?uuid=), and the message an earlier call made. */
function forwardIdem(req: EmuRequest, emu: Emulator, caller: Caller, kind: string, receiveId: unknown): { type: string | null; key?: string; prev?: MessageRec } {
  const uuid = optionalUuid(req.query.get('uuid'));
  const type = req.query.get('receive_id_type');
  const key = uuid ? idemKey(kind, caller, uuid, `${type}:${String(receiveId)}`) : undefined;
  return { type, key, prev: key ? seen(emu.db, key, req.now) : undefined };
}

/**
 * The answer of a call that made message `m`: its idempotency key (if any) remembered, and, after a
 * user speaks in a chat, the chat read by them up to there.
 */
function sent(emu: Emulator, caller: Caller, m: MessageRec, key: string | undefined, now: number): Reply {
  if (key) remember(emu.db, key, m.message_id, now);
  if (caller.identity === 'user') markRead(emu.db, m.chat_id, caller.actorId, m.seq, now);
  return ok(messageView(emu.db, m));
}

// ---- merge_forward trees ----

/** Every message nested in a merge_forward (flat, parents before children). */
function forwardedTree(db: Db, containerId: string): MessageRec[] {
  const byUpper = new Map<string, MessageRec[]>();
  for (const m of db.t.messages.values()) {
    if (!m.upper_message_id) continue;
    const l = byUpper.get(m.upper_message_id);
    if (l) l.push(m);
    else byUpper.set(m.upper_message_id, [m]);
  }
  const out: MessageRec[] = [];
  const walk = (id: string, depth: number): void => {
    if (depth > 20) return;
    const kids = (byUpper.get(id) ?? []).sort((a, b) => Number(a.create_time) - Number(b.create_time) || a.seq - b.seq);
    for (const k of kids) {
      out.push(k);
      if (k.msg_type === 'merge_forward') walk(k.message_id, depth + 1);
    }
  };
  walk(containerId, 0);
  return out;
}

/** Copies `sources` (and, for nested merge_forwards, their children) under a new container. */
function copyUnder(db: Db, chat: ChatRec, sources: MessageRec[], upperId: string): void {
  const tree = new Map<string, MessageRec[]>();
  const kidsOf = (id: string): MessageRec[] => {
    let k = tree.get(id);
    if (!k) {
      k = forwardedTree(db, id).filter((x) => x.upper_message_id === id);
      tree.set(id, k);
    }
    return k;
  };
  const copy = (src: MessageRec, upper: string, depth: number): void => {
    const rec = createMessage(db, { chat, senderId: src.sender.id, msg_type: src.msg_type, content: src.content, now: Number(src.create_time) || 0, upperMessageId: upper });
    if (src.mentions?.length) db.put('messages', rec.message_id, { ...rec, mentions: src.mentions.map((x) => ({ ...x })) });
    if (src.msg_type === 'merge_forward' && depth < 20) for (const k of kidsOf(src.message_id)) copy(k, rec.message_id, depth + 1);
  };
  for (const s of sources) copy(s, upperId, 0);
}

const MERGED_CONTENT = 'Merged and Forwarded Message';

/** A new message in the receiver's chat (or thread) carrying `src`'s type and content. */
function forwardOne(emu: Emulator, caller: Caller, src: MessageRec, to: Receiver, now: number): MessageRec {
  const parent = to.threadRoot;
  const rec = createMessage(emu.db, { chat: to.chat, senderId: caller.actorId, msg_type: src.msg_type, content: src.content, parent, replyInThread: !!parent, now });
  let out = rec;
  if (src.mentions?.length) {
    out = { ...rec, mentions: src.mentions.map((x) => ({ ...x })) };
    emu.db.put('messages', rec.message_id, out);
  }
  if (src.msg_type === 'merge_forward') copyUnder(emu.db, to.chat, forwardedTree(emu.db, src.message_id).filter((x) => x.upper_message_id === src.message_id), rec.message_id);
  return out;
}

// ---- handlers ----

function send(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const type = req.query.get('receive_id_type');
  const uuid = optionalUuid(b.uuid);
  const key = uuid ? idemKey('send', caller, uuid) : undefined;
  if (key) {
    const prev = seen(emu.db, key, req.now);
    if (prev) return ok(messageView(emu.db, prev));
  }
  if (!type) throw fieldError('receive_id_type', 'receive_id_type is required');
  validateContent(emu.db, b.msg_type, b.content);
  // (a user receive_id makes the p2p chat on demand, so only once the content passed)
  const to = resolveReceiver(emu.db, caller, type, b.receive_id, req.now);
  requireMaySpeak(to.chat, caller);
  const m = createMessage(emu.db, { chat: to.chat, senderId: caller.actorId, msg_type: b.msg_type as string, content: b.content as string, uuid, now: req.now });
  return sent(emu, caller, m, key, req.now);
}

function reply(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const uuid = optionalUuid(b.uuid);
  if (b.reply_in_thread !== undefined && typeof b.reply_in_thread !== 'boolean') throw fieldError('reply_in_thread', 'reply_in_thread must be a boolean');
  const key = uuid ? idemKey('reply', caller, uuid) : undefined;
  if (key) {
    const prev = seen(emu.db, key, req.now);
    if (prev) return ok(messageView(emu.db, prev));
  }
  const parent = messageOr404(emu.db, req.params.message_id);
  if (parent.upper_message_id) throw invalidParam('message_id is invalid.');
  const chat = chatOf(emu.db, parent);
  notRecalled(parent);
  validateContent(emu.db, b.msg_type, b.content);
  requireMaySpeak(chat, caller);
  const m = createMessage(emu.db, { chat, senderId: caller.actorId, msg_type: b.msg_type as string, content: b.content as string, parent, replyInThread: b.reply_in_thread === true, uuid, now: req.now });
  return sent(emu, caller, m, key, req.now);
}

function getOne(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  checkCardContentType(req);
  const opts = viewOpts(req);
  const { m } = readable(emu, caller, req.params.message_id);
  const items = [messageView(emu.db, m, opts)];
  if (m.msg_type === 'merge_forward') for (const k of forwardedTree(emu.db, m.message_id)) items.push(messageView(emu.db, k, opts));
  return ok({ items });
}

function mget(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  checkCardContentType(req);
  const opts = viewOpts(req);
  const ids = req.query.getAll('message_ids').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw fieldError('message_ids', 'message_ids is required');
  if (ids.length > 50) throw fieldError('message_ids', 'message_ids supports at most 50 ids');
  const items: Record<string, unknown>[] = [];
  for (const id of ids) {
    const m = emu.db.t.messages.get(id);
    if (!m) continue;
    const chat = emu.db.t.chats.get(m.chat_id);
    if (!chat || chat.deleted || !inChat(chat, caller)) continue;
    items.push(messageView(emu.db, m, opts));
  }
  return ok({ items });
}

function secondsParam(req: EmuRequest, name: string): number | undefined {
  const v = req.query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,12}$/.test(v)) throw fieldError(name, `${name} must be a Unix timestamp in seconds`);
  return Number(v) * 1000;
}

/** First index in `ids` (ordered by seq) whose seq is > `seq`. */
function upperBound(db: Db, ids: string[], seq: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = db.t.messages.get(ids[mid]!)?.seq ?? 0;
    if (s <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function list(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const q = req.query;
  checkCardContentType(req);
  const opts = viewOpts(req);
  const ctype = q.get('container_id_type');
  if (!ctype) throw fieldError('container_id_type', 'container_id_type is required');
  if (ctype !== 'chat' && ctype !== 'thread') throw fieldError('container_id_type', 'container_id_type must be chat or thread');
  const cid = q.get('container_id');
  if (!cid) throw fieldError('container_id', 'container_id is required');
  const sort = q.get('sort_type') || 'ByCreateTimeAsc';
  if (sort !== 'ByCreateTimeAsc' && sort !== 'ByCreateTimeDesc') throw fieldError('sort_type', 'sort_type must be ByCreateTimeAsc or ByCreateTimeDesc');
  const size = pageSize(q.get('page_size'), 20, 50);
  const start = secondsParam(req, 'start_time');
  const endRaw = secondsParam(req, 'end_time');
  const end = endRaw === undefined ? undefined : endRaw + 999;
  if (start !== undefined && end !== undefined && start > end) throw fieldError('start_time', 'start_time must not be later than end_time');
  const rootsOnly = q.get('only_thread_root_messages') === 'true';

  let chat: ChatRec;
  let ids: string[];
  if (ctype === 'chat') {
    const c = emu.db.t.chats.get(cid);
    if (!c || c.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, container_id is invalid.', 400, undefined, `chat ${cid} does not exist`);
    chat = c;
    ids = emu.db.messagesByChat.get(cid) ?? [];
  } else {
    const t = emu.db.t.threads.get(cid);
    const c = t ? emu.db.t.chats.get(t.chat_id) : undefined;
    if (!t || !c || c.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, container_id is invalid.', 400, undefined, `thread ${cid} does not exist`);
    chat = c;
    ids = emu.db.messagesByThread.get(cid) ?? [];
  }
  requireReader(chat, caller);
  const scope = `messages:${ctype}:${cid}:${sort}`;
  const pos = readPageToken(q.get('page_token'), scope);
  const cursor = typeof pos === 'number' ? pos : undefined;
  const desc = sort === 'ByCreateTimeDesc';
  // in a chat, replies inside threads stay in their threads when asked (and always in topic chats)
  const hideThreadReplies = ctype === 'chat' && (rootsOnly || chat.chat_mode === 'topic');
  const fits = (m: MessageRec): boolean => {
    if (hideThreadReplies && m.thread_id && m.root_id) return false;
    if (ctype === 'chat' && start !== undefined && Number(m.create_time) < start) return false;
    if (ctype === 'chat' && end !== undefined && Number(m.create_time) > end) return false;
    return true;
  };
  const page: MessageRec[] = [];
  let more = false;
  // newest first walks down from before the cursor, oldest first up from after it
  const step = desc ? -1 : 1;
  let i = desc ? (cursor === undefined ? ids.length : upperBound(emu.db, ids, cursor - 1)) - 1 : cursor === undefined ? 0 : upperBound(emu.db, ids, cursor);
  for (; i >= 0 && i < ids.length; i += step) {
    const m = emu.db.t.messages.get(ids[i]!);
    if (!m || !fits(m)) continue;
    if (page.length === size) {
      more = true;
      break;
    }
    page.push(m);
  }
  if (caller.identity === 'user' && ids.length) {
    const last = emu.db.t.messages.get(ids[ids.length - 1]!);
    if (last) markRead(emu.db, chat.chat_id, caller.actorId, last.seq, req.now);
  }
  return ok({
    has_more: more,
    page_token: more ? pageToken(scope, page[page.length - 1]!.seq) : '',
    items: page.map((m) => messageView(emu.db, m, opts)),
  });
}

function edit(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const m = messageOr404(emu.db, req.params.message_id);
  const chat = chatOf(emu.db, m);
  validateContent(emu.db, b.msg_type, b.content, ['text', 'post']);
  notRecalled(m);
  requireMaySpeak(chat, caller);
  if (m.sender.id !== caller.actorId) throw new LarkError(230012, 'Bot is NOT the sender of the message.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}, not ${caller.actorId}`);
  if (m.msg_type !== 'text' && m.msg_type !== 'post') throw invalidParam(`the message type ${m.msg_type} can not be edited, only text and post messages can.`);
  const { content, mentions } = extractMentions(emu.db, b.msg_type as string, b.content as string);
  const next: MessageRec = { ...m, msg_type: b.msg_type as string, content, updated: true, update_time: String(req.now) };
  if (mentions.length) next.mentions = mentions;
  else delete next.mentions;
  emu.db.put('messages', m.message_id, next);
  return ok(messageView(emu.db, next));
}

function patchCard(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const m = messageOr404(emu.db, req.params.message_id);
  const chat = chatOf(emu.db, m);
  validateContent(emu.db, 'interactive', b.content, ['interactive']);
  notRecalled(m);
  requireReader(chat, caller);
  if (m.msg_type !== 'interactive') throw invalidParam('only interactive (card) messages can be updated this way.');
  if (m.sender.id !== caller.actorId) {
    if (caller.identity === 'bot') throw new LarkError(230012, 'Bot is NOT the sender of the message.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}`);
    throw new LarkError(230027, 'Lack of necessary permissions.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}, not ${caller.actorId}`);
  }
  if (req.now - Number(m.create_time) > CARD_UPDATE_WINDOW_MS) throw new LarkError(230031, 'Message can only be modified within 14 days after sending.', 400);
  emu.db.put('messages', m.message_id, { ...m, content: b.content as string, update_time: String(req.now) });
  return ok({});
}

function recall(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const m = messageOr404(emu.db, req.params.message_id);
  const chat = chatOf(emu.db, m);
  requireReader(chat, caller);
  notRecalled(m);
  if (m.sender.id !== caller.actorId) {
    const id = caller.actorId;
    const admin = chat.chat_mode !== 'p2p' && (chat.owner_id === id || (caller.identity === 'bot' ? chat.bot_managers.includes(id) : chat.managers.includes(id)));
    if (!admin) throw new LarkError(230026, 'No permission to recall this message.', 400, undefined, `${id} neither sent ${m.message_id} nor manages ${chat.chat_id}`);
  }
  emu.db.put('messages', m.message_id, { ...m, deleted: true, update_time: String(req.now) });
  return ok({});
}

function forward(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const { type, key, prev } = forwardIdem(req, emu, caller, 'forward', b.receive_id);
  if (prev) return ok(messageView(emu.db, prev));
  const { m } = readable(emu, caller, req.params.message_id);
  notRecalled(m);
  if (m.msg_type === 'system') throw invalidParam('system messages can not be forwarded.');
  const to = resolveReceiver(emu.db, caller, type, b.receive_id, req.now, true);
  requireMaySpeak(to.chat, caller);
  const out = forwardOne(emu, caller, m, to, req.now);
  return sent(emu, caller, out, key, req.now);
}

function mergeForward(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const list = b.message_id_list;
  if (!Array.isArray(list) || list.length === 0) throw fieldError('message_id_list', list === undefined ? 'message_id_list is required' : 'message_id_list must be a non-empty array');
  if (list.length > 100) throw fieldError('message_id_list', 'message_id_list supports at most 100 ids');
  if (!list.every((x) => typeof x === 'string')) throw fieldError('message_id_list', 'message_id_list must be an array of strings');
  const { type, key, prev } = forwardIdem(req, emu, caller, 'merge_forward', b.receive_id);
  if (prev) return ok({ message: messageView(emu.db, prev), invalid_message_id_list: [] });
  const to = resolveReceiver(emu.db, caller, type, b.receive_id, req.now, true);
  const valid: MessageRec[] = [];
  const invalid: string[] = [];
  let fromChat: string | undefined;
  for (const id of list as string[]) {
    const m = emu.db.t.messages.get(id);
    const chat = m ? emu.db.t.chats.get(m.chat_id) : undefined;
    if (!m || m.deleted || m.upper_message_id || !chat || chat.deleted || !inChat(chat, caller) || m.msg_type === 'system' || valid.some((v) => v.message_id === id)) {
      invalid.push(id);
      continue;
    }
    if (fromChat && m.chat_id !== fromChat) throw invalidParam('the messages to merge must come from the same chat.');
    fromChat = m.chat_id;
    valid.push(m);
  }
  if (valid.length === 0) throw new LarkError(230001, 'Your request contains an invalid request parameter, message_id_list is invalid.', 400, undefined, 'no message of message_id_list can be forwarded');
  requireMaySpeak(to.chat, caller);
  valid.sort((a, b2) => Number(a.create_time) - Number(b2.create_time) || a.seq - b2.seq);
  const parent = to.threadRoot;
  const container = createMessage(emu.db, { chat: to.chat, senderId: caller.actorId, msg_type: 'merge_forward', content: MERGED_CONTENT, parent, replyInThread: !!parent, now: req.now });
  copyUnder(emu.db, to.chat, valid, container.message_id);
  if (key) remember(emu.db, key, container.message_id, req.now);
  return ok({ message: messageView(emu.db, container), invalid_message_id_list: invalid });
}

function forwardThread(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const { type, key, prev } = forwardIdem(req, emu, caller, 'thread_forward', b.receive_id);
  if (prev) return ok(messageView(emu.db, prev));
  const tid = req.params.thread_id;
  const thread = tid ? emu.db.t.threads.get(tid) : undefined;
  const chat = thread ? emu.db.t.chats.get(thread.chat_id) : undefined;
  if (!thread || !chat || chat.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, thread_id is invalid.', 400, undefined, `thread ${tid ?? ''} does not exist`);
  requireReader(chat, caller);
  const msgs = (emu.db.messagesByThread.get(thread.thread_id) ?? []).map((id) => emu.db.t.messages.get(id)).filter((m): m is MessageRec => !!m && !m.deleted);
  if (msgs.length === 0) throw new LarkError(230011, 'The message is recalled.', 400, undefined, `every message of ${thread.thread_id} was recalled`);
  const to = resolveReceiver(emu.db, caller, type, b.receive_id, req.now, true);
  requireMaySpeak(to.chat, caller);
  const parent = to.threadRoot;
  const container = createMessage(emu.db, { chat: to.chat, senderId: caller.actorId, msg_type: 'merge_forward', content: MERGED_CONTENT, parent, replyInThread: !!parent, now: req.now });
  copyUnder(emu.db, to.chat, msgs, container.message_id);
  return sent(emu, caller, container, key, req.now);
}

function readUsers(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const idType = userIdType(req.query.get('user_id_type'), true);
  const size = pageSize(req.query.get('page_size'), 20, 100);
  const { m, chat } = readable(emu, caller, req.params.message_id);
  if (m.sender.id !== caller.actorId) {
    if (caller.identity === 'bot') throw new LarkError(230012, 'Bot is NOT the sender of the message.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}`);
    throw new LarkError(230027, 'Lack of necessary permissions.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}, not ${caller.actorId}`);
  }
  if (req.now - Number(m.create_time) > 7 * 86400_000) throw invalidParam('only messages sent within the last 7 days can be queried.');
  const readers: Array<{ user_id_type: string; user_id: string; timestamp: string; tenant_key: string }> = [];
  for (const openId of chat.members) {
    if (openId === m.sender.id) continue;
    const t = readTime(emu.db, m, openId);
    if (!t) continue;
    readers.push({ user_id_type: idType, user_id: userIdAs(emu.db, openId, idType), timestamp: t, tenant_key: emu.db.t.users.get(openId)?.tenant_key ?? '' });
  }
  readers.sort((a, b) => Number(a.timestamp) - Number(b.timestamp) || (a.user_id < b.user_id ? -1 : 1));
  const p = paginate(readers, `read_users:${m.message_id}:${idType}`, req.query.get('page_token'), size);
  return ok({ items: p.items, has_more: p.has_more, page_token: p.page_token });
}

function readStatus(req: EmuRequest, emu: Emulator): Reply {
  const caller = callerOf(req);
  const b = body(req);
  const ids = b.message_ids;
  if (!Array.isArray(ids) || ids.length === 0) throw fieldError('message_ids', ids === undefined ? 'message_ids is required' : 'message_ids must be a non-empty array');
  if (ids.length > 50) throw fieldError('message_ids', 'message_ids supports at most 50 ids');
  if (!ids.every((x) => typeof x === 'string')) throw fieldError('message_ids', 'message_ids must be an array of strings');
  const read_statuses = (ids as string[]).map((id) => {
    const m = emu.db.t.messages.get(id);
    const chat = m ? emu.db.t.chats.get(m.chat_id) : undefined;
    if (!m || !chat) return { message_id: id, read_status: 'unexpected', unexpected_reason: 'invalid' };
    if (chat.deleted || !inChat(chat, caller)) return { message_id: id, read_status: 'unexpected', unexpected_reason: 'no_permission' };
    if (m.upper_message_id || m.deleted) return { message_id: id, read_status: 'unexpected', unexpected_reason: 'not_support' };
    return { message_id: id, read_status: readTime(emu.db, m, caller.actorId) ? 'read' : 'unread' };
  });
  return ok({ read_statuses });
}

function urgent(kind: 'app' | 'phone' | 'sms') {
  return (req: EmuRequest, emu: Emulator): Reply => {
    const caller = callerOf(req);
    const idType = req.query.get('user_id_type');
    if (!idType) throw fieldError('user_id_type', 'user_id_type is required');
    if (!['open_id', 'user_id', 'union_id'].includes(idType)) throw fieldError('user_id_type', 'user_id_type must be one of open_id, user_id, union_id');
    const b = body(req);
    const list = b.user_id_list;
    if (!Array.isArray(list) || list.length === 0) throw fieldError('user_id_list', list === undefined ? 'user_id_list is required' : 'user_id_list must be a non-empty array');
    if (list.length > 200) throw fieldError('user_id_list', 'user_id_list supports at most 200 ids');
    if (!list.every((x) => typeof x === 'string')) throw fieldError('user_id_list', 'user_id_list must be an array of strings');
    const m = messageOr404(emu.db, req.params.message_id);
    const chat = chatOf(emu.db, m);
    notRecalled(m);
    requireReader(chat, caller);
    if (m.sender.id !== caller.actorId) throw new LarkError(230012, 'Bot is NOT the sender of the message.', 400, undefined, `${m.message_id} was sent by ${m.sender.id}`);
    const valid: string[] = [];
    const invalid: string[] = [];
    for (const id of list as string[]) {
      const u = findUser(emu.db, id, idType);
      if (u && chat.members.includes(u.open_id)) {
        if (!valid.includes(u.open_id)) valid.push(u.open_id);
      } else invalid.push(id);
    }
    if (valid.length === 0) throw new LarkError(230001, 'Your request contains an invalid request parameter, user_id_list is invalid.', 400, undefined, 'no user of user_id_list is in the chat');
    const prev = m.urgent?.[kind] ?? [];
    emu.db.put('messages', m.message_id, { ...m, urgent: { ...(m.urgent ?? {}), [kind]: [...prev, ...valid.filter((x) => !prev.includes(x))] } });
    return ok({ invalid_user_id_list: invalid });
  };
}

export const routes: Route[] = [
  // literal paths before /messages/:message_id
  { method: 'POST', path: `${V1}/messages/merge_forward`, auth: 'tenant', scopes: FORWARD_SCOPES, handler: mergeForward },
  { method: 'POST', path: `${V1}/messages/read_status`, auth: 'user', scopes: READ_STATUS_SCOPES, handler: readStatus },
  { method: 'POST', path: `${V1}/messages/batch_query_read_status`, auth: 'user', scopes: READ_STATUS_SCOPES, handler: readStatus },
  { method: 'GET', path: `${V1}/messages/mget`, auth: 'any', scopes: READ_SCOPES, handler: mget },
  { method: 'POST', path: `${V1}/messages`, auth: 'any', scopes: SEND_SCOPES, handler: send },
  { method: 'GET', path: `${V1}/messages`, auth: 'any', scopes: READ_SCOPES, handler: list },
  { method: 'GET', path: `${V1}/messages/:message_id`, auth: 'any', scopes: READ_SCOPES, handler: getOne },
  { method: 'PUT', path: `${V1}/messages/:message_id`, auth: 'tenant', scopes: UPDATE_SCOPES, handler: edit },
  { method: 'PATCH', path: `${V1}/messages/:message_id`, auth: 'any', scopes: UPDATE_SCOPES, handler: patchCard },
  { method: 'DELETE', path: `${V1}/messages/:message_id`, auth: 'any', scopes: RECALL_SCOPES, handler: recall },
  { method: 'POST', path: `${V1}/messages/:message_id/reply`, auth: 'any', scopes: SEND_SCOPES, handler: reply },
  { method: 'POST', path: `${V1}/messages/:message_id/forward`, auth: 'any', scopes: FORWARD_SCOPES, handler: forward },
  { method: 'GET', path: `${V1}/messages/:message_id/read_users`, auth: 'any', scopes: READ_USERS_SCOPES, handler: readUsers },
  { method: 'PATCH', path: `${V1}/messages/:message_id/urgent_app`, auth: 'tenant', scopes: ['im:message.urgent', 'im:message.urgent:app_send'], handler: urgent('app') },
  { method: 'PATCH', path: `${V1}/messages/:message_id/urgent_phone`, auth: 'tenant', scopes: ['im:message.urgent:phone', 'im:message.urgent:phone_send'], handler: urgent('phone') },
  { method: 'PATCH', path: `${V1}/messages/:message_id/urgent_sms`, auth: 'tenant', scopes: ['im:message.urgent:sms', 'im:message.urgent:sms_send'], handler: urgent('sms') },
  { method: 'POST', path: '/open-apis/im/v1/threads/:thread_id/forward', auth: 'any', scopes: FORWARD_SCOPES, handler: forwardThread },
];
