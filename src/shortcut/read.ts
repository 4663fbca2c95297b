/**
 * What the message-read shortcuts share (docs/shortcuts-read.md): the enrichment flags, their
 * dry-run lines, and the tail every read ends with — format the page, run the enrichment
 * middleware the flags ask for, print. Cheap to import (no I/O, no HTTP): the enrichment modules
 * load when a page is read.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject } from '../core/json.js';
import type { EnrichContext } from '../enrich/context.js';
import type { EnrichOptions } from '../enrich/pipeline.js';
import type { PaginationMeta } from '../output/envelope.js';
import type { Message, RawMessage } from '../render/message.js';
import type { FlagDef, ShortcutDef } from './define.js';
import type { DryRun } from './dry-run.js';
import type { PageRequest } from './page-all.js';
import type { ShortcutRuntime } from './runtime.js';

/**
 * Who may run a message read and what it pre-checks: the message-read scopes of each identity and
 * the reactions scope of the enrichment; every read offers --format.
 */
export const MESSAGE_READ_ACCESS: Pick<ShortcutDef, 'risk' | 'authTypes' | 'scopes' | 'userScopes' | 'botScopes' | 'hasFormat'> = {
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:message:readonly'],
  userScopes: ['im:message.group_msg:get_as_user', 'im:message.p2p_msg:get_as_user', 'im:message.reactions:read'],
  botScopes: ['im:message.group_msg', 'im:message.p2p_msg:readonly', 'im:message.reactions:read'],
  hasFormat: true,
};

export const NO_REACTIONS_FLAG = {
  name: 'no-reactions',
  type: 'bool',
  desc: 'skip auto-fetching reactions for each message (default: enrichment enabled)',
} as const satisfies FlagDef;

export const DOWNLOAD_RESOURCES_FLAG = {
  name: 'download-resources',
  type: 'bool',
  desc: 'download images/files/audio/video of the returned messages into ./lark-im-resources/ and add local_path to each resources entry',
} as const satisfies FlagDef;

/** The enrichment flags of the reads that print whole messages (mget and the two list reads). */
export const ENRICHMENT_FLAGS = [NO_REACTIONS_FLAG, DOWNLOAD_RESOURCES_FLAG] as const;

export const DOWNLOAD_RESOURCES_DESC =
  'Resource download (--download-resources): each downloadable resource (image/file/audio/video/media + post-embedded, excluding stickers) is fetched via GET /open-apis/im/v1/messages/:message_id/resources/:file_key into ./lark-im-resources/ after formatting; deduped by (message_id, file_key) with bounded concurrency, and single-resource failures are isolated.';

export const REACTIONS_URL = '/open-apis/im/v1/messages/reactions/batch_query';

/** `--order` and its hidden legacy alias `--sort` of the two list reads. */
export function orderFlags<D extends 'asc' | 'desc'>(defaultOrder: D, aliases: readonly string[] = []) {
  return [
    { name: 'order', default: defaultOrder, desc: 'sort order by create time', enum: ['asc', 'desc'], aliases },
    { name: 'sort', hidden: true, desc: 'legacy alias of --order', enum: ['asc', 'desc'] },
  ] as const satisfies readonly FlagDef[];
}

/** `--order`, or the hidden legacy `--sort` when only it was given. */
export function sortOrder(rt: ShortcutRuntime<'order' | 'sort'>): string {
  if (rt.has('sort') && !rt.has('order')) return rt.str('sort');
  return rt.str('order');
}

/**
 * What the look-up before a list read found (a user's P2P chat, a message's thread): the first
 * non-empty string `key` among the objects of `list`; none is a not_found error saying `missing`.
 */
export function lookedUpId(list: unknown, key: string, missing: string): string {
  for (const it of Array.isArray(list) ? list : []) {
    const v = isPlainObject(it) ? it[key] : undefined;
    if (typeof v === 'string' && v !== '') return v;
  }
  throw new CliError('not_found', missing);
}

/** A runtime of a read shortcut: it declares --no-reactions (and may declare --download-resources). */
type ReadRuntime = ShortcutRuntime<'no-reactions'>;

const downloads = (rt: ReadRuntime): boolean => rt.values['download-resources'] === true;

/**
 * Appends the reactions call (unless --no-reactions) and, with --download-resources, the
 * download description (a description only: the downloads depend on what the page holds).
 */
export function planEnrichment(plan: DryRun, rt: ReadRuntime, reactionsDesc: string): DryRun {
  if (!rt.bool('no-reactions')) plan.post(REACTIONS_URL).desc(reactionsDesc);
  if (downloads(rt)) plan.desc(DOWNLOAD_RESOURCES_DESC);
  return plan;
}

export interface Enricher {
  /** The shared context: its `call` runs under the enrichment's one concurrency limit. */
  ctx: EnrichContext;
  /** Formats and enriches `raws`: reactions unless --no-reactions, downloads with --download-resources. */
  messages(raws: RawMessage[], opts?: Omit<EnrichOptions, 'reactions' | 'resources'>): Promise<Message[]>;
}

/** Loads the enrichment middleware and opens one context for this run. */
export async function openEnrichment(rt: ReadRuntime): Promise<Enricher> {
  const [{ enrichContext }, { formatAndEnrich }] = await Promise.all([import('../enrich/context.js'), import('../enrich/pipeline.js')]);
  const ctx = enrichContext(rt);
  return {
    ctx,
    messages: (raws, opts = {}) =>
      formatAndEnrich(raws, ctx, { ...opts, reactions: !rt.bool('no-reactions'), resources: downloads(rt) }),
  };
}

export interface MessagePageOptions {
  /** Expand thread replies. */
  threads?: boolean;
  /** A list page: print `has_more` and `page_token` (mget answers without a cursor). */
  paged: boolean;
  /** Further output fields, printed after the page's (before `total`). */
  extra?: Record<string, unknown>;
  /** The walk's outcome (page-all.ts), printed as `meta.pagination` with `items` = the messages printed. */
  pagination?: PaginationMeta;
}

/**
 * The tail of a message read: the `items` of the response formatted and enriched, printed as
 * `{has_more, messages, page_token, ...extra, total}` (or `{messages, total}`), pretty through
 * the shortcut's declared renderer.
 */
export async function printMessagePage(rt: ReadRuntime, data: Record<string, unknown>, opts: MessagePageOptions): Promise<void> {
  const [{ itemsOf, pageMeta }, enricher] = await Promise.all([import('../enrich/page.js'), openEnrichment(rt)]);
  const { hasMore, pageToken } = pageMeta(data);
  const messages = await enricher.messages(itemsOf(data), { threads: opts.threads });
  const out = opts.paged
    ? { has_more: hasMore, messages, page_token: pageToken, ...opts.extra, total: messages.length }
    : { messages, ...opts.extra, total: messages.length };
  await rt.out(out, opts.pagination ? { pagination: { ...opts.pagination, items: messages.length } } : {});
}

/**
 * The tail of a list read: every page of the walk (page-all.ts) first, then one enrichment pass
 * over all their messages, printed as one page with the walk as `meta.pagination`.
 */
export async function printMessageWalk(
  rt: ShortcutRuntime<'no-reactions' | 'page-all' | 'page-limit' | 'page-delay'>,
  req: PageRequest,
  opts: Pick<MessagePageOptions, 'threads' | 'extra'>,
): Promise<void> {
  const { walkPages } = await import('./page-all.js');
  const walk = await walkPages(rt, req);
  const data = { items: walk.items, has_more: walk.hasMore, page_token: walk.pageToken };
  await printMessagePage(rt, data, { ...opts, paged: true, pagination: walk.pagination });
}
