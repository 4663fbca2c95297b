/**
 * `+flag-list` (docs/shortcuts-chats-feed.md): bookmarks, one page or all pages (`--page-all`, up to
 * `--page-limit`); feed-layer thread entries get their message attached (inlined by the server or
 * fetched with messages/mget in batches of 50).
 */
import { CliError } from '../../core/errors.js';
import { isPlainObject, JsonNumber } from '../../core/json.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { pageOrAll } from '../../shortcut/page-or-all.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { BOOKMARK_MESSAGE_READ_SCOPES, BOOKMARK_READ_SCOPE, BookmarkType, BookmarkItemType } from '../bookmarks.js';
import { MGET_PATH } from '../mget-request.js';

const PATH = '/open-apis/im/v1/flags';
const MGET_BATCH = 50;
const ENRICH_DESC =
  'conditional enrichment: if feed/thread flag items are missing message content, execution may also call GET /open-apis/im/v1/messages/mget and requires scopes im:message.group_msg:get_as_user im:message.p2p_msg:get_as_user; pass --enrich-feed-thread=false to skip this extra call and extra scopes';

/** Go asString: strings as is, numbers in their decimal form, anything else ''. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v instanceof JsonNumber) return v.text;
  return '';
}

const THREAD_TYPES = [String(BookmarkItemType.thread), String(BookmarkItemType.msg_thread)];
const isFeedThread = (m: Record<string, unknown>) => text(m.flag_type) === String(BookmarkType.feed) && THREAD_TYPES.includes(text(m.item_type));

/**
 * Attaches `message` to the feed-thread entries of `flag_items`. All-or-nothing: a failed look-up
 * leaves every entry untouched.
 */
async function enrichFeedThreads(rt: ShortcutRuntime, data: Record<string, unknown>): Promise<void> {
  const items = Array.isArray(data.flag_items) ? data.flag_items.filter(isPlainObject) : [];
  if (items.length === 0) return;
  const byId = new Map<string, unknown>();
  for (const m of Array.isArray(data.messages) ? data.messages : []) {
    if (isPlainObject(m) && text(m.message_id)) byId.set(text(m.message_id), m);
  }
  const need: string[] = [];
  for (const m of items) {
    const id = text(m.item_id);
    if (isFeedThread(m) && id && !byId.has(id) && !need.includes(id)) need.push(id);
  }
  if (need.length) {
    const { checkRequiredScopes } = await import('../../shortcut/scope-check.js');
    const { chunk, mapLimit } = await import('../../shortcut/parallel.js');
    await checkRequiredScopes(rt, BOOKMARK_MESSAGE_READ_SCOPES);
    const pages = await mapLimit(chunk(need, MGET_BATCH), (ids) =>
      rt.json<Record<string, unknown>>({ method: 'GET', path: MGET_PATH, query: { message_ids: ids } }),
    );
    for (const got of pages) {
      for (const m of Array.isArray(got.items) ? got.items : []) {
        if (isPlainObject(m) && text(m.message_id)) byId.set(text(m.message_id), m);
      }
    }
  }
  for (const m of items) {
    if (!isFeedThread(m)) continue;
    const msg = byId.get(text(m.item_id));
    if (msg !== undefined) m.message = msg;
  }
}

export default defineShortcut({
  service: 'im',
  command: '+flag-list',
  description: 'List bookmarks (active and cancelled), one page or --page-all; feed-layer thread bookmarks get their message attached; user only',
  risk: 'read',
  authTypes: ['user'],
  userScopes: [BOOKMARK_READ_SCOPE],
  hasFormat: true,
  flags: [
    { name: 'page-size', type: 'int', default: 50, desc: 'page size (1-50)' },
    { name: 'page-token', desc: 'fetch exactly this page (even with --page-all); omit for the first page' },
    { name: 'page-all', type: 'bool', desc: 'fetch every page and merge them (oldest bookmarks first)' },
    { name: 'page-limit', type: 'int', default: 20, desc: 'maximum pages with --page-all (1-1000)' },
    {
      name: 'enrich-feed-thread',
      type: 'bool',
      default: true,
      desc: 'attach message content to feed-layer thread bookmarks (may call messages/mget, which needs the message read scopes); --enrich-feed-thread=false skips it',
    },
  ],
  validate(rt) {
    const size = rt.int('page-size');
    if (size < 1 || size > 50) throw new CliError('validation', '--page-size must be an integer between 1 and 50');
    const limit = rt.int('page-limit');
    if (limit < 1 || limit > 1000) throw new CliError('validation', '--page-limit must be an integer between 1 and 1000');
  },
  dryRun(rt) {
    const d = new DryRun().get(PATH).params({ page_size: String(rt.int('page-size')), page_token: rt.str('page-token') });
    if (rt.bool('enrich-feed-thread')) d.desc(ENRICH_DESC);
    return d;
  },
  async execute(rt) {
    const pageSize = String(rt.int('page-size'));
    const fetchPage = (token: string) => rt.json<Record<string, unknown>>({ method: 'GET', path: PATH, query: { page_size: pageSize, page_token: token } });
    const data = await pageOrAll(rt, {
      lists: ['flag_items', 'delete_flag_items', 'messages'],
      fetch: fetchPage,
      progress: (page, n) => `page ${page}: ${n.flag_items} flags, ${n.delete_flag_items} deleted`,
    });
    if (rt.bool('enrich-feed-thread')) {
      try {
        await enrichFeedThreads(rt, data);
      } catch (e) {
        rt.io.stderr.write(`warning: feed-thread enrichment failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    await rt.out(data, { format: 'json' });
  },
});
