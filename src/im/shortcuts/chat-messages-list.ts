/**
 * `+chat-messages-list` (docs/shortcuts-read.md): a page of a chat's messages (or of the P2P
 * chat with `--user-id`; with --page-all every page, shortcut/page-all.ts), newest first by default, formatted and enriched by the read middleware
 * (the server's sender names, thread replies, reactions, opt-in resource downloads).
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut, type FlagName } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { PAGE_ALL_FLAGS, planPageAll, validatePageAll } from '../../shortcut/page-all.js';
import { ENRICHMENT_FLAGS, lookedUpId, MESSAGE_READ_ACCESS, orderFlags, planEnrichment, printMessageWalk, sortOrder } from '../../shortcut/read.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { parseTimeFlag } from '../../core/time.js';
import { validateChatId, validatePageSize, validateUserId } from '../../shortcut/validate.js';

const MESSAGES = '/open-apis/im/v1/messages';
const P2P = '/open-apis/im/v1/chat_p2p/batch_query';
const RESOLVED = '<resolved_chat_id>';
const REACTIONS_DESC =
  'Reaction enrichment: queries returned messages (including thread_replies expanded inline) in batches of up to 20. Pass --no-reactions to skip.';

const FLAGS = [
  { name: 'chat-id', desc: '(required, mutually exclusive with --user-id) chat ID (oc_xxx)' },
  { name: 'user-id', desc: '(required, mutually exclusive with --chat-id; user identity only) open_id (ou_xxx) of the P2P partner' },
  { name: 'start', aliases: ['start-time'], desc: 'start time (ISO 8601, date, or Unix seconds)' },
  { name: 'end', aliases: ['end-time'], desc: 'end time (ISO 8601, date = end of that day, or Unix seconds)' },
  ...orderFlags('desc', ['sort-order']),
  { name: 'page-size', aliases: ['limit'], default: '50', desc: 'page size (1-50)' },
  { name: 'page-token', desc: 'page token to start from (a previous page_token)' },
  ...ENRICHMENT_FLAGS,
  ...PAGE_ALL_FLAGS,
] as const;
type Runtime = ShortcutRuntime<FlagName<typeof FLAGS>>;

/** The list query without its chat (known only after a P2P look-up); validation errors in flag order. */
function listQuery(rt: Runtime): Record<string, string> {
  const pageSize = validatePageSize('page-size', rt.str('page-size'), 50, 1, 50);
  const q: Record<string, string> = {
    sort_type: sortOrder(rt) === 'asc' ? 'ByCreateTimeAsc' : 'ByCreateTimeDesc',
    page_size: String(pageSize),
    card_msg_content_type: 'raw_card_content',
    only_thread_root_messages: 'true',
    // the server fills sender_name / sender_i18n_names / open_bot_id (docs/shortcuts-read.md)
    with_sender_name: 'true',
  };
  if (rt.str('start')) q.start_time = parseTimeFlag('start', rt.str('start'));
  if (rt.str('end')) q.end_time = parseTimeFlag('end', rt.str('end'), true);
  if (rt.str('page-token')) q.page_token = rt.str('page-token');
  return q;
}

/** The query of the chat's page: the container first, as the request prints it. */
function withChat(query: Record<string, string>, chatId: string): Record<string, string> {
  return { container_id_type: 'chat', container_id: chatId, ...query };
}

/** The chat id to send: the validated one (a chat URL is reduced to its `oc_` id). */
function chatIdOf(rt: Runtime): string {
  return rt.str('chat-id') ? validateChatId(rt.str('chat-id')) : '';
}

/** The P2P chat with a user; json-call errors surface as the API errors they are. */
async function resolveP2P(rt: Runtime, userId: string): Promise<string> {
  const data = await rt.json<{ p2p_chats?: unknown }>({
    method: 'POST',
    path: P2P,
    query: { chatter_id_type: 'open_id' },
    body: { chatter_ids: [userId] },
  });
  return lookedUpId(data.p2p_chats, 'chat_id', 'P2P chat not found for this user');
}

export default defineShortcut({
  service: 'im',
  command: '+chat-messages-list',
  description:
    'List messages in a chat or P2P conversation; user/bot; accepts --chat-id or --user-id, resolves P2P chat_id, supports time range/sort/pagination',
  ...MESSAGE_READ_ACCESS,
  pretty: 'chat-messages',
  flags: FLAGS,
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
    validatePageAll(rt);
  },
  prepare: listQuery,
  dryRun(rt, query) {
    const plan = new DryRun();
    if (rt.str('user-id')) plan.desc('(--user-id provided) Will resolve P2P chat_id via POST /open-apis/im/v1/chat_p2p/batch_query at execution time');
    planPageAll(plan, rt).get(MESSAGES).params(withChat(query, rt.str('user-id') ? RESOLVED : chatIdOf(rt)));
    return planEnrichment(plan, rt, REACTIONS_DESC);
  },
  async execute(rt, query) {
    const user = rt.str('user-id');
    const chatId = user ? await resolveP2P(rt, validateUserId(user)) : chatIdOf(rt);
    await printMessageWalk(rt, { method: 'GET', path: MESSAGES, query: withChat(query, chatId) }, { threads: true });
  },
});
