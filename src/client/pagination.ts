/**
 * The generic pagination loop of `--page-all` (`api`, `im <resource> <method>`), and the page
 * cursor readers (nextPageToken, pageMeta: defined in core/page-cursor.ts, so that modules
 * loaded at start-up can read a cursor without loading the client).
 */
import type { Io } from '../core/io.js';
import { isPlainObject } from '../core/json.js';
import { sleep } from '../core/sleep.js';
import { pageMeta } from '../core/page-cursor.js';

export { nextPageToken, pageMeta } from '../core/page-cursor.js';

export interface PageOptions {
  /** 0 or negative = no limit. */
  limit: number;
  /** ms between pages; 0 means the default 200 (the original's quirk), negative means none. */
  delayMs: number;
}

/** The token of the page after `response` (a whole envelope), only while `data.has_more` is true. */
function followingToken(response: unknown): string | undefined {
  if (!isPlainObject(response) || !isPlainObject(response.data)) return undefined;
  const { hasMore, pageToken } = pageMeta(response.data);
  return hasMore && pageToken ? pageToken : undefined;
}

export function responseCode(response: unknown): number {
  if (!isPlainObject(response)) return 0;
  const c = response.code;
  return typeof c === 'number' ? c : Number(c ?? 0) || 0;
}

/** A server that hands back the page token it was given would otherwise be asked forever. */
export const REPEATED_TOKEN_WARNING = 'warning: page_token did not change, stopping pagination to avoid infinite loop\n';

/** How a walk ended: how many results it kept and the last of them. */
export interface PageWalk {
  /** Results kept, an error response on a later page included (it is the last). */
  count: number;
  last: unknown;
}

/**
 * Fetches pages until the cursor ends, the limit is reached or a later page fails. `fetchPage`
 * gets the token of the page to fetch (undefined for the first) and returns the parsed response.
 * Every result is handed to `onResult` as it arrives (`kept`: code 0; an error response is the
 * last result, passed with `kept` false) and then dropped here: the walk holds one page at a
 * time, so the caller decides what to keep (docs/generic-commands.md, Pagination).
 *
 * The next page is asked for as soon as a page's cursor is read, before that page is handed to
 * `onResult`: printing a page overlaps the round trip of the next one (at most one request ahead;
 * the delay between pages still comes first). The lines on stderr keep their order.
 */
export async function paginate(
  io: Io,
  opts: PageOptions,
  fetchPage: (token: string | undefined) => Promise<unknown>,
  onResult: (response: unknown, index: number, kept: boolean) => void | Promise<void>,
): Promise<PageWalk> {
  const delay = opts.delayMs === 0 ? 200 : opts.delayMs;
  const fetchAt = async (page: number, token: string | undefined): Promise<unknown> => {
    if (page > 1 && delay > 0) await sleep(delay);
    io.stderr.write(`[page ${page}] fetching...\n`);
    return fetchPage(token);
  };
  let count = 0;
  let last: unknown;
  let token: string | undefined;
  let pending = fetchAt(1, undefined);
  for (let page = 1; ; page++) {
    let res: unknown;
    try {
      res = await pending;
    } catch (e) {
      if (page === 1) throw e;
      io.stderr.write(`[page ${page}] error, stopping pagination\n`);
      break;
    }
    const code = responseCode(res);
    count++;
    last = res;
    if (code !== 0) {
      await onResult(res, page - 1, false);
      if (page > 1) io.stderr.write(`[page ${page}] API error (code=${code}), stopping pagination\n`);
      break;
    }
    const next = followingToken(res);
    const atLimit = opts.limit > 0 && page >= opts.limit;
    if (next && next !== token && !atLimit) {
      pending = fetchAt(page + 1, next);
      // awaited on the next turn; if onResult fails first, the walk ends without it
      pending.catch(() => undefined);
      // node:http writes the request on a later tick: let it go out before the page is printed
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await onResult(res, page - 1, true);
    if (!next) break;
    if (next === token) {
      io.stderr.write(REPEATED_TOKEN_WARNING);
      break;
    }
    if (atLimit) {
      io.stderr.write(`[pagination] reached page limit (${opts.limit}), stopping. Use --page-all --page-limit 0 to fetch all pages.\n`);
      break;
    }
    token = next;
  }
  return { count, last };
}
