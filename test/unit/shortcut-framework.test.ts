/**
 * The shortcut framework proven on a small fixture shortcut, run in-process against the fake
 * Lark platform: pipeline order, flags, inputs, identity, scopes, dry-run, output.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { http } from 'msw';
import { run } from '../../src/cli.js';
import { defineShortcut } from '../../src/shortcut/define.js';
import { DryRun } from '../../src/shortcut/dry-run.js';
import { SecretStore } from '../../src/core/secret-store.js';
import { saveConfig } from '../../src/core/config.js';
import { resolveDirs } from '../../src/core/paths.js';
import { writeUserToken } from '../../src/auth/token-store.js';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { memoryIo } from '../helpers/memory-io.js';
import { useFakeLark, expectFailure, dirAppEnv } from '../helpers/fake-lark-hooks.js';

const fixture = defineShortcut({
  service: 'im',
  command: '+fixture-echo',
  description: 'Fetch a chat (framework fixture)',
  risk: 'read',
  authTypes: ['user', 'bot'],
  scopes: ['im:chat:read'],
  hasFormat: true,
  flags: [
    { name: 'chat-id', desc: 'chat ID (oc_xxx)', required: true },
    { name: 'kind', desc: 'kind of fetch', enum: ['a', 'b'], default: 'a' },
    { name: 'note', desc: 'note text', input: ['file', 'stdin'] },
    { name: 'count', type: 'int', default: 3, desc: 'how many' },
    { name: 'tag', type: 'string_array', desc: 'repeatable tag' },
  ],
  validate(rt) {
    if (!rt.str('chat-id').startsWith('oc_')) throw new Error('unreachable in tests');
  },
  dryRun(rt) {
    return new DryRun()
      .get('/open-apis/im/v1/chats/:chat_id')
      .params({ n: rt.int('count'), kind: rt.str('kind') })
      .set('chat_id', rt.str('chat-id'))
      .set('note', rt.str('note'));
  },
  async execute(rt) {
    const data = await rt.json<Record<string, unknown>>({
      method: 'GET',
      path: `/open-apis/im/v1/chats/${rt.str('chat-id')}`,
      query: { n: rt.int('count'), kind: rt.str('kind') },
    });
    await rt.out(
      { chat: data, note: rt.str('note'), tags: rt.has('tag') ? rt.arr('tag') : undefined },
      { pretty: (d) => `chat ${(d as { chat: { name: string } }).chat.name}\n` },
    );
  },
});

const risky = defineShortcut({
  service: 'im',
  command: '+fixture-risky',
  description: 'Delete everything (fixture)',
  risk: 'high-risk-write',
  authTypes: ['bot'],
  flags: [{ name: 'note', desc: 'note text', input: ['stdin'] }],
  dryRun() {
    return new DryRun().delete('/open-apis/im/v1/fixture/all');
  },
  async execute(rt) {
    await rt.out({ done: true });
  },
});

const userOnly = defineShortcut({
  service: 'im',
  command: '+fixture-user',
  description: 'User-only fixture',
  flags: [],
  async execute(rt) {
    await rt.out({});
  },
});

const h = useFakeLark({
  eachTest: () => [http.get('*/open-apis/im/v1/chats/:id', ({ params }) => larkOk({ chat_id: params.id, name: 'Alpha \u001b[31mred' }))],
});
let dir: string;
beforeEach(() => {
  dir = h.sb.root;
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => dirAppEnv(dir, h.fake, extra);

async function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) {
  const io = memoryIo({ env: opts.env ?? env(), cwd: dir, stdin: opts.stdin, argv: ['lark-cli', ...args] });
  const code = await run(io, args, { extraShortcuts: [fixture, risky, userOnly] });
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('shortcut framework', () => {
  it('runs the pipeline and prints the success envelope with the shortcut headers', async () => {
    const r = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--tag', 'x', '--tag', 'y,z']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      identity: 'bot',
      data: { chat: { chat_id: 'oc_1', name: 'Alpha \u001b[31mred' }, note: '', tags: ['x', 'y,z'] },
    });
    const req = h.fake.requestsTo('/open-apis/im/v1/chats/oc_1');
    expect(req).toHaveLength(1);
    expect(req[0]!.query).toEqual({ kind: 'a', n: '3' });
    expect(req[0]!.headers.authorization).toBe('Bearer t-cli_test');
    expect(req[0]!.headers['x-cli-shortcut']).toBe('im:+fixture-echo');
    // a version-4 UUID (src/client/api-client.ts makes it without node:crypto)
    expect(req[0]!.headers['x-cli-execution-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects an enum value, a missing required flag, a bad int and positional arguments before any request', async () => {
    const bad = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--kind', 'c', '--as', 'bot']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error).toEqual({ type: 'validation', message: 'invalid value "c" for --kind, allowed: a, b' });
    const missing = await cli(['im', '+fixture-echo', '--as', 'bot']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error.message).toBe('required flag(s) "chat-id" not set');
    const notInt = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--count', 'x']);
    expect(notInt.code).toBe(2);
    expect(JSON.parse(notInt.stderr).error.message).toMatch(/^invalid argument "x" for "--count" flag/);
    const pos = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', 'a', 'b']);
    expect(pos.code).toBe(2);
    expect(JSON.parse(pos.stderr).error.message).toBe('positional arguments are not supported (got ["a" "b"]); pass values via flags');
    const unknown = await cli(['im', '+fixture-echo', '--nope']);
    expect(JSON.parse(unknown.stderr).error.message).toBe('unknown flag: --nope');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('reads @file and stdin inputs, and @@ escapes a literal @', async () => {
    writeFileSync(path.join(dir, 'note.txt'), 'from file\n');
    const f = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--note', '@note.txt', '--dry-run']);
    expect(JSON.parse(f.stdout).note).toBe('from file\n');
    const s = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--note', '-', '--dry-run'], { stdin: 'piped' });
    expect(JSON.parse(s.stdout).note).toBe('piped');
    const at = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--note', '@@handle', '--dry-run']);
    expect(JSON.parse(at.stdout).note).toBe('@handle');
    const outside = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--note', '@../x.txt']);
    expect(outside.code).toBe(2);
    expect(JSON.parse(outside.stderr).error.message).toMatch(/^--note: invalid file path "\.\.\/x\.txt": --file "\.\.\/x\.txt" resolves outside/);
    const missing = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--note', '@nope.txt']);
    expect(JSON.parse(missing.stderr).error.message).toBe('--note: cannot read file "nope.txt": no such file or directory');
  });

  it('prints the dry-run plan without any request (JSON and pretty)', async () => {
    const r = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(JSON.parse(r.stdout)).toEqual({
      api: [{ method: 'GET', url: '/open-apis/im/v1/chats/oc_1', params: { kind: 'a', n: 3 } }],
      chat_id: 'oc_1',
      note: '',
    });
    const p = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(p.stdout).toBe('GET /open-apis/im/v1/chats/oc_1?kind=a&n=3\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('applies --jq to the envelope and --format to the data, sanitising table cells', async () => {
    const jq = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--jq', '.data.chat.chat_id']);
    expect(jq.stdout).toBe('oc_1\n');
    const conflict = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--jq', '.', '--format', 'table']);
    expect(conflict.code).toBe(2);
    expect(JSON.parse(conflict.stderr).error.message).toBe('--jq and --format table are mutually exclusive');
    const table = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--format', 'table']);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toContain('Alpha red');
    const pretty = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot', '--format', 'pretty']);
    expect(pretty.stdout).toBe('chat Alpha \u001b[31mred\n');
  });

  it('maps an API error through the json-call rules', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats/:id', () => larkErr(232011, 'chat not found', { log_id: 'L1' }, { status: 200 })));
    const r = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'api_error', code: 232011, message: 'chat not found', detail: { log_id: 'L1' } },
    });
  });

  it('enriches a permission error with the console link', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats/:id', () =>
        larkErr(99991672, 'scope not enabled', { permission_violations: [{ subject: 'im:chat:readonly' }] }, { status: 200 }),
      ),
    );
    const r = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1', '--as', 'bot']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toEqual({
      type: 'permission',
      code: 99991672,
      message: 'App scope not enabled: required scope im:chat:readonly [99991672]',
      hint: 'enable the scope in developer console (see console_url)',
      console_url: 'https://open.feishu.cn/page/scope-apply?clientID=cli_test&scopes=im%3Achat%3Areadonly',
    });
  });

  it('checks the stored user token scopes locally before any request', async () => {
    const e = env({ LARKSUITE_CLI_APP_ID: undefined, LARKSUITE_CLI_APP_SECRET: undefined, LARKSUITE_CLI_BRAND: undefined });
    const dirs = resolveDirs(e);
    const store = new SecretStore(dirs.storeDir);
    store.set('appsecret:cli_cfg', 's3cret');
    saveConfig(dirs, {
      apps: [{ appId: 'cli_cfg', appSecret: { source: 'keychain', id: 'appsecret:cli_cfg' }, brand: h.fake.url, users: [{ userOpenId: 'ou_me', userName: 'Me' }] }],
    });
    const now = Date.now();
    writeUserToken(store, {
      userOpenId: 'ou_me', appId: 'cli_cfg', accessToken: 'u-stored', refreshToken: 'ur-1',
      expiresAt: now + 3600_000, refreshExpiresAt: now + 86400_000, scope: 'im:message offline_access', grantedAt: now,
    });
    const r = await cli(['im', '+fixture-echo', '--chat-id', 'oc_1'], { env: e });
    expectFailure(r, 3, 'user', {
      type: 'missing_scope',
      message: 'missing required scope(s): im:chat:read',
      hint: 'run `lark-cli auth login --scope "im:chat:read"` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('refuses an unsupported identity, explicit or auto-detected, and high-risk writes without --yes', async () => {
    const explicit = await cli(['im', '+fixture-user', '--as', 'bot']);
    expect(explicit.code).toBe(2);
    expect(JSON.parse(explicit.stderr)).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'validation', message: '--as bot is not supported, this command only supports: user' },
    });
    // a config account with nobody logged in auto-detects bot
    const e = env({ LARKSUITE_CLI_APP_ID: undefined, LARKSUITE_CLI_APP_SECRET: undefined, LARKSUITE_CLI_BRAND: undefined });
    const dirs = resolveDirs(e);
    saveConfig(dirs, { apps: [{ appId: 'cli_cfg', appSecret: 'plain-secret', brand: h.fake.url, users: [] }] });
    const auto = await cli(['im', '+fixture-user'], { env: e });
    expect(auto.code).toBe(2);
    expect(JSON.parse(auto.stderr).error.message).toBe(
      'resolved identity "bot" (via auto-detect or default-as) is not supported, this command only supports: user\nhint: use --as user',
    );
    const risky1 = await cli(['im', '+fixture-risky', '--as', 'bot']);
    expectFailure(risky1, 10, 'bot', {
      type: 'confirmation',
      message: 'im +fixture-risky requires confirmation',
      hint: 'add --yes to confirm; re-run: lark-cli im +fixture-risky --as bot --yes',
      risk: 'high-risk-write',
      action: 'im +fixture-risky',
    });
    // a flag reading stdin: no re-run line
    const risky3 = await cli(['im', '+fixture-risky', '--note', '-'], { stdin: 'x' });
    expect(risky3.code).toBe(10);
    expect(JSON.parse(risky3.stderr).error.hint).toBe('add --yes to confirm');
    // the dry-run needs no --yes
    const dry = await cli(['im', '+fixture-risky', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toBe('=== Dry Run ===\n');
    expect(JSON.parse(dry.stdout).api[0]).toMatchObject({ method: 'DELETE', url: '/open-apis/im/v1/fixture/all' });
    const risky2 = await cli(['im', '+fixture-risky', '--yes']);
    expect(risky2.code).toBe(0);
    expect(JSON.parse(risky2.stdout)).toMatchObject({ ok: true, data: { done: true } });
    const strict = await cli(['im', '+fixture-user'], { env: env({ LARKSUITE_CLI_STRICT_MODE: 'bot' }) });
    expect(strict.code).toBe(2);
    expect(JSON.parse(strict.stderr)).toEqual({
      ok: false,
      error: {
        type: 'strict_mode',
        message: 'strict mode is "bot", only bot identity is allowed. This setting is managed by the administrator and must not be modified by AI agents.',
      },
    });
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('typed flags', () => {
  it('accepts only declared flag names (a misspelt one fails tsc)', () => {
    const def = defineShortcut({
      service: 'im',
      command: '+fixture-typed',
      description: 'typed flags fixture',
      flags: [{ name: 'chat-id', desc: 'chat ID' }],
      prepare: (rt) => rt.str('chat-id'),
      async execute(rt, chatId) {
        // @ts-expect-error: not a declared flag
        rt.str('chat-idd');
        await rt.out({ chatId, format: rt.str('format') });
      },
    });
    expect(def.flags.map((f) => f.name)).toEqual(['chat-id']);
  });
});
