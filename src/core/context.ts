/**
 * One command run's view of the world: streams, directories, the config file, and the account
 * resolved by the credential chain (environment provider, then config file).
 */
import { readFileSync } from 'node:fs';
import { CliError, NOT_CONFIGURED_HINT } from './errors.js';
import type { AppConfig, ConfigFile, DefaultAs, LoadResult, StrictMode, UserRef } from './config.js';
import { loadConfig, profileDisplayName, selectProfile } from './config.js';
import type { Io } from './io.js';
import { resolveDirs, type Dirs } from './paths.js';
import { appSecretAccount, SecretStore } from './secret-store.js';

export interface Account {
  source: 'env' | 'config';
  appId: string;
  brand: string;
  /** `''` when unset. */
  defaultAs: DefaultAs | '';
  /** Effective strict mode. */
  strictMode: StrictMode;
  /** Profile name ('' for the environment account). */
  profileName: string;
  /** Logged-in user of a config account (users[0]); for env accounts set after verification. */
  user?: UserRef;
  envUserToken?: string;
  envTenantToken?: string;
  /** The environment user token was checked with user_info (or assumed, under --dry-run). */
  envUserVerified?: boolean;
  /** Resolves the app secret (may read the secret store); '' when there is none. */
  appSecret(): string;
  /** The config-file profile, for config accounts. */
  profile?: AppConfig;
}

/** Where a run's auth log goes (auth/auth-log.ts writes it). */
export interface AuthLogTarget {
  logDir: string;
  /** The command line as typed, program name first. */
  argv: string[];
}

/** Records a secret-store failure in the auth log (auth/auth-log.ts logKeychainError; cli.ts passes it in). */
export type StoreErrorLogger = (target: AuthLogTarget, op: string, error: string) => void;

export class Context {
  readonly dirs: Dirs;
  private cfg?: LoadResult;
  private acct?: { account?: Account; error?: CliError };
  private storeInst?: SecretStore;

