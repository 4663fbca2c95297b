/**
 * An in-memory Io for running the CLI in-process (framework tests, and the e2e tests through
 * `runInProcess` in test/helpers/in-process.ts).
 */
import type { Io } from '../../src/core/io.js';

export interface MemoryIo extends Io {
  out(): string;
  err(): string;
}

export interface MemoryIoOptions {
  env?: NodeJS.ProcessEnv;
  cwd: string;
  /** What standard input holds. Absent: reading it throws, unless `emptyStdin` is set. */
  stdin?: string | Buffer;
  /** Absent stdin reads as empty (as a child whose stdin was closed at once) instead of throwing. */
  emptyStdin?: boolean;
  /** The command line as typed, program name first (for the auth log); default `['lark-cli']`. */
  argv?: string[];
}

export function memoryIo(opts: MemoryIoOptions): MemoryIo {
  // bytes are decoded once at the end, so a character split across writes reads as the process's would
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (chunks: Buffer[]) => ({
    write: (s: string | Uint8Array) => (chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s)), true),
  });
  return {
    stdout: sink(out),
    stderr: sink(err),
    readStdin: async () => {
      if (opts.stdin === undefined) {
        if (opts.emptyStdin) return Buffer.alloc(0);
        throw new Error('stdin is not available');
      }
      return typeof opts.stdin === 'string' ? Buffer.from(opts.stdin, 'utf8') : opts.stdin;
    },
    stdinIsTTY: false,
    env: opts.env ?? {},
    cwd: opts.cwd,
    argv: opts.argv ?? ['lark-cli'],
    out: () => Buffer.concat(out).toString('utf8'),
    err: () => Buffer.concat(err).toString('utf8'),
  };
}
