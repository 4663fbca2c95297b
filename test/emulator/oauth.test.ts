/**
 * User authorization as Lark does it (docs/auth.md): the device flow, the token endpoint with its
 * device-code and refresh-token grants (rotation), user_info, app registration, the application
 * info of `auth scopes`, and the admin side of device logins. Times run on the emulator's clock.
 */
import { describe, expect, it } from 'vitest';
import { DEMO, useEmulator, type EmulatorHandle } from '../helpers/emulator.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

function deviceAuth(h: EmulatorHandle, scope: string, o: { id?: string; secret?: string; body?: Record<string, string> } = {}) {
  return h.call('POST', '/oauth/v1/device_authorization', {
    headers: { ...FORM, authorization: basic(o.id ?? DEMO.appId, o.secret ?? DEMO.appSecret) },
    body: form(o.body ?? { client_id: o.id ?? DEMO.appId, scope }),
  });
}

function tokenReq(h: EmulatorHandle, fields: Record<string, string>) {
  return h.call('POST', '/open-apis/authen/v2/oauth/token', { headers: FORM, body: form(fields) });
}

const poll = (h: EmulatorHandle, deviceCode: string, o: { id?: string; secret?: string } = {}) =>
  tokenReq(h, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: o.id ?? DEMO.appId, client_secret: o.secret ?? DEMO.appSecret });

const refresh = (h: EmulatorHandle, rt: string, extra: Record<string, string> = {}) =>
  tokenReq(h, { grant_type: 'refresh_token', refresh_token: rt, client_id: DEMO.appId, client_secret: DEMO.appSecret, ...extra });

const advance = (h: EmulatorHandle, s: number) => h.call('POST', '/_emulator/clock', { json: { advance_seconds: s } });

/** A whole auto-approved login: the token answer. */
async function login(h: EmulatorHandle, scope: string): Promise<any> {
  const a = await deviceAuth(h, scope);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  const t = await poll(h, a.body.device_code);
  expect(t.status, JSON.stringify(t.body)).toBe(200);
  return t.body;
}

