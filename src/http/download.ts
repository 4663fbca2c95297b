/**
 * Ranged download of a message resource (messages-write.md §5.4–§5.5, DECISIONS.md 10 and 24),
 * shared by `+messages-resources-download` and the `--download-resources` stage of the read
 * shortcuts.
 *
 *   downloadResource(client: ApiClient, opts: {
 *     messageId: string;   // raw; path-escaped here
 *     fileKey: string;     // raw; path-escaped here
 *     type: string;        // 'image' | 'file' → `?type=`; 'file' starts with a 128 KiB Range probe
 *     targetPath: string;  // absolute, already checked to lie inside the working directory; when it
 *                          // has no extension one is appended from the first response's Content-Type
 *     resolveTarget?: (headers) => string; // instead of the rule above: the final absolute path
 *                          // (checked by the callback), from the first response's headers
 *     io: Io;
 *     concurrency?: number; // most 8 MiB chunks at a time, default 4 (fewer while one is fast)
 *     progress?: boolean;   // progress bar on stderr; default: stderr is a terminal
 *     timeoutMs?: number;   // per request, default 120 s
 *   }): Promise<{ path: string /* realpath of the saved file *\/; sizeBytes: number; contentType: string }>
 *
 * Protocol: `GET /open-apis/im/v1/messages/<id>/resources/<key>?type=<type>`. `type=file` sends
 * `Range: bytes=0-131071` first; a 206 answer gives the total size (`Content-Range`) and the
 * rest is fetched as `bytes=<a>-<a+8 MiB-1>` ranges (the original's ranges), up to `concurrency`
 * at a time (one at a time while a single connection is fast, see NEAR_PROBE_MS), each written
 * at its offset into a temporary file `.<name>.<random>.tmp` (0600) in the target folder
 * (created 0700). A 200 answer is the whole resource (`Content-Length`, if any, is
 * the expected size). The file is renamed over the target only when every byte arrived and the
 * size matches; on any failure the temporary file is removed and the target is left untouched.
 * Memory stays bounded: bodies are streamed to disk, never buffered. When no proxy applies,
 * every request (the probe included) goes over a direct connection (src/http/range-fetch.ts: one
 * reused read buffer, no stream per read) with the same headers, checks, retries and errors, so
 * a download never loads undici; an answer that path does not handle (redirect, no
 * Content-Length, no connection) is requested again through the general client. The temporary
 * file is created as soon as the first answer's headers have named it, before its body is read.
 *
 * Every request is a safe GET: the transport retries transport errors, 429 and 5xx (DECISIONS.md
 * 7); a response whose body breaks off is requested again (3 attempts in all). Errors:
 * - HTTP >= 400: `http_error` (exit 1), `HTTP <status>: <first 4 KiB of the body, trimmed>`
 *   (callers such as `--download-resources` prefix `download failed: `);
 * - transport failure: `network` (exit 4), `stream request failed: <err>`;
 * - broken transfer (bad `Content-Range`, unexpected status, short or overlong body, size
 *   mismatch, body cut off three times): `network` (exit 4);
 * - local file errors: `internal` (exit 5), `cannot create parent directory: …` / `cannot create file: …`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import { escapePathSegment } from '../core/url.js';
import { formatSize } from '../core/format-size.js';
import type { ApiClient } from './client.js';
import type { StreamResponse } from './transport.js';
import { backoffMs, serverDelayMs } from './retry-policy.js';
import { directConnection, fetchRange, RangeBodyBreak, RangeOverflow, RangeWriteError, type RangeResult } from './range-fetch.js';

export const PROBE_BYTES = 128 * 1024;
export const CHUNK_BYTES = 8 * 1024 * 1024;
const ATTEMPTS = 3;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_CONCURRENCY = 4;
/**
 * Parallel chunks help when one connection is slow (distance, per-connection limits); when one
 * connection is already fast (loopback, LAN, same data centre) extra connections only add
 * contention: measured on loopback, four at a time took ~7% longer than one. So a probe answered
 * within NEAR_PROBE_MS starts the chunks on one connection, and any chunk slower than
 * FAST_CHUNK_BYTES_PER_MS raises the limit to the full concurrency for the rest.
 */
