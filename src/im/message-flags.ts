/**
 * The content flags of `+messages-send` and `+messages-reply` (and the checks `+messages-edit` shares), their validation
 * (docs/shortcuts-write.md): which flags exist, which combinations are allowed, which local
 * media paths are safe. No I/O beyond a stat.
 */
import { statSync } from 'node:fs';
import { CliError } from '../core/errors.js';
import { parseJson } from '../core/json.js';
import { checkLocalPath } from '../core/safe-path.js';
import type { FlagDef, ShortcutDef } from '../shortcut/define.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { isHttpUrl, isMediaKey } from './media-info.js';

export const MSG_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'interactive', 'share_chat', 'share_user'] as const;

/** Who may send or reply and the scopes each identity pre-checks. */
export const MESSAGE_SEND_ACCESS: Pick<ShortcutDef, 'risk' | 'authTypes' | 'scopes' | 'userScopes' | 'botScopes'> = {
  risk: 'write',
  authTypes: ['bot', 'user'],
  scopes: ['im:message:send_as_bot'],
  userScopes: ['im:message.send_as_user', 'im:message'],
  botScopes: ['im:message:send_as_bot'],
};

const PATH_RULE = 'cwd-relative local path (absolute paths and .. are rejected)';

export const CONTENT_FLAG = {
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
} as const satisfies Record<string, FlagDef>;

export const MEDIA_FLAGS = ['image', 'file', 'video', 'video-cover', 'audio'] as const;

/** An errno as Go's error text prints it. */
export function errnoText(e: NodeJS.ErrnoException): string {
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

/** Local media paths must be safe; a missing file is accepted here (execution reports it). */
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

/** The content flags' combination rules (docs/shortcuts-write.md), first failure wins. */
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
  checkContentJson(rt);
}

/** The last checks of the content flags (send, reply, edit): `--content` is JSON, then checkExplicitMsgType. */
export function checkContentJson(rt: ShortcutRuntime): void {
  const content = rt.str('content');
  if (content !== '') {
    try {
      parseJson(content);
    } catch {
      throw new CliError('validation', `--content is not valid JSON: ${content}\nexample: --content '{"text":"hello"}' or --text 'hello'`);
    }
  }
  checkExplicitMsgType(rt);
}

/** An explicit `--msg-type` must agree with the type the chosen content flag implies. */
function checkExplicitMsgType(rt: ShortcutRuntime): void {
  if (!rt.has('msg-type')) return;
  const given = rt.str('msg-type');
  const inferred = inferredType(rt);
  if (inferred !== '' && inferred !== given) {
    throw new CliError('validation', `--msg-type "${given}" conflicts with the inferred message type "${inferred}" from the selected content flag`);
  }
}
