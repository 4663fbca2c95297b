/**
 * `+messages-mget` and `+messages-search` against the fake platform: the worked examples of
 * docs/shortcuts-read.md, resource downloads, merge-forward trees,
 * validation, dry-run plans, pretty output and the kept notes (N13, N14).
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { larkErr } from '../fake-lark/handlers.js';
import { rawMessage, textMessage, useMessagesReadFake } from '../fake-lark/messages-read.js';

const h = useMessagesReadFake();
const { cli, apiCalls, calls, expectValidation } = h;

describe('+messages-mget', () => {
  it('M1: fetches two messages, expands the thread root and queries reactions once per id', async () => {
    h.world.messages.om_a = textMessage('om_a', 'root', { sender: 'ou_x', threadId: 'omt_a' });
    h.world.messages.om_b = rawMessage('om_b', 'file', { file_key: 'file_1', file_name: 'r.pdf' }, { sender: 'ou_x' });
    h.world.threads.omt_a = { items: [textMessage('om_a', 'root', { sender: 'ou_x', threadId: 'omt_a' }), textMessage('om_a1', 'reply', { sender: 'ou_y', threadId: 'omt_a' })] };
    h.world.users = { ou_x: 'Xavier', ou_y: 'Yan' };
    h.world.reactions = { om_a: { counts: [{ reaction_type: 'OK', count: 1 }] } };
    const r = await cli('im', '+messages-mget', '--message-ids', 'om_a, om_b');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mget = calls('/open-apis/im/v1/messages/mget')[0]!;
    // on the wire the client sorts the keys (the dry-run shows the original's order)
    expect(mget.search).toBe('?card_msg_content_type=raw_card_content&message_ids=om_a&message_ids=om_b&with_sender_name=true');
    const thread = apiCalls().find((q) => q.query.container_id_type === 'thread')!;
    expect(thread.query).toMatchObject({ container_id: 'omt_a', page_size: '50', sort_type: 'ByCreateTimeAsc', with_sender_name: 'true' });
    // mget, the thread and the reactions: the names came with the messages
    expect(apiCalls().map((q) => q.path).sort()).toEqual(['/open-apis/im/v1/messages', '/open-apis/im/v1/messages/mget', '/open-apis/im/v1/messages/reactions/batch_query']);
    const reactions = calls('/open-apis/im/v1/messages/reactions/batch_query');
    expect(reactions).toHaveLength(1);
    // nodes are walked depth-first (each message, then its thread replies), root once
    expect(reactions[0]!.json).toEqual({ queries: [{ message_id: 'om_a' }, { message_id: 'om_a1' }, { message_id: 'om_b' }] });
    const data = r.json().data;
    expect(data.total).toBe(2);
    expect(Object.keys(data).sort()).toEqual(['messages', 'total']);
    const [a, b] = data.messages;
    expect(a.thread_id).toBe('omt_a');
    expect(a.thread_replies).toHaveLength(2);
    expect(a.reactions).toEqual({ counts: [{ count: 1, reaction_type: 'OK' }] });
    expect(a.thread_replies[0].reactions).toEqual(a.reactions);
    expect(a.thread_replies[1].sender.name).toBe('Yan');
    expect(b.content).toBe('<file key="file_1" name="r.pdf"/>');
    expect(b.sender.name).toBe('Xavier');
  });

  it('M2: refuses more than 50 ids, bad ids and an empty list before any request', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `om_${i}`).join(',');
    await expectValidation(['im', '+messages-mget', '--message-ids', ids], '--message-ids supports at most 50 IDs per request (got 51)');
    await expectValidation(['im', '+messages-mget', '--message-ids', ' , '], '--message-ids is required (comma-separated om_xxx)');
    await expectValidation(['im', '+messages-mget', '--message-ids', 'om_1,x_2'], 'invalid message ID "x_2": must start with om_');
    await expectValidation(['im', '+messages-mget'], 'required flag(s) "message-ids" not set');
  });

  it('M3: downloads resources; a failing download is isolated (warning, error flag, exit 0)', async () => {
    h.world.messages.om_img = rawMessage('om_img', 'image', { image_key: 'img_1' });
    h.world.messages.om_file = rawMessage('om_file', 'file', { file_key: 'file_2', file_name: 'f.bin' });
    h.world.resources.img_1 = { contentType: 'image/png', body: Buffer.from([1, 2, 3, 4]) };
    h.world.resources.file_2 = { status: 403, body: 'denied' };
    const r = await cli('im', '+messages-mget', '--message-ids', 'om_img,om_file', '--download-resources', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: resource_download_failed: om_file/file_2: download failed: HTTP 403: denied\n');
    const img = calls('/open-apis/im/v1/messages/om_img/resources/img_1');
    expect(img).toHaveLength(1);
    expect(img[0]!.query).toEqual({ type: 'image' });
    expect(img[0]!.headers.range).toBeUndefined();
    const file = calls('/open-apis/im/v1/messages/om_file/resources/file_2');
    expect(file).toHaveLength(1); // a 4xx is not retried (docs/compatibility.md)
    expect(file[0]!.query).toEqual({ type: 'file' });
    expect(file[0]!.headers.range).toBe('bytes=0-131071');
    const target = path.join(realpathSync(h.sb.work), 'lark-im-resources', 'img_1.png');
    const [mImg, mFile] = r.json().data.messages;
    expect(mImg.resources).toEqual([{ key: 'img_1', local_path: target, message_id: 'om_img', size_bytes: 4, type: 'image' }]);
    expect(mFile.resources).toEqual([{ error: true, key: 'file_2', message_id: 'om_file', type: 'file' }]);
    expect([...readFileSync(target)]).toEqual([1, 2, 3, 4]);
  });

  it('M4: renders a merge-forward transcript and addresses its resources by the container', async () => {
    h.world.messages.om_mf = rawMessage('om_mf', 'merge_forward', 'Merged and Forwarded Message', { sender: 'ou_zed' });
    h.world.mergeForward.om_mf = [
      rawMessage('om_mf', 'merge_forward', 'Merged and Forwarded Message', { sender: 'ou_zed' }),
      textMessage('s1', 'hello', { sender: 'ou_alice', createTime: '1710500000000', upper: 'om_mf' }),
      rawMessage('s2', 'image', { image_key: 'img_7' }, { sender: 'ou_bob', createTime: '1710500040000', upper: 'om_mf' }),
    ];
    h.world.users = { ou_alice: 'Alice', ou_zed: 'Zed' };
    h.world.resources.img_7 = { contentType: 'image/jpeg', body: Buffer.from('jpeg') };
    const r = await cli('im', '+messages-mget', '--message-ids', 'om_mf', '--download-resources', '--no-reactions');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sub = calls('/open-apis/im/v1/messages/om_mf');
    expect(sub).toHaveLength(1);
    expect(sub[0]!.query).toEqual({ card_msg_content_type: 'raw_card_content', user_id_type: 'open_id', with_sender_name: 'true' });
    const [m] = r.json().data.messages;
    expect(m.content).toBe(
      [
        '<forwarded_messages>',
        '[2024-03-15T18:53:20+08:00] Alice:',
        '    hello',
        '[2024-03-15T18:54:00+08:00] ou_bob:',
        '    [Image: img_7]',
        '</forwarded_messages>',
      ].join('\n'),
    );
    expect(m.sender.name).toBe('Zed');
    expect(m.resources).toEqual([
      { key: 'img_7', local_path: path.join(realpathSync(h.sb.work), 'lark-im-resources', 'img_7.jpg'), message_id: 'om_mf', size_bytes: 4, type: 'image' },
    ]);
    expect(calls('/open-apis/im/v1/messages/om_mf/resources/img_7')).toHaveLength(1);
  });

  it('a failing merge-forward fetch warns, retries once inline and renders the failure', async () => {
    h.world.messages.om_mf = rawMessage('om_mf', 'merge_forward', '{"create_message_ids":["a","b"]}');
    h.fake.use(http.get('*/open-apis/im/v1/messages/om_mf', () => larkErr(230110, 'forward fetch denied', undefined, { status: 200 })));
    const r = await cli('im', '+messages-mget', '--message-ids', 'om_mf', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: merge_forward_prefetch_failed: om_mf: forward fetch denied\n');
    expect(r.json().data.messages[0].content).toBe('[Merged forward: fetch failed: forward fetch denied]');
    expect(calls('/open-apis/im/v1/messages/om_mf')).toHaveLength(2);
  });

  it('duplicated ids give duplicated rows that share one reactions query', async () => {
    h.world.messages.om_a = textMessage('om_a', 'x', { senderType: 'app', sender: 'cli_1' });
    h.world.users.cli_1 = 'Build Bot';
    h.world.reactions.om_a = { details: [{ reaction_id: 'r1', emoji_type: 'OK', operator: { operator_id: 'ou_q', operator_type: 'user' }, action_time: '1' }] };
    const r = await cli('im', '+messages-mget', '--message-ids', 'om_a,om_a');
    expect(r.code).toBe(0);
    expect(calls('/open-apis/im/v1/messages/mget')[0]!.search).toBe('?card_msg_content_type=raw_card_content&message_ids=om_a&message_ids=om_a&with_sender_name=true');
    expect(calls('/open-apis/im/v1/messages/reactions/batch_query')[0]!.json).toEqual({ queries: [{ message_id: 'om_a' }] });
    const msgs = r.json().data.messages;
    expect(msgs).toHaveLength(2);
    expect(msgs[0].reactions).toEqual(msgs[1].reactions);
    expect(msgs[0].reactions.details[0].reaction_id).toBe('r1');
    // an app sender is named by the server as well, and keeps its open_bot_id
    expect(msgs[0].sender).toEqual({
      id: 'cli_1', id_type: 'app_id', name: 'Build Bot', open_bot_id: 'ou_bot_cli_1', sender_i18n_names: { en_us: 'Build Bot', zh_cn: 'Build Bot' }, sender_type: 'app',
    });
    expect(apiCalls().map((q) => q.path)).toEqual(['/open-apis/im/v1/messages/mget', '/open-apis/im/v1/messages/reactions/batch_query']);
  });

  it('prints the dry-run plan and the pretty table', async () => {
    const d = await cli('im', '+messages-mget', '--message-ids', 'om_a,om_b', '--dry-run');
    expect(d.json()).toEqual({
      api: [
        { method: 'GET', url: '/open-apis/im/v1/messages/mget?card_msg_content_type=raw_card_content&with_sender_name=true&message_ids=om_a&message_ids=om_b' },
        {
          desc: 'Reaction enrichment: queries returned messages in batches of up to 20 to attach the reactions block (operator, action_time, counts). Pass --no-reactions to skip.',
          method: 'POST', url: '/open-apis/im/v1/messages/reactions/batch_query',
        },
      ],
    });
    expect(h.fake.requests).toHaveLength(0);
    h.world.messages.om_a = textMessage('om_a', 'line one\nline two is a bit longer than forty characters', { sender: 'ou_alice' });
    h.world.users.ou_alice = 'Alice';
    const p = await cli('im', '+messages-mget', '--message-ids', 'om_a', '--format', 'pretty', '--no-reactions');
    expect(p.stdout).toBe(
      [
        'content                                    message_id  sender  time              type',
        '─────────────────────────────────────────  ──────────  ──────  ────────────────  ────',
        'line one line two is a bit longer than f…  om_a        Alice   2024-03-15 18:53  text',
        '',
        '1 message(s)',
        'tip: use --format json to view full message content',
        '',
      ].join('\n'),
    );
    const none = await cli('im', '+messages-mget', '--message-ids', 'om_gone', '--format', 'pretty');
    expect(none.stdout).toBe('No messages found.\n');
    // a sender the server did not name: the pretty cell falls back to the id
    h.world.users = {};
    const unnamed = await cli('im', '+messages-mget', '--message-ids', 'om_a', '--format', 'pretty', '--no-reactions');
    expect(unnamed.stdout.split('\n')[2]).toBe('line one line two is a bit longer than f…  om_a        ou_alice  2024-03-15 18:53  text');
  });
});

