/**
 * The CLI's retries (docs/compatibility.md) against the emulator's fault injection, as the journal
 * shows them: a 429 with x-ogw-ratelimit-reset on a GET is waited out and retried; a dropped
 * connection on +messages-send is retried with the same uuid and leaves exactly one message; a 5xx
 * on a POST without an idempotency key is not retried. LARKSUITE_CLI_RETRY_BASE_MS is set low by
 * the harness (20 ms); server-requested waits are always honoured.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/emulator/index.js';
import { DEMO, useEmulatorCli } from '../helpers/emulator-cli.js';

const h = useEmulatorCli();

const M1 = 'om_demo000000000000000000000000001';
const messagesIn = (chatId: string) => (h.emu.db.messagesByChat.get(chatId) ?? []).map((id) => h.emu.db.get('messages', id)!);
const show = (es: JournalEntry[]) => JSON.stringify(es.map((e) => `${e.method} ${e.path} ${e.status}${e.fault ? ' fault' : ''}`));
const ok = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.code, `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`).toBe(0);
};

describe('429 with x-ogw-ratelimit-reset on a GET', () => {
  it('+chat-messages-list waits the server-given time, retries once and succeeds', async () => {
    await h.fault({ method: 'GET', path: '/open-apis/im/v1/messages', status: 429, headers: { 'x-ogw-ratelimit-reset': '1' }, times: 1 });
    const r = await h.cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--no-reactions', '--as', 'bot']);
    ok(r);
    expect(r.json().data.messages.length).toBeGreaterThan(0);

    const lists = h.requestsTo('GET', '/open-apis/im/v1/messages').filter((e) => e.query.container_id_type === 'chat');
    expect(lists, show(lists)).toHaveLength(2);
    const [first, second] = lists as [JournalEntry, JournalEntry];
    expect(first).toMatchObject({ status: 429, code: 99991400, fault: true });
    expect(second).toMatchObject({ status: 200, code: 0, identity: 'bot' });
    expect(second.fault).toBeUndefined();
    expect(second.query).toEqual(first.query);
    // the server asked for 1 s; the backoff base alone (20 ms) would have been much shorter
    expect(Date.parse(second.time) - Date.parse(first.time)).toBeGreaterThanOrEqual(900);
  });

  it('a rate limit answered with HTTP 200 and code 99991400 is retried too', async () => {
    await h.fault({ method: 'GET', path: '/open-apis/im/v1/pins', status: 200, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '0' } });
    const r = await h.cli(['im', 'pins', 'list', '--params', JSON.stringify({ chat_id: DEMO.project }), '--as', 'bot']);
    ok(r);
    expect(r.json().data.items.map((p: { message_id: string }) => p.message_id)).toContain('om_demo000000000000000000000000002');
    const pins = h.requestsTo('GET', '/open-apis/im/v1/pins');
    expect(pins.map((e) => [e.status, e.code, !!e.fault]), show(pins)).toEqual([
      [200, 99991400, true],
      [200, 0, false],
    ]);
  });
});

describe('a dropped connection on +messages-send', () => {
  it('is retried with the same uuid, and exactly one message exists afterwards', async () => {
    const before = messagesIn(DEMO.project).length;
    await h.fault({ method: 'POST', path: '/open-apis/im/v1/messages', drop: true, times: 1 });
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Ship it', '--as', 'bot']);
    ok(r);
    const messageId = r.json().data.message_id as string;

    const sends = h.requestsTo('POST', '/open-apis/im/v1/messages');
    expect(sends, show(sends)).toHaveLength(2);
    const [dropped, retried] = sends as [JournalEntry, JournalEntry];
    expect(dropped).toMatchObject({ status: 0, fault: true });
    expect(retried).toMatchObject({ status: 200, code: 0, identity: 'bot' });
    const uuid = (dropped.body as { uuid?: string }).uuid;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((retried.body as { uuid?: string }).uuid).toBe(uuid);
    expect(retried.body).toEqual(dropped.body);

    const now = messagesIn(DEMO.project);
    expect(now).toHaveLength(before + 1);
    expect(now.filter((m) => m.content === JSON.stringify({ text: 'Ship it' })).map((m) => m.message_id)).toEqual([messageId]);
    expect(h.emu.db.get('messages', messageId)!.uuid).toBe(uuid);
  });

  it('an answer lost after the message was stored: the retry carries the same uuid and gets the same message back', async () => {
    const before = messagesIn(DEMO.project).length;
    await h.fault({ method: 'POST', path: '/open-apis/im/v1/messages', drop: true, after: true, times: 1 });
    const r = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Exactly once', '--as', 'bot']);
    ok(r);
    const messageId = r.json().data.message_id as string;
    const sends = h.requestsTo('POST', '/open-apis/im/v1/messages');
    expect(sends.map((e) => [e.status, !!e.fault]), show(sends)).toEqual([
      [0, true],
      [200, false],
    ]);
    expect((sends[1]!.body as { uuid: string }).uuid).toBe((sends[0]!.body as { uuid: string }).uuid);
    // the first attempt was carried out: without the key the retry would have sent it twice
    const now = messagesIn(DEMO.project);
    expect(now).toHaveLength(before + 1);
    expect(now.filter((m) => m.content === JSON.stringify({ text: 'Exactly once' })).map((m) => m.message_id)).toEqual([messageId]);
  });

  it('a 503 on +messages-reply (which carries a uuid) is retried as well', async () => {
    await h.fault({ method: 'POST', path: '/open-apis/im/v1/messages/:message_id/reply', status: 503, times: 1 });
    const r = await h.cli(['im', '+messages-reply', '--message-id', M1, '--text', 'On it', '--idempotency-key', 'reply-key-1', '--as', 'bot']);
    ok(r);
    const replies = h.requestsTo('POST', `/open-apis/im/v1/messages/${M1}/reply`);
    expect(replies.map((e) => [e.status, (e.body as { uuid?: string }).uuid]), show(replies)).toEqual([
      [503, 'reply-key-1'],
      [200, 'reply-key-1'],
    ]);
    expect(messagesIn(DEMO.project).filter((m) => m.parent_id === M1)).toHaveLength(1);
  });

  it('sending twice with the same --idempotency-key makes one message (the second answer is the first message)', async () => {
    const before = messagesIn(DEMO.project).length;
    const a = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Once', '--idempotency-key', 'once-1', '--as', 'bot']);
    const b = await h.cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Once', '--idempotency-key', 'once-1', '--as', 'bot']);
    ok(a);
    ok(b);
    expect(b.json().data.message_id).toBe(a.json().data.message_id);
    expect(messagesIn(DEMO.project)).toHaveLength(before + 1);
    expect(h.requestsTo('POST', '/open-apis/im/v1/messages').map((e) => (e.body as { uuid: string }).uuid)).toEqual(['once-1', 'once-1']);
  });
});

describe('a 5xx on a POST without an idempotency key', () => {
  it('im reactions create is not retried: one request, the error, no reaction', async () => {
    const before = (h.emu.db.reactionsByMessage.get(M1) ?? []).length;
    await h.fault({ method: 'POST', path: '/open-apis/im/v1/messages/:message_id/reactions', status: 500, times: 1 });
    const r = await h.cli(['im', 'reactions', 'create', '--params', JSON.stringify({ message_id: M1 }), '--data', JSON.stringify({ reaction_type: { emoji_type: 'OK' } }), '--as', 'bot']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errJson()).toMatchObject({ ok: false, error: { code: 500 } });
    const posts = h.requestsTo('POST', `/open-apis/im/v1/messages/${M1}/reactions`);
    expect(posts, show(posts)).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 500, fault: true });
    expect(h.emu.faults).toEqual([]);
    expect((h.emu.db.reactionsByMessage.get(M1) ?? []).length).toBe(before);
  });

  it('+chat-create is not retried either', async () => {
    const chatsBefore = h.emu.db.t.chats.size;
    await h.fault({ method: 'POST', path: '/open-apis/im/v1/chats', status: 502, times: 1 });
    const r = await h.cli(['im', '+chat-create', '--name', 'Flaky', '--as', 'bot']);
    expect(r.code).toBe(1);
    const posts = h.requestsTo('POST', '/open-apis/im/v1/chats');
    expect(posts, show(posts)).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 502, fault: true });
    expect(h.emu.db.t.chats.size).toBe(chatsBefore);
  });
});
