/**
 * Files of the package itself (package.json, schemas/) by their path from the package root.
 *
 * The root is the nearest folder above the running module that holds package.json: the module
 * is dist/cli.cjs in the built CLI (one bundle, see scripts/bundle.mjs) and src/<area>/<file>.ts
 * under vitest, so a fixed relative path would be right for only one of them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  // the bundle is CommonJS: its __dirname is dist/, without the URL parsing (~0.4 ms at start-up)
  const start = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return (root = dir);
    if (path.dirname(dir) === dir) return (root = path.resolve(start, '..', '..'));
  }
}

/** An absolute path inside the package (`packageFile('schemas', 'im', 'index.json')`). */
export function packageFile(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
