/**
 * `--json` on every auth subcommand (the original's changelog, v1.0.53): status, check, list and
 * logout print what they printed (JSON already, or logout's message); `auth scopes --json` is the
 * shorthand for `--format json`.
 */
import { describe, expect, it } from 'vitest';
import { createAccountsFake } from '../fake-lark/accounts.js';
import { TEST_APP_ID, writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark();

describe('auth <subcommand> --json', () => {
  it.each([[['status']], [['check', '--scope', 'im:message']], [['list']]])('auth %j --json prints the same JSON', async (args) => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const plain = await h.cli('auth', ...args);
    const json = await h.cli('auth', ...args, '--json');
    expect(json.code).toBe(plain.code);
    expect(json.stdout).toBe(plain.stdout);
    expect(json.stderr).toBe(plain.stderr);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('auth logout --json logs out', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    const r = await h.cli('auth', 'logout', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('OK: Logged out\n');
    expect((await h.cli('auth', 'list')).stderr).toContain('No logged-in users');
  });

  it('auth scopes --json is --format json; a given --format wins', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    h.fake.use(...createAccountsFake().handlers);
    let r = await h.cli('auth', 'scopes', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ appId: TEST_APP_ID, tokenType: 'user' });
    r = await h.cli('auth', 'scopes', '--json', '--format', 'pretty');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Enabled scopes (2):');
  });
});
