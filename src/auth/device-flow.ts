/**
 * The OAuth device flow of `auth login` (docs/auth.md): the device authorization request and the
 * token polling loop.
 */
import type { Account, Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { send, type HttpResponse } from '../http/transport.js';
import { cliHeaders } from '../http/headers.js';
import { encodePairs } from '../core/url.js';
import { sleep } from '../core/sleep.js';
import { logAuthResponse } from './auth-log.js';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds between polls; 0 is honoured. */
  interval: number;
}

export interface DeviceToken {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
  scope: string;
}

export type PollResult =
  | { ok: true; token: DeviceToken }
  | { ok: false; error: 'cancelled' | 'access_denied' | 'expired_token' | 'unexpected' | 'timeout'; message: string };

export const MAX_POLL_ATTEMPTS = 200;
const MAX_INTERVAL = 60;
const REQUEST_TIMEOUT_MS = 30_000;

const str = (o: Record<string, unknown>, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
const int = (o: Record<string, unknown>, k: string, fallback: number): number =>
  typeof o[k] === 'number' && Number.isFinite(o[k]) ? Math.trunc(o[k] as number) : fallback;

function parseObject(res: HttpResponse): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(res.body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The scope string sent to the server: `offline_access` is added unless already present. */
export function withOfflineAccess(scope: string): string {
  if (scope.includes('offline_access')) return scope;
  return scope ? `${scope} offline_access` : 'offline_access';
}

/** `POST <accounts>/oauth/v1/device_authorization` with HTTP Basic client authentication. */
export async function requestDeviceAuthorization(ctx: Context, account: Account, scope: string): Promise<DeviceAuthorization> {
  const url = `${endpointsFor(account.brand).accounts}/oauth/v1/device_authorization`;
  const basic = Buffer.from(`${account.appId}:${account.appSecret()}`).toString('base64');
  let res: HttpResponse;
  try {
    res = await send(ctx.io, {
      method: 'POST',
      url,
      headers: { ...cliHeaders(), 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: encodePairs([
        ['client_id', account.appId],
        ['scope', withOfflineAccess(scope)],
      ]),
      safe: false,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('network', String(e));
    throw new CliError(err.type, `device authorization failed: ${err.message}`, { cause: e });
  }
  logAuthResponse(ctx.authLog, url, res.status, res.headers);
  const data = parseObject(res);
  if (!data) {
    throw new CliError('auth', `device authorization failed: Device authorization failed: HTTP ${res.status} – response not JSON`);
  }
  if (res.status >= 400 || 'error' in data) {
    const why = str(data, 'error_description') || str(data, 'error') || 'Unknown error';
    throw new CliError('auth', `device authorization failed: Device authorization failed: ${why}`);
  }
  const verificationUri = str(data, 'verification_uri');
  return {
    deviceCode: str(data, 'device_code'),
    userCode: str(data, 'user_code'),
    verificationUri,
    verificationUriComplete: str(data, 'verification_uri_complete') || verificationUri,
    expiresIn: int(data, 'expires_in', 240),
    interval: Math.max(0, int(data, 'interval', 5)),
  };
}

/**
 * Polls `POST <open>/open-apis/authen/v2/oauth/token` until the user has decided, the code
 * expires, or 200 attempts were made. Sleeps `interval` seconds before every attempt.
 */
export async function pollDeviceToken(
  ctx: Context,
  account: Account,
  deviceCode: string,
  interval: number,
  expiresIn: number,
  signal?: AbortSignal,
): Promise<PollResult> {
  const url = `${endpointsFor(account.brand).open}/open-apis/authen/v2/oauth/token`;
  const warn = (s: string) => ctx.io.stderr.write(`${s}\n`);
  const deadline = Date.now() + expiresIn * 1000;
  let current = interval;
  let attempts = 0;
  const cancelled: PollResult = { ok: false, error: 'cancelled', message: 'Polling was cancelled' };
  while (Date.now() < deadline && attempts < MAX_POLL_ATTEMPTS) {
    attempts++;
    if (!(await sleep(current * 1000, signal))) return cancelled;
    let res: HttpResponse;
    try {
      res = await send(ctx.io, {
        method: 'POST',
        url,
        headers: { ...cliHeaders(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: encodePairs([
          ['grant_type', 'urn:ietf:params:oauth:grant-type:device_code'],
          ['device_code', deviceCode],
          ['client_id', account.appId],
          ['client_secret', account.appSecret()],
        ]),
        safe: false,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
    } catch (e) {
      if (signal?.aborted) return cancelled;
      warn(`[lark-cli] [WARN] device-flow: poll network error: ${(e as Error).message}`);
      current = Math.min(current + 1, MAX_INTERVAL);
      continue;
    }
    logAuthResponse(ctx.authLog, url, res.status, res.headers);
    let data: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(res.body.toString('utf8'));
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('response is not a JSON object');
      data = v as Record<string, unknown>;
    } catch (e) {
      warn(`[lark-cli] [WARN] device-flow: poll parse error: ${(e as Error).message}`);
      current = Math.min(current + 1, MAX_INTERVAL);
      continue;
    }
    const error = str(data, 'error');
    const accessToken = str(data, 'access_token');
    if (!error && accessToken) {
      warn('[lark-cli] device-flow: token obtained successfully');
      const refreshToken = str(data, 'refresh_token');
      const tokenExpiresIn = int(data, 'expires_in', 7200);
      let refreshExpiresIn = int(data, 'refresh_token_expires_in', 604800);
      if (!refreshToken) {
        warn('[lark-cli] [WARN] device-flow: no refresh_token in response');
        refreshExpiresIn = tokenExpiresIn;
      }
      return {
        ok: true,
        token: { accessToken, refreshToken, expiresIn: tokenExpiresIn, refreshExpiresIn, scope: str(data, 'scope') },
      };
    }
    const desc = str(data, 'error_description');
    switch (error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        current = Math.min(current + 5, MAX_INTERVAL);
        warn(`[lark-cli] device-flow: slow_down, interval increased to ${current}s`);
        continue;
      case 'access_denied':
        return { ok: false, error: 'access_denied', message: desc || 'Authorization denied by user' };
      case 'expired_token':
      case 'invalid_grant':
        return { ok: false, error: 'expired_token', message: desc || 'Device code expired, please try again' };
    }
    const message = desc || error || 'Unknown error';
    warn(`[lark-cli] [WARN] device-flow: unexpected error: error=${error}, desc=${message}`);
    return { ok: false, error: 'unexpected', message };
  }
  if (attempts >= MAX_POLL_ATTEMPTS) warn(`[lark-cli] [WARN] device-flow: max poll attempts (${MAX_POLL_ATTEMPTS}) reached`);
  return { ok: false, error: 'timeout', message: 'Authorization timed out, please try again' };
}
