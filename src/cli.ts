/**
 * The lark-cli program: parses the command line with commander, loads only the command group
 * that was asked for, and turns every failure into the JSON error envelope.
 */
import type { Command, CommanderError } from 'commander';
import type { Context } from './core/context.js';
import { CliError, SilentExit } from './core/errors.js';
import { cliVersion, processIo, processStreams, type Io } from './core/io.js';
import { newRunState, type RunState } from './core/run-state.js';

// Start-up time (issue 2, item 8): only the modules above load before the command line is
// looked at. commander, the Context (config, secret store, paths) and the error envelope are
// imported when needed, so `--version` loads almost nothing and `--help` no config code.

import type { ShortcutDef } from './shortcut/define.js';
import type { CommandModule, RunOptions } from './shortcut/run-options.js';

export type { CommandModule, RunOptions } from './shortcut/run-options.js';

interface TopCommand {
  name: string;
  summary: string;
  /** Left out of the help and of the close names of an unknown command. */
  hidden?: boolean;
  load(): Promise<CommandModule>;
}

/** Top-level commands; each module is imported only when its command runs. */
const TOP: TopCommand[] = [
  { name: 'api', summary: 'Generic Lark API requests', load: () => import('./commands/api.js') },
  { name: 'auth', summary: 'User authorization: login, status, scopes, logout', load: () => import('./commands/auth/index.js') },
  { name: 'completion', summary: 'Generate shell completion scripts', hidden: true, load: () => import('./commands/completion.js') },
  { name: 'config', summary: 'Manage app credentials and CLI settings', load: () => import('./commands/config.js') },
  { name: 'doctor', summary: 'CLI health check: config, auth, and connectivity', load: () => import('./commands/doctor.js') },
  { name: 'emulator', summary: 'A local Lark platform (offline sandbox)', load: () => import('./emulator/command.js') },
  { name: 'im', summary: 'Message and group chat management', load: () => import('./im/index.js') },
  { name: 'profile', summary: 'Manage profiles (one app per profile)', load: () => import('./commands/profile.js') },
  { name: 'schema', summary: 'View API method parameters, types, and scopes', load: () => import('./commands/schema.js') },
  { name: 'whoami', summary: 'Show the current effective identity, app, profile, and token status (JSON)', load: () => import('./commands/whoami.js') },
];

/** Takes the global `--profile` out of the arguments (it may stand anywhere on the line). */
export function extractProfile(args: string[]): { args: string[]; profile?: string } {
  const rest: string[] = [];
  let profile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (a === '--profile') {
      if (i + 1 >= args.length) throw new CliError('validation', 'flag needs an argument: --profile');
      profile = args[++i];
      continue;
    }
    if (a.startsWith('--profile=')) {
      profile = a.slice('--profile='.length);
      continue;
    }
    rest.push(a);
  }
  return { args: rest, profile };
}

/** The words before the one being completed, without `--profile <name>` (which is kept). */
function completionLine(words: string[]): { args: string[]; profile?: string } {
  const args: string[] = [];
  let profile: string | undefined;
  const before = words.slice(0, -1);
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!;
    if (a === '--profile' && i + 1 < before.length) profile = before[++i];
    else if (a.startsWith('--profile=')) profile = a.slice('--profile='.length);
    else args.push(a);
  }
  return { args, profile };
}

/** commander's error texts → the original's (cobra) wording, as validation errors. */
export function commanderToCliError(e: CommanderError): CliError {
  const m = e.message.replace(/^error:\s*/, '');
  let msg = m;
  let r: RegExpExecArray | null;
  if ((r = /unknown option '([^']+)'/.exec(m))) {
    // pflag names the flag without its `=value`; a short flag is reported by its first letter
    const opt = r[1]!;
    msg = opt.startsWith('--') ? `unknown flag: ${opt.split('=')[0]}` : `unknown shorthand flag: '${opt.charAt(1)}' in ${opt}`;
  }
  else if ((r = /option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(m))) msg = `flag needs an argument: ${r[1]}`;
  else if ((r = /unknown command '([^']+)'/.exec(m))) msg = `unknown command "${r[1]}" for "lark-cli"`;
  else if ((r = /too many arguments.*Expected (\d+) arguments? but got (\d+)/.exec(m))) msg = `accepts ${r[1]} arg(s), received ${r[2]}`;
  else if ((r = /missing required argument '([^']+)'/.exec(m))) msg = `missing required argument: ${r[1]}`;
  return new CliError('validation', msg.split('\n')[0]!.trim());
}

function configure(cmd: Command, io: Io): Command {
  return cmd
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: () => undefined,
      outputError: () => undefined,
      // from the Io: commander's defaults ask process.stdout, which creates it (src/core/fd-stream.ts)
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
      getOutHasColors: () => !!io.stdout.isTTY && !!io.stdout.hasColors?.(),
      getErrHasColors: () => !!io.stderr.isTTY && !!io.stderr.hasColors?.(),
    })
    .showSuggestionAfterError(false)
    .configureHelp({
      // list subcommands by name (their catch-all arguments are not for users)
      subcommandTerm: (c) => c.name() + (c.commands.length ? ' <command>' : ''),
      // commander strips colour codes from every word it measures; the CLI's help has none
      displayWidth: (s) => (s.includes('\x1b') ? s.replace(/\x1b\[\d*(;\d*)*m/g, '').length : s.length),
    });
}

