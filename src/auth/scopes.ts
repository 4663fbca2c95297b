/**
 * Scope checks: the local pre-check before a call (docs/auth.md) and the console-link shape
 * of server-side permission errors.
 */
import type { Identity } from '../core/config.js';
import type { Context } from '../core/context.js';
import { CliError, loginHint } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { isPlainObject } from '../core/json.js';
import { goQueryEscape } from '../core/url.js';
import { readUserToken, tokenStatus } from './token-store.js';

/** Scope priority scores. */
export const SCOPE_SCORES: Record<string, number> = {
  'im:chat': 57, 'im:chat:read': 68, 'im:chat:readonly': 1, 'im:chat:create': 84, 'im:chat:create_by_user': 63,
  'im:chat:update': 79, 'im:chat:delete': 77, 'im:chat:operate_as_owner': 70, 'im:chat:moderation:write_only': 75,
  'im:chat.members:read': 74, 'im:chat.members:write_only': 66, 'im:chat.members:bot_access': 73,
  'im:chat.managers:write_only': 71, 'im:chat.moderation:read': 88, 'im:message': 57, 'im:message:readonly': 70,
  'im:message:recall': 72, 'im:message:update': 79, 'im:message:send_as_bot': 1, 'im:message.send_as_user': 63,
  'im:message.group_msg': 64, 'im:message.group_at_msg:readonly': 79, 'im:message.group_msg:get_as_user': 75,
  'im:message.p2p_msg:get_as_user': 75, 'im:message.p2p_msg:readonly': 76, 'im:message.pins:read': 93,
  'im:message.pins:write_only': 73, 'im:message.reactions:read': 84, 'im:message.reactions:write_only': 73,
  'im:message.urgent': 71, 'im:message.urgent:phone': 63, 'im:message.urgent:sms': 63, 'im:resource': 66,
  'contact:user.base:readonly': 75, offline_access: 82,
};

/**
 * Auto-approve ("recommend") scopes: the table's recommend flags plus the
 * allow-list, minus the deny-list (which holds `im:chat` and `im:message.send_as_user`).
 */
export const AUTO_APPROVE_SCOPES: ReadonlySet<string> = new Set([
  'im:chat:read', 'im:chat:readonly', 'im:chat:create', 'im:chat:update', 'im:chat:delete', 'im:chat:operate_as_owner',
  'im:chat:moderation:write_only', 'im:chat.members:read', 'im:chat.members:write_only', 'im:chat.members:bot_access',
  'im:chat.managers:write_only', 'im:chat.moderation:read', 'im:message', 'im:message:readonly', 'im:message:update',
  'im:message:send_as_bot', 'im:message.group_msg', 'im:message.group_at_msg:readonly', 'im:message.group_msg:get_as_user',
  'im:message.p2p_msg:get_as_user', 'im:message.p2p_msg:readonly', 'im:message.pins:read', 'im:message.pins:write_only',
  'im:message.reactions:read', 'im:message.reactions:write_only', 'im:message.urgent', 'im:resource',
  'contact:user.base:readonly', 'offline_access',
]);

/** Keeps the auto-approve scopes, in their order (`auth login --recommend`). */
export function filterAutoApprove(scopes: string[]): string[] {
  return scopes.filter((s) => AUTO_APPROVE_SCOPES.has(s));
}

/** The highest-scoring scope; unknown scopes are skipped, the first one is the fallback. */
export function recommendScope(scopes: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -Infinity;
  for (const s of scopes) {
    const score = SCOPE_SCORES[s];
    if (score !== undefined && score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best ?? scopes[0];
}

/** Granted scopes of the stored user token, or undefined when the check is to be skipped. */
export function grantedUserScopes(ctx: Context, identity: Identity): Set<string> | undefined {
  if (identity !== 'user') return undefined;
  const { account } = ctx.tryAccount();
  if (!account || account.source !== 'config' || !account.user) return undefined;
  const t = readUserToken(ctx.store, account.appId, account.user.userOpenId);
  if (!t || tokenStatus(t) === 'expired' || !t.scope) return undefined;
  return new Set(t.scope.split(/\s+/).filter(Boolean));
}

/** Shortcut pre-check: every declared scope must be granted. */
export function precheckAllScopes(ctx: Context, identity: Identity, required: string[]): void {
  if (required.length === 0) return;
  const granted = grantedUserScopes(ctx, identity);
  if (!granted) return;
  const missing = required.filter((s) => !granted.has(s));
  if (missing.length) {
    throw new CliError('missing_scope', `missing required scope(s): ${missing.join(', ')}`, {
      hint: loginHint(missing.join(' ')),
    });
  }
}

/** Generic-method pre-check: any accepted scope suffices. */
export function precheckAnyScope(ctx: Context, identity: Identity, accepted: string[], recommended: string): void {
  if (accepted.length === 0) return;
  const granted = grantedUserScopes(ctx, identity);
  if (!granted) return;
  if (accepted.some((s) => granted.has(s))) return;
  throw new CliError('missing_scope', `insufficient permissions (required scope: ${recommended})`, {
    hint: loginHint(recommended),
  });
}

const CONSOLE_HINT = 'enable the scope in developer console (see console_url)';

/** A permission error that lists `permission_violations` gets a console link. */
export function enrichPermissionError(err: CliError, ctx: Context, identity: Identity | undefined): CliError {
  if (err.type !== 'permission' || err.raw || !isPlainObject(err.detail)) return err;
  const violations = (err.detail as Record<string, unknown>).permission_violations;
  if (!Array.isArray(violations)) return err;
  const scopes = violations
    .map((v) => (isPlainObject(v) && typeof v.subject === 'string' ? v.subject : ''))
    .filter(Boolean);
  if (scopes.length === 0) return err;
  const { account } = ctx.tryAccount();
  if (!account) return err;
  const rec = recommendScope(scopes)!;
  const host = endpointsFor(account.brand).consoleHost;
  err.consoleUrl = `https://${host}/page/scope-apply?clientID=${goQueryEscape(account.appId)}&scopes=${goQueryEscape(rec)}`;
  err.detail = undefined;
  const code = err.code ?? 0;
  if (code === 99991679 || code === 230027) {
    err.message = `User not authorized: required scope ${rec} [${code}]`;
    err.hint = identity === 'user' ? loginHint(rec) : CONSOLE_HINT;
  } else if (code === 99991672) {
    err.message = `App scope not enabled: required scope ${rec} [${code}]`;
    err.hint = CONSOLE_HINT;
  } else {
    err.message = `Permission denied: required scope ${rec} [${code}]`;
    err.hint =
      identity === 'user'
        ? `enable scope in console (see console_url), or run \`lark-cli auth login --scope "${rec}"\` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.`
        : CONSOLE_HINT;
  }
  return err;
}
