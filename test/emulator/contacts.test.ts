import { describe, expect, it } from 'vitest';
import { DEMO, useEmulator } from '../helpers/emulator.js';

const C3 = '/open-apis/contact/v3';
const EXT = 'ou_external0000000000000000000001';

describe('emulator: contacts', () => {
  const h = useEmulator();
  const addExternal = () => h.emu.db.put('users', EXT, { ...h.emu.db.get('users', DEMO.dave)!, open_id: EXT, union_id: 'on_external1', user_id: 'ext00001', name: 'Eve External', tenant_key: 'other_tenant' });

  describe('GET /contact/v3/users/batch (bot name look-ups)', () => {
    it('answers the users as items[] with open_id and name, in the order asked, leaving out unknown and invisible ones', async () => {
      addExternal();
      const tok = await h.tenantToken();
      const url = `${C3}/users/batch?user_id_type=open_id&user_ids=${DEMO.carol}&user_ids=ou_nobody&user_ids=${DEMO.bob}&user_ids=${EXT}`;
      const r = await h.call('GET', url, { token: tok });
      expect(r.status).toBe(200);
      expect(r.body.code).toBe(0);
      expect(r.body.data.items.map((u: any) => [u.open_id, u.name])).toEqual([
        [DEMO.carol, 'Carol Wang'],
        [DEMO.bob, 'Bob Li'],
      ]);
      expect(r.body.data.items[0]).toMatchObject({ union_id: expect.stringMatching(/^on_/), email: 'carol@example.com', tenant_key: expect.any(String) });
    });

    it('takes union ids, and refuses no ids, more than 50 and a bad user_id_type', async () => {
      const tok = await h.tenantToken();
      const union = h.emu.db.get('users', DEMO.bob)!.union_id;
      const u = await h.call('GET', `${C3}/users/batch`, { token: tok, query: { user_id_type: 'union_id', user_ids: union } });
      expect(u.body.data.items.map((x: any) => x.name)).toEqual(['Bob Li']);
      expect((await h.call('GET', `${C3}/users/batch`, { token: tok })).body.code).toBe(99992402);
      const many = Array.from({ length: 51 }, (_, i) => `user_ids=ou_${i}`).join('&');
      expect((await h.call('GET', `${C3}/users/batch?${many}`, { token: tok })).body.code).toBe(99992402);
      expect((await h.call('GET', `${C3}/users/batch`, { token: tok, query: { user_ids: DEMO.bob, user_id_type: 'email' } })).body.code).toBe(99992402);
    });
  });

  describe('POST /contact/v3/users/basic_batch (user name look-ups)', () => {
    it('answers users[] with user_id and name; a user sees other tenants\' users', async () => {
      addExternal();
      const r = await h.call('POST', `${C3}/users/basic_batch`, { token: h.userToken(DEMO.alice), query: { user_id_type: 'open_id' }, json: { user_ids: [DEMO.bob, 'ou_nobody', EXT] } });
      expect(r.body.code).toBe(0);
      expect(r.body.data.users.map((u: any) => [u.user_id, u.name])).toEqual([
        [DEMO.bob, 'Bob Li'],
        [EXT, 'Eve External'],
      ]);
    });

    it('refuses more than 10 ids, a missing or malformed list', async () => {
      const tok = h.userToken(DEMO.alice);
      expect((await h.call('POST', `${C3}/users/basic_batch`, { token: tok, json: { user_ids: Array.from({ length: 11 }, (_, i) => `ou_${i}`) } })).body.code).toBe(99992402);
      expect((await h.call('POST', `${C3}/users/basic_batch`, { token: tok, json: {} })).body.code).toBe(99992402);
      expect((await h.call('POST', `${C3}/users/basic_batch`, { token: tok, json: { user_ids: [1] } })).body.code).toBe(99992402);
      expect((await h.call('POST', `${C3}/users/basic_batch`, { token: tok })).body.code).toBe(99992402);
    });

    it('needs a contact scope on the user token (99991679)', async () => {
      const r = await h.call('POST', `${C3}/users/basic_batch`, { token: h.userToken(DEMO.alice, ['im:message']), json: { user_ids: [DEMO.bob] } });
      expect(r.body.code).toBe(99991679);
    });
  });

  describe('GET /contact/v3/users/:user_id', () => {
    it('answers one user, and 41050 for one the bot cannot see or that does not exist', async () => {
      addExternal();
      const tok = await h.tenantToken();
      const r = await h.call('GET', `${C3}/users/${DEMO.dave}`, { token: tok });
      expect(r.body).toMatchObject({ code: 0, data: { user: { open_id: DEMO.dave, name: 'Dave Zhao' } } });
      expect((await h.call('GET', `${C3}/users/${EXT}`, { token: tok })).body.code).toBe(41050);
      expect((await h.call('GET', `${C3}/users/ou_nobody`, { token: tok })).body.code).toBe(41050);
    });
  });
});

describe('emulator: contacts with a limited app', () => {
  const h = useEmulator({
    seed: { apps: [{ app_id: 'cli_limited0000003', app_secret: 's', scopes: ['im:message'] }], users: [{ open_id: 'ou_limited00000000000000000000003', name: 'Lin' }] },
  });

  it('refuses the look-ups with 99991672 naming the contact scopes', async () => {
    const r = await h.call('GET', `${C3}/users/batch`, { token: await h.tenantToken(), query: { user_ids: 'ou_limited00000000000000000000003' } });
    expect(r.body.code).toBe(99991672);
    expect(r.body.msg).toContain('contact:user.base:readonly');
  });
});
