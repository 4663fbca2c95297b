/**
 * A command group (config, im, im <resource>): called bare it prints its help and exits 0; an
 * unknown subcommand is a validation error naming the close ones (exit 2).
 */
import { Command } from 'commander';
import type { StrictMode } from '../core/config.js';
import { CliError } from '../core/errors.js';
import { unknownCommandError } from '../core/suggest.js';
import { strictModeError } from '../auth/identity.js';

/** `lark-cli im chats`: the names from the root down to `cmd`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The subcommands help lists (not the hidden ones). */
export function visibleSubcommands(cmd: Command): string[] {
  return cmd
    .createHelp()
    .visibleCommands(cmd)
    .map((c) => c.name())
    .filter((n) => n !== 'help');
}

export function groupCommand(name: string, summary: string): Command {
  const g = new Command(name).description(summary).usage('<command> [flags]').argument('[command]').allowExcessArguments(true).allowUnknownOption(true);
  g.action((sub?: string) => {
    if (sub === undefined) {
      g.outputHelp();
      return;
    }
    if (sub.startsWith('-')) throw new CliError('validation', `unknown flag: ${sub.split('=')[0]}`);
    throw unknownCommandError(sub, commandPath(g), visibleSubcommands(g));
  });
  return g;
}

/**
 * What stands in for a command that the identity strict mode forces cannot run: add it with
 * `{ hidden: true }`; it takes any arguments and flags (`--help` too) and fails with the
 * strict-mode error, so the command is neither listed nor run.
 */
export function strictModeStub(name: string, mode: Exclude<StrictMode, 'off'>): Command {
  const stub = new Command(name).argument('[args...]').allowUnknownOption(true).allowExcessArguments(true).helpOption(false);
  stub.action(() => {
    throw strictModeError(mode);
  });
  return stub;
}
