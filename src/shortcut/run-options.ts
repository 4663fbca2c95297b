/**
 * What cli.ts hands each top-level command group: the options of a run and the shape of a
 * command module. Here, below the command groups, so that they need not import the program.
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import type { ShortcutDef } from './define.js';

export interface RunOptions {
  /** Extra shortcuts mounted under `im` (tests of the framework). */
  extraShortcuts?: ShortcutDef[];
  /**
   * Every `im` shortcut definition. cli.ts hands down im's loader, so that a command group that
   * needs the shortcuts' scopes (`auth login`) does not import im/.
   */
  loadShortcuts?: () => Promise<ShortcutDef[]>;
}

export interface CommandModule {
  register(parent: Command, ctx: Context, state: RunState, opts: RunOptions, args: string[]): void | Promise<void>;
}
