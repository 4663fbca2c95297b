/**
 * Atomic, private file writes: temp file in the same folder, then rename; files 0600,
 * folders 0700. The one atomic writer (config, secret store, `--output` of `api`); downloads,
 * which stream into their temporary file, name it with tempPathFor too.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from './node-crypto.js';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The temporary file that stands in for `file` until it is complete: `.<name>.<random>.tmp` beside it. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, data, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
