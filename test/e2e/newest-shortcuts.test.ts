/**
 * `+chat-members-list`, `+messages-edit` and `+messages-read-status` against the fake platform
 * (docs/shortcuts-chats-feed.md, docs/shortcuts-write.md, docs/shortcuts-read.md): the requests
 * (method, path, query, body, token), the output, every validation message, an API error, the
 * dry-run, paging with --page-all.
 */
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { BOT_TOKEN, loginUser, USER_TOKEN } from '../fake-lark/chats-feed.js';
import { editHandler, memberPages, membersHandler, readStatusHandler, type Json } from '../fake-lark/newest-shortcuts.js';
import { useFakeLark, expectJsonErr, expectJsonOut, expectStdoutLines } from '../helpers/fake-lark-hooks.js';

const SCOPES = 'im:chat.members:read im:message:readonly offline_access';
const h = useFakeLark({ env: { TZ: 'UTC', LARKSUITE_CLI_RETRY_BASE_MS: '20' }, setup: (hh) => loginUser(hh.sb, hh.fake.url, SCOPES) });

const MEMBERS_PATH = '/open-apis/im/v1/chats/oc_1/members/list';

/** A validation envelope (exit 2, nothing on stdout, no request), with and without --dry-run. */
async function expectValidation(args: string[], message: string): Promise<void> {
  await h.expectValidation(args, message);
  await h.expectValidation([...args, '--dry-run'], message);
}

