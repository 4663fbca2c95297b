/**
 * `lark-cli auth login | logout | status | check | scopes | list` (core.md §6.4–§6.9).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { RunOptions } from '../shortcut/run-options.js';
import type { Account, Context } from '../core/context.js';
import { CliError, SilentExit } from '../core/errors.js';
import { type ConfigFile, loadConfig, profileDisplayName, saveConfig, selectProfile } from '../core/config.js';
import { toCompactJson, toPrettyJson } from '../core/json.js';
import { safeName } from '../core/paths.js';
import { writeFileAtomic } from '../core/fsutil.js';
import { strictModeError } from '../core/identity.js';
import { filterAutoApprove, recommendScope } from '../core/scopes.js';
import type { RunState } from '../core/run-state.js';
import { readUserToken, removeUserToken, tokenStatus, writeUserToken } from '../auth/token-store.js';
import type { DeviceToken, PollResult } from '../auth/device-flow.js';
import { rfc3339Local } from '../auth/auth-log.js';
import { scopesFor, supportedIdentities, type ShortcutDef } from '../shortcut/define.js';
import { groupCommand } from '../shortcut/command-group.js';

// ---------------------------------------------------------------------------------------------
// Messages of `auth login` in the profile's language (zh unless the profile says en)

interface LoginMsg {
  openUrl: string;
  waiting: string;
  authDone: string;
  loginSuccess: (name: string, id: string) => string;
  authorizedUser: (name: string, id: string) => string;
  scopeMismatch: (missing: string) => string;
  scopeHint: string;
  requested: string;
  newlyGranted: string;
  notGranted: string;
  none: string;
  statusHint: string;
  hintHeader: string;
  hints: string[];
  levelPrompt: string;
  levelCommon: string;
  levelAll: string;
  summary: (level: string, count: number, scopes: string) => string;
  confirm: string;
}

const ZH: LoginMsg = {
  openUrl: '在浏览器中打开以下链接进行认证:\n\n',
  waiting: '等待用户授权...',
  authDone: '授权已完成，正在获取用户信息并校验授权结果...',
  loginSuccess: (n, id) => `授权成功! 用户: ${n} (${id})`,
  authorizedUser: (n, id) => `当前授权账号: ${n} (${id})`,
  scopeMismatch: (m) => `授权结果异常：以下请求 scopes 未被授予: ${m}`,
  scopeHint:
    '以上结果是本次授权请求用户最终确认后的结果，请勿持续重试；Scopes 未授予的原因是多样的，如 scope 被禁用；具体原因已通过授权页提示用户。可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；',
  requested: '  本次请求 scopes: ',
  newlyGranted: '  本次新授予 scopes: ',
  notGranted: '  本次未授予 scopes: ',
  none: '（空）',
  statusHint: '可执行 `lark-cli auth status` 查看账号当前已授予的全部 scopes；',
  hintHeader: '请指定要授权的权限:\n',
  hints: [
    '  --recommend                     授权推荐权限',
    '  --domain all                    授权所有已知域的权限',
    '  --domain im                     授权消息与群组域的权限',
    '  --scope "im:message"            只授权指定的 scope',
  ],
  levelPrompt: '权限类型: [1] 常用权限  [2] 全部权限 (默认 1): ',
  levelCommon: '常用权限',
  levelAll: '全部权限',
  summary: (level, n, scopes) => `\n摘要:\n  域:       im\n  权限:     ${level}\n  Scopes (${n}): ${scopes}\n\n`,
  confirm: '确认授权? [Y/n]: ',
};

const EN: LoginMsg = {
  openUrl: 'Open this URL in your browser to authenticate:\n\n',
  waiting: 'Waiting for user authorization...',
  authDone: 'Authorization completed, fetching user info and validating granted scopes...',
  loginSuccess: (n, id) => `Authorization successful! User: ${n} (${id})`,
  authorizedUser: (n, id) => `Authorized account: ${n} (${id})`,
  scopeMismatch: (m) => `authorization result is abnormal: these requested scopes were not granted: ${m}`,
  scopeHint:
    "The result above is the user's final confirmation for this authorization request. Do not retry continuously. Scopes may be not granted for various reasons, such as a scope being disabled. The specific reason has already been shown to the user on the authorization page. Run `lark-cli auth status` to inspect all scopes currently granted to the account.",
  requested: '  Requested scopes: ',
  newlyGranted: '  Newly granted scopes: ',
  notGranted: '  Not granted scopes: ',
  none: '(none)',
  statusHint: 'Run `lark-cli auth status` to inspect all scopes currently granted to the account.',
  hintHeader: 'Please specify the scopes to authorize:\n',
  hints: [
    '  --recommend                     authorize recommended scopes',
    '  --domain all                    authorize the scopes of all known domains',
    '  --domain im                     authorize the messaging and group chat scopes',
    '  --scope "im:message"            authorize only the given scopes',
  ],
  levelPrompt: 'Permission level: [1] Common scopes  [2] All scopes (default 1): ',
  levelCommon: 'Common scopes',
  levelAll: 'All scopes',
  summary: (level, n, scopes) => `\nSummary:\n  Domains:  im\n  Level:    ${level}\n  Scopes (${n}): ${scopes}\n\n`,
  confirm: 'Confirm authorization? [Y/n]: ',
};

// ---------------------------------------------------------------------------------------------
// Scope candidates for --domain / --recommend (core.md §6.4 "Scope selection")

/** Domains our clone knows: the im API methods and the im shortcuts. */
export const KNOWN_DOMAINS = ['im'] as const;

