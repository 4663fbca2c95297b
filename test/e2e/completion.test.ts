/**
 * `lark-cli completion <shell>` prints a script that asks `lark-cli __complete <words…>
 * <current>`; the answers come from the command tree (commands, shortcuts, generic methods,
 * flags, enum values). The answers are checked in-process; the bash script is loaded in a real
 * bash, which calls the built CLI (bin/lark-cli).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, makeSandbox, REPO_ROOT, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { completeWords, completionScript, formatCandidates, SHELLS } from '../../src/commands/completion.js';
import { expectJsonErr } from '../helpers/fake-lark-hooks.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await makeSandbox();
});
afterAll(async () => {
  await sb?.cleanup();
});

const env = { LARKSUITE_CLI_APP_ID: 'cli_complete', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9' };

/** The values `__complete` answers for these words (the last one is the word being completed). */
async function complete(...words: string[]): Promise<string[]> {
  const r = await runInProcess(['__complete', ...words], { sandbox: sb, env });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
}

describe('completion <shell>', () => {
  it.each([
    ['bash', ['_lark_cli_complete()', '__complete', 'complete -o default -F _lark_cli_complete lark-cli']],
    ['zsh', ['#compdef lark-cli', '__complete', 'compdef _lark_cli lark-cli']],
    ['fish', ['__complete', "complete -c lark-cli -f -a '(__lark_cli_complete)'"]],
    ['powershell', ['Register-ArgumentCompleter -Native -CommandName', '__complete']],
  ])('%s prints its script on stdout, exit 0', async (shell, parts) => {
    const r = await runInProcess(['completion', shell], { sandbox: sb, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const p of parts) expect(r.stdout).toContain(p);
    expect(r.stdout).toBe(completionScript(shell as (typeof SHELLS)[number]));
  });

  it.each([
    [['completion'], 'accepts 1 arg(s), received 0', undefined],
    [['completion', 'bash', 'zsh'], 'accepts 1 arg(s), received 2', undefined],
    [['completion', 'tcsh'], 'unsupported shell: tcsh', 'supported shells: bash, zsh, fish, powershell'],
  ])('%j is a validation error', async (args, message, hint) => {
    const r = await runInProcess(args, { sandbox: sb, env });
    expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message, ...(hint ? { hint } : {}) } });
  });

  it('is hidden from the root help, as in the original', async () => {
    const r = await runInProcess(['--help'], { sandbox: sb, env });
    expect(r.stdout).not.toMatch(/^\s+completion\b/m);
    expect(r.stdout).toMatch(/^\s+doctor\b/m);
  });
});

