import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runJq, validateJq, formatJqValue, isJqRuntimeError, JQ_SOURCE_PATCHES } from '../../src/output/jq.js';
import { CliError } from '../../src/core/errors.js';
import { parseJson, JsonNumber, stringify } from '../../src/core/json.js';
import { chatListData } from '../helpers/fixtures.js';

const envelope = {
  ok: true,
  identity: 'bot',
  data: chatListData(),
};

async function caught(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error('expected a rejection');
}

describe('runJq', () => {
  it('strings are printed raw', async () => {
    expect(await runJq('.data.chats[].name', envelope)).toBe('Alpha\nBeta Team\n');
  });

  it('objects and arrays are indented JSON with sorted keys', async () => {
    expect(await runJq('.data.chats[0]', envelope)).toBe('{\n  "chat_id": "oc_1",\n  "name": "Alpha"\n}\n');
    expect(await runJq('{z: 1, a: [1, 2]}', null)).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "z": 1\n}\n');
    expect(await runJq('[]', null)).toBe('[]\n');
  });

  it('scalars', async () => {
    expect(await runJq('.ok, .missing, .data.total, .data.has_more', envelope)).toBe('true\nnull\n2\nfalse\n');
    expect(await runJq('0.5', null)).toBe('0.5\n');
  });

  it('non-integer numbers use Go %g', async () => {
    expect(await runJq('.x', { x: 1234567.5 })).toBe('1.2345675e+06\n');
  });

  it('big integers keep their digits', async () => {
    const input = parseJson('{"id":12345678901234567890}');
    expect(await runJq('.id', input)).toBe('12345678901234567890\n');
    expect(await runJq('.', input)).toBe('{\n  "id": 12345678901234567890\n}\n');
  });

  it('no results → empty string', async () => {
    expect(await runJq('empty', envelope)).toBe('');
  });

  it('a trailing comment does not break the program', async () => {
    expect(await runJq('.data.total # the total', envelope)).toBe('2\n');
  });

  it('compile errors are validation errors', async () => {
    const e = await caught(runJq('.data |||', envelope));
    expect(e.type).toBe('validation');
    expect(e.message).toMatch(/^invalid jq expression: /);
    expect(e.message).not.toContain('\n');
  });

  it('runtime errors are jq_error and keep the output produced before them', async () => {
    const e = await caught(runJq('.data.chats[].name, error("x")', envelope));
    expect(e.type).toBe('jq_error');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('jq error: x');
    expect(isJqRuntimeError(e)).toBe(true);
    expect((e as CliError & { partialOutput: string }).partialOutput).toBe('Alpha\nBeta Team\n');
  });

  it('runtime error without prior output', async () => {
    const e = await caught(runJq('.data.total + "a"', envelope));
    expect(e.type).toBe('jq_error');
    expect(e.message).toMatch(/^jq error: .*cannot be added/);
    expect((e as CliError & { partialOutput: string }).partialOutput).toBe('');
  });
});

