/**
 * The config file as `auth logout` and `auth list` read it (directly, not through the account).
 */
import type { Context } from '../../core/context.js';
import type { ConfigFile } from '../../core/config.js';
import { CliError } from '../../core/errors.js';

/** The config file for logout/list: undefined when there is none (or it has no apps). */
export function configForUsers(ctx: Context): ConfigFile | undefined {
  const c = ctx.config();
  if (c.state === 'missing') return undefined;
  if (c.state === 'invalid') {
    if (c.error === 'invalid config format: no apps') return undefined;
    throw new CliError('config', `failed to load config: ${c.error}`);
  }
  return c.config;
}
