/**
 * The interactive scope choice of `auth login` on a terminal, asked through `Io.openPrompt`
 * (src/commands/auth/login-scopes.ts): common or all scopes, then a confirmation.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.js';
import type { Prompt } from '../../src/core/io.js';
import { collectUserScopes, KNOWN_DOMAINS, resolveRequestedScope } from '../../src/commands/auth/login-scopes.js';
import { loginMessages } from '../../src/commands/auth/login-messages.js';
import { filterAutoApprove } from '../../src/auth/scopes.js';
import { loadShortcuts } from '../../src/im/shortcuts/index.js';
import { memoryIo } from '../helpers/memory-io.js';

/** A Context on a terminal whose prompt answers `answers` in turn, recording the questions. */
function terminal(answers: string[], withPrompt = true) {
  const asked: string[] = [];
  let closed = 0;
  const io = memoryIo({ cwd: '/' });
  io.stdinIsTTY = true;
  if (withPrompt) {
    io.openPrompt = (): Prompt => ({
      question: async (text) => (asked.push(text), answers.shift() ?? ''),
      close: () => void closed++,
    });
  }
  return { ctx: { io } as unknown as Context, io, asked, closed: () => closed };
}

describe('auth login: the interactive scope choice', () => {
  const msg = loginMessages('en');

  it('common scopes (the default), confirmed: the auto-approve user scopes of im, with a summary', async () => {
    const t = terminal(['', 'y']);
    const scope = await resolveRequestedScope(t.ctx, {}, msg, loadShortcuts);
    const all = await collectUserScopes([...KNOWN_DOMAINS], await loadShortcuts());
    expect(scope).toBe(filterAutoApprove(all).join(' '));
    expect(t.asked).toEqual([msg.levelPrompt, msg.confirm]);
    expect(t.io.err()).toContain('Level:    Common scopes');
    expect(t.closed()).toBe(1);
  });

  it('all scopes', async () => {
    const t = terminal(['2', 'yes']);
    const all = await collectUserScopes([...KNOWN_DOMAINS], await loadShortcuts());
    expect(await resolveRequestedScope(t.ctx, {}, msg, loadShortcuts)).toBe(all.join(' '));
  });

  it('an unknown level, a declined confirmation, or no terminal prompt: no login options selected', async () => {
    for (const t of [terminal(['3']), terminal(['1', 'n']), terminal([], false)]) {
      await expect(resolveRequestedScope(t.ctx, {}, msg, loadShortcuts)).rejects.toThrow('no login options selected');
      expect(t.closed()).toBe(t.asked.length ? 1 : 0);
    }
  });

  it('the zh messages when the profile does not say en', () => {
    expect(loginMessages(undefined).levelPrompt).toBe('权限类型: [1] 常用权限  [2] 全部权限 (默认 1): ');
  });
});
