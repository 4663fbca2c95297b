/**
 * JSON with the rules the original CLI shows its users:
 * - parse keeps numbers that a double cannot hold exactly as their source text (JsonNumber);
 * - stringify sorts object keys (Go map order) unless the object was marked with `ordered()`;
 * - 2-space indent, `{}`/`[]` for empty containers, Go's escaping of control characters
 *   and U+2028/U+2029; `<`, `>`, `&` stay raw except with `htmlEscape` (message content only).
 */

/** A number kept as written by the server because a double would change it. */
export class JsonNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): number {
    return Number(this.text);
  }
}

const FIXED_ORDER = new WeakSet<object>();

/** Marks an object whose keys print in insertion order (Go structs: envelopes, dry-run calls). */
export function ordered<T extends object>(obj: T): T {
  FIXED_ORDER.add(obj);
  return obj;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export class JsonSyntaxError extends Error {}

/**
 * A number token as it can follow `:`, `,` or `[` (whitespace between). Inside strings it can
 * match text that is no number: that only sends the text to the slow parser.
 */
const NUMBER_AFTER_DELIMITER = /[:,[][ \t\r\n]*(-?\d[\d.eE+-]*)/g;
const SHORT_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;

/**
 * True when JSON.parse reads `text` exactly as parseJson would: every number in it prints back
 * as written (`String(Number(t)) === t`), so none would become a JsonNumber. A conservative
 * scan: it may say false for text JSON.parse would read the same, never the other way round.
 */
function plainNumbersOnly(text: string): boolean {
  const head = text.charCodeAt(text.search(/\S/));
  if (head === 0x2d || (head >= 0x30 && head <= 0x39)) return false; // a top-level number
  NUMBER_AFTER_DELIMITER.lastIndex = 0;
  for (let m; (m = NUMBER_AFTER_DELIMITER.exec(text)) !== null; ) {
    const t = m[1]!;
    // short integers (the common case: counts, codes, flags) print back as written
    if (SHORT_INTEGER.test(t)) continue;
    if (String(Number(t)) !== t) return false;
  }
  return true;
}

/**
 * Parses JSON text; numbers that do not round-trip through a double become JsonNumber.
 * Text whose numbers all round-trip goes to the native JSON.parse (several times faster); a
 * syntax error there is parsed again here for the Go-style message.
 */
export function parseJson(text: string): unknown {
  if (plainNumbersOnly(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      /* the slow parser below names the offending character */
    }
  }
  return parseJsonSlow(text);
}

function parseJsonSlow(text: string): unknown {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(
      i >= n ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(text[i])} ${what} at offset ${i}`,
    );
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const value = (): unknown => {
    ws();
    if (i >= n) fail('');
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const key = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        const v = value();
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === 't' && text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (c === 'f' && text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (c === 'n' && text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    return fail('looking for beginning of value');
  };
  const num = (): unknown => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('in numeric literal');
    const t = m[0];
    i += t.length;
    const d = Number(t);
    return String(d) === t && Number.isFinite(d) ? d : new JsonNumber(t);
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('in string literal');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('in string literal');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('in \\u hexadecimal character escape');
            out += String.fromCharCode(parseInt(h, 16));
            i += 4;
            break;
          }
          default:
            i -= 1;
            fail('in string escape code');
        }
        start = i;
        continue;
      }
      i++;
    }
  };
  const v = value();
  ws();
  if (i < n) fail('after top-level value');
  return v;
}

export interface StringifyOptions {
  /** Indent step; 0 or undefined prints compact. */
  indent?: number;
  /** Go's HTML escaping of <, >, & (only for the message content string). */
  htmlEscape?: boolean;
  /** Sort keys of unmarked objects (default true). */
  sortKeys?: boolean;
}

/** Characters quoteString has to escape (with and without Go's HTML escaping). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;
const NEEDS_ESCAPE_HTML = /["\\\u0000-\u001f\u2028\u2029<>&]/;

export function quoteString(s: string, htmlEscape = false): string {
  // most strings need no escape: one native scan instead of a loop over their characters
  if (!(htmlEscape ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE).test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : '\\u00' + c.toString(16).padStart(2, '0');
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (htmlEscape && (c === 0x3c || c === 0x3e || c === 0x26)) rep = '\\u00' + c.toString(16);
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

function numberText(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  return String(v);
}

export function stringify(value: unknown, opts: StringifyOptions = {}): string {
  const step = opts.indent ? ' '.repeat(opts.indent) : '';
  const sortKeys = opts.sortKeys !== false;
  const html = !!opts.htmlEscape;
  // plain loops and string concatenation: a 1 MB response prints in a fraction of the time
  // map/filter/join take (this is on the path of every printed response)
  const walk = (v: unknown, pad: string): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return quoteString(v, html);
    if (typeof v === 'number') return numberText(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const inner = step ? pad + step : '';
      const sep = step ? ',\n' + inner : ',';
      let out = step ? '[\n' + inner : '[';
      for (let i = 0; i < v.length; i++) out += (i ? sep : '') + walk(v[i], inner);
      return out + (step ? '\n' + pad + ']' : ']');
    }
    if (typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      // default sort compares UTF-16 code units, as byteOrder does
      if (sortKeys && !FIXED_ORDER.has(obj)) keys.sort();
      const inner = step ? pad + step : '';
      const sep = step ? ',\n' + inner : ',';
      const colon = step ? ': ' : ':';
      let out = '';
      for (const k of keys) {
        const x = obj[k];
        if (x === undefined) continue;
        out += (out ? sep : '') + quoteString(k, html) + colon + walk(x, inner);
      }
      if (out === '') return '{}';
      return step ? '{\n' + inner + out + '\n' + pad + '}' : '{' + out + '}';
    }
    return 'null';
  };
  return walk(value, '');
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The same JSON value as `stringify(value)` (same key order, numbers with the same text), written
 * by the native JSON.stringify, several times faster on large documents: for programs (the
 * `--jq` input), not for display, as escapes may differ (U+2028 raw, `\b`). It is handed sorted
 * copies of objects whose keys are out of order (and of what contains them) and a placeholder for
 * each JsonNumber and bigint, whose text is put back afterwards; a document already in order is
 * written as it is. What it cannot write the same way (an object with
 * array-index keys, "1", "10", which V8 lists first in numeric order; an object with its own
 * toJSON) is left to `stringify`.
 */
export function toJsonFast(value: unknown): string {
  return nativeStringify(value, 0) ?? stringify(value);
}

/**
 * Exactly `stringify(value, { indent })` (no HTML escaping), through the native JSON.stringify
 * and a pass that turns its escapes into Go's (`\b` → `\u0008`, `\f` → `\u000c`, U+2028/U+2029
 * escaped, lone surrogates raw as stringify leaves them).
 */
export function stringifyFast(value: unknown, indent = 0): string {
  const text = nativeStringify(value, indent);
  if (text === undefined) return stringify(value, { indent });
  return goEscapes(text);
}

/**
 * Each value as compact JSON on a line of its own (each line ends in a newline; undefined is
 * `null`): the bytes of `stringifyFast` per value, with the escape pass run once over the lot.
 */
export function toJsonLines(values: readonly unknown[]): string {
  let text = '';
  for (const v of values) text += (nativeStringify(v === undefined ? null : v, 0) ?? stringify(v === undefined ? null : v)) + '\n';
  // Go's escapes: stringify's own output already has them and passes through unchanged
  return goEscapes(text);
}

/** JSON.stringify's escapes turned into Go's: `\b` → `\u0008`, `\f` → `\u000c`, U+2028/U+2029 escaped, lone surrogates raw. */
function goEscapes(text: string): string {
  let out = text;
  if (/\\[bfu]/.test(out)) {
    out = out.replace(/\\(u[0-9a-f]{4}|[^])/g, (m: string, e: string) => {
      if (e === 'b') return '\\u0008';
      if (e === 'f') return '\\u000c';
      if (e.length === 5) {
        const c = parseInt(e.slice(1), 16);
        if (c >= 0xd800 && c <= 0xdfff) return String.fromCharCode(c);
      }
      return m;
    });
  }
  if (/[\u2028\u2029]/.test(out)) out = out.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
  return out;
}

const NOT_NATIVE = new Error('not for the native writer');

// deeper documents go to stringify: the preparing walk recurses once per level
const MAX_NATIVE_DEPTH = 1000;

/** The state of one nativeStringify call: the texts of JsonNumbers and bigints, and their placeholder. */
interface NativeRun {
  raw: string[];
  mark: string;
}

function placeholder(run: NativeRun, text: string): string {
  // a NUL and a random tag: no JSON string of the document can hold it by chance
  if (run.mark === '') run.mark = `\u0000${Math.random().toString(36).slice(2)}:`;
  run.raw.push(text);
  return run.mark + (run.raw.length - 1);
}

/**
 * `x` ready for JSON.stringify without a replacer (a replacer makes it several times slower):
 * `x` itself when it already is (keys in order, no JsonNumber), else a copy with keys sorted
 * (unless the object's order is fixed) and a placeholder string for each JsonNumber and bigint.
 * Copies only the path to what changes.
 */
function prepareNative(x: unknown, run: NativeRun, depth: number): unknown {
  if (typeof x !== 'object' || x === null) return typeof x === 'bigint' ? placeholder(run, String(x)) : x;
  if (x instanceof JsonNumber) return placeholder(run, x.text);
  if (depth > MAX_NATIVE_DEPTH) throw NOT_NATIVE;
  if (Array.isArray(x)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      const p = prepareNative(v, run, depth + 1);
      if (p !== v && out === undefined) out = x.slice(0, i);
      if (out !== undefined) out.push(p);
    }
    return out ?? x;
  }
  const proto = Object.getPrototypeOf(x) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (x as { toJSON?: unknown }).toJSON === 'function') {
    throw NOT_NATIVE; // a class instance, its own toJSON
  }
  const obj = x as Record<string, unknown>;
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    // V8 lists array-index keys ("1", "10") first in numeric order, whatever the copy's order
    if (k.charCodeAt(0) <= 0x39 && ARRAY_INDEX.test(k)) throw NOT_NATIVE;
    if (i > 0 && keys[i - 1]! > k) sorted = false;
  }
  if (!sorted && !FIXED_ORDER.has(obj)) keys.sort();
  else sorted = true;
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    const p = prepareNative(v, run, depth + 1);
    if (out === undefined && (p !== v || !sorted)) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, obj[keys[j]!]);
    }
    if (out !== undefined) setOwn(out, k, p);
  }
  return out ?? obj;
}

/** `obj[key] = value`, an own `__proto__` key included (plain assignment would set the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function nativeStringify(value: unknown, indent: number): string | undefined {
  const run: NativeRun = { raw: [], mark: '' };
  let text: string | undefined;
  try {
    text = JSON.stringify(prepareNative(value, run, 0), null, indent || undefined);
  } catch (e) {
    if (e === NOT_NATIVE) return undefined;
    throw e;
  }
  if (text === undefined) return 'null';
  if (run.raw.length === 0) return text;
  // JSON.stringify writes the placeholder's NUL as the six characters \u0000
  const escaped = '"\\\\u0000' + run.mark.slice(1) + '(\\d+)"';
  return text.replace(new RegExp(escaped, 'g'), (_, i: string) => run.raw[Number(i)]!);
}

/** Go sorts map keys by bytes; for UTF-16 strings this equals code-point order except for surrogates, close enough. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Indented JSON document with a trailing newline. */
export function toPrettyJson(value: unknown): string {
  return stringifyFast(value, 2) + '\n';
}

/** Compact JSON (no trailing newline). */
export function toCompactJson(value: unknown): string {
  return stringifyFast(value);
}

/**
 * Go `%v` / strconv 'g' shortest formatting of a float64:
 * plain decimal when the decimal exponent is in [-4, 5], else mantissa + e±dd.
 */
export function goFormatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const e = v.toExponential(); // shortest digits, e.g. "1.234567e+6"
  const [mant, expStr] = e.split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 21) {
    return mant + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  if (exp >= 6) {
    return mant + 'e+' + String(exp).padStart(2, '0');
  }
  // plain decimal: String() prints plain for this range
  return String(v);
}

/** `%v` of a JSON value as Go prints it inside query strings and path segments. */
export function goValueText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFormatFloat(v);
  if (v instanceof JsonNumber) return goFormatFloat(Number(v.text));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return '[' + v.map(goValueText).join(' ') + ']';
  if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    return 'map[' + Object.keys(obj).sort(byteOrder).map((k) => `${k}:${goValueText(obj[k])}`).join(' ') + ']';
  }
  return String(v);
}
