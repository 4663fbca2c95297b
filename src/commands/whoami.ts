/**
 * `lark-cli whoami [--as user|bot|auto]`: the identity the next API call would use, how it was
 * chosen, the profile and app, and whether that identity is usable (local state only, no
 * request). Always JSON; a hidden `--json` is accepted and ignored, as in the original.
 */
import { Option, type Command } from 'commander';
import type { Context } from '../core/context.js';
import { toPrettyJson } from '../core/json.js';
import { checkSupported, resolveIdentity } from '../auth/identity.js';
import { diagnoseBot, diagnoseUser } from '../auth/identity-diag.js';
import { setCompletionValues } from '../core/suggest.js';

export async function whoami(ctx: Context, asFlag: string | undefined): Promise<Record<string, unknown>> {
  const account = ctx.account();
  const resolved = resolveIdentity(ctx, asFlag, ['user', 'bot']);
  checkSupported(resolved, ['user', 'bot']);
  const explicit = asFlag === 'user' || asFlag === 'bot';
  let source: string;
  if (account.strictMode !== 'off') source = explicit && asFlag === account.strictMode ? 'flag' : 'strict_mode';
  else if (explicit) source = 'flag';
  else if (asFlag === undefined && (account.defaultAs === 'user' || account.defaultAs === 'bot')) source = 'default_as';
  else source = 'auto_detect';
  const out: Record<string, unknown> = {
    profile: account.profileName,
    appId: account.appId,
    brand: account.brand,
    defaultAs: account.defaultAs || 'auto',
    identity: resolved.identity,
    identitySource: source,
  };
  const d = resolved.identity === 'bot' ? await diagnoseBot(ctx, account, false) : await diagnoseUser(ctx, account, false);
  out.available = d.available;
  out.tokenStatus = d.status;
  if (resolved.identity === 'user' && (d.userName || d.openId)) out.onBehalfOf = { userName: d.userName, openId: d.openId };
  if (!d.available && d.hint) out.hint = d.hint;
  return out;
}

export function register(parent: Command, ctx: Context): void {
  const as = new Option('--as <identity>', 'identity type: user | bot | auto (default)');
  setCompletionValues(as, ['user', 'bot', 'auto']);
  const cmd = parent
    .command('whoami')
    .description('Show the current effective identity, app, profile, and token status (JSON)')
    .addOption(as)
    .addOption(new Option('--json', 'deprecated: output is always JSON').hideHelp())
    .action(async (o: { as?: string }) => {
      const given = cmd.getOptionValueSource('as') === 'cli' ? o.as : undefined;
      ctx.io.stdout.write(toPrettyJson(await whoami(ctx, given)));
    });
}
