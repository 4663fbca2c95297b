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
import { expectJsonOut, expectFailure, expectStdoutLines } from '../helpers/fake-lark-hooks.js';

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
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: {
        has_more: true,
        messages: [
          {
            chat_id: 'oc_abc', content: 'hi @Bob', create_time: '2024-03-15 18:53', deleted: false,
            mentions: [{ id: 'ou_bob', key: '@_user_1', name: 'Bob' }], message_id: 'om_1', msg_type: 'text',
            reactions: { counts: [{ count: 2, reaction_type: 'THUMBSUP' }] },
            // the server's sender_name becomes name (and is not repeated); its i18n names stay
            sender: { id: 'ou_alice', id_type: 'open_id', name: 'Alice', sender_i18n_names: { en_us: 'Alice', zh_cn: 'Alice' }, sender_type: 'user' }, updated: false,
          },
          {
            chat_id: 'oc_abc', content: '[Image: img_9]', create_time: '2024-03-15 18:54', deleted: false, message_id: 'om_2', msg_type: 'image',
            sender: { id: 'cli_app', id_type: 'app_id', sender_type: 'app' }, update_time: '2024-03-15 18:55', updated: true,
          },
        ],
        page_token: 'tok2',
        total: 2,
      },
      // one page of more: how to resume is in meta (every run of a list is a walk)
      meta: { pagination: { complete: false, pages: 1, items: 2, next_token: 'tok2' } },
    });
    const [list, ...rest] = apiCalls();
    expect(list).toMatchObject({ method: 'GET', path: '/open-apis/im/v1/messages' });
    expect(list!.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'oc_abc', container_id_type: 'chat',
      only_thread_root_messages: 'true', page_size: '2', sort_type: 'ByCreateTimeDesc', with_sender_name: 'true',
    });
    expect(list!.headers.authorization).toBe(USER_TOKEN);
    expect(list!.headers['x-cli-shortcut']).toBe('im:+chat-messages-list');
    // names come with the list: no contact look-up
    expect(rest.map((q) => q.path)).toEqual(['/open-apis/im/v1/messages/reactions/batch_query']);
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
      page_size: '50', sort_type: 'ByCreateTimeAsc', start_time: '1772640000', end_time: '1772812799', with_sender_name: 'true',
    });
    expect(apiCalls()).toHaveLength(2);

    const pretty = await cli('im', '+chat-messages-list', '--user-id', 'ou_bob', '--no-reactions', '--format', 'pretty');
    expect(pretty.stdout).toBe('No messages in this time range.\n');
  });

  it('E3: refuses --user-id with bot identity before any request', async () => {
    const r = await cli('im', '+chat-messages-list', '--as', 'bot', '--user-id', 'ou_bob');
    expectFailure(r, 2, 'bot', { type: 'validation', message: '--user-id requires user identity (--as user); use --chat-id when calling with bot identity' });
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
            only_thread_root_messages: 'true', page_size: '50', sort_type: 'ByCreateTimeAsc', with_sender_name: 'true',
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
      /^# Resource download \(--download-resources\).*isolated\.\nGET \/open-apis\/im\/v1\/messages\?card_msg_content_type=raw_card_content&container_id=oc_abc&container_id_type=chat&only_thread_root_messages=true&page_size=50&sort_type=ByCreateTimeDesc&with_sender_name=true\n$/,
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
      with_sender_name: 'true',
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
    // the list, the thread and the reactions: the names came with the messages
    expect(apiCalls()).toHaveLength(3);
    expect(root.sender.name).toBe('Alice');
    expect(root.thread_replies[0].sender).toEqual({ id: 'ou_alice', id_type: 'open_id', name: 'Alice', sender_i18n_names: { en_us: 'Alice', zh_cn: 'Alice' }, sender_type: 'user' });
  });

  it('prints the pretty table and footer', async () => {
    e1World();
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--format', 'pretty');
    expectStdoutLines(r, [
      'content         sender   time              type ',
      '──────────────  ───────  ────────────────  ─────',
      'hi @Bob         Alice    2024-03-15 18:53  text ',
      '[Image: img_9]  cli_app  2024-03-15 18:54  image',
      '',
      '2 message(s) (more available, page_token: tok2)',
      'tip: use --format json to view full message content',
      '',
    ]);
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

  it('a sender the server does not name keeps no name (no contact fallback); pretty shows its id', async () => {
    e1World();
    h.world.users = {};
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().data.messages[0].sender).toEqual({ id: 'ou_alice', id_type: 'open_id', sender_type: 'user' });
    expect(apiCalls()).toHaveLength(1);
    const p = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions', '--format', 'pretty');
    expect(p.stdout.split('\n').slice(2, 4)).toEqual(['hi @Bob         ou_alice  2024-03-15 18:53  text ', '[Image: img_9]  cli_app   2024-03-15 18:54  image']);
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
  it('T1: resolves an om_ id to its thread and names user and bot senders from the server with bot identity', async () => {
    h.world.messages.om_root = { message_id: 'om_root', thread_id: 'omt_1' };
    h.world.threads.omt_1 = {
      items: [textMessage('om_root', 'question', { sender: 'cli_app', senderType: 'app' }), textMessage('om_r1', 'answer', { sender: 'ou_carol' })],
      has_more: false,
    };
    h.world.users = { ou_carol: 'Carol', cli_app: 'Helper Bot' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'om_root', '--as', 'bot');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [resolve, list, reactions, ...more] = apiCalls();
    expect(resolve).toMatchObject({ method: 'GET', path: '/open-apis/im/v1/messages/om_root', search: '' });
    expect(resolve!.headers.authorization).toBe(BOT_TOKEN);
    expect(list!.query).toEqual({
      card_msg_content_type: 'raw_card_content', container_id: 'omt_1', container_id_type: 'thread', page_size: '50', sort_type: 'ByCreateTimeAsc',
      with_sender_name: 'true',
    });
    expect(list!.headers.authorization).toBe(BOT_TOKEN);
    expect(reactions).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/messages/reactions/batch_query' });
    expect(reactions!.json).toEqual({ queries: [{ message_id: 'om_root' }, { message_id: 'om_r1' }] });
    expect(more).toEqual([]); // no contact look-up with bot identity either
    const data = r.json().data;
    expect(data).toMatchObject({ has_more: false, page_token: '', thread_id: 'omt_1', total: 2 });
    expect(data.messages.map((m: { message_id: string }) => m.message_id)).toEqual(['om_root', 'om_r1']);
    expect(data.messages[1].sender).toEqual({ id: 'ou_carol', id_type: 'open_id', name: 'Carol', sender_i18n_names: { en_us: 'Carol', zh_cn: 'Carol' }, sender_type: 'user' });
    // a bot sender is named too, and keeps its open_bot_id
    expect(data.messages[0].sender).toEqual({
      id: 'cli_app', id_type: 'app_id', name: 'Helper Bot', open_bot_id: 'ou_bot_cli_app', sender_i18n_names: { en_us: 'Helper Bot', zh_cn: 'Helper Bot' }, sender_type: 'app',
    });
  });

  it('T2: an omt_ id with --order desc and --page-size 1 makes one request; a mention does not name the sender', async () => {
    h.world.threads.omt_1 = {
      items: [
        textMessage('om_root', 'question @_user_1', { sender: 'ou_bob', mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }] }),
        textMessage('om_r1', 'newest @_user_1', { sender: 'ou_bob', mentions: [{ key: '@_user_1', id: 'ou_bob', name: 'Bob' }] }),
      ],
      // more pages always come with a cursor (a missing one is an error, see list-paging.test.ts)
      has_more: true,
      page_token: 'p2',
    };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--order', 'desc', '--page-size', '1', '--no-reactions');
    expect(r.code).toBe(0);
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.query).toMatchObject({ sort_type: 'ByCreateTimeDesc', page_size: '1', container_id: 'omt_1', with_sender_name: 'true' });
    const data = r.json().data;
    expect(data.messages).toHaveLength(1);
    expect(data.messages[0]).toMatchObject({ message_id: 'om_r1', content: 'newest @Bob' });
    // names come only from the server (which named nobody here), not from the mentions
    expect(data.messages[0].sender).toEqual({ id: 'ou_bob', id_type: 'open_id', sender_type: 'user' });
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
    expectStdoutLines(r, [
      'content  sender  time              type',
      '───────  ──────  ────────────────  ────',
      'hello    Alice   2024-03-15 18:53  text',
      '',
      '1 thread message(s) (more available, page_token: p2)',
      'tip: use --format json to view full message content',
      '',
    ]);
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
            page_size: '50', sort_type: 'ByCreateTimeDesc', with_sender_name: 'true',
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

describe('sender names from the server', () => {
  /** A chat page with a thread root and a merged forward; the thread holds another merged forward. */
  function namesWorld(): void {
    h.world.chats.oc_abc = {
      items: [
        textMessage('om_root', 'question', { threadId: 'omt_1', chatId: 'oc_abc', sender: 'ou_alice' }),
        rawMessage('om_mf', 'merge_forward', 'Merged and Forwarded Message', { chatId: 'oc_abc', sender: 'cli_app', senderType: 'app' }),
      ],
    };
    h.world.threads.omt_1 = {
      items: [
        textMessage('om_root', 'question', { threadId: 'omt_1', sender: 'ou_alice' }),
        rawMessage('om_mf2', 'merge_forward', 'Merged and Forwarded Message', { threadId: 'omt_1', sender: 'ou_carol' }),
      ],
    };
    h.world.mergeForward.om_mf = [textMessage('s1', 'inside', { sender: 'ou_dave', upper: 'om_mf' })];
    h.world.mergeForward.om_mf2 = [textMessage('s2', 'deeper', { sender: 'ou_erin', upper: 'om_mf2' })];
    h.world.users = { ou_alice: 'Alice', cli_app: 'Helper Bot', ou_carol: 'Carol', ou_dave: 'Dave', ou_erin: 'Erin' };
  }

  it.each([
    ['user', USER_TOKEN],
    ['bot', BOT_TOKEN],
  ])('as %s: the list, the thread replies and the merge-forward children all ask for them; no contact request', async (as, token) => {
    namesWorld();
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--as', as, '--no-reactions');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reads = apiCalls();
    expect(reads.map((q) => `${q.method} ${q.path}${q.query.container_id_type ? ` (${q.query.container_id_type})` : ''}`).sort()).toEqual([
      'GET /open-apis/im/v1/messages (chat)',
      'GET /open-apis/im/v1/messages (thread)',
      'GET /open-apis/im/v1/messages/om_mf',
      'GET /open-apis/im/v1/messages/om_mf2',
    ]);
    for (const q of reads) {
      expect(q.query.with_sender_name, q.path).toBe('true');
      expect(q.headers.authorization).toBe(token);
    }
    const [root, mf] = r.json().data.messages;
    expect(root.sender).toMatchObject({ id: 'ou_alice', name: 'Alice' });
    expect(root.sender).not.toHaveProperty('sender_name');
    expect(mf.sender).toMatchObject({ id: 'cli_app', name: 'Helper Bot', open_bot_id: 'ou_bot_cli_app' });
    expect(mf.content).toContain('] Dave:\n    inside');
    expect(root.thread_replies[1].sender).toMatchObject({ id: 'ou_carol', name: 'Carol' });
    expect(root.thread_replies[1].content).toContain('] Erin:\n    deeper');
  });

  it('the read shortcuts need no contact scope', async () => {
    namesWorld();
    h.world.messages.om_root = h.world.chats.oc_abc!.items[0]!;
    h.world.search[''] = { ids: ['om_root'] };
    const other = await makeSandbox();
    try {
      const scope = 'im:message.group_msg:get_as_user im:message.p2p_msg:get_as_user im:message.reactions:read search:message';
      await writeTestAccount(other, { brand: h.fake.url, user: { token: { scope } } });
      for (const args of [
        ['im', '+chat-messages-list', '--chat-id', 'oc_abc'],
        ['im', '+threads-messages-list', '--thread', 'omt_1'],
        ['im', '+messages-mget', '--message-ids', 'om_root'],
        ['im', '+messages-search', '--query', 'question'],
      ]) {
        const r = await runInProcess(args, { sandbox: other, env: { TZ } });
        expect(r.code, `${args[1]}: ${r.stderr}`).toBe(0);
      }
      expect(apiCalls().filter((q) => q.path.startsWith('/open-apis/contact/'))).toEqual([]);
    } finally {
      await other.cleanup();
    }
  });
});

describe('start-up cost', () => {
  it('validation and dry-run of the read shortcuts load neither the HTTP stack nor the table printer nor the enrichment', async () => {
    // the shared recorder: ES modules as they resolve, plus the CommonJS require cache at exit
    const recorder = pathToFileURL(path.join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs')).href;
    const heavy = /node_modules\/(undici|p-limit|jq-wasm)\/|dist\/(http\/transport|output\/formats|enrich\/(context|pipeline|names)|render\/(content|card|post|message|pretty|resources|util))\./;
    let seq = 0;
    const run = async (args: string[]) => {
      const file = path.join(h.sb.root, `read-imports-${++seq}.txt`);
      // help rendered by the CLI (as on a terminal), not the page the build rendered
      const r = await runCli(args, { sandbox: h.sb, env: { NODE_OPTIONS: `--import ${recorder}`, RECORD_IMPORTS_FILE: file, TZ, LARK_CLI_LIVE_HELP: '1' } });
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
    // a direct call: the transport over node:http, no undici
    expect(call.heavy.some((u) => /dist\/http\/transport\.js$/.test(u))).toBe(true);
    expect(call.heavy.some((u) => /dist\/output\/formats\.js$/.test(u))).toBe(true);
  });
});
