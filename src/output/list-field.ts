/**
 * Which key of a response holds its list. Kept apart
 * from formats.ts so the JSON path of --page-all can use it without loading the table code.
 */
import { byteOrder, isPlainObject } from '../core/json.js';

/** Known list field names, in priority order. */
export const KNOWN_LIST_FIELDS = [
  'items', 'files', 'events', 'rooms', 'records', 'nodes', 'members', 'departments', 'calendar_list', 'acl_list', 'freebusy_list',
] as const;

/**
 * The first known name whose value is an array, else the alphabetically (byte order) first key
 * whose value is an array.
 */
export function findListField(obj: unknown): string | undefined {
  if (!isPlainObject(obj)) return undefined;
  for (const name of KNOWN_LIST_FIELDS) {
    if (Object.prototype.hasOwnProperty.call(obj, name) && Array.isArray(obj[name])) return name;
  }
  let best: string | undefined;
  for (const k of Object.keys(obj)) {
    if (Array.isArray(obj[k]) && (best === undefined || byteOrder(k, best) < 0)) best = k;
  }
  return best;
}
