/**
 * The retry policy and the one retry loop, shared by the transport (buffered and streamed
 * sends) and both download paths (the download's direct path must not load the transport:
 * that would load undici). What is retried: a safe request's transport errors, 429 and 5xx
 * (and Lark's rate-limit code, which the transport checks), at most 3 attempts in all; a wait
 * the server asks for (`x-ogw-ratelimit-reset`, `Retry-After`) is honoured, capped at 30 s,
 * otherwise the wait is an exponential backoff with jitter. docs/architecture.md, Testing knobs.
 */
import type { Io } from '../core/io.js';
import { sleep } from '../core/sleep.js';

/** Attempts in all for a request that is safe to repeat. */
export const MAX_ATTEMPTS = 3;

const MAX_DELAY_MS = 30_000;

/** Seconds to wait as the server asked (x-ogw-ratelimit-reset or Retry-After), capped at 30 s. */
export function serverDelayMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  const reset = headers['x-ogw-ratelimit-reset'];
  if (reset !== undefined && reset !== '' && Number.isFinite(Number(reset))) {
    return Math.min(Math.max(0, Number(reset) * 1000), MAX_DELAY_MS);
  }
  const ra = headers['retry-after'];
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.min(Number(ra) * 1000, MAX_DELAY_MS);
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) return Math.min(Math.max(0, t - now), MAX_DELAY_MS);
  }
  return undefined;
}

/** Backoff before retry `attempt + 1`; base from LARKSUITE_CLI_RETRY_BASE_MS (default 400 ms). */
export function backoffMs(io: Io, attempt: number): number {
  const base = Number(io.env.LARKSUITE_CLI_RETRY_BASE_MS) >= 0 && io.env.LARKSUITE_CLI_RETRY_BASE_MS !== undefined
    ? Number(io.env.LARKSUITE_CLI_RETRY_BASE_MS)
    : 400;
  const exp = base * 2 ** (attempt - 1);
  return Math.min(exp / 2 + Math.random() * exp / 2, MAX_DELAY_MS);
}

/** An HTTP status worth asking again: 429 and every 5xx. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export interface RetryRules<T> {
  /** Attempts in all (1: nothing is repeated). */
  attempts: number;
  /**
   * For an answer while attempts remain: the headers of an answer to ask again for (their
   * server-requested wait is honoured, else the backoff), or undefined to keep it. `release`
   * runs before the wait.
   */
  retryAnswer?: (answer: T) => { headers: Record<string, string>; release?: () => void } | undefined;
  /** Whether a failure may be tried again (after the backoff); failures are not retried without it. */
  retryError?: (e: unknown) => boolean;
  /** The error thrown for a failure that is not tried again (default: the failure itself). */
  finalError?: (e: unknown) => unknown;
}

/** Runs `attempt` (1, 2, …) under `rules` until it gives an answer to keep or a failure to throw. */
export async function withRetries<T>(io: Io, rules: RetryRules<T>, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    const more = n < rules.attempts;
    let answer: T;
    try {
      answer = await attempt(n);
    } catch (e) {
      if (more && rules.retryError?.(e)) {
        await sleep(backoffMs(io, n));
        continue;
      }
      throw rules.finalError ? rules.finalError(e) : e;
    }
    const again = more ? rules.retryAnswer?.(answer) : undefined;
    if (!again) return answer;
    again.release?.();
    await sleep(serverDelayMs(again.headers) ?? backoffMs(io, n));
  }
}
