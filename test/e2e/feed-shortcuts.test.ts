/**
 * `+feed-shortcut-create`, `+feed-shortcut-remove`, `+feed-shortcut-list` against the fake
 * platform (docs/shortcuts-chats-feed.md).
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
const chat = (id: string) => ({ feed_card_id: id, type: 1 });

const expectValidation = h.expectValidation;

describe('+feed-shortcut-create', () => {
  it('pins chats at the bottom and prints the success ledger (example 1)', async () => {
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', 'oc_a', '--chat-id', 'oc_b', '--tail');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: { total: 2, success_count: 2, failure_count: 0, succeeded_shortcuts: [chat('oc_a'), chat('oc_b')] },
    });
    const [req] = calls();
    expect(req).toMatchObject({ method: 'POST', path: '/open-apis/im/v2/feed_shortcuts', search: '' });
    expect(req!.json).toEqual({ shortcuts: [chat('oc_a'), chat('oc_b')], is_header: false });
    expect(req!.headers.authorization).toBe(USER_TOKEN);
  });

  it('prints the partial-failure ledger on stdout with exit 1 (example 2)', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v2/feed_shortcuts', () => larkOk({ failed_shortcuts: [{ reason: 2, shortcut: { feed_card_id: 'oc_abc', type: 1 } }] })),
    );
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', 'oc_abc');
    expectJsonOut(r, 1, {
      ok: false,
      identity: 'user',
      data: {
        failed_shortcuts: [{ reason: 2, reason_label: 'invalid_item', shortcut: { feed_card_id: 'oc_abc', type: 1 } }],
        total: 1,
        success_count: 0,
        failure_count: 1,
        succeeded_shortcuts: [],
      },
    });
    expect(calls()[0]!.json).toEqual({ shortcuts: [chat('oc_abc')], is_header: true });
  });

  it('keeps the counts consistent whatever the server echoes', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v2/feed_shortcuts', () =>
        larkOk({
          failed_shortcuts: [
            { reason: 1, shortcut: { feed_card_id: 'oc_b', type: 1 } },
            { reason: 1, shortcut: { feed_card_id: 'oc_b', type: 1 } },
            { reason: 9, shortcut: { feed_card_id: 'oc_zzz' } },
            { shortcut: { feed_card_id: 'oc_c', type: 0 } },
            { reason: 5 },
            'junk',
          ],
          extra: 'kept',
        }),
      ),
    );
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', ' oc_a , oc_b', '--chat-id', 'oc_c,oc_a', '--chat-id', 'oc_d', '--head');
    expect(r.code).toBe(1);
    expect(calls()[0]!.json).toEqual({ shortcuts: [chat('oc_a'), chat('oc_b'), chat('oc_c'), chat('oc_d')], is_header: true });
    expect(r.json().data).toEqual({
      failed_shortcuts: [
        { reason: 1, reason_label: 'no_permission', shortcut: { feed_card_id: 'oc_b', type: 1 } },
        { reason: 1, reason_label: 'no_permission', shortcut: { feed_card_id: 'oc_b', type: 1 } },
        { reason: 9, reason_label: 'unknown', shortcut: { feed_card_id: 'oc_zzz' } },
        { shortcut: { feed_card_id: 'oc_c', type: 0 } },
        { reason: 5, reason_label: 'internal_error' },
        'junk',
      ],
      extra: 'kept',
      total: 4,
      success_count: 2,
      failure_count: 2,
      succeeded_shortcuts: [chat('oc_a'), chat('oc_d')],
    });
  });

  it('builds a ledger from a null data answer and ignores --format', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/feed_shortcuts', () => Response.json({ code: 0, msg: 'ok', data: null })));
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', 'oc_a', '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, identity: 'user', data: { total: 1, success_count: 1, failure_count: 0, succeeded_shortcuts: [chat('oc_a')] } });
  });

  it('prints the dry-run plan', async () => {
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', 'oc_abc,oc_def', '--tail', '--dry-run');
    expect(r.json()).toEqual({
      api: [{ method: 'POST', url: '/open-apis/im/v2/feed_shortcuts', body: { is_header: false, shortcuts: [chat('oc_abc'), chat('oc_def')] } }],
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('validates --chat-id and --head/--tail before any request (example 3)', async () => {
    await expectValidation(['im', '+feed-shortcut-create', '--chat-id', 'om_not_a_chat', '--dry-run'], 'invalid --chat-id "om_not_a_chat": must be an open_chat_id starting with oc_');
    await expectValidation(['im', '+feed-shortcut-create', '--chat-id', 'oc_a', '--head', '--tail'], '--head and --tail are mutually exclusive');
    await expectValidation(['im', '+feed-shortcut-create'], '--chat-id is required (oc_xxx); repeat the flag or pass comma-separated values');
    await expectValidation(['im', '+feed-shortcut-create', '--chat-id', ''], '--chat-id is required (oc_xxx); repeat the flag or pass comma-separated values');
    await expectValidation(['im', '+feed-shortcut-create', '--chat-id', ' , '], '--chat-id is required (oc_xxx)');
    await expectValidation(['im', '+feed-shortcut-create', '--chat-id', 'oc_a', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });

  it('reports an API error', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/feed_shortcuts', () => larkErr(99991679, 'unauthorized', undefined, { status: 200 })));
    const r = await cli('im', '+feed-shortcut-create', '--chat-id', 'oc_a');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'permission', code: 99991679, message: 'Permission denied [99991679]', hint: 'check app permissions or re-authorize: lark-cli auth login' });
  });
});

describe('+feed-shortcut-remove', () => {
  it('removes chats, never sends is_header, keeps an empty failed list (example 1)', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/feed_shortcuts/remove', () => larkOk({ failed_shortcuts: [] })));
    const r = await cli('im', '+feed-shortcut-remove', '--chat-id', 'oc_abc,oc_def');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({
      failed_shortcuts: [],
      total: 2,
      success_count: 2,
      failure_count: 0,
      succeeded_shortcuts: [chat('oc_abc'), chat('oc_def')],
    });
    const [req] = calls();
    expect(req).toMatchObject({ method: 'POST', path: '/open-apis/im/v2/feed_shortcuts/remove' });
    expect(req!.json).toEqual({ shortcuts: [chat('oc_abc'), chat('oc_def')] });
  });

  it('reports per-item failures as ok:false, exit 1', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/feed_shortcuts/remove', () => larkOk({ failed_shortcuts: [{ reason: 3, shortcut: chat('oc_def') }] })));
    const r = await cli('im', '+feed-shortcut-remove', '--chat-id', 'oc_abc', '--chat-id', 'oc_def');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.json().ok).toBe(false);
    expect(r.json().data.failed_shortcuts[0].reason_label).toBe('has_pending_delete');
    expect(r.json().data.succeeded_shortcuts).toEqual([chat('oc_abc')]);
  });

  it('rejects more than 10 chats (example 2) and prints the dry-run', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `oc_${i + 1}`).join(',');
    await expectValidation(['im', '+feed-shortcut-remove', '--chat-id', ids], 'too many --chat-id values (11); the server accepts up to 10 per request');
    const ten = Array.from({ length: 10 }, (_, i) => `oc_${i + 1}`);
    const r = await cli('im', '+feed-shortcut-remove', '--chat-id', [...ten, 'oc_1'].join(','), '--dry-run');
    expect(r.json()).toEqual({ api: [{ method: 'POST', url: '/open-apis/im/v2/feed_shortcuts/remove', body: { shortcuts: ten.map(chat) } }] });
    const quoted = await cli('im', '+feed-shortcut-remove', '--chat-id', 'oc_x,"oc_y"', '--dry-run');
    expect(quoted.json().api[0].body.shortcuts).toEqual([chat('oc_x'), chat('oc_y')]);
  });
});

describe('+feed-shortcut-remove errors', () => {
  it('refuses a missing --chat-id and reports an API error', async () => {
    await expectValidation(['im', '+feed-shortcut-remove'], '--chat-id is required (oc_xxx); repeat the flag or pass comma-separated values');
    h.fake.use(http.post('*/open-apis/im/v2/feed_shortcuts/remove', () => larkErr(231004, 'too many requests in batch', undefined, { status: 200 })));
    const r = await cli('im', '+feed-shortcut-remove', '--chat-id', 'oc_a');
    expectJsonErr(r, 1, { ok: false, identity: 'user', error: { type: 'api_error', code: 231004, message: 'too many requests in batch' } });
  });
});

