/**
 * Pure helpers behind the chat / flag / feed shortcuts: CSV splitting of string-slice flags, the
 * Go-style quoting of hyphenated chat-search queries, the all-pages loop and bounded concurrency.
 */
import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from '../../src/shortcut/run.js';
import { goQuote, goUnquote, normalizeQuery } from '../../src/im/shortcuts/chat-search.js';
import { fetchAllPages } from '../../src/shortcut/page-loop.js';
import { chunk, mapLimit, mapLimitSettled } from '../../src/shortcut/parallel.js';
import { memoryIo } from '../helpers/memory-io.js';

describe('string_slice values (pflag StringSlice)', () => {
  it('splits one occurrence as a CSV record', () => {
    expect(splitCsvRecord('x', '')).toEqual([]);
    expect(splitCsvRecord('x', ',')).toEqual(['', '']);
    expect(splitCsvRecord('x', 'a, b')).toEqual(['a', ' b']);
    expect(splitCsvRecord('x', '"a,b",c')).toEqual(['a,b', 'c']);
    expect(splitCsvRecord('x', '"say ""hi"""')).toEqual(['say "hi"']);
  });

  it('rejects malformed quoting like encoding/csv', () => {
    expect(() => splitCsvRecord('types', 'a"b')).toThrow('invalid argument "a"b" for "--types" flag: parse error on line 1, column 2: bare " in non-quoted-field');
    expect(() => splitCsvRecord('types', '"ab')).toThrow(/extraneous or missing " in quoted-field/);
  });
});

describe('chat-search query quoting (strconv.Quote / Unquote)', () => {
  it('quotes only queries with a hyphen, without doubling quotes', () => {
    expect(normalizeQuery('team')).toBe('team');
    expect(normalizeQuery('team-alpha')).toBe('"team-alpha"');
    expect(normalizeQuery('"team-alpha"')).toBe('"team-alpha"');
    expect(normalizeQuery('`a-b`')).toBe('"a-b"');
    expect(normalizeQuery('"broken-')).toBe('"\\"broken-"');
  });

  it('escapes like Go', () => {
    expect(goQuote('a\tb\u0001\u007f"\\é中😀\u200b')).toBe('"a\\tb\\x01\\x7f\\"\\\\é中😀\\u200b"');
    expect(goUnquote('"\\x41\\u00e9\\101\\n"')).toBe('AéA\n');
    expect(goUnquote('"a"b"')).toBeUndefined();
    expect(goUnquote("'ab'")).toBeUndefined();
    expect(goUnquote("'a'")).toBe('a');
  });
});

describe('fetchAllPages', () => {
  it('merges the lists, reports progress and stops on a repeated token', async () => {
    const io = memoryIo({ cwd: '/' });
    const tokens: string[] = [];
    const data = await fetchAllPages(io, {
      limit: 10,
      lists: ['a', 'b'],
      fetch: async (token) => {
        tokens.push(token);
        return { a: [token || 'first'], b: token ? [] : [1, 2], has_more: true, page_token: 'SAME' };
      },
      progress: (page, n) => `p${page} ${n.a}/${n.b}`,
    });
    expect(tokens).toEqual(['', 'SAME']);
    expect(data).toEqual({ a: ['first', 'SAME'], b: [1, 2], has_more: true, page_token: 'SAME' });
    expect(io.err()).toBe('p1 1/2\np2 2/2\nwarning: page_token did not change, stopping pagination to avoid infinite loop\n');
  });

  it('stops at the page limit silently and when has_more is false', async () => {
    const io = memoryIo({ cwd: '/' });
    let n = 0;
    const data = await fetchAllPages(io, {
      limit: 2,
      lists: ['x'],
      fetch: async () => ({ x: null, has_more: true, page_token: `t${++n}` }),
      progress: (page) => `p${page}`,
    });
    expect(data).toEqual({ x: [], has_more: true, page_token: 't2' });
    expect(io.err()).toBe('p1\np2\n');
  });
});

describe('bounded concurrency', () => {
  it('keeps input order and never exceeds the limit', async () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit(
      [5, 1, 4, 2, 3, 0],
      async (ms) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, ms * 3));
        inFlight--;
        return ms * 10;
      },
      2,
    );
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
    const settled = await mapLimitSettled([1, 2], async (n) => {
      if (n === 2) throw new Error('no');
      return n;
    });
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
  });
});
