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
    await writeFile(path.join(pkg, 'dist', 'help', 'lark-cli im +messages-send.txt'), 'PAGE of im +messages-send\n');
    await writeFile(path.join(pkg, 'dist', 'help', 'lark-cli.txt'), 'PAGE of lark-cli\n');
  });
  const launch = (args: string[]) => runCli(args, { sandbox: sb, cliPath: path.join(pkg, 'bin', 'lark-cli') });

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

  it('prints the real page for the real CLI', async () => {
    const r = await runCli(['im', '+messages-send', '--help'], { sandbox: sb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(HELP_DIR, 'lark-cli im +messages-send.txt'), 'utf8'));
  });
});
