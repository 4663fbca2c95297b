/**
 * Chat look-ups shared by the chat, feed-shortcut and feed-group shortcuts
 * (docs/shortcuts-chats-feed.md):
 *
 * - `lookupChats`: `POST /open-apis/im/v1/chats/batch_query` in chunks of 50 (deduplicated ids),
 *   the chunks in flight together under the command's request limit; `strict` (scope check first,
 *   any failing chunk fails the look-up) or `best-effort` (failing chunks are skipped).
 * - `applyMuteFilter`: `--exclude-muted` of `+chat-list` / `+chat-search`.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject } from '../core/json.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { chunk, mapLimit, mapLimitSettled } from '../shortcut/parallel.js';
import { checkRequiredScopes } from '../shortcut/scope-check.js';

export const CHAT_BATCH_PATH = '/open-apis/im/v1/chats/batch_query';
export const CHAT_BATCH_SIZE = 50;
export const CHAT_READ_SCOPE = 'im:chat:read';

export type Chat = Record<string, unknown>;

/** Non-empty strings, first occurrence kept. */
export function uniqueIds(ids: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ids) {
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

async function queryChunk(rt: ShortcutRuntime, ids: string[]): Promise<Chat[]> {
  const data = await rt.json<Record<string, unknown>>({
    method: 'POST',
    path: CHAT_BATCH_PATH,
    query: { user_id_type: 'open_id' },
    body: { chat_ids: ids },
  });
  return Array.isArray(data.items) ? data.items.filter(isPlainObject) : [];
}

function index(into: Map<string, Chat>, chats: Chat[]): void {
  for (const c of chats) {
    if (typeof c.chat_id === 'string' && c.chat_id !== '') into.set(c.chat_id, c);
  }
}

/** Full chat objects by chat_id, for the chats the server returned. */
export async function lookupChats(rt: ShortcutRuntime, ids: Iterable<string>, policy: 'strict' | 'best-effort'): Promise<Map<string, Chat>> {
  const out = new Map<string, Chat>();
  const unique = uniqueIds(ids);
  if (unique.length === 0) return out;
  const chunks = chunk(unique, CHAT_BATCH_SIZE);
  if (policy === 'strict') {
    await checkRequiredScopes(rt, [CHAT_READ_SCOPE]);
    for (const chats of await mapLimit(chunks, (c) => queryChunk(rt, c))) index(out, chats);
  } else {
    for (const r of await mapLimitSettled(chunks, (c) => queryChunk(rt, c))) if (r.status === 'fulfilled') index(out, r.value);
  }
  return out;
}

// ---------------------------------------------------------------------------
// --exclude-muted

export const MUTE_STATUS_PATH = '/open-apis/im/v1/chat_user_setting/batch_get_mute_status';

export interface MuteFilterInput {
  /** --exclude-muted was given. */
  exclude: boolean;
  hasMore: boolean;
  /** Set by +chat-search when --search-types is exactly public_not_joined. */
  allNonMember?: boolean;
}

export interface MuteFilterResult {
  /** The rows to print: unchanged (same array) when the filter did not run. */
  rows: Chat[] | undefined;
  /** `data.filter`, only with --exclude-muted. */
  filter?: Record<string, unknown>;
  hint: string;
}

const BOT_HINT =
  '--exclude-muted has no effect under bot identity (mute is a per-user setting, bots have no mute data); returned all results unfiltered. Use --as user to filter.';

function filterObject(fetched: number, returned: number, filtered: number, hint: string): Record<string, unknown> {
  return { applied: 'exclude_muted', fetched_count: fetched, returned_count: returned, filtered_count: filtered, hint };
}

/**
 * Drops the rows the user has muted. Rows whose mute state is unknown (invalid ids, ids the server
 * did not answer for, rows without chat_id) are kept and counted as non-member public groups.
 */
export async function applyMuteFilter(rt: ShortcutRuntime, input: MuteFilterInput, rows: Chat[] | undefined): Promise<MuteFilterResult> {
  if (!input.exclude) return { rows, hint: '' };
  const list = rows ?? [];
  const n = list.length;
  if (rt.identity === 'bot') return { rows, filter: filterObject(n, n, 0, BOT_HINT), hint: BOT_HINT };
  if (input.allNonMember) {
    const hint = `All results on this page are non-member public groups; mute filter does not apply. ${input.hasMore ? 'Use --page-token to fetch more.' : 'No more pages.'}`;
    return { rows, filter: filterObject(n, n, 0, hint), hint };
  }
  if (n === 0) return { rows, filter: filterObject(0, 0, 0, ''), hint: '' };

  const ids = uniqueIds(list.map((r) => (typeof r.chat_id === 'string' ? r.chat_id : '')));
  const muted = new Map<string, boolean>();
  const unknown = new Set<string>();
  if (ids.length) {
    let data: Record<string, unknown>;
    try {
      data = await rt.json<Record<string, unknown>>({ method: 'POST', path: MUTE_STATUS_PATH, body: { chat_ids: ids } });
    } catch (e) {
      if (e instanceof CliError) {
        e.message = `fetch mute status: ${e.message}`;
        throw e;
      }
      throw new CliError('internal', `fetch mute status: ${(e as Error).message}`);
    }
    for (const it of Array.isArray(data.items) ? data.items : []) {
      if (isPlainObject(it) && typeof it.chat_id === 'string' && it.chat_id !== '') muted.set(it.chat_id, it.is_muted === true);
    }
    for (const it of Array.isArray(data.invalid_id_list) ? data.invalid_id_list : []) {
      if (isPlainObject(it) && typeof it.id === 'string' && it.id !== '') unknown.add(it.id);
    }
  }
  const kept: Chat[] = [];
  let unknownCount = 0;
  for (const row of list) {
    const id = typeof row.chat_id === 'string' ? row.chat_id : '';
    if (id === '' || unknown.has(id) || !muted.has(id)) {
      kept.push(row);
      unknownCount++;
    } else if (!muted.get(id)) {
      kept.push(row);
    }
  }
  const filtered = n - kept.length;
  let hint = '';
  if (filtered > 0) {
    const tail = input.hasMore ? 'use --page-token to fetch more.' : 'no more pages.';
    hint =
      unknownCount > 0
        ? `Filtered out ${filtered} muted chat(s) on this page (${kept.length} remaining, including ${unknownCount} non-member public group(s)); ${tail}`
        : `Filtered out ${filtered} muted chat(s) on this page (${kept.length} remaining); ${tail}`;
  }
  return { rows: kept, filter: filterObject(n, kept.length, filtered, hint), hint };
}
