/**
 * Whole user stories: the real CLI (bin/lark-cli, spawned) against the in-process emulator with the
 * demo workspace (plus one group chat the Demo Bot is not in). Each story checks what the CLI
 * printed AND what the emulator saw (journal: method, path, query, body, identity) or keeps (state).
 * Auth stories (device login, token expiry and refresh, the missing-scope hint) live in
 * emulator-auth.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPng, demoSeed } from '../../src/emulator/seeds/demo.js';
import type { JournalEntry } from '../../src/emulator/index.js';
import { DEMO, useEmulatorCli } from '../helpers/emulator-cli.js';

/** A group chat with Alice and Bob and no bot: the Demo Bot is outside it. */
const QUIET = 'oc_demo00000000000000000000000quiet';
const seed = demoSeed();
seed.chats!.push({ chat_id: QUIET, name: 'Quiet Room', chat_mode: 'group', owner: DEMO.alice, members: [DEMO.alice, DEMO.bob], bots: [] });
seed.messages!.push({ message_id: 'om_demo000000000000000000000000q01', chat_id: QUIET, sender: DEMO.alice, msg_type: 'text', content: JSON.stringify({ text: 'Just us here.' }) });

const h = useEmulatorCli({ seed });

const M = (n: number) => `om_demo0000000000000000000000000${String(n).padStart(2, '0')}`;
/** The project chat's top-level messages (thread replies 6 and 7 hang under 5). */
const PROJECT_ROOTS = [1, 2, 3, 4, 5, 8].map(M);
const CREATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const messagesIn = (chatId: string) => (h.emu.db.messagesByChat.get(chatId) ?? []).map((id) => h.emu.db.get('messages', id)!);
const only = (entries: JournalEntry[]): JournalEntry => {
  expect(entries, JSON.stringify(entries.map((e) => `${e.method} ${e.path} ${e.status}`))).toHaveLength(1);
  return entries[0]!;
};
const ok = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.code, `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`).toBe(0);
};

