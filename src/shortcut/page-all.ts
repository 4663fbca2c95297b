/**
 * The cursor walk of the list shortcuts (`+chat-messages-list`, `+threads-messages-list`,
 * `+chat-list`, `+chat-search`, `+message-read-users`; docs/shortcuts-framework.md, Paging):
 * `--page-all`, `--page-limit`, `--page-delay`. Every run is a walk: one page without
 * --page-all, up to --page-limit pages with it. The items of all pages are merged before the
 * shortcut formats, filters or enriches them (so enrichment runs once), and the walk's outcome
 * becomes `meta.pagination` of the output. A cursor that is missing or repeats stops the walk
 * with an internal error instead of a silent stop.
 *
 * (`+flag-list` and the feed-group lists keep the older warning-and-stop loop, page-loop.ts.)
 */
import { CliError } from '../core/errors.js';
import { pageMeta } from '../core/page-cursor.js';
import { sleep } from '../core/sleep.js';
import type { PaginationMeta } from '../output/envelope.js';
import type { FlagDef } from './define.js';
import type { DryRun } from './dry-run.js';
import type { ShortcutRuntime } from './runtime.js';

const PAGE_LIMIT_MAX = 1000;
const PAGE_DELAY_MAX = 60_000;

/** The shared flag set; spread it after a shortcut's own flags. */
export const PAGE_ALL_FLAGS = [
  { name: 'page-all', type: 'bool', desc: 'continue from --page-token (if set) until exhaustion or --page-limit' },
  { name: 'page-limit', type: 'int', default: 10, desc: `maximum pages fetched by --page-all (1-${PAGE_LIMIT_MAX})` },
  {
    name: 'page-delay',
    type: 'int',
    default: 200,
    desc: `delay in milliseconds between pages with --page-all (0-${PAGE_DELAY_MAX}; 0 disables throttling)`,
  },
] as const satisfies readonly FlagDef[];

export const PAGE_ALL_DESC = 'Auto-paginates from --page-token when provided, until exhaustion or --page-limit is reached';

const CURSOR_HINT = 're-run without --page-all, or report the endpoint: its pagination cursor is inconsistent';

type PageAllRuntime = ShortcutRuntime<'page-all' | 'page-limit' | 'page-delay'>;

/** The range checks of --page-limit and --page-delay; they run with or without --page-all. */
export function validatePageAll(rt: PageAllRuntime): void {
  const limit = rt.int('page-limit');
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw new CliError('validation', `--page-limit must be an integer between 1 and ${PAGE_LIMIT_MAX}`);
  }
  const delay = rt.int('page-delay');
  if (!Number.isInteger(delay) || delay < 0 || delay > PAGE_DELAY_MAX) {
    throw new CliError('validation', `--page-delay must be an integer between 0 and ${PAGE_DELAY_MAX}`);
  }
}

/** With --page-all, the walk's description: of the plan before its first call, else of the last call. */
export function planPageAll(plan: DryRun, rt: PageAllRuntime): DryRun {
  return rt.bool('page-all') ? plan.desc(PAGE_ALL_DESC) : plan;
}

export interface PageRequest {
  method: 'GET' | 'POST';
  path: string;
  /** The first page's query; its `page_token` (from --page-token) is where the walk starts. */
  query: Record<string, string | number>;
  body?: unknown;
}

export interface PageWalk {
  /** The `items` of every page, in order (null entries dropped). */
  items: unknown[];
  /** Each page's `data`, in order. */
  pages: Record<string, unknown>[];
  /** `has_more` and the cursor of the last page fetched. */
  hasMore: boolean;
  pageToken: string;
  /** The outcome; `items` counts the merged items until the shortcut sets what it emits. */
  pagination: PaginationMeta;
}

/**
 * The progress line `[page n] fetching...` is for a person watching a terminal: never when stderr
 * is not one, and not for ndjson/csv, whose stderr carries the one-line pagination diagnostic
 * (unless --jq decides the output).
 */
function showProgress(rt: ShortcutRuntime): boolean {
  if (!rt.io.stderr.isTTY) return false;
  if (rt.values.jq) return true;
  return rt.format !== 'ndjson' && rt.format !== 'csv';
}

/** Fetches one page, or with --page-all pages until the cursor ends or --page-limit pages were fetched. */
export async function walkPages(rt: ShortcutRuntime<'page-all' | 'page-limit' | 'page-delay'>, req: PageRequest): Promise<PageWalk> {
  const all = rt.bool('page-all');
  const maxPages = all ? rt.int('page-limit') : 1;
  const delay = all ? rt.int('page-delay') : 0;
  const progress = all && showProgress(rt);
  const first = req.query.page_token;
  let token = typeof first === 'string' ? first : '';
  const seen = new Set<string>(token ? [token] : []);
  const walk: PageWalk = { items: [], pages: [], hasMore: false, pageToken: '', pagination: { complete: false, pages: 0, items: 0 } };
  for (let page = 1; page <= maxPages; page++) {
    const query = { ...req.query };
    if (token) query.page_token = token;
    if (progress) rt.io.stderr.write(`[page ${page}] fetching...\n`);
    const data = await rt.json<Record<string, unknown>>({ method: req.method, path: req.path, query, ...(req.body !== undefined ? { body: req.body } : {}) });
    const items = data.items;
    if (items !== undefined && items !== null && !Array.isArray(items)) {
      throw new CliError('internal', `decode pagination page ${page}: "items" is not an array`);
    }
    for (const it of items ?? []) if (it !== null) walk.items.push(it);
    walk.pages.push(data);
    const { hasMore, pageToken } = pageMeta(data);
    walk.hasMore = hasMore;
    walk.pageToken = pageToken;
    walk.pagination.pages = page;
    if (!hasMore) {
      walk.pagination.complete = true;
      delete walk.pagination.next_token;
      break;
    }
    if (pageToken === '') throw new CliError('internal', 'response reports more pages but returned no page token', { hint: CURSOR_HINT });
    if (seen.has(pageToken)) {
      throw new CliError('internal', `response repeated page token ${JSON.stringify(pageToken)}, which would paginate forever`, { hint: CURSOR_HINT });
    }
    walk.pagination.next_token = pageToken;
    if (page === maxPages) break;
    seen.add(pageToken);
    token = pageToken;
    if (delay > 0) await sleep(delay);
  }
  walk.pagination.items = walk.items.length;
  return walk;
}
