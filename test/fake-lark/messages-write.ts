/**
 * Fake Lark handlers for writing messages and downloading resources (docs/shortcuts-write.md):
 * send, reply, image/file uploads, remote media served by the fake itself, and message
 * resources served whole or in HTTP ranges — including misbehaving servers (short or overlong
 * ranges, bad Content-Range, error statuses, bodies cut off mid-way).
 *
 * Resource bytes are generated deterministically on the fly (`resourceBytes(start, len)`), so a
 * large resource never sits in memory.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { larkOk } from './handlers.js';
import type { RecordedRequest } from './server.js';

// ---------------------------------------------------------------------------
// Deterministic resource bytes

/** Pattern period: a prime, so chunks written at a wrong offset never look right. */
const PERIOD = 65_521;
const PATTERN = (() => {
  const b = Buffer.alloc(PERIOD * 2);
  let x = 0x2545f491;
  for (let i = 0; i < PERIOD; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  b.copy(b, PERIOD, 0, PERIOD);
  return b;
})();

/** Bytes [start, start+len) of every fake resource (copied). */
export function resourceBytes(start: number, len: number): Buffer {
  const out = Buffer.alloc(len);
  let done = 0;
  while (done < len) {
    const at = (start + done) % PERIOD;
    const n = Math.min(len - done, PERIOD);
    PATTERN.copy(out, done, at, at + n);
    done += n;
  }
  return out;
}

/** A body producing bytes [start, start+len) lazily; `breakAfter` errors the stream after that many bytes. */
function lazyBody(start: number, len: number, breakAfter?: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const limit = breakAfter === undefined ? len : Math.min(len, breakAfter);
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (sent >= limit) {
        if (breakAfter !== undefined && breakAfter < len) ctrl.error(new Error('fake: connection cut'));
        else ctrl.close();
        return;
      }
      const n = Math.min(64 * 1024, limit - sent);
      ctrl.enqueue(resourceBytes(start + sent, n));
      sent += n;
    },
  });
}

// ---------------------------------------------------------------------------
// Send, reply, uploads

export interface SentMessage {
  message_id?: string;
  chat_id?: string;
  create_time?: string;
}

/** POST /open-apis/im/v1/messages → `data` (default om_sent / oc_123 / 1712345678901). */
export function sendHandler(data: SentMessage = {}): RequestHandler {
  return http.post('*/open-apis/im/v1/messages', () =>
    larkOk({ message_id: 'om_sent', chat_id: 'oc_123', create_time: '1712345678901', msg_type: 'text', ...data }),
  );
}

/** POST /open-apis/im/v1/messages/:id/reply. */
export function replyHandler(data: SentMessage = {}): RequestHandler {
  return http.post('*/open-apis/im/v1/messages/:message_id/reply', () =>
    larkOk({ message_id: 'om_r1', chat_id: 'oc_123', create_time: '1712345678901', msg_type: 'text', ...data }),
  );
}

/** POST /open-apis/im/v1/images → image_key `img_v3_up1`, `img_v3_up2`, … (or the given keys in turn). */
export function imageUploadHandler(keys?: string[]): RequestHandler {
  let n = 0;
  return http.post('*/open-apis/im/v1/images', () => {
    n++;
    return larkOk({ image_key: keys?.[n - 1] ?? `img_v3_up${n}` });
  });
}

/** POST /open-apis/im/v1/files → file_key `file_v3_up1`, … */
export function fileUploadHandler(keys?: string[]): RequestHandler {
  let n = 0;
  return http.post('*/open-apis/im/v1/files', () => {
    n++;
    return larkOk({ file_key: keys?.[n - 1] ?? `file_v3_up${n}` });
  });
}

/** GET /media/<name> on the fake itself (remote media for the URL flows). */
export function mediaHandler(name: string, body: Buffer | string, init: { status?: number; contentType?: string } = {}): RequestHandler {
  return http.get(`*/media/${name}`, () =>
    new HttpResponse(typeof body === 'string' ? body : new Uint8Array(body), {
      status: init.status ?? 200,
      headers: { 'content-type': init.contentType ?? 'application/octet-stream' },
    }),
  );
}

/** The multipart fields of a recorded upload: text fields as strings, files as Buffers. */
export async function multipartFields(rec: RecordedRequest): Promise<Record<string, string | { name: string; type: string; bytes: Buffer }>> {
  const form = await new Response(new Uint8Array(rec.body), { headers: { 'content-type': rec.headers['content-type'] ?? '' } }).formData();
  const out: Record<string, string | { name: string; type: string; bytes: Buffer }> = {};
  const files: Array<[string, File]> = [];
  form.forEach((v, k) => {
    if (typeof v === 'string') out[k] = v;
    else files.push([k, v as File]);
  });
  for (const [k, f] of files) out[k] = { name: f.name, type: f.type, bytes: Buffer.from(await f.arrayBuffer()) };
  return out;
}

/** Multipart field names in the order they were sent. */
export async function multipartOrder(rec: RecordedRequest): Promise<string[]> {
  const form = await new Response(new Uint8Array(rec.body), { headers: { 'content-type': rec.headers['content-type'] ?? '' } }).formData();
  const keys: string[] = [];
  form.forEach((_v, k) => keys.push(k));
  return keys;
}

// ---------------------------------------------------------------------------
// Resources

