/**
 * The `--no-wait` scope cache: what a device code asked for, read back by `--device-code`.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../../core/context.js';
import { safeName } from '../../core/paths.js';

export function scopeCacheFile(ctx: Context, deviceCode: string): string {
  return path.join(ctx.dirs.cacheDir, 'auth_login_scopes', `${safeName(deviceCode)}.json`);
}

interface ScopeCache {
  requested_scope: string;
  /** The server's poll interval (our addition: resume honours it instead of a fixed 5 s). */
  interval?: number;
}

export function loadScopeCache(ctx: Context, deviceCode: string): ScopeCache | undefined {
  const file = scopeCacheFile(ctx, deviceCode);
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScopeCache>;
    if (typeof v !== 'object' || v === null || typeof v.requested_scope !== 'string') throw new Error('invalid cache format');
    return { requested_scope: v.requested_scope, interval: typeof v.interval === 'number' && v.interval >= 0 ? v.interval : undefined };
  } catch (e) {
    ctx.io.stderr.write(`[lark-cli] [WARN] auth login: failed to load cached requested scopes: ${(e as Error).message}\n`);
    rmSync(file, { force: true });
    return undefined;
  }
}

export function removeScopeCache(ctx: Context, deviceCode: string): void {
  try {
    rmSync(scopeCacheFile(ctx, deviceCode), { force: true });
  } catch (e) {
    ctx.io.stderr.write(`[lark-cli] [WARN] auth login: failed to remove cached requested scopes: ${(e as Error).message}\n`);
  }
}