describe('device flow, auto-approved as login_as', () => {
  const h = useEmulator();

  it('device authorization answers codes and a verification URI on the emulator itself', async () => {
    const r = await deviceAuth(h, 'im:message offline_access');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      device_code: expect.stringMatching(/^[a-z0-9]{40}$/),
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      verification_uri: `${h.url}/_emulator/device`,
      verification_uri_complete: `${h.url}/_emulator/device?user_code=${r.body.user_code}`,
      expires_in: 240,
      interval: 1,
    });
    const rec = h.emu.db.get('devices', r.body.device_code)!;
    expect(rec).toMatchObject({ app_id: DEMO.appId, scopes: ['im:message', 'offline_access'], status: 'approved', open_id: DEMO.alice });
  });

  it('device authorization refuses a missing or wrong client authentication and a mismatched client_id', async () => {
    const none = await h.call('POST', '/oauth/v1/device_authorization', { headers: FORM, body: form({ client_id: DEMO.appId, scope: 'im:message' }) });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'invalid_client' });
    const wrong = await deviceAuth(h, 'im:message', { secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const unknown = await deviceAuth(h, 'im:message', { id: 'cli_nobody', secret: 'x' });
    expect(unknown.status).toBe(401);
    const mismatch = await deviceAuth(h, '', { body: { client_id: 'cli_other', scope: 'im:message' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({ code: 20001, error: 'invalid_request' });
    expect(h.emu.db.t.devices.size).toBe(0);
  });

  it('the first poll answers the token; it works for user_info as Alice; the code cannot be used twice', async () => {
    const a = await deviceAuth(h, 'im:message im:chat:readonly offline_access');
    const t = await poll(h, a.body.device_code);
    expect(t.status).toBe(200);
    expect(t.body).toEqual({
      code: 0,
      access_token: expect.stringMatching(/^u-/),
      expires_in: 7200,
      refresh_token: expect.stringMatching(/^ur-/),
      refresh_token_expires_in: 604800,
      token_type: 'Bearer',
      scope: 'im:message im:chat:readonly offline_access',
    });
    const info = await h.call('GET', '/open-apis/authen/v1/user_info', { token: t.body.access_token });
    expect(info.status).toBe(200);
    expect(info.body.code).toBe(0);
    expect(info.body.data).toMatchObject({ open_id: DEMO.alice, name: 'Alice Chen', tenant_key: expect.any(String), union_id: expect.stringMatching(/^on_/) });
    for (const k of ['name', 'en_name', 'open_id', 'union_id', 'user_id', 'email', 'tenant_key', 'avatar_url', 'avatar_thumb', 'avatar_middle', 'avatar_big']) {
      expect(typeof info.body.data[k], k).toBe('string');
    }
    const again = await poll(h, a.body.device_code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant' });
    // the journal shows the grant, never the secrets
    const grants = h.journal().filter((j) => j.path === '/open-apis/authen/v2/oauth/token');
    expect(grants.map((j) => (j.body as any).grant_type)).toEqual([DEVICE_GRANT, DEVICE_GRANT]);
    expect(JSON.stringify(h.journal())).not.toContain(DEMO.appSecret);
    expect(JSON.stringify(h.journal())).not.toContain(a.body.device_code);
  });

  it('grants only the requested scopes the app has, plus offline_access; no refresh token without offline_access', async () => {
    const app = h.emu.db.get('apps', DEMO.appId)!;
    h.emu.db.put('apps', DEMO.appId, { ...app, scopes: ['im:message', 'im:chat:readonly'] });
    const t = await login(h, 'im:message search:message offline_access');
    expect(t.scope).toBe('im:message offline_access');
    const noOffline = await login(h, 'im:chat:readonly');
    // Lark accumulates what the user gave the app: im:message from the first login stays
    expect(noOffline.scope.split(' ').sort()).toEqual(['im:chat:readonly', 'im:message']);
    expect(noOffline.refresh_token).toBeUndefined();
    expect(noOffline.refresh_token_expires_in).toBeUndefined();
  });

  it('a poll for a code of another app, an unknown code, or with a wrong secret is refused', async () => {
    const a = await deviceAuth(h, 'im:message');
    const unknown = await poll(h, 'nope');
    expect(unknown.body.error).toBe('invalid_grant');
    const wrong = await poll(h, a.body.device_code, { secret: 'bad' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 20002, error: 'invalid_client' });
    const second = { app_id: 'cli_second0000000001', app_secret: 'second-secret', name: 'Second', scopes: '*' as const, bot_enabled: true, tenant_key: 'x', create_time: '0' };
    h.emu.db.put('apps', second.app_id, second);
    const other = await poll(h, a.body.device_code, { id: second.app_id, secret: second.app_secret });
    expect(other.body.error).toBe('invalid_grant');
    // still usable by its own app
    expect((await poll(h, a.body.device_code)).status).toBe(200);
  });

  it('the token endpoint validates its input', async () => {
    const noGrant = await tokenReq(h, { client_id: DEMO.appId, client_secret: DEMO.appSecret });
    expect(noGrant.body).toMatchObject({ code: 20001, error: 'invalid_request' });
    const noSecret = await tokenReq(h, { grant_type: 'refresh_token', client_id: DEMO.appId, refresh_token: 'x' });
    expect(noSecret.body).toMatchObject({ code: 20001, error: 'invalid_request' });
    const noCode = await tokenReq(h, { grant_type: DEVICE_GRANT, client_id: DEMO.appId, client_secret: DEMO.appSecret });
    expect(noCode.body).toMatchObject({ code: 20001, error: 'invalid_request' });
    const odd = await tokenReq(h, { grant_type: 'password', client_id: DEMO.appId, client_secret: DEMO.appSecret });
    expect(odd.status).toBe(400);
    expect(odd.body.error).toBe('unsupported_grant_type');
    const nested = await h.call('POST', '/open-apis/authen/v2/oauth/token', { json: { grant_type: { x: 1 } } });
    expect(nested.body).toMatchObject({ code: 20001, error: 'invalid_request' });
    const bad = await h.call('POST', '/open-apis/authen/v2/oauth/token', { body: '{bad', headers: { 'content-type': 'application/json' } });
    expect(bad.body.code).toBe(9499);
    // JSON bodies are accepted as well as forms
    const a = await deviceAuth(h, 'im:message');
    const j = await h.call('POST', '/open-apis/authen/v2/oauth/token', { json: { grant_type: DEVICE_GRANT, device_code: a.body.device_code, client_id: DEMO.appId, client_secret: DEMO.appSecret } });
    expect(j.status).toBe(200);
  });

  it('refresh rotates: a new pair, the old refresh token refused with 20073 afterwards, the old access token still valid until it expires', async () => {
    const t = await login(h, 'im:message offline_access');
    const r = await refresh(h, t.refresh_token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, token_type: 'Bearer', expires_in: 7200, refresh_token_expires_in: 604800, scope: 'im:message offline_access' });
    expect(r.body.access_token).not.toBe(t.access_token);
    expect(r.body.refresh_token).not.toBe(t.refresh_token);
    const reused = await refresh(h, t.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ code: 20073, error: 'invalid_grant', error_description: expect.stringContaining('used') });
    expect((await h.call('GET', '/open-apis/authen/v1/user_info', { token: t.access_token })).body.code).toBe(0);
    // the new refresh token works once
    const r2 = await refresh(h, r.body.refresh_token);
    expect(r2.status).toBe(200);
  });

  it('refresh can narrow the scope, not widen it', async () => {
    const t = await login(h, 'im:message im:chat:readonly offline_access');
    const wide = await refresh(h, t.refresh_token, { scope: 'im:message search:message' });
    expect(wide.body.error).toBe('invalid_scope');
    const narrow = await refresh(h, t.refresh_token, { scope: 'im:message offline_access' });
    expect(narrow.body.scope).toBe('im:message offline_access');
  });

  it('refresh refuses an unknown (20026), expired (20037) or foreign refresh token, and a wrong client (20002)', async () => {
    const t = await login(h, 'im:message offline_access');
    expect((await refresh(h, 'ur-nope')).body).toMatchObject({ code: 20026, error: 'invalid_grant' });
    const wrongClient = await tokenReq(h, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: DEMO.appId, client_secret: 'x' });
    expect(wrongClient.body).toMatchObject({ code: 20002, error: 'invalid_client' });
    const second = { app_id: 'cli_second0000000001', app_secret: 'second-secret', name: 'Second', scopes: '*' as const, bot_enabled: true, tenant_key: 'x', create_time: '0' };
    h.emu.db.put('apps', second.app_id, second);
    const foreign = await tokenReq(h, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: second.app_id, client_secret: second.app_secret });
    expect(foreign.body.code).toBe(20026);
    await advance(h, 7 * 86400 + 1);
    const expired = await refresh(h, t.refresh_token);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: 20037, error: 'invalid_grant' });
  });

  it('user tokens expire on the emulator clock (99991677), and a refresh brings a working one', async () => {
    const t = await login(h, 'im:message offline_access');
    await advance(h, 7201);
    const old = await h.call('GET', '/open-apis/authen/v1/user_info', { token: t.access_token });
    expect(old.status).toBe(400);
    expect(old.body.code).toBe(99991677);
    const r = await refresh(h, t.refresh_token);
    const fresh = await h.call('GET', '/open-apis/authen/v1/user_info', { token: r.body.access_token });
    expect(fresh.body.code).toBe(0);
  });

  it('user_info needs a user token', async () => {
    expect((await h.call('GET', '/open-apis/authen/v1/user_info')).body.code).toBe(99991661);
    expect((await h.call('GET', '/open-apis/authen/v1/user_info', { token: 'u-nope' })).body.code).toBe(99991663);
    const tat = await h.tenantToken();
    const r = await h.call('GET', '/open-apis/authen/v1/user_info', { token: tat });
    expect(r.body.code).toBe(99991668);
  });

  it('the device page lists the request', async () => {
    const a = await deviceAuth(h, 'im:message');
    const page = await h.call('GET', '/_emulator/device', { query: { user_code: a.body.user_code } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.raw.toString()).toContain(a.body.user_code);
    expect(page.raw.toString()).toContain('approved');
    expect((await h.call('GET', '/_emulator/device', { query: { user_code: 'ZZZZ-ZZZZ' } })).status).toBe(404);
  });
});

