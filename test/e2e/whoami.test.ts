/**
 * `lark-cli whoami`: the identity the next call would use, how it was chosen, and whether it is
 * usable; JSON on stdout, local only (no request).
 */
import { describe, expect, it } from 'vitest';
import { botEnv } from '../helpers/cli.js';
import { TEST_USER_NAME, TEST_USER_OPEN_ID, writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark();

async function whoami(args: string[], env: Record<string, string> = {}) {
  const r = await h.run(['whoami', ...args], { env });
  expect(h.fake.requests).toHaveLength(0);
  return r;
}

describe('whoami', () => {
  it('a logged-in user is auto-detected', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const r = await whoami([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json()).toEqual({
      profile: 'cli_test',
      appId: 'cli_test',
      brand: h.fake.url,
      defaultAs: 'auto',
      identity: 'user',
      identitySource: 'auto_detect',
      available: true,
      tokenStatus: 'ready',
      onBehalfOf: { userName: TEST_USER_NAME, openId: TEST_USER_OPEN_ID },
    });
    // the hidden --json is accepted and changes nothing
    expect((await whoami(['--json'])).stdout).toBe(r.stdout);
  });

  it('--as bot is the flag', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const r = await whoami(['--as', 'bot']);
    expect(r.json()).toMatchObject({ identity: 'bot', identitySource: 'flag', available: true, tokenStatus: 'ready' });
    expect(r.json().onBehalfOf).toBeUndefined();
  });

  it('--as user without a login: missing, with the login hint', async () => {
    const r = await whoami(['--as', 'user'], botEnv(h.fake));
    expect(r.json()).toEqual({
      profile: '',
      appId: 'cli_test',
      brand: h.fake.url,
      defaultAs: 'auto',
      identity: 'user',
      identitySource: 'flag',
      available: false,
      tokenStatus: 'missing',
      hint: 'run: lark-cli auth login --help',
    });
  });

  it('default-as and strict mode are named as the source', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, defaultAs: 'bot', user: {} });
    expect((await whoami([])).json()).toMatchObject({ identity: 'bot', identitySource: 'default_as', defaultAs: 'bot' });
    await h.freshSandbox();
    await writeTestAccount(h.sb, { brand: h.fake.url, strictMode: 'bot', user: {} });
    expect((await whoami(['--as', 'user'])).json()).toMatchObject({ identity: 'bot', identitySource: 'strict_mode' });
  });

  it('an expired user token is not available', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { expiresAt: Date.now() - 1000, refreshExpiresAt: Date.now() - 1000 } } });
    const r = await whoami(['--as', 'user']);
    expect(r.json()).toMatchObject({ identity: 'user', available: false, tokenStatus: 'missing', hint: 'run: lark-cli auth login --help' });
  });

  it('not configured: the config error envelope, exit 3', async () => {
    const r = await whoami([]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toMatchObject({ type: 'config', message: 'not configured' });
  });

  it('an unsupported --as is a validation error', async () => {
    const r = await whoami(['--as', 'robot'], botEnv(h.fake));
    expect(r.code).toBe(2);
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--as robot is not supported, this command only supports: user, bot' });
  });
});
