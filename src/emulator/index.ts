/**
 * The emulator as a library: start one in-process (tests, the SDK contract test, the bench, the
 * demo) or from `lark-cli emulator start` (command.ts through the bundle entry main.ts).
 */
import { Emulator } from './emulator.js';
import { buildSeed, loadSeed, type BuiltSeed, type SeedFile } from './seed.js';
import { serve, type RunningServer } from './server.js';

export { Emulator } from './emulator.js';
export type { JournalEntry, Fault } from './emulator.js';
export { buildSeed, emptySeed, SeedError, type SeedFile } from './seed.js';
export { DEMO } from './seeds/demo.js';

export interface StartOptions {
  host?: string;
  /** 0 picks a free port; default 8787. */
  port?: number;
  /** 'demo' (default), 'empty', a file path, a seed object or a built seed. */
  seed?: string | SeedFile | BuiltSeed;
  dataDir?: string | null;
  latencyMs?: number;
  autoApprove?: boolean;
  /** One line per request (and start-up notes). */
  log?: (line: string) => void;
  journalLimit?: number;
}

export interface StartInfo {
  ok: true;
  url: string;
  apps: Array<{ app_id: string; app_secret: string }>;
  users: Array<{ open_id: string; name: string }>;
  data_dir: string | null;
}

export interface RunningEmulator {
  url: string;
  port: number;
  emulator: Emulator;
  server: RunningServer;
  /** The line `lark-cli emulator start` prints. */
  info: StartInfo;
  /** Stops listening, writes the state out (with a data folder) and closes it. */
  close(): Promise<void>;
}

function isBuilt(s: unknown): s is BuiltSeed {
  return !!s && typeof s === 'object' && 'tables' in s && 'blobs' in s;
}

export async function startEmulator(o: StartOptions = {}): Promise<RunningEmulator> {
  let seed: BuiltSeed;
  if (o.seed === undefined || typeof o.seed === 'string') seed = (await loadSeed(o.seed ?? 'demo')).seed;
  else if (isBuilt(o.seed)) seed = o.seed;
  else seed = buildSeed(o.seed);
  const emulator = new Emulator({ seedTables: seed.tables, seedBlobs: seed.blobs, dataDir: o.dataDir ?? null, latencyMs: o.latencyMs, autoApprove: o.autoApprove, journalLimit: o.journalLimit });
  let server: RunningServer;
  try {
    server = await serve(emulator, { host: o.host, port: o.port ?? 8787, log: o.log });
  } catch (e) {
    emulator.close();
    throw e;
  }
  const info: StartInfo = {
    ok: true,
    url: server.url,
    apps: [...emulator.db.t.apps.values()].map((a) => ({ app_id: a.app_id, app_secret: a.app_secret })),
    users: [...emulator.db.t.users.values()].map((u) => ({ open_id: u.open_id, name: u.name })),
    data_dir: emulator.store.dataDir,
  };
  let closed = false;
  return {
    url: server.url,
    port: server.port,
    emulator,
    server,
    info,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      emulator.close();
    },
  };
}
