/**
 * User authorization as Lark does it (docs/auth.md): the OAuth device flow of `auth login`, the token
 * endpoint (device-code and refresh-token grants, refresh tokens rotated), `authen/v1/user_info`,
 * the app registration of `config init --new`, the application info `auth scopes` reads, and the
 * admin side of device logins (approve / deny, and a small page at /_emulator/device).
 *
 * Device logins and registrations are approved at once as the seed's `login_as` user unless the
 * emulator runs with autoApprove false (`--no-auto-approve`); then POST /_emulator/device/approve
 * or /deny decides. Every time is the emulator's clock.
 *
 * The OAuth endpoints answer in OAuth's shape (`error`, `error_description`, plus Lark's numeric
 * `code` where Lark documents one: 20001 invalid request, 20002 client authentication, 20026
 * invalid / 20037 expired / 20064 revoked / 20073 already used refresh token), not Lark's
 * `{code,msg}` envelope.
 */
import type { Emulator } from '../emulator.js';
import { fieldError, LarkError, newId, ok, type Reply } from '../lark.js';
import { issueGrant, tokenAnswer } from '../model/tokens.js';
import { routeRegistry, type EmuRequest, type Route } from '../router.js';
import type { AppRec, DeviceRec, RegistrationRec } from '../state.js';

/** Seconds a device code lives (Lark answers 240) and the poll interval the emulator asks for. */
export const DEVICE_EXPIRES_IN = 240;
/** Lark asks for 5 s; the emulator asks for 1 s so that a login takes a second, not five. */
export const DEVICE_INTERVAL = 1;
/** Seconds an app registration lives. */
export const REGISTRATION_EXPIRES_IN = 300;
/** A poll this much earlier than the interval still counts as on time (timer jitter). */
const POLL_TOLERANCE_MS = 50;

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function oauthError(status: number, error: string, description: string, code?: number): Reply {
  const body: Record<string, unknown> = {};
  if (code !== undefined) body.code = code;
  body.error = error;
  body.error_description = description;
  return { status, headers: JSON_HEADERS, body };
}

const jsonReply = (body: unknown, status = 200): Reply => ({ status, headers: JSON_HEADERS, body });

/** The request's fields: a form, or a JSON object of strings. */
function fieldsOf(req: EmuRequest): Record<string, string> | undefined {
  if (req.form) return req.form;
  if (req.json === undefined) return {};
  if (!req.json || typeof req.json !== 'object' || Array.isArray(req.json)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.json as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else return undefined;
  }
  return out;
}

/** `Authorization: Basic base64(id:secret)`. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  const dec = (x: string) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  };
  return { id: dec(text.slice(0, i)), secret: dec(text.slice(i + 1)) };
}

function authenticApp(emu: Emulator, id: string, secret: string): AppRec | undefined {
  const app = emu.db.get('apps', id);
  return app && app.app_secret === secret ? app : undefined;
}

/** The emulator's own address as the client reached it (for verification URIs). */
function baseUrl(req: EmuRequest): string {
  const host = req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : '127.0.0.1';
  return `http://${host}`;
}

/** The answer that starts a device login or an app registration: the codes and where to approve them. */
function deviceAnswer(req: EmuRequest, rec: { device_code: string; user_code: string }, expiresIn: number): Reply {
  const uri = `${baseUrl(req)}/_emulator/device`;
  return jsonReply({
    device_code: rec.device_code,
    user_code: rec.user_code,
    verification_uri: uri,
    verification_uri_complete: `${uri}?user_code=${encodeURIComponent(rec.user_code)}`,
    expires_in: expiresIn,
    interval: DEVICE_INTERVAL,
  });
}

function uniqueWords(s: string): string[] {
  return [...new Set(s.split(/\s+/).filter(Boolean))];
}

function freshUserCode(emu: Emulator): string {
  for (;;) {
    const c = newId.userCode();
    if (!findByUserCode(emu, c)) return c;
  }
}

function findByUserCode(emu: Emulator, userCode: string): { kind: 'device'; rec: DeviceRec } | { kind: 'registration'; rec: RegistrationRec } | undefined {
  const want = userCode.trim().toUpperCase();
  for (const d of emu.db.t.devices.values()) if (d.user_code === want) return { kind: 'device', rec: d };
  for (const r of emu.db.t.registrations.values()) if (r.user_code === want) return { kind: 'registration', rec: r };
  return undefined;
}

