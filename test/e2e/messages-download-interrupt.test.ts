/**
 * An interrupted download (Ctrl-C, SIGTERM) leaves neither the target nor its temporary file.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fake-lark/server.js';
import { resourceHandler } from '../fake-lark/messages-write.js';
import { botEnv, CLI, makeSandbox, sandboxEnv, type Sandbox } from '../helpers/cli.js';

let fake: FakeLark;
let sb: Sandbox;
beforeAll(async () => {
  fake = await startFakeLark();
});
afterAll(async () => fake.close());
beforeEach(async () => {
  fake.resetHandlers();
  fake.clearRequests();
  fake.setLatency(0);
  sb = await makeSandbox();
  return () => sb.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('interrupting +messages-resources-download', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} removes the temporary file and exits ${code}`, async () => {
      fake.use(resourceHandler({ messageId: 'om_i', fileKey: 'file_i', size: 40 * 1024 * 1024 }));
      const child = spawn(process.execPath, [CLI, 'im', '+messages-resources-download', '--message-id', 'om_i', '--file-key', 'file_i', '--type', 'file', '--output', 'big.bin', '--as', 'bot'], {
        cwd: sb.work,
        env: { PATH: process.env.PATH ?? '', ...sandboxEnv(sb), ...botEnv(fake) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // wait until the temporary file exists, then hold the chunk answers back and interrupt
      let seen = false;
      for (let i = 0; i < 400 && !seen; i++) {
        seen = readdirSync(sb.work).some((f) => f.endsWith('.tmp'));
        if (!seen) {
          if (i === 0) fake.setLatency(0);
          await sleep(10);
        } else fake.setLatency(5_000);
      }
      expect(seen).toBe(true);
      child.kill(signal);
      const exitCode = await Promise.race([exited, sleep(10_000).then(() => 'timeout')]);
      fake.setLatency(0);
      expect(exitCode).toBe(code);
      expect(readdirSync(sb.work)).toEqual([]);
    });
  }
});
