/**
 * Refreshing the stored user token (docs/auth.md; docs/compatibility.md): ahead of expiry,
 * once for many processes, keeping the tokens on network failures and forgetting them when the
 * server rejects the refresh token.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { createAccountsFake, type AccountsFakeOptions, type AccountsFake } from '../fake-lark/accounts.js';
import { runCli } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import {
  readStoredUserToken,
  TEST_APP_ID,
  TEST_APP_SECRET,
  TEST_REFRESH_TOKEN,
  TEST_USER_OPEN_ID,
  TEST_USER_TOKEN,
  writeTestAccount,
} from '../helpers/accounts.js';

const CHAT = '/open-apis/im/v1/chats/oc_1';
const TOKEN_PATH = '/open-apis/authen/v2/oauth/token';

const h = useFakeLark({ eachTest: () => [http.get(`*${CHAT}`, () => larkOk({ chat_id: 'oc_1' }))] });

function mount(o: AccountsFakeOptions): AccountsFake {
  const a = createAccountsFake({ acceptedRefreshTokens: [TEST_REFRESH_TOKEN], ...o });
  h.fake.use(...a.handlers);
  return a;
}

/** A logged-in user whose access token is inside the 5-minute refresh window. */
async function userNeedingRefresh(over: { expiresAt?: number; refreshExpiresAt?: number } = {}) {
  await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() + 60_000, ...over } } });
}

const callAsUser = (extra: string[] = [], runner = runInProcess) => runner(['api', 'GET', CHAT, '--as', 'user', ...extra], { sandbox: h.sb });

function envelope(stderr: string): any {
  return JSON.parse(stderr.slice(stderr.indexOf('{')));
}

