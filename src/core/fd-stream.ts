/**
 * Standard output and standard error of the process, written with `fs.writeSync` on their file
 * descriptors instead of through `process.stdout` / `process.stderr`.
 *
 * Node creates those stream objects on first access, and for a pipe (how scripts, tests and
 * benchmarks read the CLI) that loads its socket and stream machinery: ~4 ms of CPU of every
 * command that prints (docs/architecture.md, "Start-up path"). On Linux those streams write to a
 * pipe or a file synchronously anyway, so the bytes and their order are the same. The stream is
 * still created when it is needed:
 * - a write meets EAGAIN (a non-blocking descriptor whose pipe is full): that write and every
 *   later one go through the stream, which queues them (`once('drain')`, `drained()`);
 * - `columns` or `hasColors()` of a terminal.
 * A reader that went away (EPIPE) ends the process quietly with its exit code so far, as it did
 * when the CLI listened for the streams' errors. `isTTY` asks the descriptor (`fstat`, and
 * `isatty` only for a character device that is not /dev/null).
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

/** An `OutStream` of ./io.ts, with what the CLI asks of the process's own streams. */
export interface FdStream {
  write(chunk: string | Uint8Array): boolean;
  readonly isTTY: boolean;
  /** The terminal's width (undefined when not a terminal). */
  readonly columns: number | undefined;
  hasColors(): boolean;
  /** Only after a write returned false (it went to the stream): when the stream has drained. */
  once(event: 'drain', fn: () => void): unknown;
  /** Resolves when everything written has been handed to the system. */
  drained(): Promise<void>;
}

type Write = (fd: number, buf: Uint8Array, offset: number) => number;

export function fdStream(fd: 1 | 2, stream: () => NodeJS.WriteStream, write: Write = writeSync): FdStream {
  let fallback: NodeJS.WriteStream | undefined;
  let tty: boolean | undefined;
  const epipe = () => process.exit(process.exitCode ?? 0);
  const open = (): NodeJS.WriteStream => {
    if (!fallback) {
      fallback = stream();
      fallback.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') epipe();
        else throw e;
      });
    }
    return fallback;
  };
  return {
    write(chunk: string | Uint8Array): boolean {
      if (fallback) return fallback.write(chunk);
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let off = 0;
      try {
        while (off < buf.length) off += write(fd, buf, off);
        return true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          epipe();
          return false;
        }
        if (code !== 'EAGAIN') throw e;
        return open().write(buf.subarray(off));
      }
    },
    get isTTY(): boolean {
      if (fallback) return !!fallback.isTTY;
      if (tty === undefined) {
        try {
          // node:tty loads the socket machinery: asked only of a character device other than /dev/null
          const st = fstatSync(fd);
          tty = st.isCharacterDevice() && st.rdev !== statSync('/dev/null').rdev && (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
        } catch {
          tty = false;
        }
      }
      return tty;
    },
    get columns(): number | undefined {
      return this.isTTY ? open().columns : undefined;
    },
    hasColors(): boolean {
      return this.isTTY && !!open().hasColors?.();
    },
    once(event: 'drain', fn: () => void): unknown {
      if (fallback) return fallback.once(event, fn);
      setImmediate(fn);
      return undefined;
    },
    drained(): Promise<void> {
      const s = fallback;
      return s?.writableNeedDrain ? new Promise((resolve) => s.once('drain', () => resolve())) : Promise.resolve();
    },
  };
}
