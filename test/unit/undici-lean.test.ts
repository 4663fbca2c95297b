/**
 * src/http/undici-lean.ts loads undici's parts from their internal paths. These tests fail when
 * an undici upgrade moves them (the module would silently use the slow package entry instead).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUndici } from '../../src/http/undici-lean.js';

let server: http.Server;
let base = '';
const seen: Array<{ method: string; url: string; type?: string; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/target?x=1' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.url}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('loadUndici', () => {
  it('loads the lean parts, not the package entry', () => {
    const u = loadUndici();
    expect(u.via).toBe('lean');
    expect(typeof u.Agent).toBe('function');
    expect(typeof u.EnvHttpProxyAgent()).toBe('function');
    expect(typeof u.FormData()).toBe('function');
    expect(typeof u.redirect).toBe('function');
  });

  it('sends a request with path and query, and follows a redirect through the interceptor', async () => {
    const u = loadUndici();
    const agent = new u.Agent();
    const d = agent.compose(u.redirect({ maxRedirections: 3 }));
    try {
      const res = await u.request(d, `${base}/moved`, { method: 'GET', headers: { 'x-a': '1' } });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('ok /target?x=1');
      expect(seen.slice(-2).map((s) => s.url)).toEqual(['/moved', '/target?x=1']);
    } finally {
      await agent.close();
    }
  });

  it('sends undici FormData as multipart', async () => {
    const u = loadUndici();
    const agent = new u.Agent();
    try {
      const form = new (u.FormData())();
      form.append('kind', 'message');
      form.append('file', new Blob([Buffer.from('hello')]), 'unknown-file');
      const res = await u.request(agent, `${base}/upload`, { method: 'POST', body: form as never });
      await res.body.text();
      const last = seen[seen.length - 1]!;
      expect(last.method).toBe('POST');
      expect(last.type).toMatch(/^multipart\/form-data; boundary=/);
      expect(last.body).toContain('name="kind"\r\n\r\nmessage\r\n');
      expect(last.body).toContain('name="file"; filename="unknown-file"');
      expect(last.body).toContain('\r\n\r\nhello\r\n');
    } finally {
      await agent.close();
    }
  });
});
