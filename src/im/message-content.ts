/**
 * Message content shared by `+messages-send` and `+messages-reply` (messages-write.md §2):
 * the content flags, their validation (§2.3), the dry-run body with placeholder keys (§2.10),
 * the real content with uploads (§2.4, §2.7 step A, §2.8), the @mention rewrite (§2.9), the
 * idempotency `uuid` (DECISIONS.md 8) and the success output (§3.5, §1.9).
 *
 * Light at import time: the upload and URL-download modules (and with them the HTTP stack) are
 * loaded only when execution actually needs them.
 */
import { randomUUID } from 'node:crypto';
import { openAsBlob, statSync } from 'node:fs';
import { CliError } from '../core/errors.js';
import { goValueText, parseJson } from '../core/json.js';
import { checkLocalPath } from '../core/safe-path.js';
import { contentJson, imageAlt, markdownToPost, markdownToPostForDryRun, REMOTE_IMAGE_RE } from '../render/markdown-to-post.js';
import type { FlagDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { formatLocalSeconds, leadingInt } from '../shortcut/time.js';
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

// ---------------------------------------------------------------------------
// Flags (§2.1)

export const MSG_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'interactive', 'share_chat', 'share_user'] as const;

const PATH_RULE = 'cwd-relative local path (absolute paths and .. are rejected)';

export const CONTENT_FLAG: Record<string, FlagDef> = {
  msgType: {
    name: 'msg-type',
    default: 'text',
    enum: MSG_TYPES,
    desc: 'message type for --content JSON; when using --text/--markdown/--image/--file/--video/--audio, the effective type is inferred automatically',
  },
  content: {
    name: 'content',
    desc: '(one of --content/--text/--markdown/--image/--file/--video/--audio required) message content JSON',
    input: ['file', 'stdin'],
  },
  text: { name: 'text', desc: 'plain text message (auto-wrapped as JSON)', input: ['file', 'stdin'] },
  markdown: {
    name: 'markdown',
    desc: 'markdown text (auto-wrapped as post format with style optimization; image URLs auto-resolved)',
    input: ['file', 'stdin'],
  },
  idempotencyKey: { name: 'idempotency-key', desc: 'idempotency key (prevents duplicate sends)' },
  image: { name: 'image', desc: `image key (img_xxx), URL, or ${PATH_RULE}` },
  file: { name: 'file', desc: `file key (file_xxx), URL, or ${PATH_RULE}` },
  video: { name: 'video', desc: `video file key (file_xxx), URL, or ${PATH_RULE}; must be used together with --video-cover` },
  videoCover: { name: 'video-cover', desc: `video cover image key (img_xxx), URL, or ${PATH_RULE}; required when using --video` },
  audio: { name: 'audio', desc: `audio file key (file_xxx), URL, or ${PATH_RULE}` },
};

const MEDIA_FLAGS = ['image', 'file', 'video', 'video-cover', 'audio'] as const;

// ---------------------------------------------------------------------------
// Validation (§2.3)

function errnoText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message;
  }
}

