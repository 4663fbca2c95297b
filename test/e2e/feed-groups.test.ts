/**
 * `+feed-group-list`, `+feed-group-list-item`, `+feed-group-query-item` against the fake platform
 * (docs/shortcuts-chats-feed.md).
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { USER_TOKEN, useChatsFeedFake } from '../fake-lark/chats-feed.js';
import { expectJsonOut } from '../helpers/fake-lark-hooks.js';

const h = useChatsFeedFake({ TZ: 'Asia/Shanghai' });

const cli = h.cli;
const calls = h.apiCalls;
const summary = () => calls().map((r) => `${r.method} ${r.path}${r.search}`);
const g = (id: string) => ({ group_id: id, type: 'normal', name: `G ${id}` });
const card = (id: string, t = '1767196800000') => ({ feed_id: id, feed_type: 'chat', update_time: t });

const expectValidation = h.expectValidation;

/** Chats known to batch_query; the rest are invisible. */
function batchQuery(names: Record<string, string>) {
  return http.post('*/open-apis/im/v1/chats/batch_query', async ({ request }) => {
    const ids = ((await request.json()) as { chat_ids: string[] }).chat_ids;
    return larkOk({ items: ids.filter((id) => id in names).map((id) => ({ chat_id: id, name: names[id] })) });
  });
}

describe('+feed-group-list', () => {
  it('--page-all merges both lists across pages (example 1)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/groups', ({ request }) =>
        new URL(request.url).searchParams.get('page_token') === 'TKN'
          ? larkOk({ groups: [g('g3')], deleted_groups: [g('d4')], page_token: '', has_more: false })
          : larkOk({ groups: [g('g1'), g('g2')], deleted_groups: [g('d1'), g('d2'), g('d3')], page_token: 'TKN', has_more: true }),
      ),
    );
    const r = await cli('im', '+feed-group-list', '--page-all', '--page-size', '5');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('page 1: 2 groups, 3 deleted\npage 2: 3 groups, 4 deleted\n');
    expect(summary()).toEqual(['GET /open-apis/im/v1/groups?page_size=5&page_token=', 'GET /open-apis/im/v1/groups?page_size=5&page_token=TKN']);
    expect(calls()[0]!.headers.authorization).toBe(USER_TOKEN);
    expect(r.json().data).toEqual({
      groups: [g('g1'), g('g2'), g('g3')],
      deleted_groups: [g('d1'), g('d2'), g('d3'), g('d4')],
      has_more: false,
      page_token: '',
    });
  });

  it('filters by time window and renders the pretty table (example 2)', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups', () => larkOk({ groups: [g('g1'), g('g2')], deleted_groups: [g('d1')], has_more: true, page_token: 'x' })));
    const r = await cli('im', '+feed-group-list', '--start-time', '100', '--end-time', '200', '--format', 'pretty');
    expect(r.code).toBe(0);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]!.query).toEqual({ end_time: '200', page_size: '50', page_token: '', start_time: '100' });
    expect(r.stdout).toBe(
      'group_id  name  type  \n────────  ────  ──────\ng1        G g1  normal\ng2        G g2  normal\n\n' +
        '2 group(s) (more available, use --page-token to fetch next page)\n(1 deleted)\n',
    );
  });

  it('stops on a repeated token (example 3) and at --page-limit, silently', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups', () => larkOk({ groups: [g('g')], has_more: true, page_token: 'SAME' })));
    const r = await cli('im', '+feed-group-list', '--page-all');
    expect(calls()).toHaveLength(2);
    expect(r.stderr).toBe('page 1: 1 groups, 0 deleted\npage 2: 2 groups, 0 deleted\nwarning: page_token did not change, stopping pagination to avoid infinite loop\n');
    expect(r.json().data).toEqual({ groups: [g('g'), g('g')], deleted_groups: [], has_more: true, page_token: 'SAME' });

    let n = 0;
    h.fake.use(http.get('*/open-apis/im/v1/groups', () => larkOk({ groups: [], has_more: true, page_token: `t${++n}` })));
    h.fake.clearRequests();
    const lim = await cli('im', '+feed-group-list', '--page-all', '--page-limit', '2');
    expect(calls().map((c) => c.query.page_token)).toEqual(['', 't1']);
    expect(lim.stderr).toBe('page 1: 0 groups, 0 deleted\npage 2: 0 groups, 0 deleted\n');
    expect(lim.json().data.page_token).toBe('t2');
  });

  it('fetches exactly one page with an explicit --page-token', async () => {
    await cli('im', '+feed-group-list', '--page-all', '--page-token', 'P');
    expect(summary()).toEqual(['GET /open-apis/im/v1/groups?page_size=50&page_token=P']);
  });

  it('renders deleted_groups for the generic table format (Notes 12), and the dry-run', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups', () => larkOk({ groups: [g('g1')], deleted_groups: [g('d1')], has_more: false, page_token: '' })));
    const t = await cli('im', '+feed-group-list', '--format', 'csv');
    expect(t.stdout).toBe('group_id,name,type\nd1,G d1,normal\n');
    const d = await cli('im', '+feed-group-list', '--dry-run', '--page-size', '7', '--end-time', '5');
    expect(d.json()).toEqual({ api: [{ method: 'GET', url: '/open-apis/im/v1/groups', params: { end_time: '5', page_size: '7', page_token: '' } }] });
  });

  it('validates in order before any request', async () => {
    await expectValidation(['im', '+feed-group-list', '--page-size', '51', '--page-limit', '0'], '--page-size must be an integer between 1 and 50');
    await expectValidation(['im', '+feed-group-list', '--page-limit', '0', '--start-time', 'x'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+feed-group-list', '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+feed-group-list', '--start-time', '2026-01-01', '--end-time', 'x'], '--start-time must be Unix milliseconds (a decimal integer string)');
    await expectValidation(['im', '+feed-group-list', '--end-time', '9223372036854775808'], '--end-time must be Unix milliseconds (a decimal integer string)');
    await expectValidation(['im', '+feed-group-list', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });

  it('reports an API error', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups', () => larkErr(99992400, 'Missing required parameter: page_token')));
    const r = await cli('im', '+feed-group-list');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 99992400, message: 'HTTP 400: Missing required parameter: page_token' });
  });
});

