/**
 * `lark-cli auth login`: the device flow (blocking, or `--no-wait` then `--device-code`), then the
 * user's token stored and the profile's user set to them.
 */
import type { Account, Context } from '../../core/context.js';
import { CliError, SilentExit } from '../../core/errors.js';
import { loadConfig, profileDisplayName, saveConfig } from '../../core/config.js';
import { toCompactJson } from '../../core/json.js';
import { writeFileAtomic } from '../../core/fsutil.js';
import { strictModeError } from '../../auth/identity.js';
import { readUserToken, removeUserToken, writeUserToken } from '../../auth/token-store.js';
import type { DeviceToken, PollResult } from '../../auth/device-flow.js';
import type { ShortcutDef } from '../../shortcut/define.js';
import type { RunOptions } from '../../shortcut/run-options.js';
import { loadScopeCache, removeScopeCache, scopeCacheFile } from './login-cache.js';
import { loginMessages, type LoginMsg } from './login-messages.js';
import { resolveRequestedScope } from './login-scopes.js';

export interface LoginOptions {
  scope?: string;
  domain?: string[];
  recommend?: boolean;
  json?: boolean;
  wait: boolean;
  deviceCode?: string;
}

function uniqueScopes(s: string): string[] {
  return [...new Set(s.split(/\s+/).filter(Boolean))];
}

/** Polls with Ctrl-C mapped to "Polling was cancelled". */
async function pollWithCancel(ctx: Context, account: Account, deviceCode: string, interval: number, expiresIn: number): Promise<PollResult> {
  const { pollDeviceToken } = await import('../../auth/device-flow.js');
  const ac = new AbortController();
  const release = ctx.io.onCancel?.(() => ac.abort());
  try {
    return await pollDeviceToken(ctx, account, deviceCode, interval, expiresIn, ac.signal);
  } finally {
    release?.();
  }
}

/** Sets the profile's users to exactly this user and forgets the tokens of the others. */
function syncLoginUser(ctx: Context, account: Account, openId: string, userName: string): void {
  const c = loadConfig(ctx.dirs);
  if (c.state !== 'ok') throw new Error(`load config: ${c.state === 'invalid' ? c.error : 'not configured'}`);
  const app = c.config.apps.find((a) => profileDisplayName(a) === account.profileName);
  if (!app) throw new Error(`profile "${account.profileName}" not found in config`);
  const previous = app.users;
  app.users = [{ userOpenId: openId, userName }];
  try {
    saveConfig(ctx.dirs, c.config);
  } catch (e) {
    throw new Error(`save config: ${(e as Error).message.replace(/^failed to save config: /, '')}`);
  }
  ctx.invalidate();
  for (const u of previous) {
    if (u.userOpenId === openId) continue;
    try {
      removeUserToken(ctx.store, account.appId, u.userOpenId);
    } catch {
      /* best effort */
    }
  }
}

/** Steps 1–7 after a successful poll. */
async function completeLogin(ctx: Context, account: Account, msg: LoginMsg, json: boolean, requestedScope: string, token: DeviceToken): Promise<void> {
  const err = ctx.io.stderr;
  if (!json) err.write(`${msg.authDone}\n`);
  const { fetchUserInfo } = await import('../../auth/user-info.js');
  const info = await fetchUserInfo(ctx, account, token.accessToken);
  const requested = uniqueScopes(requestedScope);
  const previous = new Set(uniqueScopes(readUserToken(ctx.store, account.appId, info.openId)?.scope ?? ''));
  const granted = uniqueScopes(token.scope);
  const grantedSet = new Set(granted);
  const missing: string[] = [];
  const already: string[] = [];
  const newly: string[] = [];
  for (const s of requested) {
    if (!grantedSet.has(s)) missing.push(s);
    else if (previous.has(s)) already.push(s);
    else newly.push(s);
  }
  const now = Date.now();
  try {
    writeUserToken(ctx.store, {
      userOpenId: info.openId,
      appId: account.appId,
      accessToken: token.accessToken,
      refreshToken: token.refreshToken,
      expiresAt: now + token.expiresIn * 1000,
      refreshExpiresAt: now + token.refreshExpiresIn * 1000,
      scope: token.scope,
      grantedAt: now,
    });
  } catch (e) {
    throw new CliError('internal', `failed to save token: ${(e as Error).message}`);
  }
  try {
    syncLoginUser(ctx, account, info.openId, info.name);
  } catch (e) {
    try {
      removeUserToken(ctx.store, account.appId, info.openId);
    } catch {
      /* best effort */
    }
    throw new CliError('internal', `failed to update login profile: ${(e as Error).message}`);
  }
  const list = (l: string[]) => (l.length ? l.join(' ') : msg.none);
  const breakdown = () => {
    err.write(`${msg.requested}${list(requested)}\n`);
    err.write(`${msg.newlyGranted}${list(newly)}\n`);
    err.write(`${msg.notGranted}${list(missing)}\n`);
  };
  const payload: Record<string, unknown> = {
    already_granted: already,
    event: 'authorization_complete',
    granted,
    missing,
    newly_granted: newly,
    requested,
    scope: granted.join(' '),
    user_name: info.name,
    user_open_id: info.openId,
  };
  if (missing.length === 0) {
    if (json) {
      ctx.io.stdout.write(toCompactJson(payload) + '\n');
      return;
    }
    err.write(`\nOK: ${msg.loginSuccess(info.name, info.openId)}\n`);
    breakdown();
    err.write(`${msg.statusHint}\n`);
    return;
  }
  const mismatch = msg.scopeMismatch(missing.join(' '));
  if (json) {
    payload.warning = { hint: msg.scopeHint, message: mismatch, type: 'missing_scope' };
    ctx.io.stdout.write(toCompactJson(payload) + '\n');
    return;
  }
  err.write(`\n${mismatch}\n${msg.authorizedUser(info.name, info.openId)}\n`);
  breakdown();
  err.write(`${msg.scopeHint}\n`);
}

