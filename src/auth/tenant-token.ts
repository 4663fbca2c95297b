/**
 * The tenant access token (bot identity): fetched with the app
 * secret and cached, encrypted, in the secret store until 5 minutes before it expires.
 */
import type { Account, Context } from '../core/context.js';
import { CliError, classifyLarkCode } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { nodeCrypto } from '../core/node-crypto.js';
import { tenantTokenAccount } from '../core/secret-store.js';
import { cliHeaders } from '../http/headers.js';

interface CachedTat {
  token: string;
  expiresAt: number;
  /** Which endpoint and secret issued it: a change of either invalidates the cache. */
  key: string;
}

const EARLY_MS = 5 * 60 * 1000;
const inProcess = new Map<string, Promise<string>>();

function cacheKey(account: Account, secret: string): string {
  // node:crypto on first use: a token from the environment needs none of it
  const text = `${endpointsFor(account.brand).open}\n${account.appId}\n${secret}`;
  return nodeCrypto().createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export async function tenantAccessToken(ctx: Context, account: Account): Promise<string> {
  if (account.envTenantToken) return account.envTenantToken;
  const secret = account.appSecret();
  if (!secret) throw new CliError('auth', 'no access token available for bot');
  const key = cacheKey(account, secret);
  const memo = inProcess.get(key);
  if (memo) return memo;
  const p = obtain(ctx, account, secret, key);
  inProcess.set(key, p);
  try {
    return await p;
  } catch (e) {
    inProcess.delete(key);
    throw e;
  }
}

async function obtain(ctx: Context, account: Account, secret: string, key: string): Promise<string> {
  const store = ctx.store;
  const slot = tenantTokenAccount(account.appId);
  try {
    const text = store.get(slot);
    if (text) {
      const c = JSON.parse(text) as CachedTat;
      if (c.key === key && typeof c.token === 'string' && Date.now() < c.expiresAt - EARLY_MS) return c.token;
    }
  } catch {
    /* an unreadable cache is a cache miss */
  }
  const url = `${endpointsFor(account.brand).open}/open-apis/auth/v3/tenant_access_token/internal`;
  // the transport (and undici) only when a token is actually requested
  const { send } = await import('../http/transport.js');
  const res = await send(ctx.io, {
    method: 'POST',
    url,
    headers: { ...cliHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ app_id: account.appId, app_secret: secret }),
    // obtaining a token has no side effect, so it is safe to repeat
    safe: true,
    timeoutMs: 30_000,
  });
  if (res.status !== 200) throw new CliError('auth', `TAT API returned HTTP ${res.status}`);
  let body: { code?: number; msg?: string; tenant_access_token?: string; expire?: number };
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch (e) {
    throw new CliError('auth', `failed to parse TAT response: ${(e as Error).message}`);
  }
  if (body.code !== 0 && body.code !== undefined) {
    const c = classifyLarkCode(body.code);
    const type = c.type === 'api_error' || c.type === 'permission' ? 'auth' : c.type;
    throw new CliError(type, `TAT API error: [${body.code}] ${body.msg ?? ''}`, { code: body.code, hint: c.hint });
  }
  const token = body.tenant_access_token;
  if (!token) throw new CliError('auth', 'TAT API error: response has no tenant_access_token');
  const expire = typeof body.expire === 'number' && body.expire > 0 ? body.expire : 7200;
  try {
    store.set(slot, JSON.stringify({ token, expiresAt: Date.now() + expire * 1000, key } satisfies CachedTat));
  } catch {
    /* caching is best effort */
  }
  return token;
}