// ---------------------------------------------------------------------------
describe('+chat-members-list', () => {
  const list = (...args: string[]) => h.cli('im', '+chat-members-list', ...args);

  it('one page as the user: users[] and bots[] with the totals, in the documented shape', async () => {
    const page: Json = {
      users: [
        { member_id: 'ou_a', member_id_type: 'open_id', name: 'Alice', tenant_key: 'tk1' },
        { member_id: 'ou_b', member_id_type: 'open_id', name: 'Bob', tenant_key: 'tk1' },
        { member_id: 'ou_c', member_id_type: 'open_id', name: 'Carol', tenant_key: 'tk1' },
      ],
      bots: [{ member_id: 'cli_x', member_id_type: 'app_id', app_id: 'cli_x', name: 'Helper', tenant_key: 'tk1' }],
      has_more: false,
      page_token: '',
      user_total: 3,
      bot_total: 1,
    };
    h.fake.use(membersHandler([page]));
    const r = await list('--chat-id', 'oc_1');
    expectJsonOut(r, 0, {
      ok: true,
      identity: 'user',
      data: { users: page.users, bots: page.bots, has_more: false, page_token: '', truncations: [], user_total: 3, bot_total: 1 },
    });
    expect(Object.keys(r.json().data)).toEqual(['bot_total', 'bots', 'has_more', 'page_token', 'truncations', 'user_total', 'users']);
    const [req] = h.apiCalls();
    expect(h.apiCalls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'GET', path: MEMBERS_PATH, query: { member_id_type: 'open_id', page_size: '20' }, text: '' });
    expect(req!.headers.authorization).toBe(USER_TOKEN);
    expect(req!.headers['x-cli-shortcut']).toBe('im:+chat-members-list');
  });

  it('as the bot: --member-types normalised (trimmed, lower-cased, de-duplicated), --member-id-type, --page-size, --page-token', async () => {
    h.fake.use(membersHandler([{ bots: [], has_more: true, page_token: 'next', bot_total: 0 }], { pt: { bots: [], has_more: true, page_token: 'next', bot_total: 0 } }));
    const r = await list('--chat-id', ' oc_1 ', '--member-types', ' Bot ,USER', '--member-types', 'bot', '--member-id-type', 'union_id', '--page-size', '50', '--page-token', 'pt', '--as', 'bot');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, identity: 'bot', data: { users: [], bots: [], has_more: true, page_token: 'next', truncations: [], bot_total: 0 } });
    const [req] = h.apiCalls();
    expect(req).toMatchObject({
      method: 'GET',
      path: MEMBERS_PATH,
      query: { member_id_type: 'union_id', page_size: '50', page_token: 'pt', member_types: 'bot,user' },
    });
    expect(req!.headers.authorization).toBe(BOT_TOKEN);
  });

  it('a chat link is reduced to its oc_ id; odd characters are path-escaped', async () => {
    const r = await list('--chat-id', 'https://x.feishu.cn/chat/oc_1', '--dry-run');
    expect(r.json().api[0].url).toBe(MEMBERS_PATH);
    const odd = await list('--chat-id', 'oc_a b/c', '--dry-run');
    expect(odd.json().api[0].url).toBe('/open-apis/im/v1/chats/oc_a%20b%2Fc/members/list');
  });

  it('items pass through unchanged; absent buckets and truncations print as []', async () => {
    h.fake.use(membersHandler([{ users: [{ member_id: 'ou_a', extra: { deep: [1, 2] } }], has_more: false }]));
    const r = await list('--chat-id', 'oc_1');
    expect(r.json().data).toEqual({ users: [{ member_id: 'ou_a', extra: { deep: [1, 2] } }], bots: [], has_more: false, page_token: '', truncations: [] });
  });

  it('a hidden user count (-1) and server truncations: one stderr warning per truncated type', async () => {
    h.fake.use(
      membersHandler([
        {
          users: [{ member_id: 'ou_a', name: 'A' }],
          bots: [],
          has_more: false,
          user_total: -1,
          bot_total: 0,
          truncations: [
            { member_type: 'user', limit: 5000 },
            { member_type: 'bot', limit: 50 },
          ],
        },
      ]),
    );
    const r = await list('--chat-id', 'oc_1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'warning: member list truncated by server (member_type=user, limit=5000); not all members returned\n' +
        'warning: member list truncated by server (member_type=bot, limit=50); not all members returned\n',
    );
    expect(r.json().data).toMatchObject({ user_total: -1, truncations: [{ member_type: 'user', limit: 5000 }, { member_type: 'bot', limit: 50 }] });
  });

  it('validation: every message, in order, before any request', async () => {
    await expectValidation(['im', '+chat-members-list'], 'required flag(s) "chat-id" not set');
    await expectValidation(['im', '+chat-members-list', '--chat-id', ''], 'chat ID cannot be empty');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'chat1', '--page-size', '0'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-size', '0'], '--page-size must be an integer between 1 and 100');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-size', '101', '--page-all', '--page-limit', '0'], '--page-size must be an integer between 1 and 100');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-limit', '0', '--member-types', 'x'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--page-limit', '1001'], '--page-limit must be an integer between 1 and 1000');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--member-types', 'user,'], '--member-types must contain at least one of user, bot');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--member-types', 'user, Admin '], '--member-types contains invalid value "admin": expected one of user, bot');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--member-types', 'us\ter'], '--member-types contains invalid value "us\\ter": expected one of user, bot');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--member-id-type', 'email'], 'invalid value "email" for --member-id-type, allowed: open_id, union_id, user_id');
    await expectValidation(['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-size', 'x'], 'invalid argument "x" for "--page-size" flag: strconv.ParseInt: parsing "x": invalid syntax');
  });

  it('--page-limit is checked only with --page-all', async () => {
    const r = await list('--chat-id', 'oc_1', '--page-limit', '0', '--dry-run');
    expect(r.code).toBe(0);
  });

  it('an API error: exit 1 with the API envelope', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats/:id/members/list', () => larkErr(232011, 'Operator has NO permission to get the chat members.', undefined, { status: 200 })));
    const r = await list('--chat-id', 'oc_1', '--as', 'bot');
    expectJsonErr(r, 1, { ok: false, identity: 'bot', error: { type: 'api_error', code: 232011, message: 'Operator has NO permission to get the chat members.' } });
  });

  it('dry-run: one GET with the query; nothing is sent', async () => {
    const r = await list('--chat-id', 'oc_1', '--member-types', 'bot', '--page-token', 'pt', '--page-size', '5', '--as', 'bot', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [{ method: 'GET', url: MEMBERS_PATH, params: { member_id_type: 'open_id', member_types: 'bot', page_size: 5, page_token: 'pt' } }],
    });
    const pretty = await list('--chat-id', 'oc_1', '--dry-run', '--format', 'pretty');
    expect(pretty.stdout).toBe(`GET ${MEMBERS_PATH}?member_id_type=open_id&page_size=20\n`);
    expect(h.fake.requests).toHaveLength(0);
  });

  describe('--page-all', () => {
    it('walks every page: users and bots concatenated, the rest from the last page, no progress lines', async () => {
      h.fake.use(membersHandler(memberPages(3, (i) => ({ user_total: 10 + i, bot_total: 20 + i, truncations: i === 2 ? [{ member_type: 'user', limit: 3 }] : [] }))));
      const r = await list('--chat-id', 'oc_1', '--page-all', '--page-size', '1');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('warning: member list truncated by server (member_type=user, limit=3); not all members returned\n');
      expect(h.apiCalls().map((c) => c.query)).toEqual([
        { member_id_type: 'open_id', page_size: '1' },
        { member_id_type: 'open_id', page_size: '1', page_token: 't1' },
        { member_id_type: 'open_id', page_size: '1', page_token: 't2' },
      ]);
      const data = r.json().data;
      expect(data.users.map((u: Json) => u.member_id)).toEqual(['ou_0', 'ou_1', 'ou_2']);
      expect(data.bots.map((b: Json) => b.member_id)).toEqual(['cli_0', 'cli_1', 'cli_2']);
      expect(data).toMatchObject({ has_more: false, page_token: '', user_total: 12, bot_total: 22, truncations: [{ member_type: 'user', limit: 3 }] });
    });

    it('stops at --page-limit with the last token kept', async () => {
      h.fake.use(membersHandler(memberPages(5)));
      const r = await list('--chat-id', 'oc_1', '--page-all', '--page-limit', '2');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(h.apiCalls()).toHaveLength(2);
      expect(r.json().data).toMatchObject({ has_more: true, page_token: 't2' });
      expect(r.json().data.users).toHaveLength(2);
    });

    it('a token that does not change: the warning, and the loop stops', async () => {
      const same = (n: number): Json => ({ users: [{ member_id: `ou_${n}` }], bots: [], has_more: true, page_token: 'same' });
      h.fake.use(membersHandler([same(0)], { same: same(1) }));
      const r = await list('--chat-id', 'oc_1', '--page-all');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('warning: page_token did not change, stopping pagination to avoid infinite loop\n');
      expect(h.apiCalls().map((c) => c.query.page_token)).toEqual([undefined, 'same']);
      expect(r.json().data).toMatchObject({ has_more: true, page_token: 'same', users: [{ member_id: 'ou_0' }, { member_id: 'ou_1' }] });
    });

    it('stops when has_more is true but the token is empty', async () => {
      h.fake.use(membersHandler([{ users: [{ member_id: 'ou_0' }], has_more: true, page_token: '' }]));
      const r = await list('--chat-id', 'oc_1', '--page-all');
      expect(r.code).toBe(0);
      expect(h.apiCalls()).toHaveLength(1);
      expect(r.json().data).toMatchObject({ has_more: true, page_token: '' });
    });

    it('an explicit --page-token means exactly one page', async () => {
      h.fake.use(membersHandler(memberPages(3)));
      const r = await list('--chat-id', 'oc_1', '--page-all', '--page-token', 't1');
      expect(r.code).toBe(0);
      expect(h.apiCalls().map((c) => c.query.page_token)).toEqual(['t1']);
      expect(r.json().data).toMatchObject({ has_more: true, page_token: 't2', users: [{ member_id: 'ou_1' }] });
    });

    it('an error on a later page aborts with that error', async () => {
      h.fake.use(
        http.get('*/open-apis/im/v1/chats/:id/members/list', ({ request }) =>
          new URL(request.url).searchParams.get('page_token') ? larkErr(99991400, 'request trigger frequency limit', undefined, { status: 200 }) : larkOk(memberPages(2)[0]),
        ),
      );
      const r = await list('--chat-id', 'oc_1', '--page-all');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.errJson().error).toMatchObject({ code: 99991400 });
    });
  });

  describe('--format pretty', () => {
    it('a table, users first, then bots, and the footer', async () => {
      h.fake.use(
        membersHandler([
          {
            users: [
              { member_id: 'ou_alice', name: 'Alice', tenant_key: 'tk1' },
              { member_id: 'ou_b', name: 'Bo', tenant_key: 'tk1' },
            ],
            bots: [{ member_id: 'cli_helper', app_id: 'cli_helper', name: 'Helper Bot', tenant_key: 'tk2' }],
            has_more: true,
            page_token: 'nxt',
            user_total: 2,
            bot_total: 1,
          },
        ]),
      );
      const r = await list('--chat-id', 'oc_1', '--format', 'pretty');
      expectStdoutLines(r, [
        'type  member_id   name        app_id      tenant_key',
        'user  ou_alice    Alice                   tk1',
        'user  ou_b        Bo                      tk1',
        'bot   cli_helper  Helper Bot  cli_helper  tk2',
        '',
        '2 user(s), 1 bot(s) (more available, use --page-token to fetch next page, page_token: nxt)',
        '',
      ]);
    });

    it('users hidden (-1), and no "more" note on the last page', async () => {
      h.fake.use(membersHandler([{ users: [{ member_id: 'ou_a', name: 'A', tenant_key: 't' }], bots: [], has_more: false, user_total: -1, bot_total: 0 }]));
      const r = await list('--chat-id', 'oc_1', '--format', 'pretty');
      expect(r.stdout).toBe('type  member_id  name  app_id  tenant_key\nuser  ou_a       A             t\n\nusers hidden, 0 bot(s)\n');
    });

    it('no members', async () => {
      h.fake.use(membersHandler([{ users: [], bots: [], has_more: false, user_total: 0, bot_total: 0 }]));
      const r = await list('--chat-id', 'oc_1', '--format', 'pretty');
      expect(r.stdout).toBe('No members found.\n');
    });

    it('a total the server did not send prints as Go prints a nil (<nil>)', async () => {
      h.fake.use(membersHandler([{ bots: [{ member_id: 'cli_x', app_id: 'cli_x', name: 'X', tenant_key: 't' }], has_more: false, bot_total: 1 }]));
      const r = await list('--chat-id', 'oc_1', '--member-types', 'bot', '--format', 'pretty');
      expect(r.stdout.split('\n').slice(-2)).toEqual(['<nil> user(s), 1 bot(s)', '']);
    });
  });
});

