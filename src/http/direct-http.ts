/**
 * One HTTP/1.1 request over node:http / node:https, for requests that go out directly (no proxy
 * applies: ./proxy-rule.ts). The transport (./transport.ts) sends them here and keeps undici for
 * proxies and multipart bodies: loading undici and making its first request costs ~35 ms of a
 * ~70 ms command, node:http's first request ~8 ms.
 *
 *   directRequest(opts): Promise<DirectResponse>  (one hop: redirects are the caller's)
 *
 * Connections are kept alive and reused within the process (one agent per scheme, 16 sockets
 * per host, as the undici pool). Idle sockets do not hold the process open; one the server
 * closes while idle leaves the pool. A failed request is never sent again here: retries are the
 * retry policy's (./retry-policy.ts), which never repeats a write.
 *
 * As undici's defaults: 300 s without response headers or without body bytes fail the request.
 * `signal` aborts it (an AbortError, which the transport reports as a timeout).
 */
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/** node:https (and with it node:tls) is loaded for the first https:// request only. */
let httpsModule: typeof https | undefined;
function httpsLib(): typeof https {
  return (httpsModule ??= createRequire(import.meta.url)('node:https') as typeof https);
}

export interface DirectRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | Readable;
  signal?: AbortSignal;
}

export interface DirectResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

const IDLE_TIMEOUT_MS = 300_000;

const agents: { http?: http.Agent; https?: https.Agent } = {};

function agentFor(protocol: string): http.Agent {
  if (protocol === 'https:') return (agents.https ??= new (httpsLib().Agent)({ keepAlive: true, maxSockets: 16 }));
  return (agents.http ??= new http.Agent({ keepAlive: true, maxSockets: 16 }));
}

function isStream(body: DirectRequest['body']): body is Readable {
  return typeof body === 'object' && body !== null && !(body instanceof Uint8Array) && typeof (body as Readable).pipe === 'function';
}

export function directRequest(opts: DirectRequest): Promise<DirectResponse> {
  const u = new URL(opts.url);
  return new Promise<DirectResponse>((resolve, reject) => {
    const lib = u.protocol === 'https:' ? httpsLib() : http;
    let answered = false;
    const body = opts.body;
    const headers = { ...opts.headers };
    const names = Object.keys(headers).map((k) => k.toLowerCase());
    if (!names.includes('content-length') && !names.includes('transfer-encoding')) {
      // node:http frames a body by Content-Length or chunks only for some methods (not DELETE,
      // GET, ...), else by closing the connection: always say how the body ends
      if (isStream(body)) headers['transfer-encoding'] = 'chunked';
      else if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    }
    const req = lib.request(u, {
      method: opts.method,
      headers,
      agent: agentFor(u.protocol),
      signal: opts.signal,
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(answered ? 'body timeout' : 'headers timeout')));
    req.on('response', (res) => {
      answered = true;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    req.on('error', (e: Error) => {
      if (!answered) reject(e); // after the head, the body stream reports it
    });
    if (isStream(body)) {
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    } else if (body === undefined) {
      req.end();
    } else {
      req.end(body);
    }
  });
}
