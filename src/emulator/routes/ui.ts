/**
 * The emulator's web page (issue 15): the page itself at `/`, its assets under /_emulator/ui/,
 * the JSON reads it draws from (chats with members, a chat's messages with reactions, pins,
 * bookmarks, threads and merge_forward children, the directory of users and bots), uploaded
 * resources' bytes, and the server-sent events that keep it live.
 *
 * The assets are plain files in src/emulator/web/ (copied as-is to dist/web/ by
 * scripts/bundle.mjs): no build step, no CDN. They are read once, on first request, so the
 * emulator's start-up does not touch them. Posting uses POST /_emulator/messages (admin.ts); the
 * journal, faults, clock and reset use the admin API as any tool would.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator, JournalEntry } from '../emulator.js';
import { LarkError, ok, type Reply } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, MessageRec, Op, TableName } from '../state.js';

// ---- assets ----

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** The page's own content policy: its scripts and styles from this origin only, nothing inline. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let webDir: string | undefined;
/** src/emulator/web/ when running from source, dist/web/ next to dist/emulator.cjs in the bundle. */
function assetDir(): string {
  if (webDir) return webDir;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'web'), path.join(here, '..', 'web')];
  webDir = candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
  return webDir;
}

const assetCache = new Map<string, Buffer>();
function asset(name: string): Reply {
  const type = ASSETS[name];
  if (!type) throw new LarkError(404, '404 page not found', 404);
  let data = assetCache.get(name);
  if (!data) {
    try {
      data = readFileSync(path.join(assetDir(), name));
    } catch {
      throw new LarkError(404, '404 page not found', 404, undefined, `the page's asset ${name} is missing from ${assetDir()}`);
    }
    assetCache.set(name, data);
  }
  return {
    status: 200,
    headers: { 'content-type': type, 'content-length': String(data.length), 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': PAGE_CSP, 'referrer-policy': 'no-referrer' },
    raw: data,
  };
}

// ---- reads ----

function nameOf(emu: Emulator, id: string): string {
  return emu.displayName(id);
}

function party(emu: Emulator, id: string): { id: string; name: string; kind: 'user' | 'bot' } {
  return { id, name: nameOf(emu, id), kind: emu.db.t.apps.has(id) ? 'bot' : 'user' };
}

function chatTitle(emu: Emulator, c: ChatRec): string {
  if (c.chat_mode === 'p2p' && !c.name) return (c.p2p_parties ?? []).map((p) => nameOf(emu, p)).join(' & ');
  return c.name || c.chat_id;
}

function chatView(emu: Emulator, c: ChatRec): Record<string, unknown> {
  const ids = emu.db.messagesByChat.get(c.chat_id) ?? [];
  const last = ids.length ? emu.db.t.messages.get(ids[ids.length - 1]!) : undefined;
  const people = c.chat_mode === 'p2p' ? (c.p2p_parties ?? []) : [...c.members, ...c.bots];
  return {
    chat_id: c.chat_id,
    name: c.name,
    title: chatTitle(emu, c),
    description: c.description,
    chat_mode: c.chat_mode,
    chat_type: c.chat_type,
    external: c.external,
    owner: party(emu, c.owner_id),
    managers: c.managers.map((m) => party(emu, m)),
    members: people.filter((p) => !emu.db.t.apps.has(p)).map((p) => party(emu, p)),
    bots: people.filter((p) => emu.db.t.apps.has(p)).map((p) => party(emu, p)),
    message_count: ids.length,
    last_message_time: last?.create_time ?? null,
    last_seq: last?.seq ?? 0,
    create_time: c.create_time,
    deleted: !!c.deleted,
  };
}

function listChats(_req: EmuRequest, emu: Emulator): Reply {
  const items = [...emu.db.t.chats.values()].filter((c) => !c.deleted).map((c) => chatView(emu, c));
  // the most recently active first, as a messenger's sidebar
  items.sort((a, b) => (b.last_seq as number) - (a.last_seq as number) || String(a.title).localeCompare(String(b.title)));
  return ok({ items });
}

function chatOr404(emu: Emulator, id: string | undefined): ChatRec {
  const c = id ? emu.db.t.chats.get(id) : undefined;
  if (!c) throw new LarkError(230001, 'Your request contains an invalid request parameter, chat_id is invalid.', 400, undefined, `unknown chat ${id ?? ''}`);
  return c;
}

/** Resource details for the keys a content names (image and file messages, post images). */
function resourceInfo(emu: Emulator, content: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, depth: number): void => {
    if (depth > 40 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if ((k === 'image_key' || k === 'file_key' || k === 'img_key') && typeof x === 'string') {
        const r = emu.db.t.resources.get(x);
        if (r) out[x] = { type: r.type, file_name: r.file_name, mime: r.mime, size: r.size };
      } else walk(x, depth + 1);
    }
  };
  walk(content, 0);
  return out;
}

