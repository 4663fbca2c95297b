/**
 * The real CLI (run in-process through test/helpers/in-process.ts) against an in-process emulator: the shared harness of the
 * emulator e2e suites. Call `useEmulatorCli()` at the top level of a test file (like
 * `useEmulator()`, whose handle it extends); each test gets the emulator reset to its seed (demo by
 * default) and a fresh sandbox.
 *
 *   const h = useEmulatorCli();
 *   const r = await h.cli(['im', '+chat-list']);                        // as the demo bot
 *   const u = await h.cli(['im', '+messages-search', '--query', 'x'], { as: 'user' }); // as Alice
 *   const b = await h.cli([...], { as: { user: DEMO.bob, scopes: ['im:message'] } });
 *   h.api()                                   // the journal without token exchanges / user_info
 *
 * Identities, the way the CLI's environment provider takes them (README "Environment"):
 * - bot: LARKSUITE_CLI_APP_ID / LARKSUITE_CLI_APP_SECRET (the CLI exchanges them for a tenant token);
 * - user: the same plus LARKSUITE_CLI_USER_ACCESS_TOKEN, a token minted in the emulator's state by
 *   `userToken()` (no device flow). With only a user token in the environment the CLI's strict mode
 *   is `user`; it first checks the token with GET /open-apis/authen/v1/user_info.
 * LARKSUITE_CLI_BRAND is the emulator's URL. Other e2e files can reuse `emulatorEnv()` with a
 * sandbox of their own to run a story against the emulator instead of a scripted fake.
 */
import { beforeEach } from 'vitest';
import { makeSandbox, type RunCliResult, type Sandbox } from './cli.js';
import { runInProcess } from './in-process.js';
import { ALL_IM_SCOPES, DEMO, useEmulator, type EmulatorHandle } from './emulator.js';
import type { StartOptions } from '../../src/emulator/index.js';
import type { JournalEntry } from '../../src/emulator/index.js';
import { loadShortcuts } from '../../src/im/shortcuts/index.js';

const SHORTCUTS = await loadShortcuts();

export { DEMO, ALL_IM_SCOPES };
export type { RunCliResult, Sandbox };

/** Every scope the CLI's IM commands name anywhere (shortcut declarations, method metadata, enrichment). */
export const CLI_USER_SCOPES: string[] = (() => {
  const s = new Set<string>(ALL_IM_SCOPES);
  for (const d of SHORTCUTS) for (const x of [...(d.scopes ?? []), ...(d.userScopes ?? []), ...(d.botScopes ?? [])]) s.add(x);
  for (const x of [
    'im:message.send_as_user', 'im:message.p2p_msg:get_as_user', 'im:message:get_as_user', 'im:chat:create_by_user', 'im:chat.group_info:readonly',
    'im:feed.shortcut:read', 'im:feed.shortcut:write', 'im:resource:upload', 'im:message:basic',
  ]) s.add(x);
  return [...s].sort();
})();

/** Who the CLI acts as: the seed's app as bot, its login_as user, or a given user (optionally with fewer scopes). */
export type As = 'bot' | 'user' | { user: string; scopes?: string[]; appId?: string } | { token: string; appId?: string };

export interface CliOptions {
  stdin?: string | Buffer;
  as?: As;
  /** Added on top of the identity's environment; `undefined` deletes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

export interface EmulatorCliHandle extends EmulatorHandle {
  /** This test's sandbox (fresh per test). */
  readonly sb: Sandbox;
  /** Spawns bin/lark-cli with the identity's environment. */
  cli(args: string[], o?: CliOptions): Promise<RunCliResult>;
  /** The environment a CLI child gets for an identity (without the sandbox's own variables). */
  env(as?: As): Record<string, string>;
  /** Journal entries of the platform API, without token exchanges and user_info checks. */
  api(): JournalEntry[];
  /** Journal entries for one method and path (exact path). */
  requestsTo(method: string, path: string): JournalEntry[];
  /** POST /_emulator/faults (one or several). */
  fault(f: Record<string, unknown> | Record<string, unknown>[]): Promise<void>;
}

/** Environment pointing the CLI at an emulator, as bot (app id + secret). */
export function emulatorBotEnv(url: string, appId: string = DEMO.appId, appSecret: string = DEMO.appSecret): Record<string, string> {
  return { LARKSUITE_CLI_BRAND: url, LARKSUITE_CLI_APP_ID: appId, LARKSUITE_CLI_APP_SECRET: appSecret };
}

/** Environment pointing the CLI at an emulator, as the owner of a user access token. */
export function emulatorUserEnv(url: string, userToken: string, appId: string = DEMO.appId, appSecret: string = DEMO.appSecret): Record<string, string> {
  return { ...emulatorBotEnv(url, appId, appSecret), LARKSUITE_CLI_USER_ACCESS_TOKEN: userToken };
}

const QUIET: Record<string, string> = { TZ: 'UTC', LARKSUITE_CLI_RETRY_BASE_MS: '20', NO_COLOR: '1' };

/** Paths the CLI calls for itself rather than for the story (token exchange, env user-token check). */
export function isAuthPath(p: string): boolean {
  return p.startsWith('/open-apis/auth/') || p === '/open-apis/authen/v1/user_info';
}

export function useEmulatorCli(opts: Omit<StartOptions, 'port' | 'host'> = {}): EmulatorCliHandle {
  const h = useEmulator(opts);
  let sb: Sandbox | undefined;
  beforeEach(async () => {
    sb = await makeSandbox();
    const mine = sb;
    return () => mine.cleanup();
  });
  const app = (appId?: string) => {
    const a = appId ? h.emu.db.get('apps', appId) : [...h.emu.db.t.apps.values()][0];
    if (!a) throw new Error(`no app ${appId ?? ''} in the emulator's state`);
    return a;
  };
  const env = (as: As = 'bot'): Record<string, string> => {
    if (as === 'bot') {
      const a = app();
      return { ...QUIET, ...emulatorBotEnv(h.url, a.app_id, a.app_secret) };
    }
    if (as === 'user') {
      const a = app();
      return { ...QUIET, ...emulatorUserEnv(h.url, h.userToken(undefined, CLI_USER_SCOPES, a.app_id), a.app_id, a.app_secret) };
    }
    const a = app(as.appId);
    const token = 'token' in as ? as.token : h.userToken(as.user, as.scopes ?? CLI_USER_SCOPES, a.app_id);
    return { ...QUIET, ...emulatorUserEnv(h.url, token, a.app_id, a.app_secret) };
  };
  const handle: EmulatorCliHandle = Object.create(h);
  Object.defineProperties(handle, {
    sb: {
      get() {
        if (!sb) throw new Error('no sandbox yet (use h.sb inside a test)');
        return sb;
      },
    },
  });
  handle.env = env;
  handle.cli = (args, o = {}) => {
    if (!sb) throw new Error('no sandbox yet (call h.cli inside a test)');
    return runInProcess(args, { sandbox: sb, env: { ...env(o.as), ...(o.env ?? {}) }, stdin: o.stdin, cwd: o.cwd, timeoutMs: o.timeoutMs ?? 20_000 });
  };
  handle.api = () => h.journal().filter((e) => !isAuthPath(e.path));
  handle.requestsTo = (method, path) => h.journal().filter((e) => e.method === method.toUpperCase() && e.path === path);
  handle.fault = async (f) => {
    const r = await h.call('POST', '/_emulator/faults', { json: f });
    if (r.body?.code !== 0) throw new Error(`fault not armed: ${JSON.stringify(r.body)}`);
  };
  return handle;
}
