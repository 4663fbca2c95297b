/**
 * `-` (stdin) and `@file` inputs for flags.
 */
import { readFileSync } from 'node:fs';
import type { Io } from './io.js';
import { CliError } from './errors.js';
import { checkLocalPath } from './safe-path.js';

export interface InputSpec {
  file?: boolean;
  stdin?: boolean;
}

/** Tracks which flag already took stdin: only one may. */
export class StdinClaim {
  private owner?: string;
  claim(flag: string, conflictMessage?: string): void {
    if (this.owner && this.owner !== flag) {
      throw new CliError('validation', conflictMessage ?? `--${flag}: stdin (-) can only be used by one flag`);
    }
    this.owner = flag;
  }
  get taken(): string | undefined {
    return this.owner;
  }
}

/** Reads a file given as `@path` (relative, inside the working directory). */
export function readAtFile(io: Io, flag: string, rawPath: string): string {
  const p = rawPath.trim();
  if (p === '') throw new CliError('validation', `--${flag}: file path cannot be empty after @`);
  const checked = checkLocalPath(p, io.cwd, '--file');
  if ('problem' in checked) throw new CliError('validation', `--${flag}: invalid file path "${p}": ${checked.problem}`);
  try {
    let text = readFileSync(checked.path, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new CliError('validation', `--${flag}: cannot read file "${p}": ${reason}`);
  }
}

/** Shortcut input flags: `-` → all of stdin (not trimmed), `@@x` → `@x`, `@path` → file content. */
export async function resolveShortcutInput(io: Io, flag: string, value: string, spec: InputSpec, claim: StdinClaim): Promise<string> {
  if (value === '-') {
    if (!spec.stdin) throw new CliError('validation', `--${flag} does not support stdin (-)`);
    claim.claim(flag);
    try {
      return (await io.readStdin()).toString('utf8');
    } catch (e) {
      throw new CliError('validation', `--${flag}: failed to read from stdin: ${(e as Error).message}`);
    }
  }
  if (value.startsWith('@@')) return value.slice(1);
  if (value.startsWith('@')) {
    if (!spec.file) throw new CliError('validation', `--${flag} does not support file input (@path)`);
    return readAtFile(io, flag, value.slice(1));
  }
  return value;
}

/**
 * `--params` / `--data` of generic commands and `api`: `-` reads
 * all of stdin trimmed, `@path` reads a file trimmed, `@@` escapes, one pair of surrounding
 * single quotes is stripped.
 */
export async function resolveJsonInput(io: Io, flag: string, value: string | undefined): Promise<string> {
  if (value === undefined || value === '') return '';
  let text: string;
  if (value === '-') {
    let buf: Buffer;
    try {
      buf = await io.readStdin();
    } catch {
      throw new CliError('validation', `--${flag}: stdin is not available`);
    }
    text = buf.toString('utf8').trim();
    if (text === '') throw new CliError('validation', `--${flag}: stdin is empty (did you forget to pipe input?)`);
  } else if (value.startsWith('@@')) {
    text = value.slice(1);
  } else if (value.startsWith('@')) {
    text = readAtFile(io, flag, value.slice(1)).trim();
  } else {
    text = value;
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) text = text.slice(1, -1);
  return text;
}
