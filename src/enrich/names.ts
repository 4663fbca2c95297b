/**
 * Sender-name resolution (docs/shortcuts-read.md): names harvested for free from mentions, then
 * the missing `ou_` user senders looked up through the contact API — `basic_batch` (≤10 ids per
 * call) for user identity, `users/batch` (≤50) for bot identity. Batches run concurrently under
 * the shared limit; a failed batch is skipped silently. One cache per command run.
 *
 * Look-ups started by different stages (outer messages, merge-forward sub-items, thread
 * replies) may overlap in time: a stage first waits for the look-ups already in flight for the
 * ids it needs, then requests only those still unknown — the same requests a sequential run
 * would make.
 */
import type { Identity } from '../core/config.js';
import { isPlainObject } from '../core/json.js';
import type { ApiRequest } from '../client/api-client.js';

/** What the resolver needs of the enrichment context (context.ts builds one). */
export interface NameLookup {
  identity: Identity;
  call<T = Record<string, unknown>>(req: ApiRequest): Promise<T>;
}

const USER_BATCH = 10;
const BOT_BATCH = 50;

interface Named {
  sender?: unknown;
  mentions?: unknown;
}

function mentionId(id: unknown, objectIds: boolean): string {
  if (typeof id === 'string') return id;
  if (objectIds && isPlainObject(id) && typeof id.open_id === 'string') return id.open_id;
  return '';
}

export class NameResolver {
  readonly cache = new Map<string, string>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly ctx: NameLookup) {}

  /**
   * Resolves the senders of `items` into the cache. `objectIds`: also harvest mentions whose
   * `id` is an `{open_id}` object (projected messages carry the extracted string already).
   */
  async resolve(items: Named[], objectIds = true): Promise<void> {
    for (const it of items) {
      if (!Array.isArray(it.mentions)) continue;
      for (const m of it.mentions) {
        if (!isPlainObject(m)) continue;
        const id = mentionId(m.id, objectIds);
        const name = typeof m.name === 'string' ? m.name : '';
        if (id.startsWith('ou_') && name) this.cache.set(id, name);
      }
    }
    const wanted = this.missing(items);
    const waits = [...new Set(wanted.map((id) => this.inflight.get(id)).filter((p): p is Promise<void> => !!p))];
    if (waits.length) await Promise.all(waits);
    const ids = this.missing(items).filter((id) => !this.inflight.has(id));
    const size = this.ctx.identity === 'bot' ? BOT_BATCH : USER_BATCH;
    for (let i = 0; i < ids.length; i += size) {
      const batch = ids.slice(i, i + size);
      const p: Promise<void> = this.lookup(batch).finally(() => {
        for (const id of batch) if (this.inflight.get(id) === p) this.inflight.delete(id);
      });
      for (const id of batch) this.inflight.set(id, p);
    }
    // our batches and any started meanwhile by another stage for the same ids
    const pending = [...new Set(this.missing(items).map((id) => this.inflight.get(id)).filter((p): p is Promise<void> => !!p))];
    if (pending.length) await Promise.all(pending);
  }

  /** Distinct `ou_` user senders not in the cache, first-seen order. */
  private missing(items: Named[]): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const it of items) {
      const s = it.sender;
      if (!isPlainObject(s) || s.sender_type !== 'user' || typeof s.id !== 'string') continue;
      const id = s.id;
      if (!id.startsWith('ou_') || this.cache.has(id) || seen.has(id)) continue;
      seen.add(id);
      out.push(id);
    }
    return out;
  }

  private async lookup(batch: string[]): Promise<void> {
    try {
      if (this.ctx.identity === 'bot') {
        const data = await this.ctx.call<{ items?: unknown }>({
          method: 'GET',
          path: '/open-apis/contact/v3/users/batch',
          query: [['user_id_type', 'open_id'], ...batch.map((id): [string, string] => ['user_ids', id])],
        });
        this.take(data.items, 'open_id');
      } else {
        const data = await this.ctx.call<{ users?: unknown }>({
          method: 'POST',
          path: '/open-apis/contact/v3/users/basic_batch',
          query: { user_id_type: 'open_id' },
          body: { user_ids: batch },
        });
        this.take(data.users, 'user_id');
      }
    } catch {
      // a failed batch is skipped silently; the senders keep their raw fields
    }
  }

  private take(list: unknown, idKey: string): void {
    if (!Array.isArray(list)) return;
    for (const u of list) {
      if (!isPlainObject(u)) continue;
      const id = typeof u[idKey] === 'string' ? (u[idKey] as string) : '';
      const name = typeof u.name === 'string' ? u.name : '';
      if (id && name) this.cache.set(id, name);
    }
  }

  /** Sets `sender.name` on every item whose sender id has a cached name. */
  attach(items: Named[]): void {
    for (const it of items) {
      const s = it.sender;
      if (!isPlainObject(s) || typeof s.id !== 'string') continue;
      const name = this.cache.get(s.id);
      if (name !== undefined) s.name = name;
    }
  }
}
