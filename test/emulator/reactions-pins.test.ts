/**
 * The emulator's reactions (create, delete, list, batch_query as the CLI's enrichment reads it)
 * and pins (create, delete, list), with Lark's codes for bad input, membership and scopes.
 */
import { describe, expect, it } from 'vitest';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { DEMO, useEmulator, type EmulatorHandle } from '../helpers/emulator.js';

const M1 = 'om_demo000000000000000000000000001'; // project, 2 THUMBSUP (Bob, Carol)
const M2 = 'om_demo000000000000000000000000002'; // project, pinned by Alice
const M4 = 'om_demo000000000000000000000000004'; // project, DONE (Alice)
const M5 = 'om_demo000000000000000000000000005';
const M9 = 'om_demo000000000000000000000000009'; // topics chat
const M11 = 'om_demo000000000000000000000000011'; // p2p Alice-Bob

const react = (h: EmulatorHandle, id: string, emoji: unknown, token: string) => h.call('POST', `/open-apis/im/v1/messages/${id}/reactions`, { token, json: { reaction_type: { emoji_type: emoji } } });

describe('emulator reactions', () => {
  const h = useEmulator();

  it('adds a reaction and answers Lark reaction object', async () => {
    const r = await react(h, M5, 'SMILE', await h.tenantToken());
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    const d = r.body.data;
    expect(d.reaction_id).toMatch(/^ZCaCIjUBVVWSrm5L-3ZTw_[a-z0-9]+$/);
    expect(d).toMatchObject({ operator: { operator_id: DEMO.appId, operator_type: 'app' }, reaction_type: { emoji_type: 'SMILE' } });
    expect(d.action_time).toMatch(/^\d{13}$/);
    expect(h.emu.db.get('reactions', d.reaction_id)).toMatchObject({ message_id: M5, emoji_type: 'SMILE', operator_id: DEMO.appId });
    const u = await react(h, M5, 'LGTM', h.userToken(DEMO.bob));
    expect(u.body.data.operator).toEqual({ operator_id: DEMO.bob, operator_type: 'user' });
    // the same operator and emoji again: the existing reaction
    const again = await react(h, M5, 'SMILE', await h.tenantToken());
    expect(again.body.data.reaction_id).toBe(d.reaction_id);
    expect(h.emu.db.reactionsByMessage.get(M5)).toHaveLength(2);
  });

  it('validates the body and the emoji key', async () => {
    const token = await h.tenantToken();
    expect((await react(h, M5, 'NOT_AN_EMOJI', token)).body).toMatchObject({ code: 231001, msg: 'reaction type is invalid.' });
    expect((await react(h, M5, 'smile', token)).body.code).toBe(231001);
    expect((await react(h, M5, 42, token)).body.code).toBe(99992402);
    expect((await react(h, M5, '', token)).body.code).toBe(99992402);
    const noType = await h.call('POST', `/open-apis/im/v1/messages/${M5}/reactions`, { token, json: {} });
    expect(noType.body.code).toBe(99992402);
    expect(noType.body.error.field_violations[0].field).toBe('reaction_type');
    const arr = await h.call('POST', `/open-apis/im/v1/messages/${M5}/reactions`, { token, json: [1] });
    expect(arr.body.code).toBe(99992402);
    expect((await react(h, 'om_missing', 'SMILE', token)).body).toMatchObject({ code: 231003, msg: 'The message is not found, maybe not exist or deleted.' });
    expect(h.emu.db.reactionsByMessage.get(M5)).toBeUndefined();
  });

  it('refuses operators outside the chat (231002) and missing scopes', async () => {
    const out = await react(h, M11, 'SMILE', await h.tenantToken());
    expect(out.status).toBe(400);
    expect(out.body).toMatchObject({ code: 231002, msg: 'The operator has no permission to react on the specific message.' });
    expect((await react(h, M1, 'SMILE', h.userToken(DEMO.dave))).body.code).toBe(231002);
    const scope = await react(h, M1, 'SMILE', h.userToken(DEMO.alice, ['im:message.reactions:read']));
    expect(scope.body.code).toBe(99991679);
  });

  it('deletes only the operator own reaction', async () => {
    const bobToken = h.userToken(DEMO.bob);
    const list = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token: bobToken });
    const bobs = list.body.data.items.find((i: { operator: { operator_id: string } }) => i.operator.operator_id === DEMO.bob);
    const carols = list.body.data.items.find((i: { operator: { operator_id: string } }) => i.operator.operator_id === DEMO.carol);
    const path = (id: string, m = M1) => `/open-apis/im/v1/messages/${m}/reactions/${id}`;
    const notMine = await h.call('DELETE', path(carols.reaction_id), { token: bobToken });
    expect(notMine.body).toMatchObject({ code: 231007, msg: 'The operator has no permission to delete this reaction.' });
    const wrongMsg = await h.call('DELETE', path(bobs.reaction_id, M4), { token: bobToken });
    expect(wrongMsg.body.code).toBe(231010);
    const unknown = await h.call('DELETE', path('ZCaCIjUBVVWSrm5L-3ZTw_nope'), { token: bobToken });
    expect(unknown.body.code).toBe(231011);
    const outsider = await h.call('DELETE', path(bobs.reaction_id), { token: h.userToken(DEMO.dave) });
    expect(outsider.body.code).toBe(231002);
    const ok = await h.call('DELETE', path(bobs.reaction_id), { token: bobToken });
    expect(ok.body.code).toBe(0);
    expect(ok.body.data).toMatchObject({ reaction_id: bobs.reaction_id, operator: { operator_id: DEMO.bob, operator_type: 'user' }, reaction_type: { emoji_type: 'THUMBSUP' } });
    expect(h.emu.db.get('reactions', bobs.reaction_id)).toBeUndefined();
    expect(h.emu.db.reactionsByMessage.get(M1)).toEqual([carols.reaction_id]);
    expect((await h.call('DELETE', path(bobs.reaction_id), { token: bobToken })).body.code).toBe(231011);
  });

  it('lists reactions with a filter, pages, and user_id_type', async () => {
    const token = await h.tenantToken();
    for (const [who, e] of [
      [DEMO.alice, 'SMILE'],
      [DEMO.alice, 'LGTM'],
      [DEMO.carol, 'SMILE'],
    ] as const) {
      expect((await react(h, M1, e, h.userToken(who))).body.code).toBe(0);
    }
    const all = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token });
    expect(all.body.data.items.map((i: { reaction_type: { emoji_type: string } }) => i.reaction_type.emoji_type)).toEqual(['THUMBSUP', 'THUMBSUP', 'SMILE', 'LGTM', 'SMILE']);
    expect(all.body.data.has_more).toBe(false);
    expect(all.body.data.page_token).toBeUndefined();
    const smiles = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token, query: { reaction_type: 'SMILE' } });
    expect(smiles.body.data.items.map((i: { operator: { operator_id: string } }) => i.operator.operator_id)).toEqual([DEMO.alice, DEMO.carol]);
    // pages of 2, stable while a reaction of an earlier page goes away
    const p1 = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token, query: { page_size: 2 } });
    expect(p1.body.data.items).toHaveLength(2);
    expect(p1.body.data.has_more).toBe(true);
    const first = p1.body.data.items[0].reaction_id as string;
    h.emu.db.del('reactions', first);
    const p2 = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token, query: { page_size: 2, page_token: p1.body.data.page_token } });
    expect(p2.body.data.items.map((i: { reaction_type: { emoji_type: string } }) => i.reaction_type.emoji_type)).toEqual(['SMILE', 'LGTM']);
    const p3 = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token, query: { page_size: 2, page_token: p2.body.data.page_token } });
    expect(p3.body.data).toMatchObject({ has_more: false });
    expect(p3.body.data.items).toHaveLength(1);
    const union = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token, query: { user_id_type: 'union_id', reaction_type: 'SMILE' } });
    expect(union.body.data.items[0].operator.operator_id).toBe(h.emu.db.get('users', DEMO.alice)!.union_id);
  });

  it('refuses bad list input and outsiders with Lark codes', async () => {
    const token = await h.tenantToken();
    const get = (query: Record<string, string>, id = M1, t = token) => h.call('GET', `/open-apis/im/v1/messages/${id}/reactions`, { token: t, query });
    expect((await get({ page_size: '51' })).body.code).toBe(99992402);
    expect((await get({ page_size: '0' })).body.code).toBe(99992402);
    expect((await get({ page_size: 'ten' })).body.code).toBe(99992402);
    expect((await get({ page_token: 'garbage' })).body).toMatchObject({ code: 231012, msg: 'The request has an invalid pageToken.' });
    expect((await get({ user_id_type: 'email' })).body.code).toBe(231014);
    expect((await get({ reaction_type: 'NOPE' })).body.code).toBe(231001);
    expect((await get({}, 'om_missing')).body.code).toBe(231003);
    expect((await get({}, M11)).body).toMatchObject({ code: 231008, msg: 'The operator has no access to the message.' });
    // a token of another message's listing
    const p = await get({ page_size: '1' });
    expect((await get({ page_token: p.body.data.page_token }, M4)).body.code).toBe(231012);
  });

  it('batch_query answers the counts and details the enrichment reads, even outside the chat', async () => {
    const token = await h.tenantToken();
    const r = await h.call('POST', '/open-apis/im/v1/messages/reactions/batch_query', { token, json: { queries: [{ message_id: M1 }, { message_id: M4 }, { message_id: M11 }, { message_id: 'om_missing' }] } });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    const d = r.body.data;
    expect(d.success_msg_reaction_counts).toEqual([
      { message_id: M1, reaction_count: [{ reaction_type: 'THUMBSUP', count: '2' }] },
      { message_id: M4, reaction_count: [{ reaction_type: 'DONE', count: '1' }] },
      { message_id: M11, reaction_count: [] },
    ]);
    const m1 = d.success_msg_reaction_details[0];
    expect(m1).toMatchObject({ message_id: M1, has_more: false });
    expect(m1.message_reaction_items).toHaveLength(2);
    expect(m1.message_reaction_items[0]).toEqual({ reaction_id: expect.any(String), operator: { operator_id: DEMO.bob, operator_type: 'user' }, action_time: expect.stringMatching(/^\d+$/), emoji_type: 'THUMBSUP' });
    expect(d.fail_msg_reaction_details).toEqual([{ message_id: 'om_missing', fail_reason: 'invalid' }]);
  });

  it('batch_query pages per message, filters, and validates its body', async () => {
    const token = await h.tenantToken();
    for (const who of [DEMO.alice, DEMO.bob, DEMO.carol]) await react(h, M5, 'SMILE', h.userToken(who));
    await react(h, M5, 'LGTM', h.userToken(DEMO.alice));
    const bq = (json: unknown, query?: Record<string, string>) => h.call('POST', '/open-apis/im/v1/messages/reactions/batch_query', { token, json, query });
    const p1 = await bq({ queries: [{ message_id: M5 }], page_size_per_message: 2, reaction_type: 'SMILE' });
    expect(p1.body.data.success_msg_reaction_counts).toEqual([{ message_id: M5, reaction_count: [{ reaction_type: 'SMILE', count: '3' }] }]);
    const det = p1.body.data.success_msg_reaction_details[0];
    expect(det.has_more).toBe(true);
    expect(det.message_reaction_items).toHaveLength(2);
    const p2 = await bq({ queries: [{ message_id: M5, page_token: det.page_token }], page_size_per_message: 2, reaction_type: 'SMILE' });
    expect(p2.body.data.success_msg_reaction_details[0].message_reaction_items.map((i: { operator: { operator_id: string } }) => i.operator.operator_id)).toEqual([DEMO.carol]);
    const badTok = await bq({ queries: [{ message_id: M5, page_token: 'zzz' }] });
    expect(badTok.body.data.fail_msg_reaction_details).toEqual([{ message_id: M5, fail_reason: 'invalid_page_token' }]);
    const ids = (await bq({ queries: [{ message_id: M5 }] }, { user_id_type: 'user_id' })).body.data.success_msg_reaction_details[0].message_reaction_items;
    expect(ids[0].operator.operator_id).toBe(h.emu.db.get('users', DEMO.alice)!.user_id);

    const twentyOne = Array.from({ length: 21 }, () => ({ message_id: M1 }));
    expect((await bq({ queries: twentyOne })).body.code).toBe(99992402);
    expect((await bq({ queries: twentyOne.slice(0, 20) })).body.code).toBe(0);
    expect((await bq({ queries: [] })).body.code).toBe(99992402);
    expect((await bq({})).body.code).toBe(99992402);
    expect((await bq({ queries: 'om_x' })).body.code).toBe(99992402);
    expect((await bq({ queries: [{ message_id: 5 }] })).body.code).toBe(99992402);
    expect((await bq({ queries: [{ message_id: M1 }], page_size_per_message: 11 })).body.code).toBe(99992402);
    expect((await bq({ queries: [{ message_id: M1 }], reaction_type: 'NOPE' })).body.code).toBe(231001);
    expect((await bq({ queries: [{ message_id: M1 }] }, { user_id_type: 'x' })).body.code).toBe(231014);
    const noScope = await h.call('POST', '/open-apis/im/v1/messages/reactions/batch_query', { token: h.userToken(DEMO.alice, ['im:message']), json: { queries: [{ message_id: M1 }] } });
    expect(noScope.body.code).toBe(99991679);
  });
});

