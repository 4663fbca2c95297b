/**
 * `+chat-members-list` (docs/shortcuts-chats-feed.md): the members of a group chat, users and bots
 * in one call (`chats/:chat_id/members/list`), kept apart as `users[]` and `bots[]`. One page, or
 * with `--page-all` (and no `--page-token`) up to `--page-limit` pages merged by the all-pages loop
 * with its repeated-token warning. The server may cap a bucket: each `truncations` entry is a
 * stderr warning.
 */
import { CliError } from '../../core/errors.js';
import { goValueText, isPlainObject } from '../../core/json.js';
import { pageMeta } from '../../core/page-cursor.js';
import { escapePathSegment } from '../../core/url.js';
import { goQuote } from '../../render/util.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { pageOrAll } from '../../shortcut/page-or-all.js';
import { validateChatId } from '../../shortcut/validate.js';

const MEMBER_TYPES = ['user', 'bot'];

/** --member-types: trimmed, lower-cased, checked, de-duplicated in order; [] when not given. */
function normalizeMemberTypes(raw: string[]): string[] {
  const out: string[] = [];
  for (const r of raw) {
    const t = r.toLowerCase().trim();
    if (t === '') throw new CliError('validation', '--member-types must contain at least one of user, bot');
    if (!MEMBER_TYPES.includes(t)) throw new CliError('validation', `--member-types contains invalid value ${goQuote(t)}: expected one of user, bot`);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

interface Prepared {
  path: string;
  /** The query without `page_token`. */
  query: Record<string, string | number>;
}

/** `data` of the command from the (merged) page: both buckets and `truncations` always arrays. */
function membersOutput(page: Record<string, unknown>): Record<string, unknown> {
  const list = (k: string): unknown[] => (Array.isArray(page[k]) ? (page[k] as unknown[]) : []);
  const { hasMore, pageToken } = pageMeta(page);
  const out: Record<string, unknown> = {
    users: list('users'),
    bots: list('bots'),
    has_more: hasMore,
    page_token: pageToken,
    truncations: list('truncations'),
  };
  // the totals only when the server sent them (-1: the count is hidden from the caller)
  if ('user_total' in page) out.user_total = page.user_total;
  if ('bot_total' in page) out.bot_total = page.bot_total;
  return out;
}

export default defineShortcut({
  service: 'im',
  command: '+chat-members-list',
  description:
    'List the members of a group chat, users and bots in one call; user/bot; returns users[] and bots[] with their totals; --member-types filter, --member-id-type, paging and --page-all',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:chat.members:read'],
  hasFormat: true,
  pretty: 'chat-members',
  flags: [
    { name: 'chat-id', required: true, desc: 'group chat ID (oc_xxx)' },
    { name: 'member-types', type: 'string_slice', desc: 'member kinds to list: user, bot (default both)' },
    { name: 'member-id-type', default: 'open_id', desc: 'ID type of member_id in the response', enum: ['open_id', 'union_id', 'user_id'] },
    { name: 'page-size', type: 'int', default: 20, desc: 'page size (1-100)' },
    { name: 'page-token', desc: 'page token from a previous page' },
    { name: 'page-all', type: 'bool', desc: 'fetch every page, merging users[] and bots[]' },
    { name: 'page-limit', type: 'int', default: 20, desc: 'at most this many pages with --page-all (1-1000)' },
  ] as const,
  validate(rt) {
    validateChatId(rt.str('chat-id'));
    const n = rt.int('page-size');
    if (n < 1 || n > 100) throw new CliError('validation', '--page-size must be an integer between 1 and 100');
    if (rt.bool('page-all')) {
      const limit = rt.int('page-limit');
      if (limit < 1 || limit > 1000) throw new CliError('validation', '--page-limit must be an integer between 1 and 1000');
    }
    normalizeMemberTypes(rt.arr('member-types'));
  },
  prepare(rt): Prepared {
    const chatId = validateChatId(rt.str('chat-id'));
    const query: Record<string, string | number> = { member_id_type: rt.str('member-id-type'), page_size: rt.int('page-size') };
    const types = normalizeMemberTypes(rt.arr('member-types'));
    if (types.length) query.member_types = types.join(',');
    return { path: `/open-apis/im/v1/chats/${escapePathSegment(chatId)}/members/list`, query };
  },
  dryRun(rt, p) {
    const params: Record<string, string | number> = { ...p.query };
    if (rt.str('page-token')) params.page_token = rt.str('page-token');
    return new DryRun().get(p.path).params(params);
  },
  async execute(rt, p) {
    let last: Record<string, unknown> = {};
    const merged = await pageOrAll(rt, {
      lists: ['users', 'bots'],
      fetch: async (token) => {
        const query = token ? { ...p.query, page_token: token } : p.query;
        last = await rt.json<Record<string, unknown>>({ method: 'GET', path: p.path, query });
        return last;
      },
    });
    // every field but the two buckets comes from the last page fetched
    const data = membersOutput(merged === last ? last : { ...last, users: merged.users, bots: merged.bots });
    for (const t of data.truncations as unknown[]) {
      if (!isPlainObject(t)) continue;
      rt.io.stderr.write(
        `warning: member list truncated by server (member_type=${goValueText(t.member_type)}, limit=${goValueText(t.limit)}); not all members returned\n`,
      );
    }
    await rt.out(data);
  },
});
