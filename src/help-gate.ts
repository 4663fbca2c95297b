/**
 * Whether the help pages the build rendered (scripts/prerender-help.mjs) are this run's help:
 * they are rendered without strict mode, and strict mode hides commands from help (those the
 * forced identity cannot call, and the groups they leave empty). bin/lark-cli asks this, from its own
 * small bundle (dist/help-gate.cjs), before it prints a page; when it answers false, the CLI
 * renders the help itself.
 *
 * True only when strict mode is certainly off, decided as src/core/context.ts decides it, from
 * the same files read by the same code: an account from the environment (app id or secret set)
 * has strict mode off unless a strict-mode or token variable says otherwise (those send the help
 * to the CLI); otherwise the configuration decides, and any profile, or the file itself, naming
 * `bot` or `user` sends it to the CLI. A configuration that is missing or unreadable gives no
 * account, so no strict mode.
 */
import type { StrictMode } from './core/config.js';

const restricted = (m: StrictMode | undefined) => m === 'bot' || m === 'user';

export async function prerenderedHelpApplies(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.LARKSUITE_CLI_STRICT_MODE || env.LARKSUITE_CLI_USER_ACCESS_TOKEN || env.LARKSUITE_CLI_TENANT_ACCESS_TOKEN) return false;
  if (env.LARKSUITE_CLI_APP_ID || env.LARKSUITE_CLI_APP_SECRET) return true;
  // the configuration code is evaluated only here (~1.5 ms)
  const [{ loadConfig }, { resolveDirs }] = await Promise.all([import('./core/config.js'), import('./core/paths.js')]);
  const loaded = loadConfig(resolveDirs(env));
  if (loaded.state !== 'ok') return true;
  return !restricted(loaded.config.strictMode) && !loaded.config.apps.some((a) => restricted(a.strictMode));
}
