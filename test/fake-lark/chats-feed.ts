/**
 * Fake Lark endpoints for the chat, bookmark (flag), feed-shortcut and feed-group shortcuts
 * (docs/shortcuts-chats-feed.md), backed by a small in-memory world that tests can shape.
 * Tests override single endpoints with `fake.use(...)` (runtime handlers win).
 */
import { http, type RequestHandler } from 'msw';
import { larkErr, larkOk } from './handlers.js';
import { type Sandbox } from '../helpers/cli.js';
import { useFakeLark, type FakeLarkHooks } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';

export type Json = Record<string, unknown>;

export interface ChatsFeedWorld {
  /** Chats by chat_id (GET /chats/:id, batch_query, search). */
  chats: Record<string, Json>;
  /** Rows of GET /im/v1/chats (one page). */
  chatList: Json[];
  /** Mute state by chat_id; ids absent here come back in invalid_id_list. */
  muted: Record<string, boolean>;
  /** Messages by message_id (GET /messages/:id, mget). */
  messages: Record<string, Json>;
  /** `data` of GET /im/v1/flags (one page). */
  flags: Json;
  /** Entries of GET /im/v2/feed_shortcuts. */
  shortcuts: Json[];
  /** `data` of GET /im/v1/groups (one page). */
  groups: Json;
  /** Feed cards per feed group id: live and deleted. */
  groupItems: Record<string, { items: Json[]; deleted_items: Json[] }>;
}

export function defaultWorld(): ChatsFeedWorld {
  return {
    chats: {
      oc_group: { chat_id: 'oc_group', name: 'Release Team', chat_mode: 'group', description: 'releases', owner_id: 'ou_owner', external: false },
      oc_topic: { chat_id: 'oc_topic', name: 'Topic Room', chat_mode: 'topic', owner_id: 'ou_owner', external: false },
      oc_p2p: { chat_id: 'oc_p2p', name: '', chat_mode: 'p2p', p2p_target_id: 'ou_peer', p2p_target_type: 'user' },
    },
    chatList: [
      { chat_id: 'oc_group', name: 'Release Team', chat_mode: 'group', owner_id: 'ou_owner', external: false, chat_status: 'normal' },
    ],
    muted: { oc_group: false, oc_topic: true, oc_p2p: false },
    messages: {
      om_group: { message_id: 'om_group', chat_id: 'oc_group', msg_type: 'text', body: { content: '{"text":"in group"}' } },
      om_topic: { message_id: 'om_topic', chat_id: 'oc_topic', msg_type: 'text', body: { content: '{"text":"in topic"}' } },
    },
    flags: { flag_items: [], delete_flag_items: [], messages: [], has_more: false, page_token: '' },
    shortcuts: [{ feed_card_id: 'oc_group', type: 1 }],
    groups: { groups: [{ group_id: 'ofg_1', type: 'normal', name: 'Releases' }], deleted_groups: [], has_more: false, page_token: '' },
    groupItems: {
      ofg_1: { items: [{ feed_id: 'oc_group', feed_type: 'chat', update_time: '1767196800000' }], deleted_items: [] },
    },
  };
}

