/**
 * One running emulator: the tables, their store, the clock, the seed it resets to, the request
 * journal and the armed faults. The HTTP server (server.ts) hands each request to it.
 */
import { EventEmitter } from 'node:events';
import { Db, type Op, type TableName } from './state.js';
import { Store } from './store.js';

export interface JournalEntry {
  seq: number;
  /** Wall-clock ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  identity: 'bot' | 'user' | null;
  app_id: string | null;
  /** open_id of a user caller. */
  open_id: string | null;
  status: number;
  /** Lark code of the answer (null for non-JSON answers such as downloads). */
  code: number | null;
  /** Why a request was refused (scope, membership, …), when it was. */
  verdict?: string;
  duration_ms: number;
  /** Set when a fault answered the request. */
  fault?: boolean;
  /** The request's Range header, when it had one (resource downloads). */
  range?: string;
}

export interface Fault {
  method?: string;
  path: string;
  status?: number;
  code?: number;
  msg?: string;
  headers?: Record<string, string>;
  delay_ms?: number;
  drop?: boolean;
  /** Carry the request out first, then drop or replace its answer (a response lost after the commit). */
  after?: boolean;
  /** How many matching requests it still answers (default 1). */
  times: number;
}

export class Clock {
  /** ms added to the wall clock (POST /_emulator/clock). Kept in the db's meta table. */
  constructor(private db: Db) {}
  get offset(): number {
    const v = this.db.t.meta.get('clock_offset')?.value;
    return typeof v === 'number' ? v : 0;
  }
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.db.put('meta', 'clock_offset', { key: 'clock_offset', value: this.offset + ms });
  }
}

export interface EmulatorOptions {
  /** The tables to reset to (built from the seed). */
  seedTables: Partial<Record<TableName, Record<string, unknown>>>;
  /** Blobs that come with the seed (images and files of the demo). */
  seedBlobs?: Record<string, Buffer>;
  dataDir?: string | null;
  /** Approve device logins at once, as the seed's login_as user (default true). */
  autoApprove?: boolean;
  /** Added before every answer (ms). */
  latencyMs?: number;
  /** Most journal entries kept (oldest dropped first). */
  journalLimit?: number;
}

export class Emulator {
  readonly db = new Db();
  readonly store: Store;
  readonly clock: Clock;
  readonly journal: JournalEntry[] = [];
  faults: Fault[] = [];
  readonly events = new EventEmitter();
  private journalSeq = 0;
  /** Set when the state came from the data folder rather than the seed. */
  readonly resumed: boolean;

  constructor(readonly opts: EmulatorOptions) {
    this.events.setMaxListeners(0);
    this.store = new Store(this.db, opts.dataDir ?? null);
    this.clock = new Clock(this.db);
    this.store.listener = (op: Op) => this.events.emit('change', op);
    if (this.store.hasState()) {
      this.store.open();
      this.resumed = true;
    } else {
      this.resetToSeed();
      this.resumed = false;
    }
  }

  get autoApprove(): boolean {
    return this.opts.autoApprove !== false;
  }

  /** The seed's login_as user (device logins are approved as this user). */
  get loginAs(): string | undefined {
    const v = this.db.t.meta.get('login_as')?.value;
    return typeof v === 'string' ? v : undefined;
  }

  /** Back to the seed, atomically (one snapshot replaces the state). */
  resetToSeed(): void {
    this.db.load(structuredClone(this.opts.seedTables));
    this.store.blobs.clear();
    for (const [k, v] of Object.entries(this.opts.seedBlobs ?? {})) this.store.blobs.put(k, v);
    this.store.compact();
    this.events.emit('reset');
  }

  record(e: Omit<JournalEntry, 'seq'>): JournalEntry {
    const entry = { seq: ++this.journalSeq, ...e };
    this.journal.push(entry);
    const limit = this.opts.journalLimit ?? 10000;
    if (this.journal.length > limit) this.journal.splice(0, this.journal.length - limit);
    this.events.emit('request', entry);
    return entry;
  }

  /** A user or app name for display (sender names, mentions). */
  displayName(id: string): string {
    return this.db.t.users.get(id)?.name ?? this.db.t.apps.get(id)?.name ?? id;
  }

  /** The caller's id and type for records they create. */
  static actor(caller: { identity: 'bot' | 'user'; actorId: string; app: { app_id: string } }): { id: string; idType: 'open_id' | 'app_id'; type: 'user' | 'app' } {
    return caller.identity === 'user' ? { id: caller.actorId, idType: 'open_id', type: 'user' } : { id: caller.app.app_id, idType: 'app_id', type: 'app' };
  }

  close(): void {
    this.store.close();
  }
}