/** Accepted scopes of every API method of the domain that supports user identity. */
async function userMethodScopes(domain: string): Promise<string[][]> {
  if (domain !== 'im') return [];
  const { loadIndex, loadResource } = await import('../im/schema-registry.js');
  const out: string[][] = [];
  for (const resource of Object.keys(loadIndex().resources)) {
    for (const m of Object.values(loadResource(resource).methods)) {
      if (m.identities.includes('user')) out.push(m.scopes);
    }
  }
  return out;
}

/** For each user method its highest-priority scope, plus the user scopes of user shortcuts; sorted. */
export async function collectUserScopes(domains: string[], shortcuts: ShortcutDef[]): Promise<string[]> {
  const set = new Set<string>();
  for (const d of domains) {
    for (const accepted of await userMethodScopes(d)) {
      const best = recommendScope(accepted);
      if (best) set.add(best);
    }
  }
  for (const sc of shortcuts) {
    if (!domains.includes(sc.service) || !supportedIdentities(sc).includes('user')) continue;
    for (const s of scopesFor(sc, 'user')) if (s) set.add(s);
  }
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function suggestDomain(d: string): string | undefined {
  return KNOWN_DOMAINS.find((k) => d.startsWith(k) || k.startsWith(d));
}

// ---------------------------------------------------------------------------------------------
// The `--no-wait` scope cache

function scopeCacheFile(ctx: Context, deviceCode: string): string {
  return path.join(ctx.dirs.cacheDir, 'auth_login_scopes', `${safeName(deviceCode)}.json`);
}

interface ScopeCache {
  requested_scope: string;
  /** The server's poll interval (our addition: resume honours it instead of a fixed 5 s). */
  interval?: number;
}

function loadScopeCache(ctx: Context, deviceCode: string): ScopeCache | undefined {
  const file = scopeCacheFile(ctx, deviceCode);
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScopeCache>;
    if (typeof v !== 'object' || v === null || typeof v.requested_scope !== 'string') throw new Error('invalid cache format');
    return { requested_scope: v.requested_scope, interval: typeof v.interval === 'number' && v.interval >= 0 ? v.interval : undefined };
  } catch (e) {
    ctx.io.stderr.write(`[lark-cli] [WARN] auth login: failed to load cached requested scopes: ${(e as Error).message}\n`);
    rmSync(file, { force: true });
    return undefined;
  }
}

