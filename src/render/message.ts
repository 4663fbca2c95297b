/**
 * The compact message form (docs/shortcuts-read.md): one output object per raw message item.
 * Pure: merge-forward children and the brand come from the caller.
 */
import { isPlainObject, JsonNumber } from '../core/json.js';
import { encodePairs } from '../core/url.js';
import { formatTime } from '../core/time.js';
import { renderContent, type MergeForwardEntry, type RawMessage } from './content.js';
import { mentionOpenId } from './card.js';
import { extractResourceRefs, type ResourceRef } from './resources.js';
import { obj, str } from './util.js';

export type { RawMessage } from './content.js';

/** A projected message; enrichment adds `sender.name`, `thread_replies`, `reactions`, … */
export interface Message {
  message_id: string;
  msg_type: string;
  content: string;
  sender: Record<string, unknown> | null | unknown;
  create_time: string;
  deleted: boolean;
  updated: boolean;
  thread_id?: string;
  reply_to?: string;
  update_time?: string;
  mentions?: Array<{ key: string; id: string; name: string }>;
  resources?: Array<ResourceRef & { local_path?: string; size_bytes?: number; error?: boolean }>;
  thread_replies?: Message[];
  thread_has_more?: boolean;
  thread_replies_error?: boolean;
  reactions?: { counts?: unknown[]; details?: unknown[] };
  reactions_error?: boolean;
  [key: string]: unknown;
}

export interface ProjectOptions {
  /** Account brand (`feishu`, `lark` or a base URL): picks the app-link domain. */
  brand: string;
  /** Merge-forward children by container id. */
  mergeForward?: (id: string) => MergeForwardEntry | undefined;
  /** Add `resources` refs (`--download-resources`). */
  resources?: boolean;
}

/** Position normalisation for app links: finite numbers and numeric strings; integral values without decimals. */
export function normalizePosition(v: unknown): string | undefined {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (v instanceof JsonNumber) n = Number(v.text);
  else if (typeof v === 'string') {
    const s = v.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
    n = Number(s);
  } else return undefined;
  if (!Number.isFinite(n)) return undefined;
  if (Number.isInteger(n)) return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '') : s;
}

function appLinkDomain(brand: string): string {
  return brand === 'lark' ? 'applink.larksuite.com' : 'applink.feishu.cn';
}

/** The `message_app_link` assembled from chat/thread ids and positions, or `''`. */
export function assembleAppLink(raw: RawMessage, brand: string): string {
  const domain = appLinkDomain(brand);
  const chatId = str(raw, 'chat_id');
  const threadId = str(raw, 'thread_id');
  const threadPos = normalizePosition(raw.thread_message_position);
  if (threadId && chatId && threadPos !== undefined) {
    const q = encodePairs([
      ['openthreadid', threadId],
      ['openchatid', chatId],
      ['open_thread_id', threadId],
      ['open_chat_id', chatId],
      ['thread_position', threadPos],
    ]);
    return `https://${domain}/client/thread/open?${q}`;
  }
  const msgPos = normalizePosition(raw.message_position);
  if (chatId && msgPos !== undefined) {
    return `https://${domain}/client/chat/open?${encodePairs([
      ['openChatId', chatId],
      ['position', msgPos],
    ])}`;
  }
  return '';
}

/** Projects one raw item and renders its content. */
export function projectMessage(raw: RawMessage, opts: ProjectOptions): Message {
  const msgType = str(raw, 'msg_type');
  const messageId = str(raw, 'message_id');
  const mentions = Array.isArray(raw.mentions) ? raw.mentions : undefined;
  const updated = raw.updated === true;
  const rawContent = str(obj(raw, 'body'), 'content');
  const content = isPlainObject(raw.body) ? renderContent(msgType, rawContent, { mentions, messageId, mergeForward: opts.mergeForward }) : '';
  const sender = isPlainObject(raw.sender) ? { ...raw.sender } : raw.sender === undefined ? null : raw.sender;
  const msg: Message = {
    message_id: messageId,
    msg_type: msgType,
    content,
    sender,
    create_time: formatTime(raw.create_time),
    deleted: raw.deleted === true,
    updated,
  };
  const threadId = str(raw, 'thread_id');
  const parentId = str(raw, 'parent_id');
  if (threadId) msg.thread_id = threadId;
  else if (parentId) msg.reply_to = parentId;
  if (updated && raw.update_time !== undefined && raw.update_time !== null) {
    if (typeof raw.update_time !== 'string' || raw.update_time.trim() !== '') msg.update_time = formatTime(raw.update_time);
  }
  for (const k of ['chat_id', 'message_position', 'thread_message_position']) {
    if (Object.prototype.hasOwnProperty.call(raw, k)) msg[k] = raw[k];
  }
  const link = str(raw, 'message_app_link').trim() || assembleAppLink(raw, opts.brand);
  if (link) msg.message_app_link = link;
  if (mentions && mentions.length > 0) {
    msg.mentions = mentions.map((m) => ({ key: str(m, 'key'), id: mentionOpenId(isPlainObject(m) ? m.id : undefined), name: str(m, 'name') }));
  }
  if (opts.resources) {
    const lookup = (id: string) => {
      const e = opts.mergeForward?.(id);
      // only prefetched containers carry resources, not inline re-fetches
      return e && 'items' in e && !e.inline ? e.items : undefined;
    };
    const refs = extractResourceRefs(msgType, rawContent, messageId, lookup);
    if (refs.length) msg.resources = refs.map((r) => ({ ...r }));
  }
  return msg;
}
