/**
 * GET /open-apis/authen/v1/user_info with a user token (env-token verification, login, status).
 */
import type { Account, Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { send } from '../http/transport.js';
import { cliHeaders } from '../http/headers.js';
import { logAuthResponse } from './auth-log.js';

export interface UserInfoAnswer {
  code?: number;
  msg?: string;
  data?: { open_id?: string; name?: string };
}

/** Sends the request and parses the answer; throws only on transport or JSON failures. */
export async function callUserInfo(ctx: Context, account: Account, token: string): Promise<UserInfoAnswer> {
  const url = `${endpointsFor(account.brand).open}/open-apis/authen/v1/user_info`;
  const res = await send(ctx.io, {
    method: 'GET',
    url,
    headers: { ...cliHeaders(), Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
    safe: true,
    timeoutMs: 30_000,
  });
  logAuthResponse(ctx.authLog, url, res.status, res.headers);
  const v: unknown = JSON.parse(res.body.toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('response is not a JSON object');
  return v as UserInfoAnswer;
}

export async function fetchUserInfo(ctx: Context, account: Account, token: string): Promise<{ openId: string; name: string }> {
  let body: UserInfoAnswer;
  try {
    body = await callUserInfo(ctx, account, token);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('auth', `failed to get user info: ${(e as Error).message}`);
  }
  if (body.code !== 0) throw new CliError('auth', `failed to get user info: [${body.code}] ${body.msg ?? ''}`);
  if (!body.data?.open_id) throw new CliError('auth', 'failed to get user info: missing open_id');
  return { openId: body.data.open_id, name: body.data.name || '(unknown)' };
}
