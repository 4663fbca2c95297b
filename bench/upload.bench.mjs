#!/usr/bin/env node
/**
 * Upload benchmark (issue 14): `lark-cli im +messages-send --file` of a 100 MiB file against
 * `curl -F` of the same file, both to the same local server in the same run, rounds interleaved.
 *
 *   node bench/upload.bench.mjs [--size-mib N] [--rounds N]     (default 100 MiB, 5 rounds)
 *
 * The server is a plain node:http server in this process that plays `POST /open-apis/im/v1/files`
 * (it counts the body and answers a file_key) and `POST /open-apis/im/v1/messages`; the CLI gets
 * its token from the environment. A first, unmeasured round of each tool keeps the whole body
 * and checks that its file part is byte for byte the file; the measured rounds only count bytes.
 *
 * Reported per tool: the upload throughput as the server sees it (body bytes over the time from
 * the first to the last body byte: the transfer itself, which is what the target compares), the
 * whole command's wall time and, for the CLI, the time from spawn to the upload's request head
 * (start-up, flags, the file checks). Targets: the CLI's median throughput at least 0.8x curl's,
 * and its peak RSS under 100 MB (`/usr/bin/time -f %M` when present, else polling VmHWM;
 * BENCH_NO_TIME=1 forces the polling). Always exits 0 unless the benchmark itself crashes; a
 * missing curl skips the comparison.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argValue, bin, hasTimeV, measurePeak, sandbox } from './loopback.mjs';

const SIZE = Math.max(1, Number(argValue('--size-mib') ?? process.env.BENCH_UPLOAD_MIB ?? 100)) * 1024 * 1024;
const ROUNDS = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS_UPLOAD ?? 5) | 0);
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 100;

const work = mkdtempSync(join(tmpdir(), 'lark-bench-up-'));
const FILE = join(work, 'big.bin');
{
  const fd = openSync(FILE, 'w');
  for (let pos = 0; pos < SIZE; pos += 4 * 1024 * 1024) writeSync(fd, randomBytes(Math.min(4 * 1024 * 1024, SIZE - pos)));
  closeSync(fd);
}

// ---------------------------------------------------------------------------
// The server

/** The upload requests of the current run, in order. */
let uploads = [];
/** Keep and check the whole body (the verification rounds). */
let keepBody = false;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const json = (body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/files') {
    const up = { head: process.hrtime.bigint(), first: 0n, end: 0n, bytes: 0, length: Number(req.headers['content-length'] ?? -1), type: req.headers['content-type'] ?? '', chunks: [] };
    uploads.push(up);
    req.on('data', (c) => {
      if (!up.first) up.first = process.hrtime.bigint();
      up.bytes += c.length;
      if (keepBody) up.chunks.push(c);
    });
    req.on('end', () => {
      up.end = process.hrtime.bigint();
      json({ code: 0, msg: 'success', data: { file_key: 'file_v3_bench' } });
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
    req.resume();
    req.on('end', () => json({ code: 0, msg: 'success', data: { message_id: 'om_bench', chat_id: 'oc_bench', create_time: '1712345678901', msg_type: 'file' } }));
    return;
  }
  req.resume();
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"code":404,"msg":"not found"}');
});
server.keepAliveTimeout = 30_000;
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

/** The file part of a kept body must be the file, byte for byte; returns an error text or undefined. */
function verify(up) {
  const body = Buffer.concat(up.chunks);
  up.chunks = [];
  if (up.length !== body.length) return `Content-Length ${up.length}, body ${body.length} bytes`;
  const boundary = /boundary=(.+)$/.exec(up.type)?.[1];
  if (!boundary) return `no boundary in ${up.type}`;
  const marker = body.indexOf('name="file"; filename=');
  const start = body.indexOf('\r\n\r\n', marker) + 4;
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  if (marker < 0 || !body.subarray(body.length - tail.length).equals(tail)) return 'malformed multipart body';
  return body.subarray(start, body.length - tail.length).equals(readFileSync(FILE)) ? undefined : 'the file part differs from the file';
}

// ---------------------------------------------------------------------------
// Runners

const curl = spawnSync('curl', ['--version']).status === 0 ? 'curl' : undefined;

