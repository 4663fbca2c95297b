/**
 * Independent requests of one command (the chunks of a batch look-up) run together under one
 * bounded limit; results keep the input order. Writes never go through here: they stay sequential.
 * p-limit is imported only when something actually runs.
 */

/** How many independent requests of one command may be in flight at once. */
export const REQUEST_CONCURRENCY = 4;

/** `items` cut into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function limiter(limit: number): Promise<<R>(fn: () => Promise<R>) => Promise<R>> {
  const { default: pLimit } = await import('p-limit');
  return pLimit(Math.max(1, limit));
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure. */
export async function mapLimit<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, limit = REQUEST_CONCURRENCY): Promise<R[]> {
  if (items.length === 0) return [];
  if (items.length === 1) return [await fn(items[0]!, 0)];
  const run = await limiter(limit);
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}

/** Like mapLimit, but every item settles: failures are reported per item, nothing rejects. */
export async function mapLimitSettled<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = REQUEST_CONCURRENCY,
): Promise<PromiseSettledResult<R>[]> {
  if (items.length === 0) return [];
  const run = await limiter(limit);
  return Promise.allSettled(items.map((item, i) => run(() => fn(item, i))));
}
