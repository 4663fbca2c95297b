/**
 * `+chat-messages-list` and `+threads-messages-list` against the fake platform: the worked
 * examples of docs/shortcuts-read.md, validation, dry-run plans,
 * pretty output and the enrichment failure modes (exit 0, messages marked).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { rawMessage, textMessage, useMessagesReadFake } from '../fake-lark/messages-read.js';
import { runCli, makeSandbox, REPO_ROOT } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { writeTestAccount } from '../helpers/accounts.js';

const TZ = 'Asia/Shanghai';
const USER_TOKEN = 'Bearer u-test-user-token';
const BOT_TOKEN = 'Bearer t-cli_test';

const h = useMessagesReadFake();
const { cli, apiCalls, calls, expectValidation } = h;

/** The two raw items of example E1. */
function e1World(): void {
  h.world.chats.oc_abc = {
    has_more: true,
    page_token: 'tok2',
    items: [
      {
        message_id: 'om_1', msg_type: 'text', create_time: '1710500000000', deleted: false, updated: false, chat_id: 'oc_abc',
        sender: { id: 'ou_alice', id_type: 'open_id', sender_type: 'user' },
        body: { content: '{"text":"hi @_user_1"}' },
        mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }],
      },
      {
        message_id: 'om_2', msg_type: 'image', create_time: '1710500060000', deleted: false, updated: true, update_time: '1710500120000',
        chat_id: 'oc_abc', sender: { id: 'cli_app', id_type: 'app_id', sender_type: 'app' }, body: { content: '{"image_key":"img_9"}' },
      },
    ],
  };
  h.world.users = { ou_alice: 'Alice' };
  h.world.reactions = { om_1: { counts: [{ reaction_type: 'THUMBSUP', count: 2 }] } };
}

