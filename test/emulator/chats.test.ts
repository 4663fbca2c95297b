import { describe, expect, it } from 'vitest';
import { DEMO, limitedAppSeed, useEmulator } from '../helpers/emulator.js';

const V1 = '/open-apis/im/v1';

describe('emulator: chats', () => {
  const h = useEmulator();

  describe('POST /im/v1/chats', () => {
    it('creates a group chat as the bot, with members, and answers Lark\'s chat object', async () => {
      const tok = await h.tenantToken();
      const r = await h.call('POST', `${V1}/chats`, {
        token: tok,
        query: { user_id_type: 'open_id', set_bot_manager: 'true' },
        json: { name: 'Release war-room', description: 'ship it', chat_mode: 'group', chat_type: 'private', user_id_list: [DEMO.bob, DEMO.carol], owner_id: DEMO.alice },
      });
      expect(r.status).toBe(200);
      expect(r.body.code).toBe(0);
      const d = r.body.data;
      expect(d.chat_id).toMatch(/^oc_[0-9a-f]{32}$/);
      expect(d).toMatchObject({ name: 'Release war-room', description: 'ship it', chat_mode: 'group', chat_type: 'private', owner_id: DEMO.alice, owner_id_type: 'open_id', external: false, bot_manager_id_list: [DEMO.appId], user_count: '3', bot_count: '1' });
      const rec = h.emu.db.get('chats', d.chat_id)!;
      expect(rec.members).toEqual([DEMO.alice, DEMO.bob, DEMO.carol]);
      expect(rec.bots).toEqual([DEMO.appId]);
    });

    it('a bot-owned chat answers an empty owner; a topic chat; a user creator owns it', async () => {
      const tok = await h.tenantToken();
      const a = await h.call('POST', `${V1}/chats`, { token: tok, json: { name: 'T', chat_mode: 'topic' } });
      expect(a.body.data).toMatchObject({ owner_id: '', chat_mode: 'topic', group_message_type: 'thread' });
      expect(h.emu.db.get('chats', a.body.data.chat_id)!.owner_id).toBe(DEMO.appId);
      const u = await h.call('POST', `${V1}/chats`, { token: h.userToken(DEMO.dave), json: { name: 'Dave\'s' } });
      expect(u.body.code).toBe(0);
      expect(u.body.data.owner_id).toBe(DEMO.dave);
      expect(h.emu.db.get('chats', u.body.data.chat_id)!.members).toEqual([DEMO.dave]);
    });

    it('the same uuid makes one chat', async () => {
      const tok = await h.tenantToken();
      const before = h.emu.db.t.chats.size;
      const a = await h.call('POST', `${V1}/chats`, { token: tok, query: { uuid: 'u-1' }, json: { name: 'Once' } });
      const b = await h.call('POST', `${V1}/chats`, { token: tok, query: { uuid: 'u-1' }, json: { name: 'Once' } });
      expect(b.body.data.chat_id).toBe(a.body.data.chat_id);
      expect(h.emu.db.t.chats.size).toBe(before + 1);
    });

    it('validates the body: types, enums, limits, unknown users and apps, public names', async () => {
      const tok = await h.tenantToken();
      const codeOf = async (json: unknown, query?: Record<string, string>) => (await h.call('POST', `${V1}/chats`, { token: tok, json, query })).body.code;
      expect(await codeOf({ name: 5 })).toBe(232001);
      expect(await codeOf({ chat_mode: 'p2p' })).toBe(232001);
      expect(await codeOf({ chat_type: 'public', name: 'A' })).toBe(232001);
      expect(await codeOf({ user_id_list: 'ou_x' })).toBe(232001);
      expect(await codeOf({ user_id_list: Array.from({ length: 51 }, (_, i) => `ou_${i}`) })).toBe(232001);
      expect(await codeOf({ user_id_list: ['ou_nobody'] })).toBe(232030);
      expect(await codeOf({ bot_id_list: ['cli_nope'] })).toBe(232004);
      expect(await codeOf({}, { user_id_type: 'email' })).toBe(232015);
      expect(await codeOf([1])).toBe(232001);
      expect(await codeOf({ chat_type: 'public', name: 'Town Hall' })).toBe(0);
      expect(await codeOf({ chat_type: 'public', name: 'Town Hall' })).toBe(232026);
    });

    it('a request without a token is 99991661', async () => {
      const none = await h.call('POST', `${V1}/chats`, { json: {} });
      expect(none.body.code).toBe(99991661);
    });
  });

  describe('GET /im/v1/chats/:chat_id', () => {
    it('answers the full chats.get shape to a member', async () => {
      const r = await h.call('GET', `${V1}/chats/${DEMO.project}`, { token: await h.tenantToken(), query: { user_id_type: 'open_id' } });
      expect(r.body.code).toBe(0);
      const d = r.body.data;
      for (const k of ['avatar', 'name', 'description', 'i18n_names', 'add_member_permission', 'share_card_permission', 'at_all_permission', 'edit_permission', 'owner_id_type', 'owner_id', 'user_manager_id_list', 'bot_manager_id_list', 'chat_mode', 'chat_type', 'chat_tag', 'group_message_type', 'external', 'tenant_key', 'user_count', 'bot_count', 'chat_status', 'moderation_permission', 'restricted_mode_setting']) {
        expect(d, k).toHaveProperty(k);
      }
      expect(d).toMatchObject({ name: 'Project Phoenix', owner_id: DEMO.alice, owner_id_type: 'open_id', user_manager_id_list: [DEMO.bob], user_count: '3', bot_count: '1', chat_mode: 'group', chat_status: 'normal' });
    });

    it('converts ids to user_id_type', async () => {
      const r = await h.call('GET', `${V1}/chats/${DEMO.project}`, { token: await h.tenantToken(), query: { user_id_type: 'union_id' } });
      expect(r.body.data.owner_id).toBe(h.emu.db.get('users', DEMO.alice)!.union_id);
      expect(r.body.data.owner_id_type).toBe('union_id');
    });

    it('a p2p chat shows its peer', async () => {
      const r = await h.call('GET', `${V1}/chats/${DEMO.p2p}`, { token: h.userToken(DEMO.alice) });
      expect(r.body.data).toMatchObject({ chat_mode: 'p2p', p2p_target_id: DEMO.bob, p2p_target_type: 'user' });
    });

    it('refuses an outsider of a private chat with 232011, shows a public chat partly, and 232006 for an unknown chat', async () => {
      const dave = h.userToken(DEMO.dave);
      const out = await h.call('GET', `${V1}/chats/${DEMO.project}`, { token: dave });
      expect(out.body).toMatchObject({ code: 232011, msg: 'Operator can NOT be out of the chat.' });
      const pub = await h.call('POST', `${V1}/chats`, { token: h.userToken(DEMO.alice), json: { name: 'Open House', chat_type: 'public' } });
      const seen = await h.call('GET', `${V1}/chats/${pub.body.data.chat_id}`, { token: dave });
      expect(seen.body.code).toBe(0);
      expect(seen.body.data.name).toBe('Open House');
      expect(seen.body.data).not.toHaveProperty('add_member_permission');
      const none = await h.call('GET', `${V1}/chats/oc_nope`, { token: dave });
      expect(none.body.code).toBe(232006);
      expect(h.journal().at(-1)!.verdict).toContain('does not exist');
    });
  });

  describe('PUT /im/v1/chats/:chat_id', () => {
    it('the owner renames and changes settings; a manager too', async () => {
      const r = await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.alice), query: { user_id_type: 'open_id' }, json: { name: 'Phoenix 2', edit_permission: 'only_owner' } });
      expect(r.body).toMatchObject({ code: 0, data: {} });
      expect(h.emu.db.get('chats', DEMO.project)!.name).toBe('Phoenix 2');
      expect(h.emu.db.get('chats', DEMO.project)!.props.edit_permission).toBe('only_owner');
      const m = await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.bob), json: { description: 'by the manager' } });
      expect(m.body.code).toBe(0);
    });

    it('a plain member may edit name/description only, and nothing with edit_permission only_owner', async () => {
      const carol = h.userToken(DEMO.carol);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: carol, json: { name: 'Carol was here' } })).body.code).toBe(0);
      const locked = await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: carol, json: { add_member_permission: 'only_owner' } });
      expect(locked.body).toMatchObject({ code: 232016, msg: 'Non-chat-owner or Non-chat-admin can only edit certain parts.' });
      await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.alice), json: { edit_permission: 'only_owner' } });
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: carol, json: { name: 'x' } })).body.code).toBe(232002);
    });

    it('the bot (a plain member) is refused settings; outsiders 232011; p2p 232008; unknown 232006', async () => {
      const bot = await h.tenantToken();
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: bot, json: { at_all_permission: 'only_owner' } })).body.code).toBe(232016);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.dave), json: { name: 'x' } })).body.code).toBe(232011);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.p2p}`, { token: h.userToken(DEMO.alice), json: { name: 'x' } })).body.code).toBe(232008);
      expect((await h.call('PUT', `${V1}/chats/oc_none`, { token: bot, json: { name: 'x' } })).body.code).toBe(232006);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: bot, json: { name: 7 } })).body.code).toBe(232001);
    });

    it('transfers ownership to a member only', async () => {
      const alice = h.userToken(DEMO.alice);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: alice, json: { owner_id: DEMO.dave } })).body.code).toBe(232012);
      expect((await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: alice, json: { owner_id: DEMO.bob } })).body.code).toBe(0);
      const c = h.emu.db.get('chats', DEMO.project)!;
      expect(c.owner_id).toBe(DEMO.bob);
      expect(c.managers).not.toContain(DEMO.bob);
    });
  });

  describe('DELETE /im/v1/chats/:chat_id', () => {
    it('the owner disbands; afterwards the chat answers 232009', async () => {
      expect((await h.call('DELETE', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.bob) })).body.code).toBe(232017);
      expect((await h.call('DELETE', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.alice) })).body.code).toBe(0);
      expect(h.emu.db.get('chats', DEMO.project)!.deleted).toBe(true);
      expect((await h.call('GET', `${V1}/chats/${DEMO.project}`, { token: h.userToken(DEMO.alice) })).body.code).toBe(232009);
    });
  });

  describe('GET /im/v1/chats', () => {
    it('lists the bot\'s group chats, never p2p', async () => {
      const r = await h.call('GET', `${V1}/chats`, { token: await h.tenantToken(), query: { types: 'p2p,group', sort_type: 'ByCreateTimeAsc', page_size: 20, user_id_type: 'open_id' } });
      expect(r.body.code).toBe(0);
      expect(r.body.data.items.map((c: any) => c.chat_id).sort()).toEqual([DEMO.project, DEMO.topics].sort());
      expect(r.body.data).toMatchObject({ has_more: false, page_token: '' });
      expect(r.body.data.items[0]).toHaveProperty('owner_id_type');
    });

    it('a user gets p2p rows with the peer name only when asking for them', async () => {
      const alice = h.userToken(DEMO.alice);
      const groups = await h.call('GET', `${V1}/chats`, { token: alice });
      expect(groups.body.data.items.some((c: any) => c.chat_mode === 'p2p')).toBe(false);
      const all = await h.call('GET', `${V1}/chats`, { token: alice, query: { types: 'p2p,group' } });
      const p2p = all.body.data.items.find((c: any) => c.chat_mode === 'p2p');
      expect(p2p).toMatchObject({ chat_id: DEMO.p2p, name: 'Bob Li', p2p_target_type: 'user', p2p_target_id: DEMO.bob });
    });

    it('pages with stable opaque tokens', async () => {
      const tok = await h.tenantToken();
      for (let i = 0; i < 3; i++) await h.call('POST', `${V1}/chats`, { token: tok, json: { name: `extra ${i}` } });
      const p1 = await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 2 } });
      expect(p1.body.data.items).toHaveLength(2);
      expect(p1.body.data.has_more).toBe(true);
      const t = p1.body.data.page_token;
      const p2 = await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 2, page_token: t } });
      const again = await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 2, page_token: t } });
      expect(again.body.data).toEqual(p2.body.data);
      const p3 = await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 2, page_token: p2.body.data.page_token } });
      expect(p3.body.data).toMatchObject({ has_more: false, page_token: '' });
      const ids = [...p1.body.data.items, ...p2.body.data.items, ...p3.body.data.items].map((c: any) => c.chat_id);
      expect(new Set(ids).size).toBe(5);
    });

    it('ByActiveTimeDesc puts the chat with the newest message first', async () => {
      await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 60 } });
      await h.call('POST', '/_emulator/messages', { json: { chat_id: DEMO.topics, sender: DEMO.carol, msg_type: 'text', content: '{"text":"bump"}' } });
      const r = await h.call('GET', `${V1}/chats`, { token: await h.tenantToken(), query: { sort_type: 'ByActiveTimeDesc' } });
      expect(r.body.data.items[0].chat_id).toBe(DEMO.topics);
    });

    it('validates page_size, page_token and sort_type', async () => {
      const tok = await h.tenantToken();
      expect((await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 101 } })).body.code).toBe(99992402);
      expect((await h.call('GET', `${V1}/chats`, { token: tok, query: { page_size: 0 } })).body.code).toBe(99992402);
      expect((await h.call('GET', `${V1}/chats`, { token: tok, query: { page_token: 'garbage' } })).body.code).toBe(99992402);
      expect((await h.call('GET', `${V1}/chats`, { token: tok, query: { sort_type: 'Sideways' } })).body.code).toBe(232001);
    });
  });

  describe('POST /im/v2/chats/search', () => {
    it('finds chats by name, strips the CLI\'s quotes, and by member name', async () => {
      const alice = h.userToken(DEMO.alice);
      const r = await h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, query: { page_size: 20 }, json: { query: 'phoenix' } });
      expect(r.body.code).toBe(0);
      expect(r.body.data).toMatchObject({ total: 1, has_more: false, page_token: '' });
      expect(r.body.data.items[0].meta_data).toMatchObject({ chat_id: DEMO.project, name: 'Project Phoenix', chat_mode: 'group' });
      await h.call('PUT', `${V1}/chats/${DEMO.project}`, { token: alice, json: { name: 'team-alpha' } });
      const q = await h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, json: { query: '"team-alpha"' } });
      expect(q.body.data.items.map((i: any) => i.meta_data.chat_id)).toEqual([DEMO.project]);
      const byUser = await h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, json: { query: 'dave' } });
      expect(byUser.body.data.items.map((i: any) => i.meta_data.chat_id)).toEqual([DEMO.topics]);
      const off = await h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, json: { query: 'dave', filter: { disable_search_by_user: true } } });
      expect(off.body.data.total).toBe(0);
    });

    it('filters by members, chat modes, manager role and search types; sorts; pages', async () => {
      const alice = h.userToken(DEMO.alice);
      const s = (json: unknown, query?: Record<string, string | number>) => h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, json, query });
      const ids = (r: any) => r.body.data.items.map((i: any) => i.meta_data.chat_id);
      expect(ids(await s({ filter: { member_ids: [DEMO.dave] } }))).toEqual([DEMO.topics]);
      expect(ids(await s({ filter: { member_ids: [DEMO.alice], chat_modes: ['thread'] } }))).toEqual([DEMO.topics]);
      expect(ids(await s({ filter: { member_ids: [DEMO.alice], is_manager: true } }))).toEqual([DEMO.project]);
      const pub = await h.call('POST', `${V1}/chats`, { token: h.userToken(DEMO.dave), json: { name: 'Open Design', chat_type: 'public' } });
      expect(ids(await s({ query: 'design', filter: { search_types: ['public_not_joined'] } }))).toEqual([pub.body.data.chat_id]);
      expect(ids(await s({ query: 'design', filter: { search_types: ['private'] } }))).toEqual([DEMO.topics]);
      const sorted = await s({ filter: { member_ids: [DEMO.alice] }, sorter: 'member_count_desc' }, { page_size: 1 });
      expect(sorted.body.data).toMatchObject({ total: 2, has_more: true });
      const next = await s({ filter: { member_ids: [DEMO.alice] }, sorter: 'member_count_desc' }, { page_size: 1, page_token: sorted.body.data.page_token });
      expect(new Set([...ids(sorted), ...ids(next)])).toEqual(new Set([DEMO.project, DEMO.topics]));
      expect(next.body.data.has_more).toBe(false);
    });

    it('validates: empty query and members, bad filters, page_size', async () => {
      const alice = h.userToken(DEMO.alice);
      const code = async (json: unknown, query?: Record<string, number>) => (await h.call('POST', '/open-apis/im/v2/chats/search', { token: alice, json, query })).body.code;
      expect(await code({})).toBe(232001);
      expect(await code({ query: 'x', filter: { search_types: ['secret'] } })).toBe(232001);
      expect(await code({ query: 'x', filter: { chat_modes: ['group'] } })).toBe(232001);
      expect(await code({ query: 'x', sorter: 'asc' })).toBe(232001);
      expect(await code({ query: 'x' }, { page_size: 500 })).toBe(99992402);
    });

    it('the v1 search answers list rows', async () => {
      const r = await h.call('GET', `${V1}/chats/search`, { token: await h.tenantToken(), query: { query: 'design' } });
      expect(r.body.data.items.map((c: any) => c.chat_id)).toEqual([DEMO.topics]);
    });
  });

  describe('POST /im/v1/chats/:chat_id/link', () => {
    it('answers a share link with its expiry, stable across calls', async () => {
      const tok = await h.tenantToken();
      const w = await h.call('POST', `${V1}/chats/${DEMO.project}/link`, { token: tok, json: { validity_period: 'week' } });
      expect(w.body.code).toBe(0);
      expect(w.body.data.share_link).toMatch(/^https:\/\/applink\.feishu\.cn\/client\/chat\/chatter\/add_by_link\?link_token=/);
      expect(w.body.data.is_permanent).toBe(false);
      expect(Number(w.body.data.expire_time)).toBeGreaterThan(Date.now() / 1000 + 6 * 86400);
      const p = await h.call('POST', `${V1}/chats/${DEMO.project}/link`, { token: tok, json: { validity_period: 'permanently' } });
      expect(p.body.data).toMatchObject({ share_link: w.body.data.share_link, is_permanent: true });
      const none = await h.call('POST', `${V1}/chats/${DEMO.project}/link`, { token: tok });
      expect(none.body.code).toBe(0);
    });

    it('refuses outsiders, p2p chats, unknown chats and bad periods', async () => {
      expect((await h.call('POST', `${V1}/chats/${DEMO.project}/link`, { token: h.userToken(DEMO.dave) })).body.code).toBe(232011);
      expect((await h.call('POST', `${V1}/chats/${DEMO.p2p}/link`, { token: h.userToken(DEMO.alice) })).body.code).toBe(232008);
      expect((await h.call('POST', `${V1}/chats/oc_none/link`, { token: h.userToken(DEMO.alice) })).body.code).toBe(232006);
      expect((await h.call('POST', `${V1}/chats/${DEMO.project}/link`, { token: h.userToken(DEMO.alice), json: { validity_period: 'forever' } })).body.code).toBe(232001);
    });
  });

  describe('POST /im/v1/chats/batch_query and /im/v1/chat_p2p/batch_query', () => {
    it('answers the chats the caller can see, p2p with an empty name', async () => {
      const r = await h.call('POST', `${V1}/chats/batch_query`, { token: h.userToken(DEMO.alice), query: { user_id_type: 'open_id' }, json: { chat_ids: [DEMO.project, DEMO.p2p, 'oc_unknown', DEMO.project] } });
      expect(r.body.code).toBe(0);
      expect(r.body.data.items).toHaveLength(2);
      expect(r.body.data.items[0]).toMatchObject({ chat_id: DEMO.project, name: 'Project Phoenix', chat_mode: 'group', owner_id: DEMO.alice, owner_id_type: 'open_id' });
      expect(r.body.data.items[1]).toMatchObject({ chat_id: DEMO.p2p, name: '', chat_mode: 'p2p', p2p_target_id: DEMO.bob, p2p_target_type: 'user' });
      const dave = await h.call('POST', `${V1}/chats/batch_query`, { token: h.userToken(DEMO.dave), json: { chat_ids: [DEMO.project] } });
      expect(dave.body.data.items).toEqual([]);
      expect((await h.call('POST', `${V1}/chats/batch_query`, { token: h.userToken(DEMO.dave), json: { chat_ids: 'oc_x' } })).body.code).toBe(232001);
      expect((await h.call('POST', `${V1}/chats/batch_query`, { token: h.userToken(DEMO.dave), json: {} })).body.code).toBe(232001);
    });

    it('finds the p2p chat with a chatter', async () => {
      const r = await h.call('POST', `${V1}/chat_p2p/batch_query`, { token: h.userToken(DEMO.alice), query: { chatter_id_type: 'open_id' }, json: { chatter_ids: [DEMO.bob] } });
      expect(r.body).toMatchObject({ code: 0, data: { p2p_chats: [{ chat_id: DEMO.p2p, chatter_id: DEMO.bob }] } });
      const none = await h.call('POST', `${V1}/chat_p2p/batch_query`, { token: h.userToken(DEMO.alice), json: { chatter_ids: [DEMO.dave, 'ou_nobody'] } });
      expect(none.body.data.p2p_chats).toEqual([]);
      expect((await h.call('POST', `${V1}/chat_p2p/batch_query`, { token: h.userToken(DEMO.alice), json: { chatter_ids: [1] } })).body.code).toBe(232001);
    });
  });
});

describe('emulator: chats with a limited app', () => {
  const h = useEmulator({ seed: limitedAppSeed(1, 'Limited', 'Lee', ['im:message']).seed });

  it('refuses chat endpoints with 99991672 and the accepted scopes', async () => {
    const tok = await h.tenantToken();
    const r = await h.call('GET', `${V1}/chats/oc_limited0000000000000000000000001`, { token: tok });
    expect(r.body.code).toBe(99991672);
    expect(r.body.msg).toContain('im:chat:read');
    expect(r.body.error.permission_violations.map((v: any) => v.subject)).toEqual(['im:chat:readonly', 'im:chat', 'im:chat:read']);
    expect((await h.call('POST', `${V1}/chats`, { token: tok, json: {} })).body.code).toBe(99991672);
    expect((await h.call('GET', `${V1}/chats`, { token: tok })).body.code).toBe(99991672);
    expect((await h.call('POST', '/open-apis/im/v2/chats/search', { token: tok, json: { query: 'x' } })).body.code).toBe(99991672);
  });

  it('a user token of that app is refused by the app\'s grant first (99991672)', async () => {
    const r = await h.call('GET', `${V1}/chats`, { token: h.userToken('ou_limited00000000000000000000001', ['im:message']) });
    expect(r.body.code).toBe(99991672);
  });
});

describe('emulator: chats, user scopes', () => {
  const h = useEmulator();
  it('a user token without im:chat:read is refused with 99991679', async () => {
    const r = await h.call('GET', `${V1}/chats`, { token: h.userToken(DEMO.alice, ['im:message']) });
    expect(r.body.code).toBe(99991679);
    expect(r.body.error.permission_violations).toHaveLength(3);
  });
});
