/**
 * How long to wait before retrying (DECISIONS.md 7), shared by the transport and the download
 * fast path (which must not load the transport: that would load undici).
 */
import type { Io } from '../core/io.js';

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

/** Backoff before retry `attempt + 1` (DECISIONS.md 7); base from LARKSUITE_CLI_RETRY_BASE_MS. */
export function backoffMs(io: Io, attempt: number): number {
  const base = Number(io.env.LARKSUITE_CLI_RETRY_BASE_MS) >= 0 && io.env.LARKSUITE_CLI_RETRY_BASE_MS !== undefined
    ? Number(io.env.LARKSUITE_CLI_RETRY_BASE_MS)
    : 400;
  const exp = base * 2 ** (attempt - 1);
  return Math.min(exp / 2 + Math.random() * exp / 2, MAX_DELAY_MS);
}
