/**
 * `config init --new`: registers a new app by a device-style flow in the browser.
 */
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { endpointsFor, isBaseUrl } from '../core/brand.js';
import { cliVersion } from '../core/io.js';
import { send } from '../http/transport.js';
import { sleep } from '../core/sleep.js';
import { logAuthResponse } from './auth-log.js';

interface RegistrationAnswer {
  device_code?: string;
  user_code?: string;
  verification_uri?: string;
  expires_in?: number;
  interval?: number;
  error?: string;
  error_description?: string;
  client_id?: string;
  client_secret?: string;
  user_info?: { open_id?: string; tenant_brand?: string };
}

async function post(ctx: Context, accounts: string, form: Record<string, string>): Promise<{ status: number; body: RegistrationAnswer }> {
  const url = `${accounts}/oauth/v1/app/registration`;
  const res = await send(ctx.io, {
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    safe: false,
  });
  logAuthResponse(ctx.authLog, url, res.status, res.headers);
  let body: RegistrationAnswer = {};
  try {
    body = JSON.parse(res.body.toString('utf8')) as RegistrationAnswer;
  } catch {
    /* handled by the callers as an empty answer */
  }
  return { status: res.status, body };
}

export async function registerApp(ctx: Context, brand: string, lang: 'zh' | 'en'): Promise<{ appId: string; appSecret: string; brand: string }> {
  const beginHost = isBaseUrl(brand) ? endpointsFor(brand).accounts : endpointsFor('feishu').accounts;
  const begin = await post(ctx, beginHost, {
    action: 'begin',
    archetype: 'PersonalAgent',
    auth_method: 'client_secret',
    request_user_info: 'open_id tenant_brand',
  });
  if (begin.status >= 400 || begin.body.error) {
    const why = begin.body.error_description || begin.body.error || 'Unknown error';
    throw new CliError('auth', `app registration failed: app registration failed: ${why}`);
  }
  const v = cliVersion();
  const url = `${endpointsFor(brand).open}/page/cli?user_code=${encodeURIComponent(begin.body.user_code ?? '')}&lpv=${v}&ocv=${v}&from=cli`;
  ctx.io.stderr.write(
    lang === 'en'
      ? `\nOpen the link below to configure app:\n\n  ${url}\n\nWaiting for app configuration...\n`
      : `\n打开以下链接配置应用:\n\n  ${url}\n\n等待配置应用...\n`,
  );
  let interval = begin.body.interval ?? 5;
  const deadline = Date.now() + (begin.body.expires_in ?? 300) * 1000;
  let host = isBaseUrl(brand) ? beginHost : endpointsFor(brand).accounts;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    await sleep(interval * 1000);
    const r = await post(ctx, host, { action: 'poll', device_code: begin.body.device_code ?? '' });
    const a = r.body;
    if (a.error === 'authorization_pending') continue;
    if (a.error === 'slow_down') {
      interval = Math.min(interval + 5, 60);
      continue;
    }
    if (a.error === 'access_denied') throw new CliError('auth', 'app registration denied by user');
    if (a.error === 'expired_token' || a.error === 'invalid_grant') throw new CliError('auth', 'device code expired, please try again');
    if (a.error || !a.client_id) continue;
    if (!a.client_secret && a.user_info?.tenant_brand === 'lark' && !isBaseUrl(brand) && host !== endpointsFor('lark').accounts) {
      host = endpointsFor('lark').accounts;
      continue;
    }
    if (!a.client_id || !a.client_secret) throw new CliError('auth', 'app registration succeeded but missing client_id or client_secret');
    const tb = a.user_info?.tenant_brand;
    const finalBrand = tb === 'lark' || tb === 'feishu' ? (isBaseUrl(brand) ? brand : tb) : brand;
    ctx.io.stderr.write(`\nOK: 应用配置成功! App ID: ${a.client_id}\n`);
    return { appId: a.client_id, appSecret: a.client_secret, brand: finalBrand };
  }
  throw new CliError('auth', 'app registration timed out, please try again');
}
