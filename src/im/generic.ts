/**
 * `lark-cli im <resource> <method>`: one command per API method of schemas/im (described in
 * docs/, "Generic API commands"). The command tree is built from schemas/im/index.json; a call
 * reads its resource file only.
 */
import { Command } from 'commander';
import type { Identity } from '../core/config.js';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import { CliError, larkCodeError, loginHint } from '../core/errors.js';
import { checkSupported, resolveIdentity, strictModeError } from '../auth/identity.js';
import { goValueText, isPlainObject } from '../core/json.js';
import { precheckAnyScope } from '../auth/scopes.js';
import { escapePathSegment } from '../core/url.js';
import { hasDangerousUnicode } from '../output/sanitize.js';
import { groupCommand, strictModeStub } from '../request/group.js';
import { addRawFlags, rawFlagValues } from '../request/raw-flags.js';
import { acceptBoolValues, addParamFlags, overlayParamFlags, paramFlagName, type ParamFlags } from '../request/param-flags.js';
import { confirmationError, HIGH_RISK_WRITE } from '../core/confirm.js';
import {
  checkOutputFlags,
  executeRaw,
  parseFileFlag,
  printGenericDryRun,
  readParamsAndData,
  type RawFlags,
  type RawPlan,
} from '../request/raw-request.js';
import { identitiesOf, loadIndex, loadMethod, sortedKeys, type MethodDef } from '../request/schema-registry.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds one group per resource, one command per method, under `im`. `listing`: for the help of
 * `im` itself, which shows only the groups (hidden when strict mode leaves none of their
 * methods): one bare method command stands for the rest. `only`: build that resource's group
 * alone (a command line that names it needs no other).
 */
export function registerGenericCommands(im: Command, ctx: Context, state: RunState, listing = false, only?: string): void {
  const idx = loadIndex();
  const strict = ctx.strictMode();
  for (const resource of sortedKeys(idx.resources)) {
    if (only !== undefined && resource !== only) continue;
    const methods = idx.resources[resource]!.methods;
    if (listing) {
      const names = sortedKeys(methods);
      const shown = names.find((m) => strict === 'off' || identitiesOf(methods[m]!.accessTokens).includes(strict));
      const group = new Command(resource).description(`${resource} operations`).addCommand(new Command(shown ?? names[0]!));
      im.addCommand(group, shown ? {} : { hidden: true });
      continue;
    }
    const group = groupCommand(resource, `${resource} operations`);
    let visible = 0;
    for (const method of sortedKeys(methods)) {
      const info = methods[method]!;
      const supported = identitiesOf(info.accessTokens);
      if (strict !== 'off' && !supported.includes(strict)) {
        group.addCommand(strictModeStub(method, strict), { hidden: true });
        continue;
      }
      const cmd = new Command(method)
        .summary(info.description)
        .description(`${info.description}\n\nView parameter definitions before calling:\n  lark-cli schema im.${resource}.${method}`)
        .allowExcessArguments(true);
      group.addCommand(cmd);
      visible++;
      const write = WRITE_METHODS.has(info.httpMethod);
      const params = info.params ?? [];
      addRawFlags(cmd, {
        dataAlways: write,
        file: write && !!info.fileField,
        json: true,
        yes: info.risk === HIGH_RISK_WRITE,
        hidePaging: !params.some((p) => p.name === 'page_token'),
        typedParams: params.length > 0,
      });
      const typed = addParamFlags(cmd, params);
      const { bools } = acceptBoolValues(cmd);
      cmd.action(async () => {
        const overlay = (p: Record<string, unknown>) => overlayParamFlags(cmd, typed, p, bools());
        await runMethod(ctx, state, resource, method, rawFlagValues(cmd, bools()), cmd.getOptionValueSource('as') === 'cli', { typed, overlay });
      });
    }
    im.addCommand(group, visible ? {} : { hidden: true });
  }
}

