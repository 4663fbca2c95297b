/**
 * Foundation e2e: identity resolution observed through the token the `api`
 * command sends.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { runCli } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';

const TAT_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const USER_INFO = '/open-apis/authen/v1/user_info';
const CHATS = '/open-apis/im/v1/chats';

const h = useFakeLark({ eachTest: () => [http.get(`*${CHATS}`, () => larkOk({ items: [] }))] });

const bothTokens = (extra: Record<string, string> = {}) => ({
  LARKSUITE_CLI_APP_ID: 'cli_env',
  LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-env',
  LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-env',
  LARKSUITE_CLI_BRAND: h.fake.url,
  ...extra,
});

/** Runs `api GET /open-apis/im/v1/chats` and returns the token the call carried. */
async function tokenUsed(extraArgs: string[], env: Record<string, string | undefined>): Promise<string | undefined> {
  const r = await runInProcess(['api', 'GET', CHATS, ...extraArgs], { sandbox: h.sb, env });
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
  const calls = h.fake.requestsTo(CHATS);
  expect(calls).toHaveLength(1);
  return calls[0]!.headers.authorization;
}

describe('environment with both tokens', () => {
  it('default identity is user', async () => {
    expect(await tokenUsed([], bothTokens())).toBe('Bearer u-env');
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
  });

  it('--as bot uses the tenant token', async () => {
    expect(await tokenUsed(['--as', 'bot'], bothTokens())).toBe('Bearer t-env');
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
    expect(h.fake.requestsTo(USER_INFO)).toHaveLength(0);
  });

  it('--as user uses the user token', async () => {
    expect(await tokenUsed(['--as', 'user'], bothTokens())).toBe('Bearer u-env');
  });

  it('api treats any --as word other than bot as user', async () => {
    expect(await tokenUsed(['--as', 'robot'], bothTokens())).toBe('Bearer u-env');
  });

  it('LARKSUITE_CLI_DEFAULT_AS=bot makes bot the default', async () => {
    expect(await tokenUsed([], bothTokens({ LARKSUITE_CLI_DEFAULT_AS: 'bot' }))).toBe('Bearer t-env');
  });

  it('--as auto verifies the user token with user_info, then uses it', async () => {
    expect(await tokenUsed(['--as', 'auto'], bothTokens())).toBe('Bearer u-env');
    const info = h.fake.requestsTo(USER_INFO);
    expect(info).toHaveLength(1);
    expect(info[0]!.method).toBe('GET');
    expect(info[0]!.headers.authorization).toBe('Bearer u-env');
  });

  it('--as auto with a user token that fails user_info auto-detects bot', async () => {
    expect(await tokenUsed(['--as', 'auto'], bothTokens({ LARKSUITE_CLI_USER_ACCESS_TOKEN: 'bad-token' }))).toBe('Bearer t-env');
    expect(h.fake.requestsTo(USER_INFO)).toHaveLength(1);
  });

  it('LARKSUITE_CLI_STRICT_MODE=bot forces bot, even with --as user', async () => {
    expect(await tokenUsed([], bothTokens({ LARKSUITE_CLI_STRICT_MODE: 'bot' }))).toBe('Bearer t-env');
    h.fake.clearRequests();
    expect(await tokenUsed(['--as', 'user'], bothTokens({ LARKSUITE_CLI_STRICT_MODE: 'bot' }))).toBe('Bearer t-env');
  });

  it('LARKSUITE_CLI_STRICT_MODE=user forces user, even with --as bot', async () => {
    expect(await tokenUsed(['--as', 'bot'], bothTokens({ LARKSUITE_CLI_STRICT_MODE: 'user' }))).toBe('Bearer u-env');
  });

  it('LARKSUITE_CLI_STRICT_MODE=off leaves the choice to --as', async () => {
    expect(await tokenUsed(['--as', 'bot'], bothTokens({ LARKSUITE_CLI_STRICT_MODE: 'off' }))).toBe('Bearer t-env');
  });

  it('an invalid LARKSUITE_CLI_STRICT_MODE is a config error (blocked by env), exit 3', async () => {
    const r = await runInProcess(['api', 'GET', CHATS], { sandbox: h.sb, env: bothTokens({ LARKSUITE_CLI_STRICT_MODE: 'x' }) });
    expect(r.stdout).toBe('');
    const e = r.errJson();
    expect(e.ok).toBe(false);
    expect(e.error).toEqual({ type: 'config', message: 'blocked by env: invalid LARKSUITE_CLI_STRICT_MODE "x" (want bot, user, or off)' });
    expect(r.code).toBe(3);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('environment with the app secret only', () => {
  it('auto-detects bot and fetches a tenant token with the secret', async () => {
    const env = { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_APP_SECRET: 'env-secret', LARKSUITE_CLI_BRAND: h.fake.url };
    expect(await tokenUsed([], env)).toBe('Bearer t-cli_env');
    const tat = h.fake.requestsTo(TAT_PATH);
    expect(tat).toHaveLength(1);
    expect(tat[0]!.json).toEqual({ app_id: 'cli_env', app_secret: 'env-secret' });
    expect(tat[0]!.headers['content-type']).toMatch(/^application\/json/);
  });

  it('the environment wins over a config file with a logged-in user', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const env = { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_APP_SECRET: 'env-secret', LARKSUITE_CLI_BRAND: h.fake.url };
    expect(await tokenUsed([], env)).toBe('Bearer t-cli_env');
  });

  it('LARKSUITE_CLI_BRAND is ignored for a config account', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    expect(await tokenUsed(['--as', 'bot'], { LARKSUITE_CLI_BRAND: 'http://127.0.0.1:1' })).toBe('Bearer t-cli_test');
  });
});

describe('config-file account', () => {
  it('auto-detect: user when logged in with a usable token', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    expect(await tokenUsed([], {})).toBe('Bearer u-test-user-token');
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
  });

  it('auto-detect: bot when nobody is logged in', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    expect(await tokenUsed([], {})).toBe('Bearer t-cli_test');
  });

  it('auto-detect: bot when the stored token is fully expired', async () => {
    const past = Date.now() - 1000;
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: past, refreshExpiresAt: past } } });
    expect(await tokenUsed([], {})).toBe('Bearer t-cli_test');
  });

  it('--profile picks a profile by name, then by app id; env --profile is not read', async () => {
    await writeTestAccount(h.sb, {
      brand: h.fake.url,
      name: 'first',
      moreApps: [{ appId: 'cli_second', appSecret: 'sec2', brand: h.fake.url, name: 'second' }],
    });
    expect(await tokenUsed(['--as', 'bot', '--profile', 'second'], {})).toBe('Bearer t-cli_second');
    h.fake.clearRequests();
    expect(await tokenUsed(['--profile', 'cli_second', '--as', 'bot'], {})).toBe('Bearer t-cli_second');
    h.fake.clearRequests();
    expect(await tokenUsed(['--as', 'bot'], { LARKSUITE_CLI_PROFILE: 'second' })).toBe('Bearer t-cli_test');
    const tat = h.fake.requestsTo(TAT_PATH);
    expect(tat.at(-1)!.json).toEqual({ app_id: 'cli_test', app_secret: 's3cret' });
  });

  it('currentApp naming a missing profile → profile "" not found', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, name: 'work', currentApp: 'gone' });
    const r = await runInProcess(['api', 'GET', CHATS, '--as', 'bot'], { sandbox: h.sb });
    expect(r.errJson().error).toEqual({ type: 'config', message: 'profile "" not found', hint: 'available profiles: work' });
    expect(r.code).toBe(3);
  });

  it('a plain-string secret and a file secret both work', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, appSecret: 'plain-sec', secretAs: 'plain' });
    expect(await tokenUsed(['--as', 'bot'], {})).toBe('Bearer t-cli_test');
    expect(h.fake.requestsTo(TAT_PATH)[0]!.json).toEqual({ app_id: 'cli_test', app_secret: 'plain-sec' });
    await h.freshSandbox();
    h.fake.clearRequests();
    await writeTestAccount(h.sb, { brand: h.fake.url, appSecret: 'file-sec', secretAs: 'file' });
    expect(await tokenUsed(['--as', 'bot'], {})).toBe('Bearer t-cli_test');
    expect(h.fake.requestsTo(TAT_PATH)[0]!.json).toEqual({ app_id: 'cli_test', app_secret: 'file-sec' });
  });

  it('the tenant token is cached across runs and invalidated by a new secret', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    await tokenUsed(['--as', 'bot'], {});
    h.fake.clearRequests();
    await tokenUsed(['--as', 'bot'], {});
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(0);
    // a new secret invalidates the cache
    const init = await runInProcess(['config', 'init', '--app-id', 'cli_test', '--app-secret-stdin', '--brand', h.fake.url], {
      sandbox: h.sb,
      stdin: 'rotated\n',
    });
    expect(init.code).toBe(0);
    h.fake.clearRequests();
    await tokenUsed(['--as', 'bot'], {});
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(1);
    expect(h.fake.requestsTo(TAT_PATH)[0]!.json).toEqual({ app_id: 'cli_test', app_secret: 'rotated' });
  });

  it('the legacy ~/.lark-cli/config.json is read when ours is missing', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(h.sb.home, '.lark-cli'), { recursive: true });
    await writeFile(
      path.join(h.sb.home, '.lark-cli', 'config.json'),
      JSON.stringify({ apps: [{ appId: 'cli_legacy', appSecret: 'legacy-sec', brand: h.fake.url, users: [] }] }),
    );
    expect(await tokenUsed(['--as', 'bot'], { LARKSUITE_CLI_CONFIG_DIR: path.join(h.sb.root, 'empty-config') })).toBe('Bearer t-cli_legacy');
  });
});