/** Applies exit override and output settings to a whole command tree. */
function configureTree(cmd: Command, io: Io): void {
  configure(cmd, io);
  for (const c of cmd.commands) configureTree(c, io);
}

/** The im shortcut definitions, for the command groups that need them without importing im/. */
async function loadImShortcuts(): Promise<ShortcutDef[]> {
  return (await import('./im/shortcuts/index.js')).loadShortcuts();
}

export async function run(io: Io, rawArgs: string[], opts: RunOptions = {}): Promise<number> {
  const state = newRunState();
  let ctx: Context | undefined;
  let commander: typeof import('commander') | undefined;
  // `__complete <words…> <current>`, asked by the completion scripts (docs/completion.md): the
  // tree of the group named, then the candidates; it never fails
  const completing = rawArgs[0] === '__complete';
  const words = completing ? rawArgs.slice(1) : [];
  try {
    const { args, profile } = completing ? completionLine(words) : extractProfile(rawArgs);
    if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
      io.stdout.write(`lark-cli version ${cliVersion()}\n`);
      return 0;
    }
    if (!completing && args.some((a) => a === '--jq' || a === '-q' || a.startsWith('--jq=')) && !args.some((a) => a === '--help' || a === '-h')) {
      // the jq engine's file read and WebAssembly compile run off the main thread while the
      // command is set up; the check of the expression waits for them (src/output/jq.ts)
      void import('./output/jq.js').then((m) => m.preloadJq());
    }
    commander = await import('commander');
    const program = new commander.Command('lark-cli')
      .usage('<command> [flags]')
      .description('lark-cli: Lark/Feishu from the terminal (instant messaging)')
      .option('--profile <name>', 'use a specific profile')
      .option('-v, --version', 'print the version')
      .helpCommand(false)
      .argument('[command]')
      .allowExcessArguments(true);
    program.action(async (name?: string) => {
      if (name) {
        const { unknownCommandError } = await import('./core/suggest.js');
        throw unknownCommandError(name, 'lark-cli', TOP.filter((t) => !t.hidden).map((t) => t.name));
      }
      program.outputHelp();
    });
    const first = args.find((a) => !a.startsWith('-'));
    for (const top of TOP) {
      if (top.name === first) {
        const [mod, { Context }, { logKeychainError }] = await Promise.all([top.load(), import('./core/context.js'), import('./auth/auth-log.js')]);
        ctx = new Context(io, profile, logKeychainError);
        await mod.register(program, ctx, state, { loadShortcuts: loadImShortcuts, ...opts }, args);
      } else {
        program.command(top.name, { hidden: !!top.hidden }).description(top.summary);
      }
    }
    if (completing) {
      const { completeWords, formatCandidates } = await import('./commands/completion.js');
      io.stdout.write(formatCandidates(completeWords(program, words)));
      return 0;
    }
    configureTree(program, io);
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (completing) return 0;
    if (commander && e instanceof commander.CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      const { reportError } = await import('./output/envelope.js');
      return reportError(io, commanderToCliError(e));
    }
    if (e instanceof SilentExit) return e.exitCode;
    let err = e;
    if (ctx && e instanceof CliError && e.type === 'permission' && !e.raw && state.enrich) {
      const { enrichPermissionError } = await import('./auth/scopes.js');
      err = enrichPermissionError(e, ctx, state.identity === 'user' || state.identity === 'bot' ? state.identity : undefined);
    }
    const { reportError } = await import('./output/envelope.js');
    return reportError(io, err, state.identity);
  }
}

/**
 * Build step, not a command: writes the jq engine's V8 code cache (scripts/bundle.mjs calls it
 * through the built bundle, src/output/jq.ts writes it).
 */
export async function makeJqCodeCache(file: string): Promise<void> {
  const { writeJqCodeCache } = await import('./output/jq.js');
  await writeJqCodeCache(file);
}

export async function main(): Promise<void> {
  // A reader that went away (`lark-cli … | head`) is not an error of ours: the process's streams
  // stop quietly (src/core/fd-stream.ts), and so does the handler below.
  const io = processIo();
  // Last line of defence: nothing escapes as a stack trace, every failure is an envelope.
  const fatal = (e: unknown) => {
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    void import('./output/envelope.js').then(({ reportError }) => {
      process.exitCode = reportError(io, e instanceof CliError ? e : new CliError('internal', e instanceof Error ? e.message : String(e), { cause: e }));
      process.exit();
    });
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  const code = await run(io, process.argv.slice(2));
  await processStreams().stdout.drained();
  process.exitCode = code;
  // do not wait for idle keep-alive sockets
  const t = setTimeout(() => process.exit(code), 50);
  t.unref();
}
