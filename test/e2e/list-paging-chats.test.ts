/**
 * The list walk (`--page-all`, `--page-limit`, `--page-delay`; docs/shortcuts-framework.md,
 * Paging) on `+chat-list` and `+chat-search`: pages merged before the mute filter (one
 * mute-status request for all pages), the search notice of an earlier page kept, the cursor
 * errors, `meta.pagination` (items = chats printed after filtering), the NDJSON/CSV diagnostic
 * line on stderr, the dry-run description and the range checks without --page-all.
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { BOT_TOKEN, USER_TOKEN, useChatsFeedFake } from '../fake-lark/chats-feed.js';
import { expectJsonErr, expectJsonOut, expectOutput } from '../helpers/fake-lark-hooks.js';
import { PAGE_ALL_DESC } from '../helpers/fixtures.js';

const h = useChatsFeedFake();
const { cli, calls, apiCalls, expectValidation } = h;

const LIST = '/open-apis/im/v1/chats';
const SEARCH = '/open-apis/im/v2/chats/search';
const MUTE = '/open-apis/im/v1/chat_user_setting/batch_get_mute_status';
const CURSOR_HINT = 're-run without --page-all, or report the endpoint: its pagination cursor is inconsistent';

type Json = Record<string, unknown>;
const chat = (id: string): Json => ({ chat_id: id, name: id, chat_mode: 'group' });

/** Answers by the request's page_token ('' = the first page). */
function pagesBy(pages: Record<string, Json>) {
  return (request: Request) => larkOk(pages[new URL(request.url).searchParams.get('page_token') ?? ''] ?? { items: [], has_more: false });
}
const listPages = (pages: Record<string, Json>) => h.fake.use(http.get(`*${LIST}`, ({ request }) => pagesBy(pages)(request)));
/** `+chat-list --page-all` as bot, without delay between pages. */
const walkAsBot = (...extra: string[]) => cli('im', '+chat-list', '--page-all', '--page-delay', '0', '--as', 'bot', ...extra);
const searchPages = (pages: Record<string, Json>) => h.fake.use(http.post(`*${SEARCH}`, ({ request }) => pagesBy(pages)(request)));

const TWO_LIST_PAGES = {
  '': { items: [chat('oc_first')], has_more: true, page_token: 'next' },
  next: { items: [chat('oc_second')], has_more: false, page_token: 'final' },
};

describe('+chat-list --page-all', () => {
  it('merges the pages, then filters muted chats of both with one mute-status request', async () => {
    listPages(TWO_LIST_PAGES);
    h.fake.use(http.post(`*${MUTE}`, () => larkOk({ items: [{ chat_id: 'oc_first', is_muted: false }, { chat_id: 'oc_second', is_muted: true }] })));
    const r = await cli('im', '+chat-list', '--page-all', '--page-delay', '0', '--exclude-muted', '--as', 'user');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: {
        chats: [chat('oc_first')],
        has_more: false,
        page_token: 'final',
        filter: { applied: 'exclude_muted', fetched_count: 2, returned_count: 1, filtered_count: 1, hint: 'Filtered out 1 muted chat(s) on this page (1 remaining); no more pages.' },
      },
      // items: what was printed, after the filter
      meta: { pagination: { complete: true, pages: 2, items: 1 } },
    });
    const pages = calls(LIST);
    expect(pages.map((p) => p.search)).toEqual([
      '?page_size=20&sort_type=ByCreateTimeAsc&user_id_type=open_id',
      '?page_size=20&page_token=next&sort_type=ByCreateTimeAsc&user_id_type=open_id',
    ]);
    for (const p of pages) expect(p.headers.authorization).toBe(USER_TOKEN);
    const mute = calls(MUTE);
    expect(mute).toHaveLength(1);
    expect(mute[0]!.json).toEqual({ chat_ids: ['oc_first', 'oc_second'] });
    expect(apiCalls().map((c) => c.path)).toEqual([LIST, LIST, MUTE]);
  });

  it('NDJSON and CSV: only records on stdout, the pagination diagnostic line on stderr', async () => {
    listPages(TWO_LIST_PAGES);
    const ndjson = await walkAsBot('--format', 'ndjson');
    expectOutput(ndjson, 0, '{"chat_id":"oc_first","chat_mode":"group","name":"oc_first"}\n{"chat_id":"oc_second","chat_mode":"group","name":"oc_second"}\n', '{"_diagnostic":"pagination","complete":true,"pages":2,"items":2}\n');
    const csv = await walkAsBot('--format', 'csv');
    expectOutput(csv, 0, 'chat_id,chat_mode,name\noc_first,group,oc_first\noc_second,group,oc_second\n', '{"_diagnostic":"pagination","complete":true,"pages":2,"items":2}\n');
    expect(calls(LIST)).toHaveLength(4);
    for (const p of calls(LIST)) expect(p.headers.authorization).toBe(BOT_TOKEN);
  });

  it('stops at --page-limit: the diagnostic carries next_token; the JSON meta too', async () => {
    listPages({
      '': { items: [chat('oc_1')], has_more: true, page_token: 'token-1' },
      'token-1': { items: [chat('oc_2')], has_more: true, page_token: 'token-2' },
      'token-2': { items: [chat('oc_3')], has_more: false },
    });
    const ndjson = await cli('im', '+chat-list', '--page-all', '--page-limit', '2', '--page-delay', '0', '--format', 'ndjson', '--as', 'bot');
    expect(ndjson.code).toBe(0);
    expect(ndjson.stderr).toBe('{"_diagnostic":"pagination","complete":false,"pages":2,"items":2,"next_token":"token-2"}\n');
    const json = await cli('im', '+chat-list', '--page-all', '--page-limit', '2', '--page-delay', '0', '--as', 'bot');
    expect(json.json().data).toMatchObject({ has_more: true, page_token: 'token-2' });
    expect(json.json().meta).toEqual({ pagination: { complete: false, pages: 2, items: 2, next_token: 'token-2' } });
    expect(json.stderr).toBe('');
    expect(calls(LIST)).toHaveLength(4);
  });

  it('--jq sees meta.pagination', async () => {
    listPages(TWO_LIST_PAGES);
    const r = await walkAsBot('--jq', '.meta.pagination.pages');
    expectOutput(r, 0, '2\n', '');
  });

  it('a repeated cursor is an internal error', async () => {
    listPages({ '': { items: [chat('oc_1')], has_more: true, page_token: 'same' }, same: { items: [chat('oc_2')], has_more: true, page_token: 'same' } });
    const r = await cli('im', '+chat-list', '--page-all', '--page-delay', '0', '--as', 'bot');
    expectJsonErr(r, 5, { ok: false, identity: 'bot', error: { type: 'internal', message: 'response repeated page token "same", which would paginate forever', hint: CURSOR_HINT } });
    expect(calls(LIST)).toHaveLength(2);
  });

  it('dry-run with --page-all describes the walk; the range checks run without --page-all', async () => {
    const r = await cli('im', '+chat-list', '--page-all', '--dry-run', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      api: [{ method: 'GET', url: LIST, params: { page_size: 20, sort_type: 'ByCreateTimeAsc', user_id_type: 'open_id' } }],
      description: PAGE_ALL_DESC,
    });
    await expectValidation(['im', '+chat-list', '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+chat-list', '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+chat-list', '--page-delay', '-1'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation(['im', '+chat-list', '--page-delay', '60001'], '--page-delay must be an integer between 0 and 60000');
  });
});

