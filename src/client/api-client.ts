/**
 * The identity-aware API client: picks the user or tenant token, adds the CLI headers,
 * builds URLs, retries what is safe, intercepts security-policy answers and maps Lark envelopes
 * to typed errors.
 */
import type { Readable } from 'node:stream';
import type { Identity } from '../core/config.js';
import type { Account, Context } from '../core/context.js';
import { CliError, larkCodeError } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { isPlainObject, parseJson, stringify } from '../core/json.js';
import { checkSecurityPolicy } from '../http/security-policy.js';
import { encodePairs } from '../core/url.js';
import { cliHeaders } from '../http/headers.js';
import { Multipart } from '../http/multipart.js';
import { Progress } from './transfer-progress.js';
import type { HttpRequest, HttpResponse, StreamResponse } from '../http/transport.js';

export type QueryValue = string | number | boolean | Array<string | number | boolean>;
export type Query = Record<string, QueryValue | undefined> | Array<[string, string]>;

export interface ApiRequest {
  method: string;
  /** `/open-apis/...` path, already escaped. */
  path: string;
  query?: Query;
  /** JSON body (serialized compactly, keys sorted), raw bytes, a stream, or a Multipart form. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Override: retry even though it is a write (send/reply carry a uuid). */
  idempotent?: boolean;
  /** Per-request deadline in ms covering connection, headers and body (downloads use 120 s). */
  timeoutMs?: number;
  /** Cancels the request (downloads stop sibling chunks after a failure). */
  signal?: AbortSignal;
}

/** Query pairs from a record (lists repeat the key) or a list of pairs, Go-encoded. */
export function encodeQuery(q: Query | undefined): string {
  if (!q) return '';
  const pairs: Array<[string, string]> = Array.isArray(q)
    ? q
    : Object.entries(q).flatMap(([k, v]): Array<[string, string]> =>
        v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]],
      );
  return encodePairs(pairs);
}

export interface ClientOptions {
  /** `im:+chat-search`: adds the shortcut headers. */
  shortcut?: string;
}

/**
 * A version-4 UUID for the X-Cli-Execution-Id header, which only ties the requests of one run
 * together in the server's logs (it guards nothing): Math.random serves, so that a call with a
 * token from the environment (CI) loads no node:crypto (~2.5 ms of every such call).
 */
