#!/usr/bin/env node
/**
 * `npm run demo`: the CLI's main job, offline. Starts the emulator (`lark-cli emulator start
 * --port 0 --seed demo`), points a throwaway config at it, and runs a short tour of real commands,
 * printing each command line and its output: config init, +chat-list, +messages-send (markdown),
 * +chat-messages-list --format pretty, +messages-reply --reply-in-thread, im reactions create,
 * auth login (the emulator approves it), +messages-search, +messages-resources-download.
 *
 * Everything it creates lives in one temporary folder (config, secret store, HOME, the download),
 * removed at the end, also after a failed step or Ctrl-C; the emulator is stopped with SIGTERM.
 * A failed step ends the tour with exit code 1 and names the step.
 *
 * The ids below are the demo seed's (src/emulator/seeds/demo.ts; test/emulator/docs-coverage.test.ts
 * checks that they still match).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_IDS = {
  appId: 'cli_demo00000000001',
  project: 'oc_demo000000000000000000000project',
  /** The image message in Project Phoenix and its image. */
  imageMessage: 'om_demo000000000000000000000000003',
  image: 'img_v3_demo_5b1c7c8e-0f4a-4a8e-9d3c-launchplan0g',
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = join(root, 'bin', 'lark-cli');
const STEP_TIMEOUT_MS = 60_000;
const MAX_LINES = 40;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (color ? `\x1b[2m${s}\x1b[0m` : s);
const red = (s) => (color ? `\x1b[31m${s}\x1b[0m` : s);
const green = (s) => (color ? `\x1b[32m${s}\x1b[0m` : s);

class StepError extends Error {
  constructor(step, message) {
    super(message);
    this.step = step;
  }
}

/** Shell quoting for display only. */
function quote(a) {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  if (a.includes('\n')) return `$'${a.replace(/[\\']/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}'`;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

function show(text, paint = (s) => s) {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return;
  const kept = lines.slice(0, MAX_LINES);
  for (const l of kept) process.stdout.write(paint(l) + '\n');
  if (lines.length > kept.length) process.stdout.write(dim(`… ${lines.length - kept.length} more lines`) + '\n');
}

// ---- the temporary world and the emulator ----

let tmp;
let emulator;
let emulatorExited;
let cleaned = false;

/** The environment every child gets: nothing of the user's own config, credentials or proxies. */
function childEnv(dirs) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('LARKSUITE_CLI_') || k.startsWith('LARK_CLI_')) continue;
    if (/^(https?|all)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: dirs.home,
    USERPROFILE: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    LARKSUITE_CLI_CONFIG_DIR: dirs.config,
    LARKSUITE_CLI_DATA_DIR: dirs.data,
    LARK_CLI_NO_PROXY: '1',
  };
}

function startEmulator(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'emulator', 'start', '--port', '0', '--seed', 'demo', '--quiet'], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator = child;
    emulatorExited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no start line within 15 s${err ? `: ${err.trim()}` : ''}`)), 15_000);
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        const info = JSON.parse(out.slice(0, nl));
        if (!info.ok || typeof info.url !== 'string') throw new Error('not ok');
        resolve(info);
      } catch {
        reject(new Error(`unexpected start line: ${out.slice(0, nl)}`));
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${signal ?? `code ${code}`}) before it listened${err ? `: ${err.trim()}` : ''}`));
    });
  });
}

async function stopEmulator() {
  if (!emulator || emulator.exitCode !== null || emulator.signalCode !== null) return;
  emulator.kill('SIGTERM');
  const killer = setTimeout(() => emulator.kill('SIGKILL'), 5_000);
  await emulatorExited;
  clearTimeout(killer);
}

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await stopEmulator();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

// Last resort if the process goes away without the async cleanup (it cannot wait, but it tries).
process.on('exit', () => {
  if (emulator && emulator.exitCode === null && emulator.signalCode === null) emulator.kill('SIGTERM');
  if (tmp && !cleaned) rmSync(tmp, { recursive: true, force: true });
});

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stdout.write(`\n${red(`interrupted (${sig}): stopping the emulator and removing ${tmp ?? 'the temporary folder'}`)}\n`);
    current?.kill('SIGTERM');
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

// ---- the tour ----

let current;
let env;

