/**
 * Every check `im <resource> <method>` makes before sending (docs/generic-commands.md,
 * plus the clone's request-body validation): one validation envelope on stderr, empty stdout,
 * exit 2 — and no request at all, not even the tenant-token exchange.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IM_TEST_SCOPES, imApiHandlers } from '../fake-lark/im-api.js';
import { type RunCliResult } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectFailureLike } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount, type TestAccountOptions } from '../helpers/accounts.js';

const h = useFakeLark({ handlers: imApiHandlers() });

/** A fresh config account (no cached tenant token) with a logged-in user holding every scope. */
async function account(over: Partial<TestAccountOptions> = {}): Promise<void> {
  await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: IM_TEST_SCOPES } }, ...over });
}

function expectRefused(r: RunCliResult, error: Record<string, unknown>, identity: string | null = 'bot', code = 2): void {
  expect(r.stdout).toBe('');
  const env: Record<string, unknown> = { ok: false, error };
  if (identity) env.identity = identity;
  expect(r.errJson()).toEqual(env);
  expect(r.code).toBe(code);
  expect(h.fake.requests).toEqual([]);
}

const v = (message: string, hint?: string) => (hint ? { type: 'validation', message, hint } : { type: 'validation', message });
const run = (args: string[], stdin?: string) => runInProcess(['im', ...args], { sandbox: h.sb, stdin });

describe('path parameters', () => {
  beforeEach(() => account());

  const missingHint = (flag: string, name: string, id: string) => `set --${flag} <value> (or --params '{"${name}": "<value>"}'); see: lark-cli schema ${id}`;

  it.each([['{}'], ['{"chat_id":null}'], ['{"chat_id":""}'], ['null']])(
    'missing chat_id (%s) → hint to the typed flag, --params and the schema',
    async (params) => {
      const r = await run(['chats', 'get', '--as', 'bot', '--params', params]);
      expectRefused(r, v('missing required path parameter: chat_id', missingHint('chat-id', 'chat_id', 'im.chats.get')));
    },
  );

  it('the typed flag given empty is missing too', async () => {
    const r = await run(['chats', 'get', '--as', 'bot', '--chat-id', '', '--params', '{"chat_id":"oc_1"}']);
    expectRefused(r, v('missing required path parameter: chat_id', missingHint('chat-id', 'chat_id', 'im.chats.get')));
  });

  it.each([
    ['{"chat_id":0}', '0'],
    ['{"chat_id":false}', 'false'],
  ])('0 and false are values, not missing (%s → /chats/%s)', async (params, segment) => {
    const r = await run(['chats', 'get', '--as', 'bot', '--params', params, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.replace('=== Dry Run ===\n', '')).api[0].url).toBe(`/open-apis/im/v1/chats/${segment}`);
    expect(h.fake.requests).toEqual([]);
  });

  it('names the second missing path parameter of reactions delete', async () => {
    const r = await run(['reactions', 'delete', '--as', 'user', '--params', '{"message_id":"om_1"}']);
    expectRefused(r, v('missing required path parameter: reaction_id', missingHint('reaction-id', 'reaction_id', 'im.reactions.delete')), 'user');
  });

  it.each([
    ['..', "chat_id must not contain '..' path traversal"],
    ['../../auth/v3/app_access_token', "chat_id must not contain '..' path traversal"],
    ['oc_1/../oc_2', "chat_id must not contain '..' path traversal"],
    ['oc_1?admin=true', 'chat_id contains invalid characters'],
    ['oc_1#frag', 'chat_id contains invalid characters'],
    ['oc_%2e%2e', 'chat_id contains invalid characters'],
    ['oc_1\nX', 'chat_id contains invalid characters'],
    ['oc_1\u007f', 'chat_id contains invalid characters'],
    ['oc_\u202e1', 'chat_id contains dangerous Unicode characters'],
    ['oc_\u200b1', 'chat_id contains dangerous Unicode characters'],
  ])('chat_id %j → %s', async (value, message) => {
    const r = await run(['chats', 'get', '--as', 'bot', '--params', JSON.stringify({ chat_id: value })]);
    expectRefused(r, v(message));
  });
});