describe('story: a new chat with members, listed, found and renamed', () => {
  it('+chat-create, then +chat-list, +chat-search and +chat-update see and change it', async () => {
    const created = await h.cli(['im', '+chat-create', '--name', 'Launch Crew', '--description', 'Phoenix launch day', '--users', `${DEMO.bob},${DEMO.carol}`, '--as', 'bot']);
    ok(created);
    const data = created.json().data;
    expect(created.json()).toMatchObject({ ok: true, identity: 'bot' });
    expect(data.chat_id).toMatch(/^oc_[0-9a-f]{32}$/);
    expect(data).toMatchObject({ name: 'Launch Crew', chat_type: 'private', external: false });
    const chatId: string = data.chat_id;

    const chat = h.emu.db.get('chats', chatId)!;
    expect(chat).toMatchObject({ name: 'Launch Crew', description: 'Phoenix launch day', chat_mode: 'group', chat_type: 'private' });
    expect(chat.members).toEqual(expect.arrayContaining([DEMO.bob, DEMO.carol]));
    expect(chat.bots).toContain(DEMO.appId);
    // the creating bot owns it; Lark shows no open_id for a bot owner
    expect(chat).toMatchObject({ owner_id: DEMO.appId, owner_id_type: 'app_id' });
    expect(data.owner_id).toBe('');
    const post = only(h.requestsTo('POST', '/open-apis/im/v1/chats'));
    expect(post).toMatchObject({
      query: { user_id_type: 'open_id' },
      body: { chat_type: 'private', chat_mode: 'group', name: 'Launch Crew', description: 'Phoenix launch day', user_id_list: [DEMO.bob, DEMO.carol] },
      identity: 'bot',
      app_id: DEMO.appId,
      status: 200,
      code: 0,
    });
    // the share link is fetched right after
    const link = only(h.requestsTo('POST', `/open-apis/im/v1/chats/${chatId}/link`));
    expect(link).toMatchObject({ identity: 'bot', status: 200, code: 0 });
    expect(data.share_link).toMatch(/^https?:\/\//);

    const listed = await h.cli(['im', '+chat-list', '--as', 'bot']);
    ok(listed);
    const chats = listed.json().data.chats as Array<Record<string, unknown>>;
    expect(chats.map((c) => c.chat_id)).toEqual(expect.arrayContaining([DEMO.project, DEMO.topics, chatId]));
    expect(chats.map((c) => c.chat_id)).not.toContain(QUIET); // the bot is not in it
    expect(chats.find((c) => c.chat_id === chatId)).toMatchObject({ name: 'Launch Crew', description: 'Phoenix launch day' });
    expect(only(h.requestsTo('GET', '/open-apis/im/v1/chats'))).toMatchObject({ query: { user_id_type: 'open_id', sort_type: 'ByCreateTimeAsc', page_size: '20' }, identity: 'bot' });

    const found = await h.cli(['im', '+chat-search', '--query', 'Launch', '--as', 'bot']);
    ok(found);
    const hits = found.json().data;
    expect(hits.chats.map((c: { chat_id: string }) => c.chat_id)).toEqual([chatId]);
    expect(hits.total).toBe(1);
    expect(only(h.requestsTo('POST', '/open-apis/im/v2/chats/search'))).toMatchObject({ query: { page_size: '20' }, body: { query: 'Launch' }, identity: 'bot' });

    const updated = await h.cli(['im', '+chat-update', '--chat-id', chatId, '--name', 'Launch Crew 2.4', '--as', 'bot']);
    ok(updated);
    expect(updated.json()).toEqual({ ok: true, identity: 'bot', data: { chat_id: chatId } });
    expect(h.emu.db.get('chats', chatId)!.name).toBe('Launch Crew 2.4');
    expect(only(h.requestsTo('PUT', `/open-apis/im/v1/chats/${chatId}`))).toMatchObject({ query: { user_id_type: 'open_id' }, body: { name: 'Launch Crew 2.4' }, identity: 'bot', status: 200, code: 0 });

    const again = await h.cli(['im', '+chat-search', '--query', '2.4', '--as', 'bot']);
    ok(again);
    expect(again.json().data.chats.map((c: { chat_id: string; name: string }) => [c.chat_id, c.name])).toContainEqual([chatId, 'Launch Crew 2.4']);
  });

  it('a user creates a chat too, and finds it by member', async () => {
    const created = await h.cli(['im', '+chat-create', '--name', 'Design Review', '--users', DEMO.dave], { as: 'user' });
    ok(created);
    expect(created.json().identity).toBe('user');
    const chatId = created.json().data.chat_id as string;
    const chat = h.emu.db.get('chats', chatId)!;
    expect(chat.members).toEqual(expect.arrayContaining([DEMO.alice, DEMO.dave]));
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/chats'))).toMatchObject({ identity: 'user', open_id: DEMO.alice });

    const found = await h.cli(['im', '+chat-search', '--member-ids', DEMO.dave], { as: 'user' });
    ok(found);
    expect(found.json().data.chats.map((c: { chat_id: string }) => c.chat_id)).toEqual(expect.arrayContaining([chatId, DEMO.topics]));
  });
});

describe('story: send each content type', () => {
  const sendsTo = () => h.requestsTo('POST', '/open-apis/im/v1/messages');

  it('--text: a text message, with a uuid, as the bot', async () => {
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Release candidate is up', '--as', 'bot']);
    ok(r);
    const out = r.json();
    expect(out).toMatchObject({ ok: true, identity: 'bot', data: { chat_id: DEMO.project } });
    expect(out.data.message_id).toMatch(/^om_/);
    expect(out.data.create_time).toMatch(CREATE_TIME);
    const m = h.emu.db.get('messages', out.data.message_id)!;
    expect(m).toMatchObject({ chat_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: 'Release candidate is up' }), sender: { id: DEMO.appId, id_type: 'app_id', sender_type: 'app' } });
    const req = only(sendsTo());
    expect(req).toMatchObject({ query: { receive_id_type: 'chat_id' }, identity: 'bot', status: 200, code: 0 });
    expect(req.body).toMatchObject({ receive_id: DEMO.project, msg_type: 'text', content: '{"text":"Release candidate is up"}' });
    expect((req.body as { uuid: string }).uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.uuid).toBe((req.body as { uuid: string }).uuid);
  });

  it('--markdown: becomes a post', async () => {
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--markdown', '## Status\n\n- search **done**\n- threads in review', '--as', 'bot']);
    ok(r);
    const m = h.emu.db.get('messages', r.json().data.message_id)!;
    expect(m.msg_type).toBe('post');
    const content = JSON.parse(m.content);
    const text = JSON.stringify(content);
    expect(text).toContain('search **done**');
    expect(text).toContain('##### Status');
    expect(only(sendsTo()).body).toMatchObject({ msg_type: 'post', receive_id: DEMO.project });

    // and reads back rendered
    const list = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--page-size', '1', '--no-reactions', '--as', 'bot']);
    ok(list);
    const [top] = list.json().data.messages;
    expect(top).toMatchObject({ message_id: m.message_id, msg_type: 'post' });
    expect(top.content).toContain('search **done**');
  });

  it('--content with a card: an interactive message', async () => {
    const card = { config: { wide_screen_mode: true }, header: { title: { tag: 'plain_text', content: 'Deploy #42' }, template: 'blue' }, elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**prod** rolled out' } }] };
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--msg-type', 'interactive', '--content', JSON.stringify(card), '--as', 'bot']);
    ok(r);
    const m = h.emu.db.get('messages', r.json().data.message_id)!;
    expect(m.msg_type).toBe('interactive');
    expect(JSON.stringify(JSON.parse(m.content))).toContain('Deploy #42');
    expect(only(sendsTo()).body).toMatchObject({ msg_type: 'interactive', content: JSON.stringify(card) });
  });

  it('--image <local file>: uploads the image, then sends its key', async () => {
    const png = demoPng();
    writeFileSync(path.join(h.sb.work, 'chart.png'), png);
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--image', './chart.png', '--as', 'bot']);
    ok(r);
    expect(r.stderr).toBe('uploading image: chart.png\n');
    expect(h.api().map((e) => `${e.method} ${e.path}`)).toEqual(['POST /open-apis/im/v1/images', 'POST /open-apis/im/v1/messages']);
    const up = only(h.requestsTo('POST', '/open-apis/im/v1/images'));
    expect(up).toMatchObject({ identity: 'bot', status: 200, code: 0, body: { image_type: 'message', files: [{ field: 'image', size: png.length }] } });
    const m = h.emu.db.get('messages', r.json().data.message_id)!;
    expect(m.msg_type).toBe('image');
    const key = JSON.parse(m.content).image_key as string;
    expect(key).toMatch(/^img_v3_/);
    expect(h.emu.db.get('resources', key)).toMatchObject({ type: 'image', size: png.length });
    expect(Buffer.compare(h.emu.store.blobs.get(key)!, png)).toBe(0);
    expect(only(sendsTo()).body).toMatchObject({ msg_type: 'image', content: JSON.stringify({ image_key: key }) });
  });

  it('--file <local file>: uploads the file with its type and name, then sends its key', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4000)]);
    writeFileSync(path.join(h.sb.work, 'Q3-plan.pdf'), pdf);
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--file', './Q3-plan.pdf', '--as', 'bot']);
    ok(r);
    expect(r.stderr).toBe('uploading file: Q3-plan.pdf\n');
    const up = only(h.requestsTo('POST', '/open-apis/im/v1/files'));
    expect(up).toMatchObject({ identity: 'bot', status: 200, code: 0, body: { file_type: 'pdf', file_name: 'Q3-plan.pdf', files: [{ field: 'file', size: pdf.length }] } });
    const m = h.emu.db.get('messages', r.json().data.message_id)!;
    expect(m.msg_type).toBe('file');
    const content = JSON.parse(m.content);
    expect(content.file_key).toMatch(/^file_v3_/);
    expect(h.emu.db.get('resources', content.file_key)).toMatchObject({ type: 'file', file_type: 'pdf', file_name: 'Q3-plan.pdf', size: pdf.length });
    expect(Buffer.compare(h.emu.store.blobs.get(content.file_key)!, pdf)).toBe(0);
  });

  it('--text to a user as the user lands in their p2p chat', async () => {
    const r = await h.cli(['im', '+messages-send', '--user-id', DEMO.bob, '--text', 'See you at 12'], { as: 'user' });
    ok(r);
    expect(r.json()).toMatchObject({ ok: true, identity: 'user', data: { chat_id: DEMO.p2p } });
    const m = h.emu.db.get('messages', r.json().data.message_id)!;
    expect(m).toMatchObject({ chat_id: DEMO.p2p, sender: { id: DEMO.alice, sender_type: 'user' } });
    expect(only(sendsTo())).toMatchObject({ query: { receive_id_type: 'open_id' }, body: { receive_id: DEMO.bob }, identity: 'user', open_id: DEMO.alice });
  });
});

