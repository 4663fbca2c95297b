/**
 * Foundation e2e: every error category through the `api` command (and the credential chain),
 * with its envelope on stderr, empty stdout and the exit code of docs/compatibility.md.
 */
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { runCli, botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark, expectJsonErr, expectJsonOut, expectFailure } from '../helpers/fake-lark-hooks.js';
import { closedPort } from '../helpers/net.js';

const NOT_CONFIGURED_HINT =
  'run `lark-cli config init --new` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete setup.';
const TAT_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const FAST = { LARKSUITE_CLI_RETRY_BASE_MS: '20' };

const h = useFakeLark();

const env = (extra: Record<string, string | undefined> = {}) => ({ ...botEnv(h.fake), ...FAST, ...extra });
/** `api GET /open-apis/x --as bot` with the platform answering as `answer` does. */
const getX = (answer: () => Response) => {
  h.fake.use(http.get('*/open-apis/x', answer));
  return runInProcess(['api', 'GET', '/open-apis/x', '--as', 'bot'], { sandbox: h.sb, env: env() });
};
/** One request to the chats list, sent with `authorization`, and no tenant token fetched. */
function expectOneChatsCall(authorization: string): void {
  const calls = h.fake.requestsTo('/open-apis/im/v1/chats');
  expect(calls).toHaveLength(1);
  expect(calls[0]!.headers.authorization).toBe(authorization);
  expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
}
/** A 200 answer of content type JSON whose body is `body` as it stands. */
const jsonText = (body: string) => new HttpResponse(body, { status: 200, headers: { 'content-type': 'application/json' } });

