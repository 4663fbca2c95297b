/**
 * The streamed JSON of `--page-all` (src/output/page-stream.ts) prints the bytes the buffered
 * merge prints (`toPrettyJson(mergePages(results))`), for every shape of page set.
 */
import { describe, expect, it } from 'vitest';
import { JsonPageStream } from '../../src/output/page-stream.js';
import { mergePages } from '../../src/output/api-response.js';
import { parseJson, toPrettyJson } from '../../src/core/json.js';
import { memoryIo } from '../helpers/memory-io.js';

async function streamed(results: unknown[]): Promise<{ out: string; err: string; writes: number }> {
  const io = memoryIo({ cwd: '/' });
  let writes = 0;
  const write = io.stdout.write.bind(io.stdout);
  io.stdout.write = (s) => (writes++, write(s));
  const doc = new JsonPageStream(io);
  for (const r of results) await doc.result(r);
  await doc.finish(results.length);
  return { out: io.out(), err: io.err(), writes };
}

function buffered(results: unknown[]): { out: string; err: string } {
  const io = memoryIo({ cwd: '/' });
  const merged = mergePages(io, results);
  return { out: toPrettyJson(merged), err: io.err() };
}

const page = (items: unknown[], extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) =>
  parseJson(JSON.stringify({ code: 0, msg: 'success', ...top, data: { has_more: true, page_token: 'p', ...extra, items } }));

const member = (n: number) => ({ member_id: `ou_${n}`, member_id_type: 'open_id', name: `User ${n}`, tenant_key: 'tk1' });

const cases: Array<[string, unknown[]]> = [
  ['two pages', [page([member(1), member(2)]), page([member(3)], {}, {})]],
  ['keys around the list and around data', [
    page([member(1)], { a_before: 1, member_total: 3, zz: { nested: [1, 2, { deep: 'x' }] } }, { aaa: 'first', zzz: [true, null] }),
    page([member(2)], { member_total: 3 }),
    page([member(3)]),
  ]],
  ['empty pages only', [page([]), page([])]],
  ['an empty page between', [page([member(1)]), page([]), page([member(2)])]],
  ['no page_token but next_page_token', [parseJson('{"code":0,"data":{"has_more":true,"next_page_token":"n","items":[1,2]}}'), page([3])]],
  ['a list field other than items', [
    parseJson('{"code":0,"data":{"has_more":true,"page_token":"t","members":[{"id":1}],"items":"not a list"}}'),
    parseJson('{"code":0,"data":{"has_more":false,"members":[{"id":2}]}}'),
  ]],
  ['the alphabetically first array key', [
    parseJson('{"code":0,"data":{"has_more":true,"page_token":"t","zeta":[1],"beta":[{"b":1}]}}'),
    parseJson('{"code":0,"data":{"has_more":false,"beta":[{"b":2}],"zeta":[2]}}'),
  ]],
  ['an error result last (its list counts too)', [
    page([member(1)]),
    parseJson('{"code":99991400,"msg":"rate limited","data":{"items":[{"late":true}]}}'),
  ]],
  ['an error result without data', [page([member(1)]), parseJson('{"code":230002,"msg":"no"}')]],
  ['control characters, escapes, wide and lossless numbers', [
    page([{ name: 'a\u0000b\u001b[31mred\u2028\t"q"\\', n: 12345678901234567890, f: 1.5e300, cjk: '群成员 😀' }]),
    parseJson('{"code":0,"data":{"has_more":false,"items":[{"id":1.0,"big":9007199254740993,"neg":-0}]}}'),
  ]],
  ['a __proto__ key', [parseJson('{"code":0,"data":{"has_more":true,"page_token":"t","items":[{"__proto__":{"x":1}}]},"__proto__":5}'), page([1])]],
  ['pages: no list field', [
    parseJson('{"code":0,"data":{"has_more":true,"page_token":"t","count":1}}'),
    parseJson('{"code":0,"data":{"has_more":false,"count":2}}'),
  ]],
  ['pages: data is no object', [parseJson('{"code":0,"data":"x"}'), parseJson('{"code":0,"data":[1]}'), parseJson('[1,2]')]],
  ['pages: page 1 is no object', [parseJson('[{"a":1}]'), parseJson('{"code":0,"data":{"items":[]}}')]],
];

describe('JsonPageStream', () => {
  it.each(cases)('%s: the bytes and the stderr line of the buffered merge', async (_name, results) => {
    const s = await streamed(results);
    const b = buffered(results);
    expect(s.out).toBe(b.out);
    expect(s.err).toBe(b.err);
  });

  it('writes while the pages come: one write for the opening and one per page with items, one for the closing', async () => {
    const results = [page([member(1)]), page([member(2)]), page([member(3)]), page([])];
    const s = await streamed(results);
    // opening, page 1, page 2, page 3 (page 4 has no items), closing
    expect(s.writes).toBe(5);
  });

  it('holds page 1 until a second result arrives (a walk of one result prints it unchanged, elsewhere)', async () => {
    const io = memoryIo({ cwd: '/' });
    const doc = new JsonPageStream(io);
    await doc.result(page([member(1)]));
    expect(io.out()).toBe('');
    await doc.result(page([member(2)]));
    expect(io.out()).toMatch(/^\{\n {2}"code": 0,\n {2}"data": \{\n {4}"has_more": false,\n {4}"items": \[\n {6}\{\n/);
    expect(io.out()).toContain('"ou_2"');
  });

  it('waits for drain when the stream asks for it', async () => {
    const chunks: string[] = [];
    let drain: (() => void) | undefined;
    const io = memoryIo({ cwd: '/' });
    io.stdout = {
      write: (s: string | Uint8Array) => (chunks.push(String(s)), false),
      once: (_e: 'drain', fn: () => void) => {
        drain = fn;
      },
    } as typeof io.stdout;
    const doc = new JsonPageStream(io);
    await doc.result(page([member(1)]));
    let done = false;
    const p = doc.result(page([member(2)])).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    expect(chunks).toHaveLength(1);
    drain!();
    await new Promise((r) => setTimeout(r, 0));
    drain!();
    await new Promise((r) => setTimeout(r, 0));
    drain!();
    await p;
    expect(done).toBe(true);
  });
});
