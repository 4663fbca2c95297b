/**
 * The local scope pre-check of shortcuts run as a user (docs/compatibility.md), checked
 * in-process with a fixture shortcut mounted through `run(io, args, { extraShortcuts })`; and the
 * shortcut half of `auth login --domain im` with the same fixture.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { defineShortcut } from '../../src/shortcut/define.js';
import { memoryIo } from '../helpers/memory-io.js';
import { sandboxEnv } from '../helpers/cli.js';
import { useFakeLark, expectFailure } from '../helpers/fake-lark-hooks.js';
import { readStoredUserToken, TEST_USER_TOKEN, writeTestAccount } from '../helpers/accounts.js';
import { createAccountsFake } from '../fake-lark/accounts.js';

let executed = 0;
const fixture = defineShortcut({
  service: 'im',
  command: '+scope-fixture',
  description: 'test fixture: needs im:message and im:chat:read as a user',
  authTypes: ['user', 'bot'],
  scopes: ['im:message'],
  userScopes: ['im:message', 'im:chat:read'],
  botScopes: ['im:message:send_as_bot'],
  flags: [],
  async execute(rt) {
    executed++;
    await rt.out({ ran: true });
  },
});
const botOnly = defineShortcut({
  service: 'im',
  command: '+bot-fixture',
  description: 'test fixture: bot only',
  authTypes: ['bot'],
  scopes: ['im:fixture:bot_only_scope'],
  flags: [],
  async execute(rt) {
    await rt.out({});
  },
});

const userFixture = defineShortcut({
  service: 'im',
  command: '+user-fixture',
  description: 'test fixture: user scopes override the generic ones',
  scopes: ['im:fixture:generic_scope'],
  userScopes: ['im:fixture:user_scope'],
  flags: [],
  async execute(rt) {
    await rt.out({});
  },
});

const h = useFakeLark();
beforeEach(() => {
  executed = 0;
});

async function runIn(args: string[]) {
  const io = memoryIo({ env: sandboxEnv(h.sb), cwd: h.sb.work });
  const code = await run(io, args, { extraShortcuts: [fixture, botOnly, userFixture] });
  return { code, stdout: io.out(), stderr: io.err() };
}

// an address nothing listens on: any request would fail with a network error
const DEAD = 'http://127.0.0.1:9';

describe('scope pre-check of a user shortcut', () => {
  it('fails with missing_scope before running when a declared user scope is not granted', async () => {
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'im:message offline_access' } } });
    const r = await runIn(['im', '+scope-fixture', '--as', 'user']);
    expectFailure(r, 3, 'user', {
      type: 'missing_scope',
      message: 'missing required scope(s): im:chat:read',
      hint: 'run `lark-cli auth login --scope "im:chat:read"` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.',
    });
    expect(executed).toBe(0);
  });

  it('lists every missing scope', async () => {
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'offline_access' } } });
    const r = await runIn(['im', '+scope-fixture', '--as', 'user']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr).error.message).toBe('missing required scope(s): im:message, im:chat:read');
    expect(JSON.parse(r.stderr).error.hint).toContain('--scope "im:message im:chat:read"');
  });

  it('runs when every scope is granted (auto-detected user identity too)', async () => {
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'im:chat:read im:message' } } });
    const r = await runIn(['im', '+scope-fixture']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, identity: 'user', data: { ran: true } });
    expect(executed).toBe(1);
  });

  it('never refreshes: a token in its refresh window is checked as stored', async () => {
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'im:message', expiresAt: Date.now() + 60_000 } } });
    const before = readStoredUserToken(h.sb);
    const r = await runIn(['im', '+scope-fixture', '--as', 'user']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr).error.type).toBe('missing_scope');
    expect(readStoredUserToken(h.sb)).toEqual(before);
    expect(before!.accessToken).toBe(TEST_USER_TOKEN);
  });

  it('is skipped for an expired token, for bot identity and for environment tokens', async () => {
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'none', expiresAt: 1, refreshExpiresAt: 2 } } });
    let r = await runIn(['im', '+scope-fixture', '--as', 'user']);
    expect(r.code, r.stderr).toBe(0);
    await writeTestAccount(h.sb, { brand: DEAD, user: { token: { scope: 'none' } } });
    r = await runIn(['im', '+scope-fixture', '--as', 'bot']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).identity).toBe('bot');
    const io = memoryIo({
      env: { ...sandboxEnv(h.sb), LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-env', LARKSUITE_CLI_BRAND: DEAD },
      cwd: h.sb.work,
    });
    const code = await run(io, ['im', '+scope-fixture', '--as', 'user'], { extraShortcuts: [fixture] });
    expect(code, io.err()).toBe(0);
    expect(executed).toBe(3);
  });
});

describe('auth login --domain im collects the user scopes of user shortcuts', () => {
  it('includes userScopes of user shortcuts and skips bot-only ones', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const accounts = createAccountsFake();
    h.fake.use(...accounts.handlers);
    const r = await runIn(['auth', 'login', '--domain', 'im', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    const scopes = accounts.deviceAuthCalls[0]!.form.scope!.split(' ');
    expect(scopes).toContain('im:fixture:user_scope');
    expect(scopes).not.toContain('im:fixture:generic_scope');
    expect(scopes).toContain('im:chat:read');
    expect(scopes).toContain('im:message');
    expect(scopes).not.toContain('im:message:send_as_bot');
    expect(scopes).not.toContain('im:fixture:bot_only_scope');
    // --recommend keeps only auto-approve scopes: the fixture's unknown scope goes
    const rec = await runIn(['auth', 'login', '--domain', 'im', '--recommend', '--no-wait']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(accounts.deviceAuthCalls[1]!.form.scope!.split(' ')).not.toContain('im:fixture:user_scope');
  });
});