function messageUi(emu: Emulator, m: MessageRec, byUpper: Map<string, MessageRec[]>, depth = 0): Record<string, unknown> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(m.content);
  } catch {
    /* merge_forward containers carry plain text */
  }
  const reactions = new Map<string, { emoji_type: string; count: number; operators: string[] }>();
  for (const rid of emu.db.reactionsByMessage.get(m.message_id) ?? []) {
    const r = emu.db.t.reactions.get(rid);
    if (!r) continue;
    const g = reactions.get(r.emoji_type) ?? { emoji_type: r.emoji_type, count: 0, operators: [] };
    g.count += 1;
    g.operators.push(nameOf(emu, r.operator_id));
    reactions.set(r.emoji_type, g);
  }
  const pin = emu.db.t.pins.get(m.message_id);
  const bookmarks: Array<{ owner: string; flag_type: string }> = [];
  for (const b of emu.db.t.bookmarks.values()) {
    if (!b.deleted && (b.item_id === m.message_id || (m.thread_id && b.item_id === m.thread_id && m.root_id === undefined))) bookmarks.push({ owner: nameOf(emu, b.owner), flag_type: b.flag_type });
  }
  const out: Record<string, unknown> = {
    message_id: m.message_id,
    chat_id: m.chat_id,
    msg_type: m.msg_type,
    content: m.deleted ? null : m.content,
    sender: { ...party(emu, m.sender.id), sender_type: m.sender.sender_type },
    create_time: m.create_time,
    update_time: m.update_time,
    deleted: m.deleted,
    updated: m.updated,
    root_id: m.root_id ?? null,
    parent_id: m.parent_id ?? null,
    thread_id: m.thread_id ?? null,
    mentions: (m.mentions ?? []).map((x) => ({ key: x.key, id: x.id, name: x.name })),
    reactions: [...reactions.values()],
    pin: pin ? { operator: nameOf(emu, pin.operator_id), create_time: pin.create_time } : null,
    bookmarks,
    resources: m.deleted ? {} : resourceInfo(emu, parsed),
    read_count: Object.keys(m.read_by ?? {}).length,
    seq: m.seq,
  };
  if (m.msg_type === 'merge_forward' && depth < 20) out.children = (byUpper.get(m.message_id) ?? []).map((k) => messageUi(emu, k, byUpper, depth + 1));
  return out;
}

function listMessages(req: EmuRequest, emu: Emulator): Reply {
  const chat = chatOr404(emu, req.params.chat_id);
  const byUpper = new Map<string, MessageRec[]>();
  for (const m of emu.db.t.messages.values()) {
    if (!m.upper_message_id) continue;
    const l = byUpper.get(m.upper_message_id);
    if (l) l.push(m);
    else byUpper.set(m.upper_message_id, [m]);
  }
  for (const l of byUpper.values()) l.sort((a, b) => a.seq - b.seq);
  const ids = emu.db.messagesByChat.get(chat.chat_id) ?? [];
  const items = ids.map((id) => emu.db.t.messages.get(id)).filter((m): m is MessageRec => !!m).map((m) => messageUi(emu, m, byUpper));
  return ok({ chat: chatView(emu, chat), items });
}

function directory(_req: EmuRequest, emu: Emulator): Reply {
  return ok({
    users: [...emu.db.t.users.values()].map((u) => ({ open_id: u.open_id, name: u.name, email: u.email })),
    bots: [...emu.db.t.apps.values()].map((a) => ({ app_id: a.app_id, name: a.name })),
    login_as: emu.loginAs ?? null,
  });
}

/**
 * An uploaded image or file, for the page (no token: the admin API is open on loopback). Images
 * are shown inline; anything else is a download. The sandbox policy keeps an uploaded HTML or
 * SVG file from running script on the emulator's origin.
 */
function resource(req: EmuRequest, emu: Emulator): Reply {
  const key = req.params.key ?? '';
  const r = emu.db.t.resources.get(key);
  const data = r ? emu.store.blobs.get(key) : undefined;
  if (!r || !data) throw new LarkError(234003, 'File not in msg.', 404, undefined, `no resource ${key}`);
  const inline = r.type === 'image' && /^image\/(png|jpeg|gif|webp|bmp|x-icon|vnd\.microsoft\.icon|tiff)$/i.test(r.mime);
  const name = r.file_name || key;
  return {
    status: 200,
    headers: {
      'content-type': inline ? r.mime : r.mime && !/html|svg|xml|javascript/i.test(r.mime) ? r.mime : 'application/octet-stream',
      'content-length': String(data.length),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox; default-src \'none\'',
      'cache-control': 'no-cache',
    },
    raw: data,
  };
}

