/**
 * Emulated endpoints: media. Image and file uploads (multipart), the bot's own downloads of what it
 * uploaded, and the message resource download with HTTP Range support, as the CLI's ranged download
 * (src/http/download.ts, src/http/range-fetch.ts) relies on: 206 + Content-Range for a satisfiable
 * range, 200 for none, 416 + `Content-Range: bytes *\/total` for an unsatisfiable one, always a
 * plain Content-Length, Content-Type, and Content-Disposition for files.
 */
import { isInChat, type Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { LarkError, newId, ok, type Reply } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';
import type { MessageRec, ResourceRec } from '../state.js';

/** Lark's limits: images at most 10 MB, files at most 30 MB, neither empty. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_FILE_BYTES = 30 * 1024 * 1024;

const UPLOAD_SCOPES = ['im:resource:upload', 'im:resource'];
const DOWNLOAD_SCOPES = ['im:message', 'im:message:readonly', 'im:message.history:readonly'];
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];

function invalidRequest(verdict: string): LarkError {
  return new LarkError(234001, 'Invalid request param.', 400, undefined, verdict);
}

/** A bot caller's app must have its bot ability on. */
function requireBot(caller: Caller): void {
  if (caller.identity === 'bot' && !caller.app.bot_enabled) {
    throw new LarkError(234007, 'App does not enable bot feature.', 400, undefined, `app ${caller.app.app_id} has no bot`);
  }
}

// ---- type detection ----

/** The image format from its first bytes (the formats Lark accepts), or undefined. */
export function sniffImage(b: Buffer): { mime: string; ext: string } | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((x, j) => b[i + j] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mime: 'image/png', ext: '.png' };
  if (at(0, 0xff, 0xd8, 0xff)) return { mime: 'image/jpeg', ext: '.jpg' };
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return { mime: 'image/gif', ext: '.gif' };
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return { mime: 'image/webp', ext: '.webp' };
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return { mime: 'image/tiff', ext: '.tiff' };
  if (at(0, 0x42, 0x4d)) return { mime: 'image/bmp', ext: '.bmp' };
  if (at(0, 0x00, 0x00, 0x01, 0x00)) return { mime: 'image/x-icon', ext: '.ico' };
  return undefined;
}

const EXT_MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.rar': 'application/x-rar-compressed',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.opus': 'audio/opus',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

const FILE_TYPE_MIME: Record<string, string> = {
  opus: 'audio/ogg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  stream: 'application/octet-stream',
};

/** The Content-Type a file is served with: from its name's extension, else from its file_type. */
export function fileMime(fileName: string, fileType: string): string {
  const dot = fileName.lastIndexOf('.');
  const ext = dot >= 0 ? fileName.slice(dot).toLowerCase() : '';
  return EXT_MIME[ext] ?? FILE_TYPE_MIME[fileType] ?? 'application/octet-stream';
}

// ---- uploads ----

function multipartOf(req: EmuRequest, what: string) {
  const mp = req.multipart;
  if (!mp) throw invalidRequest(`${what} upload is not multipart/form-data`);
  return mp;
}

function uploadImage(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  requireBot(caller);
  const mp = multipartOf(req, 'image');
  const imageType = mp.fields.image_type;
  if (imageType === undefined) throw invalidRequest('image_type is required');
  if (imageType !== 'message' && imageType !== 'avatar') throw invalidRequest(`image_type "${imageType}" is not message or avatar`);
  const part = mp.files.find((f) => f.field === 'image');
  if (!part) throw invalidRequest('the image part is missing');
  if (part.data.length === 0) throw new LarkError(234010, "File's size can't be 0.", 400, undefined, 'empty image');
  if (part.data.length > MAX_IMAGE_BYTES) {
    throw new LarkError(234006, 'The file size exceed the max value.', 400, undefined, `image of ${part.data.length} bytes is over the 10 MB limit`);
  }
  const kind = sniffImage(part.data);
  if (!kind) throw new LarkError(234011, "Can't regonnize the image format.", 400, undefined, 'not a JPEG, PNG, WEBP, GIF, TIFF, BMP or ICO image');
  const key = newId.image();
  emu.store.blobs.put(key, part.data);
  const rec: ResourceRec = {
    key,
    type: 'image',
    file_type: 'image',
    file_name: `${key}${kind.ext}`,
    mime: kind.mime,
    size: part.data.length,
    app_id: caller.app.app_id,
    create_time: String(req.now),
  };
  emu.db.put('resources', key, rec);
  return ok({ image_key: key });
}

