/**
 * A multipart/form-data request body, streamed: text fields, and file parts read from a local
 * file (re-opened for every attempt) or from bytes already in memory.
 *
 *   const form = new Multipart().field('file_type', 'pdf').file('file', { path, size }, 'unknown-file');
 *   form.headers()   // Content-Type with the boundary, and Content-Length, known before sending
 *   form.stream()    // a fresh Readable of the whole body, from the first byte: call it per attempt
 *
 * Files are read with 1 MiB reads, so memory does not grow with the file; the length is the sum
 * of the part heads and the sizes given (a local file's size as stat'ed when the part was added:
 * a file that changes size meanwhile fails the stream rather than sending a body that does not
 * match its Content-Length). The encoding is the one of Go's mime/multipart, which the original
 * uses: a file part carries `Content-Type: application/octet-stream`; `\` and `"` in names are
 * escaped with a backslash; the boundary is 60 random hex digits.
 *
 * It stays clear of the global `FormData` on purpose: the first touch of that global (even
 * `x instanceof FormData`) makes Node load its bundled copy of undici, ~25 ms per command.
 */
import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { randomBytes } from '../core/node-crypto.js';

/** The bytes of one read from a file, and of one chunk handed to the transport. */
export const MULTIPART_CHUNK_BYTES = 1024 * 1024;

/** A file part's content: a local file (`size` as stat'ed) or bytes in memory. */
export type MultipartSource = { path: string; size: number } | Uint8Array;

type Segment = Uint8Array | { path: string; size: number };

/** Bytes of the body sent so far, for a progress bar; `restart` when a retry sends it again. */
export interface MultipartProgress {
  add(n: number): void;
  restart(): void;
}

function escapeQuotes(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`);
}

export class Multipart {
  readonly boundary = randomBytes(30).toString('hex');
  private readonly segments: Segment[] = [];
  private size = 0;
  private closed: Buffer | undefined;
  /** Told of every chunk as the transport takes it (set by the client for large uploads). */
  progress?: MultipartProgress;

  private push(seg: Segment): void {
    if (this.closed) throw new Error('multipart: body already sent');
    this.segments.push(seg);
    this.size += seg instanceof Uint8Array ? seg.length : seg.size;
  }

  private head(disposition: string, type?: string): Buffer {
    const first = this.segments.length === 0 ? '' : '\r\n';
    return Buffer.from(`${first}--${this.boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`, 'utf8');
  }

  /** A text field. */
  field(name: string, value: string): this {
    this.push(this.head(`form-data; name="${escapeQuotes(name)}"`));
    this.push(Buffer.from(value, 'utf8'));
    return this;
  }

  /** A file part: a local file (never held in memory) or bytes. */
  file(name: string, source: MultipartSource, filename: string): this {
    this.push(this.head(`form-data; name="${escapeQuotes(name)}"; filename="${escapeQuotes(filename)}"`, 'application/octet-stream'));
    this.push(source instanceof Uint8Array ? source : { path: source.path, size: source.size });
    return this;
  }

  private tail(): Buffer {
    if (!this.closed) {
      this.closed = Buffer.from(`${this.segments.length ? '\r\n' : ''}--${this.boundary}--\r\n`, 'utf8');
      this.size += this.closed.length;
    }
    return this.closed;
  }

  /** The whole body's length in bytes. */
  get length(): number {
    this.tail();
    return this.size;
  }

  /** The headers the body is sent with. */
  headers(): Record<string, string> {
    return { 'content-type': `multipart/form-data; boundary=${this.boundary}`, 'content-length': String(this.length) };
  }

  /** The body from its first byte (every call reads the files again). */
  stream(): Readable {
    const tail = this.tail();
    const segments = [...this.segments, tail];
    const progress = this.progress;
    progress?.restart();
    return Readable.from(chunks(segments, progress), { objectMode: false, highWaterMark: MULTIPART_CHUNK_BYTES });
  }
}

async function* chunks(segments: Segment[], progress: MultipartProgress | undefined): AsyncGenerator<Uint8Array> {
  // the bytes of a chunk count once the consumer asks for the next one, i.e. took this one
  let pending = 0;
  const take = (c: Uint8Array) => {
    if (pending) progress?.add(pending);
    pending = c.length;
    return c;
  };
  for (const seg of segments) {
    if (seg instanceof Uint8Array) {
      if (seg.length) yield take(seg);
      continue;
    }
    for await (const c of fileChunks(seg.path, seg.size)) yield take(c);
  }
  if (pending) progress?.add(pending);
}

const fsCall = <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

async function* fileChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  const fd = await fsCall<number>((cb) => open(path, 'r', cb));
  try {
    let pos = 0;
    while (pos < size) {
      // a fresh buffer per read: the socket may still hold the previous ones
      const buf = Buffer.allocUnsafe(Math.min(MULTIPART_CHUNK_BYTES, size - pos));
      const n = await fsCall<number>((cb) => read(fd, buf, 0, buf.length, pos, cb));
      if (n === 0) throw new Error(`${path}: file shrank while it was being sent (${pos} of ${size} bytes)`);
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
    const extra = await fsCall<number>((cb) => read(fd, Buffer.alloc(1), 0, 1, size, cb));
    if (extra) throw new Error(`${path}: file grew while it was being sent (more than ${size} bytes)`);
  } finally {
    await fsCall<void>((cb) => close(fd, (e) => cb(e, undefined)));
  }
}
