/**
 * A new user's whole journey (docs/auth.md): config init, auth login --no-wait, resume with
 * --device-code, auth status, a user-identity API call with the stored token, auth logout. Also
 * checks file modes and that no token or secret reaches any output or the auth log.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { createAccountsFake, type AccountsFake } from '../fake-lark/accounts.js';
import { type RunCliResult } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { readStoredUserToken, sandboxDirs } from '../helpers/accounts.js';

const APP_ID = 'cli_flow_app';
const SECRET = 'flow-SECRET-7f3a9c1e';

let accounts: AccountsFake;
const h = useFakeLark({
  eachTest: () => {
    accounts = createAccountsFake({ appId: APP_ID, appSecret: SECRET, interval: 0, pollSteps: ['pending', 'pending', 'success'] });
    return accounts.handlers;
  },
});

const mode = (p: string) => statSync(p).mode & 0o777;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe('a new user logs in with --no-wait and --device-code', () => {
  it('runs the whole flow and the API call carries the stored user token', async () => {
    const outputs: RunCliResult[] = [];
    const cli = async (args: string[], stdin?: string) => {
      const r = await runInProcess(args, { sandbox: h.sb, stdin });
      outputs.push(r);
      return r;
    };

    const init = await cli(['config', 'init', '--app-id', APP_ID, '--app-secret-stdin', '--brand', h.fake.url], `${SECRET}\n`);
    expect(init.code, init.stderr).toBe(0);

    // 1. start the device flow and return at once
    const start = await cli(['auth', 'login', '--scope', 'im:message', '--no-wait']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout.endsWith('\n')).toBe(true);
    expect(start.stdout.trim().split('\n')).toHaveLength(1);
    expect(start.json()).toEqual({
      device_code: 'dc_test_device_code',
      expires_in: 240,
      hint: 'Show verification_url to user, then immediately execute: lark-cli auth login --device-code dc_test_device_code (blocks until authorized or timeout). Do not instruct the user to run this command themselves.',
      verification_url: 'https://accounts.example.test/verify?user_code=ABCD-EFGH',
    });
    // compact line, keys sorted
    expect(start.stdout.startsWith('{"device_code":"dc_test_device_code","expires_in":240,"hint":')).toBe(true);
    expect(accounts.deviceAuthCalls).toHaveLength(1);
    const auth = accounts.deviceAuthCalls[0]!;
    expect(auth.authorization).toBe(`Basic ${Buffer.from(`${APP_ID}:${SECRET}`).toString('base64')}`);
    expect(auth.form).toEqual({ client_id: APP_ID, scope: 'im:message offline_access' });
    const devReq = h.fake.requestsTo('/oauth/v1/device_authorization')[0]!;
    expect(devReq.method).toBe('POST');
    expect(devReq.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(devReq.headers['user-agent']).toMatch(/^lark-cli\//);
    expect(accounts.pollCalls).toHaveLength(0);

    const cacheFile = path.join(h.sb.config, 'cache', 'auth_login_scopes', 'dc_test_device_code.json');
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).requested_scope).toBe('im:message');
    expect(mode(cacheFile)).toBe(0o600);
    expect(mode(path.dirname(cacheFile))).toBe(0o700);

    // 2. resume: polls until the user has authorized
    const resume = await cli(['auth', 'login', '--device-code', 'dc_test_device_code']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toBe('');
    expect(accounts.pollCalls).toHaveLength(3);
    expect(accounts.pollCalls[0]).toEqual({
      client_id: APP_ID,
      client_secret: SECRET,
      device_code: 'dc_test_device_code',
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    const pollReq = h.fake.requestsTo('/open-apis/authen/v2/oauth/token')[0]!;
    expect(pollReq.headers.authorization).toBeUndefined();
    expect(pollReq.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const infoReq = h.fake.requestsTo('/open-apis/authen/v1/user_info');
    expect(infoReq).toHaveLength(1);
    expect(infoReq[0]!.headers.authorization).toBe('Bearer u-login-1');
    expect(resume.stderr).toContain('等待用户授权...\n');
    expect(resume.stderr).toContain('[lark-cli] device-flow: token obtained successfully\n');
    expect(resume.stderr).toContain('授权已完成，正在获取用户信息并校验授权结果...\n');
    expect(resume.stderr).toContain(
      '\nOK: 授权成功! 用户: Login User (ou_login_user)\n' +
        '  本次请求 scopes: im:message\n' +
        '  本次新授予 scopes: im:message\n' +
        '  本次未授予 scopes: （空）\n' +
        '可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；\n',
    );
    expect(existsSync(cacheFile)).toBe(false);

    const cfg = JSON.parse(readFileSync(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps[0].users).toEqual([{ userOpenId: 'ou_login_user', userName: 'Login User' }]);
    const stored = readStoredUserToken(h.sb, APP_ID, 'ou_login_user')!;
    expect(stored).toMatchObject({
      userOpenId: 'ou_login_user',
      appId: APP_ID,
      accessToken: 'u-login-1',
      refreshToken: 'ur-login-1',
      scope: 'im:message offline_access',
    });
    expect(stored.expiresAt - stored.grantedAt).toBe(7200_000);
    expect(stored.refreshExpiresAt - stored.grantedAt).toBe(604800_000);

    // 3. status
    const st = await cli(['auth', 'status']);
    expect(st.code, st.stderr).toBe(0);
    const status = st.json();
    expect(status).toMatchObject({
      appId: APP_ID,
      brand: h.fake.url,
      defaultAs: 'auto',
      identity: 'user',
      userName: 'Login User',
      userOpenId: 'ou_login_user',
      tokenStatus: 'valid',
      scope: 'im:message offline_access',
    });
    expect(status.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(Object.keys(status)).toEqual([...Object.keys(status)].sort());

    // 4. an API call as the user
    h.fake.use(http.get('*/open-apis/im/v1/chats/:chat_id', ({ params }) => larkOk({ chat_id: params.chat_id })));
    const call = await cli(['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'user']);
    expect(call.code, call.stderr).toBe(0);
    const chats = h.fake.requestsTo('/open-apis/im/v1/chats/oc_1');
    expect(chats).toHaveLength(1);
    expect(chats[0]!.headers.authorization).toBe('Bearer u-login-1');
    expect(h.fake.requestsTo('/open-apis/authen/v2/oauth/token')).toHaveLength(3); // no refresh

    // 5. logout
    const out = await cli(['auth', 'logout']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('OK: Logged out\n');
    expect(readStoredUserToken(h.sb, APP_ID, 'ou_login_user')).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(h.sb.config, 'config.json'), 'utf8')).apps[0].users).toEqual([]);
    const after = await cli(['auth', 'status']);
    expect(after.json()).toMatchObject({ identity: 'bot' });
    const again = await cli(['auth', 'logout']);
    expect(again.stderr).toBe('Not logged in.\n');

    // file modes: secrets and tokens 0600 in folders 0700
    const dirs = sandboxDirs(h.sb);
    expect(mode(dirs.storeDir)).toBe(0o700);
    const storeFiles = readdirSync(dirs.storeDir);
    expect(storeFiles).toContain('master.key');
    for (const f of storeFiles) expect(mode(path.join(dirs.storeDir, f)), f).toBe(0o600);
    expect(mode(path.join(h.sb.config, 'config.json'))).toBe(0o600);

    // the auth log recorded the OAuth responses, with at most three command-line words
    const logDir = path.join(h.sb.config, 'logs');
    expect(mode(logDir)).toBe(0o700);
    const logs = filesUnder(logDir);
    expect(logs).toHaveLength(1);
    expect(path.basename(logs[0]!)).toMatch(/^auth-\d{4}-\d\d-\d\d\.log$/);
    expect(mode(logs[0]!)).toBe(0o600);
    const log = readFileSync(logs[0]!, 'utf8');
    expect(log).toMatch(
      /^\[lark-cli\] auth-response: time=\S+ path=\/oauth\/v1\/device_authorization status=200 x-tt-logid= cmdline=lark-cli auth login \.\.\.$/m,
    );
    expect(log).toMatch(/path=\/open-apis\/authen\/v2\/oauth\/token status=400 .* cmdline=lark-cli auth login \.\.\.$/m);
    expect(log).toMatch(/path=\/open-apis\/authen\/v2\/oauth\/token status=200 /);
    expect(log).toMatch(/path=\/open-apis\/authen\/v1\/user_info status=200 /);

    // no token or secret anywhere the user or a log can see
    const seen = [...outputs.flatMap((r) => [r.stdout, r.stderr]), ...logs.map((f) => readFileSync(f, 'utf8'))].join('\n');
    for (const secret of [SECRET, 'u-login-1', 'ur-login-1']) expect(seen).not.toContain(secret);
  });

  it('--device-code with an unreadable cache warns, deletes it, and a denied poll is an auth error (fixed 5 s interval)', async () => {
    const r0 = await runInProcess(['config', 'init', '--app-id', APP_ID, '--app-secret-stdin', '--brand', h.fake.url], { sandbox: h.sb, stdin: SECRET });
    expect(r0.code).toBe(0);
    const dir = path.join(h.sb.config, 'cache', 'auth_login_scopes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'dc_test_device_code.json'), 'not json');
    h.fake.resetHandlers();
    const denied = createAccountsFake({ appId: APP_ID, appSecret: SECRET, pollSteps: ['access_denied'] });
    h.fake.use(...denied.handlers);
    const t0 = Date.now();
    const r = await runInProcess(['auth', 'login', '--device-code', 'dc_test_device_code', '--json'], { sandbox: h.sb });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[lark-cli] [WARN] auth login: failed to load cached requested scopes: ');
    const env = JSON.parse(r.stderr.slice(r.stderr.indexOf('{')));
    expect(env).toEqual({ ok: false, error: { type: 'auth', message: 'authorization failed: Authorization denied by user' } });
    expect(existsSync(path.join(dir, 'dc_test_device_code.json'))).toBe(false);
    expect(denied.pollCalls).toHaveLength(1);
  });
});
