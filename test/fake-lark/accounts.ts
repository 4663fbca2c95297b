/**
 * Fake OAuth endpoints for user login and token refresh (docs/auth.md), plus user_info and
 * the application info of `auth scopes`. One `AccountsFake` holds the state and records what the
 * CLI sent; `fake.use(...accounts.handlers)` mounts it on a fake Lark server.
 */
import { delay, http, type RequestHandler } from 'msw';
import { bearerToken, jsonResponse, larkErr, larkOk } from './handlers.js';
import { dropConnection } from './server.js';

/** One answer of the device-code poll. */
export type PollStep = 'pending' | 'slow_down' | 'access_denied' | 'expired' | 'success' | 'garbage' | 'drop' | 'weird';

/** One answer of the refresh-token grant. */
export type RefreshStep = 'success' | 'transient' | 'expired' | 'revoked' | 'drop' | 'garbage';

export interface AccountsFakeOptions {
  appId?: string;
  appSecret?: string;
  deviceCode?: string;
  userCode?: string;
  /** Poll interval the device authorization answers with (seconds; default 0). */
  interval?: number;
  expiresIn?: number;
  /** Answers of successive polls; the last one repeats (default: one pending, then success). */
  pollSteps?: PollStep[];
  /** The scope the token answer grants (default: what was requested, without changes). */
  grantedScope?: string;
  userOpenId?: string;
  userName?: string;
  /** Answers of successive refreshes; the last one repeats (default: success). */
  refreshSteps?: RefreshStep[];
  /** Delay before answering a refresh (ms), to make concurrent refreshes overlap. */
  refreshDelayMs?: number;
  /** The refresh tokens the server accepts (default: any). */
  acceptedRefreshTokens?: string[];
  /** `auth scopes`: the app's scopes. */
  appScopes?: Array<{ scope: string; token_types: string[] }>;
}

export interface DeviceAuthCall {
  authorization: string;
  form: Record<string, string>;
}

export interface AccountsFake {
  opts: Required<Omit<AccountsFakeOptions, 'grantedScope' | 'acceptedRefreshTokens'>> & Pick<AccountsFakeOptions, 'grantedScope' | 'acceptedRefreshTokens'>;
  handlers: RequestHandler[];
  /** Bodies (parsed forms) and Authorization headers of device authorization requests. */
  deviceAuthCalls: DeviceAuthCall[];
  /** Parsed forms of device-code polls. */
  pollCalls: Array<Record<string, string>>;
  /** Parsed forms of refresh requests. */
  refreshCalls: Array<Record<string, string>>;
  /** Access tokens issued so far (login and refresh), in order. */
  issued: string[];
  /** Scope asked for by the last device authorization (as sent, with offline_access). */
  lastRequestedScope: string;
}

function formOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Builds the fake; every field of `o` has a default suitable for `writeTestAccount`'s app. */
export function createAccountsFake(o: AccountsFakeOptions = {}): AccountsFake {
  const opts = {
    appId: o.appId ?? 'cli_test',
    appSecret: o.appSecret ?? 's3cret',
    deviceCode: o.deviceCode ?? 'dc_test_device_code',
    userCode: o.userCode ?? 'ABCD-EFGH',
    interval: o.interval ?? 0,
    expiresIn: o.expiresIn ?? 240,
    pollSteps: o.pollSteps ?? ['pending', 'success'],
    grantedScope: o.grantedScope,
    userOpenId: o.userOpenId ?? 'ou_login_user',
    userName: o.userName ?? 'Login User',
    refreshSteps: o.refreshSteps ?? ['success'],
    refreshDelayMs: o.refreshDelayMs ?? 0,
    acceptedRefreshTokens: o.acceptedRefreshTokens,
    appScopes: o.appScopes ?? [
      { scope: 'im:message', token_types: ['tenant', 'user'] },
      { scope: 'im:chat:read', token_types: ['user'] },
      { scope: 'im:message:send_as_bot', token_types: ['tenant'] },
    ],
  };
  const fake: AccountsFake = {
    opts,
    handlers: [],
    deviceAuthCalls: [],
    pollCalls: [],
    refreshCalls: [],
    issued: [],
    lastRequestedScope: '',
  };
  let polls = 0;
  let refreshes = 0;
  const step = <T>(list: T[], i: number): T => list[Math.min(i, list.length - 1)]!;
  const clientOk = (f: Record<string, string>) => f.client_id === opts.appId && f.client_secret === opts.appSecret;
  const oauthErr = (error: string, description: string, code = 20000, status = 400) =>
    jsonResponse({ code, error, error_description: description }, { status });

  fake.handlers = [
    http.post('*/oauth/v1/device_authorization', async ({ request }) => {
      const authorization = request.headers.get('authorization') ?? '';
      const form = formOf(await request.text());
      fake.deviceAuthCalls.push({ authorization, form });
      const expected = `Basic ${Buffer.from(`${opts.appId}:${opts.appSecret}`).toString('base64')}`;
      if (authorization !== expected) return jsonResponse({ error: 'invalid_client', error_description: 'client authentication failed' }, { status: 401 });
      if (form.client_id !== opts.appId) return jsonResponse({ error: 'invalid_request', error_description: 'client_id mismatch' }, { status: 400 });
      if (!form.scope) return jsonResponse({ error: 'invalid_scope', error_description: 'scope is required' }, { status: 400 });
      fake.lastRequestedScope = form.scope;
      const uri = 'https://accounts.example.test/verify';
      return jsonResponse({
        device_code: opts.deviceCode,
        user_code: opts.userCode,
        verification_uri: uri,
        verification_uri_complete: `${uri}?user_code=${opts.userCode}`,
        expires_in: opts.expiresIn,
        interval: opts.interval,
      });
    }),

    http.post('*/open-apis/authen/v2/oauth/token', async ({ request }) => {
      const form = formOf(await request.text());
      if (form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code') {
        fake.pollCalls.push(form);
        if (!clientOk(form)) return oauthErr('invalid_client', 'client authentication failed');
        if (form.device_code !== opts.deviceCode) return oauthErr('invalid_grant', 'unknown device code');
        const s = step(opts.pollSteps, polls++);
        switch (s) {
          case 'pending':
            return oauthErr('authorization_pending', 'the user has not yet authorized');
          case 'slow_down':
            return oauthErr('slow_down', 'polling too fast');
          case 'access_denied':
            return oauthErr('access_denied', '');
          case 'expired':
            return oauthErr('expired_token', '');
          case 'weird':
            return oauthErr('server_error', 'something odd');
          case 'garbage':
            return new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
          case 'drop':
            return dropConnection();
          case 'success':
            return issueUserToken(fake.issued, 'login', opts.grantedScope ?? fake.lastRequestedScope);
        }
      }
      if (form.grant_type === 'refresh_token') {
        fake.refreshCalls.push(form);
        if (opts.refreshDelayMs) await delay(opts.refreshDelayMs);
        if (!clientOk(form)) return oauthErr('invalid_client', 'client authentication failed', 20002);
        if (opts.acceptedRefreshTokens && !opts.acceptedRefreshTokens.includes(form.refresh_token ?? '')) {
          return oauthErr('invalid_grant', 'refresh token is invalid', 20026);
        }
        const s = step(opts.refreshSteps, refreshes++);
        switch (s) {
          case 'transient':
            return oauthErr('server_error', 'internal error, please retry', 20050, 500);
          case 'expired':
            return oauthErr('invalid_grant', 'refresh token expired', 20037);
          case 'revoked':
            return oauthErr('invalid_grant', 'refresh token revoked', 20064);
          case 'drop':
            return dropConnection();
          case 'garbage':
            return new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
          case 'success':
            return issueUserToken(fake.issued, 'refreshed', 'im:message offline_access');
        }
      }
      return oauthErr('unsupported_grant_type', `unsupported grant_type ${form.grant_type ?? ''}`);
    }),

    http.get('*/open-apis/authen/v1/user_info', ({ request }) => {
      const token = bearerToken(request);
      if (!token || !fake.issued.includes(token)) {
        return larkErr(99991668, 'Invalid access token for authorization. Please make a request with token attached.', undefined, { status: 401 });
      }
      return larkOk({ open_id: opts.userOpenId, name: opts.userName, en_name: opts.userName });
    }),

    http.get('*/open-apis/application/v6/applications/:app_id', ({ request, params }) => {
      if (bearerToken(request) !== `t-${opts.appId}`) {
        return larkErr(99991663, 'Invalid access token for authorization. Please make a request with token attached.', undefined, { status: 401 });
      }
      if (params.app_id !== opts.appId) return larkErr(210504, 'app not found', undefined, { status: 404 });
      return larkOk({ app: { app_id: opts.appId, app_name: 'Test App', scopes: opts.appScopes } });
    }),
  ];
  return fake;
}

/** A successful token answer (login or refresh): the next `u-<kind>-N` token, recorded in `issued`. */
function issueUserToken(issued: string[], kind: 'login' | 'refreshed', scope: string | undefined): Response {
  const token = `u-${kind}-${issued.length + 1}`;
  issued.push(token);
  return jsonResponse({
    code: 0,
    access_token: token,
    refresh_token: `ur-${kind}-${issued.length}`,
    token_type: 'Bearer',
    expires_in: 7200,
    refresh_token_expires_in: 604800,
    scope,
  });
}
