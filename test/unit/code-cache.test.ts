/**
 * The built CLI is one bundle compiled with a V8 code cache (scripts/bundle.mjs, bin/lark-cli).
 * V8 rejects a cache silently when the source it was made for differs (a changed wrapper, a
 * rebuilt bundle without a new cache): the CLI still works, only slower. This test notices.
 */
import { describe, expect, it } from 'vitest';
import { makeSandbox, runCli } from '../helpers/cli.js';

describe('code cache', () => {
  it('is accepted by bin/lark-cli, and the CLI answers', async () => {
    const sb = await makeSandbox();
    try {
      const r = await runCli(['--help'], { sandbox: sb, env: { LARK_CLI_DEBUG_CODE_CACHE: '1' } });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('code cache: accepted\n');
      expect(r.stdout).toMatch(/^Usage: lark-cli/m);
    } finally {
      await sb.cleanup();
    }
  });
});
