/**
 * Character checks of input validation (paths, ids, flag values): C0 control characters and
 * Unicode that can reorder or hide text. output/sanitize.ts strips the same characters from
 * what it prints.
 */

/** U+200B–U+200D, U+FEFF, U+202A–U+202E, U+2028–U+2029, U+2066–U+2069. */
export const DANGEROUS_UNICODE_RE = /[\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/;

/** C0 controls except `\t` (0x09) and `\n` (0x0A), and DEL. */
export const CONTROL_CHARS_RE = /[\x00-\x08\x0B-\x1F\x7F]/;

export function hasDangerousUnicode(s: string): boolean {
  return DANGEROUS_UNICODE_RE.test(s);
}

export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS_RE.test(s);
}
