#!/usr/bin/env node
/**
 * Builds the CLI as one CommonJS file, dist/cli.cjs, plus a V8 code cache for it,
 * dist/cli.cjs.cache (`npm run build` runs this after type-checking; bin/lark-cli loads both).
 *
 * Why: Node 20 loads ES modules one file at a time through its asynchronous loader, ~1 ms per
 * file on the 2-core machines, and a shortcut touches ~45 files; compiling one 600 KB bundle
 * from source costs about as much, but with the code cache it is nearly free. Measured on a
 * machine without NODE_EXTRA_CA_CERTS (bare node 35 ms): `im +messages-send --dry-run`
 * 105 → 66 ms, `--help` 55 → 48 ms, `--version` 43 → 48 ms (medians of 25).
 *
 * Modules that src/ imports lazily (`await import()`) stay lazy: esbuild wraps each in an init
 * function run on first use, so the HTTP stack, jq, the table printer and the schemas are still
 * evaluated only by the commands that need them. Left outside the bundle, loaded from
 * node_modules: undici (src/http/undici-lean.ts requires its internal files by path), jq-wasm
 * (its loader reads the 2.7 MB jq.wasm beside it; only --jq loads it) and proper-lockfile (it patches fs through
 * graceful-fs; only a token refresh loads it).
 *
 * The code cache holds V8's bytecode for the bundle as a few offline commands leave it (see
 * `runs` below). It is valid only for this node binary and V8 flags; elsewhere V8 rejects it and
 * compiles from source, which is slower but otherwise the same.
 *
 * For the start-up tests, esbuild's two init helpers call `globalThis.__larkModuleHook(<source
 * path>)` as each module is evaluated; nothing defines it in normal runs, and the test preload
 * test/helpers/record-imports.mjs uses it to list the modules a run evaluated.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli.cjs');

// The emulator (`lark-cli emulator start`) is a bundle of its own, dist/emulator.cjs: inside
// cli.cjs its import is replaced by a require of that file, so the CLI's bundle, and therefore
// its start-up, carries none of it.
const emulatorOutside = {
  name: 'emulator-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) => (/[\\/]emulator[\\/]command\.ts$/.test(args.importer) ? { path: 'emulator-main', namespace: 'emulator-outside' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'emulator-outside' }, () => ({ contents: "module.exports = require(require('node:path').join(__dirname, 'emulator.cjs'));", loader: 'js' }));
  },
};

// commander requires node:child_process at the top of lib/command.js, for executable subcommands
// the CLI never has; loading it costs ~4 ms of every start-up. Inside the bundle it is required
// on first use instead (test/unit/startup-imports.test.ts checks that it stays unloaded).
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const from = "const childProcess = require('node:child_process');";
      const source = readFileSync(args.path, 'utf8');
      if (source.split(from).length !== 2) throw new Error(`bundle: commander's child_process require not found exactly once in ${args.path}`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(from, lazy), loader: 'js' };
    });
  },
};

/**
 * One CommonJS bundle of `entry` for node 20. import.meta.url of every module is the bundle's own
 * URL (src/core/package-root.ts walks up from it); the banner comes before esbuild's own "use
 * strict", so it says it again to keep the bundle strict.
 */
