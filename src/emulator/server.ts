/**
 * The HTTP side: a node:http server that reads each request, applies armed faults and latency,
 * resolves the caller, checks scopes, runs the route's handler, waits until its changes are
 * durable, answers, and writes the journal entry and the log line.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkScopes, resolveCaller } from './access.js';
import { Emulator, type JournalEntry } from './emulator.js';
import { errorReply, LarkError, MAX_JSON_DEPTH, nestedDeeperThan, notFoundPath, type Reply } from './lark.js';
import { parseMultipart } from './multipart.js';
import { compileRoute, matchRoute, patternMatches, type CompiledRoute, type EmuRequest } from './router.js';
import { allRoutes } from './routes/index.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  /** One line per request; undefined = silent. */
  log?: (line: string) => void;
  /** Largest request body accepted (bytes; default 110 MiB: Lark's file limit is 100 MB). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  server: http.Server;
  close(): Promise<void>;
}

let compiled: CompiledRoute[] | undefined;
function routes(): CompiledRoute[] {
  compiled ??= allRoutes().map(compileRoute);
  return compiled;
}

function queryObject(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of q) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Reads the body, up to the limit. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'tooLarge' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The body as the journal shows it: JSON as parsed, forms as fields, uploads without their bytes. */
function journalBody(r: EmuRequest): unknown {
  if (r.multipart) return { ...r.multipart.fields, files: r.multipart.files.map((f) => ({ field: f.field, filename: f.filename, size: f.data.length })) };
  if (r.form) {
    const f = { ...r.form };
    for (const k of ['client_secret', 'app_secret', 'refresh_token', 'code', 'device_code']) if (k in f) f[k] = '***';
    return f;
  }
  if (r.json && typeof r.json === 'object' && !Array.isArray(r.json) && 'app_secret' in (r.json as object)) return { ...(r.json as object), app_secret: '***' };
  return r.json ?? null;
}

/**
 * The request target as a URL. It is always a path here, so it is appended to the base rather
 * than resolved against it: `//x` stays the path `//x` (resolved, it would be a host and, for
 * `//`, an invalid URL). Whatever still fails to parse is answered as the unknown path `/`.
 */
function requestUrl(target: string | undefined): URL {
  const t = target ?? '/';
  try {
    return new URL(`http://emulator${t.startsWith('/') ? '' : '/'}${t}`);
  } catch {
    return new URL('http://emulator/');
  }
}

