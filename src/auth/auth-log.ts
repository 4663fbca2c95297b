/**
 * The auth log: one line per OAuth / registration / refresh / user_info response
 * and per secret-store failure, appended to `<logDir>/auth-YYYY-MM-DD.log` (file 0600, folder
 * 0700). Only the first three command-line words are recorded, so secrets given later on the
 * command line never reach the log. Writing the log never fails a command.
 */
import { appendFileSync, chmodSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AuthLogTarget } from '../core/context.js';
import { ensurePrivateDir } from '../core/fsutil.js';

export type { AuthLogTarget } from '../core/context.js';

const KEEP_DAYS = 7;
const cleaned = new Set<string>();

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** RFC 3339 in local time with fractional seconds (`Z` in UTC), like Go's RFC3339Nano. */
export function rfc3339Local(d: Date, fraction = true): string {
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  let frac = '';
  if (fraction) {
    const ms = d.getMilliseconds();
    if (ms) frac = `.${pad(ms, 3)}`.replace(/0+$/, '');
  }
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac}${zone}`;
}

/** `a b c` for at most three words, else the first three followed by ` ...`. */
export function formatCmdline(argv: string[]): string {
  if (argv.length <= 3) return argv.join(' ');
  return `${argv.slice(0, 3).join(' ')} ...`;
}

function removeOldLogs(dir: string, now: Date): void {
  if (cleaned.has(dir)) return;
  cleaned.add(dir);
  const cutoff = new Date(now.getFullYear(), now.getMonth(), now.getDate() - KEEP_DAYS);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^auth-(\d{4})-(\d{2})-(\d{2})\.log$/.exec(name);
    if (!m) continue;
    const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (day < cutoff) rmSync(path.join(dir, name), { force: true });
  }
}

function append(target: AuthLogTarget, line: string): void {
  try {
    const now = new Date();
    ensurePrivateDir(target.logDir);
    const file = path.join(target.logDir, `auth-${localDate(now)}.log`);
    appendFileSync(file, line, { mode: 0o600 });
    chmodSync(file, 0o600);
    removeOldLogs(target.logDir, now);
  } catch {
    /* the log is best effort */
  }
}

/** `[lark-cli] auth-response: …` for one HTTP response of the auth endpoints. */
export function logAuthResponse(target: AuthLogTarget, url: string, status: number, headers: Record<string, string>): void {
  let p = 'missing';
  try {
    p = new URL(url).pathname || 'missing';
  } catch {
    /* keep "missing" */
  }
  append(
    target,
    `[lark-cli] auth-response: time=${rfc3339Local(new Date())} path=${p} status=${status} x-tt-logid=${headers['x-tt-logid'] ?? ''} cmdline=${formatCmdline(target.argv)}\n`,
  );
}

/** `[lark-cli] auth-error: …` for a secret-store failure. */
export function logKeychainError(target: AuthLogTarget, op: string, error: string): void {
  append(
    target,
    `[lark-cli] auth-error: time=${rfc3339Local(new Date())} component=keychain op=${op} error=${JSON.stringify(error)} cmdline=${formatCmdline(target.argv)}\n`,
  );
}
