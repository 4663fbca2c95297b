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
      // rendered live: off a terminal, help is otherwise a page the build rendered, with no bundle loaded
      const r = await runCli(['--help'], { sandbox: sb, env: { LARK_CLI_DEBUG_CODE_CACHE: '1', LARK_CLI_LIVE_HELP: '1' } });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('code cache: accepted\n');
      expect(r.stdout).toMatch(/^Usage: lark-cli/m);
    } finally {
      await sb.cleanup();
    }
  });

  it("the jq engine's cache (dist/jq-wasm.cache) is accepted under the engine's flags, and jq answers", async () => {
    const sb = await makeSandbox();
    const env = { LARK_CLI_DEBUG_CODE_CACHE: '1', LARKSUITE_CLI_APP_ID: 'cli_cache', LARKSUITE_CLI_APP_SECRET: 'secret' };
    try {
      const ok = await runCli(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--dry-run', '--jq', '.api[0].method'], { sandbox: sb, env });
      expect(ok.stderr).toBe('code cache: accepted\njq code cache: accepted\n');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('GET');
      const bad = await runCli(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot', '--dry-run', '--jq', '.a |'], { sandbox: sb, env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('jq code cache: accepted\n');
      expect(bad.stderr).toContain('invalid jq expression: syntax error, unexpected end of file');
    } finally {
      await sb.cleanup();
    }
  });
});
