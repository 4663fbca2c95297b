/**
 * Fake endpoints of the message-reading shortcuts (docs/shortcuts-read.md): message lists (chat and
 * thread containers), mget, single message / merge-forward children, search, reactions, chat
 * batch_query, P2P resolution and resource downloads, all served from one mutable `ReadWorld`.
 * Like Lark, the message endpoints fill the senders' names only when asked
 * (`with_sender_name=true`); there is no contact API here (a call to it gets the server's 404). Tests build a world, mount `messagesReadHandlers(world)` and override single
 * routes with `fake.use(...)` for failures. Latency comes from the server's `setLatency(ms)`.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { larkErr, larkOk } from './handlers.js';
import { useFakeLark, type FakeLarkHooks } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';

export type Json = Record<string, unknown>;

export interface Page {
  items: Json[];
  has_more?: boolean;
  page_token?: string;
}

export interface SearchPage {
  ids: string[];
  has_more?: boolean;
  page_token?: string;
  notice?: string;
}

export type FakeResource = { contentType: string; body: Buffer } | { status: number; body: string };

export interface ReadWorld {
  /** Messages by id (mget, GET /messages/:id). */
  messages: Record<string, Json>;
  /** Chat pages by container id; a page token selects `<chat>#<token>`. */
  chats: Record<string, Page>;
  /** Thread contents by thread id (root first); `page_size` is applied; a page token selects `<thread>#<token>`. */
  threads: Record<string, Page>;
  /** Flat sub-item lists of merge_forward containers. */
  mergeForward: Record<string, Json[]>;
  /**
   * Sender id (a user's open_id or a bot's app_id) → its display name, which the message
   * endpoints put in `sender.sender_name` / `sender_i18n_names` (bots also get `open_bot_id`)
   * when the request says `with_sender_name=true`.
   */
  users: Record<string, string>;
  /** Reactions by message id. */
  reactions: Record<string, { counts?: Json[]; details?: Json[] }>;
  /** Ids the reactions API lists in fail_msg_reaction_details. */
  reactionFailures: string[];
  /** Chat info by chat id (chats/batch_query). */
  chatInfo: Record<string, Json>;
  /** P2P chat id by user open_id. */
  p2p: Record<string, string>;
  /** Search pages by page token ('' = first page). */
  search: Record<string, SearchPage>;
  /** Downloadable resources by key. */
  resources: Record<string, FakeResource>;
}

export function emptyWorld(over: Partial<ReadWorld> = {}): ReadWorld {
  return {
    messages: {},
    chats: {},
    threads: {},
    mergeForward: {},
    users: {},
    reactions: {},
    reactionFailures: [],
    chatInfo: {},
    p2p: {},
    search: {},
    resources: {},
    ...over,
  };
}

export interface MsgOptions {
  sender?: string;
  senderType?: string;
  createTime?: string;
  chatId?: string;
  threadId?: string;
  parentId?: string;
  mentions?: Json[];
  upper?: string;
  extra?: Json;
}

/** A raw message item as the list/mget APIs return it. */
export function rawMessage(id: string, msgType: string, content: unknown, o: MsgOptions = {}): Json {
  const m: Json = {
    message_id: id,
    msg_type: msgType,
    create_time: o.createTime ?? '1710500000000',
    deleted: false,
    updated: false,
    sender: { id: o.sender ?? 'ou_alice', id_type: o.senderType === 'app' ? 'app_id' : 'open_id', sender_type: o.senderType ?? 'user' },
    body: { content: typeof content === 'string' ? content : JSON.stringify(content) },
  };
  if (o.chatId !== undefined) m.chat_id = o.chatId;
  if (o.threadId) m.thread_id = o.threadId;
  if (o.parentId) m.parent_id = o.parentId;
  if (o.mentions) m.mentions = o.mentions;
  if (o.upper) m.upper_message_id = o.upper;
  return { ...m, ...(o.extra ?? {}) };
}

export const textMessage = (id: string, text: string, o: MsgOptions = {}) => rawMessage(id, 'text', { text }, o);

/** The bot open id the fake gives an app sender (`sender.open_bot_id`). */
export const openBotId = (appId: string) => `ou_bot_${appId}`;

/**
 * The items as the message endpoints answer `request`: with `with_sender_name=true`, each sender
 * the world names gets `sender_name`, `sender_i18n_names` and (apps) `open_bot_id`; otherwise
 * the items as stored.
 */
function asRead(world: ReadWorld, request: Request, items: Json[]): Json[] {
  if (new URL(request.url).searchParams.get('with_sender_name') !== 'true') return items;
  return items.map((m) => {
    const s = m.sender as Json | undefined;
    const name = s && typeof s.id === 'string' ? world.users[s.id] : undefined;
    if (!s || name === undefined) return m;
    const named: Json = { ...s, sender_name: name, sender_i18n_names: { en_us: name, zh_cn: name } };
    if (s.sender_type === 'app') named.open_bot_id = openBotId(String(s.id));
    return { ...m, sender: named };
  });
}

async function body(request: Request): Promise<Json> {
  try {
    return (await request.json()) as Json;
  } catch {
    return {};
  }
}

