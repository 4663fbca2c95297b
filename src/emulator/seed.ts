/**
 * Seeds: what the emulator starts from and resets to. `demo` (a small workspace), `empty` (one app
 * with every scope and one user), a seed file, or an export of `GET /_emulator/state`.
 *
 * The seed file's form (docs/emulator.md has the whole of it):
 *   {"apps":[{"app_id","app_secret","name","scopes":[…]|"*"}], "users":[{"open_id","name"}],
 *    "login_as":"ou_…", "chats":[{"chat_id","name","chat_mode":"group|topic|p2p","owner","members",
 *    "bots"}], "messages":[{"chat_id","sender","msg_type","content","parent_id"?}], …}
 * An unknown key or an id that points nowhere is an error that names its path.
 */
import { readFileSync } from 'node:fs';
import { newId } from './lark.js';
import { createMessage } from './model/messages.js';
import { Db, TABLE_NAMES, type ChatRec, type TableName } from './state.js';
import type { Snapshot } from './store.js';

export class SeedError extends Error {}

export type { SeedApp, SeedUser, SeedChat, SeedMessage, SeedResource, SeedReaction, SeedPin, SeedFile } from './seed-format.js';
import type { SeedApp, SeedFile, SeedUser } from './seed-format.js';

export interface BuiltSeed {
  tables: Partial<Record<TableName, Record<string, unknown>>>;
  blobs: Record<string, Buffer>;
}

export const TENANT_KEY = '736588c9260f175d';

const KEYS: Record<string, string[]> = {
  '': ['apps', 'users', 'login_as', 'chats', 'messages', 'resources', 'reactions', 'pins', 'description'],
  apps: ['app_id', 'app_secret', 'name', 'scopes', 'bot_enabled'],
  users: ['open_id', 'name', 'en_name', 'email', 'user_id', 'union_id', 'tenant_key'],
  chats: ['chat_id', 'name', 'description', 'chat_mode', 'chat_type', 'owner', 'members', 'bots', 'managers', 'parties'],
  messages: ['message_id', 'chat_id', 'sender', 'msg_type', 'content', 'parent_id', 'reply_in_thread', 'create_time'],
  resources: ['key', 'type', 'file_name', 'mime', 'file_type', 'content_base64', 'text', 'app_id'],
  reactions: ['message_id', 'emoji_type', 'operator'],
  pins: ['message_id', 'operator'],
};

function fail(path: string, msg: string): never {
  throw new SeedError(`seed${path}: ${msg}`);
}

function checkKeys(obj: unknown, kind: string, path: string): Record<string, unknown> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) fail(path, 'must be an object');
  for (const k of Object.keys(obj)) if (!KEYS[kind]!.includes(k)) fail(`${path}.${k}`, 'unknown key');
  return obj as Record<string, unknown>;
}

