/**
 * Bookmark (flag) enums and helpers shared by `+flag-create`, `+flag-cancel` and `+flag-list`
 * (docs/shortcuts-chats-feed.md): wire values, CLI names, parsing of the overrides, the
 * message-id check and the feed-layer item-type detection from the chat mode.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject, ordered } from '../core/json.js';
import { escapePathSegment } from '../core/url.js';
import type { ShortcutDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';

/** Wire values (sent and received as strings). */
export const BookmarkType = { unknown: 0, feed: 1, message: 2 } as const;
export const BookmarkItemType = { default: 0, thread: 4, msg_thread: 11 } as const;
export type BookmarkTypeValue = (typeof BookmarkType)[keyof typeof BookmarkType];
export type BookmarkItemTypeValue = (typeof BookmarkItemType)[keyof typeof BookmarkItemType];

export const BOOKMARK_WRITE_SCOPE = 'im:feed.flag:write';
export const BOOKMARK_READ_SCOPE = 'im:feed.flag:read';
export const BOOKMARK_MESSAGE_READ_SCOPES = ['im:message.group_msg:get_as_user', 'im:message.p2p_msg:get_as_user'];
export const BOOKMARK_LOOKUP_SCOPES = [...BOOKMARK_MESSAGE_READ_SCOPES, 'im:chat:read'];
/** Pre-checked by create and cancel, even when no look-up will happen. */
export const BOOKMARK_WRITE_LOOKUP_SCOPES = [BOOKMARK_WRITE_SCOPE, ...BOOKMARK_LOOKUP_SCOPES];

/** `+flag-create` and `+flag-cancel`: user only, the write and look-up scopes pre-checked, --format offered. */
export const BOOKMARK_WRITE_ACCESS: Pick<ShortcutDef, 'risk' | 'authTypes' | 'userScopes' | 'hasFormat'> = {
  risk: 'write',
  authTypes: ['user'],
  userScopes: BOOKMARK_WRITE_LOOKUP_SCOPES,
  hasFormat: true,
};

const AUTO_ITEM_TYPE = '<auto:thread|msg_thread>';

export interface BookmarkItem {
  item_id: string;
  item_type: string;
  flag_type: string;
}

/** One request item; its keys print in the order the server documents (a Go struct). */
export function bookmarkItem(id: string, it: BookmarkItemTypeValue, ft: BookmarkTypeValue): BookmarkItem {
  return ordered({ item_id: id, item_type: String(it), flag_type: String(ft) });
}

/** The message-layer item of a message: (default, message). */
export function messageLayerItem(id: string): BookmarkItem {
  return bookmarkItem(id, BookmarkItemType.default, BookmarkType.message);
}

/** The feed-layer item of a message whose item type is known. */
export function feedItem(id: string, it: BookmarkItemTypeValue): BookmarkItem {
  return bookmarkItem(id, it, BookmarkType.feed);
}

/** A dry-run's feed-layer item whose item type is detected at execution time. */
export function autoFeedItem(id: string): BookmarkItem {
  return { item_id: id, item_type: AUTO_ITEM_TYPE, flag_type: String(BookmarkType.feed) };
}

/** The valid pairs: (default, message), (thread, feed), (msg_thread, feed). */
export function isValidCombo(it: number, ft: number): boolean {
  return (it === BookmarkItemType.default && ft === BookmarkType.message) || ((it === BookmarkItemType.thread || it === BookmarkItemType.msg_thread) && ft === BookmarkType.feed);
}

/** Is a request item (wire values) one of the valid pairs? */
export function isValidItem(item: BookmarkItem): boolean {
  return isValidCombo(wireNumber(item.item_type), wireNumber(item.flag_type));
}

/** A request item with its wire values as CLI names: `{item_id, item_type, flag_type}`. */
export function itemLabels(item: BookmarkItem): Record<string, unknown> {
  return { item_id: item.item_id, item_type: itemTypeName(wireNumber(item.item_type)), flag_type: bookmarkTypeName(wireNumber(item.flag_type)) };
}

export function itemTypeName(it: number): string {
  return it === BookmarkItemType.default ? 'default' : it === BookmarkItemType.thread ? 'thread' : it === BookmarkItemType.msg_thread ? 'msg_thread' : 'unknown';
}

export function bookmarkTypeName(ft: number): string {
  return ft === BookmarkType.feed ? 'feed' : ft === BookmarkType.message ? 'message' : 'unknown';
}

