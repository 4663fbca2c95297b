/**
 * The list walk (`--page-all`, `--page-limit`, `--page-delay`; docs/shortcuts-framework.md,
 * Paging) on `+chat-messages-list` and `+threads-messages-list`, against the fake platform: pages
 * merged before enrichment (one reactions batch for all pages), the cursor and `has_more` of the
 * last page, `meta.pagination` on every run, the two cursor errors, the dry-run description,
 * the range checks without --page-all, and the flag aliases of `+chat-messages-list`.
 */
import { describe, expect, it } from 'vitest';
import { textMessage, useMessagesReadFake } from '../fake-lark/messages-read.js';
import { PAGE_ALL_DESC } from '../helpers/fixtures.js';
import { expectJsonErr } from '../helpers/fake-lark-hooks.js';

const USER_TOKEN = 'Bearer u-test-user-token';
const BOT_TOKEN = 'Bearer t-cli_test';
const LIST = '/open-apis/im/v1/messages';
const REACTIONS = '/open-apis/im/v1/messages/reactions/batch_query';
const CURSOR_HINT = 're-run without --page-all, or report the endpoint: its pagination cursor is inconsistent';

const h = useMessagesReadFake();
const { cli, calls, apiCalls, expectValidation } = h;

const ids = (data: { messages: Array<{ message_id: string }> }) => data.messages.map((m) => m.message_id);

/** The chat oc_abc as pages: `tokens[i]` is the cursor page i answers with; the last page has has_more false. */
function chatPages(count: number, opts: { lastHasMore?: boolean; token?: (i: number) => string } = {}): void {
  const token = opts.token ?? ((i: number) => `token-${i + 1}`);
  for (let i = 0; i < count; i++) {
    const key = i === 0 ? 'oc_abc' : `oc_abc#${token(i - 1)}`;
    const last = i === count - 1;
    h.world.chats[key] = { items: [textMessage(`om_${i + 1}`, `m${i + 1}`)], has_more: last ? opts.lastHasMore ?? false : true, page_token: last && !opts.lastHasMore ? 'final' : token(i) };
  }
}

