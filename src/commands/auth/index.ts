/**
 * `lark-cli auth login | logout | status | check | scopes | list`: the group and its flags; each
 * subcommand is its own file beside this one.
 */
import { Option, type Command } from 'commander';
import type { Context } from '../../core/context.js';
import type { RunState } from '../../core/run-state.js';
import { groupCommand, strictModeStub } from '../../request/group.js';
import type { RunOptions } from '../../shortcut/run-options.js';
import { check } from './check.js';
import { list } from './list.js';
import { login, type LoginOptions } from './login.js';
import { KNOWN_DOMAINS } from './login-scopes.js';
import { logout } from './logout.js';
import { scopes } from './scopes.js';
import { status } from './status.js';

/** `--json` on the auth subcommands whose output is JSON already (or, for logout, a message). */
const JSON_NOOP = 'structured JSON output (the default; accepted for compatibility)';

function domainParser(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function register(parent: Command, ctx: Context, _state: RunState, opts: RunOptions = {}): void {
  const auth = groupCommand('auth', 'User authorization: login, status, scopes, logout');
  // a user login cannot happen in bot strict mode: a hidden stub fails with the strict-mode error
  if (ctx.strictMode() === 'bot') auth.addCommand(strictModeStub('login', 'bot'), { hidden: true });
  else registerLogin(auth, ctx, opts);
  registerRest(auth, ctx);
  parent.addCommand(auth);
}

function registerLogin(auth: Command, ctx: Context, opts: RunOptions): void {
  auth
    .command('login')
    .summary('Device Flow authorization login')
    .description(
      'Device Flow authorization login.\n\nFor AI agents: this command blocks until the user completes authorization in the\nbrowser. Run it in the background and retrieve the verification URL from its output.',
    )
    .option('--scope <scopes>', 'scopes to request (space-separated)')
    .addOption(new Option('--domain <domains>', `domain (repeatable or comma-separated)\navailable: ${KNOWN_DOMAINS.join(', ')}, all`).argParser(domainParser))
    .option('--recommend', 'request only recommended (auto-approve) scopes')
    .option('--json', 'structured JSON output')
    .option('--no-wait', 'initiate device authorization and return immediately; use --device-code to complete')
    .option('--device-code <code>', 'poll and complete authorization with a device code from a previous --no-wait call')
    .action(async (o: LoginOptions) => login(ctx, o, opts));
}

function registerRest(auth: Command, ctx: Context): void {
  auth
    .command('logout')
    .description('Log out: remove the stored tokens of the logged-in user')
    .option('--json', JSON_NOOP)
    .action(() => logout(ctx));
  auth
    .command('status')
    .description('View current auth status')
    .option('--verify', 'verify token against server (requires network)')
    .option('--json', JSON_NOOP)
    .action(async (o: { verify?: boolean }) => status(ctx, !!o.verify));
  auth
    .command('check')
    .description('Check whether the stored user token has the given scopes (exit 1 when some are missing)')
    .option('--scope <scopes>', 'scopes to check (space-separated, required)')
    .option('--json', JSON_NOOP)
    .action((o: { scope?: string }) => check(ctx, o.scope));
  auth
    .command('scopes')
    .description('List the user scopes enabled for the app')
    .option('--format <format>', 'output format: json | pretty', 'json')
    .option('--json', 'shorthand for --format json')
    .action(async (o: { format: string; json?: boolean }, c: Command) => scopes(ctx, o.json && c.getOptionValueSource('format') !== 'cli' ? 'json' : o.format));
  auth
    .command('list')
    .description('List all logged-in users')
    .option('--json', JSON_NOOP)
    .action(() => list(ctx));
}
