/**
 * The message content execution sends (docs/shortcuts-write.md): media given as URLs or local
 * paths are downloaded and uploaded first, sequentially. The upload and URL-download modules
 * (and with them the HTTP stack) load only when a value needs them.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { CliError } from '../core/errors.js';
import { checkLocalPath } from '../core/safe-path.js';
import { contentJson, imageAlt, markdownToPost, REMOTE_IMAGE_RE } from '../render/markdown-to-post.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import {
  baseName,
  detectFileType,
  durationFromBytes,
  durationFromFile,
  fileNameFromUrl,
  formatSize,
  isHttpUrl,
  isMediaKey,
  MAX_FILE_BYTES,
  MAX_IMAGE_BYTES,
  urlDisplay,
} from './media-info.js';
import { withMentions, type MessageContent } from './message-content.js';
import { errnoText } from './message-flags.js';

interface MediaSpec {
  value: string;
  flag: string;
  /** Label in progress lines and errors: image, file, audio, video, cover image. */
  label: string;
  kind: 'image' | 'file';
  maxBytes: number;
  withDuration: boolean;
}

/** `<label> upload failed: <cause>`; the cause's error type is kept when it has one. */
function uploadFailed(label: string, e: unknown): CliError {
  if (e instanceof CliError) {
    if (e.constructor !== CliError) return e; // security-policy answers keep their own shape
    return new CliError(e.type, `${label} upload failed: ${e.message}`, { code: e.code, hint: e.hint, consoleUrl: e.consoleUrl, detail: e.detail, cause: e });
  }
  return new CliError('internal', `${label} upload failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function uploads() {
  return import('../client/upload.js');
}

async function resolveUrlMedia(rt: ShortcutRuntime, s: MediaSpec): Promise<string> {
  rt.io.stderr.write(`downloading ${s.flag}: ${urlDisplay(s.value)}\n`);
  const { fetchMediaUrl } = await import('../http/safe-download.js');
  const bytes = await fetchMediaUrl(rt.io, s.value, s.maxBytes);
  const up = await uploads();
  const client = await rt.client();
  if (s.kind === 'image') {
    rt.io.stderr.write(`uploading ${s.label}\n`);
    return up.uploadImage(client, bytes);
  }
  const name = fileNameFromUrl(s.value);
  rt.io.stderr.write(`uploading ${s.label}: ${name}\n`);
  const fileType = detectFileType(name);
  const duration = s.withDuration ? durationFromBytes(bytes, fileType) : '';
  return up.uploadFile(client, bytes, { fileType, fileName: name, duration });
}

/** A local file to upload: opened once here so a missing or unreadable file fails before any request; the upload reads it again. */
function localSource(abs: string, raw: string): { path: string; size: number } {
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    closeSync(openSync(abs, 'r'));
    return { path: abs, size: st.size };
  } catch (e) {
    throw new Error(`open ${raw}: ${errnoText(e as NodeJS.ErrnoException)}`);
  }
}

async function resolveLocalMedia(rt: ShortcutRuntime, s: MediaSpec): Promise<string> {
  rt.io.stderr.write(`uploading ${s.label}: ${baseName(s.value)}\n`);
  const checked = checkLocalPath(s.value, rt.io.cwd, '--file');
  if ('problem' in checked) throw new Error(checked.problem);
  let size: number | undefined;
  try {
    size = statSync(checked.path).size;
  } catch {
    size = undefined;
  }
  if (s.kind === 'image') {
    if (size !== undefined && size > MAX_IMAGE_BYTES) throw new Error(`image size ${formatSize(size)} exceeds limit (max 5MB)`);
    const source = localSource(checked.path, s.value);
    return (await uploads()).uploadImage(await rt.client(), source);
  }
  const fileType = detectFileType(s.value);
  const duration = s.withDuration ? durationFromFile(checked.path, fileType, size ?? 0) : '';
  if (size !== undefined && size > MAX_FILE_BYTES) throw new Error(`file size ${formatSize(size)} exceeds limit (max 100MB)`);
  const source = localSource(checked.path, s.value);
  return (await uploads()).uploadFile(await rt.client(), source, { fileType, fileName: baseName(s.value), duration });
}

function resolveOneMedia(rt: ShortcutRuntime, s: MediaSpec): Promise<string> {
  if (isMediaKey(s.value)) return Promise.resolve(s.value);
  return isHttpUrl(s.value) ? resolveUrlMedia(rt, s) : resolveLocalMedia(rt, s);
}

/** A URL value that failed becomes a text message with the link; a local one is an error. */
function fallbackOrError(value: string, label: string, e: unknown): MessageContent {
  if (isHttpUrl(value)) return { msgType: 'text', content: contentJson({ text: `[${label} upload failed, sending link] ${value}` }) };
  throw uploadFailed(label, e);
}

/** Remote Markdown images, downloaded and uploaded in document order (a failed one is dropped with a warning). */
export async function resolveMarkdownImages(rt: ShortcutRuntime, markdown: string): Promise<string> {
  if (!markdown.includes('![')) return markdown;
  const matches = [...markdown.matchAll(REMOTE_IMAGE_RE)];
  if (matches.length === 0) return markdown;
  const { fetchMediaUrl } = await import('../http/safe-download.js');
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += markdown.slice(last, m.index);
    last = m.index + m[0].length;
    const url = m[1]!;
    const display = urlDisplay(url);
    let bytes: Buffer;
    try {
      bytes = await fetchMediaUrl(rt.io, url, MAX_IMAGE_BYTES);
    } catch (e) {
      rt.io.stderr.write(`warning: failed to download image ${display}: ${errMessage(e)}\n`);
      continue;
    }
    rt.io.stderr.write(`uploading image from URL: ${display}\n`);
    try {
      const key = await (await uploads()).uploadImage(await rt.client(), bytes);
      out += `![${imageAlt(m[0])}](${key})`;
    } catch (e) {
      rt.io.stderr.write(`warning: failed to upload image ${display}: ${errMessage(e)}\n`);
    }
  }
  return out + markdown.slice(last);
}

/**
 * The content to send: uploads happen here, sequentially, before the send or reply.
 */
export async function buildContent(rt: ShortcutRuntime): Promise<MessageContent> {
  const markdown = rt.str('markdown');
  const text = rt.str('text');
  if (markdown) return withMentions({ msgType: 'post', content: markdownToPost(await resolveMarkdownImages(rt, markdown)) });
  if (text) return withMentions({ msgType: 'text', content: contentJson({ text }) });
  const video = rt.str('video');
  if (video) {
    const videoSpec: MediaSpec = { value: video, flag: '--video', label: 'video', kind: 'file', maxBytes: MAX_FILE_BYTES, withDuration: true };
    let fileKey: string;
    try {
      fileKey = await resolveOneMedia(rt, videoSpec);
    } catch (e) {
      return withMentions(fallbackOrError(video, 'video', e));
    }
    const cover = rt.str('video-cover');
    const coverSpec: MediaSpec = { value: cover, flag: '--video-cover', label: 'cover image', kind: 'image', maxBytes: MAX_IMAGE_BYTES, withDuration: false };
    let imageKey: string;
    try {
      imageKey = await resolveOneMedia(rt, coverSpec);
    } catch (e) {
      throw uploadFailed('cover image', e);
    }
    return { msgType: 'media', content: contentJson({ file_key: fileKey, image_key: imageKey }) };
  }
  const specs: Array<MediaSpec & { msgType: string; resultKey: string }> = [
    { value: rt.str('image'), flag: '--image', label: 'image', kind: 'image', maxBytes: MAX_IMAGE_BYTES, withDuration: false, msgType: 'image', resultKey: 'image_key' },
    { value: rt.str('file'), flag: '--file', label: 'file', kind: 'file', maxBytes: MAX_FILE_BYTES, withDuration: false, msgType: 'file', resultKey: 'file_key' },
    { value: rt.str('audio'), flag: '--audio', label: 'audio', kind: 'file', maxBytes: MAX_FILE_BYTES, withDuration: true, msgType: 'audio', resultKey: 'file_key' },
  ];
  for (const s of specs) {
    if (s.value === '') continue;
    try {
      const key = await resolveOneMedia(rt, s);
      return { msgType: s.msgType, content: contentJson({ [s.resultKey]: key }) };
    } catch (e) {
      return withMentions(fallbackOrError(s.value, s.label, e));
    }
  }
  return withMentions({ msgType: rt.str('msg-type'), content: rt.str('content') });
}
