/**
 * `lark-cli doctor [--offline]`: a health check of the CLI, printed as one JSON object
 * `{ok, checks: [{name, status, message, hint?}]}` (status pass | warn | fail | skip), exit 1
 * when a check failed (no error envelope: the answer is on stdout). Checks, in order: the
 * version, the config file, the account, the bot and the user identity (verified against the
 * server unless --offline), whether one identity is usable, and whether the brand's Open
 * Platform host answers. docs/compatibility.md lists what differs from the original's doctor.
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { SilentExit } from '../core/errors.js';
import { endpointsFor } from '../core/brand.js';
import { cliVersion } from '../core/io.js';
import { toPrettyJson } from '../core/json.js';
import { diagnoseBot, diagnoseUser, type IdentityDiag } from '../auth/identity-diag.js';

type Status = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: Status;
  message: string;
  hint?: string;
}

const check = (name: string, status: Status, message: string, hint?: string): Check => (hint ? { name, status, message, hint } : { name, status, message });

/** How long the reachability probe waits for an answer. */
const PROBE_TIMEOUT_MS = 10_000;

const CONFIG_HINT = 'run: lark-cli config --help';

/** An identity check: pass when the identity is usable, else a warning with the diagnosis' hint. */
function identityCheck(name: string, d: IdentityDiag): Check {
  return check(name, d.available ? 'pass' : 'warn', d.message, d.available ? undefined : d.hint);
}

/** A HEAD request to the brand's Open Platform host: any HTTP answer means reachable. */
async function probe(ctx: Context, url: string): Promise<Check> {
  const name = 'endpoint_open';
  const { send } = await import('../http/transport.js');
  try {
    await send(ctx.io, { method: 'HEAD', url, headers: {}, safe: false, timeoutMs: PROBE_TIMEOUT_MS });
    return check(name, 'pass', `${url} reachable`);
  } catch (e) {
    return check(name, 'fail', `${url} unreachable: ${(e as Error).message}`, 'check network or proxy settings');
  }
}

export async function doctor(ctx: Context, offline: boolean): Promise<Check[]> {
  const checks: Check[] = [check('cli_version', 'pass', cliVersion())];
  const cfg = ctx.config();
  const { account, error } = ctx.tryAccount();
  if (cfg.state === 'ok') checks.push(check('config_file', 'pass', 'config.json found'));
  else if (account?.source === 'env') checks.push(check('config_file', 'skip', 'no config file (the app comes from the environment)'));
  else {
    checks.push(cfg.state === 'invalid' ? check('config_file', 'fail', cfg.error, CONFIG_HINT) : check('config_file', 'fail', 'not configured', error?.hint));
    return checks;
  }
  if (!account) {
    checks.push(check('app_resolved', 'fail', error?.message ?? 'not configured', error?.hint));
    return checks;
  }
  checks.push(check('app_resolved', 'pass', `app: ${account.appId} (${account.brand})`));
  const bot = await diagnoseBot(ctx, account, !offline);
  const user = await diagnoseUser(ctx, account, !offline);
  checks.push(identityCheck('bot_identity', bot), identityCheck('user_identity', user));
  checks.push(
    bot.available || user.available
      ? check('identity_ready', 'pass', 'at least one identity is available')
      : check('identity_ready', 'fail', 'no usable bot or user identity is available'),
  );
  const open = endpointsFor(account.brand).open;
  checks.push(offline ? check('endpoint_open', 'skip', 'skipped (--offline)') : await probe(ctx, open));
  return checks;
}

export function register(parent: Command, ctx: Context): void {
  parent
    .command('doctor')
    .description('CLI health check: config, auth, and connectivity')
    .option('--offline', 'skip network checks (only verify local state)')
    .action(async (o: { offline?: boolean }) => {
      const checks = await doctor(ctx, !!o.offline);
      const ok = !checks.some((c) => c.status === 'fail');
      ctx.io.stdout.write(toPrettyJson({ ok, checks }));
      if (!ok) throw new SilentExit(1);
    });
}