describe('story: list and page', () => {
  it('+chat-messages-list pages with --page-size and --page-token, newest first, threads expanded', async () => {
    const p1 = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--page-size', '4', '--no-reactions', '--as', 'bot']);
    ok(p1);
    const d1 = p1.json().data;
    expect(d1).toMatchObject({ has_more: true, total: 4 });
    expect(typeof d1.page_token).toBe('string');
    expect(d1.page_token).not.toBe('');
    const p2 = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--page-size', '4', '--page-token', d1.page_token, '--no-reactions', '--as', 'bot']);
    ok(p2);
    const d2 = p2.json().data;
    expect(d2).toMatchObject({ has_more: false, total: 2 });
    const ids = [...d1.messages, ...d2.messages].map((m: { message_id: string }) => m.message_id);
    expect(ids).toEqual([...PROJECT_ROOTS].reverse());

    const five = [...d1.messages, ...d2.messages].find((m: { message_id: string }) => m.message_id === M(5));
    expect(five.thread_id).toMatch(/^omt_/);
    expect(five.thread_replies.map((m: { message_id: string }) => m.message_id)).toEqual(expect.arrayContaining([M(6), M(7)]));
    expect(five.sender).toMatchObject({ id: DEMO.bob, name: 'Bob Li' });
    // the server names the bot's own message too, with its open_bot_id; nothing asks the contact API
    const four = [...d1.messages, ...d2.messages].find((m: { message_id: string }) => m.message_id === M(4));
    expect(four.sender).toMatchObject({ id: DEMO.appId, id_type: 'app_id', name: 'Demo Bot', open_bot_id: expect.stringMatching(/^ou_/) });
    expect(four.sender).not.toHaveProperty('sender_name');
    expect(h.api().filter((e) => e.path.startsWith('/open-apis/contact/'))).toEqual([]);
    expect(d1.messages[0]).toMatchObject({ message_id: M(8), msg_type: 'file', content: '<file key="' + DEMO.file + '" name="release-notes.txt"/>' });

    const lists = h.requestsTo('GET', '/open-apis/im/v1/messages').filter((e) => e.query.container_id_type === 'chat');
    expect(lists).toHaveLength(2);
    expect(lists[0]).toMatchObject({
      identity: 'bot',
      query: { container_id: DEMO.project, sort_type: 'ByCreateTimeDesc', page_size: '4', only_thread_root_messages: 'true', card_msg_content_type: 'raw_card_content', with_sender_name: 'true' },
    });
    expect(lists[0]!.query.page_token).toBeUndefined();
    expect(lists[1]!.query.page_token).toBe(d1.page_token);
    expect(h.requestsTo('GET', '/open-apis/im/v1/messages').some((e) => e.query.container_id_type === 'thread' && e.query.container_id === five.thread_id)).toBe(true);
  });

  it('+chat-messages-list --page-all walks both pages, then reads them as one result', async () => {
    const r = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--page-size', '4', '--page-all', '--page-delay', '0', '--as', 'bot']);
    ok(r);
    const out = r.json();
    expect(out.data.messages.map((m: { message_id: string }) => m.message_id)).toEqual([...PROJECT_ROOTS].reverse());
    expect(out.data).toMatchObject({ has_more: false, total: 6 });
    expect(out.meta).toEqual({ pagination: { complete: true, pages: 2, items: 6 } });
    const lists = h.requestsTo('GET', '/open-apis/im/v1/messages').filter((e) => e.query.container_id_type === 'chat');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.query.page_token).toBeUndefined();
    expect(typeof lists[1]!.query.page_token).toBe('string');
    // one reactions batch for the six messages of both pages and the thread's replies
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/messages/reactions/batch_query'))).toMatchObject({ identity: 'bot', status: 200, code: 0 });
  });

  it('+message-read-users: the bot sees who read its message, page by page or all at once', async () => {
    const sent = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'please read', '--as', 'bot']);
    ok(sent);
    const id = sent.json().data.message_id as string;
    const none = await h.cli(['im', '+message-read-users', '--message-id', id, '--as', 'bot']);
    ok(none);
    expect(none.json()).toEqual({ ok: true, identity: 'bot', data: { items: [], has_more: false, page_token: '', total: 0 }, meta: { pagination: { complete: true, pages: 1, items: 0 } } });
    // reading the chat as a user marks it read for them
    ok(await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--no-reactions'], { as: 'user' }));
    ok(await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--no-reactions'], { as: { user: DEMO.bob } }));
    const all = await h.cli(['im', '+message-read-users', '--message-id', id, '--page-size', '1', '--page-all', '--page-delay', '0', '--as', 'bot']);
    ok(all);
    const readers = all.json().data.items.map((x: { user_id: string }) => x.user_id);
    expect(readers.sort()).toEqual([DEMO.alice, DEMO.bob].sort());
    expect(all.json().meta).toEqual({ count: 2, pagination: { complete: true, pages: 2, items: 2 } });
    const pages = h.requestsTo('GET', `/open-apis/im/v1/messages/${id}/read_users`);
    expect(pages).toHaveLength(3);
    expect(pages[1]).toMatchObject({ identity: 'bot', query: { user_id_type: 'open_id', page_size: '1' }, status: 200, code: 0 });
    expect(pages[1]!.query.page_token).toBeUndefined();
    expect(pages[2]!.query.page_token).toMatch(/.+/);
  });

  it('+chat-messages-list --order asc as a user reads the same chat oldest first', async () => {
    const r = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--order', 'asc', '--no-reactions'], { as: 'user' });
    ok(r);
    expect(r.json().identity).toBe('user');
    expect(r.json().data.messages.map((m: { message_id: string }) => m.message_id)).toEqual(PROJECT_ROOTS);
    expect(h.requestsTo('GET', '/open-apis/im/v1/messages')[0]).toMatchObject({ identity: 'user', open_id: DEMO.alice, query: { sort_type: 'ByCreateTimeAsc' } });
  });

  it('the generic layer pages every message: api GET /open-apis/im/v1/messages --page-all', async () => {
    // `im messages list` is not one of the 36 generic methods; `lark-cli api` is the generic way to list
    const r = await h.cli(['api', 'GET', '/open-apis/im/v1/messages', '--params', JSON.stringify({ container_id_type: 'chat', container_id: DEMO.project, sort_type: 'ByCreateTimeAsc', page_size: 3 }), '--page-all', '--page-delay', '1', '--as', 'bot']);
    ok(r);
    const out = r.json();
    expect(out.code).toBe(0);
    const ids = out.data.items.map((m: { message_id: string }) => m.message_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(PROJECT_ROOTS));
    expect(ids).toEqual(messagesIn(DEMO.project).filter((m) => ids.includes(m.message_id)).map((m) => m.message_id));
    const pages = h.requestsTo('GET', '/open-apis/im/v1/messages');
    expect(pages.length).toBeGreaterThanOrEqual(Math.max(2, Math.ceil(ids.length / 3)));
    expect(pages[0]!.query).toMatchObject({ container_id_type: 'chat', container_id: DEMO.project, page_size: '3' });
    expect(pages[0]!.query.page_token).toBeUndefined();
    expect(typeof pages[1]!.query.page_token).toBe('string');
    expect(r.stderr).toContain(`[pagination] merged ${pages.length} pages, ${ids.length} total items`);
  });
});

