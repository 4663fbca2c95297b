/**
 * src/client/pagination.ts on its own: the generic --page-all walk asks for the next page before
 * it hands the current one over (printing overlaps the next round trip), keeps its stderr lines
 * in order, and stops at the limit, a repeated token, a failing page or a failing consumer
 * without a request too many.
 */
import { describe, expect, it } from 'vitest';
import { paginate, REPEATED_TOKEN_WARNING } from '../../src/client/pagination.js';
import type { Io } from '../../src/core/io.js';

type Page = { code: number; data?: Record<string, unknown> };

function page(n: number, next?: string): Page {
  return { code: 0, data: { items: [n], has_more: next !== undefined, ...(next ? { page_token: next } : {}) } };
}

/** An Io whose stderr is recorded, and a fetcher that logs each call into the same event list. */
function harness(pages: Record<string, Page | Error>) {
  const events: string[] = [];
  const io = { stderr: { write: (s: string) => void events.push(`stderr ${s.trim()}`) } } as unknown as Io;
  const fetchPage = async (token: string | undefined) => {
    events.push(`fetch ${token ?? '-'}`);
    await new Promise((r) => setTimeout(r, 1));
    const p = pages[token ?? '-'];
    if (p === undefined) throw new Error(`unexpected token ${token}`);
    if (p instanceof Error) throw p;
    return p;
  };
  return { events, io, fetchPage };
}

describe('paginate', () => {
  it('asks for page n+1 before page n is handed over, stderr in order', async () => {
    const { events, io, fetchPage } = harness({ '-': page(1, 't2'), t2: page(2, 't3'), t3: page(3) });
    const walk = await paginate(io, { limit: 0, delayMs: -1 }, fetchPage, async (r, i, kept) => {
      events.push(`result ${i} ${kept}`);
      await new Promise((res) => setTimeout(res, 2));
      expect((r as Page).data!.items).toEqual([i + 1]);
    });
    expect(walk.count).toBe(3);
    expect(events).toEqual([
      'stderr [page 1] fetching...',
      'fetch -',
      'stderr [page 2] fetching...',
      'fetch t2',
      'result 0 true',
      'stderr [page 3] fetching...',
      'fetch t3',
      'result 1 true',
      'result 2 true',
    ]);
  });

  it('no request past the page limit or a repeated token, and their message after the last result', async () => {
    const limited = harness({ '-': page(1, 't2'), t2: page(2, 't3') });
    await paginate(limited.io, { limit: 2, delayMs: -1 }, limited.fetchPage, (_r, i) => void limited.events.push(`result ${i}`));
    expect(limited.events.filter((e) => e.startsWith('fetch'))).toEqual(['fetch -', 'fetch t2']);
    expect(limited.events.at(-1)).toMatch(/^stderr \[pagination\] reached page limit \(2\)/);
    expect(limited.events.at(-2)).toBe('result 1');

    const repeated = harness({ '-': page(1, 'same'), same: page(2, 'same') });
    await paginate(repeated.io, { limit: 0, delayMs: -1 }, repeated.fetchPage, () => undefined);
    expect(repeated.events.filter((e) => e.startsWith('fetch'))).toEqual(['fetch -', 'fetch same']);
    expect(repeated.events.at(-1)).toBe(`stderr ${REPEATED_TOKEN_WARNING.trim()}`);
  });

  it('a failing later page ends the walk with what came before; a failing first page throws', async () => {
    const later = harness({ '-': page(1, 't2'), t2: new Error('reset') });
    const walk = await paginate(later.io, { limit: 0, delayMs: -1 }, later.fetchPage, () => undefined);
    expect(walk.count).toBe(1);
    expect(later.events.at(-1)).toBe('stderr [page 2] error, stopping pagination');

    const first = harness({ '-': new Error('refused') });
    await expect(paginate(first.io, { limit: 0, delayMs: -1 }, first.fetchPage, () => undefined)).rejects.toThrow('refused');
  });

  it('a consumer that fails stops the walk: its error comes out, the request already made is dropped quietly', async () => {
    const { events, io, fetchPage } = harness({ '-': page(1, 't2'), t2: new Error('never read') });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        paginate(io, { limit: 0, delayMs: -1 }, fetchPage, () => {
          throw new Error('stdout closed');
        }),
      ).rejects.toThrow('stdout closed');
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(events.filter((e) => e.startsWith('fetch'))).toEqual(['fetch -', 'fetch t2']);
  });

  it('the delay comes between pages, before the next fetching line', async () => {
    const { events, io, fetchPage } = harness({ '-': page(1, 't2'), t2: page(2) });
    const started = Date.now();
    await paginate(io, { limit: 0, delayMs: 30 }, fetchPage, () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(events.filter((e) => e.startsWith('stderr'))).toEqual(['stderr [page 1] fetching...', 'stderr [page 2] fetching...']);
  });
});
