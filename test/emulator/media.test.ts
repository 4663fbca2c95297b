/**
 * The emulator's media endpoints: multipart uploads of images and files, the bot's downloads of
 * its own uploads, and the message resource download with Range (as the CLI's ranged downloader
 * uses it), with Lark's limits, codes, scope and membership refusals.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeQuery, type ApiClient, type ApiRequest } from '../../src/client/api-client.js';
import { downloadResource } from '../../src/client/download.js';
import { createMessage } from '../../src/emulator/model/messages.js';
import { contentDisposition, parseRange } from '../../src/emulator/routes/media.js';
import { demoPng, demoSeed } from '../../src/emulator/seeds/demo.js';
import { DEMO, useEmulator, type EmulatorHandle } from '../helpers/emulator.js';
import { memoryIo } from '../helpers/memory-io.js';

interface Part {
  name: string;
  value?: string;
  filename?: string;
  type?: string;
  data?: Buffer;
}

/** A multipart/form-data body as an HTTP client writes it. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----emulatorTest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.data !== undefined) head += `; filename="${p.filename ?? 'unknown-file'}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), p.data ?? Buffer.from(p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Deterministic non-repeating bytes. */
function bytes(n: number, salt = 7): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = salt >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

async function upload(h: EmulatorHandle, kind: 'images' | 'files', parts: Part[], token?: string) {
  const mp = multipart(parts);
  return h.call('POST', `/open-apis/im/v1/${kind}`, { token: token ?? (await h.tenantToken()), body: mp.body, headers: { 'content-type': mp.contentType } });
}

async function uploadFile(h: EmulatorHandle, data: Buffer, fileName: string, fileType = 'stream'): Promise<string> {
  const r = await upload(h, 'files', [{ name: 'file_type', value: fileType }, { name: 'file_name', value: fileName }, { name: 'file', data }]);
  expect(r.body.code, JSON.stringify(r.body)).toBe(0);
  return r.body.data.file_key as string;
}

/** A message in the project chat (from Bob) with this content. */
function postMessage(h: EmulatorHandle, msgType: string, content: unknown, chatId: string = DEMO.project, sender: string = DEMO.bob): string {
  const chat = h.emu.db.get('chats', chatId)!;
  return createMessage(h.emu.db, { chat, senderId: sender, msg_type: msgType, content: JSON.stringify(content), now: h.emu.clock.now() }).message_id;
}

function resourcePath(messageId: string, key: string): string {
  return `/open-apis/im/v1/messages/${messageId}/resources/${key}`;
}

