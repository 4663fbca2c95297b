/**
 * Foundation fuzz: hundreds of deterministic random command lines (seeded PRNG) run against the
 * real binary. Whatever the input, the CLI must exit with a code in 0..5, never print a stack
 * trace (docs/compatibility.md), and report every failure as a JSON envelope (docs/compatibility.md).
 *
 * Four workers, each with its own sandbox, run a fixed share of the cases in order, so every
 * sandbox sees the same sequence on every run. Any accidental request to a real host goes to a
 * closed local proxy port instead of the internet.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { dropConnection, startFakeLark, type FakeLark } from '../fake-lark/server.js';
import { jsonResponse, larkOk } from '../fake-lark/handlers.js';
import { makeSandbox, runCli, type RunCliResult, type Sandbox } from '../helpers/cli.js';
import { closedPort } from '../helpers/net.js';

const SEED = 0x1a2b3c4d;
const CASES = 500;
const WORKERS = 4;
const RUN_TIMEOUT_MS = 20_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = 'A'.repeat(20_000);
const JSON_JUNK = [
  '{',
  '[1,',
  '"x"',
  '{"a":}',
  'null',
  '[]',
  '{}',
  '{"a":1}',
  '{"page_size":1e400}',
  '{"chat_id":"../x"}',
  '{"page_token":null,"x":{"y":[1,{"z":true}]}}',
  "'{\"a\":1}'",
  '@missing-file',
  '@',
  '@@{}',
  '@../etc/passwd',
  '@/etc/passwd',
  '-',
  '',
  ' ',
  HUGE,
  `{"k":"${HUGE}"}`,
  '😀中文\u202e',
  '\u0001\u001b[31mred\u0007',
  '{"s":"\\u0000\\u001b]0;t\\u0007"}',
  '9'.repeat(400),
];

/** Flags: [name, values it may take (empty = boolean flag)]. */
const FLAGS: Array<[string, string[]]> = [
  ['--as', ['bot', 'user', 'auto', 'x', '', 'BOT']],
  ['--params', JSON_JUNK],
  ['--data', JSON_JUNK],
  ['--format', ['json', 'table', 'csv', 'ndjson', 'pretty', 'xml', '']],
  ['--jq', ['.', '.data', '.[', 'foo(', '', '.data.items[].id', 'error("boom")', '.x | tonumber']],
  ['-q', ['.code', '{']],
  ['--dry-run', []],
  ['--page-all', []],
  ['--page-limit', ['0', 'x', '-1', '99999999999999999999', '1']],
  ['--page-delay', ['0', '-5', '1']],
  ['--page-size', ['3', 'abc', '-2']],
  ['-o', ['out.bin', '../x', '/abs/x', '', 'a\u0001b', 'deep/dir/f.json']],
  ['--output', ['o.json', '.']],
  ['--file', ['x=', '-', 'missing.png', 'f=@x', '=', 'file=../../x']],
  ['--profile', ['nope', '', 'cli_fuzz', '工作']],
  ['--app-id', ['cli_fuzz', '', 'x y']],
  ['--app-secret-stdin', []],
  ['--brand', ['FAKE', 'whatever', 'http://', 'ftp://x']],
  ['--name', ['ok', 'a b', '', 'x/y', 'n'.repeat(70), '工作', '\u0001']],
  ['--lang', ['en', 'zh', 'fr']],
  ['--global', []],
  ['--reset', []],
  ['--help', []],
  ['-h', []],
  ['--version', []],
  ['-v', []],
  ['--bogus', ['1']],
  ['--yes', []],
  ['--scope', ['im:message', '']],
  ['--domain', ['im', 'nope', 'all']],
  ['--recommend', []],
  ['--json', []],
  ['--no-wait', []],
  ['--query', ['hello']],
  ['--chat-id', ['oc_1', 'bad']],
];

const API_FLAGS = ['--as', '--params', '--data', '--format', '--jq', '-q', '--dry-run', '--page-all', '--page-limit', '--page-delay', '--page-size', '-o', '--output', '--file', '--profile'];
const CONFIG_FLAGS = ['--app-id', '--app-secret-stdin', '--brand', '--name', '--lang', '--global', '--reset', '--profile'];
const API_PATHS = [
  '/open-apis/fuzz/list',
  '/open-apis/fuzz/list',
  '/open-apis/fuzz/bin',
  '/open-apis/fuzz/err',
  '/open-apis/fuzz/lark-err',
  '/open-apis/fuzz/drop',
  '/open-apis/unknown/path',
  'fuzz/list?x=1',
  'https://open.feishu.cn/open-apis/fuzz/list#frag',
  '/open-apis/fuzz/%2e%2e/x',
  '/open-apis/fuzz/😀',
];