function bundleCjs(entry, outfile, more = {}) {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.18',
    define: { 'import.meta.url': '__lark_module_url' },
    banner: { js: "'use strict';\nconst __lark_module_url = require('node:url').pathToFileURL(__filename).href;" },
    legalComments: 'eof',
    logLevel: 'warning',
    ...more,
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
await bundleCjs('src/emulator/main.ts', join(root, 'dist', 'emulator.cjs'));
// bin/lark-cli's check that the help pages it prints apply (strict mode off), a bundle of its own so
// that printing a page loads none of the CLI (src/help-gate.ts)
await bundleCjs('src/help-gate.ts', join(root, 'dist', 'help-gate.cjs'));
// the emulator's web page (src/emulator/routes/ui.ts serves it): plain HTML, CSS and browser
// JavaScript, copied as they are next to the emulator's bundle (dist/web/), read only when asked for
cpSync(join(root, 'src', 'emulator', 'web'), join(root, 'dist', 'web'), { recursive: true });
await bundleCjs('src/cli.ts', out, { plugins: [emulatorOutside, commanderLazyChildProcess], external: ['undici', 'jq-wasm', 'proper-lockfile'] });

let code = readFileSync(out, 'utf8');
const hooks = [
  ['return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;', 'return fn && (globalThis.__larkModuleHook?.(__getOwnPropNames(fn)[0]), res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;'],
  ['return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;', 'return mod || (globalThis.__larkModuleHook?.(__getOwnPropNames(cb)[0]), (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod)), mod.exports;'],
];
for (const [from, to] of hooks) {
  const n = code.split(from).length - 1;
  if (n !== 1) throw new Error(`bundle: esbuild's init helper not found exactly once (${n}): ${from}`);
  code = code.replace(from, to);
}
// bin/lark-cli compiles the bundle with vm.Script, where import() has no loader: packages left
// outside the bundle and node: built-ins are required instead
if (/\bimport\(\s*["'`]/.test(code)) throw new Error(`bundle: a dynamic import() survived bundling: ${/.*\bimport\(\s*["'`].*/.exec(code)[0].trim()}`);
// The few non-ASCII characters esbuild leaves as they are (in regular expression literals) become
// \u escapes: node reads an ASCII file into a one-byte string, ~2 ms sooner than it decodes UTF-8
// into a two-byte one, and V8 scans one-byte source faster. A surrogate-pair escape means the same
// as the character in strings, templates, identifiers and regular expressions (with or without
// the u flag); after a backslash it would not, so that fails the build.
code = code.replace(/(\\?)([^\x00-\x7f])/gu, (_m, slash, ch) => {
  if (slash) throw new Error(`bundle: an escaped non-ASCII character (\\${ch}) cannot be made ASCII`);
  return ch.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
});
writeFileSync(out, code);

// The code cache: V8 keeps bytecode for the functions compiled so far, so the cache is written
// after a few representative commands (help, dry-runs, a validation error) have run, offline, in
// one process and a throw-away home. The wrapper must be byte for byte the one bin/lark-cli
// compiles, or V8 rejects the cache (test/unit/code-cache.test.ts checks that it is accepted).
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';
const runs = [
  ['--help'],
  ['im', '--help'],
  ['im', '+messages-send', '--chat-id', 'oc_codecache', '--text', 'hello', '--as', 'bot', '--dry-run'],
  ['im', '+chat-messages-list', '--chat-id', 'oc_codecache', '--as', 'bot', '--dry-run'],
  ['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--dry-run'],
  ['im', 'chats', 'get', '--params', '{"chat_id":"oc_codecache"}', '--as', 'bot', '--dry-run'],
  ['im', '+messages-send', '--as', 'bot'],
];
const generator = `
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
const bundle = ${JSON.stringify(out)};
const script = new vm.Script(${JSON.stringify(WRAPPER_HEAD)} + readFileSync(bundle, 'utf8') + ${JSON.stringify(WRAPPER_TAIL)}, { filename: bundle });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
// main() ends each run with a short exit timer; none may end this process before the cache is written
const exit = process.exit.bind(process);
process.exit = () => undefined;
for (const args of ${JSON.stringify(runs)}) {
  process.argv = [process.execPath, bundle, ...args];
  await module.exports.main();
}
writeFileSync(bundle + '.cache', script.createCachedData());
exit(0);
`;
const home = mkdtempSync(join(tmpdir(), 'lark-cli-cache-'));
try {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    LARKSUITE_CLI_CONFIG_DIR: join(home, 'config'),
    LARKSUITE_CLI_DATA_DIR: join(home, 'data'),
    LARKSUITE_CLI_LOG_DIR: join(home, 'logs'),
    LARKSUITE_CLI_APP_ID: 'cli_codecache',
    LARKSUITE_CLI_APP_SECRET: 'x',
    NO_COLOR: '1',
  };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', generator], { cwd: home, env, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(`${out}.cache`)) throw new Error(`bundle: the code-cache run failed (exit ${r.status}): ${r.stderr}`);
  // every help page, rendered once for bin/lark-cli to print as it is (scripts/prerender-help.mjs)
  const help = spawnSync(process.execPath, [join(root, 'scripts', 'prerender-help.mjs'), out, join(root, 'dist', 'help')], { cwd: home, env, encoding: 'utf8' });
  if (help.status !== 0) throw new Error(`bundle: rendering the help pages failed (exit ${help.status}): ${help.stderr}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}

// The jq engine's code cache, dist/jq-wasm.cache: V8's bytecode for jq-wasm's CommonJS entry
// after a compile check and a small run, written by the bundle itself (makeJqCodeCache, in
// src/output/jq.ts), so it is made from the source, wrapper and V8 flags the CLI uses
// (test/unit/code-cache.test.ts checks that it is accepted).
{
  const jqGenerator = `require(${JSON.stringify(out)}).makeJqCodeCache(${JSON.stringify(join(root, 'dist', 'jq-wasm.cache'))}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', jqGenerator], { cwd: root, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(root, 'dist', 'jq-wasm.cache'))) throw new Error(`bundle: the jq code-cache run failed (exit ${r.status}): ${r.stderr}`);
}