describe('+chat-search --page-all', () => {
  it('sends the same body with the cursor in the query, keeps an earlier page\'s notice, filters once', async () => {
    const notice = 'The query was truncated before search.';
    searchPages({
      '': { items: [{ meta_data: chat('oc_first') }], notice, total: 2, has_more: true, page_token: 'next' },
      next: { items: [{ meta_data: chat('oc_second') }], total: 2, has_more: false, page_token: 'final' },
    });
    h.fake.use(http.post(`*${MUTE}`, () => larkOk({ items: [{ chat_id: 'oc_first', is_muted: false }, { chat_id: 'oc_second', is_muted: false }] })));
    const r = await cli('im', '+chat-search', '--query', 'team', '--page-all', '--page-delay', '0', '--exclude-muted', '--as', 'user');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: {
        chats: [chat('oc_first'), chat('oc_second')],
        total: 2,
        has_more: false,
        page_token: 'final',
        notice,
        filter: { applied: 'exclude_muted', fetched_count: 2, returned_count: 2, filtered_count: 0, hint: '' },
      },
      meta: { pagination: { complete: true, pages: 2, items: 2 } },
    });
    const pages = calls(SEARCH);
    expect(pages.map((p) => [p.method, p.search])).toEqual([
      ['POST', '?page_size=20'],
      ['POST', '?page_size=20&page_token=next'],
    ]);
    for (const p of pages) {
      expect(p.json).toEqual({ query: 'team' });
      expect(p.headers.authorization).toBe(USER_TOKEN);
    }
    expect(calls(MUTE)).toHaveLength(1);
    expect(calls(MUTE)[0]!.json).toEqual({ chat_ids: ['oc_first', 'oc_second'] });
  });

  it('more pages without a cursor is an internal error', async () => {
    searchPages({ '': { items: [{ meta_data: chat('oc_1') }], has_more: true } });
    const r = await cli('im', '+chat-search', '--query', 'team', '--page-all', '--as', 'bot');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'internal', message: 'response reports more pages but returned no page token', hint: CURSOR_HINT });
    expect(calls(SEARCH)).toHaveLength(1);
  });

  it('one page with more: meta.pagination incomplete with next_token', async () => {
    searchPages({ '': { items: [{ meta_data: chat('oc_1') }], total: 9, has_more: true, page_token: 'next' } });
    const r = await cli('im', '+chat-search', '--query', 'team', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json().meta).toEqual({ pagination: { complete: false, pages: 1, items: 1, next_token: 'next' } });
    expect(calls(SEARCH)).toHaveLength(1);
  });

  it('dry-run with --page-all describes the walk; the range checks run without --page-all', async () => {
    const r = await cli('im', '+chat-search', '--query', 'team', '--page-all', '--page-token', 'resume', '--dry-run', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      api: [{ method: 'POST', url: SEARCH, params: { page_size: 20, page_token: 'resume' }, body: { query: 'team' } }],
      description: PAGE_ALL_DESC,
    });
    const base = ['im', '+chat-search', '--query', 'team'];
    await expectValidation([...base, '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-delay', '-1'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation([...base, '--page-delay', '60001'], '--page-delay must be an integer between 0 and 60000');
  });
});
