import { describe, expect, it } from 'vitest';
import { DEMO, useEmulator, type EmulatorHandle } from '../helpers/emulator.js';

const V1 = '/open-apis/im/v1';
const M = (n: number) => `om_demo0000000000000000000000000${String(n).padStart(2, '0')}`;
const text = (t: string) => JSON.stringify({ text: t });

async function send(h: EmulatorHandle, token: string, receiveId: string, body: Record<string, unknown> = {}, type = 'chat_id') {
  return h.call('POST', `${V1}/messages`, { token, query: { receive_id_type: type }, json: { receive_id: receiveId, msg_type: 'text', content: text('hello'), ...body } });
}

/** The bot (a fresh tenant token) sends `body` as text to the demo project chat: the token and the message id. */
async function botSends(h: EmulatorHandle, body: string): Promise<{ tok: string; id: string }> {
  const tok = await h.tenantToken();
  const sent = await send(h, tok, DEMO.project, { content: text(body) });
  return { tok, id: sent.body.data.message_id };
}

describe('emulator messages: send', () => {
  const h = useEmulator();

  it('a bot sends a text message to a group chat it is in', async () => {
    const tok = await h.tenantToken();
    const before = h.emu.db.messagesByChat.get(DEMO.project)!.length;
    const r = await send(h, tok, DEMO.project, { content: text('Deploy at 5') });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    const d = r.body.data;
    expect(d.message_id).toMatch(/^om_[0-9a-f]{32}$/);
    expect(d).toMatchObject({ chat_id: DEMO.project, msg_type: 'text', deleted: false, updated: false, body: { content: text('Deploy at 5') } });
    expect(d.sender).toMatchObject({ id: DEMO.appId, id_type: 'app_id', sender_type: 'app' });
    expect(d.create_time).toMatch(/^\d{13}$/);
    expect(d.update_time).toBe(d.create_time);
    expect(h.emu.db.messagesByChat.get(DEMO.project)!.length).toBe(before + 1);
  });

  it('turns <at> into mentions and sends every content type the CLI sends', async () => {
    const tok = await h.tenantToken();
    const at = await send(h, tok, DEMO.project, { content: text(`hi <at user_id="${DEMO.bob}">Bob</at>`) });
    expect(at.body.data.body.content).toBe(text('hi @_user_1'));
    expect(at.body.data.mentions).toEqual([expect.objectContaining({ key: '@_user_1', id: DEMO.bob, id_type: 'open_id', name: 'Bob Li' })]);
    const cases: Array<[string, unknown]> = [
      ['post', { zh_cn: { title: 'T', content: [[{ tag: 'text', text: 'x' }]] } }],
      ['post', { zh_cn: { content: [[{ tag: 'md', text: '**b**' }]] } }],
      ['image', { image_key: DEMO.image }],
      ['file', { file_key: DEMO.file }],
      ['audio', { file_key: DEMO.file }],
      ['media', { file_key: DEMO.file, image_key: DEMO.image }],
      ['sticker', { file_key: 'sticker_key_1' }],
      ['interactive', { elements: [{ tag: 'div', text: { tag: 'lark_md', content: 'x' } }] }],
      ['share_chat', { chat_id: DEMO.topics }],
      ['share_user', { user_id: DEMO.carol }],
    ];
    for (const [msg_type, content] of cases) {
      const r = await send(h, tok, DEMO.project, { msg_type, content: JSON.stringify(content) });
      expect({ msg_type, code: r.body.code }).toEqual({ msg_type, code: 0 });
      expect(r.body.data.msg_type).toBe(msg_type);
    }
  });

  it('validates the query, the body and the content', async () => {
    const tok = await h.tenantToken();
    const noType = await h.call('POST', `${V1}/messages`, { token: tok, json: { receive_id: DEMO.project, msg_type: 'text', content: text('x') } });
    expect(noType.status).toBe(400);
    expect(noType.body.code).toBe(99992402);
    expect(noType.body.error.field_violations[0].field).toBe('receive_id_type');
    const badType = await send(h, tok, DEMO.project, {}, 'phone');
    expect(badType.body.code).toBe(99992402);
    const noContent = await send(h, tok, DEMO.project, { content: undefined });
    expect(noContent.body.code).toBe(99992402);
    const numContent = await send(h, tok, DEMO.project, { content: 42 });
    expect(numContent.body.code).toBe(99992402);
    const expectCode = async (body: Record<string, unknown>, code: number) => {
      const r = await send(h, tok, DEMO.project, body);
      expect({ body, code: r.body.code }).toEqual({ body, code });
      expect(r.status).toBe(400);
    };
    await expectCode({ msg_type: 'fax' }, 230001);
    await expectCode({ content: '{not json' }, 230001);
    await expectCode({ content: JSON.stringify({ txt: 'x' }) }, 230001);
    await expectCode({ content: JSON.stringify({ text: '   ' }) }, 230001);
    await expectCode({ msg_type: 'image', content: JSON.stringify({ image_key: 'img_v3_nope' }) }, 230001);
    await expectCode({ msg_type: 'image', content: JSON.stringify({ image_key: DEMO.file }) }, 230001);
    await expectCode({ msg_type: 'file', content: JSON.stringify({}) }, 230001);
    await expectCode({ msg_type: 'post', content: JSON.stringify({ zh_cn: { content: 'x' } }) }, 230001);
    await expectCode({ msg_type: 'share_chat', content: JSON.stringify({ chat_id: 'oc_nope' }) }, 230001);
    await expectCode({ msg_type: 'interactive', content: JSON.stringify({ hello: 1 }) }, 230099);
    await expectCode({ msg_type: 'merge_forward', content: JSON.stringify({}) }, 230001);
    await expectCode({ content: text('x'.repeat(160 * 1024)) }, 230025);
    const unknownChat = await send(h, tok, 'oc_00000000000000000000000000000000');
    expect(unknownChat.body.code).toBe(230001);
    const unknownUser = await send(h, tok, 'ou_nobody', {}, 'open_id');
    expect(unknownUser.body.code).toBe(230001);
    const notObject = await h.call('POST', `${V1}/messages`, { token: tok, query: { receive_id_type: 'chat_id' }, json: [1, 2] });
    expect(notObject.body.code).toBe(99992402);
    expect(h.emu.db.messagesByChat.get(DEMO.project)!.length).toBe(8);
  });

  it('refuses a bot or user outside the chat with 230002', async () => {
    const tok = await h.tenantToken();
    const r = await send(h, tok, DEMO.p2p);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    const dave = h.userToken(DEMO.dave);
    const u = await send(h, dave, DEMO.project);
    expect(u.body.code).toBe(230002);
    expect(h.journal().at(-1)!.verdict).toContain('not in chat');
  });

  it('a user receive_id means the p2p chat with that user, made on demand and then reused', async () => {
    const tok = await h.tenantToken();
    const chatsBefore = h.emu.db.t.chats.size;
    const a = await send(h, tok, DEMO.dave, {}, 'open_id');
    expect(a.body.code).toBe(0);
    const chat = h.emu.db.get('chats', a.body.data.chat_id)!;
    expect(chat).toMatchObject({ chat_mode: 'p2p', members: [DEMO.dave], bots: [DEMO.appId] });
    expect(chat.p2p_parties!.sort()).toEqual([DEMO.appId, DEMO.dave].sort());
    const byEmail = await send(h, tok, 'dave@example.com', {}, 'email');
    expect(byEmail.body.data.chat_id).toBe(chat.chat_id);
    // (the demo seed derives user_ids from the open_id's first characters, so give Dave his own)
    h.emu.db.put('users', DEMO.dave, { ...h.emu.db.get('users', DEMO.dave)!, user_id: 'dave4242' });
    const byUserId = await send(h, tok, 'dave4242', {}, 'user_id');
    expect(byUserId.body.data.chat_id).toBe(chat.chat_id);
    expect(h.emu.db.t.chats.size).toBe(chatsBefore + 1);
    // Alice writing to Bob lands in their existing direct chat
    const alice = await send(h, h.userToken(DEMO.alice), DEMO.bob, {}, 'open_id');
    expect(alice.body.data.chat_id).toBe(DEMO.p2p);
    expect(alice.body.data.sender).toMatchObject({ id: DEMO.alice, id_type: 'open_id', sender_type: 'user' });
  });

  it('the same uuid from the same caller within an hour returns the same message', async () => {
    const tok = await h.tenantToken();
    const before = h.emu.db.t.messages.size;
    const a = await send(h, tok, DEMO.project, { uuid: 'k-1' });
    const b = await send(h, tok, DEMO.project, { uuid: 'k-1', content: text('different') });
    expect(b.body.data.message_id).toBe(a.body.data.message_id);
    expect(b.body.data.body.content).toBe(text('hello'));
    expect(h.emu.db.t.messages.size).toBe(before + 1);
    const other = await send(h, h.userToken(DEMO.alice), DEMO.project, { uuid: 'k-1' });
    expect(other.body.data.message_id).not.toBe(a.body.data.message_id);
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 3601 } });
    const later = await send(h, await h.tenantToken(), DEMO.project, { uuid: 'k-1' });
    expect(later.body.data.message_id).not.toBe(a.body.data.message_id);
    const long = await send(h, tok, DEMO.project, { uuid: 'x'.repeat(51) });
    expect(long.body.code).toBe(99992402);
  });

  it('a moderated chat lets only the owner and managers speak (230035)', async () => {
    const chat = h.emu.db.get('chats', DEMO.project)!;
    h.emu.db.put('chats', DEMO.project, { ...chat, moderation_setting: 'only_owner' });
    expect((await send(h, h.userToken(DEMO.carol), DEMO.project)).body.code).toBe(230035);
    expect((await send(h, h.userToken(DEMO.bob), DEMO.project)).body.code).toBe(0);
  });

  it('user tokens need the send scope; the journal names it', async () => {
    const r = await send(h, h.userToken(DEMO.alice, ['im:chat:readonly']), DEMO.project);
    expect(r.body.code).toBe(99991679);
    expect(r.body.error.permission_violations.map((v: { subject: string }) => v.subject)).toContain('im:message');
  });
});

