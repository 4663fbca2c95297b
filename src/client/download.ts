/**
 * Ranged download of a message resource (docs/shortcuts-write.md, +messages-resources-download),
 * shared by `+messages-resources-download` and the `--download-resources` stage of the read
 * shortcuts. This file holds the plan (probe, chunks, their concurrency, the size checks); the
 * pieces are beside it: one request of a range (./range-request.ts), the temporary file and its
 * clean-up on interrupt (./temp-file.ts), the progress bar (./transfer-progress.ts), naming
 * (../http/download-name.ts) and `Content-Range` (../http/content-range.ts).
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
 * Every request is a safe GET: transport errors, 429 and 5xx are retried (src/http/retry-policy.ts);
 * a response whose body breaks off is requested again (3 attempts in all). Errors:
 * - HTTP >= 400: `http_error` (exit 1), `HTTP <status>: <first 4 KiB of the body, trimmed>`
 *   (callers such as `--download-resources` prefix `download failed: `);
 * - transport failure: `network` (exit 4), `stream request failed: <err>`;
 * - broken transfer (bad `Content-Range`, unexpected status, short or overlong body, size
 *   mismatch, body cut off three times): `network` (exit 4);
 * - local file errors: `internal` (exit 5), `cannot create parent directory: …` / `cannot create file: …`.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import { escapePathSegment } from '../core/url.js';
import { parseContentRange, type ContentRange } from '../http/content-range.js';
import { chooseTargetName } from '../http/download-name.js';
import type { ApiClient } from './api-client.js';
import { Progress } from './transfer-progress.js';
import { overflowError, rangeRequester, type HeadCheck } from './range-request.js';
import { TempFile } from './temp-file.js';

export { chooseTargetName } from '../http/download-name.js';

export const PROBE_BYTES = 128 * 1024;
export const CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Chunks of one download in flight at a time (at most; one while a single connection is fast). */
const DOWNLOAD_CHUNK_CONCURRENCY = 4;
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

export async function downloadResource(client: ApiClient, opts: DownloadOptions): Promise<DownloadResult> {
  const io = opts.io;
  const abort = new AbortController();
  const apiPath = `/open-apis/im/v1/messages/${escapePathSegment(opts.messageId)}/resources/${escapePathSegment(opts.fileKey)}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const progress = new Progress(io, undefined, opts.progress ?? !!io.stderr.isTTY);
  let temp: TempFile | undefined;
  const state: { first?: FirstAnswer } = {};
  const fetchInto = rangeRequester({
    client,
    io,
    path: apiPath,
    query: { type: opts.type },
    timeoutMs,
    signal: abort.signal,
    progress,
    fd: () => temp!.fd!,
  });

  /**
   * The first answer decides the file name and the size, and creates the temporary file;
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
      temp = TempFile.open(io, target);
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
        const most = Math.max(1, opts.concurrency ?? DOWNLOAD_CHUNK_CONCURRENCY);
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

    await temp!.commit(first.target);
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
    await temp?.discard();
    throw e;
  }
}
