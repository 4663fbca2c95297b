/**
 * `lark-cli api <METHOD> <path>`: a raw call to any Open API path.
 */
import { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { Identity } from '../core/config.js';
import type { RunState } from '../core/run-state.js';
import { CliError, larkCodeError } from '../core/errors.js';
import { checkOutputFlags, executeRaw, parseFileFlag, printGenericDryRun, readParamsAndData, type RawFlags, type RawPlan } from '../request/raw-request.js';
import { addRawFlags, rawFlagValues } from '../request/raw-flags.js';

/** `/open-apis/...` from whatever the user typed (path normalisation). */
export function normalizeApiPath(p: string): string {
  let out = p;
  const m = /^https?:\/\/[^/]+(\/open-apis\/.*)$/.exec(out);
  if (m) out = m[1]!;
  else if (!out.startsWith('/open-apis/')) out = '/open-apis/' + out.replace(/^\//, '');
  const cut = out.search(/[?#]/);
  return cut >= 0 ? out.slice(0, cut) : out;
}

/** Business errors of `api` are raw: no console link, detail kept. */
function apiBusinessError(response: Record<string, unknown>): CliError | undefined {
  const code = typeof response.code === 'number' ? response.code : Number(response.code ?? 0) || 0;
  if (code === 0) return undefined;
  const msg = typeof response.msg === 'string' ? response.msg : '';
  return larkCodeError(code, `API error: [${code}] ${msg}`, response.error ?? undefined, true);
}

async function runApi(ctx: Context, state: RunState, args: string[], f: RawFlags & { pageSize?: number }, asGiven: boolean): Promise<void> {
  if (args.length !== 2) throw new CliError('validation', `accepts 2 arg(s), received ${args.length}`);
  const method = args[0]!.toUpperCase();
  if (/[\u0000-\u001f\u007f]/.test(args[1]!)) throw new CliError('validation', 'path contains invalid control characters');
  const path = normalizeApiPath(args[1]!);
  // identity: any word; anything but bot is user; strict mode forces its identity
  const { account } = ctx.tryAccount();
  let identity: Identity;
  if (account && account.strictMode !== 'off') identity = account.strictMode;
  else if (asGiven && f.as && f.as !== 'auto') identity = f.as === 'bot' ? 'bot' : 'user';
  else {
    // auto-detection needs to know whether an environment user token is valid
    const autoDetect = asGiven ? f.as === 'auto' : account?.defaultAs !== 'user' && account?.defaultAs !== 'bot';
    if (autoDetect && account?.source === 'env' && account.envUserToken) {
      const { verifyEnvUser } = await import('../shortcut/run.js');
      await verifyEnvUser(ctx, !!f.dryRun);
    }
    const { resolveIdentity } = await import('../auth/identity.js');
    identity = resolveIdentity(ctx, undefined, ['bot', 'user']).identity;
    if (asGiven && f.as === 'auto') identity = resolveIdentity(ctx, 'auto', ['bot', 'user']).identity;
  }
  state.identity = identity;
  state.enrich = false;
  await checkOutputFlags(f);
  const file = parseFileFlag(f, method, 'file');
  const { params, body, hasBody } = await readParamsAndData(ctx, f, method !== 'GET');
  if (f.pageSize && f.pageSize > 0) params.page_size = f.pageSize;
  const plan: RawPlan = { method, path, params, body, hasBody, file };
  ctx.account();
  if (f.dryRun) {
    printGenericDryRun(ctx, identity, plan, f.format);
    return;
  }
  await executeRaw(ctx, identity, plan, f, { businessError: apiBusinessError, printBeforeBusinessError: true });
}

export function register(parent: Command, ctx: Context, state: RunState): void {
  const cmd = new Command('api')
    .description('Generic Lark API requests')
    .usage('<method> <path> [flags]')
    .argument('[args...]')
    .allowExcessArguments(true);
  addRawFlags(cmd, { dataAlways: true, file: true, pageSize: true, api: true });
  cmd.action(async (args: string[]) => {
    const f = rawFlagValues(cmd);
    await runApi(ctx, state, args, f, cmd.getOptionValueSource('as') === 'cli');
  });
  parent.addCommand(cmd);
}