/** The user a login is approved as without asking: the seed's login_as, when it exists. */
function autoUser(emu: Emulator): string | undefined {
  if (!emu.autoApprove) return undefined;
  const u = emu.loginAs;
  return u && emu.db.get('users', u) ? u : undefined;
}

// ---- grants: the scopes a user has given an app (Lark accumulates them across logins) ----

function grantKey(appId: string, openId: string): string {
  return `grant:${appId}:${openId}`;
}

/**
 * The scopes a token of this login carries: those requested that the app has been granted, plus
 * what the user gave the app before, plus offline_access when asked for.
 */
function grantScopes(emu: Emulator, app: AppRec, openId: string, requested: string[]): string[] {
  const prev = emu.db.get('meta', grantKey(app.app_id, openId))?.value;
  const set = new Set<string>(Array.isArray(prev) ? (prev as string[]) : []);
  for (const s of requested) {
    if (s === 'offline_access') continue;
    if (app.scopes === '*' || app.scopes.includes(s)) set.add(s);
  }
  const list = [...set];
  emu.db.put('meta', grantKey(app.app_id, openId), { key: grantKey(app.app_id, openId), value: [...list] });
  if (requested.includes('offline_access')) list.push('offline_access');
  return list;
}

// ---- POST /oauth/v1/device_authorization ----

function deviceAuthorization(req: EmuRequest, emu: Emulator): Reply {
  const f = fieldsOf(req);
  if (!f) return oauthError(400, 'invalid_request', 'The request body must be form fields (application/x-www-form-urlencoded).', 20001);
  const basic = basicCredentials(req.headers.authorization);
  const id = basic?.id ?? f.client_id;
  const secret = basic?.secret ?? f.client_secret;
  if (!id || secret === undefined) return oauthError(401, 'invalid_client', 'Client authentication failed: send the app id and secret as HTTP Basic credentials.', 20002);
  const app = authenticApp(emu, id, secret);
  if (!app) return oauthError(401, 'invalid_client', 'Client authentication failed: the app id or app secret is invalid.', 20002);
  if (f.client_id !== undefined && f.client_id !== app.app_id) return oauthError(400, 'invalid_request', 'client_id does not match the authenticated client.', 20001);
  const scopes = uniqueWords(f.scope ?? '');
  const now = emu.clock.now();
  const auto = autoUser(emu);
  const rec: DeviceRec = {
    device_code: newId.deviceCode(),
    user_code: freshUserCode(emu),
    app_id: app.app_id,
    scopes,
    status: auto ? 'approved' : 'pending',
    expires_at: now + DEVICE_EXPIRES_IN * 1000,
    interval: DEVICE_INTERVAL,
  };
  if (auto) rec.open_id = auto;
  emu.db.put('devices', rec.device_code, rec);
  return deviceAnswer(req, rec, DEVICE_EXPIRES_IN);
}

// ---- POST /open-apis/authen/v2/oauth/token ----

function token(req: EmuRequest, emu: Emulator): Reply {
  const f = fieldsOf(req);
  if (!f) return oauthError(400, 'invalid_request', 'The request body must be form fields or a JSON object of strings.', 20001);
  const grant = f.grant_type;
  if (!grant) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: grant_type.', 20001);
  const basic = basicCredentials(req.headers.authorization);
  const id = f.client_id ?? basic?.id;
  const secret = f.client_secret ?? basic?.secret;
  if (!id) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: client_id.', 20001);
  if (secret === undefined) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: client_secret.', 20001);
  const app = authenticApp(emu, id, secret);
  if (!app) return oauthError(400, 'invalid_client', 'Client authentication failed: the client_id or client_secret is invalid.', 20002);
  if (grant === DEVICE_GRANT) return deviceGrant(f, app, emu);
  if (grant === 'refresh_token') return refreshGrant(f, app, emu);
  if (grant === 'authorization_code') return oauthError(400, 'invalid_grant', 'The authorization code is invalid (the emulator issues no authorization codes; use the device flow).');
  return oauthError(400, 'unsupported_grant_type', `The grant_type "${grant}" is not supported.`);
}

