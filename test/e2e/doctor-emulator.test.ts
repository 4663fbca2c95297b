/**
 * `lark-cli doctor` against the emulator: the bot's tenant token is fetched and the host answers
 * the reachability probe, so every check passes.
 */
import { describe, expect, it } from 'vitest';
import { useEmulatorCli } from '../helpers/emulator-cli.js';

const h = useEmulatorCli();

describe('doctor against the emulator', () => {
  it('passes: bot ready, host reachable', async () => {
    const r = await h.cli(['doctor']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = r.json() as { ok: boolean; checks: Array<{ name: string; status: string; message: string }> };
    expect(out.ok).toBe(true);
    const by = Object.fromEntries(out.checks.map((c) => [c.name, c]));
    expect(by.bot_identity).toMatchObject({ status: 'pass', message: 'Bot identity: ready' });
    expect(by.endpoint_open).toMatchObject({ status: 'pass' });
    expect(by.endpoint_open!.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+ reachable$/);
  });
});
