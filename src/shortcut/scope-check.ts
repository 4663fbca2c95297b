/**
 * The lazy in-command scope check (docs/shortcuts-chats-feed.md, `checkRequiredScopes`): run just before
 * an optional extra call. Unlike the pre-check it resolves the token first (which may refresh it).
 *
 * - token cannot be resolved → `auth` error `cannot verify required scope(s): <err>`;
 * - the token carries no scope metadata (environment tokens, bot) → stderr warning, continue;
 * - scopes missing → `missing_scope` error `missing required scope(s): a, b`.
 */
import { CliError, loginHint } from '../core/errors.js';
import type { ShortcutRuntime } from './runtime.js';

export async function checkRequiredScopes(rt: ShortcutRuntime, required: string[]): Promise<void> {
  if (required.length === 0) return;
  try {
    await (await rt.client()).token();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new CliError('auth', `cannot verify required scope(s): ${msg}`, { hint: loginHint(required.join(' ')), cause: e });
  }
  let scope = '';
  const account = rt.account;
  if (rt.identity === 'user' && account.source === 'config' && account.user) {
    const { readUserToken } = await import('../auth/token-store.js');
    scope = readUserToken(rt.ctx.store, account.appId, account.user.userOpenId)?.scope ?? '';
  }
  if (!scope.trim()) {
    rt.io.stderr.write(
      `warning: cannot verify required scope(s) because token scope metadata is unavailable; API may fail if missing: ${required.join(' ')}\n`,
    );
    return;
  }
  const granted = new Set(scope.split(/\s+/).filter(Boolean));
  const missing = required.filter((s) => !granted.has(s));
  if (missing.length) {
    throw new CliError('missing_scope', `missing required scope(s): ${missing.join(', ')}`, { hint: loginHint(missing.join(' ')) });
  }
}
