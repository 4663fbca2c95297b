/**
 * `lark-cli im`: the shortcuts (`+verb`) and the generic API methods (`im <resource> <method>`).
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { RunState } from '../core/run-state.js';
import type { RunOptions } from '../shortcut/run-options.js';
import { groupCommand } from '../shortcut/command-group.js';
import { shortcutCommand } from '../shortcut/run.js';
import type { ShortcutDef } from '../shortcut/define.js';

/**
 * One loader per shortcut file (shortcuts/<name>.ts defines `im +<name>`; a unit test checks this
 * list against shortcuts/index.ts). Written out, not built from the name, so the bundler sees
 * every file.
 */
export const SHORTCUT_LOADERS: Record<string, () => Promise<{ default: ShortcutDef }>> = {
  'chat-create': () => import('./shortcuts/chat-create.js'),
  'chat-list': () => import('./shortcuts/chat-list.js'),
  'chat-search': () => import('./shortcuts/chat-search.js'),
  'chat-update': () => import('./shortcuts/chat-update.js'),
  'flag-create': () => import('./shortcuts/flag-create.js'),
  'flag-cancel': () => import('./shortcuts/flag-cancel.js'),
  'flag-list': () => import('./shortcuts/flag-list.js'),
  'feed-shortcut-create': () => import('./shortcuts/feed-shortcut-create.js'),
  'feed-shortcut-remove': () => import('./shortcuts/feed-shortcut-remove.js'),
  'feed-shortcut-list': () => import('./shortcuts/feed-shortcut-list.js'),
  'feed-group-list': () => import('./shortcuts/feed-group-list.js'),
  'feed-group-list-item': () => import('./shortcuts/feed-group-list-item.js'),
  'feed-group-query-item': () => import('./shortcuts/feed-group-query-item.js'),
  'chat-messages-list': () => import('./shortcuts/chat-messages-list.js'),
  'threads-messages-list': () => import('./shortcuts/threads-messages-list.js'),
  'messages-mget': () => import('./shortcuts/messages-mget.js'),
  'messages-search': () => import('./shortcuts/messages-search.js'),
  'messages-send': () => import('./shortcuts/messages-send.js'),
  'messages-reply': () => import('./shortcuts/messages-reply.js'),
  'messages-resources-download': () => import('./shortcuts/messages-resources-download.js'),
};

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
    const load = Object.hasOwn(SHORTCUT_LOADERS, sub.slice(1)) ? SHORTCUT_LOADERS[sub.slice(1)] : undefined;
    // not a shortcut: the full tree answers (group help)
    const def = load ? (await load()).default : undefined;
    if (def?.command === sub) {
      im.addCommand(shortcutCommand(def, ctx, state));
      return;
    }
  }
  const [{ SHORTCUTS }, { registerGenericCommands }] = await Promise.all([import('./shortcuts/index.js'), import('./generic.js')]);
  for (const def of [...SHORTCUTS, ...extra]) im.addCommand(shortcutCommand(def, ctx, state));
  registerGenericCommands(im, ctx, state);
}