describe('story: a thread', () => {
  it('+messages-reply --reply-in-thread, +threads-messages-list, +messages-mget', async () => {
    const reply = await h.cli(['im', '+messages-reply', '--message-id', M(1), '--text', 'Counting down!', '--reply-in-thread', '--as', 'bot']);
    ok(reply);
    const replyId = reply.json().data.message_id as string;
    expect(reply.json()).toMatchObject({ ok: true, identity: 'bot', data: { chat_id: DEMO.project } });
    const rec = h.emu.db.get('messages', replyId)!;
    expect(rec).toMatchObject({ parent_id: M(1), root_id: M(1), msg_type: 'text' });
    expect(rec.thread_id).toMatch(/^omt_/);
    expect(h.emu.db.get('messages', M(1))!.thread_id).toBe(rec.thread_id);
    const req = only(h.requestsTo('POST', `/open-apis/im/v1/messages/${M(1)}/reply`));
    expect(req).toMatchObject({ identity: 'bot', status: 200, code: 0, body: { msg_type: 'text', content: '{"text":"Counting down!"}', reply_in_thread: true } });

    const thread = await h.cli(['im', '+threads-messages-list', '--thread', M(1), '--as', 'bot']);
    ok(thread);
    const td = thread.json().data;
    expect(td.thread_id).toBe(rec.thread_id);
    expect(td.messages.map((m: { message_id: string }) => m.message_id)).toEqual([M(1), replyId]);
    expect(td.messages[1]).toMatchObject({ content: 'Counting down!', thread_id: rec.thread_id });
    expect(h.requestsTo('GET', '/open-apis/im/v1/messages').at(-1)).toMatchObject({ query: { container_id_type: 'thread', container_id: rec.thread_id, sort_type: 'ByCreateTimeAsc' } });

    const mget = await h.cli(['im', '+messages-mget', '--message-ids', `${M(1)},${replyId}`, '--as', 'bot']);
    ok(mget);
    const md = mget.json().data;
    expect(md.total).toBe(2);
    expect(md.messages.map((m: { message_id: string }) => m.message_id)).toEqual([M(1), replyId]);
    expect(md.messages[0].thread_replies.map((m: { message_id: string }) => m.message_id)).toContain(replyId);
    expect(only(h.requestsTo('GET', '/open-apis/im/v1/messages/mget')).query).toMatchObject({ message_ids: [M(1), replyId], card_msg_content_type: 'raw_card_content' });
  });
});

