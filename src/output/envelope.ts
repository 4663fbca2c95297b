/**
 * The success and error envelopes.
 * This is the one place that turns a failure into what the user sees and an exit code.
 */
import type { Io } from '../core/io.js';
import { CliError, SecurityPolicyError, SilentExit, toCliError } from '../core/errors.js';
import { ordered, toPrettyJson } from '../core/json.js';

/**
 * How a list read ended (the list shortcuts' walk, shortcut/page-all.ts): `complete` only when
 * the server said there is nothing more; `items` counts the records printed; `next_token` is
 * where an incomplete result resumes (absent when complete).
 */
export interface PaginationMeta {
  complete: boolean;
  pages: number;
  items: number;
  next_token?: string;
}

export interface SuccessEnvelope {
  identity?: string;
  data?: unknown;
  meta?: { count?: number; rollback?: unknown; pagination?: PaginationMeta };
  /** `false` for partial-failure ledgers printed on stdout (exit 1). */
  ok?: boolean;
}

export function buildSuccessEnvelope(e: SuccessEnvelope): Record<string, unknown> {
  const env = ordered<Record<string, unknown>>({ ok: e.ok ?? true });
  if (e.identity) env.identity = e.identity;
  if (e.data !== undefined) env.data = e.data;
  if (e.meta) {
    const meta = ordered<Record<string, unknown>>({});
    if (e.meta.count) meta.count = e.meta.count;
    if (e.meta.rollback !== undefined && e.meta.rollback !== null && !(Array.isArray(e.meta.rollback) && e.meta.rollback.length === 0)) {
      meta.rollback = e.meta.rollback;
    }
    if (e.meta.pagination) meta.pagination = paginationObject(e.meta.pagination);
    if (Object.keys(meta).length) env.meta = meta;
  }
  return env;
}

/** The pagination meta in its printed order, `next_token` only when set. */
export function paginationObject(p: PaginationMeta): Record<string, unknown> {
  const o = ordered<Record<string, unknown>>({ complete: p.complete, pages: p.pages, items: p.items });
  if (p.next_token) o.next_token = p.next_token;
  return o;
}

export function buildErrorEnvelope(err: CliError, identity?: string): Record<string, unknown> {
  const body = ordered<Record<string, unknown>>({ type: err.type });
  if (err.code) body.code = err.code;
  body.message = err.message;
  if (err.hint) body.hint = err.hint;
  if (err.consoleUrl) body.console_url = err.consoleUrl;
  if (err.detail !== undefined && err.detail !== null) body.detail = err.detail;
  for (const [k, v] of Object.entries(err.extension ?? {})) if (!Object.hasOwn(body, k)) body[k] = v;
  const env = ordered<Record<string, unknown>>({ ok: false });
  if (identity) env.identity = identity;
  env.error = body;
  return env;
}


/**
 * Prints the failure on stderr and returns the exit code. Nothing reaches stdout, and no stack
 * trace is printed unless LARKSUITE_CLI_DEBUG=1.
 */
export function reportError(io: Io, e: unknown, identity?: string): number {
  if (e instanceof SilentExit) return e.exitCode;
  if (e instanceof SecurityPolicyError) {
    const err: Record<string, unknown> = { code: e.policyCode, message: e.message, retryable: false, type: 'auth_error' };
    if (e.challengeUrl) err.challenge_url = e.challengeUrl;
    if (e.policyHint) err.hint = e.policyHint;
    io.stderr.write(toPrettyJson({ error: err, ok: false }));
    return 1;
  }
  const err = toCliError(e);
  if (err.type === 'internal' && io.env.LARKSUITE_CLI_DEBUG === '1' && e instanceof Error && e.stack) {
    io.stderr.write(e.stack + '\n');
  }
  io.stderr.write(toPrettyJson(buildErrorEnvelope(err, identity)));
  return err.exitCode;
}
