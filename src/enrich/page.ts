/**
 * Reading one page of a list response: its items and its cursor.
 */

/** `has_more` and the cursor of a list page: the one reader is core/page-cursor.ts. */
export { pageMeta } from '../core/page-cursor.js';

/** `data.items` as objects (a non-object entry becomes `{}`, as the original formats it). */
export function itemsOf(data: Record<string, unknown>, key = 'items'): Record<string, unknown>[] {
  const v = data[key];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {}));
}
