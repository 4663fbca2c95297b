/**
 * The guarded downloader for user-supplied media URLs (docs/shortcuts-write.md): GET only,
 * no Lark headers, one attempt, at most 5 redirects (never https → http), and no loopback,
 * private, link-local, multicast or other internal address — checked on the literal host, on
 * every DNS answer, again at connect time, and for every redirect target. The body is buffered
 * up to a size limit.
 *
 *   fetchMediaUrl(io, url, maxBytes): Promise<Buffer>
 *
 * Failures are plain Errors with the original messages (`blocked URL: …`, `download failed: …`,
 * `download exceeds size limit (max 5.0 MB)`); callers turn them into a text fallback or a
 * warning. Built on node:http/https rather than the API transport: no proxy, no retries.
 *
 * Testing knob: `LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK=1` lets loopback addresses (127.0.0.0/8, ::1,
 * `localhost`) through, so tests can serve media from a local fake server. Private ranges stay
 * blocked. Never set it in production.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { Io } from '../core/io.js';
import { formatSize } from '../core/format-size.js';

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 120_000;
const INTERNAL = 'local/internal host is not allowed';

function v4Parts(ip: string): number[] | undefined {
  const p = ip.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? p : undefined;
}

function isLoopback(ip: string): boolean {
  const v4 = v4Parts(mappedV4(ip) ?? ip);
  if (v4) return v4[0] === 127;
  return expandV6(ip)?.every((w, i) => (i < 7 ? w === 0 : w === 1)) ?? false;
}

/** `::ffff:a.b.c.d` (or its hex form) → `a.b.c.d`. */
function mappedV4(ip: string): string | undefined {
  const w = expandV6(ip);
  if (!w || !w.slice(0, 5).every((x) => x === 0) || w[5] !== 0xffff) return undefined;
  return `${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
}

/** Eight 16-bit words of an IPv6 address (embedded IPv4 tail allowed), or undefined. */
function expandV6(ip: string): number[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  let s = ip.split('%')[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const p = v4Parts(tail[1]!)!;
    s = s.slice(0, -tail[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const fill = rest !== undefined ? 8 - h.length - r.length : 0;
  const words = [...h, ...Array(Math.max(0, fill)).fill('0'), ...r].map((x) => parseInt(x, 16));
  return words.length === 8 && words.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff) ? words : undefined;
}

function blockedV4(p: number[]): boolean {
  const [a, b] = [p[0]!, p[1]!];
  return (
    a === 0 || // unspecified / "this network"
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224 // multicast and reserved
  );
}

/** Whether an address may be fetched. */
export function isBlockedAddress(ip: string, allowLoopback = false): boolean {
  if (allowLoopback && isLoopback(ip)) return false;
  const v4 = v4Parts(ip) ?? (mappedV4(ip) ? v4Parts(mappedV4(ip)!) : undefined);
  if (v4) return blockedV4(v4);
  const w = expandV6(ip);
  if (!w) return true;
  if (w.every((x) => x === 0)) return true; // ::
  if (isLoopback(ip)) return true; // ::1
  const first = w[0]!;
  if ((first & 0xff00) === 0xff00) return true; // multicast ff00::/8
  if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((first & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfec0) return true; // deprecated site-local
  return false;
}

function allowLoopback(io: Io): boolean {
  const v = io.env.LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function hostOf(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));
}

/** The URL checks before any connection; returns a reason or undefined. */
async function urlProblem(u: URL, loopbackOk: boolean): Promise<string | undefined> {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'only http/https URLs are supported';
  const host = hostOf(u);
  if (host === '') return 'URL host is required';
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost')) return loopbackOk ? undefined : INTERNAL;
  if (isIP(host)) return isBlockedAddress(host, loopbackOk) ? INTERNAL : undefined;
  let addrs: LookupAddress[];
  try {
    addrs = await resolveAll(host);
  } catch {
    return 'failed to resolve host';
  }
  if (addrs.length === 0) return 'failed to resolve host';
  return addrs.some((a) => isBlockedAddress(a.address, loopbackOk)) ? INTERNAL : undefined;
}

/** A DNS lookup for the socket that refuses internal answers (the connect-time check). */
function guardedLookup(loopbackOk: boolean) {
  return (hostname: string, options: object, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...(options as Record<string, unknown>), all: true }, (err, addrs) => {
      if (err) return cb(err, '', 0);
      const list = addrs as LookupAddress[];
      if (list.length === 0 || list.some((a) => isBlockedAddress(a.address, loopbackOk))) {
        return cb(Object.assign(new Error(INTERNAL), { code: 'EBLOCKED' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return cb(null, list);
      return cb(null, list[0]!.address, list[0]!.family);
    });
  };
}

interface Answer {
  status: number;
  location?: string;
  res: http.IncomingMessage;
}

function getOnce(u: URL, loopbackOk: boolean, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(u, { lookup: guardedLookup(loopbackOk) as never, signal, headers: { 'user-agent': 'lark-cli' } }, (res) => {
      const addr = res.socket?.remoteAddress;
      if (addr && isBlockedAddress(addr, loopbackOk)) {
        res.destroy();
        reject(new Error(INTERNAL));
        return;
      }
      const loc = res.headers.location;
      resolve({ status: res.statusCode ?? 0, location: typeof loc === 'string' ? loc : undefined, res });
    });
    req.on('error', reject);
  });
}

function errText(e: unknown): string {
  const err = e as { name?: string; message?: string };
  if (err?.name === 'AbortError') return 'request timed out';
  return err?.message || String(e);
}

/**
 * Downloads a media URL with the guards above and returns the bytes (at most `maxBytes`).
 */
export async function fetchMediaUrl(io: Io, rawUrl: string, maxBytes: number): Promise<Buffer> {
  const loopbackOk = allowLoopback(io);
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    throw new Error('blocked URL: invalid URL');
  }
  const problem = await urlProblem(u, loopbackOk);
  if (problem) throw new Error(`blocked URL: ${problem}`);
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let answer: Answer;
  for (let redirects = 0; ; redirects++) {
    try {
      answer = await getOnce(u, loopbackOk, signal);
    } catch (e) {
      throw new Error(`download failed: ${errText(e)}`);
    }
    if (![301, 302, 303, 307, 308].includes(answer.status) || !answer.location) break;
    answer.res.resume();
    if (redirects + 1 > MAX_REDIRECTS) throw new Error('download failed: too many redirects');
    let next: URL;
    try {
      next = new URL(answer.location, u);
    } catch {
      throw new Error('download failed: blocked redirect target: invalid URL');
    }
    if (u.protocol === 'https:' && next.protocol === 'http:') throw new Error('download failed: blocked redirect target: https to http downgrade is not allowed');
    const p = await urlProblem(next, loopbackOk);
    if (p) throw new Error(`download failed: blocked redirect target: ${p}`);
    u = next;
  }
  const { status, res } = answer;
  if (status !== 200) {
    res.resume();
    throw new Error(`download failed: HTTP ${status}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const c of res) {
      total += (c as Buffer).length;
      if (total > maxBytes) {
        res.destroy();
        throw new Error(`download exceeds size limit (max ${formatSize(maxBytes)})`);
      }
      chunks.push(c as Buffer);
    }
  } catch (e) {
    if ((e as Error).message.startsWith('download exceeds size limit')) throw e;
    throw new Error(`download failed: ${errText(e)}`);
  }
  return Buffer.concat(chunks);
}
