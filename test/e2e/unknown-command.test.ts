/**
 * An unknown command or subcommand is a validation error (exit 2, stdout empty, no request):
 * `unknown command "<x>" for "<path>"`, the close names in the hint. A group given no
 * subcommand still prints its help.
 */
import { describe, expect, it } from 'vitest';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { closeNames, unknownCommandError } from '../../src/core/suggest.js';

const h = useFakeLark();

async function fails(args: string[]) {
  const r = await runInProcess(args, { sandbox: h.sb, env: botEnv(h.fake) });
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(h.fake.requests).toHaveLength(0);
  const env = r.errJson();
  expect(env.ok).toBe(false);
  expect(env.error.type).toBe('validation');
  return env.error as { type: string; message: string; hint?: string };
}

describe('unknown commands', () => {
  it.each([
    [['nope'], 'unknown command "nope" for "lark-cli"', undefined],
    [['imm'], 'unknown command "imm" for "lark-cli"', 'did you mean: im?'],
    [['auht'], 'unknown command "auht" for "lark-cli"', 'did you mean: auth?'],
    [['docter'], 'unknown command "docter" for "lark-cli"', 'did you mean: doctor?'],
    [['im', '+nope'], 'unknown command "+nope" for "lark-cli im"', undefined],
    [['im', '+messages-sen'], 'unknown command "+messages-sen" for "lark-cli im"', 'did you mean: +messages-send?'],
    [['im', '+chat-lst', '--chat-id', 'oc_1'], 'unknown command "+chat-lst" for "lark-cli im"', 'did you mean: +chat-list?'],
    [['im', 'mesages'], 'unknown command "mesages" for "lark-cli im"', 'did you mean: messages?'],
    [['im', 'chats', 'gett'], 'unknown command "gett" for "lark-cli im chats"', 'did you mean: get?'],
    [['auth', 'nope'], 'unknown command "nope" for "lark-cli auth"', undefined],
    [['auth', 'logn'], 'unknown command "logn" for "lark-cli auth"', 'did you mean: login?'],
    [['config', 'nope'], 'unknown command "nope" for "lark-cli config"', undefined],
    [['config', 'sho'], 'unknown command "sho" for "lark-cli config"', 'did you mean: show?'],
    [['profile', 'lst'], 'unknown command "lst" for "lark-cli profile"', 'did you mean: list, use?'],
  ])('%j', async (args, message, hint) => {
    const err = await fails(args);
    expect(err.message).toBe(message);
    expect(err.hint).toBe(hint);
  });

  it('a prefix suggests every name it starts', async () => {
    const err = await fails(['im', '+messages']);
    expect(err.message).toBe('unknown command "+messages" for "lark-cli im"');
    expect(err.hint).toMatch(/^did you mean: .*\?$/);
    for (const n of ['+messages-mget', '+messages-reply', '+messages-search', '+messages-send']) expect(err.hint).toContain(n);
    expect(err.hint).not.toContain('+chat-list');
  });

  it('hidden commands are not suggested', async () => {
    const err = await fails(['__complet']);
    expect(err.hint).toBeUndefined();
  });

  it('an unknown flag of a group is a validation error too', async () => {
    const err = await fails(['im', '--nope']);
    expect(err.message).toBe('unknown flag: --nope');
  });

  it.each([[['im']], [['auth']], [['im', 'chats']], [['im', '+nope', '--help']]])('%j prints help, exit 0', async (args) => {
    const r = await runInProcess(args, { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: lark-cli /);
  });
});

describe('close names', () => {
  it('takes names at most two edits away or starting with the typed text, sorted', () => {
    expect(closeNames('lst', ['list', 'get', 'last', 'lost', 'create'])).toEqual(['get', 'last', 'list', 'lost']);
    expect(closeNames('cre', ['create', 'credit', 'delete'])).toEqual(['create', 'credit']);
    expect(closeNames('LIST', ['list'])).toEqual(['list']);
    expect(closeNames('zzzzzz', ['list'])).toEqual([]);
  });

  it('the error carries no hint when nothing is close', () => {
    const e = unknownCommandError('zzzzzz', 'lark-cli im', ['+chat-list']);
    expect(e.type).toBe('validation');
    expect(e.hint).toBeUndefined();
  });
});
