#!/usr/bin/env node
/**
 * Renders every help page of the built CLI into dist/help/, one file per page, named after the
 * command line that shows it: `dist/help/lark-cli im +messages-send.txt` holds what
 * `lark-cli im +messages-send --help` prints. bin/lark-cli answers `<words…> --help` (or `-h`)
 * from these files when standard output is not a terminal, without loading the CLI: ~10 ms
 * instead of ~20 over bare node. On a terminal the help is rendered live (commander wraps it to
 * the window's width). scripts/bundle.mjs runs this after the bundle is written:
 *
 *   node scripts/prerender-help.mjs <dist/cli.cjs> <dist/help>
 *
 * in a throw-away home with no configuration. The pages are found by walking the command tree
 * through the completion protocol (`__complete <words…> ''` lists a group's visible subcommands);
 * a page is kept only when its own Usage line names exactly its words, so an argument value that
 * completion offers (which would print its parent's page) is never stored under its own name.
 * Hidden commands have no page and are always rendered live. The pages of each strict mode that
 * differ are rendered too (below). test/unit/prerendered-help.test.ts compares every page with
 * the live rendering.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The words a page may be named by (bin/lark-cli's HELP_WORD: the same ones). */
const HELP_WORD = /^\+?[a-z0-9][a-z0-9._-]*$/;

const [bundle, outDir] = process.argv.slice(2);
if (!bundle || !outDir) {
  process.stderr.write('usage: node scripts/prerender-help.mjs <dist/cli.cjs> <dist/help>\n');
  process.exit(2);
}
const cli = createRequire(import.meta.url)(bundle);

async function render(args, env = process.env) {
  const out = [];
  const err = [];
  const sink = (chunks) => ({ write: (s) => (chunks.push(Buffer.from(s)), true), isTTY: false });
  const io = {
    stdout: sink(out),
    stderr: sink(err),
    readStdin: async () => {
      throw new Error('stdin is not available');
    },
    stdinIsTTY: false,
    env,
    cwd: process.cwd(),
    argv: ['lark-cli', ...args],
  };
  const code = await cli.run(io, args);
  return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}

const pages = new Map();
const queue = [[]];
const visited = new Set();
while (queue.length) {
  const words = queue.shift();
  const name = ['lark-cli', ...words].join(' ');
  if (visited.has(name)) continue;
  visited.add(name);
  const page = await render([...words, '--help']);
  if (page.code !== 0 || page.err !== '') continue;
  const usage = `Usage: ${name}`;
  if (!(page.out.startsWith(`${usage} `) || page.out.startsWith(`${usage}\n`))) continue;
  pages.set(name, page.out);
  const subs = await render(['__complete', ...words, '']);
  for (const line of subs.out.split('\n')) {
    const word = line.split('\t')[0];
    if (word && HELP_WORD.test(word)) queue.push([...words, word]);
  }
}
if (!pages.has('lark-cli') || !pages.has('lark-cli im')) throw new Error(`prerender-help: the top and im pages are missing (found ${pages.size})`);
mkdirSync(outDir, { recursive: true });
for (const [name, text] of pages) writeFileSync(join(outDir, `${name}.txt`), text);

// Strict mode hides what the forced identity cannot run: under dist/help/strict-<mode>/, a page
// that differs is stored as `<name>.txt`, and `<name>.live` (empty) marks a command line whose
// help the CLI must render (in strict mode it is a stub that fails); the other pages are the same.
let differ = 0;
for (const mode of ['bot', 'user']) {
  const dir = join(outDir, `strict-${mode}`);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, LARKSUITE_CLI_STRICT_MODE: mode };
  for (const [name, text] of pages) {
    const page = await render([...name.split(' ').slice(1), '--help'], env);
    const usage = `Usage: ${name}`;
    const isPage = page.code === 0 && page.err === '' && (page.out.startsWith(`${usage} `) || page.out.startsWith(`${usage}\n`));
    if (!isPage) writeFileSync(join(dir, `${name}.live`), '');
    else if (page.out !== text) writeFileSync(join(dir, `${name}.txt`), page.out);
    else continue;
    differ++;
  }
}
process.stdout.write(`${pages.size} pages, ${differ} strict-mode variants\n`);
