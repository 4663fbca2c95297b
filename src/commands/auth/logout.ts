/**
 * `lark-cli auth logout`: removes the stored tokens of the profile's users and forgets them.
 */
import type { Context } from '../../core/context.js';
import { saveConfig, selectProfile } from '../../core/config.js';
import { removeUserToken } from '../../auth/token-store.js';
import { configForUsers } from './users-config.js';

export function logout(ctx: Context): void {
  const cfg = configForUsers(ctx);
  if (!cfg) {
    ctx.io.stderr.write('No configuration found.\n');
    return;
  }
  const app = selectProfile(cfg, ctx.profileOverride);
  if (app.users.length === 0) {
    ctx.io.stderr.write('Not logged in.\n');
    return;
  }
  for (const u of app.users) {
    try {
      removeUserToken(ctx.store, app.appId, u.userOpenId);
    } catch (e) {
      ctx.io.stderr.write(`Warning: failed to remove token for ${u.userOpenId}: ${(e as Error).message}\n`);
    }
  }
  app.users = [];
  saveConfig(ctx.dirs, cfg);
  ctx.invalidate();
  ctx.io.stderr.write('OK: Logged out\n');
}