export interface ResourceOptions {
  messageId: string;
  fileKey: string;
  size: number;
  contentType?: string;
  contentDisposition?: string;
  /** `range` (default) answers Range requests with 206; `full` ignores Range and answers 200. */
  mode?: 'range' | 'full';
  /** Omit Content-Length on a 200 answer. */
  noContentLength?: boolean;
  /** Misbehaviour for the answer to the range starting at `at` (0 = the probe / the whole body). */
  fault?: {
    at: number;
    kind: 'short' | 'overlong' | 'bad-content-range' | 'wrong-start' | 'status' | 'cut-once' | 'cut-always' | 'status-200';
    /** For `status`: the status and body. */
    status?: number;
    body?: string;
    /** For `bad-content-range`: the header value sent. */
    contentRange?: string;
  };
  /** Answer every request with this status and body (e.g. 403 `denied`). */
  status?: number;
  body?: string;
  /** Hold each answer after the probe this long (a slow, distant server). */
  chunkDelayMs?: number;
  /** Counts answers being held at the same time (with `chunkDelayMs`): `max` is the most seen. */
  inFlight?: { now: number; max: number };
}

/** Recorded resource requests carry this header so tests can read the Range asked for. */
export function rangeOf(rec: RecordedRequest): string | undefined {
  return rec.headers.range;
}

/**
 * GET /open-apis/im/v1/messages/:message_id/resources/:file_key serving `size` deterministic
 * bytes, whole (200, Content-Length) or by `Range: bytes=a-b` (206, Content-Range).
 */
export function resourceHandler(opts: ResourceOptions): RequestHandler {
  const cuts = new Map<number, number>();
  return http.get(`*/open-apis/im/v1/messages/${opts.messageId}/resources/${opts.fileKey}`, async ({ request }) => {
    const hold = opts.chunkDelayMs && !/^bytes=0-/.test(request.headers.get('range') ?? 'bytes=0-') ? opts.chunkDelayMs : 0;
    if (hold) {
      const c = opts.inFlight;
      if (c) c.max = Math.max(c.max, ++c.now);
      await new Promise((r) => setTimeout(r, hold));
      if (c) c.now--;
    }
    if (opts.status) return new HttpResponse(opts.body ?? '', { status: opts.status, headers: { 'content-type': 'text/plain' } });
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/octet-stream' };
    if (opts.contentDisposition) headers['content-disposition'] = opts.contentDisposition;
    const range = request.headers.get('range');
    const m = range ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    const useRange = m && opts.mode !== 'full';
    const start = useRange ? Number(m![1]) : 0;
    const end = useRange ? Math.min(Number(m![2]), opts.size - 1) : opts.size - 1;
    let len = end - start + 1;
    let declared = `bytes ${start}-${end}/${opts.size}`;
    let status = useRange ? 206 : 200;
    let breakAfter: number | undefined;
    const f = opts.fault && opts.fault.at === start ? opts.fault : undefined;
    if (f) {
      switch (f.kind) {
        case 'status':
          return new HttpResponse(f.body ?? '', { status: f.status ?? 500, headers: { 'content-type': 'text/plain' } });
        case 'short':
          len = Math.max(0, len - 100);
          break;
        case 'overlong':
          len += 100;
          break;
        case 'bad-content-range':
          declared = f.contentRange ?? 'bytes */*';
          break;
        case 'wrong-start':
          declared = `bytes ${start + 1}-${end}/${opts.size}`;
          break;
        case 'cut-once':
          if (!cuts.has(start)) {
            cuts.set(start, 1);
            breakAfter = Math.floor(len / 2);
          }
          break;
        case 'cut-always':
          breakAfter = Math.floor(len / 2);
          break;
        case 'status-200':
          status = 200;
          break;
      }
    }
    if (status === 206) headers['content-range'] = declared;
    if (status === 200 && !opts.noContentLength && breakAfter === undefined) headers['content-length'] = String(len);
    // ranges carry a Content-Length, as the real server's do (the CLI's direct range path needs it)
    if (status === 206 || breakAfter !== undefined) headers['content-length'] = String(len);
    return new HttpResponse(lazyBody(start, len, breakAfter), { status, headers });
  });
}

// ---------------------------------------------------------------------------
// Media files with a known duration

/** A minimal MP4: `ftyp`, then `moov` holding a version-0 `mvhd` with the given timescale and duration. */
export function mp4Bytes(timescale: number, duration: number): Buffer {
  const box = (type: string, payload: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + payload.length, 0);
    h.write(type, 4, 'latin1');
    return Buffer.concat([h, payload]);
  };
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(timescale, 12);
  mvhd.writeUInt32BE(duration, 16);
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1')), box('free', Buffer.alloc(16)), box('moov', box('mvhd', mvhd)), box('mdat', Buffer.alloc(64, 9))]);
}

/** A minimal OGG stream whose last page carries `granule` (48 kHz samples). */
export function oggBytes(granule: number): Buffer {
  const page = (g: number) => {
    const p = Buffer.alloc(64);
    p.write('OggS', 0, 'latin1');
    p.writeBigUInt64LE(BigInt(g), 6);
    return p;
  };
  return Buffer.concat([page(0), Buffer.alloc(200, 1), page(granule), Buffer.alloc(30, 2)]);
}
