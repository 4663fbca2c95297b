/**
 * What `api` and `im <resource> <method>` share: --params/--data inputs, query building, --file uploads, the dry-run print, the call with --page-all, and the
 * printing of the raw response.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import type { Context } from '../core/context.js';
import type { Identity } from '../core/config.js';
import { CliError } from '../core/errors.js';
import { goValueText, isPlainObject, JsonNumber, ordered, parseJson, stringify, toPrettyJson } from '../core/json.js';
import { resolveJsonInput } from '../core/inputs.js';
import { checkLocalPath } from '../core/safe-path.js';
import { goQueryEscape } from '../core/url.js';
import type { Multipart } from '../http/multipart.js';

export interface RawFlags {
  params?: string;
  data?: string;
  as?: string;
  output?: string;
  pageAll?: boolean;
  pageLimit: number;
  pageDelay: number;
  format?: string;
  jq?: string;
  dryRun?: boolean;
  file?: string;
  /** --yes was given (generic methods that are high-risk writes). */
  yes?: boolean;
}

export interface FileSpec {
  field: string;
  /** `-` = stdin. */
  path: string;
}

export interface RawPlan {
  method: string;
  path: string;
  /** Query parameters as the user gave them (values formatted at send time). */
  params: Record<string, unknown>;
  body?: unknown;
  hasBody: boolean;
  file?: FileSpec;
}

/** The flags shared by both commands, checked before request building. */
export async function checkOutputFlags(f: RawFlags): Promise<void> {
  if (f.pageAll && f.output) throw new CliError('validation', '--output and --page-all are mutually exclusive');
  if (f.jq) {
    if (f.output) throw new CliError('validation', '--jq and --output are mutually exclusive');
    if (f.format && f.format !== 'json') throw new CliError('validation', `--jq and --format ${f.format} are mutually exclusive`);
    const { validateJq } = await import('../output/jq.js');
    await validateJq(f.jq);
  }
}

/** `[field=]path` of --file, with its conflicts. */
export function parseFileFlag(f: RawFlags, method: string, defaultField: string): FileSpec | undefined {
  if (f.file === undefined) return undefined;
  const eq = f.file.indexOf('=');
  const spec = eq > 0 ? { field: f.file.slice(0, eq), path: f.file.slice(eq + 1) } : { field: defaultField, path: f.file };
  if (spec.path === '') throw new CliError('validation', '--file: empty file path');
  if (f.output) throw new CliError('validation', '--file and --output are mutually exclusive');
  if (f.pageAll) throw new CliError('validation', '--file and --page-all are mutually exclusive');
  if (spec.path === '-' && f.data === '-') throw new CliError('validation', '--file and --data cannot both read from stdin');
  if (spec.path === '-' && f.params === '-') throw new CliError('validation', '--file and --params cannot both read from stdin');
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw new CliError('validation', '--file requires POST, PUT, PATCH, or DELETE method');
  return spec;
}

/** Reads --params (a JSON object) and --data (any JSON value). */
export async function readParamsAndData(ctx: Context, f: RawFlags, bodyAllowed: boolean): Promise<{ params: Record<string, unknown>; body?: unknown; hasBody: boolean }> {
  if (f.params === '-' && f.data === '-') throw new CliError('validation', '--params and --data cannot both read from stdin (-)');
  const paramsText = await resolveJsonInput(ctx.io, 'params', f.params);
  let params: Record<string, unknown> = {};
  if (paramsText !== '') {
    let v: unknown;
    try {
      v = parseJson(paramsText);
    } catch {
      throw new CliError('validation', '--params invalid format, expected JSON object');
    }
    // JSON null reads as no parameters, as Go's decoding into a map does
    if (v !== null && !isPlainObject(v)) throw new CliError('validation', '--params invalid format, expected JSON object');
    params = v ?? {};
  }
  const dataText = await resolveJsonInput(ctx.io, 'data', f.data);
  let body: unknown;
  let hasBody = false;
  if (dataText !== '') {
    try {
      body = parseJson(dataText);
    } catch {
      throw new CliError('validation', '--data invalid JSON format');
    }
    hasBody = bodyAllowed;
    if (!bodyAllowed) body = undefined;
  }
  return { params, body, hasBody };
}

