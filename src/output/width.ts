/**
 * Display width of table cells: characters in the listed
 * CJK/Hangul/fullwidth/emoji ranges count 2 columns, every other code point 1.
 */

export const ELLIPSIS = '…';

/** Width of one code point. */
export function codePointWidth(cp: number): number {
  if (cp < 0x1100) return 1;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    cp === 0x2329 ||
    cp === 0x232a ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3040 && cp <= 0x33bf) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97c) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe6f) ||
    (cp >= 0xff01 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of a string, iterating by code point. */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x1100) {
      w += 1;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += codePointWidth(cp);
  }
  return w;
}

/**
 * Cuts a string wider than `width` to the largest prefix whose width is at most
 * `width` and appends `…` (so the result may be one column wider).
 * Strings that fit are returned unchanged.
 */
export function truncateToWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let w = 0;
  let end = 0;
  for (const ch of s) {
    const cw = codePointWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    end += ch.length;
  }
  return s.slice(0, end) + ELLIPSIS;
}

/** Pads with spaces on the right up to `width` display columns (never cuts). */
export function padToWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}
