/**
 * Whether the bot and the user identity of an account are usable, each on its own: the local
 * state (secret, stored token and its expiry, strict mode) and, when asked to verify, the server's
 * word (a tenant token is fetched; the user token is refreshed if due and checked with
 * user_info). Shared by `doctor` and `whoami`.
 */
import type { Account, Context } from '../core/context.js';
import { readUserToken, tokenStatus } from './token-store.js';

export type DiagStatus = 'ready' | 'not_configured' | 'missing' | 'needs_refresh' | 'verify_failed' | 'error';

export interface IdentityDiag {
  status: DiagStatus;
  available: boolean;
  message: string;
  hint?: string;
  userName?: string;
  openId?: string;
}

const LOGIN_HINT = 'run: lark-cli auth login --help';
const CONFIG_HINT = 'run: lark-cli config --help';

const diag = (status: DiagStatus, message: string, hint?: string, extra: Partial<IdentityDiag> = {}): IdentityDiag => ({
  status,
  available: status === 'ready' || status === 'needs_refresh',
  message,
  ...(hint ? { hint } : {}),
  ...extra,
});

export async function diagnoseBot(ctx: Context, account: Account, verify: boolean): Promise<IdentityDiag> {
  if (account.strictMode === 'user') {
    return diag('not_configured', 'Bot identity: not configured (bot identity is not available in current credential context)', 'check strict mode');
  }
  let secret = '';
  try {
    secret = account.envTenantToken ? '' : account.appSecret();
  } catch (e) {
    return diag('error', `Bot identity: error (${(e as Error).message})`, CONFIG_HINT);
  }
  if (!account.envTenantToken && !secret) return diag('not_configured', 'Bot identity: not configured (missing app secret or bot token)', CONFIG_HINT);
  if (verify) {
    const { tenantAccessToken } = await import('./tenant-token.js');
    try {
      await tenantAccessToken(ctx, account);
    } catch (e) {
      return diag('verify_failed', `Bot identity: verify failed: ${(e as Error).message}`, 'check app credentials, network, or the tenant access token');
    }
  }
  return diag('ready', 'Bot identity: ready');
}

export async function diagnoseUser(ctx: Context, account: Account, verify: boolean): Promise<IdentityDiag> {
  if (account.strictMode === 'bot') {
    return diag('not_configured', 'User identity: not configured (user identity is not available in current credential context)', 'check strict mode');
  }
  if (account.envUserToken) return diag('ready', 'User identity: ready (user access token from the environment)');
  const user = account.source === 'config' ? account.user : undefined;
  if (!user) return diag('missing', 'User identity: missing (no user logged in)', LOGIN_HINT);
  const who = { userName: user.userName, openId: user.userOpenId };
  let token;
  try {
    token = readUserToken(ctx.store, account.appId, user.userOpenId);
  } catch (e) {
    return diag('error', `User identity: error (${(e as Error).message})`, undefined, who);
  }
  if (!token) return diag('missing', `User identity: missing (no token in keychain for ${user.userOpenId})`, LOGIN_HINT, who);
  const st = tokenStatus(token);
  if (st === 'expired') return diag('missing', 'User identity: missing (refresh token expired)', LOGIN_HINT, who);
  if (!verify) {
    return st === 'valid'
      ? diag('ready', 'User identity: ready', undefined, who)
      : diag('needs_refresh', 'User identity: needs refresh (will auto-refresh on next user API call)', undefined, who);
  }
  const failed = (reason: string) => diag('verify_failed', `User identity: verify failed: ${reason}`, LOGIN_HINT, who);
  const { userAccessToken } = await import('./user-token.js');
  let access: string;
  try {
    access = await userAccessToken(ctx, account);
  } catch (e) {
    return failed(`token unusable: ${(e as Error).message}`);
  }
  const { callUserInfo } = await import('./user-info.js');
  try {
    const ans = await callUserInfo(ctx, account, access);
    if (ans.code !== 0) return failed(`server rejected token: [${ans.code ?? ''}] ${ans.msg ?? ''}`);
  } catch (e) {
    return failed(`server rejected token: ${(e as Error).message}`);
  }
  return st === 'valid'
    ? diag('ready', 'User identity: ready', undefined, who)
    : diag('needs_refresh', 'User identity: needs refresh (server verification succeeded after refresh)', undefined, who);
}