export async function handle(emu: Emulator, req: http.IncomingMessage, res: http.ServerResponse, opts: ServeOptions): Promise<void> {
  const started = process.hrtime.bigint();
  const url = requestUrl(req.url);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const body = await readBody(req, opts.maxBodyBytes ?? 110 * 1024 * 1024);
  const headers = req.headers as Record<string, string | undefined>;
  const er: EmuRequest = { method, path, params: {}, query: url.searchParams, headers, raw: Buffer.alloc(0), json: undefined, caller: null, now: emu.clock.now() };
  let reply: Reply;
  let verdict: string | undefined;
  let faulted = false;
  /** A fault with `after`: the request is carried out, then the answer is lost. */
  let after: { drop?: boolean; status?: number; code?: number; msg?: string; headers?: Record<string, string> } | undefined;
  try {
    if (body === 'tooLarge') throw new LarkError(99992402, 'field validation failed', 413, { field_violations: [{ field: 'body', description: 'request body too large' }] }, 'body over the size limit');
    er.raw = body;
    const ctype = headers['content-type'] ?? '';
    if (/multipart\/form-data/i.test(ctype)) {
      er.multipart = parseMultipart(body, ctype);
      if (!er.multipart) throw new LarkError(99992402, 'field validation failed', 400, { field_violations: [{ field: 'body', description: 'malformed multipart body' }] }, 'malformed multipart body');
    } else if (/application\/x-www-form-urlencoded/i.test(ctype) && !(path.startsWith('/_emulator/') && /^\s*[[{]/.test(body.toString('utf8', 0, 64)))) {
      er.form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    } else if (body.length > 0) {
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new LarkError(9499, 'Bad Request', 400, undefined, 'the body is not valid JSON');
      }
      // refused (as Go's JSON decoder refuses one) before a handler or the journal's JSON.stringify recurses into it
      if (nestedDeeperThan(json, MAX_JSON_DEPTH)) throw new LarkError(9499, 'Bad Request', 400, undefined, `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
      er.json = json;
    }

    // armed faults come first, as a flaky network or gateway would
    const fi = emu.faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && patternMatches(f.path, path));
    if (fi >= 0) {
      const f = emu.faults[fi]!;
      f.times -= 1;
      if (f.times <= 0) emu.faults.splice(fi, 1);
      faulted = true;
      if (f.delay_ms) await sleep(f.delay_ms);
      if (f.after) after = f;
      else if (f.drop) {
        record(emu, er, 0, null, started, 'fault: connection dropped', true);
        opts.log?.(`${method} ${path} -> dropped (fault)`);
        req.socket.destroy();
        return;
      }
      else if (f.status !== undefined || f.code !== undefined) {
        const code = f.code ?? (f.status === 429 ? 99991400 : 500);
        reply = { status: f.status ?? 400, headers: { ...JSON_HEADERS, ...(f.headers ?? {}) }, body: { code, msg: f.msg ?? (code === 99991400 ? 'request trigger frequency limit' : 'fault injected') } };
        if (f.status === 429 && !f.headers?.['x-ogw-ratelimit-reset']) reply.headers!['x-ogw-ratelimit-reset'] = '1';
        verdict = 'fault injected';
        await send(emu, res, reply, opts);
        finish(emu, er, reply, started, verdict, opts, faulted);
        return;
      }
      // a delay-only fault: go on and answer normally
    }

    const m = matchRoute(routes(), method, path);
    if (m === undefined || m === 'methodMismatch') throw notFoundPath();
    er.params = m.params;
    er.caller = resolveCaller(emu, headers.authorization, m.route.auth);
    if (er.caller) checkScopes(er.caller, m.route.scopes);
    reply = await m.route.handler(er, emu);
    await emu.store.flush();
  } catch (e) {
    if (e instanceof LarkError) {
      reply = errorReply(e);
      verdict = e.verdict ?? (e.error && 'field_violations' in e.error ? JSON.stringify(e.error.field_violations) : e.msg);
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      opts.log?.(`internal error on ${method} ${path}: ${e instanceof Error ? e.stack : msg}`);
      reply = errorReply(new LarkError(500, `internal error: ${msg}`, 500));
      verdict = `internal error: ${msg}`;
    }
    // changes a failed handler made before it threw are kept durable too
    await emu.store.flush();
  }
  if (after) {
    // the change is made and durable; only the answer goes astray
    if (after.drop) {
      record(emu, er, 0, replyCode(reply), started, 'fault: answer dropped after the request was carried out', true);
      opts.log?.(`${method} ${path} -> carried out, answer dropped (fault)`);
      req.socket.destroy();
      return;
    }
    const code = after.code ?? (after.status === 429 ? 99991400 : 500);
    reply = { status: after.status ?? 500, headers: { ...JSON_HEADERS, ...(after.headers ?? {}) }, body: { code, msg: after.msg ?? 'fault injected' } };
    verdict = 'fault injected after the request was carried out';
  }
  await send(emu, res, reply, opts);
  finish(emu, er, reply, started, verdict, opts, faulted);
}

async function send(emu: Emulator, res: http.ServerResponse, reply: Reply, _opts: ServeOptions): Promise<void> {
  const latency = emu.opts.latencyMs ?? 0;
  if (latency > 0) await sleep(latency);
  if (res.destroyed) return;
  if (reply.stream) {
    res.writeHead(reply.status, { ...(reply.headers ?? {}) });
    reply.stream(res);
    return;
  }
  if (reply.raw) {
    res.writeHead(reply.status, { ...(reply.headers ?? {}) });
    res.end(reply.raw);
    return;
  }
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...(reply.headers ?? {}) });
  res.end(text);
}

function replyCode(reply: Reply): number | null {
  const b = reply.body as { code?: unknown } | undefined;
  return b && typeof b.code === 'number' ? b.code : null;
}

function finish(emu: Emulator, er: EmuRequest, reply: Reply, started: bigint, verdict: string | undefined, opts: ServeOptions, faulted: boolean): void {
  const e = record(emu, er, reply.status, replyCode(reply), started, verdict, faulted);
  opts.log?.(`${er.method} ${er.path} ${e.status} code=${e.code ?? '-'} ${e.identity ?? '-'}${e.app_id ? ' ' + e.app_id : ''} ${e.duration_ms}ms${verdict ? ' (' + verdict + ')' : ''}`);
}

function record(emu: Emulator, er: EmuRequest, status: number, code: number | null, started: bigint, verdict: string | undefined, faulted: boolean): JournalEntry {
  const entry: Omit<JournalEntry, 'seq'> = {
    time: new Date().toISOString(),
    method: er.method,
    path: er.path,
    query: queryObject(er.query),
    body: journalBody(er),
    identity: er.caller?.identity ?? null,
    app_id: er.caller?.app.app_id ?? null,
    open_id: er.caller?.user?.open_id ?? null,
    status,
    code,
    duration_ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
  };
  if (verdict) entry.verdict = verdict;
  if (faulted) entry.fault = true;
  if (typeof er.headers.range === 'string') entry.range = er.headers.range;
  // the admin API and the web page (/ and its assets under /_emulator/ui/) are not part of the platform's journal
  if (er.path.startsWith('/_emulator/') || (er.path === '/' && er.method === 'GET')) return { seq: 0, ...entry };
  return emu.record(entry);
}

/** Starts listening; the port in use is an error that names it. */
export function serve(emu: Emulator, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handle(emu, req, res, opts).catch((e: unknown) => {
      opts.log?.(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) {
        res.writeHead(500, JSON_HEADERS);
        res.end(JSON.stringify({ code: 500, msg: 'internal error' }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new Error(`port ${opts.port ?? 8787} on ${host} is already in use`));
      else if (e.code === 'EACCES') reject(new Error(`no permission to listen on ${host}:${opts.port ?? 8787}`));
      else reject(e);
    });
    server.listen(opts.port ?? 8787, host, () => {
      const port = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}`,
        port,
        host,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
