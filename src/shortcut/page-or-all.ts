/**
 * `--page-all` or one page, for the list shortcuts that paginate themselves: with --page-all
 * (and no --page-token) every page up to --page-limit is merged (page-loop.ts, loaded only
 * then), otherwise the page --page-token names.
 */
import type { AllPagesOptions } from './page-loop.js';
import type { ShortcutRuntime } from './runtime.js';

export function wantsAllPages(rt: ShortcutRuntime<'page-all' | 'page-token'>): boolean {
  return rt.bool('page-all') && !rt.has('page-token');
}

export async function pageOrAll(
  rt: ShortcutRuntime<'page-all' | 'page-token' | 'page-limit'>,
  opts: Omit<AllPagesOptions, 'limit'>,
): Promise<Record<string, unknown>> {
  if (!wantsAllPages(rt)) return opts.fetch(rt.str('page-token'), 1);
  const { fetchAllPages } = await import('./page-loop.js');
  return fetchAllPages(rt.io, { ...opts, limit: rt.int('page-limit') });
}
