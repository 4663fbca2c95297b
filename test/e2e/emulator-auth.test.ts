/**
 * User stories of authorization, the real CLI (bin/lark-cli) against an in-process emulator:
 * `config init` pointed at it, `auth login` by the device flow (approved at once as the seed's
 * login_as user), acting as the user, the user token expiring on the clock and refreshed exactly
 * once, `auth status`, `auth logout`; and missing scopes refused with the CLI's hints, both by its
 * local pre-check and by the platform (an app scope disabled after the login).
 *
 * Time: the emulator's clock moves with POST /_emulator/clock; the CLI judges its stored token by
 * its own clock, so the CLI runs that must see the same future get a preload that moves Date.now
 * forward by as much (the way a real user's clock would have moved on).
 *
 * Needs the built CLI (flock -s /tmp/lark-build.lock).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type RunCliResult, type Sandbox } from '../helpers/cli.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

const h = useEmulator();
let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox();
});
afterEach(async () => {
  await sb.cleanup();
});

const QUIET = { TZ: 'UTC', NO_COLOR: '1', LARKSUITE_CLI_RETRY_BASE_MS: '20' };

/** A preload that moves the CLI's clock forward by SHIFT_MS. */
function clockShim(): string {
  const file = path.join(sb.root, 'clock-shift.cjs');
  writeFileSync(file, 'const real = Date.now; const shift = Number(process.env.SHIFT_MS || 0); Date.now = () => real() + shift;\n');
  return file;
}

function cli(args: string[], o: { stdin?: string; shiftSeconds?: number } = {}): Promise<RunCliResult> {
  const env: Record<string, string> = { ...QUIET };
  if (o.shiftSeconds) Object.assign(env, { NODE_OPTIONS: `--require ${clockShim()}`, SHIFT_MS: String(o.shiftSeconds * 1000) });
  return runCli(args, { sandbox: sb, env, stdin: o.stdin, timeoutMs: 30_000 });
}

function envelope(stderr: string): any {
  return JSON.parse(stderr.slice(stderr.indexOf('{')));
}

/** JSON lines on stdout. */
const lines = (r: RunCliResult) => r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));

async function configInit(): Promise<void> {
  const r = await cli(['config', 'init', '--app-id', DEMO.appId, '--app-secret-stdin', '--brand', h.url], { stdin: `${DEMO.appSecret}\n` });
  expect(r.code, r.stderr).toBe(0);
  expect(r.json()).toEqual({ appId: DEMO.appId, appSecret: '****', brand: h.url });
}

async function login(scopeArgs: string[]): Promise<any> {
  const r = await cli(['auth', 'login', ...scopeArgs, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const out = lines(r);
  expect(out[0]).toMatchObject({ event: 'device_authorization', verification_uri: `${h.url}/_emulator/device`, verification_uri_complete: expect.stringContaining(`${h.url}/_emulator/device?user_code=`) });
  expect(out[1]).toMatchObject({ event: 'authorization_complete', user_open_id: DEMO.alice, user_name: 'Alice Chen' });
  return out[1];
}

const refreshGrants = () => h.journal().filter((e) => e.path === '/open-apis/authen/v2/oauth/token' && (e.body as { grant_type?: string })?.grant_type === 'refresh_token');

describe('login by device flow, act as the user, expire, refresh once', () => {
  it('config init -> auth login -> a user command -> the clock moves past expiry -> one refresh -> status -> logout', async () => {
    await configInit();
    const done = await login(['--domain', 'im']);
    expect(done.missing).toEqual([]);
    expect(done.granted).toContain('offline_access');
    // the device flow as the platform saw it: authorization (Basic auth), one poll, user_info
    const oauth = h.journal().filter((e) => e.path.startsWith('/oauth/') || e.path.startsWith('/open-apis/authen/'));
    expect(oauth.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/oauth/v1/device_authorization', 200],
      ['POST', '/open-apis/authen/v2/oauth/token', 200],
      ['GET', '/open-apis/authen/v1/user_info', 200],
    ]);
    expect(oauth[2]!.identity).toBe('user');
    expect(oauth[2]!.open_id).toBe(DEMO.alice);

    // a user command
    const get = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.json()).toMatchObject({ code: 0, data: { name: expect.any(String) } });
    const asUser = h.journal().filter((e) => e.path === `/open-apis/im/v1/chats/${DEMO.project}`);
    expect(asUser.map((e) => [e.identity, e.open_id, e.status])).toEqual([['user', DEMO.alice, 200]]);

    // the emulator's clock moves on: the token is expired there; a CLI whose clock did not move
    // still sends it and is told so (99991677 -> an auth error with the re-login hint)
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 7300 } });
    const stale = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user']);
    expect(stale.code).toBe(3);
    expect(envelope(stale.stderr).error).toMatchObject({ type: 'auth', code: 99991677, hint: 'run: lark-cli auth login to re-authorize' });
    expect(refreshGrants()).toHaveLength(0);

    // with the CLI's clock moved as far: it refreshes exactly once, then succeeds
    h.emu.journal.length = 0;
    const after = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user'], { shiftSeconds: 7300 });
    expect(after.code, after.stderr).toBe(0);
    expect(after.json().code).toBe(0);
    expect(refreshGrants()).toHaveLength(1);
    expect(refreshGrants()[0]!.status).toBe(200);
    expect(h.journal().filter((e) => e.path === `/open-apis/im/v1/chats/${DEMO.project}`).map((e) => e.status)).toEqual([200]);
    // the old refresh token is spent (rotation) and the new one is stored: a second command needs no refresh
    const again = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user'], { shiftSeconds: 7300 });
    expect(again.code, again.stderr).toBe(0);
    expect(refreshGrants()).toHaveLength(1);
    expect([...h.emu.db.t.refresh_tokens.values()].filter((t) => t.used)).toHaveLength(1);

    const status = await cli(['auth', 'status', '--verify'], { shiftSeconds: 7300 });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ appId: DEMO.appId, brand: h.url, identity: 'user', tokenStatus: 'valid', userOpenId: DEMO.alice, userName: 'Alice Chen', verified: true });
    expect(status.json().scope).toContain('offline_access');

    const out = await cli(['auth', 'logout']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('OK: Logged out');
    const st2 = await cli(['auth', 'status']);
    expect(st2.json()).toMatchObject({ identity: 'bot' });
    const gone = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user']);
    expect(gone.code).toBe(3);
    expect(envelope(gone.stderr).error.type).toBe('auth');
  }, 60_000);

  it('auth scopes lists the app user scopes the emulator reports', async () => {
    await configInit();
    const r = await cli(['auth', 'scopes']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({ appId: DEMO.appId, brand: h.url, tokenType: 'user' });
    expect(out.userScopes).toContain('offline_access');
    expect(out.userScopes).toContain('im:chat:readonly');
    expect(out.count).toBe(out.userScopes.length);
  });

  it('config init --new registers a new app on the emulator (approved at once) and saves it', async () => {
    const r = await cli(['config', 'init', '--new', '--brand', h.url, '--lang', 'en']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out).toEqual({ appId: expect.stringMatching(/^cli_/), appSecret: '****', brand: h.url });
    expect(r.stderr).toContain(`${h.url}/page/cli?user_code=`);
    const app = h.emu.db.get('apps', out.appId)!;
    expect(app.scopes).toBe('*');
    // the saved app works: a bot call through it
    const chats = await cli(['auth', 'scopes']);
    expect(chats.code, chats.stderr).toBe(0);
    expect(chats.json().appId).toBe(out.appId);
  });
});

