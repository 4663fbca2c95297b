/**
 * The flags of `api` and `im <resource> <method>`.
 */
import { Command, Option } from 'commander';
import { CliError } from '../core/errors.js';
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
}

export function addRawFlags(cmd: Command, set: RawFlagSet): void {
  cmd.option('--params <json>', set.api ? 'query parameters JSON (supports @file, - for stdin)' : 'URL/query parameters JSON (supports @file, - for stdin)');
  if (set.dataAlways) cmd.option('--data <json>', 'request body JSON (supports @file, - for stdin)');
  cmd.addOption(new Option('--as <identity>', 'identity type: user | bot | auto (default)').default('auto'));
  cmd.option('-o, --output <path>', 'output file path for binary responses');
  cmd.option('--page-all', 'automatically paginate through all pages');
  cmd.addOption(new Option('--page-limit <n>', 'max pages to fetch with --page-all (0 = unlimited)').default(10).argParser(intArg('page-limit')));
  cmd.addOption(new Option('--page-delay <ms>', 'delay in ms between pages').default(200).argParser(intArg('page-delay')));
  if (set.pageSize) cmd.addOption(new Option('--page-size <n>', 'page size (0 = use API default)').default(0).argParser(intArg('page-size')));
  cmd.addOption(new Option('--format <format>', 'output format: json|ndjson|table|csv').default('json'));
  cmd.option('-q, --jq <expr>', 'jq expression to filter JSON output');
  cmd.option('--dry-run', 'print request without executing');
  if (set.file) {
    cmd.option('--file <spec>', set.api ? 'file to upload as multipart/form-data ([field=]path, supports - for stdin)' : 'file to upload ([field=]path, supports - for stdin)');
  }
}

export function rawFlagValues(cmd: Command): RawFlags & { pageSize?: number } {
  const o = cmd.opts();
  return {
    params: o.params,
    data: o.data,
    as: o.as,
    output: o.output,
    pageAll: !!o.pageAll,
    pageLimit: o.pageLimit,
    pageDelay: o.pageDelay,
    pageSize: o.pageSize,
    format: o.format,
    jq: o.jq,
    dryRun: !!o.dryRun,
    file: o.file,
  };
}
