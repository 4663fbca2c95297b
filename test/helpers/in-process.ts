/**
 * Runs the CLI in this process: `run(io, argv)` from src/cli.ts with an in-memory Io, in the
 * same sandbox environment as `runCli` (test/helpers/cli.ts) spawns bin/lark-cli with, and with
 * the same result. The module registry is reset before every run, so module-level state (the
 * token caches, the HTTP dispatcher and its proxy warning, the stdin cache, lazily loaded modules)
 * starts afresh as it does in a new process.
 *
 * What stays spawned: start-up, the code cache, signals, the CLI shim (bin/), stdin from a real
 * pipe, and the fuzz test. Also the cases that unset LARKSUITE_CLI_CONFIG_DIR or
 * LARKSUITE_CLI_DATA_DIR: src/core/paths.ts then asks env-paths, which reads process.env, not
 * the Io's env. TZ is the one variable taken from the run's env into process.env (for the run),
 * since local times are computed by the Date of this process.
 */
import { vi } from 'vitest';
import { cliEnv, parseJson, type RunCliOptions, type RunCliResult } from './cli.js';
import { memoryIo, type MemoryIo } from './memory-io.js';

/** `configureIo` may add what a process would have (a Ctrl-C hook, a prompt) before the run. */
export async function runInProcess(args: string[], opts: RunCliOptions, configureIo?: (io: MemoryIo) => void): Promise<RunCliResult> {
  if (opts.cliPath) throw new Error('runInProcess runs src/cli.ts; spawn with runCli to run another script');
  const env = cliEnv(opts.sandbox, opts.env);
  if (env.NODE_OPTIONS !== undefined) throw new Error('NODE_OPTIONS needs a process: spawn with runCli');
  vi.resetModules();
  const { run } = await import('../../src/cli.js');
  const io = memoryIo({
    env,
    cwd: opts.cwd ?? opts.sandbox.work,
    stdin: opts.stdin,
    emptyStdin: true,
    argv: ['lark-cli', ...args],
  });
  configureIo?.(io);
  // local times follow TZ, which a child reads from its environment and this process from process.env
  const tz = process.env.TZ;
  setTz(env.TZ);
  let code: number;
  try {
    code = await run(io, args);
  } finally {
    setTz(tz);
  }
  const result = { code, stdout: io.out(), stderr: io.err() };
  return {
    ...result,
    json: () => parseJson(result.stdout, 'stdout', result),
    errJson: () => parseJson(result.stderr, 'stderr', result),
  };
}

function setTz(tz: string | undefined): void {
  if (process.env.TZ === tz) return;
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
}
