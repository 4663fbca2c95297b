/**
 * Issuing user tokens: shared by the OAuth endpoints (routes/oauth.ts) and by tests that need a
 * user token at once. Lifetimes are Lark's (authen/v2/oauth/token): the access token lives two
 * hours, the refresh token seven days; both run on the emulator's clock.
 */
import { newId } from '../lark.js';
import type { AccessTokenRec, Db, RefreshTokenRec } from '../state.js';

/** Lark's user token lifetime (seconds) and refresh token lifetime. */
export const USER_TOKEN_TTL = 7200;
export const REFRESH_TOKEN_TTL = 7 * 86400;

/** An access token and a refresh token for the user (the test helpers' shortcut past the device flow). */
export function issueUserToken(db: Db, appId: string, openId: string, scopes: string[], now: number): { access: AccessTokenRec; refresh: RefreshTokenRec } {
  const g = issueGrant(db, appId, openId, scopes, now, true);
  return { access: g.access, refresh: g.refresh! };
}

/**
 * A token answer of the OAuth token endpoint: the access token, and a refresh token when the grant
 * carries `offline_access` (Lark returns refresh_token only then).
 */
export function issueGrant(db: Db, appId: string, openId: string, scopes: string[], now: number, withRefresh: boolean): { access: AccessTokenRec; refresh?: RefreshTokenRec } {
  const access: AccessTokenRec = { token: newId.userToken(), kind: 'user', app_id: appId, open_id: openId, scopes, expires_at: now + USER_TOKEN_TTL * 1000 };
  db.put('access_tokens', access.token, access);
  if (!withRefresh) return { access };
  const refresh: RefreshTokenRec = { token: newId.refreshToken(), app_id: appId, open_id: openId, scopes, expires_at: now + REFRESH_TOKEN_TTL * 1000, used: false };
  db.put('refresh_tokens', refresh.token, refresh);
  return { access, refresh };
}

/** Lark's token answer (`/open-apis/authen/v2/oauth/token`) for a grant. */
export function tokenAnswer(g: { access: AccessTokenRec; refresh?: RefreshTokenRec }, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: 0,
    access_token: g.access.token,
    expires_in: Math.max(0, Math.floor((g.access.expires_at - now) / 1000)),
  };
  if (g.refresh) {
    out.refresh_token = g.refresh.token;
    out.refresh_token_expires_in = Math.max(0, Math.floor((g.refresh.expires_at - now) / 1000));
  }
  out.token_type = 'Bearer';
  out.scope = (g.access.scopes ?? []).join(' ');
  return out;
}
