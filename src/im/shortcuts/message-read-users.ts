/**
 * `+message-read-users` (docs/shortcuts-read.md): who has read one message, a page at a time or
 * with --page-all every page (the list walk, shortcut/page-all.ts). The API answers only for
 * messages the caller sent, in a chat the caller is still in.
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut, type FlagName } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { PAGE_ALL_FLAGS, planPageAll, validatePageAll, walkPages } from '../../shortcut/page-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validateMessageId, validatePageSize } from '../../shortcut/validate.js';

const PAGE_SIZE = 100;
const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;

const FLAGS = [
  { name: 'message-id', required: true, desc: 'message ID (om_xxx)' },
  { name: 'user-id-type', default: 'open_id', desc: 'user ID type of each reader', enum: USER_ID_TYPES },
  { name: 'page-size', aliases: ['limit'], type: 'int', default: PAGE_SIZE, desc: `page size (1-${PAGE_SIZE})` },
  { name: 'page-token', desc: 'page token to start from (a previous page_token)' },
  ...PAGE_ALL_FLAGS,
] as const;
type Runtime = ShortcutRuntime<FlagName<typeof FLAGS>>;

/** The first page's query (`page_token` only when --page-token is given). */
function readUsersQuery(rt: Runtime): Record<string, string | number> {
  const q: Record<string, string | number> = {
    user_id_type: rt.str('user-id-type').trim(),
    page_size: validatePageSize('page-size', rt.int('page-size'), PAGE_SIZE, 1, PAGE_SIZE),
  };
  const token = rt.str('page-token').trim();
  if (token) q.page_token = token;
  return q;
}

export default defineShortcut({
  service: 'im',
  command: '+message-read-users',
  description:
    'List users who have read one message; the caller must still be in the chat; supports user and bot identities with optional automatic pagination',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:message:readonly'],
  hasFormat: true,
  flags: FLAGS,
  validate(rt) {
    validateMessageId(rt.str('message-id'));
    if (!(USER_ID_TYPES as readonly string[]).includes(rt.str('user-id-type').trim())) {
      throw new CliError('validation', '--user-id-type must be one of open_id, union_id, or user_id');
    }
    readUsersQuery(rt);
    validatePageAll(rt);
  },
  prepare: readUsersQuery,
  dryRun(rt, query) {
    const plan = new DryRun()
      .get('/open-apis/im/v1/messages/:message_id/read_users')
      .set('message_id', rt.str('message-id').trim())
      .params(query);
    return planPageAll(plan, rt);
  },
  async execute(rt, query) {
    const id = validateMessageId(rt.str('message-id'));
    const walk = await walkPages(rt, { method: 'GET', path: `/open-apis/im/v1/messages/${escapePathSegment(id)}/read_users`, query });
    const items = walk.items;
    await rt.out(
      { items, has_more: walk.hasMore, page_token: walk.pageToken, total: items.length },
      { count: items.length, pagination: { ...walk.pagination, items: items.length } },
    );
  },
});
