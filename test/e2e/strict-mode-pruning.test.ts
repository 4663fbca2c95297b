/**
 * Strict mode prunes the command tree at start-up: a shortcut, a generic method or `auth login`
 * that the forced identity cannot run is a hidden stub. Help does not list it, completion does
 * not offer it, and whatever it is given (`--help`, missing or unknown flags) fails with the
 * strict-mode error, exit 2, with no identity in the envelope, and nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { SHORTCUT_TABLE } from '../../src/im/shortcuts/index.js';
import { supportedIdentities } from '../../src/shortcut/define.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await makeSandbox();
});
afterAll(async () => {
  await sb?.cleanup();
});

// unroutable: a stub that sent anything would fail with a network error, not strict_mode
const envFor = (strict: string) => ({ LARKSUITE_CLI_APP_ID: 'cli_strict', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_STRICT_MODE: strict, LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9' });

const strictError = (mode: string) => ({
  ok: false,
  error: {
    type: 'strict_mode',
    message: `strict mode is "${mode}", only ${mode} identity is allowed. This setting is managed by the administrator and must not be modified by AI agents.`,
  },
});

async function shortcutsByIdentity(): Promise<Record<'user' | 'bot', string[]>> {
  const defs = await Promise.all(SHORTCUT_TABLE.map(async (e) => (await e.load()).default));
  return {
    user: defs.filter((d) => supportedIdentities(d).includes('user')).map((d) => d.command),
    bot: defs.filter((d) => supportedIdentities(d).includes('bot')).map((d) => d.command),
  };
}

describe.each(['bot', 'user'] as const)('strict mode %s', (mode) => {
  it('im --help lists exactly the shortcuts the forced identity can run', async () => {
    const can = (await shortcutsByIdentity())[mode];
    const r = await runInProcess(['im', '--help'], { sandbox: sb, env: envFor(mode) });
    expect(r.code).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}(\+[a-z-]+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...can].sort());
    expect(listed.length).toBeLessThan(SHORTCUT_TABLE.length);
  });

  it('a shortcut it cannot run fails with the strict-mode error whatever it is given', async () => {
    const { user, bot } = await shortcutsByIdentity();
    const other = (mode === 'bot' ? user.filter((c) => !bot.includes(c)) : bot.filter((c) => !user.includes(c)))[0]!;
    expect(other).toBeDefined();
    for (const args of [[other], [other, '--help'], [other, '--no-such-flag', 'x'], [other, '--as', mode, '--dry-run']]) {
      const r = await runInProcess(['im', ...args], { sandbox: sb, env: envFor(mode) });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.errJson(), args.join(' ')).toEqual(strictError(mode));
    }
  });

  it('completion does not offer what the forced identity cannot run', async () => {
    const { user, bot } = await shortcutsByIdentity();
    const r = await runInProcess(['__complete', 'im', '+'], { sandbox: sb, env: envFor(mode) });
    const offered = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    expect(offered.sort()).toEqual([...(mode === 'bot' ? bot : user)].sort());
  });
});

describe('auth login in bot strict mode', () => {
  it('is not listed, and fails with the strict-mode error whatever it is given', async () => {
    const help = await runInProcess(['auth', '--help'], { sandbox: sb, env: envFor('bot') });
    expect(help.code).toBe(0);
    expect(help.stdout).not.toMatch(/^ {2}login /m);
    expect(help.stdout).toMatch(/^ {2}status /m);
    for (const args of [['auth', 'login'], ['auth', 'login', '--help'], ['auth', 'login', '--bogus']]) {
      const r = await runInProcess(args, { sandbox: sb, env: envFor('bot') });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.errJson(), args.join(' ')).toEqual(strictError('bot'));
    }
  });

  it('is listed in user strict mode and without strict mode', async () => {
    for (const mode of ['user', 'off']) {
      const help = await runInProcess(['auth', '--help'], { sandbox: sb, env: envFor(mode) });
      expect(help.stdout, mode).toMatch(/^ {2}login /m);
    }
  });

  it('the built CLI prints the help it renders, not the page rendered without strict mode', async () => {
    const r = await runCli(['auth', '--help'], { sandbox: sb, env: envFor('bot') });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^ {2}login /m);
  });
});
