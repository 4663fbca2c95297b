/**
 * Spawn the real CLI (`bin/lark-cli`) in an isolated sandbox, typically
 * against the fake Lark server from `test/fake-lark/server.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (two levels above test/helpers/). */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of `<repo>/bin/lark-cli`. */
export const CLI: string = path.join(REPO_ROOT, 'bin', 'lark-cli');

export interface Sandbox {
  /** Temp dir holding everything below. */
  root: string;
  /** HOME of the child. XDG_CONFIG_HOME=home/.config, XDG_DATA_HOME=home/.local/share, etc. */
  home: string;
  /** LARKSUITE_CLI_CONFIG_DIR. */
  config: string;
  /** LARKSUITE_CLI_DATA_DIR. */
  data: string;
  /** Default cwd of the child. */
  work: string;
  /** Remove the whole sandbox. Idempotent. */
  cleanup(): Promise<void>;
}

export interface RunCliOptions {
  sandbox: Sandbox;
  /** Applied last on top of the clean sandbox env; `undefined` deletes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. When absent stdin is closed immediately. */
  stdin?: string | Buffer;
  /** Defaults to `sandbox.work`. */
  cwd?: string;
  /** Defaults to 15000. On timeout the child is SIGKILLed and the promise rejects. */
  timeoutMs?: number;
  /** Script to run instead of `CLI` (for testing the helper itself). */
  cliPath?: string;
}

export interface RunCliResult {
  /** Exit code; 128+signal number when killed by a signal. */
  code: number;
  stdout: string;
  stderr: string;
  /** JSON.parse(stdout); throws a descriptive error when stdout is not JSON. */
  json(): any;
  /** JSON.parse(stderr); throws a descriptive error when stderr is not JSON. */
  errJson(): any;
}

export async function makeSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(path.join(tmpdir(), 'lark-cli-test-'));
  const home = path.join(root, 'home');
  const config = path.join(root, 'config');
  const data = path.join(root, 'data');
  const work = path.join(root, 'work');
  await Promise.all([home, config, data, work].map((d) => mkdir(d, { recursive: true })));
  let removed = false;
  return {
    root,
    home,
    config,
    data,
    work,
    async cleanup(): Promise<void> {
      if (removed) return;
      removed = true;
      await rm(root, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    },
  };
}

/** The environment a CLI child starts from (before `opts.env` is applied). */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;
  env.HOME = sandbox.home;
  env.XDG_CONFIG_HOME = path.join(sandbox.home, '.config');
  env.XDG_DATA_HOME = path.join(sandbox.home, '.local', 'share');
  env.XDG_CACHE_HOME = path.join(sandbox.home, '.cache');
  env.XDG_STATE_HOME = path.join(sandbox.home, '.local', 'state');
  env.LARKSUITE_CLI_CONFIG_DIR = sandbox.config;
  env.LARKSUITE_CLI_DATA_DIR = sandbox.data;
  return env;
}

export function parseJson(text: string, stream: 'stdout' | 'stderr', result: { code: number; stdout: string; stderr: string }): any {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `lark-cli ${stream} is not valid JSON (${reason}); exit code ${result.code}\n` +
        `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}

/** The sandbox env with `extra` applied on top (`undefined` deletes a variable). */
export function cliEnv(sandbox: Sandbox, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = sandboxEnv(sandbox);
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Spawns bin/lark-cli (for what needs a process; everything else runs through `runInProcess`). */
export function runCli(args: string[], opts: RunCliOptions): Promise<RunCliResult> {
  const env = cliEnv(opts.sandbox, opts.env);
  const cwd = opts.cwd ?? opts.sandbox.work;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  return new Promise<RunCliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [opts.cliPath ?? CLI, ...args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    let timedOut = false;

    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // The child may exit before consuming stdin: ignore EPIPE and friends.
    child.stdin.on('error', () => {});

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`failed to spawn lark-cli ${JSON.stringify(args)}: ${e.message}`));
    });

    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new Error(
            `lark-cli ${JSON.stringify(args)} timed out after ${timeoutMs} ms and was killed\n` +
              `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
          ),
        );
        return;
      }
      const exit =
        code ?? (signal ? 128 + ((osConstants.signals as Record<string, number>)[signal] ?? 0) : 1);
      const result = { code: exit, stdout, stderr };
      resolve({
        ...result,
        json: () => parseJson(stdout, 'stdout', result),
        errJson: () => parseJson(stderr, 'stderr', result),
      });
    });

    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/** Env for bot (tenant token) auth against the fake server. */
export function botEnv(fake: { url: string }): Record<string, string> {
  return {
    LARKSUITE_CLI_APP_ID: 'cli_test',
    LARKSUITE_CLI_APP_SECRET: 's3cret',
    LARKSUITE_CLI_BRAND: fake.url,
  };
}