describe('runJq on large inputs', () => {
  // jq-wasm 1.0.1 copied its input one byte at a time into a growing buffer: 1 MB took ~50 s.
  // The engine now reads by offset; 2 MB runs in well under a second even on a loaded machine.
  const items = Array.from({ length: 15_000 }, (_, i) => ({
    message_id: `om_${String(i).padStart(28, '0')}`,
    chat_id: 'oc_abcdef0123456789',
    body: { content: `{"text":"hello number ${i} ü✓"}` },
    n: i,
  }));
  const big = parseJson(`{"ok":true,"data":{"items":${JSON.stringify(items)},"id":12345678901234567890}}`);

  it('2 MB: length and a map, linear time, big integers kept', async () => {
    expect(stringify(big).length).toBeGreaterThan(2_000_000);
    await runJq('.ok', null); // the engine's one-time load is not what is measured
    const t0 = performance.now();
    expect(await runJq('.data.items | length', big)).toBe('15000\n');
    const ids = await runJq('.data.items | map(.message_id) | .[-1]', big);
    expect(ids).toBe(`om_${String(14_999).padStart(28, '0')}\n`);
    expect(await runJq('.data.id', big)).toBe('12345678901234567890\n');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('runJq edge cases of the engine', () => {
  it('halt_error (not catchable) is a jq_error with its message and the output before it', async () => {
    const e = await caught(runJq('1, ("bye\n" | halt_error(1))', null));
    expect(e.type).toBe('jq_error');
    expect(e.message).toBe('jq error: bye');
    expect((e as CliError & { partialOutput: string }).partialOutput).toBe('1\n');
  });

  it('a non-string error value is shown as JSON', async () => {
    const e = await caught(runJq('{a: 1} | error', null));
    expect(e.message).toBe('jq error: {"a":1} (not a string)');
  });

  it('objects reach jq with their keys sorted (Go map order), as before', async () => {
    expect(await runJq('keys_unsorted, (to_entries | map(.key)), tojson', { b: 1, a: { d: 1, c: 2 } })).toBe(
      '[\n  "a",\n  "b"\n]\n[\n  "a",\n  "b"\n]\n{"a":{"c":2,"d":1},"b":1}\n',
    );
  });

  it('an expression starting with "-" is a program, not a jq option', async () => {
    expect(await runJq('-1', null)).toBe('-1\n');
    await expect(validateJq('-.a')).resolves.toBeUndefined();
  });
});

describe("the changes to jq-wasm's source", () => {
  const source = readFileSync(createRequire(import.meta.url).resolve('jq-wasm'), 'utf8');

  it.each(JQ_SOURCE_PATCHES.map((p) => [p.name, p] as const))('%s: the text it replaces occurs exactly once in the installed jq-wasm', (_name, p) => {
    expect(source.split(p.from).length - 1).toBe(1);
    expect(source.includes(p.to)).toBe(false);
  });

  it('input read from a file at /dev/stdin, output taken in runs: input_filename, several runs, UTF-8, big outputs as before', async () => {
    expect(await runJq('input_filename', { a: 1 })).toBe('/dev/stdin\n');
    // one run after another in one engine: each reads its own input, none is left from the last
    expect(await runJq('[.[] | length]', ['h\u00e9llo \u2713 \ud83d\ude00', 'x'.repeat(70_000)])).toBe('[\n  9,\n  70000\n]\n');
    expect(await runJq('[inputs]', 1)).toBe('[]\n');
    // output in runs of bytes: UTF-8 kept whole, a sink that grows past its first 1 KB
    const big = { s: 'h\u00e9llo \u2713 \ud83d\ude00 '.repeat(5000), n: Array.from({ length: 3000 }, (_, i) => i) };
    expect(await runJq('.', big)).toBe(stringify(big, { indent: 2 }) + '\n');
    expect(await runJq('.s | length', big)).toBe('50000\n');
    expect(await runJq('.', 'last')).toBe('last\n');
    await expect(validateJq('.[] | select(.a)')).resolves.toBeUndefined();
  });
});

describe('validateJq', () => {
  it('accepts valid expressions without running them', async () => {
    await expect(validateJq('.data.chats[] | select(.name | test("A"))')).resolves.toBeUndefined();
    await expect(validateJq('error("only at run time")')).resolves.toBeUndefined();
  });

  it('rejects syntax errors, unknown functions and undefined variables', async () => {
    for (const expr of ['.a |||', '.a | nosuchfn', '$nope', '.[']) {
      const e = await caught(validateJq(expr));
      expect(e.type).toBe('validation');
      expect(e.exitCode).toBe(2);
      expect(e.message.startsWith('invalid jq expression: ')).toBe(true);
      expect(e.message).not.toMatch(/jq: error|compile error|\n/);
    }
    const e = await caught(validateJq('.a | nosuchfn'));
    expect(e.message).toContain('nosuchfn/0 is not defined');
  });
});

describe('formatJqValue', () => {
  it('formats like the Go CLI', () => {
    expect(formatJqValue('a"b')).toBe('a"b');
    expect(formatJqValue(null)).toBe('null');
    expect(formatJqValue(3)).toBe('3');
    expect(formatJqValue(1e21)).toBe('1e+21');
    expect(formatJqValue(0.000001)).toBe('1e-06');
    expect(formatJqValue(new JsonNumber('1.0'))).toBe('1');
    expect(formatJqValue(new JsonNumber('-98765432109876543210'))).toBe('-98765432109876543210');
  });
});
