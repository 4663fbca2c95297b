/** The seed file's form (seed.ts validates and builds it; docs/emulator.md describes it). */

export interface SeedApp {
  app_id: string;
  app_secret: string;
  name?: string;
  scopes?: string[] | '*';
  bot_enabled?: boolean;
}
export interface SeedUser {
  open_id: string;
  name: string;
  en_name?: string;
  email?: string;
  user_id?: string;
  union_id?: string;
  /** Another tenant's user (an external contact). */
  tenant_key?: string;
}
export interface SeedChat {
  chat_id?: string;
  name?: string;
  description?: string;
  chat_mode?: 'group' | 'topic' | 'p2p';
  chat_type?: 'private' | 'public';
  owner?: string;
  members?: string[];
  bots?: string[];
  managers?: string[];
  /** p2p: the two parties (open_ids, or an open_id and an app_id). */
  parties?: string[];
}
export interface SeedMessage {
  message_id?: string;
  chat_id: string;
  sender: string;
  msg_type: string;
  content: string;
  parent_id?: string;
  reply_in_thread?: boolean;
  /** ms since the epoch; default: a minute apart, ending now. */
  create_time?: string | number;
}
export interface SeedResource {
  key: string;
  type: 'image' | 'file';
  file_name?: string;
  mime?: string;
  file_type?: string;
  /** The bytes, base64 … */
  content_base64?: string;
  /** … or as text. */
  text?: string;
  /** app_id of the uploader (default: the first app). */
  app_id?: string;
}
export interface SeedReaction {
  message_id: string;
  emoji_type: string;
  operator: string;
}
export interface SeedPin {
  message_id: string;
  operator: string;
}
export interface SeedFile {
  apps: SeedApp[];
  users: SeedUser[];
  login_as?: string;
  chats?: SeedChat[];
  messages?: SeedMessage[];
  resources?: SeedResource[];
  reactions?: SeedReaction[];
  pins?: SeedPin[];
  /** Shown in the start line and docs; ignored otherwise. */
  description?: string;
}

