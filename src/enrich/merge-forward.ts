/**
 * Merge-forward children (docs/shortcuts-read.md): every `merge_forward` item of a page is
 * fetched (`GET /open-apis/im/v1/messages/<id>`, server-side sender names asked for)
 * concurrently, then the sub-items' names are learned and attached. A failed prefetch warns on
 * stderr and is retried once inline; if that fails too the message renders
 * `[Merged forward: fetch failed: <error>]`.
 */
import { isPlainObject } from '../core/json.js';
import { escapePathSegment } from '../core/url.js';
import type { MergeForwardEntry, RawMessage } from '../render/content.js';
import { errorText, type EnrichContext } from './context.js';

export type MergeForwardMap = Map<string, MergeForwardEntry>;

async function fetchSubItems(ctx: EnrichContext, id: string): Promise<RawMessage[]> {
  const data = await ctx.call<{ items?: unknown }>({
    method: 'GET',
    path: `/open-apis/im/v1/messages/${escapePathSegment(id)}`,
    query: { user_id_type: 'open_id', card_msg_content_type: 'raw_card_content', with_sender_name: 'true' },
  });
  return Array.isArray(data.items) ? data.items.filter(isPlainObject) : [];
}

/** Fetches the children of every merge_forward in `raws` (their sender names attached). */
export async function prefetchMergeForward(raws: RawMessage[], ctx: EnrichContext): Promise<MergeForwardMap> {
  const map: MergeForwardMap = new Map();
  const ids = [
    ...new Set(raws.filter((r) => r.msg_type === 'merge_forward' && typeof r.message_id === 'string' && r.message_id).map((r) => r.message_id as string)),
  ];
  if (ids.length === 0) return map;
  const failed: string[] = [];
  await Promise.all(
    ids.map(async (id) => {
      try {
        map.set(id, { items: await fetchSubItems(ctx, id) });
      } catch (e) {
        ctx.warn(`warning: merge_forward_prefetch_failed: ${id}: ${errorText(e)}`);
        failed.push(id);
      }
    }),
  );
  // second (inline) attempt for the failures
  await Promise.all(
    failed.map(async (id) => {
      try {
        map.set(id, { items: await fetchSubItems(ctx, id), inline: true });
      } catch (e) {
        map.set(id, { error: errorText(e) });
      }
    }),
  );
  const subItems = [...map.values()].flatMap((e) => ('items' in e ? e.items : []));
  if (subItems.length) {
    ctx.names.learn(subItems);
    ctx.names.attach(subItems);
  }
  return map;
}