describe('story: reactions and pins', () => {
  it('im reactions create, then +chat-messages-list shows the reactions', async () => {
    const r = await h.cli(['im', 'reactions', 'create', '--params', JSON.stringify({ message_id: M(5) }), '--data', JSON.stringify({ reaction_type: { emoji_type: 'SMILE' } }), '--as', 'bot']);
    ok(r);
    const out = r.json();
    expect(out).toMatchObject({ code: 0, data: { reaction_type: { emoji_type: 'SMILE' }, operator: { operator_id: DEMO.appId, operator_type: 'app' } } });
    const reactionId = out.data.reaction_id as string;
    expect(h.emu.db.reactionsByMessage.get(M(5))).toContain(reactionId);
    expect(h.emu.db.get('reactions', reactionId)).toMatchObject({ message_id: M(5), emoji_type: 'SMILE', operator_type: 'app' });
    expect(only(h.requestsTo('POST', `/open-apis/im/v1/messages/${M(5)}/reactions`))).toMatchObject({ identity: 'bot', body: { reaction_type: { emoji_type: 'SMILE' } }, status: 200, code: 0 });

    const list = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--as', 'bot']);
    ok(list);
    // counts are strings in Lark's batch_query answer (schemas/im/reactions.json), passed through by the CLI
    const byId = new Map<string, any>(list.json().data.messages.map((m: { message_id: string }) => [m.message_id, m]));
    expect(byId.get(M(5)).reactions.counts).toEqual([{ reaction_type: 'SMILE', count: '1' }]);
    expect(byId.get(M(5)).reactions.details[0]).toMatchObject({ reaction_id: reactionId, emoji_type: 'SMILE', operator: { operator_id: DEMO.appId, operator_type: 'app' } });
    expect(byId.get(M(1)).reactions.counts).toEqual([{ reaction_type: 'THUMBSUP', count: '2' }]);
    expect(byId.get(M(4)).reactions.counts).toEqual([{ reaction_type: 'DONE', count: '1' }]);
    expect(byId.get(M(2))).not.toHaveProperty('reactions');
    const bq = h.requestsTo('POST', '/open-apis/im/v1/messages/reactions/batch_query');
    expect(bq.length).toBeGreaterThanOrEqual(1);
    const queried = bq.flatMap((e) => (e.body as { queries: Array<{ message_id: string }> }).queries.map((q) => q.message_id));
    expect(queried).toEqual(expect.arrayContaining([...PROJECT_ROOTS, M(6), M(7)]));
  });

  it('im pins create, then im pins list (and --page-all across pages)', async () => {
    const r = await h.cli(['im', 'pins', 'create', '--data', JSON.stringify({ message_id: M(3) }), '--as', 'bot']);
    ok(r);
    expect(r.json()).toMatchObject({ code: 0, data: { pin: { message_id: M(3), chat_id: DEMO.project, operator_id: DEMO.appId, operator_id_type: 'app_id' } } });
    expect(h.emu.db.get('pins', M(3))).toMatchObject({ chat_id: DEMO.project, operator_id: DEMO.appId });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/pins'))).toMatchObject({ identity: 'bot', body: { message_id: M(3) }, status: 200, code: 0 });

    const list = await h.cli(['im', 'pins', 'list', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'bot']);
    ok(list);
    expect(list.json().data.items.map((p: { message_id: string }) => p.message_id).sort()).toEqual([M(2), M(3)]);

    h.journal().length = 0;
    const all = await h.cli(['im', 'pins', 'list', '--params', JSON.stringify({ chat_id: DEMO.project, page_size: 1 }), '--page-all', '--page-delay', '1'], { as: 'user' });
    ok(all);
    expect(all.json().data.items.map((p: { message_id: string }) => p.message_id).sort()).toEqual([M(2), M(3)]);
    const pages = h.requestsTo('GET', '/open-apis/im/v1/pins');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.every((e) => e.identity === 'user' && e.query.chat_id === DEMO.project && e.query.page_size === '1')).toBe(true);
    expect(pages[1]!.query.page_token).toEqual(expect.any(String));
  });

  it('im pins delete asks for --yes first (exit 10, nothing sent), then unpins with it', async () => {
    const pinned = await h.cli(['im', 'pins', 'create', '--data', JSON.stringify({ message_id: M(4) }), '--as', 'bot']);
    ok(pinned);
    h.journal().length = 0;
    const refused = await h.cli(['im', 'pins', 'delete', '--message-id', M(4), '--as', 'bot']);
    expect(refused.code).toBe(10);
    expect(refused.stdout).toBe('');
    expect(refused.errJson().error).toEqual({
      type: 'confirmation',
      message: 'im.pins.delete requires confirmation',
      hint: `add --yes to confirm; re-run: lark-cli im pins delete --message-id ${M(4)} --as bot --yes`,
      risk: 'high-risk-write',
      action: 'im.pins.delete',
    });
    expect(h.requestsTo('DELETE', `/open-apis/im/v1/pins/${M(4)}`)).toEqual([]);
    expect(h.emu.db.get('pins', M(4))).toBeTruthy();

    const done = await h.cli(['im', 'pins', 'delete', '--message-id', M(4), '--as', 'bot', '--yes']);
    ok(done);
    expect(done.json()).toMatchObject({ code: 0 });
    expect(only(h.requestsTo('DELETE', `/open-apis/im/v1/pins/${M(4)}`))).toMatchObject({ identity: 'bot', status: 200, code: 0 });
    const list = await h.cli(['im', 'pins', 'list', '--chat-id', DEMO.project, '--as', 'bot']);
    ok(list);
    expect(list.json().data.items.map((p: { message_id: string }) => p.message_id)).not.toContain(M(4));
  });
});

