/**
 * The set-up most e2e files share: one fake Lark platform for the file, its handlers and
 * recorded requests reset before each test, and a fresh sandbox per test. Call at the top level
 * of a test file; read `fake` and `sb` inside tests (they are set by the hooks).
 *
 *   useFakeLark({ handlers?, latencyMs?,   // for the server, as startFakeLark takes them
 *                 eachTest?: () => handlers, // added after each reset, built anew per test
 *                 setup?: (h) => …           // runs once the test's sandbox exists
 *   })
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeLark, type FakeLark, type FakeLarkOptions, type RequestHandler } from '../fake-lark/server.js';
import { makeSandbox, type Sandbox } from './cli.js';

export interface FakeLarkHooks {
  fake: FakeLark;
  sb: Sandbox;
}

export interface FakeLarkHookOptions extends FakeLarkOptions {
  eachTest?: () => RequestHandler[];
  setup?: (h: FakeLarkHooks) => unknown;
}

export function useFakeLark(opts: FakeLarkHookOptions = {}): FakeLarkHooks {
  const { eachTest, setup, ...serverOpts } = opts;
  const h = {} as FakeLarkHooks;
  beforeAll(async () => {
    h.fake = await startFakeLark(serverOpts);
  });
  afterAll(async () => {
    await h.fake.close();
  });
  beforeEach(async () => {
    h.fake.resetHandlers();
    h.fake.clearRequests();
    if (eachTest) h.fake.use(...eachTest());
    h.sb = await makeSandbox();
    await setup?.(h);
    return () => h.sb.cleanup();
  });
  return h;
}
