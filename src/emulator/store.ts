/**
 * Durability. In memory by default; with a data folder every acknowledged write survives a
 * restart and a `kill -9` at any moment:
 *
 * - Handlers change the tables only through `Db.put` / `Db.del`. Each change is a whole record
 *   (or its removal), so applying a change twice gives the same result as once.
 * - The changes a request made are appended to `wal.jsonl` as one line, and the file is
 *   fdatasync'ed before the response is written (group commit: all requests that finished in the
 *   same turn of the event loop share one write and one sync). A write the client saw
 *   acknowledged is therefore on disk.
 * - A crash can leave a torn last line; it was never acknowledged, so loading drops it (and any
 *   line after it) and truncates the log there.
 * - Snapshot and log carry an epoch: `state.json` has `epoch: N` and the log's first line is
 *   `{"epoch":N}`; a log is replayed only over the snapshot of its own epoch.
 * - Compaction (and a reset, which is a compaction to the seed's state) writes `state.json` with
 *   epoch N+1 to a temporary file, fsyncs it, renames it over the old one and fsyncs the folder,
 *   then puts a fresh log of epoch N+1 in place the same way. A crash before the first rename
 *   keeps the old snapshot and log (every acknowledged write); a crash between the two renames
 *   leaves the log of epoch N beside the snapshot of N+1, and loading ignores it: the snapshot
 *   already holds those changes (compaction) or must not get them back (reset).
 * - Uploaded bytes go to `blobs/<key>` (temporary file, fsync, rename) before the change that
 *   names them is logged. A reset only marks the current blobs for deletion; they are deleted
 *   once the new snapshot is in place, so a crash during a reset leaves the old state with its
 *   bytes.
 */
import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync, ftruncateSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Db, Op, TableName } from './state.js';

export interface Snapshot {
  format: 'lark-emulator-state';
  version: 1;
  tables: Record<TableName, Record<string, unknown>>;
  /** Which log belongs to this snapshot (store.ts header); absent in exports and older folders. */
  epoch?: number;
  /** Blobs inline (base64), only in exports. */
  blobs?: Record<string, string>;
}

export interface BlobStore {
  put(key: string, data: Buffer): void;
  /** The whole blob, or undefined. */
  get(key: string): Buffer | undefined;
  /** Bytes [start, end] inclusive. */
  range(key: string, start: number, end: number): Buffer | undefined;
  size(key: string): number | undefined;
  keys(): string[];
  clear(): void;
  /** Deletes what clear() let go of, once the state that no longer names it is durable. */
  purge?(): void;
}

class MemoryBlobs implements BlobStore {
  private m = new Map<string, Buffer>();
  put(key: string, data: Buffer): void {
    this.m.set(key, data);
  }
  get(key: string): Buffer | undefined {
    return this.m.get(key);
  }
  range(key: string, start: number, end: number): Buffer | undefined {
    return this.m.get(key)?.subarray(start, end + 1);
  }
  size(key: string): number | undefined {
    return this.m.get(key)?.length;
  }
  keys(): string[] {
    return [...this.m.keys()];
  }
  clear(): void {
    this.m.clear();
  }
}

function safeName(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]/g, '_');
}

class DiskBlobs implements BlobStore {
  /** Files clear() gave up: invisible at once, deleted by purge(). */
  private doomed = new Set<string>();
  constructor(private dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private file(key: string): string {
    return path.join(this.dir, safeName(key));
  }
  private gone(key: string): boolean {
    return this.doomed.size > 0 && this.doomed.has(safeName(key));
  }
  put(key: string, data: Buffer): void {
    this.doomed.delete(safeName(key));
    const f = this.file(key);
    writeDurably(`${f}.tmp-${process.pid}`, f, data);
    syncDir(this.dir);
  }
  get(key: string): Buffer | undefined {
    if (this.gone(key)) return undefined;
    try {
      return readFileSync(this.file(key));
    } catch {
      return undefined;
    }
  }
  range(key: string, start: number, end: number): Buffer | undefined {
    if (this.gone(key)) return undefined;
    let fd: number;
    try {
      fd = openSync(this.file(key), 'r');
    } catch {
      return undefined;
    }
    try {
      const buf = Buffer.allocUnsafe(end - start + 1);
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }
  size(key: string): number | undefined {
    if (this.gone(key)) return undefined;
    try {
      return statSync(this.file(key)).size;
    } catch {
      return undefined;
    }
  }
  keys(): string[] {
    return readdirSync(this.dir).filter((f) => !f.includes('.tmp-') && !this.doomed.has(f));
  }
  clear(): void {
    for (const f of readdirSync(this.dir)) this.doomed.add(f);
  }
  purge(): void {
    for (const f of this.doomed) rmSync(path.join(this.dir, f), { force: true });
    this.doomed.clear();
  }
}

/** Writes `tmp`, fsyncs it and renames it over `file`. */
function writeDurably(tmp: string, file: string, data: string | Buffer): void {
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems do not sync folders */
  }
}

/** Compaction threshold for the log. */
const WAL_COMPACT_BYTES = 64 * 1024 * 1024;

export class Store {
  readonly blobs: BlobStore;
  private pending: Op[] = [];
  private waiters: Array<() => void> = [];
  private scheduled = false;
  private walFd: number | undefined;
  private walBytes = 0;
  /** The epoch of the snapshot on disk and of the log being appended to. */
  private epoch = 0;

