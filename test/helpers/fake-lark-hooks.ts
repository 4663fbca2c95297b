/**
 * The set-up the e2e files share: one fake Lark platform per file, its handlers and recorded
 * requests reset before each test, a sandbox (fresh per test, or one per file), and the CLI run
 * in-process against them. Call at the top level of a test file; the returned object's `fake`
 * and `sb` are getters, valid inside tests (the hooks set them).
 *
 *   const h = useFakeLark({
 *     handlers?, latencyMs?,       // for the server, as startFakeLark takes them
 *     eachTest?: () => handlers,   // added after each reset, built anew per test
 *     sandbox?: 'test' | 'file',   // a fresh sandbox per test (default) or one for the file
 *     setup?: (h) => …,            // runs once the sandbox exists (per test, or once per file)
 *     env?: {…} | () => {…},       // env of h.cli (on top of the sandbox env)
 *   });
 *   await h.cli('im', '+chat-list');  h.apiCalls();  await h.expectValidation(args, message);
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startFakeLark, type FakeLark, type FakeLarkOptions, type RecordedRequest, type RequestHandler } from '../fake-lark/server.js';
import { makeSandbox, type RunCliOptions, type RunCliResult, type Sandbox } from './cli.js';
import { runInProcess } from './in-process.js';

type Env = Record<string, string | undefined>;

export interface FakeLarkHooks {
  readonly fake: FakeLark;
  readonly sb: Sandbox;
  /** Runs the CLI in-process in the sandbox with the hook's env. */
  cli(...args: string[]): Promise<RunCliResult>;
  /** As `cli`, with more options (stdin, cwd; `env` is added to the hook's env). */
  run(args: string[], opts?: Omit<RunCliOptions, 'sandbox'>): Promise<RunCliResult>;
  /** Requests other than the token exchanges (`/open-apis/auth/…`). */
  apiCalls(): RecordedRequest[];
  /** The requests to one path, token exchanges excluded. */
  calls(path: string): RecordedRequest[];
  /** A validation envelope, exit 2, nothing on stdout and no API request. */
  expectValidation(args: string[], message: string): Promise<void>;
  /** Removes the sandbox and starts an empty one (within a test). */
  freshSandbox(): Promise<Sandbox>;
}

export interface FakeLarkHookOptions extends FakeLarkOptions {
  eachTest?: () => RequestHandler[];
  sandbox?: 'test' | 'file';
  setup?: (h: FakeLarkHooks) => unknown;
  env?: Env | (() => Env);
}

export function useFakeLark(opts: FakeLarkHookOptions = {}): FakeLarkHooks {
  const { eachTest, setup, sandbox = 'test', env = {}, ...serverOpts } = opts;
  let fake: FakeLark | undefined;
  let sb: Sandbox | undefined;
  const hookEnv = (): Env => (typeof env === 'function' ? env() : env);
  const h: FakeLarkHooks = {
    get fake() {
      if (!fake) throw new Error('useFakeLark: the fake platform is not started (read it inside a test)');
      return fake;
    },
    get sb() {
      if (!sb) throw new Error('useFakeLark: no sandbox yet (read it inside a test)');
      return sb;
    },
    run: (args, o = {}) => runInProcess(args, { ...o, sandbox: h.sb, env: { ...hookEnv(), ...o.env } }),
    cli: (...args) => h.run(args),
    apiCalls: () => h.fake.requests.filter((r) => !r.path.startsWith('/open-apis/auth/')),
    calls: (p) => h.apiCalls().filter((r) => r.path === p),
    async freshSandbox() {
      await sb?.cleanup();
      sb = await makeSandbox();
      return sb;
    },
    async expectValidation(args, message) {
      const r = await h.cli(...args);
      expect(r.stdout).toBe('');
      expectErrorEnvelope(r, 2, 'validation', message);
      expect(h.apiCalls()).toHaveLength(0);
    },
  };
  beforeAll(async () => {
    fake = await startFakeLark(serverOpts);
    if (sandbox === 'file') {
      sb = await makeSandbox();
      await setup?.(h);
    }
  });
  afterAll(async () => {
    await fake?.close();
    if (sandbox === 'file') await sb?.cleanup();
  });
  beforeEach(async () => {
    h.fake.resetHandlers();
    h.fake.clearRequests();
    if (eachTest) h.fake.use(...eachTest());
    if (sandbox === 'file') return undefined;
    sb = await makeSandbox();
    await setup?.(h);
    return () => sb?.cleanup();
  });
  return h;
}

