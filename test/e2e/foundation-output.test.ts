/**
 * Foundation e2e: how `api` prints responses (docs/generic-commands.md):
 * formats, --jq, terminal sanitization, --page-all, --output, binary bodies.
 */
import { realpathSync } from 'node:fs';
import { readFile, stat, readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { dropConnection } from '../fake-lark/server.js';
import { larkOk } from '../fake-lark/handlers.js';
import { runInProcess } from '../helpers/in-process.js';
import { envTokenEnv, useFakeLark, expectJsonErr, expectJsonOut, jsonAfterProgress } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark();

const env = () => envTokenEnv(h.fake);

const RED = '\u001b[31mRed\u001b[0m team';
const TITLE = 'x\u001b]0;title\u0007y';
const LIST = {
  has_more: false,
  items: [
    { chat_id: 'oc_1', name: RED },
    { chat_id: 'oc_2', name: TITLE },
  ],
};

function useList(): void {
  h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk(LIST)));
}

async function api(args: string[], extra: { stdin?: string } = {}) {
  return runInProcess(['api', 'GET', '/open-apis/im/v1/chats', ...args], { sandbox: h.sb, env: env(), ...extra });
}

/** `api` on the chat list answered with LIST: exit 0 and nothing on stderr. */
async function listOk(args: string[]) {
  useList();
  const r = await api(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

describe('formats on a list response', () => {
  it('json (default): the raw response, indented; control characters stay, JSON-escaped', async () => {
    useList();
    const r = await api([]);
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: LIST });
    expect(r.stdout).toContain('"name": "\\u001b[31mRed\\u001b[0m team"');
    expect(r.stdout).toContain('\\u0007');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout.startsWith('{\n  "code": 0,\n')).toBe(true);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const call = h.fake.requestsTo('/open-apis/im/v1/chats');
    expect(call).toHaveLength(1);
    expect(call[0]!.headers.authorization).toBe('Bearer t-env');
  });

  it('--format ndjson: one compact line per item, control characters JSON-escaped', async () => {
    const r = await listOk(['--format', 'ndjson']);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(LIST.items[0]);
    expect(JSON.parse(lines[1]!)).toEqual(LIST.items[1]);
    expect(lines[0]).toBe('{"chat_id":"oc_1","name":"\\u001b[31mRed\\u001b[0m team"}');
    expect(r.stdout).not.toContain('\u001b');
  });

  it('--format table: control sequences stripped, every cell padded', async () => {
    const r = await listOk(['--format', 'table']);
    expect(r.stdout).toBe(
      ['chat_id  name    ', '───────  ────────', 'oc_1     Red team', 'oc_2     xy      ', ''].join('\n'),
    );
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });

  it('--format csv: control sequences stripped', async () => {
    useList();
    const r = await api(['--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('chat_id,name\noc_1,Red team\noc_2,xy\n');
  });

  it('--format TABLE is case-insensitive; an unknown format warns and prints json', async () => {
    useList();
    const t = await api(['--format', 'TABLE']);
    expect(t.stdout.split('\n')[0]).toBe('chat_id  name    ');
    const u = await api(['--format', 'pretty']);
    expect(u.code).toBe(0);
    expect(u.stderr).toBe('warning: unknown format "pretty", falling back to json\n');
    expect(u.json()).toEqual({ code: 0, msg: 'success', data: LIST });
  });

  it('an empty list: table/csv print (empty), ndjson nothing', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ has_more: false, items: [] })));
    expect((await api(['--format', 'table'])).stdout).toBe('(empty)\n');
    expect((await api(['--format', 'csv'])).stdout).toBe('(empty)\n');
    const n = await api(['--format', 'ndjson']);
    expect(n.code).toBe(0);
    expect(n.stdout).toBe('');
  });

  it('flattening: nested keys, arrays as compact JSON, null empty, numbers plain', async () => {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats', () =>
        larkOk({ items: [{ a: 1, b: { c: 'x', d: { e: { f: 1 } } }, tags: ['p', 'q'], z: null }, { a: 2.5, new: true }] }),
      ),
    );
    const r = await api(['--format', 'csv']);
    expect(r.stdout).toBe('a,b.c,b.d.e,tags,z,new\n1,x,"{""f"":1}","[""p"",""q""]",,\n2.5,,,,,true\n');
  });
});