/** Query pairs with Go `%v` values; arrays repeat the key, empty arrays vanish. */
export function queryPairs(params: Record<string, unknown>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) pairs.push([k, goValueText(x)]);
    else pairs.push([k, goValueText(v)]);
  }
  return pairs;
}

/** Multipart text field: numbers in plain decimal, others `%v`. */
function formFieldText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (v instanceof JsonNumber) return v.text;
  return goValueText(v);
}

/** Builds the multipart body of an upload (the file must stay inside the working directory). */
export async function buildUploadForm(ctx: Context, plan: RawPlan): Promise<Multipart> {
  const file = plan.file!;
  let bytes: Buffer | { path: string; size: number };
  if (file.path === '-') {
    try {
      bytes = await ctx.io.readStdin();
    } catch {
      throw new CliError('validation', '--file: stdin is not available');
    }
    if (bytes.length === 0) throw new CliError('validation', '--file: stdin is empty');
  } else {
    const checked = checkLocalPath(file.path, ctx.io.cwd, '--file');
    if ('problem' in checked) throw new CliError('validation', `cannot open file: ${file.path}`);
    try {
      // streamed from disk when sent (src/http/multipart.ts); opened here so an unreadable file fails first
      const st = statSync(checked.path);
      if (st.isDirectory()) throw new Error('is a directory');
      closeSync(openSync(checked.path, 'r'));
      bytes = { path: checked.path, size: st.size };
    } catch {
      throw new CliError('validation', `cannot open file: ${file.path}`);
    }
  }
  const { Multipart } = await import('../http/multipart.js');
  const form = new Multipart();
  if (plan.body !== undefined) {
    if (!isPlainObject(plan.body)) throw new CliError('validation', '--data must be a JSON object when used with --file');
    for (const [k, v] of Object.entries(plan.body)) form.field(k, formFieldText(v));
  }
  form.file(file.field, bytes, 'unknown-file');
  return form;
}

/** The generic dry-run: header and payload on stdout. */
export function printGenericDryRun(ctx: Context, identity: string, plan: RawPlan, format: string | undefined): void {
  const account = ctx.account();
  const io = ctx.io;
  io.stdout.write('=== Dry Run ===\n');
  let body: unknown = plan.hasBody ? plan.body : undefined;
  if (plan.file) {
    const b: Record<string, unknown> = { file: { field: plan.file.field, path: plan.file.path === '-' ? '<stdin>' : plan.file.path } };
    if (plan.body !== undefined) b.form_fields = plan.body;
    b.options = ['WithFileUpload'];
    body = b;
  }
  const hasParams = Object.keys(plan.params).length > 0;
  if (format === 'pretty') {
    const qs = Object.keys(plan.params).sort().map((k) => `${goQueryEscape(k)}=${goQueryEscape(goValueText(plan.params[k]))}`).join('&');
    io.stdout.write(`${plan.method} ${plan.path}${hasParams ? `?${qs}` : ''}\n`);
    if (body !== undefined) io.stdout.write(`  ${stringify(body)}\n`);
    return;
  }
  const call = ordered<Record<string, unknown>>({ method: plan.method, url: plan.path });
  if (hasParams) call.params = plan.params;
  if (body !== undefined) call.body = body;
  const doc: Record<string, unknown> = { api: [call], appId: account.appId, as: identity };
  if (account.user?.userOpenId) doc.userOpenId = account.user.userOpenId;
  io.stdout.write(toPrettyJson(doc));
}

export interface ExecuteOptions {
  /** Maps a parsed body with code ≠ 0 to the command's error (undefined = fine). */
  businessError(response: Record<string, unknown>): CliError | undefined;
  /** `api` prints the merged result before a final business error. */
  printBeforeBusinessError: boolean;
}