const NEAR_PROBE_MS = 50;
const FAST_CHUNK_BYTES_PER_MS = (256 * 1024 * 1024) / 1000;

export interface DownloadOptions {
  messageId: string;
  fileKey: string;
  type: string;
  targetPath: string;
  resolveTarget?: (headers: Record<string, string>) => string;
  io: Io;
  concurrency?: number;
  progress?: boolean;
  timeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  sizeBytes: number;
  contentType: string;
}

// ---------------------------------------------------------------------------
// Naming (§5.5)

const MIME_EXT: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'video/x-msvideo': '.avi',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/wav': '.wav',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/css': '.css',
  'text/csv': '.csv',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/x-rar-compressed': '.rar',
  'application/json': '.json',
  'application/xml': '.xml',
  'application/octet-stream': '.bin',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
};

/** Extension for a Content-Type header (media type before `;`, trimmed, case-sensitive), or ''. */
export function extensionForContentType(contentType: string | undefined): string {
  const media = (contentType ?? '').split(';')[0]!.trim();
  return Object.hasOwn(MIME_EXT, media) ? MIME_EXT[media]! : '';
}

/** Go `filepath.Ext` of the last path element. */
export function pathExt(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot) : '';
}

const TSPECIAL = new Set('()<>@,;:\\"/[]?='.split(''));
const isTokenChar = (c: string) => c > ' ' && c < '\x7f' && !TSPECIAL.has(c);
const isToken = (s: string) => s.length > 0 && [...s].every(isTokenChar);

