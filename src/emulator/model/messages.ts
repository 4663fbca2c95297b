/**
 * Making messages, shared by the send/reply endpoints, the admin API and the seeds: ids, times,
 * threads, and @mentions turned into Lark's `@_user_N` keys with a `mentions` list.
 */
import { LarkError, MAX_JSON_DEPTH, nestedDeeperThan, newId } from '../lark.js';
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
  // every reader of the content (mentions here, search, cards, the views) may walk it recursively
  if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) throw new LarkError(230001, 'Your request contains an invalid request parameter, content is invalid.', 400, undefined, `the content nests deeper than ${MAX_JSON_DEPTH} levels`);
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

/** How a reader asked for messages: the user id kind, and server-side sender names. */
export interface MessageViewOptions {
  /** open_id (default), user_id or union_id: the kind of user ids in `sender` and `mentions`. */
  userIdType?: string;
  /** `with_sender_name=true`: fill sender.sender_name, sender_i18n_names and (bots) open_bot_id. */
  withSenderName?: boolean;
}

function userIdAs(db: Db, openId: string, type: string | undefined): string {
  if (!type || type === 'open_id') return openId;
  const u = db.t.users.get(openId);
  if (!u) return openId;
  return type === 'user_id' ? u.user_id : type === 'union_id' ? u.union_id : openId;
}

/** A stable `ou_` open id for an app's bot (Lark's `sender.open_bot_id`). */
export function botOpenId(appId: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < appId.length; i++) {
    h1 = Math.imul(h1 ^ appId.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ appId.charCodeAt(i), 2246822519) >>> 0;
  }
  return `ou_${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}${Buffer.from(appId).toString('hex').slice(-16).padStart(16, '0')}`;
}

/** Lark's message object as the message endpoints return it. */
export function messageView(db: Db, m: MessageRec, opts: MessageViewOptions = {}): Record<string, unknown> {
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
  if (m.mentions?.length) out.mentions = m.mentions.map((x) => (x.id_type === 'open_id' && opts.userIdType ? { ...x, id: userIdAs(db, x.id, opts.userIdType), id_type: opts.userIdType } : { ...x }));
  if (m.sender.id_type === 'open_id' && opts.userIdType && opts.userIdType !== 'open_id') {
    out.sender = { ...m.sender, id: userIdAs(db, m.sender.id, opts.userIdType), id_type: opts.userIdType };
  }
  if (opts.withSenderName) {
    const s = out.sender as Record<string, unknown>;
    const user = m.sender.id_type === 'open_id' ? db.t.users.get(m.sender.id) : undefined;
    const app = m.sender.id_type === 'app_id' ? db.t.apps.get(m.sender.id) : undefined;
    if (user) {
      s.sender_name = user.name;
      s.sender_i18n_names = { zh_cn: user.name, en_us: user.en_name || user.name };
    } else if (app) {
      s.sender_name = app.name;
      s.sender_i18n_names = { zh_cn: app.name, en_us: app.name };
      s.open_bot_id = botOpenId(app.app_id);
    }
  }
  return out;
}

/** The message, or Lark's "message not found" (230011 for a recalled one where that matters). */
export function messageOr404(db: Db, id: string | undefined): MessageRec {
  const m = id ? db.t.messages.get(id) : undefined;
  if (!m) throw new LarkError(230001, 'Your request contains an invalid request parameter, message_id is invalid.', 400, undefined, `message ${id ?? ''} does not exist`);
  return m;
}
