/**
 * The HTTP transport: keep-alive connections, proxies from the environment, redirects without
 * leaking Authorization, and the retry policy (./retry-policy.ts) for requests that are safe to
 * repeat.
 *
 * Two ways out, chosen per request by the proxy rule (./proxy-rule.ts):
 * - direct (no proxy applies), the common case: node:http / node:https (./direct-http.ts), with
 *   the redirects followed here; undici is never loaded;
 * - through a proxy: undici (its proxy agent with NO_PROXY, its redirect interceptor), loaded
 *   on first need and only the parts used here
 *   (./undici-lean.ts): its package entry loads fetch, WebSocket, caches and mocks as well,
 *   which costs ~100 ms per command.
 * Both give the same answers and the same errors to the retry loop. A multipart body
 * (./multipart.ts) goes either way as a stream with its Content-Length, read from its files.
 */
import type { Dispatcher } from 'undici';
import { finished, type Readable } from 'node:stream';
import v8 from 'node:v8';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import { loadUndici, type LeanUndici } from './undici-lean.js';
import { Multipart } from './multipart.js';
import { directConnection, proxyWarning } from './proxy-rule.js';
import { directRequest } from './direct-http.js';
import { MAX_ATTEMPTS, retryableStatus, withRetries } from './retry-policy.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A body that can be sent again on a retry (strings and buffers), or a one-shot stream. */
  body?: string | Buffer | Uint8Array | Readable | Multipart;
  /** Safe to repeat: GET/HEAD, or carries an idempotency key. */
  safe: boolean;
  /** Whole-request deadline in ms (the auxiliary client uses 30 s). */
  timeoutMs?: number;
  /** Cancels the request (and a streamed body); an aborted request is never retried. */
  signal?: AbortSignal;
}

export { redactProxy } from './proxy-rule.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

let dispatcher: Dispatcher | undefined;
let proxyWarned = false;

/** The proxy warning, once per process, before the first request of either kind. */
function warnProxy(io: Io): void {
  if (proxyWarned) return;
  proxyWarned = true;
  const line = proxyWarning(io.env);
  if (line) io.stderr.write(line);
}