describe('emulator messages: an app with limited scopes', () => {
  const h = useEmulator({
    seed: {
      apps: [{ app_id: 'cli_limited0000001', app_secret: 'secret-limited-000000000000001', name: 'Reader Bot', scopes: ['im:chat:readonly', 'im:message:readonly'] }],
      users: [{ open_id: 'ou_limited00000000000000000000001', name: 'Lee' }],
      chats: [{ chat_id: 'oc_limited00000000000000000000001', name: 'Ops', chat_mode: 'group', owner: 'ou_limited00000000000000000000001', members: ['ou_limited00000000000000000000001'], bots: ['cli_limited0000001'] }],
      messages: [{ chat_id: 'oc_limited00000000000000000000001', sender: 'ou_limited00000000000000000000001', msg_type: 'text', content: '{"text":"hi"}' }],
    },
  });

  it('refuses a send with 99991672 and permission_violations, but lets it read', async () => {
    const tok = await h.tenantToken();
    const r = await send(h, tok, 'oc_limited00000000000000000000001');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(99991672);
    expect(r.body.error.permission_violations.map((v: { subject: string }) => v.subject)).toEqual(expect.arrayContaining(['im:message:send_as_bot', 'im:message']));
    expect(h.emu.db.messagesByChat.get('oc_limited00000000000000000000001')).toHaveLength(1);
    const list = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'chat', container_id: 'oc_limited00000000000000000000001' } });
    expect(list.body.code).toBe(0);
    expect(list.body.data.items).toHaveLength(1);
  });
});

