/**
 * `lark-cli emulator start` (issue 11, item 1), spawned as users run it: one JSON line on stdout
 * once it listens, request log on stderr (or none with --quiet), SIGTERM/SIGINT flush and exit 0,
 * --port 0 / a port in use, --seed demo|empty|FILE and broken seed files, --data, --latency,
 * --host, --no-auto-approve. And the CLI's normal start-up path loads none of the emulator (it is
 * its own bundle, dist/emulator.cjs).
 *
 * Needs the built CLI (flock -s /tmp/lark-build.lock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySeed } from '../../src/emulator/index.js';
import { CLI, makeSandbox, REPO_ROOT, runCli, sandboxEnv, type Sandbox } from '../helpers/cli.js';
import { call, DEMO } from '../helpers/emulator.js';

let sb: Sandbox;
let work: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  sb = await makeSandbox();
  work = mkdtempSync(path.join(tmpdir(), 'lark-emu-start-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sb?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

interface Started {
  proc: ChildProcess;
  /** Everything on stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The parsed first stdout line (when it started). */
  info: any;
}

/** Spawns `lark-cli emulator start ...args`; resolves once it printed its line or exited. */
async function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const proc = spawn(process.execPath, [CLI, 'emulator', 'start', ...args], { cwd: work, env: { ...sandboxEnv(sb), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  const s: Started = { proc, stdout: () => out, stderr: () => err, exited, info: undefined };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in 15 s; stderr: ${err}`)), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n') && s.info === undefined) {
        clearTimeout(timer);
        s.info = JSON.parse(out.slice(0, out.indexOf('\n')));
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return s;
}

async function stop(s: Started, sig: NodeJS.Signals = 'SIGTERM') {
  s.proc.kill(sig);
  return s.exited;
}

/** The error envelope on stderr of a start that failed. */
function envelope(s: Started): any {
  const err = s.stderr();
  return JSON.parse(err.slice(err.indexOf('{')));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('emulator start', () => {
  it('prints exactly one JSON line once it listens, serves, and exits 0 on SIGTERM', async () => {
    const s = await start(['--port', '0']);
    expect(s.info).toEqual({
      ok: true,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      apps: [{ app_id: DEMO.appId, app_secret: DEMO.appSecret }],
      users: expect.arrayContaining([{ open_id: DEMO.alice, name: expect.any(String) }]),
      data_dir: null,
    });
    expect(Object.keys(s.info)).toEqual(['ok', 'url', 'apps', 'users', 'data_dir']);
    const port = Number(new URL(s.info.url).port);
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(8787);
    const r = await call(s.info.url, 'GET', '/_emulator/info');
    expect(r.body.data.login_as).toBe(DEMO.alice);
    // the request log: one line per request, on stderr
    await sleep(50);
    expect(s.stderr()).toMatch(/\[emulator\] GET \/_emulator\/info 200 /);
    const ex = await stop(s);
    expect(ex).toEqual({ code: 0, signal: null });
    expect(s.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    expect(s.stderr()).toContain('[emulator] stopping');
  });

  it('a signal sent the moment the line is out still stops it cleanly (exit 0)', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const proc = spawn(process.execPath, [CLI, 'emulator', 'start', '--port', '0', '--quiet'], { cwd: work, env: sandboxEnv(sb), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(proc);
      proc.stdout!.once('data', () => proc.kill(sig));
      const ex = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
      expect(ex, sig).toEqual({ code: 0, signal: null });
    }
  });

  it('--quiet silences the request log', async () => {
    const s = await start(['--port', '0', '--quiet']);
    await call(s.info.url, 'GET', '/_emulator/info');
    await call(s.info.url, 'GET', '/open-apis/nope');
    const ex = await stop(s);
    expect(ex.code).toBe(0);
    expect(s.stderr()).toBe('');
    expect(s.stdout().split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a port in use is a one-line error that names it (network, exit 4); nothing on stdout', async () => {
    const first = await start(['--port', '0', '--quiet']);
    const port = new URL(first.info.url).port;
    const second = await start(['--port', port, '--quiet']);
    const ex = await second.exited;
    expect(ex.code).toBe(4);
    expect(second.stdout()).toBe('');
    const e = envelope(second);
    expect(e).toEqual({ ok: false, error: { type: 'network', message: `port ${port} on 127.0.0.1 is already in use` } });
    expect(e.error.message).not.toContain('\n');
    await stop(first);
  });

  it('validates --port and --latency', async () => {
    for (const [args, re] of [
      [['--port', 'abc'], /--port must be an integer between 0 and 65535, got "abc"/],
      [['--port', '70000'], /--port must be an integer/],
      [['--latency', '-5', '--port', '0'], /--latency must be an integer number of milliseconds/],
    ] as Array<[string[], RegExp]>) {
      const s = await start(args);
      expect((await s.exited).code, args.join(' ')).toBe(2);
      expect(s.stdout()).toBe('');
      expect(envelope(s).error).toMatchObject({ type: 'validation', message: expect.stringMatching(re) });
    }
  });

  it('--seed empty: one app with every scope and one user', async () => {
    const s = await start(['--port', '0', '--seed', 'empty', '--quiet']);
    const e = emptySeed();
    expect(s.info.apps).toEqual([{ app_id: e.apps[0]!.app_id, app_secret: e.apps[0]!.app_secret }]);
    expect(s.info.users).toEqual([{ open_id: e.users[0]!.open_id, name: e.users[0]!.name }]);
    await stop(s);
  });

  it('--seed FILE loads the file (relative to the working folder)', async () => {
    writeFileSync(
      path.join(work, 'seed.json'),
      JSON.stringify({
        apps: [{ app_id: 'cli_seedfile0000001', app_secret: 'seed-secret', name: 'Seed Bot', scopes: ['im:message'] }],
        users: [{ open_id: 'ou_seedfile_ann', name: 'Ann' }, { open_id: 'ou_seedfile_ben', name: 'Ben' }],
        login_as: 'ou_seedfile_ben',
        chats: [{ chat_id: 'oc_seedfile', name: 'Room', members: ['ou_seedfile_ann', 'ou_seedfile_ben'], bots: ['cli_seedfile0000001'] }],
        messages: [{ chat_id: 'oc_seedfile', sender: 'ou_seedfile_ann', msg_type: 'text', content: '{"text":"hi"}' }],
      }),
    );
    const s = await start(['--port', '0', '--seed', 'seed.json', '--quiet']);
    expect(s.info.apps).toEqual([{ app_id: 'cli_seedfile0000001', app_secret: 'seed-secret' }]);
    expect(s.info.users).toEqual([{ open_id: 'ou_seedfile_ann', name: 'Ann' }, { open_id: 'ou_seedfile_ben', name: 'Ben' }]);
    const st = await call(s.info.url, 'GET', '/_emulator/state');
    expect(Object.values(st.body.tables.messages).map((m: any) => m.content)).toEqual(['{"text":"hi"}']);
    await stop(s);
  });

  it('a broken seed file is a validation error that names the file (and the key)', async () => {
    writeFileSync(path.join(work, 'bad-json.json'), '{"apps": [');
    writeFileSync(path.join(work, 'bad-key.json'), JSON.stringify({ apps: [{ app_id: 'cli_x', app_secret: 's', color: 'red' }], users: [] }));
    writeFileSync(path.join(work, 'dangling.json'), JSON.stringify({ apps: [{ app_id: 'cli_x', app_secret: 's' }], users: [], chats: [{ name: 'x', members: ['ou_nobody'] }] }));
    const cases: Array<[string, RegExp]> = [
      ['bad-json.json', /^seed file bad-json\.json is not valid JSON: /],
      ['bad-key.json', /^seed file bad-key\.json: seed\.apps\[0\]\.color: unknown key$/],
      ['dangling.json', /^seed file dangling\.json: seed\.chats\[0\]\.members\[0\]: unknown user "ou_nobody"$/],
      ['missing.json', /^cannot read seed file missing\.json: ENOENT$/],
    ];
    for (const [file, re] of cases) {
      const s = await start(['--port', '0', '--seed', file]);
      expect((await s.exited).code, file).toBe(2);
      expect(s.stdout()).toBe('');
      expect(envelope(s).error).toEqual({ type: 'validation', message: expect.stringMatching(re) });
    }
  });

  it('--data keeps the state; SIGINT flushes and exits 0; a restart resumes it', async () => {
    const data = path.join(work, 'data-sigint');
    const s = await start(['--port', '0', '--data', data]);
    expect(s.info.data_dir).toBe(data);
    const r = await call(s.info.url, 'POST', '/_emulator/messages', { json: { chat_id: DEMO.project, sender: DEMO.bob, msg_type: 'text', content: '{"text":"kept"}' } });
    const id = r.body.data.message_id as string;
    const ex = await stop(s, 'SIGINT');
    expect(ex).toEqual({ code: 0, signal: null });
    // flushed into the snapshot
    expect(JSON.parse(readFileSync(path.join(data, 'state.json'), 'utf8')).tables.messages[id]).toBeDefined();
    const again = await start(['--port', '0', '--data', 'data-sigint']);
    expect(again.info.data_dir).toBe(data);
    expect(again.stderr()).toContain(`resumed the state in ${data}`);
    const st = await call(again.info.url, 'GET', '/_emulator/state');
    expect(st.body.tables.messages[id]).toBeDefined();
    await stop(again);
  });

  it('--latency delays every answer', async () => {
    const s = await start(['--port', '0', '--latency', '300', '--quiet']);
    const t0 = Date.now();
    await call(s.info.url, 'GET', '/_emulator/info');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await stop(s);
  });

  it('--host binds the address it is given', async () => {
    const s = await start(['--port', '0', '--host', '0.0.0.0', '--quiet']);
    expect(s.info.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(s.info.url).port;
    expect((await call(`http://127.0.0.1:${port}`, 'GET', '/_emulator/info')).body.code).toBe(0);
    await stop(s);
    const bad = await start(['--port', '0', '--host', '203.0.113.7', '--quiet']);
    expect((await bad.exited).code).not.toBe(0);
    expect(bad.stdout()).toBe('');
    expect(envelope(bad).ok).toBe(false);
  });

  it('--no-auto-approve: device logins wait for the admin API', async () => {
    const s = await start(['--port', '0', '--no-auto-approve', '--quiet']);
    const auth = await call(s.info.url, 'POST', '/oauth/v1/device_authorization', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${DEMO.appId}:${DEMO.appSecret}`).toString('base64')}` },
      body: `client_id=${DEMO.appId}&scope=im%3Amessage`,
    });
    const poll = await call(s.info.url, 'POST', '/open-apis/authen/v2/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: auth.body.device_code, client_id: DEMO.appId, client_secret: DEMO.appSecret }).toString(),
    });
    expect(poll.body.error).toBe('authorization_pending');
    await stop(s);
  });
});

