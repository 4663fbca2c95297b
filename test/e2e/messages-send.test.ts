/**
 * `+messages-send` against the fake platform (docs/shortcuts-write.md): worked examples E1–E6,
 * uploads (multipart fields, identity, order), URL media (guarded; the fake serves them on
 * loopback with LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK=1), retries with one uuid, errors.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { dropConnection, type RecordedRequest } from '../fake-lark/server.js';
import { jsonResponse, larkErr, larkOk } from '../fake-lark/handlers.js';
import { fileUploadHandler, imageUploadHandler, mediaHandler, mp4Bytes, multipartFields, multipartOrder, oggBytes, sendHandler } from '../fake-lark/messages-write.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonOut, expectErrorEnvelope } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';

const h = useFakeLark({ eachTest: () => [sendHandler(), imageUploadHandler(), fileUploadHandler()] });

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOTE =
  'NOTE: dry-run validates request shape only. Bot/user membership in the target chat is not verified; the real send may fail with `Bot/User can NOT be out of the chat`.';

/** The dry-run step of a send to a chat, with the NOTE and the request `body`. */
const chatSendStep = (body: Record<string, unknown>) => ({
  desc: NOTE,
  method: 'POST',
  url: '/open-apis/im/v1/messages',
  params: { receive_id_type: 'chat_id' },
  body,
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...botEnv(h.fake), LARKSUITE_CLI_RETRY_BASE_MS: '20', TZ: 'UTC', ...extra };
}
const send = (args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) =>
  runInProcess(['im', '+messages-send', ...args], { sandbox: h.sb, env: opts.env ?? env(), stdin: opts.stdin });
const loopbackOk = () => env({ LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK: '1' });
/** Requests other than the tenant-token exchange. */
const calls = (): RecordedRequest[] => h.fake.requests.filter((r) => !r.path.startsWith('/open-apis/auth/'));
const sends = () => h.fake.requestsTo('/open-apis/im/v1/messages');
const media = (name: string) => `${h.fake.url}/media/${name}`;

