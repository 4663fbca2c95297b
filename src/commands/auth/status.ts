/**
 * `lark-cli auth status [--verify]`: the account, its user and the user token's state (checked
 * against the server with --verify).
 */
import type { Context } from '../../core/context.js';
import { toPrettyJson } from '../../core/json.js';
import { readUserToken, tokenStatus } from '../../auth/token-store.js';
import { rfc3339Local } from '../../auth/auth-log.js';

const time = (ms: number) => rfc3339Local(new Date(ms), false);

export async function status(ctx: Context, verify: boolean): Promise<void> {
  const account = ctx.account();
  const out: Record<string, unknown> = { appId: account.appId, brand: account.brand, defaultAs: account.defaultAs || 'auto' };
  const user = account.source === 'config' ? account.user : undefined;
  if (!user) {
    out.identity = 'bot';
    out.note = 'No user logged in. Only bot (tenant) identity is available for API calls. Run `lark-cli auth login` to log in.';
    ctx.io.stdout.write(toPrettyJson(out));
    return;
  }
  out.userName = user.userName;
  out.userOpenId = user.userOpenId;
  let t = readUserToken(ctx.store, account.appId, user.userOpenId);
  if (!t) {
    out.identity = 'bot';
    out.note = 'Token does not exist or has been cleared. Only bot (tenant) identity is available. Re-login: lark-cli auth login';
    ctx.io.stdout.write(toPrettyJson(out));
    return;
  }
  const expired = tokenStatus(t) === 'expired';
  if (verify && !expired) {
    const { userAccessToken } = await import('../../auth/user-token.js');
    let token: string | undefined;
    try {
      token = await userAccessToken(ctx, account);
    } catch (e) {
      out.verified = false;
      out.verifyError = `token unusable: ${(e as Error).message}`;
    }
    if (token) {
      const { callUserInfo } = await import('../../auth/user-info.js');
      try {
        const ans = await callUserInfo(ctx, account, token);
        if (ans.code === 0) out.verified = true;
        else {
          out.verified = false;
          out.verifyError = `server rejected token: [${ans.code ?? ''}] ${ans.msg ?? ''}`;
        }
      } catch (e) {
        out.verified = false;
        out.verifyError = `verification request failed: ${(e as Error).message}`;
      }
    }
    t = readUserToken(ctx.store, account.appId, user.userOpenId) ?? t;
  }
  const st = tokenStatus(t);
  out.identity = st === 'expired' ? 'bot' : 'user';
  if (st === 'expired') out.note = 'User token has expired. Only bot (tenant) identity is available. Re-login: lark-cli auth login';
  out.tokenStatus = st;
  out.scope = t.scope;
  out.expiresAt = time(t.expiresAt);
  out.refreshExpiresAt = time(t.refreshExpiresAt);
  out.grantedAt = time(t.grantedAt);
  ctx.io.stdout.write(toPrettyJson(out));
}
