/**
 * Fake Lark Open Platform for tests.
 *
 * msw does not intercept undici requests made by a child process (nor undici's
 * own dispatcher in-process), so the fake is a real `node:http` server bound to
 * 127.0.0.1. Every incoming request is converted to a WHATWG `Request` and
 * answered by msw request handlers through `getResponse()`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { getResponse, type RequestHandler } from 'msw';
import { defaultHandlers } from './handlers.js';

export type { RequestHandler } from 'msw';

export interface RecordedRequest {
  method: string;
  /** Pathname only, e.g. `/open-apis/im/v1/messages` (no query string). */
  path: string;
  /** Parsed query; repeated keys become arrays. */
  query: Record<string, string | string[]>;
  /** Raw search string including the leading `?` (or '' when none). */
  search: string;
  /** Lower-cased header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
  /** Body decoded as UTF-8. */
  text: string;
  /** Parsed body when it is JSON (content-type *json*, or unlabelled body that parses). */
  json?: unknown;
  contentType?: string;
}

export interface FakeLarkOptions {
  /** Extra handlers; they take priority over `defaultHandlers`. */
  handlers?: RequestHandler[];
  /** Fixed delay (ms) added before every response. */
  latencyMs?: number;
}

export interface FakeLark {
  /** Base URL, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  /** Port the server listens on. */
  readonly port: number;
  /** Every request received, in arrival order (recorded before it is answered). */
  readonly requests: RecordedRequest[];
  /** Prepend runtime handlers (take priority), like msw's `server.use()`. */
  use(...handlers: RequestHandler[]): void;
  /** Drop runtime handlers: back to constructor handlers + defaultHandlers. */
  resetHandlers(): void;
  /** Empty `requests`. */
  clearRequests(): void;
  /** Recorded requests whose path starts with the string, or whose path matches the RegExp. */
  requestsTo(pathPrefixOrRegExp: string | RegExp): RecordedRequest[];
  /** Set the fixed delay (ms) added before every response (0 disables). */
  setLatency(ms: number): void;
  /** Stop listening and destroy every open socket. Idempotent. */
  close(): Promise<void>;
}

/** Header that tells the fake server to destroy the socket instead of answering. */
export const DROP_HEADER = 'x-fake-drop';

/**
 * Return this from a handler to make the server destroy the connection without
 * answering (the client sees a socket hang up / "fetch failed").
 * `HttpResponse.error()` (a `Response.error()`) has the same effect.
 */
export function dropConnection(): Response {
  return new Response(null, { status: 599, headers: { [DROP_HEADER]: '1' } });
}

function collectBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function recordRequest(req: http.IncomingMessage, url: URL, body: Buffer): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    if (prev === undefined) query[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else query[k] = [prev, v];
  }
  const text = body.toString('utf8');
  const contentType = headers['content-type'];
  let json: unknown;
  if (text.length > 0 && (contentType === undefined || /json/i.test(contentType))) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const rec: RecordedRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query,
    search: url.search,
    headers,
    body,
    text,
  };
  if (json !== undefined) rec.json = json;
  if (contentType !== undefined) rec.contentType = contentType;
  return rec;
}

function toFetchRequest(req: http.IncomingMessage, url: URL, body: Buffer, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // ignore headers the Fetch API refuses
    }
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url.href, {
    method,
    headers,
    body: hasBody ? (body as Uint8Array<ArrayBuffer>) : undefined,
    signal,
  });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function jsonError(res: http.ServerResponse, status: number, payload: unknown): void {
  const body = Buffer.from(JSON.stringify(payload));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
  });
  res.end(body);
}

export async function startFakeLark(opts: FakeLarkOptions = {}): Promise<FakeLark> {
  const initialHandlers: RequestHandler[] = [...(opts.handlers ?? []), ...defaultHandlers];
  let runtimeHandlers: RequestHandler[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  let closePromise: Promise<void> | undefined;
  let port = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await collectBody(req);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push(recordRequest(req, url, body));

    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });

    const request = toFetchRequest(req, url, body, abort.signal);
    let response: Response | undefined;
    try {
      response = await getResponse([...runtimeHandlers, ...initialHandlers], request);
    } catch (err) {
      if (latencyMs > 0) await sleep(latencyMs);
      if (closed || res.destroyed) return;
      const message = err instanceof Error ? err.message : String(err);
      jsonError(res, 500, { code: 500, msg: `fake handler threw for ${method} ${url.pathname}: ${message}` });
      return;
    }

    if (latencyMs > 0) await sleep(latencyMs);
    if (closed || res.destroyed) return;

    if (
      response === undefined ||
      response.headers.get('x-msw-intention') === 'passthrough'
    ) {
      jsonError(res, 404, { code: 404, msg: `no fake handler for ${method} ${url.pathname}` });
      return;
    }

    if (response.type === 'error' || response.headers.get(DROP_HEADER) !== null) {
      req.socket.destroy();
      return;
    }

    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (HOP_BY_HOP.has(key) || key === 'set-cookie') return;
      outHeaders[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    res.writeHead(response.status, response.statusText || undefined, outHeaders);

    if (response.body === null || method === 'HEAD') {
      res.end();
      return;
    }
    const stream = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    stream.on('error', () => {
      res.destroy();
    });
    res.on('close', () => {
      if (!stream.destroyed) stream.destroy();
    });
    stream.pipe(res);
  }

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      jsonError(res, 500, { code: 500, msg: `fake server error: ${message}` });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    requests,
    use(...handlers: RequestHandler[]): void {
      runtimeHandlers = [...handlers, ...runtimeHandlers];
    },
    resetHandlers(): void {
      runtimeHandlers = [];
    },
    clearRequests(): void {
      requests.length = 0;
    },
    requestsTo(pathPrefixOrRegExp: string | RegExp): RecordedRequest[] {
      return requests.filter((r) => {
        if (typeof pathPrefixOrRegExp === 'string') return r.path.startsWith(pathPrefixOrRegExp);
        pathPrefixOrRegExp.lastIndex = 0;
        return pathPrefixOrRegExp.test(r.path);
      });
    },
    setLatency(ms: number): void {
      latencyMs = Math.max(0, ms);
    },
    close(): Promise<void> {
      if (closePromise) return closePromise;
      closed = true;
      closePromise = new Promise<void>((resolve) => {
        for (const [t, wake] of timers) {
          clearTimeout(t);
          wake();
        }
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closePromise;
    },
  };
}