describe('story: bookmarks, feed shortcuts and feed groups (as a user)', () => {
  it('+flag-create (message and feed layers), +flag-list, +flag-cancel', async () => {
    const a = await h.cli(['im', '+flag-create', '--message-id', M(1)], { as: 'user' });
    ok(a);
    expect(a.json()).toMatchObject({ ok: true, identity: 'user' });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/flags'))).toMatchObject({ identity: 'user', open_id: DEMO.alice, body: { flag_items: [{ item_id: M(1), item_type: '0', flag_type: '2' }] }, status: 200, code: 0 });

    const b = await h.cli(['im', '+flag-create', '--message-id', M(5), '--flag-type', 'feed'], { as: 'user' });
    ok(b);
    // item type detected from the chat's mode: a group chat's thread is msg_thread (11)
    expect(h.requestsTo('GET', `/open-apis/im/v1/messages/${M(5)}`)).toHaveLength(1);
    expect(h.requestsTo('GET', `/open-apis/im/v1/chats/${DEMO.project}`)).toHaveLength(1);
    expect(h.requestsTo('POST', '/open-apis/im/v1/flags')[1]).toMatchObject({ body: { flag_items: [{ item_id: M(5), item_type: '11', flag_type: '1' }] }, code: 0 });
    const mine = [...h.emu.db.t.bookmarks.values()].filter((x) => x.owner === DEMO.alice);
    expect(mine.map((x) => [x.item_id, x.item_type, x.flag_type]).sort()).toEqual([[M(1), '0', '2'], [M(5), '11', '1']]);

    const list = await h.cli(['im', '+flag-list'], { as: 'user' });
    ok(list);
    const ld = list.json().data;
    expect(ld.flag_items.map((f: { item_id: string; flag_type: string }) => [f.item_id, f.flag_type])).toEqual([[M(1), '2'], [M(5), '1']]);
    const feedItem = ld.flag_items.find((f: { item_id: string }) => f.item_id === M(5));
    expect(feedItem.message).toMatchObject({ message_id: M(5) });
    expect(h.requestsTo('GET', '/open-apis/im/v1/flags')[0]).toMatchObject({ identity: 'user', query: { page_size: '50', page_token: '' } });

    const cancel = await h.cli(['im', '+flag-cancel', '--message-id', M(1)], { as: 'user' });
    ok(cancel);
    expect(cancel.json().data.results.map((x: { item_type: string; flag_type: string; status: string }) => [x.item_type, x.flag_type, x.status])).toEqual([
      ['default', 'message', 'ok'],
      ['msg_thread', 'feed', 'ok'],
    ]);
    expect(h.requestsTo('POST', '/open-apis/im/v1/flags/cancel').map((e) => (e.body as { flag_items: unknown[] }).flag_items)).toEqual([
      [{ item_id: M(1), item_type: '0', flag_type: '2' }],
      [{ item_id: M(1), item_type: '11', flag_type: '1' }],
    ]);
    const after = await h.cli(['im', '+flag-list', '--enrich-feed-thread=false'], { as: 'user' });
    ok(after);
    const ad = after.json().data;
    expect(ad.flag_items.map((f: { item_id: string }) => f.item_id)).toEqual([M(5)]);
    expect(ad.delete_flag_items.map((f: { item_id: string; flag_type: string }) => [f.item_id, f.flag_type])).toContainEqual([M(1), '2']);
  });

  it('+feed-shortcut-create, +feed-shortcut-list (with chat detail), +feed-shortcut-remove', async () => {
    const c = await h.cli(['im', '+feed-shortcut-create', '--chat-id', DEMO.project, '--chat-id', DEMO.topics], { as: 'user' });
    ok(c);
    expect(c.json()).toMatchObject({ ok: true, identity: 'user', data: { total: 2, success_count: 2, failure_count: 0 } });
    expect(only(h.requestsTo('POST', '/open-apis/im/v2/feed_shortcuts'))).toMatchObject({
      identity: 'user',
      body: { shortcuts: [{ feed_card_id: DEMO.project, type: 1 }, { feed_card_id: DEMO.topics, type: 1 }], is_header: true },
      code: 0,
    });
    expect([...h.emu.db.t.feed_shortcuts.values()].filter((s) => s.owner === DEMO.alice).map((s) => s.feed_id).sort()).toEqual([DEMO.project, DEMO.topics].sort());

    const l = await h.cli(['im', '+feed-shortcut-list'], { as: 'user' });
    ok(l);
    const shortcuts = l.json().data.shortcuts as Array<{ feed_card_id: string; type: number; detail?: { name: string } }>;
    expect(shortcuts.map((s) => s.feed_card_id).sort()).toEqual([DEMO.project, DEMO.topics].sort());
    expect(shortcuts.find((s) => s.feed_card_id === DEMO.project)!.detail).toMatchObject({ chat_id: DEMO.project, name: 'Project Phoenix' });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/chats/batch_query'))).toMatchObject({ identity: 'user', query: { user_id_type: 'open_id' } });

    const rm = await h.cli(['im', '+feed-shortcut-remove', '--chat-id', DEMO.topics], { as: 'user' });
    ok(rm);
    expect(rm.json().data).toMatchObject({ total: 1, success_count: 1, failure_count: 0 });
    expect(only(h.requestsTo('POST', '/open-apis/im/v2/feed_shortcuts/remove')).body).toEqual({ shortcuts: [{ feed_card_id: DEMO.topics, type: 1 }] });
    expect([...h.emu.db.t.feed_shortcuts.values()].filter((s) => s.owner === DEMO.alice).map((s) => s.feed_id)).toEqual([DEMO.project]);
    const l2 = await h.cli(['im', '+feed-shortcut-list', '--no-detail'], { as: 'user' });
    ok(l2);
    expect(l2.json().data.shortcuts).toEqual([{ feed_card_id: DEMO.project, type: 1 }]);
  });

  it('im feed.groups create + batch_add_item, +feed-group-list, +feed-group-list-item, +feed-group-query-item', async () => {
    const c = await h.cli(['im', 'feed.groups', 'create', '--data', JSON.stringify({ feed_group_creator: { type: 'normal', name: 'Releases' } })], { as: 'user' });
    ok(c);
    const groupId = c.json().data.group_id as string;
    expect(groupId).toMatch(/^ofg_/);
    expect(h.emu.db.get('feed_groups', groupId)).toMatchObject({ owner: DEMO.alice, name: 'Releases' });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/groups'))).toMatchObject({ identity: 'user', open_id: DEMO.alice, code: 0 });

    const add = await h.cli(['im', 'feed.groups', 'batch_add_item', '--params', JSON.stringify({ feed_group_id: groupId }), '--data', JSON.stringify({ items: [{ feed_id: DEMO.project, feed_type: 'chat' }, { feed_id: DEMO.topics, feed_type: 'chat' }] })], { as: 'user' });
    ok(add);
    expect(h.emu.db.get('feed_groups', groupId)!.items.map((i) => i.feed_id)).toEqual([DEMO.project, DEMO.topics]);

    const groups = await h.cli(['im', '+feed-group-list'], { as: 'user' });
    ok(groups);
    expect(groups.json().data.groups).toContainEqual(expect.objectContaining({ group_id: groupId, name: 'Releases', type: 'normal' }));
    expect(only(h.requestsTo('GET', '/open-apis/im/v1/groups')).query).toEqual({ page_size: '50', page_token: '' });

    const items = await h.cli(['im', '+feed-group-list-item', '--feed-group-id', groupId], { as: 'user' });
    ok(items);
    const it0 = items.json().data.items as Array<{ feed_id: string; feed_type: string; chat_name?: string }>;
    expect(it0.map((i) => [i.feed_id, i.feed_type, i.chat_name])).toEqual(expect.arrayContaining([[DEMO.project, 'chat', 'Project Phoenix'], [DEMO.topics, 'chat', 'Design Topics']]));
    expect(only(h.requestsTo('GET', `/open-apis/im/v1/groups/${groupId}/list_item`))).toMatchObject({ identity: 'user', query: { page_size: '50' } });

    const q = await h.cli(['im', '+feed-group-query-item', '--feed-group-id', groupId, '--feed-id', `${DEMO.topics},${QUIET}`], { as: 'user' });
    ok(q);
    const qd = q.json().data;
    expect(qd.items.map((i: { feed_id: string; chat_name?: string }) => [i.feed_id, i.chat_name])).toEqual([[DEMO.topics, 'Design Topics']]);
    expect(only(h.requestsTo('POST', `/open-apis/im/v1/groups/${groupId}/batch_query_item`)).body).toEqual({ items: [{ feed_id: DEMO.topics, feed_type: 'chat' }, { feed_id: QUIET, feed_type: 'chat' }] });
  });
});

