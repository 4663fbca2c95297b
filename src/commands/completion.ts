/**
 * `lark-cli completion bash|zsh|fish|powershell` prints a completion script; the script asks
 * `lark-cli __complete <words…> <current>` for the candidates, which this module answers from
 * the commander tree that cli.ts builds (the shortcuts, the generic methods, every flag and the
 * values a flag or argument declares). docs/completion.md describes the protocol.
 */
import { Argument, type Command, type Option } from 'commander';
import { CliError } from '../core/errors.js';
import type { Context } from '../core/context.js';
import { completionValues, setCompletionValues } from '../core/suggest.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
type Shell = (typeof SHELLS)[number];

/** One answer: the word, and what it is (help's one-line summary) when there is something to say. */
export interface Candidate {
  value: string;
  description?: string;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** The visible subcommands of `cmd` (hidden ones and the implicit `help` left out). */
function subcommands(cmd: Command): Command[] {
  return cmd
    .createHelp()
    .visibleCommands(cmd)
    .filter((c) => c.name() !== 'help');
}

/** The options of `cmd` that help shows, and the global `--profile`. */
function options(cmd: Command, root: Command): Option[] {
  const own = cmd.createHelp().visibleOptions(cmd);
  const profile = root.options.find((o) => o.long === '--profile');
  return profile && cmd !== root ? [...own, profile] : own;
}

function findOption(cmd: Command, root: Command, word: string): Option | undefined {
  return options(cmd, root).find((o) => o.long === word || o.short === word);
}

function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

function valuesOf(o: Option): readonly string[] {
  return completionValues(o) ?? o.argChoices ?? [];
}

/**
 * The candidates for the last of `words` (the word under the cursor, possibly empty; a literal
 * `""` stands for empty, as PowerShell may pass it), the others being the words before it.
 */
export function completeWords(root: Command, words: readonly string[]): Candidate[] {
  const raw = words.length ? words[words.length - 1]! : '';
  const cur = raw === '""' || raw === "''" ? '' : raw;
  const done = words.slice(0, -1);
  let cmd = root;
  let pending: Option | undefined;
  for (let i = 0; i < done.length; i++) {
    const w = done[i]!;
    if (w === '--') return [];
    if (w.startsWith('-')) {
      if (w.includes('=')) continue;
      const o = findOption(cmd, root, w);
      if (o && takesValue(o)) {
        // bash splits `--format=ta` into `--format`, `=`, `ta`
        const skip = done[i + 1] === '=' ? 2 : 1;
        if (i + skip > done.length - 1) pending = o;
        else i += skip;
      }
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (sub) cmd = sub;
    // a word that is not a subcommand of a group: nothing follows it
    else if (cmd.commands.length) return [];
  }
  const starts = (c: Candidate) => c.value.startsWith(cur);
  if (pending) return valuesOf(pending).map((value) => ({ value })).filter(starts);
  if (cur.startsWith('-')) {
    const eq = cur.indexOf('=');
    if (eq > 0) {
      const o = findOption(cmd, root, cur.slice(0, eq));
      return o ? valuesOf(o).map((v) => ({ value: `${cur.slice(0, eq)}=${v}` })).filter(starts) : [];
    }
    return options(cmd, root)
      .filter((o) => o.long)
      .map((o) => ({ value: o.long!, description: firstLine(o.description) }))
      .filter(starts);
  }
  const subs = subcommands(cmd);
  if (subs.length) return subs.map((c) => ({ value: c.name(), description: firstLine(c.summary() || c.description()) })).filter(starts);
  return (completionValues(cmd) ?? []).map((value) => ({ value })).filter(starts);
}

/** `__complete`'s output: one candidate a line, `value<TAB>description`. */
export function formatCandidates(cands: readonly Candidate[]): string {
  return cands.map((c) => (c.description ? `${c.value}\t${c.description}` : c.value) + '\n').join('');
}

const BASH = `# bash completion for lark-cli
# load it with:  source <(lark-cli completion bash)
_lark_cli_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local out line
    out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
    COMPREPLY=()
    local IFS=$'\\n'
    for line in $out; do
        COMPREPLY+=("\${line%%$'\\t'*}")
    done
    return 0
}
complete -o default -F _lark_cli_complete lark-cli
`;

const ZSH = `#compdef lark-cli
# zsh completion for lark-cli
# load it with:  source <(lark-cli completion zsh)   (or save it as _lark-cli in your $fpath)
_lark_cli() {
    local -a lines items
    local line value desc
    lines=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for line in "\${lines[@]}"; do
        [[ -z "$line" ]] && continue
        value="\${line%%$'\\t'*}"
        desc=""
        [[ "$line" == *$'\\t'* ]] && desc="\${line#*$'\\t'}"
        value="\${value//:/\\\\:}"
        if [[ -n "$desc" ]]; then items+=("$value:$desc"); else items+=("$value"); fi
    done
    if (( \${#items} )); then
        _describe 'lark-cli' items
    else
        _files
    fi
}
if [[ "\${funcstack[1]}" == "_lark_cli" ]]; then
    _lark_cli "$@"
else
    compdef _lark_cli lark-cli
fi
`;

const FISH = `# fish completion for lark-cli
# load it with:  lark-cli completion fish | source
function __lark_cli_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l exe $tokens[1]
    set -e tokens[1]
    $exe __complete $tokens "$current" 2>/dev/null
end
complete -c lark-cli -f -a '(__lark_cli_complete)'
`;

const POWERSHELL = `# PowerShell completion for lark-cli
# load it with:  lark-cli completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName 'lark-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') { $words += '""' }
    $exe = $commandAst.CommandElements[0].ToString()
    & $exe __complete @words 2>$null | ForEach-Object {
        $parts = $_ -split "\`t", 2
        $desc = if ($parts.Count -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $desc)
    }
}
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL }[shell];
}

export function register(parent: Command, ctx: Context): void {
  const cmd = parent
    .command('completion', { hidden: true })
    .description('Generate shell completion scripts for bash, zsh, fish, or powershell')
    .usage('<shell>')
    .addArgument(new Argument('[shell]'))
    .allowExcessArguments(true)
    .action((shell: string | undefined, _o: unknown, c: Command) => {
      if (c.args.length !== 1) throw new CliError('validation', `accepts 1 arg(s), received ${c.args.length}`);
      if (!(SHELLS as readonly string[]).includes(shell!)) {
        throw new CliError('validation', `unsupported shell: ${shell}`, { hint: `supported shells: ${SHELLS.join(', ')}` });
      }
      ctx.io.stdout.write(completionScript(shell as Shell));
    });
  setCompletionValues(cmd, SHELLS);
}