const { env: cliEnv } = sandbox(base, { LARKSUITE_CLI_APP_SECRET: 'x', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-bench' }, work);
const measure = (cmd, args, env) => measurePeak(cmd, args, { cwd: work, env });


const tools = {
  cli: {
    label: 'lark-cli',
    run: () => measure(process.execPath, [bin, 'im', '+messages-send', '--chat-id', 'oc_bench', '--file', './big.bin', '--as', 'bot'], cliEnv),
  },
  curl: {
    label: 'curl -F',
    run: () =>
      measure(
        curl,
        // no `Expect: 100-continue` round trip: the CLI does not wait for one either
        ['-sS', '--fail', '-o', '/dev/null', '-H', 'Authorization: Bearer t-bench', '-H', 'Expect:', '-F', 'file_type=stream', '-F', 'file_name=big.bin', '-F', 'file=@big.bin', `${base}/open-apis/im/v1/files`],
        process.env,
      ),
  },
};

const results = { cli: [], curl: [] };
const problems = [];

async function round(name, verifying) {
  uploads = [];
  keepBody = verifying;
  const r = await tools[name].run();
  keepBody = false;
  const up = uploads[0];
  if (r.code !== 0) return void problems.push(`${tools[name].label} exit ${r.code}: ${(r.err || r.out).trim().slice(0, 500)}`);
  if (uploads.length !== 1 || !up.end) return void problems.push(`${tools[name].label}: ${uploads.length} upload request(s) seen`);
  if (verifying) {
    const bad = verify(up);
    if (bad) problems.push(`${tools[name].label}: ${bad}`);
    return;
  }
  if (up.bytes !== up.length) return void problems.push(`${tools[name].label}: ${up.bytes} body bytes, Content-Length ${up.length}`);
  const transferMs = Number(up.end - up.first) / 1e6;
  results[name].push({ ...r, transferMs, mibps: up.bytes / 1024 / 1024 / (transferMs / 1000), startMs: Number(up.head - r.t0) / 1e6 });
}

const active = curl ? ['curl', 'cli'] : ['cli'];
process.stdout.write(`upload: ${SIZE / 1024 / 1024} MiB file to ${base}, ${ROUNDS} round(s) each (+1 checked, unmeasured), interleaved\n`);
for (const name of active) await round(name, true);
for (let i = 0; i < ROUNDS; i++) for (const name of i % 2 ? [...active].reverse() : active) await round(name, false);

server.close();
server.closeAllConnections?.();
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------
// Report

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const lines = [];
const row = (name) => {
  const rs = results[name];
  const m = median(rs.map((r) => r.mibps));
  const extra = name === 'cli' ? `, spawn to upload request ${median(rs.map((r) => r.startMs)).toFixed(0)} ms` : '';
  lines.push(
    `${tools[name].label.padEnd(9)} upload ${m.toFixed(0).padStart(5)} MiB/s median (rounds: ${rs.map((r) => r.mibps.toFixed(0)).join(', ')}); whole command ${median(rs.map((r) => r.ms)).toFixed(0)} ms${extra}; peak RSS ${(Math.max(...rs.map((r) => r.rssKb)) / 1024).toFixed(1)} MB`,
  );
  return m;
};
if (results.cli.length) {
  const cli = row('cli');
  if (results.curl.length) {
    const k = row('curl');
    const ratio = cli / k;
    lines.push(`ratio lark-cli/curl (upload throughput, medians) ${ratio.toFixed(2)}x  target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
    const wall = median(results.curl.map((r) => r.ms)) / median(results.cli.map((r) => r.ms));
    lines.push(`          (whole commands, start-up included: ${wall.toFixed(2)}x)`);
  } else {
    lines.push('curl not found: throughput comparison skipped');
  }
  const peak = Math.max(...results.cli.map((r) => r.rssKb)) / 1024;
  lines.push(`lark-cli peak RSS ${peak.toFixed(1)} MB (${hasTimeV ? '/usr/bin/time' : 'VmHWM polling'})  target < ${TARGET_RSS_MB} MB: ${peak > 0 && peak < TARGET_RSS_MB ? 'PASS' : peak === 0 ? 'UNKNOWN' : 'FAIL'}`);
}
if (process.env.NODE_EXTRA_CA_CERTS) {
  lines.push('note: NODE_EXTRA_CA_CERTS is set: node loads those certificates before it runs any code, a fixed cost in the');
  lines.push('      whole-command times (not in the upload throughput); `env -u NODE_EXTRA_CA_CERTS` shows them without it');
}
for (const p of problems) lines.push(`FAIL ${p}`);
process.stdout.write(lines.join('\n') + '\n');