/**
 * The error envelope on stderr: exit code `exit`, `error.type` `type` (and, when given, exactly
 * this message and nothing else in `error`). Returns the envelope's `error` for further checks.
 */
export function expectErrorEnvelope(r: RunCliResult, exit: number, type: string, message?: string): any {
  expect(r.code, r.stderr).toBe(exit);
  const error = r.errJson().error;
  if (message === undefined) expect(error.type).toBe(type);
  else expect(error).toEqual({ type, message });
  return error;
}

/** `body` as JSON on stdout, nothing on stderr, exit code `exit`. */
export function expectJsonOut(r: RunCliResult, exit: number, body: unknown): void {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(exit);
  expect(r.json()).toEqual(body);
}

/** The whole error envelope `body` on stderr, nothing on stdout, exit code `exit`. */
export function expectJsonErr(r: RunCliResult, exit: number, body: unknown): void {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe('');
  expect(r.errJson()).toEqual(body);
}

/** Env for a bot whose tenant token comes from the environment (no token exchange), fast backoff. */
export function envTokenEnv(fake: { url: string }, extra: Env = {}): Env {
  return {
    LARKSUITE_CLI_APP_ID: 'cli_test',
    LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-env',
    LARKSUITE_CLI_BRAND: fake.url,
    LARKSUITE_CLI_RETRY_BASE_MS: '20',
    ...extra,
  };
}

/**
 * The failure envelope `{ ok: false, identity, error }` on stderr, exactly, nothing on stdout,
 * exit code `exit`. Takes any result with code, stdout and stderr (a run in-process or spawned).
 */
export function expectFailure(r: { code: number; stdout: string; stderr: string }, exit: number, identity: string, error: unknown): void {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe('');
  expect(JSON.parse(r.stderr)).toEqual({ ok: false, identity, error });
}

/**
 * A failure whose message is only known by its shape: nothing on stdout, exit code `exit`, the
 * envelope's identity and `error.type` as given and `error.message` matching `message`.
 */
export function expectFailureLike(r: RunCliResult, exit: number, identity: string, type: string, message: RegExp): void {
  expect(r.stdout).toBe('');
  const e = r.errJson();
  expect(e.identity).toBe(identity);
  expect(e.error.type).toBe(type);
  expect(e.error.message).toMatch(message);
  expect(r.code).toBe(exit);
}

/**
 * Env for a run whose config, data and home all sit in `dir` (a sandbox's root), as the app
 * `cli_test` with a secret, against `fake`; `extra` is applied last (`undefined` deletes).
 */
export function dirAppEnv(dir: string, fake: { url: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    LARKSUITE_CLI_CONFIG_DIR: path.join(dir, 'config'),
    LARKSUITE_CLI_DATA_DIR: path.join(dir, 'data'),
    HOME: dir,
    LARKSUITE_CLI_APP_ID: 'cli_test',
    LARKSUITE_CLI_APP_SECRET: 's3cret',
    LARKSUITE_CLI_BRAND: fake.url,
    ...extra,
  };
}

/** Exit code 0 and exactly `lines` on stdout, joined by newlines (end with '' for a final newline). */
export function expectStdoutLines(r: { code: number; stdout: string; stderr: string }, lines: string[]): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe(lines.join('\n'));
}

/** Exit code `exit`, exactly `stdout` on stdout and `stderr` on stderr. */
export function expectOutput(r: { code: number; stdout: string; stderr: string }, exit: number, stdout: string, stderr: string): void {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe(stdout);
  expect(r.stderr).toBe(stderr);
}

/** stderr begins with the progress `lines` (one a line); returns the JSON that follows them. */
export function jsonAfterProgress(stderr: string, lines: string[]): any {
  const all = stderr.split('\n');
  expect(all.slice(0, lines.length)).toEqual(lines);
  return JSON.parse(all.slice(lines.length).join('\n'));
}