export async function login(ctx: Context, o: LoginOptions, runOpts: RunOptions): Promise<void> {
  const { account: maybe } = ctx.tryAccount();
  if (maybe?.strictMode === 'bot') throw strictModeError('bot');
  const account = ctx.account();
  const msg = loginMessages(account.profile?.lang);
  const json = !!o.json;
  const log = (s: string) => {
    if (!json) ctx.io.stderr.write(`${s}\n`);
  };

  if (o.deviceCode) {
    const dc = o.deviceCode;
    const cache = loadScopeCache(ctx, dc);
    log(msg.waiting);
    const result = await pollWithCancel(ctx, account, dc, cache?.interval ?? 5, 180);
    if (!result.ok) {
      if (result.error !== 'cancelled') removeScopeCache(ctx, dc);
      throw new CliError('auth', `authorization failed: ${result.message}`);
    }
    removeScopeCache(ctx, dc);
    await completeLogin(ctx, account, msg, json, cache?.requested_scope ?? '', result.token);
    return;
  }

  const extra = (runOpts.extraShortcuts ?? []).filter((s) => s.service === 'im');
  const shortcuts = async (): Promise<ShortcutDef[]> => [...((await runOpts.loadShortcuts?.()) ?? []), ...extra];
  const requested = await resolveRequestedScope(ctx, o, msg, shortcuts);
  const { requestDeviceAuthorization } = await import('../../auth/device-flow.js');
  const auth = await requestDeviceAuthorization(ctx, account, requested);

  if (!o.wait) {
    try {
      writeFileAtomic(scopeCacheFile(ctx, auth.deviceCode), JSON.stringify({ requested_scope: requested, interval: auth.interval }));
    } catch (e) {
      ctx.io.stderr.write(`[lark-cli] [WARN] auth login: failed to cache requested scopes: ${(e as Error).message}\n`);
    }
    ctx.io.stdout.write(
      toCompactJson({
        device_code: auth.deviceCode,
        expires_in: auth.expiresIn,
        hint: `Show verification_url to user, then immediately execute: lark-cli auth login --device-code ${auth.deviceCode} (blocks until authorized or timeout). Do not instruct the user to run this command themselves.`,
        verification_url: auth.verificationUriComplete,
      }) + '\n',
    );
    return;
  }

  if (json) {
    ctx.io.stdout.write(
      toCompactJson({
        event: 'device_authorization',
        expires_in: auth.expiresIn,
        user_code: auth.userCode,
        verification_uri: auth.verificationUri,
        verification_uri_complete: auth.verificationUriComplete,
      }) + '\n',
    );
  } else {
    ctx.io.stderr.write(msg.openUrl);
    ctx.io.stderr.write(`  ${auth.verificationUriComplete}\n\n`);
  }
  log(msg.waiting);
  const result = await pollWithCancel(ctx, account, auth.deviceCode, auth.interval, auth.expiresIn);
  if (!result.ok) {
    if (json) {
      ctx.io.stdout.write(toCompactJson({ error: result.message, event: 'authorization_failed' }) + '\n');
      throw new SilentExit(3);
    }
    throw new CliError('auth', `authorization failed: ${result.message}`);
  }
  await completeLogin(ctx, account, msg, json, requested, result.token);
}
