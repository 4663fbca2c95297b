/**
 * Printing raw API responses for `api` and `im <resource> <method>`: formats, --jq, --output,
 * binary responses, merged and streamed pages.
 */
import path from 'node:path';
import type { Io } from '../core/io.js';
import { CliError } from '../core/errors.js';
import { isPlainObject, parseJson, toCompactJson, toPrettyJson } from '../core/json.js';
import { checkLocalPath } from '../core/safe-path.js';
import { ensurePrivateDir, writeFileAtomic } from '../core/fsutil.js';
import { guessExtension } from '../core/file-ext.js';
import { findListField } from './list-field.js';
import { writeOut } from './page-stream.js';

export type ApiFormat = 'json' | 'ndjson' | 'table' | 'csv';

export const EMPTY_BODY_HINT =
  'The endpoint may have returned an empty or non-standard JSON body. If it returns a file, rerun with --output.';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Normalises --format: unknown values warn and fall back to json. */
export function normalizeApiFormat(io: Io, format: string | undefined): ApiFormat {
  const f = (format ?? 'json').toLowerCase();
  if (f === '' || f === 'json') return 'json';
  if (f === 'ndjson' || f === 'table' || f === 'csv') return f;
  io.stderr.write(`warning: unknown format "${format}", falling back to json\n`);
  return 'json';
}

export function isJsonContentType(ct: string): boolean {
  return ct === '' || ct.includes('application/json') || ct.includes('text/json');
}

/** Parses a JSON response body (empty and malformed bodies are api_error with the hint). */
export function parseResponseBody(res: HttpResult): unknown {
  const text = res.body.toString('utf8');
  if (text.trim() === '') throw new CliError('api_error', 'API returned an empty JSON response body', { hint: EMPTY_BODY_HINT });
  try {
    return parseJson(text);
  } catch (e) {
    throw new CliError('api_error', `API returned an invalid JSON response: ${(e as Error).message}`, { hint: EMPTY_BODY_HINT });
  }
}

/** HTTP error status with a non-JSON body. */
export function httpStatusError(res: HttpResult): CliError {
  let body = res.body.toString('utf8').trim();
  if (body.length > 500) body = body.slice(0, 500) + '...';
  return new CliError('http_error', `HTTP ${res.status}: ${body}`);
}

/** Saves bytes under the working directory, atomically, 0600; prints the metadata. */
export function saveOutput(io: Io, rawPath: string, body: Buffer, contentType: string, label = '--output'): void {
  const checked = checkLocalPath(rawPath, io.cwd, label);
  if ('problem' in checked) throw new CliError('file_error', `unsafe output path: ${checked.problem}`);
  const target = checked.path;
  try {
    ensurePrivateDir(path.dirname(target));
  } catch (e) {
    throw new CliError('file_error', `create directory: ${(e as Error).message}`);
  }
  try {
    writeFileAtomic(target, body);
  } catch (e) {
    throw new CliError('file_error', `cannot write file: ${(e as Error).message}`);
  }
  io.stdout.write(toPrettyJson({ content_type: contentType, saved_path: target, size_bytes: body.length }));
}

/** File name for an unrequested binary body: Content-Disposition, else download<ext>. */
export function binaryFileName(headers: Record<string, string>): string {
  const cd = headers['content-disposition'] || '';
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(cd);
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
  let name = star ? decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, '')) : plain ? plain[1]!.trim() : '';
  name = path.basename(name);
  if (name && name !== '.' && name !== '..') return name;
  return `download${guessExtension(headers['content-type'])}`;
}

export interface PrintOptions {
  format: ApiFormat;
  jq?: string;
  output?: string;
}

async function printFormatted(io: Io, response: unknown, format: ApiFormat): Promise<void> {
  if (format === 'json') {
    io.stdout.write(toPrettyJson(response));
    return;
  }
  const f = await import('./formats.js');
  const items = f.findResponseItems(response);
  if (format === 'ndjson') {
    io.stdout.write(items ? f.renderNdjson(items) : toCompactJson(response) + '\n');
  } else if (format === 'table') {
    io.stdout.write(f.renderTable(items ?? response));
  } else {
    io.stdout.write(f.renderCsv(items ?? response));
  }
}

