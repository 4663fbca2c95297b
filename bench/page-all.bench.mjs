#!/usr/bin/env node
/**
 * `--page-all` benchmark (issue 14): `lark-cli im chat.members get --page-all` over 1000 pages of
 * 50 members from a loopback server, against a plain node:http script that fetches the same pages
 * (one keep-alive connection, JSON.parse) and writes the same bytes, side by side in one run, for
 * `--format ndjson` and the default JSON. Both write to a file, which is compared afterwards.
 *
 *   node bench/page-all.bench.mjs [--rounds N] [--pages N] [--bin path/to/lark-cli]
 *
 * (rounds: default 5, or BENCH_ROUNDS; run `npm run build` first; 3 rounds swung by ±15% on the 2-core machine)
 *
 * Reports the median wall time of each, their ratio and each one's peak RSS (/usr/bin/time -v
 * when present, else the child's own process.resourceUsage() through a preload). Targets: time at
 * most 1.3x the plain script, peak RSS under 80 MB, for ndjson and for JSON. Always exits 0 (a
 * report) unless a command fails or the outputs differ.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { argValue, bin, sandbox } from './loopback.mjs';

const rounds = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 5) | 0);
const PAGES = Math.max(2, Number(argValue('--pages') ?? 1000) | 0);
const PER_PAGE = 50;
const TARGET_RATIO = 1.3;
const TARGET_RSS_MB = 80;
const CHAT = 'oc_bench';
const PATH = `/open-apis/im/v1/chats/${CHAT}/members`;

// ---------------------------------------------------------------------------
// The pages, made once: keys in sorted order, so the plain script's JSON.stringify prints what
// the CLI prints (the CLI sorts keys itself)

const bodies = [];
for (let p = 0; p < PAGES; p++) {
  const items = [];
  for (let k = 0; k < PER_PAGE; k++) {
    const n = p * PER_PAGE + k;
    items.push({ member_id: `ou_${n.toString(16).padStart(8, '0')}`, member_id_type: 'open_id', name: `Member ${n}`, tenant_key: 'tk_bench' });
  }
  const more = p < PAGES - 1;
  const data = more ? { has_more: true, items, member_total: PAGES * PER_PAGE, page_token: `p${p + 1}` } : { has_more: false, items, member_total: PAGES * PER_PAGE };
  bodies.push(Buffer.from(JSON.stringify({ code: 0, data, msg: 'success' })));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (req.method !== 'GET' || url.pathname !== PATH) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"code":404,"msg":"not found"}');
    return;
  }
  const t = url.searchParams.get('page_token');
  const body = bodies[t ? Number(t.slice(1)) : 0] ?? bodies[0];
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5000;
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------
// The plain script: what node:http alone does for the same output

const tmp = mkdtempSync(join(tmpdir(), 'lark-bench-pageall-'));
const plainScript = join(tmp, 'plain.mjs');
writeFileSync(
  plainScript,
  `import http from 'node:http';
const [base, path, format] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (url) => new Promise((resolve, reject) => {
  http.get(url, { agent, headers: { Authorization: 'Bearer u-bench' } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    res.on('error', reject);
  }).on('error', reject);
});
const out = (s) => process.stdout.write(s);
let token;
let first;
let n = 0;
for (let page = 1; ; page++) {
  const r = await get(base + path + '?member_id_type=open_id' + (token ? '&page_token=' + token : ''));
  const items = r.data.items;
  if (format === 'ndjson') {
    let s = '';
    for (const it of items) s += JSON.stringify(it) + '\\n';
    out(s);
  } else {
    if (page === 1) {
      first = r;
      out('{\\n  "code": ' + r.code + ',\\n  "data": {\\n    "has_more": false,\\n    "items": [');
    }
    let s = '';
    for (const it of items) s += (n++ ? ',\\n      ' : '\\n      ') + JSON.stringify(it, null, 2).replace(/\\n/g, '\\n      ');
    out(s);
  }
  if (!r.data.has_more) break;
  token = r.data.page_token;
}
if (format !== 'ndjson') out('\\n    ],\\n    "member_total": ' + first.data.member_total + '\\n  },\\n  "msg": ' + JSON.stringify(first.msg) + '\\n}\\n');
agent.destroy();
`,
);

// peak RSS: /usr/bin/time -v, else the child reports its own through a preload
const TIME = '/usr/bin/time';
const useTime = existsSync(TIME);
const preload = join(tmp, 'rss.cjs');
writeFileSync(preload, `process.on('exit', () => { try { require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`);

const { env } = sandbox(base, { LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-bench' }, tmp);

/** Runs node with `args`, stdout to `outFile`; wall time, exit code, stderr and peak RSS (MB). */
function runNode(args, outFile) {
  return new Promise((resolveRun, reject) => {
    const rssFile = join(tmp, 'rss.txt');
    rmSync(rssFile, { force: true });
    const fd = openSync(outFile, 'w');
    const cmd = useTime ? TIME : process.execPath;
    const argv = useTime ? ['-v', process.execPath, ...args] : ['--require', preload, ...args];
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, { env: { ...env, BENCH_RSS_FILE: rssFile }, cwd: tmp, stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      closeSync(fd);
      let kb = NaN;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
        if (m) kb = Number(m[1]);
        err = err.replace(/\n?\tCommand being timed:[\s\S]*$/, '');
      } else if (existsSync(rssFile)) kb = Number(readFileSync(rssFile, 'utf8'));
      resolveRun({ ms, code, err, rssMb: kb / 1024 });
    });
  });
}

