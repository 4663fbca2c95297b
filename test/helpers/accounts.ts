/**
 * Test accounts: write a config-file account into a sandbox the way `config init` and
 * `auth login` leave it (config.json + encrypted app secret + optional stored user token),
 * so e2e tests can start from "configured", "logged in", "token needs refresh", etc.
 *
 * The files are written with the CLI's own modules (config.ts saveConfig, SecretStore,
 * token-store writeUserToken), so they are byte-compatible with what the binary reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig, ConfigFile, DefaultAs, StrictMode } from '../../src/core/config.js';
import { saveConfig } from '../../src/core/config.js';
import { resolveDirs, type Dirs } from '../../src/core/paths.js';
import { appSecretAccount, SecretStore, userTokenAccount } from '../../src/core/secret-store.js';
import { readUserToken, writeUserToken, type StoredToken } from '../../src/auth/token-store.js';
import type { Sandbox } from './cli.js';

export type { StoredToken } from '../../src/auth/token-store.js';

/** Defaults used by every helper below (same app as `botEnv`). */
export const TEST_APP_ID = 'cli_test';
export const TEST_APP_SECRET = 's3cret';
export const TEST_USER_OPEN_ID = 'ou_test_user';
export const TEST_USER_NAME = 'Test User';
export const TEST_USER_TOKEN = 'u-test-user-token';
export const TEST_REFRESH_TOKEN = 'ur-test-refresh-token';

export interface TestUser {
  openId?: string;
  name?: string;
  /**
   * The stored token record: fields to override on a valid token (access token `u-test-user-token`,
   * expires in 2 h, refresh token valid 7 days, scope `im:message offline_access`), or `false`
   * for a user listed in the config without any stored token.
   */
  token?: Partial<StoredToken> | false;
}

export interface TestApp {
  appId?: string;
  /** The app secret, stored encrypted under `appsecret:<appId>` (default `s3cret`). */
  appSecret?: string;
  /**
   * How config.json refers to the secret: `keychain` (default, like `config init`), `plain`
   * (the secret as a JSON string), or `file` (a file next to config.json, `{source:"file"}`).
   */
  secretAs?: 'keychain' | 'plain' | 'file';
  /** `feishu`, `lark`, or a base URL (normally the fake server's `url`). */
  brand: string;
  name?: string;
  lang?: string;
  defaultAs?: DefaultAs;
  strictMode?: StrictMode;
  /** Logged-in user (users[0]) and their stored token. */
  user?: TestUser;
}

export interface TestAccountOptions extends TestApp {
  /** More profiles after the first one. */
  moreApps?: TestApp[];
  /** Global `strictMode`. */
  globalStrictMode?: StrictMode;
  currentApp?: string;
  previousApp?: string;
}

export interface WrittenAccount {
  dirs: Dirs;
  configFile: string;
  storeDir: string;
  /** The token record written for the first app's user, if any. */
  userToken?: StoredToken;
}

/** The CLI's directory layout for this sandbox (same env the child gets). */
export function sandboxDirs(sandbox: Sandbox): Dirs {
  return resolveDirs({ HOME: sandbox.home, LARKSUITE_CLI_CONFIG_DIR: sandbox.config, LARKSUITE_CLI_DATA_DIR: sandbox.data });
}

/** The sandbox's secret store (`<data>/lark-cli`). */
export function sandboxStore(sandbox: Sandbox): SecretStore {
  return new SecretStore(sandboxDirs(sandbox).storeDir);
}

/** A full token record for `appId`/`openId` with sensible valid defaults, overridden by `over`. */
export function makeUserToken(appId: string, openId: string, over: Partial<StoredToken> = {}): StoredToken {
  const now = Date.now();
  return {
    userOpenId: openId,
    appId,
    accessToken: TEST_USER_TOKEN,
    refreshToken: TEST_REFRESH_TOKEN,
    expiresAt: now + 2 * 3600_000,
    refreshExpiresAt: now + 7 * 24 * 3600_000,
    scope: 'im:message offline_access',
    grantedAt: now - 60_000,
    ...over,
  };
}

function writeApp(sandbox: Sandbox, store: SecretStore, app: TestApp): { entry: AppConfig; token?: StoredToken } {
  const appId = app.appId ?? TEST_APP_ID;
  const secret = app.appSecret ?? TEST_APP_SECRET;
  let appSecret: AppConfig['appSecret'];
  if (app.secretAs === 'plain') appSecret = secret;
  else if (app.secretAs === 'file') {
    const file = path.join(sandbox.config, `secret-${appId}.txt`);
    writeSecretFile(file, secret);
    appSecret = { source: 'file', id: file };
  } else {
    store.set(appSecretAccount(appId), secret);
    appSecret = { source: 'keychain', id: appSecretAccount(appId) };
  }
  const entry: AppConfig = { appId, appSecret, brand: app.brand, users: [] };
  if (app.name) entry.name = app.name;
  if (app.lang) entry.lang = app.lang;
  if (app.defaultAs) entry.defaultAs = app.defaultAs;
  if (app.strictMode) entry.strictMode = app.strictMode;
  let token: StoredToken | undefined;
  if (app.user) {
    const openId = app.user.openId ?? TEST_USER_OPEN_ID;
    entry.users = [{ userOpenId: openId, userName: app.user.name ?? TEST_USER_NAME }];
    if (app.user.token !== false) {
      token = makeUserToken(appId, openId, app.user.token ?? {});
      writeUserToken(store, token);
    }
  }
  return { entry, token };
}

function writeSecretFile(file: string, secret: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
}

/**
 * Writes config.json (and the secret store entries) for a config-file account.
 * Example: `await writeTestAccount(sb, { brand: fake.url, user: {} })` → app `cli_test` with
 * secret `s3cret` and a logged-in user `ou_test_user` holding a valid token `u-test-user-token`.
 */
export async function writeTestAccount(sandbox: Sandbox, opts: TestAccountOptions): Promise<WrittenAccount> {
  const dirs = sandboxDirs(sandbox);
  const store = new SecretStore(dirs.storeDir);
  const first = writeApp(sandbox, store, opts);
  const apps = [first.entry, ...(opts.moreApps ?? []).map((a) => writeApp(sandbox, store, a).entry)];
  const cfg: ConfigFile = { apps };
  if (opts.globalStrictMode) cfg.strictMode = opts.globalStrictMode;
  if (opts.currentApp) cfg.currentApp = opts.currentApp;
  if (opts.previousApp) cfg.previousApp = opts.previousApp;
  saveConfig(dirs, cfg);
  return { dirs, configFile: dirs.configFile, storeDir: dirs.storeDir, userToken: first.token };
}

/** Writes (or replaces) a stored user token record. */
export function writeStoredUserToken(sandbox: Sandbox, token: StoredToken): void {
  writeUserToken(sandboxStore(sandbox), token);
}

/** Reads a stored user token record back (undefined when absent or unreadable). */
export function readStoredUserToken(sandbox: Sandbox, appId = TEST_APP_ID, openId = TEST_USER_OPEN_ID): StoredToken | undefined {
  return readUserToken(sandboxStore(sandbox), appId, openId);
}

/** Reads any secret-store entry in clear ('' when absent), e.g. `appsecret:cli_test`. */
export function readStoredSecret(sandbox: Sandbox, account: string): string {
  return sandboxStore(sandbox).get(account);
}

export { appSecretAccount, userTokenAccount };