describe('emulator media: uploads', () => {
  const h = useEmulator();

  it('uploads an image from a real multipart body and stores its bytes', async () => {
    const png = demoPng();
    const r = await upload(h, 'images', [{ name: 'image_type', value: 'message' }, { name: 'image', data: png }]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, msg: 'success' });
    const key = r.body.data.image_key as string;
    expect(key).toMatch(/^img_v3_[0-9a-f]{4}_[0-9a-f-]+g$/);
    const rec = h.emu.db.get('resources', key)!;
    expect(rec).toMatchObject({ type: 'image', mime: 'image/png', size: png.length, app_id: DEMO.appId });
    expect(h.emu.store.blobs.get(key)!.equals(png)).toBe(true);
    // the journal shows the upload without its bytes
    const j = h.journal().find((e) => e.path === '/open-apis/im/v1/images')!;
    expect(j.body).toEqual({ image_type: 'message', files: [{ field: 'image', filename: 'unknown-file', size: png.length }] });
  });

  it('accepts an image upload with a user token (the CLI uploads as the sending identity)', async () => {
    const r = await upload(h, 'images', [{ name: 'image', data: demoPng() }, { name: 'image_type', value: 'avatar' }], h.userToken());
    expect(r.body.code).toBe(0);
    const refused = await upload(h, 'images', [{ name: 'image_type', value: 'message' }, { name: 'image', data: demoPng() }], h.userToken(DEMO.alice, ['im:message']));
    expect(refused.body.code).toBe(99991679);
    expect(refused.body.error.permission_violations.map((v: { subject: string }) => v.subject)).toEqual(['im:resource:upload', 'im:resource']);
  });

  it('refuses bad image uploads with Lark codes', async () => {
    const cases: Array<[Part[], number]> = [
      [[{ name: 'image_type', value: 'message' }, { name: 'image', data: Buffer.alloc(0) }], 234010],
      [[{ name: 'image_type', value: 'message' }, { name: 'image', data: Buffer.from('not an image at all') }], 234011],
      [[{ name: 'image', data: demoPng() }], 234001],
      [[{ name: 'image_type', value: 'sticker' }, { name: 'image', data: demoPng() }], 234001],
      [[{ name: 'image_type', value: 'message' }], 234001],
      [[{ name: 'image_type', value: 'message' }, { name: 'file', data: demoPng() }], 234001],
    ];
    for (const [parts, code] of cases) {
      const r = await upload(h, 'images', parts);
      expect(r.status, JSON.stringify(parts.map((p) => p.name))).toBe(400);
      expect(r.body.code).toBe(code);
    }
    expect(h.emu.db.t.resources.size).toBe(2); // the seed's two
    const json = await h.call('POST', '/open-apis/im/v1/images', { token: await h.tenantToken(), json: { image_type: 'message' } });
    expect(json.body.code).toBe(234001);
  });

  it('enforces the 10 MB image limit (exactly 10 MB passes)', async () => {
    const png = demoPng();
    const at = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024 - png.length)]);
    expect((await upload(h, 'images', [{ name: 'image_type', value: 'message' }, { name: 'image', data: at }])).body.code).toBe(0);
    const over = Buffer.concat([at, Buffer.alloc(1)]);
    const r = await upload(h, 'images', [{ name: 'image_type', value: 'message' }, { name: 'image', data: over }]);
    expect(r.body).toMatchObject({ code: 234006, msg: 'The file size exceed the max value.' });
  });

  it('uploads a file with its name, type and duration', async () => {
    const data = bytes(4096);
    const r = await upload(h, 'files', [{ name: 'file_type', value: 'mp4' }, { name: 'file_name', value: 'demo clip.mp4' }, { name: 'duration', value: '5000' }, { name: 'file', data }]);
    expect(r.body.code).toBe(0);
    const key = r.body.data.file_key as string;
    expect(key).toMatch(/^file_v3_/);
    expect(h.emu.db.get('resources', key)).toMatchObject({ type: 'file', file_type: 'mp4', file_name: 'demo clip.mp4', mime: 'video/mp4', size: 4096, duration: 5000 });
    expect(h.emu.store.blobs.get(key)!.equals(data)).toBe(true);
  });

  it('refuses bad file uploads with Lark codes, and files over 30 MB', async () => {
    const file = { name: 'file', data: bytes(10) };
    const cases: Array<[Part[], number]> = [
      [[{ name: 'file_type', value: 'exe' }, { name: 'file_name', value: 'a.exe' }, file], 234001],
      [[{ name: 'file_name', value: 'a.bin' }, file], 234001],
      [[{ name: 'file_type', value: 'stream' }, file], 234001],
      [[{ name: 'file_type', value: 'opus' }, { name: 'file_name', value: 'a.opus' }, { name: 'duration', value: '12.5s' }, file], 234001],
      [[{ name: 'file_type', value: 'stream' }, { name: 'file_name', value: 'a.bin' }], 234001],
      [[{ name: 'file_type', value: 'stream' }, { name: 'file_name', value: 'a.bin' }, { name: 'file', data: Buffer.alloc(0) }], 234010],
      [[{ name: 'file_type', value: 'stream' }, { name: 'file_name', value: 'big.bin' }, { name: 'file', data: Buffer.alloc(30 * 1024 * 1024 + 1) }], 234006],
    ];
    for (const [parts, code] of cases) {
      const r = await upload(h, 'files', parts);
      expect(r.body.code, JSON.stringify(parts.map((p) => `${p.name}=${p.value ?? p.data?.length}`))).toBe(code);
    }
    expect(h.emu.db.t.resources.size).toBe(2);
  });

  it('lets the uploading bot download its own image and file, and no one else', async () => {
    const png = demoPng();
    const img = (await upload(h, 'images', [{ name: 'image_type', value: 'message' }, { name: 'image', data: png }])).body.data.image_key as string;
    const got = await h.call('GET', `/open-apis/im/v1/images/${img}`, { token: await h.tenantToken() });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.raw.equals(png)).toBe(true);
    const data = bytes(1000);
    const key = await uploadFile(h, data, 'notes.txt');
    const f = await h.call('GET', `/open-apis/im/v1/files/${key}`, { token: await h.tenantToken() });
    expect(f.raw.equals(data)).toBe(true);
    expect(f.headers.get('content-disposition')).toBe('attachment; filename="notes.txt"');
    // an image key on the files endpoint, an unknown key, a user token
    expect((await h.call('GET', `/open-apis/im/v1/files/${img}`, { token: await h.tenantToken() })).body.code).toBe(234001);
    expect((await h.call('GET', '/open-apis/im/v1/images/img_v3_nope', { token: await h.tenantToken() })).body.code).toBe(234001);
    expect((await h.call('GET', `/open-apis/im/v1/images/${img}`, { token: h.userToken() })).body.code).toBe(99991668);
  });
});