// ---- live: server-sent events ----

/** Tables whose changes the page shows. */
const WATCHED: TableName[] = ['chats', 'messages', 'threads', 'reactions', 'pins', 'bookmarks', 'users', 'apps', 'resources'];
/** A comment every so often keeps proxies and the browser from timing the stream out. */
const KEEP_ALIVE_MS = 15_000;
/** Changes are batched over this long, so a write storm is a few events, not thousands. */
const BATCH_MS = 40;

/** The chat a change belongs to, when it has one. */
function chatOfOp(emu: Emulator, op: Op): string | undefined {
  const v = op.v as Record<string, unknown> | undefined;
  if (op.t === 'chats') return op.k;
  if (op.t === 'messages' || op.t === 'threads' || op.t === 'pins') return typeof v?.chat_id === 'string' ? v.chat_id : undefined;
  if (op.t === 'reactions') {
    const mid = typeof v?.message_id === 'string' ? v.message_id : undefined;
    return mid ? emu.db.t.messages.get(mid)?.chat_id : undefined;
  }
  if (op.t === 'bookmarks') {
    const id = typeof v?.item_id === 'string' ? v.item_id : undefined;
    return id ? emu.db.t.messages.get(id)?.chat_id ?? emu.db.t.threads.get(id)?.chat_id : undefined;
  }
  return undefined;
}

function events(_req: EmuRequest, emu: Emulator): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    stream: (res: ServerResponse) => {
      let pending: { tables: Set<string>; chats: Set<string> } | undefined;
      let timer: NodeJS.Timeout | undefined;
      const write = (s: string): void => {
        if (!res.destroyed && !res.writableEnded) res.write(s);
      };
      const sendEvent = (name: string, data: unknown): void => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      const flush = (): void => {
        timer = undefined;
        if (!pending) return;
        sendEvent('change', { tables: [...pending.tables], chats: [...pending.chats] });
        pending = undefined;
      };
      const onChange = (op: Op): void => {
        if (!WATCHED.includes(op.t)) return;
        pending ??= { tables: new Set(), chats: new Set() };
        pending.tables.add(op.t);
        const chat = chatOfOp(emu, op);
        if (chat) pending.chats.add(chat);
        timer ??= setTimeout(flush, BATCH_MS);
      };
      const onRequest = (e: JournalEntry): void => sendEvent('request', e);
      const onReset = (): void => {
        pending = undefined;
        sendEvent('reset', {});
      };
      emu.events.on('change', onChange);
      emu.events.on('request', onRequest);
      emu.events.on('reset', onReset);
      const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      const cleanup = (): void => {
        clearInterval(keepAlive);
        if (timer) clearTimeout(timer);
        emu.events.off('change', onChange);
        emu.events.off('request', onRequest);
        emu.events.off('reset', onReset);
      };
      res.on('close', cleanup);
      write('retry: 2000\n\n');
      sendEvent('hello', { journal_seq: emu.journal.at(-1)?.seq ?? 0 });
    },
  };
}

/** Whether the request came from a browser that wants this kind of answer (EventSource and navigations say so). */
function accepts(req: EmuRequest, type: string): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes(type);
}

/**
 * `/`: the page for a browser; for an API client (no text/html in Accept) a Lark-shaped answer
 * that says where the page is, so a script probing the base URL still reads JSON.
 */
function root(req: EmuRequest): Reply {
  if (accepts(req, 'text/html')) return asset('index.html');
  const host = req.headers.host ?? '127.0.0.1';
  return ok({ page: `http://${host}/`, note: 'the emulator\'s web page: open this URL in a browser' });
}

/** The event stream for an EventSource (Accept: text/event-stream); anything else is told so in Lark's error shape. */
function eventsOrRefuse(req: EmuRequest, emu: Emulator): Reply {
  if (!accepts(req, 'text/event-stream')) throw new LarkError(99992402, 'field validation failed', 400, { field_violations: [{ field: 'accept', description: 'this is a server-sent event stream: send Accept: text/event-stream' }] }, 'events without Accept: text/event-stream');
  return events(req, emu);
}

export const routes: Route[] = [
  { method: 'GET', path: '/', auth: 'none', handler: root },
  { method: 'GET', path: '/_emulator/ui/:file', auth: 'none', handler: (req) => asset(req.params.file ?? '') },
  { method: 'GET', path: '/_emulator/events', auth: 'none', handler: eventsOrRefuse },
  { method: 'GET', path: '/_emulator/chats', auth: 'none', handler: listChats },
  { method: 'GET', path: '/_emulator/chats/:chat_id/messages', auth: 'none', handler: listMessages },
  { method: 'GET', path: '/_emulator/users', auth: 'none', handler: directory },
  { method: 'GET', path: '/_emulator/resources/:key', auth: 'none', handler: resource },
];
