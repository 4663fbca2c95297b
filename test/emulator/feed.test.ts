import { describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { ALL_IM_SCOPES, DEMO, useEmulator, type CallResult, type EmulatorHandle } from '../helpers/emulator.js';

const SC = '/open-apis/im/v2/feed_shortcuts';
const G = '/open-apis/im/v1/groups';
const SHORTCUT_SCOPES = ['im:feed.shortcut:read', 'im:feed.shortcut:write', 'im:chat:read'];
const chat = (id: string, type = 1) => ({ feed_card_id: id, type });
const feed = (id: string) => ({ feed_id: id, feed_type: 'chat' });

/**
 * Alice with only `<scope>:read` may list but not write (99991679 naming `<scope>:write`);
 * with only `<scope>:write` she may not list.
 */
async function expectReadWriteSplit(
  h: EmulatorHandle,
  scope: string,
  write: (token: string) => Promise<CallResult>,
  list: (token: string) => Promise<CallResult>,
): Promise<void> {
  const readOnly = h.userToken(DEMO.alice, [`${scope}:read`]);
  const w = await write(readOnly);
  expect(w.body.code).toBe(99991679);
  expect(w.body.error.permission_violations[0].subject).toBe(`${scope}:write`);
  expect((await list(readOnly)).body.code).toBe(0);
  expect((await list(h.userToken(DEMO.alice, [`${scope}:write`]))).body.code).toBe(99991679);
}

describe('emulator feed shortcuts', () => {
  const h = useEmulator();
  const tok = (who: string = DEMO.alice) => h.userToken(who, SHORTCUT_SCOPES);
  const create = (t: string, shortcuts: unknown[], is_header?: boolean) => h.call('POST', SC, { token: t, json: { shortcuts, is_header } });
  const remove = (t: string, shortcuts: unknown[]) => h.call('POST', `${SC}/remove`, { token: t, json: { shortcuts } });
  const list = (t: string, query?: Record<string, string | number>) => h.call('GET', SC, { token: t, query });
  const ids = async (t: string) => (await list(t)).body.data.shortcuts.map((s: any) => s.feed_card_id);

  it('pins chats at the head or the tail and lists them in sidebar order', async () => {
    const t = tok();
    const a = await create(t, [chat(DEMO.project)], true);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ code: 0, data: { failed_shortcuts: [] } });
    expect(h.emu.db.t.feed_shortcuts.size).toBe(1);
    expect([...h.emu.db.t.feed_shortcuts.values()][0]).toMatchObject({ owner: DEMO.alice, feed_id: DEMO.project });
    await create(t, [chat(DEMO.topics)], true);
    await create(t, [chat(DEMO.p2p)], false);
    const l = await list(t);
    expect(l.body.code).toBe(0);
    expect(l.body.data).toMatchObject({ has_more: false, page_token: '' });
    expect(l.body.data.shortcuts).toEqual([chat(DEMO.topics), chat(DEMO.project), chat(DEMO.p2p)]);
    // several at the head keep their request order
    await remove(t, [chat(DEMO.topics), chat(DEMO.p2p)]);
    await create(t, [chat(DEMO.p2p), chat(DEMO.topics)]);
    expect(await ids(t)).toEqual([DEMO.p2p, DEMO.topics, DEMO.project]);
  });

  it('re-adding is a no-op; per-item problems come back in failed_shortcuts', async () => {
    const t = tok(DEMO.dave); // dave is only in the topic chat
    await create(t, [chat(DEMO.topics)]);
    const r = await create(t, [chat(DEMO.topics), chat('oc_unknown'), chat(DEMO.project), chat(DEMO.topics, 2)]);
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_shortcuts).toEqual([
      { shortcut: chat('oc_unknown'), reason: 2 },
      { shortcut: chat(DEMO.project), reason: 1 },
      { shortcut: chat(DEMO.topics, 2), reason: 4 },
    ]);
    expect(await ids(t)).toEqual([DEMO.topics]);
    expect(h.emu.db.t.feed_shortcuts.size).toBe(1);
  });

  it('removes shortcuts; removing an absent one succeeds', async () => {
    const t = tok();
    await create(t, [chat(DEMO.project), chat(DEMO.topics)]);
    const r = await remove(t, [chat(DEMO.project), chat('oc_never_pinned')]);
    expect(r.body).toMatchObject({ code: 0, data: { failed_shortcuts: [] } });
    expect(await ids(t)).toEqual([DEMO.topics]);
    const bad = await remove(t, [chat(DEMO.topics, 3)]);
    expect(bad.body.data.failed_shortcuts).toEqual([{ shortcut: chat(DEMO.topics, 3), reason: 4 }]);
    expect(await ids(t)).toEqual([DEMO.topics]);
  });

  it('each user has their own shortcuts', async () => {
    await create(tok(), [chat(DEMO.project)]);
    expect(await ids(tok(DEMO.bob))).toEqual([]);
    await remove(tok(DEMO.bob), [chat(DEMO.project)]);
    expect(await ids(tok())).toEqual([DEMO.project]);
  });

  it('refuses malformed bodies', async () => {
    const t = tok();
    const eleven = Array.from({ length: 11 }, (_, i) => chat(`oc_${i}`));
    for (const json of [undefined, {}, { shortcuts: 'oc_x' }, { shortcuts: [] }, { shortcuts: eleven }, { shortcuts: ['oc_x'] }, { shortcuts: [{ feed_card_id: 1, type: 1 }] }, { shortcuts: [{ feed_card_id: DEMO.project, type: '1' }] }, { shortcuts: [chat(DEMO.project)], is_header: 'yes' }]) {
      const r = await h.call('POST', SC, { token: t, json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.code, JSON.stringify(json)).toBe(99992402);
    }
    const r = await h.call('POST', `${SC}/remove`, { token: t, json: { shortcuts: eleven } });
    expect(r.body.code).toBe(99992402);
    expect(h.emu.db.t.feed_shortcuts.size).toBe(0);
  });

  it('pages with version-locked tokens: a changed list refuses an old token', async () => {
    const t = tok();
    await create(t, [chat(DEMO.project), chat(DEMO.topics), chat(DEMO.p2p)]);
    const p1 = await list(t, { page_size: 2 });
    expect(p1.body.data.shortcuts).toHaveLength(2);
    expect(p1.body.data.has_more).toBe(true);
    const p2 = await list(t, { page_token: p1.body.data.page_token, page_size: 2 });
    expect(p2.body.data).toEqual({ shortcuts: [chat(DEMO.p2p)], has_more: false, page_token: '' });
    await remove(t, [chat(DEMO.project)]);
    const stale = await list(t, { page_token: p1.body.data.page_token, page_size: 2 });
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe(99992402);
    expect((await list(t, { page_token: 'junk' })).body.code).toBe(99992402);
    expect((await list(t, { page_size: 51 })).body.code).toBe(99992402);
    expect((await list(tok(DEMO.bob), { page_token: p1.body.data.page_token })).body.code).toBe(99992402);
  });

  it('is user-only and checks im:feed.shortcut scopes', async () => {
    const bot = await h.tenantToken();
    expect((await create(bot, [chat(DEMO.project)])).body.code).toBe(99991668);
    expect((await remove(bot, [chat(DEMO.project)])).body.code).toBe(99991668);
    expect((await list(bot)).body.code).toBe(99991668);
    await expectReadWriteSplit(h, 'im:feed.shortcut', (t) => create(t, [chat(DEMO.project)]), list);
    expect(h.emu.db.t.feed_shortcuts.size).toBe(0);
  });
});

