/**
 * `lark-cli im`: the shortcuts (`+verb`) and the generic API methods (`im <resource> <method>`).
 */
import { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import type { RunOptions } from '../shortcut/run-options.js';
import { groupCommand, strictModeStub } from '../request/group.js';
import { supportedIdentities, type AnyShortcut } from '../shortcut/define.js';
import { unknownCommandError } from '../core/suggest.js';
import { loadIndex } from '../request/schema-registry.js';
import { findShortcut, SHORTCUT_TABLE } from './shortcuts/index.js';

/**
 * In strict mode, a shortcut the forced identity cannot run is a hidden stub that fails with the
 * strict-mode error, whatever it is given (as a generic method is, src/im/generic.ts).
 */
function addShortcut(im: Command, def: AnyShortcut, ctx: Context, make: (def: AnyShortcut) => Command): void {
  const strict = ctx.strictMode();
  if (strict !== 'off' && !supportedIdentities(def).includes(strict)) im.addCommand(strictModeStub(def.command, strict), { hidden: true });
  else im.addCommand(make(def));
}

/**
 * `im +name` loads just that shortcut's file, so a shortcut starts without the other nineteen
 * and the generic commands. Help and anything else get the whole tree.
 */
export async function register(parent: Command, ctx: Context, state: RunState, opts: RunOptions, args: string[] = []): Promise<void> {
  const im = groupCommand('im', 'Message and group chat management');
  parent.addCommand(im);
  const sub = args[args.indexOf('im') + 1];
  const extra = opts.extraShortcuts ?? [];
  if (sub && !sub.startsWith('-') && !args.includes('--help') && !args.includes('-h')) {
    // an unknown subcommand fails here, its close names taken from the table and the schema
    // index: no shortcut's code is loaded for it
    const shortcuts = [...SHORTCUT_TABLE.map((e) => `+${e.name}`), ...extra.map((d) => d.command)];
    const resources = Object.keys(loadIndex().resources);
    if (!shortcuts.includes(sub) && !resources.includes(sub)) throw unknownCommandError(sub, 'lark-cli im', [...shortcuts, ...resources]);
  }
  if (sub && /^\+[a-z][a-z0-9-]*$/.test(sub) && !extra.some((d) => d.command === sub)) {
    // not a shortcut: the full tree answers (group help)
    const def = (await findShortcut(sub.slice(1))?.load())?.default;
    if (def?.command === sub) {
      const { shortcutCommand } = await import('../shortcut/run.js');
      addShortcut(im, def, ctx, (d) => shortcutCommand(d, ctx, state));
      return;
    }
  }
  if (sub && Object.hasOwn(loadIndex().resources, sub)) {
    // `im <resource> …` (its methods, its help): that resource's group alone, without the
    // shortcuts and the other resources' flags (~8 ms of every generic call)
    const { registerGenericCommands } = await import('./generic.js');
    registerGenericCommands(im, ctx, state, false, sub);
    return;
  }
  const [{ loadShortcuts }, { registerGenericCommands }] = await Promise.all([import('./shortcuts/index.js'), import('./generic.js')]);
  if (args.slice(args.indexOf('im') + 1).every((a) => a === '--help' || a === '-h')) {
    // the help of `im` itself lists names and descriptions only: no flags are built (a few ms)
    for (const def of [...(await loadShortcuts()), ...extra]) addShortcut(im, def, ctx, (d) => new Command(d.command).description(d.description));
    registerGenericCommands(im, ctx, state, true);
    return;
  }
  // the shortcut framework (identity, scopes, inputs) is loaded only for a tree that can run
  const { shortcutCommand } = await import('../shortcut/run.js');
  for (const def of [...(await loadShortcuts()), ...extra]) addShortcut(im, def, ctx, (d) => shortcutCommand(d, ctx, state));
  registerGenericCommands(im, ctx, state);
}
