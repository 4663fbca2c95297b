/**
 * The set-up most e2e files share: one fake Lark platform for the file, its handlers and
 * recorded requests reset before each test, and a fresh sandbox per test. Call at the top level
 * of a test file; read `fake` and `sb` inside tests (they are set by the hooks).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeLark, type FakeLark, type FakeLarkOptions } from '../fake-lark/server.js';
import { makeSandbox, type Sandbox } from './cli.js';

export interface FakeLarkHooks {
  fake: FakeLark;
  sb: Sandbox;
}

export function useFakeLark(opts?: FakeLarkOptions): FakeLarkHooks {
  const h = {} as FakeLarkHooks;
  beforeAll(async () => {
    h.fake = await startFakeLark(opts);
  });
  afterAll(async () => {
    await h.fake.close();
  });
  beforeEach(async () => {
    h.fake.resetHandlers();
    h.fake.clearRequests();
    h.sb = await makeSandbox();
    return () => h.sb.cleanup();
  });
  return h;
}