describe('emulator media: message resource download', () => {
  const h = useEmulator();

  it('serves a message image whole with Lark headers (no Range: 200)', async () => {
    const r = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token: await h.tenantToken(), query: { type: 'image' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('content-length')).toBe(String(demoPng().length));
    expect(r.headers.get('content-disposition')).toBeNull();
    expect(r.raw.equals(demoPng())).toBe(true);
    expect(h.journal().at(-1)).toMatchObject({ status: 200, code: null, identity: 'bot' });
  });

  it('serves byte-identical ranges: 206 with Content-Range and Content-Length', async () => {
    const data = bytes(300_000);
    const key = await uploadFile(h, data, 'report.bin');
    const mid = postMessage(h, 'file', { file_key: key, file_name: 'report.bin' });
    const token = await h.tenantToken();
    const get = (range?: string) => h.call('GET', resourcePath(mid, key), { token, query: { type: 'file' }, headers: range ? { range } : {} });

    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('300000');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.raw.equals(data)).toBe(true);

    const cases: Array<[string, number, number]> = [
      ['bytes=0-131071', 0, 131071],
      ['bytes=131072-299999', 131072, 299999],
      ['bytes=299990-', 299990, 299999],
      ['bytes=-10', 299990, 299999],
      ['bytes=0-999999', 0, 299999],
      ['bytes=5-5', 5, 5],
      ['bytes=-400000', 0, 299999],
    ];
    for (const [range, a, b] of cases) {
      const r = await get(range);
      expect(r.status, range).toBe(206);
      expect(r.headers.get('content-range'), range).toBe(`bytes ${a}-${b}/300000`);
      expect(r.headers.get('content-length'), range).toBe(String(b - a + 1));
      expect(r.headers.get('content-type')).toBe('application/octet-stream');
      expect(r.headers.get('content-disposition')).toBe('attachment; filename="report.bin"');
      expect(r.raw.equals(data.subarray(a, b + 1)), range).toBe(true);
    }
  });

  it('answers an unsatisfiable range with 416 and bytes */total, and ignores a malformed one', async () => {
    const data = bytes(1000);
    const key = await uploadFile(h, data, 'a.bin');
    const mid = postMessage(h, 'file', { file_key: key });
    const token = await h.tenantToken();
    for (const range of ['bytes=1000-1001', 'bytes=5000-', 'bytes=-0']) {
      const r = await h.call('GET', resourcePath(mid, key), { token, query: { type: 'file' }, headers: { range } });
      expect(r.status, range).toBe(416);
      expect(r.headers.get('content-range')).toBe('bytes */1000');
      expect(r.raw.length).toBe(0);
    }
    for (const range of ['bytes=abc', 'bytes=9-2', 'items=0-1', 'bytes=0-1,5-6', 'bytes=-', 'garbage']) {
      const r = await h.call('GET', resourcePath(mid, key), { token, query: { type: 'file' }, headers: { range } });
      expect(r.status, range).toBe(200);
      expect(r.raw.equals(data)).toBe(true);
    }
  });

  it('names non-ASCII files with filename*=UTF-8 (the CLI takes that name)', async () => {
    const key = await uploadFile(h, bytes(52_001), 'Q1 报告.pdf', 'pdf');
    const mid = postMessage(h, 'file', { file_key: key, file_name: 'Q1 报告.pdf' });
    const r = await h.call('GET', resourcePath(mid, key), { token: await h.tenantToken(), query: { type: 'file' }, headers: { range: 'bytes=0-131071' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 0-52000/52001');
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="Q1 __.pdf"; filename*=UTF-8''Q1%20%E6%8A%A5%E5%91%8A.pdf`);
    expect(contentDisposition(`it's (1).txt`)).toBe(`attachment; filename="it's (1).txt"`);
    expect(contentDisposition('é"x.txt')).toBe(`attachment; filename="__x.txt"; filename*=UTF-8''%C3%A9%22x.txt`);
  });

  it("downloads byte-identical through the CLI's own ranged downloader (probe + 8 MiB chunks)", async () => {
    const size = 8 * 1024 * 1024 + 131_072 + 1234;
    const data = bytes(size, 99);
    // stored directly: the CLI allows files the upload limit would refuse
    const key = 'file_v3_test_big';
    h.emu.store.blobs.put(key, data);
    h.emu.db.put('resources', key, { key, type: 'file', file_type: 'stream', file_name: 'big.bin', mime: 'application/octet-stream', size, app_id: DEMO.appId, create_time: '0' });
    const mid = postMessage(h, 'file', { file_key: key, file_name: 'big.bin' });
    const token = await h.tenantToken();
    const client = {
      baseUrl: h.url,
      async target(req: ApiRequest) {
        const qs = encodeQuery(req.query);
        return { url: `${h.url}${req.path}${qs ? `?${qs}` : ''}`, headers: { Authorization: `Bearer ${token}`, ...(req.headers ?? {}) } };
      },
      async stream() {
        throw new Error('the direct path should serve the emulator');
      },
    } as unknown as ApiClient;
    const dir = mkdtempSync(path.join(tmpdir(), 'emu-dl-'));
    try {
      const res = await downloadResource(client, { messageId: mid, fileKey: key, type: 'file', targetPath: path.join(dir, 'out.bin'), io: memoryIo({ cwd: dir }), progress: false });
      expect(res.sizeBytes).toBe(size);
      expect(readFileSync(res.path).equals(data)).toBe(true);
      const ranges = h.journal().filter((e) => e.path.includes('/resources/')).length;
      expect(ranges).toBe(3);
      const img = await downloadResource(client, { messageId: 'om_demo000000000000000000000000003', fileKey: DEMO.image, type: 'image', targetPath: path.join(dir, 'pic'), io: memoryIo({ cwd: dir }), progress: false });
      expect(path.basename(img.path)).toBe('pic.png');
      expect(readFileSync(img.path).equals(demoPng())).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves keys inside post content and merge_forward children, only through the container', async () => {
    const token = await h.tenantToken();
    const post = postMessage(h, 'post', { zh_cn: { title: 't', content: [[{ tag: 'text', text: 'see' }], [{ tag: 'img', image_key: DEMO.image }]] } });
    const r = await h.call('GET', resourcePath(post, DEMO.image), { token, query: { type: 'image' } });
    expect(r.status).toBe(200);
    expect(r.raw.equals(demoPng())).toBe(true);

    const chat = h.emu.db.get('chats', DEMO.project)!;
    const now = h.emu.clock.now();
    const container = createMessage(h.emu.db, { chat, senderId: DEMO.bob, msg_type: 'merge_forward', content: JSON.stringify({ content: 'Merged and Forwarded Message' }), now });
    const child = createMessage(h.emu.db, { chat, senderId: DEMO.carol, msg_type: 'file', content: JSON.stringify({ file_key: DEMO.file, file_name: 'release-notes.txt' }), now, upperMessageId: container.message_id });
    const viaContainer = await h.call('GET', resourcePath(container.message_id, DEMO.file), { token, query: { type: 'file' } });
    expect(viaContainer.status).toBe(200);
    expect(viaContainer.raw.toString('utf8')).toContain('Phoenix 2.4 release notes');
    expect(viaContainer.headers.get('content-type')).toBe('text/plain');
    const viaChild = await h.call('GET', resourcePath(child.message_id, DEMO.file), { token, query: { type: 'file' } });
    expect(viaChild.body).toMatchObject({ code: 234003, msg: 'File not in msg.' });
  });

  it('refuses a key the message does not reference, unknown messages, a wrong or missing type', async () => {
    const token = await h.tenantToken();
    const notRef = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.file), { token, query: { type: 'file' } });
    expect(notRef.status).toBe(400);
    expect(notRef.body).toMatchObject({ code: 234003, msg: 'File not in msg.' });
    expect(h.journal().at(-1)!.verdict).toContain('does not reference');
    const unknown = await h.call('GET', resourcePath('om_nope', DEMO.image), { token, query: { type: 'image' } });
    expect(unknown.body.code).toBe(234001);
    const wrongType = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token, query: { type: 'file' } });
    expect(wrongType.body.code).toBe(234001);
    const noType = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token });
    expect(noType.body.code).toBe(234001);
    const badType = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token, query: { type: 'sticker' } });
    expect(badType.body.code).toBe(234001);
    // a recalled message no longer carries its resource
    const m = h.emu.db.get('messages', 'om_demo000000000000000000000000003')!;
    h.emu.db.put('messages', m.message_id, { ...m, deleted: true });
    const recalled = await h.call('GET', resourcePath(m.message_id, DEMO.image), { token, query: { type: 'image' } });
    expect(recalled.body.code).toBe(234003);
  });

  it('refuses callers who cannot see the message (bot or user outside the chat)', async () => {
    const p2pImage = postMessage(h, 'image', { image_key: DEMO.image }, DEMO.p2p, DEMO.bob);
    const bot = await h.call('GET', resourcePath(p2pImage, DEMO.image), { token: await h.tenantToken(), query: { type: 'image' } });
    expect(bot.status).toBe(400);
    expect(bot.body).toMatchObject({ code: 234004, msg: 'App not in chat.' });
    const alice = await h.call('GET', resourcePath(p2pImage, DEMO.image), { token: h.userToken(DEMO.alice), query: { type: 'image' } });
    expect(alice.status).toBe(200);
    const dave = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token: h.userToken(DEMO.dave), query: { type: 'image' } });
    expect(dave.body.code).toBe(234004);
    const noScope = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token: h.userToken(DEMO.alice, ['im:message.reactions:read']), query: { type: 'image' } });
    expect(noScope.body.code).toBe(99991679);
  });

  it('parses Range headers as RFC 7233 says', () => {
    expect(parseRange(undefined, 10)).toBeUndefined();
    expect(parseRange('bytes=0-4', 10)).toEqual({ start: 0, end: 4 });
    expect(parseRange('bytes = 2-', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-0', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=4-2', 10)).toBeUndefined();
    expect(parseRange('bytes=1-2,4-5', 10)).toBeUndefined();
  });
});

