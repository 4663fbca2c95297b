/**
 * Terminal sanitization: applied to table/CSV cells and to server text that pretty renderers
 * print (colour and control sequences only where a person reads them); never to JSON/NDJSON
 * output. The character checks input validation uses live in core/text-checks.ts.
 */
export { CONTROL_CHARS_RE, DANGEROUS_UNICODE_RE, hasControlChars, hasDangerousUnicode } from '../core/text-checks.js';

/**
 * ANSI CSI: `ESC [`, parameter bytes (the spec's `0-9 ; ? > = !` plus the rest of
 * ECMA-48's 0x30–0x3F range), optional intermediate bytes (0x20–0x2F), one final
 * byte (0x40–0x7E, letters included). The wider final/intermediate ranges also
 * catch `ESC[3~` and `ESC[1 q`, which the spec's letter-only form would leave half-stripped.
 */
const CSI_RE = /\x1b\[[0-9:;<=>?!]*[ -/]*[@-~]/g;
/** OSC: `ESC ]` … terminated by BEL or ST (`ESC \`), shortest match. */
const OSC_RE = /\x1b\][^\x07]*?(?:\x07|\x1b\\)/g;

const STRIP_G = /[\x00-\x08\x0B-\x1F\x7F\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/g;
const NEEDS_WORK = /[\x00-\x08\x0B-\x1F\x7F\u200B-\u200D\uFEFF\u202A-\u202E\u2028\u2029\u2066-\u2069]/;

/** Strips ANSI CSI/OSC sequences, C0 controls (except \n, \t), DEL and dangerous Unicode. */
export function sanitizeTerminal(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  let out = s;
  if (out.includes('\x1b')) out = out.replace(OSC_RE, '').replace(CSI_RE, '');
  return out.replace(STRIP_G, '');
}