describe('+messages-send: worked examples', () => {
  it('E1: plain text to a chat as bot, with a generated uuid and local create_time', async () => {
    h.fake.use(sendHandler({ message_id: 'om_abc', chat_id: 'oc_123', create_time: '1712345678901' }));
    const r = await send(['--chat-id', 'oc_123', '--text', 'Hello', '--as', 'bot']);
    expectJsonOut(r, 0, { ok: true, identity: 'bot', data: { chat_id: 'oc_123', create_time: '2024-04-05 19:34:38', message_id: 'om_abc' } });
    expect(r.stdout).toBe(
      '{\n  "ok": true,\n  "identity": "bot",\n  "data": {\n    "chat_id": "oc_123",\n    "create_time": "2024-04-05 19:34:38",\n    "message_id": "om_abc"\n  }\n}\n',
    );
    const [req] = calls();
    expect(calls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/messages', query: { receive_id_type: 'chat_id' } });
    expect(req!.headers.authorization).toBe('Bearer t-cli_test');
    expect(req!.headers['content-type']).toMatch(/^application\/json/);
    expect(req!.headers['x-cli-shortcut']).toBe('im:+messages-send');
    expect(req!.text).toMatch(/^\{"content":"\{\\"text\\":\\"Hello\\"\}","msg_type":"text","receive_id":"oc_123","uuid":"[0-9a-f-]{36}"\}$/);
    expect((req!.json as { uuid: string }).uuid).toMatch(UUID_V4);

    const tz8 = await send(['--chat-id', 'oc_123', '--text', 'Hello'], { env: env({ TZ: 'Asia/Shanghai' }) });
    expect(tz8.json().data.create_time).toBe('2024-04-06 03:34:38');
  });

  it('E2: a local image to a user as the user, with an idempotency key; uploads use the user token', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message.send_as_user im:message' } } });
    h.fake.use(imageUploadHandler(['img_v3_p']), sendHandler({ message_id: 'om_i', chat_id: 'oc_p2p' }));
    const png = Buffer.alloc(20_000, 7);
    writeFileSync(path.join(h.sb.work, 'photo.png'), png);
    const r = await runInProcess(['im', '+messages-send', '--user-id', 'ou_456', '--image', './photo.png', '--idempotency-key', 'k-1', '--as', 'user'], {
      sandbox: h.sb,
      env: { TZ: 'UTC' },
    });
    expect(r.stderr).toBe('uploading image: photo.png\n');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, identity: 'user', data: { chat_id: 'oc_p2p', create_time: '2024-04-05 19:34:38', message_id: 'om_i' } });
    const [upload, msg] = calls();
    expect(calls().map((c) => c.path)).toEqual(['/open-apis/im/v1/images', '/open-apis/im/v1/messages']);
    expect(upload!.method).toBe('POST');
    expect(upload!.search).toBe('');
    expect(upload!.headers.authorization).toBe('Bearer u-test-user-token');
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const fields = await multipartFields(upload!);
    expect(fields.image_type).toBe('message');
    expect(fields.image).toMatchObject({ name: 'unknown-file' });
    expect((fields.image as { bytes: Buffer }).bytes.equals(png)).toBe(true);
    expect(msg!.headers.authorization).toBe('Bearer u-test-user-token');
    expect(msg!.query).toEqual({ receive_id_type: 'open_id' });
    expect(msg!.json).toEqual({ content: '{"image_key":"img_v3_p"}', msg_type: 'image', receive_id: 'ou_456', uuid: 'k-1' });
  });

  it('E3: Markdown with a remote image: fetched without Lark headers, uploaded, then sent as a post', async () => {
    const png = Buffer.alloc(30_000, 3);
    h.fake.use(mediaHandler('c.png', png, { contentType: 'image/png' }), imageUploadHandler(['img_v3_c']));
    const r = await send(['--chat-id', 'oc_123', '--markdown', `## Weekly\n\n![chart](${media('c.png')})`], { env: loopbackOk() });
    expect(r.stderr).toBe('uploading image from URL: 127.0.0.1/c.png\n');
    expect(r.code).toBe(0);
    expect(calls().map((c) => `${c.method} ${c.path}`)).toEqual(['GET /media/c.png', 'POST /open-apis/im/v1/images', 'POST /open-apis/im/v1/messages']);
    const [get, upload, msg] = calls();
    expect(get!.headers.authorization).toBeUndefined();
    expect(Object.keys(get!.headers).filter((h) => h.startsWith('x-cli'))).toEqual([]);
    expect(((await multipartFields(upload!)).image as { bytes: Buffer }).bytes.equals(png)).toBe(true);
    const body = msg!.json as Record<string, string>;
    expect(body.msg_type).toBe('post');
    expect(body.receive_id).toBe('oc_123');
    expect(body.uuid).toMatch(UUID_V4);
    expect(body.content).toBe(
      '{"zh_cn":{"content":[[{"tag":"md","text":"##### Weekly"}],[{"tag":"text","text":"\u200b"}],[{"tag":"md","text":"![chart](img_v3_c)"}]]}}',
    );
  });

  it('E3: a remote Markdown image that fails to download is dropped with a warning', async () => {
    h.fake.use(mediaHandler('c.png', 'nope', { status: 404 }));
    const r = await send(['--chat-id', 'oc_123', '--markdown', `## Weekly\n\n![chart](${media('c.png')}?token=secret)`], { env: loopbackOk() });
    expect(r.stderr).toBe('warning: failed to download image 127.0.0.1/c.png: download failed: HTTP 404\n');
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/images')).toHaveLength(0);
    expect((sends()[0]!.json as { content: string }).content).toBe(
      '{"zh_cn":{"content":[[{"tag":"md","text":"##### Weekly"}],[{"tag":"text","text":"\u200b"}]]}}',
    );
  });

  it('E3: an upload failure of a Markdown image is a warning too', async () => {
    h.fake.use(mediaHandler('c.png', Buffer.alloc(10)), http.post('*/open-apis/im/v1/images', () => larkErr(234001, 'bad image')));
    const r = await send(['--chat-id', 'oc_123', '--markdown', `![a](${media('c.png')}) ok`], { env: loopbackOk() });
    expect(r.stderr).toBe(
      'uploading image from URL: 127.0.0.1/c.png\nwarning: failed to upload image 127.0.0.1/c.png: image_key not found in response (code: 234001, msg: bad image)\n',
    );
    expect(r.code).toBe(0);
    expect((sends()[0]!.json as { content: string }).content).toBe('{"zh_cn":{"content":[[{"tag":"md","text":" ok"}]]}}');
  });

  it('E4: dry-run of the same Markdown: placeholders, the NOTE, no request at all', async () => {
    const r = await send(['--chat-id', 'oc_123', '--markdown', '## Weekly\n\n![chart](https://example.com/c.png)', '--dry-run']);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      api: [
        chatSendStep({
          content: '{"zh_cn":{"content":[[{"tag":"md","text":"##### Weekly"}],[{"tag":"text","text":"\u200b"}],[{"tag":"md","text":"![chart](img_dryrun_1)"}]]}}',
          msg_type: 'post',
          receive_id: 'oc_123',
        }),
      ],
      description: 'dry-run uses placeholder image keys for markdown image URLs; execution downloads and uploads them before sending',
    });
    expect(r.stdout).toContain('"content": "{\\"zh_cn\\":{\\"content\\":[[{\\"tag\\":\\"md\\",\\"text\\":\\"##### Weekly\\"}],[{\\"tag\\":\\"text\\",\\"text\\":\\"\u200b\\"}]');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('E5: a local video with an existing cover key: file_type, file_name and duration fields', async () => {
    h.fake.use(fileUploadHandler(['file_v3_vid']));
    const mp4 = mp4Bytes(1000, 5000);
    writeFileSync(path.join(h.sb.work, 'demo.mp4'), mp4);
    const r = await send(['--chat-id', 'oc_123', '--video', './demo.mp4', '--video-cover', 'img_v3_cover']);
    expect(r.stderr).toBe('uploading video: demo.mp4\n');
    expect(r.code).toBe(0);
    expect(calls().map((c) => c.path)).toEqual(['/open-apis/im/v1/files', '/open-apis/im/v1/messages']);
    const up = calls()[0]!;
    expect(await multipartOrder(up)).toEqual(['file_type', 'file_name', 'duration', 'file']);
    const f = await multipartFields(up);
    expect(f.file_type).toBe('mp4');
    expect(f.file_name).toBe('demo.mp4');
    expect(f.duration).toBe('5000');
    expect((f.file as { bytes: Buffer }).bytes.equals(mp4)).toBe(true);
    const body = sends()[0]!.json as Record<string, string>;
    expect(body).toMatchObject({ content: '{"file_key":"file_v3_vid","image_key":"img_v3_cover"}', msg_type: 'media', receive_id: 'oc_123' });
    expect(body.uuid).toMatch(UUID_V4);
  });

  it('E6: a URL image on loopback is refused: no download, no upload, a text message with the link', async () => {
    h.fake.use(mediaHandler('image.png', Buffer.alloc(10)));
    const r = await send(['--chat-id', 'oc_123', '--image', media('image.png')]);
    expect(r.stderr).toBe('downloading --image: 127.0.0.1/image.png\n');
    expect(r.code).toBe(0);
    expect(calls().map((c) => c.path)).toEqual(['/open-apis/im/v1/messages']);
    const body = sends()[0]!.json as Record<string, string>;
    expect(body).toMatchObject({
      content: JSON.stringify({ text: `[image upload failed, sending link] ${media('image.png')}` }),
      msg_type: 'text',
      receive_id: 'oc_123',
    });
    expect(body.uuid).toMatch(UUID_V4);
  });

  it('E6: the literal example http://127.0.0.1/image.png and a private address fall back the same way', async () => {
    for (const url of ['http://127.0.0.1/image.png', 'http://10.1.2.3/a.png', 'http://localhost:1/x.png', 'http://[::1]/y.png']) {
      h.fake.clearRequests();
      const r = await send(['--chat-id', 'oc_123', '--image', url], { env: url.includes('10.1') ? loopbackOk() : env() });
      expect(r.code).toBe(0);
      expect((sends()[0]!.json as { content: string }).content).toBe(JSON.stringify({ text: `[image upload failed, sending link] ${url}` }));
    }
  });

  it('E7: validation failures make no request', async () => {
    for (const [args, message] of [
      [['--chat-id', 'oc_1', '--user-id', 'ou_1', '--text', 'hi'], '--chat-id and --user-id are mutually exclusive'],
      [['--chat-id', 'oc_1', '--content', '{invalid'], `--content is not valid JSON: {invalid\nexample: --content '{"text":"hello"}' or --text 'hello'`],
      [['--chat-id', 'oc_1', '--video', 'file_456'], '--video-cover is required when using --video (serves as the video cover)'],
      [['--chat-id', 'oc_1', '--msg-type', 'file', '--image', 'img_123'], '--msg-type "file" conflicts with the inferred message type "image" from the selected content flag'],
      [
        ['--chat-id', 'oc_1', '--file', '/etc/passwd'],
        '--file: --file must be a relative path within the current directory, got "/etc/passwd" (hint: cd to the target directory first, or use a relative path like ./filename)',
      ],
    ] as Array<[string[], string]>) {
      const r = await send(args);
      expect(r.stdout).toBe('');
      expectErrorEnvelope(r, 2, 'validation', message);
    }
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('+messages-send: media', () => {
  it('a URL image allowed by the test knob is downloaded and uploaded', async () => {
    h.fake.use(mediaHandler('a.png', Buffer.alloc(100, 1)), imageUploadHandler(['img_v3_a']));
    const r = await send(['--chat-id', 'oc_123', '--image', media('a.png')], { env: loopbackOk() });
    expect(r.stderr).toBe('downloading --image: 127.0.0.1/a.png\nuploading image\n');
    expect(r.code).toBe(0);
    expect((sends()[0]!.json as { content: string }).content).toBe('{"image_key":"img_v3_a"}');
  });

  it('a URL file is named after its last path segment; a failing URL file falls back to a link', async () => {
    h.fake.use(mediaHandler('report.pdf', Buffer.alloc(50, 2)), fileUploadHandler(['file_v3_r']));
    const r = await send(['--chat-id', 'oc_123', '--file', media('report.pdf')], { env: loopbackOk() });
    expect(r.stderr).toBe('downloading --file: 127.0.0.1/report.pdf\nuploading file: report.pdf\n');
    expect(r.code).toBe(0);
    const f = await multipartFields(h.fake.requestsTo('/open-apis/im/v1/files')[0]!);
    expect(f).toMatchObject({ file_type: 'pdf', file_name: 'report.pdf' });
    expect(f.duration).toBeUndefined();
    expect((sends()[0]!.json as { content: string; msg_type: string }).msg_type).toBe('file');

    h.fake.clearRequests();
    h.fake.use(mediaHandler('gone.pdf', 'x', { status: 500 }));
    const r2 = await send(['--chat-id', 'oc_123', '--file', media('gone.pdf')], { env: loopbackOk() });
    expect(r2.stderr).toBe('downloading --file: 127.0.0.1/gone.pdf\n');
    expect(r2.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ msg_type: 'text', content: JSON.stringify({ text: `[file upload failed, sending link] ${media('gone.pdf')}` }) });
  });

  it('a local audio file: opus type and whole-second duration from the OGG granule', async () => {
    writeFileSync(path.join(h.sb.work, 'v.opus'), oggBytes(480_000));
    const r = await send(['--chat-id', 'oc_123', '--audio', 'v.opus']);
    expect(r.stderr).toBe('uploading audio: v.opus\n');
    expect(r.code).toBe(0);
    const f = await multipartFields(h.fake.requestsTo('/open-apis/im/v1/files')[0]!);
    expect(f).toMatchObject({ file_type: 'opus', file_name: 'v.opus', duration: '10000' });
    expect(sends()[0]!.json).toMatchObject({ content: '{"file_key":"file_v3_up1"}', msg_type: 'audio' });
  });

  it('a local file: type from the extension, no duration; a URL video with a local cover', async () => {
    writeFileSync(path.join(h.sb.work, 'notes.xlsx'), 'x');
    const r = await send(['--chat-id', 'oc_123', '--file', 'notes.xlsx']);
    expect(r.code).toBe(0);
    expect(await multipartFields(h.fake.requestsTo('/open-apis/im/v1/files')[0]!)).toMatchObject({ file_type: 'xls', file_name: 'notes.xlsx' });

    h.fake.clearRequests();
    h.fake.use(mediaHandler('clip.mp4', mp4Bytes(44_100, 441_000)));
    writeFileSync(path.join(h.sb.work, 'c.png'), Buffer.alloc(10));
    const v = await send(['--chat-id', 'oc_123', '--video', media('clip.mp4'), '--video-cover', 'c.png'], { env: loopbackOk() });
    expect(v.stderr).toBe('downloading --video: 127.0.0.1/clip.mp4\nuploading video: clip.mp4\nuploading cover image: c.png\n');
    expect(v.code).toBe(0);
    expect(await multipartFields(h.fake.requestsTo('/open-apis/im/v1/files')[0]!)).toMatchObject({ file_type: 'mp4', file_name: 'clip.mp4', duration: '10000' });
    expect(sends()[0]!.json).toMatchObject({ content: '{"file_key":"file_v3_up2","image_key":"img_v3_up1"}', msg_type: 'media' });
  });

  it('a missing local image fails at upload time: internal exit 5, nothing sent', async () => {
    const r = await send(['--chat-id', 'oc_123', '--image', './nope.png']);
    expect(r.stderr).toContain('uploading image: nope.png\n');
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error).toEqual({
      type: 'internal',
      message: 'image upload failed: open ./nope.png: no such file or directory',
    });
    expect(calls()).toHaveLength(0);
  });

  it('an upload answer without a key is an internal error; the code prints as Go %v', async () => {
    writeFileSync(path.join(h.sb.work, 'a.png'), Buffer.alloc(10));
    h.fake.use(http.post('*/open-apis/im/v1/images', () => larkErr(99991672, 'no permission', undefined, { status: 403 })));
    const r = await send(['--chat-id', 'oc_123', '--image', 'a.png']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error).toEqual({
      type: 'internal',
      message: 'image upload failed: image_key not found in response (code: 9.9991672e+07, msg: no permission)',
    });
    expect(sends()).toHaveLength(0);

    h.fake.use(http.post('*/open-apis/im/v1/images', () => new Response('<html>', { status: 502 })));
    const r2 = await send(['--chat-id', 'oc_123', '--image', 'a.png']);
    expect(r2.code).toBe(5);
    expect(JSON.parse(r2.stderr.slice(r2.stderr.indexOf('{'))).error.message).toMatch(/^image upload failed: parse error: /);
  });

  it('a transport failure during upload keeps its network type; a cover failure names the cover', async () => {
    writeFileSync(path.join(h.sb.work, 'a.png'), Buffer.alloc(10));
    h.fake.use(http.post('*/open-apis/im/v1/images', () => dropConnection()));
    const r = await send(['--chat-id', 'oc_123', '--video', 'file_v', '--video-cover', 'a.png']);
    expect(r.code).toBe(4);
    const err = JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error;
    expect(err.type).toBe('network');
    expect(err.message).toMatch(/^cover image upload failed: /);
    expect(h.fake.requestsTo('/open-apis/im/v1/images')).toHaveLength(1); // uploads are never retried
    expect(sends()).toHaveLength(0);
  });

  it('size limits: an image over 5 MiB and a file over 100 MiB are refused before upload', async () => {
    writeFileSync(path.join(h.sb.work, 'big.png'), Buffer.alloc(5 * 1024 * 1024 + 1));
    const r = await send(['--chat-id', 'oc_123', '--image', 'big.png']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error.message).toBe('image upload failed: image size 5.0 MB exceeds limit (max 5MB)');
    const { truncateSync } = await import('node:fs');
    writeFileSync(path.join(h.sb.work, 'huge.zip'), '');
    truncateSync(path.join(h.sb.work, 'huge.zip'), 100 * 1024 * 1024 + 1);
    const r2 = await send(['--chat-id', 'oc_123', '--file', 'huge.zip']);
    expect(r2.code).toBe(5);
    expect(JSON.parse(r2.stderr.slice(r2.stderr.indexOf('{'))).error.message).toBe('file upload failed: file size 100.0 MB exceeds limit (max 100MB)');
    expect(calls()).toHaveLength(0);
  });

  it('key prefixes are used verbatim with any media flag; a local img_ name needs ./', async () => {
    const r = await send(['--chat-id', 'oc_123', '--image', 'file_x']);
    expect(r.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ content: '{"image_key":"file_x"}', msg_type: 'image' });
    expect(calls()).toHaveLength(1);
  });
});