/** Token and transport failures of generic commands read `API call failed: …`. */
function wrapCallError(e: unknown): unknown {
  if (e instanceof CliError && (e.type === 'network' || e.type === 'auth') && !e.message.startsWith('API call failed')) {
    e.message = `API call failed: ${e.message}`;
  }
  return e;
}

/** Sends the request (all pages with --page-all) and prints the result. */
export async function executeRaw(ctx: Context, identity: Identity, plan: RawPlan, f: RawFlags, opts: ExecuteOptions): Promise<void> {
  const { ApiClient } = await import('../client/api-client.js');
  const out = await import('../output/api-response.js');
  const client = new ApiClient(ctx, identity);
  const body = plan.file ? await buildUploadForm(ctx, plan) : plan.hasBody ? plan.body : undefined;
  const send = async (token?: string) => {
    const pairs = queryPairs(plan.params);
    if (token) {
      const i = pairs.findIndex(([k]) => k === 'page_token');
      if (i >= 0) pairs.splice(i, 1);
      pairs.push(['page_token', token]);
    }
    try {
      return await client.raw({ method: plan.method, path: plan.path, query: pairs, body });
    } catch (e) {
      throw wrapCallError(e);
    }
  };
  const format = out.normalizeApiFormat(ctx.io, f.format);
  if (!f.pageAll) {
    const res = await send();
    await out.printApiResponse(ctx.io, res, { format, jq: f.jq, output: f.output }, opts.businessError);
    return;
  }
  const parsePage = async (token?: string) => {
    const res = await send(token);
    const ct = (res.headers['content-type'] || '').toLowerCase();
    if (res.status >= 400 && ct !== '' && !out.isJsonContentType(ct)) throw out.httpStatusError(res);
    return out.parseResponseBody(res);
  };
  const { paginate, responseCode } = await import('../client/pagination.js');
  const pageOpts = { limit: f.pageLimit, delayMs: f.pageDelay };
  // what each format keeps of a walk: docs/generic-commands.md (Pagination)
  if (format !== 'json' && !f.jq) {
    // ndjson / table / csv: each kept page printed as it arrives, nothing kept but the last result
    const streamer = new out.PageStreamer(ctx.io, format as 'ndjson' | 'table' | 'csv');
    const walk = await paginate(ctx.io, pageOpts, parsePage, (r, _i, kept) => (kept ? streamer.page(r) : undefined));
    const last = walk.last;
    // the summary comes first, then the business check of the last page
    streamer.summary(walk.count);
    if (responseCode(last) !== 0 && isPlainObject(last)) {
      const err = opts.businessError(last);
      if (err) {
        if (opts.printBeforeBusinessError) ctx.io.stdout.write(toPrettyJson(last));
        throw err;
      }
    }
    streamer.finish(last);
    return;
  }
  if (f.jq) {
    // jq reads the whole merged value: every page is kept
    const results: unknown[] = [];
    await paginate(ctx.io, pageOpts, parsePage, (r) => void results.push(r));
    const merged = out.mergePages(ctx.io, results);
    if (isPlainObject(merged)) {
      const err = opts.businessError(merged);
      if (err) {
        if (opts.printBeforeBusinessError) ctx.io.stdout.write(toPrettyJson(merged));
        throw err;
      }
    }
    await out.printJq(ctx.io, f.jq, merged);
    return;
  }
  // json: the merged document streamed; page 1 is held until a second result arrives, since a
  // walk of one result prints that result unchanged (and is the only one a business error can end)
  const { JsonPageStream } = await import('../output/page-stream.js');
  const doc = new JsonPageStream(ctx.io);
  const walk = await paginate(ctx.io, pageOpts, parsePage, (r) => doc.result(r));
  if (walk.count > 1) {
    // page 1 was kept (code 0), so the merged document carries no business error
    await doc.finish(walk.count);
    return;
  }
  const only = walk.last;
  if (isPlainObject(only)) {
    const err = opts.businessError(only);
    if (err) {
      if (opts.printBeforeBusinessError) ctx.io.stdout.write(toPrettyJson(only));
      throw err;
    }
  }
  ctx.io.stdout.write(toPrettyJson(only));
}