const POSITIONAL = [
  'foo',
  '../..',
  '%00',
  '+chat-search',
  '+nope',
  '+messages-send',
  'GET',
  'post',
  'DELETE',
  '/open-apis/fuzz/list',
  '/open-apis/fuzz/bin',
  '/open-apis/fuzz/err',
  '/open-apis/x?y=1#z',
  'https://open.feishu.cn/open-apis/fuzz/list',
  'im/v1/chats',
  'chats',
  'messages',
  'get',
  'list',
  'im.chats.get',
  'bot',
  'user',
  'off',
  'auto',
  '--',
  '-',
  '-x',
  '--as=bot',
  '--params={}',
  // (a NUL byte cannot be passed in argv at all)
  '\u007f\u0008',
  '😀',
  HUGE,
];

const PREFIXES: string[][] = [
  [],
  ['api'],
  ['api', 'GET', '/open-apis/fuzz/list'],
  ['api', 'POST', '/open-apis/im/v1/messages'],
  ['api', 'GET', '/open-apis/fuzz/bin'],
  ['api', 'GET', '/open-apis/fuzz/err'],
  ['config'],
  ['config', 'init'],
  ['config', 'show'],
  ['config', 'default-as'],
  ['config', 'strict-mode'],
  ['config', 'remove'],
  ['im'],
  ['im', '+chat-search'],
  ['im', 'chats', 'list'],
  ['im', 'messages', 'create'],
  ['schema'],
  ['schema', 'im.chats.get'],
  ['auth'],
  ['auth', 'login'],
  ['auth', 'status'],
  ['auth', 'logout'],
  ['profile', 'list'],
  ['nope'],
  ['+chat-search'],
];

interface Case {
  args: string[];
  stdin?: string;
}