describe('device flow decided through the admin API (autoApprove false)', () => {
  const h = useEmulator({ autoApprove: false });

  it('pending until approved; polling faster than the interval is slow_down (+5 s)', async () => {
    const a = await deviceAuth(h, 'im:message offline_access');
    const p1 = await poll(h, a.body.device_code);
    expect(p1.status).toBe(400);
    expect(p1.body).toMatchObject({ error: 'authorization_pending' });
    const p2 = await poll(h, a.body.device_code);
    expect(p2.body.error).toBe('slow_down');
    expect(h.emu.db.get('devices', a.body.device_code)!.interval).toBe(6);
    const ok = await h.call('POST', '/_emulator/device/approve', { json: { user_code: a.body.user_code, open_id: DEMO.bob } });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ status: 'approved', open_id: DEMO.bob, app_id: DEMO.appId });
    // on time again only after the new interval
    await advance(h, 3);
    expect((await poll(h, a.body.device_code)).body.error).toBe('slow_down');
    await advance(h, 12);
    const t = await poll(h, a.body.device_code);
    expect(t.status).toBe(200);
    const info = await h.call('GET', '/open-apis/authen/v1/user_info', { token: t.body.access_token });
    expect(info.body.data.open_id).toBe(DEMO.bob);
  });

  it('approve without open_id signs in as login_as', async () => {
    const a = await deviceAuth(h, 'im:message');
    await h.call('POST', '/_emulator/device/approve', { json: { user_code: a.body.user_code.toLowerCase() } });
    const t = await poll(h, a.body.device_code);
    expect(h.emu.db.get('access_tokens', t.body.access_token)!.open_id).toBe(DEMO.alice);
  });

  it('deny gives access_denied, then the code is spent', async () => {
    const a = await deviceAuth(h, 'im:message');
    const d = await h.call('POST', '/_emulator/device/deny', { json: { user_code: a.body.user_code } });
    expect(d.body.data).toEqual({ user_code: a.body.user_code, status: 'denied' });
    const p = await poll(h, a.body.device_code);
    expect(p.body).toMatchObject({ error: 'access_denied' });
    await advance(h, 10);
    expect((await poll(h, a.body.device_code)).body.error).toBe('invalid_grant');
  });

  it('a device code expires after expires_in on the emulator clock', async () => {
    const a = await deviceAuth(h, 'im:message');
    await advance(h, 241);
    expect((await poll(h, a.body.device_code)).body.error).toBe('expired_token');
    const late = await h.call('POST', '/_emulator/device/approve', { json: { user_code: a.body.user_code } });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe(99992402);
  });

  it('approve and deny validate their input', async () => {
    const a = await deviceAuth(h, 'im:message');
    const unknown = await h.call('POST', '/_emulator/device/approve', { json: { user_code: 'ZZZZ-ZZZZ' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(99992402);
    const missing = await h.call('POST', '/_emulator/device/approve', { json: {} });
    expect(missing.status).toBe(400);
    const who = await h.call('POST', '/_emulator/device/approve', { json: { user_code: a.body.user_code, open_id: 'ou_nobody' } });
    expect(who.body.error.field_violations[0].field).toBe('open_id');
    const extra = await h.call('POST', '/_emulator/device/deny', { json: { user_code: a.body.user_code, why: 'x' } });
    expect(extra.status).toBe(400);
    const arr = await h.call('POST', '/_emulator/device/deny', { json: [1] });
    expect(arr.body.code).toBe(99992402);
    await h.call('POST', '/_emulator/device/deny', { json: { user_code: a.body.user_code } });
    const twice = await h.call('POST', '/_emulator/device/approve', { json: { user_code: a.body.user_code } });
    expect(twice.body.error.field_violations[0].description).toMatch(/already decided/);
  });

  it('the page approves by a form post and redirects back', async () => {
    const a = await deviceAuth(h, 'im:message');
    const page = await h.call('GET', '/_emulator/device');
    expect(page.raw.toString()).toContain('<form method="post" action="/_emulator/device/approve">');
    const res = await fetch(`${h.url}/_emulator/device/approve`, { method: 'POST', redirect: 'manual', headers: FORM, body: form({ user_code: a.body.user_code, open_id: DEMO.carol }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/_emulator/device?user_code=${a.body.user_code}`);
    expect(h.emu.db.get('devices', a.body.device_code)).toMatchObject({ status: 'approved', open_id: DEMO.carol });
  });

  it('app registration waits for approval, then answers the new app; deny answers access_denied', async () => {
    const begin = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'begin', archetype: 'PersonalAgent', auth_method: 'client_secret', request_user_info: 'open_id tenant_brand' }) });
    expect(begin.status).toBe(200);
    expect(begin.body).toMatchObject({ device_code: expect.any(String), user_code: expect.any(String), expires_in: 300, interval: 1 });
    const p = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: begin.body.device_code }) });
    expect(p.body.error).toBe('authorization_pending');
    const ok = await h.call('POST', '/_emulator/device/approve', { json: { user_code: begin.body.user_code, open_id: DEMO.bob } });
    expect(ok.body.data).toMatchObject({ status: 'done', open_id: DEMO.bob, app_id: expect.stringMatching(/^cli_/) });
    await advance(h, 2);
    const done = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: begin.body.device_code }) });
    expect(done.body).toEqual({ client_id: ok.body.data.app_id, client_secret: expect.any(String), user_info: { open_id: DEMO.bob, tenant_brand: 'feishu' } });
    expect(h.emu.db.get('apps', done.body.client_id)!.scopes).toBe('*');

    const b2 = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'begin' }) });
    await h.call('POST', '/_emulator/device/deny', { json: { user_code: b2.body.user_code } });
    const denied = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: b2.body.device_code }) });
    expect(denied.body.error).toBe('access_denied');
  });
});

describe('app registration (auto-approved) and the application info of auth scopes', () => {
  const h = useEmulator();

  it('registration answers working credentials of a new app with every scope at the first poll', async () => {
    const begin = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'begin', archetype: 'PersonalAgent', auth_method: 'client_secret' }) });
    const done = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: begin.body.device_code }) });
    expect(done.status).toBe(200);
    expect(done.body.user_info).toEqual({ open_id: DEMO.alice, tenant_brand: 'feishu' });
    const tat = await h.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { json: { app_id: done.body.client_id, app_secret: done.body.client_secret } });
    expect(tat.body.code).toBe(0);
  });

  it('registration validates its input', async () => {
    const none = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: '' });
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('invalid_request');
    const odd = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'begin', auth_method: 'private_key_jwt' }) });
    expect(odd.body.error).toBe('invalid_request');
    const unknown = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: 'nope' }) });
    expect(unknown.body.error).toBe('invalid_grant');
    const b = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'begin' }) });
    await advance(h, 301);
    const late = await h.call('POST', '/oauth/v1/app/registration', { headers: FORM, body: form({ action: 'poll', device_code: b.body.device_code }) });
    expect(late.body.error).toBe('expired_token');
  });

  it('GET application lists the app scopes with their token types', async () => {
    const tat = await h.tenantToken();
    const r = await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { token: tat, query: { lang: 'zh_cn' } });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    expect(r.body.data.app).toMatchObject({ app_id: DEMO.appId, app_name: 'Demo Bot' });
    const scopes = r.body.data.app.scopes as Array<{ scope: string; token_types: string[] }>;
    const byName = new Map(scopes.map((s) => [s.scope, s.token_types]));
    expect(byName.get('offline_access')).toEqual(['user']);
    expect(byName.get('application:application:self_manage')).toContain('tenant');
    expect(byName.get('im:message')).toEqual(['tenant', 'user']);
    for (const s of scopes) expect(s.token_types.length, s.scope).toBeGreaterThan(0);
  });

  it('an app with a scope list shows exactly those', async () => {
    const app = h.emu.db.get('apps', DEMO.appId)!;
    h.emu.db.put('apps', DEMO.appId, { ...app, scopes: ['application:application:self_manage', 'im:message', 'offline_access'] });
    const tat = await h.tenantToken();
    const r = await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { token: tat, query: { lang: 'en_us' } });
    expect(r.body.data.app.scopes.map((s: any) => s.scope)).toEqual(['application:application:self_manage', 'im:message', 'offline_access']);
  });

  it('GET application: lang is required, another app is not found, the scope is needed', async () => {
    const tat = await h.tenantToken();
    const noLang = await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { token: tat });
    expect(noLang.body.code).toBe(99992402);
    const badLang = await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { token: tat, query: { lang: 'xx' } });
    expect(badLang.body.code).toBe(99992402);
    const other = await h.call('GET', '/open-apis/application/v6/applications/cli_nobody', { token: tat, query: { lang: 'zh_cn' } });
    expect(other.body.code).toBe(210504);
    expect((await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { query: { lang: 'zh_cn' } })).body.code).toBe(99991661);
    const app = h.emu.db.get('apps', DEMO.appId)!;
    h.emu.db.put('apps', DEMO.appId, { ...app, scopes: ['im:message'] });
    const refused = await h.call('GET', `/open-apis/application/v6/applications/${DEMO.appId}`, { token: tat, query: { lang: 'zh_cn' } });
    expect(refused.body.code).toBe(99991672);
    expect(refused.body.error.permission_violations.map((v: any) => v.subject)).toContain('application:application:self_manage');
  });
});