describe('+feed-group-list-item', () => {
  it('lists the cards and adds chat_name to both lists (example 1)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/groups/:id/list_item', () => larkOk({ items: [card('oc_abc')], deleted_items: [card('oc_def')], page_token: '', has_more: false })),
      batchQuery({ oc_abc: 'Release Team', oc_def: 'Old Channel' }),
    );
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({
      items: [{ ...card('oc_abc'), chat_name: 'Release Team' }],
      deleted_items: [{ ...card('oc_def'), chat_name: 'Old Channel' }],
      page_token: '',
      has_more: false,
    });
    expect(summary()).toEqual(['GET /open-apis/im/v1/groups/ofg_x/list_item?page_size=50', 'POST /open-apis/im/v1/chats/batch_query?user_id_type=open_id']);
    expect(calls()[1]!.json).toEqual({ chat_ids: ['oc_abc', 'oc_def'] });
    expect(calls()[1]!.headers.authorization).toBe(USER_TOKEN);
  });

  it('fetches exactly the given page even with --page-all (example 2)', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups/:id/list_item', () => larkOk({ items: [], deleted_items: [], has_more: true, page_token: 'NEXT' })));
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--page-all', '--page-token', 'SOMETOKEN');
    expect(r.code).toBe(0);
    expect(summary()).toEqual(['GET /open-apis/im/v1/groups/ofg_x/list_item?page_size=50&page_token=SOMETOKEN']);
  });

  it('makes no look-up and prints no warning for an empty group (example 3)', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/groups/:id/list_item', () => larkOk({ items: [], deleted_items: [], has_more: false, page_token: '' })));
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--format', 'pretty');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('(no data)\n\n0 item(s)\n');
    expect(h.fake.requestsTo('/open-apis/im/v1/chats/batch_query')).toHaveLength(0);
  });

  it('keeps going when the chat-name look-up fails (warning only, exit 0)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/groups/:id/list_item', () => larkOk({ items: [card('oc_a'), card('oc_b'), card('oc_a')], deleted_items: [], has_more: false, page_token: '' })),
      http.post('*/open-apis/im/v1/chats/batch_query', () => larkErr(99991679, 'no scope')),
    );
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: could not resolve chat names for 2 feed(s); chat_name will be empty\n');
    expect(r.json().data.items).toEqual([card('oc_a'), card('oc_b'), card('oc_a')]);
  });

  it('merges all pages, then looks names up once in chunks of 50 (a failing chunk is skipped)', async () => {
    const first = Array.from({ length: 40 }, (_, i) => card(`oc_${i}`));
    const second = Array.from({ length: 20 }, (_, i) => card(`oc_${40 + i}`));
    h.fake.use(
      http.get('*/open-apis/im/v1/groups/:id/list_item', ({ request }) =>
        new URL(request.url).searchParams.get('page_token') === 'T2'
          ? larkOk({ items: second, deleted_items: [card('oc_gone')], has_more: false, page_token: '' })
          : larkOk({ items: first, deleted_items: [], has_more: true, page_token: 'T2' }),
      ),
      http.post('*/open-apis/im/v1/chats/batch_query', async ({ request }) => {
        const ids = ((await request.json()) as { chat_ids: string[] }).chat_ids;
        if (ids.includes('oc_55')) return larkErr(500, 'chunk failed', undefined, { status: 200 });
        return larkOk({ items: ids.map((id) => ({ chat_id: id, name: `Name ${id}` })) });
      }),
    );
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg/x', '--page-all', '--start-time', '1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('page 1: 40 items, 0 deleted\npage 2: 60 items, 1 deleted\n');
    const lists = calls().filter((c) => c.path.endsWith('/list_item'));
    expect(lists.map((c) => c.search)).toEqual(['?page_size=50&start_time=1', '?page_size=50&page_token=T2&start_time=1']);
    expect(lists[0]!.path).toBe('/open-apis/im/v1/groups/ofg%2Fx/list_item');
    const batches = h.fake.requestsTo('/open-apis/im/v1/chats/batch_query').map((b) => (b.json as { chat_ids: string[] }).chat_ids);
    expect(batches.map((b) => b.length).sort((a, b) => a - b)).toEqual([11, 50]);
    const data = r.json().data;
    expect(data.items).toHaveLength(60);
    expect(data.items[0]).toEqual({ ...card('oc_0'), chat_name: 'Name oc_0' });
    expect(data.items[59]).toEqual(card('oc_59'));
    expect(data.deleted_items).toEqual([card('oc_gone')]);
  });

  it('renders the item table in local time', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/groups/:id/list_item', () =>
        larkOk({ items: [card('oc_abc'), card('oc_p', 'soon')], deleted_items: [card('oc_d')], has_more: true, page_token: 'n' }),
      ),
      batchQuery({ oc_abc: 'Release Team', oc_p: '' }),
    );
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--format', 'pretty');
    expect(r.stdout).toBe(
      'chat_name     feed_id  update_time              \n' +
        '────────────  ───────  ─────────────────────────\n' +
        'Release Team  oc_abc   2026-01-01T00:00:00+08:00\n' +
        '              oc_p     soon                     \n' +
        '\n2 item(s) (more available, use --page-token to fetch next page)\n(1 deleted)\n',
    );
  });

  it('prints the dry-run and validates in order', async () => {
    const d = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--page-token', 'T', '--start-time', '-5', '--dry-run');
    expect(d.json()).toEqual({
      api: [
        {
          desc: 'will also POST /open-apis/im/v1/chats/batch_query to resolve chat_name from feed_id; requires im:chat:read',
          method: 'GET',
          url: '/open-apis/im/v1/groups/ofg_x/list_item',
          params: { page_size: '50', page_token: 'T', start_time: '-5' },
        },
      ],
    });
    await expectValidation(['im', '+feed-group-list-item', '--page-size', '0'], '--feed-group-id is required');
    await expectValidation(['im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--page-size', '0'], '--page-size must be an integer between 1 and 50');
    await expectValidation(['im', '+feed-group-list-item', '--feed-group-id', 'ofg_x', '--end-time', '1.5'], '--end-time must be Unix milliseconds (a decimal integer string)');
  });

  it('reports an API error', async () => {
    const r = await cli('im', '+feed-group-list-item', '--feed-group-id', 'ofg_missing');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 99992402, message: 'HTTP 400: feed group not found' });
  });
});

