/**
 * Pure helpers about message media (docs/shortcuts-write.md): which flag values are
 * keys / URLs / local paths, IM `file_type` detection, audio/video duration parsing, the CLI's
 * size format and the redacted URL display. No network, cheap to import.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

export { formatSize } from '../core/format-size.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** `img_…` / `file_…`: an existing key, used verbatim (either prefix for any flag). */
export function isMediaKey(v: string): boolean {
  return v.startsWith('img_') || v.startsWith('file_');
}

/** `http://` / `https://` (case-sensitive prefixes). */
export function isHttpUrl(v: string): boolean {
  return v.startsWith('http://') || v.startsWith('https://');
}

/** Go `filepath.Ext`: the suffix of the last path element from its last `.` ('' when none). */
export function goExt(p: string): string {
  for (let i = p.length - 1; i >= 0; i--) {
    const c = p[i];
    if (c === '/') return '';
    if (c === '.') return p.slice(i);
  }
  return '';
}

/** IM `file_type` from the name's extension. */
export function detectFileType(name: string): string {
  switch (goExt(name).toLowerCase()) {
    case '.opus':
    case '.ogg':
      return 'opus';
    case '.mp4':
    case '.mov':
    case '.avi':
    case '.mkv':
    case '.webm':
      return 'mp4';
    case '.pdf':
      return 'pdf';
    case '.doc':
    case '.docx':
      return 'doc';
    case '.xls':
    case '.xlsx':
    case '.csv':
      return 'xls';
    case '.ppt':
    case '.pptx':
      return 'ppt';
    default:
      return 'stream';
  }
}

function parsedUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Go `path.Base` of a decoded URL path. */
function pathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function decodedPath(u: URL): string {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return u.pathname;
  }
}

/** `<host>/<last path segment>` for progress lines; never a query string or credentials. */
export function urlDisplay(raw: string): string {
  const u = parsedUrl(raw);
  const host = u ? u.hostname.replace(/^\[|\]$/g, '').trim() : '';
  if (!u || host === '') return '[redacted-url]';
  let base = pathBase(decodedPath(u));
  if (base === '' || base === '.' || base === '/') base = 'download';
  return `${host}/${base}`;
}

/** The upload `file_name` of a URL: its last path segment (percent-decoded) or `download`. */
export function fileNameFromUrl(raw: string): string {
  const u = parsedUrl(raw);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return 'download';
  const base = pathBase(decodedPath(u));
  return base !== '' && base !== '.' && base !== '/' ? base : 'download';
}

// ---------------------------------------------------------------------------
// Duration: a positional reader over a buffer or a file.

type ReadAt = (pos: number, len: number) => Buffer | undefined;

function bufferReader(data: Buffer): ReadAt {
  return (pos, len) => (pos >= 0 && pos + len <= data.length ? data.subarray(pos, pos + len) : undefined);
}

/** OGG/Opus: granule position of the last `OggS` page in the buffer, 48 kHz, whole seconds up. */
export function oggDurationMs(tail: Buffer): number {
  const at = tail.lastIndexOf('OggS');
  if (at < 0) return 0;
  const g = at + 6;
  if (g + 8 > tail.length) return 0;
  const granule = Number(tail.readBigUInt64LE(g));
  if (granule === 0) return 0;
  return Math.ceil(granule / 48000) * 1000;
}

function mvhdMs(p: Buffer): number {
  if (p.length < 1) return 0;
  let timescale: number;
  let duration: number;
  if (p[0] === 0) {
    if (p.length < 20) return 0;
    timescale = p.readUInt32BE(12);
    duration = p.readUInt32BE(16);
  } else {
    if (p.length < 32) return 0;
    timescale = p.readUInt32BE(20);
    duration = Number(p.readBigUInt64BE(24));
  }
  if (timescale === 0 || duration === 0) return 0;
  return Math.round((duration / timescale) * 1000);
}

/** A box inside [start, end) of `data`: payload bounds, or undefined (64-bit sizes as the original reads them). */
function findBox(data: Buffer, start: number, end: number, type: string): [number, number] | undefined {
  let off = start;
  while (off + 8 <= end) {
    const size = data.readUInt32BE(off);
    const t = data.toString('latin1', off + 4, off + 8);
    let boxEnd: number;
    let payload: number;
    if (size === 0) {
      boxEnd = end;
      payload = off + 8;
    } else if (size === 1) {
      if (off + 16 > end) return undefined;
      boxEnd = Number(data.readBigUInt64BE(off + 8));
      payload = off + 16;
    } else {
      if (size < 8) return undefined;
      boxEnd = off + size;
      payload = off + 8;
    }
    if (t === type) return [payload, Math.min(boxEnd, end)];
    if (boxEnd <= off) return undefined; // never loop backwards
    off = boxEnd;
  }
  return undefined;
}

function mp4DurationMs(readAt: ReadAt, fileSize: number): number {
  let off = 0;
  while (off + 8 <= fileSize) {
    const hdr = readAt(off, 8);
    if (!hdr) return 0;
    const size = hdr.readUInt32BE(0);
    const type = hdr.toString('latin1', 4, 8);
    let boxEnd: number;
    let payload: number;
    if (size === 0) {
      boxEnd = fileSize;
      payload = off + 8;
    } else if (size === 1) {
      const big = readAt(off + 8, 8);
      if (!big) return 0;
      boxEnd = Number(big.readBigUInt64BE(0));
      payload = off + 16;
    } else if (size < 8) {
      return 0;
    } else {
      boxEnd = off + size;
      payload = off + 8;
    }
    if (type === 'moov') {
      const len = boxEnd - payload;
      if (len <= 0 || len > 10 * 1024 * 1024) return 0;
      const moov = readAt(payload, len);
      if (!moov) return 0;
      const mvhd = findBox(moov, 0, moov.length, 'mvhd');
      return mvhd ? mvhdMs(moov.subarray(mvhd[0], mvhd[1])) : 0;
    }
    if (boxEnd <= off) return 0;
    off = boxEnd;
  }
  return 0;
}

const OGG_TAIL = 64 * 1024;

/** Duration in ms as a decimal string for `file_type` opus/mp4 buffered bytes; '' when unknown. */
export function durationFromBytes(data: Buffer, fileType: string): string {
  if ((fileType !== 'opus' && fileType !== 'mp4') || data.length === 0) return '';
  const ms = fileType === 'opus' ? oggDurationMs(data.subarray(Math.max(0, data.length - OGG_TAIL))) : mp4DurationMs(bufferReader(data), data.length);
  return ms > 0 ? String(ms) : '';
}

/** Same for a local file, reading only the tail (OGG) or the box headers and `moov` (MP4). */
export function durationFromFile(file: string, fileType: string, size: number): string {
  if ((fileType !== 'opus' && fileType !== 'mp4') || size <= 0) return '';
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const readAt: ReadAt = (pos, len) => {
      if (pos < 0 || pos + len > size) return undefined;
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const n = readSync(fd, buf, got, len - got, pos + got);
        if (n <= 0) return undefined;
        got += n;
      }
      return buf;
    };
    let ms: number;
    if (fileType === 'opus') {
      const n = Math.min(size, OGG_TAIL);
      const tail = readAt(size - n, n);
      ms = tail ? oggDurationMs(tail) : 0;
    } else {
      ms = mp4DurationMs(readAt, size);
    }
    return ms > 0 ? String(ms) : '';
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

/** Base name of a local path as Go `filepath.Base` prints it. */
export function baseName(p: string): string {
  const b = path.basename(p);
  return b === '' ? '.' : b;
}
