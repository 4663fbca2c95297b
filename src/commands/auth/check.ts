/**
 * `lark-cli auth check --scope "<scopes>"`: whether the stored user token has them (exit 1 when
 * some are missing).
 */
import type { Context } from '../../core/context.js';
import { CliError, SilentExit } from '../../core/errors.js';
import { toPrettyJson } from '../../core/json.js';
import { readUserToken } from '../../auth/token-store.js';

export function check(ctx: Context, scopeFlag: string | undefined): void {
  if (scopeFlag === undefined) throw new CliError('validation', 'required flag(s) "scope" not set');
  const required = scopeFlag.split(/\s+/).filter(Boolean);
  const print = (v: unknown) => ctx.io.stdout.write(toPrettyJson(v));
  if (required.length === 0) {
    print({ granted: [], missing: [], ok: true });
    return;
  }
  const account = ctx.account();
  const user = account.source === 'config' ? account.user : undefined;
  if (!user) {
    print({ error: 'not_logged_in', missing: required, ok: false });
    throw new SilentExit(1);
  }
  const t = readUserToken(ctx.store, account.appId, user.userOpenId);
  if (!t) {
    print({ error: 'no_token', missing: required, ok: false });
    throw new SilentExit(1);
  }
  const have = new Set(t.scope.split(/\s+/).filter(Boolean));
  const granted = required.filter((s) => have.has(s));
  const missing = required.filter((s) => !have.has(s));
  const out: Record<string, unknown> = { granted: granted.length ? granted : null, missing: missing.length ? missing : null, ok: missing.length === 0 };
  if (missing.length) out.suggestion = `lark-cli auth login --scope "${missing.join(' ')}"`;
  print(out);
  if (missing.length) throw new SilentExit(1);
}
