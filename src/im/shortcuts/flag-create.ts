/**
 * `+flag-create` (docs/shortcuts-chats-feed.md): bookmark a message. Message layer by default;
 * `--flag-type feed` bookmarks the feed layer, its item type detected from the chat mode unless
 * `--item-type` says it.
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import {
  autoFeedItem,
  BOOKMARK_WRITE_ACCESS,
  BookmarkItemType,
  bookmarkMessageId,
  bookmarkOverrides,
  BookmarkType,
  feedItem,
  feedItemTypeOfChat,
  isValidCombo,
  isValidItem,
  messageChatId,
  messageLayerItem,
  withRecoveryHint,
  type BookmarkItem,
  type BookmarkItemTypeValue,
} from '../bookmarks.js';

const RECOVERY = 'specify --item-type explicitly';

interface Plan {
  id: string;
  /** The item when it is known without a look-up. */
  item?: BookmarkItem;
}

/** Checks the overrides and resolves every case that needs no look-up. */
function plan(rt: ShortcutRuntime): Plan {
  const id = bookmarkMessageId(rt);
  const { itRaw, ftRaw, it, ft } = bookmarkOverrides(rt);
  if (it !== undefined && ft === undefined) {
    if (it === BookmarkItemType.default) {
      throw new CliError('validation', '--item-type=default requires --flag-type=message; or omit both to use default behavior');
    }
    throw new CliError('validation', `--item-type=${itRaw} requires --flag-type=feed; message-layer flags always use item-type=default`);
  }
  if (it !== undefined && ft !== undefined && !isValidCombo(it, ft)) {
    throw new CliError(
      'validation',
      `invalid --item-type=${itRaw} --flag-type=${ftRaw} combination; supported pairs are default+message, thread+feed, and msg_thread+feed`,
    );
  }
  if ((ft ?? BookmarkType.message) === BookmarkType.message) return { id, item: messageLayerItem(id) };
  if (it !== undefined) return { id, item: feedItem(id, it) };
  return { id };
}

export default defineShortcut({
  service: 'im',
  command: '+flag-create',
  description: 'Bookmark a message (message layer by default; --flag-type feed bookmarks the feed layer, item type detected from the chat); user only',
  ...BOOKMARK_WRITE_ACCESS,
  flags: [
    { name: 'message-id', desc: 'message ID to bookmark (om_xxx)' },
    { name: 'item-type', desc: 'item type override: default|thread|msg_thread (rarely needed; needs --flag-type)' },
    { name: 'flag-type', desc: 'bookmark layer: message (default) or feed' },
  ],
  prepare: plan,
  dryRun(rt, p) {
    const item = p.item ?? autoFeedItem(p.id);
    const d = new DryRun().post('/open-apis/im/v1/flags').body({ flag_items: [item] });
    if (!p.item) d.desc('feed-layer item_type is auto-detected at execution time by reading the message chat and chat_mode');
    return d;
  },
  async execute(rt, p) {
    let item = p.item;
    if (!item) {
      let chatId: string;
      try {
        chatId = await messageChatId(rt, p.id);
      } catch (e) {
        throw withRecoveryHint(e, RECOVERY);
      }
      if (chatId === '') {
        throw new CliError('validation', 'message does not belong to a chat; feed-layer flags are only for messages in chats');
      }
      let it: BookmarkItemTypeValue;
      try {
        it = await feedItemTypeOfChat(rt, chatId);
      } catch (e) {
        throw withRecoveryHint(e, RECOVERY);
      }
      item = feedItem(p.id, it);
    }
    if (!isValidItem(item)) {
      throw new CliError(
        'validation',
        `invalid (item_type=${item.item_type}, flag_type=${item.flag_type}) combination; the server only accepts (default, message), (thread, feed), or (msg_thread, feed)`,
      );
    }
    const data = await rt.json<unknown>({ method: 'POST', path: '/open-apis/im/v1/flags', body: { flag_items: [item] } });
    await rt.out(data, { format: 'json' });
  },
});
