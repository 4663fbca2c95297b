/**
 * `+feed-shortcut-remove` (chats-flags-feed.md §11): unpin up to 10 chats from the feed sidebar.
 * Removing an absent shortcut succeeds; per-item failures → `ok:false` ledger, exit 1.
 */
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import { CHAT_ID_SLICE_FLAG, FEED_SHORTCUT_WRITE_SCOPE, collectShortcutChatIds, emitShortcutWriteLedger, shortcutItems } from '../feed-common.js';

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
  validate(rt) {
    collectShortcutChatIds(rt);
  },
  dryRun(rt) {
    return new DryRun().post(PATH).body({ shortcuts: shortcutItems(collectShortcutChatIds(rt)) });
  },
  async execute(rt) {
    const shortcuts = shortcutItems(collectShortcutChatIds(rt));
    const data = await rt.json<unknown>({ method: 'POST', path: PATH, body: { shortcuts } });
    await emitShortcutWriteLedger(rt, shortcuts, data);
  },
});