describe('emulator messages: reply, get, mget, list', () => {
  const h = useEmulator();

  it('replies, in the main stream or in a thread, and lists the thread with container_id_type=thread', async () => {
    const tok = await h.tenantToken();
    const plain = await h.call('POST', `${V1}/messages/${M(1)}/reply`, { token: tok, json: { msg_type: 'text', content: text('ack') } });
    expect(plain.body.code).toBe(0);
    expect(plain.body.data).toMatchObject({ parent_id: M(1), root_id: M(1), chat_id: DEMO.project });
    expect(plain.body.data.thread_id).toBeUndefined();
    const t1 = await h.call('POST', `${V1}/messages/${M(8)}/reply`, { token: tok, json: { msg_type: 'text', content: text('first in thread'), reply_in_thread: true } });
    const tid = t1.body.data.thread_id;
    expect(tid).toMatch(/^omt_/);
    const t2 = await h.call('POST', `${V1}/messages/${M(8)}/reply`, { token: tok, json: { msg_type: 'text', content: text('second'), uuid: 'r-1' } });
    expect(t2.body.data.thread_id).toBe(tid);
    const again = await h.call('POST', `${V1}/messages/${M(8)}/reply`, { token: tok, json: { msg_type: 'text', content: text('second'), uuid: 'r-1' } });
    expect(again.body.data.message_id).toBe(t2.body.data.message_id);
    const list = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'thread', container_id: tid, sort_type: 'ByCreateTimeAsc', page_size: 50 } });
    expect(list.body.code).toBe(0);
    expect(list.body.data.items.map((m: { message_id: string }) => m.message_id)).toEqual([M(8), t1.body.data.message_id, t2.body.data.message_id]);
    const root = await h.call('GET', `${V1}/messages/${M(8)}`, { token: tok });
    expect(root.body.data.items[0].thread_id).toBe(tid);
    // without only_thread_root_messages a group chat lists thread replies too; with it, roots only
    const all = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'chat', container_id: DEMO.project, page_size: 50 } });
    const roots = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'chat', container_id: DEMO.project, page_size: 50, only_thread_root_messages: 'true' } });
    const ids = (r: typeof all) => r.body.data.items.map((m: { message_id: string }) => m.message_id);
    expect(ids(all)).toContain(t1.body.data.message_id);
    expect(ids(roots)).not.toContain(t1.body.data.message_id);
    expect(ids(roots)).not.toContain(M(6));
    expect(ids(roots)).toContain(plain.body.data.message_id);
  });

  it('reply refusals: unknown message, recalled message, outsider, bad reply_in_thread', async () => {
    const tok = await h.tenantToken();
    const unknown = await h.call('POST', `${V1}/messages/om_nope/reply`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(unknown.body.code).toBe(230001);
    await h.call('DELETE', `${V1}/messages/${M(4)}`, { token: tok });
    const recalled = await h.call('POST', `${V1}/messages/${M(4)}/reply`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(recalled.body.code).toBe(230011);
    const outsider = await h.call('POST', `${V1}/messages/${M(11)}/reply`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(outsider.body.code).toBe(230002);
    const bad = await h.call('POST', `${V1}/messages/${M(1)}/reply`, { token: tok, json: { msg_type: 'text', content: text('x'), reply_in_thread: 'yes' } });
    expect(bad.body.code).toBe(99992402);
  });

  it('GET one message ({items:[m]}), with user_id_type and with_sender_name', async () => {
    const tok = await h.tenantToken();
    const r = await h.call('GET', `${V1}/messages/${M(7)}`, { token: tok, query: { user_id_type: 'open_id', card_msg_content_type: 'raw_card_content' } });
    expect(r.body.code).toBe(0);
    expect(r.body.data.items).toHaveLength(1);
    const m = r.body.data.items[0];
    expect(m).toMatchObject({ message_id: M(7), msg_type: 'text', chat_id: DEMO.project, root_id: M(5), parent_id: M(5) });
    expect(m.thread_id).toMatch(/^omt_/);
    expect(m.mentions[0]).toMatchObject({ id: DEMO.carol, name: 'Carol Wang' });
    const uid = await h.call('GET', `${V1}/messages/${M(7)}`, { token: tok, query: { user_id_type: 'user_id' } });
    const alice = h.emu.db.get('users', DEMO.alice)!;
    expect(uid.body.data.items[0].sender).toMatchObject({ id: alice.user_id, id_type: 'user_id' });
    const named = await h.call('GET', `${V1}/messages/${M(4)}`, { token: tok, query: { with_sender_name: 'true' } });
    expect(named.body.data.items[0].sender).toMatchObject({ id: DEMO.appId, sender_name: 'Demo Bot', sender_i18n_names: { zh_cn: 'Demo Bot' } });
    expect(named.body.data.items[0].sender.open_bot_id).toMatch(/^ou_/);
    const unknown = await h.call('GET', `${V1}/messages/om_nope`, { token: tok });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe(230001);
    const outside = await h.call('GET', `${V1}/messages/${M(11)}`, { token: tok });
    expect(outside.body.code).toBe(230002);
    const badType = await h.call('GET', `${V1}/messages/${M(1)}`, { token: tok, query: { user_id_type: 'phone' } });
    expect(badType.body.code).toBe(99992402);
  });

  it('mget returns the visible messages in the asked order and skips the rest', async () => {
    const tok = await h.tenantToken();
    const q = `card_msg_content_type=raw_card_content&message_ids=${M(3)}&message_ids=om_nope&message_ids=${M(11)}&message_ids=${M(1)}`;
    const r = await h.call('GET', `${V1}/messages/mget?${q}`, { token: tok });
    expect(r.body.code).toBe(0);
    expect(r.body.data.items.map((m: { message_id: string }) => m.message_id)).toEqual([M(3), M(1)]);
    const none = await h.call('GET', `${V1}/messages/mget`, { token: tok });
    expect(none.body.code).toBe(99992402);
    const many = await h.call('GET', `${V1}/messages/mget?${Array.from({ length: 51 }, (_, i) => `message_ids=om_${i}`).join('&')}`, { token: tok });
    expect(many.body.code).toBe(99992402);
    // Alice sees her direct chat
    const alice = await h.call('GET', `${V1}/messages/mget?message_ids=${M(11)}`, { token: h.userToken(DEMO.alice) });
    expect(alice.body.data.items).toHaveLength(1);
  });

  it('lists a chat page by page with stable opaque tokens, newest first', async () => {
    const tok = await h.tenantToken();
    for (let i = 0; i < 22; i++) await send(h, tok, DEMO.topics, { content: text(`n${i}`) });
    const q = { container_id_type: 'chat', container_id: DEMO.topics, sort_type: 'ByCreateTimeDesc', page_size: 10 };
    const seen: string[] = [];
    let token: string | undefined;
    const pages: Array<{ token?: string; ids: string[] }> = [];
    for (let p = 0; p < 5; p++) {
      const r = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...q, page_token: token } });
      expect(r.body.code).toBe(0);
      const ids = r.body.data.items.map((m: { message_id: string }) => m.message_id);
      pages.push({ token, ids });
      seen.push(...ids);
      if (!r.body.data.has_more) {
        expect(r.body.data.page_token).toBe('');
        break;
      }
      token = r.body.data.page_token;
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    // 1 seeded topic root + 22 new roots (the seeded reply stays in its topic)
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(pages).toHaveLength(3);
    const times = seen.map((id) => Number(h.emu.db.get('messages', id)!.create_time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // a new message does not shift a later page
    await send(h, tok, DEMO.topics, { content: text('late') });
    const again = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...q, page_token: pages[1]!.token } });
    expect(again.body.data.items.map((m: { message_id: string }) => m.message_id)).toEqual(pages[1]!.ids);
    // ascending
    const asc = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...q, sort_type: 'ByCreateTimeAsc', page_size: 2 } });
    expect(asc.body.data.items[0].message_id).toBe(M(9));
    // a token of another listing is refused
    const foreign = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...q, container_id: DEMO.project, page_token: pages[1]!.token } });
    expect(foreign.body.code).toBe(99992402);
  });

  it('list validation, time range, membership and unknown containers', async () => {
    const tok = await h.tenantToken();
    const base = { container_id_type: 'chat', container_id: DEMO.project };
    const code = async (query: Record<string, string | number>) => (await h.call('GET', `${V1}/messages`, { token: tok, query })).body.code;
    expect(await code({ ...base, page_size: 51 })).toBe(99992402);
    expect(await code({ ...base, page_size: 0 })).toBe(99992402);
    expect(await code({ ...base, sort_type: 'Newest' })).toBe(99992402);
    expect(await code({ container_id: DEMO.project })).toBe(99992402);
    expect(await code({ ...base, container_id_type: 'folder' })).toBe(99992402);
    expect(await code({ ...base, start_time: 'yesterday' })).toBe(99992402);
    expect(await code({ ...base, page_token: 'garbage' })).toBe(99992402);
    expect(await code({ ...base, container_id: 'oc_nope' })).toBe(230001);
    expect(await code({ container_id_type: 'thread', container_id: 'omt_nope' })).toBe(230001);
    expect(await code({ ...base, container_id: DEMO.p2p })).toBe(230002);
    const future = Math.floor(h.emu.clock.now() / 1000) + 3600;
    const empty = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...base, start_time: future } });
    expect(empty.body.data).toEqual({ has_more: false, page_token: '', items: [] });
    const all = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...base, end_time: future, page_size: 50 } });
    expect(all.body.data.items).toHaveLength(8);
    const c4 = Number(h.emu.db.get('messages', M(4))!.create_time);
    const some = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...base, start_time: Math.floor(c4 / 1000), end_time: Math.floor(c4 / 1000), page_size: 50 } });
    expect(some.body.data.items.map((m: { message_id: string }) => m.message_id)).toEqual([M(4)]);
    const named = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...base, with_sender_name: 'true', page_size: 1 } });
    expect(named.body.data.items[0].sender.sender_name).toBe('Alice Chen');
  });

  it('with_sender_name=true names user and bot senders on lists (chat and thread), mget and one message; never otherwise', async () => {
    const tok = await h.tenantToken();
    const names = (items: Array<{ sender: Record<string, unknown> }>) =>
      items.map(({ sender: s }) => [s.id, s.sender_name, s.sender_i18n_names, s.open_bot_id]);
    const bot = h.emu.db.get('messages', M(4))!.sender.id;
    const alice = { zh_cn: 'Alice Chen', en_us: 'Alice Chen' };
    const chat = { container_id_type: 'chat', container_id: DEMO.project, sort_type: 'ByCreateTimeAsc', page_size: 50 };
    const list = await h.call('GET', `${V1}/messages`, { token: tok, query: { ...chat, with_sender_name: 'true' } });
    const byId = new Map(list.body.data.items.map((m: { message_id: string }) => [m.message_id, m]));
    expect(names([byId.get(M(1)), byId.get(M(4))] as never)).toEqual([
      [DEMO.alice, 'Alice Chen', expect.objectContaining({ zh_cn: 'Alice Chen' }), undefined],
      [bot, 'Demo Bot', { zh_cn: 'Demo Bot', en_us: 'Demo Bot' }, expect.stringMatching(/^ou_/)],
    ]);
    const thread = h.emu.db.get('messages', M(5))!.thread_id!;
    const replies = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'thread', container_id: thread, with_sender_name: 'true' } });
    expect(replies.body.data.items.every((m: { sender: { sender_name?: string } }) => typeof m.sender.sender_name === 'string')).toBe(true);
    const mget = await h.call('GET', `${V1}/messages/mget?card_msg_content_type=raw_card_content&with_sender_name=true&message_ids=${M(1)}&message_ids=${M(4)}`, { token: tok });
    expect(names(mget.body.data.items)[0]).toEqual([DEMO.alice, 'Alice Chen', alice, undefined]);
    expect(names(mget.body.data.items)[1]![1]).toBe('Demo Bot');
    // without the parameter (or with another value) the senders come bare
    for (const r of [
      await h.call('GET', `${V1}/messages`, { token: tok, query: chat }),
      await h.call('GET', `${V1}/messages`, { token: tok, query: { ...chat, with_sender_name: 'false' } }),
      await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'thread', container_id: thread } }),
      await h.call('GET', `${V1}/messages/mget?message_ids=${M(1)}&message_ids=${M(4)}`, { token: tok }),
      await h.call('GET', `${V1}/messages/${M(4)}`, { token: tok }),
    ]) {
      expect(r.body.code).toBe(0);
      for (const m of r.body.data.items as Array<{ sender: Record<string, unknown> }>) {
        expect(Object.keys(m.sender).filter((k) => ['sender_name', 'sender_i18n_names', 'open_bot_id'].includes(k))).toEqual([]);
      }
    }
  });
});

