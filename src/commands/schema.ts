/**
 * `lark-cli schema [service[.resource[.method]]] [--format json|pretty]`:
 * prints the metadata of the im API methods. Needs no config, login or identity.
 */
import { Command, Option } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { colorEnabled } from '../core/io.js';
import { toPrettyJson } from '../core/json.js';
import {
  identitiesOf,
  loadIndex,
  loadMethod,
  loadResource,
  registryMethod,
  registryResource,
  registryService,
  sortedKeys,
  type FieldDef,
  type MethodDef,
  type ParamDef,
} from '../request/schema-registry.js';

/** ANSI styles of the pretty layouts; identity functions when colour is off (no terminal, or NO_COLOR). */
export interface Styles {
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  red(s: string): string;
}

export function makeStyles(color: boolean): Styles {
  const wrap = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap(1), dim: wrap(2), cyan: wrap(36), yellow: wrap(33), green: wrap(32), red: wrap(31) };
}

const SERVICES = ['im'];
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function unknown(what: string, subject: string, available: string[]): CliError {
  return new CliError('validation', `Unknown ${what}: ${subject}`, { hint: `Available: ${[...available].sort().join(', ')}` });
}

export function renderServiceList(st: Styles): string {
  const idx = loadIndex();
  return `${st.bold('Available services:')}\n\n  ${st.cyan(idx.name)}  ${st.dim(idx.title)}\n\n${st.dim('Usage: lark-cli schema <service>.<resource>.<method>')}\n`;
}

const methodLine = (st: Styles, http: string, name: string, description: string) => `${http.padEnd(7)} ${st.bold(name)}  ${st.dim(description)}`;

export function renderResourceList(st: Styles): string {
  const idx = loadIndex();
  let out = `${st.bold(idx.name)} (${idx.version}) — ${idx.title}\n\n${st.dim(`Base path: ${idx.servicePath}`)}\n\n`;
  for (const r of sortedKeys(idx.resources)) {
    out += `  ${st.cyan(r)}\n`;
    const methods = loadResource(r).methods;
    for (const name of sortedKeys(methods)) {
      const m = methods[name]!;
      out += `    ${methodLine(st, m.httpMethod, name, m.description)}${m.danger ? ` ${st.red('[danger]')}` : ''}\n`;
    }
    out += '\n';
  }
  return out + `${st.dim(`Usage: lark-cli schema ${idx.name}.<resource>.<method>`)}\n`;
}

export function renderMethodList(st: Styles, resource: string): string {
  const idx = loadIndex();
  const methods = idx.resources[resource]!.methods;
  let out = `${st.bold(`${idx.name}.${resource}`)}\n\n`;
  for (const name of sortedKeys(methods)) out += `  ${methodLine(st, methods[name]!.httpMethod, name, methods[name]!.description)}\n`;
  return out + `\n${st.dim(`Usage: lark-cli schema ${idx.name}.${resource}.<method>`)}\n`;
}

/** Descriptions longer than 100 characters are cut to 97 plus `...` (100 in all). */
function cut(s: string): string {
  const chars = [...s];
  return chars.length > 100 ? chars.slice(0, 97).join('') + '...' : s;
}

/** Required first, then by name. */
function sortEntries<T extends { required: boolean }>(map: Record<string, T>): Array<[string, T]> {
  return Object.entries(map).sort(([an, a], [bn, b]) => (a.required !== b.required ? (a.required ? -1 : 1) : an < bn ? -1 : an > bn ? 1 : 0));
}

/** ` — a | b` from the string options (numeric options are not shown, as in the original). */
function optionsText(st: Styles, values: unknown[] | undefined): string {
  const strs = (values ?? []).filter((v): v is string => typeof v === 'string');
  return strs.length ? ` ${st.dim(`— ${strs.join(' | ')}`)}` : '';
}

/** Detail lines (description, example, range) under a param or field. */
function detailLines(st: Styles, indent: string, d: { description?: string; example?: unknown; min?: number; max?: number }): string {
  let out = '';
  if (d.description) out += `${indent}${st.dim(cut(d.description))}\n`;
  if (typeof d.example === 'string') out += `${indent}${st.dim(`e.g. ${d.example}`)}\n`;
  // min/max are strings in the registry form, so they are always shown
  const min = d.min !== undefined ? String(d.min) : '';
  const max = d.max !== undefined ? String(d.max) : '';
  const range = min && max ? `${min}..${max}` : min ? `>=${min}` : max ? `<=${max}` : '';
  if (range) out += `${indent}${st.dim(`range: ${range}`)}\n`;
  return out;
}

function fieldLines(st: Styles, fields: Record<string, FieldDef>, indent: string, prefix: string): string {
  let out = '';
  for (const [name, f] of sortEntries(fields)) {
    const path = prefix + name;
    const req = f.required ? st.red('required') : st.dim('optional');
    out += `${indent}- ${st.cyan(path)} (${f.type}, ${req})${optionsText(st, f.enum ?? f.items?.enum)}\n`;
    out += detailLines(st, indent + '  ', f);
    if (f.properties) out += fieldLines(st, f.properties, indent + '  ', path + '.');
  }
  return out;
}

