import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http as mswHttp, HttpResponse } from 'msw';
import { dropConnection, startFakeLark, type FakeLark } from './server.js';
import { jsonResponse, larkErr, larkOk } from './handlers.js';

describe('fake Lark server', () => {
  let fake: FakeLark;

  beforeAll(async () => {
    fake = await startFakeLark();
  });
  afterEach(() => {
    fake.resetHandlers();
    fake.clearRequests();
    fake.setLatency(0);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('listens on 127.0.0.1 with a usable url', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
  });

  it('records method, path, query, headers and body', async () => {
    fake.use(
      mswHttp.post('*/open-apis/im/v1/messages', async ({ request }) => {
        const url = new URL(request.url);
        const body = (await request.json()) as { content: string };
        return larkOk({ message_id: 'om_1', echo: body.content, rid: url.searchParams.get('receive_id_type') });
      }),
    );
    const res = await fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id&x=1&x=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer t-abc', 'X-Custom': 'yes' },
      body: JSON.stringify({ receive_id: 'oc_1', content: 'hi' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      code: 0,
      msg: 'success',
      data: { message_id: 'om_1', echo: 'hi', rid: 'chat_id' },
    });

    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/open-apis/im/v1/messages');
    expect(r.search).toBe('?receive_id_type=chat_id&x=1&x=2');
    expect(r.query).toEqual({ receive_id_type: 'chat_id', x: ['1', '2'] });
    expect(r.headers.authorization).toBe('Bearer t-abc');
    expect(r.headers['x-custom']).toBe('yes');
    expect(r.contentType).toBe('application/json; charset=utf-8');
    expect(r.text).toBe('{"receive_id":"oc_1","content":"hi"}');
    expect(Buffer.isBuffer(r.body)).toBe(true);
    expect(r.json).toEqual({ receive_id: 'oc_1', content: 'hi' });

    expect(fake.requestsTo('/open-apis/im/')).toHaveLength(1);
    expect(fake.requestsTo(/\/messages$/)).toHaveLength(1);
    expect(fake.requestsTo('/open-apis/auth/')).toHaveLength(0);
  });

  it('records binary / non-JSON bodies without json', async () => {
    fake.use(mswHttp.post('*/upload', async ({ request }) => jsonResponse({ size: (await request.arrayBuffer()).byteLength })));
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
    const res = await fetch(`${fake.url}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(await res.json()).toEqual({ size: 6 });
    const r = fake.requests[0]!;
    expect(r.body.equals(bytes)).toBe(true);
    expect(r.json).toBeUndefined();
    expect(r.query).toEqual({});
    expect(r.search).toBe('');
  });

  it('serves the default auth and bot handlers', async () => {
    const ok = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: 'cli_x', app_secret: 'good' }),
    });
    expect(await ok.json()).toEqual({ code: 0, msg: 'ok', tenant_access_token: 't-cli_x', expire: 7200 });

    const bad = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: 'cli_x', app_secret: 'bad-secret' }),
    });
    expect(await bad.json()).toEqual({ code: 10014, msg: 'app secret invalid' });

    const user = await fetch(`${fake.url}/open-apis/authen/v1/user_info`, { headers: { authorization: 'Bearer u-123' } });
    expect(await user.json()).toEqual({ code: 0, msg: 'success', data: { open_id: 'ou_env_user', name: 'Env User' } });

    const noUser = await fetch(`${fake.url}/open-apis/authen/v1/user_info`, { headers: { authorization: 'Bearer t-123' } });
    expect(((await noUser.json()) as { code: number }).code).toBe(99991668);

    const bot = (await (await fetch(`${fake.url}/open-apis/bot/v3/info`)).json()) as {
      code: number;
      bot: { open_id: string; app_name: string };
      data: { open_id: string };
    };
    expect(bot.code).toBe(0);
    expect(bot.bot).toEqual({ open_id: 'ou_bot', app_name: 'Test Bot' });
    expect(bot.data.open_id).toBe('ou_bot');
  });

  it('use() overrides win and resetHandlers() restores the defaults', async () => {
    const botInfo = async () => (await (await fetch(`${fake.url}/open-apis/bot/v3/info`)).json()) as Record<string, unknown>;
    expect((await botInfo()).code).toBe(0);

    fake.use(mswHttp.get('*/open-apis/bot/v3/info', () => larkErr(99991663, 'invalid tenant token')));
    expect(await botInfo()).toEqual({ code: 99991663, msg: 'invalid tenant token' });

    // A later use() takes priority over an earlier one.
    fake.use(mswHttp.get('*/open-apis/bot/v3/info', () => jsonResponse({ code: 7, msg: 'later' })));
    expect(await botInfo()).toEqual({ code: 7, msg: 'later' });

    fake.resetHandlers();
    expect((await botInfo()).code).toBe(0);
  });

  it('larkErr defaults to HTTP 400 and carries the error object', async () => {
    fake.use(mswHttp.get('*/err', () => larkErr(230001, 'bad param', { log_id: 'L1' })));
    const res = await fetch(`${fake.url}/err`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 230001, msg: 'bad param', error: { log_id: 'L1' } });
  });

  it('answers 404 JSON when no handler matches', async () => {
    const res = await fetch(`${fake.url}/open-apis/nope/v1/things?x=1`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ code: 404, msg: 'no fake handler for DELETE /open-apis/nope/v1/things' });
    expect(fake.requests).toHaveLength(1);
  });

  it('answers 500 JSON when a handler throws', async () => {
    fake.use(
      mswHttp.get('*/boom', () => {
        throw new Error('kaput');
      }),
    );
    const res = await fetch(`${fake.url}/boom`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { msg: string }).msg).toContain('kaput');
  });

  it('applies latency before every response', async () => {
    fake.setLatency(250);
    const t0 = performance.now();
    const res = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    await res.json();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);

    fake.setLatency(0);
    const t1 = performance.now();
    await (await fetch(`${fake.url}/open-apis/bot/v3/info`)).json();
    expect(performance.now() - t1).toBeLessThan(200);
  });

  it('dropConnection() makes fetch reject', async () => {
    fake.use(mswHttp.get('*/open-apis/im/v1/chats/:chat_id', () => dropConnection()));
    await expect(fetch(`${fake.url}/open-apis/im/v1/chats/oc_1`)).rejects.toThrow();
    expect(fake.requestsTo('/open-apis/im/v1/chats/')).toHaveLength(1);

    fake.use(mswHttp.get('*/err-response', () => HttpResponse.error()));
    await expect(fetch(`${fake.url}/err-response`)).rejects.toThrow();

    // The server keeps serving afterwards.
    const res = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('streams a 20 MB body intact', async () => {
    const total = 20 * 1024 * 1024;
    const chunkSize = 64 * 1024;
    const chunkAt = (i: number): Uint8Array => {
      const c = new Uint8Array(chunkSize);
      for (let j = 0; j < chunkSize; j++) c[j] = (i * 31 + j) & 0xff;
      return c;
    };
    const expected = createHash('sha256');
    for (let i = 0; i < total / chunkSize; i++) expected.update(chunkAt(i));
    const expectedHex = expected.digest('hex');

    fake.use(
      mswHttp.get('*/open-apis/im/v1/messages/:id/resources/:key', () => {
        let i = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (i >= total / chunkSize) {
              controller.close();
              return;
            }
            controller.enqueue(chunkAt(i++));
          },
        });
        return new HttpResponse(stream, {
          headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="big.bin"' },
        });
      }),
    );

    const res = await fetch(`${fake.url}/open-apis/im/v1/messages/om_1/resources/file_1?type=file`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="big.bin"');
    const got = createHash('sha256');
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      got.update(chunk);
      size += chunk.byteLength;
    }
    expect(size).toBe(total);
    expect(got.digest('hex')).toBe(expectedHex);
  });

  it('keeps connections alive across requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; port: number }>((resolve, reject) => {
        const req = http.get(`${fake.url}/open-apis/bot/v3/info`, { agent }, (res) => {
          const port = res.socket.localPort!;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, port }));
        });
        req.on('error', reject);
      });
    try {
      const a = await get();
      const b = await get();
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.port).toBe(a.port); // same socket reused
    } finally {
      agent.destroy();
    }
  });
});

describe('fake Lark server lifecycle', () => {
  it('constructor handlers beat defaults and survive resetHandlers()', async () => {
    const fake = await startFakeLark({
      handlers: [mswHttp.get('*/open-apis/bot/v3/info', () => jsonResponse({ code: 0, bot: { open_id: 'ou_custom' } }))],
    });
    try {
      const read = async () =>
        ((await (await fetch(`${fake.url}/open-apis/bot/v3/info`)).json()) as { bot: { open_id: string } }).bot.open_id;
      expect(await read()).toBe('ou_custom');
      fake.use(mswHttp.get('*/open-apis/bot/v3/info', () => jsonResponse({ code: 0, bot: { open_id: 'ou_runtime' } })));
      expect(await read()).toBe('ou_runtime');
      fake.resetHandlers();
      expect(await read()).toBe('ou_custom');
      // defaults still present underneath
      const tok = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: 'a', app_secret: 'b' }),
      });
      expect(((await tok.json()) as { tenant_access_token: string }).tenant_access_token).toBe('t-a');
    } finally {
      await fake.close();
    }
  });

  it('honours latencyMs from the options', async () => {
    const fake = await startFakeLark({ latencyMs: 150 });
    try {
      const t0 = performance.now();
      await (await fetch(`${fake.url}/open-apis/bot/v3/info`)).json();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    } finally {
      await fake.close();
    }
  });

  it('close() resolves with an open keep-alive connection', async () => {
    const fake = await startFakeLark();
    const agent = new http.Agent({ keepAlive: true });
    try {
      // Node's global fetch (undici) keeps the connection alive by default.
      const res = await fetch(`${fake.url}/open-apis/bot/v3/info`);
      await res.json();
      // And a raw keep-alive socket through node:http.
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${fake.url}/open-apis/bot/v3/info`, { agent }, (r) => {
            r.resume();
            r.on('end', () => resolve());
          })
          .on('error', reject);
      });
      const t0 = performance.now();
      await fake.close();
      expect(performance.now() - t0).toBeLessThan(2000);
      // close() is idempotent.
      await fake.close();
      await expect(fetch(`${fake.url}/open-apis/bot/v3/info`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('close() resolves while a request is still waiting on latency', async () => {
    const fake = await startFakeLark({ latencyMs: 60_000 });
    const pending = fetch(`${fake.url}/open-apis/bot/v3/info`).then(
      () => 'answered',
      () => 'rejected',
    );
    // Wait until the request has reached the server.
    for (let i = 0; i < 100 && fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.requests).toHaveLength(1);
    const t0 = performance.now();
    await fake.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await pending).toBe('rejected');
  });
});
