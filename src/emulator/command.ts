/**
 * `lark-cli emulator start`: a local, stateful Lark platform (docs/emulator.md). The emulator
 * itself is its own bundle (dist/emulator.cjs), loaded only by this command.
 */
import { Command } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import { groupCommand } from '../request/group.js';

export function register(parent: Command, ctx: Context): void {
  const g = groupCommand('emulator', 'A local Lark platform for trying the CLI, and for bots and CI');
  const start = new Command('start')
    .description('Start the emulator; prints one JSON line (url, apps, users) and serves until Ctrl-C')
    .option('--host <host>', 'address to listen on (loopback unless you say otherwise)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', '8787')
    .option('--seed <seed>', 'demo, empty, or a seed / state-export JSON file', 'demo')
    .option('--data <dir>', 'keep the state in this folder (survives restarts); default: in memory')
    .option('--latency <ms>', 'delay added to every answer')
    .option('--quiet', 'no request log on stderr')
    .option('--no-auto-approve', 'device logins wait for POST /_emulator/device/approve')
    .allowExcessArguments(false);
  start.action(async () => {
    const f = start.opts() as { host: string; port: string; seed: string; data?: string; latency?: string; quiet?: boolean; autoApprove: boolean };
    const { runStart, StartError } = await import('./main.js');
    try {
      await runStart(ctx.io, f, process);
    } catch (e) {
      if (e instanceof StartError) throw new CliError(e.kind, e.message);
      throw e;
    }
  });
  g.addCommand(start);
  parent.addCommand(g);
}
