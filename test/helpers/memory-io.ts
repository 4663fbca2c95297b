/**
 * An in-memory Io for running the CLI in-process (framework tests).
 */
import type { Io } from '../../src/core/io.js';

export interface MemoryIo extends Io {
  out(): string;
  err(): string;
}

export function memoryIo(opts: { env?: NodeJS.ProcessEnv; cwd: string; stdin?: string }): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string | Uint8Array) => ((out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true) },
    stderr: { write: (s: string | Uint8Array) => ((err += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true) },
    readStdin: async () => {
      if (opts.stdin === undefined) throw new Error('stdin is not available');
      return Buffer.from(opts.stdin, 'utf8');
    },
    stdinIsTTY: false,
    env: opts.env ?? {},
    cwd: opts.cwd,
    argv: ['lark-cli'],
    out: () => out,
    err: () => err,
  };
}
