/**
 * The confirmation error of high-risk writes (src/core/confirm.ts): its envelope and exit code,
 * and when its hint carries the command line to re-run with --yes.
 */
import { describe, expect, it } from 'vitest';
import { confirmationError, retryLineWithYes } from '../../src/core/confirm.js';
import { buildErrorEnvelope, reportError } from '../../src/output/envelope.js';
import { EXIT } from '../../src/core/errors.js';
import { memoryIo } from '../helpers/memory-io.js';

describe('confirmationError', () => {
  it('type confirmation, exit 10, the action in the message, risk and action fields', () => {
    const e = confirmationError('im +fixture-delete', ['lark-cli', 'im', '+fixture-delete']);
    expect(e.type).toBe('confirmation');
    expect(e.exitCode).toBe(10);
    expect(EXIT.confirmation).toBe(10);
    expect(e.message).toBe('im +fixture-delete requires confirmation');
    expect(e.hint!.startsWith('add --yes to confirm')).toBe(true);
    expect(e.extension).toEqual({ risk: 'high-risk-write', action: 'im +fixture-delete' });
  });

  it('the envelope: the standard fields, then risk and action; no fix_command', () => {
    const env = buildErrorEnvelope(confirmationError('im.messages.delete', ['lark-cli', 'im', 'messages', 'delete', '--message-id', 'om_1']), 'bot');
    expect(env).toEqual({
      ok: false,
      identity: 'bot',
      error: {
        type: 'confirmation',
        message: 'im.messages.delete requires confirmation',
        hint: 'add --yes to confirm; re-run: lark-cli im messages delete --message-id om_1 --yes',
        risk: 'high-risk-write',
        action: 'im.messages.delete',
      },
    });
    expect(Object.keys(env.error as object)).toEqual(['type', 'message', 'hint', 'risk', 'action']);
    expect(env.error).not.toHaveProperty('fix_command');
    const io = memoryIo({ cwd: process.cwd() });
    expect(reportError(io, confirmationError('x', ['lark-cli']), 'user')).toBe(10);
    expect(JSON.parse(io.err()).error.type).toBe('confirmation');
  });

  it('the hint: the full re-run line, or the plain form when the line cannot be echoed', () => {
    const full = confirmationError('im +x', ['/usr/local/bin/lark-cli', 'im', '+x', '--range', 'A1:B2']);
    expect(full.hint).toBe('add --yes to confirm; re-run: lark-cli im +x --range A1:B2 --yes');
    const stdin = confirmationError('im +x', ['lark-cli', 'im', '+x', '--operations', '-']);
    expect(stdin.hint).toBe('add --yes to confirm');
  });
});

describe('retryLineWithYes', () => {
  it('program base name, shell quoting where needed, --yes appended', () => {
    expect(
      retryLineWithYes(['/usr/local/bin/lark-cli', 'im', '+x', '--url', 'https://x.feishu.cn/sheets/tok', '--range', 'A$1:B$2', '--sheet-id', 'sh1']),
    ).toBe("lark-cli im +x --url https://x.feishu.cn/sheets/tok --range 'A$1:B$2' --sheet-id sh1 --yes");
    expect(retryLineWithYes(['lark-cli', 'im', 'x', '--name='])).toBe('lark-cli im x --name= --yes');
    expect(retryLineWithYes(['lark-cli', 'im', 'x', ''])).toBe("lark-cli im x '' --yes");
    expect(retryLineWithYes([])).toBe('');
  });

  it.each([
    [['lark-cli', 'x', '+db-execute', '--sql', "UPDATE users SET pw='x'"]],
    [['lark-cli', 'x', '+form-submit', '--json', '{"phone":"13800138000"}']],
    [['lark-cli', 'x', '+cells-clear', '--sheet-name', '第 1 班']],
    [['lark-cli', 'x', '--title', "it's"]],
    [['lark-cli', 'x', '--note=' + 'a'.repeat(200)]],
    [['lark-cli', 'x', '--ids', '[1,2]']],
    [['lark-cli', 'x', '--cmd', 'a;b']],
    [['lark-cli', 'x', '--path', 'a\\b']],
    [['lark-cli', 'x', '--tick', 'a`b']],
  ])('free-form values leave the line out: %j', (argv) => {
    expect(retryLineWithYes(argv)).toBe('');
  });

  it('an argument reading stdin leaves the line out, as its own word or bundled', () => {
    expect(retryLineWithYes(['lark-cli', 'x', '+batch-update', '--operations', '-'])).toBe('');
    expect(retryLineWithYes(['lark-cli', 'x', '+cells-set', '--cells=-'])).toBe('');
  });

  it.each([
    [['lark-cli', 'im', '+send', '--app-secret', 's3cr3t']],
    [['lark-cli', 'im', '+send', '--user-access-token=u-abc']],
    [['lark-cli', 'im', '+send', '--api_key', 'k']],
    [['lark-cli', 'im', '+send', '--PASSWORD', 'p']],
    [['lark-cli', 'im', '+send', '--access-key', 'p']],
  ])('a credential-bearing flag leaves the line out: %j', (argv) => {
    expect(retryLineWithYes(argv)).toBe('');
  });

  it('a value that merely mentions a token is fine', () => {
    expect(retryLineWithYes(['lark-cli', 'x', '+delete', '--file-path', 'token.json'])).toBe('lark-cli x +delete --file-path token.json --yes');
  });

  it('a line over 300 characters is left out', () => {
    expect(retryLineWithYes(['lark-cli', 'x', '--operations', 'a'.repeat(400)])).toBe('');
    const ids = Array.from({ length: 30 }, (_, i) => `--id=om_${String(i).padStart(6, '0')}`);
    expect(retryLineWithYes(['lark-cli', 'x', ...ids])).toBe('');
    expect(retryLineWithYes(['lark-cli', 'x', ...ids.slice(0, 10)])).not.toBe('');
  });
});
