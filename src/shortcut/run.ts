/**
 * The shortcut pipeline (docs/shortcuts-framework.md) and its commander binding.
 */
import { Command, Option } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { confirmationError } from '../core/confirm.js';
import { checkSupported, resolveIdentity } from '../auth/identity.js';
import { precheckAllScopes } from '../auth/scopes.js';
import { resolveShortcutInput, StdinClaim } from '../core/inputs.js';
import { setCompletionValues } from '../core/suggest.js';
import type { RunState } from '../core/run-state.js';
import { scopesFor, supportedIdentities, type AnyShortcut, type FlagDef } from './define.js';
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

/** Framework flags added to every shortcut. */
export function frameworkFlags(def: AnyShortcut): FlagDef[] {
  const flags: FlagDef[] = [
    { name: 'as', desc: 'identity type: user | bot | auto (default)' },
    { name: 'dry-run', type: 'bool', desc: 'print the requests without sending them' },
    { name: 'jq', short: 'q', desc: 'jq expression to filter JSON output' },
  ];
  // every shortcut takes --format and --json, whether or not it declares format support
  // (docs/compatibility.md); a shortcut's own `json` flag keeps the name
  flags.push({ name: 'format', default: 'json', desc: 'output format: json|pretty|table|ndjson|csv' });
  if (!def.flags.some((f) => f.name === 'json')) flags.push({ name: 'json', type: 'bool', desc: 'shorthand for --format json' });
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

/**
 * One CSV record as Go's encoding/csv reads it (pflag StringSlice): `,` separates fields, a field
 * that starts with `"` is quoted (`""` is a literal quote), a bare quote elsewhere is an error.
 */
export function splitCsvRecord(name: string, v: string): string[] {
  if (v === '') return [];
  const out: string[] = [];
  let i = 0;
  const bad = (col: number, what: string): never => {
    throw new CliError('validation', `invalid argument "${v}" for "--${name}" flag: parse error on line 1, column ${col}: ${what}`);
  };
  for (;;) {
    let field = '';
    if (v[i] === '"') {
      i++;
      for (;;) {
        if (i >= v.length) bad(i + 1, 'extraneous or missing " in quoted-field');
        if (v[i] === '"') {
          if (v[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += v[i++];
      }
      if (i < v.length && v[i] !== ',') bad(i + 1, 'extraneous or missing " in quoted-field');
    } else {
      while (i < v.length && v[i] !== ',') {
        if (v[i] === '"') bad(i + 1, 'bare " in non-quoted-field');
        field += v[i++];
      }
    }
    out.push(field);
    if (i >= v.length) return out;
    i++; // the comma
  }
}

/** Go strconv.ParseBool. */
function parseBoolFlag(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new CliError('validation', `invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

/**
 * pflag accepts `--flag=true|false` for bools, commander does not: the values are taken out of the
 * arguments before commander sees them and returned as explicit settings (last occurrence wins).
 */
function takeBoolValues(args: string[], flags: readonly FlagDef[]): { args: string[]; bools: Map<string, boolean> } {
  const bools = new Map<string, boolean>();
  const boolNames = new Set(flags.filter((f) => f.type === 'bool').map((f) => f.name));
  const out = mapFlagWords(args, flags, (a) => {
    const m = /^--([^=]+)(?:=([\s\S]*))?$/.exec(a);
    if (!m || !boolNames.has(m[1]!)) return a;
    const value = m[2] === undefined ? true : parseBoolFlag(m[1]!, m[2]);
    bools.set(m[1]!, value);
    return value ? `--${m[1]}` : undefined;
  });
  return { args: out, bools };
}

/**
 * The word walk of pflag: everything from `--` on, a valued flag and the word after it (its value,
 * whatever it looks like) are kept as they are; every other word is replaced by what `map` makes
 * of it (nothing for undefined), and when that is a valued flag the word after it is its value.
 */
function mapFlagWords(args: string[], flags: readonly FlagDef[], map: (word: string) => string | undefined): string[] {
  const valued = new Set(flags.filter((f) => f.type !== 'bool').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const word = valued.has(a) ? a : map(a);
    if (word === undefined) continue;
    out.push(word);
    if (valued.has(word) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}

/**
 * Flag aliases (FlagDef.aliases): `--limit 5` and `--limit=5` become `--page-size …` before
 * anything else reads the arguments; a word that is another flag's value is left alone.
 */
export function canonicalFlagArgs(args: string[], flags: readonly FlagDef[]): string[] {
  const byAlias = new Map<string, FlagDef>();
  for (const f of flags) for (const a of f.aliases ?? []) byAlias.set(a, f);
  if (byAlias.size === 0) return args;
  return mapFlagWords(args, flags, (a) => {
    const m = /^--([^=]+)(=[\s\S]*)?$/.exec(a);
    const f = m ? byAlias.get(m[1]!) : undefined;
    return f ? `--${f.name}${m![2] ?? ''}` : a;
  });
}

/** What shell completion offers for the framework's flags that declare no enum. */
const FRAMEWORK_VALUES: Readonly<Record<string, readonly string[]>> = {
  as: ['user', 'bot', 'auto'],
  format: ['json', 'pretty', 'table', 'ndjson', 'csv'],
};

function addFlag(cmd: Command, f: FlagDef): void {
  const long = `--${f.name}`;
  const flagsText = (f.short ? `-${f.short}, ` : '') + long + (f.type === 'bool' ? '' : ' <value>');
  const opt = new Option(flagsText, flagHelp(f));
  const values = f.enum ?? FRAMEWORK_VALUES[f.name];
  if (values) setCompletionValues(opt, values);
  if (f.type === 'string_array') {
    // repeatable, no comma splitting (cobra StringArray)
    opt.argParser((v: string, prev: string[] | undefined) => [...(Array.isArray(prev) ? prev : []), v]);
  } else if (f.type === 'string_slice') {
    // repeatable, each occurrence split as one CSV record (cobra StringSlice)
    opt.argParser((v: string, prev: string[] | undefined) => [...(Array.isArray(prev) ? prev : []), ...splitCsvRecord(f.name, v)]);
  } else if (f.type === 'int') {
    opt.argParser(intParser(f.name));
  }
  if (f.default !== undefined && f.default !== '' && (f.type !== 'bool' || f.default === true)) opt.default(f.default);
  if (f.hidden) opt.hideHelp();
  cmd.addOption(opt);
}

/** camelCase key commander uses for a flag. */
function attrName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Builds the commander command of a shortcut; its action runs the pipeline. */
export function shortcutCommand(def: AnyShortcut, ctx: Context, state: RunState): Command {
  const cmd = new Command(def.command).description(def.description).usage('[flags]').allowExcessArguments(true).argument('[args...]');
  const all = [...def.flags, ...frameworkFlags(def)];
  for (const f of all) addFlag(cmd, f);
  let bools = new Map<string, boolean>();
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (argv: string[]) => {
    const taken = takeBoolValues(canonicalFlagArgs(argv, all), all);
    bools = taken.bools;
    return parseOptions(taken.args);
  };
  if (def.tips?.length) cmd.addHelpText('after', '\nTips:\n' + def.tips.map((t) => `    • ${t}`).join('\n'));
  cmd.action(async (args: string[]) => {
    if (args.length) {
      throw new CliError('validation', `positional arguments are not supported (got [${args.map((a) => JSON.stringify(a)).join(' ')}]); pass values via flags`);
    }
    const opts = cmd.opts();
    const values: FlagValues = {};
    const given = new Set<string>();
    for (const f of all) {
      // commander reads a bool `--no-x` as the negation of `x` (default true)
      const negated = f.type === 'bool' && f.name.startsWith('no-');
      const key = attrName(negated ? f.name.slice(3) : f.name);
      values[f.name] = negated ? opts[key] === false : (opts[key] as FlagValues[string]);
      if (cmd.getOptionValueSource(key) === 'cli') given.add(f.name);
      const b = bools.get(f.name);
      if (b !== undefined) {
        values[f.name] = b;
        given.add(f.name);
      }
    }
    const missing = def.flags.filter((f) => f.required && !given.has(f.name)).map((f) => `"${f.name}"`);
    if (missing.length) throw new CliError('validation', `required flag(s) ${missing.join(', ')} not set`);
    await runShortcut(def, ctx, state, values, given);
  });
  return cmd;
}

export async function runShortcut(def: AnyShortcut, ctx: Context, state: RunState, values: FlagValues, given: Set<string>): Promise<void> {
  const supported = supportedIdentities(def);
  if (values.json === true && !given.has('format') && !def.flags.some((f) => f.name === 'json')) values.format = 'json';
  // (a shortcut the strict mode's identity cannot run is never built: src/im/index.ts puts a
  // strict-mode stub in its place)
  const { account } = ctx.tryAccount();

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
  const prepared: unknown = def.prepare ? await def.prepare(rt) : undefined;
  if (dryRun) {
    if (!def.dryRun) throw new CliError('validation', `--dry-run is not supported for ${def.service} ${def.command}`);
    const plan = await def.dryRun(rt, prepared);
    ctx.io.stderr.write('=== Dry Run ===\n');
    ctx.io.stdout.write(def.hasFormat && values.format === 'pretty' ? plan.renderText() : plan.renderJson());
    return;
  }
  if (def.risk === 'high-risk-write' && values.yes !== true) throw confirmationError(`${def.service} ${def.command}`, ctx.io.argv);
  await def.execute(rt, prepared);
}

/**
 * An environment user token is checked with user_info before auto-detection; under --dry-run it
 * is assumed valid and nothing is sent (docs/shortcuts-framework.md).
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