describe('emulator pins', () => {
  const h = useEmulator();

  it('pins a message, answers the pin, and pinning twice answers the same pin', async () => {
    const token = await h.tenantToken();
    const r = await h.call('POST', '/open-apis/im/v1/pins', { token, json: { message_id: M5 } });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    expect(r.body.data.pin).toEqual({ message_id: M5, chat_id: DEMO.project, operator_id: DEMO.appId, operator_id_type: 'app_id', create_time: expect.stringMatching(/^\d{13}$/) });
    expect(h.emu.db.get('pins', M5)).toMatchObject({ operator_id: DEMO.appId });
    const again = await h.call('POST', '/open-apis/im/v1/pins', { token: h.userToken(DEMO.bob), json: { message_id: M5 } });
    expect(again.body.data.pin).toEqual(r.body.data.pin);
    const user = await h.call('POST', '/open-apis/im/v1/pins', { token: h.userToken(DEMO.carol), json: { message_id: M9 } });
    expect(user.body.data.pin).toMatchObject({ chat_id: DEMO.topics, operator_id: DEMO.carol, operator_id_type: 'open_id' });
  });

  it('lists pins newest first with pages and a time window', async () => {
    const token = await h.tenantToken();
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 10 } });
    await h.call('POST', '/open-apis/im/v1/pins', { token, json: { message_id: M4 } });
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 10 } });
    await h.call('POST', '/open-apis/im/v1/pins', { token, json: { message_id: M1 } });
    const all = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project } });
    expect(all.body.code).toBe(0);
    expect(all.body.data.items.map((p: { message_id: string }) => p.message_id)).toEqual([M1, M4, M2]);
    expect(all.body.data.has_more).toBe(false);
    const p1 = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project, page_size: 2 } });
    expect(p1.body.data.items.map((p: { message_id: string }) => p.message_id)).toEqual([M1, M4]);
    expect(p1.body.data.has_more).toBe(true);
    const p2 = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project, page_size: 2, page_token: p1.body.data.page_token } });
    expect(p2.body.data.items.map((p: { message_id: string }) => p.message_id)).toEqual([M2]);
    expect(p2.body.data.has_more).toBe(false);
    const t4 = Number(h.emu.db.get('pins', M4)!.create_time);
    const win = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project, start_time: t4, end_time: t4 + 1 } });
    expect(win.body.data.items.map((p: { message_id: string }) => p.message_id)).toEqual([M4]);
    const after = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project, start_time: t4 + 1 } });
    expect(after.body.data.items.map((p: { message_id: string }) => p.message_id)).toEqual([M1]);
  });

  it('unpins (idempotently) and the pin leaves the list', async () => {
    const token = h.userToken(DEMO.alice);
    const r = await h.call('DELETE', `/open-apis/im/v1/pins/${M2}`, { token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(h.emu.db.get('pins', M2)).toBeUndefined();
    const list = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project } });
    expect(list.body.data.items).toEqual([]);
    expect((await h.call('DELETE', `/open-apis/im/v1/pins/${M2}`, { token })).body.code).toBe(0);
  });

  it('refuses callers outside the chat with 230002, unknown messages and bad input', async () => {
    const bot = await h.tenantToken();
    const p2p = await h.call('POST', '/open-apis/im/v1/pins', { token: bot, json: { message_id: M11 } });
    expect(p2p.body).toMatchObject({ code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    expect(h.journal().at(-1)!.verdict).toContain('is not in chat');
    const dave = h.userToken(DEMO.dave);
    expect((await h.call('DELETE', `/open-apis/im/v1/pins/${M2}`, { token: dave })).body.code).toBe(230002);
    expect((await h.call('GET', '/open-apis/im/v1/pins', { token: dave, query: { chat_id: DEMO.project } })).body.code).toBe(230002);
    expect(h.emu.db.get('pins', M2)).toBeDefined();

    expect((await h.call('POST', '/open-apis/im/v1/pins', { token: bot, json: { message_id: 'om_missing' } })).body.code).toBe(230001);
    expect((await h.call('DELETE', '/open-apis/im/v1/pins/om_missing', { token: bot })).body.code).toBe(230001);
    expect((await h.call('POST', '/open-apis/im/v1/pins', { token: bot, json: {} })).body.code).toBe(99992402);
    expect((await h.call('POST', '/open-apis/im/v1/pins', { token: bot, json: { message_id: 7 } })).body.code).toBe(99992402);
    expect((await h.call('POST', '/open-apis/im/v1/pins', { token: bot })).body.code).toBe(99992402);
    const list = (query: Record<string, string | number>) => h.call('GET', '/open-apis/im/v1/pins', { token: bot, query });
    expect((await list({})).body.code).toBe(99992402);
    expect((await list({ chat_id: 'oc_missing' })).body).toMatchObject({ code: 230045, msg: 'The chat not exist.' });
    expect((await list({ chat_id: DEMO.project, page_size: 51 })).body.code).toBe(99992402);
    expect((await list({ chat_id: DEMO.project, start_time: 'yesterday' })).body.code).toBe(230001);
    expect((await list({ chat_id: DEMO.project, start_time: 20, end_time: 10 })).body.code).toBe(230001);
    expect((await list({ chat_id: DEMO.project, page_token: 'nope' })).body.code).toBe(99992402);
    // a recalled message cannot be pinned
    const m = h.emu.db.get('messages', M5)!;
    h.emu.db.put('messages', M5, { ...m, deleted: true });
    expect((await h.call('POST', '/open-apis/im/v1/pins', { token: bot, json: { message_id: M5 } })).body.code).toBe(230050);
  });

  it('honours a chat that lets only its owner and managers pin', async () => {
    const chat = h.emu.db.get('chats', DEMO.project)!;
    h.emu.db.put('chats', chat.chat_id, { ...chat, props: { ...chat.props, pin_manage_setting: 'only_owner' } });
    const carol = await h.call('POST', '/open-apis/im/v1/pins', { token: h.userToken(DEMO.carol), json: { message_id: M5 } });
    expect(carol.body.code).toBe(230046);
    const bob = await h.call('POST', '/open-apis/im/v1/pins', { token: h.userToken(DEMO.bob), json: { message_id: M5 } });
    expect(bob.body.code).toBe(0);
  });
});

