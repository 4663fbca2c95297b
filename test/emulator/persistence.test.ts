/**
 * Durability of `--data DIR` (src/emulator/store.ts's header says how it is guaranteed): every
 * acknowledged write survives a `kill -9` at any moment and the folder always loads.
 *
 * - In-process: the crash points of a reset (between the new snapshot and the new log; in the
 *   middle of the blob swap), a torn last log line, a clean close.
 * - A child process (`bin/lark-cli emulator start --data DIR`, the real command): a storm of
 *   acknowledged writes, `kill -9` at a random moment, restart on the same folder, every
 *   acknowledged write there; a few rounds; then a SIGTERM that flushes and exits 0.
 *
 * Needs the built CLI (flock -s /tmp/lark-build.lock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { CLI, makeSandbox, sandboxEnv, type Sandbox } from '../helpers/cli.js';
import { call, DEMO } from '../helpers/emulator.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'lark-emu-data-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const text = (s: string) => ({ chat_id: DEMO.project, sender: DEMO.alice, msg_type: 'text', content: JSON.stringify({ text: s }) });

async function post(url: string, s: string): Promise<string> {
  const r = await call(url, 'POST', '/_emulator/messages', { json: text(s) });
  if (r.status !== 200 || r.body?.code !== 0) throw new Error(`send failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data.message_id as string;
}

async function state(url: string): Promise<any> {
  const r = await call(url, 'GET', '/_emulator/state');
  expect(r.status).toBe(200);
  return r.body;
}

describe('in-process crash points', () => {
  const running: RunningEmulator[] = [];
  const start = async (dataDir: string) => {
    const r = await startEmulator({ seed: 'demo', dataDir, port: 0 });
    running.push(r);
    return r;
  };
  /** Stops listening without closing the store: the disk stays as a crash would leave it. */
  const crash = async (r: RunningEmulator) => {
    await r.server.close();
    running.splice(running.indexOf(r), 1);
  };
  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
  });

  it('a clean close and a restart keep every write; the log is folded into the snapshot', async () => {
    const dir = tmp();
    const a = await start(dir);
    expect(a.emulator.resumed).toBe(false);
    const ids = [await post(a.url, 'one'), await post(a.url, 'two')];
    await a.close();
    running.pop();
    const snap = JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'));
    expect(snap.format).toBe('lark-emulator-state');
    for (const id of ids) expect(snap.tables.messages[id]).toBeDefined();
    const b = await start(dir);
    expect(b.emulator.resumed).toBe(true);
    for (const id of ids) expect(b.emulator.db.get('messages', id)).toBeDefined();
    // the derived indexes are rebuilt: the chat's history ends with them
    expect(b.emulator.db.messagesByChat.get(DEMO.project)!.slice(-2)).toEqual(ids);
  });

  it('a torn last log line (never acknowledged) is dropped and the log goes on from there', async () => {
    const dir = tmp();
    const a = await start(dir);
    const id = await post(a.url, 'kept');
    await crash(a);
    const wal = path.join(dir, 'wal.jsonl');
    const before = readFileSync(wal);
    // half a line, no newline: what a kill -9 in the middle of the write leaves
    const line = JSON.stringify({ ops: [{ t: 'messages', k: 'om_torn', v: { message_id: 'om_torn' } }] });
    appendFileSync(wal, line.slice(0, Math.floor(line.length / 2)));
    const b = await start(dir);
    expect(b.emulator.db.get('messages', id)).toBeDefined();
    expect(b.emulator.db.get('messages', 'om_torn')).toBeUndefined();
    expect(readFileSync(wal).toString()).not.toContain('om_torn');
    const id2 = await post(b.url, 'after the torn line');
    await crash(b);
    const c = await start(dir);
    expect(c.emulator.db.get('messages', id)).toBeDefined();
    expect(c.emulator.db.get('messages', id2)).toBeDefined();
    expect(before.length).toBeGreaterThan(0);
  });

  it('a garbage line in the middle of the log ends the replay there (nothing after it was acknowledged)', async () => {
    const dir = tmp();
    const a = await start(dir);
    const id = await post(a.url, 'kept');
    await crash(a);
    appendFileSync(path.join(dir, 'wal.jsonl'), '{"ops":[{"t":"mess\n' + JSON.stringify({ ops: [{ t: 'meta', k: 'x', v: { key: 'x', value: 1 } }] }) + '\n');
    const b = await start(dir);
    expect(b.emulator.db.get('messages', id)).toBeDefined();
    expect(b.emulator.db.get('meta', 'x')).toBeUndefined();
  });

  it('reset is atomic: a crash after the new snapshot but before the new log does not bring back the writes before the reset', async () => {
    const dir = tmp();
    const a = await start(dir);
    const before = await post(a.url, 'before the reset');
    const oldLog = readFileSync(path.join(dir, 'wal.jsonl'));
    expect(oldLog.toString()).toContain(before);
    const r = await call(a.url, 'POST', '/_emulator/reset');
    expect(r.body.code).toBe(0);
    await crash(a);
    // the crash point: state.json is the seed's, wal.jsonl still the log of before the reset
    writeFileSync(path.join(dir, 'wal.jsonl'), oldLog);
    const b = await start(dir);
    expect(b.emulator.db.get('messages', before)).toBeUndefined();
    const seedCount = Object.keys(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')).tables.messages).length;
    expect(b.emulator.db.t.messages.size).toBe(seedCount);
  });

  it('reset is atomic for stored bytes: a crash in the middle of a reset leaves the old state with its blobs', async () => {
    const dir = tmp();
    const a = await start(dir);
    const emu = a.emulator;
    const key = 'file_v3_0001_persisttest';
    emu.store.blobs.put(key, Buffer.from('uploaded bytes'));
    emu.db.put('resources', key, { key, type: 'file', file_type: 'stream', file_name: 'x.bin', mime: 'application/octet-stream', size: 14, app_id: DEMO.appId, create_time: String(emu.clock.now()) });
    await emu.store.flush();
    // the process dies inside resetToSeed, after the blobs were swapped and before the snapshot
    emu.store.compact = () => {
      throw new Error('killed');
    };
    expect(() => emu.resetToSeed()).toThrow('killed');
    await crash(a);
    const b = await start(dir);
    expect(b.emulator.db.get('resources', key)).toBeDefined();
    expect(b.emulator.store.blobs.get(key)?.toString()).toBe('uploaded bytes');
    // and a reset that completes lets them go, keeping the seed's own
    b.emulator.resetToSeed();
    expect(b.emulator.store.blobs.get(key)).toBeUndefined();
    expect(existsSync(path.join(dir, 'blobs', key))).toBe(false);
    expect(b.emulator.store.blobs.get(DEMO.image)).toBeDefined();
    expect(b.emulator.store.blobs.keys()).toContain(DEMO.image);
  });
});

