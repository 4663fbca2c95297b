/**
 * Foundation e2e: the retry policy of docs/compatibility.md through the `api` command.
 * Safe requests (GET/HEAD) are retried up to 3 attempts on network errors, 429, 5xx and Lark
 * code 99991400, honouring x-ogw-ratelimit-reset / Retry-After; other writes never are.
 */
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { dropConnection, startFakeLark } from '../fake-lark/server.js';
import { jsonResponse, larkErr, larkOk } from '../fake-lark/handlers.js';
import { runInProcess } from '../helpers/in-process.js';
import { envTokenEnv, useFakeLark, expectJsonErr, expectJsonOut, expectFailureLike } from '../helpers/fake-lark-hooks.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';

const h = useFakeLark();

const env = () => envTokenEnv(h.fake);

/** A handler that answers with `answers[i]` on the i-th call (the last one repeats) and records arrival times. */
function sequence(method: 'get' | 'post' | 'head', path: string, answers: Array<() => Response>) {
  const times: number[] = [];
  const handler = http[method](`*${path}`, () => {
    times.push(Date.now());
    const i = Math.min(times.length - 1, answers.length - 1);
    return answers[i]!();
  });
  return { handler, times };
}

/** Installs `sequence(…)` on the fake platform and returns it. */
function answerWith(...args: Parameters<typeof sequence>) {
  const s = sequence(...args);
  h.fake.use(s.handler);
  return s;
}

/** `api GET path` succeeds with SUCCESS after `requests` requests to `path`. */
async function expectGetSucceeds(path: string, requests: number): Promise<void> {
  const r = await runInProcess(['api', 'GET', path], { sandbox: h.sb, env: env() });
  expect(r.code).toBe(0);
  expect(r.json()).toEqual(SUCCESS);
  expect(h.fake.requestsTo(path)).toHaveLength(requests);
}

/** A 429 "rate limited" answer asking to wait `reset` seconds. */
const rateLimited429 = (reset: string) => () =>
  jsonResponse({ code: 99991400, msg: 'rate limited' }, { status: 429, headers: { 'x-ogw-ratelimit-reset': reset } });
const ok = () => larkOk({ items: [{ id: 1 }] });
const SUCCESS = { code: 0, msg: 'success', data: { items: [{ id: 1 }] } };

