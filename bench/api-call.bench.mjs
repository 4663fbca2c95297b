#!/usr/bin/env node
/**
 * One plain API call (issue 14): `lark-cli im chats get` against a loopback server, measured
 * side by side with bare `node -e 0`. The call goes out directly (no proxy variable), so the
 * transport sends it over node:http and never loads undici; the tenant token comes from the
 * environment, so the call is the only request.
 *
 *   node bench/api-call.bench.mjs [--rounds N] [--bin path/to/lark-cli]
 *
 * (rounds: default 20, or BENCH_ROUNDS; run `npm run build` first)
 *
 * Target: median at most 2.5x bare node. Always exits 0 (a report).
 */
import http from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { argValue, bin, interleave, meanCpu, quantile, sandbox, table } from './loopback.mjs';

const rounds = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 20) | 0);
const TARGET = 2.5;

const chat = {
  chat_id: 'oc_bench',
  name: 'Bench chat',
  description: 'a chat for the benchmark',
  owner_id: 'ou_owner',
  owner_id_type: 'open_id',
  chat_mode: 'group',
  chat_type: 'private',
  external: false,
  tenant_key: 'tk_bench',
  user_count: '42',
  bot_count: '1',
};
let calls = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const ok = req.method === 'GET' && req.url.split('?')[0] === '/open-apis/im/v1/chats/oc_bench';
    if (ok) calls++;
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(ok ? { code: 0, msg: 'success', data: chat } : { code: 404, msg: `no route ${req.method} ${req.url}` }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const sb = sandbox(`http://127.0.0.1:${server.address().port}`, { LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-bench' });

const commands = [
  { label: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], opts: { env: sb.env, cwd: sb.tmp }, baseline: true },
  {
    label: 'lark-cli im chats get',
    cmd: process.execPath,
    args: [bin, 'im', 'chats', 'get', '--params', '{"chat_id":"oc_bench"}', '--as', 'bot'],
    opts: { env: sb.env, cwd: sb.tmp },
    target: TARGET,
    check: (r) => (JSON.parse(r.out).data?.chat_id === 'oc_bench' ? undefined : `unexpected output: ${r.out.slice(0, 200)}`),
  },
];
await interleave(commands, rounds);
server.close();
sb.cleanup();

const base = quantile(commands[0].samples, 0.5);
const baseCpu = meanCpu(commands[0]);
const rows = [['command', 'median', 'p90', 'ratio', 'target', 'result', 'cpu mean', 'cpu ratio']];
let failed = 0;
for (const c of commands) {
  if (c.problem) {
    failed++;
    rows.push([c.label, '-', '-', '-', `<= ${c.target}x`, 'FAIL', '', '']);
    continue;
  }
  const med = quantile(c.samples, 0.5);
  const ratio = med / base;
  const ok = c.target === undefined || ratio <= c.target;
  if (!ok) failed++;
  const cpu = meanCpu(c);
  rows.push([
    c.label,
    `${med.toFixed(1)} ms`,
    `${quantile(c.samples, 0.9).toFixed(1)} ms`,
    `${ratio.toFixed(2)}x`,
    c.target ? `<= ${c.target}x` : '',
    c.target ? (ok ? 'PASS' : 'FAIL') : '',
    cpu === undefined ? '' : `${cpu.toFixed(1)} ms`,
    cpu === undefined || !baseCpu ? '' : `${(cpu / baseCpu).toFixed(2)}x`,
  ]);
}
const out = [
  `api call: ${rounds} rounds (+2 warm-up), interleaved; ${calls} calls served; node ${process.version}`,
  '',
  table(rows),
  '',
  'PASS/FAIL compares wall-time medians; cpu = mean user+sys time of the child, steadier on a busy machine.',
];
for (const c of commands) if (c.problem) out.push(`FAIL ${c.label}: ${c.problem}`);
if (loadavg()[0] > availableParallelism() * 0.75) out.push(`note: load average ${loadavg()[0].toFixed(1)}: wall times are inflated and noisy`);
if (process.env.NODE_EXTRA_CA_CERTS) out.push('note: NODE_EXTRA_CA_CERTS is set: every node process loads those certificates first, which shrinks the ratio');
out.push(failed ? `api call: ${failed} target(s) FAIL` : 'api call: all targets PASS');
process.stdout.write(out.join('\n') + '\n');
