/**
 * The rules of the newest original that the other e2e files leave partly unchecked, each with
 * the requests made (method, path, query, body, token), the output and the exit code: the page
 * limit defaults of the list walks (20 on `+chat-members-list`, which has no `--page-delay`; 10
 * on the shared walk), the token on every page of a walk, the progress lines (a terminal only),
 * the order of the checks before the confirmation of a high-risk write and when its hint leaves
 * out the re-run line, the `--sort` alias, an empty `--page-token`, the user scope pre-check of
 * the newer read shortcuts, and the body `+messages-edit` builds from `--text` / `--content`
 * (docs/shortcuts-framework.md, docs/generic-commands.md, docs/compatibility.md).
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { ALL_SCOPES, BOT_TOKEN, loginUser, USER_TOKEN } from '../fake-lark/chats-feed.js';
import { editHandler, membersHandler, memberPages, type Json } from '../fake-lark/newest-shortcuts.js';
import { expectJsonErr, expectJsonOut, useFakeLark } from '../helpers/fake-lark-hooks.js';
import { runInProcess } from '../helpers/in-process.js';

const SCOPES = `${ALL_SCOPES} im:chat.members:read im:message:readonly`;
const h = useFakeLark({ env: { TZ: 'UTC', LARKSUITE_CLI_RETRY_BASE_MS: '20' }, setup: (hh) => loginUser(hh.sb, hh.fake.url, SCOPES) });

const MEMBERS = '/open-apis/im/v1/chats/oc_1/members/list';
const READ_USERS = '/open-apis/im/v1/messages/om_1/read_users';
const CHATS = '/open-apis/im/v1/chats';

/** Pages answered by page_token without end: '' is page 0, `p<i>` page i; every page has more. */
function endlessPages(path: string, item: (i: number) => Json): void {
  h.fake.use(
    http.get(`*${path}`, ({ request }) => {
      const token = new URL(request.url).searchParams.get('page_token') ?? '';
      const i = token === '' ? 0 : Number(token.slice(1));
      return larkOk({ items: [item(i)], has_more: true, page_token: `p${i + 1}` });
    }),
  );
}

// ---------------------------------------------------------------------------
describe('+chat-members-list: its own walk', () => {
  it('--page-all without --page-limit stops after 20 pages, every page a GET with the bot token', async () => {
    const pages = memberPages(25);
    h.fake.use(membersHandler(pages));
    const r = await h.cli('im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-size', '1', '--as', 'bot');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'bot',
      data: {
        users: pages.slice(0, 20).flatMap((p) => p.users as Json[]),
        bots: pages.slice(0, 20).flatMap((p) => p.bots as Json[]),
        has_more: true,
        page_token: 't20',
        truncations: [],
      },
    });
    const calls = h.apiCalls();
    expect(calls).toHaveLength(20);
    calls.forEach((c, i) => {
      expect(c.method).toBe('GET');
      expect(c.path).toBe(MEMBERS);
      expect(c.query).toEqual({ member_id_type: 'open_id', page_size: '1', ...(i > 0 ? { page_token: `t${i}` } : {}) });
      expect(c.text).toBe('');
      expect(c.headers.authorization).toBe(BOT_TOKEN);
    });
  });

  it('has no --page-delay flag: a validation error, no request', async () => {
    await h.expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-delay', '0'], 'unknown flag: --page-delay');
  });

  it('the user token on every page; --page-limit 1000 is allowed, 1001 is not (with --page-all)', async () => {
    h.fake.use(membersHandler(memberPages(2)));
    const r = await h.cli('im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-limit', '1000');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().data).toMatchObject({ has_more: false, page_token: '' });
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query.page_token, c.headers.authorization])).toEqual([
      ['GET', MEMBERS, undefined, USER_TOKEN],
      ['GET', MEMBERS, 't1', USER_TOKEN],
    ]);
    h.fake.clearRequests();
    await h.expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
  });
});

