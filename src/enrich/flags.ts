/**
 * Flags and plan texts shared by the read shortcuts that apply the enrichment middleware.
 * Cheap to import (no I/O, no HTTP): shortcut definitions load it at start-up.
 */
import type { FlagDef } from '../shortcut/define.js';
import type { DryRun } from '../shortcut/dry-run.js';

export const NO_REACTIONS_FLAG: FlagDef = {
  name: 'no-reactions',
  type: 'bool',
  desc: 'skip auto-fetching reactions for each message (default: enrichment enabled)',
};

export const DOWNLOAD_RESOURCES_FLAG: FlagDef = {
  name: 'download-resources',
  type: 'bool',
  desc: 'download images/files/audio/video of the returned messages into ./lark-im-resources/ and add local_path to each resources entry',
};

export const DOWNLOAD_RESOURCES_DESC =
  'Resource download (--download-resources): each downloadable resource (image/file/audio/video/media + post-embedded, excluding stickers) is fetched via GET /open-apis/im/v1/messages/:message_id/resources/:file_key into ./lark-im-resources/ after formatting; deduped by (message_id, file_key) with bounded concurrency, and single-resource failures are isolated.';

export const REACTIONS_URL = '/open-apis/im/v1/messages/reactions/batch_query';

/** Appends the reactions call (unless --no-reactions) and the download description (Note N2). */
export function planEnrichment(plan: DryRun, opts: { reactions: boolean; reactionsDesc: string; downloads: boolean }): DryRun {
  if (opts.reactions) plan.post(REACTIONS_URL).desc(opts.reactionsDesc);
  if (opts.downloads) plan.desc(DOWNLOAD_RESOURCES_DESC);
  return plan;
}

/** `has_more` and `page_token` (falling back to `next_page_token`) of a list response. */
export function pageMeta(data: Record<string, unknown>): { hasMore: boolean; pageToken: string } {
  const hasMore = data.has_more === true;
  let pageToken = typeof data.page_token === 'string' ? data.page_token : '';
  if (!pageToken && typeof data.next_page_token === 'string') pageToken = data.next_page_token;
  return { hasMore, pageToken };
}

/** `data.items` as objects (a non-object entry becomes `{}`, as the original formats it). */
export function itemsOf(data: Record<string, unknown>, key = 'items'): Record<string, unknown>[] {
  const v = data[key];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {}));
}
