/**
 * Emulated endpoints: bookmarks ("flags" in Lark's API), both layers.
 *
 *   POST /open-apis/im/v1/flags          create   {flag_items:[{item_id,item_type,flag_type}]}
 *   POST /open-apis/im/v1/flags/cancel   cancel   (same body; cancelling an absent flag succeeds)
 *   GET  /open-apis/im/v1/flags          list     page_size (1-50, default 50), page_token
 *
 * User tokens only. Wire values are strings: item_type "0" default / "4" thread (topic chat) /
 * "11" msg_thread (any other chat); flag_type "2" message layer / "1" feed layer. Only the pairs
 * (0,2), (4,1) and (11,1) exist; one message can carry a message-layer and a feed-layer flag.
 * A cancelled flag stays listed under `delete_flag_items` until it is flagged again. Both lists
 * are ordered by update_time ascending and share one page (page_size counts both); the page
 * token is a cursor on the update sequence, so a page asked again is the same page.
 */
import { requireInChatForMessages } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError, fieldError, invalidParam, ok, pageSize, pageToken, readPageToken } from '../lark.js';
import { messageView } from '../model/messages.js';
import type { EmuRequest, Route } from '../router.js';
import type { BookmarkRec, MessageRec } from '../state.js';

const WRITE = ['im:feed.flag:write'];
const READ = ['im:feed.flag:read'];
/** Items per create or cancel request. */
const MAX_ITEMS = 50;
const PAGE_MAX = 50;

const ITEM_TYPES = ['0', '4', '11'];
const FLAG_TYPES = ['1', '2'];

interface Item {
  item_id: string;
  item_type: string;
  flag_type: string;
}

function validCombo(it: string, ft: string): boolean {
  return (it === '0' && ft === '2') || ((it === '4' || it === '11') && ft === '1');
}

/** `flag_items` of a create or cancel body, checked field by field; duplicates folded. */
function readItems(req: EmuRequest): Item[] {
  const body = req.json;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw fieldError('flag_items', 'flag_items is required');
  }
  const raw = (body as Record<string, unknown>).flag_items;
  if (raw === undefined || raw === null) throw fieldError('flag_items', 'flag_items is required');
  if (!Array.isArray(raw)) throw fieldError('flag_items', 'flag_items must be an array');
  if (raw.length === 0) throw fieldError('flag_items', 'flag_items must not be empty');
  if (raw.length > MAX_ITEMS) throw fieldError('flag_items', `flag_items must contain at most ${MAX_ITEMS} items`);
  const out: Item[] = [];
  const seen = new Set<string>();
  raw.forEach((v, i) => {
    const at = `flag_items[${i}]`;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw fieldError(at, 'must be an object');
    const o = v as Record<string, unknown>;
    for (const k of ['item_id', 'item_type', 'flag_type']) {
      if (o[k] === undefined || o[k] === null || o[k] === '') throw fieldError(`${at}.${k}`, `${k} is required`);
      if (typeof o[k] !== 'string') throw fieldError(`${at}.${k}`, `${k} must be a string`);
    }
    const item = { item_id: o.item_id as string, item_type: o.item_type as string, flag_type: o.flag_type as string };
    if (!ITEM_TYPES.includes(item.item_type)) throw fieldError(`${at}.item_type`, 'item_type must be one of 0 (default), 4 (thread), 11 (msg_thread)');
    if (!FLAG_TYPES.includes(item.flag_type)) throw fieldError(`${at}.flag_type`, 'flag_type must be one of 1 (feed), 2 (message)');
    if (!validCombo(item.item_type, item.flag_type)) {
      throw invalidParam(
        `the (item_type=${item.item_type}, flag_type=${item.flag_type}) combination is not supported; use (0, 2), (4, 1) or (11, 1).`,
      );
    }
    const k = keyOf('', item);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(item);
  });
  return out;
}

function keyOf(owner: string, it: Item): string {
  return `${owner}|${it.item_id}|${it.item_type}|${it.flag_type}`;
}

