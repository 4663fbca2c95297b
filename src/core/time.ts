/**
 * Time parsing and display for shortcuts (docs/shortcuts-read.md).
 * Local time is the process time zone (TZ); tests pin it. Pure functions, no I/O.
 */
import { CliError } from './errors.js';
import { goValueText } from './json.js';

const TIME_HELP = '(supported: ISO 8601 e.g. 2026-01-01 / 2026-01-01T15:04:05+08:00, Unix timestamp)';

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function validFields(f: Fields): boolean {
  return f.mo >= 1 && f.mo <= 12 && f.d >= 1 && f.d <= daysIn(f.y, f.mo) && f.h <= 23 && f.mi <= 59 && f.s <= 59;
}

function fieldsOf(m: RegExpExecArray): Fields {
  return { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0) };
}

function localSeconds(f: Fields): number {
  const dt = new Date(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  dt.setFullYear(f.y); // years 0-99
  return Math.floor(dt.getTime() / 1000);
}

/** Go `fmt.Sprintf("%q")` of a parse input (printable text kept, `"` and `\` escaped). */
function quoted(s: string): string {
  return JSON.stringify(s);
}

/**
 * ParseTime (docs/shortcuts-read.md): RFC 3339 with offset (seconds optional), local date-time
 * without offset, date only (start of day, or 23:59:59 with `end`), or a canonical positive
 * Unix-seconds integer. Returns Unix seconds as a decimal string; throws a plain Error with the
 * original message otherwise (callers prefix `--start: ` / `--end: `).
 */
export function parseTime(input: string, end = false): string {
  const v = input.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  if (m) {
    const f = fieldsOf(m);
    const tz = m[7]!;
    let offset = 0;
    let ok = true;
    if (tz !== 'Z') {
      const oh = +tz.slice(1, 3);
      const om = +tz.slice(4, 6);
      ok = oh <= 23 && om <= 59;
      offset = (tz[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    if (ok && validFields(f)) {
      const dt = new Date(Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s));
      dt.setUTCFullYear(f.y);
      return String(Math.floor(dt.getTime() / 1000) - offset);
    }
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(v);
  if (m) {
    const f = fieldsOf(m);
    if (validFields(f)) return String(localSeconds(f));
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) {
    const f = fieldsOf(m);
    if (end) Object.assign(f, { h: 23, mi: 59, s: 59 });
    if (validFields(f)) return String(localSeconds(f));
  }
  if (/^[1-9]\d*$/.test(v) && BigInt(v) <= 2n ** 63n - 1n) return v;
  throw new Error(`cannot parse time ${quoted(v)} ${TIME_HELP}`);
}

/** parseTime for a flag: failures become `--<flag>: <message>` validation errors. */
export function parseTimeFlag(flag: string, input: string, end = false): string {
  try {
    return parseTime(input, end);
  } catch (e) {
    throw new CliError('validation', `--${flag}: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------
// Display

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function localDate(d: Date): string {
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Go `fmt.Sscanf(s, "%d", &n)`: the leading (optionally signed) integer, 0 when none. */
export function leadingInt(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * FormatTime: leading integer of the value (`%v` text); 0 / unparseable → the text
 * unchanged (`''` for null/absent); above 10^12 → milliseconds; local `YYYY-MM-DD HH:MM`.
 */
export function formatTime(ts: unknown): string {
  if (ts === null || ts === undefined) return '';
  const s = goValueText(ts);
  if (s === '') return '';
  let n = leadingInt(s);
  if (n === 0) return s;
  if (n > 1e12) n = Math.trunc(n / 1000);
  const d = new Date(n * 1000);
  return `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local `YYYY-MM-DD HH:MM:SS` of Unix seconds. */
export function formatLocalSeconds(sec: number): string {
  const d = new Date(sec * 1000);
  return `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * `ts(x)` of content rendering: the whole string must be an integer; 0 / unparseable →
 * `''`; 13+ digits → milliseconds; local `YYYY-MM-DD HH:MM:SS`.
 */
export function formatTimestampSeconds(ts: string): string {
  if (!/^[+-]?\d+$/.test(ts)) return '';
  let n = Number(ts);
  if (n === 0 || !Number.isSafeInteger(n)) return '';
  if (ts.replace(/^[+-]+/, '').length >= 13) n = Math.trunc(n / 1000);
  return formatLocalSeconds(n);
}

function offsetText(minutesEast: number): string {
  if (minutesEast === 0) return 'Z';
  const sign = minutesEast < 0 ? '-' : '+';
  const a = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Local RFC 3339 with offset (`Z` when the offset is zero) of epoch milliseconds. */
export function formatRfc3339Local(ms: number): string {
  const d = new Date(ms);
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${offsetText(-d.getTimezoneOffset())}`;
}

/** UTC RFC 3339 (`…Z`) of epoch milliseconds (card date pickers and local_datetime). */
export function formatRfc3339Utc(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}
