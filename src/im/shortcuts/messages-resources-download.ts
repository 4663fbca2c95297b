/**
 * `+messages-resources-download` (docs/shortcuts-write.md): save one image/file resource of a
 * message under the working directory. The transfer itself (probe, 8 MiB ranges, temporary
 * file, atomic rename) is `src/http/download.ts`.
 */
import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { checkLocalPath } from '../../core/safe-path.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validateMessageId } from '../../shortcut/validate.js';

/** The relative save path from `--file-key` / `--output`. */
function relativeOutput(rt: ShortcutRuntime): string {
  const key = rt.str('file-key').trim();
  if (key === '') throw new CliError('validation', 'file-key cannot be empty');
  if (/[/\\]/.test(key)) throw new CliError('validation', 'file-key cannot contain path separators');
  const out = rt.str('output');
  if (out === '') return key;
  let p = path.normalize(out.trim());
  if (p.length > 1) p = p.replace(/\/+$/, '');
  if (p === '.' || p === '') throw new CliError('validation', 'path cannot be empty');
  if (path.isAbsolute(p)) throw new CliError('validation', 'absolute paths are not allowed');
  if (p === '..' || p.startsWith('../')) throw new CliError('validation', 'path cannot escape the current working directory');
  return p;
}

/** The path must stay inside the working directory. */
function savePath(rt: ShortcutRuntime, rel: string, step: 'resolve' | 'save'): string {
  const checked = checkLocalPath(rel, rt.io.cwd, '--output');
  if ('problem' in checked) {
    throw new CliError('validation', step === 'resolve' ? `unsafe output path: resolve save path: ${checked.problem}` : `unsafe output path: ${checked.problem}`);
  }
  return checked.path;
}

export default defineShortcut({
  service: 'im',
  command: '+messages-resources-download',
  description: 'Download images/files from a message; user/bot; downloads image/file resources by message-id and file-key to a safe relative output path',
  risk: 'write',
  authTypes: ['user', 'bot'],
  scopes: ['im:message:readonly'],
  flags: [
    { name: 'message-id', desc: 'message ID (om_xxx)', required: true },
    { name: 'file-key', desc: 'resource key (img_xxx or file_xxx)', required: true },
    { name: 'type', desc: 'resource type', enum: ['image', 'file'], required: true },
    {
      name: 'output',
      desc: "local save path (relative only, no .. traversal); when omitted, uses the server's Content-Disposition filename if available, otherwise file_key; extension is inferred from Content-Disposition or Content-Type if not provided",
    },
  ],
  validate(rt) {
    if (rt.str('message-id') === '') throw new CliError('validation', '--message-id is required (om_xxx)');
    validateMessageId(rt.str('message-id'));
  },
  /** The save path, relative and resolved (checked against the working directory). */
  prepare(rt) {
    const rel = relativeOutput(rt);
    return { rel, targetPath: savePath(rt, rel, 'resolve') };
  },
  dryRun(rt) {
    return new DryRun()
      .get('/open-apis/im/v1/messages/:message_id/resources/:file_key')
      .params({ type: rt.str('type') })
      .set('message_id', rt.str('message-id'))
      .set('file_key', rt.str('file-key'))
      .set('type', rt.str('type'))
      .set('output', rt.str('output') || rt.str('file-key'));
  },
  async execute(rt, { rel, targetPath }) {
    const explicit = rt.str('output') !== '';
    const client = await rt.client();
    const { chooseTargetName, downloadResource } = await import('../../client/download.js');
    const res = await downloadResource(client, {
      messageId: rt.str('message-id'),
      fileKey: rt.str('file-key'),
      type: rt.str('type'),
      targetPath,
      resolveTarget: (headers) => savePath(rt, chooseTargetName(rel, headers, { useContentDisposition: true, explicit }), 'save'),
      io: rt.io,
    });
    await rt.out({ saved_path: res.path, size_bytes: res.sizeBytes });
  },
});