export function renderMethodDetail(st: Styles, resource: string, name: string, m: MethodDef): string {
  const idx = loadIndex();
  const http = m.httpMethod;
  const httpColored = http === 'GET' ? st.green(http) : http === 'DELETE' ? st.red(http) : st.yellow(http);
  let out = `${st.bold(`${idx.name}.${resource}.${name}`)}\n\n`;
  out += `  ${httpColored} ${idx.servicePath}/${m.path}\n`;
  if (m.description) out += `  ${m.description}\n`;
  out += '\n';
  const params = m.parameters ?? {};
  const hasParams = Object.keys(params).length > 0;
  if (hasParams) {
    out += `${st.bold('Parameters:')}\n\n  ${st.cyan('--params')}  <json>  ${st.dim('optional')}\n`;
    for (const [pname, p] of sortEntries<ParamDef>(params)) {
      const loc = p.location === 'path' ? st.yellow('path') : st.dim('query');
      const req = p.required ? st.red('required') : st.dim('optional');
      out += `      - ${st.cyan(pname)} (${p.type || 'string'}, ${loc}, ${req})${optionsText(st, p.enum)}\n`;
      out += detailLines(st, '        ', p);
    }
    out += '\n';
  }
  if (WRITE.has(http)) {
    if (!hasParams) out += `${st.bold('Parameters:')}\n\n`;
    const upload = m.fileFields.length > 0;
    out += `  ${st.cyan('--data')}  <json>  ${st.dim('optional')}${upload ? `  ${st.yellow('[file upload]')}` : ''}\n`;
    out += fieldLines(st, m.requestBody ?? {}, '      ', '');
    if (m.fileFields.length === 1) {
      out += `\n  ${st.cyan('--file')}  <[field=]path>  ${st.dim('file upload')}\n`;
      out += `      Upload file as multipart/form-data. Default field: "${m.fileFields[0]}"\n`;
    }
    out += '\n';
  }
  if (m.responseBody && Object.keys(m.responseBody).length) {
    out += `${st.bold('Response:')}\n\n${fieldLines(st, m.responseBody, '  ', '')}\n`;
  }
  out += `${st.bold('Identity:')} ${identitiesOf(m.accessTokens).join(', ')}\n`;
  out += `${st.bold('Scopes:')}   ${m.scopes.join(', ')}\n`;
  // a high-risk write runs only with --yes (docs/generic-commands.md)
  const cliExtra = (m.fileFields.length ? ' --file <path>' : '') + (m.risk === 'high-risk-write' ? ' --yes' : '');
  out += `${st.bold('CLI:')}      lark-cli ${idx.name} ${resource} ${name}${cliExtra}\n`;
  out += `${st.bold('Docs:')}     ${m.docUrl}\n`;
  return out;
}

/** Resolves `<path>` and returns what to print. */
export function schemaOutput(path: string | undefined, pretty: boolean, color: boolean): string {
  const st = makeStyles(color);
  if (!path) return renderServiceList(st);
  const parts = path.split('.');
  const service = parts[0]!;
  if (!SERVICES.includes(service)) throw unknown('service', service, SERVICES);
  const idx = loadIndex();
  if (parts.length === 1) return pretty ? renderResourceList(st) : toPrettyJson(registryService());
  const rest = parts.slice(1);
  let resource: string | undefined;
  let used = 0;
  for (let n = rest.length; n >= 1; n--) {
    const candidate = rest.slice(0, n).join('.');
    if (Object.hasOwn(idx.resources, candidate)) {
      resource = candidate;
      used = n;
      break;
    }
  }
  if (resource === undefined) throw unknown('resource', `${service}.${rest.join('.')}`, Object.keys(idx.resources));
  if (used === rest.length) return pretty ? renderMethodList(st, resource) : toPrettyJson(registryResource(resource));
  const name = rest[used]!;
  const methods = idx.resources[resource]!.methods;
  if (!Object.hasOwn(methods, name)) throw unknown('method', `${service}.${resource}.${name}`, Object.keys(methods));
  const m = loadMethod(resource, name);
  return pretty ? renderMethodDetail(st, resource, name, m) : toPrettyJson(registryMethod(m));
}

export function register(parent: Command, ctx: Context): void {
  const cmd = new Command('schema')
    .description('View API method parameters, types, and scopes')
    .usage('[path] [flags]')
    .argument('[path...]')
    .addOption(new Option('--format <format>', 'output format: json (default) | pretty').default('json'));
  cmd.action((args: string[]) => {
    if (args.length > 1) throw new CliError('validation', `accepts at most 1 arg(s), received ${args.length}`);
    const pretty = cmd.opts().format === 'pretty';
    ctx.io.stdout.write(schemaOutput(args[0], pretty, colorEnabled(ctx.io)));
  });
  parent.addCommand(cmd);
}