function uploadFile(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  requireBot(caller);
  const mp = multipartOf(req, 'file');
  const fileType = mp.fields.file_type;
  if (fileType === undefined) throw invalidRequest('file_type is required');
  if (!FILE_TYPES.includes(fileType)) throw invalidRequest(`file_type "${fileType}" is not one of ${FILE_TYPES.join(', ')}`);
  const fileName = mp.fields.file_name;
  if (fileName === undefined || fileName.trim() === '') throw invalidRequest('file_name is required');
  let duration: number | undefined;
  const rawDuration = mp.fields.duration;
  if (rawDuration !== undefined && rawDuration !== '') {
    if (!/^\d+$/.test(rawDuration) || !Number.isSafeInteger(Number(rawDuration))) throw invalidRequest(`duration "${rawDuration}" is not a whole number of milliseconds`);
    duration = Number(rawDuration);
  }
  const part = mp.files.find((f) => f.field === 'file');
  if (!part) throw invalidRequest('the file part is missing');
  if (part.data.length === 0) throw new LarkError(234010, "File's size can't be 0.", 400, undefined, 'empty file');
  if (part.data.length > MAX_FILE_BYTES) {
    throw new LarkError(234006, 'The file size exceed the max value.', 400, undefined, `file of ${part.data.length} bytes is over the 30 MB limit`);
  }
  const key = newId.file();
  emu.store.blobs.put(key, part.data);
  const rec: ResourceRec = {
    key,
    type: 'file',
    file_type: fileType,
    file_name: fileName,
    mime: fileMime(fileName, fileType),
    size: part.data.length,
    app_id: caller.app.app_id,
    create_time: String(req.now),
  };
  if (duration !== undefined) rec.duration = duration;
  emu.db.put('resources', key, rec);
  return ok({ file_key: key });
}

// ---- serving bytes with Range ----

/** A parsed Range header: a byte range, unsatisfiable, or to be ignored (serve the whole). */
export type RangeSpec = { start: number; end: number } | 'unsatisfiable' | undefined;

/**
 * `Range: bytes=a-b | a- | -n` against a resource of `size` bytes (RFC 7233). A header in another
 * unit, with several ranges, or malformed (`bytes=x-y`, `b < a`) is ignored, as RFC 7233 allows and
 * common servers do: the whole resource is served with 200. A range that starts past the end (or a
 * zero-length suffix) is unsatisfiable: 416.
 */
