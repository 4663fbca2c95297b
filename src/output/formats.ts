/**
 * `--format table|csv|ndjson` rendering.
 *
 * The table layout is written by hand rather than with cli-table3: the spec wants
 * its own width table (a fixed list of CJK/emoji ranges), cells cut to the widest
 * prefix that fits followed by `…` (one column over the width), a 100-column cap,
 * a `─` line under the header only, and every cell padded including the last one;
 * cli-table3 measures with string-width, keeps `…` inside the width and has no
 * header-only separator.
 */

import { JsonNumber, byteOrder, goFormatFloat, isPlainObject, toCompactJson, toJsonLines, toPrettyJson } from '../core/json.js';
import { sanitizeTerminal } from './sanitize.js';
import { findListField } from './list-field.js';

export { findListField, KNOWN_LIST_FIELDS } from './list-field.js';
import { displayWidth, padToWidth, truncateToWidth } from './width.js';

export const MAX_COLUMN_WIDTH = 100;
const MAX_FLATTEN_DEPTH = 3;

/**
 * Finds the list in a value: the value itself if it is an array,
 * else the list field of `value.data` (when `data` is an object), else the list
 * field of `value`. `null` is not an array.
 */
export function findList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isPlainObject(value)) return undefined;
  const data = value['data'];
  if (isPlainObject(data)) {
    const f = findListField(data);
    if (f !== undefined) return data[f] as unknown[];
  }
  const f = findListField(value);
  return f !== undefined ? (value[f] as unknown[]) : undefined;
}

/** The items of an API response: `data[F]`, else `response[F]`. */
export function findResponseItems(response: unknown): unknown[] | undefined {
  if (!isPlainObject(response)) return undefined;
  return findList(response);
}

// ---------------------------------------------------------------------------
// Flattening

/** Integers without decimals (int64 range, as Go's int conversion), other numbers in `%g` form. */
function numberCell(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) {
    return Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v === 0 ? 0 : v) : BigInt(v).toString();
  }
  return goFormatFloat(v);
}

/** Cell text of one (non-flattened) value, before sanitization. */
function rawCellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberCell(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof JsonNumber) return v.text;
  return toCompactJson(v);
}

/** Cell text of a value: the flattening rules, sanitized for the terminal. */
export function cellText(v: unknown): string {
  return sanitizeTerminal(rawCellText(v));
}

function flattenInto(out: Map<string, string>, obj: Record<string, unknown>, prefix: string, depth: number): void {
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(byteOrder);
  for (const k of keys) {
    const v = obj[k];
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v) && depth + 1 < MAX_FLATTEN_DEPTH) {
      flattenInto(out, v, key, depth + 1);
    } else {
      out.set(key, cellText(v));
    }
  }
}

/**
 * Flattens one list element into `dotted.key → cell text` (keys sorted at each
 * level, objects recursed up to 3 levels, deeper objects and arrays as compact
 * JSON). A non-object element becomes a single `value` column.
 */
export function flattenRow(el: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (isPlainObject(el)) flattenInto(out, el, '', 0);
  else out.set('value', cellText(el));
  return out;
}

/** Union of row keys in first-appearance order. */
export function columnsOf(rows: Map<string, string>[]): string[] {
  const seen = new Set<string>();
  const cols: string[] = [];
  for (const row of rows) {
    for (const k of row.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
    }
  }
  return cols;
}

// ---------------------------------------------------------------------------
// Table

export interface RenderRowsOptions {
  /** Print the header and separator lines (default true; false for later pages of a stream). */
  header?: boolean;
}

/**
 * Table lines for already flattened rows. Column width = max(header, cells) capped
 * at 100; cells wider than their column are cut with `…`; two spaces between
 * columns; every cell padded, the last one included.
 */
export function renderRows(rows: Map<string, string>[], columns: string[], opts: RenderRowsOptions = {}): string {
  if (columns.length === 0) return '';
  const headers = columns.map((c) => sanitizeTerminal(c));
  const widths = headers.map((h) => displayWidth(h));
  for (const row of rows) {
    columns.forEach((c, i) => {
      const w = displayWidth(row.get(c) ?? '');
      if (w > widths[i]!) widths[i] = w;
    });
  }
  for (let i = 0; i < widths.length; i++) if (widths[i]! > MAX_COLUMN_WIDTH) widths[i] = MAX_COLUMN_WIDTH;

  let out = '';
  if (opts.header !== false) {
    out += headers.map((h, i) => padToWidth(h, widths[i]!)).join('  ') + '\n';
    out += widths.map((w) => '─'.repeat(w)).join('  ') + '\n';
  }
  for (const row of rows) {
    out += columns.map((c, i) => padToWidth(truncateToWidth(row.get(c) ?? '', widths[i]!), widths[i]!)).join('  ') + '\n';
  }
  return out;
}