describe('story: search', () => {
  it('+messages-search as a user: keyword hits, enriched with chat context and sender names', async () => {
    const r = await h.cli(['im', '+messages-search', '--query', 'Phoenix'], { as: 'user' });
    ok(r);
    const d = r.json().data;
    expect(r.json().identity).toBe('user');
    const ids = d.messages.map((m: { message_id: string }) => m.message_id);
    expect(ids).toContain(M(1));
    const hit = d.messages.find((m: { message_id: string }) => m.message_id === M(1));
    expect(hit).toMatchObject({ chat_id: DEMO.project, chat_type: 'group', chat_name: 'Project Phoenix', content: 'Morning all! Phoenix 2.4 goes out on Friday.', sender: { id: DEMO.alice, name: 'Alice Chen' } });
    expect(hit.reactions.counts).toEqual([{ reaction_type: 'THUMBSUP', count: '2' }]);
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/messages/search'))).toMatchObject({ identity: 'user', open_id: DEMO.alice, query: { page_size: '20' }, body: { query: 'Phoenix' }, code: 0 });
    expect(only(h.requestsTo('GET', '/open-apis/im/v1/messages/mget')).query).toMatchObject({ with_sender_name: 'true' });
    expect(h.api().filter((e) => e.path.startsWith('/open-apis/contact/'))).toEqual([]);
  });

  it('+messages-search as the bot: the same requests with the tenant token, the bot named by the server', async () => {
    const r = await h.cli(['im', '+messages-search', '--query', 'Phoenix', '--no-reactions'], { as: 'bot' });
    ok(r);
    expect(r.json().identity).toBe('bot');
    const d = r.json().data;
    expect(d.messages.map((m: { message_id: string }) => m.message_id)).toContain(M(1));
    expect(d.messages.find((m: { message_id: string }) => m.message_id === M(1))).toMatchObject({ chat_name: 'Project Phoenix', sender: { id: DEMO.alice, name: 'Alice Chen' } });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/messages/search'))).toMatchObject({ identity: 'bot', app_id: DEMO.appId, query: { page_size: '20' }, body: { query: 'Phoenix' }, code: 0 });
    expect(only(h.requestsTo('GET', '/open-apis/im/v1/messages/mget'))).toMatchObject({ identity: 'bot', query: { with_sender_name: 'true' }, code: 0 });
    expect(h.api().every((e) => e.identity === 'bot')).toBe(true);
  });

  it('+messages-search filters by chat and sender, and never returns chats the user is not in', async () => {
    const r = await h.cli(['im', '+messages-search', '--query', '', '--chat-id', DEMO.project, '--sender', DEMO.bob, '--no-reactions'], { as: 'user' });
    ok(r);
    const ids = r.json().data.messages.map((m: { message_id: string }) => m.message_id).sort();
    expect(ids).toEqual([M(2), M(5)]);
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/messages/search')).body).toEqual({ query: '', filter: { chat_ids: [DEMO.project], from_ids: [DEMO.bob] } });

    const dave = await h.cli(['im', '+messages-search', '--query', 'Lunch', '--no-reactions'], { as: { user: DEMO.dave } });
    ok(dave);
    expect(dave.json().data.messages).toEqual([]); // the p2p chat is Alice and Bob's
  });
});

describe('story: upload then download, byte-identical, with ranges', () => {
  it('+messages-send --file (3 MiB), then +messages-resources-download in Range chunks', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 12345);
    writeFileSync(path.join(h.sb.work, 'dataset.bin'), bytes);
    const sent = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--file', './dataset.bin', '--as', 'bot'], { timeoutMs: 30_000 });
    ok(sent);
    const messageId = sent.json().data.message_id as string;
    const fileKey = JSON.parse(h.emu.db.get('messages', messageId)!.content).file_key as string;
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/files')).body).toMatchObject({ file_type: 'stream', file_name: 'dataset.bin', files: [{ size: bytes.length }] });

    h.journal().length = 0;
    const dl = await h.cli(['im', '+messages-resources-download', '--message-id', messageId, '--file-key', fileKey, '--type', 'file', '--output', 'copy.bin', '--as', 'bot'], { timeoutMs: 30_000 });
    ok(dl);
    const out = dl.json();
    expect(out).toMatchObject({ ok: true, identity: 'bot', data: { size_bytes: bytes.length } });
    expect(out.data.saved_path).toMatch(/copy\.bin$/);
    const copy = readFileSync(path.join(h.sb.work, 'copy.bin'));
    expect(copy.length).toBe(bytes.length);
    expect(Buffer.compare(copy, bytes)).toBe(0);

    const gets = h.requestsTo('GET', `/open-apis/im/v1/messages/${messageId}/resources/${fileKey}`);
    expect(gets.length).toBeGreaterThanOrEqual(2);
    expect(gets.every((e) => e.query.type === 'file' && e.identity === 'bot' && e.status === 206)).toBe(true);
    expect(gets[0]!.range).toBe('bytes=0-131071');
    const ranges = gets.map((e) => e.range!).sort((a, b) => Number(a.slice(6).split('-')[0]) - Number(b.slice(6).split('-')[0]));
    expect(ranges.at(-1)).toMatch(new RegExp(`^bytes=\\d+-${bytes.length - 1}$`));
    expect(ranges[1]).toBe(`bytes=131072-${bytes.length - 1}`); // one 8 MiB chunk covers the rest
  });

  it('the seeded image downloads whole (no Range), named by its key and Content-Type', async () => {
    const dl = await h.cli(['im', '+messages-resources-download', '--message-id', M(3), '--file-key', DEMO.image, '--type', 'image'], { as: 'user' });
    ok(dl);
    const png = demoPng();
    expect(dl.json().data).toMatchObject({ size_bytes: png.length });
    // images come without Content-Disposition: the key plus the extension of image/png
    expect(dl.json().data.saved_path).toBe(path.join(h.sb.work, `${DEMO.image}.png`));
    expect(Buffer.compare(readFileSync(path.join(h.sb.work, `${DEMO.image}.png`)), png)).toBe(0);
    const get = only(h.requestsTo('GET', `/open-apis/im/v1/messages/${M(3)}/resources/${DEMO.image}`));
    expect(get).toMatchObject({ status: 200, identity: 'user', query: { type: 'image' } });
    expect(get.range).toBeUndefined();
  });
  it('the seeded file is saved under its Content-Disposition name, answered 206 to the probe', async () => {
    const dl = await h.cli(['im', '+messages-resources-download', '--message-id', M(8), '--file-key', DEMO.file, '--type', 'file', '--as', 'bot']);
    ok(dl);
    const saved = readFileSync(path.join(h.sb.work, 'release-notes.txt'), 'utf8');
    expect(saved).toContain('Phoenix 2.4 release notes');
    expect(dl.json().data).toEqual({ saved_path: path.join(h.sb.work, 'release-notes.txt'), size_bytes: Buffer.byteLength(saved) });
    const get = only(h.requestsTo('GET', `/open-apis/im/v1/messages/${M(8)}/resources/${DEMO.file}`));
    expect(get).toMatchObject({ status: 206, range: 'bytes=0-131071', identity: 'bot', query: { type: 'file' } });
  });
});