describe('emulator messages: edit, card update, recall', () => {
  const h = useEmulator();

  it('PUT edits the bot\'s own text or post: updated, update_time, mentions', async () => {
    const { id } = await botSends(h, 'v1');
    await h.call('POST', '/_emulator/clock', { json: { advance_seconds: 5 } });
    const tok2 = await h.tenantToken();
    const r = await h.call('PUT', `${V1}/messages/${id}`, { token: tok2, json: { msg_type: 'text', content: text(`v2 <at user_id="${DEMO.bob}">Bob</at>`) } });
    expect(r.body.code).toBe(0);
    expect(r.body.data).toMatchObject({ message_id: id, chat_id: DEMO.project, updated: true, body: { content: text('v2 @_user_1') } });
    expect(Number(r.body.data.update_time)).toBeGreaterThan(Number(r.body.data.create_time));
    expect(h.emu.db.get('messages', id)!.mentions![0]!.id).toBe(DEMO.bob);
    const post = await h.call('PUT', `${V1}/messages/${id}`, { token: tok2, json: { msg_type: 'post', content: JSON.stringify({ zh_cn: { content: [[{ tag: 'text', text: 'rich' }]] } }) } });
    expect(post.body.data.msg_type).toBe('post');
  });

  it('PUT refusals: not the sender, a card, a recalled message, a user token, bad types', async () => {
    const tok = await h.tenantToken();
    const other = await h.call('PUT', `${V1}/messages/${M(1)}`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(other.body.code).toBe(230012);
    const card = await h.call('PUT', `${V1}/messages/${M(4)}`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(card.body.code).toBe(230001);
    const image = await h.call('PUT', `${V1}/messages/${M(4)}`, { token: tok, json: { msg_type: 'image', content: JSON.stringify({ image_key: DEMO.image }) } });
    expect(image.body.code).toBe(230001);
    const noType = await h.call('PUT', `${V1}/messages/${M(4)}`, { token: tok, json: { content: text('x') } });
    expect(noType.body.code).toBe(99992402);
    const user = await h.call('PUT', `${V1}/messages/${M(1)}`, { token: h.userToken(DEMO.alice), json: { msg_type: 'text', content: text('x') } });
    expect(user.body.code).toBe(99991668);
    const sent = await send(h, tok, DEMO.project);
    await h.call('DELETE', `${V1}/messages/${sent.body.data.message_id}`, { token: tok });
    const recalled = await h.call('PUT', `${V1}/messages/${sent.body.data.message_id}`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(recalled.body.code).toBe(230011);
    const unknown = await h.call('PUT', `${V1}/messages/om_nope`, { token: tok, json: { msg_type: 'text', content: text('x') } });
    expect(unknown.body.code).toBe(230001);
  });

  it('PATCH updates the bot\'s own card', async () => {
    const tok = await h.tenantToken();
    const card = JSON.stringify({ config: { update_multi: true }, elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'Build #129 passed' } }] });
    const r = await h.call('PATCH', `${V1}/messages/${M(4)}`, { token: tok, json: { content: card } });
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(h.emu.db.get('messages', M(4))!.content).toBe(card);
    const text1 = await h.call('PATCH', `${V1}/messages/${M(1)}`, { token: tok, json: { content: card } });
    expect(text1.body.code).toBe(230001);
    const bad = await h.call('PATCH', `${V1}/messages/${M(4)}`, { token: tok, json: { content: '{"nope":1}' } });
    expect(bad.body.code).toBe(230099);
    const user = await h.call('PATCH', `${V1}/messages/${M(4)}`, { token: h.userToken(DEMO.alice), json: { content: card } });
    expect(user.body.code).toBe(230027);
  });

  it('DELETE recalls: the sender, or the chat owner for others; the message shows as recalled', async () => {
    const tok = await h.tenantToken();
    const own = await h.call('DELETE', `${V1}/messages/${M(4)}`, { token: tok });
    expect(own.body).toMatchObject({ code: 0 });
    const got = await h.call('GET', `${V1}/messages/${M(4)}`, { token: tok });
    expect(got.body.data.items[0]).toMatchObject({ deleted: true, body: { content: text('This message was recalled') } });
    const twice = await h.call('DELETE', `${V1}/messages/${M(4)}`, { token: tok });
    expect(twice.body.code).toBe(230011);
    const bot = await h.call('DELETE', `${V1}/messages/${M(1)}`, { token: tok });
    expect(bot.body.code).toBe(230026);
    const carol = await h.call('DELETE', `${V1}/messages/${M(5)}`, { token: h.userToken(DEMO.carol) });
    expect(carol.body.code).toBe(230026);
    const owner = await h.call('DELETE', `${V1}/messages/${M(5)}`, { token: h.userToken(DEMO.alice) });
    expect(owner.body.code).toBe(0);
    expect(h.emu.db.get('messages', M(5))!.deleted).toBe(true);
    const unknown = await h.call('DELETE', `${V1}/messages/om_nope`, { token: tok });
    expect(unknown.body.code).toBe(230001);
    const outsider = await h.call('DELETE', `${V1}/messages/${M(11)}`, { token: tok });
    expect(outsider.body.code).toBe(230002);
    const scope = await h.call('DELETE', `${V1}/messages/${M(12)}`, { token: h.userToken(DEMO.alice, ['im:chat']) });
    expect(scope.body.code).toBe(99991679);
  });
});

