/**
 * Contact look-ups the CLI's sender-name enrichment makes (docs/shortcuts-read.md): users/batch (bot,
 * ≤50 ids, `items[]` of user objects), users/basic_batch (user, ≤10 ids, `users[]` of
 * {user_id, name}), and a single user. A bot sees only users of its own tenant (its app's
 * availability); ids it cannot see are left out, as Lark does.
 */
import type { Caller } from '../access.js';
import type { Emulator } from '../emulator.js';
import { fieldError, LarkError, ok, type Reply } from '../lark.js';
import { userById, userIdOut } from '../model/chats.js';
import type { EmuRequest, Route } from '../router.js';
import type { UserRec } from '../state.js';

const C3 = '/open-apis/contact/v3';
const SCOPES = [
  'contact:user.base:readonly',
  'contact:user.basic_profile:readonly',
  'contact:contact.base:readonly',
  'contact:contact:readonly_as_app',
  'contact:contact:readonly',
  'contact:contact',
];

function idType(raw: string | null): string {
  if (raw === null || raw === '') return 'open_id';
  if (raw !== 'open_id' && raw !== 'union_id' && raw !== 'user_id') throw fieldError('user_id_type', 'user_id_type must be open_id, union_id or user_id');
  return raw;
}

function visible(c: Caller, u: UserRec): boolean {
  return c.identity === 'user' || u.tenant_key === c.app.tenant_key;
}

function userObject(u: UserRec): Record<string, unknown> {
  return {
    open_id: u.open_id,
    union_id: u.union_id,
    user_id: u.user_id,
    name: u.name,
    en_name: u.en_name,
    email: u.email,
    avatar: {
      avatar_72: `https://s1-imfile.feishucdn.com/static-resource/v1/avatar_${u.user_id}~72x72.image`,
      avatar_240: `https://s1-imfile.feishucdn.com/static-resource/v1/avatar_${u.user_id}~240x240.image`,
      avatar_640: `https://s1-imfile.feishucdn.com/static-resource/v1/avatar_${u.user_id}~640x640.image`,
      avatar_origin: `https://s1-imfile.feishucdn.com/static-resource/v1/avatar_${u.user_id}~noop.image`,
    },
    status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
    tenant_key: u.tenant_key,
    is_tenant_manager: false,
  };
}

function usersBatch(req: EmuRequest, emu: Emulator): Reply {
  const c = req.caller!;
  const t = idType(req.query.get('user_id_type'));
  const ids = req.query.getAll('user_ids');
  if (ids.length === 0) throw fieldError('user_ids', 'user_ids is required');
  if (ids.length > 50) throw fieldError('user_ids', 'user_ids must contain at most 50 ids');
  const items: Record<string, unknown>[] = [];
  for (const id of ids) {
    const u = userById(emu, id, t);
    if (u && visible(c, u)) items.push(userObject(u));
  }
  return ok({ items });
}

function basicBatch(req: EmuRequest, emu: Emulator): Reply {
  const c = req.caller!;
  const t = idType(req.query.get('user_id_type'));
  const b = req.json;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw fieldError('user_ids', 'user_ids is required');
  const ids = (b as Record<string, unknown>).user_ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== 'string')) throw fieldError('user_ids', 'user_ids must be a non-empty array of strings');
  if (ids.length > 10) throw fieldError('user_ids', 'user_ids must contain at most 10 ids');
  const users: Record<string, unknown>[] = [];
  for (const id of ids as string[]) {
    const u = userById(emu, id, t);
    if (u && visible(c, u)) users.push({ user_id: userIdOut(emu, u.open_id, t), name: u.name, i18n_name: { zh_cn: u.name, en_us: u.en_name } });
  }
  return ok({ users });
}

function getUser(req: EmuRequest, emu: Emulator): Reply {
  const c = req.caller!;
  const t = idType(req.query.get('user_id_type'));
  const u = userById(emu, req.params.user_id, t);
  if (!u || !visible(c, u)) throw new LarkError(41050, 'no user authority error', 400, undefined, `user ${req.params.user_id ?? ''} is unknown or outside the app's availability`);
  return ok({ user: userObject(u) });
}

export const routes: Route[] = [
  { method: 'GET', path: `${C3}/users/batch`, auth: 'any', scopes: SCOPES, handler: usersBatch },
  { method: 'POST', path: `${C3}/users/basic_batch`, auth: 'any', scopes: SCOPES, handler: basicBatch },
  { method: 'GET', path: `${C3}/users/:user_id`, auth: 'any', scopes: SCOPES, handler: getUser },
];
