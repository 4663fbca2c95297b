/**
 * Preload that records which modules a process loads (test/unit/startup-imports.test.ts):
 *
 *   RECORD_IMPORTS_FILE=/tmp/x NODE_OPTIONS="--import file:///…/test/helpers/record-imports.mjs" lark-cli …
 *
 * Appends one `file:` URL per line to RECORD_IMPORTS_FILE: every ES module as it is resolved
 * (a resolve hook registered with module.register, running on the loader thread) and, at exit,
 * every CommonJS module in the require cache (CJS `require()` calls inside a CJS package such
 * as commander or undici do not go through ESM hooks on Node 20). Built-ins are left out, except
 * Node's own bundled undici (loaded on the first touch of a global such as FormData or fetch),
 * recorded as `node:internal/deps/undici`, and the built-ins `node:child_process` and
 * `node:crypto` (a few ms each at start-up), recorded by those names when the process loaded them.
 *
 * The CLI itself is one bundle (dist/cli.cjs, scripts/bundle.mjs) whose modules are evaluated
 * on first use; the bundle calls `globalThis.__larkModuleHook(<source path>)` as each one runs,
 * and this preload records them under the names a per-file build would have:
 * `src/http/client.ts` → `…/dist/http/client.js`, `node_modules/x/y.js` → `…/node_modules/x/y.js`.
 * Without RECORD_IMPORTS_FILE it does nothing.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

let out;

/** Loader thread: receives the output file from register(). */
export function initialize(data) {
  out = data?.out;
}

/** Loader thread: records every resolved non-builtin module. */
export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  if (out && !r.url.startsWith('node:')) appendFileSync(out, r.url + '\n');
  return r;
}

// Main thread: register this file as the hooks module, and dump the CJS cache at exit.
if (isMainThread && process.env.RECORD_IMPORTS_FILE) {
  const file = process.env.RECORD_IMPORTS_FILE;
  register(import.meta.url, { data: { out: file } });
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  globalThis.__larkModuleHook = (name) => {
    const rel = typeof name === 'string' ? name.replace(/^src\/(.*)\.ts$/, 'dist/$1.js') : '';
    if (rel) appendFileSync(file, pathToFileURL(repo + rel).href + '\n');
  };
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const urls = Object.keys(cache).map((p) => pathToFileURL(p).href);
    if (process.moduleLoadList.some((m) => m.includes('internal/deps/undici'))) urls.push('node:internal/deps/undici');
    for (const name of ['child_process', 'crypto']) if (process.moduleLoadList.includes(`NativeModule ${name}`)) urls.push(`node:${name}`);
    if (urls.length) appendFileSync(file, urls.join('\n') + '\n');
  });
}
