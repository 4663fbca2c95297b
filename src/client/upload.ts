/**
 * Media uploads for message content (docs/shortcuts-write.md): multipart POSTs to
 * `/open-apis/im/v1/images` and `/open-apis/im/v1/files` with the command's identity.
 *
 *   uploadImage(client, source): Promise<image_key>
 *   uploadFile(client, source, { fileType, fileName, duration? }): Promise<file_key>
 *
 * `source` is a local file, `{ path, size }` (streamed from disk in 1 MiB reads, never held in
 * memory: ../http/multipart.ts), or the bytes of a URL download. Over 8 MiB a progress bar shows
 * on a terminal (./api-client.ts). As in the original the answer's HTTP status and `code`
 * are not inspected: the body must parse as JSON and carry the key, else a plain Error
 * (`parse error: …`, `image_key not found in response (code: …, msg: …)`). Transport, token and
 * security-policy failures pass through with their own type. Uploads are writes: never retried.
 */
import { goValueText, isPlainObject, parseJson } from '../core/json.js';
import type { ApiClient } from './api-client.js';
import type { HttpResponse } from '../http/transport.js';
import { Multipart, type MultipartSource } from '../http/multipart.js';

/** What the Go SDK names a file part whose source is a reader. */
const PART_FILE_NAME = 'unknown-file';

function keyFrom(res: HttpResponse, key: 'image_key' | 'file_key'): string {
  let v: unknown;
  try {
    v = parseJson(res.body.toString('utf8'));
  } catch (e) {
    throw new Error(`parse error: ${(e as Error).message}`);
  }
  if (!isPlainObject(v)) throw new Error('parse error: response is not a JSON object');
  const data = isPlainObject(v.data) ? v.data : undefined;
  const found = data && typeof data[key] === 'string' ? (data[key] as string) : '';
  if (!found) throw new Error(`${key} not found in response (code: ${goValueText(v.code)}, msg: ${goValueText(v.msg)})`);
  return found;
}

export async function uploadImage(client: ApiClient, image: MultipartSource): Promise<string> {
  const form = new Multipart().field('image_type', 'message').file('image', image, PART_FILE_NAME);
  const res = await client.raw({ method: 'POST', path: '/open-apis/im/v1/images', body: form });
  return keyFrom(res, 'image_key');
}

export interface FileFields {
  fileType: string;
  fileName: string;
  /** Milliseconds as a decimal string; omitted when empty. */
  duration?: string;
}

export async function uploadFile(client: ApiClient, file: MultipartSource, fields: FileFields): Promise<string> {
  const form = new Multipart().field('file_type', fields.fileType).field('file_name', fields.fileName);
  if (fields.duration) form.field('duration', fields.duration);
  form.file('file', file, PART_FILE_NAME);
  const res = await client.raw({ method: 'POST', path: '/open-apis/im/v1/files', body: form });
  return keyFrom(res, 'file_key');
}
