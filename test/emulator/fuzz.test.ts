/**
 * Fuzz: a seeded generator sends a few thousand bad requests to every route of allRoutes() and to
 * unknown paths (malformed JSON, wrong types in known fields, huge / negative / garbage page_size,
 * garbage and tampered page tokens, unknown ids, bad Range headers, bad multipart bodies, missing
 * or garbage Authorization, wrong methods). Every answer must be Lark's error shape: a JSON body
 * with a numeric `code` and a string `msg`, HTTP status < 500 (downloads may answer bytes when they
 * succeed), within a few seconds; the emulator must then still answer a good request.
 *
 *   FUZZ_SEED=1234 FUZZ_COUNT=5000 npx vitest run test/emulator/fuzz.test.ts
 *
 * The request stream is a function of the seed alone (the page tokens it tampers with are taken,
 * before the random phase, from one good listing per route), so a failure is reproducible from
 * the seed and the request number the report gives.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/emulator/router.js';
import { allRoutes } from '../../src/emulator/routes/index.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611) >>> 0;
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const BUDGET_MS = 15_000;
const CONCURRENCY = 8;
const TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// a small seeded generator (mulberry32)

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  word(n = 1 + this.int(12)): string {
    const A = 'abcdefghijklmnopqrstuvwxyz0123456789_-';
    let s = '';
    for (let i = 0; i < n; i++) s += A[this.int(A.length)];
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// value pools

const M = (n: number) => `om_demo0000000000000000000000000${String(n).padStart(2, '0')}`;
const REAL_MESSAGES = Array.from({ length: 12 }, (_, i) => M(i + 1));
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

const GARBAGE_STRINGS = [
  '', ' ', 'null', 'undefined', '0', '-1', 'NaN', 'true', '[]', '{}', '../../etc/passwd', '%00', '\u0000', 'é', '日本語', '😀', '\ud83d',
  'om_', 'oc_', 'ou_', 'omt_', 'img_v3_', 'file_v3_', 'ofg_', 'cli_', 'a'.repeat(300), 'x'.repeat(5000), '<script>', "'; DROP TABLE x;--", '\\', '"', '__proto__', 'constructor',
];
const UNKNOWN_IDS = [
  'oc_ffffffffffffffffffffffffffffffff', 'om_ffffffffffffffffffffffffffffffff', 'ou_ffffffffffffffffffffffffffffffff', 'omt_ffffffffffffff', 'img_v3_ffff_ffffffff-ffff-ffff-ffff-ffffffffffffg',
  'file_v3_ffff_ffffffff-ffff-ffff-ffff-ffffffffffffg', 'ofg_ffffffffffffffffffffffff', 'cli_ffffffffffffffff', 'on_ffffffffffffffffffffffffffffffff',
];
const PAGE_SIZES = ['-1', '0', '1', '2', '20', '50', '51', '100', '101', '500', '1000000', '99999999999999999999999', '1e3', '2.5', 'abc', '', ' 5', '0x10', '-0', 'NaN', 'Infinity', '-Infinity', '１'];
const NUMBERS = [0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 1, 1e21, 7200];
const TIMES = ['0', '-1', 'abc', '99999999999999999999', '1710000000', '1710000000000', '', '1.5e12', '2026-03-01T00:00:00+08:00', '9'.repeat(400)];
const ENUMS = ['chat', 'thread', 'chat_id', 'open_id', 'user_id', 'union_id', 'app_id', 'email', 'ByCreateTimeAsc', 'ByCreateTimeDesc', 'image', 'file', 'media', 'text', 'post', 'group', 'p2p', 'topic', 'message', 'avatar', 'stream', 'pdf', 'mp4', 'opus', 'private', 'public'];
const RANGES = ['bytes=0-0', 'bytes=0-9', 'bytes=5-2', 'bytes=-5', 'bytes=-0', 'bytes=0-', 'bytes=999999999-', 'bytes=99999999999999999999-1', 'bytes=abc', 'bytes=1-2,3-4', 'bytes=', 'items=0-5', 'bytes=-', 'bytes= 0-1', '0-5', 'bytes=1-1, ', 'bytes=00000000000000000000000001-2'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Field names the IM endpoints, auth and the admin API read (request bodies and queries). */
const FIELDS = [
  'receive_id', 'msg_type', 'content', 'uuid', 'reply_in_thread', 'reaction_type', 'emoji_type', 'message_id', 'message_ids', 'chat_id', 'chat_ids', 'id_list', 'user_ids', 'user_id_list', 'name',
  'description', 'owner_id', 'i18n_names', 'chat_mode', 'chat_type', 'queries', 'query', 'filter', 'from_ids', 'time_range', 'start_time', 'end_time', 'page_size', 'page_token', 'container_id_type',
  'container_id', 'sort_type', 'receive_id_type', 'member_id_type', 'user_id_type', 'type', 'file_type', 'file_name', 'image_type', 'duration', 'app_id', 'app_secret', 'grant_type', 'client_id',
  'client_secret', 'device_code', 'refresh_token', 'code', 'scope', 'advance_seconds', 'path', 'status', 'times', 'sender', 'parent_id', 'open_id', 'user_code', 'feed_group_id', 'items', 'item_ids',
  'flag_type', 'item_type', 'mute_type', 'is_muted', 'settings', 'moderation_setting', 'moderator_added_list', 'moderator_removed_list', 'manager_ids', 'validity_period', 'shortcut_ids', 'shortcuts',
  'card_msg_content_type', 'include_attachment_types', 'drop', 'delay_ms', 'headers', 'method', 'user_id', 'union_id', 'operator', 'succeed_type', 'set_bot_manager', 'external',
];

