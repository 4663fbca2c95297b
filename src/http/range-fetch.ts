/**
 * A minimal HTTP/1.1 GET for ONE byte range, written straight into a file descriptor at an
 * offset (the 8 MiB chunks of src/client/download.ts).
 *
 * undici hands every socket read to a Readable stream as a fresh Buffer; for a large download
 * that receive path is what the CLI spends its CPU on (and its memory, in garbage). Here the
 * socket reads into one preallocated buffer (`onread`, for `net` and `tls` alike) and each read
 * is copied into the file with a positional `writeSync` before the next one arrives.
 *
 *   fetchRange(opts): Promise<RangeResult>
 *
 * The request is `GET <path> HTTP/1.1` with the caller's headers plus `Host` and
 * `Connection: close` (one connection per request). Once the status line and headers have
 * arrived (they may span several reads, and body bytes may follow them in the same read):
 * - status >= 400: up to 4 KiB of the body are read (chunked or not) and returned as
 *   `{ kind: 'error', text }`;
 * - 1xx/3xx, or a 2xx body without a plain `Content-Length` (chunked, close-delimited):
 *   `{ kind: 'fallback' }`, nothing written, so the caller can use its general HTTP client;
 * - any other 2xx: `opts.onHead(status, headers)` decides, with lower-cased header names
 *   (repeats joined by ", "): `{ body: limit, fd, offset }` writes the body at `offset` of `fd`
 *   (the file may be opened inside the callback), exactly Content-Length bytes; more than
 *   `limit` → `RangeOverflow`; the connection ending early → `RangeBodyBreak`. `'fallback'`
 *   declines; a thrown error rejects the call as is.
 * A failure before the head arrived (refused connection, timeout, malformed head) is also a
 * fallback: the general client then applies its own retries and error messages.
 *
 * `signal` destroys the connection (rejecting with `RangeAborted`); `timeoutMs` bounds the
 * whole request. Only for direct connections: see `directConnection` (./proxy-rule.ts).
 */
import net from 'node:net';
import tls from 'node:tls';
import { writeSync } from 'node:fs';

const READ_BUFFER_BYTES = 256 * 1024;
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_ERROR_BODY = 4096;
const MAX_ERROR_RAW = 64 * 1024;

export type HeadDecision = { body: number; fd: number; offset: number } | 'fallback';

export interface RangeFetchOptions {
  /** `http://` or `https://` URL (path and query already escaped). */
  url: string;
  /** Request headers, without Host/Connection. */
  headers: Record<string, string>;
  /** Called for a 2xx answer with a Content-Length; see above. */
  onHead: (status: number, headers: Record<string, string>) => HeadDecision;
  /** Bytes just written (progress). */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type RangeResult =
  | { kind: 'body'; status: number; headers: Record<string, string>; written: number }
  | { kind: 'error'; status: number; headers: Record<string, string>; text: string }
  | { kind: 'fallback'; reason: string };

/** The body broke off after `written` bytes had been written (worth requesting again). */
export class RangeBodyBreak extends Error {
  constructor(
    message: string,
    readonly written: number,
  ) {
    super(message);
  }
}

/** The body carried (or announced) more than the caller's limit; `delivered` bytes so far. */
export class RangeOverflow extends Error {
  constructor(readonly delivered: number) {
    super('overflow');
  }
}

/** Writing to the file failed (`cause` is the fs error). */
export class RangeWriteError extends Error {}

export class RangeAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

/**
 * Read buffers of finished connections, reused: a fresh 256 KiB buffer per range would be
 * external memory that only a full collection frees (the heap stays tiny, so that is rare), and
 * the resident size would grow by 32 MB per GiB.
 */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 8;

/** TLS sessions by host:port, so later ranges resume instead of a full handshake. */
const tlsSessions = new Map<string, Buffer>();

function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?$/.exec(lines[0]!);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line[0]!)) return undefined; // obs-fold or garbage
    const name = line.slice(0, colon).toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return undefined;
    const value = line.slice(colon + 1).trim();
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(m[1]), headers };
}

/** Best-effort decoding of a (possibly incomplete) chunked body. */
function dechunk(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(raw.toString('latin1', i, eol).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    const start = eol + 2;
    out.push(raw.subarray(start, Math.min(start + size, raw.length)));
    i = start + size + 2;
    if (i > raw.length) break;
  }
  return Buffer.concat(out);
}