/** A port on 127.0.0.1 with nothing listening. */
describe('validation errors (exit 2, no identity, no request)', () => {
  it.each([
    [['api', 'GET', '/open-apis/im/v1/chats', '--bogus'], 'unknown flag: --bogus'],
    [['api', 'GET', '/open-apis/im/v1/chats', '--bogus=1'], 'unknown flag: --bogus'],
    [['api', 'GET', '/open-apis/im/v1/chats', '-x'], "unknown shorthand flag: 'x' in -x"],
    [['api', 'GET', '/open-apis/im/v1/chats', '-xyz'], "unknown shorthand flag: 'x' in -xyz"],
    [['api', 'GET', '/open-apis/im/v1/chats', '--params'], 'flag needs an argument: --params'],
    [['api', 'GET', '/open-apis/im/v1/chats', '--page-limit', 'x'], 'invalid argument "x" for "--page-limit" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['api', 'GET'], 'accepts 2 arg(s), received 1'],
    [['api'], 'accepts 2 arg(s), received 0'],
    [['api', 'GET', '/a', '/b'], 'accepts 2 arg(s), received 3'],
    [['api', 'GET', '/open-apis/im/v1/chats\n/x'], 'path contains invalid control characters'],
    [['api', 'GET', '/open-apis/im/v1/\tchats'], 'path contains invalid control characters'],
    [['nosuchcommand'], 'unknown command "nosuchcommand" for "lark-cli"'],
    [['--profile'], 'flag needs an argument: --profile'],
  ])('%j → %s', async (args, message) => {
    const r = await runInProcess(args, { sandbox: h.sb, env: env() });
    expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it.each([
    ['{', '--params invalid format, expected JSON object'],
    ['[1,2]', '--params invalid format, expected JSON object'],
    ['"x"', '--params invalid format, expected JSON object'],
    ['{"a":}', '--params invalid format, expected JSON object'],
  ])('--params %j → %s', async (params, message) => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--params', params], { sandbox: h.sb, env: env() });
    expectJsonErr(r, 2, { ok: false, identity: 'bot', error: { type: 'validation', message } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--params null reads as no parameters (Go decodes null into an empty map)', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--params', 'null', '--as', 'bot', '--dry-run'], { sandbox: h.sb, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.replace('=== Dry Run ===\n', '')).api).toEqual([{ method: 'GET', url: '/open-apis/im/v1/chats' }]);
    expect(h.fake.requests).toHaveLength(0);
  });

  it.each(['{', '{"a":1', 'nope', "{'a':1}"])('--data %j → --data invalid JSON format', async (data) => {
    const r = await runInProcess(['api', 'POST', '/open-apis/im/v1/messages', '--data', data, '--as', 'bot'], { sandbox: h.sb, env: env() });
    expectJsonErr(r, 2, { ok: false, identity: 'bot', error: { type: 'validation', message: '--data invalid JSON format' } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--params and --data both from stdin', async () => {
    const r = await runInProcess(['api', 'POST', '/open-apis/x', '--params', '-', '--data', '-', '--as', 'bot'], { sandbox: h.sb, env: env(), stdin: '{}' });
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--params and --data cannot both read from stdin (-)' });
    expect(r.code).toBe(2);
  });

  it('--params - with empty stdin', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/x', '--params', '-', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--params: stdin is empty (did you forget to pipe input?)' });
    expect(r.code).toBe(2);
  });

  it('--params @missing-file', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/x', '--params', '@missing.json', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--params: cannot read file "missing.json": no such file or directory' });
    expect(r.code).toBe(2);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('auth errors (exit 3)', () => {
  it('env app id + secret, --as user: no access token available for user, no request', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], { sandbox: h.sb, env: env() });
    expectFailure(r, 3, 'user', { type: 'auth', message: 'API call failed: no access token available for user' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('env app id + tenant token only, --as user: strict mode (inferred bot) forces the tenant token', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-env', LARKSUITE_CLI_BRAND: h.fake.url },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
    const calls = h.fake.requestsTo('/open-apis/im/v1/chats');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBe('Bearer t-env');
  });

  it('env app id + user token only, --as bot: strict mode (inferred user) forces the user token', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-env', LARKSUITE_CLI_BRAND: h.fake.url },
    });
    expect(r.code).toBe(0);
    expectOneChatsCall('Bearer u-env');
  });

  it.each([
    ['config account, nobody logged in, --as user: need_user_authorization with the login hint', undefined, ''],
    ['config account, user listed but no stored token: need_user_authorization (user: <id>)', { openId: 'ou_x', token: false as const }, 'ou_x'],
  ])('%s', async (_name, user, userId) => {
    await writeTestAccount(h.sb, { brand: h.fake.url, ...(user && { user }) });
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], { sandbox: h.sb, env: FAST });
    expectFailure(r, 3, 'user', {
      type: 'auth',
      message: `API call failed: need_user_authorization (user: ${userId})`,
      hint: 'run: lark-cli auth login to re-authorize',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('config account, logged-in user: the stored user token is sent', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { accessToken: 'u-stored' } } });
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats'], { sandbox: h.sb, env: FAST });
    expect(r.code).toBe(0);
    expectOneChatsCall('Bearer u-stored');
  });

  it('tenant token fetch with a bad secret: auth, the API is never called', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], {
      sandbox: h.sb,
      env: env({ LARKSUITE_CLI_APP_SECRET: 'bad-secret' }),
    });
    expect(r.stdout).toBe('');
    const e = r.errJson();
    expect(e.ok).toBe(false);
    expect(e.identity).toBe('bot');
    expect(e.error.type).toBe('auth');
    expect(e.error.message).toBe('API call failed: TAT API returned HTTP 400');
    expect(r.code).toBe(3);
    const tat = h.fake.requestsTo(TAT_PATH);
    expect(tat).toHaveLength(1);
    expect(tat[0]!.method).toBe('POST');
    expect(tat[0]!.json).toEqual({ app_id: 'cli_test', app_secret: 'bad-secret' });
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')).toHaveLength(0);
  });

  it('tenant token fetch answered with a Lark code and HTTP 200: TAT API error, auth', async () => {
    h.fake.use(http.post(`*${TAT_PATH}`, () => HttpResponse.json({ code: 10003, msg: 'invalid param' })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb, env: env() });
    const e = r.errJson();
    expect(e.error.type).toBe('auth');
    expect(e.error.message).toBe('API call failed: TAT API error: [10003] invalid param');
    expect(r.code).toBe(3);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')).toHaveLength(0);
  });

  it('--as bot with LARKSUITE_CLI_TENANT_ACCESS_TOKEN uses it without a TAT call', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats/:id', ({ params }) => larkOk({ chat_id: params.id })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot'], {
      sandbox: h.sb,
      env: env({ LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-from-env' }),
    });
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: { chat_id: 'oc_1' } });
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
    const calls = h.fake.requestsTo('/open-apis/im/v1/chats/oc_1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBe('Bearer t-from-env');
  });

  it('a token code from the server (99991668) is auth with the re-authorize hint', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkErr(99991668, 'token invalid', undefined, { status: 401 })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'auth', code: 99991668, message: 'API error: [99991668] token invalid', hint: 'run: lark-cli auth login to re-authorize' },
    });
    expect(r.code).toBe(3);
  });
});

