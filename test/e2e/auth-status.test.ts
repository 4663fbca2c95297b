/**
 * `auth status | check | scopes | list | logout` (docs/auth.md).
 */
import { describe, expect, it } from 'vitest';
import { createAccountsFake } from '../fake-lark/accounts.js';
import { runInProcess } from '../helpers/in-process.js';
import {
  readStoredUserToken,
  TEST_APP_ID,
  TEST_REFRESH_TOKEN,
  TEST_USER_NAME,
  TEST_USER_OPEN_ID,
  TEST_USER_TOKEN,
  writeTestAccount,
} from '../helpers/accounts.js';
import { useFakeLark, expectJsonOut } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark();

const cli = (args: string[], env?: Record<string, string | undefined>) => runInProcess(args, { sandbox: h.sb, env });
const envelope = (stderr: string) => JSON.parse(stderr.slice(stderr.indexOf('{\n')));
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

describe('auth status', () => {
  it('not configured is a config error', async () => {
    const r = await cli(['auth', 'status']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error).toMatchObject({ type: 'config', message: 'not configured' });
  });

  it('no user, user without token, valid token, expired token', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, defaultAs: 'user' });
    let r = await cli(['auth', 'status']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      appId: TEST_APP_ID,
      brand: h.fake.url,
      defaultAs: 'user',
      identity: 'bot',
      note: 'No user logged in. Only bot (tenant) identity is available for API calls. Run `lark-cli auth login` to log in.',
    });

    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: false } });
    r = await cli(['auth', 'status']);
    expect(r.json()).toEqual({
      appId: TEST_APP_ID,
      brand: h.fake.url,
      defaultAs: 'auto',
      identity: 'bot',
      note: 'Token does not exist or has been cleared. Only bot (tenant) identity is available. Re-login: lark-cli auth login',
      userName: TEST_USER_NAME,
      userOpenId: TEST_USER_OPEN_ID,
    });

    const w = await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    r = await cli(['auth', 'status']);
    const s = r.json();
    expect(s).toMatchObject({ identity: 'user', tokenStatus: 'valid', scope: 'im:message offline_access', userOpenId: TEST_USER_OPEN_ID });
    expect(s.note).toBeUndefined();
    for (const k of ['expiresAt', 'refreshExpiresAt', 'grantedAt']) expect(s[k]).toMatch(RFC3339);
    expect(new Date(s.expiresAt).getTime()).toBe(Math.floor(w.userToken!.expiresAt / 1000) * 1000);
    expect(r.stdout).not.toContain(TEST_USER_TOKEN);

    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() - 10_000, refreshExpiresAt: Date.now() - 5000 } } });
    r = await cli(['auth', 'status']);
    expect(r.json()).toMatchObject({
      identity: 'bot',
      tokenStatus: 'expired',
      note: 'User token has expired. Only bot (tenant) identity is available. Re-login: lark-cli auth login',
    });
    // status never deletes anything
    expect(readStoredUserToken(h.sb)).toBeDefined();
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--verify calls user_info with the token (refreshing it first when needed)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    let r = await cli(['auth', 'status', '--verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ identity: 'user', verified: true });
    const info = h.fake.requestsTo('/open-apis/authen/v1/user_info');
    expect(info).toHaveLength(1);
    expect(info[0]!.headers.authorization).toBe(`Bearer ${TEST_USER_TOKEN}`);

    // the accounts fake only knows the tokens it issued: the stored one is rejected
    const accounts = createAccountsFake({ acceptedRefreshTokens: [TEST_REFRESH_TOKEN] });
    h.fake.use(...accounts.handlers);
    r = await cli(['auth', 'status', '--verify']);
    expect(r.json()).toMatchObject({
      verified: false,
      verifyError: 'server rejected token: [99991668] Invalid access token for authorization. Please make a request with token attached.',
    });

    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() + 60_000 } } });
    r = await cli(['auth', 'status', '--verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ verified: true, tokenStatus: 'valid' });
    expect(accounts.refreshCalls).toHaveLength(1);
  });

  it('--verify with a refresh the server rejects reports the token as unusable', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() + 60_000 } } });
    h.fake.use(...createAccountsFake({ refreshSteps: ['revoked'] }).handlers);
    const r = await cli(['auth', 'status', '--verify']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ verified: false, verifyError: `token unusable: need_user_authorization (user: ${TEST_USER_OPEN_ID})` });
  });

  it('an environment account has no stored user', async () => {
    const r = await cli(['auth', 'status'], { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_APP_SECRET: 'x', LARKSUITE_CLI_BRAND: h.fake.url });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ appId: 'cli_env', identity: 'bot', defaultAs: 'auto' });
  });
});

