/**
 * `im --help` builds a lighter tree (src/im/index.ts: names and descriptions, no flags; one bare
 * method per resource group): its output must be the one the full tree prints, in every strict
 * mode (which hides the groups without a method for the forced identity).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await makeSandbox();
});
afterAll(async () => {
  await sb?.cleanup();
});

describe('im --help', () => {
  for (const strict of ['off', 'bot', 'user']) {
    it(`lists what the full tree lists (strict mode ${strict})`, async () => {
      const env = { LARKSUITE_CLI_APP_ID: 'cli_help', LARKSUITE_CLI_APP_SECRET: 's', LARKSUITE_CLI_STRICT_MODE: strict };
      const light = await runInProcess(['im', '--help'], { sandbox: sb, env });
      // an unknown flag after --help still prints the group's help, from the full tree
      const full = await runInProcess(['im', '--help', '--not-a-flag'], { sandbox: sb, env });
      const short = await runInProcess(['im', '-h'], { sandbox: sb, env });
      expect(light.code).toBe(0);
      expect(light.stdout).toMatch(/^Usage: lark-cli im <command> \[flags\]\n/);
      expect(light.stdout).toContain('  +messages-send ');
      expect(light.stdout).toContain('  chats <command> ');
      expect(light.stdout).toBe(full.stdout);
      expect(short.stdout).toBe(full.stdout);
      if (strict === 'off') expect(light.stdout).toContain('  images <command> ');
    });
  }
});