describe('+messages-search', () => {
  it('S1: sends the filters, then mget (asking for sender names), chat context and reactions', async () => {
    h.world.search[''] = { ids: ['om_1'], has_more: false, page_token: '' };
    h.world.messages.om_1 = textMessage('om_1', 'incident resolved', { sender: 'ou_a', chatId: 'oc_dm' });
    h.world.chatInfo.oc_dm = { chat_mode: 'p2p', p2p_target_id: 'ou_a' };
    h.world.users.ou_a = 'Ann';
    const r = await cli(
      'im', '+messages-search', '--query', 'incident', '--chat-type', 'p2p', '--sender', 'ou_a',
      '--start', '2026-03-01T00:00:00+08:00', '--end', '2026-03-02T23:59:59+08:00',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [search, mget] = apiCalls();
    expect(search).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/messages/search', search: '?page_size=20' });
    expect(search!.json).toEqual({
      query: 'incident',
      filter: { chat_type: 'p2p', from_ids: ['ou_a'], time_range: { start_time: '2026-03-01T00:00:00+08:00', end_time: '2026-03-02T23:59:59+08:00' } },
    });
    expect(mget!.search).toBe('?card_msg_content_type=raw_card_content&message_ids=om_1&with_sender_name=true');
    const chats = calls('/open-apis/im/v1/chats/batch_query');
    expect(chats[0]!.query).toEqual({ user_id_type: 'open_id' });
    expect(chats[0]!.json).toEqual({ chat_ids: ['oc_dm'] });
    expect(calls('/open-apis/im/v1/messages/reactions/batch_query')[0]!.json).toEqual({ queries: [{ message_id: 'om_1' }] });
    expect(apiCalls()).toHaveLength(4); // no contact look-up
    expect(apiCalls().every((q) => q.headers.authorization === 'Bearer u-test-user-token')).toBe(true);
    const data = r.json().data;
    expect(data).toMatchObject({ has_more: false, page_token: '', total: 1 });
    expect(data.messages[0]).toMatchObject({
      chat_id: 'oc_dm', chat_type: 'p2p', chat_partner: { open_id: 'ou_a' }, content: 'incident resolved', sender: { id: 'ou_a', name: 'Ann' },
    });
    expect(data.messages[0].sender).not.toHaveProperty('sender_name');
    expect(data.messages[0].chat_name).toBeUndefined();
  });

  it('S2: bounded auto-pagination fetches in chunks of 50 and warns in pretty mode', async () => {
    const p1 = Array.from({ length: 50 }, (_, i) => `om_p1_${i}`);
    const p2 = Array.from({ length: 5 }, (_, i) => `om_p2_${i}`);
    h.world.search[''] = { ids: p1, has_more: true, page_token: 'tok_p2' };
    h.world.search.tok_p2 = { ids: p2, has_more: true, page_token: 'tok_p3' };
    [...p1, ...p2].forEach((id, i) => {
      h.world.messages[id] = textMessage(id, `hit ${i}`, { chatId: `oc_${i}`, senderType: 'app', sender: 'cli_bot' });
      h.world.chatInfo[`oc_${i}`] = { chat_mode: 'group', name: `Room ${i}` };
    });
    const r = await cli('im', '+messages-search', '--query', 'incident', '--page-all', '--page-limit', '2', '--format', 'pretty', '--no-reactions');
    expect(r.code).toBe(0);
    const searches = calls('/open-apis/im/v1/messages/search');
    expect(searches.map((q) => q.query.page_token ?? '')).toEqual(['', 'tok_p2']);
    expect(calls('/open-apis/im/v1/messages/mget').map((q) => (q.query.message_ids as string[]).length).sort((a, b) => a - b)).toEqual([5, 50]);
    expect(calls('/open-apis/im/v1/chats/batch_query').map((q) => (q.json as { chat_ids: string[] }).chat_ids.length).sort((a, b) => a - b)).toEqual([5, 50]);
    // the unnamed bot sender shows its id
    expect(r.stdout).toMatch(/^chat +content +sender +time +type *\n/);
    expect(r.stdout).toContain('Room 0   hit 0    cli_bot');
    expect(r.stdout.endsWith(
      '\n55 search result(s) (more available, use --page-token to fetch next page)\nwarning: stopped after fetching 2 page(s); use --page-limit, --page-all, or --page-token to continue\n',
    )).toBe(true);

    // --page-limit alone also paginates; it stops when a page ends
    h.fake.clearRequests();
    h.world.search.tok_p2 = { ids: p2, has_more: false, page_token: '' };
    const j = await cli('im', '+messages-search', '--query', 'incident', '--page-limit', '2', '--no-reactions');
    expect(calls('/open-apis/im/v1/messages/search')).toHaveLength(2);
    expect(j.json().data).toMatchObject({ has_more: false, page_token: '', total: 55 });
  });

  it('S3: an mget failure falls back to the id list, exit 0, with no further calls', async () => {
    h.world.search[''] = { ids: ['om_1', 'om_2'] };
    h.fake.use(http.get('*/open-apis/im/v1/messages/mget', () => new HttpResponse('boom', { status: 500 })));
    const r = await cli('im', '+messages-search', '--query', 'x');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({
      has_more: false, message_ids: ['om_1', 'om_2'], note: 'failed to fetch message details, returning ID list only', page_token: '', total: 2,
    });
    expect(apiCalls().every((q) => q.path === '/open-apis/im/v1/messages/search' || q.path === '/open-apis/im/v1/messages/mget')).toBe(true);
    const p = await cli('im', '+messages-search', '--query', 'x', '--format', 'pretty');
    expect(p.stdout).toBe('Found 2 messages (failed to fetch details):\n  om_1\n  om_2\n');
  });

  it('S4: validates before any request', async () => {
    await expectValidation(
      ['im', '+messages-search', '--start', '2026-03-03T00:00:00+08:00', '--end', '2026-03-02T00:00:00+08:00'],
      '--start cannot be later than --end',
    );
    await expectValidation(['im', '+messages-search', '--sender', 'bad_sender'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+messages-search', '--page-limit', '41'], '--page-limit must be an integer between 1 and 40');
    await expectValidation(['im', '+messages-search', '--page-size', '80'], 'invalid --page-size 80: must be between 1 and 50');
    await expectValidation(['im', '+messages-search', '--sender-type', 'bot', '--exclude-sender-type', 'bot'], '--sender-type and --exclude-sender-type cannot be the same value');
    await expectValidation(['im', '+messages-search', '--chat-id', 'oc_1,chat_2'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['im', '+messages-search', '--at-chatter-ids', 'ou_1,x'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    await expectValidation(['im', '+messages-search', '--chat-type', 'dm'], 'invalid value "dm" for --chat-type, allowed: group, p2p');
    // bot identity is accepted now; its validation is the same
    await expectValidation(['im', '+messages-search', '--as', 'bot', '--page-limit', '0'], '--page-limit must be an integer between 1 and 40');
    const notInt = await cli('im', '+messages-search', '--page-size', 'x');
    expect(notInt.code).toBe(2);
    expect(notInt.errJson().error.message).toMatch(/^invalid argument "x" for "--page-size" flag/);
  });

  it('returns the empty result (with the server notice) when nothing matches', async () => {
    h.world.search[''] = { ids: [], has_more: false, page_token: '', notice: 'index is warming up' };
    const r = await cli('im', '+messages-search', '--query', 'nothing', '--is-at-me', '--at-chatter-ids', 'ou_1', '--include-attachment-type', 'file', '--sender-type', 'user', '--exclude-sender-type', 'bot');
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ has_more: false, messages: [], notice: 'index is warming up', page_token: '', total: 0 });
    expect(apiCalls()).toHaveLength(1);
    expect(apiCalls()[0]!.json).toEqual({
      query: 'nothing',
      filter: { at_chatter_ids: ['ou_1'], exclude_from_types: ['bot'], from_types: ['user'], include_attachment_types: ['file'], is_at_me: true },
    });
    const p = await cli('im', '+messages-search', '--query', 'nothing', '--format', 'pretty');
    expect(p.stdout).toBe('No matching messages found.\n');
  });

  it('sends a list filter made only of commas as null and keeps search duplicates', async () => {
    h.world.search[''] = { ids: ['om_1', 'om_1'] };
    h.world.messages.om_1 = textMessage('om_1', 'dup', { chatId: 'oc_g', senderType: 'app', sender: 'cli_1' });
    h.world.chatInfo.oc_g = { chat_mode: 'group', name: 'General' };
    const r = await cli('im', '+messages-search', '--chat-id', ' , ', '--no-reactions', '--page-token', '');
    expect(r.code).toBe(0);
    expect(calls('/open-apis/im/v1/messages/search')[0]!.json).toEqual({ query: '', filter: { chat_ids: null } });
    expect(calls('/open-apis/im/v1/messages/mget')[0]!.query.message_ids).toEqual(['om_1', 'om_1']);
    const data = r.json().data;
    expect(data.total).toBe(2);
    expect(data.messages[1]).toMatchObject({ chat_id: 'oc_g', chat_type: 'group', chat_name: 'General' });
  });

  it('prints the dry-run plan (Step 2 overwritten by Step 3)', async () => {
    const r = await cli('im', '+messages-search', '--query', 'x', '--page-all', '--page-token', 't0', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      api: [
        {
          body: { query: 'x' },
          desc: 'Step 3 (if results): POST /open-apis/im/v1/chats/batch_query  — fetch chat names for context',
          method: 'POST',
          params: { page_size: '20', page_token: 't0' },
          url: '/open-apis/im/v1/messages/search',
        },
        {
          desc: 'Step 4 (if results): reaction enrichment in batches of up to 20 messages. Pass --no-reactions to skip.',
          method: 'POST',
          url: '/open-apis/im/v1/messages/reactions/batch_query',
        },
      ],
      description: 'Step 1: search messages (auto-paginates up to 40 page(s))',
    });
    const plain = await cli('im', '+messages-search', '--query', 'x', '--no-reactions', '--dry-run');
    expect(plain.json().description).toBe('Step 1: search messages');
    expect(plain.json().api).toHaveLength(1);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--as bot makes the same requests with the tenant token', async () => {
    h.world.search[''] = { ids: ['om_1'], has_more: true, page_token: 'tok_2' };
    h.world.messages.om_1 = textMessage('om_1', 'deploy done', { sender: 'cli_ci', senderType: 'app', chatId: 'oc_ops' });
    h.world.chatInfo.oc_ops = { chat_mode: 'group', name: 'Ops' };
    h.world.users.cli_ci = 'CI Bot';
    h.world.reactions.om_1 = { counts: [{ reaction_type: 'DONE', count: 1 }] };
    const r = await cli('im', '+messages-search', '--as', 'bot', '--keyword', 'deploy', '--chat-id', 'oc_ops', '--limit', '5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls_ = apiCalls();
    expect(calls_.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /open-apis/im/v1/messages/search',
      'GET /open-apis/im/v1/messages/mget',
      'POST /open-apis/im/v1/chats/batch_query',
      'POST /open-apis/im/v1/messages/reactions/batch_query',
    ]);
    expect(calls_.every((q) => q.headers.authorization === 'Bearer t-cli_test')).toBe(true);
    expect(calls_[0]!.search).toBe('?page_size=5');
    expect(calls_[0]!.json).toEqual({ query: 'deploy', filter: { chat_ids: ['oc_ops'] } });
    expect(calls_[1]!.search).toBe('?card_msg_content_type=raw_card_content&message_ids=om_1&with_sender_name=true');
    expect(calls_[2]!.json).toEqual({ chat_ids: ['oc_ops'] });
    expect(r.json()).toEqual({
      ok: true,
      identity: 'bot',
      data: {
        has_more: true,
        messages: [
          {
            chat_id: 'oc_ops', chat_name: 'Ops', chat_type: 'group', content: 'deploy done', create_time: '2024-03-15 18:53', deleted: false,
            message_id: 'om_1', msg_type: 'text', reactions: { counts: [{ count: 1, reaction_type: 'DONE' }] },
            sender: { id: 'cli_ci', id_type: 'app_id', name: 'CI Bot', open_bot_id: 'ou_bot_cli_ci', sender_i18n_names: { en_us: 'CI Bot', zh_cn: 'CI Bot' }, sender_type: 'app' },
            updated: false,
          },
        ],
        page_token: 'tok_2',
        total: 1,
      },
    });
  });

  it('--as bot: an API error of the search exits 1 with the bot identity', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/messages/search', () => larkErr(99991672, 'app has no search permission', undefined, { status: 200 })));
    const r = await cli('im', '+messages-search', '--as', 'bot', '--query', 'x');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.errJson()).toMatchObject({ ok: false, identity: 'bot', error: { type: 'permission', code: 99991672 } });
    expect(apiCalls().map((q) => q.path)).toEqual(['/open-apis/im/v1/messages/search']);
  });

  it('--as bot --dry-run prints the search plan without any request', async () => {
    const r = await cli('im', '+messages-search', '--as', 'bot', '--query', 'deploy', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [
        {
          body: { query: 'deploy' },
          desc: 'Step 3 (if results): POST /open-apis/im/v1/chats/batch_query  — fetch chat names for context',
          method: 'POST',
          params: { page_size: '20' },
          url: '/open-apis/im/v1/messages/search',
        },
        {
          desc: 'Step 4 (if results): reaction enrichment in batches of up to 20 messages. Pass --no-reactions to skip.',
          method: 'POST',
          url: '/open-apis/im/v1/messages/reactions/batch_query',
        },
      ],
      description: 'Step 1: search messages',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('a failing chat batch only loses chat context', async () => {
    h.world.search[''] = { ids: ['om_1'] };
    h.world.messages.om_1 = textMessage('om_1', 'hi', { chatId: 'oc_x', senderType: 'app', sender: 'cli_1' });
    h.fake.use(http.post('*/open-apis/im/v1/chats/batch_query', () => larkErr(232011, 'chat fetch failed', undefined, { status: 200 })));
    const r = await cli('im', '+messages-search', '--query', 'hi', '--no-reactions');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [m] = r.json().data.messages;
    expect(m.chat_id).toBe('oc_x');
    expect(m.chat_type).toBeUndefined();
  });
});