describe('auth check', () => {
  it('compares with the stored scopes without any request', async () => {
    let r = await cli(['auth', 'check', '--scope', '  ']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ granted: [], missing: [], ok: true });

    r = await cli(['auth', 'check']);
    expect(r.code).toBe(2);
    expect(envelope(r.stderr).error).toEqual({ type: 'validation', message: 'required flag(s) "scope" not set' });

    await writeTestAccount(h.sb, { brand: h.fake.url });
    r = await cli(['auth', 'check', '--scope', 'im:message']);
    expectJsonOut(r, 1, { error: 'not_logged_in', missing: ['im:message'], ok: false });

    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: false } });
    r = await cli(['auth', 'check', '--scope', 'im:message']);
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({ error: 'no_token', missing: ['im:message'], ok: false });

    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    r = await cli(['auth', 'check', '--scope', 'im:message']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ granted: ['im:message'], missing: null, ok: true });
    r = await cli(['auth', 'check', '--scope', 'im:chat:read im:message im:resource']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '{\n  "granted": [\n    "im:message"\n  ],\n  "missing": [\n    "im:chat:read",\n    "im:resource"\n  ],\n  "ok": false,\n  "suggestion": "lark-cli auth login --scope \\"im:chat:read im:resource\\""\n}\n',
    );
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('auth scopes', () => {
  it('lists the user scopes of the app (json and pretty)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    h.fake.use(...createAccountsFake().handlers);
    let r = await cli(['auth', 'scopes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('Querying app scopes...\n\n');
    expect(r.json()).toEqual({ appId: TEST_APP_ID, brand: h.fake.url, count: 2, tokenType: 'user', userScopes: ['im:message', 'im:chat:read'] });
    const req = h.fake.requestsTo(`/open-apis/application/v6/applications/${TEST_APP_ID}`);
    expect(req).toHaveLength(1);
    expect(req[0]!.method).toBe('GET');
    expect(req[0]!.query).toEqual({ lang: 'zh_cn' });
    expect(req[0]!.headers.authorization).toBe(`Bearer t-${TEST_APP_ID}`);

    r = await cli(['auth', 'scopes', '--format', 'pretty']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Querying app scopes...\n\nApp ID: ${TEST_APP_ID}\nEnabled scopes (2):\n\n  • im:message\n  • im:chat:read\n`);
  });

  it('a failure is a permission error with the self_manage hint', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    h.fake.use(...createAccountsFake({ appId: 'cli_other' }).handlers);
    const r = await cli(['auth', 'scopes']);
    expect(r.code).toBe(1);
    const e = envelope(r.stderr).error;
    expect(e.type).toBe('permission');
    expect(e.message).toMatch(/^failed to get app scope info: /);
    expect(e.hint).toBe('ensure the app has enabled the application:application:self_manage scope.');
  });
});

describe('auth list and logout', () => {
  it('list: not configured, no users, users with status', async () => {
    let r = await cli(['auth', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Not configured yet. Run `lark-cli config init` to initialize.\n');

    await writeTestAccount(h.sb, { brand: h.fake.url });
    r = await cli(['auth', 'list']);
    expect(r.stderr).toBe('No logged-in users. Run `lark-cli auth login` to log in.\n');

    await writeTestAccount(h.sb, {
      brand: h.fake.url,
      name: 'work',
      user: { token: { expiresAt: Date.now() + 1000 } },
      moreApps: [{ appId: 'cli_two', name: 'two', brand: h.fake.url, user: { openId: 'ou_two', name: 'Two', token: false } }],
    });
    r = await cli(['auth', 'list']);
    expect(r.json()).toEqual([{ appId: TEST_APP_ID, tokenStatus: 'needs_refresh', userName: TEST_USER_NAME, userOpenId: TEST_USER_OPEN_ID }]);
    r = await cli(['auth', 'list', '--profile', 'two']);
    expect(r.json()).toEqual([{ appId: 'cli_two', tokenStatus: 'no_token', userName: 'Two', userOpenId: 'ou_two' }]);
    r = await cli(['auth', 'list', '--profile', 'nope']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error).toEqual({ type: 'config', message: 'profile "nope" not found', hint: 'available profiles: work, two' });
  });

  it('logout honours --profile and leaves other profiles alone', async () => {
    let r = await cli(['auth', 'logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('No configuration found.\n');
    await writeTestAccount(h.sb, {
      brand: h.fake.url,
      name: 'work',
      user: {},
      moreApps: [{ appId: 'cli_two', name: 'two', brand: h.fake.url, user: { openId: 'ou_two', name: 'Two' } }],
    });
    r = await cli(['auth', 'logout', '--profile', 'two']);
    expect(r.stderr).toBe('OK: Logged out\n');
    expect(readStoredUserToken(h.sb, 'cli_two', 'ou_two')).toBeUndefined();
    expect(readStoredUserToken(h.sb)).toBeDefined();
    r = await cli(['auth', 'list']);
    expect(r.json()).toHaveLength(1);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('auth log', () => {
  it('records secret-store failures, honours LARKSUITE_CLI_LOG_DIR and drops logs older than 7 days', async () => {
    const { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const w = await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    writeFileSync(path.join(w.storeDir, 'master.key'), 'short');
    const logDir = path.join(h.sb.root, 'auth-logs');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(path.join(logDir, 'auth-2000-01-01.log'), 'old\n');
    writeFileSync(path.join(logDir, 'notes.txt'), 'keep\n');
    const r = await cli(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--params', '{"secret":"zzz"}'], { LARKSUITE_CLI_LOG_DIR: logDir });
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error).toMatchObject({ type: 'config', message: 'keychain Get failed: keychain is corrupted' });
    const files = readdirSync(logDir).sort();
    expect(files).not.toContain('auth-2000-01-01.log');
    expect(files).toContain('notes.txt');
    const today = files.find((f) => /^auth-\d{4}-\d\d-\d\d\.log$/.test(f))!;
    expect(statSync(path.join(logDir, today)).mode & 0o777).toBe(0o600);
    const log = readFileSync(path.join(logDir, today), 'utf8');
    expect(log).toMatch(
      /^\[lark-cli\] auth-error: time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) component=keychain op=Get error="keychain is corrupted" cmdline=lark-cli api GET \.\.\.$/m,
    );
    expect(log).not.toContain('zzz');
    // nothing went to the default log folder
    expect(readdirSync(h.sb.config)).not.toContain('logs');
  });
});
