/**
 * The line-based prompt of `config init` on a terminal: App ID, App Secret and brand, each
 * defaulting to what is stored.
 */
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import type { ConfigFile } from '../core/config.js';
import { selectProfile } from '../core/config.js';
import { normalizeBrandFlag } from '../core/brand.js';

export async function promptCredentials(
  ctx: Context,
  existing: ConfigFile | undefined,
  o: { appId?: string; brand?: string; name?: string },
): Promise<{ appId: string; appSecret: string; brand: string }> {
  let current: { appId: string; brand: string; secret: string } | undefined;
  if (existing) {
    try {
      const p = selectProfile(existing, o.name ?? ctx.profileOverride);
      current = { appId: p.appId, brand: p.brand, secret: '' };
      try {
        current.secret = ctx.account().appSecret();
      } catch {
        /* no stored secret */
      }
    } catch {
      current = undefined;
    }
  }
  const rl = ctx.io.openPrompt?.();
  if (!rl) throw new CliError('validation', 'no terminal to prompt on');
  try {
    const appIdAns = (await rl.question(`App ID [${o.appId ?? current?.appId ?? ''}]: `)).trim();
    const secretAns = (await rl.question(`App Secret [${current?.secret ? '****' : ''}]: `)).trim();
    const brandAns = (await rl.question(`Brand (lark/feishu) [${o.brand ?? current?.brand ?? 'feishu'}]: `)).trim();
    const appId = appIdAns || o.appId || current?.appId || '';
    const appSecret = secretAns || (appId === current?.appId ? current.secret : '');
    if (!appId && !appSecret) throw new CliError('validation', 'App ID and App Secret cannot be empty');
    if (!appId) throw new CliError('validation', 'App ID cannot be empty');
    if (!appSecret) {
      throw new CliError('validation', current ? 'App Secret cannot be empty when changing App ID' : 'App Secret cannot be empty for new configuration');
    }
    return { appId, appSecret, brand: normalizeBrandFlag(brandAns || o.brand || current?.brand) };
  } finally {
    rl.close();
  }
}
