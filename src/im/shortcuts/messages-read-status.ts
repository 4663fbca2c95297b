/**
 * `+messages-read-status` (docs/shortcuts-read.md): has the current user read these messages? Up to
 * 50 ids in one `POST /open-apis/im/v1/messages/read_status`; the answer's `data` is printed as the
 * server sends it. User identity only.
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { splitCsv, validateMessageId } from '../../shortcut/validate.js';

const PATH = '/open-apis/im/v1/messages/read_status';
const MAX_IDS = 50;

export default defineShortcut({
  service: 'im',
  command: '+messages-read-status',
  description: 'Ask whether the current user has read up to 50 messages; returns the read items and the message IDs that were invalid',
  risk: 'read',
  authTypes: ['user'],
  scopes: ['im:message:readonly'],
  hasFormat: true,
  flags: [{ name: 'message-ids', aliases: ['message-id'], required: true, desc: 'message IDs, comma-separated (1-50 om_xxx IDs)' }] as const,
  prepare(rt): { message_ids: string[] } {
    const ids = splitCsv(rt.str('message-ids'));
    if (ids.length === 0) throw new CliError('validation', '--message-ids requires at least one om_ message ID');
    if (ids.length > MAX_IDS) throw new CliError('validation', `--message-ids supports at most ${MAX_IDS} IDs per request (got ${ids.length})`);
    for (const id of ids) validateMessageId(id);
    return { message_ids: ids };
  },
  dryRun(_rt, body) {
    return new DryRun().post(PATH).body(body);
  },
  async execute(rt, body) {
    const data = await rt.json({ method: 'POST', path: PATH, body });
    await rt.out(data);
  },
});
