/**
 * Thread-reply expansion (docs/shortcuts-read.md, `+messages-mget` and `+chat-messages-list`):
 * each distinct thread of the page is fetched once (all concurrently, under the shared limit),
 * the total budget is applied in plan order against the actual counts, the kept replies are
 * formatted (with their own merge-forward prefetch and the server's sender names) and attached
 * to the first message carrying the thread. A failed fetch marks the host `thread_replies_error`.
 */
import { isPlainObject } from '../core/json.js';
import { projectMessage, type Message, type RawMessage } from '../render/message.js';
import type { EnrichContext } from './context.js';
import { prefetchMergeForward } from './merge-forward.js';

export const PER_THREAD = 50;
export const TOTAL_LIMIT = 500;

export interface ThreadPlan {
  threadId: string;
  /** Index of the host message in the page. */
  host: number;
  /** Kept raw replies (after the budget); undefined when the fetch failed. */
  raw?: RawMessage[];
  hasMore: boolean;
  failed: boolean;
}

/** Plans and fetches the threads of `raws`, applying the budget. Never throws. */
export async function fetchThreads(raws: RawMessage[], ctx: EnrichContext, perThread = PER_THREAD, totalLimit = TOTAL_LIMIT): Promise<ThreadPlan[]> {
  const per = Math.min(50, Math.max(1, perThread));
  const plans: ThreadPlan[] = [];
  const seen = new Set<string>();
  raws.forEach((r, i) => {
    const tid = typeof r.thread_id === 'string' ? r.thread_id : '';
    if (!tid || seen.has(tid)) return;
    seen.add(tid);
    plans.push({ threadId: tid, host: i, hasMore: false, failed: false });
  });
  await Promise.all(
    plans.map(async (p) => {
      try {
        const data = await ctx.call<{ items?: unknown; has_more?: unknown }>({
          method: 'GET',
          path: '/open-apis/im/v1/messages',
          query: {
            container_id_type: 'thread',
            container_id: p.threadId,
            sort_type: 'ByCreateTimeAsc',
            page_size: per,
            card_msg_content_type: 'raw_card_content',
            with_sender_name: 'true',
          },
        });
        p.raw = Array.isArray(data.items) ? data.items.filter(isPlainObject) : [];
        p.hasMore = data.has_more === true;
      } catch {
        p.failed = true;
      }
    }),
  );
  let remaining = totalLimit > 0 ? totalLimit : TOTAL_LIMIT;
  for (const p of plans) {
    if (p.failed || !p.raw || p.raw.length === 0) continue;
    if (remaining <= 0) {
      p.raw = [];
      continue;
    }
    if (p.raw.length > remaining) {
      p.raw = p.raw.slice(0, remaining);
      p.hasMore = true;
    }
    remaining -= p.raw.length;
  }
  return plans;
}

export interface FormattedThreads {
  plans: ThreadPlan[];
  replies: Map<ThreadPlan, Message[]>;
}

/** Formats the kept replies (merge-forward prefetch, projection) and attaches their sender names. */
export async function formatReplies(plans: ThreadPlan[], ctx: EnrichContext, opts: { resources: boolean }): Promise<FormattedThreads> {
  const all = plans.flatMap((p) => p.raw ?? []);
  ctx.names.learn(all);
  const mf = await prefetchMergeForward(all, ctx);
  const replies = new Map<ThreadPlan, Message[]>();
  for (const p of plans) {
    if (!p.raw || p.raw.length === 0) continue;
    replies.set(
      p,
      p.raw.map((r) => projectMessage(r, { brand: ctx.brand, mergeForward: (id) => mf.get(id), resources: opts.resources })),
    );
  }
  ctx.names.attach([...replies.values()].flat());
  return { plans, replies };
}

/** Attaches replies / error flags to the host messages. */
export function attachThreads(messages: Message[], t: FormattedThreads): void {
  for (const p of t.plans) {
    const host = messages[p.host];
    if (!host) continue;
    if (p.failed) {
      host.thread_replies_error = true;
      continue;
    }
    const replies = t.replies.get(p);
    if (!replies) continue;
    host.thread_replies = replies;
    if (p.hasMore) host.thread_has_more = true;
  }
}
