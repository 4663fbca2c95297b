#!/usr/bin/env node
/**
 * Start-up benchmark (issue 2, item 8; issue 14): wall time of `lark-cli --version`, `--help`,
 * `im --help` and a `--dry-run` command against bare `node -e 0`, measured in one run with the commands
 * interleaved round-robin so machine noise hits all of them alike.
 *
 *   node bench/startup.bench.mjs [--rounds N] [--bin path/to/lark-cli]
 *
 * (rounds: default 30, or BENCH_ROUNDS)
 *
 * Prints median and p90 per command, the ratio of medians to bare node, and PASS/FAIL against
 * the targets. Always exits 0 (it is a report); a command that does not run cleanly is
 * reported as FAIL (required) or skipped (optional).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `--bin <path>` measures another build of the CLI (e.g. an experimental bundle). */
const bin = resolve(argValue('--bin') ?? join(root, 'bin', 'lark-cli'));
const rounds = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 30) | 0);
const WARMUP = 2;

const tmp = mkdtempSync(join(tmpdir(), 'lark-bench-'));
const env = {
  ...process.env,
  LARKSUITE_CLI_APP_ID: 'cli_bench',
  LARKSUITE_CLI_APP_SECRET: 'x',
  // Unroutable on purpose: a dry-run that tried the network would fail fast and be reported.
  LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9',
  LARKSUITE_CLI_CONFIG_DIR: join(tmp, 'config'),
  LARKSUITE_CLI_DATA_DIR: join(tmp, 'data'),
  LARKSUITE_CLI_LOG_DIR: join(tmp, 'logs'),
  NO_COLOR: '1',
};
delete env.NODE_OPTIONS; // measure the CLI, not a preloaded hook

/** A dry-run prints its request plan (`{"api": [...]}`) on stdout. */
const DRY_RUN = /"api"\s*:\s*\[/;

/** `target` = the allowed ratio of medians to bare node; optional commands are skipped when unknown. */
const commands = [
  { label: 'node -e 0', args: ['-e', '0'], baseline: true },
  { label: 'lark-cli --version', args: [bin, '--version'], target: 1.5, expect: /^lark-cli version \S+/ },
  { label: 'lark-cli --help', args: [bin, '--help'], target: 1.6, expect: /Usage:/ },
  { label: 'lark-cli im --help', args: [bin, 'im', '--help'], target: 1.6, expect: /Usage: lark-cli im/ },
  // off a terminal, help is the page the build rendered (bin/lark-cli); these rows show what the
  // CLI itself takes to render it, as on a terminal (no target: for comparison)
  { label: 'lark-cli --help (rendered live)', args: [bin, '--help'], env: { LARK_CLI_LIVE_HELP: '1' }, expect: /Usage:/ },
  { label: 'lark-cli im --help (rendered live)', args: [bin, 'im', '--help'], env: { LARK_CLI_LIVE_HELP: '1' }, expect: /Usage: lark-cli im/ },
  {
    label: 'lark-cli api GET … --dry-run',
    args: [bin, 'api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot', '--dry-run'],
    target: 2.0,
    expect: DRY_RUN,
  },
];

/** An `im` shortcut dry-run, when one is implemented: the first candidate that runs cleanly. */
const imCandidates = [
  ['+messages-send', '--chat-id', 'oc_1', '--text', 'hi', '--as', 'bot', '--dry-run'],
  ['+chat-messages-list', '--chat-id', 'oc_1', '--as', 'bot', '--dry-run'],
  ['+chat-create', '--name', 'T', '--as', 'bot', '--dry-run'],
  ['+chat-list', '--as', 'bot', '--dry-run'],
];

/**
 * CPU time (user + system) of all waited-for children so far, in ms, from /proc/self/stat
 * (Linux; undefined elsewhere). Clock-tick resolution, so it is only used as a mean over all
 * rounds — a second view that, unlike wall time, hardly moves when the machine is busy.
 */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK; // fields 16, 17: cutime, cstime
  } catch {
    return undefined;
  }
}

function spawnOnce(args, extraEnv) {
  const c0 = childCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: extraEnv ? { ...env, ...extraEnv } : env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c1 = childCpuMs();
  const cpu = c0 === undefined || c1 === undefined ? undefined : c1 - c0;
  return { ms, cpu, status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), error: r.error };
}