// ---------------------------------------------------------------------------
describe('the shared walk: --page-limit defaults to 10', () => {
  const reader = (i: number): Json => ({ user_id_type: 'open_id', user_id: `ou_${i}`, timestamp: '1609484183000', tenant_key: 'tk1' });

  it('+message-read-users --page-all as bot: 10 pages, the tenant token on each, incomplete with the next cursor', async () => {
    endlessPages(READ_USERS, reader);
    const r = await h.cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-delay', '0', '--as', 'bot');
    const items = Array.from({ length: 10 }, (_, i) => reader(i));
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'bot',
      data: { items, has_more: true, page_token: 'p10', total: 10 },
      meta: { count: 10, pagination: { complete: false, pages: 10, items: 10, next_token: 'p10' } },
    });
    const calls = h.apiCalls();
    expect(calls).toHaveLength(10);
    calls.forEach((c, i) => {
      expect(c.method).toBe('GET');
      expect(c.path).toBe(READ_USERS);
      expect(c.query).toEqual({ page_size: '100', user_id_type: 'open_id', ...(i > 0 ? { page_token: `p${i}` } : {}) });
      expect(c.headers.authorization).toBe(BOT_TOKEN);
    });
  });

  it('+message-read-users --page-all continues from --page-token, with the user token', async () => {
    endlessPages(READ_USERS, reader);
    const r = await h.cli('im', '+message-read-users', '--message-id', 'om_1', '--page-all', '--page-token', 'p5', '--page-limit', '2', '--page-delay', '0');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: { items: [reader(5), reader(6)], has_more: true, page_token: 'p7', total: 2 },
      meta: { count: 2, pagination: { complete: false, pages: 2, items: 2, next_token: 'p7' } },
    });
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query.page_token, c.headers.authorization])).toEqual([
      ['GET', READ_USERS, 'p5', USER_TOKEN],
      ['GET', READ_USERS, 'p6', USER_TOKEN],
    ]);
  });

  it('+chat-list --page-all: 10 pages, then meta.pagination incomplete with next_token', async () => {
    const chat = (i: number): Json => ({ chat_id: `oc_${i}`, name: `chat ${i}`, chat_mode: 'group' });
    endlessPages(CHATS, chat);
    const r = await h.cli('im', '+chat-list', '--page-all', '--page-delay', '0', '--as', 'bot');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'bot',
      data: { chats: Array.from({ length: 10 }, (_, i) => chat(i)), has_more: true, page_token: 'p10' },
      meta: { pagination: { complete: false, pages: 10, items: 10, next_token: 'p10' } },
    });
    const calls = h.apiCalls();
    expect(calls).toHaveLength(10);
    calls.forEach((c, i) => {
      expect([c.method, c.path, c.headers.authorization]).toEqual(['GET', CHATS, BOT_TOKEN]);
      expect(c.query).toEqual({ page_size: '20', sort_type: 'ByCreateTimeAsc', user_id_type: 'open_id', ...(i > 0 ? { page_token: `p${i}` } : {}) });
    });
  });

  it('+chat-list with --format ndjson: records only on stdout, the incomplete diagnostic on stderr', async () => {
    const chat = (i: number): Json => ({ chat_id: `oc_${i}`, name: `chat ${i}` });
    endlessPages(CHATS, chat);
    const r = await h.cli('im', '+chat-list', '--page-all', '--page-limit', '2', '--page-delay', '0', '--format', 'ndjson', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(chat(0))}\n${JSON.stringify(chat(1))}\n`);
    expect(r.stderr).toBe('{"_diagnostic":"pagination","complete":false,"pages":2,"items":2,"next_token":"p2"}\n');
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query.page_token, c.headers.authorization])).toEqual([
      ['GET', CHATS, undefined, BOT_TOKEN],
      ['GET', CHATS, 'p1', BOT_TOKEN],
    ]);
  });
  it('progress lines only on a terminal, one per page, and no page-limit text when the limit is reached', async () => {
    const chat = (i: number): Json => ({ chat_id: `oc_${i}`, name: `chat ${i}` });
    endlessPages(CHATS, chat);
    const tty = (args: string[]) =>
      runInProcess(['im', '+chat-list', ...args], { sandbox: h.sb, env: { TZ: 'UTC' } }, (io) => {
        (io.stderr as { isTTY?: boolean }).isTTY = true;
      });
    const json = await tty(['--page-all', '--page-limit', '2', '--page-delay', '0', '--as', 'bot']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n');
    expect(json.json().meta).toEqual({ pagination: { complete: false, pages: 2, items: 2, next_token: 'p2' } });
    // ndjson: its stderr carries the diagnostic line only
    const ndjson = await tty(['--page-all', '--page-limit', '2', '--page-delay', '0', '--format', 'ndjson', '--as', 'bot']);
    expect(ndjson.stderr).toBe('{"_diagnostic":"pagination","complete":false,"pages":2,"items":2,"next_token":"p2"}\n');
    // one page (no --page-all): no progress line
    const one = await tty(['--as', 'bot']);
    expect(one.stderr).toBe('');
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query.page_token, c.headers.authorization])).toEqual([
      ['GET', CHATS, undefined, BOT_TOKEN],
      ['GET', CHATS, 'p1', BOT_TOKEN],
      ['GET', CHATS, undefined, BOT_TOKEN],
      ['GET', CHATS, 'p1', BOT_TOKEN],
      ['GET', CHATS, undefined, BOT_TOKEN],
    ]);
  });
});

// ---------------------------------------------------------------------------
describe('high-risk writes: what comes before the confirmation, and the hint', () => {
  const confirmation = (action: string, hint: string, identity = 'bot') => ({
    ok: false,
    identity,
    error: { type: 'confirmation', message: `${action} requires confirmation`, hint, risk: 'high-risk-write', action },
  });

  it.each([
    ['a value with whitespace', ['--message-id', 'om 1']],
    ['a non-ASCII value', ['--message-id', 'om_é']],
    ['a value over 128 characters', ['--message-id', `om_${'x'.repeat(126)}`]],
    ['a quote', ['--message-id', `om_"1"`]],
    ['a semicolon', ['--message-id', 'om_1;ls']],
    ['a flag reading stdin as --x=-', ['--params=-']],
  ])('%s: no re-run line, exit 10, nothing sent', async (_what, args) => {
    const r = await h.run(['im', 'pins', 'delete', ...args, '--as', 'bot'], { stdin: '{"message_id":"om_1"}' });
    expectJsonErr(r, 10, confirmation('im.pins.delete', 'add --yes to confirm'));
    expect(h.fake.requests).toEqual([]);
  });

  it('a value of exactly 128 characters is still echoed', async () => {
    const id = `om_${'x'.repeat(125)}`;
    const r = await h.cli('im', 'messages', 'delete', '--message-id', id, '--as', 'bot');
    expectJsonErr(r, 10, confirmation('im.messages.delete', `add --yes to confirm; re-run: lark-cli im messages delete --message-id ${id} --as bot --yes`));
    expect(h.fake.requests).toEqual([]);
  });

  it('--yes: the request is made, DELETE with the tenant token, no query, no body', async () => {
    h.fake.use(http.delete('*/open-apis/im/v1/pins/:id', () => larkOk({})));
    const r = await h.cli('im', 'pins', 'delete', '--message-id', 'om_1', '--as', 'bot', '--yes');
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: {} });
    expect(h.apiCalls().map((c) => [c.method, c.path, c.search, c.text, c.headers.authorization])).toEqual([['DELETE', '/open-apis/im/v1/pins/om_1', '', '', BOT_TOKEN]]);
  });

  it('a missing configuration comes first: exit 3, not 10', async () => {
    await h.freshSandbox();
    const r = await h.cli('im', 'messages', 'delete', '--message-id', 'om_1', '--as', 'bot');
    expect(r.stdout).toBe('');
    expect(r.code, r.stderr).toBe(3);
    expect(r.errJson().error.type).toBe('config');
    expect(h.fake.requests).toEqual([]);
  });

  it('the user scope pre-check comes first: missing_scope, exit 3, not 10', async () => {
    const r = await h.cli('im', 'messages', 'delete', '--message-id', 'om_1', '--as', 'user');
    expect(r.stdout).toBe('');
    expect(r.code, r.stderr).toBe(3);
    expect(r.errJson().error.type).toBe('missing_scope');
    expect(h.fake.requests).toEqual([]);
  });

  it('a parameter error comes first: exit 2, not 10', async () => {
    const r = await h.cli('im', 'chats', 'update', '--data', '{"name":"x"}', '--as', 'bot');
    expect(r.stdout).toBe('');
    expect(r.code, r.stderr).toBe(2);
    expect(r.errJson().error).toMatchObject({ type: 'validation', message: 'missing required path parameter: chat_id' });
    expect(h.fake.requests).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
describe('the newer list and read shortcuts: aliases, empty cursors, scopes', () => {
  it('+chat-messages-list --sort asc is --order asc: one GET with the bot token, meta.pagination complete', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/messages', () => larkOk({ items: [], has_more: false })));
    const r = await h.cli('im', '+chat-messages-list', '--chat-id', 'oc_1', '--sort', 'asc', '--as', 'bot');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'bot',
      data: { has_more: false, messages: [], page_token: '', total: 0 },
      meta: { pagination: { complete: true, pages: 1, items: 0 } },
    });
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query, c.text, c.headers.authorization])).toEqual([
      [
        'GET',
        '/open-apis/im/v1/messages',
        {
          card_msg_content_type: 'raw_card_content',
          container_id: 'oc_1',
          container_id_type: 'chat',
          only_thread_root_messages: 'true',
          page_size: '50',
          sort_type: 'ByCreateTimeAsc',
          with_sender_name: 'true',
        },
        '',
        BOT_TOKEN,
      ],
    ]);
  });

  it('+chat-members-list --page-token "": no page_token in the query', async () => {
    h.fake.use(membersHandler(memberPages(1)));
    const r = await h.cli('im', '+chat-members-list', '--chat-id', 'oc_1', '--page-token', '', '--as', 'bot');
    expect(r.code, r.stderr).toBe(0);
    expect(h.apiCalls().map((c) => [c.method, c.path, c.query, c.headers.authorization])).toEqual([
      ['GET', MEMBERS, { member_id_type: 'open_id', page_size: '20' }, BOT_TOKEN],
    ]);
  });

  it.each([
    [['+message-read-users', '--message-id', 'om_1'], 'im:message:readonly'],
    [['+chat-members-list', '--chat-id', 'oc_1'], 'im:chat.members:read'],
    [['+messages-read-status', '--message-ids', 'om_1'], 'im:message:readonly'],
  ])('%j as a user without %s: missing_scope, exit 3, no request', async (args, scope) => {
    await h.freshSandbox();
    await loginUser(h.sb, h.fake.url, ALL_SCOPES);
    const r = await h.cli('im', ...args);
    expectJsonErr(r, 3, {
      ok: false,
      identity: 'user',
      error: {
        type: 'missing_scope',
        message: `missing required scope(s): ${scope}`,
        hint: `run \`lark-cli auth login --scope "${scope}"\` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.`,
      },
    });
    expect(h.fake.requests).toEqual([]);
  });
  it('+messages-edit --text: the wrapped text escaped as +messages-send escapes it (a raw <at> is not rewritten then), the tenant token', async () => {
    h.fake.use(editHandler({ chat_id: 'oc_9', update_time: '1712345678' }));
    const r = await h.cli('im', '+messages-edit', '--message-id', 'om_1', '--text', 'hi <at id=ou_1></at>', '--as', 'bot');
    expectJsonOut(r, 0, { ok: true, identity: 'bot', data: { chat_id: 'oc_9', message_id: 'om_1', update_time: '2024-04-05 19:34:38' } });
    expect(h.apiCalls().map((c) => [c.method, c.path, c.search, c.json, c.headers.authorization])).toEqual([
      ['PUT', '/open-apis/im/v1/messages/om_1', '', { msg_type: 'text', content: '{"text":"hi \\u003cat id=ou_1\\u003e\\u003c/at\\u003e"}' }, BOT_TOKEN],
    ]);
  });

  it('+messages-edit --content without --msg-type is text', async () => {
    h.fake.use(editHandler());
    const r = await h.cli('im', '+messages-edit', '--message-id', 'om_1', '--content', '{"text":"x"}', '--as', 'bot');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(h.apiCalls().map((c) => [c.method, c.path, c.json, c.headers.authorization])).toEqual([
      ['PUT', '/open-apis/im/v1/messages/om_1', { msg_type: 'text', content: '{"text":"x"}' }, BOT_TOKEN],
    ]);
  });
});
