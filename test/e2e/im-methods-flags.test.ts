/**
 * The newer flags of `im <resource> <method>` (docs/generic-commands.md): `--yes` on the
 * high-risk writes (exit 10 without it, no request; the dry-run needs none), one typed flag per
 * path/query parameter beside `--params` (the flag wins), the missing-parameter hint, the empty
 * rules of declared query parameters, the --page-* flags hidden where a method has no page_token,
 * and `--json`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IM_SAMPLE_DATA, IM_TEST_SCOPES, imApiHandlers } from '../fake-lark/im-api.js';
import { REPO_ROOT, type RunCliResult } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonOut } from '../helpers/fake-lark-hooks.js';
import { TEST_USER_TOKEN, writeTestAccount } from '../helpers/accounts.js';

const V1 = '/open-apis/im/v1';
const h = useFakeLark({ handlers: imApiHandlers(), sandbox: 'file', setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: IM_TEST_SCOPES } } }) });
const im = (args: string[], stdin?: string) => runInProcess(['im', ...args], { sandbox: h.sb, stdin });
const apiCalls = () => h.fake.requestsTo(`${V1}/`);
const plan = (r: RunCliResult) => {
  expect(r.stdout.startsWith('=== Dry Run ===\n'), r.stdout).toBe(true);
  return JSON.parse(r.stdout.slice('=== Dry Run ===\n'.length));
};

beforeEach(() => h.fake.clearRequests());

describe('--yes on high-risk writes', () => {
  const index = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'im', 'index.json'), 'utf8'));
  const highRisk = Object.entries(index.resources as Record<string, { methods: Record<string, { risk: string }> }>)
    .flatMap(([r, { methods }]) => Object.entries(methods).filter(([, m]) => m.risk === 'high-risk-write').map(([m]) => `${r}.${m}`))
    .sort();

  it('the four high-risk methods of the metadata', () => {
    expect(highRisk).toEqual(['chat.members.delete', 'chats.update', 'messages.delete', 'pins.delete']);
  });

  const CASES: Array<[id: string, args: string[], as: 'bot' | 'user']> = [
    ['chats.update', ['chats', 'update', '--chat-id', 'oc_1', '--data', '{"name":"x"}'], 'user'],
    ['chat.members.delete', ['chat.members', 'delete', '--chat-id', 'oc_1', '--member-id-type', 'app_id', '--data', '{"id_list":["cli_1"]}'], 'bot'],
    ['messages.delete', ['messages', 'delete', '--message-id', 'om_1'], 'user'],
    ['pins.delete', ['pins', 'delete', '--message-id', 'om_1'], 'bot'],
  ];

  it.each(CASES)('%s without --yes: exit 10, the confirmation envelope, no request', async (id, args, as) => {
    const r = await im([...args, '--as', as]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(10);
    // values with braces or quotes are not echoed back: no re-run line then
    const echoable = !args.some((a) => a.includes('{'));
    expect(r.errJson()).toEqual({
      ok: false,
      identity: as,
      error: {
        type: 'confirmation',
        message: `im.${id} requires confirmation`,
        hint: echoable ? `add --yes to confirm; re-run: lark-cli im ${args.join(' ')} --as ${as} --yes` : 'add --yes to confirm',
        risk: 'high-risk-write',
        action: `im.${id}`,
      },
    });
    expect(h.fake.requests).toEqual([]);
  });

  it('--yes sends the request (typed flags, user token)', async () => {
    const r = await im(['messages', 'delete', '--message-id', 'om_1', '--as', 'user', '--yes']);
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: IM_SAMPLE_DATA['messages.delete'] });
    const calls = apiCalls();
    expect(calls.map((c) => [c.method, c.path, c.query, c.headers.authorization])).toEqual([['DELETE', `${V1}/messages/om_1`, {}, `Bearer ${TEST_USER_TOKEN}`]]);
  });

  it('--yes=false is no confirmation; --yes=true is', async () => {
    const no = await im(['pins', 'delete', '--message-id', 'om_1', '--as', 'bot', '--yes=false']);
    expect(no.code).toBe(10);
    // the re-run line keeps what was typed, then appends --yes
    expect(no.errJson().error.hint).toBe('add --yes to confirm; re-run: lark-cli im pins delete --message-id om_1 --as bot --yes=false --yes');
    expect(h.fake.requests).toEqual([]);
    const yes = await im(['pins', 'delete', '--message-id', 'om_1', '--as', 'bot', '--yes=true']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(apiCalls().map((c) => [c.method, c.path])).toEqual([['DELETE', `${V1}/pins/om_1`]]);
  });

  it('the re-run line is left out when an argument reads stdin, and quotes what a shell would read', async () => {
    const stdin = await im(['pins', 'delete', '--params', '-', '--as', 'bot'], '{"message_id":"om_1"}');
    expect(stdin.code).toBe(10);
    expect(stdin.errJson().error.hint).toBe('add --yes to confirm');
    const quoted = await im(['pins', 'delete', '--message-id', 'om_$1', '--as', 'bot']);
    expect(quoted.code).toBe(10);
    expect(quoted.errJson().error.hint).toBe("add --yes to confirm; re-run: lark-cli im pins delete --message-id 'om_$1' --as bot --yes");
    expect(h.fake.requests).toEqual([]);
  });

  it('the dry-run needs no --yes', async () => {
    const r = await im(['chat.members', 'delete', '--chat-id', 'oc_1', '--data', '{"id_list":["ou_1"]}', '--as', 'bot', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(plan(r).api).toEqual([{ method: 'DELETE', url: `${V1}/chats/oc_1/members`, body: { id_list: ['ou_1'] } }]);
    const pretty = await im(['messages', 'delete', '--message-id', 'om_1', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(pretty.stdout).toBe(`=== Dry Run ===\nDELETE ${V1}/messages/om_1\n`);
    expect(h.fake.requests).toEqual([]);
  });

  it('request errors come before the confirmation', async () => {
    const r = await im(['messages', 'delete', '--as', 'bot']);
    expect(r.code).toBe(2);
    expect(r.errJson().error.message).toBe('missing required path parameter: message_id');
    const body = await im(['chat.members', 'delete', '--chat-id', 'oc_1', '--data', '{"id_list":[]}', '--as', 'bot']);
    expect(body.code).toBe(2);
    expect(body.errJson().error.message).toBe('--data.id_list: at least 1 item required, got 0');
    expect(h.fake.requests).toEqual([]);
  });

  it('--yes is a flag of the high-risk methods only', async () => {
    const help = await im(['pins', 'delete', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--yes\s+confirm high-risk operation/);
    const other = await im(['pins', 'list', '--help']);
    expect(other.stdout).not.toContain('--yes');
    const r = await im(['pins', 'list', '--chat-id', 'oc_1', '--as', 'bot', '--yes']);
    expect(r.code).toBe(2);
    expect(r.errJson().error.message).toBe('unknown flag: --yes');
  });
});

describe('typed parameter flags', () => {
  it('a path and a query parameter from their flags', async () => {
    const r = await im(['chats', 'get', '--chat-id', 'oc_9', '--user-id-type', 'union_id', '--as', 'bot']);
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: IM_SAMPLE_DATA['chats.get'] });
    expect(apiCalls().map((c) => [c.method, c.path, c.query, c.headers.authorization])).toEqual([
      ['GET', `${V1}/chats/oc_9`, { user_id_type: 'union_id' }, 'Bearer t-cli_test'],
    ]);
  });

  it('the typed flag wins over the same key of --params; other keys of --params stay', async () => {
    const r = await im(['chat.members', 'get', '--params', '{"chat_id":"oc_params","member_id_type":"user_id","page_size":5}', '--chat-id', 'oc_flag', '--page-size', '20', '--as', 'bot']);
    expect(r.code, r.stderr).toBe(0);
    expect(apiCalls().map((c) => [c.path, c.query])).toEqual([[`${V1}/chats/oc_flag/members`, { member_id_type: 'user_id', page_size: '20' }]]);
  });

  it('the same value through both is fine; --params null reads as no parameters', async () => {
    const both = await im(['chats', 'get', '--chat-id', 'oc_1', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--dry-run']);
    expect(plan(both).api[0].url).toBe(`${V1}/chats/oc_1`);
    const nul = await im(['chats', 'get', '--chat-id', 'oc_1', '--params', 'null', '--as', 'bot', '--dry-run']);
    expect(plan(nul).api[0].url).toBe(`${V1}/chats/oc_1`);
    expect(h.fake.requests).toEqual([]);
  });

  it('integer flags print plain digits (a --params number is Go %v of a float)', async () => {
    const flag = await im(['pins', 'list', '--chat-id', 'oc_1', '--page-size', '1000000', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(flag.stdout).toBe(`=== Dry Run ===\nGET ${V1}/pins?chat_id=oc_1&page_size=1000000\n`);
    const json = await im(['pins', 'list', '--chat-id', 'oc_1', '--page-size', '7', '--as', 'bot', '--dry-run']);
    expect(plan(json).api[0].params).toEqual({ chat_id: 'oc_1', page_size: 7 });
    const params = await im(['pins', 'list', '--params', '{"chat_id":"oc_1","page_size":1000000}', '--as', 'bot', '--dry-run', '--format', 'pretty']);
    expect(params.stdout).toBe(`=== Dry Run ===\nGET ${V1}/pins?chat_id=oc_1&page_size=1e%2B06\n`);
  });

  it('boolean flags: bare is true, =false is false and sent', async () => {
    const on = await im(['chat.members', 'get', '--chat-id', 'oc_1', '--check-security-conf', '--as', 'bot']);
    expect(on.code, on.stderr).toBe(0);
    const off = await im(['chat.members', 'get', '--chat-id', 'oc_1', '--check-security-conf=false', '--as', 'bot']);
    expect(off.code, off.stderr).toBe(0);
    const overridden = await im(['chats', 'create', '--params', '{"set_bot_manager":true}', '--set-bot-manager=false', '--data', '{"name":"n"}', '--as', 'bot']);
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(apiCalls().map((c) => c.query)).toEqual([{ check_security_conf: 'true' }, { check_security_conf: 'false' }, { set_bot_manager: 'false' }]);
  });

  it('declared query parameters: "" and null are dropped, false and 0 sent; undeclared keys pass through', async () => {
    const r = await im([
      'chat.members', 'get', '--chat-id', 'oc_1', '--as', 'bot',
      '--params', '{"member_id_type":"","page_token":null,"page_size":0,"check_security_conf":false,"custom":"","other":"v"}',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(apiCalls().map((c) => c.query)).toEqual([{ page_size: '0', check_security_conf: 'false', custom: '', other: 'v' }]);
  });

  it('a required query parameter can be false or 0 (a value), not "" or null', async () => {
    const zero = await im(['pins', 'list', '--params', '{"chat_id":0}', '--as', 'bot', '--dry-run']);
    expect(zero.code, zero.stderr).toBe(0);
    expect(plan(zero).api[0].params).toEqual({ chat_id: 0 });
    const empty = await im(['pins', 'list', '--chat-id', '', '--as', 'bot']);
    expect(empty.code).toBe(2);
    expect(empty.errJson().error).toEqual({
      type: 'validation',
      message: 'missing required query parameter: chat_id',
      hint: `set --chat-id <value> (or --params '{"chat_id": "<value>"}'); see: lark-cli schema im.pins.list`,
    });
    expect(h.fake.requests).toEqual([]);
  });

  it('help lists each typed flag with its parameter, requirement, description, enum and bounds', async () => {
    const r = await im(['messages', 'read_users', '--help']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--message-id <value> message_id, required.');
    expect(text).toContain('--user-id-type <value> user_id_type, required.');
    expect(text).toContain('enum: user_id|union_id|open_id.');
    expect(text).toMatch(/--page-size <n> page_size, optional\. .*min: 1, max: 100\./);
    expect(text).toContain('typed flags override matching keys');
    const defaults = await im(['chat.members', 'create', '--help']);
    expect(defaults.stdout.replace(/\s+/g, ' ')).toContain('API default: open_id.');
  });
});

describe('--page-* flags on methods without page_token', () => {
  it('hidden from help, still accepted', async () => {
    const get = await im(['chats', 'get', '--help']);
    expect(get.stdout).not.toContain('--page-all');
    expect(get.stdout).not.toContain('--page-limit');
    expect(get.stdout).not.toContain('--page-delay');
    const list = await im(['pins', 'list', '--help']);
    expect(list.stdout).toContain('--page-all');
    expect(list.stdout).toContain('--page-limit');
    const r = await im(['chats', 'get', '--chat-id', 'oc_1', '--page-all', '--page-limit', '2', '--as', 'bot']);
    expect(r.code, r.stderr).toBe(0);
    expect(apiCalls()).toHaveLength(1);
  });
});

describe('--json', () => {
  it('is --format json: the response as JSON; a given --format wins', async () => {
    const r = await im(['chats', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: IM_SAMPLE_DATA['chats.get'] });
    const ndjson = await im(['chat.members', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--json', '--format', 'ndjson']);
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const items = (IM_SAMPLE_DATA['chat.members.get'] as { items: unknown[] }).items;
    expect(ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(items);
  });

  it('goes with --jq and with the JSON dry-run', async () => {
    const jq = await im(['chats', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--json', '--jq', '.code']);
    expect(jq.code, jq.stderr).toBe(0);
    expect(jq.stdout).toBe('0\n');
    const dry = await im(['chats', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--json', '--dry-run']);
    expect(plan(dry).api[0].url).toBe(`${V1}/chats/oc_1`);
  });

  it('--format table and csv stay available', async () => {
    const table = await im(['chat.members', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--format', 'table']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^member_id\s+member_id_type\s+name\s+tenant_key\s*$/);
    const csv = await im(['chat.members', 'get', '--chat-id', 'oc_1', '--as', 'bot', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('member_id,member_id_type,name,tenant_key');
  });
});
