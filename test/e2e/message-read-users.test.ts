/**
 * `+message-read-users` against the fake platform (docs/shortcuts-read.md): the request, the
 * output with `meta.count` and `meta.pagination`, `--page-all` through the shared walk, every
 * validation message, an API error and the dry-run.
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { useMessagesReadFake } from '../fake-lark/messages-read.js';
import { PAGE_ALL_DESC } from '../helpers/fixtures.js';
import { expectJsonOut } from '../helpers/fake-lark-hooks.js';

const USER_TOKEN = 'Bearer u-test-user-token';
const BOT_TOKEN = 'Bearer t-cli_test';
const PATH = '/open-apis/im/v1/messages/om_1/read_users';

const h = useMessagesReadFake();
const { cli, calls, apiCalls, expectValidation } = h;

type Json = Record<string, unknown>;
const reader = (id: string): Json => ({ user_id_type: 'open_id', user_id: id, timestamp: '1609484183000', tenant_key: 'tk1' });

/** read_users of om_1, answering by the request's page_token ('' = the first page). */
function readers(pages: Record<string, Json>): void {
  h.fake.use(
    http.get('*/open-apis/im/v1/messages/:id/read_users', ({ request }) =>
      larkOk(pages[new URL(request.url).searchParams.get('page_token') ?? ''] ?? { items: [], has_more: false }),
    ),
  );
}