describe('emulator messages: forward and merge_forward', () => {
  const h = useEmulator();

  it('forwards a message to a chat, a user and a thread', async () => {
    const tok = await h.tenantToken();
    const r = await h.call('POST', `${V1}/messages/${M(2)}/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.topics } });
    expect(r.body.code).toBe(0);
    const src = h.emu.db.get('messages', M(2))!;
    expect(r.body.data).toMatchObject({ chat_id: DEMO.topics, msg_type: 'post', body: { content: src.content } });
    expect(r.body.data.sender.id).toBe(DEMO.appId);
    expect(r.body.data.mentions?.[0]?.id).toBe(DEMO.carol);
    const toUser = await h.call('POST', `${V1}/messages/${M(1)}/forward`, { token: tok, query: { receive_id_type: 'open_id', uuid: 'f-1' }, json: { receive_id: DEMO.dave } });
    expect(h.emu.db.get('chats', toUser.body.data.chat_id)!.chat_mode).toBe('p2p');
    const same = await h.call('POST', `${V1}/messages/${M(1)}/forward`, { token: tok, query: { receive_id_type: 'open_id', uuid: 'f-1' }, json: { receive_id: DEMO.dave } });
    expect(same.body.data.message_id).toBe(toUser.body.data.message_id);
    const tid = h.emu.db.get('messages', M(9))!.thread_id!;
    const toThread = await h.call('POST', `${V1}/messages/${M(1)}/forward`, { token: tok, query: { receive_id_type: 'thread_id' }, json: { receive_id: tid } });
    expect(toThread.body.data).toMatchObject({ thread_id: tid, root_id: M(9), chat_id: DEMO.topics });
  });

  it('forward refusals: outside the target, outside the source, unknown, bad receive_id_type', async () => {
    const tok = await h.tenantToken();
    const target = await h.call('POST', `${V1}/messages/${M(1)}/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.p2p } });
    expect(target.body.code).toBe(230002);
    const source = await h.call('POST', `${V1}/messages/${M(11)}/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project } });
    expect(source.body.code).toBe(230002);
    const unknown = await h.call('POST', `${V1}/messages/om_nope/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project } });
    expect(unknown.body.code).toBe(230001);
    const noType = await h.call('POST', `${V1}/messages/${M(1)}/forward`, { token: tok, json: { receive_id: DEMO.project } });
    expect(noType.body.code).toBe(99992402);
  });

  it('merge_forward makes a container whose children (upper_message_id) GET returns flat', async () => {
    const tok = await h.tenantToken();
    const r = await h.call('POST', `${V1}/messages/merge_forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.topics, message_id_list: [M(3), M(1), 'om_bogus'] } });
    expect(r.body.code).toBe(0);
    expect(r.body.data.invalid_message_id_list).toEqual(['om_bogus']);
    const box = r.body.data.message;
    expect(box).toMatchObject({ msg_type: 'merge_forward', chat_id: DEMO.topics });
    const got = await h.call('GET', `${V1}/messages/${box.message_id}`, { token: tok, query: { user_id_type: 'open_id', card_msg_content_type: 'raw_card_content' } });
    const items = got.body.data.items;
    expect(items[0].message_id).toBe(box.message_id);
    expect(items.slice(1).map((m: { upper_message_id: string }) => m.upper_message_id)).toEqual([box.message_id, box.message_id]);
    expect(items.slice(1).map((m: { msg_type: string }) => m.msg_type)).toEqual(['text', 'image']);
    expect(items[1].sender.id).toBe(DEMO.alice);
    // the children are not in the chat's history
    const hist = await h.call('GET', `${V1}/messages`, { token: tok, query: { container_id_type: 'chat', container_id: DEMO.topics, page_size: 50 } });
    expect(hist.body.data.items.map((m: { message_id: string }) => m.message_id)).not.toContain(items[1].message_id);
    // forwarding the container again copies its children
    const again = await h.call('POST', `${V1}/messages/${box.message_id}/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project } });
    const nested = await h.call('GET', `${V1}/messages/${again.body.data.message_id}`, { token: tok });
    expect(nested.body.data.items).toHaveLength(3);
    // a merge of a merge keeps the tree
    const outer = await h.call('POST', `${V1}/messages/merge_forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, message_id_list: [again.body.data.message_id, M(5)] } });
    const tree = await h.call('GET', `${V1}/messages/${outer.body.data.message.message_id}`, { token: tok });
    expect(tree.body.data.items).toHaveLength(5);
  });

  it('merge_forward refusals: user token, nothing valid, mixed chats, bad list', async () => {
    const tok = await h.tenantToken();
    const mf = (json: unknown, token = tok) => h.call('POST', `${V1}/messages/merge_forward`, { token, query: { receive_id_type: 'chat_id' }, json });
    expect((await mf({ receive_id: DEMO.topics, message_id_list: [M(1)] }, h.userToken(DEMO.alice))).body.code).toBe(99991668);
    expect((await mf({ receive_id: DEMO.topics, message_id_list: ['om_bogus'] })).body.code).toBe(230001);
    expect((await mf({ receive_id: DEMO.topics, message_id_list: [M(1), M(9)] })).body.code).toBe(230001);
    expect((await mf({ receive_id: DEMO.topics, message_id_list: [] })).body.code).toBe(99992402);
    expect((await mf({ receive_id: DEMO.topics, message_id_list: 'om_x' })).body.code).toBe(99992402);
  });

  it('forwards a whole thread', async () => {
    const tok = await h.tenantToken();
    const tid = h.emu.db.get('messages', M(5))!.thread_id!;
    const r = await h.call('POST', `/open-apis/im/v1/threads/${tid}/forward`, { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.topics } });
    expect(r.body.code).toBe(0);
    expect(r.body.data.msg_type).toBe('merge_forward');
    const got = await h.call('GET', `${V1}/messages/${r.body.data.message_id}`, { token: tok });
    expect(got.body.data.items.slice(1).map((m: { body: { content: string } }) => JSON.parse(m.body.content).text)).toEqual([
      'Who can review the search change?',
      'I can, after lunch.',
      'Thanks @_user_1!',
    ]);
    const unknown = await h.call('POST', '/open-apis/im/v1/threads/omt_nope/forward', { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.topics } });
    expect(unknown.body.code).toBe(230001);
  });
});

describe('emulator messages: read users, read status, urgent', () => {
  const h = useEmulator();

  it('read_users lists who has read the bot\'s message; listing the chat as a user marks it read', async () => {
    const { tok, id } = await botSends(h, 'please read');
    const q = { user_id_type: 'open_id' };
    const none = await h.call('GET', `${V1}/messages/${id}/read_users`, { token: tok, query: q });
    expect(none.body).toMatchObject({ code: 0, data: { items: [], has_more: false } });
    await h.call('GET', `${V1}/messages`, { token: h.userToken(DEMO.bob), query: { container_id_type: 'chat', container_id: DEMO.project } });
    await send(h, h.userToken(DEMO.carol), DEMO.project, { content: text('read it') });
    const r = await h.call('GET', `${V1}/messages/${id}/read_users`, { token: tok, query: q });
    expect(r.body.data.items.map((x: { user_id: string }) => x.user_id).sort()).toEqual([DEMO.bob, DEMO.carol].sort());
    expect(r.body.data.items[0]).toMatchObject({ user_id_type: 'open_id', timestamp: expect.stringMatching(/^\d{13}$/) });
    const p1 = await h.call('GET', `${V1}/messages/${id}/read_users`, { token: tok, query: { ...q, page_size: 1 } });
    expect(p1.body.data.has_more).toBe(true);
    const p2 = await h.call('GET', `${V1}/messages/${id}/read_users`, { token: tok, query: { ...q, page_size: 1, page_token: p1.body.data.page_token } });
    expect(p2.body.data.has_more).toBe(false);
    expect([p1.body.data.items[0].user_id, p2.body.data.items[0].user_id].sort()).toEqual([DEMO.bob, DEMO.carol].sort());
    const uid = await h.call('GET', `${V1}/messages/${id}/read_users`, { token: tok, query: { user_id_type: 'union_id' } });
    expect(uid.body.data.items[0].user_id).toMatch(/^on_/);
  });

  it('read_users refusals: not the sender, missing user_id_type, page_size, unknown id, outsider', async () => {
    const tok = await h.tenantToken();
    const q = { user_id_type: 'open_id' };
    expect((await h.call('GET', `${V1}/messages/${M(1)}/read_users`, { token: tok, query: q })).body.code).toBe(230012);
    expect((await h.call('GET', `${V1}/messages/${M(4)}/read_users`, { token: tok })).body.code).toBe(99992402);
    expect((await h.call('GET', `${V1}/messages/${M(4)}/read_users`, { token: tok, query: { ...q, page_size: 101 } })).body.code).toBe(99992402);
    expect((await h.call('GET', `${V1}/messages/om_nope/read_users`, { token: tok, query: q })).body.code).toBe(230001);
    expect((await h.call('GET', `${V1}/messages/${M(11)}/read_users`, { token: tok, query: q })).body.code).toBe(230002);
  });

  it('read_status tells the user what they have read (user only)', async () => {
    const alice = h.userToken(DEMO.alice);
    const ids = [M(5), M(1), M(11), 'om_bogus'];
    const before = await h.call('POST', `${V1}/messages/read_status`, { token: alice, json: { message_ids: ids } });
    expect(before.body.code).toBe(0);
    expect(before.body.data.read_statuses).toEqual([
      { message_id: M(5), read_status: 'unread' },
      { message_id: M(1), read_status: 'read' },
      { message_id: M(11), read_status: 'unread' },
      { message_id: 'om_bogus', read_status: 'unexpected', unexpected_reason: 'invalid' },
    ]);
    await h.call('GET', `${V1}/messages`, { token: alice, query: { container_id_type: 'chat', container_id: DEMO.project } });
    const after = await h.call('POST', `${V1}/messages/read_status`, { token: alice, json: { message_ids: [M(5), M(9)] } });
    expect(after.body.data.read_statuses.map((s: { read_status: string }) => s.read_status)).toEqual(['read', 'unread']);
    const dave = await h.call('POST', `${V1}/messages/read_status`, { token: h.userToken(DEMO.dave), json: { message_ids: [M(1)] } });
    expect(dave.body.data.read_statuses[0]).toEqual({ message_id: M(1), read_status: 'unexpected', unexpected_reason: 'no_permission' });
    const bot = await h.call('POST', `${V1}/messages/read_status`, { token: await h.tenantToken(), json: { message_ids: [M(1)] } });
    expect(bot.body.code).toBe(99991668);
    const many = await h.call('POST', `${V1}/messages/read_status`, { token: alice, json: { message_ids: Array.from({ length: 51 }, (_, i) => `om_${i}`) } });
    expect(many.body.code).toBe(99992402);
  });

  it('urgent_app/phone/sms buzz chat members of the bot\'s own message', async () => {
    const tok = await h.tenantToken();
    const r = await h.call('PATCH', `${V1}/messages/${M(4)}/urgent_app`, { token: tok, query: { user_id_type: 'open_id' }, json: { user_id_list: [DEMO.bob, DEMO.dave] } });
    expect(r.body).toMatchObject({ code: 0, data: { invalid_user_id_list: [DEMO.dave] } });
    expect(h.emu.db.get('messages', M(4))!.urgent).toEqual({ app: [DEMO.bob] });
    const phone = await h.call('PATCH', `${V1}/messages/${M(4)}/urgent_phone`, { token: tok, query: { user_id_type: 'open_id' }, json: { user_id_list: [DEMO.carol] } });
    expect(phone.body.code).toBe(0);
    const sms = await h.call('PATCH', `${V1}/messages/${M(4)}/urgent_sms`, { token: tok, query: { user_id_type: 'open_id' }, json: { user_id_list: [DEMO.dave] } });
    expect(sms.body.code).toBe(230001);
    const notMine = await h.call('PATCH', `${V1}/messages/${M(1)}/urgent_app`, { token: tok, query: { user_id_type: 'open_id' }, json: { user_id_list: [DEMO.bob] } });
    expect(notMine.body.code).toBe(230012);
    const noType = await h.call('PATCH', `${V1}/messages/${M(4)}/urgent_app`, { token: tok, json: { user_id_list: [DEMO.bob] } });
    expect(noType.body.code).toBe(99992402);
    const user = await h.call('PATCH', `${V1}/messages/${M(4)}/urgent_app`, { token: h.userToken(DEMO.alice), query: { user_id_type: 'open_id' }, json: { user_id_list: [DEMO.bob] } });
    expect(user.body.code).toBe(99991668);
  });
});
