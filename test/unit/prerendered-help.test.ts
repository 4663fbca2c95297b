/**
 * The help pages the build renders (scripts/prerender-help.mjs → dist/help/) and bin/lark-cli
 * prints as they are when standard output is not a terminal. Every page must be byte for byte
 * what the CLI renders live, with or without a configured profile; the launcher must serve a
 * page only for the exact command line it is named by, and hand everything else to the CLI.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeSandbox, REPO_ROOT, runCli, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

const HELP_DIR = path.join(REPO_ROOT, 'dist', 'help');

let sb: Sandbox;
let pages: string[];

beforeAll(async () => {
  sb = await makeSandbox();
  pages = (await readdir(HELP_DIR)).filter((f) => f.endsWith('.txt')).sort();
  // a profile of the user's own: help must not depend on it
  const r = await runInProcess(['profile', 'add', '--name', 'mine', '--app-id', 'cli_mine', '--app-secret-stdin', '--brand', 'http://127.0.0.1:9/', '--use'], { sandbox: sb, stdin: 'secret\n' });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await sb?.cleanup();
});

/** `lark-cli im +messages-send.txt` → `['im', '+messages-send']`. */
const wordsOf = (page: string) => page.slice(0, -'.txt'.length).split(' ').slice(1);

describe('the pages in dist/help', () => {
  it('cover the top, every group, every im shortcut and every im method', async () => {
    const names = pages.map((p) => wordsOf(p).join(' '));
    expect(names).toContain('');
    for (const group of ['api', 'auth', 'config', 'doctor', 'emulator', 'im', 'profile', 'schema', 'whoami']) expect(names).toContain(group);
    expect(names.filter((n) => /^im \+/.test(n))).toHaveLength(24);
    expect(names).toContain('im chats get');
    expect(names).toContain('im messages merge_forward');
    // hidden commands are rendered live only
    expect(names.some((n) => n.startsWith('completion'))).toBe(false);
  });

  it('are each what the CLI renders live, with a profile configured', async () => {
    const differ: string[] = [];
    for (const page of pages) {
      const words = wordsOf(page);
      const live = await runInProcess([...words, '--help'], { sandbox: sb });
      const stored = await readFile(path.join(HELP_DIR, page), 'utf8');
      expect(live.code).toBe(0);
      if (live.stdout !== stored) differ.push(page);
    }
    expect(differ).toEqual([]);
  }, 60_000);
});

describe.each(['bot', 'user'])('the pages of strict mode %s', (mode) => {
  const env = { LARKSUITE_CLI_APP_ID: 'cli_strict', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_STRICT_MODE: mode };
  const dir = path.join(HELP_DIR, `strict-${mode}`);

  it('each differing page is what the CLI renders in that mode, the others are the same page', async () => {
    const own = new Set(await readdir(dir));
    const differ: string[] = [];
    for (const page of pages) {
      const name = page.slice(0, -'.txt'.length);
      if (own.has(`${name}.live`)) continue;
      const live = await runInProcess([...wordsOf(page), '--help'], { sandbox: sb, env });
      const stored = await readFile(path.join(own.has(page) ? dir : HELP_DIR, page), 'utf8');
      expect(live.code, name).toBe(0);
      if (live.stdout !== stored) differ.push(page);
    }
    expect(differ).toEqual([]);
    // strict mode hides something in either mode: the im page differs
    expect(own.has('lark-cli im.txt')).toBe(true);
  }, 60_000);

  it('each command line marked live is a strict-mode stub, whose help the CLI answers with the error', async () => {
    const live = [...(await readdir(dir))].filter((f) => f.endsWith('.live'));
    expect(live.length).toBeGreaterThan(0);
    for (const f of live) {
      const words = f.slice(0, -'.live'.length).split(' ').slice(1);
      const r = await runInProcess([...words, '--help'], { sandbox: sb, env });
      expect(r.code, f).toBe(2);
      expect(r.errJson().error.type, f).toBe('strict_mode');
    }
  });
});

describe('strict mode from the configuration', () => {
  it("a profile in strict mode gets that mode's page, which hides what the identity cannot call", async () => {
    const strict = await makeSandbox();
    try {
      const add = await runInProcess(['profile', 'add', '--name', 'u', '--app-id', 'cli_u', '--app-secret-stdin', '--use'], { sandbox: strict, stdin: 's\n' });
      expect(add.code, add.stderr).toBe(0);
      const { helpStrictMode } = await import('../../src/help-gate.js');
      expect(await helpStrictMode({ LARKSUITE_CLI_CONFIG_DIR: strict.config })).toBe('off');
      const set = await runInProcess(['config', 'strict-mode', 'user'], { sandbox: strict });
      expect(set.code, set.stderr).toBe(0);
      expect(await helpStrictMode({ LARKSUITE_CLI_CONFIG_DIR: strict.config })).toBe('user');
      // the real launcher: user strict mode's page (no `images` group: its one method is bot-only)
      const r = await runCli(['im', '--help'], { sandbox: strict });
      const live = await runInProcess(['im', '--help'], { sandbox: strict });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(live.stdout);
      expect(r.stdout).not.toMatch(/^ {2}images /m);
      expect(await readFile(path.join(HELP_DIR, 'lark-cli im.txt'), 'utf8')).toMatch(/^ {2}images /m);
    } finally {
      await strict.cleanup();
    }
  });
});