describe('stored user token refresh (docs/auth.md, docs/compatibility.md)', () => {
  const REFRESH = '/open-apis/authen/v2/oauth/token';
  const soon = () => Date.now() + 60_000; // inside the 5-minute window: needs_refresh

  it('a token about to expire is refreshed once, saved, and used', async () => {
    const { readStoredUserToken } = await import('../helpers/accounts.js');
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { accessToken: 'u-old', expiresAt: soon(), scope: 'im:message' } } });
    h.fake.use(
      http.post(`*${REFRESH}`, () =>
        HttpResponse.json({ code: 0, access_token: 'u-new', refresh_token: 'ur-new', expires_in: 7200, refresh_token_expires_in: 604800, scope: 'im:message im:chat' }),
      ),
    );
    expect(await tokenUsed([], {})).toBe('Bearer u-new');
    const ref = h.fake.requestsTo(REFRESH);
    expect(ref).toHaveLength(1);
    expect(ref[0]!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(ref[0]!.text))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'ur-test-refresh-token',
      client_id: 'cli_test',
      client_secret: 's3cret',
    });
    const saved = readStoredUserToken(h.sb)!;
    expect(saved.accessToken).toBe('u-new');
    expect(saved.refreshToken).toBe('ur-new');
    expect(saved.scope).toBe('im:message im:chat');
    expect(saved.expiresAt).toBeGreaterThan(Date.now() + 7000_000);
    // next run: valid, no refresh
    h.fake.clearRequests();
    expect(await tokenUsed([], {})).toBe('Bearer u-new');
    expect(h.fake.requestsTo(REFRESH)).toHaveLength(0);
  });

  it('three processes refreshing at once make one refresh call', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { accessToken: 'u-old', expiresAt: soon() } } });
    let n = 0;
    h.fake.use(
      http.post(`*${REFRESH}`, async () => {
        n++;
        await new Promise((r) => setTimeout(r, 700));
        return HttpResponse.json({ code: 0, access_token: `u-new-${n}`, refresh_token: 'ur-new', expires_in: 7200 });
      }),
    );
    // spawned: three processes, each with its own token cache
    const runs = await Promise.all([0, 1, 2].map(() => runCli(['api', 'GET', CHATS, '--as', 'user'], { sandbox: h.sb, timeoutMs: 40_000 })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(n).toBe(1);
    const auths = h.fake.requestsTo(CHATS).map((q) => q.headers.authorization);
    expect(auths).toEqual(['Bearer u-new-1', 'Bearer u-new-1', 'Bearer u-new-1']);
  });

  it('a refused refresh clears the token: need_user_authorization, exit 3', async () => {
    const { readStoredUserToken } = await import('../helpers/accounts.js');
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { openId: 'ou_r', token: { expiresAt: soon() } } });
    h.fake.use(http.post(`*${REFRESH}`, () => HttpResponse.json({ code: 20037, error: 'invalid_grant', error_description: 'expired' }, { status: 400 })));
    const r = await runInProcess(['api', 'GET', CHATS, '--as', 'user'], { sandbox: h.sb });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[lark-cli] [WARN] uat-client: refresh failed (code=20037), clearing token for ou_r\n');
    const env = JSON.parse(r.stderr.slice(r.stderr.indexOf('{')));
    expect(env).toEqual({
      ok: false,
      identity: 'user',
      error: { type: 'auth', message: 'API call failed: need_user_authorization (user: ou_r)', hint: 'run: lark-cli auth login to re-authorize' },
    });
    expect(readStoredUserToken(h.sb, 'cli_test', 'ou_r')).toBeUndefined();
    expect(h.fake.requestsTo(CHATS)).toHaveLength(0);
  });

  it('a refresh that fails in transport keeps the stored token: network, exit 4', async () => {
    const { readStoredUserToken } = await import('../helpers/accounts.js');
    const { dropConnection } = await import('../fake-lark/server.js');
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { accessToken: 'u-keep', expiresAt: soon() } } });
    h.fake.use(http.post(`*${REFRESH}`, () => dropConnection()));
    const r = await runInProcess(['api', 'GET', CHATS, '--as', 'user'], { sandbox: h.sb, env: { LARKSUITE_CLI_RETRY_BASE_MS: '20' } });
    expect(r.code).toBe(4);
    expect(r.errJson().error.type).toBe('network');
    expect(readStoredUserToken(h.sb)!.accessToken).toBe('u-keep');
    expect(h.fake.requestsTo(REFRESH)).toHaveLength(1);
  });
});