// ---- the CLI's normal start-up path carries none of the emulator ----

const HOOK = pathToFileURL(path.join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs')).href;
const EMULATOR_MODULE = /\/dist\/emulator(\.cjs$|\/)/;

function modulesOf(file: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* nothing recorded */
  }
  const root = pathToFileURL(REPO_ROOT).href;
  return [...new Set(text.split('\n').filter(Boolean))].map((u) => (u.startsWith(root) ? u.slice(root.length) : u));
}

describe('start-up path', () => {
  const offline = { LARKSUITE_CLI_APP_ID: 'cli_imports', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9' };

  it('dist/cli.cjs does not contain the emulator (it is dist/emulator.cjs)', () => {
    const cli = readFileSync(path.join(REPO_ROOT, 'dist', 'cli.cjs'), 'utf8');
    const emu = readFileSync(path.join(REPO_ROOT, 'dist', 'emulator.cjs'), 'utf8');
    // strings only the emulator's code has (the command's help text names /_emulator/ itself)
    for (const marker of ['lark-emulator-state', 'messagesByChat', '/_emulator/faults', 'POLL_TOLERANCE_MS']) {
      expect(emu, marker).toContain(marker);
      expect(cli.includes(marker), `cli.cjs contains ${marker}`).toBe(false);
    }
  });

  for (const args of [['--help'], ['im', '+messages-send', '--chat-id', 'oc_1', '--text', 'hi', '--as', 'bot', '--dry-run'], ['im', '--help']]) {
    it(`lark-cli ${args.join(' ')} loads no emulator module`, async () => {
      const file = path.join(work, `rec-${args.length}-${args[0]}.txt`);
      const r = await runCli(args, { sandbox: sb, env: { ...offline, NODE_OPTIONS: `--import ${HOOK}`, RECORD_IMPORTS_FILE: file } });
      expect(r.code, r.stderr).toBe(0);
      const mods = modulesOf(file);
      expect(mods).toContain('/bin/lark-cli');
      expect(mods.filter((m) => EMULATOR_MODULE.test(m))).toEqual([]);
    });
  }

  it('control: `emulator start` does load dist/emulator.cjs (the recorder sees it)', async () => {
    const file = path.join(work, 'rec-start.txt');
    const s = await start(['--port', '0', '--quiet'], { NODE_OPTIONS: `--import ${HOOK}`, RECORD_IMPORTS_FILE: file });
    expect(s.info.ok).toBe(true);
    expect((await stop(s)).code).toBe(0);
    const mods = modulesOf(file);
    expect(mods).toContain('/dist/emulator.cjs');
    expect(mods).toContain('/dist/emulator/command.js');
  });
});
