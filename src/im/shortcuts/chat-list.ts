/**
 * `+chat-list` (docs/shortcuts-chats-feed.md): a page (with --page-all every page) of the chats the
 * caller belongs to. Bot identity cannot list p2p chats: `--types p2p` alone is refused, a mixed
 * list is sent without p2p (stderr warning + `data.notices`).
 */
import { CliError } from '../../core/errors.js';
import { isPlainObject } from '../../core/json.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { PAGE_ALL_FLAGS, planPageAll, validatePageAll, walkPages } from '../../shortcut/page-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';

const PATH = '/open-apis/im/v1/chats';
const STRIP_CODE = 'bot_strip_p2p';
const STRIP_MESSAGE =
  'To protect user privacy, bot identity cannot list p2p chats; --types=p2p,group was sent as types=group. Use --as user to include p2p.';

/** --types: trimmed, lower-cased, checked, deduplicated in order. */
function normalizeTypes(raw: string[]): string[] {
  const out: string[] = [];
  for (const r of raw) {
    const t = r.toLowerCase().trim();
    if (t === '') throw new CliError('validation', '--types must contain at least one of p2p, group');
    if (t !== 'p2p' && t !== 'group') throw new CliError('validation', `--types contains invalid value "${t}": expected one of p2p, group`);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** The `types` query value and whether bot identity removed p2p from it. */
function effectiveTypes(rt: ShortcutRuntime): { types: string; stripped: boolean } {
  const parts = normalizeTypes(rt.arr('types'));
  if (rt.identity !== 'bot') return { types: parts.join(','), stripped: false };
  const kept = parts.filter((p) => p !== 'p2p');
  return { types: kept.join(','), stripped: kept.length !== parts.length };
}

function listParams(rt: ShortcutRuntime, types: string): Record<string, string | number> {
  let sortType = ({ create_time: 'ByCreateTimeAsc', active_time: 'ByActiveTimeDesc' } as Record<string, string>)[rt.str('sort')] ?? '';
  if (rt.has('sort-type') && !rt.has('sort')) sortType = rt.str('sort-type');
  const params: Record<string, string | number> = { user_id_type: rt.str('user-id-type'), sort_type: sortType };
  params.page_size = rt.int('page-size') > 0 ? rt.int('page-size') : 20;
  if (rt.str('page-token')) params.page_token = rt.str('page-token');
  if (types) params.types = types;
  return params;
}

function warnStrip(rt: ShortcutRuntime, stripped: boolean): void {
  if (stripped) rt.io.stderr.write(`warning: ${STRIP_CODE}: ${STRIP_MESSAGE}\n`);
}

export default defineShortcut({
  service: 'im',
  command: '+chat-list',
  description: 'List one page of the chats the user or bot is a member of (groups by default, --types p2p,group for single chats with user identity); --exclude-muted; user/bot',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:chat:read'],
  hasFormat: true,
  pretty: 'chat-list',
  flags: [
    { name: 'user-id-type', default: 'open_id', desc: 'ID type of owner_id in the response', enum: ['open_id', 'union_id', 'user_id'] },
    { name: 'sort', default: 'create_time', desc: 'order: create_time ascending or active_time descending', enum: ['create_time', 'active_time'] },
    { name: 'sort-type', hidden: true, desc: 'legacy alias of --sort', enum: ['ByCreateTimeAsc', 'ByActiveTimeDesc'] },
    { name: 'types', type: 'string_slice', desc: 'chat types to list: group, p2p (p2p needs user identity); default groups only' },
    { name: 'page-size', type: 'int', default: 20, desc: 'page size (1-100)' },
    { name: 'page-token', desc: 'page token from a previous page' },
    { name: 'exclude-muted', type: 'bool', desc: 'drop chats the user has muted (user identity only; no effect as bot)' },
    ...PAGE_ALL_FLAGS,
  ],
  validate(rt) {
    const n = rt.int('page-size');
    if (n < 1 || n > 100) throw new CliError('validation', '--page-size must be an integer between 1 and 100');
    const parts = normalizeTypes(rt.arr('types'));
    if (rt.identity === 'bot' && parts.length === 1 && parts[0] === 'p2p') {
      throw new CliError(
        'validation',
        '--types=p2p (single chats) is only supported with user identity (--as user). To protect user privacy, bot identity cannot list p2p chats. Use --as user, or include "group" in --types.',
      );
    }
    validatePageAll(rt);
  },
  dryRun(rt) {
    const { types, stripped } = effectiveTypes(rt);
    warnStrip(rt, stripped);
    return planPageAll(new DryRun(), rt).get(PATH).params(listParams(rt, types));
  },
  async execute(rt) {
    const { types, stripped } = effectiveTypes(rt);
    warnStrip(rt, stripped);
    // every page first, then one mute filter over all their chats
    const { items: all, hasMore, pageToken, pagination } = await walkPages(rt, { method: 'GET', path: PATH, query: listParams(rt, types) });
    const items = all.filter(isPlainObject);
    // Go's nil slice: no rows and no filter run prints `"chats": null`
    const rows = items.length ? items : undefined;
    const { applyMuteFilter } = await import('../chat-lookup.js');
    const mf = await applyMuteFilter(rt, { exclude: rt.bool('exclude-muted'), hasMore }, rows);
    const data: Record<string, unknown> = { chats: mf.rows ?? null, has_more: hasMore, page_token: pageToken };
    if (mf.filter) data.filter = mf.filter;
    if (stripped) data.notices = [{ code: STRIP_CODE, message: STRIP_MESSAGE }];

    await rt.out(data, { prettyExtra: { hint: mf.hint }, pagination: { ...pagination, items: mf.rows?.length ?? 0 } });
  },
});