function decodeRfc2231(v: string): string | undefined {
  const parts = v.split("'");
  if (parts.length !== 3) return undefined;
  const charset = parts[0]!.toLowerCase();
  if (charset !== 'us-ascii' && charset !== 'utf-8') return undefined;
  const enc = parts[2]!;
  const bytes: number[] = [];
  for (let i = 0; i < enc.length; i++) {
    if (enc[i] === '%') {
      const h = enc.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(enc[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parameters of a `Content-Disposition` value as Go `mime.ParseMediaType` returns them
 * (lower-cased names; `name*` RFC 2231 values decoded and taking precedence over `name`), or
 * undefined when it does not parse.
 */
export function dispositionParams(header: string): Record<string, string> | undefined {
  const semi = header.indexOf(';');
  const media = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const slash = media.indexOf('/');
  if (!(slash < 0 ? isToken(media) : isToken(media.slice(0, slash)) && isToken(media.slice(slash + 1)))) return undefined;
  const params: Record<string, string> = {};
  const extended: Record<string, Record<string, string>> = {};
  let rest = semi < 0 ? '' : header.slice(semi);
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest === '') break;
    if (!rest.startsWith(';')) return undefined;
    rest = rest.slice(1).replace(/^\s+/, '');
    if (rest === '') break; // trailing semicolon
    let i = 0;
    while (i < rest.length && isTokenChar(rest[i]!)) i++;
    const key = rest.slice(0, i).toLowerCase();
    if (key === '') return undefined;
    rest = rest.slice(i).replace(/^\s+/, '');
    if (!rest.startsWith('=')) return undefined;
    rest = rest.slice(1).replace(/^\s+/, '');
    let value: string;
    if (rest.startsWith('"')) {
      let j = 1;
      let out = '';
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        out += rest[j];
      }
      if (j >= rest.length) return undefined;
      value = out;
      rest = rest.slice(j + 1);
    } else {
      let j = 0;
      while (j < rest.length && isTokenChar(rest[j]!)) j++;
      if (j === 0) return undefined;
      value = rest.slice(0, j);
      rest = rest.slice(j);
    }
    const star = key.indexOf('*');
    if (star >= 0) {
      const base = key.slice(0, star);
      const pieces = (extended[base] ??= {});
      if (Object.hasOwn(pieces, key)) return undefined;
      pieces[key] = value;
    } else {
      if (Object.hasOwn(params, key)) return undefined;
      params[key] = value;
    }
  }
  for (const [base, pieces] of Object.entries(extended)) {
    const single = pieces[`${base}*`];
    if (single !== undefined) {
      const dec = decodeRfc2231(single);
      if (dec !== undefined) params[base] = dec;
      continue;
    }
    let joined = '';
    let any = false;
    for (let n = 0; ; n++) {
      const plain = pieces[`${base}*${n}`];
      const enc = pieces[`${base}*${n}*`];
      if (plain === undefined && enc === undefined) break;
      any = true;
      if (enc !== undefined) {
        const dec = n === 0 ? decodeRfc2231(enc) : decodeRfc2231(`utf-8''${enc}`);
        if (dec === undefined) {
          any = false;
          break;
        }
        joined += dec;
      } else joined += plain;
    }
    if (any) params[base] = joined;
  }
  return params;
}

/** The safe file name a `Content-Disposition` header suggests, or ''. */
export function contentDispositionFilename(header: string | undefined): string {
  if (!header) return '';
  const params = dispositionParams(header);
  let name = (params?.filename ?? '').trim();
  if (name === '') return '';
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  if (cut >= 0) name = name.slice(cut + 1);
  if (name === '' || name === '.' || name === '..') return '';
  if (/[\x00-\x1f\x7f]/.test(name)) return '';
  return name;
}

/**
 * §5.5: the final relative path for `rel` from the first response's headers. With
 * `useContentDisposition` the server's file name replaces the name (`explicit` false) or lends
 * its extension (`explicit` true); otherwise only the Content-Type extension is appended.
 */
export function chooseTargetName(rel: string, headers: Record<string, string>, opts: { useContentDisposition: boolean; explicit: boolean }): string {
  if (pathExt(rel) !== '') return rel;
  if (opts.useContentDisposition) {
    const cd = contentDispositionFilename(headers['content-disposition']);
    if (cd) {
      if (!opts.explicit) {
        const dir = path.dirname(rel);
        return dir === '.' ? cd : path.join(dir, cd);
      }
      const ext = pathExt(cd);
      if (ext) return rel + ext;
    }
  }
  return rel + extensionForContentType(headers['content-type']);
}

// ---------------------------------------------------------------------------
// Content-Range

export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

function rangeError(reason: string): CliError {
  return new CliError('network', `invalid Content-Range header on range response: ${reason}`);
}

/** `bytes <start>-<end>/<total>` with the original's messages (§5.4 step 3), fully checked (§5.9). */
export function parseContentRange(header: string | undefined): ContentRange {
  const h = (header ?? '').trim();
  if (h === '') throw rangeError('content-range is empty');
  const unsupported = () => rangeError(`unsupported content-range: ${JSON.stringify(h)}`);
  if (!h.startsWith('bytes ')) throw unsupported();
  const rest = h.slice(6);
  const slash = rest.indexOf('/');
  if (slash < 0 || rest.slice(slash + 1) === '') throw unsupported();
  const span = rest.slice(0, slash);
  const totalText = rest.slice(slash + 1);
  if (span === '*') throw unsupported();
  if (totalText === '*') throw rangeError(`unknown total size in content-range: ${JSON.stringify(h)}`);
  if (!/^[+-]?\d+$/.test(totalText)) throw rangeError(`parse total size: strconv.ParseInt: parsing ${JSON.stringify(totalText)}: invalid syntax`);
  const total = Number(totalText);
  if (!Number.isSafeInteger(total)) throw rangeError(`parse total size: strconv.ParseInt: parsing ${JSON.stringify(totalText)}: value out of range`);
  if (total <= 0) throw rangeError(`invalid total size: ${total}`);
  const m = /^(\d+)-(\d+)$/.exec(span);
  if (!m) throw unsupported();
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= total) throw unsupported();
  return { start, end, total };
}

// ---------------------------------------------------------------------------
// Progress bar (stderr, terminals only)

class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  constructor(
    private readonly io: Io,
    private total: number | undefined,
    private readonly enabled: boolean,
  ) {}

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  add(n: number): void {
    this.done += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw >= 100) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = `${formatSize(Math.round(this.done / secs))}/s`;
    let line: string;
    if (this.total) {
      const frac = Math.min(1, this.done / this.total);
      const width = 24;
      const filled = Math.round(frac * width);
      line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${formatSize(this.done)} / ${formatSize(this.total)}  ${rate}`;
    } else {
      line = `${formatSize(this.done)}  ${rate}`;
    }
    this.io.stderr.write(`\r${line}\x1b[K`);
  }

  finish(ok: boolean): void {
    if (!this.enabled || this.lastDraw === 0) return;
    if (ok) this.draw();
    this.io.stderr.write('\n');
  }
}

// ---------------------------------------------------------------------------
// Download

/** A response body that broke off after `written` bytes (the request is tried again). */
class BodyBreak extends Error {
  constructor(
    message: string,
    readonly written: number,
  ) {
    super(message);
  }
}
/** More bytes than the response may carry. */
class Overflow extends Error {
  constructor(readonly delivered: number) {
    super('overflow');
  }
}

async function readUpTo(body: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of body) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= max) break;
    }
  } catch {
    /* the status is what matters */
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max);
}

/** HTTP >= 400 (after the transport's retries): `http_error`, DECISIONS.md 24. */
async function httpError(res: StreamResponse): Promise<never> {
  const text = (await readUpTo(res.body, 4096)).toString('utf8').trim();
  throw new CliError('http_error', text ? `HTTP ${res.status}: ${text}` : `HTTP ${res.status}`);
}

function discard(res: StreamResponse): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

/** Throws `err` after releasing the response. */
function refuse(res: StreamResponse, err: CliError): never {
  discard(res);
  throw err;
}

function localError(prefix: string, e: unknown): CliError {
  return new CliError('internal', `${prefix}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

function shortError(n: number, want: number): CliError {
  return new CliError('network', `range response delivered ${n} bytes, want the ${want} bytes its Content-Range declared`);
}

function overflowError(want: number): CliError {
  return new CliError('network', `range response delivered more than the ${want} bytes its Content-Range declared`);
}

/** What an answer must carry, decided from its status and headers before the body is read. */
interface BodySpec {
  /** Exact byte count for a range, the Content-Length for a whole body, or undefined. */
  length: number | undefined;
  /** Whether fewer bytes than `length` is an error here (ranges; whole bodies are checked later). */
  exact: boolean;
  overflow: (delivered: number) => CliError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bytes between two young-generation collections. */
const GC_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * A young-generation collection, or undefined when the runtime does not offer one.
 *
 * Every socket read of a download allocates a fresh buffer that becomes garbage at once; the JS
 * objects are tiny, so V8's young generation takes gigabytes to fill and the freed buffers pile
 * up as external memory until a full collection runs. Collecting the young generation every few
 * MiB keeps the resident size flat (under 90 MB for a 1 GiB download instead of 110 MB+) and is
 * faster too. `--expose-gc` only adds the `gc` function to new contexts.
 */
function youngGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: (o?: unknown) => void }).gc;
  let fn = typeof existing === 'function' ? existing : undefined;
  if (!fn) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const g = vm.runInNewContext('gc') as unknown;
      if (typeof g === 'function') fn = g as (o?: unknown) => void;
    } catch {
      fn = undefined;
    }
  }
  if (!fn) return undefined;
  const gc = fn;
  return () => {
    try {
      gc({ type: 'minor' });
    } catch {
      /* collection is only an optimisation */
    }
  };
}

