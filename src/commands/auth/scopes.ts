/**
 * `lark-cli auth scopes [--format json|pretty]`: the user scopes enabled for the app (asked of the
 * application API as the bot).
 */
import type { Context } from '../../core/context.js';
import { CliError } from '../../core/errors.js';
import { toPrettyJson } from '../../core/json.js';

export async function scopes(ctx: Context, format: string): Promise<void> {
  const account = ctx.account();
  ctx.io.stderr.write('Querying app scopes...\n\n');
  const { ApiClient } = await import('../../client/api-client.js');
  const { escapePathSegment } = await import('../../core/url.js');
  let data: { app?: { scopes?: Array<{ scope?: string; token_types?: string[] }> } };
  try {
    data = await new ApiClient(ctx, 'bot').json({
      method: 'GET',
      path: `/open-apis/application/v6/applications/${escapePathSegment(account.appId)}`,
      query: { lang: 'zh_cn' },
    });
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('internal', String(e));
    // a transport failure stays a network error; anything else reads as a missing permission
    throw new CliError(err.type === 'network' ? 'network' : 'permission', `failed to get app scope info: ${err.message}`, {
      hint: 'ensure the app has enabled the application:application:self_manage scope.',
    });
  }
  const userScopes = (data.app?.scopes ?? [])
    .filter((s) => Array.isArray(s.token_types) && s.token_types.includes('user') && typeof s.scope === 'string')
    .map((s) => s.scope!);
  if (format === 'pretty') {
    const lines = [`App ID: ${account.appId}`, `Enabled scopes (${userScopes.length}):`, '', ...userScopes.map((s) => `  • ${s}`)];
    ctx.io.stderr.write(lines.map((l) => `${l}\n`).join(''));
    return;
  }
  ctx.io.stdout.write(toPrettyJson({ appId: account.appId, brand: account.brand, count: userScopes.length, tokenType: 'user', userScopes }));
}