async function body(request: Request): Promise<Json> {
  try {
    return (await request.json()) as Json;
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Handlers for every endpoint these shortcuts call. Order matters: literal paths before `:id`. */
export function chatsFeedHandlers(world: ChatsFeedWorld = defaultWorld()): RequestHandler[] {
  return [
    // chats
    http.post('*/open-apis/im/v1/chats/batch_query', async ({ request }) => {
      const ids = ((await body(request)).chat_ids as string[] | undefined) ?? [];
      return larkOk({ items: ids.filter((id) => world.chats[id]).map((id) => world.chats[id]) });
    }),
    http.post('*/open-apis/im/v1/chats/:id/link', ({ params }) => larkOk({ share_link: `https://applink.fake/chat/${String(params.id)}` })),
    http.post('*/open-apis/im/v1/chats', async ({ request }) => {
      const b = await body(request);
      return larkOk({ chat_id: 'oc_new', name: b.name ?? '', chat_type: b.chat_type, owner_id: b.owner_id ?? '', external: false });
    }),
    http.get('*/open-apis/im/v1/chats', () => larkOk({ items: world.chatList, has_more: false, page_token: '' })),
    http.get('*/open-apis/im/v1/chats/:id', ({ params }) => {
      const chat = world.chats[String(params.id)];
      return chat ? larkOk(chat) : larkErr(232010, 'chat not found');
    }),
    http.put('*/open-apis/im/v1/chats/:id', () => larkOk({})),
    http.post('*/open-apis/im/v2/chats/search', async ({ request }) => {
      const q = str((await body(request)).query).replace(/^"|"$/g, '').toLowerCase();
      const hits = Object.values(world.chats).filter((c) => c.chat_mode !== 'p2p' && str(c.name).toLowerCase().includes(q));
      return larkOk({ items: hits.map((c) => ({ meta_data: c })), total: hits.length, has_more: false, page_token: '' });
    }),
    http.post('*/open-apis/im/v1/chat_user_setting/batch_get_mute_status', async ({ request }) => {
      const ids = ((await body(request)).chat_ids as string[] | undefined) ?? [];
      return larkOk({
        items: ids.filter((id) => id in world.muted).map((id) => ({ chat_id: id, is_muted: world.muted[id] })),
        invalid_id_list: ids.filter((id) => !(id in world.muted)).map((id) => ({ id, msg: 'not a member' })),
      });
    }),

    // messages
    http.get('*/open-apis/im/v1/messages/mget', ({ request }) => {
      const ids = new URL(request.url).searchParams.getAll('message_ids');
      return larkOk({ items: ids.filter((id) => world.messages[id]).map((id) => world.messages[id]) });
    }),
    http.get('*/open-apis/im/v1/messages/:id', ({ params }) => {
      const msg = world.messages[String(params.id)];
      return msg ? larkOk({ items: [msg] }) : larkErr(230001, 'message not found', undefined, { status: 400 });
    }),

    // flags
    http.post('*/open-apis/im/v1/flags/cancel', () => larkOk({})),
    http.post('*/open-apis/im/v1/flags', async ({ request }) => larkOk({ flag_items: (await body(request)).flag_items })),
    http.get('*/open-apis/im/v1/flags', () => larkOk(world.flags)),

    // feed shortcuts
    http.post('*/open-apis/im/v2/feed_shortcuts/remove', () => larkOk({})),
    http.post('*/open-apis/im/v2/feed_shortcuts', () => larkOk({})),
    http.get('*/open-apis/im/v2/feed_shortcuts', () => larkOk({ shortcuts: world.shortcuts, has_more: false, page_token: '' })),

    // feed groups
    http.get('*/open-apis/im/v1/groups', () => larkOk(world.groups)),
    http.get('*/open-apis/im/v1/groups/:id/list_item', ({ params }) => {
      const g = world.groupItems[String(params.id)];
      return g ? larkOk({ ...g, has_more: false, page_token: '' }) : larkErr(99992402, 'feed group not found');
    }),
    http.post('*/open-apis/im/v1/groups/:id/batch_query_item', async ({ params, request }) => {
      const g = world.groupItems[String(params.id)] ?? { items: [], deleted_items: [] };
      const wanted = new Set((((await body(request)).items as Json[] | undefined) ?? []).map((i) => str(i.feed_id)));
      return larkOk({
        items: g.items.filter((i) => wanted.has(str(i.feed_id))),
        deleted_items: g.deleted_items.filter((i) => wanted.has(str(i.feed_id))),
      });
    }),
  ];
}

/** Every scope these shortcuts declare (the stored user token grants them all). */
export const ALL_SCOPES = [
  'im:chat:read',
  'im:chat:create_by_user',
  'im:chat:update',
  'im:feed.flag:write',
  'im:feed.flag:read',
  'im:message.group_msg:get_as_user',
  'im:message.p2p_msg:get_as_user',
  'im:feed.shortcut:write',
  'im:feed.shortcut:read',
  'im:feed_group_v1:read',
  'offline_access',
].join(' ');

/** A config account with a logged-in user (token `u-test-user-token`) granted `scope`. */
export async function loginUser(sb: Sandbox, fakeUrl: string, scope = ALL_SCOPES): Promise<void> {
  await writeTestAccount(sb, { brand: fakeUrl, user: { token: { scope } } });
}

export const USER_TOKEN = 'Bearer u-test-user-token';
export const BOT_TOKEN = 'Bearer t-cli_test';

/**
 * The set-up every chats/flags/feed test file shares: one fake platform with these handlers and
 * one sandbox with a logged-in user for the whole file, handlers and recorded requests reset
 * before each test (`useFakeLark` with a file-wide sandbox). Call at the top level of a test file.
 */
export function useChatsFeedFake(env: Record<string, string> = {}): FakeLarkHooks {
  return useFakeLark({ handlers: chatsFeedHandlers(), sandbox: 'file', env, setup: (h) => loginUser(h.sb, h.fake.url) });
}
