import { describe, expect, it } from 'vitest';
import { DEMO, useEmulator } from '../helpers/emulator.js';

describe('emulator core', () => {
  const h = useEmulator();

  it('issues a tenant token for the right secret and 99991543 for a wrong one', async () => {
    const good = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: { app_id: DEMO.appId, app_secret: DEMO.appSecret } });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ code: 0, expire: 7200 });
    expect(good.body.tenant_access_token).toMatch(/^t-/);
    const bad = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: { app_id: DEMO.appId, app_secret: 'nope' } });
    expect(bad.body.code).toBe(99991543);
    expect(h.journal().map((j) => j.code)).toEqual([0, 99991543]);
    expect(JSON.stringify(h.journal())).not.toContain(DEMO.appSecret);
  });

  it('answers an unknown path with Lark 404 shape and a missing token with 99991661', async () => {
    const r = await h.call('GET', '/open-apis/nope/v1/x');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(404);
    expect(r.body.msg).toBe('404 page not found');
  });

  it('rejects malformed JSON with Lark error shape', async () => {
    const r = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: '{oops', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(9499);
  });

  it('admin: faults answer the next matching requests, then stop', async () => {
    const f = await h.call('POST', '/_emulator/faults', { json: { path: '/open-apis/auth/v3/*', status: 429, times: 2 } });
    expect(f.body.code).toBe(0);
    const body = { json: { app_id: DEMO.appId, app_secret: DEMO.appSecret } };
    const a = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', body);
    expect(a.status).toBe(429);
    expect(a.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    expect(a.body.code).toBe(99991400);
    await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', body);
    const c = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', body);
    expect(c.status).toBe(200);
    expect(h.journal().map((j) => j.fault ?? false)).toEqual([true, true, false]);
  });

  it('admin: a dropped connection closes the socket', async () => {
    await h.call('POST', '/_emulator/faults', { json: { path: '/open-apis/auth/v3/tenant_access_token/internal', drop: true } });
    await expect(h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: {} })).rejects.toThrow();
  });

  it('admin: bad fault definitions get the Lark error shape', async () => {
    const r = await h.call('POST', '/_emulator/faults', { json: { path: 'x', status: 'no' } });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(99992402);
  });

  it('admin: clock advance expires tenant tokens', async () => {
    const tok = await h.tenantToken();
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 7201 } });
    // any authenticated endpoint would do; the admin message endpoint needs none, so use a user token path later
    const rec = h.emu.db.get('access_tokens', tok)!;
    expect(rec.expires_at).toBeLessThan(h.emu.clock.now());
  });

  it('admin: a simulated user posts a message', async () => {
    const r = await h.call('POST', '/_emulator/messages', { json: { chat_id: DEMO.project, sender: DEMO.bob, msg_type: 'text', content: '{"text":"hello"}' } });
    expect(r.body.code).toBe(0);
    expect(r.body.data.message_id).toMatch(/^om_/);
    expect(r.body.data.sender).toMatchObject({ id: DEMO.bob, id_type: 'open_id', sender_type: 'user' });
    const out = await h.call('POST', '/_emulator/messages', { json: { chat_id: DEMO.project, sender: DEMO.dave, msg_type: 'text', content: '{"text":"x"}' } });
    expect(out.body.code).toBe(230002);
  });

  it('admin: reset goes back to the seed', async () => {
    await h.call('POST', '/_emulator/messages', { json: { chat_id: DEMO.project, sender: DEMO.bob, msg_type: 'text', content: '{"text":"hello"}' } });
    const before = h.emu.db.t.messages.size;
    await h.call('POST', '/_emulator/reset');
    expect(h.emu.db.t.messages.size).toBe(before - 1);
  });
});
