/**
 * src/core/json.ts: parseJson reads text through the native JSON.parse when every number in it
 * prints back as written, else through its own parser that keeps such numbers as JsonNumber. The
 * result must be the same either way: these cases pin the numbers that must not lose their text,
 * and stringify's output.
 */
import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, ordered, parseJson, quoteString, stringify, stringifyFast, toJsonFast, toJsonLines } from '../../src/core/json.js';

describe('parseJson', () => {
  it('big integers keep their digits (anywhere in the document)', () => {
    const v = parseJson('{"code":0,"data":{"items":[{"id":12345678901234567890,"n":1}],"big":-98765432109876543210}}') as {
      data: { items: Array<{ id: unknown; n: unknown }>; big: unknown };
    };
    expect(v.data.items[0]!.id).toBeInstanceOf(JsonNumber);
    expect((v.data.items[0]!.id as JsonNumber).text).toBe('12345678901234567890');
    expect(v.data.items[0]!.n).toBe(1);
    expect((v.data.big as JsonNumber).text).toBe('-98765432109876543210');
    expect(stringify(v)).toBe('{"code":0,"data":{"big":-98765432109876543210,"items":[{"id":12345678901234567890,"n":1}]}}');
  });

  it('numbers that do not print back as written stay as written', () => {
    for (const t of ['1.0', '1e5', '1E5', '-0', '0.10', '1e400', '9007199254740993', '123456789012345678', '2.50']) {
      const v = parseJson(`{"a":[${t}]}`) as { a: unknown[] };
      expect(v.a[0], t).toBeInstanceOf(JsonNumber);
      expect(stringify(v), t).toBe(`{"a":[${t}]}`);
    }
    expect((parseJson('12345678901234567890') as JsonNumber).text).toBe('12345678901234567890');
    expect((parseJson(' 1.0 ') as JsonNumber).text).toBe('1.0');
  });

  it('numbers that do print back are plain numbers, whitespace around them or not', () => {
    expect(parseJson('{"a": 1, "b" :[ -2,0.5 ,1e+21, 123456789012345],"c":\n\t7}')).toEqual({ a: 1, b: [-2, 0.5, 1e21, 123456789012345], c: 7 });
    expect(parseJson('3')).toBe(3);
  });

  it('digits inside strings change nothing', () => {
    const v = parseJson('{"s":"x:12345678901234567890, [1.0","t":[1]}') as { s: string; t: number[] };
    expect(v).toEqual({ s: 'x:12345678901234567890, [1.0', t: [1] });
  });

  it('strings, escapes, __proto__ as a plain key, duplicate keys (last wins)', () => {
    const v = parseJson('{"__proto__":{"x":1},"e":"\\u00e9\\n\\"\\\\\\/","d":1,"d":2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'e', 'd']);
    expect(v.e).toBe('é\n"\\/');
    expect(v.d).toBe(2);
  });

  it('syntax errors name the character and offset (Go style), whichever way the text was read', () => {
    const msg = (t: string) => {
      try {
        parseJson(t);
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        return (e as Error).message;
      }
      throw new Error(`parsed: ${t}`);
    };
    expect(msg('{"a":1,}')).toBe('invalid character "}" looking for beginning of object key string at offset 7');
    expect(msg('{"a":1.0,}')).toBe('invalid character "}" looking for beginning of object key string at offset 9');
    expect(msg('')).toBe('unexpected end of JSON input');
    expect(msg('{"a":"\u0001"}')).toMatch(/in string literal/);
  });

  it('a 1 MB response without big numbers parses fast (the native path)', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ message_id: `om_${i}`, n: i, ok: true, body: { content: `{"text":"hi ${i}"}` } }));
    const text = JSON.stringify({ code: 0, data: { items } });
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) expect((parseJson(text) as { data: { items: unknown[] } }).data.items).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('stringify', () => {
  it('sorted keys, Go escaping, indent; unchanged by the fast string path', () => {
    const v = { b: 'plain', a: 'q"\\\n\u2028<&>', c: [], d: {}, e: [1, { z: null, y: undefined }] };
    expect(stringify(v)).toBe('{"a":"q\\"\\\\\\n\\u2028<&>","b":"plain","c":[],"d":{},"e":[1,{"z":null}]}');
    expect(stringify(v, { indent: 2 })).toBe(
      '{\n  "a": "q\\"\\\\\\n\\u2028<&>",\n  "b": "plain",\n  "c": [],\n  "d": {},\n  "e": [\n    1,\n    {\n      "z": null\n    }\n  ]\n}',
    );
    expect(quoteString('<a&b>', true)).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(quoteString('no escapes here')).toBe('"no escapes here"');
    expect(stringify({ only: undefined })).toBe('{}');
  });
});

