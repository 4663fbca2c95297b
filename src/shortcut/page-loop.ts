/**
 * The all-pages loop of the list shortcuts that paginate themselves (`+flag-list`, the feed-group
 * lists, `+chat-members-list`; docs/shortcuts-chats-feed.md): several arrays per page are concatenated
 * independently (a generic single-array paginator would drop the others), a progress line (when the
 * caller gives one) goes to stderr after each page, and the loop stops when `has_more` is false,
 * the next token is empty, the token repeats (the repeated-page-token guard, with a warning) or
 * `limit` pages were fetched (silently).
 * Any request error aborts.
 */
import { REPEATED_TOKEN_WARNING } from '../client/pagination.js';
import type { Io } from '../core/io.js';

export interface AllPagesOptions {
  /** Maximum number of pages. */
  limit: number;
  /** Array fields to concatenate; each is always an array in the result. */
  lists: readonly string[];
  /** Fetches one page; `token` is '' for the first page. Returns the response `data`. */
  fetch(token: string, page: number): Promise<Record<string, unknown>>;
  /** Progress line after page `page` (1-based), given the running length of each list; none when absent. */
  progress?(page: number, counts: Record<string, number>): string;
}


/** The merged result: every list, plus `has_more` and `page_token` of the last page fetched. */
export async function fetchAllPages(io: Io, opts: AllPagesOptions): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown[]> = {};
  for (const k of opts.lists) merged[k] = [];
  let hasMore = false;
  let token = '';
  let prev: string | undefined;
  for (let page = 1; page <= opts.limit; page++) {
    const data = await opts.fetch(page === 1 ? '' : token, page);
    for (const k of opts.lists) {
      const v = data[k];
      if (Array.isArray(v)) merged[k]!.push(...v);
    }
    hasMore = data.has_more === true;
    token = typeof data.page_token === 'string' ? data.page_token : '';
    if (opts.progress) {
      const counts: Record<string, number> = {};
      for (const k of opts.lists) counts[k] = merged[k]!.length;
      io.stderr.write(opts.progress(page, counts) + '\n');
    }
    if (!hasMore || token === '') break;
    if (token === prev) {
      io.stderr.write(REPEATED_TOKEN_WARNING);
      break;
    }
    prev = token;
  }
  return { ...merged, has_more: hasMore, page_token: token };
}