// ---------------------------------------------------------------------------------------------
// requests

interface FuzzRequest {
  n: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The matched route's pattern, or '(unknown)'. */
  route: string;
  /** A download endpoint: bytes are a fine answer when it succeeds. */
  download: boolean;
  /** What was done to the request (for the report). */
  what: string[];
}

interface Ctx {
  tenant: string;
  user: string;
  otherUser: string;
  /** Real ids of the seed and of the state (threads, reactions, feed groups, …). */
  ids: string[];
  pageTokens: string[];
}

function isDownload(r: Route): boolean {
  return r.method === 'GET' && (/\/resources\/:/.test(r.path) || /\/images\/:/.test(r.path) || /\/files\/:/.test(r.path));
}

function idValue(g: Rng, ctx: Ctx): string {
  const roll = g.int(10);
  if (roll < 5) return g.pick(ctx.ids);
  if (roll < 8) return g.pick(UNKNOWN_IDS);
  return g.pick(GARBAGE_STRINGS);
}

function encodeSeg(g: Rng, v: string): string {
  // mostly well-encoded; sometimes a broken escape the server must not choke on
  if (g.chance(0.05)) return g.pick(['%', '%zz', '%E0%A4%A', '%C0%AF', '%2F..%2F', '%00']);
  let e: string;
  try {
    e = encodeURIComponent(v);
  } catch {
    e = '%ED%A0%BD'; // a lone surrogate: bytes that are not UTF-8
  }
  return e || (g.chance(0.5) ? '' : '%20');
}

function scalarValue(g: Rng, ctx: Ctx, depth = 0): unknown {
  switch (g.int(9)) {
    case 0:
      return g.pick(NUMBERS);
    case 1:
      return g.chance(0.5);
    case 2:
      return null;
    case 3:
      return g.pick(GARBAGE_STRINGS);
    case 4:
      return idValue(g, ctx);
    case 5:
      return g.pick(ENUMS);
    case 6:
      return depth < 3 ? Array.from({ length: g.int(4) }, () => scalarValue(g, ctx, depth + 1)) : [];
    case 7:
      return depth < 3 ? { [g.pick(FIELDS)]: scalarValue(g, ctx, depth + 1) } : {};
    default:
      return g.pick(TIMES);
  }
}

