#!/usr/bin/env node
/**
 * Emulator benchmark (issue 11): the emulator of dist/emulator.cjs, started in this process on a
 * loopback port with a seed of 100,000 messages, under 8 concurrent keep-alive clients that run in
 * a worker thread (so the load generator does not share the server's event loop):
 *
 *   - sends per second: `POST /open-apis/im/v1/messages?receive_id_type=chat_id` (tenant token,
 *     a text message with a uuid, as `+messages-send` sends it);
 *   - list latency: `GET /open-apis/im/v1/messages?container_id_type=chat&container_id=…&page_size=50`
 *     on a chat of 25,000 messages, each client walking the history with page tokens;
 *   - search latency: `POST /open-apis/im/v1/messages/search?page_size=20` (what `+messages-search`
 *     calls, with a user token) over the 100,000 messages: keywords of every frequency, some with a
 *     chat, sender or time filter.
 *
 *   node bench/emulator.bench.mjs [--messages N] [--sends N] [--lists N] [--searches N]
 *
 * (run `npm run build` first). Targets: >= 3000 sends/s, list p99 < 10 ms, search p50 < 50 ms, all
 * under the 8 clients; the same requests from 1 client are printed beside them (the latency of the
 * request itself, without waiting behind the other 7). Always exits 0 (a report) unless the
 * benchmark itself fails.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const CLIENTS = 8;
const TARGET_SENDS = 3000;
const TARGET_LIST_P99 = 10;
const TARGET_SEARCH_P50 = 50;

// ---------------------------------------------------------------------------
// the load: runs in the worker thread

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

async function load({ port, tenant, user, bigChat, sendChat, queries, counts }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const request = (method, path, token, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = { authorization: `Bearer ${token}` };
      if (data) {
        headers['content-type'] = 'application/json; charset=utf-8';
        headers['content-length'] = data.length;
      }
      const started = performance.now();
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          let parsed;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, not JSON`));
          }
          if (res.statusCode !== 200 || parsed.code !== 0) return reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${JSON.stringify(parsed).slice(0, 200)}`));
          resolve({ ms, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(data);
    });

  /** `total` requests from `clients` loops; each loop's calls are made by `make(client, i)`. */
  async function run(total, clients, make) {
    const lat = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = next++; i < total; i = next++) lat.push((await make(c, i)).ms);
      }),
    );
    const wall = performance.now() - started;
    return { n: total, wall, rps: (total / wall) * 1000, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) };
  }

  const send = (c, i) =>
    request('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', tenant, {
      receive_id: sendChat,
      msg_type: 'text',
      content: JSON.stringify({ text: `bench message ${c}-${i}: the quick brown fox` }),
      uuid: `bench-${process.pid}-${c}-${i}-${Math.random().toString(36).slice(2, 10)}`,
    });

  // each client walks the big chat's history page by page (a new walk when it reaches the end)
  const tokens = new Map();
  const list = async (c) => {
    const tok = tokens.get(c);
    const path = `/open-apis/im/v1/messages?container_id_type=chat&container_id=${bigChat}&page_size=50${tok ? `&page_token=${encodeURIComponent(tok)}` : ''}`;
    const r = await request('GET', path, tenant);
    if (r.body.data.items.length !== 50 && r.body.data.has_more) throw new Error('a list page of the big chat had fewer than 50 items');
    tokens.set(c, r.body.data.has_more ? r.body.data.page_token : undefined);
    return r;
  };

  let hits = 0;
  let searched = 0;
  const search = async (_c, i) => {
    const q = queries[i % queries.length];
    const r = await request('POST', '/open-apis/im/v1/messages/search?page_size=20', user, q);
    searched++;
    hits += r.body.data.items.length;
    return r;
  };

  const out = {};
  // a search without a hit visits every message: the first builds each one's search text
  const noHit = { query: 'zzqq-no-such-word' };
  out.coldFullScanMs = (await request('POST', '/open-apis/im/v1/messages/search?page_size=20', user, noHit)).ms;
  out.warmFullScanMs = (await request('POST', '/open-apis/im/v1/messages/search?page_size=20', user, noHit)).ms;
  // warm-up
  await run(300, CLIENTS, send);
  await run(300, CLIENTS, list);
  await run(40, CLIENTS, search);
  tokens.clear();

  out.send8 = await run(counts.sends, CLIENTS, send);
  out.send1 = await run(Math.ceil(counts.sends / 4), 1, send);
  out.list8 = await run(counts.lists, CLIENTS, list);
  tokens.clear();
  out.list1 = await run(Math.ceil(counts.lists / 4), 1, list);
  hits = 0;
  searched = 0;
  out.search8 = await run(counts.searches, CLIENTS, search);
  out.avgHits = hits / searched;
  out.search1 = await run(Math.ceil(counts.searches / 4), 1, search);
  agent.destroy();
  return out;
}