describe('+chat-messages-list', () => {
  it('E1: lists a page as user with names, mentions, update_time gating and reactions', async () => {
    e1World();
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-size', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      ok: true,
      identity: 'user',
      data: {
        has_more: true,
        messages: [
          {
            chat_id: 'oc_abc', content: 'hi @Bob', create_time: '2024-03-15 18:53', deleted: false,
            mentions: [{ id: 'ou_bob', key: '@_user_1', name: 'Bob' }], message_id: 'om_1', msg_type: 'text',
            reactions: { counts: [{ count: 2, reaction_type: 'THUMBSUP' }] },
            sender: { id: 'ou_alice', id_type: 'open_id', name: 'Alice', sender_type: 'user' }, updated: false,
          },
          {
            chat_id: 'oc_abc', content: '[Image: img_9]', create_time: '2024-03-15 18:54', deleted: false, message_id: 'om_2', msg_type: 'image',
            sender: { id: 'cli_app', id_type: 'app_id', sender_type: 'app' }, update_time: '2024-03-15 18:55', updated: true,
          },
        ],
        page_token: 'tok2',
        total: 2,
      },
    });
    const [list, ...rest] = apiCalls();
    expect(list).toMatchObject({ method: 'GET', path: '/open-apis/im/v1/messages' });
    expect(list!.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'oc_abc', container_id_type: 'chat',
      only_thread_root_messages: 'true', page_size: '2', sort_type: 'ByCreateTimeDesc',
    });
    expect(list!.headers.authorization).toBe(USER_TOKEN);
    expect(list!.headers['x-cli-shortcut']).toBe('im:+chat-messages-list');
    expect(rest.map((q) => q.path).sort()).toEqual(['/open-apis/contact/v3/users/basic_batch', '/open-apis/im/v1/messages/reactions/batch_query']);
    const names = calls('/open-apis/contact/v3/users/basic_batch');
    expect(names[0]!.query).toEqual({ user_id_type: 'open_id' });
    expect(names[0]!.json).toEqual({ user_ids: ['ou_alice'] });
    const reactions = calls('/open-apis/im/v1/messages/reactions/batch_query');
    expect(reactions[0]!.search).toBe('');
    expect(reactions[0]!.json).toEqual({ queries: [{ message_id: 'om_1' }, { message_id: 'om_2' }] });
  });

  it('E2: resolves the P2P chat of --user-id, converts the date range and skips reactions', async () => {
    h.world.p2p.ou_bob = 'oc_dm';
    h.world.chats.oc_dm = { items: [], has_more: false };
    const r = await cli('im', '+chat-messages-list', '--user-id', 'ou_bob', '--start', '2026-03-05', '--end', '2026-03-06', '--order', 'asc', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ has_more: false, messages: [], page_token: '', total: 0 });
    const [p2p, list] = apiCalls();
    expect(p2p).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/chat_p2p/batch_query', query: { chatter_id_type: 'open_id' } });
    expect(p2p!.json).toEqual({ chatter_ids: ['ou_bob'] });
    expect(list!.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'oc_dm', container_id_type: 'chat', only_thread_root_messages: 'true',
      page_size: '50', sort_type: 'ByCreateTimeAsc', start_time: '1772640000', end_time: '1772812799',
    });
    expect(apiCalls()).toHaveLength(2);

    const pretty = await cli('im', '+chat-messages-list', '--user-id', 'ou_bob', '--no-reactions', '--format', 'pretty');
    expect(pretty.stdout).toBe('No messages in this time range.\n');
  });

  it('E3: refuses --user-id with bot identity before any request', async () => {
    const r = await cli('im', '+chat-messages-list', '--as', 'bot', '--user-id', 'ou_bob');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'validation', message: '--user-id requires user identity (--as user); use --chat-id when calling with bot identity' },
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('E4: prints the dry-run plan without any request', async () => {
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--order', 'asc', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [
        {
          method: 'GET', url: '/open-apis/im/v1/messages',
          params: {
            card_msg_content_type: 'raw_card_content', container_id: 'oc_abc', container_id_type: 'chat',
            only_thread_root_messages: 'true', page_size: '50', sort_type: 'ByCreateTimeAsc',
          },
        },
        {
          desc: 'Reaction enrichment: queries returned messages (including thread_replies expanded inline) in batches of up to 20. Pass --no-reactions to skip.',
          method: 'POST', url: '/open-apis/im/v1/messages/reactions/batch_query',
        },
      ],
    });
    // --user-id: top-level description and placeholder; --download-resources overwrites the last desc
    const u = await cli('im', '+chat-messages-list', '--user-id', 'ou_bob', '--start', '1772640000', '--download-resources', '--dry-run');
    const plan = u.json();
    expect(plan.description).toBe('(--user-id provided) Will resolve P2P chat_id via POST /open-apis/im/v1/chat_p2p/batch_query at execution time');
    expect(plan.api[0].params).toMatchObject({ container_id: '<resolved_chat_id>', start_time: '1772640000', sort_type: 'ByCreateTimeDesc' });
    expect(plan.api[1].desc).toMatch(/^Resource download \(--download-resources\): each downloadable resource/);
    const nr = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions', '--download-resources', '--dry-run', '--format', 'pretty');
    expect(nr.stdout).toMatch(
      /^# Resource download \(--download-resources\).*isolated\.\nGET \/open-apis\/im\/v1\/messages\?card_msg_content_type=raw_card_content&container_id=oc_abc&container_id_type=chat&only_thread_root_messages=true&page_size=50&sort_type=ByCreateTimeDesc\n$/,
    );
    expect(h.fake.requests).toHaveLength(0);
  });

  it('E5: expands a thread root and queries reactions for the root once plus every reply', async () => {
    h.world.chats.oc_abc = { items: [textMessage('om_root', 'question', { threadId: 'omt_1', chatId: 'oc_abc', sender: 'ou_alice' })] };
    h.world.threads.omt_1 = {
      items: [
        textMessage('om_root', 'question', { threadId: 'omt_1', sender: 'ou_alice' }),
        textMessage('om_r1', 'answer', { threadId: 'omt_1', sender: 'ou_carol', createTime: '1710500100000' }),
      ],
    };
    h.world.users = { ou_alice: 'Alice', ou_carol: 'Carol' };
    h.world.reactions = { om_root: { counts: [{ reaction_type: 'OK', count: 1 }] }, om_r1: { counts: [{ reaction_type: 'SMILE', count: 3 }] } };
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const thread = apiCalls().find((q) => q.query.container_id_type === 'thread')!;
    expect(thread.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'omt_1', container_id_type: 'thread', page_size: '50', sort_type: 'ByCreateTimeAsc',
    });
    const reactions = calls('/open-apis/im/v1/messages/reactions/batch_query');
    expect(reactions).toHaveLength(1);
    expect(reactions[0]!.json).toEqual({ queries: [{ message_id: 'om_root' }, { message_id: 'om_r1' }] });
    const [root] = r.json().data.messages;
    expect(root.thread_id).toBe('omt_1');
    expect(root.reactions).toEqual({ counts: [{ count: 1, reaction_type: 'OK' }] });
    expect(root.thread_replies).toHaveLength(2);
    expect(root.thread_replies[0]).toMatchObject({ message_id: 'om_root', content: 'question', reactions: { counts: [{ count: 1, reaction_type: 'OK' }] } });
    expect(root.thread_replies[1]).toMatchObject({
      message_id: 'om_r1', content: 'answer', sender: { id: 'ou_carol', name: 'Carol' }, reactions: { counts: [{ count: 3, reaction_type: 'SMILE' }] },
    });
    expect(root.thread_has_more).toBeUndefined();
    // one name look-up per distinct unknown sender across the page and its replies
    const looked = calls('/open-apis/contact/v3/users/basic_batch').flatMap((q) => (q.json as { user_ids: string[] }).user_ids);
    expect(looked.sort()).toEqual(['ou_alice', 'ou_carol']);
  });

  it('prints the pretty table and footer', async () => {
    e1World();
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--format', 'pretty');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'content         sender  time              type ',
        '──────────────  ──────  ────────────────  ─────',
        'hi @Bob         Alice   2024-03-15 18:53  text ',
        '[Image: img_9]          2024-03-15 18:54  image',
        '',
        '2 message(s) (more available, page_token: tok2)',
        'tip: use --format json to view full message content',
        '',
      ].join('\n'),
    );
  });

  it('validates flags in the spec order, before any request', async () => {
    await expectValidation(['im', '+chat-messages-list'], 'specify at least one of --chat-id or --user-id');
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--user-id', 'ou_1'], '--chat-id and --user-id are mutually exclusive');
    await expectValidation(['im', '+chat-messages-list', '--as', 'bot'], 'specify --chat-id (bot identity does not support --user-id)');
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'chat_1'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['im', '+chat-messages-list', '--user-id', 'u_1'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--page-size', 'x'], 'invalid --page-size "x": must be an integer');
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--page-size', '51'], 'invalid --page-size 51: must be between 1 and 50');
    await expectValidation(
      ['im', '+chat-messages-list', '--chat-id', 'oc_1', '--start', 'yesterday'],
      '--start: cannot parse time "yesterday" (supported: ISO 8601 e.g. 2026-01-01 / 2026-01-01T15:04:05+08:00, Unix timestamp)',
    );
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--end', '2026-02-30'], expect.stringMatching(/^--end: cannot parse time "2026-02-30"/) as never);
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--sort', 'sender'], 'invalid value "sender" for --sort, allowed: asc, desc');
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_1', '--order', 'up'], 'invalid value "up" for --order, allowed: asc, desc');
  });

  it('uses the hidden --sort only when --order is not given, and sends the oc_ id of a chat URL', async () => {
    h.world.chats.oc_abc = { items: [] };
    h.world.chats['oc_abc#p9'] = { items: [] };
    const a = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--sort', 'asc', '--no-reactions');
    expect(a.code).toBe(0);
    expect(apiCalls()[0]!.query.sort_type).toBe('ByCreateTimeAsc');
    h.fake.clearRequests();
    await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--sort', 'asc', '--order', 'desc', '--no-reactions');
    expect(apiCalls()[0]!.query.sort_type).toBe('ByCreateTimeDesc');
    h.fake.clearRequests();
    const url = await cli('im', '+chat-messages-list', '--chat-id', 'https://x.feishu.cn/messenger/oc_abc/detail', '--no-reactions', '--page-token', 'p9');
    expect(url.code).toBe(0);
    expect(apiCalls()[0]!.query).toMatchObject({ container_id: 'oc_abc', page_token: 'p9' });
  });

  it('reports list API errors and a missing P2P chat', async () => {
    const bad = await cli('im', '+chat-messages-list', '--chat-id', 'oc_nope');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.errJson().error).toMatchObject({ type: 'api_error', code: 230002, message: 'HTTP 400: chat not found or bot not in chat' });
    const none = await cli('im', '+chat-messages-list', '--user-id', 'ou_stranger');
    expect(none.code).toBe(1);
    expect(none.errJson()).toEqual({ ok: false, identity: 'user', error: { type: 'not_found', message: 'P2P chat not found for this user' } });
    h.fake.use(http.post('*/open-apis/im/v1/chat_p2p/batch_query', () => larkErr(99991672, 'no permission', undefined, { status: 200 })));
    const perm = await cli('im', '+chat-messages-list', '--user-id', 'ou_bob');
    expect(perm.code).toBe(1);
    expect(perm.errJson().error.type).toBe('permission');
  });

  it('fails the scope pre-check without the reaction scope even with --no-reactions', async () => {
    const other = await makeSandbox();
    try {
      await writeTestAccount(other, { brand: h.fake.url, user: { token: { scope: 'im:message.group_msg:get_as_user im:message.p2p_msg:get_as_user contact:user.base:readonly' } } });
      const r = await runInProcess(['im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions'], { sandbox: other, env: { TZ } });
      expect(r.code).toBe(3);
      expect(r.errJson().error).toMatchObject({ type: 'missing_scope', message: 'missing required scope(s): im:message.reactions:read' });
      expect(h.fake.requests).toHaveLength(0);
    } finally {
      await other.cleanup();
    }
  });

  it('a failing reactions batch warns, marks the messages reactions_error and exits 0', async () => {
    e1World();
    h.fake.use(http.post('*/open-apis/im/v1/messages/reactions/batch_query', () => larkErr(230099, 'reactions unavailable', undefined, { status: 200 })));
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: reactions_batch_query_failed: reactions unavailable\n');
    const msgs = r.json().data.messages;
    expect(msgs.map((m: { reactions_error?: boolean }) => m.reactions_error)).toEqual([true, true]);
    expect(msgs.every((m: object) => !('reactions' in m))).toBe(true);
  });

  it('partial reaction failures mark only the failed ids', async () => {
    e1World();
    h.world.reactionFailures = ['om_2'];
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: reactions_partial_failed: 1 message(s) failed ([om_2])\n');
    const [m1, m2] = r.json().data.messages;
    expect(m1.reactions).toEqual({ counts: [{ count: 2, reaction_type: 'THUMBSUP' }] });
    expect(m1.reactions_error).toBeUndefined();
    expect(m2.reactions_error).toBe(true);
  });

  it('a failing contact look-up is silent and leaves the sender unnamed', async () => {
    e1World();
    h.fake.use(http.post('*/open-apis/contact/v3/users/basic_batch', () => larkErr(41050, 'no user authority', undefined, { status: 200 })));
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().data.messages[0].sender).toEqual({ id: 'ou_alice', id_type: 'open_id', sender_type: 'user' });
  });

  it('a failing thread fetch marks the host thread_replies_error and exits 0', async () => {
    h.world.chats.oc_abc = { items: [textMessage('om_root', 'q', { threadId: 'omt_bad' }), textMessage('om_x', 'x', { threadId: 'omt_bad' })] };
    h.fake.use(
      http.get('*/open-apis/im/v1/messages', ({ request }) => {
        const q = new URL(request.url).searchParams;
        if (q.get('container_id_type') === 'thread') return larkErr(230027, 'thread not visible', undefined, { status: 200 });
        return larkOk({ items: h.world.chats.oc_abc!.items, has_more: false, page_token: '' });
      }),
    );
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [host, second] = r.json().data.messages;
    expect(host.thread_replies_error).toBe(true);
    expect(host.thread_replies).toBeUndefined();
    // the thread is planned once, on its first message only
    expect(second.thread_replies_error).toBeUndefined();
    expect(apiCalls().filter((q) => q.query.container_id_type === 'thread')).toHaveLength(1);
  });
});

