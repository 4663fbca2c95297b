/**
 * `+messages-search` (docs/shortcuts-read.md): search messages by keyword and filters (optionally
 * several pages), then fetch the hits' details (mget, 50 ids per call) and their chats
 * (chats/batch_query, 50 per call), and enrich them with the read middleware (the server's sender
 * names, reactions). User or bot identity: the same requests, with the user or the tenant token.
 */
import { CliError } from '../../core/errors.js';
import { isPlainObject } from '../../core/json.js';
import { defineShortcut, type FlagName } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { NO_REACTIONS_FLAG, openEnrichment, planEnrichment } from '../../shortcut/read.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { parseTimeFlag } from '../../core/time.js';
import { splitCsv, validateChatId, validatePageSize, validateUserId } from '../../shortcut/validate.js';
import { MGET_PATH, mgetQuery } from '../mget-request.js';

const SEARCH = '/open-apis/im/v1/messages/search';
const CHATS = '/open-apis/im/v1/chats/batch_query';
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 50;
const DEFAULT_PAGE_LIMIT = 20;
const MAX_PAGE_LIMIT = 40;
const CHUNK = 50;
const REACTIONS_DESC = 'Step 4 (if results): reaction enrichment in batches of up to 20 messages. Pass --no-reactions to skip.';

const FLAGS = [
  { name: 'query', aliases: ['keyword'], desc: 'search keyword' },
  { name: 'chat-id', desc: 'limit to these chat IDs (comma-separated oc_xxx)' },
  { name: 'sender', desc: 'sender open_ids (comma-separated ou_xxx)' },
  { name: 'include-attachment-type', desc: 'only messages with this attachment type', enum: ['file', 'image', 'video', 'link'] },
  { name: 'chat-type', desc: 'chat type', enum: ['group', 'p2p'] },
  { name: 'sender-type', desc: 'sender type', enum: ['user', 'bot'] },
  { name: 'exclude-sender-type', desc: 'exclude this sender type', enum: ['user', 'bot'] },
  { name: 'is-at-me', type: 'bool', desc: 'only messages that @mention me' },
  { name: 'at-chatter-ids', desc: 'only messages that @mention these open_ids (comma-separated; @all also matches)' },
  { name: 'start', desc: 'start time, ISO 8601 with offset (e.g. 2026-03-24T00:00:00+08:00)' },
  { name: 'end', desc: 'end time, ISO 8601 with offset (e.g. 2026-03-25T23:59:59+08:00)' },
  { name: 'page-size', aliases: ['limit'], type: 'int', default: DEFAULT_PAGE_SIZE, desc: `page size (1-${MAX_PAGE_SIZE})` },
  { name: 'page-token', desc: 'page token to start from' },
  { name: 'page-all', type: 'bool', desc: 'fetch every page (up to 40 pages)' },
  { name: 'page-limit', type: 'int', default: DEFAULT_PAGE_LIMIT, desc: 'maximum pages to fetch; giving it turns auto-pagination on (1-40)' },
  NO_REACTIONS_FLAG,
] as const;
type Runtime = ShortcutRuntime<FlagName<typeof FLAGS>>;

interface SearchRequest {
  pageSize: number;
  body: Record<string, unknown>;
}

