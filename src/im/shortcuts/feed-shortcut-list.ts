/**
 * `+feed-shortcut-list` (docs/shortcuts-chats-feed.md): one page of the feed sidebar shortcuts; each chat
 * entry gets the full chat object under `detail` unless `--no-detail`. A failed look-up never fails
 * the listing: warning on stderr and `data._notice`.
 */
import { isPlainObject, JsonNumber } from '../../core/json.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { FEED_SHORTCUT_READ_SCOPE, FEED_SHORTCUT_TYPE_CHAT } from '../feed-shortcuts.js';

const PATH = '/open-apis/im/v2/feed_shortcuts';
const DETAIL_DESC =
  'conditional enrichment: if CHAT-type entries exist, execution also calls POST /open-apis/im/v1/chats/batch_query and requires scope im:chat:read; pass --no-detail to skip this extra call and extra scope';

/** A chat entry: `type` is the JSON number 1 (a string "1" does not count). */
function isChatEntry(m: Record<string, unknown>): boolean {
  const t = typeof m.type === 'number' ? m.type : m.type instanceof JsonNumber ? Number(m.type.text) : NaN;
  return Math.trunc(t) === FEED_SHORTCUT_TYPE_CHAT;
}

async function enrichDetail(rt: ShortcutRuntime, data: Record<string, unknown>): Promise<void> {
  const entries = (Array.isArray(data.shortcuts) ? data.shortcuts : []).filter(isPlainObject).filter(isChatEntry);
  const ids = entries.map((m) => (typeof m.feed_card_id === 'string' ? m.feed_card_id : ''));
  if (!ids.some((id) => id !== '')) return;
  const { lookupChats } = await import('../chat-lookup.js');
  const chats = await lookupChats(rt, ids, 'strict');
  for (const m of entries) {
    const chat = typeof m.feed_card_id === 'string' ? chats.get(m.feed_card_id) : undefined;
    if (chat) m.detail = chat;
  }
}

export default defineShortcut({
  service: 'im',
  command: '+feed-shortcut-list',
  description: 'List one page of the feed sidebar shortcuts, each chat with its full details unless --no-detail; user only',
  risk: 'read',
  authTypes: ['user'],
  userScopes: [FEED_SHORTCUT_READ_SCOPE],
  hasFormat: true,
  tips: ['Detail look-up needs im:chat:read (checked when it runs, not before); --no-detail skips it.'],
  flags: [
    { name: 'page-token', desc: 'page token from a previous page; omit for the first page (restart if the list changed)' },
    { name: 'no-detail', type: 'bool', desc: 'do not look up the chat details (no im:chat:read needed)' },
  ],
  dryRun(rt) {
    const d = new DryRun().get(PATH);
    if (rt.str('page-token')) d.params({ page_token: rt.str('page-token') });
    if (!rt.bool('no-detail')) d.desc(DETAIL_DESC);
    return d;
  },
  async execute(rt) {
    const query = rt.str('page-token') ? { page_token: rt.str('page-token') } : undefined;
    const res = await rt.json<unknown>({ method: 'GET', path: PATH, query });
    const data: Record<string, unknown> = isPlainObject(res) ? res : {};
    if (!rt.bool('no-detail')) {
      try {
        await enrichDetail(rt, data);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        rt.io.stderr.write(`warning: detail enrichment failed: ${msg}\n`);
        data._notice = `detail enrichment skipped: ${msg}`;
      }
    }
    await rt.out(data, { format: 'json' });
  },
});