/** `--item-type`: trimmed, case-insensitive; `''`/default → 0, thread → 4, msg_thread → 11. */
export function parseItemType(raw: string): BookmarkItemTypeValue {
  switch (raw.trim().toLowerCase()) {
    case '':
    case 'default':
      return BookmarkItemType.default;
    case 'thread':
      return BookmarkItemType.thread;
    case 'msg_thread':
      return BookmarkItemType.msg_thread;
  }
  throw new CliError('validation', `invalid --item-type "${raw}": expected one of default|thread|msg_thread`);
}

/** `--flag-type`: trimmed, case-insensitive; `''`/message → 2, feed → 1. */
export function parseBookmarkType(raw: string): BookmarkTypeValue {
  switch (raw.trim().toLowerCase()) {
    case '':
    case 'message':
      return BookmarkType.message;
    case 'feed':
      return BookmarkType.feed;
  }
  throw new CliError('validation', `invalid --flag-type "${raw}": expected one of message|feed`);
}

export interface BookmarkOverrides {
  /** `--item-type` / `--flag-type` as given, trimmed ('' when not given). */
  itRaw: string;
  ftRaw: string;
  /** Their parsed values, undefined when not given. */
  it?: BookmarkItemTypeValue;
  ft?: BookmarkTypeValue;
}

/** `--item-type` then `--flag-type`, parsed (the first invalid one is the error). */
export function bookmarkOverrides(rt: ShortcutRuntime): BookmarkOverrides {
  const itRaw = rt.str('item-type').trim();
  const ftRaw = rt.str('flag-type').trim();
  const it = itRaw ? parseItemType(itRaw) : undefined;
  const ft = ftRaw ? parseBookmarkType(ftRaw) : undefined;
  return { itRaw, ftRaw, it, ft };
}

/** Wire value → number ("4" → 4); unknown values give -1. */
export function wireNumber(v: string): number {
  return /^\d+$/.test(v) ? Number(v) : -1;
}

/** `--message-id` of the flag commands. */
export function bookmarkMessageId(rt: ShortcutRuntime): string {
  const id = rt.str('message-id').trim();
  if (id === '') throw new CliError('validation', '--message-id is required');
  if (id.startsWith('omt_')) {
    throw new CliError(
      'validation',
      `invalid message ID "${id}": omt_ prefix is a thread ID, not a message ID; flag operations require om_ message IDs`,
    );
  }
  if (!id.startsWith('om_')) throw new CliError('validation', `invalid message ID "${id}": must start with om_`);
  return id;
}

/** The chat of a message (`GET /open-apis/im/v1/messages/{id}` → items[0].chat_id); may be ''. */
export async function messageChatId(rt: ShortcutRuntime, messageId: string): Promise<string> {
  const data = await rt.json<Record<string, unknown>>({ method: 'GET', path: `/open-apis/im/v1/messages/${escapePathSegment(messageId)}` });
  const items = data.items;
  if (!Array.isArray(items) || items.length === 0) throw new CliError('not_found', 'message not found');
  const first = items[0];
  if (!isPlainObject(first)) throw new CliError('internal', 'unexpected message format in API response');
  if (typeof first.chat_id !== 'string') throw new CliError('internal', 'message response missing chat_id field');
  return first.chat_id;
}

/** Feed-layer item type from the chat mode: topic chat → thread (4), any other chat → msg_thread (11). */
export async function feedItemTypeOfChat(rt: ShortcutRuntime, chatId: string): Promise<BookmarkItemTypeValue> {
  let data: Record<string, unknown>;
  try {
    data = await rt.json<Record<string, unknown>>({ method: 'GET', path: `/open-apis/im/v1/chats/${escapePathSegment(chatId)}` });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('network', `failed to query chat_mode for chat ${chatId}`, { cause: e });
  }
  return data.chat_mode === 'topic' ? BookmarkItemType.thread : BookmarkItemType.msg_thread;
}

/** Adds a recovery hint to an error (a second line when it already has one). */
export function withRecoveryHint(e: unknown, hint: string): CliError {
  if (e instanceof CliError) {
    e.hint = e.hint && e.hint.trim() ? `${e.hint}\n${hint}` : hint;
    return e;
  }
  return new CliError('internal', e instanceof Error ? e.message : String(e), { hint, cause: e });
}