  constructor(
    private db: Db,
    readonly dataDir: string | null,
  ) {
    this.blobs = dataDir ? new DiskBlobs(path.join(dataDir, 'blobs')) : new MemoryBlobs();
    db.onChange = (op) => {
      this.pending.push(op);
      this.listener?.(op);
    };
  }

  /** Called with every change as it happens (the web page's live feed). */
  listener: ((op: Op) => void) | undefined;

  private get walPath(): string {
    return path.join(this.dataDir!, 'wal.jsonl');
  }
  private get snapPath(): string {
    return path.join(this.dataDir!, 'state.json');
  }

  /** Whether the data folder already holds a state. */
  hasState(): boolean {
    return !!this.dataDir && (existsSync(this.snapPath) || existsSync(this.walPath));
  }

  /** Loads snapshot + log from the data folder into the Db (replacing it), then compacts. */
  open(): void {
    if (!this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    let tables: Snapshot['tables'] | undefined;
    let epoch = 0;
    if (existsSync(this.snapPath)) {
      let snap: Snapshot;
      try {
        snap = JSON.parse(readFileSync(this.snapPath, 'utf8')) as Snapshot;
      } catch (e) {
        throw new Error(`cannot load ${this.snapPath}: ${(e as Error).message}`);
      }
      tables = snap.tables;
      epoch = typeof snap.epoch === 'number' ? snap.epoch : 0;
    }
    this.db.load(tables ?? {});
    if (existsSync(this.walPath)) {
      const text = readFileSync(this.walPath);
      let good = 0;
      let start = 0;
      // the header names the log's epoch (a log without one is of epoch 0)
      let walEpoch = 0;
      const nl0 = text.indexOf(0x0a);
      if (nl0 >= 0) {
        try {
          const h = JSON.parse(text.subarray(0, nl0).toString('utf8')) as { epoch?: unknown; ops?: unknown };
          if (typeof h.epoch === 'number' && h.ops === undefined) {
            walEpoch = h.epoch;
            start = good = nl0 + 1;
          }
        } catch {
          /* a torn first line: handled below */
        }
      }
      // a log of another epoch predates the snapshot (a crash during compaction or reset)
      if (walEpoch !== epoch) start = good = text.length;
      for (;;) {
        const nl = text.indexOf(0x0a, start);
        if (nl < 0) break; // a line without its newline was never acknowledged
        let rec: { ops: Op[] } | undefined;
        try {
          rec = JSON.parse(text.subarray(start, nl).toString('utf8')) as { ops: Op[] };
        } catch {
          break;
        }
        for (const op of rec.ops) this.db.apply(op);
        start = nl + 1;
        good = start;
      }
      if (good < text.length) {
        const fd = openSync(this.walPath, 'r+');
        try {
          ftruncateSync(fd, good);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    }
    this.db.reindex();
    this.pending = [];
    this.compact();
  }

  /** Writes the whole state as the new snapshot and empties the log. */
  compact(): void {
    if (!this.dataDir) return;
    this.pending = [];
    const next = this.epoch + 1;
    const snap: Snapshot = { format: 'lark-emulator-state', version: 1, epoch: next, tables: this.db.dump() };
    writeDurably(`${this.snapPath}.tmp-${process.pid}`, this.snapPath, JSON.stringify(snap));
    syncDir(this.dataDir);
    // the snapshot of epoch `next` is in place: from here a crash ignores the old log
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    writeDurably(`${this.walPath}.tmp-${process.pid}`, this.walPath, JSON.stringify({ epoch: next }) + '\n');
    syncDir(this.dataDir);
    this.walFd = openSync(this.walPath, 'a', 0o600);
    this.epoch = next;
    this.walBytes = 0;
    this.blobs.purge?.();
  }

  /**
   * Resolves once every change made so far is durable (at once in memory). Requests that finish
   * in the same turn of the event loop share one write and one sync.
   */
  flush(): Promise<void> {
    if (!this.dataDir) {
      this.pending = [];
      return Promise.resolve();
    }
    if (this.pending.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.writeBatch());
      }
    });
  }

  /** Writes pending changes now (shutdown). */
  flushSync(): void {
    if (this.dataDir) this.writeBatch();
  }

  private writeBatch(): void {
    this.scheduled = false;
    const ops = this.pending;
    this.pending = [];
    const waiters = this.waiters;
    this.waiters = [];
    if (ops.length > 0 && this.walFd !== undefined) {
      const line = Buffer.from(JSON.stringify({ ops }) + '\n');
      writeSync(this.walFd, line);
      fdatasyncSync(this.walFd);
      this.walBytes += line.length;
    }
    for (const w of waiters) w();
    if (this.walBytes > WAL_COMPACT_BYTES) this.compact();
  }

  close(): void {
    this.flushSync();
    if (this.dataDir) this.compact();
    if (this.walFd !== undefined) {
      closeSync(this.walFd);
      this.walFd = undefined;
    }
  }
}