export function fetchRange(opts: RangeFetchOptions): Promise<RangeResult> {
  return new Promise<RangeResult>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new RangeAborted());
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      return resolve({ kind: 'fallback', reason: 'bad url' });
    }
    const https = u.protocol === 'https:';
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    const port = Number(u.port) || (https ? 443 : 80);
    const lines = [`GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`];
    for (const [k, v] of Object.entries(opts.headers)) {
      const lk = k.toLowerCase();
      if (lk === 'host' || lk === 'connection') continue;
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) return resolve({ kind: 'fallback', reason: 'header with a line break' });
      lines.push(`${k}: ${v}`);
    }
    lines.push('Connection: close', '', '');
    const request = lines.join('\r\n');

    const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_BYTES);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // head state
    let head: Buffer | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    let mode: 'head' | 'body' | 'error' = 'head';
    // body state
    let length = 0;
    let limit = 0;
    let written = 0;
    let fd = -1;
    let offset = 0;
    // error state
    const errRaw: Buffer[] = [];
    let errRawLen = 0;
    let errWant = MAX_ERROR_RAW;
    let chunked = false;

    const cleanup = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
    };
    const done = (r: RangeResult) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(r);
    };
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(e);
    };
    const finishError = () => {
      const raw = Buffer.concat(errRaw);
      const body = chunked ? dechunk(raw) : raw;
      done({ kind: 'error', status, headers, text: body.subarray(0, MAX_ERROR_BODY).toString('utf8').trim() });
    };
    /** A failure of the connection: before the head a fallback, then a break. */
    const broken = (message: string) => {
      if (mode === 'head') done({ kind: 'fallback', reason: message });
      else if (mode === 'error') finishError();
      else fail(new RangeBodyBreak(message, written));
    };
    const onAbort = () => fail(new RangeAborted());

    const writeBody = (data: Buffer): boolean => {
      const n = data.length;
      if (n === 0) return true;
      const room = length - written;
      if (written + Math.min(n, room) > limit) {
        fail(new RangeOverflow(written + Math.min(n, room)));
        return false;
      }
      const take = Math.min(n, room);
      try {
        let off = 0;
        while (off < take) off += writeSync(fd, data, off, take - off, offset + written + off);
      } catch (e) {
        fail(new RangeWriteError((e as Error)?.message ?? String(e), { cause: e }));
        return false;
      }
      written += take;
      opts.onBytes?.(take);
      if (written === length) {
        done({ kind: 'body', status, headers, written });
        return false;
      }
      return true;
    };

    const collectError = (data: Buffer) => {
      if (data.length) {
        const take = Math.min(data.length, errWant - errRawLen);
        errRaw.push(Buffer.from(data.subarray(0, take)));
        errRawLen += take;
      }
      const tail = errRaw.length ? errRaw[errRaw.length - 1]! : undefined;
      if (errRawLen >= errWant || (chunked && tail && tail.subarray(-5).toString('latin1') === '0\r\n\r\n')) finishError();
    };

    const onHeadComplete = (text: string, rest: Buffer) => {
      const parsed = parseHead(text);
      if (!parsed) return done({ kind: 'fallback', reason: 'malformed response head' });
      status = parsed.status;
      headers = parsed.headers;
      if (status < 200 || (status >= 300 && status < 400)) return done({ kind: 'fallback', reason: `status ${status}` });
      const te = headers['transfer-encoding'];
      const cl = headers['content-length'];
      if (status >= 400) {
        mode = 'error';
        chunked = te !== undefined && /(^|,)\s*chunked\s*$/i.test(te);
        if (!chunked && cl !== undefined && /^\d+$/.test(cl)) errWant = Math.min(Number(cl), MAX_ERROR_BODY);
        if (errWant === 0) return finishError();
        return collectError(rest);
      }
      if (te !== undefined || cl === undefined || !/^\d+$/.test(cl) || !Number.isSafeInteger(Number(cl))) {
        return done({ kind: 'fallback', reason: 'no plain Content-Length' });
      }
      let decision: HeadDecision;
      try {
        decision = opts.onHead(status, headers);
      } catch (e) {
        return fail(e as Error);
      }
      if (decision === 'fallback') return done({ kind: 'fallback', reason: 'declined' });
      mode = 'body';
      length = Number(cl);
      limit = decision.body;
      fd = decision.fd;
      offset = decision.offset;
      if (length === 0) return done({ kind: 'body', status, headers, written: 0 });
      writeBody(rest);
    };

    const onRead = (n: number, buf: Buffer): void => {
      if (settled) return;
      const data = buf.subarray(0, n);
      if (mode === 'body') {
        writeBody(data);
        return;
      }
      if (mode === 'error') {
        collectError(data);
        return;
      }
      // head: may span reads; copy what is kept, the read buffer is reused
      const all = head ? Buffer.concat([head, data]) : data;
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        if (all.length > MAX_HEAD_BYTES) return done({ kind: 'fallback', reason: 'response head too large' });
        head = Buffer.from(all);
        return;
      }
      head = undefined;
      onHeadComplete(all.toString('latin1', 0, end), all.subarray(end + 4));
    };

    const onread = {
      buffer,
      callback: (n: number, buf: Buffer): boolean => {
        onRead(n, buf);
        return true;
      },
    };
    const socket: net.Socket = https
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host,
          ALPNProtocols: ['http/1.1'],
          session: tlsSessions.get(`${host}:${port}`),
          onread,
        } as tls.ConnectionOptions)
      : net.connect({ host, port, onread } as net.NetConnectOpts);
    if (https) socket.on('session', (s: Buffer) => tlsSessions.set(`${host}:${port}`, s));
    socket.on('error', (e: Error) => broken(e?.message || String(e)));
    socket.on('close', () => {
      broken('other side closed');
      // no read lands in the buffer any more
      if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer);
    });
    socket.once(https ? 'secureConnect' : 'connect', () => {
      socket.write(request);
    });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs) timer = setTimeout(() => broken('request timed out'), opts.timeoutMs);
  });
}