describe('+chat-messages-list --page-all', () => {
  it('merges two pages, then asks for the reactions of both in one batch', async () => {
    chatPages(2);
    h.world.reactions = { om_2: { counts: [{ reaction_type: 'OK', count: 1 }] } };
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--page-delay', '0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(ids(out.data)).toEqual(['om_1', 'om_2']);
    expect(out.data.messages[1].reactions).toEqual({ counts: [{ count: 1, reaction_type: 'OK' }] });
    // the last page's cursor fields, unchanged shape (no `pages` key)
    expect(out.data).toMatchObject({ has_more: false, page_token: 'final', total: 2 });
    expect(Object.keys(out.data).sort()).toEqual(['has_more', 'messages', 'page_token', 'total']);
    expect(out.meta).toEqual({ pagination: { complete: true, pages: 2, items: 2 } });

    const pages = calls(LIST);
    expect(pages).toHaveLength(2);
    for (const p of pages) {
      expect(p.method).toBe('GET');
      expect(p.headers.authorization).toBe(USER_TOKEN);
      expect(p.query).toMatchObject({ container_id_type: 'chat', container_id: 'oc_abc', sort_type: 'ByCreateTimeDesc', page_size: '50', only_thread_root_messages: 'true' });
    }
    expect(pages[0]!.query.page_token).toBeUndefined();
    expect(pages[1]!.query.page_token).toBe('token-1');
    const reactions = calls(REACTIONS);
    expect(reactions).toHaveLength(1);
    expect(reactions[0]!.method).toBe('POST');
    expect(reactions[0]!.json).toEqual({ queries: [{ message_id: 'om_1' }, { message_id: 'om_2' }] });
    // the enrichment ran after the last page
    expect(apiCalls().map((c) => c.path)).toEqual([LIST, LIST, REACTIONS]);
  });

  it('stops at --page-limit with the last cursor in data and in meta.pagination.next_token, silently', async () => {
    chatPages(3, { lastHasMore: true });
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--page-limit', '2', '--page-delay', '0', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.json();
    expect(ids(out.data)).toEqual(['om_1', 'om_2']);
    expect(out.data).toMatchObject({ has_more: true, page_token: 'token-2', total: 2 });
    expect(out.data.pages).toBeUndefined();
    expect(out.meta).toEqual({ pagination: { complete: false, pages: 2, items: 2, next_token: 'token-2' } });
    expect(r.stdout).not.toContain('[pagination]');
    expect(calls(LIST).map((c) => c.query.page_token)).toEqual([undefined, 'token-1']);
  });

  it('a page that repeats a cursor already sent is an internal error (exit 5) after two requests', async () => {
    h.world.chats.oc_abc = { items: [textMessage('om_1', 'a')], has_more: true, page_token: 'same' };
    h.world.chats['oc_abc#same'] = { items: [textMessage('om_2', 'b')], has_more: true, page_token: 'same' };
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--page-delay', '0');
    expectJsonErr(r, 5, {
      ok: false,
      identity: 'user',
      error: { type: 'internal', message: 'response repeated page token "same", which would paginate forever', hint: CURSOR_HINT },
    });
    expect(r.stderr).not.toContain('reached page limit');
    expect(calls(LIST).map((c) => c.query.page_token)).toEqual([undefined, 'same']);
    // nothing is enriched or printed for a broken walk
    expect(calls(REACTIONS)).toHaveLength(0);
  });

  it('more pages without a cursor is an internal error (exit 5), with or without --page-all', async () => {
    h.world.chats.oc_abc = { items: [textMessage('om_1', 'a')], has_more: true };
    const expected = { type: 'internal', message: 'response reports more pages but returned no page token', hint: CURSOR_HINT };
    const all = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all');
    expect(all.code).toBe(5);
    expect(all.stdout).toBe('');
    expect(all.errJson().error).toEqual(expected);
    expect(calls(LIST)).toHaveLength(1);
    const one = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc');
    expect(one.code).toBe(5);
    expect(one.errJson().error).toEqual(expected);
  });

  it('one page with more: meta.pagination says incomplete and where to resume; nothing on stderr', async () => {
    chatPages(2);
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--no-reactions', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json()).toMatchObject({ identity: 'bot', data: { has_more: true, page_token: 'token-1', total: 1 } });
    expect(r.json().meta).toEqual({ pagination: { complete: false, pages: 1, items: 1, next_token: 'token-1' } });
    expect(calls(LIST)).toHaveLength(1);
    expect(calls(LIST)[0]!.headers.authorization).toBe(BOT_TOKEN);
  });

  it('waits --page-delay between pages only', async () => {
    chatPages(2);
    const t0 = Date.now();
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--page-delay', '300', '--no-reactions');
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.json().meta.pagination).toEqual({ complete: true, pages: 2, items: 2 });
  });

  it('dry-run: the walk is described with --page-all (JSON and pretty), not without', async () => {
    const all = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--dry-run');
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('=== Dry Run ===\n');
    const plan = all.json();
    expect(plan.description).toBe(PAGE_ALL_DESC);
    expect(plan.api.map((c: { method: string; url: string }) => `${c.method} ${c.url}`)).toEqual([`GET ${LIST}`, `POST ${REACTIONS}`]);
    expect(plan.api[0].params.page_token).toBeUndefined();
    const pretty = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-all', '--page-token', 'resume', '--dry-run', '--format', 'pretty');
    expect(pretty.stdout.startsWith(`# ${PAGE_ALL_DESC}\n\nGET ${LIST}?`)).toBe(true);
    expect(pretty.stdout).toContain('page_token=resume');
    const one = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--dry-run');
    expect(one.json().description).toBeUndefined();
    expect(apiCalls()).toHaveLength(0);
  });

  it('checks --page-limit and --page-delay even without --page-all, before any request', async () => {
    const base = ['im', '+chat-messages-list', '--chat-id', 'oc_abc'];
    await expectValidation([...base, '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-delay', '-1'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation([...base, '--page-delay', '60001'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation([...base, '--page-all', '--page-limit', '0', '--dry-run'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-limit', 'ten'], 'invalid argument "ten" for "--page-limit" flag: strconv.ParseInt: parsing "ten": invalid syntax');
    // the bounds themselves are accepted
    chatPages(1);
    const r = await cli(...base, '--page-limit', '1000', '--page-delay', '60000', '--no-reactions');
    expect(r.code).toBe(0);
  });

  it('takes --limit, --start-time, --end-time and --sort-order for --page-size, --start, --end and --order', async () => {
    // an alias is the same flag: its checks apply
    await expectValidation(['im', '+chat-messages-list', '--chat-id', 'oc_abc', '--limit', '51'], 'invalid --page-size 51: must be between 1 and 50');
    chatPages(1);
    const r = await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--limit', '7', '--start-time', '1700000000', '--end-time=1700003600', '--sort-order', 'asc', '--no-reactions');
    expect(r.code).toBe(0);
    expect(calls(LIST)[0]!.query).toMatchObject({ page_size: '7', start_time: '1700000000', end_time: '1700003600', sort_type: 'ByCreateTimeAsc' });
    // and the last occurrence of the flag or its alias wins
    await cli('im', '+chat-messages-list', '--chat-id', 'oc_abc', '--page-size', '3', '--limit', '4', '--no-reactions');
    expect(calls(LIST)[1]!.query.page_size).toBe('4');
  });
});

describe('+threads-messages-list --page-all', () => {
  it('merges the pages of a thread from --page-token, then enriches them once', async () => {
    h.world.threads['omt_1#resume'] = { items: [textMessage('om_a', 'a')], has_more: true, page_token: 'next_1' };
    h.world.threads['omt_1#next_1'] = { items: [textMessage('om_b', 'b')], has_more: true, page_token: 'next_2' };
    h.world.threads['omt_1#next_2'] = { items: [textMessage('om_c', 'c')], has_more: false, page_token: 'final' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--page-all', '--page-token', 'resume', '--page-delay', '0', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.json();
    expect(ids(out.data)).toEqual(['om_a', 'om_b', 'om_c']);
    expect(out.data).toMatchObject({ has_more: false, page_token: 'final', thread_id: 'omt_1', total: 3 });
    expect(out.meta).toEqual({ pagination: { complete: true, pages: 3, items: 3 } });
    const pages = calls(LIST);
    expect(pages.map((p) => p.query.page_token)).toEqual(['resume', 'next_1', 'next_2']);
    for (const p of pages) {
      expect(p.headers.authorization).toBe(BOT_TOKEN);
      expect(p.query).toMatchObject({ container_id_type: 'thread', container_id: 'omt_1', sort_type: 'ByCreateTimeAsc', page_size: '50' });
    }
    const reactions = calls(REACTIONS);
    expect(reactions).toHaveLength(1);
    expect(reactions[0]!.json).toEqual({ queries: [{ message_id: 'om_a' }, { message_id: 'om_b' }, { message_id: 'om_c' }] });
  });

  it('one page with more: meta.pagination incomplete with next_token', async () => {
    h.world.threads.omt_1 = { items: [textMessage('om_a', 'a'), textMessage('om_b', 'b')], has_more: true, page_token: 'next' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--page-size', '1', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().meta).toEqual({ pagination: { complete: false, pages: 1, items: 1, next_token: 'next' } });
  });

  it('a repeated cursor on the second page is an internal error', async () => {
    h.world.threads.omt_1 = { items: [textMessage('om_a', 'a')], has_more: true, page_token: 'same' };
    h.world.threads['omt_1#same'] = { items: [textMessage('om_b', 'b')], has_more: true, page_token: 'same' };
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--page-all', '--page-delay', '0');
    expect(r.code).toBe(5);
    expect(r.errJson().error).toEqual({ type: 'internal', message: 'response repeated page token "same", which would paginate forever', hint: CURSOR_HINT });
    expect(calls(LIST)).toHaveLength(2);
  });

  it('dry-run with --page-all describes the walk; the range checks run without it', async () => {
    const r = await cli('im', '+threads-messages-list', '--thread', 'omt_1', '--page-all', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.json().description).toBe(PAGE_ALL_DESC);
    const base = ['im', '+threads-messages-list', '--thread', 'omt_1'];
    await expectValidation([...base, '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--page-delay', '-1'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation([...base, '--page-delay', '60001'], '--page-delay must be an integer between 0 and 60000');
  });
});
