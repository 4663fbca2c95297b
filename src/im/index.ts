/**
 * `lark-cli im`: the shortcuts (`+verb`) and the generic API methods (`im <resource> <method>`).
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import type { RunOptions } from '../cli.js';
import { groupCommand } from '../commands/group.js';
import { shortcutCommand } from '../shortcut/run.js';
import { SHORTCUTS } from './shortcuts/index.js';
import { registerGenericCommands } from './generic.js';

export function register(parent: Command, ctx: Context, state: RunState, opts: RunOptions): void {
  const im = groupCommand('im', 'Message and group chat management');
  for (const def of [...SHORTCUTS, ...(opts.extraShortcuts ?? [])]) im.addCommand(shortcutCommand(def, ctx, state));
  registerGenericCommands(im, ctx, state);
  parent.addCommand(im);
}
