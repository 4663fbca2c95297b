/**
 * `lark-cli im`: the shortcuts (`+verb`) and the generic API methods (`im <resource> <method>`).
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import type { RunOptions } from '../shortcut/run-options.js';
import { groupCommand } from '../request/group.js';
import { shortcutCommand } from '../shortcut/run.js';
import { findShortcut } from './shortcuts/index.js';

/**
 * `im +name` loads just that shortcut's file, so a shortcut starts without the other nineteen
 * and the generic commands. Help and anything else get the whole tree.
 */
export async function register(parent: Command, ctx: Context, state: RunState, opts: RunOptions, args: string[] = []): Promise<void> {
  const im = groupCommand('im', 'Message and group chat management');
  parent.addCommand(im);
  const sub = args[args.indexOf('im') + 1];
  const extra = opts.extraShortcuts ?? [];
  if (sub && /^\+[a-z][a-z0-9-]*$/.test(sub) && !extra.some((d) => d.command === sub)) {
    // not a shortcut: the full tree answers (group help)
    const def = (await findShortcut(sub.slice(1))?.load())?.default;
    if (def?.command === sub) {
      im.addCommand(shortcutCommand(def, ctx, state));
      return;
    }
  }
  const [{ loadShortcuts }, { registerGenericCommands }] = await Promise.all([import('./shortcuts/index.js'), import('./generic.js')]);
  for (const def of [...(await loadShortcuts()), ...extra]) im.addCommand(shortcutCommand(def, ctx, state));
  registerGenericCommands(im, ctx, state);
}
