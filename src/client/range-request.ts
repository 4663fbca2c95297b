/**
 * One request of a download: asks for a range (or the whole resource) and streams its body into
 * the temporary file at an offset. Over a direct connection when no proxy applies
 * (../http/range-fetch.ts: one reused read buffer, no stream per read, no undici), else, or when
 * that path declines an unusual answer (redirect, no Content-Length, no connection), through the
 * general client. Both run the same checks and raise the same errors; 429/5xx answers are asked
 * again (the retry policy of ../http/retry-policy.ts), and a body that breaks off is requested
 * again, ATTEMPTS in all.
 */
import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import type { ApiClient } from './api-client.js';
import type { StreamResponse } from '../http/transport.js';
import { MAX_ATTEMPTS as ATTEMPTS, retryableStatus, withRetries } from '../http/retry-policy.js';
import { fetchRange, RangeBodyBreak, RangeOverflow, RangeWriteError, type RangeResult } from '../http/range-fetch.js';
import { directConnection } from '../http/proxy-rule.js';
import type { Progress } from './transfer-progress.js';
import { localError } from './temp-file.js';

/** What an answer must carry, decided from its status and headers before the body is read. */
export interface BodySpec {
  /** Exact byte count for a range, the Content-Length for a whole body, or undefined. */
  length: number | undefined;
  /** Whether fewer bytes than `length` is an error here (ranges; whole bodies are checked later). */
  exact: boolean;
  overflow: (delivered: number) => CliError;
}

/**
 * Validates an answer's status and headers before its body is read and says what the body must
 * be; throws a CliError. Called with 2xx statuses (>= 400 is handled before it).
 */
export type HeadCheck = (status: number, headers: Record<string, string>) => BodySpec;

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

/** `HTTP <status>: <first 4 KiB of the body, trimmed>` (`http_error`, exit 1). */
function httpErrorOf(status: number, text: string): CliError {
  return new CliError('http_error', text ? `HTTP ${status}: ${text}` : `HTTP ${status}`);
}

/** HTTP >= 400 (after the transport's retries). */
async function httpError(res: StreamResponse): Promise<never> {
  throw httpErrorOf(res.status, (await readUpTo(res.body, 4096)).toString('utf8').trim());
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

function shortError(n: number, want: number): CliError {
  return new CliError('network', `range response delivered ${n} bytes, want the ${want} bytes its Content-Range declared`);
}

export function overflowError(want: number): CliError {
  return new CliError('network', `range response delivered more than the ${want} bytes its Content-Range declared`);
}

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

export interface RangeRequestOptions {
  client: ApiClient;
  io: Io;
  /** The resource's path and query. */
  path: string;
  query: Record<string, string>;
  timeoutMs: number;
  /** Aborted when the download fails (sibling chunks stop). */
  signal: AbortSignal;
  progress: Progress;
  /** The temporary file's descriptor (open once the first answer's check has run). */
  fd: () => number;
}

/**
 * The function that requests `range` (none: the whole resource) and writes its body at `offset`,
 * after `check` accepted the answer's head; it resolves to the bytes written.
 */
export function rangeRequester(o: RangeRequestOptions): (range: string | undefined, offset: number, check: HeadCheck) => Promise<number> {
  const { client, io, progress, signal } = o;
  const direct = directConnection(io.env, client.baseUrl);
  /** Set up on first need: the direct path never needs it. */
  let collect: (() => void) | null | undefined;
  let sinceGc = 0;
  const request = (range: string | undefined) => ({ method: 'GET', path: o.path, query: o.query, headers: range ? { Range: range } : undefined });

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
      const out = o.fd();
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
      res = await client.stream({ ...request(range), timeoutMs: o.timeoutMs, signal });
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
   * One request over a direct connection: the same request, checks and errors as `viaClient`,
   * with 429/5xx asked again as the transport does; undefined when the answer is unusual and the
   * general client must take the request instead. Nothing is allocated per read, so no
   * young-generation collections are needed.
   */
  const viaDirect = async (range: string | undefined, offset: number, check: HeadCheck): Promise<number | undefined> => {
    let spec: BodySpec | undefined;
    const r = await withRetries<RangeResult>(
      io,
      { attempts: ATTEMPTS, retryAnswer: (r) => (r.kind === 'error' && retryableStatus(r.status) ? { headers: r.headers } : undefined) },
      async () => {
        spec = undefined;
        const target = await client.target(request(range));
        try {
          return await fetchRange({
            url: target.url,
            headers: target.headers,
            signal,
            timeoutMs: o.timeoutMs,
            onBytes: (n) => progress.add(n),
            onHead: (status, headers) => {
              spec = check(status, headers);
              return { body: spec.length ?? Number.MAX_SAFE_INTEGER, fd: o.fd(), offset };
            },
          });
        } catch (e) {
          if (e instanceof RangeBodyBreak) throw new BodyBreak(e.message, e.written);
          if (e instanceof RangeOverflow) throw spec!.overflow(e.delivered);
          if (e instanceof RangeWriteError) throw localError('cannot create file', e.cause);
          throw e; // RangeAborted (a sibling failed) or an error from the checks
        }
      },
    );
    if (r.kind === 'fallback') return undefined;
    if (r.kind === 'error') throw httpErrorOf(r.status, r.text);
    if (spec!.exact && spec!.length !== undefined && r.written < spec!.length) throw shortError(r.written, spec!.length);
    return r.written;
  };

  const broke = (e: unknown): e is BodyBreak => e instanceof BodyBreak && !signal.aborted;
  return (range, offset, check) => {
    let useDirect = direct;
    return withRetries<number>(
      io,
      {
        attempts: ATTEMPTS,
        retryError: broke,
        finalError: (e) => (broke(e) ? new CliError('network', `read response body: ${e.message}`, { cause: e }) : e),
      },
      async () => {
        try {
          if (useDirect) {
            const n = await viaDirect(range, offset, check);
            if (n !== undefined) return n;
            useDirect = false;
          }
          return await viaClient(range, offset, check);
        } catch (e) {
          if (broke(e)) progress.add(-e.written);
          throw e;
        }
      },
    );
  };
}
