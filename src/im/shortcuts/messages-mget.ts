/**
 * `+messages-mget` (docs/shortcuts-read.md): up to 50 messages by id in one request, formatted
 * and enriched by the read middleware (the server's sender names, thread replies, reactions,
 * opt-in downloads).
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { ENRICHMENT_FLAGS, MESSAGE_READ_ACCESS, planEnrichment, printMessagePage } from '../../shortcut/read.js';
import { splitCsv, validateMessageId } from '../../shortcut/validate.js';
import { MGET_PATH, mgetQuery, mgetUrl } from '../mget-request.js';

const MAX_IDS = 50;
const REACTIONS_DESC =
  'Reaction enrichment: queries returned messages in batches of up to 20 to attach the reactions block (operator, action_time, counts). Pass --no-reactions to skip.';

export default defineShortcut({
  service: 'im',
  command: '+messages-mget',
  description: 'Batch get messages by IDs; user/bot; fetches up to 50 om_ message IDs, formats sender names, expands thread replies',
  ...MESSAGE_READ_ACCESS,
  pretty: 'messages-mget',
  flags: [
    { name: 'message-ids', required: true, desc: 'comma-separated message IDs (om_xxx), at most 50' },
    ...ENRICHMENT_FLAGS,
  ],
  /** The ids, checked: input order, duplicates kept. */
  prepare(rt) {
    const list = splitCsv(rt.str('message-ids'));
    if (list.length === 0) throw new CliError('validation', '--message-ids is required (comma-separated om_xxx)');
    if (list.length > MAX_IDS) throw new CliError('validation', `--message-ids supports at most ${MAX_IDS} IDs per request (got ${list.length})`);
    for (const id of list) validateMessageId(id);
    return list;
  },
  dryRun(rt, ids) {
    const plan = new DryRun().get(mgetUrl(ids));
    return planEnrichment(plan, rt, REACTIONS_DESC);
  },
  async execute(rt, ids) {
    const data = await rt.json<Record<string, unknown>>({ method: 'GET', path: MGET_PATH, query: mgetQuery(ids) });
    await printMessagePage(rt, data, { threads: true, paged: false });
  },
});
