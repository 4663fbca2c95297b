/**
 * The transport's direct path (src/http/direct-http.ts through src/http/transport.ts): node:http
 * with keep-alive when no proxy applies, the redirect rules undici's interceptor applies, body
 * framing for every method, and the same errors; undici only when a proxy applies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../src/core/errors.js';
import { memoryIo } from '../helpers/memory-io.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { bodyServer } from '../helpers/net.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

let server: http.Server;
let base = '';
let seen: Seen[] = [];

beforeAll(async () => {
  ({ server, base } = await bodyServer('utf8', (req, res, body) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: req.socket });
    const [path, q] = req.url!.split('?');
    const go = (status: number, location: string) => res.writeHead(status, { location }).end();
    if (path === '/303') return go(303, '/target');
    if (path === '/307') return go(307, '/target');
    if (path === '/302') return go(302, '/target');
    if (path === '/away') return go(302, `http://localhost:${(server.address() as AddressInfo).port}/target`);
    if (path === '/loop') return go(302, '/loop2');
    if (path === '/loop2') return go(302, '/loop');
    if (path === '/many') return go(302, `/many?n=${Number(new URLSearchParams(q).get('n') ?? 0) + 1}`);
    if (path === '/drop') return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
    res.end(JSON.stringify({ code: 0, path, method: req.method }));
  }));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  seen = [];
  // a fresh transport (agents, dispatcher, proxy warning) per test
  vi.resetModules();
});

async function transport() {
  return import('../../src/http/transport.js');
}

const io = (env: Record<string, string> = {}) => memoryIo({ cwd: '/', env });

describe('direct requests (no proxy applies)', () => {
  it('answers with status, lower-cased headers (repeats joined) and the body; connections are reused', async () => {
    const { send } = await transport();
    const a = await send(io(), { method: 'GET', url: `${base}/one?x=1`, headers: { 'User-Agent': 'ua' }, safe: true });
    const b = await send(io(), { method: 'GET', url: `${base}/two`, headers: {}, safe: true });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/json');
    expect(a.headers['x-multi']).toBe('a, b');
    expect(JSON.parse(a.body.toString())).toEqual({ code: 0, path: '/one', method: 'GET' });
    expect(b.status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/one?x=1', '/two']);
    expect(seen[0]!.headers['user-agent']).toBe('ua');
    expect(seen[1]!.socket).toBe(seen[0]!.socket); // keep-alive
  });

  it('a body is framed by Content-Length for every method (DELETE and GET included); streams are chunked', async () => {
    const { send } = await transport();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      await send(io(), { method, url: `${base}/w`, headers: { 'content-type': 'application/json' }, body: '{"a":"é"}', safe: false });
    }
    await send(io(), { method: 'POST', url: `${base}/s`, headers: {}, body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]), safe: false });
    expect(seen.map((s) => [s.method, s.body, s.headers['content-length']])).toEqual([
      ['POST', '{"a":"é"}', '10'],
      ['PUT', '{"a":"é"}', '10'],
      ['PATCH', '{"a":"é"}', '10'],
      ['DELETE', '{"a":"é"}', '10'],
      ['POST', 'abcd', undefined],
    ]);
    expect(seen[4]!.headers['transfer-encoding']).toBe('chunked');
    // all on one connection: no body ran into the next request
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('303 goes on as a body-less GET without Content-* headers; 307 keeps method and body; 302 after POST is a GET', async () => {
    const { send } = await transport();
    const h = { 'content-type': 'application/json', authorization: 'Bearer t' };
    await send(io(), { method: 'POST', url: `${base}/303`, headers: h, body: '{"x":1}', safe: false });
    await send(io(), { method: 'POST', url: `${base}/307`, headers: h, body: '{"x":1}', safe: false });
    await send(io(), { method: 'POST', url: `${base}/302`, headers: h, body: '{"x":1}', safe: false });
    expect(seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'], s.headers.authorization])).toEqual([
      ['POST', '/303', '{"x":1}', 'application/json', 'Bearer t'],
      ['GET', '/target', '', undefined, 'Bearer t'],
      ['POST', '/307', '{"x":1}', 'application/json', 'Bearer t'],
      ['POST', '/target', '{"x":1}', 'application/json', 'Bearer t'],
      ['POST', '/302', '{"x":1}', 'application/json', 'Bearer t'],
      ['GET', '/target', '', 'application/json', 'Bearer t'],
    ]);
  });

  it('a redirect to another origin drops Authorization and Cookie', async () => {
    const { send } = await transport();
    const r = await send(io(), { method: 'GET', url: `${base}/away`, headers: { Authorization: 'Bearer t', Cookie: 'c=1', 'X-Keep': 'k' }, safe: true });
    expect(r.status).toBe(200);
    expect(seen[1]!.url).toBe('/target');
    expect(seen[1]!.headers.host).toMatch(/^localhost:/);
    expect(seen[1]!.headers.authorization).toBeUndefined();
    expect(seen[1]!.headers.cookie).toBeUndefined();
    expect(seen[1]!.headers['x-keep']).toBe('k');
  });

  it('at most 10 redirects (then the 3xx is the answer); a loop is a network error', async () => {
    const { send } = await transport();
    const r = await send(io(), { method: 'GET', url: `${base}/many`, headers: {}, safe: true });
    expect(r.status).toBe(302);
    expect(seen).toHaveLength(11);
    seen = [];
    const e = await send(io(), { method: 'GET', url: `${base}/loop`, headers: {}, safe: false }).catch((x: unknown) => x);
    // (the transport's own CliError class: modules are reset per test)
    expect((e as CliError).name).toBe('CliError');
    expect((e as CliError).type).toBe('network');
    expect((e as CliError).message).toMatch(/redirect loop/);
  });

  it('a dropped connection is a network error (exit 4); a refused one too', async () => {
    const { send } = await transport();
    const e = await send(io(), { method: 'POST', url: `${base}/drop`, headers: {}, body: '{}', safe: false }).catch((x: unknown) => x);
    expect((e as CliError).type).toBe('network');
    expect((e as CliError).exitCode).toBe(4);
    expect(seen).toHaveLength(1); // a write is never sent again
    const refused = await send(io(), { method: 'POST', url: 'http://127.0.0.1:9/x', headers: {}, body: '{}', safe: false }).catch((x: unknown) => x);
    expect((refused as CliError).type).toBe('network');
    expect((refused as CliError).message).toMatch(/ECONNREFUSED/);
  });

  it('a timeout is "request timed out"', async () => {
    const slow = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const { send } = await transport();
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
      const e = await send(io(), { method: 'POST', url, headers: {}, body: '', safe: false, timeoutMs: 100 }).catch((x: unknown) => x);
      expect((e as CliError).type).toBe('network');
      expect((e as CliError).message).toBe('request timed out');
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });
});

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(haveOpenssl())('direct https', () => {
  it('an https:// URL goes over node:https with keep-alive', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lark-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const sockets = new Set<unknown>();
    const tlsServer = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      sockets.add(req.socket);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}');
    });
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the self-signed test certificate
    try {
      const { send } = await transport();
      const url = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/x`;
      for (let i = 0; i < 2; i++) {
        const r = await send(io(), { method: 'POST', url, headers: {}, body: '{}', safe: false });
        expect(r.status).toBe(200);
        expect(r.body.toString()).toBe('{"code":0}');
      }
      expect(sockets.size).toBe(1);
    } finally {
      if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
      tlsServer.closeAllConnections();
      await new Promise<void>((r) => tlsServer.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('proxied requests', () => {
  it('go through undici and the proxy (CONNECT), with the warning once; loopback names stay direct', async () => {
    const port = Number(new URL(base).port);
    const proxy = await startConnectProxy({ host: '127.0.0.1', port });
    try {
      const { send } = await transport();
      const env = { HTTP_PROXY: proxy.url };
      const memory = io(env);
      const r = await send(memory, { method: 'GET', url: `http://127.0.0.2:${port}/via`, headers: {}, safe: true });
      expect(r.status).toBe(200);
      expect(proxy.tunnels).toEqual([`127.0.0.2:${port}`]);
      await send(memory, { method: 'GET', url: `${base}/direct`, headers: {}, safe: true });
      expect(proxy.tunnels).toHaveLength(1);
      expect(memory.err().match(/proxy detected/g)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