function generate(fakeUrl: string): Case[] {
  const rnd = prng(SEED);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const cases: Case[] = [];
  const flag = (names: string[]): [string, string[]] => {
    const wanted = pick(names);
    return FLAGS.find(([n]) => n === wanted)!;
  };
  for (let i = 0; i < CASES; i++) {
    const shape = rnd();
    if (shape < 0.35) {
      // well-formed `api` calls with known flags and hostile values: reach the HTTP and output layers
      const args = ['api', pick(['GET', 'get', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']), pick(API_PATHS)];
      const n = Math.floor(rnd() * 4);
      for (let j = 0; j < n; j++) {
        const [name, values] = flag(API_FLAGS);
        if (values.length === 0) args.push(name);
        else args.push(name, pick(values));
      }
      cases.push({ args, stdin: rnd() < 0.3 ? pick(['{"a":1}', '', '{', HUGE]) : undefined });
      continue;
    }
    if (shape < 0.45) {
      // config commands with their own flags
      const args = [...pick(PREFIXES.filter((p) => p[0] === 'config'))];
      const n = Math.floor(rnd() * 4);
      for (let j = 0; j < n; j++) {
        const [name, values] = flag(CONFIG_FLAGS);
        if (values.length === 0) args.push(name);
        else {
          const v = pick(values);
          args.push(name, v === 'FAKE' ? fakeUrl : v);
        }
      }
      if (rnd() < 0.3) args.push(pick(['bot', 'user', 'off', 'auto', 'x']));
      cases.push({ args, stdin: rnd() < 0.5 ? pick(['fuzz-secret\n', '', '\n\n', '  x  \n']) : undefined });
      continue;
    }
    const args = [...pick(PREFIXES)];
    const extra = Math.floor(rnd() * 6);
    for (let j = 0; j < extra; j++) {
      const r = rnd();
      if (r < 0.6) {
        const [name, values] = pick(FLAGS);
        if (values.length === 0) args.push(name);
        else {
          let v = pick(values);
          if (v === 'FAKE') v = fakeUrl;
          if (rnd() < 0.15) args.push(`${name}=${v}`);
          else if (rnd() < 0.05) args.push(name); // value missing
          else args.push(name, v);
        }
      } else if (r < 0.9) {
        args.push(pick(POSITIONAL));
      } else {
        args.push(pick(['--dry-run', '--as', '--params', '-q']));
      }
    }
    if (rnd() < 0.3) args.push('--dry-run');
    const c: Case = { args };
    if (rnd() < 0.3) c.stdin = pick(['fuzz-secret\n', '{"a":1}', '', '\n\n', '{', HUGE]);
    cases.push(c);
  }
  return cases;
}

let fake: FakeLark;
const sandboxes: Sandbox[] = [];
beforeAll(async () => {
  fake = await startFakeLark({
    handlers: [
      http.get('*/open-apis/fuzz/list', () => larkOk({ has_more: false, items: [{ id: 'a', name: '\u001b[31mx' }, { id: 'b', n: 1.5 }] })),
      http.get('*/open-apis/fuzz/bin', () => new HttpResponse('\u0000\u0001bin', { headers: { 'content-type': 'application/octet-stream' } })),
      http.all('*/open-apis/fuzz/lark-err', () => jsonResponse({ code: 99991672, msg: 'denied', error: { permission_violations: [{ subject: 'im:chat' }] } }, { status: 403 })),
      http.all('*/open-apis/fuzz/drop', () => dropConnection()),
      http.all('*/open-apis/fuzz/list', () => larkOk({ has_more: false, items: [{ id: 'a' }] })),
      http.all('*/open-apis/fuzz/err', () => new HttpResponse('<html>nope</html>', { status: 502, headers: { 'content-type': 'text/html' } })),
      // every OAuth / registration flow fails at once instead of polling
      http.post('*/oauth/v1/device_authorization', () => jsonResponse({ error: 'invalid_client', error_description: 'fuzz' }, { status: 400 })),
      http.post('*/open-apis/authen/v2/oauth/token', () => jsonResponse({ error: 'expired_token', error_description: 'fuzz' }, { status: 400 })),
      http.post('*/oauth/v1/app/registration', () => jsonResponse({ error: 'access_denied', error_description: 'fuzz' }, { status: 400 })),
    ],
  });
  for (let i = 0; i < WORKERS; i++) sandboxes.push(await makeSandbox());
});
afterAll(async () => {
  await fake.close();
  await Promise.all(sandboxes.map((s) => s.cleanup()));
});

const STACK_PATTERNS: Array<[string, RegExp]> = [
  ['stack frame', /^\s{4}at\s/m],
  ['Error: line', /^Error:/m],
  ['node internals', /node:internal/],
  ['unhandled rejection', /UnhandledPromiseRejection|triggerUncaughtException/],
];

function problems(c: Case, r: RunCliResult): string[] {
  const out: string[] = [];
  if (!(Number.isInteger(r.code) && r.code >= 0 && r.code <= 5)) out.push(`exit code ${r.code}`);
  for (const [what, re] of STACK_PATTERNS) {
    if (re.test(r.stderr)) out.push(`${what} on stderr`);
    if (re.test(r.stdout)) out.push(`${what} on stdout`);
  }
  // every failure is an envelope (auth commands may answer on stdout, docs/compatibility.md)
  if (r.code !== 0 && !c.args.includes('auth') && !/"ok":\s*false/.test(r.stderr + r.stdout)) out.push('failure without an envelope');
  return out;
}

describe('fuzz: random command lines never crash', () => {
  it(`${CASES} deterministic cases exit 0..5 without a stack trace`, async () => {
    const proxyPort = await closedPort();
    const cases = generate(fake.url);
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    const times: Array<[number, number]> = [];

    async function worker(w: number): Promise<void> {
      const sandbox = sandboxes[w]!;
      for (let i = w; i < cases.length; i += WORKERS) {
        const c = cases[i]!;
        const env = {
          LARKSUITE_CLI_APP_ID: 'cli_fuzz',
          LARKSUITE_CLI_APP_SECRET: 'fuzz-secret',
          LARKSUITE_CLI_BRAND: fake.url,
          LARKSUITE_CLI_RETRY_BASE_MS: '5',
          // any request that escapes to a real host dies on a closed local port
          HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
          HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
        };
        let r: RunCliResult;
        const t0 = Date.now();
        try {
          r = await runCli(c.args, { sandbox, env, stdin: c.stdin, timeoutMs: RUN_TIMEOUT_MS });
        } catch (e) {
          failures.push(`#${i} ${JSON.stringify(c.args).slice(0, 300)}: ${(e as Error).message.slice(0, 500)}`);
          continue;
        }
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        times.push([Date.now() - t0, i]);
        if (process.env.FUZZ_VERBOSE && r.code === 5) console.log('exit 5:', JSON.stringify(c.args).slice(0, 200), r.stderr.slice(0, 300));
        const p = problems(c, r);
        if (p.length) {
          failures.push(
            `#${i} ${JSON.stringify(c.args).slice(0, 300)} stdin=${JSON.stringify(c.stdin ?? null).slice(0, 40)} → ${p.join(', ')} (exit ${r.code})\n` +
              `  stderr: ${r.stderr.slice(0, 600)}\n  stdout: ${r.stdout.slice(0, 300)}`,
          );
        }
      }
    }

    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    expect(failures, failures.join('\n\n')).toEqual([]);
    if (process.env.FUZZ_VERBOSE) {
      console.log('exit codes:', Object.fromEntries([...codes].sort((a, b) => a[0] - b[0])));
      const slow = times.sort((a, b) => b[0] - a[0]).slice(0, 15);
      for (const [ms, i] of slow) console.log(ms, JSON.stringify(cases[i]!.args).slice(0, 200));
      console.log('total ms', times.reduce((a, [ms]) => a + ms, 0));
    }
    // the mix actually exercised success and several failure classes
    expect(codes.get(0) ?? 0).toBeGreaterThan(50);
    expect(codes.get(1) ?? 0).toBeGreaterThan(20);
    expect(codes.get(2) ?? 0).toBeGreaterThan(50);
    expect(fake.requests.length).toBeGreaterThan(0);
  }, 240_000);
});
