/**
 * The flags of `api` and `im <resource> <method>`.
 */
import { Command, Option } from 'commander';
import { CliError } from '../core/errors.js';
import { setCompletionValues } from '../core/suggest.js';
import type { RawFlags } from './raw-request.js';

function intArg(name: string) {
  return (v: string) => {
    if (!/^[+-]?\d+$/.test(v.trim())) {
      throw new CliError('validation', `invalid argument "${v}" for "--${name}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
    }
    return Number(v);
  };
}

export interface RawFlagSet {
  /** --data is registered (always for api; for methods only on writes). */
  dataAlways?: boolean;
  /** --file is registered. */
  file?: boolean;
  /** --page-size (api only). */
  pageSize?: boolean;
  /** `api` wording of the usage texts. */
  api?: boolean;
  /** --json, the shorthand for --format json (generic methods). */
  json?: boolean;
  /** --yes, the confirmation of a high-risk write. */
  yes?: boolean;
  /** The --page-* flags stay accepted but leave the help (a method without page_token). */
  hidePaging?: boolean;
  /** The method has typed parameter flags, which win over --params. */
  typedParams?: boolean;
}

export function addRawFlags(cmd: Command, set: RawFlagSet): void {
  const paramsUsage = set.api ? 'query parameters JSON (supports @file, - for stdin)' : 'URL/query parameters JSON (supports @file, - for stdin)';
  cmd.option('--params <json>', set.typedParams ? `${paramsUsage}; typed flags override matching keys` : paramsUsage);
  if (set.dataAlways) cmd.option('--data <json>', 'request body JSON (supports @file, - for stdin)');
  const as = new Option('--as <identity>', 'identity type: user | bot | auto (default)').default('auto');
  setCompletionValues(as, ['user', 'bot', 'auto']);
  cmd.addOption(as);
  cmd.option('-o, --output <path>', 'output file path for binary responses');
  const paging = [
    new Option('--page-all', 'automatically paginate through all pages'),
    new Option('--page-limit <n>', 'max pages to fetch with --page-all (0 = unlimited)').default(10).argParser(intArg('page-limit')),
    new Option('--page-delay <ms>', 'delay in ms between pages').default(200).argParser(intArg('page-delay')),
  ];
  for (const o of paging) cmd.addOption(set.hidePaging ? o.hideHelp() : o);
  if (set.pageSize) cmd.addOption(new Option('--page-size <n>', 'page size (0 = use API default)').default(0).argParser(intArg('page-size')));
  const format = new Option('--format <format>', 'output format: json|ndjson|table|csv').default('json');
  setCompletionValues(format, ['json', 'ndjson', 'table', 'csv']);
  cmd.addOption(format);
  if (set.json) cmd.option('--json', 'shorthand for --format json');
  cmd.option('-q, --jq <expr>', 'jq expression to filter JSON output');
  cmd.option('--dry-run', 'print request without executing');
  if (set.yes) cmd.option('--yes', 'confirm high-risk operation');
  if (set.file) {
    cmd.option('--file <spec>', set.api ? 'file to upload as multipart/form-data ([field=]path, supports - for stdin)' : 'file to upload ([field=]path, supports - for stdin)');
  }
}

/**
 * The flag values; `bools` holds bool flags given as `--x=true|false` (param-flags.ts
 * acceptBoolValues), which win. `--json` sets the format unless `--format` was given.
 */
export function rawFlagValues(cmd: Command, bools: ReadonlyMap<string, boolean> = new Map()): RawFlags & { pageSize?: number } {
  const o = cmd.opts();
  const bool = (flag: string, key: string) => bools.get(flag) ?? !!o[key];
  const formatGiven = cmd.getOptionValueSource('format') === 'cli';
  return {
    params: o.params,
    data: o.data,
    as: o.as,
    output: o.output,
    pageAll: bool('page-all', 'pageAll'),
    pageLimit: o.pageLimit,
    pageDelay: o.pageDelay,
    pageSize: o.pageSize,
    format: !formatGiven && bool('json', 'json') ? 'json' : o.format,
    jq: o.jq,
    dryRun: bool('dry-run', 'dryRun'),
    file: o.file,
    yes: bool('yes', 'yes'),
  };
}