/** Key/value lines of one object: key padded to the longest key, two spaces, value cut at 100. */
export function renderKeyValue(obj: Record<string, unknown>): string {
  const row = flattenRow(obj);
  if (row.size === 0) return toPrettyJson(obj);
  const keys = [...row.keys()];
  const shown = keys.map((k) => sanitizeTerminal(k));
  const keyWidth = Math.max(...shown.map((k) => displayWidth(k)));
  let out = '';
  keys.forEach((k, i) => {
    out += padToWidth(shown[i]!, keyWidth) + '  ' + truncateToWidth(row.get(k) ?? '', MAX_COLUMN_WIDTH) + '\n';
  });
  return out;
}

export interface RenderTableOptions {
  /** Text for an empty list (default `(empty)`; pretty renderers use `(no data)`). */
  emptyText?: string;
  /** Fixed column set (paginated streaming: the columns of the first page). */
  columns?: string[];
  /** Print header and separator (default true). */
  header?: boolean;
}

/**
 * `--format table`: the list found in `value` → table; empty list → `(empty)`;
 * no list but a plain object → key/value lines; anything else → indented JSON.
 */
export function renderTable(value: unknown, opts: RenderTableOptions = {}): string {
  const list = findList(value);
  if (list) {
    const header = opts.header !== false;
    if (list.length === 0) return header ? (opts.emptyText ?? '(empty)') + '\n' : '';
    const rows = list.map(flattenRow);
    const columns = opts.columns ?? columnsOf(rows);
    if (columns.length === 0) return header ? (opts.emptyText ?? '(empty)') + '\n' : '';
    return renderRows(rows, columns, { header });
  }
  if (isPlainObject(value)) return renderKeyValue(value);
  return toPrettyJson(value === undefined ? null : value);
}

// ---------------------------------------------------------------------------
// CSV

/** Go unicode.IsSpace. */
function isSpaceCodePoint(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** One CSV field (Go encoding/csv rules). */
export function csvField(field: string): string {
  if (field === '') return '';
  const needsQuotes =
    field === '\\.' || /[",\r\n]/.test(field) || isSpaceCodePoint(field.codePointAt(0)!);
  return needsQuotes ? '"' + field.replace(/"/g, '""') + '"' : field;
}

export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

export interface RenderCsvOptions {
  /** Fixed column set (paginated streaming). */
  columns?: string[];
  /** Print the header row (default true). */
  header?: boolean;
}

/**
 * `--format csv`: the list found in `value` → header + rows; empty list → `(empty)`;
 * a single object → `key,value` header and one row per flattened key; anything else → indented JSON.
 */
export function renderCsv(value: unknown, opts: RenderCsvOptions = {}): string {
  const header = opts.header !== false;
  const list = findList(value);
  if (list) {
    if (list.length === 0) return header ? '(empty)\n' : '';
    const rows = list.map(flattenRow);
    const columns = opts.columns ?? columnsOf(rows);
    if (columns.length === 0) return header ? '(empty)\n' : '';
    let out = header ? csvLine(columns) : '';
    for (const row of rows) out += csvLine(columns.map((c) => row.get(c) ?? ''));
    return out;
  }
  if (isPlainObject(value)) {
    const row = flattenRow(value);
    if (row.size === 0) return toPrettyJson(value);
    let out = header ? csvLine(['key', 'value']) : '';
    for (const [k, v] of row) out += csvLine([k, v]);
    return out;
  }
  return toPrettyJson(value === undefined ? null : value);
}

// ---------------------------------------------------------------------------
// NDJSON

/** `--format ndjson`: one compact line per list element; empty list → ''; no list → the whole value. */
export function renderNdjson(value: unknown): string {
  const list = findList(value);
  if (list) return toJsonLines(list);
  return toCompactJson(value === undefined ? null : value) + '\n';
}