function deviceGrant(f: Record<string, string>, app: AppRec, emu: Emulator): Reply {
  const code = f.device_code;
  if (!code) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: device_code.', 20001);
  const rec = emu.db.get('devices', code);
  if (!rec || rec.app_id !== app.app_id) return oauthError(400, 'invalid_grant', 'The device_code is invalid.');
  const now = emu.clock.now();
  if (rec.consumed) return oauthError(400, 'invalid_grant', 'The device_code has already been used.');
  if (now >= rec.expires_at) return oauthError(400, 'expired_token', 'The device_code has expired.');
  if (rec.last_poll !== undefined && now - rec.last_poll < rec.interval * 1000 - POLL_TOLERANCE_MS) {
    // RFC 8628 §3.5: the client must add 5 seconds to its interval, for this and later polls
    emu.db.put('devices', rec.device_code, { ...rec, last_poll: now, interval: rec.interval + 5 });
    return oauthError(400, 'slow_down', `Polling too frequently: wait at least ${rec.interval + 5} seconds between polls.`);
  }
  if (rec.status === 'denied') {
    emu.db.put('devices', rec.device_code, { ...rec, last_poll: now, consumed: true });
    return oauthError(400, 'access_denied', 'The user denied the authorization request.');
  }
  if (rec.status === 'pending') {
    emu.db.put('devices', rec.device_code, { ...rec, last_poll: now });
    return oauthError(400, 'authorization_pending', 'The user has not yet completed authorization.');
  }
  const openId = rec.open_id!;
  if (!emu.db.get('users', openId)) return oauthError(400, 'invalid_grant', 'The user who approved the request no longer exists.');
  emu.db.put('devices', rec.device_code, { ...rec, last_poll: now, consumed: true });
  const scopes = grantScopes(emu, app, openId, rec.scopes);
  const g = issueGrant(emu.db, app.app_id, openId, scopes, now, scopes.includes('offline_access'));
  return jsonReply(tokenAnswer(g, now));
}

function refreshGrant(f: Record<string, string>, app: AppRec, emu: Emulator): Reply {
  const rt = f.refresh_token;
  if (!rt) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: refresh_token.', 20001);
  const rec = emu.db.get('refresh_tokens', rt);
  if (!rec || rec.app_id !== app.app_id) return oauthError(400, 'invalid_grant', 'The refresh token passed is invalid.', 20026);
  if (rec.used) return oauthError(400, 'invalid_grant', 'The refresh token has been used. Each refresh token can be used only once.', 20073);
  const now = emu.clock.now();
  if (now >= rec.expires_at) return oauthError(400, 'invalid_grant', 'The refresh token passed has expired.', 20037);
  if (!emu.db.get('users', rec.open_id)) return oauthError(400, 'invalid_grant', 'The refresh token has been revoked.', 20064);
  // an optional narrower scope (Lark's `scope` parameter of the refresh grant)
  let scopes = rec.scopes;
  if (f.scope !== undefined && f.scope.trim() !== '') {
    const want = uniqueWords(f.scope);
    const extra = want.filter((s) => !rec.scopes.includes(s));
    if (extra.length) return oauthError(400, 'invalid_scope', `The requested scope exceeds the original grant: ${extra.join(' ')}.`);
    scopes = want;
  }
  emu.db.put('refresh_tokens', rt, { ...rec, used: true });
  const g = issueGrant(emu.db, app.app_id, rec.open_id, scopes, now, true);
  return jsonReply(tokenAnswer(g, now));
}

// ---- GET /open-apis/authen/v1/user_info ----

const AVATAR = 'https://s1-imfile.feishucdn.com/static-resource/v1/v3_default_avatar~?image_size=';

function userInfo(req: EmuRequest): Reply {
  const u = req.caller!.user!;
  const tail = u.open_id.slice(3, 11);
  return ok({
    name: u.name,
    en_name: u.en_name,
    avatar_url: `${AVATAR}72x72&format=png`,
    avatar_thumb: `${AVATAR}72x72&format=png`,
    avatar_middle: `${AVATAR}240x240&format=png`,
    avatar_big: `${AVATAR}640x640&format=png`,
    open_id: u.open_id,
    union_id: u.union_id,
    email: u.email,
    enterprise_email: u.email,
    user_id: u.user_id,
    mobile: '',
    tenant_key: u.tenant_key,
    employee_no: tail,
  });
}

// ---- POST /oauth/v1/app/registration (config init --new) ----

