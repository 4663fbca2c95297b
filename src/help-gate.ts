/**
 * Which of the help pages rendered at build time (scripts/prerender-help.mjs) are this run's:
 * strict mode hides commands from help (those the forced identity cannot call, and the groups
 * they leave empty), so the build renders the pages without strict mode (dist/help/) and, where
 * they differ, with each forced identity (dist/help/strict-bot/, dist/help/strict-user/).
 * bin/lark-cli asks this, from its own small bundle (dist/help-gate.cjs), before it prints a page.
 *
 * The strict mode is the one the CLI's command tree is built with, asked of the CLI's own
 * Context (`strictMode()`: the environment provider, then the configuration file).
 */
import type { StrictMode } from './core/config.js';
import type { Io } from './core/io.js';

export async function helpStrictMode(env: NodeJS.ProcessEnv): Promise<StrictMode> {
  // evaluated only here: the Context and the configuration code (~1.5 ms)
  const { Context } = await import('./core/context.js');
  // resolving the account reads the environment, the configuration file and nothing else of the Io
  const io = { env, argv: ['lark-cli'] } as unknown as Io;
  return new Context(io, undefined).strictMode();
}