/** §2.3.2: local media paths must be safe; a missing file is accepted here. */
export function checkMediaPaths(rt: ShortcutRuntime): void {
  for (const flag of MEDIA_FLAGS) {
    const v = rt.str(flag);
    if (v === '' || isHttpUrl(v) || isMediaKey(v)) continue;
    const checked = checkLocalPath(v, rt.io.cwd, '--file');
    if ('problem' in checked) throw new CliError('validation', `--${flag}: ${checked.problem}`);
    try {
      statSync(checked.path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') continue;
      throw new CliError('validation', `--${flag}: stat ${v}: ${errnoText(err)}`);
    }
  }
}

function inferredType(rt: ShortcutRuntime): string {
  if (rt.str('text')) return 'text';
  if (rt.str('markdown')) return 'post';
  if (rt.str('image')) return 'image';
  if (rt.str('file')) return 'file';
  if (rt.str('video')) return 'media';
  if (rt.str('audio')) return 'audio';
  return '';
}

/** §2.3.3 rules 1–8, first failure wins. */
export function checkContentFlags(rt: ShortcutRuntime): void {
  const fail = (msg: string): never => {
    throw new CliError('validation', msg);
  };
  const media = ['image', 'file', 'video', 'audio'].filter((f) => rt.str(f) !== '').length;
  const texts = ['text', 'markdown', 'content'].filter((f) => rt.str(f) !== '').length;
  if (media > 1) fail('--image, --file, --video, --audio are mutually exclusive');
  if (rt.str('video-cover') && !rt.str('video')) fail('--video-cover can only be used with --video');
  if (rt.str('video') && !rt.str('video-cover')) fail('--video-cover is required when using --video (serves as the video cover)');
  if (texts > 1) fail('--text, --markdown, and --content cannot be specified together');
  if (media > 0 && texts > 0) fail('--image/--file/--video/--audio cannot be used with --text, --markdown, or --content');
  if (media === 0 && texts === 0) {
    fail('specify --content <json>, --text <plain text>, --markdown <markdown text>, or a media flag (--image/--file/--video/--audio)');
  }
  const content = rt.str('content');
  if (content !== '') {
    try {
      parseJson(content);
    } catch {
      fail(`--content is not valid JSON: ${content}\nexample: --content '{"text":"hello"}' or --text 'hello'`);
    }
  }
  if (rt.has('msg-type')) {
    const given = rt.str('msg-type');
    const inferred = inferredType(rt);
    if (inferred !== '' && inferred !== given) {
      fail(`--msg-type "${given}" conflicts with the inferred message type "${inferred}" from the selected content flag`);
    }
  }
}

// ---------------------------------------------------------------------------
// @mentions (§2.9)

const MENTION_RE = /<at[\t\n\f\r ]+(id|open_id|user_id)=("?)([^"\t\n\f\r />]+)"?[\t\n\f\r ]*\/?>/g;

export function normalizeAtMentions(content: string): string {
  return content.replace(MENTION_RE, (_m, _kind: string, _q: string, id: string) => `<at user_id="${id}">`);
}

export interface MessageContent {
  msgType: string;
  content: string;
  /** Dry-run only: the §2.10 description. */
  description?: string;
}

function withMentions(c: MessageContent): MessageContent {
  return c.msgType === 'text' || c.msgType === 'post' ? { ...c, content: normalizeAtMentions(c.content) } : c;
}

// ---------------------------------------------------------------------------
// Dry-run content (§2.10)

function placeholderDesc(flag: string, value: string): string {
  return `dry-run uses placeholder media keys for ${flag} ${isHttpUrl(value) ? 'URL' : 'local file'} input; execution uploads it before sending`;
}

export function dryRunContent(rt: ShortcutRuntime): MessageContent {
  const markdown = rt.str('markdown');
  const text = rt.str('text');
  const [image, file, video, cover, audio] = MEDIA_FLAGS.map((f) => rt.str(f)) as [string, string, string, string, string];
  let out: MessageContent = { msgType: rt.str('msg-type'), content: rt.str('content') };
  if (markdown) {
    const md = markdownToPostForDryRun(markdown);
    out = { msgType: 'post', content: md.content, description: md.description };
  } else if (text) {
    out = { msgType: 'text', content: contentJson({ text }) };
  } else if (video) {
    const descs: string[] = [];
    const fileKey = isMediaKey(video) ? video : 'file_dryrun_upload';
    if (!isMediaKey(video)) descs.push(placeholderDesc('--video', video));
    const imageKey = isMediaKey(cover) ? cover : 'img_dryrun_upload';
    if (cover && !isMediaKey(cover)) descs.push(placeholderDesc('--video-cover', cover));
    out = { msgType: 'media', content: contentJson({ file_key: fileKey, image_key: imageKey }), description: descs.join('; ') };
  } else if (image) {
    const key = isMediaKey(image) ? image : 'img_dryrun_upload';
    out = { msgType: 'image', content: contentJson({ image_key: key }), description: isMediaKey(image) ? '' : placeholderDesc('--image', image) };
  } else if (file) {
    const key = isMediaKey(file) ? file : 'file_dryrun_upload';
    out = { msgType: 'file', content: contentJson({ file_key: key }), description: isMediaKey(file) ? '' : placeholderDesc('--file', file) };
  } else if (audio) {
    const key = isMediaKey(audio) ? audio : 'file_dryrun_upload';
    out = { msgType: 'audio', content: contentJson({ file_key: key }), description: isMediaKey(audio) ? '' : placeholderDesc('--audio', audio) };
  }
  return withMentions(out);
}

// ---------------------------------------------------------------------------
// Execution (§2.4, §2.8)

