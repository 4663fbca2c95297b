/**
 * Start-up cost (issue 2, item 8; DEVELOPERS.md): `--version`, `--help`, validation errors and
 * `--dry-run` never load the HTTP stack (undici, dist/http), the jq engine, zod, or the table/CSV
 * code. Each case runs the built binary with a preload that records every module the process
 * loads (test/helpers/record-imports.mjs), then checks the list. Real API calls are the control:
 * a direct one loads the HTTP stack but no undici (node:http), a proxied one undici, which proves
 * the recording sees CommonJS packages too.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larkOk } from '../fake-lark/handlers.js';
import { startFakeLark, type FakeLark } from '../fake-lark/server.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { makeSandbox, REPO_ROOT, runCli, type RunCliResult, type Sandbox } from '../helpers/cli.js';

const HOOK = pathToFileURL(path.join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs')).href;

/** Modules that only the paths which need them may load. */
const HEAVY: Array<[name: string, pattern: RegExp]> = [
  ['undici', /\/node_modules\/undici\//],
  ["Node's bundled undici (global FormData/fetch)", /^node:internal\/deps\/undici$/],
  ['the HTTP stack (dist/http/, dist/client/)', /\/dist\/(http|client)\//],
  ['jq-wasm', /\/node_modules\/jq-wasm\//],
  ['the jq wrapper (dist/output/jq.js)', /\/dist\/output\/jq\.js$/],
  ['zod', /\/node_modules\/zod\//],
  ['cli-table3', /\/node_modules\/cli-table3\//],
  ['table/CSV code (dist/output/formats.js)', /\/dist\/output\/formats\.js$/],
];

let sb: Sandbox;
let recDir: string;
let seq = 0;

beforeAll(async () => {
  sb = await makeSandbox();
  recDir = await mkdtemp(path.join(tmpdir(), 'lark-imports-'));
});
afterAll(async () => {
  await sb?.cleanup();
  if (recDir) await rm(recDir, { recursive: true, force: true });
});

/** Runs the CLI under the recorder; returns the result and the loaded modules (paths under the repo). */
async function runRecorded(args: string[], env: Record<string, string>): Promise<{ r: RunCliResult; modules: string[] }> {
  const file = path.join(recDir, `run-${++seq}.txt`);
  const r = await runCli(args, {
    sandbox: sb,
    env: { ...env, NODE_OPTIONS: `--import ${HOOK}`, RECORD_IMPORTS_FILE: file },
  });
  const text = await readFile(file, 'utf8').catch(() => '');
  const root = pathToFileURL(REPO_ROOT).href;
  const modules = [...new Set(text.split('\n').filter(Boolean))].map((u) => (u.startsWith(root) ? u.slice(root.length) : u)).sort();
  // the recorder itself works (the control tests below check that it sees the bundle's modules)
  expect(modules, `recorded modules of ${args.join(' ')}`).toContain('/bin/lark-cli');
  return { r, modules };
}

function heavyLoaded(modules: string[]): string[] {
  return HEAVY.filter(([, re]) => modules.some((m) => re.test(m))).map(([name]) => name);
}

/** An app whose API host is unroutable: a run that tried the network would fail, not hang. */
const offlineEnv = {
  LARKSUITE_CLI_APP_ID: 'cli_imports',
  LARKSUITE_CLI_APP_SECRET: 's3cret',
  LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9',
};

interface Case {
  name: string;
  args: string[];
  check(r: RunCliResult): void;
  /** Further modules this path must not load (start-up optimisations of src/cli.ts). */
  alsoAbsent?: RegExp[];
  env?: Record<string, string>;
}

/** Help rendered by the CLI, as on a terminal, instead of the page the build rendered (bin/lark-cli). */
const LIVE_HELP = { LARK_CLI_LIVE_HELP: '1' };

const validation = (message: RegExp) => (r: RunCliResult) => {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const err = r.errJson();
  expect(err.ok).toBe(false);
  expect(err.error.type).toBe('validation');
  expect(err.error.message).toMatch(message);
};

/** The plan of a dry-run: generic commands print the `=== Dry Run ===` header on stdout, shortcuts on stderr. */
const dryRun = (method: string, url: string) => (r: RunCliResult) => {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).toContain('=== Dry Run ===');
  const plan = JSON.parse(r.stdout.replace(/^=== Dry Run ===\n/, ''));
  expect(plan.api[0]).toMatchObject({ method, url });
};

const cases: Case[] = [
  {
    name: '--version',
    args: ['--version'],
    check: (r) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^lark-cli version \S+\n$/);
    },
    // prints the version before commander or any config code is loaded
    alsoAbsent: [/\/node_modules\/commander\//, /\/dist\/core\/context\.js$/, /\/dist\/output\//],
  },
  {
    name: '--help (rendered live)',
    args: ['--help'],
    env: LIVE_HELP,
    check: (r) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: lark-cli/);
      expect(r.stdout).toMatch(/\bim\b/);
    },
    // the root help lists the commands without loading them or the config
    alsoAbsent: [/\/dist\/core\/context\.js$/, /\/dist\/commands\//, /\/dist\/im\//, /\/dist\/output\//],
  },
  {
    name: 'im --help (rendered live)',
    args: ['im', '--help'],
    env: LIVE_HELP,
    check: (r) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: lark-cli im/);
    },
  },
  {
    name: 'im --help, off a terminal (the pre-rendered page: nothing but the launcher and its strict-mode check)',
    args: ['im', '--help'],
    check: (r) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: lark-cli im/);
    },
    alsoAbsent: [/\/dist\/(?!help-gate\.cjs$)/, /\/node_modules\//],
  },
  {
    name: 'validation error: unknown flag of api',
    args: ['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--nope'],
    check: validation(/^unknown flag: --nope$/),
  },
  {
    name: 'validation error: unknown top-level command',
    args: ['nosuchcommand'],
    check: validation(/unknown command "nosuchcommand"/),
  },
  {
    name: 'validation error: unknown im shortcut (close names from the table, no shortcut loaded)',
    args: ['im', '+messages-sen'],
    check: validation(/^unknown command "\+messages-sen" for "lark-cli im"$/),
    alsoAbsent: [/\/dist\/im\/shortcuts\/(?!index\.js$)/, /\/dist\/im\/generic\.js$/],
  },
  {
    name: 'validation error: bad enum value of an im shortcut (with --dry-run)',
    args: ['im', '+chat-create', '--name', 'T', '--chat-mode', 'bogus', '--as', 'bot', '--dry-run'],
    check: validation(/--chat-mode/),
  },
  {
    name: 'api --dry-run',
    args: ['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/chats/oc_1'),
  },
  {
    name: 'api --dry-run with --page-all and --format table',
    args: ['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--page-all', '--format', 'table', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/chats'),
  },
  {
    name: 'im shortcut --dry-run',
    args: ['im', '+chat-create', '--name', 'T', '--as', 'bot', '--dry-run'],
    check: dryRun('POST', '/open-apis/im/v1/chats'),
  },
  {
    name: 'im +messages-send --dry-run',
    args: ['im', '+messages-send', '--chat-id', 'oc_1', '--text', 'hi', '--as', 'bot', '--dry-run'],
    check: dryRun('POST', '/open-apis/im/v1/messages'),
  },
  {
    name: 'im +chat-messages-list --dry-run --format table',
    args: ['im', '+chat-messages-list', '--chat-id', 'oc_1', '--as', 'bot', '--format', 'table', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/messages'),
  },
  {
    name: 'im +chat-members-list --page-all --dry-run',
    args: ['im', '+chat-members-list', '--chat-id', 'oc_1', '--page-all', '--as', 'bot', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/chats/oc_1/members/list'),
  },
  {
    name: 'im +messages-edit --dry-run with Markdown and an attachment',
    args: ['im', '+messages-edit', '--message-id', 'om_1', '--markdown', '**hi**', '--set-attachments', 'file_1', '--as', 'bot', '--dry-run'],
    check: dryRun('PUT', '/open-apis/im/v1/messages/om_1'),
  },
  {
    name: 'validation error: +messages-read-status refuses bot identity',
    args: ['im', '+messages-read-status', '--message-ids', 'om_1', '--as', 'bot'],
    check: validation(/^--as bot is not supported, this command only supports: user$/),
  },
  {
    name: 'generic im method --help (typed parameter flags, rendered live)',
    args: ['im', 'chat.members', 'get', '--help'],
    env: LIVE_HELP,
    check: (r) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/--chat-id <value>\s+chat_id, required/);
    },
  },
  {
    name: 'high-risk generic method without --yes (confirmation, exit 10)',
    args: ['im', 'messages', 'delete', '--message-id', 'om_1', '--as', 'bot'],
    check: (r) => {
      expect(r.code).toBe(10);
      expect(r.stdout).toBe('');
      expect(r.errJson().error).toMatchObject({ type: 'confirmation', action: 'im.messages.delete' });
    },
  },
  {
    name: 'generic im method --dry-run with typed flags',
    args: ['im', 'chats', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/chats/oc_1'),
  },
  {
    name: 'generic im method --dry-run (its resource alone: no shortcut file, no shortcut framework)',
    args: ['im', 'chats', 'get', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--dry-run'],
    check: dryRun('GET', '/open-apis/im/v1/chats/oc_1'),
    alsoAbsent: [/\/dist\/im\/shortcuts\/(?!index\.js$)/, /\/dist\/shortcut\/run\.js$/],
  },
];

describe('start-up paths load no heavy modules', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { r, modules } = await runRecorded(c.args, { ...offlineEnv, ...c.env });
      c.check(r);
      expect(heavyLoaded(modules), `heavy modules loaded by: lark-cli ${c.args.join(' ')}`).toEqual([]);
      // built-ins none of these paths needs, ~4 ms each (commander's child_process is required on
      // first use in the bundle, scripts/bundle.mjs; node:crypto through src/core/node-crypto.ts)
      expect(modules.filter((m) => m === 'node:child_process' || m === 'node:crypto'), `built-ins loaded by: lark-cli ${c.args.join(' ')}`).toEqual([]);
      for (const re of c.alsoAbsent ?? []) {
        expect(modules.filter((m) => re.test(m)), `lark-cli ${c.args.join(' ')} must not load ${re}`).toEqual([]);
      }
    });
  }
});