describe('query parameters', () => {
  beforeEach(() => account());

  const missingHint = (flag: string, name: string, id: string) => `set --${flag} <value> (or --params '{"${name}": "<value>"}'); see: lark-cli schema ${id}`;

  it('a required query parameter must be present and neither null nor ""', async () => {
    const r = await run(['messages', 'forward', '--as', 'bot', '--params', '{"message_id":"om_1"}', '--data', '{"receive_id":"oc_1"}']);
    expectRefused(r, v('missing required query parameter: receive_id_type', missingHint('receive-id-type', 'receive_id_type', 'im.messages.forward')));
    const r2 = await run(['messages', 'read_users', '--as', 'bot', '--params', '{"message_id":"om_1","user_id_type":""}']);
    expectRefused(r2, v('missing required query parameter: user_id_type', missingHint('user-id-type', 'user_id_type', 'im.messages.read_users')));
    const r3 = await run(['messages', 'read_users', '--as', 'bot', '--message-id', 'om_1', '--params', '{"user_id_type":null}']);
    expectRefused(r3, v('missing required query parameter: user_id_type', missingHint('user-id-type', 'user_id_type', 'im.messages.read_users')));
  });

  it('chat_id of pins list stays required under --page-all', async () => {
    const r = await run(['pins', 'list', '--as', 'bot', '--page-all']);
    expectRefused(r, v('missing required query parameter: chat_id', missingHint('chat-id', 'chat_id', 'im.pins.list')));
  });
});