/** Runs one CLI command, prints it and its output; fails the step unless it exits 0. */
function lark(step, args, { stdin, display } = {}) {
  process.stdout.write(`\n${bold(`$ ${display ?? ['lark-cli', ...args].map(quote).join(' ')}`)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: join(tmp, 'work'), env, stdio: ['pipe', 'pipe', 'pipe'] });
    current = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new StepError(step, e.message));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      show(out);
      show(err, dim);
      if (interrupted) return;
      if (code === 0) resolve(out);
      else reject(new StepError(step, signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (no answer within ${STEP_TIMEOUT_MS / 1000} s)` : ''}` : `exit code ${code}`));
    });
    child.stdin.end(stdin ?? '');
  });
}

function parseJson(step, text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new StepError(step, 'the output is not JSON');
  }
}

/** The first value of `key` anywhere in a JSON value. */
function find(v, key) {
  if (!v || typeof v !== 'object') return undefined;
  if (!Array.isArray(v) && typeof v[key] === 'string') return v[key];
  for (const x of Object.values(v)) {
    const r = find(x, key);
    if (r !== undefined) return r;
  }
  return undefined;
}

async function tour(info) {
  const app = info.apps.find((a) => a.app_id === DEMO_IDS.appId) ?? info.apps[0];
  const url = info.url;
  const chat = DEMO_IDS.project;
  process.stdout.write(`${green('●')} emulator running at ${bold(url)} with the demo seed (app ${app.app_id}; ${info.users.map((u) => u.name).join(', ')})\n`);
  process.stdout.write(dim(`  throwaway config in ${tmp}`) + '\n');

  await lark('config init', ['config', 'init', '--app-id', app.app_id, '--app-secret-stdin', '--brand', url, '--lang', 'en'], {
    stdin: `${app.app_secret}\n`,
    display: `echo "$APP_SECRET" | lark-cli config init --app-id ${app.app_id} --app-secret-stdin --brand ${url} --lang en`,
  });

  await lark('+chat-list', ['im', '+chat-list', '--as', 'bot']);

  const markdown = '**Release train** for Phoenix 2.4:\n- search change reviewed\n- notes in `release-notes.txt`';
  const sent = parseJson('+messages-send', await lark('+messages-send', ['im', '+messages-send', '--chat-id', chat, '--markdown', markdown, '--as', 'bot']));
  const messageId = find(sent, 'message_id');
  if (!messageId?.startsWith('om_')) throw new StepError('+messages-send', 'no message_id in the answer');

  await lark('+chat-messages-list', ['im', '+chat-messages-list', '--chat-id', chat, '--page-size', '5', '--format', 'pretty', '--as', 'bot']);

  await lark('+messages-reply', ['im', '+messages-reply', '--message-id', messageId, '--text', 'Checklist is green, shipping Friday.', '--reply-in-thread', '--as', 'bot']);

  await lark('im reactions create', ['im', 'reactions', 'create', '--params', JSON.stringify({ message_id: messageId }), '--data', JSON.stringify({ reaction_type: { emoji_type: 'THUMBSUP' } }), '--as', 'bot']);

  // search is user identity only: log in (the emulator approves the device login as Alice)
  await lark('auth login', ['auth', 'login', '--domain', 'im']);

  await lark('+messages-search', ['im', '+messages-search', '--query', 'Phoenix', '--format', 'pretty', '--as', 'user']);

  const file = 'launch-plan.png';
  await lark('+messages-resources-download', ['im', '+messages-resources-download', '--message-id', DEMO_IDS.imageMessage, '--file-key', DEMO_IDS.image, '--type', 'image', '--output', file, '--as', 'bot']);
  const saved = join(tmp, 'work', file);
  if (!existsSync(saved)) throw new StepError('+messages-resources-download', `${file} was not written`);
  const head = readFileSync(saved).subarray(0, 8);
  if (!head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new StepError('+messages-resources-download', `${file} is not a PNG`);
  process.stdout.write(dim(`  ${file}: ${statSync(saved).size} bytes, a PNG`) + '\n');
}

async function main() {
  if (!existsSync(join(root, 'dist', 'cli.cjs')) || !existsSync(join(root, 'dist', 'emulator.cjs'))) {
    process.stderr.write('lark-cli is not built: run npm run build (npm ci does it) first\n');
    return 1;
  }
  tmp = mkdtempSync(join(tmpdir(), 'lark-demo-'));
  const dirs = { home: join(tmp, 'home'), config: join(tmp, 'config'), data: join(tmp, 'data') };
  for (const d of [...Object.values(dirs), join(tmp, 'work')]) mkdirSync(d, { recursive: true, mode: 0o700 });
  env = childEnv(dirs);
  let status = 0;
  try {
    let info;
    try {
      info = await startEmulator(env);
    } catch (e) {
      throw new StepError('emulator start', e.message);
    }
    await tour(info);
    process.stdout.write(`\n${green('✔')} tour done. Keep an emulator running with ${bold('lark-cli emulator start --data ./emu-state')} (docs/emulator.md).\n`);
  } catch (e) {
    if (interrupted) return 130;
    const step = e instanceof StepError ? e.step : 'demo';
    process.stderr.write(`\n${red(`demo failed at step "${step}": ${e.message}`)}\n`);
    status = 1;
  } finally {
    if (!interrupted) await cleanup();
  }
  return status;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await main();
  if (!interrupted) process.exit(code);
}