describe('config errors (exit 3)', () => {
  it('not configured: no file, no env', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], { sandbox: h.sb });
    expectFailure(r, 3, 'user', { type: 'config', message: 'not configured', hint: NOT_CONFIGURED_HINT });
  });

  it('not configured after config remove (file with no apps)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const rm = await runInProcess(['config', 'remove'], { sandbox: h.sb });
    expect(rm.code).toBe(0);
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb });
    expect(r.errJson().error).toEqual({ type: 'config', message: 'not configured', hint: NOT_CONFIGURED_HINT });
    expect(r.code).toBe(3);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--profile naming a missing profile', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, name: 'work' });
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--profile', 'nope'], { sandbox: h.sb });
    expect(r.errJson().error).toEqual({ type: 'config', message: 'profile "nope" not found', hint: 'available profiles: work' });
    expect(r.code).toBe(3);
  });

  const blocked: Array<[string, Record<string, string>, string]> = [
    ['user token without app id', { LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-x' }, 'LARKSUITE_CLI_USER_ACCESS_TOKEN is set but LARKSUITE_CLI_APP_ID is missing'],
    ['tenant token without app id', { LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-x' }, 'LARKSUITE_CLI_TENANT_ACCESS_TOKEN is set but LARKSUITE_CLI_APP_ID is missing'],
    ['secret without app id', { LARKSUITE_CLI_APP_SECRET: 's' }, 'LARKSUITE_CLI_APP_SECRET is set but LARKSUITE_CLI_APP_ID is missing'],
    ['app id alone', { LARKSUITE_CLI_APP_ID: 'cli_x' }, 'LARKSUITE_CLI_APP_ID is set but no app secret or access token is available'],
    [
      'bad default-as',
      { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_DEFAULT_AS: 'robot' },
      'invalid LARKSUITE_CLI_DEFAULT_AS "robot" (want user, bot, or auto)',
    ],
    [
      'bad strict mode',
      { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_STRICT_MODE: 'x' },
      'invalid LARKSUITE_CLI_STRICT_MODE "x" (want bot, user, or off)',
    ],
  ];
  it.each(blocked)('blocked by env: %s', async (_name, vars, reason) => {
    // a valid config file must not rescue a blocked environment
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_BRAND: h.fake.url, ...vars },
    });
    expectJsonErr(r, 3, { ok: false, identity: 'bot', error: { type: 'config', message: `blocked by env: ${reason}` } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('keychain reference out of sync with the app id', async () => {
    const { configFile } = await writeTestAccount(h.sb, { brand: h.fake.url });
    const fs = await import('node:fs/promises');
    const cfg = JSON.parse(await fs.readFile(configFile, 'utf8'));
    cfg.apps[0].appSecret.id = 'appsecret:cli_other';
    await fs.writeFile(configFile, JSON.stringify(cfg));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb });
    expect(r.errJson().error).toEqual({
      type: 'config',
      message: 'appId and appSecret keychain key are out of sync',
      hint: 'appSecret keychain key "appsecret:cli_other" does not match appId "cli_test" (expected "appsecret:cli_test"); please run `lark-cli config init` to reconfigure',
    });
    expect(r.code).toBe(3);
  });
});

describe('API errors (exit 1)', () => {
  it('code 230002 on a POST: api_error with the detail kept', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v1/messages', () =>
        larkErr(230002, 'Bot/User can NOT be out of the chat.', { log_id: 'test-log-id-001' }),
      ),
    );
    const data = '{"receive_id":"oc_xxx","msg_type":"text","content":"{\\"text\\":\\"test\\"}"}';
    const r = await runInProcess(
      ['api', '--as', 'bot', 'POST', '/open-apis/im/v1/messages', '--params', '{"receive_id_type":"chat_id"}', '--data', data],
      { sandbox: h.sb, env: env() },
    );
    expectFailure(r, 1, 'bot', {
      type: 'api_error',
      code: 230002,
      message: 'API error: [230002] Bot/User can NOT be out of the chat.',
      detail: { log_id: 'test-log-id-001' },
    });
    const calls = h.fake.requestsTo('/open-apis/im/v1/messages');
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.method).toBe('POST');
    expect(c.query).toEqual({ receive_id_type: 'chat_id' });
    expect(c.json).toEqual({ receive_id: 'oc_xxx', msg_type: 'text', content: '{"text":"test"}' });
    expect(c.headers.authorization).toBe('Bearer t-cli_test');
    expect(c.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(c.headers['x-cli-source']).toBe('lark-cli');
    // compact body, keys sorted
    expect(c.text).toBe('{"content":"{\\"text\\":\\"test\\"}","msg_type":"text","receive_id":"oc_xxx"}');
  });

  it('code ≠ 0 with HTTP 200 is still an error', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats/oc_fake', () => larkErr(99992356, 'id not exist', { log_id: 'l1' }, { status: 200 })));
    const r = await runInProcess(['api', 'GET', 'im/v1/chats/oc_fake', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 99992356, message: 'API error: [99992356] id not exist', detail: { log_id: 'l1' } });
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats/oc_fake')).toHaveLength(1);
  });

  it('permission code through api: raw, not enriched, detail kept', async () => {
    h.fake.use(
      http.get('*/open-apis/test/perm', () =>
        larkErr(99991672, 'scope not enabled', {
          log_id: 'test-log-id-perm',
          permission_violations: [{ subject: 'calendar:calendar:readonly' }],
        }),
      ),
    );
    const r = await runInProcess(['api', '--as', 'bot', 'GET', '/open-apis/test/perm'], { sandbox: h.sb, env: env() });
    expectFailure(r, 1, 'bot', {
      type: 'permission',
      code: 99991672,
      message: 'Permission denied [99991672]',
      hint: 'check app permissions or re-authorize: lark-cli auth login',
      detail: { log_id: 'test-log-id-perm', permission_violations: [{ subject: 'calendar:calendar:readonly' }] },
    });
  });

  it('rate limit code 99991400 on a POST: rate_limit, not retried', async () => {
    h.fake.use(http.post('*/open-apis/x', () => larkErr(99991400, 'too many requests')));
    const r = await runInProcess(['api', 'POST', '/open-apis/x', '--as', 'bot', '--data', '{}'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'rate_limit', code: 99991400, message: 'API error: [99991400] too many requests', hint: 'please try again later' });
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/x')).toHaveLength(1);
  });

  it('app credentials code 99991543: config, exit 3', async () => {
    const r = await getX(() => larkErr(99991543, 'app id or secret wrong'));
    expect(r.errJson().error).toEqual({
      type: 'config',
      code: 99991543,
      message: 'API error: [99991543] app id or secret wrong',
      hint: 'check app_id / app_secret: lark-cli config set',
    });
    expect(r.code).toBe(3);
  });

  it('empty JSON body: api_error with the hint', async () => {
    const r = await getX(() => jsonText(''));
    expect(r.errJson().error).toEqual({
      type: 'api_error',
      message: 'API returned an empty JSON response body',
      hint: 'The endpoint may have returned an empty or non-standard JSON body. If it returns a file, rerun with --output.',
    });
    expect(r.code).toBe(1);
  });

  it('malformed JSON body: api_error invalid JSON response', async () => {
    const r = await getX(() => jsonText('{"code":0,'));
    const e = r.errJson().error;
    expect(e.type).toBe('api_error');
    expect(e.message).toMatch(/^API returned an invalid JSON response: /);
    expect(r.code).toBe(1);
  });
});

