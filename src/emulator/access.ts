/**
 * Who is calling and what they may do: the bearer token resolved to an app (and a user), the
 * endpoint's identity rule, its scopes, and the membership and ownership rules IM endpoints share.
 * Every refusal is a LarkError with Lark's code and text, and a `verdict` for the journal.
 */
import type { Emulator } from './emulator.js';
import { LarkError } from './lark.js';
import type { AccessTokenRec, AppRec, ChatRec, UserRec } from './state.js';

export type Identity = 'bot' | 'user';

export interface Caller {
  identity: Identity;
  app: AppRec;
  /** The user, for a user token. */
  user?: UserRec;
  token: AccessTokenRec;
  /** open_id for a user, app_id for a bot. */
  actorId: string;
  actorIdType: 'open_id' | 'app_id';
}

/** Which tokens an endpoint takes. */
export type AuthRule = 'tenant' | 'user' | 'any' | 'none';

/** Resolves `Authorization: Bearer …`; null when the endpoint takes no token. */
export function resolveCaller(emu: Emulator, header: string | undefined, rule: AuthRule): Caller | null {
  if (rule === 'none') return null;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!header || !header.trim()) {
    throw new LarkError(99991661, 'Missing access token for authorization. Please make a request with token attached.', 400, undefined, 'no Authorization header');
  }
  if (!m) {
    throw new LarkError(99991671, 'Invalid access token for authorization. Please make a request with token attached with format Bearer token.', 400, undefined, 'Authorization is not "Bearer <token>"');
  }
  const tok = emu.db.get('access_tokens', m[1]!);
  if (!tok) throw new LarkError(99991663, 'Invalid access token for authorization. Please make a request with token attached.', 400, undefined, 'unknown access token');
  if (tok.expires_at <= emu.clock.now()) {
    if (tok.kind === 'user') throw new LarkError(99991677, 'Authentication token expired.', 400, undefined, 'user access token expired on the emulator clock');
    throw new LarkError(99991663, 'Invalid access token for authorization. Please make a request with token attached.', 400, undefined, 'tenant access token expired on the emulator clock');
  }
  const app = emu.db.get('apps', tok.app_id);
  if (!app) throw new LarkError(99991663, 'Invalid access token for authorization. Please make a request with token attached.', 400, undefined, 'the token\'s app no longer exists');
  if (rule === 'tenant' && tok.kind !== 'tenant') {
    throw new LarkError(99991668, 'Invalid access token type. This API only supports tenant_access_token.', 400, undefined, 'bot-only endpoint called with a user token');
  }
  if (rule === 'user' && tok.kind !== 'user') {
    throw new LarkError(99991668, 'Invalid access token type. This API only supports user_access_token.', 400, undefined, 'user-only endpoint called with a tenant token');
  }
  if (tok.kind === 'user') {
    const user = tok.open_id ? emu.db.get('users', tok.open_id) : undefined;
    if (!user) throw new LarkError(99991663, 'Invalid access token for authorization. Please make a request with token attached.', 400, undefined, 'the token\'s user no longer exists');
    return { identity: 'user', app, user, token: tok, actorId: user.open_id, actorIdType: 'open_id' };
  }
  return { identity: 'bot', app, token: tok, actorId: app.app_id, actorIdType: 'app_id' };
}

export function appHasScope(app: AppRec, scope: string): boolean {
  return app.scopes === '*' || app.scopes.includes(scope);
}

/**
 * The endpoint's scopes (any one suffices): the app must have been granted one (99991672), and a
 * user token must carry one (99991679), each with Lark's `permission_violations`.
 */
export function checkScopes(caller: Caller, scopes: string[] | undefined): void {
  if (!scopes || scopes.length === 0) return;
  const list = scopes.join(', ');
  const violations = scopes.map((s) => ({ type: 'action_scope_required', subject: s, description: s }));
  if (!scopes.some((s) => appHasScope(caller.app, s))) {
    throw new LarkError(
      99991672,
      `Access denied. One of the following scopes is required: [${list}].应用尚未开通所需的应用身份权限：[${list}]，点击链接申请并开通任一权限即可：https://open.feishu.cn/app/${caller.app.app_id}/auth?q=${encodeURIComponent(scopes.join(','))}&op_from=openapi&token_type=${caller.identity === 'user' ? 'user' : 'tenant'}`,
      400,
      { permission_violations: violations },
      `app ${caller.app.app_id} has none of the scopes [${list}]`,
    );
  }
  if (caller.identity === 'user') {
    const granted = caller.token.scopes ?? [];
    if (!scopes.some((s) => granted.includes(s))) {
      throw new LarkError(
        99991679,
        `Unauthorized. You do not have permission to perform the requested operation on the resource. Please request user re-authorization and try again. required one of these privileges: [${list}]`,
        400,
        { permission_violations: violations },
        `the user token carries none of the scopes [${list}]`,
      );
    }
  }
}

// ---- chats: existence, membership, roles ----

/** Whether the caller (user or bot) is in the chat. */
export function isInChat(chat: ChatRec, caller: Caller): boolean {
  if (chat.chat_mode === 'p2p') return (chat.p2p_parties ?? []).includes(caller.actorId);
  return caller.identity === 'bot' ? chat.bots.includes(caller.app.app_id) : chat.members.includes(caller.actorId);
}

export function isOwner(chat: ChatRec, caller: Caller): boolean {
  return chat.owner_id === caller.actorId;
}

export function isManager(chat: ChatRec, caller: Caller): boolean {
  if (isOwner(chat, caller)) return true;
  return caller.identity === 'bot' ? chat.bot_managers.includes(caller.app.app_id) : chat.managers.includes(caller.actorId);
}

/** The chat, or Lark's "chat not found" (232006 on chat endpoints; another code where an endpoint has its own). */
export function chatOr404(emu: Emulator, chatId: string | undefined, code = 232006): ChatRec {
  const chat = chatId ? emu.db.get('chats', chatId) : undefined;
  if (!chat || chat.deleted) {
    if (code === 232006) throw new LarkError(232006, 'Your request specifies a chat_id which is invalid.', 400, undefined, `chat ${chatId ?? ''} does not exist`);
    throw new LarkError(code, 'Chat not found or has been disbanded.', 400, undefined, `chat ${chatId ?? ''} does not exist`);
  }
  return chat;
}

/** 230002 for message endpoints: the bot or user must be in the chat. */
export function requireInChatForMessages(chat: ChatRec, caller: Caller): void {
  if (!isInChat(chat, caller)) {
    throw new LarkError(230002, 'Bot/User can NOT be out of the chat.', 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`);
  }
}

/** 232011 for chat endpoints: the operator must be in the chat. */
export function requireInChat(chat: ChatRec, caller: Caller): void {
  if (!isInChat(chat, caller)) {
    throw new LarkError(232011, 'Operator can NOT be out of the chat.', 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`);
  }
}

/** 232016 (owner or manager only) for chat settings and management. */
export function requireManager(chat: ChatRec, caller: Caller): void {
  if (!isManager(chat, caller)) {
    throw new LarkError(232016, 'No permission to operate: the operator must be the chat owner or a chat manager.', 400, undefined, `${caller.identity} ${caller.actorId} is neither owner nor manager of ${chat.chat_id}`);
  }
}

/** 232014 (owner only). */
export function requireOwner(chat: ChatRec, caller: Caller): void {
  if (!isOwner(chat, caller)) {
    throw new LarkError(232014, 'The operator is not the chat owner.', 400, undefined, `${caller.identity} ${caller.actorId} is not the owner of ${chat.chat_id}`);
  }
}
