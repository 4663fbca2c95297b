/** Issuing tokens: shared by the OAuth endpoints and by tests that need a user token at once. */
import { newId } from '../lark.js';
import type { AccessTokenRec, Db, RefreshTokenRec } from '../state.js';

/** Lark's user token lifetime (seconds) and refresh token lifetime. */
export const USER_TOKEN_TTL = 7200;
export const REFRESH_TOKEN_TTL = 30 * 86400;

export function issueUserToken(db: Db, appId: string, openId: string, scopes: string[], now: number): { access: AccessTokenRec; refresh: RefreshTokenRec } {
  const access: AccessTokenRec = { token: newId.userToken(), kind: 'user', app_id: appId, open_id: openId, scopes, expires_at: now + USER_TOKEN_TTL * 1000 };
  const refresh: RefreshTokenRec = { token: newId.refreshToken(), app_id: appId, open_id: openId, scopes, expires_at: now + REFRESH_TOKEN_TTL * 1000, used: false };
  db.put('access_tokens', access.token, access);
  db.put('refresh_tokens', refresh.token, refresh);
  return { access, refresh };
}