export function parseRange(header: string | undefined, size: number): RangeSpec {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const specs = m[1]!.split(',');
  if (specs.length !== 1) return undefined;
  const r = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(specs[0]!);
  if (!r || (r[1] === '' && r[2] === '')) return undefined;
  if (r[1] === '') {
    const n = Number(r[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(r[1]);
  const end = r[2] === '' ? Infinity : Number(r[2]);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** `attachment; filename="…"` with an ASCII fallback, plus `filename*=UTF-8''…` for other names. */
export function contentDisposition(name: string): string {
  const ascii = /^[\x20-\x7e]*$/.test(name);
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  let v = `attachment; filename="${fallback}"`;
  if (!ascii) {
    const enc = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    v += `; filename*=UTF-8''${enc}`;
  }
  return v;
}

/** The bytes of a stored resource, whole or the asked range. Reads only the range from disk. */
function serveResource(req: EmuRequest, emu: Emulator, rec: ResourceRec): Reply {
  const size = emu.store.blobs.size(rec.key);
  if (size === undefined) throw new LarkError(234003, 'File not in msg.', 400, undefined, `no bytes stored for ${rec.key}`);
  const headers: Record<string, string> = { 'content-type': rec.mime, 'accept-ranges': 'bytes' };
  if (rec.type === 'file') headers['content-disposition'] = contentDisposition(rec.file_name);
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { 'content-range': `bytes */${size}`, 'content-length': '0', 'content-type': rec.mime }, raw: Buffer.alloc(0) };
  }
  if (range) {
    const raw = emu.store.blobs.range(rec.key, range.start, range.end) ?? Buffer.alloc(0);
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${range.start}-${range.start + raw.length - 1}/${size}`, 'content-length': String(raw.length) }, raw };
  }
  const raw = emu.store.blobs.get(rec.key) ?? Buffer.alloc(0);
  return { status: 200, headers: { ...headers, 'content-length': String(raw.length) }, raw };
}

// ---- which keys a message references ----

const KEY_FIELDS = new Set(['image_key', 'file_key', 'img_key']);

/** Every resource key in a content JSON string (images, files, post img/media elements, card images). */
export function contentKeys(content: string, out = new Set<string>()): Set<string> {
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return out;
  }
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        if (KEY_FIELDS.has(k) && typeof y === 'string' && y) out.add(y);
        else walk(y);
      }
    }
  };
  walk(v);
  return out;
}

/** Keys of a message; a merge_forward container also answers for its forwarded children (recursively). */
function messageKeys(emu: Emulator, m: MessageRec): Set<string> {
  const keys = contentKeys(m.content);
  if (m.msg_type !== 'merge_forward') return keys;
  const seen = new Set<string>([m.message_id]);
  let level = [m.message_id];
  while (level.length) {
    const parents = new Set(level);
    level = [];
    for (const c of emu.db.t.messages.values()) {
      if (c.upper_message_id && parents.has(c.upper_message_id) && !seen.has(c.message_id)) {
        seen.add(c.message_id);
        if (!c.deleted) contentKeys(c.content, keys);
        if (c.msg_type === 'merge_forward') level.push(c.message_id);
      }
    }
  }
  return keys;
}

function messageResource(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  requireBot(caller);
  const { message_id: messageId, file_key: fileKey } = req.params as { message_id: string; file_key: string };
  const type = req.query.get('type');
  if (!type) throw invalidRequest('type is required (image or file)');
  if (!['image', 'file', 'audio', 'media'].includes(type)) throw invalidRequest(`type "${type}" is not image or file`);
  const msg = emu.db.get('messages', messageId);
  if (!msg) throw invalidRequest(`message ${messageId} does not exist`);
  const chat = emu.db.get('chats', msg.chat_id);
  if (!chat || chat.deleted || !isInChat(chat, caller)) {
    throw new LarkError(234004, 'App not in chat.', 400, undefined, `${caller.identity} ${caller.actorId} cannot see chat ${msg.chat_id}`);
  }
  if (msg.upper_message_id) throw new LarkError(234003, 'File not in msg.', 400, undefined, `${messageId} is a forwarded child; use the merge_forward message ${msg.upper_message_id}`);
  if (msg.deleted) throw new LarkError(234003, 'File not in msg.', 400, undefined, `message ${messageId} was recalled`);
  if (!messageKeys(emu, msg).has(fileKey)) throw new LarkError(234003, 'File not in msg.', 400, undefined, `message ${messageId} does not reference ${fileKey}`);
  const rec = emu.db.get('resources', fileKey);
  if (!rec) throw new LarkError(234003, 'File not in msg.', 400, undefined, `no resource ${fileKey} is stored`);
  const want = type === 'image' ? 'image' : 'file';
  if (rec.type !== want) throw invalidRequest(`type=${type} but ${fileKey} is an ${rec.type}`);
  return serveResource(req, emu, rec);
}

/** GET images/:image_key and files/:file_key: a bot downloads what its own app uploaded. */
function ownResource(kind: 'image' | 'file') {
  return (req: EmuRequest, emu: Emulator): Reply => {
    const caller = req.caller!;
    requireBot(caller);
    const key = kind === 'image' ? req.params.image_key! : req.params.file_key!;
    const rec = emu.db.get('resources', key);
    if (!rec || rec.type !== kind) throw invalidRequest(`no ${kind} ${key}`);
    if (rec.app_id !== caller.app.app_id) throw new LarkError(234008, 'The app is not the resource sender.', 400, undefined, `${key} was uploaded by ${rec.app_id}`);
    return serveResource(req, emu, rec);
  };
}

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/im/v1/images', auth: 'any', scopes: UPLOAD_SCOPES, handler: uploadImage },
  { method: 'POST', path: '/open-apis/im/v1/files', auth: 'any', scopes: UPLOAD_SCOPES, handler: uploadFile },
  { method: 'GET', path: '/open-apis/im/v1/images/:image_key', auth: 'tenant', scopes: ['im:resource'], handler: ownResource('image') },
  { method: 'GET', path: '/open-apis/im/v1/files/:file_key', auth: 'tenant', scopes: ['im:resource'], handler: ownResource('file') },
  { method: 'GET', path: '/open-apis/im/v1/messages/:message_id/resources/:file_key', auth: 'any', scopes: DOWNLOAD_SCOPES, handler: messageResource },
];
