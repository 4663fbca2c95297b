/**
 * `+chat-create`, `+chat-list`, `+chat-search`, `+chat-update` against the fake platform
 * (docs/shortcuts-chats-feed.md, examples that use +chat-search).
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { dropConnection } from '../fake-lark/server.js';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { BOT_TOKEN, USER_TOKEN, useChatsFeedFake } from '../fake-lark/chats-feed.js';
import { expectJsonErr, expectJsonOut } from '../helpers/fake-lark-hooks.js';

const h = useChatsFeedFake();

const cli = h.cli;
const apiCalls = h.apiCalls;

const expectValidation = h.expectValidation;

describe('+chat-create', () => {
  it('creates a chat as bot and adds the share link (example 1)', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v1/chats', () => larkOk({ chat_id: 'oc_1', name: 'Release war-room', chat_type: 'private', owner_id: '', external: false })),
      http.post('*/open-apis/im/v1/chats/:id/link', () => larkOk({ share_link: 'https://x/l1' })),
    );
    const r = await cli('im', '+chat-create', '--name', 'Release war-room', '--users', 'ou_me', '--as', 'bot');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'bot',
      data: { chat_id: 'oc_1', name: 'Release war-room', chat_type: 'private', owner_id: '', external: false, share_link: 'https://x/l1' },
    });
    const [create, link] = apiCalls();
    expect(create).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/chats', query: { user_id_type: 'open_id' } });
    expect(create!.json).toEqual({ chat_type: 'private', chat_mode: 'group', name: 'Release war-room', user_id_list: ['ou_me'] });
    expect(create!.headers.authorization).toBe(BOT_TOKEN);
    expect(link).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/chats/oc_1/link', search: '', text: '' });
    expect(link!.headers.authorization).toBe(BOT_TOKEN);
  });

  it('sends every body key and set_bot_manager, with the user token under user identity', async () => {
    const r = await cli(
      'im', '+chat-create', '--name', ' Spaced ', '--description', 'd', '--users', 'ou_a, ou_b', '--bots', 'cli_x',
      '--owner', 'ou_a', '--type', 'public', '--chat-mode', 'topic',
    );
    expect(r.code).toBe(0);
    expect(r.json().identity).toBe('user');
    const create = h.fake.requestsTo('/open-apis/im/v1/chats')[0]!;
    expect(create.headers.authorization).toBe(USER_TOKEN);
    expect(create.json).toEqual({
      chat_type: 'public', chat_mode: 'topic', name: ' Spaced ', description: 'd',
      user_id_list: ['ou_a', 'ou_b'], bot_id_list: ['cli_x'], owner_id: 'ou_a',
    });
    expect(r.json().data.share_link).toBe('https://applink.fake/chat/oc_new');

    h.fake.clearRequests();
    const bot = await cli('im', '+chat-create', '--name', 'T', '--set-bot-manager', '--as', 'bot');
    expect(bot.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')[0]!.query).toEqual({ set_bot_manager: 'true', user_id_type: 'open_id' });
  });

  it('prints the dry-run plan without any request (example 3)', async () => {
    const r = await cli('im', '+chat-create', '--name', 'T', '--chat-mode', 'topic', '--set-bot-manager', '--as', 'bot', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [
        {
          method: 'POST',
          url: '/open-apis/im/v1/chats',
          params: { set_bot_manager: true, user_id_type: 'open_id' },
          body: { chat_mode: 'topic', chat_type: 'private', name: 'T' },
        },
      ],
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('omits the share link silently when the link call fails', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/chats/:id/link', () => larkErr(232011, 'no permission')));
    const r = await cli('im', '+chat-create', '--name', 'T', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().data).toEqual({ chat_id: 'oc_new', name: 'T', chat_type: 'private', owner_id: '', external: false });
  });

  it('renders --format pretty with the share link line', async () => {
    const r = await cli('im', '+chat-create', '--name', 'T', '--as', 'bot', '--format', 'pretty');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Group created successfully');
    expect(lines[1]).toBe('');
    expect(lines[2]!.split(/\s+/).filter(Boolean)).toEqual(['chat_id', 'chat_type', 'external', 'name', 'owner_id', 'share_link']);
    expect(lines[3]).toMatch(/^─+ {2}─+/);
    expect(lines[4]).toMatch(/^oc_new\s+private\s+false\s+T\s/);
    expect(r.stdout.endsWith('\nShare link: https://applink.fake/chat/oc_new\n')).toBe(true);
  });

  it('validates in order before any request (example 2 and the rest)', async () => {
    await expectValidation(['im', '+chat-create', '--type', 'public', '--name', 'A', '--as', 'user'], '--name is required for public groups and must be at least 2 characters');
    await expectValidation(['im', '+chat-create', '--set-bot-manager', '--type', 'public', '--as', 'user'], '--set-bot-manager is only supported with bot identity (--as bot)');
    await expectValidation(['im', '+chat-create', '--name', '名'.repeat(61)], '--name exceeds the maximum of 60 characters (got 61)');
    await expectValidation(['im', '+chat-create', '--description', 'd'.repeat(101)], '--description exceeds the maximum of 100 characters (got 101)');
    const users = Array.from({ length: 51 }, (_, i) => `ou_${i}`).join(',');
    await expectValidation(['im', '+chat-create', '--users', users], '--users exceeds the maximum of 50 (got 51)');
    await expectValidation(['im', '+chat-create', '--users', 'ou_a,u_b'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+chat-create', '--bots', 'cli_1,cli_2,cli_3,cli_4,cli_5,cli_6'], '--bots exceeds the maximum of 5 (got 6)');
    await expectValidation(['im', '+chat-create', '--bots', 'cli_1,bot2'], 'invalid bot id "bot2": expected app ID (cli_xxx)');
    await expectValidation(['im', '+chat-create', '--owner', 'x'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+chat-create', '--chat-mode', 'thread'], 'invalid value "thread" for --chat-mode, allowed: group, topic');
  });

  it('reports an API error on stderr with exit 1', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/chats', () => larkErr(232043, 'bot cannot invite invisible users', undefined, { status: 200 })));
    const r = await cli('im', '+chat-create', '--name', 'T', '--users', 'ou_x', '--as', 'bot');
    expectJsonErr(r, 1, { ok: false, identity: 'bot', error: { type: 'api_error', code: 232043, message: 'bot cannot invite invisible users' } });
    expect(h.fake.requestsTo(/\/link$/)).toHaveLength(0);
  });
});

describe('+chat-list', () => {
  it('strips p2p under bot identity with a warning and a notice (example 1)', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [{ chat_id: 'oc_g', name: 'G', chat_mode: 'group' }], has_more: false, page_token: '' })));
    const r = await cli('im', '+chat-list', '--types', 'p2p,group', '--as', 'bot');
    const message = 'To protect user privacy, bot identity cannot list p2p chats; --types=p2p,group was sent as types=group. Use --as user to include p2p.';
    expect(r.stderr).toBe(`warning: bot_strip_p2p: ${message}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      ok: true,
      identity: 'bot',
      data: { chats: [{ chat_id: 'oc_g', name: 'G', chat_mode: 'group' }], has_more: false, page_token: '', notices: [{ code: 'bot_strip_p2p', message }] },
      meta: { pagination: { complete: true, pages: 1, items: 1 } },
    });
    const [req] = apiCalls();
    expect(req!.search).toBe('?page_size=20&sort_type=ByCreateTimeAsc&types=group&user_id_type=open_id');
    expect(req!.headers.authorization).toBe(BOT_TOKEN);
  });

  it('filters muted chats for the user and reports the counts (example 2)', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats', () =>
        larkOk({ items: [{ chat_id: 'oc_g', name: 'G', chat_mode: 'group' }, { chat_id: 'oc_p', name: 'Peer', chat_mode: 'p2p' }], has_more: false, page_token: '' }),
      ),
      http.post('*/open-apis/im/v1/chat_user_setting/batch_get_mute_status', () =>
        larkOk({ items: [{ chat_id: 'oc_g', is_muted: false }, { chat_id: 'oc_p', is_muted: true }] }),
      ),
    );
    const r = await cli('im', '+chat-list', '--types', 'p2p,group', '--exclude-muted', '--as', 'user');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({
      chats: [{ chat_id: 'oc_g', name: 'G', chat_mode: 'group' }],
      has_more: false,
      page_token: '',
      filter: { applied: 'exclude_muted', fetched_count: 2, returned_count: 1, filtered_count: 1, hint: 'Filtered out 1 muted chat(s) on this page (1 remaining); no more pages.' },
    });
    const [list, mute] = apiCalls();
    expect(list!.query.types).toBe('p2p,group');
    expect(list!.headers.authorization).toBe(USER_TOKEN);
    expect(mute).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/chat_user_setting/batch_get_mute_status', search: '' });
    expect(mute!.json).toEqual({ chat_ids: ['oc_g', 'oc_p'] });
  });

  it('counts unknown mute states as non-member groups, and mentions more pages', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats', () =>
        larkOk({
          items: [{ chat_id: 'oc_a' }, { chat_id: 'oc_b' }, { chat_id: 'oc_c' }, { chat_id: 'oc_a' }, { name: 'no id' }],
          has_more: true,
          page_token: 'next',
        }),
      ),
      http.post('*/open-apis/im/v1/chat_user_setting/batch_get_mute_status', () =>
        larkOk({ items: [{ chat_id: 'oc_a', is_muted: true }], invalid_id_list: [{ id: 'oc_b', msg: 'not member' }] }),
      ),
    );
    const r = await cli('im', '+chat-list', '--exclude-muted');
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chat_user_setting')[0]!.json).toEqual({ chat_ids: ['oc_a', 'oc_b', 'oc_c'] });
    expect(r.json().data.chats).toEqual([{ chat_id: 'oc_b' }, { chat_id: 'oc_c' }, { name: 'no id' }]);
    expect(r.json().data.filter).toEqual({
      applied: 'exclude_muted',
      fetched_count: 5,
      returned_count: 3,
      filtered_count: 2,
      hint: 'Filtered out 2 muted chat(s) on this page (3 remaining, including 3 non-member public group(s)); use --page-token to fetch more.',
    });
  });

  it('skips the mute filter under bot, and with no rows prints chats null', async () => {
    const bot = await cli('im', '+chat-list', '--exclude-muted', '--as', 'bot');
    expect(bot.code).toBe(0);
    expect(bot.json().data.filter).toEqual({
      applied: 'exclude_muted',
      fetched_count: 1,
      returned_count: 1,
      filtered_count: 0,
      hint: '--exclude-muted has no effect under bot identity (mute is a per-user setting, bots have no mute data); returned all results unfiltered. Use --as user to filter.',
    });
    expect(h.fake.requestsTo('/open-apis/im/v1/chat_user_setting')).toHaveLength(0);

    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [], has_more: false, next_page_token: 'nt' })));
    const empty = await cli('im', '+chat-list', '--exclude-muted');
    expect(empty.json().data).toEqual({
      chats: null,
      has_more: false,
      page_token: 'nt',
      filter: { applied: 'exclude_muted', fetched_count: 0, returned_count: 0, filtered_count: 0, hint: '' },
    });
    expect(h.fake.requestsTo('/open-apis/im/v1/chat_user_setting')).toHaveLength(0);
    const plain = await cli('im', '+chat-list');
    expect(plain.json().data).toEqual({ chats: null, has_more: false, page_token: 'nt' });
    const pretty = await cli('im', '+chat-list', '--format', 'pretty');
    expect(pretty.stdout).toBe('No chats found.\n');
  });

  it('fails the command when the mute lookup fails', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/chat_user_setting/batch_get_mute_status', () => larkErr(230002, 'bad request', undefined, { status: 200 })));
    const r = await cli('im', '+chat-list', '--exclude-muted');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 230002, message: 'fetch mute status: bad request' });
  });

  it('builds the query from --sort, the hidden --sort-type alias, --page-token and normalised --types', async () => {
    const dry = await cli('im', '+chat-list', '--sort', 'active_time', '--page-size', '30', '--as', 'bot', '--dry-run');
    expect(dry.json()).toEqual({
      api: [{ method: 'GET', url: '/open-apis/im/v1/chats', params: { page_size: 30, sort_type: 'ByActiveTimeDesc', user_id_type: 'open_id' } }],
    });
    const alias = await cli('im', '+chat-list', '--sort-type', 'ByActiveTimeDesc', '--types', 'P2P,GROUP', '--types', 'p2p', '--page-token', 'tk', '--user-id-type', 'union_id');
    expect(alias.code).toBe(0);
    expect(apiCalls()[0]!.query).toEqual({ page_size: '20', page_token: 'tk', sort_type: 'ByActiveTimeDesc', types: 'p2p,group', user_id_type: 'union_id' });
    h.fake.clearRequests();
    const both = await cli('im', '+chat-list', '--sort-type', 'ByActiveTimeDesc', '--sort', 'create_time', '--types', '');
    expect(both.code).toBe(0);
    expect(apiCalls()[0]!.query).toEqual({ page_size: '20', sort_type: 'ByCreateTimeAsc', user_id_type: 'open_id' });
  });

  it('renders --format pretty and the generic table format', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats', () =>
        larkOk({
          items: [
            { chat_id: 'oc_g', name: 'Group', description: 'a group', owner_id: 'ou_o', external: false, chat_status: 'normal', chat_mode: 'group', tenant_key: 't1' },
            { chat_id: 'oc_p', name: 'Peer', chat_mode: 'p2p', p2p_target_type: 'user', p2p_target_id: 'ou_peer', description: '' },
          ],
          has_more: true,
          page_token: 'next_tok',
        }),
      ),
    );
    const r = await cli('im', '+chat-list', '--types', 'group,p2p', '--format', 'pretty');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]!.split(/\s+/).filter(Boolean)).toEqual([
      'chat_id', 'chat_mode', 'chat_status', 'description', 'external', 'name', 'owner_id', 'p2p_target_id', 'p2p_target_type',
    ]);
    expect(lines).toHaveLength(7);
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('2 chat(s) listed (more available, use --page-token to fetch next page, page_token: next_tok)');
    expect(r.stdout).not.toContain('tenant_key');

    const csv = await cli('im', '+chat-list', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('chat_id,chat_mode,chat_status,description,external,name,owner_id,tenant_key,p2p_target_id,p2p_target_type');
    expect(csv.stderr).toBe('{"_diagnostic":"pagination","complete":false,"pages":1,"items":2,"next_token":"next_tok"}\n');
  });

  it('rejects bad input before any request (example 3)', async () => {
    await expectValidation(
      ['im', '+chat-list', '--types', 'p2p', '--as', 'bot'],
      '--types=p2p (single chats) is only supported with user identity (--as user). To protect user privacy, bot identity cannot list p2p chats. Use --as user, or include "group" in --types.',
    );
    await expectValidation(['im', '+chat-list', '--page-size', '101'], '--page-size must be an integer between 1 and 100');
    await expectValidation(['im', '+chat-list', '--page-size', '0'], '--page-size must be an integer between 1 and 100');
    await expectValidation(['im', '+chat-list', '--types', ','], '--types must contain at least one of p2p, group');
    await expectValidation(['im', '+chat-list', '--types', 'group,topic'], '--types contains invalid value "topic": expected one of p2p, group');
    await expectValidation(['im', '+chat-list', '--sort', 'name'], 'invalid value "name" for --sort, allowed: create_time, active_time');
    // the hidden alias is validated even when --sort is also given (Notes 14)
    await expectValidation(['im', '+chat-list', '--sort', 'create_time', '--sort-type', 'Bad'], 'invalid value "Bad" for --sort-type, allowed: ByCreateTimeAsc, ByActiveTimeDesc');
  });

  it('reports an API error', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkErr(99991663, 'token invalid', undefined, { status: 200 })));
    const r = await cli('im', '+chat-list');
    expect(r.code).toBe(3);
    expect(r.errJson().error).toMatchObject({ type: 'auth', code: 99991663 });
  });
});

describe('+chat-search', () => {
  const TWO = { items: [{ meta_data: { chat_id: 'oc_1', name: 'Alpha' } }, { meta_data: { chat_id: 'oc_2', name: 'Beta Team' } }], total: 2, has_more: false, page_token: '' };

  it('quotes a hyphenated query and maps --sort (example 1)', async () => {
    const r = await cli('im', '+chat-search', '--query', 'team-alpha', '--sort', 'member_count', '--as', 'user');
    expect(r.code).toBe(0);
    const [req] = apiCalls();
    expect(req).toMatchObject({ method: 'POST', path: '/open-apis/im/v2/chats/search', search: '?page_size=20' });
    expect(req!.json).toEqual({ query: '"team-alpha"', sorter: 'member_count_desc' });
    expect(req!.headers.authorization).toBe(USER_TOKEN);
    h.fake.clearRequests();
    await cli('im', '+chat-search', '--query', '"a-b"', '--page-token', 'pt', '--page-size', '5');
    expect(apiCalls()[0]!.json).toEqual({ query: '"a-b"' });
    expect(apiCalls()[0]!.query).toEqual({ page_size: '5', page_token: 'pt' });
    h.fake.clearRequests();
    await cli('im', '+chat-search', '--query', 'say "hi"-there\\');
    expect(apiCalls()[0]!.json).toEqual({ query: '"say \\"hi\\"-there\\\\"' });
  });

  it('builds the filter and skips the mute lookup under bot (example 2)', async () => {
    const r = await cli(
      'im', '+chat-search', '--member-ids', 'ou_a,ou_b', '--chat-modes', 'topic,group,topic', '--search-types', 'private',
      '--is-manager', '--disable-search-by-user', '--exclude-muted', '--as', 'bot',
    );
    expect(r.code).toBe(0);
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.json).toEqual({
      filter: { search_types: ['private'], chat_modes: ['thread', 'default'], member_ids: ['ou_a', 'ou_b'], is_manager: true, disable_search_by_user: true },
    });
    expect(r.json().data.filter.hint).toBe(
      '--exclude-muted has no effect under bot identity (mute is a per-user setting, bots have no mute data); returned all results unfiltered. Use --as user to filter.',
    );
  });

  it('sends the hidden --sort-by value only without --sort (example 3)', async () => {
    await cli('im', '+chat-search', '--sort-by', 'update_time_desc', '--query', 'x');
    expect(apiCalls()[0]!.json).toEqual({ query: 'x', sorter: 'update_time_desc' });
    h.fake.clearRequests();
    await cli('im', '+chat-search', '--sort', 'member_count', '--sort-by', 'create_time_desc', '--query', 'x');
    expect(apiCalls()[0]!.json).toEqual({ query: 'x', sorter: 'member_count_desc' });
  });

  it('does not ask for mute states when every result is a non-member public group', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => larkOk({ ...TWO, has_more: true, page_token: 'p2' })));
    const r = await cli('im', '+chat-search', '--query', 'a', '--search-types', 'public_not_joined', '--exclude-muted');
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chat_user_setting')).toHaveLength(0);
    expect(r.json().data.filter).toEqual({
      applied: 'exclude_muted',
      fetched_count: 2,
      returned_count: 2,
      filtered_count: 0,
      hint: 'All results on this page are non-member public groups; mute filter does not apply. Use --page-token to fetch more.',
    });
  });

  it('filters muted search results for the user', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v2/chats/search', () => larkOk(TWO)),
      http.post('*/open-apis/im/v1/chat_user_setting/batch_get_mute_status', () =>
        larkOk({ items: [{ chat_id: 'oc_1', is_muted: true }, { chat_id: 'oc_2', is_muted: true }] }),
      ),
    );
    const r = await cli('im', '+chat-search', '--query', 'a', '--exclude-muted');
    expect(r.json().data).toEqual({
      chats: [],
      total: 2,
      has_more: false,
      page_token: '',
      filter: { applied: 'exclude_muted', fetched_count: 2, returned_count: 0, filtered_count: 2, hint: 'Filtered out 2 muted chat(s) on this page (0 remaining); no more pages.' },
    });
    const pretty = await cli('im', '+chat-search', '--query', 'a', '--exclude-muted', '--format', 'pretty');
    expect(pretty.stdout).toBe('No matching group chats found.\nFiltered out 2 muted chat(s) on this page (0 remaining); no more pages.\n');
  });

  it('prints json, ndjson, table and csv', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => larkOk(TWO)));
    const json = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a');
    expect(json.stdout).toBe(
      '{\n  "ok": true,\n  "identity": "bot",\n  "data": {\n    "chats": [\n      {\n        "chat_id": "oc_1",\n        "name": "Alpha"\n      },\n' +
        '      {\n        "chat_id": "oc_2",\n        "name": "Beta Team"\n      }\n    ],\n    "has_more": false,\n    "page_token": "",\n    "total": 2\n  },\n' +
        '  "meta": {\n    "pagination": {\n      "complete": true,\n      "pages": 1,\n      "items": 2\n    }\n  }\n}\n',
    );
    // the record formats have no envelope: how the walk ended is one JSON line on stderr
    const diagnostic = '{"_diagnostic":"pagination","complete":true,"pages":1,"items":2}\n';
    const ndjson = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--format', 'ndjson');
    expect(ndjson.stdout).toBe('{"chat_id":"oc_1","name":"Alpha"}\n{"chat_id":"oc_2","name":"Beta Team"}\n');
    expect(ndjson.stderr).toBe(diagnostic);
    const table = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--format', 'table');
    expect(table.stdout).toBe('chat_id  name     \n───────  ─────────\noc_1     Alpha    \noc_2     Beta Team\n');
    expect(table.stderr).toBe('');
    const csv = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--format', 'csv');
    expect(csv.stdout).toBe('chat_id,name\noc_1,Alpha\noc_2,Beta Team\n');
    expect(csv.stderr).toBe(diagnostic);
  });

  it('prints pretty, --jq and the unknown-format fallback', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => larkOk(TWO)));
    const pretty = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--format', 'pretty');
    expect(pretty.stdout).toBe('chat_id  name     \n───────  ─────────\noc_1     Alpha    \noc_2     Beta Team\n\n2 chat(s) found\n');
    const jq = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--jq', '.data.chats[].name');
    expect(jq.stdout).toBe('Alpha\nBeta Team\n');
    const unknown = await cli('im', '+chat-search', '--as', 'bot', '--query', 'a', '--format', 'yaml');
    expect(unknown.stderr).toBe('warning: unknown format "yaml", falling back to json\n');
    expect(JSON.parse(unknown.stdout).total).toBe(2);
  });

  it('prints the server total in the pretty footer, and the page hint', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => larkOk({ ...TWO, total: 57.9, has_more: true, page_token: 'nx' })));
    const r = await cli('im', '+chat-search', '--query', 'a', '--format', 'pretty');
    expect(r.stdout.endsWith('\n57 chat(s) found (more available, use --page-token to fetch next page, page_token: nx)\n')).toBe(true);
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => larkOk({ items: [{ meta_data: 'x' }, { other: 1 }], has_more: false })));
    const none = await cli('im', '+chat-search', '--query', 'a');
    expect(none.json().data).toEqual({ chats: null, total: 0, has_more: false, page_token: '' });
  });

  it('prints the dry-run (JSON and pretty)', async () => {
    const r = await cli('im', '+chat-search', '--as', 'bot', '--query', 'team', '--dry-run');
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.stdout).toBe(
      '{\n  "api": [\n    {\n      "method": "POST",\n      "url": "/open-apis/im/v2/chats/search",\n      "params": {\n        "page_size": 20\n      },\n      "body": {\n        "query": "team"\n      }\n    }\n  ]\n}\n',
    );
    const p = await cli('im', '+chat-search', '--as', 'bot', '--query', 'team', '--dry-run', '--format', 'pretty');
    expect(p.stdout).toBe('POST /open-apis/im/v2/chats/search?page_size=20\n  {"query":"team"}\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('rejects --jq with a non-JSON format before any request', async () => {
    const r = await cli('im', '+chat-search', '--as', 'bot', '--query', 'team', '--format', 'table', '--jq', '.data');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('{\n  "ok": false,\n  "identity": "bot",\n  "error": {\n    "type": "validation",\n    "message": "--jq and --format table are mutually exclusive"\n  }\n}\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('validates in order (example 4 and the rest)', async () => {
    await expectValidation(['im', '+chat-search'], '--query and --member-ids cannot both be empty; provide at least one (e.g. --query "team-name" or --member-ids "ou_xxx")');
    await expectValidation(['im', '+chat-search', '--query', 'é'.repeat(65)], '--query exceeds the maximum of 64 characters (got 65)');
    await expectValidation(['im', '+chat-search', '--query', 'a', '--search-types', 'private,Public_joined'], 'invalid --search-types value "Public_joined": expected one of private, external, public_joined, public_not_joined');
    await expectValidation(['im', '+chat-search', '--query', 'a', '--chat-modes', 'group,p2p'], 'invalid --chat-modes value "p2p": expected one of group, topic');
    const ids = Array.from({ length: 51 }, (_, i) => `ou_${i}`).join(',');
    await expectValidation(['im', '+chat-search', '--member-ids', ids], '--member-ids exceeds the maximum of 50 (got 51)');
    await expectValidation(['im', '+chat-search', '--member-ids', 'oc_1'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+chat-search', '--query', 'a', '--page-size', '200'], '--page-size must be an integer between 1 and 100');
    await expectValidation(['im', '+chat-search', '--query', 'a', '--sort', 'asc'], 'invalid value "asc" for --sort, allowed: create_time, update_time, member_count');
  });

  it('turns a server permission error into the console-link shape', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v2/chats/search', () =>
        larkErr(99991679, 'unauthorized', { permission_violations: [{ subject: 'im:chat:readonly' }] }, { status: 200 }),
      ),
    );
    const r = await cli('im', '+chat-search', '--query', 'a');
    expect(r.code).toBe(1);
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'user',
      error: {
        type: 'permission',
        code: 99991679,
        message: 'User not authorized: required scope im:chat:readonly [99991679]',
        hint: 'run `lark-cli auth login --scope "im:chat:readonly"` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.',
        console_url: 'https://open.feishu.cn/page/scope-apply?clientID=cli_test&scopes=im%3Achat%3Areadonly',
      },
    });
  });

  it('maps a dropped connection to a network error', async () => {
    h.fake.use(http.post('*/open-apis/im/v2/chats/search', () => dropConnection()));
    const r = await cli('im', '+chat-search', '--query', 'a');
    expect(r.code).toBe(4);
    expect(r.errJson().error.type).toBe('network');
  });
});

describe('+chat-update', () => {
  it('renames a chat (example 1)', async () => {
    const r = await cli('im', '+chat-update', '--chat-id', 'oc_1', '--name', 'New name', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, identity: 'bot', data: { chat_id: 'oc_1' } });
    const [req] = apiCalls();
    expect(req).toMatchObject({ method: 'PUT', path: '/open-apis/im/v1/chats/oc_1', search: '?user_id_type=open_id' });
    expect(req!.json).toEqual({ name: 'New name' });
    expect(req!.headers.authorization).toBe(BOT_TOKEN);
    const pretty = await cli('im', '+chat-update', '--chat-id', 'oc_1', '--description', 'd', '--format', 'pretty');
    expect(pretty.stdout).toBe('Group updated successfully (chat_id: oc_1)\n');
    expect(h.fake.requestsTo('/open-apis/im/v1/chats/oc_1')[1]!.json).toEqual({ description: 'd' });
  });

  it('uses the raw --chat-id in the path and the output (Notes 1)', async () => {
    const r = await cli('im', '+chat-update', '--chat-id', ' oc_1', '--name', 'x', '--dry-run');
    expect(r.json()).toEqual({ api: [{ method: 'PUT', url: '/open-apis/im/v1/chats/%20oc_1', params: { user_id_type: 'open_id' }, body: { name: 'x' } }] });
    const run = await cli('im', '+chat-update', '--chat-id', ' oc_1', '--name', 'x');
    expect(run.json().data).toEqual({ chat_id: ' oc_1' });
    expect(apiCalls()[0]!.path).toBe('/open-apis/im/v1/chats/%20oc_1');
  });

  it('validates (examples 2, 3) before any request', async () => {
    await expectValidation(['im', '+chat-update', '--chat-id', 'oc_1'], 'at least one field must be specified to update');
    await expectValidation(['im', '+chat-update', '--chat-id', 'chat_1', '--name', 'x'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['im', '+chat-update', '--name', 'x'], 'required flag(s) "chat-id" not set');
    await expectValidation(['im', '+chat-update', '--chat-id', 'oc_1', '--name', 'n'.repeat(61)], '--name exceeds the maximum of 60 characters (got 61)');
    await expectValidation(['im', '+chat-update', '--chat-id', 'oc_1', '--description', 'n'.repeat(101)], '--description exceeds the maximum of 100 characters (got 101)');
  });

  it('reports an API error', async () => {
    h.fake.use(http.put('*/open-apis/im/v1/chats/:id', () => larkErr(232016, 'not owner or admin')));
    const r = await cli('im', '+chat-update', '--chat-id', 'oc_1', '--name', 'x');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 232016, message: 'HTTP 400: not owner or admin' });
  });
});

describe('help', () => {
  it('lists the chat, flag and feed shortcuts with their descriptions', async () => {
    const r = await cli('im', '--help');
    expect(r.code).toBe(0);
    for (const c of [
      '+chat-create', '+chat-list', '+chat-search', '+chat-update', '+flag-create', '+flag-cancel', '+flag-list',
      '+feed-shortcut-create', '+feed-shortcut-remove', '+feed-shortcut-list', '+feed-group-list', '+feed-group-list-item', '+feed-group-query-item',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`\\n  \\${c} {2,}\\S`));
    }
  });

  it('shows every flag of every shortcut in its --help', async () => {
    const flags: Record<string, string[]> = {
      '+chat-create': ['--name <value>', '--description <value>', '--users <value>', '--bots <value>', '--owner <value>', '(private|public) (default: "private")', '(group|topic) (default: "group")', '--set-bot-manager'],
      '+chat-update': ['--chat-id <value>', '--name <value>', '--description <value>'],
      '+flag-create': ['--message-id <value>', '--item-type <value>', '--flag-type <value>'],
      '+flag-cancel': ['--message-id <value>', '--item-type <value>', '--flag-type <value>'],
      '+feed-shortcut-create': ['--chat-id <value>', '--head', '--tail'],
      '+feed-shortcut-remove': ['--chat-id <value>'],
      '+feed-shortcut-list': ['--page-token <value>', '--no-detail'],
      '+feed-group-list': ['--page-size <value>', '(default: 50)', '--page-token <value>', '--page-all', '--page-limit <value>', '(default: 20)', '--start-time <value>', '--end-time <value>'],
      '+feed-group-list-item': ['--feed-group-id <value>', '--page-size <value>', '--page-all', '--page-limit <value>', '--start-time <value>', '--end-time <value>'],
      '+feed-group-query-item': ['--feed-group-id <value>', '--feed-id <value>'],
    };
    for (const [cmd, expected] of Object.entries(flags)) {
      const r = await cli('im', cmd, '--help');
      expect(r.code).toBe(0);
      const text = r.stdout.replace(/\s+/g, ' ');
      for (const f of [...expected, '--as <value>', '--dry-run', '-q, --jq <value>', '--format <value>']) expect(text, `${cmd} ${f}`).toContain(f);
    }
  });

  it('shows flags with defaults and enums, hiding the legacy aliases', async () => {
    const r = await cli('im', '+chat-list', '--help');
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--user-id-type <value> ID type of owner_id in the response (open_id|union_id|user_id) (default: "open_id")');
    expect(text).toContain('(create_time|active_time) (default: "create_time")');
    expect(text).toContain('--page-size <value> page size (1-100) (default: 20)');
    expect(text).toContain('--exclude-muted');
    expect(text).toContain('--format <value> output format: json|pretty|table|ndjson|csv (default: "json")');
    expect(text).not.toContain('--sort-type');
    const search = await cli('im', '+chat-search', '--help');
    expect(search.stdout.replace(/\s+/g, ' ')).toContain('(create_time|update_time|member_count)');
    expect(search.stdout).not.toContain('--sort-by');
    expect(h.fake.requests).toHaveLength(0);
  });
});
