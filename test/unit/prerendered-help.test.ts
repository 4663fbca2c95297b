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

describe('strict mode from the configuration', () => {
  it('a profile in strict mode gets the help the CLI renders, which hides what the identity cannot call', async () => {
    const strict = await makeSandbox();
    try {
      const add = await runInProcess(['profile', 'add', '--name', 'u', '--app-id', 'cli_u', '--app-secret-stdin', '--use'], { sandbox: strict, stdin: 's\n' });
      expect(add.code, add.stderr).toBe(0);
      const { prerenderedHelpApplies } = await import('../../src/help-gate.js');
      expect(await prerenderedHelpApplies({ LARKSUITE_CLI_CONFIG_DIR: strict.config })).toBe(true);
      const set = await runInProcess(['config', 'strict-mode', 'user'], { sandbox: strict });
      expect(set.code, set.stderr).toBe(0);
      expect(await prerenderedHelpApplies({ LARKSUITE_CLI_CONFIG_DIR: strict.config })).toBe(false);
      // the real launcher: the live help (no `images` group: its one method is bot-only), not the page
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

  it.each([
    ['LARKSUITE_CLI_STRICT_MODE', { LARKSUITE_CLI_STRICT_MODE: 'bot' }],
    ['a tenant token in the environment (strict mode bot)', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't' }],
    ['a user token in the environment (strict mode user)', { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u' }],
  ])('hands a help request to the CLI under %s (strict mode hides commands)', async (_what, env) => {
    const r = await launch(['im', '+messages-send', '--help'], env);
    expect(r.code).toBe(5);
    expect(r.errJson().error.message).toMatch(/^lark-cli is not built: /);
  });

  it('serves the page for an app from the environment (strict mode off)', async () => {
    const r = await launch(['im', '+messages-send', '--help'], { LARKSUITE_CLI_APP_ID: 'cli_x', LARKSUITE_CLI_APP_SECRET: 's' });
    expect(r).toMatchObject({ code: 0, stdout: 'PAGE of im +messages-send\n' });
  });

  it('prints the real page for the real CLI', async () => {
    const r = await runCli(['im', '+messages-send', '--help'], { sandbox: sb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(HELP_DIR, 'lark-cli im +messages-send.txt'), 'utf8'));
  });
});
