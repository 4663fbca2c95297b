/**
 * `lark-cli doctor [--offline]`: the checks as one JSON object on stdout, exit 1 (and nothing on
 * stderr) when one failed.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { botEnv } from '../helpers/cli.js';
import { TEST_USER_OPEN_ID, writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { closedPort } from '../helpers/net.js';

const NOT_CONFIGURED_HINT =
  'run `lark-cli config init --new` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete setup.';
const TAT_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const FAST = { LARKSUITE_CLI_RETRY_BASE_MS: '1' };

const h = useFakeLark();

interface Check {
  name: string;
  status: string;
  message: string;
  hint?: string;
}

async function doctor(args: string[], env: Record<string, string | undefined>) {
  const r = await h.run(['doctor', ...args], { env: { ...FAST, ...env } });
  expect(r.stderr).toBe('');
  const out = r.json() as { ok: boolean; checks: Check[] };
  return { code: r.code, ...out, byName: Object.fromEntries(out.checks.map((c) => [c.name, c])) as Record<string, Check> };
}

describe('doctor', () => {
  it('not configured: the config check fails and the run stops there (exit 1)', async () => {
    const d = await doctor([], {});
    expect(d.code).toBe(1);
    expect(d.ok).toBe(false);
    expect(d.checks.map((c) => c.name)).toEqual(['cli_version', 'config_file']);
    expect(d.checks[0]).toEqual({ name: 'cli_version', status: 'pass', message: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(d.byName.config_file).toEqual({ name: 'config_file', status: 'fail', message: 'not configured', hint: NOT_CONFIGURED_HINT });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--offline with an environment bot: local checks only, no request', async () => {
    const d = await doctor(['--offline'], botEnv(h.fake));
    expect(d.code).toBe(0);
    expect(d.ok).toBe(true);
    expect(d.checks.map((c) => [c.name, c.status])).toEqual([
      ['cli_version', 'pass'],
      ['config_file', 'skip'],
      ['app_resolved', 'pass'],
      ['bot_identity', 'pass'],
      ['user_identity', 'warn'],
      ['identity_ready', 'pass'],
      ['endpoint_open', 'skip'],
    ]);
    expect(d.byName.app_resolved!.message).toBe(`app: cli_test (${h.fake.url})`);
    expect(d.byName.bot_identity!.message).toBe('Bot identity: ready');
    expect(d.byName.user_identity).toMatchObject({ message: 'User identity: missing (no user logged in)', hint: 'run: lark-cli auth login --help' });
    expect(d.byName.endpoint_open!.message).toBe('skipped (--offline)');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('online: fetches the tenant token, verifies the user and probes the host', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    h.fake.use(http.head('*/', () => new HttpResponse(null, { status: 404 })));
    const d = await doctor([], {});
    expect(d.code).toBe(0);
    expect(d.ok).toBe(true);
    expect(d.byName.config_file!.status).toBe('pass');
    expect(d.byName.bot_identity).toEqual({ name: 'bot_identity', status: 'pass', message: 'Bot identity: ready' });
    expect(d.byName.user_identity).toEqual({ name: 'user_identity', status: 'pass', message: 'User identity: ready' });
    expect(d.byName.endpoint_open).toEqual({ name: 'endpoint_open', status: 'pass', message: `${h.fake.url} reachable` });
    const reqs = h.fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(reqs).toContain(`POST ${TAT_PATH}`);
    expect(reqs).toContain('GET /open-apis/authen/v1/user_info');
    expect(reqs).toContain('HEAD /');
    expect(h.fake.requests.find((r) => r.path === '/open-apis/authen/v1/user_info')!.headers.authorization).toBe('Bearer u-test-user-token');
  });

  it('a user without a stored token, and an expired refresh token, are warnings', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: false } });
    let d = await doctor(['--offline'], {});
    expect(d.byName.user_identity).toMatchObject({ status: 'warn', message: `User identity: missing (no token in keychain for ${TEST_USER_OPEN_ID})` });
    await h.freshSandbox();
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() - 1000, refreshExpiresAt: Date.now() - 1000 } } });
    d = await doctor(['--offline'], {});
    expect(d.byName.user_identity).toMatchObject({ status: 'warn', message: 'User identity: missing (refresh token expired)' });
    expect(d.ok).toBe(true);
  });

  it('an unreachable host: the bot cannot be verified, nothing is usable, the probe fails (exit 1)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const d = await doctor([], { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: url });
    expect(d.code).toBe(1);
    expect(d.ok).toBe(false);
    expect(d.byName.bot_identity!.status).toBe('warn');
    expect(d.byName.bot_identity!.message).toMatch(/^Bot identity: verify failed: /);
    expect(d.byName.identity_ready).toEqual({ name: 'identity_ready', status: 'fail', message: 'no usable bot or user identity is available' });
    expect(d.byName.endpoint_open).toMatchObject({ status: 'fail', hint: 'check network or proxy settings' });
    expect(d.byName.endpoint_open!.message).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')} unreachable: `));
  });

  it('an environment user token alone (strict mode user): the bot is not available', async () => {
    const d = await doctor(['--offline'], { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_BRAND: h.fake.url, LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-env' });
    expect(d.byName.bot_identity).toEqual({
      name: 'bot_identity',
      status: 'warn',
      message: 'Bot identity: not configured (bot identity is not available in current credential context)',
      hint: 'check strict mode',
    });
    expect(d.byName.user_identity!.status).toBe('pass');
    expect(d.ok).toBe(true);
  });

  it('strict mode bot: the user identity is not available', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, strictMode: 'bot', user: {} });
    const d = await doctor(['--offline'], {});
    expect(d.byName.user_identity).toMatchObject({ status: 'warn', message: expect.stringContaining('not available') });
    expect(d.byName.bot_identity!.status).toBe('pass');
  });
});