function executionUuid(): string {
  let hex = '';
  for (let i = 0; i < 16; i++) {
    let b = Math.floor(Math.random() * 256);
    if (i === 6) b = (b & 0x0f) | 0x40; // version 4
    if (i === 8) b = (b & 0x3f) | 0x80; // RFC 4122 variant
    hex += b.toString(16).padStart(2, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ApiClient {
  readonly executionId = executionUuid();
  readonly account: Account;

  constructor(
    readonly ctx: Context,
    readonly identity: Identity,
    private readonly opts: ClientOptions = {},
  ) {
    this.account = ctx.account();
  }

  get baseUrl(): string {
    return endpointsFor(this.account.brand).open;
  }

  async token(): Promise<string> {
    // loaded here, with the transport they use: a download over a direct connection needs neither
    if (this.identity === 'user') return (await import('../auth/user-token.js')).userAccessToken(this.ctx, this.account);
    return (await import('../auth/tenant-token.js')).tenantAccessToken(this.ctx, this.account);
  }

  private async prepare(req: ApiRequest): Promise<{ url: string; headers: Record<string, string>; body?: string | Buffer | Multipart | Readable }> {
    const token = await this.token();
    const qs = encodeQuery(req.query);
    const url = `${this.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      ...cliHeaders(),
    };
    if (this.opts.shortcut) {
      headers['X-Cli-Shortcut'] = this.opts.shortcut;
      headers['X-Cli-Execution-Id'] = this.executionId;
    }
    let body: string | Buffer | Multipart | Readable | undefined;
    if (req.body instanceof Multipart) body = req.body;
    else {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      if (req.body instanceof Uint8Array || typeof req.body === 'string') body = req.body as string | Buffer;
      else if (req.body !== undefined && typeof (req.body as Readable).pipe === 'function') body = req.body as Readable;
      else if (req.body !== undefined) body = stringify(req.body);
    }
    Object.assign(headers, req.headers ?? {});
    return { url, headers, body };
  }

  private isSafe(req: ApiRequest): boolean {
    const m = req.method.toUpperCase();
    return m === 'GET' || m === 'HEAD' || !!req.idempotent;
  }

  /** The URL and headers `req` would be sent with (the download fast path sends them itself). */
  async target(req: ApiRequest): Promise<{ url: string; headers: Record<string, string> }> {
    const p = await this.prepare(req);
    return { url: p.url, headers: p.headers };
  }

  /** The transport request for `req`: token, headers, URL, body and whether it may be retried. */
  private async httpRequest(req: ApiRequest): Promise<HttpRequest> {
    const p = await this.prepare(req);
    return {
      method: req.method.toUpperCase(),
      url: p.url,
      headers: p.headers,
      body: p.body,
      safe: this.isSafe(req),
      timeoutMs: req.timeoutMs,
      signal: req.signal,
    };
  }

  /**
   * Sends and buffers the response; security-policy answers become their own error. A multipart
   * body over 8 MiB shows the progress bar on a terminal while it is sent.
   */
  async raw(req: ApiRequest): Promise<HttpResponse> {
    const { send } = await import('../http/transport.js');
    const http = await this.httpRequest(req);
    const progress = http.body instanceof Multipart ? uploadProgress(this.ctx.io, http.body) : undefined;
    let res: HttpResponse;
    try {
      res = await send(this.ctx.io, http);
    } catch (e) {
      progress?.finish(false);
      throw e;
    }
    progress?.finish(true);
    checkSecurityPolicy(res);
    return res;
  }

  /** Sends and streams the response body (downloads). */
  async stream(req: ApiRequest): Promise<StreamResponse> {
    const { sendStream } = await import('../http/transport.js');
    return sendStream(this.ctx.io, await this.httpRequest(req));
  }

  /**
   * The JSON call: returns `data`, or throws a classified error whose `detail` is the response's `error` object.
   */
  async json<T = Record<string, unknown>>(req: ApiRequest): Promise<T> {
    return larkData<T>(await this.raw(req));
  }
}

/** Uploads larger than this show a progress bar (on a terminal). */
export const UPLOAD_PROGRESS_BYTES = 8 * 1024 * 1024;

function uploadProgress(io: Context['io'], body: Multipart): Progress | undefined {
  const total = body.length;
  if (total <= UPLOAD_PROGRESS_BYTES || !io.stderr.isTTY) return undefined;
  const progress = new Progress(io, total, true);
  body.progress = progress;
  return progress;
}

/** Interprets a Lark `{code,msg,data}` response (json-call rules). */
export function larkData<T>(res: HttpResponse): T {
  const text = res.body.toString('utf8');
  if (res.status >= 400) {
    let parsed: Record<string, unknown> | undefined;
    try {
      const v = parseJson(text);
      if (isPlainObject(v)) parsed = v;
    } catch {
      /* not JSON */
    }
    const msg = typeof parsed?.msg === 'string' ? parsed.msg : '';
    const code = typeof parsed?.code === 'number' ? parsed.code : 0;
    if (msg) return throwErr(larkCodeError(code || res.status, `HTTP ${res.status}: ${msg}`, errDetail(parsed)));
    throw larkCodeError(res.status, `HTTP ${res.status}`, errDetail(parsed));
  }
  if (text.trim() === '') throw new CliError('api_error', 'empty response body');
  let v: unknown;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new CliError('api_error', `unmarshal response: ${(e as Error).message}`);
  }
  if (!isPlainObject(v)) throw new CliError('api_error', 'unmarshal response: not a JSON object');
  const code = typeof v.code === 'number' ? v.code : Number(v.code ?? 0);
  if (code !== 0) throw larkCodeError(code, typeof v.msg === 'string' ? v.msg : '', errDetail(v));
  return (v.data ?? {}) as T;
}

function throwErr(e: CliError): never {
  throw e;
}

function errDetail(v: Record<string, unknown> | undefined): unknown {
  return v && isPlainObject(v.error) ? v.error : undefined;
}