describe('http_error (exit 1)', () => {
  it('non-JSON 404 body', async () => {
    h.fake.use(http.get('*/open-apis/missing', () => new HttpResponse('<html>404 page not found</html>', { status: 404, headers: { 'content-type': 'text/html' } })));
    const r = await runInProcess(['api', 'GET', '/open-apis/missing', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expectJsonErr(r, 1, { ok: false, identity: 'bot', error: { type: 'http_error', message: 'HTTP 404: <html>404 page not found</html>' } });
    expect(h.fake.requestsTo('/open-apis/missing')).toHaveLength(1);
  });

  it('non-JSON 500 body (after the retries of a GET), long body cut at 500 chars', async () => {
    const body = '  ' + 'x'.repeat(700) + '  ';
    h.fake.use(http.get('*/open-apis/boom', () => new HttpResponse(body, { status: 500, headers: { 'content-type': 'text/plain' } })));
    const r = await runInProcess(['api', 'GET', '/open-apis/boom', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'http_error', message: `HTTP 500: ${'x'.repeat(500)}...` });
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/boom')).toHaveLength(3);
  });
});

describe('network errors (exit 4)', () => {
  it('brand pointing at a closed port, tenant token from env: the API call fails with network', async () => {
    const port = await closedPort();
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], {
      sandbox: h.sb,
      env: { ...FAST, LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-x', LARKSUITE_CLI_BRAND: `http://127.0.0.1:${port}` },
    });
    expect(r.stdout).toBe('');
    const e = r.errJson();
    expect(e.ok).toBe(false);
    expect(e.identity).toBe('bot');
    expect(e.error.type).toBe('network');
    expect(e.error.message).toMatch(/^API call failed: /);
    expect(e.error.message).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(4);
  });

  it('brand pointing at a closed port, the tenant token fetch fails in transport: network', async () => {
    const port = await closedPort();
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], {
      sandbox: h.sb,
      env: { ...FAST, LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: `http://127.0.0.1:${port}` },
    });
    const e = r.errJson();
    expect(e.error.type).toBe('network');
    expect(r.code).toBe(4);
  });

  it('server drops every connection', async () => {
    const { dropConnection } = await import('../fake-lark/server.js');
    h.fake.use(http.get('*/open-apis/drop', () => dropConnection()));
    const r = await runInProcess(['api', 'GET', '/open-apis/drop', '--as', 'bot'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error.type).toBe('network');
    expect(r.code).toBe(4);
    expect(h.fake.requestsTo('/open-apis/drop')).toHaveLength(3);
  });
});