async function printJq(io: Io, expr: string, value: unknown): Promise<void> {
  const { runJq } = await import('./jq.js');
  try {
    io.stdout.write(await runJq(expr, value));
  } catch (e) {
    const partial = (e as { partialOutput?: string }).partialOutput;
    if (partial) io.stdout.write(partial);
    throw e;
  }
}

/**
 * Handles a single (non-paginated) response. `businessError` maps a parsed body with code ≠ 0
 * to the command's error.
 */
export async function printApiResponse(
  io: Io,
  res: HttpResult,
  opts: PrintOptions,
  businessError: (response: Record<string, unknown>) => CliError | undefined,
): Promise<void> {
  const ct = (res.headers['content-type'] || '').toLowerCase();
  if (res.status >= 400 && ct !== '' && !isJsonContentType(ct)) throw httpStatusError(res);
  if (isJsonContentType(ct)) {
    const response = parseResponseBody(res);
    if (isPlainObject(response)) {
      const err = businessError(response);
      if (err) throw err;
    }
    if (opts.output) return saveOutput(io, opts.output, res.body, res.headers['content-type'] || '');
    if (opts.jq) return printJq(io, opts.jq, response);
    return printFormatted(io, response, opts.format);
  }
  if (opts.jq) throw new CliError('validation', `--jq requires a JSON response (got Content-Type: ${res.headers['content-type']})`);
  if (opts.output) return saveOutput(io, opts.output, res.body, res.headers['content-type'] || '');
  io.stderr.write(`binary response detected (Content-Type: ${res.headers['content-type']}), saved to file\n`);
  saveOutput(io, binaryFileName(res.headers), res.body, res.headers['content-type'] || '');
}

/** The merged result of several pages (json). */
export function mergePages(io: Io, results: unknown[]): unknown {
  if (results.length <= 1) return results[0];
  const first = results[0];
  if (!isPlainObject(first) || !isPlainObject(first.data)) return { pages: results };
  const field = findListField(first.data);
  if (!field) return { pages: results };
  const merged: unknown[] = [];
  for (const r of results) {
    if (isPlainObject(r) && isPlainObject(r.data) && Array.isArray(r.data[field])) merged.push(...(r.data[field] as unknown[]));
  }
  const data: Record<string, unknown> = { ...first.data, [field]: merged, has_more: false };
  delete data.page_token;
  delete data.next_page_token;
  io.stderr.write(`[pagination] merged ${results.length} pages, ${merged.length} total items\n`);
  return { ...first, data };
}

/** Streams pages in ndjson/table/csv as they arrive (each page is printed, then let go). */
export class PageStreamer {
  private columns?: string[];
  private pages = 0;
  private items = 0;
  private anyList = false;
  private summarized = false;
  constructor(
    private readonly io: Io,
    private readonly format: Exclude<ApiFormat, 'json'>,
  ) {}

  async page(response: unknown): Promise<void> {
    const f = await import('./formats.js');
    this.pages++;
    const data = isPlainObject(response) && isPlainObject(response.data) ? response.data : undefined;
    const field = data ? findListField(data) : undefined;
    if (!data || !field) return;
    this.anyList = true;
    const items = data[field] as unknown[];
    this.items += items.length;
    if (this.format === 'ndjson') {
      await writeOut(this.io, f.renderNdjson(items));
      return;
    }
    const rows = items.map((el) => f.flattenRow(el));
    const first = this.columns === undefined;
    this.columns ??= f.columnsOf(rows);
    if (rows.length === 0) return;
    if (this.format === 'table') {
      const text = f.renderRows(rows, this.columns);
      await writeOut(this.io, first ? text : text.split('\n').slice(2).join('\n'));
    } else {
      await writeOut(this.io, f.renderCsv(items, { columns: this.columns, header: first }));
    }
  }

  /**
   * After the loop, before the business check of the last result: the summary line when some
   * page had a list (`pages` counts every result kept, an error page included).
   */
  summary(pages = this.pages): void {
    if (this.summarized) return;
    this.summarized = true;
    if (this.anyList) this.io.stderr.write(`[pagination] streamed ${pages} pages, ${this.items} total items\n`);
  }

  /** After the loop: summary line, or the json fallback when no page had a list. */
  finish(last: unknown): void {
    if (this.anyList) {
      this.summary();
    } else {
      this.io.stderr.write(`warning: this API does not return a list, format "${this.format}" is not supported, falling back to json\n`);
      this.io.stdout.write(toPrettyJson(last));
    }
  }
}

export { printJq };