function makeApp(emu: Emulator, openId: string | undefined, now: number): AppRec {
  const owner = openId ? emu.db.get('users', openId) : undefined;
  const first = [...emu.db.t.apps.values()][0];
  let app_id = newId.app();
  while (emu.db.get('apps', app_id)) app_id = newId.app();
  const n = emu.db.t.apps.size + 1;
  const app: AppRec = {
    app_id,
    app_secret: newId.secret(),
    name: owner ? `${owner.name}'s CLI App` : `CLI App ${n}`,
    scopes: '*',
    bot_enabled: true,
    tenant_key: owner?.tenant_key ?? first?.tenant_key ?? '736588c9260f175d',
    create_time: String(now),
  };
  emu.db.put('apps', app_id, app);
  return app;
}

function registration(req: EmuRequest, emu: Emulator): Reply {
  const f = fieldsOf(req);
  if (!f) return oauthError(400, 'invalid_request', 'The request body must be form fields (application/x-www-form-urlencoded).');
  const now = emu.clock.now();
  if (f.action === 'begin') {
    if (f.auth_method !== undefined && f.auth_method !== 'client_secret') return oauthError(400, 'invalid_request', `auth_method "${f.auth_method}" is not supported (use client_secret).`);
    const auto = autoUser(emu);
    const rec: RegistrationRec = {
      device_code: newId.deviceCode(),
      user_code: freshUserCode(emu),
      status: 'pending',
      expires_at: now + REGISTRATION_EXPIRES_IN * 1000,
      interval: DEVICE_INTERVAL,
    };
    if (auto) {
      rec.status = 'done';
      rec.open_id = auto;
      rec.app_id = makeApp(emu, auto, now).app_id;
    }
    emu.db.put('registrations', rec.device_code, rec);
    return deviceAnswer(req, rec, REGISTRATION_EXPIRES_IN);
  }
  if (f.action === 'poll') {
    if (!f.device_code) return oauthError(400, 'invalid_request', 'The request is missing a required parameter: device_code.');
    const rec = emu.db.get('registrations', f.device_code);
    if (!rec) return oauthError(400, 'invalid_grant', 'The device_code is invalid.');
    if (now >= rec.expires_at) return oauthError(400, 'expired_token', 'The device_code has expired.');
    if (rec.last_poll !== undefined && now - rec.last_poll < rec.interval * 1000 - POLL_TOLERANCE_MS) {
      emu.db.put('registrations', rec.device_code, { ...rec, last_poll: now, interval: rec.interval + 5 });
      return oauthError(400, 'slow_down', `Polling too frequently: wait at least ${rec.interval + 5} seconds between polls.`);
    }
    emu.db.put('registrations', rec.device_code, { ...rec, last_poll: now });
    if (rec.status === 'denied') return oauthError(400, 'access_denied', 'The user denied the app registration.');
    if (rec.status === 'pending') return oauthError(400, 'authorization_pending', 'The user has not yet completed the app configuration.');
    const app = rec.app_id ? emu.db.get('apps', rec.app_id) : undefined;
    if (!app) return oauthError(400, 'invalid_grant', 'The registered app no longer exists.');
    return jsonReply({ client_id: app.app_id, client_secret: app.app_secret, user_info: { open_id: rec.open_id ?? '', tenant_brand: 'feishu' } });
  }
  return oauthError(400, 'invalid_request', f.action ? `Unsupported action "${f.action}" (begin or poll).` : 'The request is missing a required parameter: action.');
}

// ---- GET /open-apis/application/v6/applications/:app_id (auth scopes) ----

const EXTRA_SCOPES: Record<string, string[]> = {
  offline_access: ['user'],
  'application:application:self_manage': ['tenant'],
  'application:application:readonly': ['tenant', 'user'],
};

let scopeTypes: Map<string, string[]> | undefined;
/** Scope -> token types, from the routes: bot-only endpoints' scopes are tenant scopes, and so on. */
function tokenTypesOf(): Map<string, string[]> {
  if (scopeTypes) return scopeTypes;
  const m = new Map<string, Set<string>>();
  const add = (s: string, types: string[]) => {
    let set = m.get(s);
    if (!set) m.set(s, (set = new Set()));
    for (const t of types) set.add(t);
  };
  for (const r of routeRegistry()) {
    const types = r.auth === 'tenant' ? ['tenant'] : r.auth === 'user' ? ['user'] : r.auth === 'any' ? ['tenant', 'user'] : [];
    for (const s of r.scopes ?? []) add(s, types);
  }
  for (const [s, t] of Object.entries(EXTRA_SCOPES)) add(s, t);
  scopeTypes = new Map([...m].map(([s, set]) => [s, ['tenant', 'user'].filter((t) => set.has(t))]));
  return scopeTypes;
}