// ---- the real command, killed ----

interface Child {
  proc: ChildProcess;
  url: string;
  info: any;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let sb: Sandbox | undefined;
const children: Child[] = [];
afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await sb?.cleanup();
});

async function startChild(dir: string): Promise<Child> {
  sb ??= await makeSandbox();
  const proc = spawn(process.execPath, [CLI, 'emulator', 'start', '--data', dir, '--port', '0', '--seed', 'demo', '--quiet'], {
    env: sandboxEnv(sb),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 15 s; stderr: ${err}`)), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) before it listened; stderr: ${err}`));
    });
  });
  const info = JSON.parse(line);
  const c: Child = { proc, url: info.url, info, stderr: () => err, exited };
  children.push(c);
  return c;
}

/** Workers sending messages until the emulator dies; returns what was acknowledged (id -> text). */
async function storm(url: string, workers: number, stopAfterMs: number, kill: () => void): Promise<Map<string, string>> {
  const acked = new Map<string, string>();
  let dead = false;
  const timer = setTimeout(() => {
    dead = true;
    kill();
  }, stopAfterMs);
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; !dead; i++) {
        const s = `w${w}-${i}-${Math.random().toString(36).slice(2, 8)}`;
        try {
          acked.set(await post(url, s), s);
        } catch {
          return; // the emulator is gone
        }
      }
    }),
  );
  clearTimeout(timer);
  return acked;
}

describe('kill -9 during a write storm loses no acknowledged write', () => {
  it('three rounds of storm, kill -9 at a random moment, restart on the same folder; then SIGTERM exits 0 after flushing', async () => {
    const dir = tmp();
    const all = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      const c = await startChild(dir);
      expect(c.info.data_dir).toBe(dir);
      // the state loads and holds everything acknowledged so far
      const st = await state(c.url);
      for (const [id, s] of all) expect(JSON.parse(st.tables.messages[id]?.content ?? '{}').text, `round ${round}: ${id}`).toBe(s);
      const at = 150 + Math.floor(Math.random() * 450);
      const acked = await storm(c.url, 6, at, () => c.proc.kill('SIGKILL'));
      const ex = await c.exited;
      expect(ex.signal).toBe('SIGKILL');
      expect(acked.size, `round ${round}: writes acknowledged before the kill at ${at} ms`).toBeGreaterThan(0);
      if (process.env.STORM_DEBUG) console.log(`round ${round}: ${acked.size} acknowledged writes before the kill at ${at} ms`);
      for (const [id, s] of acked) all.set(id, s);
    }
    const c = await startChild(dir);
    const st = await state(c.url);
    const missing = [...all.keys()].filter((id) => !st.tables.messages[id]);
    expect(missing, `${missing.length} of ${all.size} acknowledged writes lost`).toEqual([]);
    for (const [id, s] of all) expect(JSON.parse(st.tables.messages[id].content).text).toBe(s);
    // the derived state is consistent too: the chat's history through the platform API order
    const seqs = [...all.keys()].map((id) => st.tables.messages[id].seq as number);
    expect(new Set(seqs).size).toBe(seqs.length);

    // a clean stop: SIGTERM flushes and exits 0; the writes are there after a restart
    const last = [await post(c.url, 'last one'), await post(c.url, 'last two')];
    c.proc.kill('SIGTERM');
    const ex = await c.exited;
    expect(ex, c.stderr()).toEqual({ code: 0, signal: null });
    const d = await startChild(dir);
    const st2 = await state(d.url);
    for (const id of [...last, ...all.keys()]) expect(st2.tables.messages[id], id).toBeDefined();
    d.proc.kill('SIGINT');
    expect((await d.exited).code).toBe(0);
  }, 30_000);
});