describe('--jq', () => {
  it('runs on the raw response, strings raw, one per line', async () => {
    const r = await listOk(['--jq', '.data.items[].chat_id']);
    expect(r.stdout).toBe('oc_1\noc_2\n');
  });

  it('-q with objects prints indented JSON, numbers and booleans as is', async () => {
    useList();
    const r = await api(['-q', '{n: (.data.items | length), more: .data.has_more, first: .data.items[0].chat_id}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ n: 2, more: false, first: 'oc_1' });
    expect(r.stdout).toContain('\n  "n": 2');
  });

  it('--jq with --format table → validation, no request', async () => {
    useList();
    const r = await api(['--jq', '.data', '--format', 'table']);
    expectJsonErr(r, 2, { ok: false, identity: 'bot', error: { type: 'validation', message: '--jq and --format table are mutually exclusive' } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--jq with --output → validation', async () => {
    const r = await api(['--jq', '.data', '-o', 'x.json']);
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--jq and --output are mutually exclusive' });
    expect(r.code).toBe(2);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('an invalid jq expression → validation "invalid jq expression: …", no request', async () => {
    useList();
    for (const expr of ['.data[', 'nosuchfn(1)', '.a |']) {
      const r = await api(['--jq', expr]);
      expect(r.stdout).toBe('');
      const e = r.errJson();
      expect(e.error.type).toBe('validation');
      expect(e.error.message).toMatch(/^invalid jq expression: \S/);
      expect(e.error.message).not.toContain('\n');
      expect(r.code).toBe(2);
    }
    expect(h.fake.requests).toHaveLength(0);
  });

  it('a jq runtime error → jq_error, exit 1', async () => {
    useList();
    const r = await api(['--jq', '.data.items[] | .chat_id + 1']);
    const e = r.errJson();
    expect(e.error.type).toBe('jq_error');
    expect(e.error.message).toMatch(/^jq error: /);
    expect(r.code).toBe(1);
  });
});

describe('--page-all', () => {
  function usePages(): void {
    h.fake.use(
      http.get('*/open-apis/im/v1/chats', ({ request }) => {
        const token = new URL(request.url).searchParams.get('page_token');
        if (!token) return larkOk({ has_more: true, page_token: 'p2', items: [{ id: 'a', n: 1 }] });
        if (token === 'p2') return larkOk({ has_more: false, page_token: '', items: [{ id: 'b', n: 2, extra: 'x' }] });
        return larkOk({ has_more: false, items: [] });
      }),
    );
  }

  it('json: merges 2 pages with progress on stderr', async () => {
    usePages();
    const r = await api(['--page-all', '--params', '{"page_size":1}', '--page-delay', '-1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[pagination] merged 2 pages, 2 total items\n');
    expect(r.json()).toEqual({
      code: 0,
      msg: 'success',
      data: { has_more: false, items: [{ id: 'a', n: 1 }, { id: 'b', n: 2, extra: 'x' }] },
    });
    const reqs = h.fake.requestsTo('/open-apis/im/v1/chats');
    expect(reqs).toHaveLength(2);
    expect(reqs[0]!.query).toEqual({ page_size: '1' });
    expect(reqs[1]!.query).toEqual({ page_size: '1', page_token: 'p2' });
    for (const q of reqs) expect(q.headers.authorization).toBe('Bearer t-env');
  });

  it('the default page delay is about 200 ms', async () => {
    usePages();
    const t0 = Date.now();
    const r = await api(['--page-all']);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
  });

  it('ndjson: streams both pages', async () => {
    usePages();
    const r = await api(['--page-all', '--format', 'ndjson', '--page-delay', '-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"id":"a","n":1}\n{"extra":"x","id":"b","n":2}\n');
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[pagination] streamed 2 pages, 2 total items\n');
  });

  it('table: header once, columns fixed by the first page', async () => {
    usePages();
    const r = await api(['--page-all', '--format', 'table', '--page-delay', '-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['id  n', '──  ─', 'a   1', 'b   2', ''].join('\n'));
  });

  it('csv: header once', async () => {
    usePages();
    const r = await api(['--page-all', '--format', 'csv', '--page-delay', '-1']);
    expect(r.stdout).toBe('id,n\na,1\nb,2\n');
  });

  it('--page-limit 1 stops after one page, which is printed unchanged', async () => {
    usePages();
    const r = await api(['--page-all', '--page-limit', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '[page 1] fetching...\n[pagination] reached page limit (1), stopping. Use --page-all --page-limit 0 to fetch all pages.\n',
    );
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { has_more: true, page_token: 'p2', items: [{ id: 'a', n: 1 }] } });
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')).toHaveLength(1);
  });

  it('--jq runs on the merged result', async () => {
    usePages();
    const r = await api(['--page-all', '--jq', '[.data.items[].id] | join(",")', '--page-delay', '-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a,b\n');
  });

  it('--page-all with --output → validation', async () => {
    const r = await api(['--page-all', '-o', 'x.json']);
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--output and --page-all are mutually exclusive' });
    expect(r.code).toBe(2);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('-o / --output and binary responses', () => {
  it('saves a JSON response with mode 0600 and prints its metadata', async () => {
    const r = await listOk(['-o', 'out/resp.json']);
    const target = path.join(realpathSync(h.sb.work), 'out', 'resp.json');
    const saved = await readFile(target, 'utf8');
    expect(JSON.parse(saved)).toEqual({ code: 0, msg: 'success', data: LIST });
    expect(r.json()).toEqual({ content_type: 'application/json', saved_path: target, size_bytes: Buffer.byteLength(saved) });
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(target))).mode & 0o777).toBe(0o700);
    // no temp file left behind
    expect(await readdir(path.dirname(target))).toEqual(['resp.json']);
  });

  it('--output saves a binary body byte for byte', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
    h.fake.use(http.get('*/open-apis/im/v1/images/img_1', () => new HttpResponse(bytes, { headers: { 'content-type': 'image/png' } })));
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/images/img_1', '--output', 'pic.png'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    const target = path.join(realpathSync(h.sb.work), 'pic.png');
    expect(await readFile(target)).toEqual(bytes);
    expect(r.json()).toEqual({ content_type: 'image/png', saved_path: target, size_bytes: bytes.length });
  });

  it.each([
    ['../x', 'unsafe output path: --output "../x" resolves outside the current working directory (hint: the path must stay within the working directory after resolving .. and symlinks)'],
    ['/tmp/lark-cli-abs-x', 'unsafe output path: --output must be a relative path within the current directory, got "/tmp/lark-cli-abs-x" (hint: cd to the target directory first, or use a relative path like ./filename)'],
  ])('-o %s → file_error, exit 5, nothing written', async (p, message) => {
    useList();
    const r = await api(['-o', p]);
    expectJsonErr(r, 5, { ok: false, identity: 'bot', error: { type: 'file_error', message } });
    expect(await readdir(h.sb.root)).not.toContain('x');
    await expect(stat('/tmp/lark-cli-abs-x')).rejects.toThrow();
  });

  it('a binary response without --output is saved as download<ext>', async () => {
    const bytes = Buffer.from('%PDF-1.4 fake\n\u0000\u0001');
    h.fake.use(http.get('*/open-apis/files/f1', () => new HttpResponse(bytes, { headers: { 'content-type': 'application/pdf' } })));
    const r = await runInProcess(['api', 'GET', '/open-apis/files/f1'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('binary response detected (Content-Type: application/pdf), saved to file\n');
    const target = path.join(realpathSync(h.sb.work), 'download.pdf');
    expect(await readFile(target)).toEqual(bytes);
    expect(r.json()).toEqual({ content_type: 'application/pdf', saved_path: target, size_bytes: bytes.length });
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('a binary response uses the Content-Disposition file name (without any folder part)', async () => {
    await mkdir(path.join(h.sb.work, 'sub'));
    h.fake.use(
      http.get('*/open-apis/files/f2', () =>
        new HttpResponse('hello', { headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="../../report.bin"' } }),
      ),
    );
    const cwd = path.join(h.sb.work, 'sub');
    const r = await runInProcess(['api', 'GET', '/open-apis/files/f2'], { sandbox: h.sb, env: env(), cwd });
    expect(r.code).toBe(0);
    const target = path.join(realpathSync(cwd), 'report.bin');
    expect(await readFile(target, 'utf8')).toBe('hello');
    expect(r.json().saved_path).toBe(target);
  });

  it('--jq on a binary response → validation', async () => {
    h.fake.use(http.get('*/open-apis/files/f3', () => new HttpResponse('abc', { headers: { 'content-type': 'image/gif' } })));
    const r = await runInProcess(['api', 'GET', '/open-apis/files/f3', '--jq', '.'], { sandbox: h.sb, env: env() });
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--jq requires a JSON response (got Content-Type: image/gif)' });
    expect(r.code).toBe(2);
    expect(await readdir(h.sb.work)).toEqual([]);
  });

  it('a JSON error response with --output is reported, nothing saved', async () => {
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => HttpResponse.json({ code: 1234, msg: 'nope' }, { status: 400 })));
    const r = await api(['-o', 'resp.json']);
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 1234, message: 'API error: [1234] nope' });
    expect(r.code).toBe(1);
    expect(await readdir(h.sb.work)).toEqual([]);
  });
});

describe('request building', () => {
  it('--params values: Go %v formatting, arrays repeat, keys sorted, form-encoded', async () => {
    h.fake.use(http.get('*/open-apis/q', () => larkOk({})));
    const params = JSON.stringify({
      z: 'last',
      start_time: 1658632251800,
      flag: true,
      nothing: null,
      obj: { a: 1 },
      ids: ['x', 'y z'],
      empty: [],
      text: 'a b&c=d/é',
      big: 12345678901234567890,
      small: 0.5,
    });
    const r = await runInProcess(['api', 'GET', '/open-apis/q', '--params', params], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    const q = h.fake.requestsTo('/open-apis/q')[0]!;
    expect(q.search).toBe(
      '?big=1.2345678901234567e%2B19&flag=true&ids=x&ids=y+z&nothing=%3Cnil%3E&obj=map%5Ba%3A1%5D&small=0.5&start_time=1.6586322518e%2B12&text=a+b%26c%3Dd%2F%C3%A9&z=last',
    );
  });

  it('GET drops --data; writes send compact JSON with sorted keys and the CLI headers', async () => {
    h.fake.use(http.get('*/open-apis/g', () => larkOk({})), http.put('*/open-apis/p', () => larkOk({})));
    await runInProcess(['api', 'GET', '/open-apis/g', '--data', '{"x":1}'], { sandbox: h.sb, env: env() });
    const g = h.fake.requestsTo('/open-apis/g')[0]!;
    expect(g.method).toBe('GET');
    expect(g.body.length).toBe(0);
    expect(g.headers['content-type']).toBe('application/json; charset=utf-8');

    await runInProcess(['api', 'PUT', '/open-apis/p', '--data', '{"b":{"d":1,"c":[3,{"f":1,"e":2}]},"a":"<&>"}'], { sandbox: h.sb, env: env() });
    const p = h.fake.requestsTo('/open-apis/p')[0]!;
    expect(p.method).toBe('PUT');
    expect(p.text).toBe('{"a":"<&>","b":{"c":[3,{"e":2,"f":1}],"d":1}}');
    expect(p.headers['user-agent']).toBe('lark-cli/0.1.0');
    expect(p.headers['x-cli-source']).toBe('lark-cli');
    expect(p.headers['x-cli-version']).toBe('0.1.0');
    expect(p.headers['x-cli-shortcut']).toBeUndefined();
  });

  it('--data may be any JSON value', async () => {
    h.fake.use(http.post('*/open-apis/arr', () => larkOk({})));
    await runInProcess(['api', 'POST', '/open-apis/arr', '--data', '[1,"two",null]'], { sandbox: h.sb, env: env() });
    expect(h.fake.requestsTo('/open-apis/arr')[0]!.text).toBe('[1,"two",null]');
  });

  it('--file uploads multipart/form-data with the --data fields', async () => {
    const { writeFile } = await import('node:fs/promises');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await writeFile(path.join(h.sb.work, 'pic.png'), png);
    h.fake.use(http.post('*/open-apis/im/v1/images', () => larkOk({ image_key: 'img_1' })));
    const r = await runInProcess(['api', 'POST', '/open-apis/im/v1/images', '--file', 'image=pic.png', '--data', '{"image_type":"message","n":1}'], {
      sandbox: h.sb,
      env: env(),
    });
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: { image_key: 'img_1' } });
    const q = h.fake.requestsTo('/open-apis/im/v1/images')[0]!;
    expect(q.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(q.headers.authorization).toBe('Bearer t-env');
    const form = await new Response(new Uint8Array(q.body), { headers: { 'content-type': q.contentType! } }).formData();
    expect(form.get('image_type')).toBe('message');
    expect(form.get('n')).toBe('1');
    const file = form.get('image') as File;
    expect(file.name).toBe('unknown-file');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
  });

  it.each([
    [['--file', 'x.png'], '--file requires POST, PUT, PATCH, or DELETE method', 'GET'],
    [['--file', 'f='], '--file: empty file path', 'POST'],
    [['--file', 'x.png', '--page-all'], '--file and --page-all are mutually exclusive', 'POST'],
    [['--file', '../x.png'], 'cannot open file: ../x.png', 'POST'],
    [['--file', 'a.png', '--data', '[1]'], '--data must be a JSON object when used with --file', 'POST'],
  ])('--file validation %j', async (flags, message, method) => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(h.sb.work, 'a.png'), 'x');
    const r = await runInProcess(['api', method, '/open-apis/up', ...flags], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'validation', message });
    expect(r.code).toBe(2);
    expect(h.fake.requestsTo('/open-apis/up')).toHaveLength(0);
  });
});

describe('special responses', () => {
  it('a security-policy answer (21000) prints its own shape, exit 1', async () => {
    h.fake.use(
      http.get('*/open-apis/sec', () =>
        HttpResponse.json({ code: 21000, msg: 'verify it is you', data: { challenge_url: ' `https://accounts.example/challenge` ', cli_hint: 'open the link' } }),
      ),
    );
    const r = await runInProcess(['api', 'GET', '/open-apis/sec'], { sandbox: h.sb, env: env() });
    expect(r.stdout).toBe('');
    expect(r.errJson()).toEqual({
      error: {
        challenge_url: 'https://accounts.example/challenge',
        code: 'challenge_required',
        hint: 'open the link',
        message: 'verify it is you',
        retryable: false,
        type: 'auth_error',
      },
      ok: false,
    });
    expect(r.stderr.indexOf('"error"')).toBeLessThan(r.stderr.indexOf('"ok"'));
    expect(r.code).toBe(1);
  });

  it('--page-all with a business error on page 1: the response goes to stdout, then the envelope', async () => {
    h.fake.use(http.get('*/open-apis/pe', () => HttpResponse.json({ code: 1234, msg: 'bad', error: { log_id: 'x' } }, { status: 400 })));
    const r = await runInProcess(['api', 'GET', '/open-apis/pe', '--page-all'], { sandbox: h.sb, env: env() });
    expect(r.json()).toEqual({ code: 1234, msg: 'bad', error: { log_id: 'x' } });
    expect(r.stderr.startsWith('[page 1] fetching...\n')).toBe(true);
    expect(JSON.parse(r.stderr.slice('[page 1] fetching...\n'.length))).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'api_error', code: 1234, message: 'API error: [1234] bad', detail: { log_id: 'x' } },
    });
    expect(r.code).toBe(1);
  });

  it('--page-all without a list field gives {pages: [...]}', async () => {
    h.fake.use(
      http.get('*/open-apis/nl', ({ request }) =>
        new URL(request.url).searchParams.get('page_token') ? larkOk({ v: 2, has_more: false }) : larkOk({ v: 1, has_more: true, page_token: 't' }),
      ),
    );
    const r = await runInProcess(['api', 'GET', '/open-apis/nl', '--page-all', '--page-delay', '-1'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      pages: [
        { code: 0, msg: 'success', data: { v: 1, has_more: true, page_token: 't' } },
        { code: 0, msg: 'success', data: { v: 2, has_more: false } },
      ],
    });
  });
});

describe('--page-all when a page fails', () => {
  function usePages(second: () => Response): void {
    h.fake.use(
      http.get('*/open-apis/pf', ({ request }) =>
        new URL(request.url).searchParams.get('page_token') ? second() : larkOk({ has_more: true, page_token: 'p2', items: [{ id: 'a' }] }),
      ),
    );
  }
  const run = (args: string[]) => runInProcess(['api', 'GET', '/open-apis/pf', '--page-all', '--page-delay', '-1', ...args], { sandbox: h.sb, env: env() });

  it('json: a business error on page 2 keeps page 1, exit 0', async () => {
    usePages(() => HttpResponse.json({ code: 1234, msg: 'later' }, { status: 400 }));
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[page 2] API error (code=1234), stopping pagination\n[pagination] merged 2 pages, 1 total items\n');
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { has_more: false, items: [{ id: 'a' }] } });
  });

  it('json: a transport error on page 2 stops with what was collected', async () => {
    usePages(() => dropConnection());
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[page 2] error, stopping pagination\n');
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { has_more: true, page_token: 'p2', items: [{ id: 'a' }] } });
    // page 2 is a GET: retried 3 times
    expect(h.fake.requestsTo('/open-apis/pf')).toHaveLength(4);
  });

  it('ndjson: a business error on page 2 fails after the partial output; api prints the raw result first', async () => {
    usePages(() => HttpResponse.json({ code: 1234, msg: 'later', error: { log_id: 'l2' } }, { status: 400 }));
    const r = await run(['--format', 'ndjson']);
    expect(r.code).toBe(1);
    expect(
      jsonAfterProgress(r.stderr, [
        '[page 1] fetching...',
        '[page 2] fetching...',
        '[page 2] API error (code=1234), stopping pagination',
        '[pagination] streamed 2 pages, 1 total items',
      ]),
    ).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'api_error', code: 1234, message: 'API error: [1234] later', detail: { log_id: 'l2' } },
    });
    const first = '{"id":"a"}\n';
    expect(r.stdout.startsWith(first)).toBe(true);
    expect(JSON.parse(r.stdout.slice(first.length))).toEqual({ code: 1234, msg: 'later', error: { log_id: 'l2' } });
  });

  it('table: a business error on page 1 prints the raw result and the envelope, no summary', async () => {
    h.fake.use(http.get('*/open-apis/pf', () => HttpResponse.json({ code: 99991672, msg: 'denied' }, { status: 403 })));
    const r = await run(['--format', 'table']);
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({ code: 99991672, msg: 'denied' });
    expect(r.stderr.startsWith('[page 1] fetching...\n{')).toBe(true);
    expect(JSON.parse(r.stderr.slice('[page 1] fetching...\n'.length))).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'permission', code: 99991672, message: 'Permission denied [99991672]', hint: 'check app permissions or re-authorize: lark-cli auth login' },
    });
  });

  it('csv: no list in any page falls back to json with a warning', async () => {
    h.fake.use(http.get('*/open-apis/pf', () => larkOk({ user_id: 'u1' })));
    const r = await run(['--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\nwarning: this API does not return a list, format "csv" is not supported, falling back to json\n');
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { user_id: 'u1' } });
  });
});

describe('numbers', () => {
  const BODY = '{"code":0,"msg":"ok","data":{"a":1.5,"b":1234567.5,"c":100000000000000000000,"d":9007199254740993,"e":1e-7,"f":-0,"g":12345678901234567890123}}';
  beforeEach(() => {
    h.fake.use(http.get('*/open-apis/num', () => new HttpResponse(BODY, { headers: { 'content-type': 'application/json' } })));
  });

  it('json output keeps the server number text', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/num'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    for (const t of ['"a": 1.5', '"b": 1234567.5', '"c": 100000000000000000000', '"d": 9007199254740993', '"g": 12345678901234567890123']) {
      expect(r.stdout).toContain(t);
    }
  });

  it('--jq: 64-bit integers exact, other numbers in Go %g form', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/num', '--jq', '.data | .a, .b, .c, .d, .e'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1.5\n1.2345675e+06\n1e+20\n9007199254740993\n1e-07\n');
  });
});
