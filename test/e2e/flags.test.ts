/**
 * `+flag-create`, `+flag-cancel`, `+flag-list` against the fake platform
 * (docs/shortcuts-chats-feed.md).
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { dropConnection } from '../fake-lark/server.js';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { USER_TOKEN, loginUser, useChatsFeedFake } from '../fake-lark/chats-feed.js';
import { makeSandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { expectJsonErr, expectJsonOut } from '../helpers/fake-lark-hooks.js';

const h = useChatsFeedFake();

const cli = h.cli;
const calls = h.apiCalls;
const summary = () => calls().map((r) => `${r.method} ${r.path}${r.search}`);

const expectValidation = h.expectValidation;

const item = (id: string, it: string, ft: string) => ({ item_id: id, item_type: it, flag_type: ft });

describe('+flag-create', () => {
  it('creates a message-layer flag with no look-up (example 1)', async () => {
    const r = await cli('im', '+flag-create', '--message-id', 'om_1');
    expectJsonOut(r, 0, { ok: true, identity: 'user', data: { flag_items: [item('om_1', '0', '2')] } });
    expect(summary()).toEqual(['POST /open-apis/im/v1/flags']);
    expect(calls()[0]!.json).toEqual({ flag_items: [item('om_1', '0', '2')] });
    expect(calls()[0]!.text).toBe('{"flag_items":[{"item_id":"om_1","item_type":"0","flag_type":"2"}]}');
    expect(calls()[0]!.headers.authorization).toBe(USER_TOKEN);
  });

  it('detects the feed-layer item type from the chat mode: topic → 4, group → 11 (example 2)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/messages/:id', ({ params }) => larkOk({ items: [{ message_id: params.id, chat_id: 'oc_chat' }] })),
      http.get('*/open-apis/im/v1/chats/:id', () => larkOk({ chat_mode: 'topic' })),
    );
    const topic = await cli('im', '+flag-create', '--message-id', 'om_123', '--flag-type', 'feed');
    expect(topic.code).toBe(0);
    expect(summary()).toEqual(['GET /open-apis/im/v1/messages/om_123', 'GET /open-apis/im/v1/chats/oc_chat', 'POST /open-apis/im/v1/flags']);
    expect(calls()[2]!.json).toEqual({ flag_items: [item('om_123', '4', '1')] });

    h.fake.resetHandlers();
    h.fake.clearRequests();
    const group = await cli('im', '+flag-create', '--message-id', 'om_group', '--flag-type', ' FEED ');
    expect(group.code).toBe(0);
    expect(summary()).toEqual(['GET /open-apis/im/v1/messages/om_group', 'GET /open-apis/im/v1/chats/oc_group', 'POST /open-apis/im/v1/flags']);
    expect(calls()[2]!.json).toEqual({ flag_items: [item('om_group', '11', '1')] });
  });

  it('honours an explicit feed pair without look-ups, and --flag-type message', async () => {
    await cli('im', '+flag-create', '--message-id', 'om_1', '--item-type', 'msg_thread', '--flag-type', 'feed');
    expect(summary()).toEqual(['POST /open-apis/im/v1/flags']);
    expect(calls()[0]!.json).toEqual({ flag_items: [item('om_1', '11', '1')] });
    h.fake.clearRequests();
    await cli('im', '+flag-create', '--message-id', 'om_1', '--item-type', 'default', '--flag-type', 'message');
    expect(calls()[0]!.json).toEqual({ flag_items: [item('om_1', '0', '2')] });
  });

  it('prints the dry-run plan with the auto-detect placeholder', async () => {
    const auto = await cli('im', '+flag-create', '--message-id', 'om_1', '--flag-type', 'feed', '--dry-run');
    expect(auto.json()).toEqual({
      api: [
        {
          desc: 'feed-layer item_type is auto-detected at execution time by reading the message chat and chat_mode',
          method: 'POST',
          url: '/open-apis/im/v1/flags',
          body: { flag_items: [item('om_1', '<auto:thread|msg_thread>', '1')] },
        },
      ],
    });
    const plain = await cli('im', '+flag-create', '--message-id', 'om_1', '--dry-run', '--format', 'pretty');
    expect(plain.stdout).toBe('POST /open-apis/im/v1/flags\n  {"flag_items":[{"item_id":"om_1","item_type":"0","flag_type":"2"}]}\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('adds the recovery hint to look-up failures', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/messages/:id', () => larkOk({ items: [] })));
    const notFound = await cli('im', '+flag-create', '--message-id', 'om_x', '--flag-type', 'feed');
    expect(notFound.code).toBe(1);
    expect(notFound.errJson().error).toEqual({ type: 'not_found', message: 'message not found', hint: 'specify --item-type explicitly' });

    h.fake.use(http.get('*/open-apis/im/v1/messages/:id', () => larkOk({ items: [{ message_id: 'om_x' }] })));
    const noChat = await cli('im', '+flag-create', '--message-id', 'om_x', '--flag-type', 'feed');
    expect(noChat.code).toBe(5);
    expect(noChat.errJson().error).toEqual({ type: 'internal', message: 'message response missing chat_id field', hint: 'specify --item-type explicitly' });

    h.fake.use(http.get('*/open-apis/im/v1/messages/:id', () => larkOk({ items: [{ message_id: 'om_x', chat_id: '' }] })));
    const empty = await cli('im', '+flag-create', '--message-id', 'om_x', '--flag-type', 'feed');
    expect(empty.code).toBe(2);
    expect(empty.errJson().error.message).toBe('message does not belong to a chat; feed-layer flags are only for messages in chats');

    h.fake.resetHandlers();
    h.fake.use(http.get('*/open-apis/im/v1/chats/:id', () => dropConnection()));
    const net = await cli('im', '+flag-create', '--message-id', 'om_group', '--flag-type', 'feed');
    expect(net.code).toBe(4);
    expect(net.errJson().error.type).toBe('network');
    expect(net.errJson().error.hint).toBe('specify --item-type explicitly');
    expect(h.fake.requestsTo('/open-apis/im/v1/flags')).toHaveLength(0);
  });

  it('validates before any request (examples 3, 4 and the rest)', async () => {
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--item-type', 'thread'], '--item-type=thread requires --flag-type=feed; message-layer flags always use item-type=default');
    await expectValidation(['im', '+flag-create', '--message-id', 'omt_1'], 'invalid message ID "omt_1": omt_ prefix is a thread ID, not a message ID; flag operations require om_ message IDs');
    await expectValidation(['im', '+flag-create'], '--message-id is required');
    await expectValidation(['im', '+flag-create', '--message-id', 'oc_1'], 'invalid message ID "oc_1": must start with om_');
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--item-type', 'default'], '--item-type=default requires --flag-type=message; or omit both to use default behavior');
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--item-type', 'thread', '--flag-type', 'message'], 'invalid --item-type=thread --flag-type=message combination; supported pairs are default+message, thread+feed, and msg_thread+feed');
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--item-type', 'topic'], 'invalid --item-type "topic": expected one of default|thread|msg_thread');
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--flag-type', 'pin'], 'invalid --flag-type "pin": expected one of message|feed');
    await expectValidation(['im', '+flag-create', '--message-id', 'om_1', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });

  it('reports an API error, and ignores --format (always the envelope)', async () => {
    const table = await cli('im', '+flag-create', '--message-id', 'om_1', '--format', 'table');
    expect(table.json().ok).toBe(true);
    h.fake.use(http.post('*/open-apis/im/v1/flags', () => larkErr(231001, 'message not exist', undefined, { status: 200 })));
    const r = await cli('im', '+flag-create', '--message-id', 'om_1');
    expectJsonErr(r, 1, { ok: false, identity: 'user', error: { type: 'api_error', code: 231001, message: 'message not exist' } });
  });
});

