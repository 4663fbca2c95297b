import { describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { ALL_IM_SCOPES, DEMO, useEmulator } from '../helpers/emulator.js';

const M1 = 'om_demo000000000000000000000000001'; // project (group chat)
const M2 = 'om_demo000000000000000000000000002';
const M5 = 'om_demo000000000000000000000000005'; // project, thread root
const M9 = 'om_demo000000000000000000000000009'; // topics (topic chat)
const M11 = 'om_demo000000000000000000000000011'; // p2p alice-bob

const FLAGS = '/open-apis/im/v1/flags';
const CANCEL = '/open-apis/im/v1/flags/cancel';
const item = (id: string, it = '0', ft = '2') => ({ item_id: id, item_type: it, flag_type: ft });

describe('emulator bookmarks (flags)', () => {
  const h = useEmulator();
  const alice = () => h.userToken(DEMO.alice);
  const create = (token: string, ...items: unknown[]) => h.call('POST', FLAGS, { token, json: { flag_items: items } });
  const cancel = (token: string, ...items: unknown[]) => h.call('POST', CANCEL, { token, json: { flag_items: items } });
  const list = (token: string, query: Record<string, string | number> = { page_size: 50, page_token: '' }) => h.call('GET', FLAGS, { token, query });

  it('creates a message-layer flag, lists it with the message inlined', async () => {
    const tok = alice();
    const r = await create(tok, item(M1));
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    expect(r.body.data.flag_items).toHaveLength(1);
    expect(r.body.data.flag_items[0]).toMatchObject({ item_id: M1, item_type: '0', flag_type: '2' });
    expect(r.body.data.flag_items[0].create_time).toMatch(/^\d{13}$/);
    const recs = [...h.emu.db.t.bookmarks.values()];
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ owner: DEMO.alice, item_id: M1, item_type: '0', flag_type: '2' });
    expect(recs[0]!.deleted).toBeFalsy();

    const l = await list(tok);
    expect(l.body.code).toBe(0);
    expect(l.body.data).toMatchObject({ has_more: false, page_token: '', delete_flag_items: [] });
    expect(l.body.data.flag_items).toEqual([r.body.data.flag_items[0]]);
    expect(l.body.data.messages).toHaveLength(1);
    expect(l.body.data.messages[0]).toMatchObject({ message_id: M1, chat_id: DEMO.project, msg_type: 'text' });
  });

  it('keeps both layers on one message; feed-layer item types follow the chat mode', async () => {
    const tok = alice();
    expect((await create(tok, item(M5), item(M5, '11', '1'))).body.code).toBe(0);
    expect((await create(tok, item(M9, '4', '1'))).body.code).toBe(0);
    expect((await create(tok, item(M11, '11', '1'))).body.code).toBe(0);
    const l = await list(tok);
    expect(l.body.data.flag_items.map((f: any) => [f.item_id, f.item_type, f.flag_type])).toEqual([
      [M5, '0', '2'],
      [M5, '11', '1'],
      [M9, '4', '1'],
      [M11, '11', '1'],
    ]);
    // only the message-layer flag comes with its message; feed-layer threads are read with mget
    expect(l.body.data.messages.map((m: any) => m.message_id)).toEqual([M5]);
    // a topic chat takes thread (4), any other chat msg_thread (11)
    const wrong1 = await create(tok, item(M9, '11', '1'));
    expect(wrong1.body.code).toBe(230001);
    const wrong2 = await create(tok, item(M1, '4', '1'));
    expect(wrong2.body.code).toBe(230001);
    expect(h.emu.db.t.bookmarks.size).toBe(4);
  });

  it('flagging again is a no-op; duplicates in one request are folded', async () => {
    const tok = alice();
    const a = await create(tok, item(M1));
    const b = await create(tok, item(M1), item(M1));
    expect(b.body.code).toBe(0);
    expect(b.body.data.flag_items).toEqual(a.body.data.flag_items);
    expect(h.emu.db.t.bookmarks.size).toBe(1);
  });

  it('cancels layer by layer (the double cancel), idempotently, and lists cancelled flags as deleted', async () => {
    const tok = alice();
    await create(tok, item(M5), item(M5, '11', '1'), item(M1));
    const c1 = await cancel(tok, item(M5));
    expect(c1.status).toBe(200);
    expect(c1.body).toMatchObject({ code: 0, data: {} });
    const c2 = await cancel(tok, item(M5, '11', '1'));
    expect(c2.body.code).toBe(0);
    // cancelling again, or a flag that never existed, or on an unknown message: still success
    expect((await cancel(tok, item(M5))).body.code).toBe(0);
    expect((await cancel(tok, item(M9, '4', '1'))).body.code).toBe(0);
    expect((await cancel(tok, item('om_nope'))).body.code).toBe(0);
    const l = await list(tok);
    expect(l.body.data.flag_items.map((f: any) => f.item_id)).toEqual([M1]);
    expect(l.body.data.delete_flag_items.map((f: any) => [f.item_id, f.item_type])).toEqual([
      [M5, '0'],
      [M5, '11'],
    ]);
    expect(h.emu.db.t.bookmarks.size).toBe(3);
    expect([...h.emu.db.t.bookmarks.values()].filter((b) => b.deleted)).toHaveLength(2);
    // flagged again: back among the live flags, now the newest
    await create(tok, item(M5));
    const l2 = await list(tok);
    expect(l2.body.data.flag_items.map((f: any) => f.item_id)).toEqual([M1, M5]);
    expect(l2.body.data.delete_flag_items).toHaveLength(1);
  });

  it('refuses malformed bodies with Lark field errors', async () => {
    const tok = alice();
    const cases: unknown[] = [
      undefined,
      {},
      { flag_items: 'x' },
      { flag_items: [] },
      { flag_items: Array.from({ length: 51 }, () => item(M1)) },
      { flag_items: ['om_x'] },
      { flag_items: [{ item_id: M1, item_type: 0, flag_type: 2 }] },
      { flag_items: [{ item_id: M1, item_type: '0' }] },
      { flag_items: [item(M1, '7', '2')] },
      { flag_items: [item(M1, '0', '0')] },
    ];
    for (const json of cases) {
      const r = await h.call('POST', FLAGS, { token: tok, json });
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.code, JSON.stringify(json)).toBe(99992402);
      expect(r.body.error.field_violations[0].field).toMatch(/^flag_items/);
    }
    // a pair that does not exist
    for (const bad of [item(M1, '0', '1'), item(M1, '4', '2'), item(M1, '11', '2')]) {
      const r = await create(tok, bad);
      expect(r.body.code).toBe(230001);
      const c = await cancel(tok, bad);
      expect(c.body.code).toBe(230001);
    }
    expect(h.emu.db.t.bookmarks.size).toBe(0);
  });

  it('refuses unknown and recalled messages and chats the user is not in; a refused request writes nothing', async () => {
    const tok = alice();
    const unknown = await create(tok, item(M1), item('om_doesnotexist'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe(230001);
    expect(h.emu.db.t.bookmarks.size).toBe(0);

    const m = h.emu.db.get('messages', M2)!;
    h.emu.db.put('messages', M2, { ...m, deleted: true });
    const recalled = await create(tok, item(M2));
    expect(recalled.body.code).toBe(230011);

    // dave is not in the project chat
    const dave = h.userToken(DEMO.dave);
    const out = await create(dave, item(M1));
    expect(out.body.code).toBe(230002);
    expect(out.body.msg).toBe('Bot/User can NOT be out of the chat.');
    expect(h.emu.db.t.bookmarks.size).toBe(0);
  });

  it('is user-only and checks the flag scopes', async () => {
    const bot = await h.tenantToken();
    for (const [method, path] of [['POST', FLAGS], ['POST', CANCEL], ['GET', FLAGS]] as const) {
      const r = await h.call(method, path, { token: bot, json: method === 'POST' ? { flag_items: [item(M1)] } : undefined });
      expect(r.body.code).toBe(99991668);
    }
    const readOnly = h.userToken(DEMO.alice, ['im:feed.flag:read']);
    const w = await create(readOnly, item(M1));
    expect(w.body.code).toBe(99991679);
    expect(w.body.error.permission_violations[0].subject).toBe('im:feed.flag:write');
    expect((await list(readOnly)).body.code).toBe(0);
    const writeOnly = h.userToken(DEMO.alice, ['im:feed.flag:write']);
    expect((await list(writeOnly)).body.code).toBe(99991679);
    expect((await create(writeOnly, item(M1))).body.code).toBe(0);
    expect(h.journal().at(-1)).toMatchObject({ identity: 'user', code: 0 });
  });

  it('pages the flags oldest first with stable opaque tokens, per user', async () => {
    const tok = alice();
    const ids = ['001', '002', '003', '004', '005'].map((n) => `om_demo000000000000000000000000${n}`);
    for (const id of ids) await create(tok, item(id));
    await cancel(tok, item(ids[0]!)); // the cancel makes it the newest entry
    const seen: string[] = [];
    const deleted: string[] = [];
    let token = '';
    let pages = 0;
    for (;;) {
      const r = await list(tok, { page_size: 2, page_token: token });
      expect(r.body.code).toBe(0);
      pages++;
      seen.push(...r.body.data.flag_items.map((f: any) => f.item_id));
      deleted.push(...r.body.data.delete_flag_items.map((f: any) => f.item_id));
      expect(r.body.data.flag_items.length + r.body.data.delete_flag_items.length).toBeLessThanOrEqual(2);
      if (!r.body.data.has_more) {
        expect(r.body.data.page_token).toBe('');
        break;
      }
      // asking again with the same token gives the same page
      const again = await list(tok, { page_size: 2, page_token: r.body.data.page_token });
      const next = await list(tok, { page_size: 2, page_token: r.body.data.page_token });
      expect(again.body.data).toEqual(next.body.data);
      token = r.body.data.page_token;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids.slice(1));
    expect(deleted).toEqual([ids[0]]);

    // another user sees none of it, and cannot use alice's token
    const bob = h.userToken(DEMO.bob);
    const b = await list(bob);
    expect(b.body.data.flag_items).toEqual([]);
    expect(b.body.data.delete_flag_items).toEqual([]);
    const first = await list(tok, { page_size: 2, page_token: '' });
    const foreign = await list(bob, { page_size: 2, page_token: first.body.data.page_token });
    expect(foreign.body.code).toBe(99992402);
  });

  it('refuses bad page sizes and tokens', async () => {
    const tok = alice();
    for (const page_size of [0, 51, 'x', -1]) {
      const r = await list(tok, { page_size, page_token: '' });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe(99992402);
    }
    const r = await list(tok, { page_size: 10, page_token: 'garbage!' });
    expect(r.body.code).toBe(99992402);
    // page_token and page_size may be left out
    const d = await h.call('GET', FLAGS, { token: tok });
    expect(d.body.code).toBe(0);
  });
});

describe('emulator bookmarks: an app without the flag scopes', () => {
  const seed = demoSeed();
  seed.apps = [{ ...seed.apps[0]!, scopes: ['im:message', 'im:message:readonly'] }];
  const h = useEmulator({ seed });

  it('answers 99991672 with the permission violations', async () => {
    const tok = h.userToken(DEMO.alice, ALL_IM_SCOPES);
    const r = await h.call('POST', FLAGS, { token: tok, json: { flag_items: [item(M1)] } });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(99991672);
    expect(r.body.error.permission_violations.map((v: any) => v.subject)).toEqual(['im:feed.flag:write']);
    const l = await h.call('GET', FLAGS, { token: tok, query: { page_size: 50, page_token: '' } });
    expect(l.body.code).toBe(99991672);
    expect(h.emu.db.t.bookmarks.size).toBe(0);
  });
});