describe('missing scopes are refused with the CLI hints', () => {
  it('a narrow login: the pre-check refuses a send with missing_scope and the login hint; logging in with it then works', async () => {
    await configInit();
    const done = await login(['--scope', 'im:chat:readonly']);
    expect(done.granted).toEqual(['im:chat:readonly', 'offline_access']);
    const send = await cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'hello', '--as', 'user']);
    expect(send.code).toBe(3);
    const e = envelope(send.stderr).error;
    expect(e).toMatchObject({ type: 'missing_scope', message: 'missing required scope(s): im:message.send_as_user, im:message' });
    expect(e.hint).toContain('lark-cli auth login --scope "im:message.send_as_user im:message"');
    expect(h.journal().filter((x) => x.path === '/open-apis/im/v1/messages')).toEqual([]);

    // following the hint
    const more = await login(['--scope', 'im:message.send_as_user im:message']);
    expect(more.missing).toEqual([]);
    expect(more.granted).toEqual(expect.arrayContaining(['im:chat:readonly', 'im:message', 'im:message.send_as_user']));
    const ok = await cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'hello', '--as', 'user']);
    expect(ok.code, ok.stderr).toBe(0);
    const sent = h.journal().filter((x) => x.method === 'POST' && x.path === '/open-apis/im/v1/messages');
    expect(sent.map((x) => [x.identity, x.open_id, x.status])).toEqual([['user', DEMO.alice, 200]]);
  }, 60_000);

  it('a scope the app no longer has: the platform refuses (99991672) and the CLI shows the console hint', async () => {
    await configInit();
    await login(['--scope', 'im:chat:readonly im:chat:read']);
    // an administrator disables the app's chat scopes after the login
    const app = h.emu.db.get('apps', DEMO.appId)!;
    h.emu.db.put('apps', DEMO.appId, { ...app, scopes: ['im:message', 'offline_access'] });
    const r = await cli(['im', 'chats', 'get', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'user']);
    expect(r.code).toBe(1);
    const e = envelope(r.stderr).error;
    expect(e).toMatchObject({ type: 'permission', code: 99991672, hint: 'enable the scope in developer console (see console_url)' });
    expect(e.message).toMatch(/^App scope not enabled: required scope im:chat\S* \[99991672\]$/);
    expect(e.console_url).toMatch(new RegExp(`^https://open\\.feishu\\.cn/page/scope-apply\\?clientID=${DEMO.appId}&scopes=im%3Achat`));
    const refused = h.journal().filter((x) => x.path === `/open-apis/im/v1/chats/${DEMO.project}`);
    expect(refused.map((x) => [x.status, x.code])).toEqual([[400, 99991672]]);
    expect(refused[0]!.verdict).toMatch(/has none of the scopes/);
  }, 60_000);
});