describe('emulator media: scopes', () => {
  const seed = demoSeed();
  seed.apps.push({ app_id: 'cli_limited000000001', app_secret: 'limited-secret', name: 'Limited Bot', scopes: ['im:message:send_as_bot'] });
  seed.apps.push({ app_id: 'cli_nobot0000000001', app_secret: 'nobot-secret', name: 'No Bot', scopes: '*', bot_enabled: false });
  seed.chats![0]!.bots!.push('cli_limited000000001');
  const h = useEmulator({ seed });

  it('refuses an app whose bot ability is off (234007)', async () => {
    const token = await h.tenantToken('cli_nobot0000000001');
    const mp = multipart([{ name: 'image_type', value: 'message' }, { name: 'image', data: demoPng() }]);
    const up = await h.call('POST', '/open-apis/im/v1/images', { token, body: mp.body, headers: { 'content-type': mp.contentType } });
    expect(up.body).toMatchObject({ code: 234007, msg: 'App does not enable bot feature.' });
  });

  it('refuses an app without im:resource (upload) or message read scopes (download) with 99991672', async () => {
    const token = await h.tenantToken('cli_limited000000001');
    const mp = multipart([{ name: 'image_type', value: 'message' }, { name: 'image', data: demoPng() }]);
    const up = await h.call('POST', '/open-apis/im/v1/images', { token, body: mp.body, headers: { 'content-type': mp.contentType } });
    expect(up.status).toBe(400);
    expect(up.body.code).toBe(99991672);
    expect(up.body.error.permission_violations.map((v: { subject: string }) => v.subject)).toEqual(['im:resource:upload', 'im:resource']);
    const down = await h.call('GET', resourcePath('om_demo000000000000000000000000003', DEMO.image), { token, query: { type: 'image' } });
    expect(down.body.code).toBe(99991672);
    expect(h.journal().at(-1)!.verdict).toContain('has none of the scopes');
  });
});