const cliArgs = (format) => [
  bin, 'im', 'chat.members', 'get', '--params', JSON.stringify({ chat_id: CHAT, member_id_type: 'open_id' }),
  '--as', 'user', '--page-all', '--page-limit', '0', '--page-delay', '-1', ...(format === 'ndjson' ? ['--format', 'ndjson'] : []),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const report = [];
report.push(`page-all: im chat.members get --page-all, ${PAGES} pages of ${PER_PAGE} members from a loopback server, vs a plain node:http script writing the same bytes; ${rounds} rounds (+1 warm-up), median; peak RSS by ${useTime ? '/usr/bin/time -v' : 'process.resourceUsage()'}; node ${process.version}`);
report.push('');
let failure;
const rows = [];
for (const format of ['ndjson', 'json']) {
  const cliOut = join(tmp, `cli.${format}`);
  const plainOut = join(tmp, `plain.${format}`);
  const cli = [];
  const plain = [];
  for (let r = 0; r < rounds + 1; r++) {
    // alternate, so drift in the machine's load falls on both
    const a = await runNode(cliArgs(format), cliOut);
    if (a.code !== 0) {
      failure = `lark-cli (${format}) exit ${a.code}: ${a.err.trim().split('\n').slice(-3).join(' ')}`;
      break;
    }
    const b = await runNode([plainScript, base, PATH, format], plainOut);
    if (b.code !== 0) {
      failure = `plain script (${format}) exit ${b.code}: ${b.err.trim().split('\n').slice(-3).join(' ')}`;
      break;
    }
    if (r === 0) {
      // warm-up round; also the check that both wrote the same bytes
      if (!readFileSync(cliOut).equals(readFileSync(plainOut))) {
        failure = `outputs differ (${format}): lark-cli ${statSync(cliOut).size} bytes, plain script ${statSync(plainOut).size} bytes (kept in ${tmp})`;
        break;
      }
      if (!a.err.includes(format === 'ndjson' ? `[pagination] streamed ${PAGES} pages, ${PAGES * PER_PAGE} total items` : `[pagination] merged ${PAGES} pages, ${PAGES * PER_PAGE} total items`)) {
        failure = `lark-cli (${format}) did not walk every page: ${a.err.trim().split('\n').slice(-2).join(' ')}`;
        break;
      }
      continue;
    }
    cli.push(a);
    plain.push(b);
  }
  if (failure) break;
  const size = statSync(cliOut).size;
  const cliMs = median(cli.map((x) => x.ms));
  const plainMs = median(plain.map((x) => x.ms));
  const cliRss = Math.max(...cli.map((x) => x.rssMb));
  const plainRss = Math.max(...plain.map((x) => x.rssMb));
  rows.push({ format, size, cliMs, plainMs, cliRss, plainRss });
}
server.close();

if (failure) {
  report.push(`FAIL ${failure}`);
  process.stdout.write(report.join('\n') + '\n');
  process.exit(1);
}
rmSync(tmp, { recursive: true, force: true });
for (const r of rows) {
  const ratio = r.cliMs / r.plainMs;
  report.push(`${r.format.padEnd(7)} output ${(r.size / 1048576).toFixed(1)} MB, identical`);
  report.push(`  time      lark-cli ${r.cliMs.toFixed(0)} ms, node:http script ${r.plainMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)}x   target <= ${TARGET_RATIO}x   ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
  report.push(`  peak RSS  lark-cli ${r.cliRss.toFixed(0)} MB (max of the rounds), node:http script ${r.plainRss.toFixed(0)} MB   target < ${TARGET_RSS_MB} MB   ${r.cliRss < TARGET_RSS_MB ? 'PASS' : 'FAIL'}`);
}
const load = loadavg()[0];
if (load > cpus().length) report.push(`note: load average ${load.toFixed(1)} on ${cpus().length} CPU(s); wall times are inflated`);
process.stdout.write(report.join('\n') + '\n');
