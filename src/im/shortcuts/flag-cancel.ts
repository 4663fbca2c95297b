/**
 * `+flag-cancel` (docs/shortcuts-chats-feed.md): remove a bookmark. With `--item-type`/`--flag-type` one
 * targeted cancel; without them a best-effort double cancel (message layer always, feed layer when
 * its item type can be detected), one request per layer. Any failed layer → `ok:false` ledger.
 */
import { CliError } from '../../core/errors.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import {
  autoFeedItem,
  BOOKMARK_WRITE_ACCESS,
  bookmarkItem,
  BookmarkItemType,
  bookmarkMessageId,
  bookmarkOverrides,
  BookmarkType,
  bookmarkTypeName,
  feedItem,
  feedItemTypeOfChat,
  isValidCombo,
  itemLabels,
  itemTypeName,
  messageChatId,
  messageLayerItem,
  type BookmarkItem,
} from '../bookmarks.js';

const CANCEL_PATH = '/open-apis/im/v1/flags/cancel';

/** The single targeted item when an override is given; undefined for the double cancel. */
function singleItem(rt: ShortcutRuntime, id: string): BookmarkItem | undefined {
  const o = bookmarkOverrides(rt);
  const { itRaw, ftRaw } = o;
  if (!itRaw && !ftRaw) return undefined;
  // missing overrides are inferred from the om_ id: (default, message)
  const it = o.it ?? BookmarkItemType.default;
  const ft = o.ft ?? BookmarkType.message;
  if (!isValidCombo(it, ft)) {
    if (itRaw && !ftRaw) {
      if (it === BookmarkItemType.thread || it === BookmarkItemType.msg_thread) {
        throw new CliError(
          'validation',
          `invalid combination: --item-type=${itRaw} requires --flag-type=feed (feed-layer flags are the only valid type for threads)`,
        );
      }
      throw new CliError(
        'validation',
        `invalid combination: --item-type=${itRaw} with inferred --flag-type=${bookmarkTypeName(ft)}; specify --flag-type explicitly to override`,
      );
    }
    if (!itRaw && ftRaw) {
      throw new CliError(
        'validation',
        `invalid combination: --flag-type=${ftRaw} with inferred --item-type=${itemTypeName(it)}; specify --item-type explicitly to override`,
      );
    }
    throw new CliError(
      'validation',
      'invalid --item-type/--flag-type combination: supported pairs are default+message, thread+feed, and msg_thread+feed',
    );
  }
  return bookmarkItem(id, it, ft);
}

/** The feed-layer item of the double cancel, or undefined (with a warning) when undeterminable. */
async function feedLayerItem(rt: ShortcutRuntime, id: string): Promise<BookmarkItem | undefined> {
  try {
    const chatId = await messageChatId(rt, id);
    return feedItem(id, await feedItemTypeOfChat(rt, chatId));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    rt.io.stderr.write(`warning: cannot determine feed-layer item_type: ${msg}; skipping feed-layer cancel\n`);
    return undefined;
  }
}

export default defineShortcut({
  service: 'im',
  command: '+flag-cancel',
  description: 'Remove a bookmark; without --item-type/--flag-type cancels both the message and the feed layer (best effort); user only',
  ...BOOKMARK_WRITE_ACCESS,
  flags: [
    { name: 'message-id', desc: 'bookmarked message ID (om_xxx)' },
    { name: 'item-type', desc: 'item type override: default|thread|msg_thread' },
    { name: 'flag-type', desc: 'layer override: message|feed; omit both overrides to cancel both layers' },
  ],
  /** The message id and, with the overrides, the one item to cancel. */
  prepare(rt) {
    const id = bookmarkMessageId(rt);
    return { id, single: singleItem(rt, id) };
  },
  dryRun(rt, { id, single }) {
    if (single) return new DryRun().post(CANCEL_PATH).body({ flag_items: [single] });
    // the plan shows both layers in one body; execution sends one request per layer
    return new DryRun()
      .post(CANCEL_PATH)
      .body({
        flag_items: [messageLayerItem(id), autoFeedItem(id)],
      })
      .desc('double-cancel: tries both message and feed layers (best-effort); feed-layer skipped if chat_type undeterminable');
  },
  async execute(rt, { id, single }) {
    const items: BookmarkItem[] = [];
    if (single) items.push(single);
    else {
      items.push(messageLayerItem(id));
      const feed = await feedLayerItem(rt, id);
      if (feed) items.push(feed);
    }
    const results: Record<string, unknown>[] = [];
    let failed = false;
    // writes stay sequential; each layer is independent of the other's outcome
    for (const item of items) {
      const result = itemLabels(item);
      try {
        const data = await rt.json<unknown>({ method: 'POST', path: CANCEL_PATH, body: { flag_items: [item] } });
        result.status = 'ok';
        result.response = data;
      } catch (e) {
        failed = true;
        result.status = 'failed';
        result.error = e instanceof Error ? e.message : String(e);
      }
      results.push(result);
    }
    if (failed) await rt.outPartial({ results });
    else await rt.out({ results }, { format: 'json' });
  },
});