describe('emulator media: a 100 MB file on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emu-media-'));
  // registered first, so it runs after the emulator has closed (after-hooks run in reverse)
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const h = useEmulator({ dataDir: dir });

  it('serves ranges of a 100 MB disk blob reading only the range', async () => {
    const size = 100 * 1024 * 1024;
    const data = bytes(size, 3);
    const key = 'file_v3_test_100mb';
    h.emu.store.blobs.put(key, data);
    h.emu.db.put('resources', key, { key, type: 'file', file_type: 'mp4', file_name: 'clip.mp4', mime: 'video/mp4', size, app_id: DEMO.appId, create_time: '0' });
    const mid = postMessage(h, 'media', { file_key: key, image_key: DEMO.image });
    const token = await h.tenantToken();
    const get = vi.spyOn(h.emu.store.blobs, 'get');
    const range = vi.spyOn(h.emu.store.blobs, 'range');
    try {
      for (const [a, b] of [
        [0, 131_071],
        [50 * 1024 * 1024, 58 * 1024 * 1024 - 1],
        [size - 5, size - 1],
      ] as const) {
        const r = await h.call('GET', resourcePath(mid, key), { token, query: { type: 'file' }, headers: { range: `bytes=${a}-${b}` } });
        expect(r.status).toBe(206);
        expect(r.headers.get('content-range')).toBe(`bytes ${a}-${b}/${size}`);
        expect(r.raw.equals(data.subarray(a, b + 1))).toBe(true);
      }
      expect(get).not.toHaveBeenCalled();
      expect(range).toHaveBeenCalledTimes(3);
    } finally {
      get.mockRestore();
      range.mockRestore();
    }
  }, 60_000);
});
