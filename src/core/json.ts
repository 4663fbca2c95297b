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

/** Parses JSON text; numbers that do not round-trip through a double become JsonNumber. */
export function parseJson(text: string): unknown {
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

export function quoteString(s: string, htmlEscape = false): string {
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
  const walk = (v: unknown, pad: string): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return quoteString(v, html);
    if (typeof v === 'number') return numberText(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof JsonNumber) return v.text;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (!step) return '[' + v.map((x) => walk(x, '')).join(',') + ']';
      const inner = pad + step;
      return '[\n' + v.map((x) => inner + walk(x, inner)).join(',\n') + '\n' + pad + ']';
    }
    if (typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      if (sortKeys && !FIXED_ORDER.has(obj)) keys = keys.sort(byteOrder);
      if (keys.length === 0) return '{}';
      if (!step) return '{' + keys.map((k) => quoteString(k, html) + ':' + walk(obj[k], '')).join(',') + '}';
      const inner = pad + step;
      return '{\n' + keys.map((k) => inner + quoteString(k, html) + ': ' + walk(obj[k], inner)).join(',\n') + '\n' + pad + '}';
    }
    return 'null';
  };
  return walk(value, '');
}

/** Go sorts map keys by bytes; for UTF-16 strings this equals code-point order except for surrogates, close enough. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Indented JSON document with a trailing newline. */
export function toPrettyJson(value: unknown): string {
  return stringify(value, { indent: 2 }) + '\n';
}

/** Compact JSON (no trailing newline). */
export function toCompactJson(value: unknown): string {
  return stringify(value);
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