describe('+messages-send: content and targets', () => {
  it('--content is sent byte for byte with --msg-type; the @mention rewrite applies to text content only', async () => {
    const card = '{"elements":[{"tag":"markdown","content":"<at id=ou_1></at> & more"}]}';
    const r = await send(['--chat-id', 'oc_123', '--content', card, '--msg-type', 'interactive']);
    expect(r.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ content: card, msg_type: 'interactive' });

    h.fake.clearRequests();
    const t = await send(['--chat-id', 'oc_123', '--content', '{"text":"<at id=ou_x></at> hi"}']);
    expect(t.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ content: '{"text":"<at user_id="ou_x"></at> hi"}', msg_type: 'text' });
  });

  it('text keeps Go HTML escaping in content; the @mention rewrite does not see escaped tags', async () => {
    const r = await send(['--chat-id', 'oc_123', '--text', 'a <b> & c <at id=ou_1/>\u2028']);
    expect(r.code).toBe(0);
    const raw = sends()[0]!.text;
    expect(raw).toContain('"content":"{\\"text\\":\\"a \\\\u003cb\\\\u003e \\\\u0026 c \\\\u003cat id=ou_1/\\\\u003e\\\\u2028\\"}"');
  });

  it('--user-id sends receive_id_type=open_id as bot, without the dry-run NOTE', async () => {
    const r = await send(['--user-id', 'ou_456', '--text', 'hi', '--as', 'bot']);
    expect(r.code).toBe(0);
    expect(sends()[0]!.query).toEqual({ receive_id_type: 'open_id' });
    const d = await send(['--user-id', 'ou_456', '--text', 'hi', '--dry-run']);
    expect(d.json().api[0]).toEqual({
      method: 'POST',
      url: '/open-apis/im/v1/messages',
      params: { receive_id_type: 'open_id' },
      body: { content: '{"text":"hi"}', msg_type: 'text', receive_id: 'ou_456' },
    });
  });

  it('a chat URL passes validation and is sent raw as receive_id', async () => {
    const url = 'https://example.feishu.cn/next/messenger/oc_abc';
    const r = await send(['--chat-id', url, '--text', 'hi']);
    expect(r.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ receive_id: url });
  });

  it('--text @file and --markdown - read a file and stdin', async () => {
    writeFileSync(path.join(h.sb.work, 'msg.txt'), 'from file\n');
    const r = await send(['--chat-id', 'oc_123', '--text', '@msg.txt']);
    expect(r.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ content: '{"text":"from file\\n"}' });
    h.fake.clearRequests();
    const s = await send(['--chat-id', 'oc_123', '--markdown', '-'], { stdin: '**bold**' });
    expect(s.code).toBe(0);
    expect(sends()[0]!.json).toMatchObject({ content: '{"zh_cn":{"content":[[{"tag":"md","text":"**bold**"}]]}}', msg_type: 'post' });
    h.fake.clearRequests();
    const at = await send(['--chat-id', 'oc_123', '--text', '@@handle']);
    expect(sends()[0]!.json).toMatchObject({ content: '{"text":"@handle"}' });
    expect(at.code).toBe(0);
  });

  it('media dry-runs use placeholder keys and describe them', async () => {
    const img = await send(['--chat-id', 'oc_1', '--image', './a.png', '--idempotency-key', 'k', '--dry-run']);
    expect(img.json()).toEqual({
      api: [
        chatSendStep({ content: '{"image_key":"img_dryrun_upload"}', msg_type: 'image', receive_id: 'oc_1', uuid: 'k' }),
      ],
      description: 'dry-run uses placeholder media keys for --image local file input; execution uploads it before sending',
    });
    const audio = await send(['--chat-id', 'oc_1', '--audio', 'https://x.test/v.opus', '--dry-run']);
    expect(audio.json().description).toBe('dry-run uses placeholder media keys for --audio URL input; execution uploads it before sending');
    expect(audio.json().api[0].body.content).toBe('{"file_key":"file_dryrun_upload"}');
    const key = await send(['--chat-id', 'oc_1', '--file', 'file_k', '--dry-run']);
    expect(key.json().description).toBeUndefined();
    const video = await send(['--chat-id', 'oc_1', '--video', 'file_v', '--video-cover', 'https://x.test/c.png', '--dry-run']);
    expect(video.json().description).toBe('dry-run uses placeholder media keys for --video-cover URL input; execution uploads it before sending');
    expect(video.json().api[0].body.content).toBe('{"file_key":"file_v","image_key":"img_dryrun_upload"}');
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('+messages-send: retries and errors', () => {
  it('a 429 is retried with the same uuid and one success is printed', async () => {
    let n = 0;
    h.fake.use(
      http.post('*/open-apis/im/v1/messages', () =>
        ++n === 1 ? jsonResponse({ code: 99991400, msg: 'rate limited' }, { status: 429 }) : larkOk({ message_id: 'om_ok', chat_id: 'oc_1', create_time: '0' }),
      ),
    );
    const r = await send(['--chat-id', 'oc_1', '--text', 'hi']);
    expectJsonOut(r, 0, { ok: true, identity: 'bot', data: { chat_id: 'oc_1', create_time: '0', message_id: 'om_ok' } });
    const tries = sends();
    expect(tries).toHaveLength(2);
    expect(tries[0]!.text).toBe(tries[1]!.text);
    expect((tries[0]!.json as { uuid: string }).uuid).toMatch(UUID_V4);
  });

  it('a dropped connection is retried with the same uuid (the given idempotency key)', async () => {
    let n = 0;
    h.fake.use(http.post('*/open-apis/im/v1/messages', () => (++n === 1 ? dropConnection() : larkOk({ message_id: 'om_ok', chat_id: 'oc_1' }))));
    const r = await send(['--chat-id', 'oc_1', '--text', 'hi', '--idempotency-key', 'key-7']);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ chat_id: 'oc_1', create_time: '', message_id: 'om_ok' });
    expect(sends().map((s) => (s.json as { uuid: string }).uuid)).toEqual(['key-7', 'key-7']);
  });

  it('three 5xx answers: the error after 3 attempts, all with one uuid', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/messages', () => jsonResponse({ code: 1, msg: 'internal' }, { status: 500 })));
    const r = await send(['--chat-id', 'oc_1', '--text', 'hi']);
    expect(r.code).toBe(1);
    expect(r.errJson().error).toMatchObject({ type: 'api_error', message: 'HTTP 500: internal' });
    expect(new Set(sends().map((s) => (s.json as { uuid: string }).uuid)).size).toBe(1);
    expect(sends()).toHaveLength(3);
  });

  it('bot not in chat: api_error with the server message, exit 1, no retry', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/messages', () => larkErr(230002, 'Bot/User can NOT be out of the chat.')));
    const r = await send(['--chat-id', 'oc_1', '--text', 'hi']);
    expect(r.code).toBe(1);
    expect(r.errJson()).toEqual({ ok: false, identity: 'bot', error: { type: 'api_error', code: 230002, message: 'HTTP 400: Bot/User can NOT be out of the chat.' } });
    expect(sends()).toHaveLength(1);
  });

  it('a missing user scope is refused locally (missing_scope, exit 3)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message' } } });
    const r = await runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', '--text', 'hi', '--as', 'user'], { sandbox: h.sb });
    expect(r.code).toBe(3);
    expect(r.errJson().error).toMatchObject({ type: 'missing_scope', message: 'missing required scope(s): im:message.send_as_user' });
    expect(h.fake.requests).toHaveLength(0);
  });
});
