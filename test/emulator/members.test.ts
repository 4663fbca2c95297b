import { describe, expect, it } from 'vitest';
import { DEMO, limitedAppSeed, useEmulator } from '../helpers/emulator.js';

const V1 = '/open-apis/im/v1';
const members = (chat: string) => `${V1}/chats/${chat}/members`;

describe('emulator: chat members', () => {
  const h = useEmulator();

  describe('POST/DELETE/GET …/members', () => {
    it('adds users, reporting unknown and foreign ids; then lists them with member_total', async () => {
      const tok = await h.tenantToken();
      const ext = 'ou_external0000000000000000000001';
      h.emu.db.put('users', ext, { ...h.emu.db.get('users', DEMO.dave)!, open_id: ext, union_id: 'on_external1', user_id: 'ext00001', name: 'Eve External', tenant_key: 'other_tenant' });
      const r = await h.call('POST', members(DEMO.project), { token: tok, query: { member_id_type: 'open_id', succeed_type: 0 }, json: { id_list: [DEMO.dave, 'ou_nobody', DEMO.bob, ext] } });
      expect(r.body).toMatchObject({ code: 0, data: { invalid_id_list: [ext], not_existed_id_list: ['ou_nobody'], pending_approval_id_list: [] } });
      expect(h.emu.db.get('chats', DEMO.project)!.members).toEqual([DEMO.alice, DEMO.bob, DEMO.carol, DEMO.dave]);
      const l = await h.call('GET', members(DEMO.project), { token: tok, query: { member_id_type: 'open_id', page_size: 100 } });
      expect(l.body.data).toMatchObject({ member_total: 4, has_more: false, page_token: '' });
      expect(l.body.data.items[3]).toEqual({ member_id_type: 'open_id', member_id: DEMO.dave, name: 'Dave Zhao', tenant_key: expect.any(String) });
    });

    it('adds users by union_id and bots by app_id', async () => {
      const u = h.emu.db.get('users', DEMO.dave)!;
      const alice = h.userToken(DEMO.alice);
      expect((await h.call('POST', members(DEMO.project), { token: alice, query: { member_id_type: 'union_id' }, json: { id_list: [u.union_id] } })).body.code).toBe(0);
      expect(h.emu.db.get('chats', DEMO.project)!.members).toContain(DEMO.dave);
      const app = h.emu.db.get('apps', DEMO.appId)!;
      h.emu.db.put('apps', 'cli_second000000001', { ...app, app_id: 'cli_second000000001', name: 'Second Bot' });
      const b = await h.call('POST', members(DEMO.project), { token: alice, query: { member_id_type: 'app_id' }, json: { id_list: ['cli_second000000001', 'cli_nope'] } });
      expect(b.body).toMatchObject({ code: 0, data: { not_existed_id_list: ['cli_nope'] } });
      expect(h.emu.db.get('chats', DEMO.project)!.bots).toEqual([DEMO.appId, 'cli_second000000001']);
      const none = await h.call('POST', members(DEMO.project), { token: alice, query: { member_id_type: 'app_id' }, json: { id_list: ['cli_nope'] } });
      expect(none.body.code).toBe(232027);
    });

    it('succeed_type 2 refuses the whole request when one id is unusable', async () => {
      const r = await h.call('POST', members(DEMO.project), { token: await h.tenantToken(), query: { succeed_type: 2 }, json: { id_list: [DEMO.dave, 'ou_nobody'] } });
      expect(r.body.code).toBe(232027);
      expect(h.emu.db.get('chats', DEMO.project)!.members).not.toContain(DEMO.dave);
    });

    it('validates id_list, member_id_type and succeed_type', async () => {
      const tok = await h.tenantToken();
      const code = async (json: unknown, query?: Record<string, string | number>) => (await h.call('POST', members(DEMO.project), { token: tok, json, query })).body.code;
      expect(await code({})).toBe(232001);
      expect(await code({ id_list: [] })).toBe(232027);
      expect(await code({ id_list: 'ou_x' })).toBe(232001);
      expect(await code({ id_list: Array.from({ length: 51 }, (_, i) => `ou_${i}`) })).toBe(232001);
      expect(await code({ id_list: [DEMO.dave] }, { member_id_type: 'email' })).toBe(232015);
      expect(await code({ id_list: [DEMO.dave] }, { succeed_type: 7 })).toBe(232001);
    });

    it('refuses outsiders (232011), p2p chats (232008), unknown chats (232006), and non-managers when only the owner may add', async () => {
      expect((await h.call('POST', members(DEMO.project), { token: h.userToken(DEMO.dave), json: { id_list: [DEMO.dave] } })).body.code).toBe(232011);
      expect((await h.call('POST', members(DEMO.p2p), { token: h.userToken(DEMO.alice), json: { id_list: [DEMO.dave] } })).body.code).toBe(232008);
      expect((await h.call('POST', members('oc_none'), { token: h.userToken(DEMO.alice), json: { id_list: [DEMO.dave] } })).body.code).toBe(232006);
      await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.alice), json: { add_member_permission: 'only_owner' } });
      expect((await h.call('POST', members(DEMO.project), { token: h.userToken(DEMO.carol), json: { id_list: [DEMO.dave] } })).body.code).toBe(232017);
      expect((await h.call('POST', members(DEMO.project), { token: h.userToken(DEMO.bob), json: { id_list: [DEMO.dave] } })).body.code).toBe(0);
    });

    it('removes members: a manager may remove others, a member only itself, nobody the owner', async () => {
      const carol = h.userToken(DEMO.carol);
      const refused = await h.call('DELETE', members(DEMO.project), { token: carol, json: { id_list: [DEMO.bob] } });
      expect(refused.body.code).toBe(232014);
      const owner = await h.call('DELETE', members(DEMO.project), { token: h.userToken(DEMO.bob), json: { id_list: [DEMO.alice] } });
      expect(owner.body.code).toBe(232076);
      const r = await h.call('DELETE', members(DEMO.project), { token: h.userToken(DEMO.bob), json: { id_list: [DEMO.carol, 'ou_stranger'] } });
      expect(r.body).toMatchObject({ code: 0, data: { invalid_id_list: ['ou_stranger'] } });
      expect(h.emu.db.get('chats', DEMO.project)!.members).toEqual([DEMO.alice, DEMO.bob]);
      const self = await h.call('DELETE', members(DEMO.project), { token: h.userToken(DEMO.bob), json: { id_list: [DEMO.bob] } });
      expect(self.body.code).toBe(0);
      expect(h.emu.db.get('chats', DEMO.project)!.managers).toEqual([]);
      const bot = await h.call('DELETE', members(DEMO.project), { token: h.userToken(DEMO.alice), query: { member_id_type: 'app_id' }, json: { id_list: [DEMO.appId] } });
      expect(bot.body.code).toBe(0);
      expect(h.emu.db.get('chats', DEMO.project)!.bots).toEqual([]);
      // the bot is out now: its message-free chat calls get 232011
      expect((await h.call('GET', members(DEMO.project), { token: await h.tenantToken() })).body.code).toBe(232011);
    });

    it('pages the member list with stable tokens and checks page_size', async () => {
      const tok = await h.tenantToken();
      const p1 = await h.call('GET', members(DEMO.project), { token: tok, query: { page_size: 2 } });
      expect(p1.body.data).toMatchObject({ has_more: true, member_total: 3 });
      expect(p1.body.data.items.map((m: any) => m.member_id)).toEqual([DEMO.alice, DEMO.bob]);
      const p2 = await h.call('GET', members(DEMO.project), { token: tok, query: { page_size: 2, page_token: p1.body.data.page_token } });
      expect(p2.body.data.items.map((m: any) => m.member_id)).toEqual([DEMO.carol]);
      expect(p2.body.data).toMatchObject({ has_more: false, page_token: '' });
      expect((await h.call('GET', members(DEMO.project), { token: tok, query: { page_size: 101 } })).body.code).toBe(99992402);
      expect((await h.call('GET', members(DEMO.project), { token: tok, query: { page_token: 'x' } })).body.code).toBe(99992402);
      const u = await h.call('GET', members(DEMO.project), { token: tok, query: { member_id_type: 'union_id' } });
      expect(u.body.data.items[0]).toMatchObject({ member_id_type: 'union_id', member_id: h.emu.db.get('users', DEMO.alice)!.union_id });
    });
  });

  describe('…/members/bots, …/members/is_in_chat, …/members/list', () => {
    it('lists bots and answers is_in_chat', async () => {
      const b = await h.call('GET', `${members(DEMO.project)}/bots`, { token: h.userToken(DEMO.alice) });
      expect(b.body).toMatchObject({ code: 0, data: { items: [{ bot_id: DEMO.appId, bot_name: 'Demo Bot' }] } });
      expect((await h.call('GET', `${members(DEMO.project)}/bots`, { token: h.userToken(DEMO.dave) })).body.code).toBe(232011);
      expect((await h.call('GET', `${members(DEMO.project)}/is_in_chat`, { token: h.userToken(DEMO.dave) })).body.data).toEqual({ is_in_chat: false });
      expect((await h.call('GET', `${members(DEMO.project)}/is_in_chat`, { token: await h.tenantToken() })).body.data).toEqual({ is_in_chat: true });
      expect((await h.call('GET', `${members('oc_none')}/is_in_chat`, { token: await h.tenantToken() })).body.code).toBe(232006);
    });

    it('lists users and bots in buckets with totals, paging over both', async () => {
      const alice = h.userToken(DEMO.alice);
      const r = await h.call('GET', `${members(DEMO.project)}/list`, { token: alice, query: { member_id_type: 'open_id', page_size: 20 } });
      expect(r.body.code).toBe(0);
      expect(r.body.data).toMatchObject({ user_total: 3, bot_total: 1, has_more: false, page_token: '', truncations: [] });
      expect(r.body.data.users.map((u: any) => u.member_id)).toEqual([DEMO.alice, DEMO.bob, DEMO.carol]);
      expect(r.body.data.bots).toEqual([{ member_id_type: 'app_id', member_id: DEMO.appId, app_id: DEMO.appId, name: 'Demo Bot', tenant_key: expect.any(String) }]);
      const p1 = await h.call('GET', `${members(DEMO.project)}/list`, { token: alice, query: { page_size: 3 } });
      expect(p1.body.data.bots).toEqual([]);
      expect(p1.body.data.has_more).toBe(true);
      const p2 = await h.call('GET', `${members(DEMO.project)}/list`, { token: alice, query: { page_size: 3, page_token: p1.body.data.page_token } });
      expect(p2.body.data.users).toEqual([]);
      expect(p2.body.data.bots).toHaveLength(1);
      const bots = await h.call('GET', `${members(DEMO.project)}/list`, { token: alice, query: { member_types: 'bot' } });
      expect(bots.body.data.users).toEqual([]);
      expect(bots.body.data).not.toHaveProperty('user_total');
      expect((await h.call('GET', `${members(DEMO.project)}/list`, { token: alice, query: { member_types: 'admin' } })).body.code).toBe(232001);
      expect((await h.call('GET', `${members(DEMO.project)}/list`, { token: h.userToken(DEMO.dave) })).body.code).toBe(232011);
    });
  });

  describe('managers', () => {
    const add = (chat: string) => `${V1}/chats/${chat}/managers/add_managers`;
    const del = (chat: string) => `${V1}/chats/${chat}/managers/delete_managers`;

    it('the owner appoints and removes user and bot managers', async () => {
      const alice = h.userToken(DEMO.alice);
      const r = await h.call('POST', add(DEMO.project), { token: alice, query: { member_id_type: 'open_id' }, json: { manager_ids: [DEMO.carol] } });
      expect(r.body).toMatchObject({ code: 0, data: { chat_managers: [DEMO.bob, DEMO.carol], chat_bot_managers: [] } });
      const b = await h.call('POST', add(DEMO.project), { token: alice, query: { member_id_type: 'app_id' }, json: { manager_ids: [DEMO.appId] } });
      expect(b.body.data.chat_bot_managers).toEqual([DEMO.appId]);
      const d = await h.call('POST', del(DEMO.project), { token: alice, json: { manager_ids: [DEMO.bob] } });
      expect(d.body.data).toEqual({ chat_managers: [DEMO.carol], chat_bot_managers: [DEMO.appId] });
      expect(h.emu.db.get('chats', DEMO.project)!.managers).toEqual([DEMO.carol]);
    });

    it('a manager is not the owner (232038); outsiders 232011; non-members cannot be managers; the limit is 10', async () => {
      expect((await h.call('POST', add(DEMO.project), { token: h.userToken(DEMO.bob), json: { manager_ids: [DEMO.carol] } })).body.code).toBe(232038);
      expect((await h.call('POST', add(DEMO.project), { token: await h.tenantToken(), json: { manager_ids: [DEMO.carol] } })).body.code).toBe(232038);
      expect((await h.call('POST', add(DEMO.project), { token: h.userToken(DEMO.dave), json: { manager_ids: [DEMO.carol] } })).body.code).toBe(232011);
      expect((await h.call('POST', add(DEMO.project), { token: h.userToken(DEMO.alice), json: { manager_ids: [DEMO.dave] } })).body.code).toBe(232027);
      expect((await h.call('POST', add(DEMO.project), { token: h.userToken(DEMO.alice), json: { manager_ids: 'x' } })).body.code).toBe(232001);
      expect((await h.call('POST', add(DEMO.p2p), { token: h.userToken(DEMO.alice), json: { manager_ids: [DEMO.bob] } })).body.code).toBe(232008);
      // grow the chat and try an eleventh manager
      const chat = h.emu.db.get('chats', DEMO.project)!;
      const extra = Array.from({ length: 10 }, (_, i) => `ou_extra${String(i).padStart(26, '0')}`);
      for (const id of extra) h.emu.db.put('users', id, { open_id: id, union_id: `on_${id}`, user_id: id.slice(3, 11), name: id, en_name: id, email: `${id}@x`, tenant_key: chat.tenant_key });
      h.emu.db.put('chats', chat.chat_id, { ...chat, members: [...chat.members, ...extra] });
      expect((await h.call('POST', add(DEMO.project), { token: h.userToken(DEMO.alice), json: { manager_ids: extra } })).body.code).toBe(232040);
    });

    it('the creator bot with im:chat:operate_as_owner acts as owner', async () => {
      const tok = await h.tenantToken();
      const c = await h.call('POST', `${V1}/chats`, { token: tok, json: { name: 'Bot made', owner_id: DEMO.alice, user_id_list: [DEMO.bob] } });
      const r = await h.call('POST', add(c.body.data.chat_id), { token: tok, json: { manager_ids: [DEMO.bob] } });
      expect(r.body).toMatchObject({ code: 0, data: { chat_managers: [DEMO.bob] } });
    });
  });

  describe('moderation', () => {
    const mod = (chat: string) => `${V1}/chats/${chat}/moderation`;

    it('the owner sets a moderator list; members read it with paging', async () => {
      const alice = h.userToken(DEMO.alice);
      const u = await h.call('PUT', mod(DEMO.project), { token: alice, query: { user_id_type: 'open_id' }, json: { moderation_setting: 'moderator_list', moderator_added_list: [DEMO.alice, DEMO.bob] } });
      expect(u.body).toMatchObject({ code: 0, data: {} });
      const g = await h.call('GET', mod(DEMO.project), { token: h.userToken(DEMO.carol), query: { page_size: 1 } });
      expect(g.body.data).toMatchObject({ moderation_setting: 'moderator_list', has_more: true, items: [{ user_id_type: 'open_id', user_id: DEMO.alice }] });
      const g2 = await h.call('GET', mod(DEMO.project), { token: h.userToken(DEMO.carol), query: { page_size: 1, page_token: g.body.data.page_token } });
      expect(g2.body.data).toMatchObject({ has_more: false, page_token: '', items: [{ user_id: DEMO.bob }] });
      await h.call('PUT', mod(DEMO.project), { token: alice, json: { moderator_removed_list: [DEMO.alice] } });
      expect(h.emu.db.get('chats', DEMO.project)!.moderators).toEqual([DEMO.bob]);
      await h.call('PUT', mod(DEMO.project), { token: alice, json: { moderation_setting: 'all_members' } });
      const g3 = await h.call('GET', mod(DEMO.project), { token: alice });
      expect(g3.body.data).toMatchObject({ moderation_setting: 'all_members', items: [] });
      expect((await h.call('GET', `${V1}/chats/${DEMO.project}`, { token: alice })).body.data.moderation_permission).toBe('all_members');
    });

    it('refuses non-owners (232017), outsiders (232011), bad settings and non-member moderators', async () => {
      expect((await h.call('PUT', mod(DEMO.project), { token: h.userToken(DEMO.bob), json: { moderation_setting: 'only_owner' } })).body.code).toBe(232017);
      expect((await h.call('PUT', mod(DEMO.project), { token: h.userToken(DEMO.dave), json: { moderation_setting: 'only_owner' } })).body.code).toBe(232011);
      expect((await h.call('GET', mod(DEMO.project), { token: h.userToken(DEMO.dave) })).body.code).toBe(232011);
      expect((await h.call('PUT', mod(DEMO.project), { token: h.userToken(DEMO.alice), json: { moderation_setting: 'loud' } })).body.code).toBe(232001);
      expect((await h.call('PUT', mod(DEMO.project), { token: h.userToken(DEMO.alice), json: { moderation_setting: 'moderator_list', moderator_added_list: [DEMO.dave] } })).body.code).toBe(232001);
      expect((await h.call('GET', mod('oc_none'), { token: h.userToken(DEMO.alice) })).body.code).toBe(232006);
      expect((await h.call('GET', mod(DEMO.project), { token: h.userToken(DEMO.alice), query: { page_size: 0 } })).body.code).toBe(99992402);
    });
  });

  describe('per-user chat settings', () => {
    const S = `${V1}/chat_user_setting`;

    it('mutes a chat, reads it back, and the mute status agrees', async () => {
      const alice = h.userToken(DEMO.alice);
      const u = await h.call('POST', `${S}/batch_update`, { token: alice, json: { chat_settings: [{ chat_id: DEMO.topics, is_muted: true }, { chat_id: 'oc_nope', is_muted: true }] } });
      expect(u.body).toMatchObject({ code: 0, data: { invalid_ids: [{ id: 'oc_nope' }] } });
      const q = await h.call('POST', `${S}/batch_query`, { token: alice, json: { chat_ids: [DEMO.topics, DEMO.project] } });
      expect(q.body.data.items).toEqual([
        { chat_id: DEMO.topics, is_muted: true, is_mute_at_all: false },
        { chat_id: DEMO.project, is_muted: false, is_mute_at_all: false },
      ]);
      const m = await h.call('POST', `${S}/batch_get_mute_status`, { token: alice, json: { chat_ids: [DEMO.topics, DEMO.project, DEMO.p2p] } });
      expect(m.body.data.items).toEqual([
        { chat_id: DEMO.topics, is_muted: true },
        { chat_id: DEMO.project, is_muted: false },
        { chat_id: DEMO.p2p, is_muted: false },
      ]);
      // settings are per user
      const bob = await h.call('POST', `${S}/batch_get_mute_status`, { token: h.userToken(DEMO.bob), json: { chat_ids: [DEMO.project] } });
      expect(bob.body.data.items).toEqual([{ chat_id: DEMO.project, is_muted: false }]);
    });

    it('chats the user is not in come back as invalid ids', async () => {
      const m = await h.call('POST', `${S}/batch_get_mute_status`, { token: h.userToken(DEMO.dave), json: { chat_ids: [DEMO.project, 'oc_gone'] } });
      expect(m.body.data.items).toEqual([]);
      expect(m.body.data.invalid_id_list).toEqual([
        { id: DEMO.project, msg: 'user is not in the chat' },
        { id: 'oc_gone', msg: 'chat not found or has been disbanded' },
      ]);
    });

    it('is user-only, and validates its bodies', async () => {
      const bot = await h.tenantToken();
      expect((await h.call('POST', `${S}/batch_get_mute_status`, { token: bot, json: { chat_ids: [DEMO.project] } })).body.code).toBe(99991668);
      const alice = h.userToken(DEMO.alice);
      expect((await h.call('POST', `${S}/batch_query`, { token: alice, json: { chat_ids: Array.from({ length: 11 }, (_, i) => `oc_${i}`) } })).body.code).toBe(232001);
      expect((await h.call('POST', `${S}/batch_query`, { token: alice, json: {} })).body.code).toBe(232001);
      expect((await h.call('POST', `${S}/batch_update`, { token: alice, json: { chat_settings: [{ chat_id: DEMO.project, is_muted: 'yes' }] } })).body.code).toBe(232001);
      expect((await h.call('POST', `${S}/batch_update`, { token: alice, json: { chat_settings: [] } })).body.code).toBe(232001);
    });
  });
});

describe('emulator: members with a limited app', () => {
  const h = useEmulator({ seed: limitedAppSeed(2, 'Readonly', 'Lou', ['im:chat.members:read']).seed });

  it('reads members but may not add them (99991672), nor touch managers or moderation', async () => {
    const tok = await h.tenantToken();
    const chat = 'oc_limited0000000000000000000000002';
    expect((await h.call('GET', members(chat), { token: tok })).body.code).toBe(0);
    const w = await h.call('POST', members(chat), { token: tok, json: { id_list: ['ou_limited00000000000000000000002'] } });
    expect(w.body.code).toBe(99991672);
    expect(w.body.error.permission_violations.map((v: any) => v.subject)).toEqual(['im:chat', 'im:chat.members:write_only']);
    expect((await h.call('POST', `${V1}/chats/${chat}/managers/add_managers`, { token: tok, json: { manager_ids: [] } })).body.code).toBe(99991672);
    expect((await h.call('GET', `${V1}/chats/${chat}/moderation`, { token: tok })).body.code).toBe(99991672);
  });
});
