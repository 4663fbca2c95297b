/**
 * The emulator's data: one tenant's apps, users, chats, messages and everything hanging off them,
 * kept as tables of plain JSON records. Every change goes through `Db.put` / `Db.del`, so the
 * store (store.ts) can log it and a restart can replay it; derived indexes are rebuilt from the
 * tables and kept up to date by the same two calls.
 *
 * Records hold Lark's own field names where Lark has one, so a handler can answer with little
 * more than a copy.
 */

export interface AppRec {
  app_id: string;
  app_secret: string;
  name: string;
  /** Granted scopes, or '*' for every scope. */
  scopes: string[] | '*';
  /** Whether the app's bot can be added to chats (the seed may turn it off). */
  bot_enabled: boolean;
  tenant_key: string;
  create_time: string;
}

export interface UserRec {
  open_id: string;
  union_id: string;
  user_id: string;
  name: string;
  en_name: string;
  email: string;
  tenant_key: string;
}

export type ChatMode = 'group' | 'topic' | 'p2p';

export interface ChatRec {
  chat_id: string;
  name: string;
  description: string;
  chat_mode: ChatMode;
  /** private | public */
  chat_type: string;
  /** An open_id, or an app_id when a bot owns the chat. */
  owner_id: string;
  owner_id_type: 'open_id' | 'app_id';
  /** Users in the chat (open_ids), in joining order. */
  members: string[];
  /** Bots in the chat (app_ids). */
  bots: string[];
  /** Managers besides the owner: open_ids. */
  managers: string[];
  /** Bot managers: app_ids. */
  bot_managers: string[];
  /** For p2p chats: the two parties (open_id or app_id). */
  p2p_parties?: string[];
  create_time: string;
  update_time: string;
  tenant_key: string;
  external: boolean;
  /** Group settings Lark returns from chats.get (avatar, permissions, i18n_names, chat_tag, …). */
  props: Record<string, unknown>;
  /** moderation_setting: all_members | only_owner | moderator_list */
  moderation_setting: string;
  /** open_ids allowed to speak when moderation_setting is moderator_list. */
  moderators: string[];
  /** The chat's share link token, once made. */
  share_token?: string;
  /** Set when the chat is disbanded. */
  deleted?: boolean;
}

export interface MentionRec {
  key: string;
  id: string;
  id_type: string;
  name: string;
  tenant_key: string;
}

export interface MessageRec {
  message_id: string;
  chat_id: string;
  msg_type: string;
  /** Lark's content JSON string. */
  content: string;
  sender: { id: string; id_type: 'open_id' | 'app_id'; sender_type: 'user' | 'app'; tenant_key: string };
  create_time: string;
  update_time: string;
  deleted: boolean;
  updated: boolean;
  root_id?: string;
  parent_id?: string;
  thread_id?: string;
  /** Set on the children of a merge_forward message. */
  upper_message_id?: string;
  mentions?: MentionRec[];
  /** The idempotency key the send carried. */
  uuid?: string;
  /** open_ids that have read the message, with the time. */
  read_by?: Record<string, string>;
  /** Urgent notifications sent: kind -> open_ids. */
  urgent?: Record<string, string[]>;
  /** Monotonic sequence within the emulator (for stable ordering and page tokens). */
  seq: number;
}

export interface ThreadRec {
  thread_id: string;
  chat_id: string;
  root_id: string;
  create_time: string;
}

export interface ReactionRec {
  reaction_id: string;
  message_id: string;
  emoji_type: string;
  operator_id: string;
  operator_type: 'user' | 'app';
  action_time: string;
  seq: number;
}

export interface PinRec {
  message_id: string;
  chat_id: string;
  operator_id: string;
  operator_id_type: 'open_id' | 'app_id';
  create_time: string;
  seq: number;
}

/** A bookmark ("flag" in Lark's API): one per owner, item and flag layer. */
export interface BookmarkRec {
  key: string;
  owner: string;
  item_id: string;
  item_type: string;
  flag_type: string;
  create_time: string;
  update_time: string;
  seq: number;
  /** Set when the flag was cancelled (it is then listed under `delete_flag_items`). */
  deleted?: boolean;
}

/** A pinned chat in a user's feed ("feed shortcut" in Lark's API). */
export interface FeedShortcutRec {
  key: string;
  owner: string;
  feed_id: string;
  feed_type: string;
  create_time: string;
  seq: number;
  /** Position in the sidebar: lower comes first (head inserts go below the smallest rank). */
  rank?: number;
}

export interface FeedGroupRec {
  feed_group_id: string;
  owner: string;
  name: string;
  /** Lark's rule object as given at creation or update. */
  props: Record<string, unknown>;
  /** feed ids (chat_ids) in the group, with the time each was added. */
  items: Array<{ feed_id: string; feed_type: string; add_time: string; update_time?: string }>;
  create_time: string;
  update_time: string;
  seq: number;
  /** Items removed from the group (listed under `deleted_items`), with the time of removal. */
  deleted_items?: Array<{ feed_id: string; feed_type: string; add_time: string; update_time: string }>;
  /** Set when the group was deleted (it is then listed under `deleted_groups`). */
  deleted?: boolean;
}