describe('+threads-messages-list', () => {
  it('T1: resolves an om_ id to its thread and names reply senders with bot identity', async () => {
    h.world.messages.om_root = { message_id: 'om_root', thread_id: 'omt_1' };
    h.world.threads.omt_1 = {
      items: [textMessage('om_root', 'question', { sender: 'cli_app', senderType: 'app' }), textMessage('om_r1', 'answer', { sender: 'ou_carol' })],
      has_more: false,
    };
    h.world.users = { ou_carol: 'Carol' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'om_root', '--as', 'bot');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [resolve, list, names, reactions] = apiCalls();
    expect(resolve).toMatchObject({ method: 'GET', path: '/open-apis/im/v1/messages/om_root', search: '' });
    expect(resolve!.headers.authorization).toBe(BOT_TOKEN);
    expect(list!.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'omt_1', container_id_type: 'thread', page_size: '50', sort_type: 'ByCreateTimeAsc',
    });
    const rest = [names!, reactions!].sort((a, b) => a.path.localeCompare(b.path));
    expect(rest[0]).toMatchObject({ method: 'GET', path: '/open-apis/contact/v3/users/batch', search: '?user_id_type=open_id&user_ids=ou_carol' });
    expect(rest[1]!.json).toEqual({ queries: [{ message_id: 'om_root' }, { message_id: 'om_r1' }] });
    const data = r.json().data;
    expect(data).toMatchObject({ has_more: false, page_token: '', thread_id: 'omt_1', total: 2 });
    expect(data.messages.map((m: { message_id: string }) => m.message_id)).toEqual(['om_root', 'om_r1']);
    expect(data.messages[1].sender.name).toBe('Carol');
    expect(data.messages[0].sender.name).toBeUndefined();
  });

  it('T2: an omt_ id with --order desc and --page-size 1 makes one request when the sender is named by a mention', async () => {
    h.world.threads.omt_1 = {
      items: [
        textMessage('om_root', 'question @_user_1', { sender: 'ou_bob', mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }] }),
        textMessage('om_r1', 'newest @_user_1', { sender: 'ou_bob', mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }] }),
      ],
      has_more: true,
    };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--order', 'desc', '--page-size', '1', '--no-reactions');
    expect(r.code).toBe(0);
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.query).toMatchObject({ sort_type: 'ByCreateTimeDesc', page_size: '1', container_id: 'omt_1' });
    const data = r.json().data;
    expect(data.messages).toHaveLength(1);
    expect(data.messages[0]).toMatchObject({ message_id: 'om_r1', content: 'newest @Bob', sender: { name: 'Bob' } });
    expect(data.has_more).toBe(true);
  });

  it('T3: rejects a thread id of another kind before any request', async () => {
    await expectValidation(['im', '+threads-messages-list', '--thread', 'oc_123'], 'invalid --thread "oc_123": must start with om_ or omt_');
    await expectValidation(['im', '+threads-messages-list', '--thread', ''], '--thread is required (om_xxx or omt_xxx)');
    await expectValidation(['im', '+threads-messages-list'], 'required flag(s) "thread" not set');
    await expectValidation(['im', '+threads-messages-list', '--thread', 'omt_1', '--page-size', '501'], 'invalid --page-size 501: must be between 1 and 500');
  });

  it('T4: prints the pretty table with the thread footer', async () => {
    h.world.threads.omt_1 = { items: [textMessage('om_1', 'hello', { sender: 'ou_alice', createTime: '1710500000000' })], has_more: true, page_token: 'p2' };
    h.world.users = { ou_alice: 'Alice' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--format', 'pretty', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'content  sender  time              type',
        '───────  ──────  ────────────────  ────',
        'hello    Alice   2024-03-15 18:53  text',
        '',
        '1 thread message(s) (more available, page_token: p2)',
        'tip: use --format json to view full message content',
        '',
      ].join('\n'),
    );
    h.world.threads.omt_1 = { items: [] };
    const empty = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--format', 'pretty', '--no-reactions');
    expect(empty.stdout).toBe('No messages in this thread.\n');
  });

  it('reports an om_ message without a thread as not_found', async () => {
    h.world.messages.om_plain = { message_id: 'om_plain' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'om_plain');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'not_found', message: 'thread ID not found for this message' });
  });

  it('prints the dry-run plan with its extra keys', async () => {
    const r = await cli('im', '+threads-messages-list', '--thread', 'om_root', '--order', 'desc', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      api: [
        {
          method: 'GET', url: '/open-apis/im/v1/messages',
          params: {
            card_msg_content_type: 'raw_card_content', container_id: '<resolved_thread_id>', container_id_type: 'thread',
            page_size: '50', sort_type: 'ByCreateTimeDesc',
          },
        },
        {
          desc: 'Reaction enrichment: queries returned thread messages in batches of up to 20. Pass --no-reactions to skip.',
          method: 'POST', url: '/open-apis/im/v1/messages/reactions/batch_query',
        },
      ],
      description: '(--thread provided as message ID) Will resolve thread_id via GET /open-apis/im/v1/messages/:message_id at execution time',
      order: 'desc',
      page_size: '50',
      thread: 'om_root',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('renders every message type of a thread page, including a card with mentions', async () => {
    h.world.threads.omt_2 = {
      items: [
        rawMessage('om_c', 'interactive', {
          json_card: JSON.stringify({ header: { title: { content: 'Deploy' } }, body: { elements: [{ tag: 'markdown', content: 'ping ' }, { tag: 'at', userID: 'u1' }] } }),
          json_attachment: { at_users: { u1: { content: 'Bobby', user_id: 'x1', mention_key: '@_user_1' } } },
        }, { mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }] }),
        rawMessage('om_s', 'sticker', { file_key: 'stk' }),
        rawMessage('om_u', 'unknown_type', { a: 1 }),
      ],
    };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_2', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.json().data.messages.map((m: { content: string }) => m.content)).toEqual([
      '<card title="Deploy">\nping \n@Bob(ou_bob)\n</card>',
      '[Sticker]',
      '[unknown_type]',
    ]);
  });
});