describe('+flag-cancel', () => {
  it('double-cancels with one layer failing: ok:false ledger on stdout, exit 1 (example 1)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/messages/:id', () => larkOk({ items: [{ message_id: 'om_123', chat_id: 'oc_chat' }] })),
      http.get('*/open-apis/im/v1/chats/:id', () => larkOk({ chat_mode: 'group' })),
      http.post('*/open-apis/im/v1/flags/cancel', async ({ request }) => {
        const b = (await request.json()) as { flag_items: Array<{ flag_type: string }> };
        return b.flag_items[0]!.flag_type === '2' ? larkOk({ request_id: 'message-ok' }) : larkErr(999, 'feed failed', undefined, { status: 200 });
      }),
    );
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_123');
    expectJsonOut(r, 1, {
      ok: false,
      identity: 'user',
      data: {
        results: [
          { item_id: 'om_123', item_type: 'default', flag_type: 'message', status: 'ok', response: { request_id: 'message-ok' } },
          { item_id: 'om_123', item_type: 'msg_thread', flag_type: 'feed', status: 'failed', error: 'feed failed' },
        ],
      },
    });
    expect(summary()).toEqual([
      'GET /open-apis/im/v1/messages/om_123',
      'GET /open-apis/im/v1/chats/oc_chat',
      'POST /open-apis/im/v1/flags/cancel',
      'POST /open-apis/im/v1/flags/cancel',
    ]);
    expect(calls()[2]!.json).toEqual({ flag_items: [item('om_123', '0', '2')] });
    expect(calls()[3]!.json).toEqual({ flag_items: [item('om_123', '11', '1')] });
  });

  it('cancels both layers of a topic-chat message (thread)', async () => {
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_topic');
    expect(r.code).toBe(0);
    expect(r.json().ok).toBe(true);
    expect(r.json().data.results).toEqual([
      { item_id: 'om_topic', item_type: 'default', flag_type: 'message', status: 'ok', response: {} },
      { item_id: 'om_topic', item_type: 'thread', flag_type: 'feed', status: 'ok', response: {} },
    ]);
    expect(calls()[3]!.json).toEqual({ flag_items: [item('om_topic', '4', '1')] });
  });

  it('skips the feed layer with a warning when the message look-up fails (example 2)', async () => {
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_789');
    expect(r.stderr).toBe('warning: cannot determine feed-layer item_type: HTTP 400: message not found; skipping feed-layer cancel\n');
    expect(r.code).toBe(0);
    expect(r.json().data.results).toEqual([{ item_id: 'om_789', item_type: 'default', flag_type: 'message', status: 'ok', response: {} }]);
    expect(summary()).toEqual(['GET /open-apis/im/v1/messages/om_789', 'POST /open-apis/im/v1/flags/cancel']);
    expect(calls()[1]!.json).toEqual({ flag_items: [item('om_789', '0', '2')] });
  });

  it('skips the feed layer when the chat look-up fails, even for an empty chat_id (Notes 5)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/messages/:id', () => larkOk({ items: [{ message_id: 'om_1', chat_id: '' }] })),
      // the empty segment does not name a chat: the platform answers 404
      http.get(/\/open-apis\/im\/v1\/chats\/$/, () => new Response('404 page not found', { status: 404 })),
    );
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: cannot determine feed-layer item_type: HTTP 404; skipping feed-layer cancel\n');
    expect(summary()).toEqual(['GET /open-apis/im/v1/messages/om_1', 'GET /open-apis/im/v1/chats/', 'POST /open-apis/im/v1/flags/cancel']);
  });

  it('sends one targeted cancel with overrides (example 4) and infers the missing half', async () => {
    await cli('im', '+flag-cancel', '--message-id', 'om_1', '--item-type', 'msg_thread', '--flag-type', 'feed');
    expect(summary()).toEqual(['POST /open-apis/im/v1/flags/cancel']);
    expect(calls()[0]!.json).toEqual({ flag_items: [item('om_1', '11', '1')] });
    h.fake.clearRequests();
    // --item-type default alone is accepted here (Notes 3)
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_1', '--item-type', 'default');
    expect(r.json().data.results).toEqual([{ item_id: 'om_1', item_type: 'default', flag_type: 'message', status: 'ok', response: {} }]);
    expect(calls()[0]!.json).toEqual({ flag_items: [item('om_1', '0', '2')] });
  });

  it('prints a failed single cancel as the ok:false ledger', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/flags/cancel', () => larkErr(231002, 'no permission')));
    const r = await cli('im', '+flag-cancel', '--message-id', 'om_1', '--flag-type', 'message');
    expectJsonOut(r, 1, {
      ok: false,
      identity: 'user',
      data: { results: [{ item_id: 'om_1', item_type: 'default', flag_type: 'message', status: 'failed', error: 'HTTP 400: no permission' }] },
    });
  });

  it('prints the dry-run plans: both layers in one body, or the single item', async () => {
    const dbl = await cli('im', '+flag-cancel', '--message-id', 'om_1', '--dry-run');
    expect(dbl.json()).toEqual({
      api: [
        {
          desc: 'double-cancel: tries both message and feed layers (best-effort); feed-layer skipped if chat_type undeterminable',
          method: 'POST',
          url: '/open-apis/im/v1/flags/cancel',
          body: { flag_items: [item('om_1', '0', '2'), item('om_1', '<auto:thread|msg_thread>', '1')] },
        },
      ],
    });
    const single = await cli('im', '+flag-cancel', '--message-id', 'om_1', '--item-type', 'thread', '--flag-type', 'feed', '--dry-run');
    expect(single.json()).toEqual({ api: [{ method: 'POST', url: '/open-apis/im/v1/flags/cancel', body: { flag_items: [item('om_1', '4', '1')] } }] });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('validates before any request (example 3 and the rest)', async () => {
    await expectValidation(['im', '+flag-cancel', '--message-id', 'om_1', '--flag-type', 'feed'], 'invalid combination: --flag-type=feed with inferred --item-type=default; specify --item-type explicitly to override');
    await expectValidation(['im', '+flag-cancel', '--message-id', 'om_1', '--item-type', 'thread'], 'invalid combination: --item-type=thread requires --flag-type=feed (feed-layer flags are the only valid type for threads)');
    await expectValidation(['im', '+flag-cancel', '--message-id', 'om_1', '--item-type', 'default', '--flag-type', 'feed'], 'invalid --item-type/--flag-type combination: supported pairs are default+message, thread+feed, and msg_thread+feed');
    await expectValidation(['im', '+flag-cancel', '--message-id', ' '], '--message-id is required');
    await expectValidation(['im', '+flag-cancel', '--message-id', 'om_1', '--flag-type', 'x'], 'invalid --flag-type "x": expected one of message|feed');
    await expectValidation(['im', '+flag-cancel', '--message-id', 'om_1', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });
});

describe('+flag-list', () => {
  it('lists one page with page_token always sent (example 1)', async () => {
    const data = {
      flag_items: [item('om_1', '0', '2')],
      delete_flag_items: [],
      messages: [{ message_id: 'om_1' }],
      has_more: false,
      page_token: '',
    };
    h.fake.use(http.get('*/open-apis/im/v1/flags', () => larkOk(data)));
    const r = await cli('im', '+flag-list', '--page-size', '10');
    expectJsonOut(r, 0, { ok: true, identity: 'user', data });
    expect(summary()).toEqual(['GET /open-apis/im/v1/flags?page_size=10&page_token=']);
    expect(calls()[0]!.headers.authorization).toBe(USER_TOKEN);
  });

  it('--page-all stops at --page-limit (example 2)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/flags', ({ request }) => {
        const tok = new URL(request.url).searchParams.get('page_token') ?? '';
        const n = tok === '' ? 1 : Number(tok.split('_')[1]) + 1;
        return larkOk({ flag_items: [item(`om_${n}`, '0', '2')], delete_flag_items: [item(`om_d${n}`, '0', '2')], has_more: true, page_token: `token_${n}` });
      }),
    );
    const r = await cli('im', '+flag-list', '--page-all', '--page-limit', '3', '--enrich-feed-thread=false');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('page 1: 1 flags, 1 deleted\npage 2: 2 flags, 2 deleted\npage 3: 3 flags, 3 deleted\n');
    expect(calls().map((c) => c.query.page_token)).toEqual(['', 'token_1', 'token_2']);
    expect(r.json().data).toEqual({
      flag_items: [item('om_1', '0', '2'), item('om_2', '0', '2'), item('om_3', '0', '2')],
      delete_flag_items: [item('om_d1', '0', '2'), item('om_d2', '0', '2'), item('om_d3', '0', '2')],
      messages: [],
      has_more: true,
      page_token: 'token_3',
    });
  });

  it('stops on a repeated page token, and an explicit --page-token fetches one page', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/flags', () => larkOk({ flag_items: [], has_more: true, page_token: 'SAME' })));
    const r = await cli('im', '+flag-list', '--page-all');
    expect(r.stderr).toBe('page 1: 0 flags, 0 deleted\npage 2: 0 flags, 0 deleted\nwarning: page_token did not change, stopping pagination to avoid infinite loop\n');
    expect(calls()).toHaveLength(2);
    h.fake.clearRequests();
    const one = await cli('im', '+flag-list', '--page-all', '--page-token', '');
    expect(one.stderr).toBe('');
    expect(summary()).toEqual(['GET /open-apis/im/v1/flags?page_size=50&page_token=']);
  });

  it('fetches missing feed-thread messages with mget in batches of 50 (example 3)', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => item(`om_t${i}`, i % 2 ? '4' : '11', '1'));
    h.fake.use(
      http.get('*/open-apis/im/v1/flags', () =>
        larkOk({ flag_items: [...entries, entries[0], item('om_m', '0', '2')], delete_flag_items: [item('om_t0', '4', '1')], messages: [], has_more: false, page_token: '' }),
      ),
      http.get('*/open-apis/im/v1/messages/mget', ({ request }) =>
        larkOk({ items: new URL(request.url).searchParams.getAll('message_ids').map((id) => ({ message_id: id, msg_type: 'text' })) }),
      ),
    );
    const r = await cli('im', '+flag-list');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const mget = h.fake.requestsTo('/open-apis/im/v1/messages/mget');
    expect(mget).toHaveLength(2);
    const ids = mget.flatMap((m) => m.query.message_ids as string[]).sort();
    expect(ids).toEqual(entries.map((e) => e.item_id).sort());
    expect(mget.map((m) => (m.query.message_ids as string[]).length).sort((a, b) => a - b)).toEqual([10, 50]);
    expect(Object.keys(mget[0]!.query)).toEqual(['message_ids']);
    const out = r.json().data;
    expect(out.flag_items[5]).toEqual({ ...entries[5], message: { message_id: 'om_t5', msg_type: 'text' } });
    expect(out.flag_items[61]).toEqual(item('om_m', '0', '2'));
    expect(out.delete_flag_items[0]).toEqual(item('om_t0', '4', '1'));
  });

  it('uses inlined messages without mget, and attaches nothing when mget fails (Notes 6)', async () => {
    const page = {
      flag_items: [item('om_a', '4', '1'), item('om_b', '11', '1')],
      messages: [{ message_id: 'om_a', inline: true }],
      has_more: false,
      page_token: '',
    };
    h.fake.use(http.get('*/open-apis/im/v1/flags', () => larkOk(page)), http.get('*/open-apis/im/v1/messages/mget', () => larkErr(230002, 'mget denied')));
    const r = await cli('im', '+flag-list');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: feed-thread enrichment failed: HTTP 400: mget denied\n');
    expect(r.json().data).toEqual(page);
    expect(h.fake.requestsTo('/open-apis/im/v1/messages/mget')[0]!.search).toBe('?message_ids=om_b');

    h.fake.use(http.get('*/open-apis/im/v1/flags', () => larkOk({ ...page, flag_items: [item('om_a', '4', '1')] })));
    h.fake.clearRequests();
    const inl = await cli('im', '+flag-list');
    expect(inl.json().data.flag_items).toEqual([{ ...item('om_a', '4', '1'), message: { message_id: 'om_a', inline: true } }]);
    expect(h.fake.requestsTo('/open-apis/im/v1/messages/mget')).toHaveLength(0);
  });

  it('checks the message scopes lazily before mget', async () => {
    const narrow = await makeSandbox();
    try {
      await loginUser(narrow, h.fake.url, 'im:feed.flag:read');
      h.fake.use(http.get('*/open-apis/im/v1/flags', () => larkOk({ flag_items: [item('om_a', '4', '1')], has_more: false, page_token: '' })));
      const r = await runInProcess(['im', '+flag-list'], { sandbox: narrow });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('warning: feed-thread enrichment failed: missing required scope(s): im:message.group_msg:get_as_user, im:message.p2p_msg:get_as_user\n');
      expect(h.fake.requestsTo('/open-apis/im/v1/messages/mget')).toHaveLength(0);

      h.fake.clearRequests();
      const off = await runInProcess(['im', '+flag-list', '--enrich-feed-thread=false'], { sandbox: narrow });
      expect(off.stderr).toBe('');
      expect(off.json().data.flag_items).toEqual([item('om_a', '4', '1')]);
    } finally {
      await narrow.cleanup();
    }
  });

  it('prints the dry-run with the enrichment note', async () => {
    const r = await cli('im', '+flag-list', '--page-token', 'tk', '--page-size', '7', '--dry-run');
    expect(r.json()).toEqual({
      api: [
        {
          desc: 'conditional enrichment: if feed/thread flag items are missing message content, execution may also call GET /open-apis/im/v1/messages/mget and requires scopes im:message.group_msg:get_as_user im:message.p2p_msg:get_as_user; pass --enrich-feed-thread=false to skip this extra call and extra scopes',
          method: 'GET',
          url: '/open-apis/im/v1/flags',
          params: { page_size: '7', page_token: 'tk' },
        },
      ],
    });
    const off = await cli('im', '+flag-list', '--enrich-feed-thread=false', '--dry-run');
    expect(off.json()).toEqual({ api: [{ method: 'GET', url: '/open-apis/im/v1/flags', params: { page_size: '50', page_token: '' } }] });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('aborts on a failing later page with nothing on stdout', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/flags', ({ request }) =>
        new URL(request.url).searchParams.get('page_token') ? larkErr(231099, 'stale token', undefined, { status: 200 }) : larkOk({ flag_items: [], has_more: true, page_token: 't1' }),
      ),
    );
    const r = await cli('im', '+flag-list', '--page-all');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('page 1: 0 flags, 0 deleted\n')).toBe(true);
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error).toEqual({ type: 'api_error', code: 231099, message: 'stale token' });
  });

  it('validates before any request', async () => {
    await expectValidation(['im', '+flag-list', '--page-size', '51'], '--page-size must be an integer between 1 and 50');
    await expectValidation(['im', '+flag-list', '--page-size', '0'], '--page-size must be an integer between 1 and 50');
    await expectValidation(['im', '+flag-list', '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+flag-list', '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+flag-list', '--enrich-feed-thread=maybe'], 'invalid argument "maybe" for "--enrich-feed-thread" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    await expectValidation(['im', '+flag-list', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });

  it('shows the bool default in --help', async () => {
    const r = await cli('im', '+flag-list', '--help');
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--page-size <value> page size (1-50) (default: 50)');
    expect(text).toContain('(default: 20)');
    expect(text).toMatch(/--enrich-feed-thread .*\(default: true\)/);
  });
});
