/**
 * In-process emulator for tests: `useEmulator()` starts one on a free loopback port before the
 * file's tests, resets it to its seed (and clears journal and faults) before each test, and stops
 * it after. `call()` talks to it as any HTTP client would.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/emulator/index.js';
import type { Emulator, JournalEntry } from '../../src/emulator/index.js';
import { issueUserToken } from '../../src/emulator/model/tokens.js';
import { DEMO } from '../../src/emulator/seeds/demo.js';

export { DEMO };

export interface CallOptions {
  token?: string;
  json?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A raw body (multipart uploads, malformed JSON). */
  body?: Buffer | string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined when the body is not JSON). */
  body: any;
  raw: Buffer;
}

export interface EmulatorHandle {
  readonly url: string;
  readonly emu: Emulator;
  readonly running: RunningEmulator;
  call(method: string, path: string, o?: CallOptions): Promise<CallResult>;
  /** A tenant token for the app (the seed's first app by default). */
  tenantToken(appId?: string): Promise<string>;
  /** A user token made directly in the state (no device flow), with these scopes (default: every scope the app has, or a wide list). */
  userToken(openId?: string, scopes?: string[], appId?: string): string;
  journal(): JournalEntry[];
}

/** The scopes a test user token carries by default: every scope the IM commands use. */
export const ALL_IM_SCOPES = [
  'im:message', 'im:message:readonly', 'im:message:send_as_bot', 'im:message:recall', 'im:message:update', 'im:message.urgent', 'im:message.urgent:phone', 'im:message.urgent:sms',
  'im:message.reactions:read', 'im:message.reactions:write_only', 'im:message.pins:read', 'im:message.pins:write_only', 'im:message.group_msg', 'im:message.p2p_msg:readonly', 'im:message.group_msg:get_as_user',
  'im:chat', 'im:chat:readonly', 'im:chat:read', 'im:chat:create', 'im:chat:update', 'im:chat.members:read', 'im:chat.members:write_only', 'im:chat.managers:write_only',
  'im:chat.moderation:read', 'im:chat:moderation:write_only', 'im:chat.user_setting:read', 'im:chat.user_setting:write', 'im:resource', 'im:feed_group_v1:read', 'im:feed_group_v1:write',
  'im:feed.flag:read', 'im:feed.flag:write', 'im:feed.shortcut:read', 'im:feed.shortcut:write', 'im:chat:read_as_user', 'search:message', 'contact:user.base:readonly', 'contact:user.basic_profile:readonly',
  'offline_access',
];

export async function call(base: string, method: string, path: string, o: CallOptions = {}): Promise<CallResult> {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: BodyInit | undefined;
  if (o.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    body = JSON.stringify(o.json);
  } else if (o.body !== undefined) body = o.body as BodyInit;
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const raw = Buffer.from(await res.arrayBuffer());
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, raw };
}

export function useEmulator(opts: Omit<StartOptions, 'port' | 'host'> = {}): EmulatorHandle {
  let running: RunningEmulator | undefined;
  const need = (): RunningEmulator => {
    if (!running) throw new Error('emulator not started (useEmulator must be called at the top of a describe/file)');
    return running;
  };
  beforeAll(async () => {
    running = await startEmulator({ seed: 'demo', ...opts, port: 0, host: '127.0.0.1' });
  });
  beforeEach(() => {
    const r = need();
    r.emulator.resetToSeed();
    r.emulator.journal.length = 0;
    r.emulator.faults = [];
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    get url() {
      return need().url;
    },
    get emu() {
      return need().emulator;
    },
    get running() {
      return need();
    },
    call: (method, path, o) => call(need().url, method, path, o),
    async tenantToken(appId) {
      const emu = need().emulator;
      const app = appId ? emu.db.get('apps', appId) : [...emu.db.t.apps.values()][0];
      if (!app) throw new Error(`no app ${appId ?? ''} in the seed`);
      const r = await call(need().url, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: { app_id: app.app_id, app_secret: app.app_secret } });
      if (r.body?.code !== 0) throw new Error(`tenant token: ${JSON.stringify(r.body)}`);
      return r.body.tenant_access_token as string;
    },
    userToken(openId, scopes, appId) {
      const emu = need().emulator;
      const app = appId ? emu.db.get('apps', appId) : [...emu.db.t.apps.values()][0];
      const user = openId ?? emu.loginAs;
      if (!app || !user) throw new Error('no app or user for a user token');
      return issueUserToken(emu.db, app.app_id, user, scopes ?? ALL_IM_SCOPES, emu.clock.now()).access.token;
    },
    journal: () => need().emulator.journal,
  };
}

/**
 * A seed with one app granted only `scopes`, one user, and one chat the user owns with the app as
 * its bot; the ids end in `n`, so that seeds of several files differ.
 */
export function limitedAppSeed(n: number, appName: string, userName: string, scopes: string[]) {
  const app = `cli_limited${String(n).padStart(7, '0')}`;
  const user = `ou_limited${String(n).padStart(23, '0')}`;
  const chat = `oc_limited${String(n).padStart(25, '0')}`;
  return {
    app,
    user,
    chat,
    seed: {
      apps: [{ app_id: app, app_secret: 's', name: appName, scopes }],
      users: [{ open_id: user, name: userName }],
      chats: [{ chat_id: chat, name: 'Room', owner: user, members: [user], bots: [app] }],
    },
  };
}
