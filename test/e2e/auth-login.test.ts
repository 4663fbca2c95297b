/**
 * `auth login` (docs/auth.md): scope selection, the blocking device flow with its polling rules,
 * --json events, the scope summary and the messages in the profile's language.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccountsFake, type AccountsFake, type AccountsFakeOptions } from '../fake-lark/accounts.js';
import { runInProcess } from '../helpers/in-process.js';
import { readStoredUserToken, TEST_APP_ID, TEST_USER_OPEN_ID, writeTestAccount, type TestApp } from '../helpers/accounts.js';
import { loadShortcuts } from '../../src/im/shortcuts/index.js';
import { scopesFor, supportedIdentities } from '../../src/shortcut/define.js';
import { AUTO_APPROVE_SCOPES } from '../../src/auth/scopes.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';

const SHORTCUTS = await loadShortcuts();

const h = useFakeLark();

async function setup(o: AccountsFakeOptions = {}, app: Partial<TestApp> = {}): Promise<AccountsFake> {
  await writeTestAccount(h.sb, { brand: h.fake.url, ...app });
  const a = createAccountsFake(o);
  h.fake.use(...a.handlers);
  return a;
}

const login = (args: string[], timeoutMs?: number) => runInProcess(['auth', 'login', ...args], { sandbox: h.sb, timeoutMs });
const lines = (s: string) => s.split('\n').filter(Boolean);
const envelope = (stderr: string) => JSON.parse(stderr.slice(stderr.indexOf('{\n')));

describe('auth login --json', () => {
  it('prints the device_authorization and authorization_complete events; slow_down adds 5 s', async () => {
    const a = await setup({ pollSteps: ['pending', 'slow_down', 'success'] });
    const t0 = Date.now();
    const r = await login(['--scope', 'im:message im:chat:read', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(JSON.parse(out[0]!)).toEqual({
      event: 'device_authorization',
      expires_in: 240,
      user_code: 'ABCD-EFGH',
      verification_uri: 'https://accounts.example.test/verify',
      verification_uri_complete: 'https://accounts.example.test/verify?user_code=ABCD-EFGH',
    });
    expect(out[0]!.startsWith('{"event":"device_authorization","expires_in":240,')).toBe(true);
    expect(JSON.parse(out[1]!)).toEqual({
      already_granted: [],
      event: 'authorization_complete',
      granted: ['im:message', 'im:chat:read', 'offline_access'],
      missing: [],
      newly_granted: ['im:message', 'im:chat:read'],
      requested: ['im:message', 'im:chat:read'],
      scope: 'im:message im:chat:read offline_access',
      user_name: 'Login User',
      user_open_id: 'ou_login_user',
    });
    // no human-readable lines with --json, only the device-flow diagnostics
    expect(r.stderr).toBe('[lark-cli] device-flow: slow_down, interval increased to 5s\n[lark-cli] device-flow: token obtained successfully\n');
    expect(a.pollCalls).toHaveLength(3);
    expect(a.deviceAuthCalls[0]!.form.scope).toBe('im:message im:chat:read offline_access');
  });

  it('reports scopes that were not granted, keeps the login, and knows previously granted ones', async () => {
    // the same user had im:message before; a different earlier user is replaced
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { openId: 'ou_someone_else', token: {} } });
    const { writeStoredUserToken, makeUserToken } = await import('../helpers/accounts.js');
    writeStoredUserToken(h.sb, makeUserToken(TEST_APP_ID, 'ou_login_user', { scope: 'im:message' }));
    const a = createAccountsFake({ pollSteps: ['success'], grantedScope: 'im:message offline_access' });
    h.fake.use(...a.handlers);
    const r = await login(['--scope', 'im:message im:chat:read im:message', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = JSON.parse(lines(r.stdout)[1]!);
    expect(done).toEqual({
      already_granted: ['im:message'],
      event: 'authorization_complete',
      granted: ['im:message', 'offline_access'],
      missing: ['im:chat:read'],
      newly_granted: [],
      requested: ['im:message', 'im:chat:read'],
      scope: 'im:message offline_access',
      user_name: 'Login User',
      user_open_id: 'ou_login_user',
      warning: {
        hint: '以上结果是本次授权请求用户最终确认后的结果，请勿持续重试；Scopes 未授予的原因是多样的，如 scope 被禁用；具体原因已通过授权页提示用户。可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；',
        message: '授权结果异常：以下请求 scopes 未被授予: im:chat:read',
        type: 'missing_scope',
      },
    });
    const cfg = JSON.parse(readFileSync(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps[0].users).toEqual([{ userOpenId: 'ou_login_user', userName: 'Login User' }]);
    expect(readStoredUserToken(h.sb, TEST_APP_ID, 'ou_someone_else')).toBeUndefined();
    expect(readStoredUserToken(h.sb, TEST_APP_ID, 'ou_login_user')!.scope).toBe('im:message offline_access');
  });

  it('a denied authorization prints authorization_failed on stdout and exits 3 without an envelope', async () => {
    await setup({ pollSteps: ['access_denied'] });
    const r = await login(['--scope', 'im:message', '--json']);
    expect(r.code).toBe(3);
    expect(lines(r.stdout)[1]).toBe('{"error":"Authorization denied by user","event":"authorization_failed"}');
    expect(r.stderr).toBe('');
  });
});

describe('auth login, human-readable', () => {
  it('prints the URL, waits and reports in English when the profile says en', async () => {
    await setup({ pollSteps: ['success'], grantedScope: 'offline_access' }, { lang: 'en' });
    const r = await login(['--scope', 'im:message']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Open this URL in your browser to authenticate:\n\n' +
        '  https://accounts.example.test/verify?user_code=ABCD-EFGH\n\n' +
        'Waiting for user authorization...\n' +
        '[lark-cli] device-flow: token obtained successfully\n' +
        'Authorization completed, fetching user info and validating granted scopes...\n' +
        '\nauthorization result is abnormal: these requested scopes were not granted: im:message\n' +
        'Authorized account: Login User (ou_login_user)\n' +
        '  Requested scopes: im:message\n' +
        '  Newly granted scopes: (none)\n' +
        '  Not granted scopes: im:message\n' +
        "The result above is the user's final confirmation for this authorization request. Do not retry continuously. Scopes may be not granted for various reasons, such as a scope being disabled. The specific reason has already been shown to the user on the authorization page. Run `lark-cli auth status` to inspect all scopes currently granted to the account.\n",
    );
  });

  it('an expired device code is an auth error', async () => {
    await setup({ pollSteps: ['pending', 'expired'] });
    const r = await login(['--scope', 'im:message']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr)).toEqual({ ok: false, error: { type: 'auth', message: 'authorization failed: Device code expired, please try again' } });
  });

  it('an unexpected error is reported with a warning', async () => {
    await setup({ pollSteps: ['weird'] });
    const r = await login(['--scope', 'im:message']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[lark-cli] [WARN] device-flow: unexpected error: error=server_error, desc=something odd\n');
    expect(envelope(r.stderr).error.message).toBe('authorization failed: something odd');
  });

  it('network and parse errors while polling are retried with a longer interval', async () => {
    const a = await setup({ pollSteps: ['garbage', 'success'] });
    const t0 = Date.now();
    const r = await login(['--scope', 'im:message']);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900); // interval 0 → 1 s after the error
    expect(r.stderr).toContain('[lark-cli] [WARN] device-flow: poll parse error: ');
    expect(a.pollCalls).toHaveLength(2);
  });

  it('stops after 200 polls', async () => {
    const a = await setup({ pollSteps: ['pending'], interval: 0, expiresIn: 600 });
    const r = await login(['--scope', 'im:message'], 30_000);
    expect(r.code).toBe(3);
    expect(a.pollCalls).toHaveLength(200);
    expect(r.stderr).toContain('[lark-cli] [WARN] device-flow: max poll attempts (200) reached\n');
    expect(envelope(r.stderr).error.message).toBe('authorization failed: Authorization timed out, please try again');
  });

  it('Ctrl-C while polling cancels the login (through Io.onCancel), and the hook is released', async () => {
    const a = await setup({ pollSteps: ['pending'], interval: 1, expiresIn: 600 });
    let released = 0;
    const r = await runInProcess(['auth', 'login', '--scope', 'im:message'], { sandbox: h.sb }, (io) => {
      io.onCancel = (handler) => {
        setTimeout(handler, 200);
        return () => void released++;
      };
    });
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error.message).toBe('authorization failed: Polling was cancelled');
    expect(a.pollCalls.length).toBeLessThanOrEqual(1);
    expect(released).toBe(1);
  });

  it('honours expires_in', async () => {
    const a = await setup({ pollSteps: ['pending'], interval: 1, expiresIn: 1 });
    const r = await login(['--scope', 'im:message']);
    expect(r.code).toBe(3);
    expect(a.pollCalls).toHaveLength(1);
    expect(r.stderr).not.toContain('max poll attempts');
    expect(envelope(r.stderr).error.message).toBe('authorization failed: Authorization timed out, please try again');
  });

  it('a rejected device authorization is an auth error', async () => {
    await setup({ appSecret: 'other-secret' });
    const r = await login(['--scope', 'im:message']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr)).toEqual({
      ok: false,
      error: { type: 'auth', message: 'device authorization failed: Device authorization failed: client authentication failed' },
    });
  });
});

describe('scope selection', () => {
  it('without options prints the hint and fails validation', async () => {
    await setup();
    const r = await login([]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith('请指定要授权的权限:\n\nCommon options:\n')).toBe(true);
    expect(r.stderr).toContain('View all options:\n  lark-cli auth login --help\n\nNote: this command blocks until authorization is complete.');
    expect(envelope(r.stderr)).toEqual({ ok: false, error: { type: 'validation', message: 'please specify the scopes to authorize' } });
    const j = await login(['--json']);
    expect(j.code).toBe(2);
    expect(j.stderr.startsWith('{')).toBe(true);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('rejects --scope with --domain, unknown domains, and bot strict mode', async () => {
    await setup();
    const cases: Array<[string[], string]> = [
      [['--scope', 'im:message', '--domain', 'im'], 'cannot use --scope together with --domain/--recommend'],
      [['--scope', 'im:message', '--recommend'], 'cannot use --scope together with --domain/--recommend'],
      [['--domain', 'imx'], 'unknown domain "imx", did you mean "im"?'],
      [['--domain', 'im,calendar'], 'unknown domain "calendar", available domains: im'],
    ];
    for (const [args, message] of cases) {
      const r = await login(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(envelope(r.stderr)).toEqual({ ok: false, error: { type: 'validation', message } });
    }
    const strict = await runInProcess(['config', 'strict-mode', 'bot'], { sandbox: h.sb });
    expect(strict.code, strict.stderr).toBe(0);
    const r = await login(['--scope', 'im:message']);
    expect(r.code).toBe(2);
    expect(envelope(r.stderr).error.type).toBe('strict_mode');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--domain im asks for the best scope of every user method and the user scopes of the shortcuts', async () => {
    const a = await setup({ pollSteps: ['success'] });
    const r = await login(['--domain', 'im', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    const sent = a.deviceAuthCalls[0]!.form.scope!.split(' ');
    expect(sent.at(-1)).toBe('offline_access');
    const requested = sent.slice(0, -1);
    expect(requested).toEqual([...new Set(requested)].sort());
    // one scope per user method: the highest-priority one of its accepted scopes
    for (const s of [
      'im:chat:read', 'im:chat:update', 'im:chat.members:read', 'im:chat.members:write_only', 'im:chat', 'im:chat.managers:write_only',
      'im:chat.moderation:read', 'im:chat:moderation:write_only', 'im:message:recall', 'im:message', 'im:message.reactions:read',
      'im:message.reactions:write_only', 'im:message.pins:read', 'im:message.pins:write_only', 'im:feed_group_v1:read', 'im:feed_group_v1:write',
    ]) {
      expect(requested).toContain(s);
    }
    // bot-only methods contribute nothing
    expect(requested).not.toContain('im:chat:create');
    expect(requested).not.toContain('im:message.urgent:phone');
    for (const sc of SHORTCUTS) {
      if (supportedIdentities(sc).includes('user')) for (const s of scopesFor(sc, 'user')) expect(requested).toContain(s);
    }

    const all = await login(['--domain', 'all', '--no-wait']);
    expect(all.code).toBe(0);
    expect(a.deviceAuthCalls[1]!.form.scope).toBe(a.deviceAuthCalls[0]!.form.scope);

    const rec = await login(['--domain', 'im', '--recommend', '--no-wait']);
    expect(rec.code).toBe(0);
    const recommended = a.deviceAuthCalls[2]!.form.scope!.split(' ').slice(0, -1);
    expect(recommended).toEqual(requested.filter((s) => AUTO_APPROVE_SCOPES.has(s)));
    for (const s of ['im:chat', 'im:message:recall', 'im:feed_group_v1:read', 'im:message.send_as_user']) expect(recommended).not.toContain(s);
    expect(recommended).toContain('im:message');

    const recOnly = await login(['--recommend', '--no-wait']);
    expect(recOnly.code).toBe(0);
    expect(a.deviceAuthCalls[3]!.form.scope).toBe(a.deviceAuthCalls[2]!.form.scope);
  });
});

describe('a profile with an expired user is simply logged in again', () => {
  it('login replaces the old record', async () => {
    await setup({ pollSteps: ['success'], userOpenId: TEST_USER_OPEN_ID }, { user: { token: { expiresAt: 1, refreshExpiresAt: 2 } } });
    const r = await login(['--scope', 'im:message']);
    expect(r.code, r.stderr).toBe(0);
    expect(readStoredUserToken(h.sb)!.accessToken).toBe('u-login-1');
  });
});