describe('toJsonFast (the --jq input)', () => {
  it('writes what stringify writes: sorted keys, ordered() objects as built, number texts, bigints', () => {
    const docs: unknown[] = [
      parseJson('{"z":1,"a":{"y":[1.0,{"d":null,"c":12345678901234567890}],"b":"x"},"m":-0.5}'),
      ordered({ ok: true, identity: 'bot', data: { z: 1, a: [] } }),
      { only: undefined, s: 'q"\\\n<&>\u0000', n: NaN, big: 10n, nested: [[{ b: 1, a: 2 }]], e: {} },
      new JsonNumber('1.0'),
      'plain',
      null,
      [],
    ];
    for (const d of docs) expect(toJsonFast(d)).toBe(stringify(d));
  });

  it('a string that looks like the placeholder is left alone', () => {
    const d = { a: '\u0000abc:0', b: new JsonNumber('1.50') };
    expect(toJsonFast(d)).toBe(stringify(d));
  });

  it('objects with array-index keys are written by stringify (byte order, not V8 order)', () => {
    const d = { x: { '10': 'a', '9': 'b', k: 'c' } };
    expect(toJsonFast(d)).toBe('{"x":{"10":"a","9":"b","k":"c"}}');
  });
});

describe('stringifyFast (the native writer, byte for byte as stringify)', () => {
  const pieces = ['a', 'Z', '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0001', '\u001f', '\u2028', '\u2029', '\ud800', '\udc00', '\ud83d\ude00', 'é', '<', '&', '\\b', '\\u0000', ' '];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const str = () => Array.from({ length: rnd(6) }, () => pieces[rnd(pieces.length)]).join('');
  const value = (depth: number): unknown => {
    switch (rnd(depth > 3 ? 6 : 9)) {
      case 0: return str();
      case 1: return rnd(1000) - 500;
      case 2: return rnd(2) === 0 ? 0.5 : -1e21;
      case 3: return null;
      case 4: return rnd(2) === 0;
      case 5: return new JsonNumber(['1.0', '12345678901234567890', '-0', '1e5'][rnd(4)]!);
      case 6: return Array.from({ length: rnd(4) }, () => value(depth + 1));
      case 7: {
        const o: Record<string, unknown> = {};
        for (let i = rnd(5); i > 0; i--) o[str() || 'k'] = value(depth + 1);
        if (rnd(4) === 0) o.u = undefined;
        return rnd(5) === 0 ? ordered(o) : o;
      }
      default: return { [String(rnd(20))]: 1, b: 2 }; // array-index keys: the stringify fallback
    }
  };

  it('equals stringify on random documents, compact and indented', () => {
    for (let i = 0; i < 400; i++) {
      const v = value(0);
      expect(stringifyFast(v), JSON.stringify(String(i))).toBe(stringify(v));
      expect(stringifyFast(v, 2)).toBe(stringify(v, { indent: 2 }));
      // the jq input: the same value (escapes may differ)
      expect(JSON.parse(toJsonFast(v))).toEqual(JSON.parse(stringify(v)));
    }
  });

  it('a __proto__ key is written as a key, sorted or not (it does not become a prototype)', () => {
    for (const text of ['{"z":1,"__proto__":{"x":1}}', '{"__proto__":5,"a":[{"__proto__":null}]}']) {
      const v = parseJson(text);
      expect(stringifyFast(v, 2)).toBe(stringify(v, { indent: 2 }));
      expect(stringifyFast(v)).toContain('"__proto__":');
    }
  });

  it('a Date (its own toJSON) is written by stringify', () => {
    const d = { when: new Date(0), a: 1 };
    expect(stringifyFast(d)).toBe(stringify(d));
  });

  it('toJsonLines: one stringify line per value, undefined as null, nothing for no values', () => {
    const values = Array.from({ length: 300 }, () => value(0));
    values.push(undefined);
    expect(toJsonLines(values)).toBe(values.map((v) => stringify(v === undefined ? null : v) + '\n').join(''));
    expect(toJsonLines([])).toBe('');
  });

  it('leaves the value alone: sorted parts are not copied, unsorted ones inside them are sorted in the output only', () => {
    const inner = { z: 1, a: [{ y: 2, b: new JsonNumber('1.0') }] };
    const doc = Object.freeze({ a: 'x', m: Object.freeze(inner), z: Object.freeze([1, 2]) });
    expect(stringifyFast(doc)).toBe('{"a":"x","m":{"a":[{"b":1.0,"y":2}],"z":1},"z":[1,2]}');
    expect(Object.keys(inner)).toEqual(['z', 'a']);
  });

  it('a document nested deeper than the native walk goes is still written as stringify writes it', () => {
    let deep: unknown = { b: 1, a: 2 };
    for (let i = 0; i < 1200; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(stringifyFast(deep)).toBe(stringify(deep));
  });
});