/** A value that cannot fill a declared parameter: JSON null or "" (0 and false are values). */
function isUnusable(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

const INVALID_PATH_CHARS = /[?#%\x00-\x1f\x7f]/;

/** Which typed flag sets a parameter (none: `--params` only). */
export type TypedFlagOf = (name: string) => string | undefined;

/** The missing-parameter error: the typed flag and the `--params` form, then the schema. */
function missingParamError(location: 'path' | 'query', name: string, resource: string, method: string, flagOf: TypedFlagOf): CliError {
  const paramsForm = `--params '{${JSON.stringify(name)}: "<value>"}'`;
  const flag = flagOf(name);
  const input = flag ? `set --${flag} <value> (or ${paramsForm})` : `set ${paramsForm}`;
  return new CliError('validation', `missing required ${location} parameter: ${name}`, {
    hint: `${input}; see: lark-cli schema im.${resource}.${method}`,
  });
}

/** The path with each path parameter validated, escaped and removed from `params`. */
export function buildMethodPath(
  servicePath: string,
  m: MethodDef,
  resource: string,
  method: string,
  params: Record<string, unknown>,
  flagOf: TypedFlagOf = paramFlagName,
): string {
  let path = `${servicePath}/${m.path}`;
  for (const name of m.parameterOrder ?? []) {
    const v = params[name];
    if (isUnusable(v)) throw missingParamError('path', name, resource, method, flagOf);
    const text = goValueText(v);
    if (text.split('/').some((seg) => seg === '..')) throw new CliError('validation', `${name} must not contain '..' path traversal`);
    if (INVALID_PATH_CHARS.test(text)) throw new CliError('validation', `${name} contains invalid characters`);
    if (hasDangerousUnicode(text)) throw new CliError('validation', `${name} contains dangerous Unicode characters`);
    path = path.replace(`{${name}}`, () => escapePathSegment(text));
    delete params[name];
  }
  return path;
}

/**
 * The query of a call, from what is left of `params` after the path: a declared parameter given
 * as null or "" is dropped (a required one is missing; page_size/page_token are exempt under
 * --page-all), false and 0 are sent; undeclared keys pass through as they are.
 */
export function buildMethodQuery(
  m: MethodDef,
  resource: string,
  method: string,
  params: Record<string, unknown>,
  pageAll: boolean,
  flagOf: TypedFlagOf = paramFlagName,
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const declared = new Set<string>();
  for (const [name, p] of Object.entries(m.parameters ?? {})) {
    if (p.location !== 'query') continue;
    declared.add(name);
    const v = params[name];
    if (p.required && !(pageAll && (name === 'page_size' || name === 'page_token')) && isUnusable(v)) {
      throw missingParamError('query', name, resource, method, flagOf);
    }
    if (!isUnusable(v)) query[name] = v;
  }
  for (const [k, v] of Object.entries(params)) if (!declared.has(k)) query[k] = v;
  return query;
}

/** The scope-aware checker for 99991679, then the default classification. */
export function methodBusinessError(m: MethodDef): (response: Record<string, unknown>) => CliError | undefined {
  return (response) => {
    const code = typeof response.code === 'number' ? response.code : Number(response.code ?? 0) || 0;
    if (code === 0) return undefined;
    const msg = typeof response.msg === 'string' ? response.msg : '';
    if (code === 99991679 && m.scopes.length) {
      return new CliError('permission', `insufficient permissions: [${code}] ${msg}`, { hint: loginHint(m.recommendedScope) });
    }
    return larkCodeError(code, `API error: [${code}] ${msg}`, isPlainObject(response.error) ? response.error : undefined);
  };
}

/** The typed parameter flags of the command that runs a method. */
export interface TypedParams {
  typed: ParamFlags;
  /** Sets the explicitly given typed flags on the `--params` object. */
  overlay(params: Record<string, unknown>): void;
}

/** The pipeline of a call: identity, checks, request building, dry run, confirmation or call. */
export async function runMethod(ctx: Context, state: RunState, resource: string, method: string, f: RawFlags, asGiven: boolean, typedParams?: TypedParams): Promise<void> {
  const m = loadMethod(resource, method);
  const supported = identitiesOf(m.accessTokens);
  const asFlag = asGiven ? f.as : undefined;

  // 3.1 identity (an environment user token is verified first, as for shortcuts)
  const { account } = ctx.tryAccount();
  if (account?.source === 'env' && account.envUserToken && (asFlag === undefined || asFlag === 'auto')) {
    const { verifyEnvUser } = await import('../shortcut/run.js');
    await verifyEnvUser(ctx, !!f.dryRun);
  }
  const resolved = resolveIdentity(ctx, asFlag, supported);
  state.identity = resolved.identity;
  // 3.2 strict mode (resolveIdentity already forces the identity; kept as a guard)
  if (account && account.strictMode !== 'off' && resolved.identity !== account.strictMode) throw strictModeError(account.strictMode);
  // 3.3 supported identities
  checkSupported(resolved, supported);
  const identity: Identity = resolved.identity;
  // 3.4 flag conflicts
  await checkOutputFlags(f);
  // 3.5 configuration
  ctx.account();
  // 3.6 local user scope pre-check
  precheckAnyScope(ctx, identity, m.scopes, m.recommendedScope);

  // request building (--file checks come first)
  const file = m.fileFields.length ? parseFileFlag(f, m.httpMethod, m.fileFields[0]!) : undefined;
  const { params: given, body, hasBody } = await readParamsAndData(ctx, f, m.httpMethod !== 'GET');
  typedParams?.overlay(given);
  const flagOf: TypedFlagOf = typedParams ? (name) => typedParams.typed.flagOf(name) : paramFlagName;
  const path = buildMethodPath(loadIndex().servicePath, m, resource, method, given, flagOf);
  const params = buildMethodQuery(m, resource, method, given, !!f.pageAll, flagOf);
  if (m.requestBody && (WRITE_METHODS.has(m.httpMethod))) {
    const { checkRequestBody } = await import('../request/body-check.js');
    checkRequestBody(m.requestBody, { body: hasBody ? body : undefined, fileField: file?.field });
  } else if (file && body !== undefined && !isPlainObject(body)) {
    throw new CliError('validation', '--data must be a JSON object when used with --file');
  }
  const plan: RawPlan = { method: m.httpMethod, path, params, body, hasBody, file };

  // 3.8 dry run (needs no --yes)
  if (f.dryRun) {
    printGenericDryRun(ctx, identity, plan, f.format);
    return;
  }
  // a high-risk write stops here without --yes: nothing is sent
  if (m.risk === HIGH_RISK_WRITE && !f.yes) throw confirmationError(`im.${resource}.${method}`, ctx.io.argv);
  // call and print; errors stay non-raw so permission errors are enriched
  await executeRaw(ctx, identity, plan, f, { businessError: methodBusinessError(m), printBeforeBusinessError: false });
}