describe('story: a bot outside the chat is refused', () => {
  it('+messages-send to a chat without the bot -> 230002, exit 1, nothing stored', async () => {
    const before = messagesIn(QUIET).length;
    const r = await h.cli(['im', '+messages-send', '--chat-id', QUIET, '--text', 'hello?', '--as', 'bot']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const err = r.errJson();
    expect(err).toMatchObject({ ok: false, identity: 'bot', error: { code: 230002 } });
    expect(err.error.message).toContain('Bot/User can NOT be out of the chat');
    expect(messagesIn(QUIET)).toHaveLength(before);
    const req = only(h.requestsTo('POST', '/open-apis/im/v1/messages'));
    expect(req).toMatchObject({ identity: 'bot', code: 230002, body: { receive_id: QUIET, msg_type: 'text' } });
    expect(req.status).toBe(400);

    // reading it is refused the same way, while Alice (a member) can read and write there
    const list = await h.cli(['im', '+chat-messages-list', '--chat-id', QUIET, '--as', 'bot']);
    expect(list.code).toBe(1);
    expect(list.errJson().error.code).toBe(230002);
    const alice = await h.cli(['im', '+messages-send', '--chat-id', QUIET, '--text', 'hello!'], { as: 'user' });
    ok(alice);
    expect(messagesIn(QUIET)).toHaveLength(before + 1);
  });
});

describe('story: the bot edits its message, lists the members; Alice asks what she has read', () => {
  it('+messages-send, +messages-edit (text, then a post with an attachment zone), +chat-members-list, +messages-read-status', async () => {
    const sent = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Draft: release at 5', '--as', 'bot']);
    ok(sent);
    const id: string = sent.json().data.message_id;

    const edited = await h.cli(['im', '+messages-edit', '--message-id', id, '--text', 'Release at 6', '--as', 'bot']);
    ok(edited);
    expect(edited.json()).toMatchObject({ ok: true, identity: 'bot', data: { message_id: id, chat_id: DEMO.project } });
    expect(edited.json().data.update_time).toMatch(CREATE_TIME);
    expect(h.emu.db.get('messages', id)).toMatchObject({ msg_type: 'text', content: '{"text":"Release at 6"}', updated: true });
    expect(only(h.requestsTo('PUT', `/open-apis/im/v1/messages/${id}`))).toMatchObject({ identity: 'bot', status: 200, body: { msg_type: 'text', content: '{"text":"Release at 6"}' } });

    const post = await h.cli(['im', '+messages-edit', '--message-id', id, '--markdown', 'Release at **6**', '--set-attachments', DEMO.file, '--as', 'bot']);
    ok(post);
    const stored = h.emu.db.get('messages', id)!;
    expect(stored.msg_type).toBe('post');
    expect(JSON.parse(stored.content).zh_cn.files).toEqual([{ key: DEMO.file }]);
    // a key that was never uploaded is refused by the platform, and the message stays as it was
    const bad = await h.cli(['im', '+messages-edit', '--message-id', id, '--msg-type', 'post', '--set-attachments', 'file_never_uploaded', '--as', 'bot']);
    expect(bad.code).toBe(1);
    expect(bad.errJson().error.code).toBe(230001);
    expect(h.emu.db.get('messages', id)!.content).toBe(stored.content);
    // only the sender may edit: Alice's message is refused to the bot
    const mine = await h.cli(['im', '+messages-edit', '--message-id', M(1), '--text', 'x', '--as', 'bot']);
    expect(mine.code).toBe(1);
    expect(mine.errJson().error.code).toBe(230012);

    const members = await h.cli(['im', '+chat-members-list', '--chat-id', DEMO.project, '--page-size', '2', '--page-all', '--as', 'bot']);
    ok(members);
    const data = members.json().data;
    const chat = h.emu.db.get('chats', DEMO.project)!;
    expect(data.users.map((u: { member_id: string }) => u.member_id)).toEqual(chat.members);
    expect(data.bots.map((b: { app_id: string }) => b.app_id)).toEqual(chat.bots);
    expect(data).toMatchObject({ has_more: false, user_total: chat.members.length, bot_total: chat.bots.length, truncations: [] });
    const pages = h.requestsTo('GET', `/open-apis/im/v1/chats/${DEMO.project}/members/list`);
    expect(pages.length).toBe(Math.ceil((chat.members.length + chat.bots.length) / 2));
    expect(pages[0]).toMatchObject({ identity: 'bot', query: { member_id_type: 'open_id', page_size: '2' } });

    const status = await h.cli(['im', '+messages-read-status', '--message-ids', `${id},${M(1)},om_nonexistent`], { as: 'user' });
    ok(status);
    expect(status.json()).toMatchObject({ ok: true, identity: 'user' });
    expect(only(h.requestsTo('POST', '/open-apis/im/v1/messages/read_status'))).toMatchObject({ identity: 'user', open_id: DEMO.alice, body: { message_ids: [id, M(1), 'om_nonexistent'] } });
    const byId = Object.fromEntries((status.json().data.read_statuses as Array<{ message_id: string }>).map((s) => [s.message_id, s]));
    expect(byId.om_nonexistent).toMatchObject({ read_status: 'unexpected', unexpected_reason: 'invalid' });
    expect(Object.keys(byId)).toEqual([id, M(1), 'om_nonexistent']);
  });
});