// ---------------------------------------------------------------------------
describe('+messages-edit', () => {
  const edit = (...args: string[]) => h.cli('im', '+messages-edit', ...args, '--as', 'bot');
  const puts = () => h.calls('/open-apis/im/v1/messages/om_1');

  it('--text t: msg_type text, content {"text":"t"}, the bot token; the edited message with its update time', async () => {
    h.fake.use(editHandler({ chat_id: 'oc_9', update_time: '1712345678901' }));
    const r = await edit('--message-id', 'om_1', '--text', 't');
    expectJsonOut(r, 0, { ok: true, identity: 'bot', data: { chat_id: 'oc_9', message_id: 'om_1', update_time: '2024-04-05 19:34:38' } });
    expect(r.stdout.indexOf('"chat_id"')).toBeLessThan(r.stdout.indexOf('"message_id"'));
    const [req] = h.apiCalls();
    expect(h.apiCalls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'PUT', path: '/open-apis/im/v1/messages/om_1', search: '' });
    expect(req!.json).toEqual({ msg_type: 'text', content: '{"text":"t"}' });
    expect(req!.headers.authorization).toBe(BOT_TOKEN);
    expect(req!.headers['x-cli-shortcut']).toBe('im:+messages-edit');
  });

  it('update_time in seconds is formatted too; an answer without fields prints nulls and ""', async () => {
    h.fake.use(editHandler({ update_time: '1712345678' }));
    const r = await edit('--message-id', 'om_1', '--text', 't');
    expect(r.json().data.update_time).toBe('2024-04-05 19:34:38');
    h.fake.use(http.put('*/open-apis/im/v1/messages/:id', () => new Response('{"code":0,"msg":"ok","data":{}}', { headers: { 'content-type': 'application/json' } })));
    const empty = await edit('--message-id', 'om_1', '--text', 't');
    expect(empty.json().data).toEqual({ chat_id: null, message_id: null, update_time: '' });
  });

  it('--markdown: converted to a post as +messages-send converts it', async () => {
    h.fake.use(editHandler());
    const r = await edit('--message-id', 'om_1', '--markdown', '# Title\n\nbody');
    expect(r.code).toBe(0);
    const send = await h.cli('im', '+messages-send', '--chat-id', 'oc_1', '--markdown', '# Title\n\nbody', '--as', 'bot', '--dry-run');
    const expected = send.json().api[0].body.content;
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: expected });
    expect(JSON.parse(expected).zh_cn.content.length).toBeGreaterThan(0);
  });

  it('--content with --msg-type post: sent as given, @mentions normalised', async () => {
    h.fake.use(editHandler());
    const content = '{"zh_cn":{"title":"T","content":[[{"tag":"text","text":"hi"}]]},"note":"<at id=ou_1></at>"}';
    const r = await edit('--message-id', 'om_1', '--msg-type', 'post', '--content', content);
    expect(r.code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: content.replace('<at id=ou_1>', '<at user_id="ou_1">') });
  });

  it('--set-attachments: the post attachment zone; forces post; an absent content starts empty', async () => {
    h.fake.use(editHandler());
    expect((await edit('--message-id', 'om_1', '--set-attachments', 'file_1,file_2')).code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: '{"zh_cn":{"content":[],"files":[{"key":"file_1"},{"key":"file_2"}]}}' });
    h.fake.clearRequests();
    expect((await edit('--message-id', 'om_1', '--msg-type', 'post', '--set-attachments', 'file_1', '--set-attachments', ' file_2 ')).code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: '{"zh_cn":{"content":[],"files":[{"key":"file_1"},{"key":"file_2"}]}}' });
  });

  it('--set-attachments with --markdown or a post --content: files written into every locale body', async () => {
    h.fake.use(editHandler());
    expect((await edit('--message-id', 'om_1', '--markdown', 'hello', '--set-attachments', 'file_9')).code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: '{"zh_cn":{"content":[[{"tag":"md","text":"hello"}]],"files":[{"key":"file_9"}]}}' });
    h.fake.clearRequests();
    const content = '{"zh_cn":{"content":[[{"tag":"text","text":"a"}]]},"en_us":{"title":"E","content":[]}}';
    expect((await edit('--message-id', 'om_1', '--msg-type', 'post', '--content', content, '--set-attachments', 'file_9')).code).toBe(0);
    expect(JSON.parse((puts()[0]!.json as Json).content as string)).toEqual({
      en_us: { title: 'E', content: [], files: [{ key: 'file_9' }] },
      zh_cn: { content: [[{ tag: 'text', text: 'a' }]], files: [{ key: 'file_9' }] },
    });
  });

  it('--clear-attachments: files:[] (alone with --msg-type post, or with --markdown)', async () => {
    h.fake.use(editHandler());
    expect((await edit('--message-id', 'om_1', '--msg-type', 'post', '--clear-attachments')).code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: '{"zh_cn":{"content":[],"files":[]}}' });
    h.fake.clearRequests();
    expect((await edit('--message-id', 'om_1', '--markdown', 'x', '--clear-attachments')).code).toBe(0);
    expect(puts()[0]!.json).toEqual({ msg_type: 'post', content: '{"zh_cn":{"content":[[{"tag":"md","text":"x"}]],"files":[]}}' });
  });

  it('dry-run: the PUT with the body execution sends, message_id set, the attachment description', async () => {
    const args = ['--message-id', 'om_1', '--msg-type', 'post', '--set-attachments', 'file_1'];
    const d = await edit(...args, '--dry-run');
    expect(d.code).toBe(0);
    expect(d.stderr).toBe('=== Dry Run ===\n');
    expect(d.json()).toEqual({
      api: [{ method: 'PUT', url: '/open-apis/im/v1/messages/om_1', body: { content: '{"zh_cn":{"content":[],"files":[{"key":"file_1"}]}}', msg_type: 'post' } }],
      description: '--set-attachments sets files in the post attachment zone',
      message_id: 'om_1',
    });
    expect(h.fake.requests).toHaveLength(0);
    h.fake.use(editHandler());
    expect((await edit(...args)).code).toBe(0);
    expect(puts()[0]!.json).toEqual(d.json().api[0].body);
  });

  it('dry-run of Markdown with a remote image and --clear-attachments: both descriptions; a plain --text has none', async () => {
    const d = await edit('--message-id', 'om_1', '--markdown', '![a](https://example.com/a.png)', '--clear-attachments', '--dry-run');
    expect(d.json()).toEqual({
      api: [{ method: 'PUT', url: '/open-apis/im/v1/messages/om_1', body: { content: '{"zh_cn":{"content":[[{"tag":"md","text":"![a](img_dryrun_1)"}]],"files":[]}}', msg_type: 'post' } }],
      description: 'dry-run uses placeholder image keys for markdown image URLs; execution downloads and uploads them before sending; --clear-attachments sets files:[]',
      message_id: 'om_1',
    });
    const t = await edit('--message-id', 'om_x/1', '--text', 'hi', '--dry-run');
    expect(t.json()).toEqual({ api: [{ method: 'PUT', url: '/open-apis/im/v1/messages/om_x%2F1', body: { content: '{"text":"hi"}', msg_type: 'text' } }], message_id: 'om_x/1' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('validation: every message, in order, before any request', async () => {
    const E = ['im', '+messages-edit', '--as', 'bot'];
    await expectValidation([...E, '--text', 'hi'], 'required flag(s) "message-id" not set');
    await expectValidation([...E, '--message-id', '', '--text', 'a', '--markdown', 'b'], '--message-id is required (om_xxx)');
    await expectValidation([...E, '--message-id', 'msg1', '--text', 'a', '--markdown', 'b'], 'invalid message ID "msg1": must start with om_');
    await expectValidation([...E, '--message-id', 'om_1', '--text', 'hi', '--set-attachments', 'file_1', '--clear-attachments'], '--set-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'text', '--content', '{"text":"x"}', '--set-attachments', 'file_1'], '--set-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    await expectValidation([...E, '--message-id', 'om_1', '--markdown', 'm', '--set-attachments', 'file_1', '--clear-attachments'], '--clear-attachments cannot be used with --set-attachments');
    await expectValidation([...E, '--message-id', 'om_1', '--text', 'hi', '--clear-attachments'], '--clear-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    await expectValidation([...E, '--message-id', 'om_1', '--clear-attachments'], '--clear-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    const withFiles = '{"zh_cn":{"content":[],"files":[{"key":"file_0"}]}}';
    const zoneMsg = '--set-attachments/--clear-attachments cannot be used with --content that already contains a files array; either edit files via --content or via the attachment flags, not both';
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post', '--content', withFiles, '--clear-attachments', '--text', 'x'], zoneMsg);
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post', '--content', withFiles, '--set-attachments', 'file_1'], zoneMsg);
    await expectValidation([...E, '--message-id', 'om_1', '--text', 'a', '--markdown', 'b', '--content', '{bad'], '--text, --markdown, and --content cannot be specified together');
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post'], 'specify --content <json>, --text <plain text>, --markdown <markdown text>, --set-attachments <file_key>, or --clear-attachments');
    await expectValidation([...E, '--message-id', 'om_1', '--content', '{bad', '--msg-type', 'image'], 'invalid value "image" for --msg-type, allowed: text, post');
    await expectValidation([...E, '--message-id', 'om_1', '--content', '{bad', '--msg-type', 'post'], `--content is not valid JSON: {bad\nexample: --content '{"text":"hello"}' or --text 'hello'`);
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post', '--text', 'hi'], '--msg-type "post" conflicts with the inferred message type "text" from the selected content flag');
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'text', '--markdown', 'hi'], '--msg-type "text" conflicts with the inferred message type "post" from the selected content flag');
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post', '--content', '[1]', '--set-attachments', 'file_1'], '--set-attachments: the post content must be a JSON object');
    await expectValidation([...E, '--message-id', 'om_1', '--msg-type', 'post', '--content', '{"zh_cn":"x"}', '--clear-attachments'], '--clear-attachments: the post content has no locale body (e.g. {"zh_cn":{"content":[]}})');
  });

  it('bot only: --as user is refused before any request, and so is a user picked by auto-detection', async () => {
    await expectValidation(['im', '+messages-edit', '--message-id', 'om_1', '--text', 'x', '--as', 'user'], '--as user is not supported, this command only supports: bot');
    await expectValidation(
      ['im', '+messages-edit', '--message-id', 'om_1', '--text', 'x'],
      'resolved identity "user" (via auto-detect or default-as) is not supported, this command only supports: bot\nhint: use --as bot',
    );
  });

  it('an API error: exit 1 with the API envelope', async () => {
    h.fake.use(http.put('*/open-apis/im/v1/messages/:id', () => larkErr(230012, 'Bot is NOT the sender of the message.', undefined, { status: 200 })));
    const r = await edit('--message-id', 'om_1', '--text', 'x');
    expectJsonErr(r, 1, { ok: false, identity: 'bot', error: { type: 'api_error', code: 230012, message: 'Bot is NOT the sender of the message.' } });
    expect(puts()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
describe('+messages-read-status', () => {
  const status = (...args: string[]) => h.cli('im', '+messages-read-status', ...args);
  const PATH = '/open-apis/im/v1/messages/read_status';
  const ANSWER: Json = {
    items: [
      { message_id: 'om_1', read: true, read_time: '1712345678901' },
      { message_id: 'om_2', read: false },
    ],
    invalid_message_ids: ['om_3'],
  };

  it('POSTs the ids (split, trimmed, empties dropped, order kept) with the user token; prints the answer unchanged', async () => {
    h.fake.use(readStatusHandler(ANSWER));
    const r = await status('--message-ids', ' om_2, om_1,,om_3 ');
    expectJsonOut(r, 0, { ok: true, identity: 'user', data: ANSWER });
    const [req] = h.apiCalls();
    expect(h.apiCalls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'POST', path: PATH, search: '' });
    expect(req!.json).toEqual({ message_ids: ['om_2', 'om_1', 'om_3'] });
    expect(req!.headers.authorization).toBe(USER_TOKEN);
  });

  it('--message-id is an alias of --message-ids; 50 ids are allowed', async () => {
    h.fake.use(readStatusHandler({ items: [] }));
    expect((await status('--message-id', 'om_1')).code).toBe(0);
    expect(h.apiCalls()[0]!.json).toEqual({ message_ids: ['om_1'] });
    h.fake.clearRequests();
    const fifty = Array.from({ length: 50 }, (_, i) => `om_${i}`);
    expect((await status('--message-ids', fifty.join(','))).code).toBe(0);
    expect(h.apiCalls()[0]!.json).toEqual({ message_ids: fifty });
  });

  it('validation: every message, in order, before any request', async () => {
    const S = ['im', '+messages-read-status'];
    await expectValidation(S, 'required flag(s) "message-ids" not set');
    await expectValidation([...S, '--message-ids', ' , ,'], '--message-ids requires at least one om_ message ID');
    const many = Array.from({ length: 51 }, (_, i) => (i === 0 ? 'bad' : `om_${i}`)).join(',');
    await expectValidation([...S, '--message-ids', many], '--message-ids supports at most 50 IDs per request (got 51)');
    await expectValidation([...S, '--message-ids', 'om_1,msg2,msg3'], 'invalid message ID "msg2": must start with om_');
  });

  it('user only: --as bot is refused before any request', async () => {
    await expectValidation(['im', '+messages-read-status', '--message-ids', 'om_1', '--as', 'bot'], '--as bot is not supported, this command only supports: user');
  });

  it('an API error: exit 1 with the API envelope', async () => {
    h.fake.use(http.post(`*${PATH}`, () => larkErr(230002, 'Bot/User can NOT be out of the chat.', undefined, { status: 200 })));
    const r = await status('--message-ids', 'om_1');
    expectJsonErr(r, 1, { ok: false, identity: 'user', error: { type: 'api_error', code: 230002, message: 'Bot/User can NOT be out of the chat.' } });
  });

  it('dry-run: the POST with its body; nothing is sent', async () => {
    const r = await status('--message-ids', 'om_1,om_2', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({ api: [{ method: 'POST', url: PATH, body: { message_ids: ['om_1', 'om_2'] } }] });
    expect(h.fake.requests).toHaveLength(0);
  });
});
