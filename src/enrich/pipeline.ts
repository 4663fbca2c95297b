/**
 * Post-fetch enrichment of one page of raw messages (docs/shortcuts-read.md), applied by the
 * read shortcuts after their own request: format every message and run the enabled middleware —
 * merge-forward children, sender names (the server's, see names.ts), thread replies, reactions,
 * resource downloads.
 *
 * Each middleware starts as soon as the data it depends on is there, and all requests share one
 * bounded limit (context.ts), so the longest chain of dependent requests for a page is
 *
 *   list → thread fetch → reactions | reply merge-forward | downloads
 *
 * instead of the original's strictly sequential stages: thread fetches and merge-forward
 * prefetches only need the listed items; reactions need the thread replies' ids (one batched
 * query covers the messages and their replies, as the spec's examples show); downloads need the
 * formatted messages. Results are attached in the spec's order, so the output is the same.
 */
import type { Message, RawMessage } from '../render/message.js';
import { projectMessage } from '../render/message.js';
import type { EnrichContext } from './context.js';
import { prefetchMergeForward } from './merge-forward.js';
import { attachReactions, fetchReactions } from './reactions.js';
import { downloadMessageResources } from './resources.js';
import { attachThreads, fetchThreads, formatReplies, type FormattedThreads, type ThreadPlan } from './threads.js';

export interface EnrichOptions {
  /** Expand thread replies (mget and chat-messages-list). */
  threads?: boolean;
  /** Query reactions (off with --no-reactions). */
  reactions?: boolean;
  /** Extract resource refs and download them (--download-resources). */
  resources?: boolean;
  /** Per-message hook run on the formatted message before names are attached (search chat context). */
  decorate?: (msg: Message, raw: RawMessage) => void;
  /** Extra work for the same page that runs alongside (search: chat batch_query); awaited before decorate. */
  alongside?: Promise<unknown>;
}

const idOf = (r: RawMessage) => (typeof r.message_id === 'string' ? r.message_id : '');

/** Ids of the message nodes in walk order: each message, then its kept thread replies. */
function nodeIds(raws: RawMessage[], plans: ThreadPlan[]): string[] {
  const byHost = new Map(plans.map((p) => [p.host, p]));
  return raws.flatMap((r, i) => [idOf(r), ...(byHost.get(i)?.raw ?? []).map(idOf)]);
}

/** Formats and enriches `raws`; never throws for a failed enrichment request. */
export async function formatAndEnrich(raws: RawMessage[], ctx: EnrichContext, opts: EnrichOptions = {}): Promise<Message[]> {
  const resources = !!opts.resources;

  // the server named the senders; learn them before anything is attached
  ctx.names.learn(raws);
  // wave 1 after the list: everything that only needs the raw items
  const mf = prefetchMergeForward(raws, ctx);
  const fetched = opts.threads ? fetchThreads(raws, ctx) : Promise.resolve([]);

  // reactions need the ids of the kept thread replies, nothing else
  const reactions = opts.reactions ? fetched.then((plans) => fetchReactions(nodeIds(raws, plans), ctx)) : undefined;
  const threads: Promise<FormattedThreads> = fetched.then((plans) => formatReplies(plans, ctx, { resources }));

  const mfMap = await mf;
  const messages = raws.map((r) => projectMessage(r, { brand: ctx.brand, mergeForward: (id) => mfMap.get(id), resources }));
  if (opts.alongside) await opts.alongside;
  if (opts.decorate) messages.forEach((m, i) => opts.decorate!(m, raws[i]!));

  // downloads can start once every message and reply is formatted
  const formattedThreads = await threads;
  attachThreads(messages, formattedThreads);
  const downloads = resources ? downloadMessageResources(messages, ctx) : undefined;

  ctx.names.attach(messages);
  if (reactions) attachReactions(messages, await reactions);
  if (downloads) await downloads;
  return messages;
}
