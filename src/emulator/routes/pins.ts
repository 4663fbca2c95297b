/**
 * Emulated endpoints: pins. Pin a message in its chat (pinning a pinned message answers the
 * existing pin, as Lark documents), unpin it, and list a chat's pins newest first within an
 * optional time window. Error codes are Lark's 2300xx of the pin endpoints.
 */
import { isManager, requireInChatForMessages, type Caller } from '../access.js';
import { Emulator } from '../emulator.js';
import { fieldError, invalidParam, LarkError, ok, pageSize, pageToken, readPageToken, type Reply } from '../lark.js';
import { messageOr404 } from '../model/messages.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, MessageRec, PinRec } from '../state.js';

const WRITE_SCOPES = ['im:message:send_as_bot', 'im:message', 'im:message.pins:write_only'];
const READ_SCOPES = ['im:message:readonly', 'im:message', 'im:message.pins:read'];

function chatGone(chatId: string): LarkError {
  return new LarkError(230045, 'The chat not exist.', 400, undefined, `chat ${chatId} does not exist or was disbanded`);
}

function requireBotAbility(caller: Caller): void {
  if (caller.identity === 'bot' && !caller.app.bot_enabled) {
    throw new LarkError(230006, 'Bot ability is not activated.', 400, undefined, `app ${caller.app.app_id} has no bot`);
  }
}

/** A chat may restrict pinning to its owner and managers (`pin_manage_setting: only_owner`). */
function requirePinRight(chat: ChatRec, caller: Caller): void {
  const setting = chat.props.pin_manage_setting;
  if (setting === 'only_owner' && !isManager(chat, caller)) {
    throw new LarkError(230046, 'No Permission to Pin/Unpin messages in the chat.', 400, undefined, `only the owner and managers of ${chat.chat_id} may pin`);
  }
}

/** The message to pin or unpin, its chat, and the caller's right to act on it. */
function pinTarget(emu: Emulator, caller: Caller, messageId: string): { msg: MessageRec; chat: ChatRec } {
  requireBotAbility(caller);
  const msg = messageOr404(emu.db, messageId);
  const chat = emu.db.get('chats', msg.chat_id);
  if (!chat || chat.deleted) throw chatGone(msg.chat_id);
  requireInChatForMessages(chat, caller);
  if (msg.deleted || msg.upper_message_id) {
    throw new LarkError(230050, 'The message is invisible to the operator.', 400, undefined, msg.deleted ? `message ${messageId} was recalled` : `message ${messageId} is a forwarded child`);
  }
  requirePinRight(chat, caller);
  return { msg, chat };
}

function pinView(p: PinRec): Record<string, unknown> {
  return { message_id: p.message_id, chat_id: p.chat_id, operator_id: p.operator_id, operator_id_type: p.operator_id_type, create_time: p.create_time };
}

function createPin(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  const body = req.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fieldError('message_id', 'message_id is required');
  const id = (body as { message_id?: unknown }).message_id;
  if (id === undefined || id === null || id === '') throw fieldError('message_id', 'message_id is required');
  if (typeof id !== 'string') throw fieldError('message_id', 'message_id must be a string');
  const { msg, chat } = pinTarget(emu, caller, id);
  const existing = emu.db.get('pins', msg.message_id);
  if (existing) return ok({ pin: pinView(existing) });
  const actor = Emulator.actor(caller);
  const rec: PinRec = { message_id: msg.message_id, chat_id: chat.chat_id, operator_id: actor.id, operator_id_type: actor.idType, create_time: String(req.now), seq: emu.db.nextSeq() };
  emu.db.put('pins', rec.message_id, rec);
  return ok({ pin: pinView(rec) });
}

function deletePin(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  const { msg } = pinTarget(emu, caller, req.params.message_id!);
  // unpinning a message that is not pinned changes nothing and succeeds
  emu.db.del('pins', msg.message_id);
  return ok({});
}

function msTime(raw: string | null, name: string): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw invalidParam(`${name} is invalid.`);
  return Number(raw);
}

function listPins(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  requireBotAbility(caller);
  const chatId = req.query.get('chat_id');
  if (!chatId) throw fieldError('chat_id', 'chat_id is required');
  const start = msTime(req.query.get('start_time'), 'start_time');
  const end = msTime(req.query.get('end_time'), 'end_time');
  if (start !== undefined && end !== undefined && start > end) throw invalidParam('start_time must be earlier than end_time.');
  const size = pageSize(req.query.get('page_size'), 20, 50);
  const chat = emu.db.get('chats', chatId);
  if (!chat || chat.deleted) throw chatGone(chatId);
  requireInChatForMessages(chat, caller);
  const scope = `pins:${chatId}:${start ?? ''}:${end ?? ''}`;
  const token = req.query.get('page_token');
  // the cursor is the (create_time, seq) of the last pin handed out: later pages never shift
  let cursor: [number, number] | undefined;
  if (token) {
    const pos = readPageToken(token, scope);
    const m = typeof pos === 'string' ? /^(\d+):(\d+)$/.exec(pos) : null;
    if (!m) throw fieldError('page_token', 'invalid page token');
    cursor = [Number(m[1]), Number(m[2])];
  }
  const all: PinRec[] = [];
  for (const p of emu.db.t.pins.values()) {
    if (p.chat_id !== chatId) continue;
    const t = Number(p.create_time);
    if ((start !== undefined && t < start) || (end !== undefined && t > end)) continue;
    if (cursor && !(t < cursor[0] || (t === cursor[0] && p.seq < cursor[1]))) continue;
    const m = emu.db.get('messages', p.message_id);
    if (!m || m.deleted) continue;
    all.push(p);
  }
  // newest first; the sequence breaks ties between pins of the same millisecond
  all.sort((a, b) => Number(b.create_time) - Number(a.create_time) || b.seq - a.seq);
  const items = all.slice(0, size);
  const has_more = all.length > size;
  const data: Record<string, unknown> = { items: items.map(pinView), has_more };
  if (has_more) {
    const last = items[items.length - 1]!;
    data.page_token = pageToken(scope, `${last.create_time}:${last.seq}`);
  }
  return ok(data);
}

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/im/v1/pins', auth: 'any', scopes: WRITE_SCOPES, handler: createPin },
  { method: 'DELETE', path: '/open-apis/im/v1/pins/:message_id', auth: 'any', scopes: WRITE_SCOPES, handler: deletePin },
  { method: 'GET', path: '/open-apis/im/v1/pins', auth: 'any', scopes: READ_SCOPES, handler: listPins },
];