/** A Lark content string: valid for some msg_type, or not quite. */
function contentValue(g: Rng, ctx: Ctx): unknown {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  return g.pick<() => unknown>([
    () => JSON.stringify({ text: g.pick(['hi', '', '<at user_id="all"></at>', `<at user_id="${DEMO.bob}">Bob</at>`, '<at user_id="ou_x"', 'x'.repeat(200_000)]) }),
    () => JSON.stringify({ zh_cn: { title: 't', content: [[{ tag: 'at', user_id: g.pick(ctx.ids) }, { tag: 'text', text: 3 }]] } }),
    () => JSON.stringify({ zh_cn: { title: 't', content: JSON.parse(deep(3000)) } }),
    () => deep(5000),
    // deeper than any recursive walk can go (JSON.parse itself copes)
    () => JSON.stringify({ zh_cn: { title: 't', content: '@@DEEP@@' } }).replace('"@@DEEP@@"', deep(100_000)),
    () => deep(100_000),
    () => JSON.stringify({ image_key: idValue(g, ctx) }),
    () => JSON.stringify({ file_key: idValue(g, ctx) }),
    () => JSON.stringify({ elements: 'x', header: null }),
    () => '{"text":',
    () => '',
    () => 'not json',
    () => ({ text: 'an object, not a string' }),
    () => scalarValue(g, ctx),
  ])();
}

function jsonBodyValue(g: Rng, ctx: Ctx): unknown {
  if (g.chance(0.1)) return g.pick([null, 0, 'x', [], [{}], true, [[[]]]]);
  const o: Record<string, unknown> = {};
  const n = g.int(6);
  for (let i = 0; i < n; i++) {
    const k = g.pick(FIELDS);
    if (k === 'content') o[k] = contentValue(g, ctx);
    else if (k === 'reaction_type') o[k] = g.pick([{ emoji_type: g.pick(['SMILE', 'THUMBSUP', '', 'NOPE', 5]) }, 'SMILE', null, {}]);
    else if (k === 'page_size') o[k] = g.pick([-1, 0, 1e9, '20', 'x']);
    else o[k] = scalarValue(g, ctx);
  }
  if (g.chance(0.03)) o.big = 'y'.repeat(1 << 20);
  return o;
}

function multipartBody(g: Rng, what: string[]): { ctype: string; body: Buffer } {
  const boundary = `----fuzz${g.word(16)}`;
  const part = (head: string, data: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), Buffer.from(data), Buffer.from('\r\n')]);
  const fields = [
    part('Content-Disposition: form-data; name="image_type"', g.pick(['message', 'avatar', '', 'x'])),
    part('Content-Disposition: form-data; name="file_type"', g.pick(['stream', 'pdf', 'mp4', 'opus', 'doc', '', 'exe'])),
    part('Content-Disposition: form-data; name="file_name"', g.pick(['a.txt', '', '../x', '"q".bin', '日本.png', 'x'.repeat(1000)])),
    part('Content-Disposition: form-data; name="duration"', g.pick(['1000', '-1', 'abc', ''])),
  ].filter(() => g.chance(0.6));
  const file = () =>
    part(`Content-Disposition: form-data; name="${g.pick(['image', 'file', 'other'])}"${g.chance(0.8) ? `; filename="${g.pick(['a.png', 'b.bin', '', 'c"d'])}"` : ''}\r\nContent-Type: ${g.pick(['image/png', 'application/octet-stream', 'text/plain', ''])}`,
      g.pick([Buffer.alloc(0), g.bytes(1 + g.int(2000)), Buffer.from('\x89PNG\r\n\x1a\n')]));
  const end = Buffer.from(`--${boundary}--\r\n`);
  switch (g.int(8)) {
    case 0:
      what.push('multipart without a boundary');
      return { ctype: 'multipart/form-data', body: Buffer.concat([...fields, file(), end]) };
    case 1:
      what.push('multipart cut short');
      return { ctype: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...fields, file()]).subarray(0, 30 + g.int(200)) };
    case 2:
      what.push('multipart, no parts');
      return { ctype: `multipart/form-data; boundary=${boundary}`, body: end };
    case 3:
      what.push('multipart, other boundary');
      return { ctype: `multipart/form-data; boundary="${g.word(10)}"`, body: Buffer.concat([...fields, file(), end]) };
    case 4:
      what.push('multipart, garbage');
      return { ctype: `multipart/form-data; boundary=${boundary}`, body: g.bytes(g.int(500)) };
    case 5:
      what.push('multipart, part without headers');
      return { ctype: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([Buffer.from(`--${boundary}\r\n\r\nxx\r\n`), end]) };
    default:
      what.push('multipart, fields shuffled or missing');
      return { ctype: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...(g.chance(0.7) ? [file()] : []), ...fields, ...(g.chance(0.3) ? [file()] : []), end]) };
  }
}