function getDispatcher(io: Io, u: LeanUndici): Dispatcher {
  if (dispatcher) return dispatcher;
  const env = io.env;
  const noProxyAtAll = !!env.LARK_CLI_NO_PROXY;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy;
  const httpProxy = env.HTTP_PROXY || env.http_proxy;
  let base: Dispatcher;
  if (!noProxyAtAll && (httpsProxy || httpProxy)) {
    const userNoProxy = env.NO_PROXY || env.no_proxy || '';
    // loopback is never proxied (Go behaviour; matters for local emulators and tests)
    const noProxy = [userNoProxy, 'localhost', '127.0.0.1', '::1', '[::1]'].filter(Boolean).join(',');
    base = new (u.EnvHttpProxyAgent())({ httpProxy, httpsProxy, noProxy });
  } else {
    base = new u.Agent({ connections: 16, keepAliveTimeout: 10_000 });
  }
  dispatcher = base.compose(u.redirect({ maxRedirections: 10 }));
  return dispatcher;
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function transportMessage(e: unknown): string {
  const err = e as { name?: string; message?: string; code?: string; cause?: { message?: string } };
  if (err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED') return 'request timed out';
  let msg = err?.message || String(e);
  if (err?.cause?.message && !msg.includes(err.cause.message)) msg += `: ${err.cause.message}`;
  return msg;
}

function isReplayable(body: HttpRequest['body']): boolean {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array || body instanceof Multipart;
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly on the first connection. Once it runs
 * hot (a large download), V8 recompiles it with its optimising tier in the background, which
 * costs ~35 MB of transient memory (a 1 GiB download peaks at ~110 MB instead of ~70 MB) for no
 * measurable gain in a CLI. The tiering decision is taken when the module is compiled, so the
 * baseline-only flag is held until the first response arrives and then cleared, leaving any
 * later WebAssembly (jq) to tier up normally.
 */
let llhttpPin: 'idle' | 'held' | 'done' = 'idle';
function setV8Flag(flag: string): void {
  try {
    v8.setFlagsFromString(flag);
  } catch {
    /* only an optimisation */
  }
}

async function once(io: Io, req: HttpRequest): Promise<StreamResponse> {
  const timeout = req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined;
  const signal = timeout && req.signal ? AbortSignal.any([timeout, req.signal]) : (timeout ?? req.signal);
  warnProxy(io);
  // a multipart body is streamed from its files, made afresh for every attempt (a retry reads them again)
  if (req.body instanceof Multipart) req = { ...req, headers: { ...req.headers, ...req.body.headers() }, body: req.body.stream() };
  if (directConnection(io.env, req.url)) return directOnce(io, req, signal);
  return undiciOnce(io, req, signal);
}

const REDIRECT_STATUS = new Set([300, 301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function isStreamBody(body: HttpRequest['body']): body is Readable {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof Multipart);
}

/**
 * A direct request, following redirects as undici's interceptor does: at most 10; 303 (and
 * 301/302 after a POST) continue as a body-less GET; `Host` is never carried over, `Content-*`
 * not after a 303, and `Authorization`, `Cookie`, `Proxy-Authorization` not to another origin;
 * a URL seen before is a redirect loop (an error). A hop to a URL a proxy applies to continues
 * on undici.
 */
async function directOnce(io: Io, req: HttpRequest, signal: AbortSignal | undefined): Promise<StreamResponse> {
  let { method, url, headers, body } = req;
  const seen = new Set<string>([new URL(url).href]);
  for (let hops = 0; ; hops++) {
    const res = await directRequest({ method, url, headers, body: body as Exclude<HttpRequest['body'], Multipart>, signal });
    const location = res.headers.location;
    const answer = { status: res.status, headers: flatHeaders(res.headers), body: res.body };
    if (!REDIRECT_STATUS.has(res.status) || typeof location !== 'string' || location === '' || hops >= MAX_REDIRECTS) return answer;
    const toGet = res.status === 303 ? method !== 'HEAD' : (res.status === 301 || res.status === 302) && method === 'POST';
    // a streamed body has been sent: it cannot go again
    if (!toGet && isStreamBody(body)) return answer;
    res.body.resume();
    const next = new URL(location, url);
    if (seen.has(next.href)) throw new Error(`redirect loop detected: ${next.origin}`);
    seen.add(next.href);
    const crossOrigin = next.origin !== new URL(url).origin;
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      const lk = k.toLowerCase();
      if (lk === 'host') continue;
      if (res.status === 303 && lk.startsWith('content-')) continue;
      if (crossOrigin && (lk === 'authorization' || lk === 'cookie' || lk === 'proxy-authorization')) continue;
      kept[k] = v;
    }
    if (toGet) {
      method = 'GET';
      body = undefined;
    }
    headers = kept;
    url = next.href;
    if (!directConnection(io.env, url)) return undiciOnce(io, { ...req, method, url, headers, body }, signal);
  }
}

async function undiciOnce(io: Io, req: HttpRequest, signal: AbortSignal | undefined): Promise<StreamResponse> {
  if (llhttpPin === 'idle') {
    llhttpPin = 'held';
    setV8Flag('--liftoff-only');
  }
  const u = loadUndici();
  let res: Dispatcher.ResponseData;
  try {
    res = await u.request(getDispatcher(io, u), req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body as Dispatcher.DispatchOptions['body'],
      signal,
    });
  } finally {
    // the parser is compiled by now (or the request failed): never leave the flag on
    if (llhttpPin === 'held') {
      llhttpPin = 'done';
      setV8Flag('--no-liftoff-only');
    }
  }
  return { status: res.statusCode, headers: flatHeaders(res.headers), body: res.body as unknown as Readable };
}

/** The whole body; fails as the stream does, or when it closes before its end. */
function readAll(body: Readable): Promise<Buffer> {
  // events rather than `for await`: an async iterator costs a few promise turns per chunk, which
  // a --page-all walk pays on every page
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: Buffer) => chunks.push(c));
    finished(body, (err) => (err ? reject(err) : resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
  });
}

function hasRateLimitCode(res: HttpResponse): boolean {
  const ct = res.headers['content-type'] || '';
  // parsed only when the code can be in it: every response would otherwise be parsed twice
  if (!ct.includes('json') || res.body.length > 1 << 20 || !res.body.includes('99991400')) return false;
  try {
    return (JSON.parse(res.body.toString('utf8')) as { code?: unknown }).code === 99991400;
  } catch {
    return false;
  }
}

/**
 * Sends a request and buffers the response. Safe requests are retried on network errors, 429,
 * 5xx and Lark code 99991400, at most 3 attempts in all. A transport failure on the last
 * attempt is a `network` error (exit 4).
 */
export async function send(io: Io, req: HttpRequest): Promise<HttpResponse> {
  const wrap = (e: unknown) => (e instanceof CliError ? e : new CliError('network', transportMessage(e), { cause: e }));
  return withRetries<HttpResponse>(
    io,
    {
      attempts: req.safe && isReplayable(req.body) ? MAX_ATTEMPTS : 1,
      retryAnswer: (res) => (retryableStatus(res.status) || hasRateLimitCode(res) ? { headers: res.headers } : undefined),
      retryError: (e) => !(e instanceof CliError),
      finalError: wrap,
    },
    async () => {
      const r = await once(io, req);
      return { status: r.status, headers: r.headers, body: await readAll(r.body) };
    },
  );
}

/**
 * Sends a request and hands back the body as a stream (downloads). Retries happen only before
 * a successful status arrives; the caller reads and verifies the body.
 */
export async function sendStream(io: Io, req: HttpRequest): Promise<StreamResponse> {
  return withRetries<StreamResponse>(
    io,
    {
      attempts: req.safe && isReplayable(req.body) ? MAX_ATTEMPTS : 1,
      retryAnswer: (res) => (retryableStatus(res.status) ? { headers: res.headers, release: () => res.body.resume() } : undefined),
      retryError: () => !req.signal?.aborted,
      finalError: (e) => new CliError('network', transportMessage(e), { cause: e }),
    },
    () => once(io, req),
  );
}
