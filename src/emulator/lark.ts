/**
 * Lark's answer shapes: `{code, msg, data}` envelopes, its error bodies, its ids, its times and
 * its opaque page tokens. Every handler answers through these, so a client sees one platform.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

/** A handler's answer. `body` is sent as JSON unless `raw` is given. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw bytes (downloads). */
  raw?: Buffer;
  /**
   * A long-lived answer (the web page's server-sent events): the server writes the status and
   * headers, then hands the response over; the stream ends it when the client goes away.
   */
  stream?: (res: import('node:http').ServerResponse) => void;
}

/** A Lark error: thrown by handlers and the access checks, answered as Lark does. */
export class LarkError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly status = 400,
    /** Lark's `error` member (permission_violations, field_violations, …). */
    readonly error?: Record<string, unknown>,
    /** Why the request was refused, for the journal (which scope or rule). */
    readonly verdict?: string,
  ) {
    super(msg);
  }
}

// random bytes come from a pool: one randomBytes call per 4 KiB instead of one per id
const POOL = Buffer.alloc(4096);
let poolPos = POOL.length;
/** `n` random bytes as hex. */
export function randomHex(n: number): string {
  if (poolPos + n > POOL.length) {
    randomFillSync(POOL);
    poolPos = 0;
  }
  const s = POOL.toString('hex', poolPos, poolPos + n);
  poolPos += n;
  return s;
}

let logSeq = 0;
/** A log id of Lark's form (20 digits and letters), echoed in `error.log_id` and `x-tt-logid`. */
export function logId(): string {
  logSeq = (logSeq + 1) % 1e6;
  const d = new Date();
  const ts = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${ts}${String(logSeq).padStart(6, '0')}${randomHex(4).toUpperCase()}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function ok(data: unknown = {}): Reply {
  return { status: 200, body: { code: 0, msg: 'success', data } };
}

/** The answer for a thrown LarkError. */
export function errorReply(e: LarkError): Reply {
  const id = logId();
  const error = { ...(e.error ?? {}), log_id: id, troubleshooter: `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?log_id=${id}` };
  return { status: e.status, headers: { 'x-tt-logid': id }, body: { code: e.code, msg: e.msg, error } };
}

// ---- common errors (codes and texts as Lark answers them) ----

/** A parameter problem: Lark's 99992402 with the offending field. */
export function fieldError(field: string, description: string): LarkError {
  return new LarkError(99992402, 'field validation failed', 400, {
    field_violations: [{ field, description }],
  });
}

/** An invalid request parameter of an IM endpoint (230001 with its own text). */
export function invalidParam(msg: string): LarkError {
  return new LarkError(230001, `Your request contains an invalid request parameter, ${msg}`, 400);
}

export function notFoundPath(): LarkError {
  return new LarkError(404, '404 page not found', 404);
}

// ---- ids ----

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
let idCounter = 0;
const idSalt = randomBytes(6).toString('hex');

/** 32 lower-case hex characters, unique within the process and across restarts. */
export function hex32(): string {
  idCounter++;
  return (idSalt + idCounter.toString(16).padStart(8, '0') + randomHex(6)).slice(0, 32);
}

/**
 * `n` (12..32) lower-case hex characters with the counter inside them, so short ids stay unique
 * within the process (a prefix of hex32() would keep only the salt and the counter's leading zeros).
 */
export function hexN(n: number): string {
  idCounter++;
  const salt = idSalt.slice(0, Math.max(0, n - 10));
  return (salt + idCounter.toString(16).padStart(8, '0') + randomHex(6)).slice(0, n);
}

export const newId = {
  chat: () => `oc_${hex32()}`,
  message: () => `om_${hex32()}`,
  thread: () => `omt_${hexN(14)}`,
  user: () => `ou_${hex32()}`,
  union: () => `on_${hex32()}`,
  image: () => `img_v3_${hex32().slice(0, 4)}_${uuidLike()}`,
  file: () => `file_v3_${hex32().slice(0, 4)}_${uuidLike()}`,
  feedGroup: () => `ofg_${hex32().slice(0, 24)}`,
  reaction: () => randomAlnum(48, 'ZCaCIjUBVVWSrm5L-3ZTw_'),
  app: () => `cli_${hexN(16)}`,
  secret: () => randomAlnum(32),
  tenantToken: () => `t-g1${randomAlnum(40)}`,
  userToken: () => `u-${randomAlnum(44)}`,
  refreshToken: () => `ur-${randomAlnum(44)}`,
  deviceCode: () => randomAlnum(40),
  userCode: () => `${randomUpper(4)}-${randomUpper(4)}`,
};

function uuidLike(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}g`;
}

function randomAlnum(n: number, prefix = ''): string {
  const b = randomBytes(n);
  let s = prefix;
  for (let i = 0; s.length < n; i++) s += ALNUM[b[i % n]! % ALNUM.length];
  return s;
}

function randomUpper(n: number): string {
  const A = 'BCDFGHJKLMNPQRSTVWXZ';
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += A[b[i]! % A.length];
  return s;
}

// ---- page tokens ----

/**
 * An opaque, stable page token for a position in a listing: the same listing asked again with
 * the same token gives the same page. `scope` names the listing, so a token from one listing is
 * refused by another.
 */
export function pageToken(scope: string, offset: number | string): string {
  return Buffer.from(JSON.stringify([scope, offset])).toString('base64url');
}

/** The position a page token stands for; a foreign or malformed token is Lark's invalid token error. */
export function readPageToken(token: string | undefined | null, scope: string): number | string | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    // a position is a cursor string or an offset (a tampered token with -1, 1.5 or 1e308 is refused)
    if (Array.isArray(v) && v.length === 2 && v[0] === scope && ((typeof v[1] === 'number' && Number.isSafeInteger(v[1]) && v[1] >= 0) || typeof v[1] === 'string')) return v[1];
  } catch {
    /* fall through */
  }
  throw new LarkError(99992402, 'field validation failed', 400, { field_violations: [{ field: 'page_token', description: 'invalid page token' }] });
}

/**
 * One page of `all` from the position of `token`: Lark's `{items, has_more, page_token}` members.
 * `size` is clamped by the caller's own checks; `field` names the list member (`items` mostly).
 */
export function paginate<T>(all: T[], scope: string, token: string | undefined | null, size: number): { items: T[]; has_more: boolean; page_token: string } {
  const pos = readPageToken(token, scope);
  const start = typeof pos === 'number' ? pos : 0;
  const items = all.slice(start, start + size);
  const has_more = start + size < all.length;
  return { items, has_more, page_token: has_more ? pageToken(scope, start + size) : '' };
}

/** A page_size query parameter: its default when absent, a field error outside [1, max]. */
export function pageSize(raw: string | null | undefined, def: number, max: number): number {
  if (raw === null || raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw fieldError('page_size', `page_size must be an integer between 1 and ${max}`);
  if (n > max) throw fieldError('page_size', `page_size must be an integer between 1 and ${max}`);
  return n;
}

// ---- JSON nesting ----

/** The deepest nesting of arrays and objects accepted in a JSON body or a message content (no Lark body comes near it). */
export const MAX_JSON_DEPTH = 512;

/** Whether a parsed JSON value nests deeper than `limit`, found without recursion (so it cannot overflow the stack itself). */
export function nestedDeeperThan(v: unknown, limit: number): boolean {
  if (!v || typeof v !== 'object') return false;
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > limit) return true;
    for (const c of Array.isArray(x) ? x : Object.values(x as object)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}