/** Builds (and validates, in flag order) the search body and page size. */
function buildRequest(rt: Runtime): SearchRequest {
  if (rt.has('page-limit')) {
    const n = rt.int('page-limit');
    if (n < 1 || n > MAX_PAGE_LIMIT) throw new CliError('validation', '--page-limit must be an integer between 1 and 40');
  }
  const filter: Record<string, unknown> = {};
  const timeRange: Record<string, unknown> = {};
  let startTs = '';
  let endTs = '';
  if (rt.str('start')) {
    startTs = parseTimeFlag('start', rt.str('start'));
    timeRange.start_time = rt.str('start');
  }
  if (rt.str('end')) {
    endTs = parseTimeFlag('end', rt.str('end'), true);
    timeRange.end_time = rt.str('end');
  }
  if (startTs && endTs && BigInt(startTs) > BigInt(endTs)) throw new CliError('validation', '--start cannot be later than --end');
  if (Object.keys(timeRange).length) filter.time_range = timeRange;
  const senderType = rt.str('sender-type');
  const excludeType = rt.str('exclude-sender-type');
  if (senderType && excludeType && senderType === excludeType) {
    throw new CliError('validation', '--sender-type and --exclude-sender-type cannot be the same value');
  }
  // a value of only commas/spaces passes and sends the key with null (docs/shortcuts-read.md)
  const list = (v: string[]) => (v.length ? v : null);
  if (rt.str('chat-id')) {
    const chats = splitCsv(rt.str('chat-id'));
    for (const c of chats) validateChatId(c);
    filter.chat_ids = list(chats);
  }
  if (rt.str('sender')) {
    const senders = splitCsv(rt.str('sender'));
    for (const s of senders) validateUserId(s);
    filter.from_ids = list(senders);
  }
  if (rt.str('include-attachment-type')) filter.include_attachment_types = [rt.str('include-attachment-type')];
  if (senderType) filter.from_types = [senderType];
  if (excludeType) filter.exclude_from_types = [excludeType];
  if (rt.str('chat-type')) filter.chat_type = rt.str('chat-type');
  if (rt.bool('is-at-me')) filter.is_at_me = true;
  if (rt.str('at-chatter-ids')) {
    const ids = splitCsv(rt.str('at-chatter-ids'));
    for (const id of ids) validateUserId(id);
    filter.at_chatter_ids = list(ids);
  }
  const body: Record<string, unknown> = { query: rt.str('query') };
  if (Object.keys(filter).length) body.filter = filter;
  const pageSize = validatePageSize('page-size', rt.int('page-size'), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  return { pageSize, body };
}

/** Auto-pagination is on with --page-all or an explicit --page-limit. */
function pagination(rt: Runtime): { auto: boolean; limit: number } {
  const explicit = rt.has('page-limit');
  const auto = rt.bool('page-all') || explicit;
  const limit = explicit ? Math.min(rt.int('page-limit'), MAX_PAGE_LIMIT) : rt.bool('page-all') ? MAX_PAGE_LIMIT : DEFAULT_PAGE_LIMIT;
  return { auto, limit };
}

interface SearchPages {
  items: unknown[];
  hasMore: boolean;
  pageToken: string;
  truncated: boolean;
  notice: string;
}

async function searchPages(rt: Runtime, req: SearchRequest, pageMeta: (d: Record<string, unknown>) => { hasMore: boolean; pageToken: string }): Promise<SearchPages> {
  const { auto, limit } = pagination(rt);
  let token = rt.str('page-token');
  const res: SearchPages = { items: [], hasMore: false, pageToken: '', truncated: false, notice: '' };
  for (let page = 1; ; page++) {
    const query: Record<string, string> = { page_size: String(req.pageSize) };
    if (token) query.page_token = token;
    const data = await rt.json<Record<string, unknown>>({ method: 'POST', path: SEARCH, query, body: req.body });
    if (!res.notice && typeof data.notice === 'string') res.notice = data.notice;
    if (Array.isArray(data.items)) res.items.push(...data.items);
    const meta = pageMeta(data);
    res.hasMore = meta.hasMore;
    res.pageToken = meta.pageToken;
    if (!auto || !meta.hasMore || !meta.pageToken) break;
    if (page >= limit) {
      res.truncated = true;
      break;
    }
    token = meta.pageToken;
  }
  return res;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export default defineShortcut({
  service: 'im',
  command: '+messages-search',
  description:
    'Search messages across chats (supports keyword, sender, time range filters) with user or bot identity; filters by chat/sender/attachment/time, supports auto-pagination via --page-all / --page-limit, enriches results via batched mget and chats batch_query',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['search:message', 'im:message.reactions:read'],
  hasFormat: true,
  pretty: 'messages-search',
  flags: FLAGS,
  prepare: buildRequest,
  dryRun(rt, req) {
    const { auto, limit } = pagination(rt);
    const params: Record<string, string> = { page_size: String(req.pageSize) };
    if (rt.str('page-token')) params.page_token = rt.str('page-token');
    const plan = new DryRun()
      .desc(auto ? `Step 1: search messages (auto-paginates up to ${limit} page(s))` : 'Step 1: search messages')
      .post(SEARCH)
      .params(params)
      .body(req.body)
      .desc('Step 2 (if results): GET /open-apis/im/v1/messages/mget?message_ids=...  — batch fetch message details (max 50)')
      .desc('Step 3 (if results): POST /open-apis/im/v1/chats/batch_query  — fetch chat names for context');
    return planEnrichment(plan, rt, REACTIONS_DESC);
  },
  async execute(rt, req) {
    const [{ itemsOf, pageMeta }, enricher] = await Promise.all([import('../../enrich/page.js'), openEnrichment(rt)]);
    const pages = await searchPages(rt, req, pageMeta);
    const { limit } = pagination(rt);
    const base = (extra: Record<string, unknown>) => {
      const d: Record<string, unknown> = { has_more: pages.hasMore, page_token: pages.pageToken, ...extra };
      if (pages.notice) d.notice = pages.notice;
      return d;
    };
    const emit = (d: Record<string, unknown>) => rt.out(d, { prettyExtra: { truncatedAfter: pages.truncated ? limit : undefined } });

    if (pages.items.length === 0) return emit(base({ messages: [], total: 0 }));

    const ids = pages.items
      .map((it) => (isPlainObject(it) && isPlainObject(it.meta_data) ? it.meta_data.message_id : undefined))
      .filter((id): id is string => typeof id === 'string' && id !== '');

    const ctx = enricher.ctx;
    let items: Record<string, unknown>[];
    try {
      const parts = await Promise.all(
        chunks(ids, CHUNK).map((batch) => ctx.call<Record<string, unknown>>({ method: 'GET', path: MGET_PATH, query: mgetQuery(batch) })),
      );
      items = parts.flatMap((d) => itemsOf(d));
    } catch {
      return emit(base({ message_ids: ids, note: 'failed to fetch message details, returning ID list only', total: ids.length }));
    }

    // chat context (chat_mode, name, p2p_target_id), alongside the other enrichment
    const chatIds = [...new Set(items.map((m) => (typeof m.chat_id === 'string' ? m.chat_id : '')).filter(Boolean))];
    const chatInfo = new Map<string, Record<string, unknown>>();
    const chats = Promise.all(
      chunks(chatIds, CHUNK).map(async (batch) => {
        try {
          const d = await ctx.call<Record<string, unknown>>({ method: 'POST', path: CHATS, query: { user_id_type: 'open_id' }, body: { chat_ids: batch } });
          for (const c of itemsOf(d)) if (typeof c.chat_id === 'string') chatInfo.set(c.chat_id, c);
        } catch {
          // a failed chunk only loses chat context
        }
      }),
    );
    const messages = await enricher.messages(items, {
      alongside: chats,
      decorate(msg, raw) {
        const chatId = typeof raw.chat_id === 'string' ? raw.chat_id : '';
        if (chatId) msg.chat_id = chatId;
        const info = chatInfo.get(chatId);
        if (!info) return;
        const mode = typeof info.chat_mode === 'string' ? info.chat_mode : '';
        if (mode === 'p2p') {
          msg.chat_type = 'p2p';
          if (typeof info.p2p_target_id === 'string' && info.p2p_target_id) msg.chat_partner = { open_id: info.p2p_target_id };
        } else {
          msg.chat_type = mode;
          if (typeof info.name === 'string' && info.name) msg.chat_name = info.name;
        }
      },
    });
    return emit(base({ messages, total: messages.length }));
  },
});