const LANGS = ['zh_cn', 'en_us', 'ja_jp'];

function application(req: EmuRequest, emu: Emulator): Reply {
  const lang = req.query.get('lang');
  if (!lang) throw fieldError('lang', 'lang is required (zh_cn, en_us or ja_jp)');
  if (!LANGS.includes(lang)) throw fieldError('lang', 'lang must be one of zh_cn, en_us, ja_jp');
  const caller = req.caller!;
  const app = emu.db.get('apps', req.params.app_id ?? '');
  if (!app || app.app_id !== caller.app.app_id) {
    throw new LarkError(210504, 'app not found', 400, undefined, app ? `app ${app.app_id} may read only its own information` : `unknown app ${req.params.app_id ?? ''}`);
  }
  const types = tokenTypesOf();
  const names = app.scopes === '*' ? [...types.keys()].sort() : app.scopes;
  const scopes = names.map((s) => ({ scope: s, description: '', level: 1, token_types: types.get(s) ?? ['tenant', 'user'] }));
  const loginAs = emu.loginAs;
  return ok({
    app: {
      app_id: app.app_id,
      creator_id: loginAs ?? '',
      status: 1,
      scene_type: 0,
      payment_type: 0,
      redirect_urls: [],
      online_version_id: '',
      unaudit_version_id: '',
      app_name: app.name,
      avatar_url: `${AVATAR}240x240&format=png`,
      description: '',
      scopes,
      back_home_url: '',
      i18n: [{ i18n_key: lang, name: app.name, description: '' }],
      primary_language: 'zh_cn',
      common_categories: [],
      owner: { type: 2, owner_id: loginAs ?? '', name: loginAs ? emu.displayName(loginAs) : '' },
    },
  });
}

// ---- admin: /_emulator/device (page), approve, deny ----

function adminBad(field: string, msg: string, status = 400): LarkError {
  return new LarkError(99992402, 'field validation failed', status, { field_violations: [{ field, description: msg }] }, msg);
}

function adminFields(req: EmuRequest): Record<string, unknown> {
  if (req.form) return req.form;
  const b = req.json ?? {};
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw adminBad('body', 'the body must be a JSON object');
  return b as Record<string, unknown>;
}

function pendingOr(emu: Emulator, userCode: unknown) {
  if (typeof userCode !== 'string' || userCode.trim() === '') throw adminBad('user_code', 'user_code is required');
  const hit = findByUserCode(emu, userCode);
  if (!hit) throw adminBad('user_code', `no device authorization or app registration has user_code "${userCode}"`, 404);
  if (emu.clock.now() >= hit.rec.expires_at) throw adminBad('user_code', `the request "${userCode}" has expired`);
  if (hit.rec.status !== 'pending') throw adminBad('user_code', `the request "${userCode}" was already decided (${hit.rec.status})`);
  return hit;
}

/** Form posts from the page go back to it; API callers get JSON. */
function decided(req: EmuRequest, userCode: string, data: Record<string, unknown>): Reply {
  if (req.form) return { status: 303, headers: { location: `/_emulator/device?user_code=${encodeURIComponent(userCode)}` }, body: undefined };
  return ok(data);
}

function approve(req: EmuRequest, emu: Emulator): Reply {
  const b = adminFields(req);
  for (const k of Object.keys(b)) if (!['user_code', 'open_id'].includes(k)) throw adminBad(k, `unknown key "${k}"`);
  const hit = pendingOr(emu, b.user_code);
  const openId = b.open_id === undefined || b.open_id === '' ? emu.loginAs : b.open_id;
  if (typeof openId !== 'string' || !emu.db.get('users', openId)) throw adminBad('open_id', `unknown user "${String(openId ?? '')}"`);
  if (hit.kind === 'device') {
    emu.db.put('devices', hit.rec.device_code, { ...hit.rec, status: 'approved', open_id: openId });
    return decided(req, hit.rec.user_code, { user_code: hit.rec.user_code, status: 'approved', open_id: openId, app_id: hit.rec.app_id, scopes: hit.rec.scopes });
  }
  const app = makeApp(emu, openId, emu.clock.now());
  emu.db.put('registrations', hit.rec.device_code, { ...hit.rec, status: 'done', open_id: openId, app_id: app.app_id });
  return decided(req, hit.rec.user_code, { user_code: hit.rec.user_code, status: 'done', open_id: openId, app_id: app.app_id });
}