/** Runs a command once; returns why it is unusable for the benchmark, or undefined. */
function probe(args, expect, extraEnv) {
  const r = spawnOnce(args, extraEnv);
  if (r.error) return `spawn failed: ${r.error.message}`;
  if (r.status !== 0) {
    const text = (r.stderr || r.stdout).trim();
    let msg;
    try {
      msg = JSON.parse(text).error?.message;
    } catch {
      // not an error envelope
    }
    return `exit ${r.status}: ${msg ?? text.replace(/\s+/g, ' ').slice(0, 200)}`;
  }
  if (!expect.test(r.stdout)) return `unexpected output: ${r.stdout.trim().split('\n')[0] || '(none)'}`;
  return undefined;
}

const problems = [];
const active = [];
for (const c of commands) {
  const why = c.baseline ? undefined : probe(c.args, c.expect, c.env);
  if (why) problems.push({ label: c.label, why });
  else active.push(c);
}
const imProbes = [];
for (const cand of imCandidates) {
  const args = [bin, 'im', ...cand];
  const why = probe(args, DRY_RUN);
  if (!why) {
    active.push({ label: `lark-cli im ${cand[0]} --dry-run`, args, target: 2.0 });
    break;
  }
  imProbes.push(cand[0]);
}

for (const c of active) {
  c.samples = [];
  c.cpu = 0;
}
let haveCpu = true;
for (let r = 0; r < WARMUP + rounds; r++) {
  // Rotate the starting command each round so no command always runs first (or last).
  for (let k = 0; k < active.length; k++) {
    const c = active[(r + k) % active.length];
    const res = spawnOnce(c.args, c.env);
    if (r < WARMUP) continue;
    c.samples.push(res.ms);
    if (res.cpu === undefined) haveCpu = false;
    else c.cpu += res.cpu;
  }
}
rmSync(tmp, { recursive: true, force: true });

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const baseline = active.find((c) => c.baseline);
const base = quantile(baseline.samples, 0.5);
const rows = [['command', 'median', 'p90', 'ratio', 'target', 'result', haveCpu ? 'cpu mean' : '', haveCpu ? 'cpu ratio' : '']];
let failed = 0;
for (const c of active) {
  const med = quantile(c.samples, 0.5);
  const ratio = med / base;
  let result = '';
  if (c.target !== undefined) {
    const ok = ratio <= c.target;
    if (!ok) failed++;
    result = ok ? 'PASS' : 'FAIL';
  }
  rows.push([
    c.label,
    `${med.toFixed(1)} ms`,
    `${quantile(c.samples, 0.9).toFixed(1)} ms`,
    `${ratio.toFixed(2)}x`,
    c.target !== undefined ? `<= ${c.target.toFixed(1)}x` : '',
    result,
    haveCpu ? `${(c.cpu / rounds).toFixed(1)} ms` : '',
    haveCpu ? `${(c.cpu / baseline.cpu).toFixed(2)}x` : '',
  ]);
}
for (const p of problems) {
  failed++;
  rows.push([p.label, '-', '-', '-', '', 'FAIL', '', '']);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
const out = [];
out.push(`start-up: ${rounds} rounds (+${WARMUP} warm-up), commands interleaved; node ${process.version} ${process.platform}-${process.arch}`);
out.push('');
out.push(line(rows[0]));
out.push(widths.map((w) => '-'.repeat(w)).join('  ').trimEnd());
for (const r of rows.slice(1)) out.push(line(r));
out.push('');
if (haveCpu) out.push('PASS/FAIL compares wall-time medians; cpu = mean user+sys time of the child, steadier on a busy machine.');
const load = loadavg()[0];
const ncpu = availableParallelism();
if (load > ncpu * 0.75) {
  out.push(`note: load average ${load.toFixed(1)} on ${ncpu} CPU(s): wall times are inflated and noisy; the cpu ratio is the better guide`);
}
if (process.env.NODE_EXTRA_CA_CERTS) {
  out.push(
    'note: NODE_EXTRA_CA_CERTS is set: every node process (the baseline too) loads those certificates before it runs any code',
    '      (~70 ms on the 2-core machines), which shrinks the ratios; `env -u NODE_EXTRA_CA_CERTS npm run bench` shows them without it',
  );
}
for (const p of problems) out.push(`FAIL ${p.label}: ${p.why}`);
if (!active.some((c) => c.label.startsWith('lark-cli im '))) {
  out.push(`im shortcut dry-run: skipped (no candidate runs yet: ${imProbes.join(', ')})`);
}
out.push(failed ? `start-up: ${failed} target(s) FAIL` : 'start-up: all targets PASS');
process.stdout.write(out.join('\n') + '\n');
