/**
 * Local path safety: user-given paths must be relative and stay inside the working directory
 * after resolving `..` and symlinks. Also the one walk that resolves a
 * path that does not exist yet through its nearest existing ancestor.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { hasControlChars, hasDangerousUnicode } from './text-checks.js';

/**
 * Resolves symlinks through the nearest existing ancestor, re-appending the missing tail; `p`
 * itself when that fails.
 */
export function resolveThroughExisting(p: string): string {
  let probe = p;
  const tail: string[] = [];
  while (!existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    tail.unshift(path.basename(probe));
    probe = parent;
  }
  try {
    return path.join(realpathSync(probe), ...tail);
  } catch {
    return p;
  }
}

/**
 * Returns the absolute path, or a problem message using `label` (e.g. `--file`, `--output`).
 */
export function checkLocalPath(raw: string, cwd: string, label: string): { path: string } | { problem: string } {
  if (hasControlChars(raw)) return { problem: `${label} contains invalid control characters` };
  if (hasDangerousUnicode(raw)) return { problem: `${label} contains dangerous Unicode characters` };
  const clean = path.normalize(raw);
  if (path.isAbsolute(clean)) {
    return {
      problem: `${label} must be a relative path within the current directory, got "${raw}" (hint: cd to the target directory first, or use a relative path like ./filename)`,
    };
  }
  let base: string;
  try {
    base = realpathSync(cwd);
  } catch {
    base = cwd;
  }
  const resolved = resolveThroughExisting(path.join(base, clean));
  const rel = path.relative(base, resolved);
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    return {
      problem: `${label} "${raw}" resolves outside the current working directory (hint: the path must stay within the working directory after resolving .. and symlinks)`,
    };
  }
  return { path: resolved };
}
