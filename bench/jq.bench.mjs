#!/usr/bin/env node
/**
 * `--jq` on a 1 MB response (issue 14): `lark-cli api GET … --jq EXPR` through the real CLI
 * against a loopback server, side by side with the system `jq` binary on the same document read
 * from a file, for `.data.items | length` and a map. jq-wasm 1.0.1 took ~54 s here (it copied
 * its input one byte at a time); the engine now reads its input by offset.
 *
 *   node bench/jq.bench.mjs [--rounds N] [--bin path/to/lark-cli] [--mb SIZE]
 *
 * (rounds: default 20, or BENCH_ROUNDS; run `npm run build` first; over runs of 10 rounds the
 * system jq's median moved between 41 and 57 ms on the 2-core machine)
 *
 * Targets, per expression: median under 300 ms, and at most 4x the system jq when `jq` is on the
 * PATH (without it the ratio is skipped, not failed). Always exits 0 (a report).
 */
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { argValue, bin, interleave, meanCpu, quantile, sandbox, table } from './loopback.mjs';

const rounds = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 20) | 0);
const mb = Number(argValue('--mb') ?? 1);
const MAX_MS = 300;
const MAX_RATIO = 4;

// A page of messages as the API returns them (ids and times are strings), about `mb` MB.
const items = [];
let size = 0;
for (let i = 0; size < mb * 1024 * 1024; i++) {
  const m = {
    message_id: `om_${i.toString(16).padStart(30, '0')}`,
    root_id: '',
    msg_type: 'text',
    create_time: String(1710500000000 + i * 1000),
    update_time: String(1710500000000 + i * 1000),
    deleted: false,
    updated: false,
    chat_id: 'oc_0123456789abcdef0123456789abcdef',
    sender: { id: `ou_${(i % 97).toString(16).padStart(32, '0')}`, id_type: 'open_id', sender_type: 'user', tenant_key: 'tk_bench' },
    body: { content: JSON.stringify({ text: `message number ${i}: the quick brown fox jumps over the lazy dog \u2713` }) },
    mentions: [],
  };
  items.push(m);
  size += JSON.stringify(m).length + 1;
}
const doc = JSON.stringify({ code: 0, msg: 'success', data: { items, has_more: false, page_token: '' } });
const body = Buffer.from(doc, 'utf8');

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const sb = sandbox(`http://127.0.0.1:${server.address().port}`, { LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-bench' });
const file = join(sb.tmp, 'response.json');
writeFileSync(file, body);

const jqPath = (() => {
  const r = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? { version: r.stdout.trim() } : undefined;
})();

const expressions = [
  { name: 'length', expr: '.data.items | length', expect: `${items.length}\n` },
  { name: 'map', expr: '.data.items | map({id: .message_id, t: .create_time})', expect: undefined },
];
const commands = [];
const opts = { env: sb.env, cwd: sb.tmp };
for (const e of expressions) {
  const check = (r) => (e.expect === undefined || r.out === e.expect ? undefined : `unexpected output: ${r.out.slice(0, 100)}`);
  commands.push({ label: `lark-cli api GET … --jq '${e.name}'`, e, cmd: process.execPath, args: [bin, 'api', 'GET', '/open-apis/im/v1/messages', '--as', 'bot', '--jq', e.expr], opts, check });
  if (jqPath) commands.push({ label: `jq '${e.name}' (system, from a file)`, e, system: true, cmd: 'jq', args: [e.expr, file], opts, check });
}
await interleave(commands, rounds);
server.close();
sb.cleanup();

const rows = [['command', 'median', 'p90', 'vs jq', 'target', 'result', 'cpu mean', 'cpu vs jq']];
const cpuText = (c) => (meanCpu(c) === undefined ? '' : `${meanCpu(c).toFixed(1)} ms`);
let failed = 0;
const notes = [];
for (const e of expressions) {
  const cli = commands.find((c) => c.e === e && !c.system);
  const sys = commands.find((c) => c.e === e && c.system);
  for (const c of [cli, sys]) if (c?.problem) notes.push(`FAIL ${c.label}: ${c.problem}`);
  if (cli.problem || sys?.problem) {
    failed++;
    rows.push([cli.label, '-', '-', '-', '', 'FAIL', '', '']);
    continue;
  }
  const med = quantile(cli.samples, 0.5);
  const sysMed = sys ? quantile(sys.samples, 0.5) : undefined;
  const ratio = sysMed ? med / sysMed : undefined;
  const ok = med < MAX_MS && (ratio === undefined || ratio <= MAX_RATIO);
  if (!ok) failed++;
  rows.push([
    cli.label,
    `${med.toFixed(1)} ms`,
    `${quantile(cli.samples, 0.9).toFixed(1)} ms`,
    ratio === undefined ? 'skipped' : `${ratio.toFixed(2)}x`,
    `< ${MAX_MS} ms${ratio === undefined ? '' : `, <= ${MAX_RATIO}x`}`,
    ok ? 'PASS' : 'FAIL',
    cpuText(cli),
    sys && meanCpu(cli) !== undefined && meanCpu(sys) ? `${(meanCpu(cli) / meanCpu(sys)).toFixed(2)}x` : '',
  ]);
  if (sys) rows.push([sys.label, `${sysMed.toFixed(1)} ms`, `${quantile(sys.samples, 0.9).toFixed(1)} ms`, '1.00x', '', '', cpuText(sys), '']);
}
const out = [
  `--jq: ${(body.length / 1024 / 1024).toFixed(2)} MB response, ${items.length} items; ${rounds} rounds (+2 warm-up), interleaved; node ${process.version}; ${jqPath ? `system ${jqPath.version}` : 'no system jq (ratios skipped; Debian: apt-get install jq)'}`,
  '',
  table(rows),
  '',
  'PASS/FAIL compares wall-time medians; cpu = mean user+sys time of the child, steadier on a busy machine.',
  ...notes,
];
if (loadavg()[0] > availableParallelism() * 0.75) out.push(`note: load average ${loadavg()[0].toFixed(1)}: wall times are inflated and noisy`);
out.push(failed ? `--jq: ${failed} target(s) FAIL` : '--jq: all targets PASS');
process.stdout.write(out.join('\n') + '\n');
