/**
 * Output of `im <resource> <method>`: dry runs, formats and --jq,
 * query serialization, path escaping, extra positional arguments, group help.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { IM_SAMPLE_DATA, IM_TEST_SCOPES, imApiHandlers } from '../fake-lark/im-api.js';
import { runCli, REPO_ROOT } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonErr } from '../helpers/fake-lark-hooks.js';
import { TEST_USER_OPEN_ID, writeTestAccount } from '../helpers/accounts.js';

const V1 = '/open-apis/im/v1';
const h = useFakeLark({ handlers: imApiHandlers(), sandbox: 'file', setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: IM_TEST_SCOPES } } }) });

const im = (args: string[], stdin?: string) => runInProcess(['im', ...args], { sandbox: h.sb, stdin });

describe('dry run (no request of any kind)', () => {
  it('path + query params, JSON form; userOpenId of the logged-in user is shown', async () => {
    const r = await im(['chats', 'get', '--params', '{"chat_id":"oc_123","user_id_type":"open_id"}', '--as', 'bot', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('=== Dry Run ===\n')).toBe(true);
    expect(JSON.parse(r.stdout.slice('=== Dry Run ===\n'.length))).toEqual({
      api: [{ method: 'GET', url: '/open-apis/im/v1/chats/oc_123', params: { user_id_type: 'open_id' } }],
      appId: 'cli_test',
      as: 'bot',
      userOpenId: TEST_USER_OPEN_ID,
    });
    // fixed key order inside the api entry
    expect(r.stdout).toMatch(/"method": "GET",\n\s+"url": "[^"]+",\n\s+"params"/);
    expect(h.fake.requests).toEqual([]);
  });

  it('pretty form: one request line, the body on the next', async () => {
    const r = await im(['chats', 'get', '--params', '{"chat_id":"oc_123","user_id_type":"open_id"}', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(r.stdout).toBe('=== Dry Run ===\nGET /open-apis/im/v1/chats/oc_123?user_id_type=open_id\n');
    const r2 = await im(['reactions', 'create', '--params', '{"message_id":"om_1"}', '--data', '{"reaction_type":{"emoji_type":"SMILE"}}', '--as', 'user', '--dry-run', '--format', 'pretty']);
    expect(r2.stdout).toBe('=== Dry Run ===\nPOST /open-apis/im/v1/messages/om_1/reactions\n  {"reaction_type":{"emoji_type":"SMILE"}}\n');
    expect(h.fake.requests).toEqual([]);
  });

  it('upload dry run describes the file without opening it', async () => {
    const r = await im(['images', 'create', '--file', 'image=photo.jpg', '--data', '{"image_type":"message"}', '--as', 'bot', '--dry-run']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.slice('=== Dry Run ===\n'.length))).toEqual({
      api: [{ method: 'POST', url: '/open-apis/im/v1/images', body: { file: { field: 'image', path: 'photo.jpg' }, form_fields: { image_type: 'message' }, options: ['WithFileUpload'] } }],
      appId: 'cli_test',
      as: 'bot',
      userOpenId: TEST_USER_OPEN_ID,
    });
    expect(h.fake.requests).toEqual([]);
  });

  it('path values are escaped as one segment, numbers use Go %v formatting', async () => {
    const r = await im(['pins', 'delete', '--params', '{"message_id":"om a/b+c"}', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(r.stdout).toBe('=== Dry Run ===\nDELETE /open-apis/im/v1/pins/om%20a%2Fb+c\n');
    const r2 = await im(['pins', 'list', '--params', '{"chat_id":"oc 1","start_time":1658632251800,"page_size":20,"x":[1,"a"]}', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(r2.stdout).toBe('=== Dry Run ===\nGET /open-apis/im/v1/pins?chat_id=oc+1&page_size=20&start_time=1.6586322518e%2B12&x=%5B1+a%5D\n');
  });
});

describe('query serialization on the wire', () => {
  it('sorted keys, Go %v numbers, repeated keys for arrays, unknown keys forwarded', async () => {
    const r = await im(['pins', 'list', '--params', '{"chat_id":"oc_1","page_size":20,"start_time":1658632251800,"tags":["a","b c"],"flag":true,"nothing":null}', '--as', 'bot']);
    expect(r.code).toBe(0);
    const req = h.fake.requestsTo(`${V1}/pins`)[0]!;
    expect(req.search).toBe('?chat_id=oc_1&flag=true&nothing=%3Cnil%3E&page_size=20&start_time=1.6586322518e%2B12&tags=a&tags=b+c');
  });
});

describe('formats', () => {
  const members = ['chat.members', 'get', '--params', '{"chat_id":"oc_1"}', '--as', 'bot'];

  it('table', async () => {
    const r = await im([...members, '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'member_id  member_id_type  name   tenant_key\n' +
        '─────────  ──────────────  ─────  ──────────\n' +
        'ou_a1      open_id         Alice  tk1       \n' +
        'ou_b2      open_id         Bob    tk1       \n',
    );
  });

  it('ndjson', async () => {
    const r = await im([...members, '--format', 'ndjson']);
    expect(r.stdout).toBe(
      '{"member_id":"ou_a1","member_id_type":"open_id","name":"Alice","tenant_key":"tk1"}\n{"member_id":"ou_b2","member_id_type":"open_id","name":"Bob","tenant_key":"tk1"}\n',
    );
  });

  it('--jq', async () => {
    const r = await im([...members, '--jq', '.data.items[].name']);
    expect(r.stdout).toBe('Alice\nBob\n');
    expect(r.code).toBe(0);
  });

  it('--format pretty on a real call warns and prints json', async () => {
    const r = await im(['pins', 'create', '--data', '{"message_id":"om_1"}', '--as', 'bot', '--format', 'pretty']);
    expect(r.stderr).toBe('warning: unknown format "pretty", falling back to json\n');
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: IM_SAMPLE_DATA['pins.create'] });
  });

  it('--output saves the response body', async () => {
    const r = await im(['pins', 'create', '--data', '{"message_id":"om_1"}', '--as', 'bot', '--output', 'out/pin.json']);
    expect(r.code).toBe(0);
    const meta = r.json();
    expect(meta.saved_path.endsWith('/out/pin.json')).toBe(true);
    expect(meta.content_type).toMatch(/^application\/json/);
  });

  it('extra positional arguments are ignored', async () => {
    h.fake.use(http.get(`*${V1}/chats/:chat_id/members/bots`, ({ params }) => larkOk({ items: [{ bot_id: 'ou_bot', bot_name: String(params.chat_id) }] })));
    const r = await im(['chat.members', 'bots', 'extra', 'words', '--params', '{"chat_id":"oc_9"}', '--as', 'bot']);
    expect(r.code).toBe(0);
    expect(r.json().data.items[0].bot_name).toBe('oc_9');
  });
});

describe('help', () => {
  it('im --help lists the resources; a resource lists its methods with their descriptions', async () => {
    const r = await im(['--help']);
    expect(r.code).toBe(0);
    for (const res of ['chat.managers', 'chat.members', 'chat.moderation', 'chat.user_setting', 'chats', 'feed.groups', 'images', 'messages', 'pins', 'reactions', 'threads']) {
      expect(r.stdout).toContain(`${res} operations`);
    }
    const r2 = await im(['pins', '--help']);
    expect(r2.stdout).toMatch(/create\s.*Pin a message/);
    expect(r2.stdout).toMatch(/list\s.*List the pinned messages of a chat/);
  });

  it('a method help points to schema', async () => {
    const r = await im(['pins', 'list', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('View parameter definitions before calling:\n  lark-cli schema im.pins.list');
    expect(r.stdout).toContain('--page-all');
    expect(r.stdout).not.toContain('--data');
  });

  it('an unknown method name is a validation error naming the close methods (exit 2); the bare group prints its help', async () => {
    const r = await im(['chats', 'gets']);
    expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message: 'unknown command "gets" for "lark-cli im chats"', hint: 'did you mean: get?' } });
    const bare = await im(['chats']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('chats operations');
    expect(bare.stdout).toMatch(/get\s.*Get chat information/);
    expect(h.fake.requests).toEqual([]);
  });
});

describe('start-up cost', () => {
  // the shared recorder: ES modules as they resolve, plus the CommonJS require cache at exit
  // (undici is required through createRequire, which ESM hooks do not see)
  const recorder = pathToFileURL(path.join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs')).href;
  const heavy = /\/node_modules\/(undici|zod|jq-wasm)\/|\/dist\/http\/transport\.js$/;
  let seq = 0;
  const loaded = async (args: string[]): Promise<string[]> => {
    const file = path.join(h.sb.root, `imports-${++seq}.txt`);
    // help rendered by the CLI (as on a terminal), not the page the build rendered
    await runCli(args, { sandbox: h.sb, env: { NODE_OPTIONS: `--import ${recorder}`, RECORD_IMPORTS_FILE: file, LARK_CLI_LIVE_HELP: '1' } });
    const text = readFileSync(file, 'utf8');
    expect(text, args.join(' ')).toContain('/dist/core/errors.js');
    return text.split('\n').filter((u) => heavy.test(u));
  };

  it('help, schema and validation failures load neither undici nor zod nor jq', async () => {
    for (const args of [
      ['im', '--help'],
      ['im', 'chats', '--help'],
      ['im', 'pins', 'list', '--help'],
      ['schema', 'im.reactions.create', '--format', 'pretty'],
      ['im', 'pins', 'create', '--as', 'bot', '--data', '{}'],
      ['im', 'pins', 'create', '--as', 'bot', '--data', '{"message_id":"om_1"}', '--dry-run'],
    ]) {
      expect(await loaded(args), args.join(' ')).toEqual([]);
    }
    // the recorder does see the HTTP stack when a call is made (a direct one: node:http, no undici)
    const call = await loaded(['im', 'pins', 'create', '--as', 'bot', '--data', '{"message_id":"om_1"}']);
    expect(call.some((u) => /\/dist\/http\/transport\.js$/.test(u))).toBe(true);
  });
});
