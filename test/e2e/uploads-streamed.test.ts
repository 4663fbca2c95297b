/**
 * Streamed uploads (src/http/multipart.ts): the multipart body the fake platform receives is
 * byte for byte the file, framed as Go's mime/multipart frames it, sent with a Content-Length
 * known up front; the generic `im images create --file` and `api --file` stream too; the
 * progress bar shows on a terminal for uploads over 8 MiB only.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-lark/server.js';
import { fileUploadHandler, imageUploadHandler, sendHandler } from '../fake-lark/messages-write.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark({ eachTest: () => [sendHandler(), imageUploadHandler(), fileUploadHandler()] });

const MiB = 1024 * 1024;

interface Part {
  headers: string;
  body: Buffer;
}

/** A strict multipart/form-data parser: the boundary from Content-Type, every delimiter exact. */
function parseMultipart(rec: RecordedRequest): Part[] {
  const m = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(rec.headers['content-type'] ?? '');
  expect(m, `content-type ${rec.headers['content-type']}`).not.toBeNull();
  const body = rec.body;
  const delim = Buffer.from(`--${m![1]}`);
  const parts: Part[] = [];
  let pos = 0;
  expect(body.subarray(0, delim.length).equals(delim)).toBe(true);
  for (;;) {
    pos += delim.length;
    const after = body.subarray(pos, pos + 2).toString('latin1');
    if (after === '--') {
      expect(body.subarray(pos + 2).toString('latin1')).toBe('\r\n');
      return parts;
    }
    expect(after).toBe('\r\n');
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
    const headers = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    expect(next).toBeGreaterThan(0);
    parts.push({ headers, body: body.subarray(headEnd + 4, next) });
    pos = next + 2;
  }
}

function sent(rec: RecordedRequest): void {
  expect(rec.headers['content-length']).toBe(String(rec.body.length));
  expect(rec.headers['transfer-encoding']).toBeUndefined();
}

describe('streamed uploads', () => {
  it('+messages-send --file: the body is byte for byte the file (6 MiB of random bytes), with a Content-Length', async () => {
    const bytes = randomBytes(6 * MiB + 12_345);
    writeFileSync(path.join(h.sb.work, 'big.bin'), bytes);
    const r = await runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', '--file', './big.bin', '--as', 'bot'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.stderr).toBe('uploading file: big.bin\n');
    expect(r.code).toBe(0);
    const [up] = h.fake.requestsTo('/open-apis/im/v1/files');
    sent(up!);
    const parts = parseMultipart(up!);
    expect(parts.map((p) => p.headers)).toEqual([
      'Content-Disposition: form-data; name="file_type"',
      'Content-Disposition: form-data; name="file_name"',
      'Content-Disposition: form-data; name="file"; filename="unknown-file"\r\nContent-Type: application/octet-stream',
    ]);
    expect(parts.slice(0, 2).map((p) => p.body.toString('utf8'))).toEqual(['stream', 'big.bin']);
    expect(parts[2]!.body.length).toBe(bytes.length);
    expect(parts[2]!.body.equals(bytes)).toBe(true);
    expect(h.fake.requestsTo('/open-apis/im/v1/messages')[0]!.json).toMatchObject({ msg_type: 'file', content: '{"file_key":"file_v3_up1"}' });
  });

  it('+messages-send --image: an empty text field and a small image frame as Go frames them', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
    writeFileSync(path.join(h.sb.work, 'p.png'), png);
    const r = await runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', '--image', 'p.png', '--as', 'bot'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.code, r.stderr).toBe(0);
    const [up] = h.fake.requestsTo('/open-apis/im/v1/images');
    sent(up!);
    const b = up!.headers['content-type']!.split('boundary=')[1];
    expect(up!.body.equals(Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="image_type"\r\n\r\nmessage\r\n`),
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="image"; filename="unknown-file"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]))).toBe(true);
  });

  it('im images create --file streams the file with the --data fields', async () => {
    const bytes = randomBytes(3 * MiB + 7);
    writeFileSync(path.join(h.sb.work, 'pic.bin'), bytes);
    const r = await runInProcess(['im', 'images', 'create', '--as', 'bot', '--file', 'pic.bin', '--data', '{"image_type":"message"}'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.code, r.stderr).toBe(0);
    const [up] = h.fake.requestsTo('/open-apis/im/v1/images');
    sent(up!);
    const parts = parseMultipart(up!);
    expect(parts.map((p) => p.headers.split('\r\n')[0])).toEqual(['Content-Disposition: form-data; name="image_type"', 'Content-Disposition: form-data; name="image"; filename="unknown-file"']);
    expect(parts[1]!.body.equals(bytes)).toBe(true);
  });

  it('api --file: a directory or an unreadable path fails before any request', async () => {
    const dir = await runInProcess(['api', 'POST', '/open-apis/im/v1/files', '--as', 'bot', '--file', 'file=.', '--data', '{"file_type":"stream","file_name":"x"}'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(dir.code).toBe(2);
    expect(dir.errJson().error.message).toBe('cannot open file: .');
    const none = await runInProcess(['api', 'POST', '/open-apis/im/v1/files', '--as', 'bot', '--file', 'file=nope.bin'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(none.code).toBe(2);
    expect(none.errJson().error.message).toBe('cannot open file: nope.bin');
    expect(h.fake.requestsTo('/open-apis/im/v1/files')).toHaveLength(0);
  });
});

describe('upload progress bar', () => {
  const upload = async (size: number, tty: boolean) => {
    writeFileSync(path.join(h.sb.work, 'f.bin'), randomBytes(size));
    return runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', '--file', 'f.bin', '--as', 'bot'], { sandbox: h.sb, env: botEnv(h.fake) }, (io) => {
      io.stderr.isTTY = tty;
    });
  };

  it('on a terminal, over 8 MiB: drawn on stderr and ended with a newline at 100%', async () => {
    const r = await upload(9 * MiB, true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.startsWith('uploading file: f.bin\n\r[')).toBe(true);
    expect(r.stderr).toMatch(/\r\[#{24}\] 100% 9\.0 MB \/ 9\.0 MB {2}\S+ \S+\/s\x1b\[K\n$/);
    expect(h.fake.requestsTo('/open-apis/im/v1/files')[0]!.body.length).toBeGreaterThan(9 * MiB);
  });

  it('not on a terminal, or 8 MiB and less: none', async () => {
    const piped = await upload(9 * MiB, false);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('uploading file: f.bin\n');
    const small = await upload(8 * MiB - 1024, true);
    expect(small.code).toBe(0);
    expect(small.stderr).toBe('uploading file: f.bin\n');
  });
});