describe('control: a real call', () => {
  let fake: FakeLark;
  beforeAll(async () => {
    fake = await startFakeLark();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a direct call loads the HTTP stack but no undici (node:http), and makes the request', async () => {
    fake.use(http.get('*/open-apis/im/v1/chats/:chat_id', ({ params }) => larkOk({ chat_id: params.chat_id })));
    const { r, modules } = await runRecorded(['api', 'GET', '/open-apis/im/v1/chats/oc_1', '--as', 'bot'], {
      LARKSUITE_CLI_APP_ID: 'cli_imports',
      LARKSUITE_CLI_APP_SECRET: 's3cret',
      LARKSUITE_CLI_BRAND: fake.url,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { chat_id: 'oc_1' } });
    const calls = fake.requestsTo('/open-apis/im/v1/chats/oc_1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBe('Bearer t-cli_imports');
    // the token request and the call both went over node:http
    expect(heavyLoaded(modules)).toEqual(['the HTTP stack (dist/http/, dist/client/)']);
    expect(modules).toContain('/dist/http/direct-http.js');
    // the cached token's key is a hash of the secret
    expect(modules).toContain('node:crypto');
  });

  it('a call with a token from the environment (CI) loads no node:crypto, with --jq too', async () => {
    fake.use(http.get('*/open-apis/im/v1/chats/:chat_id', ({ params }) => larkOk({ chat_id: params.chat_id })));
    const { r, modules } = await runRecorded(['im', 'chats', 'get', '--params', '{"chat_id":"oc_2"}', '--as', 'bot'], {
      LARKSUITE_CLI_APP_ID: 'cli_imports',
      LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-from-env',
      LARKSUITE_CLI_BRAND: fake.url,
    });
    expect(r.code, r.stderr).toBe(0);
    const calls = fake.requestsTo('/open-apis/im/v1/chats/oc_2');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBe('Bearer t-from-env');
    expect(modules.filter((m) => m === 'node:crypto' || m === 'node:child_process')).toEqual([]);
    // nor with --jq: the engine's random bytes come from /dev/urandom (src/output/jq.ts)
    const jq = await runRecorded(['im', 'chats', 'get', '--params', '{"chat_id":"oc_2"}', '--as', 'bot', '--jq', '.data.chat_id'], {
      LARKSUITE_CLI_APP_ID: 'cli_imports',
      LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-from-env',
      LARKSUITE_CLI_BRAND: fake.url,
    });
    expect(jq.r).toMatchObject({ code: 0, stdout: 'oc_2\n' });
    expect(jq.modules).toContain('/dist/output/jq.js');
    expect(jq.modules.filter((m) => m === 'node:crypto' || m === 'node:child_process')).toEqual([]);
  });

  it('a proxied call loads undici (only the parts the transport uses) and goes through the proxy', async () => {
    fake.use(http.get('*/open-apis/im/v1/chats/:chat_id', ({ params }) => larkOk({ chat_id: params.chat_id })));
    const port = Number(new URL(fake.url).port);
    const proxy = await startConnectProxy({ host: '127.0.0.1', port });
    try {
      // 127.0.0.2 is loopback, but not a name the proxy rule exempts: HTTP_PROXY applies
      const { r, modules } = await runRecorded(['api', 'GET', '/open-apis/im/v1/chats/oc_2', '--as', 'bot'], {
        LARKSUITE_CLI_APP_ID: 'cli_imports',
        LARKSUITE_CLI_APP_SECRET: 's3cret',
        LARKSUITE_CLI_BRAND: `http://127.0.0.2:${port}`,
        HTTP_PROXY: proxy.url,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toEqual({ code: 0, msg: 'success', data: { chat_id: 'oc_2' } });
      expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.2:${port}`]));
      expect(heavyLoaded(modules)).toEqual(['undici', 'the HTTP stack (dist/http/, dist/client/)']);
      // undici is CommonJS: its internal files come from the require cache, not the ESM hook
      expect(modules).toContain('/node_modules/undici/lib/dispatcher/agent.js');
      expect(modules).toContain('/node_modules/undici/lib/dispatcher/env-http-proxy-agent.js');
      // only the parts the transport uses (src/http/undici-lean.ts), not the package entry with
      // fetch, WebSocket, caches and mocks, and not Node's own bundled copy either
      expect(modules).not.toContain('/node_modules/undici/index.js');
      expect(modules.filter((m) => /\/node_modules\/undici\/lib\/(web\/(websocket|eventsource|cache)|mock|cache)\//.test(m))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a download over a direct connection loads no undici at all', async () => {
    const bytes = Buffer.from('0123456789');
    fake.use(
      http.get(
        '*/open-apis/im/v1/messages/:message_id/resources/:file_key',
        () =>
          new HttpResponse(bytes, {
            status: 206,
            headers: { 'content-type': 'application/pdf', 'content-range': 'bytes 0-9/10', 'content-length': '10' },
          }),
      ),
    );
    const { r, modules } = await runRecorded(
      ['im', '+messages-resources-download', '--message-id', 'om_1', '--file-key', 'file_1', '--type', 'file', '--output', 'imports-dl', '--as', 'bot'],
      // a token from the environment: no token request, so the resource requests are all there is
      { LARKSUITE_CLI_APP_ID: 'cli_imports', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-env', LARKSUITE_CLI_BRAND: fake.url },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(sb.work, 'imports-dl.pdf'))).toEqual(bytes);
    const calls = fake.requestsTo('/open-apis/im/v1/messages/om_1/resources/file_1');
    expect(calls.map((c) => [c.headers.range, c.headers.authorization])).toEqual([['bytes=0-131071', 'Bearer t-env']]);
    expect(heavyLoaded(modules)).toEqual(['the HTTP stack (dist/http/, dist/client/)']);
    // nor the general transport: only the client (with its security-policy check), the download, its pieces and its direct HTTP path
    expect(modules.filter((m) => /^\/dist\/(http|client)\//.test(m)).sort()).toEqual(
      [
        'client/api-client', 'client/download', 'client/range-request', 'client/temp-file', 'client/transfer-progress',
        'http/content-range', 'http/download-name', 'http/headers', 'http/multipart', 'http/proxy-rule', 'http/range-fetch', 'http/retry-policy', 'http/security-policy',
      ].map((n) => `/dist/${n}.js`),
    );
  });
});