describe('start-up cost', () => {
  it('validation and dry-run of the read shortcuts load neither the HTTP stack nor the table printer nor the enrichment', async () => {
    // the shared recorder: ES modules as they resolve, plus the CommonJS require cache at exit
    const recorder = pathToFileURL(path.join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs')).href;
    const heavy = /node_modules\/(undici|p-limit|jq-wasm)\/|dist\/(output\/formats|enrich\/(context|pipeline|names)|render\/(content|card|post|message|pretty|resources|util))\./;
    let seq = 0;
    const run = async (args: string[]) => {
      const file = path.join(h.sb.root, `read-imports-${++seq}.txt`);
      const r = await runCli(args, { sandbox: h.sb, env: { NODE_OPTIONS: `--import ${recorder}`, RECORD_IMPORTS_FILE: file, TZ } });
      const modules = readFileSync(file, 'utf8').split('\n');
      expect(modules, args.join(' ')).toContain(pathToFileURL(path.join(REPO_ROOT, 'dist', 'core', 'errors.js')).href);
      return { r, heavy: modules.filter((u) => heavy.test(u)) };
    };
    for (const args of [
      ['im', '+chat-messages-list', '--chat-id', 'oc_1', '--download-resources', '--dry-run', '--format', 'pretty'],
      ['im', '+threads-messages-list', '--thread', 'om_1', '--dry-run'],
      ['im', '+messages-mget', '--message-ids', 'om_1', '--dry-run'],
      ['im', '+messages-search', '--query', 'x', '--page-all', '--dry-run'],
      ['im', '+messages-search', '--page-limit', '99'],
      ['im', '+messages-mget', '--help'],
    ]) {
      expect((await run(args)).heavy, args.join(' ')).toEqual([]);
    }
    h.world.chats.oc_abc = { items: [textMessage('om_1', 'x')] };
    const call = await run(['im', '+chat-messages-list', '--chat-id', 'oc_abc', '--format', 'pretty']);
    expect(call.r.code, call.r.stderr).toBe(0);
    expect(call.heavy.some((u) => /node_modules\/undici\//.test(u))).toBe(true);
    expect(call.heavy.some((u) => /dist\/output\/formats\.js$/.test(u))).toBe(true);
  });
});
