#!/usr/bin/env node
/**
 * Read-path benchmark (issue 5): `lark-cli im +chat-messages-list` on a page of 50 messages with
 * 10 thread roots, reactions and sender names, against a self-contained fake server that adds a
 * fixed latency (default 50 ms) to every response.
 *
 *   node bench/list-messages.bench.mjs [--rounds N] [--latency MS] [--bin path/to/lark-cli]
 *
 * (rounds: default 5, or BENCH_ROUNDS; run `npm run build` first)
 *
 * Reports the wall time of the command, the number of requests it made, and the longest chain
 * of dependent requests, measured at the server: a request can only depend on requests whose
 * response had been sent before it arrived, so chain(r) = 1 + max chain(q) over those q, and the
 * command's chain is the maximum over its requests. Target: chain <= 4. Always exits 0 (a report)
 * unless the command itself fails.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { argValue, bin, sandbox } from './loopback.mjs';

const rounds = Math.max(1, Number(argValue('--rounds') ?? process.env.BENCH_ROUNDS ?? 5) | 0);
const latency = Math.max(0, Number(argValue('--latency') ?? 50));
const TARGET_CHAIN = 4;

// ---------------------------------------------------------------------------
// The page: 50 messages, every 5th one a thread root (10 threads of root + 4 replies);
// 20 outer senders, 10 more that only reply; every message has a reaction.

const CHAT = 'oc_bench';
const ts = (i) => String(1710500000000 + i * 1000);
const text = (id, t, sender, extra = {}) => ({
  message_id: id,
  msg_type: 'text',
  create_time: ts(Number(id.replace(/\D/g, '')) || 0),
  deleted: false,
  updated: false,
  chat_id: CHAT,
  sender: { id: sender, id_type: 'open_id', sender_type: 'user' },
  body: { content: JSON.stringify({ text: t }) },
  ...extra,
});
const page = [];
const threads = {};
for (let i = 0; i < 50; i++) {
  const id = `om_${i}`;
  if (i % 5 === 0) {
    const tid = `omt_${i}`;
    page.push(text(id, `root ${i}`, `ou_${i % 20}`, { thread_id: tid }));
    threads[tid] = [text(id, `root ${i}`, `ou_${i % 20}`, { thread_id: tid })];
    for (let k = 1; k <= 4; k++) threads[tid].push(text(`om_${i}_${k}`, `reply ${k}`, `ou_${20 + ((i / 5 + k) % 10)}`, { thread_id: tid }));
  } else {
    page.push(text(id, `message ${i}`, `ou_${i % 20}`));
  }
}

// ---------------------------------------------------------------------------
// Fake server

let log = [];
const t0 = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - t0) / 1e6;

/** As Lark answers `with_sender_name=true`: each sender carries its name (the CLI asks no one else). */
const named = (q, items) =>
  q.get('with_sender_name') === 'true' ? items.map((m) => ({ ...m, sender: { ...m.sender, sender_name: `User ${m.sender.id.slice(3)}` } })) : items;

function answer(method, url, body) {
  const q = url.searchParams;
  if (method === 'GET' && url.pathname === '/open-apis/im/v1/messages') {
    if (q.get('container_id_type') === 'thread') return { items: named(q, threads[q.get('container_id')] ?? []), has_more: false, page_token: '' };
    return { items: named(q, page), has_more: true, page_token: 'next' };
  }
  if (method === 'POST' && url.pathname === '/open-apis/im/v1/messages/reactions/batch_query') {
    const ids = (body.queries ?? []).map((x) => x.message_id);
    return {
      success_msg_reaction_counts: ids.map((id) => ({ message_id: id, reaction_count: [{ reaction_type: 'THUMBSUP', count: 1 }] })),
    };
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  const entry = { method: req.method, path: req.url.split('?')[0], start: now(), end: 0 };
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body = {};
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      body = {};
    }
    const data = answer(req.method, new URL(req.url, 'http://x'), body);
    setTimeout(() => {
      const payload = JSON.stringify(data === undefined ? { code: 404, msg: `no route ${req.method} ${entry.path}` } : { code: 0, msg: 'success', data });
      entry.end = now();
      log.push(entry);
      res.writeHead(data === undefined ? 404 : 200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(payload);
    }, latency);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------
// Runs

const { tmp, env, cleanup } = sandbox(base, { LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-bench' });

function runOnce(extra = []) {
  return new Promise((resolveRun, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, 'im', '+chat-messages-list', '--chat-id', CHAT, '--as', 'user', ...extra], { env, cwd: tmp });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, out, err }));
  });
}