describe('internal', () => {
  it('an unexpected failure (unreadable secret file) never prints a stack trace', async () => {
    const { configFile } = await writeTestAccount(h.sb, { brand: h.fake.url, secretAs: 'file' });
    const fs = await import('node:fs/promises');
    const cfg = JSON.parse(await fs.readFile(configFile, 'utf8'));
    cfg.apps[0].appSecret.id = '/nonexistent/secret.txt';
    await fs.writeFile(configFile, JSON.stringify(cfg));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const e = r.errJson();
    expect(e.ok).toBe(false);
    expect([3, 5]).toContain(r.code);
  });
});

describe('help and version (exit 0, no request)', () => {
  // `--version` alone is answered by bin/lark-cli itself; with --profile it goes through the CLI
  // (spawned: the shim is what is tested)
  it.each([[['--version']], [['-v']], [['--profile', 'other', '--version']], [['-v', '--profile=other']]])('%j', async (args) => {
    const r = await runCli(args, { sandbox: h.sb, env: env() });
    expect(r.stdout).toBe('lark-cli version 0.1.0\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([[['--help']], [['api', '--help']], [['config', 'init', '--help']], [['config']], [['im']], [['im', 'chats']], [['im', '+nope', '--help']], [[]]])(
    '%j prints help on stdout',
    async (args) => {
      const r = await runInProcess(args, { sandbox: h.sb, env: env() });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/Usage:/);
      expect(h.fake.requests).toHaveLength(0);
    },
  );

  it('api --help documents the flags', async () => {
    const r = await runInProcess(['api', '--help'], { sandbox: h.sb });
    for (const f of ['--params', '--data', '--as', '--output', '--page-all', '--page-limit', '--page-delay', '--page-size', '--format', '--jq', '--dry-run', '--file']) {
      expect(r.stdout).toContain(f);
    }
  });
});
