/**
 * The temporary file a download writes into: `.<name>.<random>.tmp` (0600) next to the target
 * (its folder created 0700), renamed over the target only once every byte arrived, removed on
 * failure. The temporary files of downloads under way are also removed when the run is
 * interrupted (Ctrl-C, SIGTERM: Io.onInterrupt), so an aborted download leaves nothing behind.
 */
import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import { tempPathFor } from '../core/fsutil.js';

/** A local file error: `internal` (exit 5), `<prefix>: <message>`. */
export function localError(prefix: string, e: unknown): CliError {
  return new CliError('internal', `${prefix}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

const pending = new Set<string>();
let hooked = false;

function track(io: Io, file: string): void {
  pending.add(file);
  if (hooked || !io.onInterrupt) return;
  hooked = true;
  io.onInterrupt(() => {
    for (const t of pending) {
      try {
        unlinkSync(t);
      } catch {
        /* already gone */
      }
    }
  });
}

export class TempFile {
  /** Open until commit or discard. */
  fd: number | undefined;
  private file: string | undefined;

  private constructor(fd: number, file: string) {
    this.fd = fd;
    this.file = file;
  }

  /**
   * Creates the temporary file for `target`. Synchronous: it runs inside the callback that sees
   * the first answer's headers, before the body is read.
   */
  static open(io: Io, target: string): TempFile {
    const dir = path.dirname(target);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw localError('cannot create parent directory', e);
    }
    const tmp = tempPathFor(target);
    let fd: number;
    try {
      fd = openSync(tmp, 'wx', 0o600);
    } catch (e) {
      throw localError('cannot create file', e);
    }
    track(io, tmp);
    return new TempFile(fd, tmp);
  }

  /** Closes the file and renames it over `target`. */
  async commit(target: string): Promise<void> {
    try {
      closeSync(this.fd!);
      this.fd = undefined;
      await rename(this.file!, target);
      pending.delete(this.file!);
      this.file = undefined;
    } catch (e) {
      throw localError('cannot create file', e);
    }
  }

  /** Closes and removes the file (after a failure; what commit finished is not undone). */
  async discard(): Promise<void> {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    if (this.file) {
      await unlink(this.file).catch(() => undefined);
      pending.delete(this.file);
    }
  }
}