describe('+feed-shortcut-list', () => {
  it('adds the chat detail to chat entries (example 1)', async () => {
    const detail = { chat_id: 'oc_a', name: 'Team Alpha', chat_mode: 'group' };
    h.fake.use(
      http.get('*/open-apis/im/v2/feed_shortcuts', () => larkOk({ shortcuts: [chat('oc_a')], has_more: false, page_token: '' })),
      http.post('*/open-apis/im/v1/chats/batch_query', () => larkOk({ items: [detail] })),
    );
    const r = await cli('im', '+feed-shortcut-list');
    expectJsonOut(r, 0, { ok: true, identity: 'user', data: { shortcuts: [{ ...chat('oc_a'), detail }], has_more: false, page_token: '' } });
    const [list, batch] = calls();
    expect(list).toMatchObject({ method: 'GET', path: '/open-apis/im/v2/feed_shortcuts', search: '' });
    expect(batch).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/chats/batch_query', search: '?user_id_type=open_id' });
    expect(batch!.json).toEqual({ chat_ids: ['oc_a'] });
    expect(batch!.headers.authorization).toBe(USER_TOKEN);
  });

  it('keeps the listing when the detail look-up fails (example 2)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v2/feed_shortcuts', () => larkOk({ shortcuts: [chat('oc_a')], has_more: false, page_token: '' })),
      http.post('*/open-apis/im/v1/chats/batch_query', () => dropConnection()),
    );
    const r = await cli('im', '+feed-shortcut-list');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: detail enrichment failed: .+\n$/);
    const data = r.json().data;
    expect(data.shortcuts).toEqual([chat('oc_a')]);
    expect(data._notice).toBe(`detail enrichment skipped: ${r.stderr.slice('warning: detail enrichment failed: '.length, -1)}`);
  });

  it('makes one call with --no-detail and a page token (example 3)', async () => {
    const r = await cli('im', '+feed-shortcut-list', '--no-detail', '--page-token', 'tok1');
    expect(r.code).toBe(0);
    expect(calls().map((c) => `${c.method} ${c.path}${c.search}`)).toEqual(['GET /open-apis/im/v2/feed_shortcuts?page_token=tok1']);
    expect(r.json().data.shortcuts).toEqual([chat('oc_group')]);
  });

  it('looks up only chat entries, in chunks of 50, and leaves the rest alone', async () => {
    const many = Array.from({ length: 55 }, (_, i) => chat(`oc_${i}`));
    h.fake.use(
      http.get('*/open-apis/im/v2/feed_shortcuts', () =>
        larkOk({ shortcuts: [...many, chat('oc_0'), { feed_card_id: 'oc_s', type: '1' }, { feed_card_id: 'doc_1', type: 2 }, chat('')], has_more: true, page_token: 'n' }),
      ),
      http.post('*/open-apis/im/v1/chats/batch_query', async ({ request }) => {
        const ids = ((await request.json()) as { chat_ids: string[] }).chat_ids;
        return larkOk({ items: ids.filter((id) => id !== 'oc_7').map((id) => ({ chat_id: id, name: `N${id}` })) });
      }),
    );
    const r = await cli('im', '+feed-shortcut-list');
    expect(r.code).toBe(0);
    const batches = h.fake.requestsTo('/open-apis/im/v1/chats/batch_query').map((b) => (b.json as { chat_ids: string[] }).chat_ids);
    expect(batches.map((b) => b.length).sort((a, b) => a - b)).toEqual([5, 50]);
    expect(batches.flat().sort()).toEqual(many.map((m) => m.feed_card_id).sort());
    const out = r.json().data.shortcuts;
    expect(out[0]).toEqual({ ...chat('oc_0'), detail: { chat_id: 'oc_0', name: 'Noc_0' } });
    expect(out[7]).toEqual(chat('oc_7'));
    expect(out[55]).toEqual({ ...chat('oc_0'), detail: { chat_id: 'oc_0', name: 'Noc_0' } });
    expect(out.slice(56)).toEqual([{ feed_card_id: 'oc_s', type: '1' }, { feed_card_id: 'doc_1', type: 2 }, chat('')]);
    expect(r.json().data.has_more).toBe(true);
  });

  it('checks im:chat:read when the look-up runs, not before', async () => {
    const narrow = await makeSandbox();
    try {
      await loginUser(narrow, h.fake.url, 'im:feed.shortcut:read');
      const r = await runInProcess(['im', '+feed-shortcut-list'], { sandbox: narrow });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('warning: detail enrichment failed: missing required scope(s): im:chat:read\n');
      expect(r.json().data._notice).toBe('detail enrichment skipped: missing required scope(s): im:chat:read');
      expect(h.fake.requestsTo('/open-apis/im/v1/chats/batch_query')).toHaveLength(0);
    } finally {
      await narrow.cleanup();
    }
  });

  it('prints the dry-run with the enrichment note', async () => {
    const r = await cli('im', '+feed-shortcut-list', '--dry-run');
    expect(r.json()).toEqual({
      api: [
        {
          desc: 'conditional enrichment: if CHAT-type entries exist, execution also calls POST /open-apis/im/v1/chats/batch_query and requires scope im:chat:read; pass --no-detail to skip this extra call and extra scope',
          method: 'GET',
          url: '/open-apis/im/v2/feed_shortcuts',
        },
      ],
    });
    const p = await cli('im', '+feed-shortcut-list', '--dry-run', '--no-detail', '--page-token', 'tok1', '--format', 'pretty');
    expect(p.stdout).toBe('GET /open-apis/im/v2/feed_shortcuts?page_token=tok1\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('reports an API error and refuses bot identity', async () => {
    h.fake.use(http.get('*/open-apis/im/v2/feed_shortcuts', () => larkErr(231003, 'version changed, restart', undefined, { status: 200 })));
    const r = await cli('im', '+feed-shortcut-list', '--page-token', 'old');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 231003, message: 'version changed, restart' });
    h.fake.clearRequests();
    await expectValidation(['im', '+feed-shortcut-list', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });
});