if (!isMainThread) {
  load(workerData).then(
    (r) => parentPort.postMessage({ ok: true, r }),
    (e) => parentPort.postMessage({ ok: false, error: String(e?.stack ?? e) }),
  );
} else {
  await main();
}

// ---------------------------------------------------------------------------
// the seed and the server: the main thread

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A seeded generator (mulberry32), so every run searches the same messages. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildBenchSeed(total) {
  const r = rng(11);
  const appId = 'cli_bench000000000001';
  const users = Array.from({ length: 40 }, (_, i) => ({ open_id: `ou_bench${String(i).padStart(26, '0')}`, name: `Bench User ${i}` }));
  const alice = users[0].open_id;
  // 10 chats: the first holds a quarter of the messages (the list target); the last is empty (sends)
  const chats = Array.from({ length: 10 }, (_, i) => ({
    chat_id: `oc_bench${String(i).padStart(26, '0')}`,
    name: `Bench chat ${i}`,
    chat_mode: 'group',
    owner: alice,
    members: users.filter((_, k) => k === 0 || (k + i) % 3 !== 0).map((u) => u.open_id),
    bots: [appId],
  }));
  // a vocabulary with a Zipf-like use: a few words are everywhere, most are rare
  const syl = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'po', 'an', 'el', 'or', 'us', 'qi', 'da'];
  const vocab = Array.from({ length: 3000 }, (_, i) => {
    let w = '';
    let x = i + 17;
    do {
      w += syl[x % syl.length];
      x = Math.floor(x / syl.length);
    } while (x > 0);
    return `${w}${i % 7 === 0 ? 'x' : ''}`;
  });
  const word = () => vocab[Math.min(vocab.length - 1, Math.floor(vocab.length * r() ** 3))];
  const now = Date.now();
  const span = 100 * 86400_000;
  const messages = new Array(total);
  for (let i = 0; i < total; i++) {
    const chat = i % 4 === 0 ? chats[0] : chats[1 + (i % 8)];
    const members = chat.members;
    const n = 5 + Math.floor(r() * 12);
    const words = Array.from({ length: n }, word).join(' ');
    const post = i % 10 === 9;
    messages[i] = {
      chat_id: chat.chat_id,
      sender: members[Math.floor(r() * members.length)],
      msg_type: post ? 'post' : 'text',
      content: post ? JSON.stringify({ zh_cn: { title: `Note ${i}`, content: [[{ tag: 'text', text: words }]] } }) : JSON.stringify({ text: words }),
      create_time: now - span + Math.floor((i / total) * span),
    };
  }
  // the searches: one keyword of every frequency band, some with a filter
  const queries = [];
  for (let i = 0; i < 200; i++) {
    const band = i % 4;
    const rank = band === 0 ? 5 + Math.floor(r() * 50) : band === 1 ? 60 + Math.floor(r() * 300) : band === 2 ? 400 + Math.floor(r() * 1000) : 1500 + Math.floor(r() * 1400);
    const q = { query: vocab[rank] };
    const kind = i % 10;
    if (kind === 3) q.filter = { chat_ids: [chats[1 + (i % 8)].chat_id] };
    else if (kind === 5) q.filter = { from_ids: [users[1 + (i % 30)].open_id] };
    else if (kind === 7) q.filter = { time_range: { start_time: String(Math.floor((now - span / 2) / 1000)), end_time: String(Math.floor(now / 1000)) } };
    else if (kind === 9) q.query = `${vocab[5 + (i % 40)]} ${vocab[rank]}`;
    queries.push(q);
  }
  return {
    seed: { apps: [{ app_id: appId, app_secret: 'bench-secret-0000000000000000001', name: 'Bench Bot', scopes: '*' }], users, login_as: alice, chats, messages },
    appId,
    alice,
    chats,
    queries,
    bigChat: chats[0].chat_id,
    sendChat: chats[9].chat_id,
  };
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const bundle = join(root, 'dist', 'emulator.cjs');
  if (!existsSync(bundle)) {
    process.stderr.write(`emulator bench: ${bundle} is missing; run \`npm run build\` first\n`);
    process.exit(1);
  }
  const total = Math.max(1000, Number(argValue('--messages') ?? 100_000) | 0);
  const counts = {
    sends: Math.max(100, Number(argValue('--sends') ?? 4000) | 0),
    lists: Math.max(100, Number(argValue('--lists') ?? 3000) | 0),
    searches: Math.max(20, Number(argValue('--searches') ?? 400) | 0),
  };
  const { startEmulator } = createRequire(import.meta.url)(bundle);

  let t = performance.now();
  const b = buildBenchSeed(total);
  const genMs = performance.now() - t;
  t = performance.now();
  const running = await startEmulator({ host: '127.0.0.1', port: 0, seed: b.seed, log: undefined });
  const startMs = performance.now() - t;
  const emu = running.emulator;
  const seeded = emu.db.t.messages.size;

  // a tenant token the way any client gets one; a user token minted in the state, as the tests'
  // userToken() does with model/tokens.ts (the device flow is not what is measured here)
  const tr = await fetch(`${running.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: b.appId, app_secret: b.seed.apps[0].app_secret }),
  }).then((r) => r.json());
  if (tr.code !== 0) throw new Error(`tenant token: ${JSON.stringify(tr)}`);
  const user = `u-bench${Math.random().toString(36).slice(2)}${'0'.repeat(20)}`;
  emu.db.put('access_tokens', user, { token: user, kind: 'user', app_id: b.appId, open_id: b.alice, scopes: ['search:message', 'im:message', 'im:message:readonly'], expires_at: emu.clock.now() + 7200_000 });

  const result = await new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), {
      workerData: { port: running.port, tenant: tr.tenant_access_token, user, bigChat: b.bigChat, sendChat: b.sendChat, queries: b.queries, counts },
    });
    w.once('message', (m) => (m.ok ? resolve(m.r) : reject(new Error(m.error))));
    w.once('error', reject);
  });
  const sentInChat = emu.db.messagesByChat.get(b.sendChat)?.length ?? 0;
  await running.close();

  const f = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const r = result;
  const out = [];
  out.push(`emulator: dist/emulator.cjs on loopback, ${seeded.toLocaleString('en-US')} seeded messages, ${CLIENTS} keep-alive clients in a worker thread; node ${process.version}`);
  out.push(`  seed: generated in ${f(genMs)} ms, built and loaded by startEmulator in ${f(startMs)} ms`);
  out.push('');
  out.push(`sends          ${f(r.send8.rps)} /s (${r.send8.n} in ${f(r.send8.wall)} ms; p50 ${f(r.send8.p50)} ms, p99 ${f(r.send8.p99)} ms)   1 client: ${f(r.send1.rps)} /s, p50 ${f(r.send1.p50)} ms   target >= ${TARGET_SENDS} /s   ${verdict(r.send8.rps >= TARGET_SENDS)}`);
  out.push(`list (50/page) p50 ${f(r.list8.p50)} ms, p99 ${f(r.list8.p99)} ms (${f(r.list8.rps)} /s over ${r.list8.n})   1 client: p50 ${f(r.list1.p50)} ms, p99 ${f(r.list1.p99)} ms   target p99 < ${TARGET_LIST_P99} ms   ${verdict(r.list8.p99 < TARGET_LIST_P99)}`);
  out.push(`search         p50 ${f(r.search8.p50)} ms, p99 ${f(r.search8.p99)} ms (${f(r.search8.rps)} /s over ${r.search8.n}; ${f(r.avgHits)} hits/page)   1 client: p50 ${f(r.search1.p50)} ms, p99 ${f(r.search1.p99)} ms   target p50 < ${TARGET_SEARCH_P50} ms   ${verdict(r.search8.p50 < TARGET_SEARCH_P50)}`);
  out.push(`  a search without a hit (visits all ${seeded.toLocaleString('en-US')} messages, 1 client): ${f(r.coldFullScanMs)} ms cold (builds each message's search text), ${f(r.warmFullScanMs)} ms warm`);
  out.push(`  (checked: ${sentInChat} messages in the send chat after the warm-up and both send runs)`);
  const load1 = loadavg()[0];
  if (load1 > cpus().length) out.push(`note: load average ${load1.toFixed(1)} on ${cpus().length} CPU(s); throughput and latencies are pessimistic`);
  process.stdout.write(out.join('\n') + '\n');
}
