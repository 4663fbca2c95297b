import { describe, expect, it } from 'vitest';
import { createMessage } from '../../src/emulator/model/messages.js';
import { DEMO, useEmulator, type EmulatorHandle } from '../helpers/emulator.js';

const SEARCH = '/open-apis/im/v1/messages/search';
const M = (n: number) => `om_demo0000000000000000000000000${String(n).padStart(2, '0')}`;

async function search(h: EmulatorHandle, token: string, body: Record<string, unknown>, query: Record<string, string | number | undefined> = {}) {
  return h.call('POST', SEARCH, { token, json: body, query: { page_size: 20, ...query } });
}

const ids = (r: { body: { data: { items: Array<{ meta_data: { message_id: string } }> } } }) => r.body.data.items.map((i) => i.meta_data.message_id);

describe('emulator message search', () => {
  const h = useEmulator();

  it('finds messages by keyword (case-insensitive, every term), newest first, as {items:[{meta_data}]}', async () => {
    const alice = h.userToken(DEMO.alice);
    const r = await search(h, alice, { query: 'PHOENIX' });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(0);
    // the text of message 1, and the link (href) of the post
    expect(ids(r)).toEqual([M(2), M(1)]);
    expect(r.body.data).toMatchObject({ has_more: false, page_token: '' });
    // post title and text nodes, file names, card text, mention names
    expect(ids(await search(h, alice, { query: 'launch checklist' }))).toEqual([M(2)]);
    expect(ids(await search(h, alice, { query: 'release-notes' }))).toEqual([M(8)]);
    expect(ids(await search(h, alice, { query: 'build #128' }))).toEqual([M(4)]);
    expect(ids(await search(h, alice, { query: 'thanks carol' }))).toEqual([M(7)]);
    expect(ids(await search(h, alice, { query: 'phoenix nonsense' }))).toEqual([]);
    // an empty query with no filter lists everything visible, newest first
    const all = ids(await search(h, alice, { query: '' }, { page_size: 50 }));
    expect(all).toEqual([M(12), M(11), M(10), M(9), M(8), M(7), M(6), M(5), M(4), M(3), M(2), M(1)]);
  });

  it('applies the filters the CLI sends', async () => {
    const alice = h.userToken(DEMO.alice);
    const f = async (filter: Record<string, unknown>, query = '') => ids(await search(h, alice, { query, filter }, { page_size: 50 }));
    expect(await f({ from_ids: [DEMO.bob] })).toEqual([M(11), M(5), M(2)]);
    expect(await f({ chat_ids: [DEMO.topics] })).toEqual([M(10), M(9)]);
    expect(await f({ chat_type: 'p2p' })).toEqual([M(12), M(11)]);
    expect((await f({ chat_type: 'group' })).length).toBe(10);
    expect(await f({ include_attachment_types: ['image'] })).toEqual([M(3)]);
    expect(await f({ include_attachment_types: ['file'] })).toEqual([M(8)]);
    expect(await f({ include_attachment_types: ['link'] })).toEqual([M(2)]);
    expect(await f({ include_attachment_types: ['video'] })).toEqual([]);
    expect(await f({ from_types: ['bot'] })).toEqual([M(4)]);
    expect((await f({ exclude_from_types: ['bot'] })).includes(M(4))).toBe(false);
    expect(await f({ at_chatter_ids: [DEMO.carol] })).toEqual([M(7), M(2)]);
    expect(await f({ is_at_me: true })).toEqual([]);
    expect(await f({ chat_ids: null, from_ids: [DEMO.alice], chat_type: 'p2p' })).toEqual([M(12)]);
    const carol = h.userToken(DEMO.carol);
    expect(ids(await search(h, carol, { query: '', filter: { is_at_me: true } }))).toEqual([M(7), M(2)]);
    // @all matches any at-chatter filter
    const tok = await h.tenantToken();
    const sent = await h.call('POST', '/open-apis/im/v1/messages', { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: '<at user_id="all">everyone</at> standup' }) } });
    expect(await f({ at_chatter_ids: [DEMO.bob] }, 'standup')).toEqual([sent.body.data.message_id]);
  });

  it('filters by time range in the forms the CLI passes through (unix seconds, RFC 3339, dates)', async () => {
    const alice = h.userToken(DEMO.alice);
    const t4 = Number(h.emu.db.get('messages', M(4))!.create_time);
    const t6 = Number(h.emu.db.get('messages', M(6))!.create_time);
    const sec = (ms: number) => String(Math.floor(ms / 1000));
    const f = async (time_range: Record<string, unknown>) => ids(await search(h, alice, { query: '', filter: { chat_ids: [DEMO.project], time_range } }, { page_size: 50 }));
    expect(await f({ start_time: sec(t4), end_time: sec(t6) })).toEqual([M(6), M(5), M(4)]);
    expect(await f({ start_time: new Date(t4 - (t4 % 1000)).toISOString().replace('.000Z', '+00:00'), end_time: sec(t4) })).toEqual([M(4)]);
    const d = new Date(t4);
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect((await f({ start_time: day, end_time: day })).length).toBeGreaterThan(0);
    expect(await f({ start_time: String(Math.floor(h.emu.clock.now() / 1000) + 60) })).toEqual([]);
    const bad = await search(h, alice, { query: '', filter: { time_range: { start_time: 'last tuesday' } } });
    expect(bad.body.code).toBe(99992402);
    const reversed = await search(h, alice, { query: '', filter: { time_range: { start_time: sec(t6), end_time: sec(t4) } } });
    expect(reversed.body.code).toBe(99992402);
  });

  it('pages with stable cursor tokens, even while new hits arrive', async () => {
    const tok = await h.tenantToken();
    const alice = h.userToken(DEMO.alice);
    for (let i = 0; i < 25; i++) {
      await h.call('POST', '/open-apis/im/v1/messages', { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: `needle ${i}` }) } });
    }
    const seen: string[] = [];
    const tokens: string[] = [];
    let token: string | undefined;
    for (let p = 0; p < 5; p++) {
      const r = await search(h, alice, { query: 'needle' }, { page_size: 10, page_token: token });
      seen.push(...ids(r));
      if (!r.body.data.has_more) break;
      token = r.body.data.page_token;
      tokens.push(token!);
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(tokens).toHaveLength(2);
    const second = await search(h, alice, { query: 'needle' }, { page_size: 10, page_token: tokens[0] });
    await h.call('POST', '/open-apis/im/v1/messages', { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: 'needle late' }) } });
    const again = await search(h, alice, { query: 'needle' }, { page_size: 10, page_token: tokens[0] });
    expect(ids(again)).toEqual(ids(second));
    // a token from someone else's search is refused
    const foreign = await search(h, h.userToken(DEMO.bob), { query: 'needle' }, { page_token: tokens[0] });
    expect(foreign.body.code).toBe(99992402);
  });

  it('sees only the caller\'s chats; a bot searches its chats (newest CLI); recalled messages drop out; edits are searchable', async () => {
    const dave = h.userToken(DEMO.dave);
    expect(ids(await search(h, dave, { query: 'phoenix' }))).toEqual([]);
    expect(ids(await search(h, dave, { query: 'fewer clicks' }))).toEqual([M(10)]);
    const tok = await h.tenantToken();
    // the bot is not in Alice and Bob's direct chat ("Lunch at 12?"), but is in the project chat
    expect(ids(await search(h, tok, { query: 'lunch' }))).toEqual([M(6)]);
    expect(ids(await search(h, h.userToken(DEMO.bob), { query: 'lunch' }))).toEqual([M(11), M(6)]);
    const sent = await h.call('POST', '/open-apis/im/v1/messages', { token: tok, query: { receive_id_type: 'chat_id' }, json: { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: 'draft one' }) } });
    const id = sent.body.data.message_id;
    expect(ids(await search(h, tok, { query: 'draft' }))).toEqual([id]);
    await h.call('PUT', `/open-apis/im/v1/messages/${id}`, { token: tok, json: { msg_type: 'text', content: JSON.stringify({ text: 'final copy' }) } });
    expect(ids(await search(h, tok, { query: 'draft' }))).toEqual([]);
    expect(ids(await search(h, tok, { query: 'final' }))).toEqual([id]);
    await h.call('DELETE', `/open-apis/im/v1/messages/${id}`, { token: tok });
    expect(ids(await search(h, tok, { query: 'final' }))).toEqual([]);
  });

  it('validates the page size, the filter and the token; needs search:message', async () => {
    const alice = h.userToken(DEMO.alice);
    const code = async (body: Record<string, unknown>, query: Record<string, string | number> = {}) => (await search(h, alice, body, query)).body.code;
    expect(await code({ query: 'x' }, { page_size: 51 })).toBe(99992402);
    expect(await code({ query: 'x' }, { page_size: 0 })).toBe(99992402);
    expect(await code({ query: 'x' }, { page_token: 'garbage' })).toBe(99992402);
    expect(await code({ query: 5 })).toBe(99992402);
    expect(await code({ query: 'x', filter: 'all' })).toBe(99992402);
    expect(await code({ query: 'x', filter: { chat_type: 'channel' } })).toBe(99992402);
    expect(await code({ query: 'x', filter: { include_attachment_types: ['gif'] } })).toBe(99992402);
    expect(await code({ query: 'x', filter: { from_ids: 'ou_x' } })).toBe(99992402);
    expect(await code({ query: 'x', filter: { is_at_me: 'yes' } })).toBe(99992402);
    const noScope = await search(h, h.userToken(DEMO.alice, ['im:message:readonly']), { query: 'x' });
    expect(noScope.body.code).toBe(99991679);
    expect(noScope.body.error.permission_violations[0].subject).toBe('search:message');
  });

  it('answers Lark\'s documented search/v2/message as well (user only, ids)', async () => {
    const alice = h.userToken(DEMO.alice);
    const r = await h.call('POST', '/open-apis/search/v2/message', { token: alice, json: { query: 'lunch', chat_type: 'p2p_chat' } });
    expect(r.body).toMatchObject({ code: 0, data: { items: [M(11)], has_more: false } });
    const img = await h.call('POST', '/open-apis/search/v2/message', { token: alice, json: { query: '', message_type: 'image' } });
    expect(img.body.data.items).toEqual([M(3)]);
    const bot = await h.call('POST', '/open-apis/search/v2/message', { token: await h.tenantToken(), json: { query: 'x' } });
    expect(bot.body.code).toBe(99991668);
    const bad = await h.call('POST', '/open-apis/search/v2/message', { token: alice, json: {} });
    expect(bad.body.code).toBe(99992402);
  });

  it('is fast: p50 under 50 ms over 100,000 messages', async () => {
    const db = h.emu.db;
    const chats = [db.get('chats', DEMO.project)!, db.get('chats', DEMO.topics)!];
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const senders = [DEMO.alice, DEMO.bob, DEMO.carol];
    const t0 = h.emu.clock.now() - 200_000_000;
    for (let i = 0; i < 100_000; i++) {
      const w = `${words[i % 10]} ${words[(i * 7) % 10]} item${i}${i % 1000 === 0 ? ' rareword' : ''}`;
      createMessage(db, { chat: chats[i % 50 === 0 ? 1 : 0]!, senderId: senders[i % 3]!, msg_type: 'text', content: JSON.stringify({ text: w }), now: t0 + i * 1000 });
    }
    expect(db.t.messages.size).toBeGreaterThan(100_000);
    const alice = h.userToken(DEMO.alice);
    const bodies = [
      { query: 'rareword' },
      { query: 'delta golf' },
      { query: 'item4242' },
      { query: '', filter: { from_ids: [DEMO.bob], chat_ids: [DEMO.project] } },
      { query: 'echo', filter: { chat_type: 'group', from_types: ['user'] } },
    ];
    await search(h, alice, bodies[0]!); // warms the text cache once
    const times: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const b of bodies) {
        const s = performance.now();
        const r = await search(h, alice, b);
        times.push(performance.now() - s);
        expect(r.body.code).toBe(0);
      }
    }
    const rare = await search(h, alice, { query: 'rareword' }, { page_size: 50 });
    expect(rare.body.data.items).toHaveLength(50);
    expect(rare.body.data.has_more).toBe(true);
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    if (process.env.EMU_SEARCH_TIMES) console.log(`search over ${db.t.messages.size} messages: p50 ${p50.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
    expect(p50).toBeLessThan(50);
  }, 60_000);
});
