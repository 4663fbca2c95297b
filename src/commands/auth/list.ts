/**
 * `lark-cli auth list`: the profile's logged-in users with the state of their tokens.
 */
import type { Context } from '../../core/context.js';
import { selectProfile } from '../../core/config.js';
import { toPrettyJson } from '../../core/json.js';
import { readUserToken, tokenStatus } from '../../auth/token-store.js';
import { configForUsers } from './users-config.js';

export function list(ctx: Context): void {
  const cfg = configForUsers(ctx);
  if (!cfg) {
    ctx.io.stderr.write('Not configured yet. Run `lark-cli config init` to initialize.\n');
    return;
  }
  const app = selectProfile(cfg, ctx.profileOverride);
  if (app.users.length === 0) {
    ctx.io.stderr.write('No logged-in users. Run `lark-cli auth login` to log in.\n');
    return;
  }
  const items = app.users.map((u) => {
    const t = readUserToken(ctx.store, app.appId, u.userOpenId);
    return { appId: app.appId, tokenStatus: t ? tokenStatus(t) : 'no_token', userName: u.userName, userOpenId: u.userOpenId };
  });
  ctx.io.stdout.write(toPrettyJson(items));
}
