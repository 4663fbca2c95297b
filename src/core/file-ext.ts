/**
 * File-name extensions: Go's `filepath.Ext`, and the one table from a media type
 * (Content-Type) to the extension a saved file gets.
 */

/** Go `filepath.Ext`: the suffix of the last path element from its last `.` ('' when none). */
export function pathExt(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot) : '';
}

const MIME_EXT: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'video/mp4': '.mp4',
  'video/3gpp': '.3gp',
  'video/x-msvideo': '.avi',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'audio/wav': '.wav',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/css': '.css',
  'text/csv': '.csv',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/x-rar-compressed': '.rar',
  'application/json': '.json',
  'application/xml': '.xml',
  'application/octet-stream': '.bin',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
};

/** Extension for a Content-Type header (media type before `;`, trimmed, case-sensitive), or ''. */
export function extensionForContentType(contentType: string | undefined): string {
  const media = (contentType ?? '').split(';')[0]!.trim();
  return Object.hasOwn(MIME_EXT, media) ? MIME_EXT[media]! : '';
}

/**
 * `api`'s looser guess for a binary answer saved without a name: the first of these fragments
 * the lower-cased Content-Type contains (whole media types of the table above, then the XML
 * families: an Office Open XML type contains `xml`, so it gets `.xml`),
 * else `.bin`.
 */
const GUESS_ORDER: Array<[fragment: string, ext: string]> = [
  ...['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'text/plain', 'text/csv', 'text/html', 'application/zip'].map(
    (t): [string, string] => [t, MIME_EXT[t]!],
  ),
  ['xml', '.xml'],
  ['spreadsheetml', '.xlsx'],
  ['wordprocessingml', '.docx'],
  ['presentationml', '.pptx'],
];

export function guessExtension(contentType: string | undefined): string {
  const ct = (contentType ?? '').toLowerCase();
  return GUESS_ORDER.find(([k]) => ct.includes(k))?.[1] ?? '.bin';
}