function deny(req: EmuRequest, emu: Emulator): Reply {
  const b = adminFields(req);
  for (const k of Object.keys(b)) if (k !== 'user_code') throw adminBad(k, `unknown key "${k}"`);
  const hit = pendingOr(emu, b.user_code);
  if (hit.kind === 'device') emu.db.put('devices', hit.rec.device_code, { ...hit.rec, status: 'denied' });
  else emu.db.put('registrations', hit.rec.device_code, { ...hit.rec, status: 'denied' });
  return decided(req, hit.rec.user_code, { user_code: hit.rec.user_code, status: 'denied' });
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function devicePage(req: EmuRequest, emu: Emulator): Reply {
  const code = req.query.get('user_code') ?? '';
  const now = emu.clock.now();
  const rows: string[] = [];
  const users = [...emu.db.t.users.values()];
  const pick = (sel: string | undefined) => `<select name="open_id">${users.map((u) => `<option value="${esc(u.open_id)}"${u.open_id === sel ? ' selected' : ''}>${esc(u.name)} (${esc(u.open_id)})</option>`).join('')}</select>`;
  const show = (kind: string, userCode: string, status: string, what: string, expired: boolean) => {
    const state = expired && status === 'pending' ? 'expired' : status;
    const actions =
      state === 'pending'
        ? `<form method="post" action="/_emulator/device/approve"><input type="hidden" name="user_code" value="${esc(userCode)}">${pick(emu.loginAs)} <button>Approve</button></form>` +
          `<form method="post" action="/_emulator/device/deny"><input type="hidden" name="user_code" value="${esc(userCode)}"><button>Deny</button></form>`
        : '';
    rows.push(`<tr><td><code>${esc(userCode)}</code></td><td>${esc(kind)}</td><td>${esc(what)}</td><td>${esc(state)}</td><td>${actions}</td></tr>`);
  };
  for (const d of emu.db.t.devices.values()) {
    if (code && d.user_code !== code.toUpperCase()) continue;
    show('login', d.user_code, d.status, `${d.app_id}: ${d.scopes.join(' ') || '(no scopes)'}${d.open_id ? ` as ${emu.displayName(d.open_id)}` : ''}`, now >= d.expires_at);
  }
  for (const r of emu.db.t.registrations.values()) {
    if (code && r.user_code !== code.toUpperCase()) continue;
    show('app registration', r.user_code, r.status, r.app_id ? `app ${r.app_id}` : 'a new app with every scope', now >= r.expires_at);
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Lark emulator: device authorization</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em .6em;text-align:left}form{display:inline}</style></head>
<body><h1>Device authorization</h1><p>${code ? `Request <code>${esc(code)}</code>` : 'Every request'} (auto-approve is ${emu.autoApprove ? 'on' : 'off'}).</p>
<table><tr><th>User code</th><th>Kind</th><th>What</th><th>Status</th><th></th></tr>${rows.join('') || '<tr><td colspan="5">No such request.</td></tr>'}</table></body></html>`;
  return { status: rows.length || !code ? 200 : 404, headers: { 'content-type': 'text/html; charset=utf-8' }, raw: Buffer.from(html) };
}

export const routes: Route[] = [
  { method: 'POST', path: '/oauth/v1/device_authorization', auth: 'none', handler: deviceAuthorization },
  { method: 'POST', path: '/open-apis/authen/v2/oauth/token', auth: 'none', handler: token },
  { method: 'GET', path: '/open-apis/authen/v1/user_info', auth: 'user', handler: userInfo },
  { method: 'POST', path: '/oauth/v1/app/registration', auth: 'none', handler: registration },
  { method: 'GET', path: '/open-apis/application/v6/applications/:app_id', auth: 'any', scopes: ['application:application:self_manage', 'application:application:readonly'], handler: application },
  // the page the CLI's `config init --new` link opens (<open>/page/cli?user_code=…)
  { method: 'GET', path: '/page/cli', auth: 'none', handler: (req) => ({ status: 302, headers: { location: `/_emulator/device?user_code=${encodeURIComponent(req.query.get('user_code') ?? '')}` }, body: undefined }) },
  { method: 'GET', path: '/_emulator/device', auth: 'none', handler: devicePage },
  { method: 'POST', path: '/_emulator/device/approve', auth: 'none', handler: approve },
  { method: 'POST', path: '/_emulator/device/deny', auth: 'none', handler: deny },
];
