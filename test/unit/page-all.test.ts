/**
 * The list walk of src/shortcut/page-all.ts on its own: the progress line only on a terminal
 * (and not for ndjson/csv unless --jq decides the output), the cursor rules (an initial
 * --page-token counts as sent), and the range checks.
 */
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/core/errors.js';
import { validatePageAll, walkPages } from '../../src/shortcut/page-all.js';
import type { ShortcutRuntime } from '../../src/shortcut/runtime.js';

type Page = Record<string, unknown>;

/** A runtime stand-in: flag values, a stderr with or without a terminal, and a scripted `json`. */
function fakeRuntime(values: Record<string, unknown>, pages: Page[], tty: boolean) {
  const err: string[] = [];
  const sent: Array<Record<string, unknown>> = [];
  const rt = {
    values,
    io: { stderr: { isTTY: tty, write: (s: string) => err.push(s) } },
    get format() {
      return (values.format as string | undefined) ?? 'json';
    },
    bool: (n: string) => values[n] === true,
    int: (n: string) => Number(values[n] ?? 0),
    json: async (req: { query: Record<string, unknown> }) => {
      sent.push(req.query);
      const p = pages.shift();
      if (!p) throw new Error('no more pages scripted');
      return p;
    },
  };
  return { rt: rt as unknown as ShortcutRuntime<'page-all' | 'page-limit' | 'page-delay'>, err, sent };
}

const TWO: Page[] = [
  { items: [{ id: 1 }], has_more: true, page_token: 'next' },
  { items: [{ id: 2 }, null], has_more: false, page_token: 'final' },
];
const REQ = { method: 'GET' as const, path: '/x', query: { page_size: 1 } };

describe('walkPages', () => {
  it('writes [page n] fetching... on a terminal with --page-all', async () => {
    const { rt, err, sent } = fakeRuntime({ 'page-all': true, 'page-limit': 10, 'page-delay': 0 }, [...TWO], true);
    const walk = await walkPages(rt, REQ);
    expect(err.join('')).toBe('[page 1] fetching...\n[page 2] fetching...\n');
    expect(sent).toEqual([{ page_size: 1 }, { page_size: 1, page_token: 'next' }]);
    expect(walk.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(walk).toMatchObject({ hasMore: false, pageToken: 'final', pagination: { complete: true, pages: 2, items: 2 } });
    expect(walk.pagination.next_token).toBeUndefined();
  });

  it('writes nothing when stderr is not a terminal, or without --page-all, or for ndjson/csv', async () => {
    for (const [values, tty] of [
      [{ 'page-all': true, 'page-limit': 10, 'page-delay': 0 }, false],
      [{ 'page-all': false, 'page-limit': 10, 'page-delay': 0 }, true],
      [{ 'page-all': true, 'page-limit': 10, 'page-delay': 0, format: 'ndjson' }, true],
      [{ 'page-all': true, 'page-limit': 10, 'page-delay': 0, format: 'csv' }, true],
    ] as const) {
      const { rt, err } = fakeRuntime({ ...values }, [...TWO], tty);
      await walkPages(rt, REQ);
      expect(err).toEqual([]);
    }
    // --jq decides the output: the progress line is back
    const { rt, err } = fakeRuntime({ 'page-all': true, 'page-limit': 10, 'page-delay': 0, format: 'ndjson', jq: '.' }, [...TWO], true);
    await walkPages(rt, REQ);
    expect(err).toHaveLength(2);
  });

  it('fetches one page without --page-all, whatever --page-limit says', async () => {
    const { rt, sent } = fakeRuntime({ 'page-all': false, 'page-limit': 5, 'page-delay': 0 }, [...TWO], false);
    const walk = await walkPages(rt, REQ);
    expect(sent).toHaveLength(1);
    expect(walk.pagination).toEqual({ complete: false, pages: 1, items: 1, next_token: 'next' });
  });

  it('counts the starting --page-token as sent: a page answering with it again is an error', async () => {
    const { rt } = fakeRuntime({ 'page-all': false, 'page-limit': 10, 'page-delay': 0 }, [{ items: [], has_more: true, page_token: 'start' }], false);
    const e = await walkPages(rt, { ...REQ, query: { page_size: 1, page_token: 'start' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e).toMatchObject({ type: 'internal', message: 'response repeated page token "start", which would paginate forever' });
  });

  it('reads next_page_token when page_token is absent', async () => {
    const { rt, sent } = fakeRuntime(
      { 'page-all': true, 'page-limit': 10, 'page-delay': 0 },
      [{ items: [1], has_more: true, next_page_token: 'n2' }, { items: [2], has_more: false }],
      false,
    );
    const walk = await walkPages(rt, REQ);
    expect(sent[1]).toEqual({ page_size: 1, page_token: 'n2' });
    expect(walk.pagination).toEqual({ complete: true, pages: 2, items: 2 });
  });

  it('waits --page-delay between pages, not before the first or after the last', async () => {
    const { rt } = fakeRuntime({ 'page-all': true, 'page-limit': 10, 'page-delay': 120 }, [{ items: [], has_more: false }], false);
    const t0 = Date.now();
    await walkPages(rt, REQ);
    expect(Date.now() - t0).toBeLessThan(100);
    const two = fakeRuntime({ 'page-all': true, 'page-limit': 10, 'page-delay': 120 }, [...TWO], false);
    const t1 = Date.now();
    await walkPages(two.rt, REQ);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(110);
  });
});

describe('validatePageAll', () => {
  const check = (limit: unknown, delay: unknown) => () => validatePageAll(fakeRuntime({ 'page-limit': limit, 'page-delay': delay }, [], false).rt);
  it('accepts the bounds and refuses what lies outside them', () => {
    expect(check(1, 0)).not.toThrow();
    expect(check(1000, 60000)).not.toThrow();
    expect(check(0, 0)).toThrow('--page-limit must be an integer between 1 and 1000');
    expect(check(1001, 0)).toThrow('--page-limit must be an integer between 1 and 1000');
    expect(check(10, -1)).toThrow('--page-delay must be an integer between 0 and 60000');
    expect(check(10, 60001)).toThrow('--page-delay must be an integer between 0 and 60000');
  });
});