describe('request body against the schema (clone addition)', () => {
  beforeEach(() => account());

  it.each<[string, string[], string]>([
    ['missing nested required field', ['reactions', 'create', '--params', '{"message_id":"om_1"}', '--data', '{"reaction_type":{}}'], '--data.reaction_type.emoji_type: required field is missing'],
    ['missing top-level required field', ['pins', 'create', '--data', '{"chat_id":"oc_1"}'], '--data.message_id: required field is missing'],
    ['no --data although fields are required', ['pins', 'create'], '--data.message_id: required field is missing'],
    ['object expected', ['reactions', 'create', '--params', '{"message_id":"om_1"}', '--data', '{"reaction_type":"SMILE"}'], '--data.reaction_type: expected object, got string'],
    ['string expected', ['pins', 'create', '--data', '{"message_id":123}'], '--data.message_id: expected string, got number'],
    ['null is not a string', ['pins', 'create', '--data', '{"message_id":null}'], '--data.message_id: expected string, got null'],
    ['array expected', ['chat.user_setting', 'batch_query', '--data', '{"chat_ids":"oc_1"}'], '--data.chat_ids: expected array, got string'],
    ['array element type', ['chat.user_setting', 'batch_query', '--data', '{"chat_ids":["oc_1",2]}'], '--data.chat_ids[1]: expected string, got number'],
    ['boolean expected inside array elements', ['chat.user_setting', 'batch_update', '--data', '{"chat_settings":[{"chat_id":"oc_1","is_muted":"yes"}]}'], '--data.chat_settings[0].is_muted: expected boolean, got string'],
    ['array of objects element type', ['reactions', 'batch_query', '--data', '{"queries":[{"message_id":"om_1"},"om_2"]}'], '--data.queries[1]: expected object, got string'],
    ['integer expected', ['reactions', 'batch_query', '--data', '{"queries":[{"message_id":"om_1"}],"page_size_per_message":2.5}'], '--data.page_size_per_message: expected integer, got number'],
    ['value above max', ['reactions', 'batch_query', '--data', '{"queries":[{"message_id":"om_1"}],"page_size_per_message":11}'], '--data.page_size_per_message: must be <= 10, got 11'],
    ['value below min', ['reactions', 'batch_query', '--data', '{"queries":[{"message_id":"om_1"}],"page_size_per_message":0}'], '--data.page_size_per_message: must be >= 1, got 0'],
    ['value outside the enum', ['chats', 'link', '--params', '{"chat_id":"oc_1"}', '--data', '{"validity_period":"month"}'], '--data.validity_period: invalid value "month", allowed: week, year, permanently'],
    ['nested enum', ['feed.groups', 'create', '--data', '{"feed_group_creator":{"type":"smart","name":"x"}}'], '--data.feed_group_creator.type: invalid value "smart", allowed: normal, rule'],
    ['integer enum of array elements', ['feed.groups', 'update', '--params', '{"feed_group_id":"ofg_1"}', '--data', '{"feed_group_updater":{"update_fields":[3]}}'], '--data.feed_group_updater.update_fields[0]: invalid value 3, allowed: 1, 2'],
    ['too many items', ['chat.user_setting', 'batch_query', '--data', JSON.stringify({ chat_ids: Array.from({ length: 11 }, (_, i) => `oc_${i}`) })], '--data.chat_ids: at most 10 items allowed, got 11'],
    ['too few items', ['chat.members', 'create', '--params', '{"chat_id":"oc_1"}', '--data', '{"id_list":[]}'], '--data.id_list: at least 1 item required, got 0'],
    ['body must be an object', ['pins', 'create', '--data', '["om_1"]'], '--data: expected a JSON object, got array'],
    ['deeply nested', ['feed.groups', 'create', '--data', '{"feed_group_creator":{"type":"rule","name":"x","rules":{"rules":[{"condition":{"condition_items":[{"type":"keyword","operator":"like"}]}}]}}}'], '--data.feed_group_creator.rules.rules[0].condition.condition_items[0].operator: invalid value "like", allowed: contain, not_contain, is, is_not'],
  ])('%s', async (_name, args, message) => {
    const user = ['chat.user_setting', 'feed.groups'].includes(args[0]!);
    const r = await run([...args, '--as', user ? 'user' : 'bot']);
    expectRefused(r, v(message), user ? 'user' : 'bot');
  });

  it('body validation also runs under --dry-run', async () => {
    const r = await run(['chats', 'link', '--as', 'bot', '--params', '{"chat_id":"oc_1"}', '--data', '{"validity_period":"forever"}', '--dry-run']);
    expectRefused(r, v('--data.validity_period: invalid value "forever", allowed: week, year, permanently'));
  });

  it('unknown body fields are forwarded, not rejected (dry run)', async () => {
    const r = await run(['pins', 'create', '--as', 'bot', '--data', '{"message_id":"om_1","future_field":1}', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"future_field": 1');
    expect(h.fake.requests).toEqual([]);
  });
});

describe('--file', () => {
  beforeEach(() => account());

  it.each<[string, string[], string, string?]>([
    ['empty path', ['--file', 'image=', '--data', '{"image_type":"message"}'], '--file: empty file path'],
    ['with --output', ['--file', 'a.png', '--output', 'x.json', '--data', '{"image_type":"message"}'], '--file and --output are mutually exclusive'],
    ['with --page-all', ['--file', 'a.png', '--page-all', '--data', '{"image_type":"message"}'], '--file and --page-all are mutually exclusive'],
    ['stdin twice (--data)', ['--file', '-', '--data', '-'], '--file and --data cannot both read from stdin', '{"image_type":"message"}'],
    ['stdin twice (--params)', ['--file', '-', '--params', '-', '--data', '{"image_type":"message"}'], '--file and --params cannot both read from stdin', '{}'],
    ['no file at all', ['--data', '{"image_type":"message"}'], '--file: required file field "image" is missing (use --file image=<path>)'],
    ['file under another field name', ['--file', 'photo=a.png', '--data', '{"image_type":"message"}'], '--file: required file field "image" is missing (use --file image=<path>)'],
    ['file content in --data', ['--data', '{"image_type":"message","image":"aGVsbG8="}'], '--data.image: file fields cannot be sent in --data, use --file image=<path>'],
    ['--data not an object', ['--file', 'a.png', '--data', '"message"'], '--data must be a JSON object when used with --file'],
    ['image_type outside the enum', ['--file', 'a.png', '--data', '{"image_type":"gif"}'], '--data.image_type: invalid value "gif", allowed: message, avatar'],
    ['image_type missing', ['--file', 'a.png'], '--data.image_type: required field is missing'],
    ['path outside the working directory', ['--file', '../outside.png', '--data', '{"image_type":"message"}'], 'cannot open file: ../outside.png'],
    ['absolute path', ['--file', '/etc/passwd', '--data', '{"image_type":"message"}'], 'cannot open file: /etc/passwd'],
    ['missing file', ['--file', 'nope.png', '--data', '{"image_type":"message"}'], 'cannot open file: nope.png'],
  ])('%s', async (_name, extra, message, stdin) => {
    writeFileSync(path.join(h.sb.work, 'a.png'), 'png');
    writeFileSync(path.join(h.sb.root, 'outside.png'), 'png');
    const r = await run(['images', 'create', '--as', 'bot', ...extra], stdin);
    expectRefused(r, v(message));
  });

  it('a file on stdin must not be empty', async () => {
    const r = await run(['images', 'create', '--as', 'bot', '--file', '-', '--data', '{"image_type":"message"}'], '');
    expectRefused(r, v('--file: stdin is empty'));
  });

  it('--file is a flag of images create only', async () => {
    const r = await run(['pins', 'create', '--as', 'bot', '--file', 'a.png', '--data', '{"message_id":"om_1"}']);
    expectRefused(r, v('unknown flag: --file'), null);
  });
});

describe('flags and inputs', () => {
  beforeEach(() => account());

  it.each<[string, string[], string, string?]>([
    ['--data on a GET method', ['chats', 'get', '--params', '{"chat_id":"oc_1"}', '--data', '{}'], 'unknown flag: --data'],
    ['--page-size is a typed flag only where the method has page_size', ['pins', 'create', '--data', '{"message_id":"om_1"}', '--page-size', '5'], 'unknown flag: --page-size'],
    ['a typed flag of another method', ['chats', 'get', '--message-id', 'om_1'], 'unknown flag: --message-id'],
    ['an integer typed flag', ['pins', 'list', '--chat-id', 'oc_1', '--page-size', 'five'], 'invalid argument "five" for "--page-size" flag: strconv.ParseInt: parsing "five": invalid syntax'],
    ['a boolean typed flag given a value', ['chat.members', 'get', '--chat-id', 'oc_1', '--check-security-conf=maybe'], 'invalid argument "maybe" for "--check-security-conf" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
  ])('%s', async (_name, args, message) => {
    const r = await run([...args, '--as', 'bot']);
    expectRefused(r, v(message), null);
  });

  it.each<[string, string[], string, string?]>([
    ['--page-all with --output', ['pins', 'list', '--params', '{"chat_id":"oc_1"}', '--page-all', '--output', 'o.json'], '--output and --page-all are mutually exclusive'],
    ['--jq with --output', ['pins', 'list', '--params', '{"chat_id":"oc_1"}', '--jq', '.data', '--output', 'o.json'], '--jq and --output are mutually exclusive'],
    ['--jq with --format table', ['pins', 'list', '--params', '{"chat_id":"oc_1"}', '--jq', '.data', '--format', 'table'], '--jq and --format table are mutually exclusive'],
    ['--params not an object', ['pins', 'list', '--params', '["oc_1"]'], '--params invalid format, expected JSON object'],
    ['--params not JSON', ['pins', 'list', '--params', '{chat_id:oc_1}'], '--params invalid format, expected JSON object'],
    ['--data not JSON', ['pins', 'create', '--data', '{"message_id":'], '--data invalid JSON format'],
    ['stdin for both', ['pins', 'create', '--params', '-', '--data', '-'], '--params and --data cannot both read from stdin (-)', '{}'],
    ['empty stdin', ['pins', 'create', '--data', '-'], '--data: stdin is empty (did you forget to pipe input?)', '  \n'],
  ])('%s', async (_name, args, message, stdin) => {
    const r = await run([...args, '--as', 'bot'], stdin);
    expectRefused(r, v(message));
  });

  it('an invalid jq expression is refused before any request', async () => {
    const r = await run(['pins', 'list', '--as', 'bot', '--params', '{"chat_id":"oc_1"}', '--jq', '.data[']);
    expectFailureLike(r, 2, 'bot', 'validation', /^invalid jq expression: /);
    expect(h.fake.requests).toEqual([]);
  });

  it('--params and --data read @files', async () => {
    mkdirSync(path.join(h.sb.work, 'in'));
    writeFileSync(path.join(h.sb.work, 'in', 'p.json'), '{"message_id":"om_1"}\n');
    writeFileSync(path.join(h.sb.work, 'in', 'd.json'), '{"reaction_type":{"emoji_type":"OK"}}');
    const r = await run(['reactions', 'create', '--as', 'bot', '--params', '@in/p.json', '--data', '@in/d.json', '--dry-run', '--format', 'pretty']);
    expect(r.stdout).toBe('=== Dry Run ===\nPOST /open-apis/im/v1/messages/om_1/reactions\n  {"reaction_type":{"emoji_type":"OK"}}\n');
    expect(r.code).toBe(0);
    expect(h.fake.requests).toEqual([]);
  });
});

describe('identity (strict mode)', () => {
  const BOT_ONLY: Array<[string, string[]]> = [
    ['chats create', ['--data', '{"name":"x"}']],
    ['messages merge_forward', ['--params', '{"receive_id_type":"chat_id"}', '--data', '{"receive_id":"oc_1","message_id_list":["om_1"]}']],
    ['messages read_users', ['--params', '{"message_id":"om_1","user_id_type":"open_id"}']],
    ['messages urgent_app', ['--params', '{"message_id":"om_1","user_id_type":"open_id"}', '--data', '{"user_id_list":["ou_1"]}']],
    ['messages urgent_phone', ['--params', '{"message_id":"om_1","user_id_type":"open_id"}', '--data', '{"user_id_list":["ou_1"]}']],
    ['messages urgent_sms', ['--params', '{"message_id":"om_1","user_id_type":"open_id"}', '--data', '{"user_id_list":["ou_1"]}']],
    ['images create', ['--file', 'a.png', '--data', '{"image_type":"message"}']],
  ];

  it.each(BOT_ONLY)('bot-only %s refuses --as user', async (cmd, args) => {
    await account();
    writeFileSync(path.join(h.sb.work, 'a.png'), 'png');
    const r = await run([...cmd.split(' '), '--as', 'user', ...args]);
    expectRefused(r, v('--as user is not supported, this command only supports: bot'), 'user');
  });

  it('bot-only methods refuse a logged-in user picked by auto-detection', async () => {
    await account();
    const r = await run(['messages', 'read_users', '--params', '{"message_id":"om_1","user_id_type":"open_id"}']);
    expectRefused(r, v('resolved identity "user" (via auto-detect or default-as) is not supported, this command only supports: bot\nhint: use --as bot'), 'user');
  });

  it('user-only methods refuse --as bot, and auto-detected bot when nobody is logged in', async () => {
    await account();
    const r = await run(['feed.groups', 'delete', '--as', 'bot', '--params', '{"feed_group_id":"ofg_1"}']);
    expectRefused(r, v('--as bot is not supported, this command only supports: user'));
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r2 = await run(['chat.user_setting', 'batch_query', '--data', '{"chat_ids":["oc_1"]}']);
    expectRefused(r2, v('resolved identity "bot" (via auto-detect or default-as) is not supported, this command only supports: user\nhint: use --as user'));
  });

  it('a default-as identity that is not supported gets the auto-detect wording', async () => {
    await account({ defaultAs: 'bot' });
    const r = await run(['feed.groups', 'delete', '--params', '{"feed_group_id":"ofg_1"}']);
    expectRefused(r, v('resolved identity "bot" (via auto-detect or default-as) is not supported, this command only supports: user\nhint: use --as user'));
  });

  it('an unknown --as word is not supported', async () => {
    await account();
    const r = await run(['pins', 'list', '--as', 'robot', '--params', '{"chat_id":"oc_1"}']);
    expectRefused(r, v('--as robot is not supported, this command only supports: bot, user'), 'robot');
  });

  it('strict mode user: bot-only methods are stubs that fail with strict_mode, no identity', async () => {
    await account({ strictMode: 'user' });
    const r = await run(['images', 'create', '--file', 'a.png', '--anything']);
    expectRefused(
      r,
      { type: 'strict_mode', message: 'strict mode is "user", only user identity is allowed. This setting is managed by the administrator and must not be modified by AI agents.' },
      null,
    );
  });

  it('strict mode bot: user-only methods are stubs; the images group stays visible, chat.user_setting is hidden', async () => {
    await account({ strictMode: 'bot' });
    const r = await run(['feed.groups', 'create', '--as', 'user']);
    expectRefused(
      r,
      { type: 'strict_mode', message: 'strict mode is "bot", only bot identity is allowed. This setting is managed by the administrator and must not be modified by AI agents.' },
      null,
    );
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('images');
    expect(help.stdout).not.toContain('chat.user_setting');
    expect(help.stdout).not.toContain('feed.groups');
  });

  it('the user scope pre-check fails locally with missing_scope (exit 3), also under --dry-run', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message offline_access' } } });
    for (const extra of [[], ['--dry-run']]) {
      const r = await run(['chats', 'get', '--as', 'user', '--params', '{"chat_id":"oc_1"}', ...extra]);
      expectRefused(
        r,
        {
          type: 'missing_scope',
          message: 'insufficient permissions (required scope: im:chat:read)',
          hint: 'run `lark-cli auth login --scope "im:chat:read"` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.',
        },
        'user',
        3,
      );
    }
  });

  it('any one accepted scope passes the pre-check (im:message for pins list)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message offline_access' } } });
    const r = await run(['pins', 'list', '--as', 'user', '--params', '{"chat_id":"oc_1"}', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h.fake.requests).toEqual([]);
  });

  it('an unconfigured CLI fails with the config error before the request is built', async () => {
    const r = await run(['pins', 'list', '--as', 'bot', '--params', '{}']);
    expect(r.stdout).toBe('');
    expect(r.errJson()).toMatchObject({ ok: false, identity: 'bot', error: { type: 'config', message: 'not configured' } });
    expect(r.code).toBe(3);
    expect(h.fake.requests).toEqual([]);
  });
});
