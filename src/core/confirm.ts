/**
 * The confirmation gate of high-risk writes (docs/generic-commands.md, "High-risk methods and
 * --yes"): without `--yes` such a command stops with a `confirmation` error (exit 10) before any
 * request is sent. Generic methods and the shortcut framework both build the error here.
 *
 * The hint names `--yes` and, when the command line can be echoed back safely, the whole line
 * to re-run with `--yes` appended. It is left out when an argument reads stdin (`-`, `--x=-`:
 * piped data a re-run would not have), when a flag name carries a credential (`*secret*`,
 * `*token*`, `*password*`, …), when a value looks like free-form content rather than an id
 * (whitespace, quotes, braces, brackets, backquote, backslash, `;`, non-ASCII, over 128
 * characters), or when the line would be longer than 300 characters.
 */
import { CliError } from './errors.js';

export const HIGH_RISK_WRITE = 'high-risk-write';

const RETRY_LINE_MAX = 300;
const ECHO_VALUE_MAX = 128;
const SECRET_MARKERS = ['secret', 'token', 'password', 'passwd', 'api-key', 'apikey', 'access-key'];

/** `<action> requires confirmation`, with the `risk` and `action` fields and the --yes hint. */
export function confirmationError(action: string, argv: readonly string[]): CliError {
  const retry = retryLineWithYes(argv);
  return new CliError('confirmation', `${action} requires confirmation`, {
    hint: retry ? `add --yes to confirm; re-run: ${retry}` : 'add --yes to confirm',
    extension: { risk: HIGH_RISK_WRITE, action },
  });
}

/** The command line with `--yes` appended, shell-quoted; '' when it cannot be echoed safely. */
export function retryLineWithYes(argv: readonly string[]): string {
  if (argv.length === 0) return '';
  const program = argv[0]!.split(/[\\/]/).pop() || argv[0]!;
  const parts = [program];
  for (const a of argv.slice(1)) {
    if (readsStdin(a) || carriesSecret(a) || !echoSafe(a)) return '';
    parts.push(shellQuote(a));
  }
  parts.push('--yes');
  const line = parts.join(' ');
  return line.length > RETRY_LINE_MAX ? '' : line;
}

/** `-` alone, or a flag given `=-`. */
function readsStdin(a: string): boolean {
  if (a === '-') return true;
  if (!a.startsWith('-')) return false;
  const eq = a.indexOf('=');
  return eq >= 0 && a.slice(eq + 1) === '-';
}

/** A flag whose name says it carries a credential (only flag words are judged, not values). */
function carriesSecret(a: string): boolean {
  if (!a.startsWith('-')) return false;
  let name = a.replace(/^-+/, '');
  const eq = name.indexOf('=');
  if (eq >= 0) name = name.slice(0, eq);
  name = name.replaceAll('_', '-').toLowerCase();
  return SECRET_MARKERS.some((m) => name.includes(m));
}

/** Ids, enums, numbers, URLs and paths pass; content-like values do not. */
function echoSafe(a: string): boolean {
  let v = a;
  if (a.startsWith('-')) {
    const eq = a.indexOf('=');
    if (eq < 0) return true; // a bare flag word
    v = a.slice(eq + 1);
  }
  if (Buffer.byteLength(v, 'utf8') > ECHO_VALUE_MAX) return false;
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c < 0x21 || c > 0x7e) return false;
    if (`"'{}[]\`\\;`.includes(ch)) return false;
  }
  return true;
}

/** Single-quotes a word that a POSIX shell would interpret. */
function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[ \t\n"'\\$`!*?[\](){}<>|&;#~]/.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
