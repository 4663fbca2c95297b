/**
 * `+chat-messages-list` (messages-read.md §9.1): one page of a chat's messages (or of the P2P
 * chat with `--user-id`), newest first by default, formatted and enriched by the read middleware
 * (sender names, thread replies, reactions, opt-in resource downloads).
 */
import { CliError } from '../../core/errors.js';
import { DOWNLOAD_RESOURCES_FLAG, NO_REACTIONS_FLAG, planEnrichment } from '../../enrich/flags.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { parseTimeFlag } from '../../shortcut/time.js';
import { validateChatId, validatePageSize, validateUserId } from '../../shortcut/validate.js';

const MESSAGES = '/open-apis/im/v1/messages';
const P2P = '/open-apis/im/v1/chat_p2p/batch_query';
const RESOLVED = '<resolved_chat_id>';
const REACTIONS_DESC =
  'Reaction enrichment: queries returned messages (including thread_replies expanded inline) in batches of up to 20. Pass --no-reactions to skip.';

/** `--order`, or the hidden legacy `--sort` when only it was given. */
function order(rt: ShortcutRuntime): string {
  if (rt.has('sort') && !rt.has('order')) return rt.str('sort');
  return rt.str('order');
}

/** The list query (§9.1 step 2); validation errors come out in the spec's order. */
function listQuery(rt: ShortcutRuntime, chatId: string): Record<string, string> {
  const pageSize = validatePageSize('page-size', rt.str('page-size'), 50, 1, 50);
  const q: Record<string, string> = {
    container_id_type: 'chat',
    container_id: chatId,
    sort_type: order(rt) === 'asc' ? 'ByCreateTimeAsc' : 'ByCreateTimeDesc',
    page_size: String(pageSize),
    card_msg_content_type: 'raw_card_content',
    only_thread_root_messages: 'true',
  };
  if (rt.str('start')) q.start_time = parseTimeFlag('start', rt.str('start'));
  if (rt.str('end')) q.end_time = parseTimeFlag('end', rt.str('end'), true);
  if (rt.str('page-token')) q.page_token = rt.str('page-token');
  return q;
}

/** The chat id to send: the validated one (a chat URL is reduced to its `oc_` id, Note N1). */
function chatIdOf(rt: ShortcutRuntime): string {
  return rt.str('chat-id') ? validateChatId(rt.str('chat-id')) : '';
}

/** P2P chat with a user (§7); json-call errors surface as the API errors they are. */
async function resolveP2P(rt: ShortcutRuntime, userId: string): Promise<string> {
  const data = await rt.json<{ p2p_chats?: unknown }>({
    method: 'POST',
    path: P2P,
    query: { chatter_id_type: 'open_id' },
    body: { chatter_ids: [userId] },
  });
  const chats = Array.isArray(data.p2p_chats) ? data.p2p_chats : [];
  for (const c of chats) {
    const id = (c as { chat_id?: unknown } | null)?.chat_id;
    if (typeof id === 'string' && id !== '') return id;
  }
  throw new CliError('not_found', 'P2P chat not found for this user');
}

export default defineShortcut({
  service: 'im',
  command: '+chat-messages-list',
  description:
    'List messages in a chat or P2P conversation; user/bot; accepts --chat-id or --user-id, resolves P2P chat_id, supports time range/sort/pagination',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:message:readonly'],
  userScopes: ['im:message.group_msg:get_as_user', 'im:message.p2p_msg:get_as_user', 'im:message.reactions:read', 'contact:user.base:readonly'],
  botScopes: ['im:message.group_msg', 'im:message.p2p_msg:readonly', 'im:message.reactions:read'],
  hasFormat: true,
  flags: [
    { name: 'chat-id', desc: '(required, mutually exclusive with --user-id) chat ID (oc_xxx)' },
    { name: 'user-id', desc: '(required, mutually exclusive with --chat-id; user identity only) open_id (ou_xxx) of the P2P partner' },
    { name: 'start', desc: 'start time (ISO 8601, date, or Unix seconds)' },
    { name: 'end', desc: 'end time (ISO 8601, date = end of that day, or Unix seconds)' },
    { name: 'order', default: 'desc', desc: 'sort order by create time', enum: ['asc', 'desc'] },
    { name: 'sort', hidden: true, desc: 'legacy alias of --order', enum: ['asc', 'desc'] },
    { name: 'page-size', default: '50', desc: 'page size (1-50)' },
    { name: 'page-token', desc: 'page token from a previous page_token' },
    NO_REACTIONS_FLAG,
    DOWNLOAD_RESOURCES_FLAG,
  ],
  validate(rt) {
    const chat = rt.str('chat-id');
    const user = rt.str('user-id');
    if (rt.identity === 'bot') {
      if (user) throw new CliError('validation', '--user-id requires user identity (--as user); use --chat-id when calling with bot identity');
      if (!chat) throw new CliError('validation', 'specify --chat-id (bot identity does not support --user-id)');
    } else {
      if (!chat && !user) throw new CliError('validation', 'specify at least one of --chat-id or --user-id');
      if (chat && user) throw new CliError('validation', '--chat-id and --user-id are mutually exclusive');
    }
    if (chat) validateChatId(chat);
    if (user) validateUserId(user);
    listQuery(rt, RESOLVED);
  },
  dryRun(rt) {
    const plan = new DryRun();
    if (rt.str('user-id')) plan.desc('(--user-id provided) Will resolve P2P chat_id via POST /open-apis/im/v1/chat_p2p/batch_query at execution time');
    plan.get(MESSAGES).params(listQuery(rt, rt.str('user-id') ? RESOLVED : chatIdOf(rt)));
    return planEnrichment(plan, { reactions: !rt.bool('no-reactions'), reactionsDesc: REACTIONS_DESC, downloads: rt.bool('download-resources') });
  },
  async execute(rt) {
    const user = rt.str('user-id');
    const chatId = user ? await resolveP2P(rt, validateUserId(user)) : chatIdOf(rt);
    const data = await rt.json<Record<string, unknown>>({ method: 'GET', path: MESSAGES, query: listQuery(rt, chatId) });
    const [{ enrichContext }, { formatAndEnrich }, { itemsOf, pageMeta }] = await Promise.all([
      import('../../enrich/context.js'),
      import('../../enrich/pipeline.js'),
      import('../../enrich/flags.js'),
    ]);
    const { hasMore, pageToken } = pageMeta(data);
    const messages = await formatAndEnrich(itemsOf(data), enrichContext(rt), {
      threads: true,
      reactions: !rt.bool('no-reactions'),
      resources: rt.bool('download-resources'),
    });
    const out = { has_more: hasMore, messages, page_token: pageToken, total: messages.length };
    const pretty = rt.format === 'pretty' ? (await import('../../render/pretty.js')).prettyChatMessages : undefined;
    await rt.out(out, { pretty: pretty ? () => pretty(out) : undefined });
  },
});
