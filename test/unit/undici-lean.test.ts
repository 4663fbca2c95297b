/**
 * src/http/undici-lean.ts loads undici's parts from their internal paths. These tests fail when
 * an undici upgrade moves them (the module would silently use the slow package entry instead).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Multipart } from '../../src/http/multipart.js';
import { loadUndici } from '../../src/http/undici-lean.js';
import { bodyServer } from '../helpers/net.js';

let server: http.Server;
let base = '';
const seen: Array<{ method: string; url: string; type?: string; length?: string; body: string }> = [];

beforeAll(async () => {
  ({ server, base } = await bodyServer('latin1', (req, res, body) => {
    seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], length: req.headers['content-length'], body });
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/target?x=1' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`ok ${req.url}`);
  }));
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

  it('sends a multipart body as a stream with its Content-Length (the proxy path of uploads)', async () => {
    const u = loadUndici();
    const agent = new u.Agent();
    try {
      const form = new Multipart().field('kind', 'message').file('file', Buffer.from('hello'), 'unknown-file');
      const res = await u.request(agent, `${base}/upload`, { method: 'POST', headers: form.headers(), body: form.stream() });
      await res.body.text();
      const last = seen[seen.length - 1]!;
      expect(last.method).toBe('POST');
      expect(last.type).toBe(`multipart/form-data; boundary=${form.boundary}`);
      expect(last.length).toBe(String(form.length));
      expect(last.body).toBe(
        `--${form.boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmessage\r\n` +
          `--${form.boundary}\r\nContent-Disposition: form-data; name="file"; filename="unknown-file"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n` +
          `--${form.boundary}--\r\n`,
      );
    } finally {
      await agent.close();
    }
  });
});