describe('bin/lark-cli with the pages', () => {
  // a copy of the launcher beside a dist/ that holds one marked page and no bundle: what reaches
  // the CLI fails with "not built", so each case shows which way the launcher went
  let pkg: string;
  beforeAll(async () => {
    pkg = path.join(sb.root, 'pkg');
    await mkdir(path.join(pkg, 'bin'), { recursive: true });
    await mkdir(path.join(pkg, 'dist', 'help'), { recursive: true });
    await copyFile(CLI, path.join(pkg, 'bin', 'lark-cli'));
    await copyFile(path.join(REPO_ROOT, 'bin', 'package.json'), path.join(pkg, 'bin', 'package.json'));
    await copyFile(path.join(REPO_ROOT, 'dist', 'help-gate.cjs'), path.join(pkg, 'dist', 'help-gate.cjs'));
    await writeFile(path.join(pkg, 'dist', 'help', 'lark-cli im +messages-send.txt'), 'PAGE of im +messages-send\n');
    await writeFile(path.join(pkg, 'dist', 'help', 'lark-cli.txt'), 'PAGE of lark-cli\n');
    await mkdir(path.join(pkg, 'dist', 'help', 'strict-bot'), { recursive: true });
    await mkdir(path.join(pkg, 'dist', 'help', 'strict-user'), { recursive: true });
    await writeFile(path.join(pkg, 'dist', 'help', 'strict-bot', 'lark-cli im +messages-send.live'), '');
    await writeFile(path.join(pkg, 'dist', 'help', 'strict-user', 'lark-cli im +messages-send.txt'), 'USER PAGE of im +messages-send\n');
  });
  const launch = (args: string[], env: Record<string, string> = {}) => runCli(args, { sandbox: sb, cliPath: path.join(pkg, 'bin', 'lark-cli'), env });

  it.each([
    [['im', '+messages-send', '--help'], 'PAGE of im +messages-send\n'],
    [['im', '+messages-send', '-h'], 'PAGE of im +messages-send\n'],
    [['--help'], 'PAGE of lark-cli\n'],
  ])('serves the page of %j without loading the CLI', async (args, page) => {
    const r = await launch(args);
    expect(r).toMatchObject({ code: 0, stdout: page, stderr: '' });
  });

  it.each([
    [['im', '--help']], // no page
    [['--profile', 'x', 'im', '+messages-send', '--help']], // a flag before the words
    [['im', '+messages-send', '--help', '--as', 'bot']], // --help not last
    [['im', '+messages-send']], // not a help request
    [['im', '../../x', '--help']], // not a command word
  ])('hands %j to the CLI', async (args) => {
    const r = await launch(args);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.errJson().error.message).toMatch(/^lark-cli is not built: /);
  });

  // strict mode: in the copy, +messages-send is a stub under bot (its help rendered by the CLI)
  // and has a page of its own under user; the root page is the same in both
  it.each([
    ['bot, from a tenant token in the environment', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't' }, 'not built'],
    ['bot, from LARKSUITE_CLI_STRICT_MODE', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_STRICT_MODE: 'bot' }, 'not built'],
    ['user, from a user token in the environment', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u' }, 'USER PAGE of im +messages-send\n'],
    ['off, for an app from the environment', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_APP_SECRET: 's' }, 'PAGE of im +messages-send\n'],
    ['off, without an app (LARKSUITE_CLI_STRICT_MODE alone names none)', { LARKSUITE_CLI_STRICT_MODE: 'bot' }, 'PAGE of im +messages-send\n'],
  ])('strict mode %s: the page of that mode', async (_what, env, expected) => {
    const r = await launch(['im', '+messages-send', '--help'], env);
    if (expected === 'not built') {
      expect(r.code).toBe(5);
      expect(r.errJson().error.message).toMatch(/^lark-cli is not built: /);
    } else {
      expect(r).toMatchObject({ code: 0, stdout: expected, stderr: '' });
    }
    const root = await launch(['--help'], env);
    expect(root).toMatchObject({ code: 0, stdout: 'PAGE of lark-cli\n' });
  });

  it('prints the real page for the real CLI', async () => {
    const r = await runCli(['im', '+messages-send', '--help'], { sandbox: sb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(HELP_DIR, 'lark-cli im +messages-send.txt'), 'utf8'));
  });
});