export interface UserSettingRec {
  key: string;
  open_id: string;
  chat_id: string;
  /** Lark's per-user chat settings (is_muted, …). */
  props: Record<string, unknown>;
}

/** An uploaded image or file. The bytes live in the blob store under `key`. */
export interface ResourceRec {
  key: string;
  type: 'image' | 'file';
  /** file_type of a file upload: opus, mp4, pdf, doc, xls, ppt, stream. */
  file_type: string;
  file_name: string;
  mime: string;
  size: number;
  /** app_id of the uploader. */
  app_id: string;
  create_time: string;
  /** Duration in ms for audio/video, when given. */
  duration?: number;
}

export interface AccessTokenRec {
  token: string;
  kind: 'tenant' | 'user';
  app_id: string;
  open_id?: string;
  /** The scopes a user token carries (space-separated in Lark's answers). */
  scopes?: string[];
  /** Emulator-clock ms. */
  expires_at: number;
}

export interface RefreshTokenRec {
  token: string;
  app_id: string;
  open_id: string;
  scopes: string[];
  expires_at: number;
  /** Rotated: a used refresh token is refused afterwards. */
  used: boolean;
}

export interface DeviceRec {
  device_code: string;
  user_code: string;
  app_id: string;
  scopes: string[];
  status: 'pending' | 'approved' | 'denied';
  open_id?: string;
  expires_at: number;
  interval: number;
  last_poll?: number;
  /** Set once the token was handed out. */
  consumed?: boolean;
}

/** A pending app registration of `config init --new`. */
export interface RegistrationRec {
  device_code: string;
  user_code: string;
  status: 'pending' | 'done' | 'denied';
  app_id?: string;
  /** The user who approved the registration (its owner). */
  open_id?: string;
  last_poll?: number;
  expires_at: number;
  interval: number;
}

/** An idempotency key seen on a send: (app or user, uuid) -> the message it made. */
export interface IdempotencyRec {
  key: string;
  message_id: string;
  expires_at: number;
}

export interface MetaRec {
  key: string;
  value: unknown;
}

/** The tables, by name. Adding a table here is all a new domain needs. */
export interface Tables {
  apps: Map<string, AppRec>;
  users: Map<string, UserRec>;
  chats: Map<string, ChatRec>;
  messages: Map<string, MessageRec>;
  threads: Map<string, ThreadRec>;
  reactions: Map<string, ReactionRec>;
  pins: Map<string, PinRec>;
  bookmarks: Map<string, BookmarkRec>;
  feed_shortcuts: Map<string, FeedShortcutRec>;
  feed_groups: Map<string, FeedGroupRec>;
  user_settings: Map<string, UserSettingRec>;
  resources: Map<string, ResourceRec>;
  access_tokens: Map<string, AccessTokenRec>;
  refresh_tokens: Map<string, RefreshTokenRec>;
  devices: Map<string, DeviceRec>;
  registrations: Map<string, RegistrationRec>;
  idempotency: Map<string, IdempotencyRec>;
  meta: Map<string, MetaRec>;
}

export type TableName = keyof Tables;
export type RecOf<T extends TableName> = Tables[T] extends Map<string, infer R> ? R : never;

export const TABLE_NAMES: TableName[] = [
  'apps',
  'users',
  'chats',
  'messages',
  'threads',
  'reactions',
  'pins',
  'bookmarks',
  'feed_shortcuts',
  'feed_groups',
  'user_settings',
  'resources',
  'access_tokens',
  'refresh_tokens',
  'devices',
  'registrations',
  'idempotency',
  'meta',
];

/** One change: a record written (`v` present) or removed. */
export interface Op {
  t: TableName;
  k: string;
  v?: unknown;
}

export function emptyTables(): Tables {
  const t = {} as Record<TableName, Map<string, unknown>>;
  for (const n of TABLE_NAMES) t[n] = new Map();
  return t as unknown as Tables;
}

/**
 * The tables plus the indexes derived from them. Handlers read the tables directly and write
 * only through `put` / `del`; `onChange` (the store) sees every write.
 */
export class Db {
  readonly t: Tables = emptyTables();
  /** chat_id -> message_ids in creation order (seq), thread replies included. */
  readonly messagesByChat = new Map<string, string[]>();
  /**
   * Every chat-history message record (merge_forward children aside), in seq order: what search
   * scans. Holds the current record of each message (a put replaces it in place).
   */
  readonly messagesBySeq: MessageRec[] = [];
  private seqPos = new Map<string, number>();
  /** thread_id -> message_ids in the thread (root first). */
  readonly messagesByThread = new Map<string, string[]>();
  /** message_id -> reaction_ids. */
  readonly reactionsByMessage = new Map<string, string[]>();
  /** The next value of the sequence counter (kept in meta, so it survives a restart). */
  private seqNext = 1;
  onChange: ((op: Op) => void) | undefined;

  nextSeq(): number {
    const s = this.seqNext++;
    this.put('meta', 'seq', { key: 'seq', value: this.seqNext });
    return s;
  }

