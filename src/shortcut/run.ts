/**
 * The shortcut pipeline (core.md §11.2, clone rules of DECISIONS.md 5, 20, 21) and its
 * commander binding.
 */
import { Command, Option } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { checkSupported, resolveIdentity, strictModeError } from '../core/identity.js';
import { precheckAllScopes } from '../core/scopes.js';
import { resolveShortcutInput, StdinClaim } from '../core/inputs.js';
import type { RunState } from '../core/run-state.js';
import { scopesFor, supportedIdentities, type FlagDef, type ShortcutDef } from './define.js';
import { ShortcutRuntime, type FlagValues } from './runtime.js';

function flagHelp(f: FlagDef): string {
  let d = f.desc;
  if (f.enum?.length) d += ` (${f.enum.join('|')})`;
  if (f.input?.length) {
    const parts = [f.input.includes('file') ? '@file' : '', f.input.includes('stdin') ? '- for stdin' : ''].filter(Boolean);
    d += ` (supports ${parts.join(', ')})`;
  }
  return d;
}

/** Framework flags added to every shortcut (§11.1). */
export function frameworkFlags(def: ShortcutDef): FlagDef[] {
  const flags: FlagDef[] = [
    { name: 'as', desc: 'identity type: user | bot | auto (default)' },
    { name: 'dry-run', type: 'bool', desc: 'print the requests without sending them' },
    { name: 'jq', short: 'q', desc: 'jq expression to filter JSON output' },
  ];
  if (def.hasFormat) flags.push({ name: 'format', default: 'json', desc: 'output format: json|pretty|table|ndjson|csv' });
  if (def.risk === 'high-risk-write') flags.push({ name: 'yes', type: 'bool', desc: 'confirm a high-risk operation' });
  return flags;
}

function intParser(name: string) {
  return (v: string) => {
    if (!/^[+-]?\d+$/.test(v.trim())) {
      throw new CliError('validation', `invalid argument "${v}" for "--${name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
    }
    return Number(v);
  };
}

function addFlag(cmd: Command, f: FlagDef): void {
  const long = `--${f.name}`;
  const flagsText = (f.short ? `-${f.short}, ` : '') + long + (f.type === 'bool' ? '' : ' <value>');
  const opt = new Option(flagsText, flagHelp(f));
  if (f.type === 'string_array') {
    // repeatable, no comma splitting (cobra StringArray)
    opt.argParser((v: string, prev: string[] | undefined) => [...(Array.isArray(prev) ? prev : []), v]);
  } else if (f.type === 'int') {
    opt.argParser(intParser(f.name));
  }
  if (f.default !== undefined && f.default !== '' && f.type !== 'bool') opt.default(f.default);
  if (f.hidden) opt.hideHelp();
  cmd.addOption(opt);
}

/** camelCase key commander uses for a flag. */
function attrName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Builds the commander command of a shortcut; its action runs the pipeline. */
export function shortcutCommand(def: ShortcutDef, ctx: Context, state: RunState): Command {
  const cmd = new Command(def.command).description(def.description).allowExcessArguments(true).argument('[args...]');
  const all = [...def.flags, ...frameworkFlags(def)];
  for (const f of all) addFlag(cmd, f);
  if (def.tips?.length) cmd.addHelpText('after', '\nTips:\n' + def.tips.map((t) => `    • ${t}`).join('\n'));
  cmd.action(async (args: string[]) => {
    if (args.length) {
      throw new CliError('validation', `positional arguments are not supported (got [${args.map((a) => JSON.stringify(a)).join(' ')}]); pass values via flags`);
    }
    const opts = cmd.opts();
    const values: FlagValues = {};
    const given = new Set<string>();
    for (const f of all) {
      const key = attrName(f.name);
      values[f.name] = opts[key] as FlagValues[string];
      if (cmd.getOptionValueSource(key) === 'cli') given.add(f.name);
    }
    const missing = def.flags.filter((f) => f.required && !given.has(f.name)).map((f) => `"${f.name}"`);
    if (missing.length) throw new CliError('validation', `required flag(s) ${missing.join(', ')} not set`);
    await runShortcut(def, ctx, state, values, given);
  });
  return cmd;
}

export async function runShortcut(def: ShortcutDef, ctx: Context, state: RunState, values: FlagValues, given: Set<string>): Promise<void> {
  const supported = supportedIdentities(def);
  const { account } = ctx.tryAccount();
  // strict-mode stub: the command does not exist for the forced identity (§7.4)
  if (account && account.strictMode !== 'off' && !supported.includes(account.strictMode)) throw strictModeError(account.strictMode);

  const asFlag = given.has('as') ? (values.as as string) : undefined;
  const dryRun = values['dry-run'] === true;
  if (account?.source === 'env' && account.envUserToken && (asFlag === undefined || asFlag === 'auto')) {
    await verifyEnvUser(ctx, dryRun);
  }
  const resolved = resolveIdentity(ctx, asFlag, supported);
  state.identity = resolved.identity;
  checkSupported(resolved, supported);
  ctx.account();
  precheckAllScopes(ctx, resolved.identity, scopesFor(def, resolved.identity));

  for (const f of def.flags) {
    const v = values[f.name];
    if (f.enum && typeof v === 'string' && v !== '' && !f.enum.includes(v)) {
      throw new CliError('validation', `invalid value "${v}" for --${f.name}, allowed: ${f.enum.join(', ')}`);
    }
  }
  const claim = new StdinClaim();
  for (const f of def.flags) {
    const v = values[f.name];
    if (f.input?.length && typeof v === 'string') {
      values[f.name] = await resolveShortcutInput(ctx.io, f.name, v, { file: f.input.includes('file'), stdin: f.input.includes('stdin') }, claim);
    }
  }
  const jq = values.jq as string | undefined;
  if (jq) {
    const format = (values.format as string | undefined) ?? 'json';
    if (format !== '' && format !== 'json') throw new CliError('validation', `--jq and --format ${format} are mutually exclusive`);
    const { validateJq } = await import('../output/jq.js');
    await validateJq(jq);
  }
  const rt = new ShortcutRuntime(def, ctx, resolved.identity, values, given);
  if (def.validate) await def.validate(rt);
  if (dryRun) {
    if (!def.dryRun) throw new CliError('validation', `--dry-run is not supported for ${def.service} ${def.command}`);
    const plan = await def.dryRun(rt);
    ctx.io.stderr.write('=== Dry Run ===\n');
    ctx.io.stdout.write(def.hasFormat && values.format === 'pretty' ? plan.renderText() : plan.renderJson());
    return;
  }
  if (def.risk === 'high-risk-write' && values.yes !== true) {
    throw new CliError('unsafe_operation_blocked', `high-risk operation requires confirmation: ${def.description}`, { hint: 'add --yes to confirm' });
  }
  await def.execute(rt);
}

/**
 * An environment user token is checked with user_info before auto-detection (core.md §5.2);
 * under --dry-run it is assumed valid and nothing is sent (DECISIONS.md 5).
 */
export async function verifyEnvUser(ctx: Context, dryRun: boolean): Promise<void> {
  const account = ctx.account();
  if (account.envUserVerified !== undefined) return;
  if (dryRun) {
    account.envUserVerified = true;
    return;
  }
  const { fetchUserInfo } = await import('../auth/user-info.js');
  try {
    const info = await fetchUserInfo(ctx, account, account.envUserToken!);
    account.user = { userOpenId: info.openId, userName: info.name };
    account.envUserVerified = true;
  } catch {
    account.envUserVerified = false;
  }
}
