/**
 * `+feed-shortcut-remove` (docs/shortcuts-chats-feed.md): unpin up to 10 chats from the feed sidebar.
 * Removing an absent shortcut succeeds; per-item failures → `ok:false` ledger, exit 1.
 */
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { CHAT_ID_SLICE_FLAG, FEED_SHORTCUT_WRITE_SCOPE, collectFeedShortcutChatIds, emitFeedShortcutLedger, feedShortcutItems } from '../feed-shortcuts.js';

const PATH = '/open-apis/im/v2/feed_shortcuts/remove';

export default defineShortcut({
  service: 'im',
  command: '+feed-shortcut-remove',
  description: 'Remove up to 10 chats from the feed sidebar shortcuts (absent ones count as removed); user only',
  risk: 'write',
  authTypes: ['user'],
  userScopes: [FEED_SHORTCUT_WRITE_SCOPE],
  hasFormat: true,
  flags: [CHAT_ID_SLICE_FLAG],
  prepare: (rt) => feedShortcutItems(collectFeedShortcutChatIds(rt)),
  dryRun(rt, shortcuts) {
    return new DryRun().post(PATH).body({ shortcuts });
  },
  async execute(rt, shortcuts) {
    const data = await rt.json<unknown>({ method: 'POST', path: PATH, body: { shortcuts } });
    await emitFeedShortcutLedger(rt, shortcuts, data);
  },
});