function str(o: Record<string, unknown>, k: string, path: string, required: boolean): string | undefined {
  const v = o[k];
  if (v === undefined) {
    if (required) fail(`${path}.${k}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || v === '') fail(`${path}.${k}`, 'must be a non-empty string');
  return v;
}

function strList(o: Record<string, unknown>, k: string, path: string): string[] {
  const v = o[k];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${path}.${k}`, 'must be an array of strings');
  return v as string[];
}

/** A default user_id: the open_id's last 8 characters, made unique within the seed. */
function uniqueUserId(db: Db, tail: string): string {
  const taken = new Set([...db.t.users.values()].map((u) => u.user_id));
  const base = tail.slice(-8);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
  return id;
}

/** Validates a seed and builds the tables it stands for. */
export function buildSeed(raw: unknown, now = Date.now()): BuiltSeed {
  const seed = checkKeys(raw, '', '');
  const db = new Db();
  const blobs: Record<string, Buffer> = {};
  const t = String(now);

  const apps = seed.apps;
  if (!Array.isArray(apps) || apps.length === 0) fail('.apps', 'must be a non-empty array');
  apps.forEach((a, i) => {
    const p = `.apps[${i}]`;
    const o = checkKeys(a, 'apps', p);
    const app_id = str(o, 'app_id', p, true)!;
    if (db.t.apps.has(app_id)) fail(`${p}.app_id`, `duplicate app "${app_id}"`);
    const scopes = o.scopes === undefined ? '*' : o.scopes;
    if (scopes !== '*' && (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))) fail(`${p}.scopes`, 'must be "*" or an array of scope strings');
    if (o.bot_enabled !== undefined && typeof o.bot_enabled !== 'boolean') fail(`${p}.bot_enabled`, 'must be a boolean');
    db.put('apps', app_id, {
      app_id,
      app_secret: str(o, 'app_secret', p, true)!,
      name: str(o, 'name', p, false) ?? app_id,
      scopes: scopes as string[] | '*',
      bot_enabled: (o.bot_enabled as boolean | undefined) ?? true,
      tenant_key: TENANT_KEY,
      create_time: t,
    });
  });

  const users = seed.users;
  if (!Array.isArray(users)) fail('.users', 'must be an array');
  users.forEach((u, i) => {
    const p = `.users[${i}]`;
    const o = checkKeys(u, 'users', p);
    const open_id = str(o, 'open_id', p, true)!;
    if (!open_id.startsWith('ou_')) fail(`${p}.open_id`, 'must start with ou_');
    if (db.t.users.has(open_id)) fail(`${p}.open_id`, `duplicate user "${open_id}"`);
    const name = str(o, 'name', p, true)!;
    const tail = open_id.slice(3);
    db.put('users', open_id, {
      open_id,
      union_id: str(o, 'union_id', p, false) ?? `on_${tail}`,
      user_id: str(o, 'user_id', p, false) ?? uniqueUserId(db, tail),
      name,
      en_name: str(o, 'en_name', p, false) ?? name,
      email: str(o, 'email', p, false) ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`,
      tenant_key: str(o, 'tenant_key', p, false) ?? TENANT_KEY,
    });
  });
  const isUser = (id: string) => db.t.users.has(id);
  const isApp = (id: string) => db.t.apps.has(id);

  if (seed.login_as !== undefined) {
    if (typeof seed.login_as !== 'string' || !isUser(seed.login_as)) fail('.login_as', `unknown user "${String(seed.login_as)}"`);
    db.put('meta', 'login_as', { key: 'login_as', value: seed.login_as });
  } else if (users.length > 0) {
    db.put('meta', 'login_as', { key: 'login_as', value: (users[0] as SeedUser).open_id });
  }

  const chats = seed.chats ?? [];
  if (!Array.isArray(chats)) fail('.chats', 'must be an array');
  chats.forEach((c, i) => {
    const p = `.chats[${i}]`;
    const o = checkKeys(c, 'chats', p);
    const mode = (o.chat_mode ?? 'group') as string;
    if (!['group', 'topic', 'p2p'].includes(mode)) fail(`${p}.chat_mode`, 'must be group, topic or p2p');
    const chat_id = str(o, 'chat_id', p, false) ?? newId.chat();
    if (!chat_id.startsWith('oc_')) fail(`${p}.chat_id`, 'must start with oc_');
    if (db.t.chats.has(chat_id)) fail(`${p}.chat_id`, `duplicate chat "${chat_id}"`);
    const members = strList(o, 'members', p);
    members.forEach((m, j) => isUser(m) || fail(`${p}.members[${j}]`, `unknown user "${m}"`));
    const bots = strList(o, 'bots', p);
    bots.forEach((b, j) => isApp(b) || fail(`${p}.bots[${j}]`, `unknown app "${b}"`));
    const managers = strList(o, 'managers', p);
    managers.forEach((m, j) => members.includes(m) || fail(`${p}.managers[${j}]`, `"${m}" is not a member of the chat`));
    let parties: string[] | undefined;
    if (mode === 'p2p') {
      parties = strList(o, 'parties', p);
      if (parties.length !== 2) fail(`${p}.parties`, 'a p2p chat needs exactly two parties');
      parties.forEach((x, j) => isUser(x) || isApp(x) || fail(`${p}.parties[${j}]`, `unknown user or app "${x}"`));
    }
    const owner = str(o, 'owner', p, false) ?? (mode === 'p2p' ? parties![0]! : members[0] ?? bots[0]);
    if (!owner) fail(`${p}.owner`, 'is required when the chat has no members');
    if (mode !== 'p2p' && !members.includes(owner) && !bots.includes(owner)) fail(`${p}.owner`, `"${owner}" is not a member of the chat`);
    const rec: ChatRec = {
      chat_id,
      name: str(o, 'name', p, false) ?? '',
      description: str(o, 'description', p, false) ?? '',
      chat_mode: mode as ChatRec['chat_mode'],
      chat_type: (o.chat_type as string | undefined) ?? 'private',
      owner_id: owner,
      owner_id_type: isApp(owner) ? 'app_id' : 'open_id',
      members: mode === 'p2p' ? parties!.filter(isUser) : members,
      bots: mode === 'p2p' ? parties!.filter(isApp) : bots,
      managers,
      bot_managers: [],
      create_time: t,
      update_time: t,
      tenant_key: TENANT_KEY,
      external: false,
      props: {},
      moderation_setting: 'all_members',
      moderators: [],
    };
    if (parties) rec.p2p_parties = parties;
    db.put('chats', chat_id, rec);
  });

  const resources = seed.resources ?? [];
  if (!Array.isArray(resources)) fail('.resources', 'must be an array');
  resources.forEach((r, i) => {
    const p = `.resources[${i}]`;
    const o = checkKeys(r, 'resources', p);
    const key = str(o, 'key', p, true)!;
    const type = o.type;
    if (type !== 'image' && type !== 'file') fail(`${p}.type`, 'must be image or file');
    let data: Buffer;
    if (typeof o.content_base64 === 'string') data = Buffer.from(o.content_base64, 'base64');
    else if (typeof o.text === 'string') data = Buffer.from(o.text, 'utf8');
    else fail(p, 'needs content_base64 or text');
    const app_id = str(o, 'app_id', p, false) ?? (apps[0] as SeedApp).app_id;
    if (!isApp(app_id)) fail(`${p}.app_id`, `unknown app "${app_id}"`);
    const file_name = str(o, 'file_name', p, false) ?? (type === 'image' ? `${key}.png` : key);
    db.put('resources', key, {
      key,
      type,
      file_type: str(o, 'file_type', p, false) ?? (type === 'image' ? 'image' : 'stream'),
      file_name,
      mime: str(o, 'mime', p, false) ?? (type === 'image' ? 'image/png' : 'application/octet-stream'),
      size: data.length,
      app_id,
      create_time: t,
    });
    blobs[key] = data;
  });

  const messages = seed.messages ?? [];
  if (!Array.isArray(messages)) fail('.messages', 'must be an array');
  messages.forEach((m, i) => {
    const p = `.messages[${i}]`;
    const o = checkKeys(m, 'messages', p);
    const chat = db.t.chats.get(str(o, 'chat_id', p, true)!);
    if (!chat) fail(`${p}.chat_id`, `unknown chat "${String(o.chat_id)}"`);
    const sender = str(o, 'sender', p, true)!;
    if (!isUser(sender) && !isApp(sender)) fail(`${p}.sender`, `unknown user or app "${sender}"`);
    const inChat = chat.chat_mode === 'p2p' ? chat.p2p_parties!.includes(sender) : chat.members.includes(sender) || chat.bots.includes(sender);
    if (!inChat) fail(`${p}.sender`, `"${sender}" is not in chat ${chat.chat_id}`);
    const content = str(o, 'content', p, true)!;
    try {
      JSON.parse(content);
    } catch {
      fail(`${p}.content`, 'must be a JSON string (Lark content)');
    }
    const id = str(o, 'message_id', p, false);
    if (id !== undefined && (!id.startsWith('om_') || db.t.messages.has(id))) fail(`${p}.message_id`, id.startsWith('om_') ? `duplicate message "${id}"` : 'must start with om_');
    const parentId = str(o, 'parent_id', p, false);
    const parent = parentId ? db.t.messages.get(parentId) : undefined;
    if (parentId && !parent) fail(`${p}.parent_id`, `unknown message "${parentId}" (a parent must come before its replies)`);
    if (parent && parent.chat_id !== chat.chat_id) fail(`${p}.parent_id`, `message "${parentId}" is in another chat`);
    const ct = o.create_time === undefined ? now - (messages.length - i) * 60_000 : Number(o.create_time);
    if (!Number.isFinite(ct)) fail(`${p}.create_time`, 'must be ms since the epoch');
    createMessage(db, { chat, senderId: sender, msg_type: str(o, 'msg_type', p, true)!, content, parent, replyInThread: o.reply_in_thread === true, now: ct, messageId: id });
  });

  const reactions = seed.reactions ?? [];
  if (!Array.isArray(reactions)) fail('.reactions', 'must be an array');
  reactions.forEach((r, i) => {
    const p = `.reactions[${i}]`;
    const o = checkKeys(r, 'reactions', p);
    const mid = str(o, 'message_id', p, true)!;
    if (!db.t.messages.has(mid)) fail(`${p}.message_id`, `unknown message "${mid}"`);
    const op = str(o, 'operator', p, true)!;
    if (!isUser(op) && !isApp(op)) fail(`${p}.operator`, `unknown user or app "${op}"`);
    const reaction_id = newId.reaction();
    db.put('reactions', reaction_id, { reaction_id, message_id: mid, emoji_type: str(o, 'emoji_type', p, true)!, operator_id: op, operator_type: isApp(op) ? 'app' : 'user', action_time: t, seq: db.nextSeq() });
  });

  const pins = seed.pins ?? [];
  if (!Array.isArray(pins)) fail('.pins', 'must be an array');
  pins.forEach((r, i) => {
    const p = `.pins[${i}]`;
    const o = checkKeys(r, 'pins', p);
    const mid = str(o, 'message_id', p, true)!;
    const msg = db.t.messages.get(mid);
    if (!msg) fail(`${p}.message_id`, `unknown message "${mid}"`);
    const op = str(o, 'operator', p, true)!;
    if (!isUser(op) && !isApp(op)) fail(`${p}.operator`, `unknown user or app "${op}"`);
    db.put('pins', mid, { message_id: mid, chat_id: msg.chat_id, operator_id: op, operator_id_type: isApp(op) ? 'app_id' : 'open_id', create_time: t, seq: db.nextSeq() });
  });

  return { tables: db.dump(), blobs };
}

/** An export of GET /_emulator/state, used as a seed as it is. */
export function fromExport(raw: Snapshot): BuiltSeed {
  if (raw.version !== 1 || !raw.tables || typeof raw.tables !== 'object') throw new SeedError('seed: not a lark-emulator-state export of version 1');
  for (const k of Object.keys(raw.tables)) if (!TABLE_NAMES.includes(k as TableName)) throw new SeedError(`seed.tables.${k}: unknown table`);
  const blobs: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(raw.blobs ?? {})) blobs[k] = Buffer.from(v, 'base64');
  return { tables: raw.tables, blobs };
}

/** `--seed demo|empty|FILE.json`. */
export async function loadSeed(name: string): Promise<{ seed: BuiltSeed; source: unknown }> {
  if (name === 'demo') {
    const { demoSeed } = await import('./seeds/demo.js');
    const s = demoSeed();
    return { seed: buildSeed(s), source: s };
  }
  if (name === 'empty') {
    const s = emptySeed();
    return { seed: buildSeed(s), source: s };
  }
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (e) {
    throw new SeedError(`cannot read seed file ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SeedError(`seed file ${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (raw && typeof raw === 'object' && (raw as { format?: unknown }).format === 'lark-emulator-state') return { seed: fromExport(raw as Snapshot), source: raw };
  return { seed: buildSeed(raw), source: raw };
}

export function emptySeed(): SeedFile {
  return {
    apps: [{ app_id: 'cli_emulator0000001', app_secret: 'emulator-secret', name: 'Emulator App', scopes: '*' }],
    users: [{ open_id: 'ou_emulator0000000000000000000001', name: 'Emulator User' }],
    login_as: 'ou_emulator0000000000000000000001',
  };
}
