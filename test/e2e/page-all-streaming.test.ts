/**
 * `--page-all` streams (docs/generic-commands.md, Pagination): rows reach stdout while later pages are still being
 * served, the JSON document is the merged one byte for byte, a failure on a later page ends the
 * walk as before, and a reader that goes away or a Ctrl-C ends the run cleanly.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { useFakeLark, jsonAfterProgress } from '../helpers/fake-lark-hooks.js';
import { runInProcess } from '../helpers/in-process.js';
import { CLI, cliEnv } from '../helpers/cli.js';
import type { MemoryIo } from '../helpers/memory-io.js';
import { writeTestAccount } from '../helpers/accounts.js';

const V1 = '/open-apis/im/v1';
const MEMBERS = `${V1}/chats/:chat_id/members`;
const h = useFakeLark({ sandbox: 'file', setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url }) });

const member = (n: number, name = `User ${n}`) => ({ member_id: `ou_${n}`, member_id_type: 'open_id', name, tenant_key: 'tk1' });
const ARGS = ['im', 'chat.members', 'get', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--page-all', '--page-delay', '-1'];

/** Resolves true once `cond` holds, false after `ms`. */
async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/**
 * Pages of members: page `i` (0-based) answers once `gate(i)` resolves; `data` extras go on every
 * page; `last` replaces the answer of the final page.
 */
function members(pages: unknown[][], gate: (i: number) => Promise<unknown> = async () => undefined, last?: () => Response) {
  return http.get(`*${MEMBERS}`, async ({ request }) => {
    const token = new URL(request.url).searchParams.get('page_token');
    const i = token ? Number(token.slice(1)) : 0;
    await gate(i);
    if (last && i === pages.length) return last();
    const more = i < pages.length - 1 || last !== undefined;
    return larkOk({ member_total: 99, items: pages[i] ?? [], has_more: more, ...(more ? { page_token: `t${i + 1}` } : {}) });
  });
}

