/**
 * Every `im` shortcut: one table, one row per file (shortcuts/<name>.ts defines `im +<name>`).
 * `im +name` loads just that row's file; help and the other commands load them all. The loaders
 * are written out, not built from the name, so the bundler sees every file.
 */
import type { AnyShortcut } from '../../shortcut/define.js';

export interface ShortcutEntry {
  /** The command without its `+`. */
  name: string;
  /** What the shortcut is for, in a few words (the definition's `description` is the help text). */
  summary: string;
  load(): Promise<{ default: AnyShortcut }>;
}

export const SHORTCUT_TABLE: readonly ShortcutEntry[] = [
  { name: 'chat-create', summary: 'create a group chat', load: () => import('./chat-create.js') },
  { name: 'chat-list', summary: 'list the chats one belongs to', load: () => import('./chat-list.js') },
  { name: 'chat-search', summary: 'search group chats', load: () => import('./chat-search.js') },
  { name: 'chat-update', summary: "update a chat's name or description", load: () => import('./chat-update.js') },
  { name: 'chat-members-list', summary: 'list the users and bots of a group chat', load: () => import('./chat-members-list.js') },
  { name: 'flag-create', summary: 'bookmark a message or feed card', load: () => import('./flag-create.js') },
  { name: 'flag-cancel', summary: 'remove a bookmark', load: () => import('./flag-cancel.js') },
  { name: 'flag-list', summary: 'list bookmarks', load: () => import('./flag-list.js') },
  { name: 'feed-shortcut-create', summary: 'pin chats to the feed', load: () => import('./feed-shortcut-create.js') },
  { name: 'feed-shortcut-remove', summary: 'unpin chats from the feed', load: () => import('./feed-shortcut-remove.js') },
  { name: 'feed-shortcut-list', summary: 'list the pinned chats of the feed', load: () => import('./feed-shortcut-list.js') },
  { name: 'feed-group-list', summary: 'list feed groups (tags)', load: () => import('./feed-group-list.js') },
  { name: 'feed-group-list-item', summary: 'list the items of a feed group', load: () => import('./feed-group-list-item.js') },
  { name: 'feed-group-query-item', summary: 'look up items of a feed group', load: () => import('./feed-group-query-item.js') },
  { name: 'chat-messages-list', summary: 'read the messages of a chat', load: () => import('./chat-messages-list.js') },
  { name: 'threads-messages-list', summary: 'read the messages of a thread', load: () => import('./threads-messages-list.js') },
  { name: 'messages-mget', summary: 'read messages by id', load: () => import('./messages-mget.js') },
  { name: 'message-read-users', summary: 'list who has read a message', load: () => import('./message-read-users.js') },
  { name: 'messages-search', summary: 'search messages', load: () => import('./messages-search.js') },
  { name: 'messages-read-status', summary: 'ask whether you have read messages', load: () => import('./messages-read-status.js') },
  { name: 'messages-send', summary: 'send a message', load: () => import('./messages-send.js') },
  { name: 'messages-reply', summary: 'reply to a message', load: () => import('./messages-reply.js') },
  { name: 'messages-edit', summary: 'edit a message the bot sent', load: () => import('./messages-edit.js') },
  { name: 'messages-resources-download', summary: 'download a file or image of a message', load: () => import('./messages-resources-download.js') },
];

/** The row of `name` (without the `+`), if there is one. */
export function findShortcut(name: string): ShortcutEntry | undefined {
  return SHORTCUT_TABLE.find((e) => e.name === name);
}

/** Every shortcut definition, in the table's order. */
export async function loadShortcuts(): Promise<AnyShortcut[]> {
  return Promise.all(SHORTCUT_TABLE.map(async (e) => (await e.load()).default));
}