  get<T extends TableName>(table: T, key: string): RecOf<T> | undefined {
    return (this.t[table] as Map<string, RecOf<T>>).get(key);
  }

  put<T extends TableName>(table: T, key: string, value: RecOf<T>): void {
    const m = this.t[table] as Map<string, RecOf<T>>;
    const had = m.has(key);
    m.set(key, value);
    this.index(table, key, value, had);
    this.onChange?.({ t: table, k: key, v: value });
  }

  del(table: TableName, key: string): void {
    const m = this.t[table] as Map<string, unknown>;
    const old = m.get(key);
    if (old === undefined) return;
    m.delete(key);
    this.unindex(table, key, old);
    this.onChange?.({ t: table, k: key });
  }

  /** Applies a logged change without logging it again (replay). */
  apply(op: Op): void {
    const saved = this.onChange;
    this.onChange = undefined;
    try {
      if (op.v === undefined) this.del(op.t, op.k);
      else this.put(op.t, op.k, op.v as never);
    } finally {
      this.onChange = saved;
    }
  }

  /** Replaces every table (load of a snapshot or a seed), rebuilding the indexes. */
  load(tables: Partial<Record<TableName, Record<string, unknown>>>): void {
    for (const n of TABLE_NAMES) this.t[n].clear();
    this.messagesByChat.clear();
    this.messagesBySeq.length = 0;
    this.seqPos.clear();
    this.messagesByThread.clear();
    this.reactionsByMessage.clear();
    for (const n of TABLE_NAMES) {
      const rows = tables[n];
      if (!rows) continue;
      const m = this.t[n] as Map<string, unknown>;
      for (const [k, v] of Object.entries(rows)) m.set(k, v);
    }
    this.reindex();
  }

  /** Every table as plain objects (snapshot, export). */
  dump(): Record<TableName, Record<string, unknown>> {
    const out = {} as Record<TableName, Record<string, unknown>>;
    for (const n of TABLE_NAMES) out[n] = Object.fromEntries(this.t[n] as Map<string, unknown>);
    return out;
  }

  reindex(): void {
    this.messagesByChat.clear();
    this.messagesBySeq.length = 0;
    this.seqPos.clear();
    this.messagesByThread.clear();
    this.reactionsByMessage.clear();
    const msgs = [...this.t.messages.values()].sort((a, b) => a.seq - b.seq);
    for (const m of msgs) this.indexMessage(m);
    const reactions = [...this.t.reactions.values()].sort((a, b) => a.seq - b.seq);
    for (const r of reactions) push(this.reactionsByMessage, r.message_id, r.reaction_id);
    const seq = this.t.meta.get('seq')?.value;
    let max = typeof seq === 'number' ? seq : 1;
    for (const n of TABLE_NAMES) {
      for (const v of (this.t[n] as Map<string, { seq?: unknown }>).values()) {
        if (typeof v.seq === 'number' && v.seq >= max) max = v.seq + 1;
      }
    }
    this.seqNext = max;
  }

  private indexMessage(m: MessageRec): void {
    if (m.upper_message_id) return; // merge_forward children are not in the chat's history
    push(this.messagesByChat, m.chat_id, m.message_id);
    this.seqPos.set(m.message_id, this.messagesBySeq.length);
    this.messagesBySeq.push(m);
    if (m.thread_id) push(this.messagesByThread, m.thread_id, m.message_id);
  }

  private index(table: TableName, key: string, value: unknown, had: boolean): void {
    if (table === 'messages') {
      const m = value as MessageRec;
      if (!had) {
        this.indexMessage(m);
        return;
      }
      const pos = this.seqPos.get(key);
      if (pos !== undefined) this.messagesBySeq[pos] = m;
      if (m.thread_id && !m.upper_message_id) {
        // a root message that just gained a thread
        const list = this.messagesByThread.get(m.thread_id);
        if (!list) this.messagesByThread.set(m.thread_id, [m.message_id]);
        else if (!list.includes(m.message_id)) {
          list.unshift(m.message_id);
        }
      }
    } else if (table === 'reactions' && !had) {
      const r = value as ReactionRec;
      push(this.reactionsByMessage, r.message_id, key);
    }
  }

  private unindex(table: TableName, key: string, old: unknown): void {
    if (table === 'messages') {
      const m = old as MessageRec;
      remove(this.messagesByChat, m.chat_id, key);
      const i = this.seqPos.get(key);
      if (i !== undefined) {
        this.messagesBySeq.splice(i, 1);
        this.seqPos.delete(key);
        for (let j = i; j < this.messagesBySeq.length; j++) this.seqPos.set(this.messagesBySeq[j]!.message_id, j);
      }
      if (m.thread_id) remove(this.messagesByThread, m.thread_id, key);
    } else if (table === 'reactions') {
      remove(this.reactionsByMessage, (old as ReactionRec).message_id, key);
    }
  }
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function remove(m: Map<string, string[]>, k: string, v: string): void {
  const l = m.get(k);
  if (!l) return;
  const i = l.indexOf(v);
  if (i >= 0) l.splice(i, 1);
}
