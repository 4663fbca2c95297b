/**
 * Entry of dist/emulator.cjs, the emulator's own bundle: `lark-cli emulator start` loads it only
 * when asked, so the CLI's start-up path carries none of it.
 */
import path from 'node:path';
import type { Io } from '../core/io.js';
import { startEmulator } from './index.js';
import { SeedError } from './seed.js';

export { startEmulator } from './index.js';

export interface StartFlags {
  host: string;
  port: string;
  seed: string;
  data?: string;
  latency?: string;
  quiet?: boolean;
  autoApprove: boolean;
}

export class StartError extends Error {
  constructor(
    message: string,
    readonly kind: 'validation' | 'config' | 'network' | 'internal',
  ) {
    super(message);
  }
}

/** Runs the emulator until SIGINT/SIGTERM; resolves when it has stopped. */
export async function runStart(io: Io, f: StartFlags, signals: { on(sig: 'SIGINT' | 'SIGTERM', fn: () => void): void }): Promise<void> {
  const port = Number(f.port);
  if (!/^\d+$/.test(f.port) || port > 65535) throw new StartError(`--port must be an integer between 0 and 65535, got "${f.port}"`, 'validation');
  let latency = 0;
  if (f.latency !== undefined) {
    latency = Number(f.latency);
    if (!/^\d+$/.test(f.latency) || latency > 60_000) throw new StartError(`--latency must be an integer number of milliseconds between 0 and 60000, got "${f.latency}"`, 'validation');
  }
  const log = f.quiet ? undefined : (line: string) => void io.stderr.write(`[emulator] ${line}\n`);
  const seedFile = f.seed !== 'demo' && f.seed !== 'empty';
  let running;
  try {
    running = await startEmulator({
      host: f.host,
      port,
      seed: seedFile ? path.resolve(io.cwd, f.seed) : f.seed,
      dataDir: f.data ? path.resolve(io.cwd, f.data) : null,
      latencyMs: latency,
      autoApprove: f.autoApprove,
      log,
    });
  } catch (e) {
    if (e instanceof SeedError) {
      // a seed file's error names the file as well as the key (seed.apps[0].x: …)
      const msg = seedFile && !e.message.includes(f.seed) ? `seed file ${f.seed}: ${e.message}` : e.message;
      throw new StartError(msg.replace(path.resolve(io.cwd, f.seed), f.seed), 'validation');
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (/already in use|no permission to listen/.test(msg)) throw new StartError(msg, 'network');
    throw new StartError(msg, 'internal');
  }
  if (running.emulator.resumed) log?.(`resumed the state in ${running.info.data_dir}`);
  // the handlers go in before the line is printed: whoever reads it may signal at once
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      log?.('stopping');
      void running.close().then(resolve, resolve);
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  io.stdout.write(JSON.stringify(running.info) + '\n');
  log?.(`listening on ${running.url} (Ctrl-C stops)`);
  await stopped;
}