/** All routes of the read shortcuts; literal paths before parameterised ones. */
export function messagesReadHandlers(world: ReadWorld): RequestHandler[] {
  return [
    http.get('*/open-apis/im/v1/messages/mget', ({ request }) => {
      const ids = new URL(request.url).searchParams.getAll('message_ids');
      return larkOk({ items: asRead(world, request, ids.filter((id) => world.messages[id]).map((id) => world.messages[id]!)) });
    }),
    http.post('*/open-apis/im/v1/messages/search', ({ request }) => {
      const token = new URL(request.url).searchParams.get('page_token') ?? '';
      const page = world.search[token] ?? { ids: [] };
      const data: Json = {
        items: page.ids.map((id) => ({ meta_data: { message_id: id } })),
        has_more: page.has_more ?? false,
        page_token: page.page_token ?? '',
      };
      if (page.notice) data.notice = page.notice;
      return larkOk(data);
    }),
    http.post('*/open-apis/im/v1/messages/reactions/batch_query', async ({ request }) => {
      const b = await body(request);
      const ids = (Array.isArray(b.queries) ? b.queries : []).map((q) => String((q as Json).message_id));
      if (ids.length > 20) return larkErr(230001, 'too many queries');
      const counts: Json[] = [];
      const details: Json[] = [];
      const fails: Json[] = [];
      for (const id of ids) {
        if (world.reactionFailures.includes(id)) {
          fails.push({ message_id: id, error_code: 230002 });
          continue;
        }
        const r = world.reactions[id];
        if (r?.counts) counts.push({ message_id: id, reaction_count: r.counts });
        if (r?.details) details.push({ message_id: id, message_reaction_items: r.details });
      }
      const data: Json = { success_msg_reaction_counts: counts, success_msg_reaction_details: details };
      if (fails.length) data.fail_msg_reaction_details = fails;
      return larkOk(data);
    }),
    http.get('*/open-apis/im/v1/messages/:id/resources/:key', ({ request, params }) => {
      const res = world.resources[String(params.key)];
      if (!res) return larkErr(234003, 'File not in msg', undefined, { status: 400 });
      if ('status' in res) return new HttpResponse(res.body, { status: res.status, headers: { 'Content-Type': 'text/plain' } });
      const range = request.headers.get('range');
      const m = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
      if (m) {
        const a = Number(m[1]);
        const b = Math.min(Number(m[2]), res.body.length - 1);
        return new HttpResponse(res.body.subarray(a, b + 1), {
          status: 206,
          headers: { 'Content-Type': res.contentType, 'Content-Range': `bytes ${a}-${b}/${res.body.length}` },
        });
      }
      return new HttpResponse(res.body, { status: 200, headers: { 'Content-Type': res.contentType, 'Content-Length': String(res.body.length) } });
    }),
    http.get('*/open-apis/im/v1/messages/:id', ({ request, params }) => {
      const id = String(params.id);
      if (world.mergeForward[id]) return larkOk({ items: asRead(world, request, world.mergeForward[id]) });
      if (world.messages[id]) return larkOk({ items: asRead(world, request, [world.messages[id]]) });
      return larkErr(230011, 'message not found');
    }),
    http.get('*/open-apis/im/v1/messages', ({ request }) => {
      const q = new URL(request.url).searchParams;
      const id = q.get('container_id') ?? '';
      const token = q.get('page_token');
      if (q.get('container_id_type') === 'thread') {
        const t = world.threads[token ? `${id}#${token}` : id] ?? { items: [] };
        const size = Number(q.get('page_size') ?? 50);
        const items = q.get('sort_type') === 'ByCreateTimeDesc' ? [...t.items].reverse() : t.items;
        return larkOk({ items: asRead(world, request, items.slice(0, size)), has_more: t.has_more ?? items.length > size, page_token: t.page_token ?? '' });
      }
      const page = world.chats[token ? `${id}#${token}` : id];
      if (!page) return larkErr(230002, 'chat not found or bot not in chat');
      return larkOk({ items: asRead(world, request, page.items), has_more: page.has_more ?? false, page_token: page.page_token ?? '' });
    }),
    http.post('*/open-apis/im/v1/chats/batch_query', async ({ request }) => {
      const b = await body(request);
      const ids = Array.isArray(b.chat_ids) ? (b.chat_ids as string[]) : [];
      return larkOk({ items: ids.filter((id) => world.chatInfo[id]).map((id) => ({ chat_id: id, ...world.chatInfo[id] })) });
    }),
    http.post('*/open-apis/im/v1/chat_p2p/batch_query', async ({ request }) => {
      const b = await body(request);
      const ids = Array.isArray(b.chatter_ids) ? (b.chatter_ids as string[]) : [];
      return larkOk({ p2p_chats: ids.filter((id) => world.p2p[id]).map((id) => ({ chat_id: world.p2p[id], chatter_id: id })) });
    }),
  ];
}

/** Scopes that let the logged-in test user pass every read shortcut's pre-check. */
export const READ_SCOPES = [
  'im:message.group_msg:get_as_user',
  'im:message.p2p_msg:get_as_user',
  'im:message.reactions:read',
  'search:message',
  'im:message:readonly',
  'offline_access',
].join(' ');

/**
 * The set-up both message-reading e2e files share: one fake platform and one sandbox with a
 * logged-in user (granted READ_SCOPES) per file; a fresh, empty world and its handlers before
 * each test; the CLI run in Asia/Shanghai so rendered times are predictable.
 */
export function useMessagesReadFake(): FakeLarkHooks & { readonly world: ReadWorld } {
  let world = emptyWorld();
  const h = useFakeLark({
    sandbox: 'file',
    env: { TZ: 'Asia/Shanghai' },
    setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: READ_SCOPES } } }),
    eachTest: () => {
      world = emptyWorld();
      return messagesReadHandlers(world);
    },
  });
  return Object.defineProperty(h, 'world', { get: () => world }) as FakeLarkHooks & { readonly world: ReadWorld };
}