describe('--page-all streams its output', () => {
  it('ndjson: page 1 rows are on stdout before page 2 is served', async () => {
    let io: MemoryIo | undefined;
    let seen = false;
    h.fake.use(members([[member(1), member(2)], [member(3)]], async (i) => {
      if (i === 1) seen = await until(() => !!io && io.out().includes('"ou_2"'));
    }));
    const r = await runInProcess([...ARGS, '--format', 'ndjson'], { sandbox: h.sb }, (x) => (io = x));
    expect(seen).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([member(1), member(2), member(3)].map((m) => JSON.stringify(Object.fromEntries(Object.entries(m).sort()))).join('\n') + '\n');
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[pagination] streamed 2 pages, 3 total items\n');
  });

  it('json: the items of page 1 are out before the last page is served, and the document is the merged one byte for byte', async () => {
    let io: MemoryIo | undefined;
    let seen = false;
    let before = '';
    h.fake.use(members([[member(1), member(2)], [member(3)], [member(4)]], async (i) => {
      if (i === 2) {
        seen = await until(() => !!io && io.out().includes('"ou_3"'));
        before = io!.out();
      }
    }));
    const r = await runInProcess(ARGS, { sandbox: h.sb }, (x) => (io = x));
    expect(seen).toBe(true);
    // what was printed so far does not parse: the document is not closed yet
    expect(() => JSON.parse(before)).toThrow();
    expect(r.code).toBe(0);
    const m = (n: number) => `      {\n        "member_id": "ou_${n}",\n        "member_id_type": "open_id",\n        "name": "User ${n}",\n        "tenant_key": "tk1"\n      }`;
    expect(r.stdout).toBe(
      '{\n  "code": 0,\n  "data": {\n    "has_more": false,\n    "items": [\n' +
        [1, 2, 3, 4].map(m).join(',\n') +
        '\n    ],\n    "member_total": 99\n  },\n  "msg": "success"\n}\n',
    );
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[page 3] fetching...\n[pagination] merged 3 pages, 4 total items\n');
  });

  it('json: one page prints the response unchanged (its cursor included)', async () => {
    h.fake.use(members([[member(1)], [member(2)]]));
    const r = await runInProcess([...ARGS, '--page-limit', '1'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { member_total: 99, items: [member(1)], has_more: true, page_token: 't1' } });
  });

  it('csv: the header once, then the rows of every page', async () => {
    h.fake.use(members([[member(1)], [member(2), member(3)]]));
    const r = await runInProcess([...ARGS, '--format', 'csv'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('member_id,member_id_type,name,tenant_key\nou_1,open_id,User 1,tk1\nou_2,open_id,User 2,tk1\nou_3,open_id,User 3,tk1\n');
  });

  it('control characters are escaped (json, ndjson) or stripped (csv, table) in streamed output as in buffered output', async () => {
    const evil = 'A\u001b[31mB\u0007C\u202eD';
    h.fake.use(members([[member(1, evil)], [member(2)]]));
    const json = await runInProcess(ARGS, { sandbox: h.sb });
    expect(json.stdout).toContain('"name": "A\\u001b[31mB\\u0007C\u202eD"');
    expect(json.json().data.items[0].name).toBe(evil);
    const nd = await runInProcess([...ARGS, '--format', 'ndjson'], { sandbox: h.sb });
    expect(nd.stdout.split('\n')[0]).toContain('"name":"A\\u001b[31mB\\u0007C\u202eD"');
    const csv = await runInProcess([...ARGS, '--format', 'csv'], { sandbox: h.sb });
    expect(csv.stdout.split('\n')[1]).toBe('ou_1,open_id,ABCD,tk1');
    const table = await runInProcess([...ARGS, '--format', 'table'], { sandbox: h.sb });
    expect(table.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(table.stdout).toContain('ABCD');
  });
});

describe('--page-all: a failure after page 2', () => {
  it('json, an API error on page 3: the walk stops, pages 1–2 are the merged document, exit 0 (as when buffered)', async () => {
    h.fake.use(members([[member(1)], [member(2)]], undefined, () => larkErr(99991400, 'request trigger frequency limit')));
    const r = await runInProcess(ARGS, { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { member_total: 99, items: [member(1), member(2)], has_more: false } });
    expect(r.stderr).toBe(
      '[page 1] fetching...\n[page 2] fetching...\n[page 3] fetching...\n[page 3] API error (code=99991400), stopping pagination\n[pagination] merged 3 pages, 2 total items\n',
    );
  });

  it('json, an unreadable page 3: the walk stops with pages 1–2, exit 0', async () => {
    h.fake.use(members([[member(1)], [member(2)]], undefined, () => new HttpResponse('{"code":0,"data":{"items":[', { headers: { 'content-type': 'application/json' } })));
    const r = await runInProcess(ARGS, { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.json().data.items).toEqual([member(1), member(2)]);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[page 3] fetching...\n[page 3] error, stopping pagination\n[pagination] merged 2 pages, 2 total items\n');
  });

  it('ndjson, an API error on page 3: the rows of pages 1–2, then the error envelope and exit 1', async () => {
    h.fake.use(members([[member(1)], [member(2)]], undefined, () => larkErr(230002, 'Bot/User can NOT be out of the chat.')));
    const r = await runInProcess([...ARGS, '--format', 'ndjson'], { sandbox: h.sb });
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).member_id)).toEqual(['ou_1', 'ou_2']);
    expect(
      jsonAfterProgress(r.stderr, [
        '[page 1] fetching...',
        '[page 2] fetching...',
        '[page 3] fetching...',
        '[page 3] API error (code=230002), stopping pagination',
        '[pagination] streamed 3 pages, 2 total items',
      ]),
    ).toMatchObject({ ok: false, identity: 'bot', error: { type: 'api_error', code: 230002 } });
  });

  it('api --page-all, an API error on page 3 in json: the same merged document', async () => {
    h.fake.use(members([[member(1)], [member(2)]], undefined, () => larkErr(99991400, 'limit')));
    const r = await runInProcess(['api', 'GET', `${V1}/chats/oc_1/members`, '--as', 'bot', '--page-all', '--page-delay', '-1'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.json().data.items).toEqual([member(1), member(2)]);
  });
});

/** Spawns the built CLI against the fake; `onStdout` sees each chunk and may act on the child. */
function spawnCli(args: string[], onStdout: (chunk: string, child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: h.sb.work, env: cliEnv(h.sb), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      onStdout(c.toString('utf8'), child);
    });
    child.stdout!.on('error', () => {});
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('--page-all ends cleanly mid-stream (spawned)', () => {
  const many = Array.from({ length: 200 }, (_, p) => Array.from({ length: 50 }, (_, k) => member(p * 50 + k)));

  it('a reader that goes away (EPIPE): exit 0, no error envelope', async () => {
    h.fake.use(members(many));
    const r = await spawnCli([...ARGS, '--format', 'ndjson', '--page-limit', '0'], (_c, child) => child.stdout!.destroy());
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('"ok": false');
    // it stopped early: not every page was asked for
    expect(h.fake.requestsTo(/\/chats\/oc_1\/members$/).length).toBeLessThan(200);
  });

  it('Ctrl-C (SIGINT) while a page is awaited: the run ends by the signal, the JSON on stdout is left open', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    h.fake.use(members(many, async (i) => {
      if (i === 2) await held;
    }));
    let sent = false;
    const r = await spawnCli([...ARGS, '--page-limit', '0'], (_c, child) => {
      if (!sent) {
        sent = true;
        // the opening and pages 1–2 are out; page 3 is held by the fake
        setTimeout(() => child.kill('SIGINT'), 50);
      }
    });
    release();
    expect(r.signal === 'SIGINT' || r.code === 130).toBe(true);
    expect(r.stdout).toContain('"ou_99"');
    expect(() => JSON.parse(r.stdout)).toThrow();
  });
});
