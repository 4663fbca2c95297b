/**
 * A command group (config, im, im <resource>): called bare or with an unknown subcommand it
 * prints its help and exits 0, as the original's non-runnable groups do.
 */
import { Command } from 'commander';

export function groupCommand(name: string, summary: string): Command {
  const g = new Command(name).description(summary).usage('<command> [flags]').argument('[command]').allowExcessArguments(true).allowUnknownOption(true);
  g.action(() => {
    g.outputHelp();
  });
  return g;
}
