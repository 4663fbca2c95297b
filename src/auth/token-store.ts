/**
 * Stored user tokens (docs/auth.md): one encrypted record per app and user.
 */
import type { SecretStore } from '../core/secret-store.js';
import { userTokenAccount } from '../core/secret-store.js';

export interface StoredToken {
  userOpenId: string;
  appId: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  refreshExpiresAt: number;
  scope: string;
  grantedAt: number;
}

export type TokenStatus = 'valid' | 'needs_refresh' | 'expired';

export const REFRESH_AHEAD_MS = 5 * 60 * 1000;

export function tokenStatus(t: StoredToken, now = Date.now()): TokenStatus {
  if (now < t.expiresAt - REFRESH_AHEAD_MS) return 'valid';
  if (now < t.refreshExpiresAt) return 'needs_refresh';
  return 'expired';
}

/** Reads a record; any failure counts as "no token". */
export function readUserToken(store: SecretStore, appId: string, openId: string): StoredToken | undefined {
  try {
    const text = store.get(userTokenAccount(appId, openId));
    if (!text) return undefined;
    const t = JSON.parse(text) as StoredToken;
    if (!t || typeof t.accessToken !== 'string') return undefined;
    return t;
  } catch {
    return undefined;
  }
}

export function writeUserToken(store: SecretStore, t: StoredToken): void {
  const ordered = {
    userOpenId: t.userOpenId,
    appId: t.appId,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: t.expiresAt,
    refreshExpiresAt: t.refreshExpiresAt,
    scope: t.scope,
    grantedAt: t.grantedAt,
  };
  store.set(userTokenAccount(t.appId, t.userOpenId), JSON.stringify(ordered));
}

export function removeUserToken(store: SecretStore, appId: string, openId: string): void {
  store.remove(userTokenAccount(appId, openId));
}
