import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { closeSync, openSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directConnection } from '../../src/http/proxy-rule.js';
import {
  fetchRange,
  RangeAborted,
  RangeBodyBreak,
  RangeOverflow,
  type HeadDecision,
} from '../../src/http/range-fetch.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempFile(size: number): { file: string; fd: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'range-fetch-'));
  const file = path.join(dir, 'out.bin');
  writeFileSync(file, Buffer.alloc(size));
  const fd = openSync(file, 'r+');
  cleanups.push(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, fd };
}

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A raw TCP server: `script(socket, requestText)` answers once the request head has arrived. */
async function rawServer(script: (socket: net.Socket, request: string) => void): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let got = '';
    socket.on('data', (d) => {
      if (got.includes('\r\n\r\n')) return;
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) script(socket, got);
    });
  });
  const url = await listen(server);
  cleanups.push(() => sockets.forEach((s) => s.destroy()));
  return url;
}

const bytes = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));
const accept = (limit: number, fd: number, offset = 0) => (): HeadDecision => ({ body: limit, fd, offset });

describe('fetchRange', () => {
  it('writes exactly the body at the offset and sends the request headers', async () => {
    const body = bytes(300_000);
    let seen: http.IncomingHttpHeaders | undefined;
    let seenUrl = '';
    const server = http.createServer((req, res) => {
      seen = req.headers;
      seenUrl = req.url!;
      res.writeHead(206, { 'content-range': 'bytes 1000-300999/400000', 'content-length': String(body.length) });
      res.end(body);
    });
    const url = await listen(server);
    const { file, fd } = tempFile(400_000);
    let progress = 0;
    let head: { status: number; headers: Record<string, string> } | undefined;
    const r = await fetchRange({
      url: `${url}/open-apis/x/y?type=file`,
      headers: { Authorization: 'Bearer t-abc', Range: 'bytes=1000-300999', 'X-Cli-Source': 'lark-cli' },
      onBytes: (n) => (progress += n),
      onHead: (status, headers) => {
        head = { status, headers };
        return { body: 300_000, fd, offset: 1000 };
      },
    });
    expect(r).toMatchObject({ kind: 'body', status: 206, written: 300_000 });
    expect(progress).toBe(300_000);
    expect(head!.status).toBe(206);
    expect(head!.headers['content-range']).toBe('bytes 1000-300999/400000');
    expect(seenUrl).toBe('/open-apis/x/y?type=file');
    expect(seen).toMatchObject({ authorization: 'Bearer t-abc', range: 'bytes=1000-300999', 'x-cli-source': 'lark-cli', connection: 'close', host: url.slice(7) });
    const out = readFileSync(file);
    expect(out.subarray(0, 1000).equals(Buffer.alloc(1000))).toBe(true);
    expect(out.subarray(1000, 301_000).equals(body)).toBe(true);
    expect(out.subarray(301_000).equals(Buffer.alloc(99_000))).toBe(true);
  });

  it('parses a head split across reads, with body bytes in the same read as its end', async () => {
    const body = bytes(5000, 3);
    const head = 'HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-5009/6000\r\nX-Dup: a\r\nx-dup: b\r\nContent-Length: 5000\r\n\r\n';
    const url = await rawServer((socket) => {
      const all = Buffer.concat([Buffer.from(head, 'latin1'), body]);
      const cuts = [5, 40, head.length - 2, head.length + 7, all.length];
      let at = 0;
      const step = (i: number) => {
        if (i >= cuts.length) return socket.end();
        socket.write(all.subarray(at, cuts[i]));
        at = cuts[i]!;
        setTimeout(() => step(i + 1), 15);
      };
      step(0);
    });
    const { file, fd } = tempFile(6000);
    let headers: Record<string, string> = {};
    const r = await fetchRange({ url, headers: {}, onHead: (_s, h) => ((headers = h), { body: 5000, fd, offset: 10 }) });
    expect(r).toMatchObject({ kind: 'body', written: 5000 });
    expect(headers['x-dup']).toBe('a, b');
    expect(readFileSync(file).subarray(10, 5010).equals(body)).toBe(true);
  });

  it('a body cut short is a RangeBodyBreak with the bytes written', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 206 Partial Content\r\nContent-Length: 100\r\n\r\n');
      socket.end(bytes(60));
    });
    const { fd } = tempFile(100);
    const e = await fetchRange({ url, headers: {}, onHead: accept(100, fd, 0) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RangeBodyBreak);
    expect((e as RangeBodyBreak).written).toBe(60);
  });

  it('a Content-Length above the limit is a RangeOverflow', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 206 Partial Content\r\nContent-Length: 200\r\n\r\n');
      socket.end(bytes(200));
    });
    const { fd } = tempFile(200);
    await expect(fetchRange({ url, headers: {}, onHead: accept(100, fd, 0) })).rejects.toBeInstanceOf(RangeOverflow);
  });

  it('chunked, missing Content-Length and redirects fall back without writing', async () => {
    const answers = [
      'HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'HTTP/1.1 206 Partial Content\r\n\r\nhello',
      'HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 206 Partial Content\r\n folded: header\r\nContent-Length: 5\r\n\r\nhello',
      'garbage\r\n\r\n',
    ];
    for (const answer of answers) {
      const url = await rawServer((socket) => socket.end(answer));
      const { file, fd } = tempFile(8);
      let called = false;
      const r = await fetchRange({ url, headers: {}, onHead: () => ((called = true), { body: 5, fd, offset: 0 }) });
      expect(r.kind).toBe('fallback');
      // the head callback (which may create the target file) is not reached
      expect(called).toBe(false);
      expect(readFileSync(file).equals(Buffer.alloc(8))).toBe(true);
    }
  });

  it('a refused connection falls back', async () => {
    const server = net.createServer();
    const url = await listen(server);
    await new Promise<void>((r) => server.close(() => r()));
    cleanups.pop();
    const { fd } = tempFile(8);
    expect((await fetchRange({ url, headers: {}, onHead: accept(5, fd, 0) })).kind).toBe('fallback');
  });

  it('an error status returns the start of its body (chunked or not) without writing', async () => {
    for (const answer of [
      'HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndeni\r\n3\r\ned \r\n0\r\n\r\n',
      'HTTP/1.1 403 Forbidden\r\nContent-Length: 7\r\n\r\ndenied ',
    ]) {
      const url = await rawServer((socket) => socket.write(answer));
      const { file, fd } = tempFile(8);
      let called = false;
      const r = await fetchRange({ url, headers: {}, onHead: () => ((called = true), { body: 5, fd, offset: 0 }) });
      expect(called).toBe(false);
      expect(r).toMatchObject({ kind: 'error', status: 403, text: 'denied' });
      expect(readFileSync(file).equals(Buffer.alloc(8))).toBe(true);
    }
  });

  it('an error thrown by onHead rejects the call', async () => {
    const url = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    const { fd } = tempFile(8);
    await expect(
      fetchRange({
        url,
        headers: {},
        onHead: () => {
          throw new Error('unexpected status code: 200');
        },
      }),
    ).rejects.toThrow('unexpected status code: 200');
  });

  it('abort destroys the connection mid-body', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((r) => (closed = r));
    const url = await rawServer((socket) => {
      socket.on('close', () => closed());
      socket.write('HTTP/1.1 206 Partial Content\r\nContent-Length: 1000\r\n\r\n');
      socket.write(bytes(10)); // then stalls
    });
    const { fd } = tempFile(1000);
    const ac = new AbortController();
    let got = 0;
    const p = fetchRange({
      url,
      headers: {},
      signal: ac.signal,
      onHead: accept(1000, fd),
      onBytes: (n) => {
        got += n;
        if (got === 10) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(RangeAborted);
    await serverSawClose;
  });

  it('a stalled body times out as a RangeBodyBreak', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 206 Partial Content\r\nContent-Length: 1000\r\n\r\n');
      socket.write(bytes(10));
    });
    const { fd } = tempFile(1000);
    const e = await fetchRange({ url, headers: {}, timeoutMs: 200, onHead: accept(1000, fd) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RangeBodyBreak);
    expect((e as RangeBodyBreak).message).toBe('request timed out');
    expect((e as RangeBodyBreak).written).toBe(10);
  });
});

describe('directConnection', () => {
  it('follows the transport proxy rule', () => {
    const remote = 'https://open.feishu.cn';
    expect(directConnection({}, remote)).toBe(true);
    expect(directConnection({ HTTPS_PROXY: 'http://p:1' }, remote)).toBe(false);
    expect(directConnection({ http_proxy: 'http://p:1' }, remote)).toBe(false);
    expect(directConnection({ HTTPS_PROXY: 'http://p:1', LARK_CLI_NO_PROXY: '1' }, remote)).toBe(true);
    expect(directConnection({ HTTPS_PROXY: 'http://p:1' }, 'http://127.0.0.1:8080')).toBe(true);
    expect(directConnection({ HTTPS_PROXY: 'http://p:1' }, 'http://[::1]:8080')).toBe(true);
    expect(directConnection({ ALL_PROXY: 'socks5://p:1' }, remote)).toBe(true);
    expect(directConnection({}, 'ftp://x')).toBe(false);
  });
});