describe('__complete answers', () => {
  it('top-level commands (not the hidden ones), with their summaries', async () => {
    const all = await complete('');
    for (const c of ['api', 'auth', 'config', 'doctor', 'im', 'profile', 'schema']) expect(all).toContain(c);
    expect(all).not.toContain('completion');
    expect(all).not.toContain('__complete');
    const r = await runInProcess(['__complete', 'a'], { sandbox: sb, env });
    expect(r.stdout).toBe('api\tGeneric Lark API requests\nauth\tUser authorization: login, status, scopes, logout\n');
  });

  it('shortcuts and generic resources under im', async () => {
    const all = await complete('im', '');
    expect(all).toContain('+messages-send');
    expect(all).toContain('+chat-list');
    expect(all).toContain('chats');
    expect(all).toContain('messages');
    const mess = await complete('im', '+messages-se');
    expect(mess).toEqual(['+messages-search', '+messages-send']);
  });

  it('generic method names of a resource', async () => {
    const methods = await complete('im', 'chats', '');
    expect(methods).toContain('get');
    expect(methods).toContain('create');
    expect(await complete('im', 'chats', 'ge')).toEqual(['get']);
  });

  it("a shortcut's flags, the framework's and the global --profile", async () => {
    const flags = await complete('im', '+messages-send', '--');
    for (const f of ['--chat-id', '--user-id', '--text', '--markdown', '--as', '--dry-run', '--jq', '--profile']) expect(flags).toContain(f);
    expect(await complete('im', '+messages-send', '--chat-id', 'oc_1', '--te')).toEqual(['--text']);
  });

  it('enum values of a flag, as the next word or after =', async () => {
    expect(await complete('im', '+chat-create', '--chat-mode', '')).toEqual(['group', 'topic']);
    expect(await complete('im', '+chat-list', '--sort', 'a')).toEqual(['active_time']);
    expect(await complete('im', '+chat-messages-list', '--format', 't')).toEqual(['table']);
    expect(await complete('im', '+chat-messages-list', '--as', '')).toEqual(['user', 'bot', 'auto']);
    expect(await complete('im', '+chat-create', '--type=p')).toEqual(['--type=private', '--type=public']);
    // as bash splits it at the =
    expect(await complete('im', '+chat-create', '--type', '=', 'p')).toEqual(['private', 'public']);
    expect(await complete('im', '+chat-create', '--type', '=', 'private', '--chat-m')).toEqual(['--chat-mode']);
  });

  it('raw flags of generic methods and api', async () => {
    expect(await complete('im', 'chats', 'get', '--as', '')).toEqual(['user', 'bot', 'auto']);
    expect(await complete('im', 'chats', 'get', '--format', '')).toEqual(['json', 'ndjson', 'table', 'csv']);
    // a parameter's typed flag offers its enum
    expect(await complete('im', 'chats', 'get', '--user-id-type', '')).toEqual(['user_id', 'union_id', 'open_id']);
    expect(await complete('im', 'chats', 'get', '--chat')).toEqual(['--chat-id']);
    expect(await complete('api', '--page-')).toEqual(['--page-all', '--page-limit', '--page-delay', '--page-size']);
  });

  it('a flag that takes a free value offers nothing', async () => {
    expect(await complete('im', '+messages-send', '--text', '')).toEqual([]);
  });

  it('subcommands and flags of the other groups', async () => {
    expect(await complete('auth', 'lo')).toEqual(['login', 'logout']);
    expect(await complete('auth', 'login', '--rec')).toEqual(['--recommend']);
    expect(await complete('doctor', '--')).toContain('--offline');
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect(await complete('config', 'default-as', '')).toEqual(['user', 'bot', 'auto']);
    expect(await complete('config', 'strict-mode', 'o')).toEqual(['off']);
    expect(await complete('whoami', '--as', 'b')).toEqual(['bot']);
  });

  it('--profile anywhere, PowerShell\'s quoted empty word, and nonsense', async () => {
    expect(await complete('--profile', 'x', 'im', '+chat-li')).toEqual(['+chat-list']);
    expect(await complete('--profile', '')).toEqual([]);
    expect(await complete('im', '""')).toContain('+chat-list');
    expect(await complete('im', '+nope', '')).toEqual([]);
    expect(await complete('nope', '')).toEqual([]);
    expect(await complete('im', '--', '')).toEqual([]);
  });

  it('formats one candidate a line, the description after a tab', () => {
    expect(formatCandidates([{ value: 'a', description: 'x' }, { value: 'b' }])).toBe('a\tx\nb\n');
  });

  it('walks a tree built without the CLI', async () => {
    const { Command, Option } = await import('commander');
    const root = new Command('t').option('--profile <p>');
    root.command('one').addOption(new Option('--mode <m>').choices(['a', 'b']));
    expect(completeWords(root, ['one', '--mode', ''])).toEqual([{ value: 'a' }, { value: 'b' }]);
  });
});

describe('the bash script in a real bash', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(path.join(tmpdir(), 'lark-complete-bin-'));
    const launcher = path.join(bin, 'lark-cli');
    await writeFile(launcher, `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO_ROOT, 'bin', 'lark-cli')}" "$@"\n`);
    await chmod(launcher, 0o755);
  });
  afterAll(async () => {
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  /** Sources the script, sets COMP_WORDS/COMP_CWORD, calls the function, returns COMPREPLY. */
  function bashComplete(words: string[]): string[] {
    const script = [
      'source <(lark-cli completion bash) || exit 3',
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      '_lark_cli_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
      env: { ...cliEnv(sb, env), PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes a shortcut, a flag and an enum value', () => {
    expect(bashComplete(['lark-cli', 'im', '+messages-se'])).toEqual(['+messages-search', '+messages-send']);
    expect(bashComplete(['lark-cli', 'im', '+messages-send', '--chat-i'])).toEqual(['--chat-id']);
    expect(bashComplete(['lark-cli', 'im', '+chat-create', '--chat-mode', 't'])).toEqual(['topic']);
    expect(bashComplete(['lark-cli', 'im', '+chat-create', '--chat-mode', '=', 'g'])).toEqual(['group']);
    expect(bashComplete(['lark-cli', 'comp'])).toEqual([]);
    expect(bashComplete(['lark-cli', 'do'])).toEqual(['doctor']);
  });
});