describe('+message-read-users', () => {
  it('lists the readers of one page as user, with meta.count and meta.pagination', async () => {
    readers({ '': { items: [reader('ou_a'), reader('ou_b')], has_more: false, page_token: '' } });
    const r = await cli('im', '+message-read-users', '--message-id', 'om_1');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: { items: [reader('ou_a'), reader('ou_b')], has_more: false, page_token: '', total: 2 },
      meta: { count: 2, pagination: { complete: true, pages: 1, items: 2 } },
    });
    const [req] = apiCalls();
    expect(apiCalls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'GET', path: PATH, search: '?page_size=100&user_id_type=open_id' });
    expect(req!.headers.authorization).toBe(USER_TOKEN);
    expect(req!.headers['x-cli-shortcut']).toBe('im:+message-read-users');
  });

  it('as bot: --user-id-type, --limit and --page-token reach the query; one page of more is incomplete', async () => {
    readers({ p0: { items: [reader('ou_a')], has_more: true, page_token: 'p1' } });
    const r = await cli('im', '+message-read-users', '--message-id', ' om_1 ', '--user-id-type', 'union_id', '--limit', '1', '--page-token', 'p0', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      ok: true,
      identity: 'bot',
      data: { items: [reader('ou_a')], has_more: true, page_token: 'p1', total: 1 },
      meta: { count: 1, pagination: { complete: false, pages: 1, items: 1, next_token: 'p1' } },
    });
    const [req] = calls(PATH);
    expect(req!.query).toEqual({ page_size: '1', page_token: 'p0', user_id_type: 'union_id' });
    expect(req!.headers.authorization).toBe(BOT_TOKEN);
  });

  it('no readers: total 0, meta without count', async () => {
    readers({ '': { items: [], has_more: false } });
    const r = await cli('im', '+message-read-users', '--message-id', 'om_1');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ items: [], has_more: false, page_token: '', total: 0 });
    expect(r.json().meta).toEqual({ pagination: { complete: true, pages: 1, items: 0 } });
  });

  it('--page-all merges the pages of the shared walk', async () => {
    readers({
      '': { items: [reader('ou_a')], has_more: true, page_token: 'next' },
      next: { items: [reader('ou_b')], has_more: false },
    });
    const r = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-delay', '0');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().data).toEqual({ items: [reader('ou_a'), reader('ou_b')], has_more: false, page_token: '', total: 2 });
    expect(r.json().meta).toEqual({ count: 2, pagination: { complete: true, pages: 2, items: 2 } });
    expect(calls(PATH).map((c) => c.query)).toEqual([
      { page_size: '100', user_id_type: 'open_id' },
      { page_size: '100', page_token: 'next', user_id_type: 'open_id' },
    ]);
  });

  it('--page-all stops at --page-limit; a repeated cursor and a missing one are internal errors', async () => {
    readers({
      '': { items: [reader('ou_a')], has_more: true, page_token: 'page_1' },
      page_1: { items: [reader('ou_b')], has_more: true, page_token: 'page_2' },
    });
    const limited = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-limit', '2', '--page-delay', '0');
    expect(limited.code).toBe(0);
    expect(limited.json().meta).toEqual({ count: 2, pagination: { complete: false, pages: 2, items: 2, next_token: 'page_2' } });

    readers({ '': { items: [], has_more: true, page_token: 'repeat' }, repeat: { items: [], has_more: true, page_token: 'repeat' } });
    const repeated = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-delay', '0');
    expect(repeated.code).toBe(5);
    expect(repeated.stdout).toBe('');
    expect(repeated.errJson().error).toMatchObject({ type: 'internal', message: 'response repeated page token "repeat", which would paginate forever' });

    readers({ '': { items: [], has_more: true } });
    const missing = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all');
    expect(missing.code).toBe(5);
    expect(missing.errJson().error).toMatchObject({ type: 'internal', message: 'response reports more pages but returned no page token' });

    readers({ '': { items: 'not-an-array', has_more: false } });
    const bad = await cli('im', '+message-read-users', '--message-id', 'om_1');
    expect(bad.code).toBe(5);
    expect(bad.errJson().error).toMatchObject({ type: 'internal', message: 'decode pagination page 1: "items" is not an array' });
    expect(calls(PATH)).toHaveLength(2 + 2 + 1 + 1);
  });

  it('validates before any request', async () => {
    const base = ['im', '+message-read-users'];
    await expectValidation(base, 'required flag(s) "message-id" not set');
    await expectValidation([...base, '--message-id', ''], 'message ID cannot be empty');
    await expectValidation([...base, '--message-id', 'oc_1'], 'invalid message ID "oc_1": must start with om_');
    await expectValidation([...base, '--message-id', 'om_1', '--user-id-type', ''], '--user-id-type must be one of open_id, union_id, or user_id');
    await expectValidation([...base, '--message-id', 'om_1', '--user-id-type', 'email'], 'invalid value "email" for --user-id-type, allowed: open_id, union_id, user_id');
    await expectValidation([...base, '--message-id', 'om_1', '--page-size', '0'], 'invalid --page-size 0: must be between 1 and 100');
    await expectValidation([...base, '--message-id', 'om_1', '--limit', '101'], 'invalid --page-size 101: must be between 1 and 100');
    await expectValidation([...base, '--message-id', 'om_1', '--page-limit', '0'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--message-id', 'om_1', '--page-limit', '-1'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation([...base, '--message-id', 'om_1', '--page-delay', '-1'], '--page-delay must be an integer between 0 and 60000');
    await expectValidation([...base, '--message-id', 'om_1', '--page-delay', '60001'], '--page-delay must be an integer between 0 and 60000');
  });

  it('reports an API error with exit 1', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/messages/:id/read_users', () => larkErr(230012, 'operator is not the sender of the message')));
    const r = await cli('im', '+message-read-users', '--message-id', 'om_1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const err = r.errJson();
    expect(err.ok).toBe(false);
    expect(err.error).toEqual({ type: 'api_error', code: 230012, message: 'HTTP 400: operator is not the sender of the message' });
    expect(calls(PATH)).toHaveLength(1);
  });

  it('prints the dry-run plan (JSON, with --page-all, pretty) without a request', async () => {
    const r = await cli('im', '+message-read-users', '--message-id', 'om_1', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [{ method: 'GET', url: PATH, params: { page_size: 100, user_id_type: 'open_id' } }],
      message_id: 'om_1',
    });
    const all = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-token', 't0', '--dry-run');
    expect(all.json()).toEqual({
      api: [{ desc: PAGE_ALL_DESC, method: 'GET', url: PATH, params: { page_size: 100, page_token: 't0', user_id_type: 'open_id' } }],
      message_id: 'om_1',
    });
    const pretty = await cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--dry-run', '--format', 'pretty');
    expect(pretty.stdout).toBe(`# ${PAGE_ALL_DESC}\nGET ${PATH}?page_size=100&user_id_type=open_id\n`);
    expect(apiCalls()).toHaveLength(0);
  });
});