describe('refresh ahead of expiry', () => {
  it('eight processes started together make exactly one refresh request and all use the new token', async () => {
    await userNeedingRefresh();
    const accounts = mount({ refreshDelayMs: 400 });
    // processes, each with its own token cache: the lock between them is what is tested
    const results = await Promise.all(Array.from({ length: 8 }, () => callAsUser([], runCli)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(accounts.refreshCalls).toHaveLength(1);
    expect(accounts.refreshCalls[0]).toEqual({
      client_id: TEST_APP_ID,
      client_secret: TEST_APP_SECRET,
      grant_type: 'refresh_token',
      refresh_token: TEST_REFRESH_TOKEN,
    });
    const refreshReq = h.fake.requestsTo(TOKEN_PATH)[0]!;
    expect(refreshReq.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(refreshReq.headers['x-cli-source']).toBe('lark-cli');
    const calls = h.fake.requestsTo(CHAT);
    expect(calls).toHaveLength(8);
    for (const c of calls) expect(c.headers.authorization).toBe('Bearer u-refreshed-1');
    // processes that waited for the lock say so
    const waited = results.filter((r) => r.stderr.includes('[lark-cli] uat-client: token already refreshed by another process\n'));
    expect(waited.length).toBeGreaterThan(0);
    const stored = readStoredUserToken(h.sb)!;
    expect(stored.accessToken).toBe('u-refreshed-1');
    expect(stored.refreshToken).toBe('ur-refreshed-1');
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 7000_000);
    // the lock file keeps the documented name
    expect(readdirSync(path.join(h.sb.config, 'locks'))).toContain(`refresh_${TEST_APP_ID}_${TEST_USER_OPEN_ID}.lock`);
    // the refresh response is in the auth log, without the tokens
    const logDir = path.join(h.sb.config, 'logs');
    const log = readdirSync(logDir).map((f) => readFileSync(path.join(logDir, f), 'utf8')).join('');
    expect(log).toMatch(/path=\/open-apis\/authen\/v2\/oauth\/token status=200 x-tt-logid= cmdline=lark-cli api GET \.\.\.$/m);
    const seen = [log, ...results.flatMap((r) => [r.stdout, r.stderr])].join('\n');
    for (const s of [TEST_APP_SECRET, TEST_USER_TOKEN, TEST_REFRESH_TOKEN, 'u-refreshed-1', 'ur-refreshed-1']) expect(seen).not.toContain(s);
  });

  it('a valid token is used without any refresh', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const accounts = mount({});
    const r = await callAsUser();
    expect(r.code, r.stderr).toBe(0);
    expect(accounts.refreshCalls).toHaveLength(0);
    expect(h.fake.requestsTo(CHAT)[0]!.headers.authorization).toBe(`Bearer ${TEST_USER_TOKEN}`);
  });

  it('--dry-run does not refresh', async () => {
    await userNeedingRefresh();
    const accounts = mount({});
    const r = await callAsUser(['--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(accounts.refreshCalls).toHaveLength(0);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('refresh failures', () => {
  it('a network failure keeps the stored tokens and exits 4', async () => {
    await userNeedingRefresh();
    const before = readStoredUserToken(h.sb)!;
    const accounts = mount({ refreshSteps: ['drop'] });
    const r = await callAsUser();
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toBe('');
    const env = envelope(r.stderr);
    expect(env.ok).toBe(false);
    expect(env.error.type).toBe('network');
    expect(env.error.message).toMatch(/^API call failed: token refresh read error: /);
    expect(accounts.refreshCalls).toHaveLength(1);
    expect(h.fake.requestsTo(CHAT)).toHaveLength(0);
    expect(readStoredUserToken(h.sb)).toEqual(before);

    // once the network is back, the same record refreshes fine
    h.fake.resetHandlers();
    h.fake.use(http.get(`*${CHAT}`, () => larkOk({ chat_id: 'oc_1' })));
    mount({});
    const r2 = await callAsUser();
    expect(r2.code, r2.stderr).toBe(0);
    expect(readStoredUserToken(h.sb)!.accessToken).toBe('u-refreshed-1');
  });

  it('a rejected refresh token (20037) deletes the record and asks to log in again', async () => {
    await userNeedingRefresh();
    const accounts = mount({ refreshSteps: ['expired'] });
    const r = await callAsUser();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`[lark-cli] [WARN] uat-client: refresh failed (code=20037), clearing token for ${TEST_USER_OPEN_ID}\n`);
    expect(envelope(r.stderr)).toEqual({
      ok: false,
      identity: 'user',
      // generic commands prefix token failures with `API call failed: ` (docs/generic-commands.md)
      error: {
        type: 'auth',
        message: `API call failed: need_user_authorization (user: ${TEST_USER_OPEN_ID})`,
        hint: 'run: lark-cli auth login to re-authorize',
      },
    });
    expect(accounts.refreshCalls).toHaveLength(1);
    expect(readStoredUserToken(h.sb)).toBeUndefined();
    expect(h.fake.requestsTo(CHAT)).toHaveLength(0);
  });

  it('a transient 20050 is retried once and then succeeds', async () => {
    await userNeedingRefresh();
    const accounts = mount({ refreshSteps: ['transient', 'success'] });
    const r = await callAsUser();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`[lark-cli] [WARN] uat-client: refresh transient error (code=20050) for ${TEST_USER_OPEN_ID}, retrying once\n`);
    expect(accounts.refreshCalls).toHaveLength(2);
    expect(h.fake.requestsTo(CHAT)[0]!.headers.authorization).toBe('Bearer u-refreshed-1');
  });

  it('20050 twice clears the token', async () => {
    await userNeedingRefresh();
    const accounts = mount({ refreshSteps: ['transient', 'transient'] });
    const r = await callAsUser();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`[lark-cli] [WARN] uat-client: refresh failed after retry (code=20050) for ${TEST_USER_OPEN_ID}, clearing token\n`);
    expect(accounts.refreshCalls).toHaveLength(2);
    expect(readStoredUserToken(h.sb)).toBeUndefined();
  });

  it('an expired refresh token is not sent: the record is deleted', async () => {
    await userNeedingRefresh({ expiresAt: Date.now() - 1000, refreshExpiresAt: Date.now() - 500 });
    const accounts = mount({});
    const r = await callAsUser();
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error.message).toBe(`API call failed: need_user_authorization (user: ${TEST_USER_OPEN_ID})`);
    expect(accounts.refreshCalls).toHaveLength(0);
    expect(readStoredUserToken(h.sb)).toBeUndefined();
  });

  it('an unreadable refresh answer is an auth error that keeps the record', async () => {
    await userNeedingRefresh();
    const before = readStoredUserToken(h.sb)!;
    mount({ refreshSteps: ['garbage'] });
    const r = await callAsUser();
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error.message).toMatch(/^API call failed: token refresh parse error: /);
    expect(readStoredUserToken(h.sb)).toEqual(before);
  });
});
