/**
 * Identity resolution and strict mode.
 */
import type { Identity, StrictMode } from '../core/config.js';
import type { Account, Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { readUserToken, tokenStatus } from './token-store.js';

export interface ResolvedIdentity {
  identity: Identity;
  /** true when the identity came from auto-detection or a default (error wording). */
  implicit: boolean;
}

/** The strict mode in force, or 'off' when the account cannot be resolved. */
export function effectiveStrictMode(ctx: Context): StrictMode {
  const { account } = ctx.tryAccount();
  return account?.strictMode ?? 'off';
}

export function strictModeError(mode: StrictMode): CliError {
  return new CliError(
    'strict_mode',
    `strict mode is "${mode}", only ${mode} identity is allowed. This setting is managed by the administrator and must not be modified by AI agents.`,
  );
}

/** Does the config account have a logged-in user with a token that is not expired? */
export function hasUsableStoredUser(ctx: Context, account: Account): boolean {
  if (account.source !== 'config' || !account.user) return false;
  const t = readUserToken(ctx.store, account.appId, account.user.userOpenId);
  return !!t && tokenStatus(t) !== 'expired';
}

/**
 * Strict mode → forced; explicit --as (not auto) → that; default-as → that; else auto-detect.
 * `asFlag` is the typed value, undefined when --as was not given.
 */
export function resolveIdentity(ctx: Context, asFlag: string | undefined, supported: Identity[]): ResolvedIdentity {
  const { account } = ctx.tryAccount();
  if (account && account.strictMode !== 'off') return { identity: account.strictMode, implicit: false };
  if (asFlag !== undefined && asFlag !== 'auto') return { identity: asFlag as Identity, implicit: false };
  if (asFlag === undefined && account && (account.defaultAs === 'user' || account.defaultAs === 'bot')) {
    return { identity: account.defaultAs, implicit: true };
  }
  if (!account) return { identity: 'bot', implicit: true };
  if (account.source === 'env') {
    if (account.envUserToken && account.envUserVerified) return { identity: 'user', implicit: true };
    if (supported.length === 1) return { identity: supported[0]!, implicit: true };
    return { identity: 'bot', implicit: true };
  }
  return { identity: hasUsableStoredUser(ctx, account) ? 'user' : 'bot', implicit: true };
}

/** An unsupported identity is a validation error. */
export function checkSupported(resolved: ResolvedIdentity, supported: Identity[]): void {
  if (supported.includes(resolved.identity)) return;
  const list = supported.join(', ');
  if (resolved.implicit) {
    throw new CliError(
      'validation',
      `resolved identity "${resolved.identity}" (via auto-detect or default-as) is not supported, this command only supports: ${list}\nhint: use --as ${supported[0]}`,
    );
  }
  throw new CliError('validation', `--as ${resolved.identity} is not supported, this command only supports: ${list}`);
}
