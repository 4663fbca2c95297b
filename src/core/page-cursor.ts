/**
 * The one reader of a list page's cursor: `page_token`, else `next_page_token`, and `has_more`.
 * Here in core (client/pagination.ts re-exports it beside the pagination loop) so that a module
 * loaded at start-up (every shortcut module is, by `im`) may read a cursor without the client.
 */

/** The cursor of a page's `data`: `page_token`, else `next_page_token`; '' when neither is set. */
export function nextPageToken(data: Record<string, unknown>): string {
  if (typeof data.page_token === 'string' && data.page_token) return data.page_token;
  return typeof data.next_page_token === 'string' ? data.next_page_token : '';
}

/** `has_more` and the cursor (nextPageToken) of a list page's `data`. */
export function pageMeta(data: Record<string, unknown>): { hasMore: boolean; pageToken: string } {
  return { hasMore: data.has_more === true, pageToken: nextPageToken(data) };
}