interface MediaSpec {
  value: string;
  flag: string;
  /** Label in progress lines and errors: image, file, audio, video, cover image. */
  label: string;
  kind: 'image' | 'file';
  maxBytes: number;
  withDuration: boolean;
}

/** `<label> upload failed: <cause>`; the cause's type is kept when it has one (DECISIONS.md 19). */
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

/** A Blob over downloaded bytes (no copy). */
function blobOf(bytes: Buffer): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

async function uploads() {
  return import('../http/upload.js');
}

async function resolveUrlMedia(rt: ShortcutRuntime, s: MediaSpec): Promise<string> {
  rt.io.stderr.write(`downloading ${s.flag}: ${urlDisplay(s.value)}\n`);
  const { fetchMediaUrl } = await import('../http/safe-download.js');
  const bytes = await fetchMediaUrl(rt.io, s.value, s.maxBytes);
  const up = await uploads();
  const client = await rt.client();
  if (s.kind === 'image') {
    rt.io.stderr.write(`uploading ${s.label}\n`);
    return up.uploadImage(client, blobOf(bytes));
  }
  const name = fileNameFromUrl(s.value);
  rt.io.stderr.write(`uploading ${s.label}: ${name}\n`);
  const fileType = detectFileType(name);
  const duration = s.withDuration ? durationFromBytes(bytes, fileType) : '';
  return up.uploadFile(client, blobOf(bytes), { fileType, fileName: name, duration });
}

async function localBlob(abs: string, raw: string): Promise<Blob> {
  try {
    if (statSync(abs).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return await openAsBlob(abs);
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
    const blob = await localBlob(checked.path, s.value);
    return (await uploads()).uploadImage(await rt.client(), blob);
  }
  const fileType = detectFileType(s.value);
  const duration = s.withDuration ? durationFromFile(checked.path, fileType, size ?? 0) : '';
  if (size !== undefined && size > MAX_FILE_BYTES) throw new Error(`file size ${formatSize(size)} exceeds limit (max 100MB)`);
  const blob = await localBlob(checked.path, s.value);
  return (await uploads()).uploadFile(await rt.client(), blob, { fileType, fileName: baseName(s.value), duration });
}

function resolveOneMedia(rt: ShortcutRuntime, s: MediaSpec): Promise<string> {
  if (isMediaKey(s.value)) return Promise.resolve(s.value);
  return isHttpUrl(s.value) ? resolveUrlMedia(rt, s) : resolveLocalMedia(rt, s);
}

/** A URL value that failed becomes a text message with the link; a local one is an error (§2.8.6). */
function fallbackOrError(value: string, label: string, e: unknown): MessageContent {
  if (isHttpUrl(value)) return { msgType: 'text', content: contentJson({ text: `[${label} upload failed, sending link] ${value}` }) };
  throw uploadFailed(label, e);
}

/** §2.7 step A: remote Markdown images downloaded and uploaded in document order. */
async function resolveMarkdownImages(rt: ShortcutRuntime, markdown: string): Promise<string> {
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
      const key = await (await uploads()).uploadImage(await rt.client(), blobOf(bytes));
      out += `![${imageAlt(m[0])}](${key})`;
    } catch (e) {
      rt.io.stderr.write(`warning: failed to upload image ${display}: ${errMessage(e)}\n`);
    }
  }
  return out + markdown.slice(last);
}

/**
 * The content to send (§2.4): uploads happen here, sequentially, before the send or reply.
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

// ---------------------------------------------------------------------------
// Request body pieces and output

/** The `uuid` of a send/reply: the idempotency key, else a UUID v4 made once (DECISIONS.md 8). */
export function messageUuid(rt: ShortcutRuntime): string {
  return rt.str('idempotency-key') || randomUUID();
}

/** §1.9: `create_time` as local `YYYY-MM-DD HH:MM:SS`. */
export function formatCreateTime(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = goValueText(v);
  if (s === '') return '';
  let n = leadingInt(s);
  if (n === 0) return s;
  if (n > 1e12) n = Math.trunc(n / 1000);
  return formatLocalSeconds(n);
}

/** §3.5 / §4.5 output `data`. */
export function messageResult(data: Record<string, unknown>): Record<string, unknown> {
  return {
    chat_id: data.chat_id ?? null,
    create_time: formatCreateTime(data.create_time),
    message_id: data.message_id ?? null,
  };
}
