/**
 * Reaction enrichment (docs/shortcuts-read.md): distinct message ids (outer messages and thread
 * replies) in batches of ≤20, all batches concurrently under the shared limit, through
 * `POST /open-apis/im/v1/messages/reactions/batch_query`. Failures never abort: a failed batch
 * warns and marks its messages `reactions_error`, and so do ids listed in
 * `fail_msg_reaction_details`.
 */
import { isPlainObject } from '../core/json.js';
import type { Message } from '../render/message.js';
import { errorText, type EnrichContext } from './context.js';

export const REACTION_BATCH = 20;

export interface ReactionResult {
  reactions?: { counts?: unknown[]; details?: unknown[] };
  error?: true;
}

/** Distinct non-empty ids in first-seen order. */
export function distinctIds(ids: string[]): string[] {
  return [...new Set(ids.filter((id) => id !== ''))];
}

function group(list: unknown, listKey: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  if (!Array.isArray(list)) return out;
  for (const row of list) {
    if (!isPlainObject(row) || typeof row.message_id !== 'string' || !row.message_id) continue;
    const entries = row[listKey];
    if (!Array.isArray(entries) || entries.length === 0) continue;
    const prev = out.get(row.message_id);
    if (prev) prev.push(...entries);
    else out.set(row.message_id, [...entries]);
  }
  return out;
}

/** Queries the reactions of `ids`; the result maps an id to its block or to a failure. */
export async function fetchReactions(ids: string[], ctx: EnrichContext): Promise<Map<string, ReactionResult>> {
  const result = new Map<string, ReactionResult>();
  const distinct = distinctIds(ids);
  const batches: string[][] = [];
  for (let i = 0; i < distinct.length; i += REACTION_BATCH) batches.push(distinct.slice(i, i + REACTION_BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      let data: Record<string, unknown>;
      try {
        data = await ctx.call({
          method: 'POST',
          path: '/open-apis/im/v1/messages/reactions/batch_query',
          body: { queries: batch.map((message_id) => ({ message_id })) },
        });
      } catch (e) {
        ctx.warn(`warning: reactions_batch_query_failed: ${errorText(e)}`);
        for (const id of batch) result.set(id, { error: true });
        return;
      }
      const counts = group(data.success_msg_reaction_counts, 'reaction_count');
      const details = group(data.success_msg_reaction_details, 'message_reaction_items');
      for (const id of batch) {
        const c = counts.get(id);
        const d = details.get(id);
        if (!c && !d) continue;
        const block: { counts?: unknown[]; details?: unknown[] } = {};
        if (c) block.counts = c;
        if (d) block.details = d;
        result.set(id, { reactions: block });
      }
      const failed = Array.isArray(data.fail_msg_reaction_details)
        ? data.fail_msg_reaction_details.filter(isPlainObject).map((f) => (typeof f.message_id === 'string' ? f.message_id : '')).filter(Boolean)
        : [];
      if (failed.length) {
        ctx.warn(`warning: reactions_partial_failed: ${failed.length} message(s) failed ([${failed.join(' ')}])`);
        for (const id of failed) result.set(id, { ...result.get(id), error: true });
      }
    }),
  );
  return result;
}

/** Every message node: the messages and, recursively, their thread replies. */
export function messageNodes(messages: Message[]): Message[] {
  const out: Message[] = [];
  const walk = (list: Message[]) => {
    for (const m of list) {
      out.push(m);
      if (Array.isArray(m.thread_replies)) walk(m.thread_replies);
    }
  };
  walk(messages);
  return out;
}

/** Attaches `reactions` / `reactions_error` to every node with that id. */
export function attachReactions(messages: Message[], results: Map<string, ReactionResult>): void {
  for (const node of messageNodes(messages)) {
    const r = results.get(node.message_id);
    if (!r) continue;
    if (r.reactions) node.reactions = r.reactions;
    if (r.error) node.reactions_error = true;
  }
}
