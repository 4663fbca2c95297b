/**
 * Bookmark (flag) enums and helpers shared by `+flag-create`, `+flag-cancel` and `+flag-list`
 * (chats-flags-feed.md §1.7, §1.10): wire values, CLI names, parsing of the overrides, the
 * message-id check and the feed-layer item-type detection from the chat mode.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject, ordered } from '../core/json.js';
import { escapePathSegment } from '../core/url.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';

/** Wire values (sent and received as strings). */
export const FlagType = { unknown: 0, feed: 1, message: 2 } as const;
export const ItemType = { default: 0, thread: 4, msg_thread: 11 } as const;
export type FlagTypeValue = (typeof FlagType)[keyof typeof FlagType];
export type ItemTypeValue = (typeof ItemType)[keyof typeof ItemType];

export const FLAG_WRITE_SCOPE = 'im:feed.flag:write';
export const FLAG_READ_SCOPE = 'im:feed.flag:read';
export const FLAG_MESSAGE_READ_SCOPES = ['im:message.group_msg:get_as_user', 'im:message.p2p_msg:get_as_user'];
export const FLAG_LOOKUP_SCOPES = [...FLAG_MESSAGE_READ_SCOPES, 'im:chat:read'];
/** Pre-checked by create and cancel, even when no look-up will happen (Notes 2). */
export const FLAG_WRITE_LOOKUP_SCOPES = [FLAG_WRITE_SCOPE, ...FLAG_LOOKUP_SCOPES];

export const AUTO_ITEM_TYPE = '<auto:thread|msg_thread>';

export interface FlagItem {
  item_id: string;
  item_type: string;
  flag_type: string;
}

/** One request item; its keys print in the order the server documents (a Go struct). */
export function flagItem(id: string, it: ItemTypeValue, ft: FlagTypeValue): FlagItem {
  return ordered({ item_id: id, item_type: String(it), flag_type: String(ft) });
}

/** The valid pairs: (default, message), (thread, feed), (msg_thread, feed). */
export function isValidCombo(it: number, ft: number): boolean {
  return (it === ItemType.default && ft === FlagType.message) || ((it === ItemType.thread || it === ItemType.msg_thread) && ft === FlagType.feed);
}

export function itemTypeName(it: number): string {
  return it === ItemType.default ? 'default' : it === ItemType.thread ? 'thread' : it === ItemType.msg_thread ? 'msg_thread' : 'unknown';
}

export function flagTypeName(ft: number): string {
  return ft === FlagType.feed ? 'feed' : ft === FlagType.message ? 'message' : 'unknown';
}

/** `--item-type`: trimmed, case-insensitive; `''`/default → 0, thread → 4, msg_thread → 11. */
export function parseItemType(raw: string): ItemTypeValue {
  switch (raw.trim().toLowerCase()) {
    case '':
    case 'default':
      return ItemType.default;
    case 'thread':
      return ItemType.thread;
    case 'msg_thread':
      return ItemType.msg_thread;
  }
  throw new CliError('validation', `invalid --item-type "${raw}": expected one of default|thread|msg_thread`);
}

/** `--flag-type`: trimmed, case-insensitive; `''`/message → 2, feed → 1. */
export function parseFlagType(raw: string): FlagTypeValue {
  switch (raw.trim().toLowerCase()) {
    case '':
    case 'message':
      return FlagType.message;
    case 'feed':
      return FlagType.feed;
  }
  throw new CliError('validation', `invalid --flag-type "${raw}": expected one of message|feed`);
}

/** Wire value → number ("4" → 4); unknown values give -1. */
export function wireNumber(v: string): number {
  return /^\d+$/.test(v) ? Number(v) : -1;
}

/** `--message-id` of the flag commands (§1.7 flagMessageID). */
export function flagMessageId(rt: ShortcutRuntime): string {
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
export async function feedItemTypeOfChat(rt: ShortcutRuntime, chatId: string): Promise<ItemTypeValue> {
  let data: Record<string, unknown>;
  try {
    data = await rt.json<Record<string, unknown>>({ method: 'GET', path: `/open-apis/im/v1/chats/${escapePathSegment(chatId)}` });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('network', `failed to query chat_mode for chat ${chatId}`, { cause: e });
  }
  return data.chat_mode === 'topic' ? ItemType.thread : ItemType.msg_thread;
}

/** Adds a recovery hint to an error (a second line when it already has one). */
export function withRecoveryHint(e: unknown, hint: string): CliError {
  if (e instanceof CliError) {
    e.hint = e.hint && e.hint.trim() ? `${e.hint}\n${hint}` : hint;
    return e;
  }
  return new CliError('internal', e instanceof Error ? e.message : String(e), { hint, cause: e });
}
