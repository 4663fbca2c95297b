/**
 * Flag validation helpers with the fixed messages of docs/shortcuts-framework.md (shared by the shortcuts):
 * comma lists, chat / user / message ids, page sizes, flag combinations. Every failure is a
 * `validation` CliError (exit 2). No I/O, cheap to import.
 */
import { CliError } from '../core/errors.js';

/** SplitCSV: split on `,`, trim each part, drop empty parts; `''` → `[]`. */
export function splitCsv(input: string): string[] {
  if (!input) return [];
  return input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Chat id (`oc_…`): trimmed; a feishu.cn / larksuite.com URL is reduced to its first `oc_`
 * path segment. Returns the validated id.
 */
export function validateChatId(input: string): string {
  let id = input.trim();
  if (id === '') throw new CliError('validation', 'chat ID cannot be empty');
  if (id.includes('feishu.cn') || id.includes('larksuite.com')) {
    const seg = id.split('/').find((p) => p.startsWith('oc_'));
    if (seg !== undefined) id = seg;
  }
  if (!id.startsWith('oc_')) throw new CliError('validation', "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
  return id;
}

/** User open id (`ou_…`), trimmed. */
export function validateUserId(input: string): string {
  const id = input.trim();
  if (id === '') throw new CliError('validation', 'user ID cannot be empty');
  if (!id.startsWith('ou_')) throw new CliError('validation', "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
  return id;
}

/** Message id (`om_…`), trimmed. */
export function validateMessageId(input: string): string {
  const id = input.trim();
  if (id === '') throw new CliError('validation', 'message ID cannot be empty');
  if (!id.startsWith('om_')) throw new CliError('validation', `invalid message ID "${id}": must start with om_`);
  return id;
}

/**
 * Page size from a flag's text (or number): empty → `def`; not an integer →
 * `invalid --<flag> "<v>": must be an integer`; out of range →
 * `invalid --<flag> <n>: must be between <min> and <max>`.
 */
export function validatePageSize(flag: string, value: string | number | undefined, def: number, min: number, max: number): number {
  const text = value === undefined ? '' : String(value).trim();
  if (text === '') return def;
  if (!/^[+-]?\d+$/.test(text)) throw new CliError('validation', `invalid --${flag} "${value}": must be an integer`);
  const n = Number(text);
  if (n < min || n > max) throw new CliError('validation', `invalid --${flag} ${n}: must be between ${min} and ${max}`);
  return n;
}

/** `--a and --b are mutually exclusive`, naming only the flags that are set. */
export function mutuallyExclusive(set: Record<string, boolean>): void {
  const on = Object.keys(set).filter((k) => set[k]);
  if (on.length > 1) throw new CliError('validation', `${on.map((k) => `--${k}`).join(' and ')} are mutually exclusive`);
}

/** `specify at least one of --a or --b`. */
export function atLeastOne(set: Record<string, boolean>): void {
  const names = Object.keys(set);
  if (!names.some((k) => set[k])) throw new CliError('validation', `specify at least one of ${names.map((k) => `--${k}`).join(' or ')}`);
}

/** Exactly one of the flags: at-least-one, then mutually-exclusive. */
export function exactlyOne(set: Record<string, boolean>): void {
  atLeastOne(set);
  mutuallyExclusive(set);
}
