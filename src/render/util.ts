/**
 * Small pure helpers shared by the content renderers (docs/shortcuts-read.md): JSON object
 * parsing, escaping, mention-key substitution, Go-style quoting and rounding.
 */
import { isPlainObject, JsonNumber, parseJson } from '../core/json.js';

export type Obj = Record<string, unknown>;

/**
 * Go `json.Unmarshal` into a map: an object → the object, `null` → `{ ok, obj: null }`,
 * anything else (invalid JSON, arrays, strings, numbers) → not ok.
 */
export function parseObject(raw: string): { ok: true; obj: Obj | null } | { ok: false } {
  let v: unknown;
  try {
    v = parseJson(raw);
  } catch {
    return { ok: false };
  }
  if (v === null) return { ok: true, obj: null };
  return isPlainObject(v) ? { ok: true, obj: v } : { ok: false };
}

export const invalidJson = (kind: string) => (kind ? `[Invalid ${kind} JSON]` : '[Invalid JSON content]');

/** A string field (`''` when missing or not a string). */
export function str(o: unknown, key: string): string {
  if (!isPlainObject(o)) return '';
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

export function obj(o: unknown, key: string): Obj | undefined {
  if (!isPlainObject(o)) return undefined;
  const v = o[key];
  return isPlainObject(v) ? v : undefined;
}

export function arr(o: unknown, key: string): unknown[] | undefined {
  if (!isPlainObject(o)) return undefined;
  const v = o[key];
  return Array.isArray(v) ? v : undefined;
}

/** A JSON number field as a JS number (JsonNumber included), else undefined. */
export function num(o: unknown, key: string): number | undefined {
  if (!isPlainObject(o)) return undefined;
  const v = o[key];
  if (typeof v === 'number') return v;
  if (v instanceof JsonNumber) return Number(v.text);
  return undefined;
}

/** `&`, `<`, `>` → entities (element bodies). */
export function xmlEsc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Double-quoted attribute escaping: `\` and `"` backslashed; newline, CR, tab as `\n`, `\r`, `\t`. */
export function attrEsc(s: string): string {
  return s.replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : '\\' + c));
}

/** Markdown link text: `[` and `]` backslashed. */
export function escLink(s: string): string {
  return s.replace(/\[/g, '\\[').replace(/\]/g, '\\]');
}

/** `mention.key → mention.name` (entries with an empty key or name skipped). */
export function mentionKeyMap(mentions: unknown[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of mentions ?? []) {
    const key = str(raw, 'key');
    const name = str(raw, 'name');
    if (key && name) m.set(key, name);
  }
  return m;
}

/** Replaces every mention key with `@<name>`; longer keys first so `@_user_10` beats `@_user_1`. */
export function resolveMentionKeys(text: string, map: Map<string, string>): string {
  const keys = [...map.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  let out = text;
  for (const k of keys) out = out.split(k).join('@' + map.get(k)!);
  return out;
}

/** Go `%.0f` of `ms / 1000` (round half to even) + `s`. */
export function durationText(ms: number): string {
  const x = ms / 1000;
  const f = Math.floor(x);
  const diff = x - f;
  let r: number;
  if (diff > 0.5) r = f + 1;
  else if (diff < 0.5) r = f;
  else r = f % 2 === 0 ? f : f + 1;
  return `${r === 0 ? 0 : r}s`;
}

// made on first use: a Unicode property class costs ~0.5 ms to build, and `im --help` loads this file
let printable: RegExp | undefined;

/** Go `%q` / strconv.Quote: backslash escapes, printable Unicode kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if ((printable ??= new RegExp('[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S} ]', 'u')).test(ch)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}