  constructor(
    readonly io: Io,
    readonly profileOverride: string | undefined,
    private readonly logStoreError?: StoreErrorLogger,
  ) {
    this.dirs = resolveDirs(io.env);
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  get store(): SecretStore {
    this.storeInst ??= new SecretStore(this.dirs.storeDir, (op, msg) => this.logStoreError?.(this.authLog, op, msg));
    return this.storeInst;
  }

  /** Where auth responses and secret-store failures are logged (auth/auth-log.ts). */
  get authLog(): AuthLogTarget {
    return { logDir: this.dirs.logDir, argv: this.io.argv };
  }

  config(): LoadResult {
    this.cfg ??= loadConfig(this.dirs);
    return this.cfg;
  }

  /** Forget the cached config (after a command saved a new one). */
  invalidate(): void {
    this.cfg = undefined;
    this.acct = undefined;
  }

  /** The config file, or the `not configured` error (hint variant for config/profile commands). */
  requireConfigFile(hint = 'run: lark-cli config init'): ConfigFile {
    const c = this.config();
    if (c.state === 'ok') return c.config;
    throw new CliError('config', 'not configured', { hint });
  }

  /**
   * The strict mode the command tree is built with: the account's, `off` when there is none
   * (help and errors need no account). bin/lark-cli's help pages ask it too (src/help-gate.ts).
   */
  strictMode(): StrictMode {
    return this.tryAccount().account?.strictMode ?? 'off';
  }

  /** The account, or throws the config/env error. */
  account(): Account {
    const r = this.tryAccount();
    if (r.error) throw r.error;
    return r.account!;
  }

  tryAccount(): { account?: Account; error?: CliError } {
    if (!this.acct) {
      try {
        this.acct = { account: this.resolveAccount() };
      } catch (e) {
        this.acct = { error: e instanceof CliError ? e : new CliError('internal', String(e)) };
      }
    }
    return this.acct;
  }

  private resolveAccount(): Account {
    const env = this.env;
    const fromEnv = envAccount(env);
    if (fromEnv) return fromEnv;
    const c = this.config();
    if (c.state !== 'ok') throw new CliError('config', 'not configured', { hint: NOT_CONFIGURED_HINT });
    const cfg = c.config;
    const p = selectProfile(cfg, this.profileOverride);
    const ref = p.appSecret;
    if (typeof ref === 'object' && ref.source === 'keychain' && ref.id !== appSecretAccount(p.appId)) {
      throw new CliError('config', 'appId and appSecret keychain key are out of sync', {
        hint: `appSecret keychain key "${ref.id}" does not match appId "${p.appId}" (expected "appsecret:${p.appId}"); please run \`lark-cli config init\` to reconfigure`,
      });
    }
    const strict = p.strictMode ?? cfg.strictMode ?? 'off';
    let secretCache: string | undefined;
    const store = () => this.store;
    return {
      source: 'config',
      appId: p.appId,
      brand: p.brand || 'feishu',
      defaultAs: p.defaultAs ?? '',
      strictMode: strict === 'bot' || strict === 'user' ? strict : 'off',
      profileName: profileDisplayName(p),
      user: p.users[0] && p.users[0].userOpenId ? p.users[0] : undefined,
      profile: p,
      appSecret() {
        if (secretCache !== undefined) return secretCache;
        if (typeof ref === 'string') secretCache = ref;
        else if (ref.source === 'file') {
          try {
            secretCache = readFileSync(ref.id, 'utf8').trim();
          } catch (e) {
            throw new CliError('config', `failed to read app secret file: ${(e as Error).message}`);
          }
        } else secretCache = store().get(ref.id);
        return secretCache;
      },
    };
  }
}

/** The environment provider; undefined = skip to the config file. */
export function envAccount(env: NodeJS.ProcessEnv): Account | undefined {
  const appId = env.LARKSUITE_CLI_APP_ID || '';
  const secret = env.LARKSUITE_CLI_APP_SECRET || '';
  const uat = env.LARKSUITE_CLI_USER_ACCESS_TOKEN || '';
  const tat = env.LARKSUITE_CLI_TENANT_ACCESS_TOKEN || '';
  const block = (reason: string) => new CliError('config', `blocked by env: ${reason}`);
  if (!appId && !secret) {
    if (uat) throw block('LARKSUITE_CLI_USER_ACCESS_TOKEN is set but LARKSUITE_CLI_APP_ID is missing');
    if (tat) throw block('LARKSUITE_CLI_TENANT_ACCESS_TOKEN is set but LARKSUITE_CLI_APP_ID is missing');
    return undefined;
  }
  if (!appId) throw block('LARKSUITE_CLI_APP_SECRET is set but LARKSUITE_CLI_APP_ID is missing');
  if (!secret && !uat && !tat) throw block('LARKSUITE_CLI_APP_ID is set but no app secret or access token is available');
  let defaultAs = env.LARKSUITE_CLI_DEFAULT_AS || '';
  if (defaultAs && defaultAs !== 'user' && defaultAs !== 'bot' && defaultAs !== 'auto') {
    throw block(`invalid LARKSUITE_CLI_DEFAULT_AS "${defaultAs}" (want user, bot, or auto)`);
  }
  if (!defaultAs) defaultAs = uat ? 'user' : tat ? 'bot' : '';
  const sm = env.LARKSUITE_CLI_STRICT_MODE || '';
  let strict: StrictMode;
  if (sm === 'bot' || sm === 'user' || sm === 'off') strict = sm;
  else if (sm) throw block(`invalid LARKSUITE_CLI_STRICT_MODE "${sm}" (want bot, user, or off)`);
  else strict = uat && !tat ? 'user' : tat && !uat ? 'bot' : 'off';
  return {
    source: 'env',
    appId,
    brand: env.LARKSUITE_CLI_BRAND || 'feishu',
    defaultAs: defaultAs as DefaultAs | '',
    strictMode: strict,
    profileName: '',
    envUserToken: uat || undefined,
    envTenantToken: tat || undefined,
    appSecret: () => secret,
  };
}
