/**
 * Naming a downloaded file: the file name a `Content-Disposition` header suggests (parsed as
 * Go's `mime.ParseMediaType` does) and the extension a name without one gets
 * (docs/shortcuts-write.md, +messages-resources-download).
 */
import path from 'node:path';
import { extensionForContentType, pathExt } from '../core/file-ext.js';

const TSPECIAL = new Set('()<>@,;:\\"/[]?='.split(''));
const isTokenChar = (c: string) => c > ' ' && c < '\x7f' && !TSPECIAL.has(c);
const isToken = (s: string) => s.length > 0 && [...s].every(isTokenChar);

function decodeRfc2231(v: string): string | undefined {
  const parts = v.split("'");
  if (parts.length !== 3) return undefined;
  const charset = parts[0]!.toLowerCase();
  if (charset !== 'us-ascii' && charset !== 'utf-8') return undefined;
  const enc = parts[2]!;
  const bytes: number[] = [];
  for (let i = 0; i < enc.length; i++) {
    if (enc[i] === '%') {
      const h = enc.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(enc[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parameters of a `Content-Disposition` value as Go `mime.ParseMediaType` returns them
 * (lower-cased names; `name*` RFC 2231 values decoded and taking precedence over `name`), or
 * undefined when it does not parse.
 */
export function dispositionParams(header: string): Record<string, string> | undefined {
  const semi = header.indexOf(';');
  const media = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const slash = media.indexOf('/');
  if (!(slash < 0 ? isToken(media) : isToken(media.slice(0, slash)) && isToken(media.slice(slash + 1)))) return undefined;
  const params: Record<string, string> = {};
  const extended: Record<string, Record<string, string>> = {};
  let rest = semi < 0 ? '' : header.slice(semi);
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest === '') break;
    if (!rest.startsWith(';')) return undefined;
    rest = rest.slice(1).replace(/^\s+/, '');
    if (rest === '') break; // trailing semicolon
    let i = 0;
    while (i < rest.length && isTokenChar(rest[i]!)) i++;
    const key = rest.slice(0, i).toLowerCase();
    if (key === '') return undefined;
    rest = rest.slice(i).replace(/^\s+/, '');
    if (!rest.startsWith('=')) return undefined;
    rest = rest.slice(1).replace(/^\s+/, '');
    let value: string;
    if (rest.startsWith('"')) {
      let j = 1;
      let out = '';
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        out += rest[j];
      }
      if (j >= rest.length) return undefined;
      value = out;
      rest = rest.slice(j + 1);
    } else {
      let j = 0;
      while (j < rest.length && isTokenChar(rest[j]!)) j++;
      if (j === 0) return undefined;
      value = rest.slice(0, j);
      rest = rest.slice(j);
    }
    const star = key.indexOf('*');
    if (star >= 0) {
      const base = key.slice(0, star);
      const pieces = (extended[base] ??= {});
      if (Object.hasOwn(pieces, key)) return undefined;
      pieces[key] = value;
    } else {
      if (Object.hasOwn(params, key)) return undefined;
      params[key] = value;
    }
  }
  for (const [base, pieces] of Object.entries(extended)) {
    const single = pieces[`${base}*`];
    if (single !== undefined) {
      const dec = decodeRfc2231(single);
      if (dec !== undefined) params[base] = dec;
      continue;
    }
    let joined = '';
    let any = false;
    for (let n = 0; ; n++) {
      const plain = pieces[`${base}*${n}`];
      const enc = pieces[`${base}*${n}*`];
      if (plain === undefined && enc === undefined) break;
      any = true;
      if (enc !== undefined) {
        const dec = n === 0 ? decodeRfc2231(enc) : decodeRfc2231(`utf-8''${enc}`);
        if (dec === undefined) {
          any = false;
          break;
        }
        joined += dec;
      } else joined += plain;
    }
    if (any) params[base] = joined;
  }
  return params;
}

/** The safe file name a `Content-Disposition` header suggests, or ''. */
export function contentDispositionFilename(header: string | undefined): string {
  if (!header) return '';
  const params = dispositionParams(header);
  let name = (params?.filename ?? '').trim();
  if (name === '') return '';
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  if (cut >= 0) name = name.slice(cut + 1);
  if (name === '' || name === '.' || name === '..') return '';
  if (/[\x00-\x1f\x7f]/.test(name)) return '';
  return name;
}

/**
 * The final relative path for `rel` from the first response's headers (a name that already has
 * an extension is kept). With
 * `useContentDisposition` the server's file name replaces the name (`explicit` false) or lends
 * its extension (`explicit` true); otherwise only the Content-Type extension is appended.
 */
export function chooseTargetName(rel: string, headers: Record<string, string>, opts: { useContentDisposition: boolean; explicit: boolean }): string {
  if (pathExt(rel) !== '') return rel;
  if (opts.useContentDisposition) {
    const cd = contentDispositionFilename(headers['content-disposition']);
    if (cd) {
      if (!opts.explicit) {
        const dir = path.dirname(rel);
        return dir === '.' ? cd : path.join(dir, cd);
      }
      const ext = pathExt(cd);
      if (ext) return rel + ext;
    }
  }
  return rel + extensionForContentType(headers['content-type']);
}