/**
 * Temporary files of downloads under way. Interrupting the CLI (Ctrl-C, SIGTERM) removes them
 * before it exits, so an aborted download leaves nothing behind either.
 */
const pendingTemps = new Set<string>();
let signalsHooked = false;

function trackTemp(file: string): void {
  pendingTemps.add(file);
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const t of pendingTemps) {
        try {
          unlinkSync(t);
        } catch {
          /* already gone */
        }
      }
      process.exit(code);
    });
  }
}

/** `Content-Range` problems of the answer for chunk `a`-`b` of `total` bytes, as an error. */
function chunkProblem(headers: Record<string, string>, a: number, b: number, total: number): CliError | undefined {
  let cr: ContentRange;
  try {
    cr = parseContentRange(headers['content-range']);
  } catch (e) {
    return e as CliError;
  }
  if (cr.total !== total) return new CliError('network', `resource size changed while downloading: total ${total} became ${cr.total}`);
  if (cr.start !== a) return new CliError('network', `range response is bytes ${cr.start}-${cr.end}/${cr.total}, want it to resume at byte ${a}`);
  if (cr.end !== b) return new CliError('network', `range response is bytes ${cr.start}-${cr.end}/${cr.total}, want it to end at byte ${b}`);
  return undefined;
}

/** The first answer: where the file goes and what the rest of the download must match. */
interface FirstAnswer {
  status: number;
  target: string;
  contentType: string;
  /** The probe's range (a 206 answer). */
  probe?: ContentRange;
  /** Total size: the probe's total, or a 200 answer's Content-Length. */
  expected?: number;
}