describe('emulator feed groups', () => {
  const h = useEmulator();
  const tok = (who: string = DEMO.alice) => h.userToken(who, ALL_IM_SCOPES);
  const createGroup = (t: string, creator: unknown, query?: Record<string, string>) => h.call('POST', G, { token: t, json: { feed_group_creator: creator }, query });
  const normal = async (t: string, name: string) => {
    const r = await createGroup(t, { type: 'normal', name });
    expect(r.body.code).toBe(0);
    return r.body.data.group_id as string;
  };
  const listGroups = (t: string, query: Record<string, string | number> = { page_size: 50, page_token: '' }) => h.call('GET', G, { token: t, query });
  const add = (t: string, id: string, items: unknown[]) => h.call('POST', `${G}/${id}/batch_add_item`, { token: t, json: { items } });
  const rm = (t: string, id: string, items: unknown[]) => h.call('POST', `${G}/${id}/batch_remove_item`, { token: t, json: { items } });
  const listItems = (t: string, id: string, query: Record<string, string | number> = { page_size: 50 }) => h.call('GET', `${G}/${id}/list_item`, { token: t, query });

  it('creates a normal group (ofg_ id) and finds it with list and batch_query', async () => {
    const t = tok();
    const r = await createGroup(t, { type: 'normal', name: 'Releases' });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    const id = r.body.data.group_id;
    expect(id).toMatch(/^ofg_[0-9a-f]{24}$/);
    expect(h.emu.db.get('feed_groups', id)).toMatchObject({ owner: DEMO.alice, name: 'Releases', props: { type: 'normal' }, items: [] });
    const l = await listGroups(t);
    expect(l.body.data).toEqual({ groups: [{ group_id: id, type: 'normal', name: 'Releases' }], deleted_groups: [], page_token: '', has_more: false });
    const q = await h.call('POST', `${G}/batch_query`, { token: t, json: { group_ids: [id, 'ofg_unknown'] } });
    expect(q.body.data).toEqual({ groups: [{ group_id: id, type: 'normal', name: 'Releases' }], deleted_groups: [] });
  });

  it('adds, lists, queries and removes items; failures are per item', async () => {
    const t = tok();
    const id = await normal(t, 'Work');
    const a = await add(t, id, [feed(DEMO.project), feed(DEMO.topics), feed(DEMO.project), feed('oc_gone'), { feed_id: DEMO.p2p, feed_type: 'doc' }]);
    expect(a.body.code).toBe(0);
    expect(a.body.data.failed_items).toEqual([
      { item: feed(DEMO.project), error_code: 230001, error_message: 'duplicate feed in the request' },
      { item: feed('oc_gone'), error_code: 232010, error_message: 'Chat not found or has been disbanded.' },
      { item: { feed_id: DEMO.p2p, feed_type: 'doc' }, error_code: 230001, error_message: 'feed_type must be chat' },
    ]);
    const again = await add(t, id, [feed(DEMO.project)]);
    expect(again.body.data.failed_items[0].error_message).toBe('the feed is already in the feed group');
    // bob is not in the topic chat
    const bobGroup = await normal(tok(DEMO.bob), 'Bob');
    const out = await add(tok(DEMO.bob), bobGroup, [feed(DEMO.topics)]);
    expect(out.body.data.failed_items[0]).toMatchObject({ error_code: 232011 });

    const li = await listItems(t, id);
    expect(li.body.code).toBe(0);
    expect(li.body.data.items.map((i: any) => i.feed_id).sort()).toEqual([DEMO.project, DEMO.topics].sort());
    expect(li.body.data.items[0]).toMatchObject({ feed_type: 'chat', update_time: expect.stringMatching(/^\d{13}$/) });
    expect(li.body.data).toMatchObject({ deleted_items: [], has_more: false, page_token: '' });

    const r = await rm(t, id, [feed(DEMO.topics), feed(DEMO.p2p)]);
    expect(r.body.data.failed_items).toEqual([{ item: feed(DEMO.p2p), error_code: 230001, error_message: 'the feed is not in the feed group' }]);
    const g = h.emu.db.get('feed_groups', id)!;
    expect(g.items.map((i) => i.feed_id)).toEqual([DEMO.project]);
    expect(g.deleted_items!.map((i) => i.feed_id)).toEqual([DEMO.topics]);
    const li2 = await listItems(t, id);
    expect(li2.body.data.items.map((i: any) => i.feed_id)).toEqual([DEMO.project]);
    expect(li2.body.data.deleted_items.map((i: any) => i.feed_id)).toEqual([DEMO.topics]);

    const q = await h.call('POST', `${G}/${id}/batch_query_item`, { token: t, json: { items: [feed(DEMO.topics), feed(DEMO.project), feed(DEMO.p2p)] } });
    expect(q.body.code).toBe(0);
    expect(q.body.data.items.map((i: any) => i.feed_id)).toEqual([DEMO.project]);
    expect(q.body.data.deleted_items.map((i: any) => i.feed_id)).toEqual([DEMO.topics]);

    // added back: live again, no longer deleted
    await add(t, id, [feed(DEMO.topics)]);
    const g2 = h.emu.db.get('feed_groups', id)!;
    expect(g2.items.map((i) => i.feed_id)).toEqual([DEMO.project, DEMO.topics]);
    expect(g2.deleted_items).toEqual([]);
  });

  it('updates with integer update_fields only', async () => {
    const t = tok();
    const id = await normal(t, 'Old');
    const up = (feed_group_updater: unknown) => h.call('PUT', `${G}/${id}`, { token: t, json: { feed_group_updater } });
    const r = await up({ name: 'New', update_fields: [1] });
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(h.emu.db.get('feed_groups', id)!.name).toBe('New');
    // no update_fields: nothing changes
    expect((await up({ name: 'Ignored' })).body.code).toBe(0);
    expect((await up({ name: 'Ignored', update_fields: [] })).body.code).toBe(0);
    expect(h.emu.db.get('feed_groups', id)!.name).toBe('New');
    const strings = await up({ name: 'X', update_fields: ['name'] });
    expect(strings.status).toBe(400);
    expect(strings.body.code).toBe(9499);
    expect((await up({ name: 'X', update_fields: [3] })).body.code).toBe(9499);
    expect((await up({ update_fields: [1] })).body.code).toBe(99992402);
    // rules belong to rule groups only
    expect((await up({ rules: { rules: [] }, update_fields: [2] })).body.code).toBe(230001);
    expect((await h.call('PUT', `${G}/${id}`, { token: t, json: {} })).body.code).toBe(99992402);
    expect(h.emu.db.get('feed_groups', id)!.name).toBe('New');
  });

  it('rule groups: items follow the rules over the user\'s chats', async () => {
    const t = tok();
    const rules = (items: unknown[], match_type = 'match_all', action = 'add') => ({ rules: [{ condition: { match_type, condition_items: items }, action }] });
    const mk = async (name: string, r: unknown, query?: Record<string, string>) => {
      const res = await createGroup(t, { type: 'rule', name, rules: r }, query);
      expect(res.body.code, JSON.stringify(res.body)).toBe(0);
      return res.body.data.group_id as string;
    };
    const itemsOf = async (id: string) => (await listItems(t, id)).body.data.items.map((i: any) => i.feed_id).sort();
    const topics = await mk('Topics', rules([{ type: 'chat_type', operator: 'is', chat_type: 'thread_group' }]));
    expect(await itemsOf(topics)).toEqual([DEMO.topics]);
    const phoenix = await mk('Phoenix', rules([{ type: 'keyword', operator: 'contain', keyword: 'phoenix' }]));
    expect(await itemsOf(phoenix)).toEqual([DEMO.project]);
    const withBob = await mk('Bob', rules([{ type: 'chatter', operator: 'is', user_id: DEMO.bob }]));
    expect(await itemsOf(withBob)).toEqual([DEMO.p2p, DEMO.project].sort());
    const notBob = await mk('Not Bob', {
      rules: [
        { condition: { match_type: 'match_any', condition_items: [{ type: 'chat_type', operator: 'is', chat_type: 'any' }] }, action: 'add' },
        { condition: { match_type: 'match_all', condition_items: [{ type: 'chatter', operator: 'is', user_id: DEMO.bob }] }, action: 'remove' },
      ],
    });
    expect(await itemsOf(notBob)).toEqual([DEMO.topics]);
    // chatter ids in the caller's id type, answered in the asked one
    const bob = h.emu.db.get('users', DEMO.bob)!;
    const byUnion = await mk('By union', rules([{ type: 'chatter', operator: 'is', user_id: bob.union_id }]), { user_id_type: 'union_id' });
    expect(await itemsOf(byUnion)).toEqual([DEMO.p2p, DEMO.project].sort());
    const q = await h.call('POST', `${G}/batch_query`, { token: t, json: { group_ids: [byUnion] }, query: { user_id_type: 'user_id' } });
    expect(q.body.data.groups[0]).toMatchObject({ type: 'rule', name: 'By union' });
    expect(q.body.data.groups[0].rules.rules[0].condition.condition_items[0].user_id).toBe(bob.user_id);
    // rules replaced by update
    const up = await h.call('PUT', `${G}/${topics}`, { token: t, json: { feed_group_updater: { rules: rules([{ type: 'chat_type', operator: 'is', chat_type: 'p2p' }]), update_fields: [2] } } });
    expect(up.body.code).toBe(0);
    expect(await itemsOf(topics)).toEqual([DEMO.p2p]);
    // items of a rule group cannot be managed by hand
    expect((await add(t, topics, [feed(DEMO.project)])).body.code).toBe(230001);
  });

  it('refuses bad creators and rules with field errors', async () => {
    const t = tok();
    const bad: unknown[] = [
      undefined,
      'x',
      { name: 'No type' },
      { type: 'smart', name: 'X' },
      { type: 'normal' },
      { type: 'normal', name: '   ' },
      { type: 'normal', name: 'x'.repeat(61) },
      { type: 'normal', name: 'X', rules: { rules: [] } },
      { type: 'rule', name: 'X' },
      { type: 'rule', name: 'X', rules: { rules: 'all' } },
      { type: 'rule', name: 'X', rules: { rules: [{ action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_some', condition_items: [] }, action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_all', condition_items: [{ type: 'keyword', operator: 'is', keyword: 'a' }] }, action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_all', condition_items: [{ type: 'keyword', operator: 'contain' }] }, action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_all', condition_items: [{ type: 'chatter', operator: 'is', user_id: 'ou_nobody' }] }, action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_all', condition_items: [{ type: 'chat_type', operator: 'is', chat_type: 'channel' }] }, action: 'add' }] } },
      { type: 'rule', name: 'X', rules: { rules: [{ condition: { match_type: 'match_all', condition_items: [{ type: 'chat_type', operator: 'is', chat_type: 'p2p' }] }, action: 'keep' }] } },
    ];
    for (const creator of bad) {
      const r = await createGroup(t, creator);
      expect(r.status, JSON.stringify(creator)).toBe(400);
      expect(r.body.code, JSON.stringify(creator)).toBe(99992402);
      expect(r.body.error.field_violations[0].field).toMatch(/^feed_group_creator/);
    }
    expect((await createGroup(t, { type: 'normal', name: 'X' }, { user_id_type: 'email' })).body.code).toBe(99992402);
    expect(h.emu.db.t.feed_groups.size).toBe(0);
    // a second live group of the same name is refused; after deleting the first it is fine
    const id = await normal(t, 'Dup');
    const dup = await createGroup(t, { type: 'normal', name: 'Dup' });
    expect(dup.body.code).toBe(230001);
    expect(dup.body.msg).toContain('already exists');
    await h.call('DELETE', `${G}/${id}`, { token: t });
    expect((await createGroup(t, { type: 'normal', name: 'Dup' })).body.code).toBe(0);
    // other bodies
    for (const [path, json] of [
      [`${G}/${id}/batch_add_item`, {}],
      [`${G}/batch_query`, { group_ids: [] }],
      [`${G}/batch_query`, { group_ids: [1] }],
      [`${G}/batch_query`, { group_ids: Array.from({ length: 51 }, (_, i) => `ofg_${i}`) }],
    ] as const) {
      const r = await h.call('POST', path, { token: t, json });
      expect(r.body.code, path).toBe(path.includes('batch_add_item') ? 230001 : 99992402);
    }
    const live = await normal(t, 'Live');
    for (const json of [{}, { items: [] }, { items: ['oc_x'] }, { items: [{ feed_type: 'chat' }] }, { items: Array.from({ length: 51 }, (_, i) => feed(`oc_${i}`)) }]) {
      expect((await add(t, live, json.items as unknown[])).body.code, JSON.stringify(json)).toBe(99992402);
    }
  });

  it('deletes softly: deleted groups are listed apart and refuse further changes', async () => {
    const t = tok();
    const id = await normal(t, 'Temp');
    const d = await h.call('DELETE', `${G}/${id}`, { token: t });
    expect(d.body).toMatchObject({ code: 0, data: {} });
    expect(h.emu.db.get('feed_groups', id)!.deleted).toBe(true);
    const l = await listGroups(t);
    expect(l.body.data.groups).toEqual([]);
    expect(l.body.data.deleted_groups).toEqual([{ group_id: id, type: 'normal', name: 'Temp' }]);
    const q = await h.call('POST', `${G}/batch_query`, { token: t, json: { group_ids: [id] } });
    expect(q.body.data).toEqual({ groups: [], deleted_groups: [{ group_id: id, type: 'normal', name: 'Temp' }] });
    for (const [method, path] of [['DELETE', `${G}/${id}`], ['PUT', `${G}/${id}`], ['POST', `${G}/${id}/batch_add_item`], ['GET', `${G}/${id}/list_item`]] as const) {
      const r = await h.call(method, path, { token: t, json: method === 'GET' || method === 'DELETE' ? undefined : { feed_group_updater: { name: 'x', update_fields: [1] }, items: [feed(DEMO.project)] } });
      expect(r.body.code, `${method} ${path}`).toBe(230001);
    }
  });

  it('users see only their own groups; unknown ids are refused', async () => {
    const id = await normal(tok(), 'Mine');
    const bob = tok(DEMO.bob);
    expect((await listGroups(bob)).body.data.groups).toEqual([]);
    expect((await h.call('POST', `${G}/batch_query`, { token: bob, json: { group_ids: [id] } })).body.data.groups).toEqual([]);
    for (const gid of [id, 'ofg_000000000000000000000000']) {
      expect((await listItems(bob, gid)).body.code).toBe(230001);
      expect((await h.call('DELETE', `${G}/${gid}`, { token: bob })).body.code).toBe(230001);
      expect((await add(bob, gid, [feed(DEMO.project)])).body.code).toBe(230001);
      expect((await rm(bob, gid, [feed(DEMO.project)])).body.code).toBe(230001);
      expect((await h.call('POST', `${G}/${gid}/batch_query_item`, { token: bob, json: { items: [feed(DEMO.project)] } })).body.code).toBe(230001);
    }
    expect(h.emu.db.get('feed_groups', id)!.deleted).toBeFalsy();
  });

  it('pages groups (live and deleted together) and items, with time windows', async () => {
    const t = tok();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await normal(t, `G${i}`));
    await h.call('DELETE', `${G}/${ids[1]}`, { token: t });
    const live: string[] = [];
    const deleted: string[] = [];
    let token = '';
    let pages = 0;
    for (;;) {
      const r = await listGroups(t, { page_size: 2, page_token: token });
      expect(r.body.code).toBe(0);
      pages++;
      expect(r.body.data.groups.length + r.body.data.deleted_groups.length).toBeLessThanOrEqual(2);
      live.push(...r.body.data.groups.map((g: any) => g.group_id));
      deleted.push(...r.body.data.deleted_groups.map((g: any) => g.group_id));
      if (!r.body.data.has_more) break;
      token = r.body.data.page_token;
    }
    expect(pages).toBe(3);
    expect(live).toEqual([ids[0], ids[2], ids[3], ids[4]]);
    expect(deleted).toEqual([ids[1]]); // the delete made it the newest
    // page_token is required by the groups list (empty for the first page)
    const missing = await h.call('GET', G, { token: t, query: { page_size: 10 } });
    expect(missing.status).toBe(400);
    expect(missing.body.msg).toBe('Missing required parameter: page_token');
    expect((await listGroups(t, { page_size: 51, page_token: '' })).body.code).toBe(99992402);
    expect((await listGroups(t, { page_size: 10, page_token: '', start_time: 'yesterday' })).body.code).toBe(99992402);
    // the time window filters by update time
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 3600 } });
    const later = String(h.emu.clock.now());
    await h.call('PUT', `${G}/${ids[0]}`, { token: t, json: { feed_group_updater: { name: 'Renamed', update_fields: [1] } } });
    const w = await listGroups(t, { page_size: 10, page_token: '', start_time: later });
    expect(w.body.data.groups.map((g: any) => g.name)).toEqual(['Renamed']);
    const before = await listGroups(t, { page_size: 10, page_token: '', end_time: String(Number(later) - 1) });
    expect(before.body.data.groups.map((g: any) => g.name)).toEqual(['G2', 'G3', 'G4']);

    // items: three chats, page size 2
    await add(t, ids[2]!, [feed(DEMO.project), feed(DEMO.topics), feed(DEMO.p2p)]);
    const p1 = await listItems(t, ids[2]!, { page_size: 2 });
    expect(p1.body.data.items).toHaveLength(2);
    expect(p1.body.data.has_more).toBe(true);
    const p1again = await listItems(t, ids[2]!, { page_size: 2, page_token: p1.body.data.page_token });
    const p2 = await listItems(t, ids[2]!, { page_size: 2, page_token: p1.body.data.page_token });
    expect(p2.body.data).toEqual(p1again.body.data);
    expect(p2.body.data.items).toHaveLength(1);
    expect(p2.body.data.has_more).toBe(false);
    const all = [...p1.body.data.items, ...p2.body.data.items].map((i: any) => i.feed_id).sort();
    expect(all).toEqual([DEMO.project, DEMO.topics, DEMO.p2p].sort());
    // a token of another group's listing is refused
    expect((await listItems(t, ids[3]!, { page_size: 2, page_token: p1.body.data.page_token })).body.code).toBe(99992402);
  });

  it('is user-only and checks the feed group scopes', async () => {
    const bot = await h.tenantToken();
    const calls = [
      ['POST', G, { feed_group_creator: { type: 'normal', name: 'X' } }],
      ['GET', G, undefined],
      ['POST', `${G}/batch_query`, { group_ids: ['ofg_x'] }],
      ['PUT', `${G}/ofg_x`, { feed_group_updater: {} }],
      ['DELETE', `${G}/ofg_x`, undefined],
      ['POST', `${G}/ofg_x/batch_add_item`, { items: [feed(DEMO.project)] }],
      ['POST', `${G}/ofg_x/batch_remove_item`, { items: [feed(DEMO.project)] }],
      ['GET', `${G}/ofg_x/list_item`, undefined],
      ['POST', `${G}/ofg_x/batch_query_item`, { items: [feed(DEMO.project)] }],
    ] as const;
    for (const [method, path, json] of calls) {
      const r = await h.call(method, path, { token: bot, json, query: method === 'GET' ? { page_token: '' } : undefined });
      expect(r.body.code, `${method} ${path}`).toBe(99991668);
    }
    await expectReadWriteSplit(h, 'im:feed_group_v1', (t) => createGroup(t, { type: 'normal', name: 'X' }), (t) => listGroups(t));
    expect(h.emu.db.t.feed_groups.size).toBe(0);
  });
});

describe('emulator feed: an app without the feed scopes', () => {
  const seed = demoSeed();
  seed.apps = [{ ...seed.apps[0]!, scopes: ['im:message', 'im:chat:read'] }];
  const h = useEmulator({ seed });

  it('answers 99991672 for feed shortcuts and feed groups', async () => {
    const t = h.userToken(DEMO.alice, [...ALL_IM_SCOPES, ...SHORTCUT_SCOPES]);
    const a = await h.call('POST', SC, { token: t, json: { shortcuts: [chat(DEMO.project)], is_header: true } });
    expect(a.body.code).toBe(99991672);
    expect(a.body.error.permission_violations.map((v: any) => v.subject)).toEqual(['im:feed.shortcut:write']);
    const g = await h.call('POST', G, { token: t, json: { feed_group_creator: { type: 'normal', name: 'X' } } });
    expect(g.body.code).toBe(99991672);
    expect(g.body.error.permission_violations.map((v: any) => v.subject)).toEqual(['im:feed_group_v1:write']);
    expect(h.emu.db.t.feed_shortcuts.size + h.emu.db.t.feed_groups.size).toBe(0);
  });
});
