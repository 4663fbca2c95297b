/**
 * `+threads-messages-list` (docs/shortcuts-read.md): a page of a thread (root and replies; with
 * --page-all every page), oldest first by default; an `om_` message id is resolved to its thread
 * first. Formatted and enriched by the read middleware (names, reactions, opt-in downloads; no
 * thread expansion).
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut, type FlagName } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { PAGE_ALL_FLAGS, planPageAll, validatePageAll } from '../../shortcut/page-all.js';
import { ENRICHMENT_FLAGS, lookedUpId, MESSAGE_READ_ACCESS, orderFlags, planEnrichment, printMessageWalk, sortOrder } from '../../shortcut/read.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validatePageSize } from '../../shortcut/validate.js';

const MESSAGES = '/open-apis/im/v1/messages';
const RESOLVED = '<resolved_thread_id>';
const REACTIONS_DESC = 'Reaction enrichment: queries returned thread messages in batches of up to 20. Pass --no-reactions to skip.';

const FLAGS = [
  { name: 'thread', required: true, desc: 'thread ID (omt_xxx) or the ID of a message in it (om_xxx)' },
  ...orderFlags('asc'),
  { name: 'page-size', default: '50', desc: 'page size (1-500; the server accepts at most 50)' },
  { name: 'page-token', desc: 'page token from a previous page_token' },
  ...ENRICHMENT_FLAGS,
  ...PAGE_ALL_FLAGS,
] as const;
type Runtime = ShortcutRuntime<FlagName<typeof FLAGS>>;

/**
 * Page size 1..500, wider than the server's 50 (a larger value reaches the server and its error
 * is the answer); an explicitly empty value means 500.
 */
function pageSize(rt: Runtime): number {
  return validatePageSize('page-size', rt.str('page-size'), 500, 1, 500);
}

function listQuery(rt: Runtime, threadId: string): Record<string, string> {
  const q: Record<string, string> = {
    container_id_type: 'thread',
    container_id: threadId,
    sort_type: sortOrder(rt) === 'desc' ? 'ByCreateTimeDesc' : 'ByCreateTimeAsc',
    page_size: String(pageSize(rt)),
    card_msg_content_type: 'raw_card_content',
    // the server fills sender_name / sender_i18n_names / open_bot_id (docs/shortcuts-read.md)
    with_sender_name: 'true',
  };
  if (rt.str('page-token')) q.page_token = rt.str('page-token');
  return q;
}

/** `om_…` → the message's thread id; `omt_…` as is. */
async function resolveThread(rt: Runtime, thread: string): Promise<string> {
  if (thread.startsWith('omt_')) return thread;
  if (!thread.startsWith('om_')) throw new CliError('validation', 'invalid thread ID format: must start with om_ or omt_');
  const data = await rt.json<{ items?: unknown }>({ method: 'GET', path: `${MESSAGES}/${escapePathSegment(thread)}` });
  return lookedUpId(data.items, 'thread_id', 'thread ID not found for this message');
}

export default defineShortcut({
  service: 'im',
  command: '+threads-messages-list',
  description: 'List messages in a thread; user/bot; accepts om_/omt_ input, resolves message IDs to thread_id, supports sort/pagination',
  ...MESSAGE_READ_ACCESS,
  pretty: 'thread-messages',
  flags: FLAGS,
  validate(rt) {
    const thread = rt.str('thread');
    if (thread === '') throw new CliError('validation', '--thread is required (om_xxx or omt_xxx)');
    if (!thread.startsWith('om_') && !thread.startsWith('omt_')) {
      throw new CliError('validation', `invalid --thread "${thread}": must start with om_ or omt_`);
    }
    pageSize(rt);
    validatePageAll(rt);
  },
  dryRun(rt) {
    const thread = rt.str('thread');
    const byMessage = thread.startsWith('om_');
    const plan = new DryRun();
    if (byMessage) plan.desc('(--thread provided as message ID) Will resolve thread_id via GET /open-apis/im/v1/messages/:message_id at execution time');
    planPageAll(plan, rt)
      .get(MESSAGES)
      .params(listQuery(rt, byMessage ? RESOLVED : thread))
      .set('thread', thread)
      .set('order', sortOrder(rt) === 'desc' ? 'desc' : 'asc')
      .set('page_size', rt.str('page-size'));
    return planEnrichment(plan, rt, REACTIONS_DESC);
  },
  async execute(rt) {
    const threadId = await resolveThread(rt, rt.str('thread'));
    await printMessageWalk(rt, { method: 'GET', path: MESSAGES, query: listQuery(rt, threadId) }, { extra: { thread_id: threadId } });
  },
});
