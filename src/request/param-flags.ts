/**
 * The typed flags of a generic method (docs/generic-commands.md, "Parameter flags"): one flag per
 * path and query parameter, named after it in kebab case (`chat_id` → `--chat-id`), typed as the
 * parameter is (string, integer, boolean, repeatable array). A parameter whose flag name is taken
 * by a standard flag (`--format`, `--params`, …) gets none and is set through `--params` only.
 * An explicitly given typed flag overrides the same key of `--params`.
 */
import { Command, Option } from 'commander';
import { CliError } from '../core/errors.js';
import { setCompletionValues } from '../core/suggest.js';
import type { NamedParam } from './schema-registry.js';

/** A parameter and the flag that sets it. */
interface BoundParam {
  param: NamedParam;
  flag: string;
}

/** The typed flags registered on one method command. */
export class ParamFlags {
  readonly bound: BoundParam[] = [];
  /** Parameters whose flag name was taken: `--params` only. */
  readonly paramsOnly: NamedParam[] = [];

  /** The flag of a parameter, when it has one. */
  flagOf(name: string): string | undefined {
    return this.bound.find((b) => b.param.name === name)?.flag;
  }
}

/** Names no typed flag may take besides the command's own options: the global ones. */
const GLOBAL_FLAGS = new Set(['profile', 'help', 'version']);

export const paramFlagName = (name: string) => name.replaceAll('_', '-');

/** Registers the typed flags (after the standard flags, so a collision is seen). */
export function addParamFlags(cmd: Command, params: readonly NamedParam[]): ParamFlags {
  const out = new ParamFlags();
  const taken = new Set(cmd.options.flatMap((o) => [o.long?.replace(/^--/, ''), o.short?.replace(/^-/, '')].filter((n): n is string => !!n)));
  for (const p of params) {
    const flag = paramFlagName(p.name);
    if (taken.has(flag) || GLOBAL_FLAGS.has(flag)) {
      out.paramsOnly.push(p);
      continue;
    }
    taken.add(flag);
    const kind = canonicalKind(p.type);
    const opt = new Option(kind === 'boolean' ? `--${flag}` : `--${flag} <${kind === 'integer' ? 'n' : 'value'}>`, paramFlagUsage(p));
    if (kind === 'integer') opt.argParser(integerFlag(flag));
    else if (kind === 'array') opt.argParser((v: string, prev: string[] | undefined) => [...(Array.isArray(prev) ? prev : []), v]);
    if (p.enum?.length) setCompletionValues(opt, p.enum.map(String));
    cmd.addOption(opt);
    out.bound.push({ param: p, flag });
  }
  return out;
}

function canonicalKind(type: string): 'string' | 'integer' | 'boolean' | 'array' {
  switch (type) {
    case 'integer':
    case 'int':
      return 'integer';
    case 'boolean':
    case 'bool':
      return 'boolean';
    case 'array':
    case 'list':
      return 'array';
    default:
      return 'string';
  }
}

/**
 * An integer flag's value, kept as a bigint: query values print it in plain digits, where a
 * `--params` number prints as Go's `%v` of a float (`1e+06`).
 */
function integerFlag(flag: string) {
  return (v: string): bigint => {
    if (!/^[+-]?\d+$/.test(v.trim())) {
      throw new CliError('validation', `invalid argument "${v}" for "--${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
    }
    return BigInt(v.trim());
  };
}

/** `<name>, required|optional[. <description>][. enum: a|b][. min: x, max: y][. API default: x].` */
export function paramFlagUsage(p: NamedParam): string {
  const parts = [`${p.name}, ${p.required ? 'required' : 'optional'}`];
  const d = shortDescription(p.description);
  if (d) parts.push(d);
  if (p.enum?.length) parts.push(`enum: ${p.enum.map(String).join('|')}`);
  const bounds = boundsText(p);
  if (bounds) parts.push(bounds);
  if (p.default !== undefined && p.default !== null && p.default !== '') parts.push(`API default: ${String(p.default)}`);
  return parts.join('. ') + '.';
}

/** The description up to its first `;` or line break, whitespace collapsed, at most 60 characters. */
export function shortDescription(s: string | undefined): string {
  if (!s) return '';
  let t = s.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  const cut = t.search(/[；;\n\r]/);
  if (cut >= 0) t = t.slice(0, cut);
  t = t.split(/\s+/).filter(Boolean).join(' ').replace(/[。.]+$/, '');
  const chars = [...t];
  return chars.length <= 60 ? t : chars.slice(0, 57).join('') + '...';
}

function boundsText(p: NamedParam): string {
  if (p.min !== undefined && p.max !== undefined) return `min: ${p.min}, max: ${p.max}`;
  if (p.min !== undefined) return `min: ${p.min}`;
  if (p.max !== undefined) return `max: ${p.max}`;
  return '';
}

/** Overlays the explicitly given typed flags on the `--params` object. */
export function overlayParamFlags(cmd: Command, flags: ParamFlags, params: Record<string, unknown>, bools: ReadonlyMap<string, boolean>): void {
  const opts = cmd.opts();
  for (const { param, flag } of flags.bound) {
    const b = bools.get(flag);
    if (b !== undefined) {
      params[param.name] = b;
      continue;
    }
    const key = attrName(flag);
    if (cmd.getOptionValueSource(key) === 'cli') params[param.name] = opts[key];
  }
}

/** camelCase key commander uses for a flag. */
function attrName(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Go strconv.ParseBool. */
function parseBool(flag: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new CliError('validation', `invalid argument "${v}" for "--${flag}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

/**
 * pflag accepts `--flag=true|false` for every bool flag, commander does not: such words are taken
 * out before commander parses and returned as explicit settings (last one wins). A word that is
 * another flag's value is left alone.
 */
export function acceptBoolValues(cmd: Command): { bools: () => ReadonlyMap<string, boolean> } {
  let bools = new Map<string, boolean>();
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (argv: string[]) => {
    bools = new Map();
    const boolNames = new Set(cmd.options.filter((o) => !o.required && !o.optional && o.long).map((o) => o.long!.slice(2)));
    const valued = new Set(cmd.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((n): n is string => !!n)));
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        out.push(...argv.slice(i));
        break;
      }
      if (valued.has(a)) {
        out.push(a);
        if (i + 1 < argv.length) out.push(argv[++i]!);
        continue;
      }
      const m = /^--([^=]+)=([\s\S]*)$/.exec(a);
      if (m && boolNames.has(m[1]!)) {
        const value = parseBool(m[1]!, m[2]!);
        bools.set(m[1]!, value);
        if (value) out.push(`--${m[1]}`);
        continue;
      }
      if (a.startsWith('--') && boolNames.has(a.slice(2))) bools.delete(a.slice(2));
      out.push(a);
    }
    return parseOptions(out);
  };
  return { bools: () => bools };
}
