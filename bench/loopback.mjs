/**
 * Shared by the benchmarks that run the CLI against a loopback server (api-call, jq, page-all,
 * list-messages, upload, download): the sandbox environment, a timed asynchronous spawn and one
 * that also takes the peak RSS (the server answers from this process, so the child must not be
 * waited for synchronously), medians and the report table.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = resolve(argValue('--bin') ?? join(root, 'bin', 'lark-cli'));

/**
 * A scratch config/data/log directory (`tmp`, a new one unless given) and the CLI environment
 * pointing at `brand`.
 */
export function sandbox(brand, extra = {}, tmp = mkdtempSync(join(tmpdir(), 'lark-bench-'))) {
  const env = {
    ...process.env,
    LARKSUITE_CLI_APP_ID: 'cli_bench',
    LARKSUITE_CLI_BRAND: brand,
    LARKSUITE_CLI_CONFIG_DIR: join(tmp, 'config'),
    LARKSUITE_CLI_DATA_DIR: join(tmp, 'data'),
    LARKSUITE_CLI_LOG_DIR: join(tmp, 'logs'),
    NO_COLOR: '1',
    ...extra,
  };
  // measure the CLI over a direct connection, not a preloaded hook or a proxy
  for (const k of ['NODE_OPTIONS', 'HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  return { tmp, env, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) of all reaped children so far, in ms (Linux /proc; undefined
 * elsewhere). One child runs at a time, so the difference around a run is that child's CPU:
 * unlike wall time it hardly moves when the machine is busy.
 */
export function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Runs `cmd args` once: wall time and child CPU time in ms, exit code, stdout, stderr. */
export function timedSpawn(cmd, args, opts) {
  return new Promise((resolveRun, reject) => {
    const c0 = childCpuMs();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c1 = childCpuMs();
      const cpu = c0 === undefined || c1 === undefined ? undefined : c1 - c0;
      resolveRun({ ms, cpu, code, out: Buffer.concat(out).toString('utf8'), err });
    });
  });
}

/** Whether /usr/bin/time can report a peak RSS (BENCH_NO_TIME turns it off, to test the fallback). */
export const hasTimeV = !process.env.BENCH_NO_TIME && existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

/**
 * Runs `cmd args` once: wall ms, peak RSS of the measured process in KiB (from /usr/bin/time, else
 * by polling its VmHWM), exit code, stdout, stderr and the moment it was spawned (`t0`, hrtime).
 */
export function measurePeak(cmd, args, { cwd, env }) {
  return new Promise((resolveRun, reject) => {
    const argv = hasTimeV ? ['/usr/bin/time', ['-f', 'LARKBENCH_RSS_KB=%M', cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hwm = 0;
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const poll = hasTimeV
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /LARKBENCH_RSS_KB=(\d+)/.exec(err);
      if (m) hwm = Number(m[1]);
      resolveRun({ code, t0, ms, rssKb: hwm, out, err: err.replace(/LARKBENCH_RSS_KB=\d+\n?/, '') });
    });
  });
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Runs every command `rounds` times (+ warm-up), interleaved round-robin with a rotating start
 * so machine noise hits all alike; each command's `check(result)` returns a problem or undefined.
 * Returns the commands with `samples` (ms) and `problem` filled in.
 */
export async function interleave(commands, rounds, warmup = 2) {
  for (const c of commands) {
    c.samples = [];
    c.cpu = [];
  }
  for (let r = 0; r < warmup + rounds; r++) {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[(r + k) % commands.length];
      if (c.problem) continue;
      const res = await timedSpawn(c.cmd, c.args, c.opts);
      const why = res.code !== 0 ? `exit ${res.code}: ${(res.err || res.out).trim().split('\n')[0]?.slice(0, 200)}` : c.check?.(res);
      if (why) {
        c.problem = why;
        continue;
      }
      if (r >= warmup) {
        c.samples.push(res.ms);
        if (res.cpu !== undefined) c.cpu.push(res.cpu);
      }
    }
  }
  return commands;
}

/** Prints rows (arrays of cells; the first is the header) as an aligned table. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Mean child CPU time of a command's runs in ms, or undefined without /proc. */
export function meanCpu(c) {
  return c.cpu?.length === c.samples?.length && c.cpu.length ? c.cpu.reduce((a, b) => a + b, 0) / c.cpu.length : undefined;
}
