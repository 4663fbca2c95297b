/**
 * The opt-in download stage of `--download-resources` (docs/shortcuts-read.md): every
 * `(message_id, key)` of the page (messages and thread replies) is downloaded once into
 * `./lark-im-resources/<key>` with src/http/download.ts, at most 3 at a time (and within the
 * shared request limit). Each ref gains `local_path` + `size_bytes`, or `error: true` plus one
 * stderr warning; a failed resource never fails the command.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { CliError } from '../core/errors.js';
import { checkLocalPath } from '../core/safe-path.js';
import type { Message } from '../render/message.js';
import { errorText, type EnrichContext } from './context.js';
import { messageNodes } from './reactions.js';

export const RESOURCE_DIR = 'lark-im-resources';
export const DOWNLOAD_CONCURRENCY = 3;

type Ref = NonNullable<Message['resources']>[number];

/**
 * The target path of a key under `./lark-im-resources/`: the trimmed key must be a plain file
 * name; the path must stay inside the working directory (no symlink escape, no control chars).
 */
export function resourceTarget(key: string, cwd: string): string {
  const k = key.trim();
  if (k === '') throw new Error('file-key cannot be empty');
  if (k.includes('/') || k.includes('\\')) throw new Error('file-key cannot contain path separators');
  const rel = path.normalize(`${RESOURCE_DIR}/${k}`);
  if (rel === '.' || k === '.' || k === '..') throw new Error('path cannot escape the current working directory');
  if (path.isAbsolute(rel)) throw new Error('absolute paths are not allowed');
  if (rel === '..' || rel.startsWith('../')) throw new Error('path cannot escape the current working directory');
  const checked = checkLocalPath(rel, cwd, 'resource path');
  if ('problem' in checked) throw new Error(`unsafe output path: resolve save path: ${checked.problem}`);
  return checked.path;
}

/** Downloads every distinct resource of `messages` (and their thread replies) and fills the refs in. */
export async function downloadMessageResources(messages: Message[], ctx: EnrichContext): Promise<void> {
  const groups = new Map<string, Ref[]>();
  for (const node of messageNodes(messages)) {
    for (const ref of node.resources ?? []) {
      const id = `${ref.message_id}\u0000${ref.key}`;
      const g = groups.get(id);
      if (g) g.push(ref);
      else groups.set(id, [ref]);
    }
  }
  if (groups.size === 0) return;
  const rt = ctx.rt;
  const [client, { downloadResource }] = await Promise.all([rt.client(), import('../client/download.js')]);
  const slots = pLimit(DOWNLOAD_CONCURRENCY);
  await Promise.all(
    [...groups.values()].map((refs) =>
      slots(() =>
        ctx.limit(async () => {
          const first = refs[0]!;
          try {
            const targetPath = resourceTarget(first.key, rt.io.cwd);
            const res = await downloadResource(client, {
              messageId: first.message_id,
              fileKey: first.key,
              type: first.type,
              targetPath,
              io: rt.io,
              progress: false,
            });
            for (const r of refs) {
              r.local_path = res.path;
              r.size_bytes = res.sizeBytes;
            }
          } catch (e) {
            const text = e instanceof CliError && e.type === 'http_error' ? `download failed: ${e.message}` : errorText(e);
            ctx.warn(`warning: resource_download_failed: ${first.message_id}/${first.key}: ${text}`);
            for (const r of refs) r.error = true;
          }
        }),
      ),
    ),
  );
}
