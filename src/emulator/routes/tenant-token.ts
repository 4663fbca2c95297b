/** Tenant access tokens from app id + secret (the bot identity). */
import type { Emulator } from '../emulator.js';
import { LarkError, newId } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';

/** Lark's tenant token lifetime (seconds). */
export const TENANT_TOKEN_TTL = 7200;

function issue(req: EmuRequest, emu: Emulator) {
  const b = (req.json ?? req.form ?? {}) as { app_id?: unknown; app_secret?: unknown };
  if (typeof b.app_id !== 'string' || b.app_id === '' || typeof b.app_secret !== 'string' || b.app_secret === '') {
    throw new LarkError(10003, 'invalid param', 400, undefined, 'app_id or app_secret missing');
  }
  const app = emu.db.get('apps', b.app_id);
  if (!app) throw new LarkError(10003, 'invalid param', 400, undefined, `unknown app ${b.app_id}`);
  if (app.app_secret !== b.app_secret) throw new LarkError(99991543, 'app_id or app_secret is invalid', 400, undefined, `wrong app_secret for ${b.app_id}`);
  const now = emu.clock.now();
  // Lark hands out the same token until it is close to expiry
  let tok = [...emu.db.t.access_tokens.values()].find((t) => t.kind === 'tenant' && t.app_id === app.app_id && t.expires_at - now > 30 * 60_000);
  if (!tok) {
    tok = { token: newId.tenantToken(), kind: 'tenant', app_id: app.app_id, expires_at: now + TENANT_TOKEN_TTL * 1000 };
    emu.db.put('access_tokens', tok.token, tok);
  }
  return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: tok.token, expire: Math.floor((tok.expires_at - now) / 1000) } };
}

export const routes: Route[] = [
  { method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal', auth: 'none', handler: issue },
  { method: 'POST', path: '/open-apis/auth/v3/app_access_token/internal', auth: 'none', handler: (req, emu) => {
    const r = issue(req, emu);
    const b = r.body as { tenant_access_token: string; expire: number };
    return { status: 200, body: { code: 0, msg: 'ok', app_access_token: b.tenant_access_token, tenant_access_token: b.tenant_access_token, expire: b.expire } };
  } },
];
