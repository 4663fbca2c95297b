/**
 * Downloadable resource refs of one message (docs/shortcuts-read.md), extracted while the
 * message is formatted. Pure; the download itself is src/enrich/resources.ts.
 */
import { isPlainObject } from '../core/json.js';
import { postBody } from './post.js';
import { arr, obj, parseObject, str } from './util.js';
import type { RawMessage } from './content.js';

export interface ResourceRef {
  message_id: string;
  key: string;
  type: 'image' | 'file';
}

function field(raw: string, name: string): string {
  const p = parseObject(raw);
  return p.ok ? str(p.obj, name) : '';
}

function postRefs(raw: string, messageId: string): ResourceRef[] {
  const p = parseObject(raw);
  if (!p.ok || !p.obj) return [];
  const refs: ResourceRef[] = [];
  const body = postBody(p.obj);
  for (const para of arr(body, 'content') ?? []) {
    if (!Array.isArray(para)) continue;
    for (const el of para) {
      if (!isPlainObject(el)) continue;
      const tag = str(el, 'tag');
      if (tag === 'img' && str(el, 'image_key')) refs.push({ message_id: messageId, key: str(el, 'image_key'), type: 'image' });
      else if (tag === 'media' && str(el, 'file_key')) refs.push({ message_id: messageId, key: str(el, 'file_key'), type: 'file' });
    }
  }
  for (const f of arr(p.obj, 'files') ?? []) {
    if (!isPlainObject(f) || f.is_folder === true) continue;
    const key = str(f, 'file_key');
    if (key) refs.push({ message_id: messageId, key, type: 'file' });
  }
  return refs;
}

/**
 * Refs of a message: image → image_key; file/audio/video/media → file_key; post → img/media
 * elements then attachment files; merge_forward → its prefetched sub-items' refs, all addressed
 * by the top-level container id. Everything else, stickers included, has none.
 */
export function extractResourceRefs(
  msgType: string,
  raw: string,
  messageId: string,
  mergeForward: (id: string) => RawMessage[] | undefined,
): ResourceRef[] {
  return extract(msgType, raw, messageId, messageId, mergeForward, new Set());
}

function extract(
  msgType: string,
  raw: string,
  owner: string,
  lookupId: string,
  mf: (id: string) => RawMessage[] | undefined,
  visited: Set<string>,
): ResourceRef[] {
  switch (msgType) {
    case 'image': {
      const key = field(raw, 'image_key');
      return key ? [{ message_id: owner, key, type: 'image' }] : [];
    }
    case 'file':
    case 'audio':
    case 'video':
    case 'media': {
      const key = field(raw, 'file_key');
      return key ? [{ message_id: owner, key, type: 'file' }] : [];
    }
    case 'post':
      return postRefs(raw, owner);
    case 'merge_forward': {
      if (visited.has(lookupId)) return [];
      visited.add(lookupId);
      const refs: ResourceRef[] = [];
      for (const sub of mf(lookupId) ?? []) {
        const t = str(sub, 'msg_type');
        const content = str(obj(sub, 'body'), 'content');
        refs.push(...extract(t, content, owner, str(sub, 'message_id'), mf, visited));
      }
      return refs;
    }
    default:
      return [];
  }
}
