#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.mjs in turn, each in its own node process so one
 * benchmark's loaded modules and heap never affect the next.
 *
 *   node bench/run.mjs              all benchmarks
 *   node bench/run.mjs startup      only files whose name contains "startup"
 *
 * Arguments after `--` are passed to every benchmark (e.g. `-- --rounds 50`).
 * A benchmark reports targets as PASS/FAIL and exits 0 either way; a non-zero exit means it
 * crashed, and then this driver exits 1 after running the rest.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const dd = argv.indexOf('--');
const filters = dd < 0 ? argv : argv.slice(0, dd);
const passThrough = dd < 0 ? [] : argv.slice(dd + 1);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(', ') || '*.bench.mjs'}\n`);
  process.exit(1);
}

const crashed = [];
for (const f of files) {
  process.stdout.write(`\n### ${f.replace(/\.bench\.mjs$/, '')}\n\n`);
  const r = spawnSync(process.execPath, [join(here, f), ...passThrough], { stdio: 'inherit' });
  if (r.status !== 0) crashed.push(`${f} (${r.signal ?? `exit ${r.status}`})`);
}
if (crashed.length) {
  process.stderr.write(`\nbenchmark(s) crashed: ${crashed.join(', ')}\n`);
  process.exit(1);
}