describe('emulator reactions and pins: scopes', () => {
  const seed = demoSeed();
  seed.apps.push({ app_id: 'cli_limited000000002', app_secret: 'limited-secret', name: 'Read-only Bot', scopes: ['im:message:readonly'] });
  seed.chats![0]!.bots!.push('cli_limited000000002');
  const h = useEmulator({ seed });

  it('lets a read-only app list but not react or pin (99991672)', async () => {
    const token = await h.tenantToken('cli_limited000000002');
    const list = await h.call('GET', `/open-apis/im/v1/messages/${M1}/reactions`, { token });
    expect(list.body.code).toBe(0);
    const pins = await h.call('GET', '/open-apis/im/v1/pins', { token, query: { chat_id: DEMO.project } });
    expect(pins.body.code).toBe(0);
    const r = await react(h, M1, 'SMILE', token);
    expect(r.body.code).toBe(99991672);
    expect(r.body.error.permission_violations.map((v: { subject: string }) => v.subject)).toEqual(['im:message', 'im:message.reactions:write_only']);
    const p = await h.call('POST', '/open-apis/im/v1/pins', { token, json: { message_id: M1 } });
    expect(p.body.code).toBe(99991672);
    expect(h.emu.db.get('pins', M1)).toBeUndefined();
  });
});
