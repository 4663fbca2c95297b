/**
 * Making messages, shared by the send/reply endpoints, the admin API and the seeds: ids, times,
 * threads, and @mentions turned into Lark's `@_user_N` keys with a `mentions` list.
 */
import { LarkError, newId } from '../lark.js';
import type { ChatRec, Db, MentionRec, MessageRec } from '../state.js';

export interface NewMessage {
  chat: ChatRec;
  /** open_id of a user, or app_id of a bot. */
  senderId: string;
  msg_type: string;
  content: string;
  /** Reply to this message. */
  parent?: MessageRec;
  /** A reply that starts or continues the parent's thread. */
  replyInThread?: boolean;
  uuid?: string;
  now: number;
  /** Set on merge_forward children. */
  upperMessageId?: string;
  /** Explicit id (seeds). */
  messageId?: string;
}

const AT_RE = /<at\s+(?:user_id|open_id|id)="?([^"\s>/]+)"?\s*\/?>([^<]*)(?:<\/at>)?/g;

/**
 * Rewrites `<at user_id="ou_x">Name</at>` in text content and `{"tag":"at","user_id":…}` in post
 * content to Lark's stored form, collecting mentions. `all` mentions stay as they are.
 */
export function extractMentions(db: Db, msgType: string, content: string): { content: string; mentions: MentionRec[] } {
  const mentions: MentionRec[] = [];
  const keyFor = (id: string, name: string): string => {
    const existing = mentions.find((m) => m.id === id);
    if (existing) return existing.key;
    const user = db.t.users.get(id);
    const app = db.t.apps.get(id);
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, id, id_type: app ? 'app_id' : 'open_id', name: user?.name ?? app?.name ?? (name || id), tenant_key: user?.tenant_key ?? app?.tenant_key ?? '' });
    return key;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { content, mentions };
  }
  if (msgType === 'text' && parsed && typeof parsed === 'object' && typeof (parsed as { text?: unknown }).text === 'string') {
    const p = parsed as { text: string };
    const text = p.text.replace(AT_RE, (_all, id: string, name: string) => (id === 'all' ? '@_all' : keyFor(id, name)));
    if (mentions.length === 0 && text === p.text) return { content, mentions };
    return { content: JSON.stringify({ ...p, text }), mentions };
  }
  if (msgType === 'post' && parsed && typeof parsed === 'object') {
    let changed = false;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.tag === 'at' && typeof o.user_id === 'string' && o.user_id !== 'all') {
          o.user_id = keyFor(o.user_id, typeof o.user_name === 'string' ? o.user_name : '');
          changed = true;
        } else for (const x of Object.values(o)) walk(x);
      }
    };
    walk(parsed);
    return { content: changed ? JSON.stringify(parsed) : content, mentions };
  }
  return { content, mentions };
}

/** Creates and stores a message (and its thread, when it starts one). */
export function createMessage(db: Db, m: NewMessage): MessageRec {
  const isApp = db.t.apps.has(m.senderId);
  const senderTenant = db.t.users.get(m.senderId)?.tenant_key ?? db.t.apps.get(m.senderId)?.tenant_key ?? '';
  const { content, mentions } = extractMentions(db, m.msg_type, m.content);
  const t = String(m.now);
  const rec: MessageRec = {
    message_id: m.messageId ?? newId.message(),
    chat_id: m.chat.chat_id,
    msg_type: m.msg_type,
    content,
    sender: { id: m.senderId, id_type: isApp ? 'app_id' : 'open_id', sender_type: isApp ? 'app' : 'user', tenant_key: senderTenant },
    create_time: t,
    update_time: t,
    deleted: false,
    updated: false,
    seq: db.nextSeq(),
  };
  if (mentions.length) rec.mentions = mentions;
  if (m.uuid) rec.uuid = m.uuid;
  if (m.upperMessageId) rec.upper_message_id = m.upperMessageId;
  if (m.parent) {
    const parent = m.parent;
    rec.root_id = parent.root_id ?? parent.message_id;
    rec.parent_id = parent.message_id;
    const root = rec.root_id === parent.message_id ? parent : db.t.messages.get(rec.root_id) ?? parent;
    // a reply joins the root's thread when there is one, or starts one when asked to
    if (root.thread_id) rec.thread_id = root.thread_id;
    else if (m.replyInThread || m.chat.chat_mode === 'topic') {
      const thread_id = newId.thread();
      db.put('threads', thread_id, { thread_id, chat_id: m.chat.chat_id, root_id: root.message_id, create_time: t });
      db.put('messages', root.message_id, { ...root, thread_id });
      rec.thread_id = thread_id;
    }
  } else if (m.chat.chat_mode === 'topic' && !m.upperMessageId) {
    // every top-level message of a topic chat opens a topic
    const thread_id = newId.thread();
    db.put('threads', thread_id, { thread_id, chat_id: m.chat.chat_id, root_id: rec.message_id, create_time: t });
    rec.thread_id = thread_id;
  }
  db.put('messages', rec.message_id, rec);
  return rec;
}

/** Lark's message object as the message endpoints return it. */
export function messageView(db: Db, m: MessageRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    message_id: m.message_id,
    msg_type: m.msg_type,
    create_time: m.create_time,
    update_time: m.update_time,
    deleted: m.deleted,
    updated: m.updated,
    chat_id: m.chat_id,
    sender: { ...m.sender },
    body: { content: m.deleted ? JSON.stringify({ text: 'This message was recalled' }) : m.content },
  };
  if (m.root_id) out.root_id = m.root_id;
  if (m.parent_id) out.parent_id = m.parent_id;
  if (m.thread_id) out.thread_id = m.thread_id;
  if (m.upper_message_id) out.upper_message_id = m.upper_message_id;
  if (m.mentions?.length) out.mentions = m.mentions.map((x) => ({ ...x }));
  void db;
  return out;
}

/** The message, or Lark's "message not found" (230011 for a recalled one where that matters). */
export function messageOr404(db: Db, id: string | undefined): MessageRec {
  const m = id ? db.t.messages.get(id) : undefined;
  if (!m) throw new LarkError(230001, 'Your request contains an invalid request parameter, message_id is invalid.', 400, undefined, `message ${id ?? ''} does not exist`);
  return m;
}
