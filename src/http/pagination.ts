/**
 * The generic pagination loop of `--page-all` (core.md §11.5, generic-commands.md §3.12).
 */
import type { Io } from '../core/io.js';
import { isPlainObject } from '../core/json.js';

export interface PageOptions {
  /** 0 or negative = no limit. */
  limit: number;
  /** ms between pages; 0 means the default 200 (the original's quirk), negative means none. */
  delayMs: number;
}

/** Next page token: data.page_token, else data.next_page_token, only while has_more is true. */
export function nextPageToken(response: unknown): string | undefined {
  if (!isPlainObject(response) || !isPlainObject(response.data)) return undefined;
  const d = response.data;
  if (d.has_more !== true) return undefined;
  if (typeof d.page_token === 'string' && d.page_token) return d.page_token;
  if (typeof d.next_page_token === 'string' && d.next_page_token) return d.next_page_token;
  return undefined;
}

export function responseCode(response: unknown): number {
  if (!isPlainObject(response)) return 0;
  const c = response.code;
  return typeof c === 'number' ? c : Number(c ?? 0) || 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server that hands back the page token it was given would otherwise be asked forever. */
export const REPEATED_TOKEN_WARNING = 'warning: page_token did not change, stopping pagination to avoid infinite loop\n';

/**
 * Fetches pages until the cursor ends, the limit is reached or a later page fails. `fetchPage`
 * gets the token of the page to fetch (undefined for the first) and returns the parsed response.
 * Each kept page is handed to `onPage` as it arrives (streaming formats print right away).
 * Returns every result kept (an error response on a later page is included last).
 */
export async function paginate(
  io: Io,
  opts: PageOptions,
  fetchPage: (token: string | undefined) => Promise<unknown>,
  onPage: (response: unknown, index: number) => void | Promise<void>,
): Promise<unknown[]> {
  const results: unknown[] = [];
  let token: string | undefined;
  for (let page = 1; ; page++) {
    io.stderr.write(`[page ${page}] fetching...\n`);
    let res: unknown;
    try {
      res = await fetchPage(token);
    } catch (e) {
      if (page === 1) throw e;
      io.stderr.write(`[page ${page}] error, stopping pagination\n`);
      break;
    }
    const code = responseCode(res);
    if (code !== 0) {
      results.push(res);
      if (page > 1) io.stderr.write(`[page ${page}] API error (code=${code}), stopping pagination\n`);
      break;
    }
    results.push(res);
    await onPage(res, page - 1);
    const next = nextPageToken(res);
    if (!next) break;
    if (next === token) {
      io.stderr.write(REPEATED_TOKEN_WARNING);
      break;
    }
    token = next;
    if (opts.limit > 0 && page >= opts.limit) {
      io.stderr.write(`[pagination] reached page limit (${opts.limit}), stopping. Use --page-all --page-limit 0 to fetch all pages.\n`);
      break;
    }
    const delay = opts.delayMs === 0 ? 200 : opts.delayMs;
    if (delay > 0) await sleep(delay);
  }
  return results;
}