function removeScopeCache(ctx: Context, deviceCode: string): void {
  try {
    rmSync(scopeCacheFile(ctx, deviceCode), { force: true });
  } catch (e) {
    ctx.io.stderr.write(`[lark-cli] [WARN] auth login: failed to remove cached requested scopes: ${(e as Error).message}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// auth login

interface LoginOptions {
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

async function askInteractive(ctx: Context, msg: LoginMsg, shortcuts: ShortcutDef[]): Promise<string[] | undefined> {
  // required, not imported: the built CLI has no loader for import() (scripts/bundle.mjs)
  const { createInterface } = createRequire(import.meta.url)('node:readline/promises') as typeof import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const level = (await rl.question(msg.levelPrompt)).trim();
    const common = level === '' || level === '1';
    if (!common && level !== '2') return undefined;
    let scopes = await collectUserScopes([...KNOWN_DOMAINS], shortcuts);
    if (common) scopes = filterAutoApprove(scopes);
    ctx.io.stderr.write(msg.summary(common ? msg.levelCommon : msg.levelAll, scopes.length, scopes.join(' ')));
    const ok = (await rl.question(msg.confirm)).trim().toLowerCase();
    if (ok !== '' && ok !== 'y' && ok !== 'yes') return undefined;
    return scopes;
  } finally {
    rl.close();
  }
}

/** The requested scope string from the flags (or the interactive choice). */
async function resolveRequestedScope(ctx: Context, o: LoginOptions, msg: LoginMsg, extra: ShortcutDef[]): Promise<string> {
  let domains = (o.domain ?? []).filter(Boolean);
  if (domains.some((d) => d.toLowerCase() === 'all')) domains = [...KNOWN_DOMAINS];
  for (const d of domains) {
    if ((KNOWN_DOMAINS as readonly string[]).includes(d)) continue;
    const s = suggestDomain(d);
    if (s) throw new CliError('validation', `unknown domain "${d}", did you mean "${s}"?`);
    throw new CliError('validation', `unknown domain "${d}", available domains: ${[...KNOWN_DOMAINS].sort().join(', ')}`);
  }
  const loadShortcuts = async (): Promise<ShortcutDef[]> => {
    const { SHORTCUTS } = await import('../im/shortcuts/index.js');
    return [...SHORTCUTS, ...extra];
  };
  const scope = o.scope ?? '';
  if (!scope && !o.recommend && domains.length === 0) {
    if (!o.json && ctx.io.stdinIsTTY) {
      const chosen = await askInteractive(ctx, msg, await loadShortcuts());
      if (!chosen) throw new CliError('validation', 'no login options selected');
      if (chosen.length === 0) throw new CliError('validation', 'no matching scopes found, check domain/scope options');
      return chosen.join(' ');
    }
    if (!o.json) {
      const lines = [
        msg.hintHeader,
        'Common options:',
        ...msg.hints,
        '',
        'View all options:',
        '  lark-cli auth login --help',
        '',
        'Note: this command blocks until authorization is complete. Run it in the background and retrieve the verification URL from its output.',
      ];
      ctx.io.stderr.write(lines.map((l) => `${l}\n`).join(''));
    }
    throw new CliError('validation', 'please specify the scopes to authorize');
  }
  if (domains.length > 0 || o.recommend) {
    if (scope) throw new CliError('validation', 'cannot use --scope together with --domain/--recommend');
    let candidates = await collectUserScopes(domains.length ? domains : [...KNOWN_DOMAINS], await loadShortcuts());
    if (o.recommend) candidates = filterAutoApprove(candidates);
    if (candidates.length === 0) throw new CliError('validation', 'no matching scopes found, check domain/scope options');
    return candidates.join(' ');
  }
  return scope;
}

/** Polls with Ctrl-C mapped to "Polling was cancelled". */
async function pollWithCancel(ctx: Context, account: Account, deviceCode: string, interval: number, expiresIn: number): Promise<PollResult> {
  const { pollDeviceToken } = await import('../auth/device-flow.js');
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await pollDeviceToken(ctx, account, deviceCode, interval, expiresIn, ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
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
  const { fetchUserInfo } = await import('../auth/user-info.js');
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

async function login(ctx: Context, o: LoginOptions, runOpts: RunOptions): Promise<void> {
  const { account: maybe } = ctx.tryAccount();
  if (maybe?.strictMode === 'bot') throw strictModeError('bot');
  const account = ctx.account();
  const msg = account.profile?.lang === 'en' ? EN : ZH;
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
  const requested = await resolveRequestedScope(ctx, o, msg, extra);
  const { requestDeviceAuthorization } = await import('../auth/device-flow.js');
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

// ---------------------------------------------------------------------------------------------
// auth logout / list (read the config file directly)

/** The config file for logout/list: undefined when there is none (or it has no apps). */
function configForUsers(ctx: Context): ConfigFile | undefined {
  const c = ctx.config();
  if (c.state === 'missing') return undefined;
  if (c.state === 'invalid') {
    if (c.error === 'invalid config format: no apps') return undefined;
    throw new CliError('config', `failed to load config: ${c.error}`);
  }
  return c.config;
}

function logout(ctx: Context): void {
  const cfg = configForUsers(ctx);
  if (!cfg) {
    ctx.io.stderr.write('No configuration found.\n');
    return;
  }
  const app = selectProfile(cfg, ctx.profileOverride);
  if (app.users.length === 0) {
    ctx.io.stderr.write('Not logged in.\n');
    return;
  }
  for (const u of app.users) {
    try {
      removeUserToken(ctx.store, app.appId, u.userOpenId);
    } catch (e) {
      ctx.io.stderr.write(`Warning: failed to remove token for ${u.userOpenId}: ${(e as Error).message}\n`);
    }
  }
  app.users = [];
  saveConfig(ctx.dirs, cfg);
  ctx.invalidate();
  ctx.io.stderr.write('OK: Logged out\n');
}

function list(ctx: Context): void {
  const cfg = configForUsers(ctx);
  if (!cfg) {
    ctx.io.stderr.write('Not configured yet. Run `lark-cli config init` to initialize.\n');
    return;
  }
  const app = selectProfile(cfg, ctx.profileOverride);
  if (app.users.length === 0) {
    ctx.io.stderr.write('No logged-in users. Run `lark-cli auth login` to log in.\n');
    return;
  }
  const items = app.users.map((u) => {
    const t = readUserToken(ctx.store, app.appId, u.userOpenId);
    return { appId: app.appId, tokenStatus: t ? tokenStatus(t) : 'no_token', userName: u.userName, userOpenId: u.userOpenId };
  });
  ctx.io.stdout.write(toPrettyJson(items));
}

// ---------------------------------------------------------------------------------------------
// auth status / check / scopes

const time = (ms: number) => rfc3339Local(new Date(ms), false);

async function status(ctx: Context, verify: boolean): Promise<void> {
  const account = ctx.account();
  const out: Record<string, unknown> = { appId: account.appId, brand: account.brand, defaultAs: account.defaultAs || 'auto' };
  const user = account.source === 'config' ? account.user : undefined;
  if (!user) {
    out.identity = 'bot';
    out.note = 'No user logged in. Only bot (tenant) identity is available for API calls. Run `lark-cli auth login` to log in.';
    ctx.io.stdout.write(toPrettyJson(out));
    return;
  }
  out.userName = user.userName;
  out.userOpenId = user.userOpenId;
  let t = readUserToken(ctx.store, account.appId, user.userOpenId);
  if (!t) {
    out.identity = 'bot';
    out.note = 'Token does not exist or has been cleared. Only bot (tenant) identity is available. Re-login: lark-cli auth login';
    ctx.io.stdout.write(toPrettyJson(out));
    return;
  }
  const expired = tokenStatus(t) === 'expired';
  if (verify && !expired) {
    const { userAccessToken } = await import('../auth/user-token.js');
    let token: string | undefined;
    try {
      token = await userAccessToken(ctx, account);
    } catch (e) {
      out.verified = false;
      out.verifyError = `token unusable: ${(e as Error).message}`;
    }
    if (token) {
      const { callUserInfo } = await import('../auth/user-info.js');
      try {
        const ans = await callUserInfo(ctx, account, token);
        if (ans.code === 0) out.verified = true;
        else {
          out.verified = false;
          out.verifyError = `server rejected token: [${ans.code ?? ''}] ${ans.msg ?? ''}`;
        }
      } catch (e) {
        out.verified = false;
        out.verifyError = `verification request failed: ${(e as Error).message}`;
      }
    }
    t = readUserToken(ctx.store, account.appId, user.userOpenId) ?? t;
  }
  const st = tokenStatus(t);
  out.identity = st === 'expired' ? 'bot' : 'user';
  if (st === 'expired') out.note = 'User token has expired. Only bot (tenant) identity is available. Re-login: lark-cli auth login';
  out.tokenStatus = st;
  out.scope = t.scope;
  out.expiresAt = time(t.expiresAt);
  out.refreshExpiresAt = time(t.refreshExpiresAt);
  out.grantedAt = time(t.grantedAt);
  ctx.io.stdout.write(toPrettyJson(out));
}

function check(ctx: Context, scopeFlag: string | undefined): void {
  if (scopeFlag === undefined) throw new CliError('validation', 'required flag(s) "scope" not set');
  const required = scopeFlag.split(/\s+/).filter(Boolean);
  const print = (v: unknown) => ctx.io.stdout.write(toPrettyJson(v));
  if (required.length === 0) {
    print({ granted: [], missing: [], ok: true });
    return;
  }
  const account = ctx.account();
  const user = account.source === 'config' ? account.user : undefined;
  if (!user) {
    print({ error: 'not_logged_in', missing: required, ok: false });
    throw new SilentExit(1);
  }
  const t = readUserToken(ctx.store, account.appId, user.userOpenId);
  if (!t) {
    print({ error: 'no_token', missing: required, ok: false });
    throw new SilentExit(1);
  }
  const have = new Set(t.scope.split(/\s+/).filter(Boolean));
  const granted = required.filter((s) => have.has(s));
  const missing = required.filter((s) => !have.has(s));
  const out: Record<string, unknown> = { granted: granted.length ? granted : null, missing: missing.length ? missing : null, ok: missing.length === 0 };
  if (missing.length) out.suggestion = `lark-cli auth login --scope "${missing.join(' ')}"`;
  print(out);
  if (missing.length) throw new SilentExit(1);
}

async function scopes(ctx: Context, format: string): Promise<void> {
  const account = ctx.account();
  ctx.io.stderr.write('Querying app scopes...\n\n');
  const { ApiClient } = await import('../http/client.js');
  const { escapePathSegment } = await import('../core/url.js');
  let data: { app?: { scopes?: Array<{ scope?: string; token_types?: string[] }> } };
  try {
    data = await new ApiClient(ctx, 'bot').json({
      method: 'GET',
      path: `/open-apis/application/v6/applications/${escapePathSegment(account.appId)}`,
      query: { lang: 'zh_cn' },
    });
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('internal', String(e));
    // a transport failure stays a network error (DECISIONS.md 19)
    throw new CliError(err.type === 'network' ? 'network' : 'permission', `failed to get app scope info: ${err.message}`, {
      hint: 'ensure the app has enabled the application:application:self_manage scope.',
    });
  }
  const userScopes = (data.app?.scopes ?? [])
    .filter((s) => Array.isArray(s.token_types) && s.token_types.includes('user') && typeof s.scope === 'string')
    .map((s) => s.scope!);
  if (format === 'pretty') {
    const lines = [`App ID: ${account.appId}`, `Enabled scopes (${userScopes.length}):`, '', ...userScopes.map((s) => `  • ${s}`)];
    ctx.io.stderr.write(lines.map((l) => `${l}\n`).join(''));
    return;
  }
  ctx.io.stdout.write(toPrettyJson({ appId: account.appId, brand: account.brand, count: userScopes.length, tokenType: 'user', userScopes }));
}

// ---------------------------------------------------------------------------------------------

function domainParser(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function register(parent: Command, ctx: Context, _state: RunState, opts: RunOptions = {}): void {
  const auth = groupCommand('auth', 'User authorization: login, status, scopes, logout');
  auth
    .command('login')
    .summary('Device Flow authorization login')
    .description(
      'Device Flow authorization login.\n\nFor AI agents: this command blocks until the user completes authorization in the\nbrowser. Run it in the background and retrieve the verification URL from its output.',
    )
    .option('--scope <scopes>', 'scopes to request (space-separated)')
    .addOption(new Option('--domain <domains>', `domain (repeatable or comma-separated)\navailable: ${KNOWN_DOMAINS.join(', ')}, all`).argParser(domainParser))
    .option('--recommend', 'request only recommended (auto-approve) scopes')
    .option('--json', 'structured JSON output')
    .option('--no-wait', 'initiate device authorization and return immediately; use --device-code to complete')
    .option('--device-code <code>', 'poll and complete authorization with a device code from a previous --no-wait call')
    .action(async (o: LoginOptions) => login(ctx, o, opts));
  auth
    .command('logout')
    .description('Log out: remove the stored tokens of the logged-in user')
    .action(() => logout(ctx));
  auth
    .command('status')
    .description('View current auth status')
    .option('--verify', 'verify token against server (requires network)')
    .action(async (o: { verify?: boolean }) => status(ctx, !!o.verify));
  auth
    .command('check')
    .description('Check whether the stored user token has the given scopes (exit 1 when some are missing)')
    .option('--scope <scopes>', 'scopes to check (space-separated, required)')
    .action((o: { scope?: string }) => check(ctx, o.scope));
  auth
    .command('scopes')
    .description('List the user scopes enabled for the app')
    .option('--format <format>', 'output format: json | pretty', 'json')
    .action(async (o: { format: string }) => scopes(ctx, o.format));
  auth
    .command('list')
    .description('List all logged-in users')
    .action(() => list(ctx));
  parent.addCommand(auth);
}
