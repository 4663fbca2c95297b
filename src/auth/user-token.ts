/**
 * The user access token (docs/auth.md): from the environment, or the
 * stored record, refreshed ahead of expiry under a cross-process lock.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Account, Context } from '../core/context.js';
import { CliError, REAUTH_HINT } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { safeName } from '../core/paths.js';
import { encodePairs } from '../core/url.js';
import type { HttpResponse } from '../http/transport.js';
import { cliHeaders } from '../http/headers.js';
import { checkSecurityPolicy } from '../http/security-policy.js';
import { logAuthResponse } from './auth-log.js';
import { readUserToken, removeUserToken, tokenStatus, writeUserToken, type StoredToken } from './token-store.js';

export function needUserAuthorization(openId: string): CliError {
  return new CliError('auth', `need_user_authorization (user: ${openId})`, { hint: REAUTH_HINT });
}

const inProcess = new Map<string, Promise<string>>();

export async function userAccessToken(ctx: Context, account: Account): Promise<string> {
  if (account.source === 'env') {
    if (account.envUserToken) return account.envUserToken;
    throw new CliError('auth', 'no access token available for user');
  }
  const openId = account.user?.userOpenId ?? '';
  if (!openId) throw needUserAuthorization('');
  const t = readUserToken(ctx.store, account.appId, openId);
  if (!t) throw needUserAuthorization(openId);
  const status = tokenStatus(t);
  if (status === 'valid') return t.accessToken;
  if (status === 'expired') {
    removeUserToken(ctx.store, account.appId, openId);
    throw needUserAuthorization(openId);
  }
  const key = `${account.appId}:${openId}`;
  let p = inProcess.get(key);
  if (!p) {
    p = refreshUnderLock(ctx, account, openId).finally(() => inProcess.delete(key));
    inProcess.set(key, p);
  }
  return p;
}

async function refreshUnderLock(ctx: Context, account: Account, openId: string): Promise<string> {
  const lockDir = ctx.dirs.lockDir;
  // refresh_<app>_<user>.lock under <configDir>/locks (proper-lockfile locks it by a
  // sibling `.lock` directory; the file itself is never deleted)
  const lockPath = path.join(lockDir, `refresh_${safeName(account.appId)}_${safeName(openId)}.lock`);
  let release: () => Promise<void>;
  try {
    mkdirSync(lockDir, { recursive: true, mode: 0o700 });
    if (!existsSync(lockPath)) writeFileSync(lockPath, '', { mode: 0o600, flag: 'a' });
    // loaded here: it patches fs through graceful-fs, ~10 ms that only a refresh needs
    // (required: CommonJS, and the built CLI has no loader for import(); see scripts/bundle.mjs)
    const lockfile = createRequire(import.meta.url)('proper-lockfile') as typeof import('proper-lockfile');
    release = await lockfile.lock(lockPath, {
      realpath: false,
      stale: 30_000,
      retries: { retries: 60, minTimeout: 500, maxTimeout: 500, factor: 1 },
      // a lock lost while refreshing must not crash the process (the default handler throws)
      onCompromised: () => undefined,
    });
  } catch (e) {
    const msg = (e as { code?: string }).code === 'ELOCKED' ? 'timeout waiting for cross-process lock' : `failed to acquire cross-process lock: ${(e as Error).message}`;
    throw new CliError('auth', msg);
  }
  try {
    const t = readUserToken(ctx.store, account.appId, openId);
    if (!t) throw needUserAuthorization(openId);
    const status = tokenStatus(t);
    if (status === 'valid') {
      ctx.io.stderr.write('[lark-cli] uat-client: token already refreshed by another process\n');
      return t.accessToken;
    }
    if (status === 'expired') {
      ctx.io.stderr.write(`[lark-cli] uat-client: refresh_token expired for ${openId}, clearing\n`);
      removeUserToken(ctx.store, account.appId, openId);
      throw needUserAuthorization(openId);
    }
    return await refresh(ctx, account, t);
  } finally {
    await release().catch(() => undefined);
  }
}

interface RefreshAnswer {
  code?: number;
  error?: string;
  error_description?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  scope?: string;
}

/** One refresh request. Transport failures are `network` errors. */
async function postRefresh(ctx: Context, account: Account, t: StoredToken): Promise<HttpResponse> {
  const form = encodePairs([
    ['grant_type', 'refresh_token'],
    ['refresh_token', t.refreshToken],
    ['client_id', account.appId],
    ['client_secret', account.appSecret()],
  ]);
  const url = `${endpointsFor(account.brand).open}/open-apis/authen/v2/oauth/token`;
  let res: HttpResponse;
  try {
    const { send } = await import('../http/transport.js');
    res = await send(ctx.io, {
      method: 'POST',
      url,
      headers: { ...cliHeaders(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      safe: false,
      timeoutMs: 30_000,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new CliError('network', `token refresh read error: ${msg}`, { cause: e });
  }
  logAuthResponse(ctx.authLog, url, res.status, res.headers);
  checkSecurityPolicy(res);
  return res;
}

function parseRefresh(res: HttpResponse): RefreshAnswer {
  const v: unknown = JSON.parse(res.body.toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('response is not a JSON object');
  return v as RefreshAnswer;
}

/** `code` defaults to -1 when absent; a failure is another non-zero code or an `error`. */
function refreshFailed(a: RefreshAnswer): boolean {
  const code = typeof a.code === 'number' ? a.code : -1;
  return (code !== -1 && code !== 0) || (typeof a.error === 'string' && a.error !== '');
}

async function refresh(ctx: Context, account: Account, t: StoredToken): Promise<string> {
  const openId = t.userOpenId;
  const clear = (warning: string) => {
    ctx.io.stderr.write(warning);
    removeUserToken(ctx.store, account.appId, openId);
    return needUserAuthorization(openId);
  };
  // A network failure keeps the stored tokens: postRefresh throws `network`.
  let ans: RefreshAnswer;
  try {
    ans = parseRefresh(await postRefresh(ctx, account, t));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('auth', `token refresh parse error: ${(e as Error).message}`, { hint: REAUTH_HINT });
  }
  if (refreshFailed(ans)) {
    if (ans.code === 20050) {
      ctx.io.stderr.write(`[lark-cli] [WARN] uat-client: refresh transient error (code=20050) for ${openId}, retrying once\n`);
      try {
        ans = parseRefresh(await postRefresh(ctx, account, t));
      } catch (e) {
        // the network case keeps the record; an unreadable answer clears it
        if (e instanceof CliError) throw e;
        throw clear(`[lark-cli] [WARN] uat-client: refresh failed after retry (code=-1) for ${openId}, clearing token\n`);
      }
      if (refreshFailed(ans)) {
        throw clear(`[lark-cli] [WARN] uat-client: refresh failed after retry (code=${ans.code ?? -1}) for ${openId}, clearing token\n`);
      }
    } else {
      throw clear(`[lark-cli] [WARN] uat-client: refresh failed (code=${ans.code ?? -1}), clearing token for ${openId}\n`);
    }
  }
  if (!ans.access_token) throw new CliError('auth', 'Token refresh returned no access_token', { hint: REAUTH_HINT });
  const now = Date.now();
  const next: StoredToken = {
    ...t,
    accessToken: ans.access_token,
    refreshToken: ans.refresh_token || t.refreshToken,
    expiresAt: now + (typeof ans.expires_in === 'number' ? ans.expires_in : 7200) * 1000,
    refreshExpiresAt:
      typeof ans.refresh_token_expires_in === 'number' && ans.refresh_token_expires_in > 0
        ? now + ans.refresh_token_expires_in * 1000
        : t.refreshExpiresAt,
    scope: typeof ans.scope === 'string' ? ans.scope : t.scope,
  };
  writeUserToken(ctx.store, next);
  return next.accessToken;
}