describe('retries of safe requests', () => {
  it('GET: 500 then success → 2 requests, one success output', async () => {
    answerWith('get', '/open-apis/r/a', [() => larkErr(500, 'internal', undefined, { status: 500 }), ok]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/a', '--params', '{"k":"v"}'], { sandbox: h.sb, env: env() });
    expectJsonOut(r, 0, SUCCESS);
    expect(r.stdout.match(/"code"/g)).toHaveLength(1);
    const reqs = h.fake.requestsTo('/open-apis/r/a');
    expect(reqs).toHaveLength(2);
    for (const q of reqs) {
      expect(q.method).toBe('GET');
      expect(q.query).toEqual({ k: 'v' });
      expect(q.headers.authorization).toBe('Bearer t-env');
    }
  });

  it('GET: 502 with a non-JSON body then success', async () => {
    answerWith('get', '/open-apis/r/b', [() => new HttpResponse('bad gateway', { status: 502, headers: { 'content-type': 'text/plain' } }), ok]);
    await expectGetSucceeds('/open-apis/r/b', 2);
  });

  it('GET: 429 with x-ogw-ratelimit-reset: 1 waits about a second before the retry', async () => {
    const s = answerWith('get', '/open-apis/r/c', [rateLimited429('1'), ok]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/c'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual(SUCCESS);
    expect(s.times).toHaveLength(2);
    const waited = s.times[1]! - s.times[0]!;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(5000);
  });

  it('GET: HTTP 200 carrying Lark code 99991400 is retried; another code in a JSON body is not', async () => {
    answerWith('get', '/open-apis/r/rl', [() => jsonResponse({ code: 99991400, msg: 'rate limited' }), ok]);
    await expectGetSucceeds('/open-apis/r/rl', 2);

    answerWith('get', '/open-apis/r/other', [() => jsonResponse({ code: 230002, msg: 'bot not in chat', data: { note: 'not 99991400' } }), ok]);
    const once = await runInProcess(['api', 'GET', '/open-apis/r/other'], { sandbox: h.sb, env: env() });
    expect(once.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/r/other')).toHaveLength(1);
  });

  it('GET: 503 with Retry-After: 1 waits about a second', async () => {
    const s = answerWith('get', '/open-apis/r/d', [
      () => new HttpResponse('busy', { status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '1' } }),
      ok,
    ]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/d'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(0);
    expect(s.times).toHaveLength(2);
    expect(s.times[1]! - s.times[0]!).toBeGreaterThanOrEqual(900);
  });

  it('GET: Lark code 99991400 with HTTP 200 is retried', async () => {
    answerWith('get', '/open-apis/r/e', [() => jsonResponse({ code: 99991400, msg: 'rate limited' }), ok]);
    await expectGetSucceeds('/open-apis/r/e', 2);
  });

  it('GET: a dropped connection then success', async () => {
    answerWith('get', '/open-apis/r/f', [() => dropConnection(), ok]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/f'], { sandbox: h.sb, env: env() });
    expectJsonOut(r, 0, SUCCESS);
    expect(h.fake.requestsTo('/open-apis/r/f')).toHaveLength(2);
  });

  it('GET: gives up after 3 attempts on 500 (JSON body → api_error)', async () => {
    answerWith('get', '/open-apis/r/g', [() => larkErr(1500, 'server busy', { log_id: 'l-500' }, { status: 500 })]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/g'], { sandbox: h.sb, env: env() });
    expectJsonErr(r, 1, {
      ok: false,
      identity: 'bot',
      error: { type: 'api_error', code: 1500, message: 'API error: [1500] server busy', detail: { log_id: 'l-500' } },
    });
    expect(h.fake.requestsTo('/open-apis/r/g')).toHaveLength(3);
  });

  it('GET: gives up after 3 dropped connections (network, exit 4)', async () => {
    answerWith('get', '/open-apis/r/h', [() => dropConnection()]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/h'], { sandbox: h.sb, env: env() });
    expectFailureLike(r, 4, 'bot', 'network', /^API call failed: /);
    expect(h.fake.requestsTo('/open-apis/r/h')).toHaveLength(3);
  });

  it('GET: a 4xx is not retried', async () => {
    answerWith('get', '/open-apis/r/i', [() => larkErr(1234, 'bad request'), ok]);
    const r = await runInProcess(['api', 'GET', '/open-apis/r/i'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 1234, message: 'API error: [1234] bad request' });
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/r/i')).toHaveLength(1);
  });

  it('the tenant token request is retried after a 500', async () => {
    const s = sequence('post', '/open-apis/auth/v3/tenant_access_token/internal', [
      () => larkErr(500, 'oops', undefined, { status: 500 }),
      () => jsonResponse({ code: 0, msg: 'ok', tenant_access_token: 't-retried', expire: 7200 }),
    ]);
    h.fake.use(s.handler, http.get('*/open-apis/r/j', () => ok()));
    const r = await runInProcess(['api', 'GET', '/open-apis/r/j', '--as', 'bot'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: h.fake.url, LARKSUITE_CLI_RETRY_BASE_MS: '20' },
    });
    expect(r.code).toBe(0);
    expect(s.times).toHaveLength(2);
    const call = h.fake.requestsTo('/open-apis/r/j');
    expect(call).toHaveLength(1);
    expect(call[0]!.headers.authorization).toBe('Bearer t-retried');
  });
});

describe('writes are never retried', () => {
  it('POST without idempotency key: exactly 1 request on 500, error', async () => {
    answerWith('post', '/open-apis/r/w', [() => larkErr(1500, 'server busy', undefined, { status: 500 }), ok]);
    const r = await runInProcess(['api', 'POST', '/open-apis/r/w', '--data', '{"a":1}'], { sandbox: h.sb, env: env() });
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'api_error', code: 1500, message: 'API error: [1500] server busy' });
    expect(r.code).toBe(1);
    const reqs = h.fake.requestsTo('/open-apis/r/w');
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.json).toEqual({ a: 1 });
  });

  it('POST: a dropped connection is a network error after 1 request', async () => {
    answerWith('post', '/open-apis/r/x', [() => dropConnection(), ok]);
    const r = await runInProcess(['api', 'POST', '/open-apis/r/x', '--data', '{}'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error.type).toBe('network');
    expect(r.code).toBe(4);
    expect(h.fake.requestsTo('/open-apis/r/x')).toHaveLength(1);
  });

  it('POST: 429 is not retried', async () => {
    answerWith('post', '/open-apis/r/y', [rateLimited429('0'), ok]);
    const r = await runInProcess(['api', 'POST', '/open-apis/r/y', '--data', '{}'], { sandbox: h.sb, env: env() });
    expect(r.errJson().error.type).toBe('rate_limit');
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo('/open-apis/r/y')).toHaveLength(1);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('%s: not retried on 503', async (method) => {
    const m = method.toLowerCase() as 'put' | 'patch' | 'delete';
    let n = 0;
    h.fake.use(
      http[m]('*/open-apis/r/z', () => {
        n++;
        return larkErr(1503, 'unavailable', undefined, { status: 503 });
      }),
    );
    const r = await runInProcess(['api', method, '/open-apis/r/z', '--data', '{}'], { sandbox: h.sb, env: env() });
    expect(r.code).toBe(1);
    expect(n).toBe(1);
  });
});

describe('transport', () => {
  it('a redirect to another host drops Authorization; the same host keeps it', async () => {
    const other = await startFakeLark({ handlers: [http.get('*/open-apis/landed', () => ok())] });
    try {
      h.fake.use(
        http.get('*/open-apis/moved', () => new HttpResponse(null, { status: 302, headers: { location: `${other.url}/open-apis/landed` } })),
        http.get('*/open-apis/moved-here', () => new HttpResponse(null, { status: 307, headers: { location: '/open-apis/here' } })),
        http.get('*/open-apis/here', () => ok()),
      );
      const r = await runInProcess(['api', 'GET', '/open-apis/moved'], { sandbox: h.sb, env: env() });
      expect(r.code).toBe(0);
      expect(r.json()).toEqual(SUCCESS);
      const landed = other.requestsTo('/open-apis/landed');
      expect(landed).toHaveLength(1);
      expect(landed[0]!.headers.authorization).toBeUndefined();

      const r2 = await runInProcess(['api', 'GET', '/open-apis/moved-here'], { sandbox: h.sb, env: env() });
      expect(r2.code).toBe(0);
      expect(h.fake.requestsTo('/open-apis/here')[0]!.headers.authorization).toBe('Bearer t-env');
    } finally {
      await other.close();
    }
  });

  it('a proxy variable prints the redacted warning once; loopback is not proxied', async () => {
    h.fake.use(http.get('*/open-apis/px', () => ok()));
    const r = await runInProcess(['api', 'GET', '/open-apis/px'], {
      sandbox: h.sb,
      env: { ...env(), HTTP_PROXY: 'http://user:pw@127.0.0.1:9/' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '[lark-cli] [WARN] proxy detected: HTTP_PROXY=http://***@127.0.0.1:9/ — requests (including credentials) will transit through this proxy. Set LARK_CLI_NO_PROXY=1 to disable proxy.\n',
    );
    expect(h.fake.requestsTo('/open-apis/px')).toHaveLength(1);

    const quiet = await runInProcess(['api', 'GET', '/open-apis/px'], {
      sandbox: h.sb,
      env: { ...env(), HTTPS_PROXY: 'http://127.0.0.1:9', LARK_CLI_NO_PROXY: '1' },
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('a request goes through the proxy when one is set (CONNECT tunnel), token request included', async () => {
    const port = Number(new URL(h.fake.url).port);
    const proxy = await startConnectProxy({ host: '127.0.0.1', port });
    try {
      h.fake.use(http.get('*/open-apis/px', () => ok()));
      const brand = `http://127.0.0.2:${port}`;
      const r = await runInProcess(['api', 'GET', '/open-apis/px', '--as', 'bot'], {
        sandbox: h.sb,
        // http:// brand, so HTTP_PROXY applies; app credentials and no token in the environment:
        // the token request goes through the proxy too
        env: { LARKSUITE_CLI_APP_ID: 'cli_test', LARKSUITE_CLI_APP_SECRET: 's3cret', LARKSUITE_CLI_BRAND: brand, HTTP_PROXY: proxy.url },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toEqual({ code: 0, msg: 'success', data: { items: [{ id: 1 }] } });
      expect(h.fake.requestsTo('/open-apis/auth/v3/tenant_access_token/internal')).toHaveLength(1);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.2:${port}`]));
      const calls = h.fake.requestsTo('/open-apis/px');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.headers.host).toBe(`127.0.0.2:${port}`);
      expect(calls[0]!.headers.authorization).toBe('Bearer t-cli_test');
    } finally {
      await proxy.close();
    }
  });

  it('--dry-run and validation errors never print the proxy warning (no HTTP client is built)', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/px', '--dry-run'], { sandbox: h.sb, env: { ...env(), HTTPS_PROXY: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(h.fake.requests).toHaveLength(0);
  });
});