/**
 * Validates an answer's status and headers before its body is read and says what the body must
 * be; throws a CliError. Called with 2xx statuses (>= 400 is handled before it).
 */
type HeadCheck = (status: number, headers: Record<string, string>) => BodySpec;

export async function downloadResource(client: ApiClient, opts: DownloadOptions): Promise<DownloadResult> {
  const io = opts.io;
  const abort = new AbortController();
  const apiPath = `/open-apis/im/v1/messages/${escapePathSegment(opts.messageId)}/resources/${escapePathSegment(opts.fileKey)}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const progress = new Progress(io, undefined, opts.progress ?? !!io.stderr.isTTY);
  const direct = directConnection(io.env, client.baseUrl);
  /** Set up on first need: the direct path (range-fetch.ts) never needs it. */
  let collect: (() => void) | null | undefined;
  let sinceGc = 0;
  let fd: number | undefined;
  let tmpPath: string | undefined;
  const state: { first?: FirstAnswer } = {};

  /**
   * Creates the temporary file `.<name>.<random>.tmp` (0600) next to `target` (its folder 0700).
   * Synchronous: it runs inside the callback that sees the first answer's headers.
   */
  const openTemp = (target: string): void => {
    const dir = path.dirname(target);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw localError('cannot create parent directory', e);
    }
    const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      fd = openSync(tmp, 'wx', 0o600);
    } catch (e) {
      throw localError('cannot create file', e);
    }
    tmpPath = tmp;
    trackTemp(tmp);
  };

  /**
   * Streams a body into the temporary file at `offset`, at most `limit` bytes. Each received
   * chunk is written at once with a positional `writeSync` (a copy into the page cache): measured
   * on loopback, asynchronous writes through the thread pool cost more CPU than they save
   * (hand-offs per chunk, several writers contending for the file), and batching chunks keeps
   * buffers alive long enough to be promoted, which raises both CPU and memory.
   */
  const writeBody = (res: StreamResponse, offset: number, limit: number | undefined): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const body = res.body;
      const out = fd!;
      let n = 0;
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        discard(res);
        reject(e);
      };
      body.on('data', (buf: Buffer) => {
        if (settled) return;
        if (limit !== undefined && n + buf.length > limit) return fail(new Overflow(n + buf.length));
        try {
          let done = 0;
          while (done < buf.length) done += writeSync(out, buf, done, buf.length - done, offset + n + done);
        } catch (e) {
          return fail(localError('cannot create file', e));
        }
        n += buf.length;
        progress.add(buf.length);
        sinceGc += buf.length;
        if (sinceGc >= GC_EVERY_BYTES) {
          sinceGc = 0;
          if (collect === undefined) collect = youngGc() ?? null;
          collect?.();
        }
      });
      body.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(n);
      });
      body.on('error', (e: Error) => fail(new BodyBreak(e?.message || String(e), n)));
    });

  /** One attempt through the general client (undici: proxies, redirects, its own retries). */
  const viaClient = async (range: string | undefined, offset: number, check: HeadCheck): Promise<number> => {
    let res: StreamResponse;
    try {
      res = await client.stream({
        method: 'GET',
        path: apiPath,
        query: { type: opts.type },
        headers: range ? { Range: range } : undefined,
        timeoutMs,
        signal: abort.signal,
      });
    } catch (e) {
      if (e instanceof CliError && e.type === 'network') throw new CliError('network', `stream request failed: ${e.message}`, { cause: e });
      throw e;
    }
    if (res.status >= 400) await httpError(res);
    let spec: BodySpec;
    try {
      spec = check(res.status, res.headers);
    } catch (e) {
      return refuse(res, e as CliError);
    }
    let n: number;
    try {
      n = await writeBody(res, offset, spec.length);
    } catch (e) {
      if (e instanceof Overflow) throw spec.overflow(e.delivered);
      throw e;
    }
    if (spec.exact && spec.length !== undefined && n < spec.length) throw shortError(n, spec.length);
    return n;
  };

  /**
   * One attempt over a direct connection (src/http/range-fetch.ts): the same request, checks and
   * errors as `viaClient`, with 429/5xx retried as the transport does; undefined when the answer
   * is unusual (redirect, no Content-Length, no connection) and the general client must take the
   * request instead. Nothing is allocated per read, so no young-generation collections are needed.
   */
  const viaDirect = async (range: string | undefined, offset: number, check: HeadCheck): Promise<number | undefined> => {
    for (let attempt = 1; ; attempt++) {
      const target = await client.target({ method: 'GET', path: apiPath, query: { type: opts.type }, headers: range ? { Range: range } : undefined });
      let spec: BodySpec | undefined;
      let r: RangeResult;
      try {
        r = await fetchRange({
          url: target.url,
          headers: target.headers,
          signal: abort.signal,
          timeoutMs,
          onBytes: (n) => progress.add(n),
          onHead: (status, headers) => {
            spec = check(status, headers);
            return { body: spec.length ?? Number.MAX_SAFE_INTEGER, fd: fd!, offset };
          },
        });
      } catch (e) {
        if (e instanceof RangeBodyBreak) throw new BodyBreak(e.message, e.written);
        if (e instanceof RangeOverflow) throw spec!.overflow(e.delivered);
        if (e instanceof RangeWriteError) throw localError('cannot create file', e.cause);
        throw e; // RangeAborted (a sibling failed) or an error from the checks
      }
      if (r.kind === 'fallback') return undefined;
      if (r.kind === 'error') {
        if (attempt < ATTEMPTS && (r.status === 429 || r.status >= 500)) {
          await sleep(serverDelayMs(r.headers) ?? backoffMs(io, attempt));
          continue;
        }
        throw new CliError('http_error', r.text ? `HTTP ${r.status}: ${r.text}` : `HTTP ${r.status}`);
      }
      if (spec!.exact && spec!.length !== undefined && r.written < spec!.length) throw shortError(r.written, spec!.length);
      return r.written;
    }
  };

  /**
   * Requests `range` and writes its body at `offset`, directly when no proxy applies, else (or
   * when the direct path declines) through the general client. A body that breaks off is
   * requested again (ATTEMPTS in all).
   */
  const fetchInto = async (range: string | undefined, offset: number, check: HeadCheck): Promise<number> => {
    let useDirect = direct;
    for (let attempt = 1; ; attempt++) {
      try {
        if (useDirect) {
          const n = await viaDirect(range, offset, check);
          if (n !== undefined) return n;
          useDirect = false;
        }
        return await viaClient(range, offset, check);
      } catch (e) {
        if (!(e instanceof BodyBreak) || abort.signal.aborted) throw e;
        progress.add(-e.written);
        if (attempt >= ATTEMPTS) throw new CliError('network', `read response body: ${e.message}`, { cause: e });
        await sleep(backoffMs(io, attempt));
      }
    }
  };

  /**
   * The first answer decides the file name (§5.5) and the size, and creates the temporary file;
   * a repeated first request (its body broke off) must describe the same bytes.
   */
  const firstCheck: HeadCheck = (status, headers) => {
    if (status !== 206 && status !== 200) throw new CliError('network', `unexpected status code: ${status}`);
    let first = state.first;
    if (!first) {
      const target = opts.resolveTarget
        ? opts.resolveTarget(headers)
        : path.join(path.dirname(opts.targetPath), chooseTargetName(path.basename(opts.targetPath), headers, { useContentDisposition: false, explicit: true }));
      let probe: ContentRange | undefined;
      let expected: number | undefined;
      if (status === 206) {
        probe = parseContentRange(headers['content-range']);
        if (probe.start !== 0) throw new CliError('network', `range response is bytes ${probe.start}-${probe.end}/${probe.total}, want it to start at byte 0`);
        expected = probe.total;
      } else {
        const cl = (headers['content-length'] ?? '').trim();
        expected = /^\d+$/.test(cl) ? Number(cl) : undefined;
      }
      openTemp(target);
      progress.setTotal(expected);
      first = state.first = { status, target, contentType: headers['content-type'] ?? '', probe, expected };
    } else {
      if (status !== first.status) throw new CliError('network', `unexpected status code: ${status}`);
      const p = first.probe;
      if (p) {
        const cr = parseContentRange(headers['content-range']);
        if (cr.start !== 0 || cr.end !== p.end || cr.total !== p.total) {
          throw new CliError('network', `resource size changed while downloading: now bytes ${cr.start}-${cr.end}/${cr.total}, was bytes 0-${p.end}/${p.total}`);
        }
      }
    }
    if (first.probe) {
      const len = first.probe.end + 1;
      return { length: len, exact: true, overflow: () => overflowError(len) };
    }
    const expected = first.expected;
    return { length: expected, exact: false, overflow: (n) => new CliError('network', `chunk overflow: delivered ${n}, expected ${expected}`) };
  };

  /** An 8 MiB chunk `a`-`b` of `total` bytes. */
  const chunkCheck =
    (a: number, b: number, total: number): HeadCheck =>
    (status, headers) => {
      if (status !== 206) throw new CliError('network', `unexpected status code: ${status}`);
      const problem = chunkProblem(headers, a, b, total);
      if (problem) throw problem;
      const want = b - a + 1;
      return { length: want, exact: true, overflow: () => overflowError(want) };
    };

  const tasks: Promise<number>[] = [];
  try {
    const firstRange = opts.type === 'file' ? `bytes=0-${PROBE_BYTES - 1}` : undefined;
    const probeStarted = performance.now();
    // the chunk limiter loads while the probe is under way (only a file of more than one range needs it)
    const pLimitModule = firstRange ? import('p-limit') : undefined;
    pLimitModule?.catch(() => undefined);
    let written = await fetchInto(firstRange, 0, firstCheck);
    const probeMs = performance.now() - probeStarted;
    const first = state.first!;

    if (first.probe) {
      const total = first.probe.total;
      const ranges: Array<[number, number]> = [];
      for (let next = first.probe.end + 1; next < total; next += CHUNK_BYTES) ranges.push([next, Math.min(next + CHUNK_BYTES - 1, total - 1)]);
      if (ranges.length) {
        const { default: pLimit } = await (pLimitModule ?? import('p-limit'));
        const most = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
        const limit = pLimit(probeMs <= NEAR_PROBE_MS ? 1 : most);
        let primary: unknown;
        for (const [a, b] of ranges) {
          tasks.push(
            limit(async () => {
              if (primary !== undefined) return 0;
              try {
                const started = performance.now();
                const n = await fetchInto(`bytes=${a}-${b}`, a, chunkCheck(a, b, total));
                if (limit.concurrency < most && n / Math.max(performance.now() - started, 0.001) < FAST_CHUNK_BYTES_PER_MS) limit.concurrency = most;
                return n;
              } catch (e) {
                if (primary === undefined) {
                  primary = e;
                  abort.abort();
                }
                throw e;
              }
            }),
          );
        }
        const settled = await Promise.allSettled(tasks);
        if (primary !== undefined) throw primary;
        for (const s of settled) written += s.status === 'fulfilled' ? s.value : 0;
      }
      if (written !== total) throw new CliError('network', `file size mismatch: expected ${total}, got ${written}`);
    } else if (first.expected !== undefined && written !== first.expected) {
      throw new CliError('network', `file size mismatch: expected ${first.expected}, got ${written}`);
    }

    try {
      closeSync(fd!);
      fd = undefined;
      await rename(tmpPath!, first.target);
      pendingTemps.delete(tmpPath!);
      tmpPath = undefined;
    } catch (e) {
      throw localError('cannot create file', e);
    }
    progress.finish(true);
    let saved = first.target;
    try {
      saved = await realpath(first.target);
    } catch {
      /* keep the joined path */
    }
    return { path: saved, sizeBytes: written, contentType: first.contentType };
  } catch (e) {
    abort.abort();
    await Promise.allSettled(tasks);
    progress.finish(false);
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    if (tmpPath) {
      await unlink(tmpPath).catch(() => undefined);
      pendingTemps.delete(tmpPath);
    }
    throw e;
  }
}