/** Longest chain of requests where each one arrived after the previous one's response. */
function longestChain(entries) {
  const sorted = [...entries].sort((a, b) => a.start - b.start);
  const depth = [];
  let best = 0;
  let bestPath = [];
  const prev = [];
  sorted.forEach((r, i) => {
    let d = 1;
    let p = -1;
    for (let j = 0; j < i; j++) {
      if (sorted[j].end > r.start) continue;
      // deepest predecessor; on a tie the one that answered last (the likelier dependency)
      if (depth[j] + 1 > d || (depth[j] + 1 === d && p >= 0 && sorted[j].end > sorted[p].end)) {
        d = depth[j] + 1;
        p = j;
      }
    }
    depth[i] = d;
    prev[i] = p;
    if (d > best) {
      best = d;
      bestPath = [];
      for (let k = i; k >= 0; k = prev[k]) bestPath.unshift(sorted[k]);
    }
  });
  return { chain: best, path: bestPath };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};

const results = [];
let failure;
for (let r = 0; r < rounds + 1; r++) {
  log = [];
  const res = await runOnce();
  if (res.code !== 0) {
    failure = `exit ${res.code}: ${res.err.trim().split('\n').slice(0, 3).join(' ')}`;
    break;
  }
  const data = JSON.parse(res.out).data;
  const replies = data.messages.reduce((n, m) => n + (m.thread_replies?.length ?? 0), 0);
  const named = data.messages.filter((m) => m.sender?.name).length;
  const reacted = data.messages.filter((m) => m.reactions).length;
  if (r === 0) {
    // warm-up round; also a sanity check of the output
    if (data.total !== 50 || replies !== 50 || named !== 50 || reacted !== 50) {
      failure = `unexpected output: total ${data.total}, replies ${replies}, named ${named}, with reactions ${reacted}`;
      break;
    }
    continue;
  }
  const dry = await runOnce(['--dry-run']);
  results.push({ ms: res.ms, dryMs: dry.ms, requests: log.length, ...longestChain(log) });
}
server.close();
cleanup();

const out = [];
out.push(`list-messages: +chat-messages-list, 50 messages / 10 thread roots / reactions / names, ${latency} ms per response, ${rounds} rounds (+1 warm-up); node ${process.version}`);
out.push('');
if (failure) {
  out.push(`FAIL command did not run cleanly: ${failure}`);
  process.stdout.write(out.join('\n') + '\n');
  process.exit(1);
}
const chains = results.map((r) => r.chain);
// timing can only over-estimate the chain (a request delayed by a busy CPU looks dependent on a
// response that ended before it), so the median over the rounds is the figure judged
const chain = Math.round(quantile(chains, 0.5));
const last = results.find((r) => r.chain === chain) ?? results[results.length - 1];
out.push(`wall time          median ${quantile(results.map((r) => r.ms), 0.5).toFixed(0)} ms, p90 ${quantile(results.map((r) => r.ms), 0.9).toFixed(0)} ms`);
out.push(`  same command --dry-run (process start, module load, no request): median ${quantile(results.map((r) => r.dryMs), 0.5).toFixed(0)} ms`);
out.push(`requests           ${last.requests} per run (${[...new Set(results.map((r) => r.requests))].join('/')})`);
out.push(`longest chain      ${chain} dependent request(s) (median; per round ${chains.join(', ')})   target <= ${TARGET_CHAIN}   ${chain <= TARGET_CHAIN ? 'PASS' : 'FAIL'}`);
out.push(`  e.g. ${last.path.map((e) => `${e.method} ${e.path.replace('/open-apis', '')}`).join(' → ')}`);
out.push(`network floor      ${chain} × ${latency} ms = ${chain * latency} ms of the wall time`);
const load = loadavg()[0];
if (load > cpus().length) out.push(`note: load average ${load.toFixed(1)} on ${cpus().length} CPU(s); wall times and the timing-based chain are inflated`);
process.stdout.write(out.join('\n') + '\n');
