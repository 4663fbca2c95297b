/**
 * `+feed-shortcut-create` (docs/shortcuts-chats-feed.md): pin up to 10 chats to the feed sidebar, at the
 * top (default) or the bottom. Per-item failures → `ok:false` ledger, exit 1.
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { CHAT_ID_SLICE_FLAG, FEED_SHORTCUT_WRITE_SCOPE, collectFeedShortcutChatIds, emitFeedShortcutLedger, feedShortcutItems } from '../feed-shortcuts.js';

const PATH = '/open-apis/im/v2/feed_shortcuts';

/** The request body; the chat ids are checked before the position flags. */
function body(rt: ShortcutRuntime): { shortcuts: ReturnType<typeof feedShortcutItems>; is_header: boolean } {
  const shortcuts = feedShortcutItems(collectFeedShortcutChatIds(rt));
  if (rt.bool('head') && rt.bool('tail')) throw new CliError('validation', '--head and --tail are mutually exclusive');
  return { shortcuts, is_header: !rt.bool('tail') };
}

export default defineShortcut({
  service: 'im',
  command: '+feed-shortcut-create',
  description: 'Pin up to 10 chats to the feed sidebar shortcuts, at the top (default) or with --tail at the bottom; user only',
  risk: 'write',
  authTypes: ['user'],
  userScopes: [FEED_SHORTCUT_WRITE_SCOPE],
  hasFormat: true,
  flags: [
    CHAT_ID_SLICE_FLAG,
    { name: 'head', type: 'bool', desc: 'insert at the top (the default)' },
    { name: 'tail', type: 'bool', desc: 'append at the bottom' },
  ],
  prepare: body,
  dryRun(rt, b) {
    return new DryRun().post(PATH).body(b);
  },
  async execute(rt, b) {
    const data = await rt.json<unknown>({ method: 'POST', path: PATH, body: b });
    await emitFeedShortcutLedger(rt, b.shortcuts, data);
  },
});
