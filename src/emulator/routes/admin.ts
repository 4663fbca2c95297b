/**
 * The admin API under /_emulator/ (JSON in and out; docs/emulator.md has examples): reset, the
 * request journal, faults, the clock, messages from simulated users, and the state export.
 * Device-login approval lives with the OAuth endpoints (oauth.ts).
 */
import type { Emulator, Fault } from '../emulator.js';
import { LarkError, ok, type Reply } from '../lark.js';
import { validateContent } from '../model/message-rules.js';
import { createMessage, messageView } from '../model/messages.js';
import type { EmuRequest, Route } from '../router.js';
import type { Snapshot } from '../store.js';

function bad(msg: string): LarkError {
  return new LarkError(99992402, 'field validation failed', 400, { field_violations: [{ field: 'body', description: msg }] }, msg);
}

function obj(req: EmuRequest): Record<string, unknown> {
  const b = req.json ?? {};
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw bad('the body must be a JSON object');
  return b as Record<string, unknown>;
}

function parseFault(b: Record<string, unknown>): Fault {
  const allowed = ['method', 'path', 'status', 'code', 'msg', 'headers', 'delay_ms', 'drop', 'after', 'times'];
  for (const k of Object.keys(b)) if (!allowed.includes(k)) throw bad(`unknown fault key "${k}"`);
  if (typeof b.path !== 'string' || !b.path.startsWith('/')) throw bad('path must be a path pattern starting with /');
  const intOr = (k: string, min: number, max: number): number | undefined => {
    const v = b[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(`${k} must be an integer between ${min} and ${max}`);
    return v;
  };
  const f: Fault = { path: b.path, times: intOr('times', 1, 1_000_000) ?? 1 };
  if (b.method !== undefined) {
    if (typeof b.method !== 'string') throw bad('method must be a string');
    f.method = b.method.toUpperCase();
  }
  const status = intOr('status', 100, 599);
  if (status !== undefined) f.status = status;
  const code = intOr('code', -2147483648, 2147483647);
  if (code !== undefined) f.code = code;
  const delay = intOr('delay_ms', 0, 600_000);
  if (delay !== undefined) f.delay_ms = delay;
  if (b.msg !== undefined) {
    if (typeof b.msg !== 'string') throw bad('msg must be a string');
    f.msg = b.msg;
  }
  if (b.drop !== undefined) {
    if (typeof b.drop !== 'boolean') throw bad('drop must be a boolean');
    f.drop = b.drop;
  }
  if (b.after !== undefined) {
    if (typeof b.after !== 'boolean') throw bad('after must be a boolean');
    f.after = b.after;
  }
  if (b.headers !== undefined) {
    if (!b.headers || typeof b.headers !== 'object' || Array.isArray(b.headers) || Object.values(b.headers).some((v) => typeof v !== 'string')) throw bad('headers must be an object of strings');
    f.headers = Object.fromEntries(Object.entries(b.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  }
  if (!f.drop && f.status === undefined && f.code === undefined && f.delay_ms === undefined) throw bad('a fault needs status, code, delay_ms or drop');
  return f;
}

function exportState(emu: Emulator): Snapshot {
  const blobs: Record<string, string> = {};
  for (const k of emu.store.blobs.keys()) {
    const b = emu.store.blobs.get(k);
    if (b) blobs[k] = b.toString('base64');
  }
  return { format: 'lark-emulator-state', version: 1, tables: emu.db.dump(), blobs };
}

function postMessage(req: EmuRequest, emu: Emulator): Reply {
  const b = obj(req);
  for (const k of Object.keys(b)) if (!['chat_id', 'sender', 'msg_type', 'content', 'parent_id', 'reply_in_thread'].includes(k)) throw bad(`unknown key "${k}"`);
  const chat = typeof b.chat_id === 'string' ? emu.db.get('chats', b.chat_id) : undefined;
  if (!chat || chat.deleted) throw new LarkError(230001, 'Your request contains an invalid request parameter, chat_id is invalid.', 400, undefined, `unknown chat ${String(b.chat_id)}`);
  const sender = typeof b.sender === 'string' ? b.sender : '';
  if (!emu.db.get('users', sender) && !emu.db.get('apps', sender)) throw bad(`unknown sender "${sender}"`);
  const inChat = chat.chat_mode === 'p2p' ? (chat.p2p_parties ?? []).includes(sender) : chat.members.includes(sender) || chat.bots.includes(sender);
  if (!inChat) throw new LarkError(230002, 'Bot/User can NOT be out of the chat.', 400, undefined, `${sender} is not in chat ${chat.chat_id}`);
  const msg_type = typeof b.msg_type === 'string' ? b.msg_type : 'text';
  let content: string;
  if (typeof b.content === 'string') content = b.content;
  else if (b.content && typeof b.content === 'object') content = JSON.stringify(b.content);
  else throw bad('content must be a Lark content JSON string (or object)');
  // the same content rules as the send endpoint (valid JSON of the type's shape, known keys)
  validateContent(emu.db, msg_type, content);
  let parent;
  if (b.parent_id !== undefined) {
    parent = typeof b.parent_id === 'string' ? emu.db.get('messages', b.parent_id) : undefined;
    if (!parent || parent.chat_id !== chat.chat_id) throw bad(`unknown parent message "${String(b.parent_id)}" in this chat`);
  }
  const m = createMessage(emu.db, { chat, senderId: sender, msg_type, content, parent, replyInThread: b.reply_in_thread === true, now: emu.clock.now() });
  return ok(messageView(emu.db, m));
}

export const routes: Route[] = [
  { method: 'POST', path: '/_emulator/reset', auth: 'none', handler: (_r, emu) => (emu.resetToSeed(), ok({ reset: true })) },
  { method: 'GET', path: '/_emulator/requests', auth: 'none', handler: (_r, emu) => ok({ items: emu.journal }) },
  { method: 'DELETE', path: '/_emulator/requests', auth: 'none', handler: (_r, emu) => (emu.journal.length = 0, ok({})) },
  { method: 'GET', path: '/_emulator/faults', auth: 'none', handler: (_r, emu) => ok({ items: emu.faults }) },
  {
    method: 'POST', path: '/_emulator/faults', auth: 'none', handler: (req, emu) => {
      const b = req.json;
      const list = Array.isArray(b) ? b : [obj(req)];
      const faults = list.map((x) => {
        if (!x || typeof x !== 'object' || Array.isArray(x)) throw bad('a fault must be a JSON object');
        return parseFault(x as Record<string, unknown>);
      });
      emu.faults.push(...faults);
      return ok({ items: emu.faults });
    },
  },
  { method: 'DELETE', path: '/_emulator/faults', auth: 'none', handler: (_r, emu) => (emu.faults = [], ok({})) },
  {
    method: 'POST', path: '/_emulator/clock', auth: 'none', handler: (req, emu) => {
      const b = obj(req);
      const s = b.advance_seconds;
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 10 * 365 * 86400) throw bad('advance_seconds must be a number of seconds between 0 and 315360000');
      emu.clock.advance(Math.round(s * 1000));
      const now = emu.clock.now();
      return ok({ now: String(now), now_iso: new Date(now).toISOString(), offset_ms: emu.clock.offset });
    },
  },
  { method: 'GET', path: '/_emulator/clock', auth: 'none', handler: (_r, emu) => ok({ now: String(emu.clock.now()), now_iso: new Date(emu.clock.now()).toISOString(), offset_ms: emu.clock.offset }) },
  { method: 'POST', path: '/_emulator/messages', auth: 'none', handler: postMessage },
  { method: 'GET', path: '/_emulator/state', auth: 'none', handler: (_r, emu) => ({ status: 200, body: exportState(emu) }) },
  {
    method: 'GET', path: '/_emulator/info', auth: 'none', handler: (_r, emu) =>
      ok({
        apps: [...emu.db.t.apps.values()].map((a) => ({ app_id: a.app_id, app_secret: a.app_secret, name: a.name })),
        users: [...emu.db.t.users.values()].map((u) => ({ open_id: u.open_id, name: u.name })),
        login_as: emu.loginAs ?? null,
        data_dir: emu.store.dataDir,
      }),
  },
];
