/**
 * Terminal sanitization (core.md §10.8) and the character checks used by input
 * validation (core.md §10.9). Applied to table/CSV cells and to server text that
 * pretty renderers print (DECISIONS.md 14); never to JSON/NDJSON output.
 */

/**
 * ANSI CSI: `ESC [`, parameter bytes (the spec's `0-9 ; ? > = !` plus the rest of
 * ECMA-48's 0x30–0x3F range), optional intermediate bytes (0x20–0x2F), one final
 * byte (0x40–0x7E, letters included). The wider final/intermediate ranges also
 * catch `ESC[3~` and `ESC[1 q`, which the spec's letter-only form would leave half-stripped.
 */
const CSI_RE = /\x1b\[[0-9:;<=>?!]*[ -/]*[@-~]/g;
/** OSC: `ESC ]` … terminated by BEL or ST (`ESC \`), shortest match. */
const OSC_RE = /\x1b\][^\x07]*?(?:\x07|\x1b\\)/g;

/** U+200B–U+200D, U+FEFF, U+202A–U+202E, U+2028–U+2029, U+2066–U+2069. */
export const DANGEROUS_UNICODE_RE = /[\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/;

/** C0 controls except `\t` (0x09) and `\n` (0x0A), and DEL. */
export const CONTROL_CHARS_RE = /[\x00-\x08\x0B-\x1F\x7F]/;

const STRIP_G = /[\x00-\x08\x0B-\x1F\x7F\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/g;
const NEEDS_WORK = /[\x00-\x08\x0B-\x1F\x7F\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/;

/** Strips ANSI CSI/OSC sequences, C0 controls (except \n, \t), DEL and dangerous Unicode. */
export function sanitizeTerminal(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  let out = s;
  if (out.includes('\x1b')) out = out.replace(OSC_RE, '').replace(CSI_RE, '');
  return out.replace(STRIP_G, '');
}

export function hasDangerousUnicode(s: string): boolean {
  return DANGEROUS_UNICODE_RE.test(s);
}

export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS_RE.test(s);
}

