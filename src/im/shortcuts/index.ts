/**
 * Every `im` shortcut, one definition per file.
 */
import type { ShortcutDef } from '../../shortcut/define.js';
import chatCreate from './chat-create.js';
import chatList from './chat-list.js';
import chatSearch from './chat-search.js';
import chatUpdate from './chat-update.js';
import flagCreate from './flag-create.js';
import flagCancel from './flag-cancel.js';
import flagList from './flag-list.js';
import feedShortcutCreate from './feed-shortcut-create.js';
import feedShortcutRemove from './feed-shortcut-remove.js';
import feedShortcutList from './feed-shortcut-list.js';
import feedGroupList from './feed-group-list.js';
import feedGroupListItem from './feed-group-list-item.js';
import feedGroupQueryItem from './feed-group-query-item.js';
import chatMessagesList from './chat-messages-list.js';
import threadsMessagesList from './threads-messages-list.js';
import messagesMget from './messages-mget.js';
import messagesSearch from './messages-search.js';
import messagesSend from './messages-send.js';
import messagesReply from './messages-reply.js';
import messagesResourcesDownload from './messages-resources-download.js';

export const SHORTCUTS: ShortcutDef[] = [
  chatCreate,
  chatList,
  chatSearch,
  chatUpdate,
  flagCreate,
  flagCancel,
  flagList,
  feedShortcutCreate,
  feedShortcutRemove,
  feedShortcutList,
  feedGroupList,
  feedGroupListItem,
  feedGroupQueryItem,
  chatMessagesList,
  threadsMessagesList,
  messagesMget,
  messagesSearch,
  messagesSend,
  messagesReply,
  messagesResourcesDownload,
];