function authHeader(g: Rng, ctx: Ctx, route: Route | undefined, what: string[]): string | undefined {
  // mostly a token the route takes, so the handler's own checks are reached
  const good = route?.auth === 'user' ? ctx.user : route?.auth === 'tenant' ? ctx.tenant : g.chance(0.5) ? ctx.tenant : ctx.user;
  if (g.chance(0.8)) return `Bearer ${g.chance(0.1) ? (good === ctx.user ? ctx.otherUser : ctx.tenant) : good}`;
  const bad = g.pick([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer ${good}`, `Bearer ${good} extra`, 'Bearer t-unknowntoken', 'Bearer u-unknowntoken', `Bearer ${'x'.repeat(6000)}`, `Token ${good}`, 'Bearer \t']);
  what.push(`authorization ${JSON.stringify(bad)?.slice(0, 40)}`);
  return bad;
}

function queryString(g: Rng, ctx: Ctx, what: string[]): string {
  const parts: string[] = [];
  const n = g.int(5);
  for (let i = 0; i < n; i++) {
    const k = g.pick(['page_size', 'page_token', 'container_id_type', 'container_id', 'receive_id_type', 'member_id_type', 'user_id_type', 'sort_type', 'start_time', 'end_time', 'type', 'reaction_type', 'chat_id', 'message_ids', 'card_msg_content_type', 'chat_ids', 'uuid', 'id_type', 'user_ids', 'set_bot_manager', 'feed_group_id', 'flag_type']);
    let v: string;
    if (k === 'page_size') v = g.pick(PAGE_SIZES);
    else if (k === 'page_token') v = g.chance(0.6) && ctx.pageTokens.length ? tamperToken(g, g.pick(ctx.pageTokens)) : g.pick([...GARBAGE_STRINGS, b64(['x', 1]), b64('['), b64([]), b64(['chat', -1])]);
    else if (k.endsWith('_type') || k === 'type') v = g.chance(0.6) ? g.pick(ENUMS) : g.pick(GARBAGE_STRINGS);
    else if (k.endsWith('_time')) v = g.pick(TIMES);
    else v = idValue(g, ctx);
    parts.push(`${encodeSeg(g, k)}=${encodeSeg(g, v)}`);
    what.push(`${k}=${v.slice(0, 40)}`);
    // a repeated key now and then
    if (g.chance(0.1)) parts.push(`${k}=${encodeSeg(g, g.pick(GARBAGE_STRINGS))}`);
  }
  if (g.chance(0.05)) parts.push(g.pick(['&&', '=', '=x', 'a', '%', 'page_size', 'page_size=', '&page_size=10&page_size=-3']));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A page token the server issued, with its position changed (negative, huge, fractional, foreign). */
function tamperToken(g: Rng, tok: string): string {
  if (g.chance(0.2)) return tok; // as issued, on another route or with other filters
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8'));
  } catch {
    return tok.slice(0, g.int(tok.length)) + g.word(3);
  }
  const pos = g.pick<unknown>([-1, -1000, 1e12, 1.5, NaN, 'abc', '', null, [], { a: 1 }, 2 ** 31, '-1', `${g.pick(REAL_MESSAGES)}`, 'om_ffffffffffffffffffffffffffffffff']);
  if (Array.isArray(decoded)) return b64([decoded[0], pos, ...decoded.slice(2)]);
  if (decoded && typeof decoded === 'object') return b64({ ...(decoded as object), [g.pick(Object.keys(decoded as object).concat('offset'))]: pos });
  return b64(pos);
}

function makeRequest(g: Rng, ctx: Ctx, routes: Route[], n: number): FuzzRequest {
  const what: string[] = [];
  const headers: Record<string, string> = {};
  let route: Route | undefined;
  let path: string;
  let method: string;
  if (g.chance(0.08)) {
    path = g.pick([
      '/', '//', '/open-apis', '/open-apis/', '/open-apis/im/v1', '/open-apis/im/v2/messages', '/open-apis/im/v1/nope', `/open-apis/${g.word()}/${g.word()}`, '/_emulator', '/_emulator/nope',
      `/open-apis/im/v1/messages/${g.pick(REAL_MESSAGES)}/nope/deeper`, `/open-apis/im/v1/chats/${DEMO.project}/members/x/y/z`, `/${'a/'.repeat(500)}`, `/open-apis/${'x'.repeat(8000)}`, '/favicon.ico',
      '/open-apis/im/v1/messages/%', '/open-apis/../../etc/passwd', '/open-apis/im/v1/messages/%zz/reply',
    ]);
    method = g.pick(METHODS);
    what.push('unknown path');
  } else {
    route = g.pick(routes);
    path = route.path
      .split('/')
      .map((seg) => (seg.startsWith(':') ? encodeSeg(g, idValue(g, ctx)) : seg))
      .join('/');
    if (g.chance(0.03)) path += '/';
    method = route.method;
    if (g.chance(0.12)) {
      method = g.pick(METHODS.filter((m) => m !== route!.method));
      what.push(`wrong method ${method}`);
    }
  }
  path += queryString(g, ctx, what);
  const auth = authHeader(g, ctx, route, what);
  if (auth !== undefined) headers.authorization = auth;
  if (method === 'GET' && g.chance(0.25)) {
    headers.range = g.pick(RANGES);
    what.push(`range ${headers.range}`);
  }

  let body: Buffer | undefined;
  const upload = route && /\/(images|files)$/.test(route.path) && route.method === 'POST';
  const kind = g.int(10);
  if (upload && kind < 6) {
    const mp = multipartBody(g, what);
    headers['content-type'] = mp.ctype;
    body = mp.body;
  } else if (kind === 0) {
    body = Buffer.from(g.pick(['{', '{"a":', '[1,2', 'nul', '{"a":1}}', '{"receive_id":}', '\ufeff{}', "{'a':1}", '{"a":NaN}', '{"a":1,}', '\u0000', g.word(20), '{"a":"\\x"}']));
    headers['content-type'] = g.pick(['application/json', 'application/json; charset=utf-8', 'text/plain']);
    what.push(`malformed JSON ${body.toString('utf8').slice(0, 20)}`);
  } else if (kind === 1) {
    body = Buffer.from(g.pick(['a=1&b', '%%%', 'app_id=&app_secret=', `grant_type=${g.pick(ENUMS)}&device_code=${g.word()}`, 'x'.repeat(2000)]));
    headers['content-type'] = 'application/x-www-form-urlencoded';
    what.push('form body');
  } else if (kind === 2 && !upload) {
    const mp = multipartBody(g, what);
    headers['content-type'] = mp.ctype;
    body = mp.body;
  } else if (kind === 3) {
    body = g.bytes(g.int(300));
    if (g.chance(0.5)) headers['content-type'] = g.pick(['application/octet-stream', 'application/json', 'image/png']);
    what.push('random bytes');
  } else if (method !== 'GET' || g.chance(0.2)) {
    const v = jsonBodyValue(g, ctx);
    let text = JSON.stringify(v) ?? 'null';
    // a body nested deeper than a recursive walk (or JSON.stringify of it) can go
    if (g.chance(0.01) && text.startsWith('{')) text = `{"filter":${'['.repeat(100_000)}${']'.repeat(100_000)}${text === '{}' ? '' : ','}${text.slice(1)}`;
    // a literal "__proto__" key (an object literal cannot make one)
    if (g.chance(0.03) && text.startsWith('{')) text = `{"__proto__":{"polluted":true}${text === '{}' ? '' : ','}${text.slice(1)}`;
    body = Buffer.from(text);
    if (g.chance(0.9)) headers['content-type'] = 'application/json; charset=utf-8';
    what.push(`json ${body.toString('utf8').slice(0, 120)}`);
  }
  return { n, method, path, headers, body, route: route ? `${route.method} ${route.path}` : '(unknown)', download: route ? isDownload(route) && method === route.method : false, what };
}

// ---------------------------------------------------------------------------------------------
// transport: node:http with a keep-alive agent (fetch would refuse some of these requests)

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(agent: http.Agent, port: number, r: { method: string; path: string; headers: Record<string, string>; body?: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers['content-length'] = r.body.length;
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Browser pages (the verification link of `config init --new` and the device page): HTML or a redirect. */
const PAGES = new Set(['GET /page/cli', 'GET /_emulator/device']);
/** OAuth endpoints answer as RFC 6749 / 8628 say, as Lark's do: `error` and `error_description` (with Lark's `code`). */
const OAUTH = /^POST \/(oauth\/v1\/|open-apis\/authen\/v2\/oauth\/)/;

/** What is wrong with an answer, or undefined when it is one Lark could give. */
function problem(req: FuzzRequest, a: Answer): string | undefined {
  if (a.status >= 500) return `HTTP ${a.status}`;
  if (PAGES.has(req.route) && req.method === 'GET') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(a.body.toString('utf8'));
  } catch {
    if (req.download && a.status >= 200 && a.status < 300 && !/json/i.test(String(a.headers['content-type'] ?? ''))) return undefined;
    return `non-JSON body (HTTP ${a.status}, ${a.headers['content-type'] ?? 'no content-type'}): ${JSON.stringify(a.body.subarray(0, 80).toString('utf8'))}`;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return `JSON that is not an object: ${a.body.subarray(0, 80).toString('utf8')}`;
  const b = parsed as { code?: unknown; msg?: unknown; error?: unknown };
  // the state export is the state itself (`--seed` takes it back), not an envelope
  if (req.route === 'GET /_emulator/state' && req.method === 'GET' && a.status === 200 && (b as { format?: unknown }).format === 'lark-emulator-state') return undefined;
  if (OAUTH.test(req.route) && req.method === 'POST' && (typeof b.error === 'string' || b.code === 0 || typeof b.msg === 'string')) return undefined;
  if (typeof b.code !== 'number' || !Number.isInteger(b.code)) return `no numeric code: ${a.body.subarray(0, 120).toString('utf8')}`;
  if (typeof b.msg !== 'string') return `no string msg: ${a.body.subarray(0, 120).toString('utf8')}`;
  if (b.code === 0 && a.status >= 400) return `code 0 with HTTP ${a.status}`;
  if (b.code !== 0 && a.status < 300 && a.status !== 200) return `error code ${b.code} with HTTP ${a.status}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------

describe('emulator fuzz', () => {
  const internalErrors: string[] = [];
  const h = useEmulator({ log: (line) => void (/internal error/.test(line) && internalErrors.push(line.split('\n').slice(0, 4).join(' | '))) });

  it('values nested deeper than any recursive walk: in the body, and inside a message content string', async () => {
    internalErrors.length = 0;
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const tenant = await h.tenantToken();
    const user = h.userToken(DEMO.alice);
    const post = (inner: string) => JSON.stringify({ zh_cn: { title: 't', content: '@@' } }).replace('"@@"', inner);
    const contents: Array<[string, string]> = [
      ['post', post(deep(100_000))],
      ['post', post(`[[${'{"tag":"text","text":'.repeat(20_000)}"x"${'}'.repeat(20_000)}]]`)],
      ['interactive', `{"elements":${deep(100_000)}}`],
      ['text', JSON.stringify({ text: 'x' }).replace('}', `,"extra":${deep(100_000)}}`)],
    ];
    const answers: Array<{ what: string; status: number; body: any }> = [];
    const note = (what: string, r: { status: number; body: any }) => answers.push({ what, status: r.status, body: r.body });
    for (const [msg_type, content] of contents) {
      note(`send ${msg_type}`, await h.call('POST', '/open-apis/im/v1/messages', { token: tenant, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, msg_type, content } }));
      note(`reply ${msg_type}`, await h.call('POST', `/open-apis/im/v1/messages/${M(1)}/reply`, { token: user, json: { msg_type, content } }));
      note(`admin message ${msg_type}`, await h.call('POST', '/_emulator/messages', { json: { chat_id: DEMO.project, sender: DEMO.bob, msg_type, content } }));
    }
    note('deep body', await h.call('POST', '/open-apis/im/v1/messages', { token: tenant, query: { receive_id_type: 'chat_id' }, body: `{"receive_id":"${DEMO.project}","msg_type":"text","content":"{}","x":${deep(100_000)}}`, headers: { 'content-type': 'application/json' } }));
    // whatever was stored is read back, searched, journaled and exported without a crash
    note('list', await h.call('GET', '/open-apis/im/v1/messages', { token: tenant, query: { container_id_type: 'chat', container_id: DEMO.project, page_size: 50, sort_type: 'ByCreateTimeDesc' } }));
    note('search', await h.call('POST', '/open-apis/im/v1/messages/search', { token: user, query: { page_size: 50 }, json: { query: 'x' } }));
    note('journal', await h.call('GET', '/_emulator/requests'));
    note('state', await h.call('GET', '/_emulator/state'));
    const bad = answers.filter((a) => a.status >= 500 || !a.body || (a.what !== 'state' && (typeof a.body.code !== 'number' || typeof a.body.msg !== 'string')));
    expect({ bad: bad.map((a) => `${a.what}: HTTP ${a.status} ${JSON.stringify(a.body)?.slice(0, 200)}`), internalErrors }).toEqual({ bad: [], internalErrors: [] });
    // the body nested too deep is Lark's Bad Request
    expect(answers.find((a) => a.what === 'deep body')).toMatchObject({ status: 400, body: { code: 9499 } });
  });

  it(`answers ${COUNT} bad requests (seed ${SEED}) with Lark's error shape, then a good one`, async () => {
    internalErrors.length = 0;
    const started = Date.now();
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const port = h.running.port;
    const tenant = await h.tenantToken();
    const user = h.userToken(DEMO.alice);
    const otherUser = h.userToken(DEMO.dave, ['im:message']);
    const all = allRoutes();
    // the admin API can reset the state, move the clock and arm faults: fuzzed last, one at a time
    const platform = all.filter((r) => !r.path.startsWith('/_emulator/'));
    const admin = all.filter((r) => r.path.startsWith('/_emulator/'));

    const ids = [
      DEMO.appId, DEMO.alice, DEMO.bob, DEMO.carol, DEMO.dave, DEMO.project, DEMO.topics, DEMO.p2p, DEMO.image, DEMO.file, ...REAL_MESSAGES,
      ...h.emu.db.t.threads.keys(), ...h.emu.db.t.reactions.keys(), ...h.emu.db.t.feed_groups.keys(),
    ];
    const ctx: Ctx = { tenant, user, otherUser, ids, pageTokens: [] };

    // one good listing per GET route (page_size=1) to collect real page tokens to tamper with
    for (const r of platform.filter((x) => x.method === 'GET' && !isDownload(x))) {
      const path = r.path.replace(/:(\w+)/g, (_m, name: string) => (/chat/.test(name) ? DEMO.project : /message/.test(name) ? M(1) : /thread/.test(name) ? (ids.find((i) => i.startsWith('omt_')) ?? 'x') : DEMO.alice));
      const qs = r.path.includes('/messages') && !r.path.includes(':') ? `?container_id_type=chat&container_id=${DEMO.project}&page_size=1` : `?page_size=1&chat_id=${DEMO.project}`;
      for (const tok of [tenant, user]) {
        const a = await send(agent, port, { method: 'GET', path: path + qs, headers: { authorization: `Bearer ${tok}` } });
        try {
          const t = (JSON.parse(a.body.toString('utf8')) as { data?: { page_token?: unknown } }).data?.page_token;
          if (typeof t === 'string' && t) ctx.pageTokens.push(t);
        } catch {
          /* judged in the random phase */
        }
      }
    }

    const g = new Rng(SEED);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    let sent = 0;
    const slowest: { ms: number; what: string }[] = [];
    const check = async (req: FuzzRequest) => {
      let a: Answer;
      const t0 = performance.now();
      try {
        a = await send(agent, port, req);
        const ms = performance.now() - t0;
        slowest.push({ ms, what: `#${req.n} ${req.route} {${req.what.join('; ').slice(0, 100)}}` });
        slowest.sort((x, y) => y.ms - x.ms).splice(3);
      } catch (e) {
        failures.push(`#${req.n} ${req.method} ${req.path.slice(0, 160)} [${req.route}] {${req.what.join('; ')}}: ${(e as Error).message}`);
        return;
      }
      sent++;
      const p = problem(req, a);
      if (p) failures.push(`#${req.n} ${req.method} ${req.path.slice(0, 160)} [${req.route}] {${req.what.join('; ')}}: ${p}`);
      else {
        try {
          const c = (JSON.parse(a.body.toString('utf8')) as { code: number }).code;
          codes.set(c, (codes.get(c) ?? 0) + 1);
        } catch {
          codes.set(-1, (codes.get(-1) ?? 0) + 1);
        }
      }
    };

    // the platform routes and unknown paths, CONCURRENCY requests in flight; requests are made in
    // order from the one generator, so the stream depends on the seed alone
    let next = 0;
    const deadline = started + BUDGET_MS;
    const worker = async () => {
      while (next < COUNT && Date.now() < deadline) {
        const req = makeRequest(g, ctx, platform, next++);
        await check(req);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const platformSent = next;

    // the admin API, one at a time; whatever a request armed or changed is undone before the next
    const ga = new Rng(SEED ^ 0x5bd1e995);
    for (let i = 0; i < 150 && Date.now() < deadline + 2000; i++) {
      const req = makeRequest(ga, ctx, admin, COUNT + i);
      if (req.route === 'POST /_emulator/reset') continue;
      await check(req);
      h.emu.faults = [];
    }

    // still up: a good token and a good request (the demo chat's messages, when messages are
    // emulated), after a reset through the admin API (the fuzz may have changed the chat: removed
    // the bot, disbanded it, …)
    const reset = await send(agent, port, { method: 'POST', path: '/_emulator/reset', headers: {} });
    expect(reset.status).toBe(200);
    const tok = await h.tenantToken();
    const good = await send(agent, port, { method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ app_id: DEMO.appId, app_secret: DEMO.appSecret })) });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body.toString('utf8')).code).toBe(0);
    if (all.some((r) => r.method === 'GET' && r.path === '/open-apis/im/v1/messages')) {
      const list = await send(agent, port, { method: 'GET', path: `/open-apis/im/v1/messages?container_id_type=chat&container_id=${DEMO.project}&page_size=5`, headers: { authorization: `Bearer ${tok}` } });
      expect({ status: list.status, body: JSON.parse(list.body.toString('utf8')) }).toMatchObject({ status: 200, body: { code: 0 } });
    }
    agent.destroy();

    const elapsed = Date.now() - started;
    const summary = `fuzz seed ${SEED}: ${platformSent} platform requests over ${platform.length} routes + admin, ${sent} answered in ${elapsed} ms; codes ${[...codes].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c, n]) => `${c}×${n}`).join(' ')}`;
    console.log(`${summary}\nslowest: ${slowest.map((x) => `${x.ms.toFixed(0)} ms ${x.what}`).join('\n         ')}`);
    expect(platformSent).toBeGreaterThanOrEqual(Math.min(COUNT, 1000));
    expect({ failures: failures.slice(0, 25), total: failures.length, internalErrors: internalErrors.slice(0, 10) }).toEqual({ failures: [], total: 0, internalErrors: [] });
  }, 40_000);
});