describe('+feed-group-query-item', () => {
  it('looks cards up by chat id and adds chat_name (example 1)', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v1/groups/:id/batch_query_item', () => larkOk({ items: [card('oc_a', '1')], deleted_items: [] })),
      batchQuery({ oc_a: 'Team A' }),
    );
    const r = await cli('im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', 'oc_a,oc_b');
    expectJsonOut(r, 0, { ok: true, identity: 'user', data: { items: [{ ...card('oc_a', '1'), chat_name: 'Team A' }], deleted_items: [] } });
    const [q, b] = calls();
    expect(q).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/groups/ofg_x/batch_query_item', search: '' });
    expect(q!.json).toEqual({ items: [{ feed_id: 'oc_a', feed_type: 'chat' }, { feed_id: 'oc_b', feed_type: 'chat' }] });
    expect(q!.headers.authorization).toBe(USER_TOKEN);
    expect(b!.json).toEqual({ chat_ids: ['oc_a'] });
  });

  it('leaves unresolved chats without chat_name, no warning (example 2), and renders pretty', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v1/groups/:id/batch_query_item', () => larkOk({ items: [card('oc_known'), card('oc_gone')], deleted_items: [] })),
      batchQuery({ oc_known: 'Known' }),
    );
    const r = await cli('im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', 'oc_known, oc_gone, oc_known');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(calls()[0]!.json).toEqual({ items: ['oc_known', 'oc_gone', 'oc_known'].map((id) => ({ feed_id: id, feed_type: 'chat' })) });
    expect(r.json().data.items).toEqual([{ ...card('oc_known'), chat_name: 'Known' }, card('oc_gone')]);
    const p = await cli('im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', 'oc_known', '--format', 'pretty');
    expect(p.stdout.endsWith('\n\n2 item(s)\n')).toBe(true);
  });

  it('prints the dry-run and validates (example 3)', async () => {
    const d = await cli('im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', 'oc_a', '--dry-run', '--format', 'pretty');
    expect(d.stdout).toBe(
      '# will also POST /open-apis/im/v1/chats/batch_query to resolve chat_name from feed_id; requires im:chat:read\n' +
        'POST /open-apis/im/v1/groups/ofg_x/batch_query_item\n  {"items":[{"feed_id":"oc_a","feed_type":"chat"}]}\n',
    );
    await expectValidation(['im', '+feed-group-query-item', '--feed-group-id', 'ofg_x'], '--feed-id is required (comma-separated chat IDs)');
    await expectValidation(['im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', ', ,'], '--feed-id is required (comma-separated chat IDs)');
    await expectValidation(['im', '+feed-group-query-item', '--feed-id', 'oc_a'], '--feed-group-id is required');
  });

  it('reports an API error', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/groups/:id/batch_query_item', () => larkErr(99992402, 'feed group not found', undefined, { status: 200 })));
    const r = await cli('im', '+feed-group-query-item', '--feed-group-id', 'ofg_x', '--feed-id', 'oc_a');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 99992402, message: 'feed group not found' });
  });
});
