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
import { goValueText, isPlainObject, JsonNumber } from '../core/json.js';
import { precheckAnyScope } from '../auth/scopes.js';
import { escapePathSegment } from '../core/url.js';
import { hasDangerousUnicode } from '../output/sanitize.js';
import { groupCommand } from '../request/group.js';
import { addRawFlags, rawFlagValues } from '../request/raw-flags.js';
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

/** Adds one group per resource, one command per method, under `im`. */
export function registerGenericCommands(im: Command, ctx: Context, state: RunState): void {
  const idx = loadIndex();
  const { account } = ctx.tryAccount();
  const strict = account?.strictMode ?? 'off';
  for (const resource of sortedKeys(idx.resources)) {
    const group = groupCommand(resource, `${resource} operations`);
    let visible = 0;
    const methods = idx.resources[resource]!.methods;
    for (const method of sortedKeys(methods)) {
      const info = methods[method]!;
      const supported = identitiesOf(info.accessTokens);
      if (strict !== 'off' && !supported.includes(strict)) {
        // a hidden stub that fails whatever it is given
        const stub = new Command(method).argument('[args...]').allowUnknownOption(true).allowExcessArguments(true).helpOption(false);
        stub.action(() => {
          throw strictModeError(strict);
        });
        group.addCommand(stub, { hidden: true });
        continue;
      }
      const cmd = new Command(method)
        .summary(info.description)
        .description(`${info.description}\n\nView parameter definitions before calling:\n  lark-cli schema im.${resource}.${method}`)
        .allowExcessArguments(true);
      const write = WRITE_METHODS.has(info.httpMethod);
      addRawFlags(cmd, { dataAlways: write, file: write && !!info.fileField });
      cmd.action(async () => {
        await runMethod(ctx, state, resource, method, rawFlagValues(cmd), cmd.getOptionValueSource('as') === 'cli');
      });
      group.addCommand(cmd);
      visible++;
    }
    im.addCommand(group, visible ? {} : { hidden: true });
  }
}

/** JSON null, "", 0 and false count as missing for required parameters. */
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  return v instanceof JsonNumber && Number(v.text) === 0;
}

const INVALID_PATH_CHARS = /[?#%\x00-\x1f\x7f]/;

/** The path with each path parameter validated, escaped and removed from `params`. */
export function buildMethodPath(servicePath: string, m: MethodDef, resource: string, method: string, params: Record<string, unknown>): string {
  const hint = `lark-cli schema im.${resource}.${method}`;
  let path = `${servicePath}/${m.path}`;
  for (const name of m.parameterOrder ?? []) {
    const v = params[name];
    if (isEmptyValue(v)) throw new CliError('validation', `missing required path parameter: ${name}`, { hint });
    const text = goValueText(v);
    if (text.split('/').some((seg) => seg === '..')) throw new CliError('validation', `${name} must not contain '..' path traversal`);
    if (INVALID_PATH_CHARS.test(text)) throw new CliError('validation', `${name} contains invalid characters`);
    if (hasDangerousUnicode(text)) throw new CliError('validation', `${name} contains dangerous Unicode characters`);
    path = path.replace(`{${name}}`, () => escapePathSegment(text));
    delete params[name];
  }
  return path;
}

/** Required query parameters (page_size/page_token are exempt under --page-all). */
export function checkRequiredQuery(m: MethodDef, resource: string, method: string, params: Record<string, unknown>, pageAll: boolean): void {
  for (const [name, p] of Object.entries(m.parameters ?? {})) {
    if (p.location !== 'query' || !p.required) continue;
    if (pageAll && (name === 'page_size' || name === 'page_token')) continue;
    if (isEmptyValue(params[name])) {
      throw new CliError('validation', `missing required query parameter: ${name}`, { hint: `lark-cli schema im.${resource}.${method}` });
    }
  }
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

/** The pipeline of a call: identity, checks, request building, dry run or call. */
export async function runMethod(ctx: Context, state: RunState, resource: string, method: string, f: RawFlags, asGiven: boolean): Promise<void> {
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
  const { params, body, hasBody } = await readParamsAndData(ctx, f, m.httpMethod !== 'GET');
  const path = buildMethodPath(loadIndex().servicePath, m, resource, method, params);
  checkRequiredQuery(m, resource, method, params, !!f.pageAll);
  if (m.requestBody && (WRITE_METHODS.has(m.httpMethod))) {
    const { checkRequestBody } = await import('../request/body-check.js');
    checkRequestBody(m.requestBody, { body: hasBody ? body : undefined, fileField: file?.field });
  } else if (file && body !== undefined && !isPlainObject(body)) {
    throw new CliError('validation', '--data must be a JSON object when used with --file');
  }
  const plan: RawPlan = { method: m.httpMethod, path, params, body, hasBody, file };

  // 3.8 dry run
  if (f.dryRun) {
    printGenericDryRun(ctx, identity, plan, f.format);
    return;
  }
  // call and print; errors stay non-raw so permission errors are enriched
  await executeRaw(ctx, identity, plan, f, { businessError: methodBusinessError(m), printBeforeBusinessError: false });
}
