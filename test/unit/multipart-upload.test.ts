/**
 * Multipart bodies (src/http/multipart.ts) through the transport: Content-Length up front, the
 * file read afresh by every attempt (a retried upload sends the whole body again, on the direct
 * path and through a proxy on undici), the retry rule unchanged (a write is sent once), a file
 * that changes size while it is sent, and the progress hook.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Multipart as MultipartClass, MultipartProgress } from '../../src/http/multipart.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { memoryIo } from '../helpers/memory-io.js';

const MiB = 1024 * 1024;

let server: http.Server;
let port = 0;
let bodies: Buffer[] = [];
let headers: http.IncomingHttpHeaders[] = [];
/** Status of the next answers, in turn (then 200). */
let statuses: number[] = [];
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lark-multipart-'));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      headers.push(req.headers);
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: status === 200 ? 0 : 1 }));
    });
    req.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});
let Multipart: typeof MultipartClass;
beforeEach(async () => {
  bodies = [];
  headers = [];
  statuses = [];
  // a fresh transport per test; the Multipart class of the same module graph (the transport checks instanceof)
  vi.resetModules();
  ({ Multipart } = await import('../../src/http/multipart.js'));
});

const io = (env: Record<string, string> = {}) => memoryIo({ cwd: dir, env: { LARKSUITE_CLI_RETRY_BASE_MS: '1', ...env } });

function fileForm(bytes: Buffer, name = 'up.bin'): MultipartClass {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return new Multipart().field('file_type', 'stream').file('file', { path: file, size: bytes.length }, 'unknown-file');
}

/** The file part's content in a received body. */
function filePart(body: Buffer, form: MultipartClass): Buffer {
  const head = Buffer.from('Content-Type: application/octet-stream\r\n\r\n');
  const start = body.indexOf(head) + head.length;
  const tail = Buffer.from(`\r\n--${form.boundary}--\r\n`);
  expect(body.subarray(body.length - tail.length).equals(tail)).toBe(true);
  return body.subarray(start, body.length - tail.length);
}

describe('multipart uploads through the transport', () => {
  it('a retried upload (a safe request answered 503) sends the whole body again, read from the file', async () => {
    const { send } = await import('../../src/http/transport.js');
    const bytes = randomBytes(5 * MiB + 3);
    const form = fileForm(bytes);
    const restarts: number[] = [];
    let done = 0;
    form.progress = { restart: () => (restarts.push(done), (done = 0)), add: (n) => (done += n) } satisfies MultipartProgress;
    statuses = [503, 502];
    const r = await send(io(), { method: 'POST', url: `http://127.0.0.1:${port}/up`, headers: {}, body: form, safe: true });
    expect(r.status).toBe(200);
    expect(bodies).toHaveLength(3);
    for (const [i, b] of bodies.entries()) {
      expect(b.length, `attempt ${i + 1}`).toBe(form.length);
      expect(filePart(b, form).equals(bytes), `attempt ${i + 1}`).toBe(true);
      expect(headers[i]!['content-length']).toBe(String(form.length));
      expect(headers[i]!['content-type']).toBe(`multipart/form-data; boundary=${form.boundary}`);
    }
    // each attempt counted from zero, and the last one to the end
    expect(restarts).toEqual([0, form.length, form.length]);
    expect(done).toBe(form.length);
  });

  it('through a proxy (undici) a retry sends the whole body again too', async () => {
    const proxy = await startConnectProxy({ host: '127.0.0.1', port });
    try {
      const { send } = await import('../../src/http/transport.js');
      const bytes = randomBytes(2 * MiB + 1);
      const form = fileForm(bytes, 'proxied.bin');
      statuses = [503];
      const memory = io({ HTTP_PROXY: proxy.url });
      const r = await send(memory, { method: 'POST', url: `http://127.0.0.2:${port}/up`, headers: {}, body: form, safe: true });
      expect(r.status).toBe(200);
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
      expect(bodies).toHaveLength(2);
      for (const b of bodies) expect(filePart(b, form).equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('a write (not safe) is sent once, as before: the 503 is the answer', async () => {
    const { send } = await import('../../src/http/transport.js');
    const form = fileForm(randomBytes(100_000));
    statuses = [503];
    const r = await send(io(), { method: 'POST', url: `http://127.0.0.1:${port}/up`, headers: {}, body: form, safe: false });
    expect(r.status).toBe(503);
    expect(bodies).toHaveLength(1);
  });

  it('a file that shrinks or grows after it was added fails the upload instead of sending a wrong length', async () => {
    const { send } = await import('../../src/http/transport.js');
    const shrink = fileForm(randomBytes(3 * MiB), 'shrink.bin');
    truncateSync(path.join(dir, 'shrink.bin'), MiB);
    await expect(send(io(), { method: 'POST', url: `http://127.0.0.1:${port}/up`, headers: {}, body: shrink, safe: false })).rejects.toMatchObject({
      type: 'network',
      message: expect.stringContaining('file shrank while it was being sent'),
    });
    const grow = fileForm(randomBytes(1000), 'grow.bin');
    appendFileSync(path.join(dir, 'grow.bin'), 'more');
    await expect(send(io(), { method: 'POST', url: `http://127.0.0.1:${port}/up`, headers: {}, body: grow, safe: false })).rejects.toMatchObject({
      message: expect.stringContaining('file grew while it was being sent'),
    });
  });
});

describe('Multipart', () => {
  it('frames parts as Go mime/multipart does, with the length known before any byte is read', async () => {
    const form = new Multipart().field('a"b\\c', 'x').file('f', Buffer.from('hi'), 'n"m');
    expect(form.boundary).toMatch(/^[0-9a-f]{60}$/);
    const expected =
      `--${form.boundary}\r\nContent-Disposition: form-data; name="a\\"b\\\\c"\r\n\r\nx\r\n` +
      `--${form.boundary}\r\nContent-Disposition: form-data; name="f"; filename="n\\"m"\r\nContent-Type: application/octet-stream\r\n\r\nhi\r\n` +
      `--${form.boundary}--\r\n`;
    expect(form.length).toBe(Buffer.byteLength(expected));
    expect(form.headers()).toEqual({ 'content-type': `multipart/form-data; boundary=${form.boundary}`, 'content-length': String(Buffer.byteLength(expected)) });
    const read = async () => {
      const chunks: Buffer[] = [];
      for await (const c of form.stream()) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    expect(await read()).toBe(expected);
    expect(await read()).toBe(expected);
    expect(() => form.field('late', 'x')).toThrow(/already sent/);
  });

  it('reads a file in 1 MiB chunks', async () => {
    const form = fileForm(randomBytes(3 * MiB + 5), 'chunks.bin');
    const sizes: number[] = [];
    for await (const c of form.stream()) sizes.push((c as Buffer).length);
    expect(sizes.filter((n) => n === MiB)).toHaveLength(3);
    expect(Math.max(...sizes)).toBe(MiB);
  });
});