/** The message an item points at, which the user must be able to see. */
function flaggableMessage(req: EmuRequest, emu: Emulator, it: Item): MessageRec {
  const m = emu.db.get('messages', it.item_id);
  if (!m || m.upper_message_id) {
    throw new LarkError(230001, 'Your request contains an invalid request parameter, item_id is invalid.', 400, undefined, `message ${it.item_id} does not exist`);
  }
  if (m.deleted) throw new LarkError(230011, 'The message was withdrawn.', 400, undefined, `message ${it.item_id} was recalled`);
  const chat = emu.db.get('chats', m.chat_id);
  if (!chat || chat.deleted) {
    throw new LarkError(230001, 'Your request contains an invalid request parameter, item_id is invalid.', 400, undefined, `the chat of message ${it.item_id} is gone`);
  }
  requireInChatForMessages(chat, req.caller!);
  if (it.flag_type === '1') {
    const want = chat.chat_mode === 'topic' ? '4' : '11';
    if (it.item_type !== want) {
      throw invalidParam(
        `item_type ${it.item_type} does not match the chat of item ${it.item_id}: a ${chat.chat_mode === 'topic' ? 'topic' : 'non-topic'} chat takes item_type ${want} for feed-layer flags.`,
      );
    }
  }
  return m;
}

function view(b: BookmarkRec): Record<string, unknown> {
  return { item_id: b.item_id, item_type: b.item_type, flag_type: b.flag_type, create_time: b.create_time, update_time: b.update_time };
}

function create(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const items = readItems(req);
  // every item is checked before anything is written: a refused request changes nothing
  for (const it of items) flaggableMessage(req, emu, it);
  const now = String(req.now);
  const out: Record<string, unknown>[] = [];
  for (const it of items) {
    const key = keyOf(owner, it);
    const old = emu.db.get('bookmarks', key);
    if (old && !old.deleted) {
      out.push(view(old)); // flagging again is a no-op
      continue;
    }
    const rec: BookmarkRec = {
      key,
      owner,
      item_id: it.item_id,
      item_type: it.item_type,
      flag_type: it.flag_type,
      create_time: now,
      update_time: now,
      seq: emu.db.nextSeq(),
    };
    emu.db.put('bookmarks', key, rec);
    out.push(view(rec));
  }
  return ok({ flag_items: out });
}

function cancel(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const items = readItems(req);
  const now = String(req.now);
  for (const it of items) {
    const key = keyOf(owner, it);
    const old = emu.db.get('bookmarks', key);
    if (!old || old.deleted) continue; // idempotent
    emu.db.put('bookmarks', key, { ...old, deleted: true, update_time: now, seq: emu.db.nextSeq() });
  }
  return ok({});
}

function list(req: EmuRequest, emu: Emulator) {
  const owner = req.caller!.actorId;
  const size = pageSize(req.query.get('page_size'), PAGE_MAX, PAGE_MAX);
  const scope = `flags:${owner}`;
  const pos = readPageToken(req.query.get('page_token'), scope);
  const after = typeof pos === 'number' ? pos : 0;
  const mine: BookmarkRec[] = [];
  for (const b of emu.db.t.bookmarks.values()) if (b.owner === owner && b.seq > after) mine.push(b);
  mine.sort((a, b) => a.seq - b.seq);
  const page = mine.slice(0, size);
  const hasMore = mine.length > size;
  const flagItems: Record<string, unknown>[] = [];
  const deleted: Record<string, unknown>[] = [];
  const messages: Record<string, unknown>[] = [];
  const inlined = new Set<string>();
  for (const b of page) {
    if (b.deleted) {
      deleted.push(view(b));
      continue;
    }
    flagItems.push(view(b));
    // message-layer flags come with the message inlined (feed-layer ones are read with mget)
    if (b.flag_type === '2' && !inlined.has(b.item_id)) {
      const m = emu.db.get('messages', b.item_id);
      if (m && !m.deleted) {
        inlined.add(b.item_id);
        messages.push(messageView(emu.db, m));
      }
    }
  }
  const last = page[page.length - 1];
  return ok({
    flag_items: flagItems,
    delete_flag_items: deleted,
    messages,
    has_more: hasMore,
    page_token: hasMore && last ? pageToken(scope, last.seq) : '',
  });
}

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/im/v1/flags/cancel', auth: 'user', scopes: WRITE, handler: cancel },
  { method: 'POST', path: '/open-apis/im/v1/flags', auth: 'user', scopes: WRITE, handler: create },
  { method: 'GET', path: '/open-apis/im/v1/flags', auth: 'user', scopes: READ, handler: list },
];
