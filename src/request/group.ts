/**
 * A command group (config, im, im <resource>): called bare it prints its help and exits 0; an
 * unknown subcommand is a validation error naming the close ones (exit 2).
 */
import { Command } from 'commander';
import { CliError } from '../core/errors.js';
import { unknownCommandError } from '../core/suggest.js';

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
