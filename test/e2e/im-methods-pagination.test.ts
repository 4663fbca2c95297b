/**
 * `--page-all` on the cursor methods (docs/generic-commands.md): follows `page_token`, honours
 * `--page-limit`, merges the list field (json) or streams it (ndjson/table).
 */
import { describe, expect, it } from 'vitest';
import { pagedHandler } from '../fake-lark/im-api.js';
import { larkErr, larkOk } from '../fake-lark/handlers.js';
import { http } from 'msw';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { TEST_USER_TOKEN, writeTestAccount } from '../helpers/accounts.js';

const V1 = '/open-apis/im/v1';
const h = useFakeLark({ sandbox: 'file', setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message im:chat.members:read im:message.reactions:read' } } }) });

const pin = (n: number) => ({ message_id: `om_${n}`, chat_id: 'oc_1' });

describe('--page-all', () => {
  it('pins list: follows page_token, merges items, keeps chat_id on every page', async () => {
    h.fake.use(pagedHandler('GET', `${V1}/pins`, [[pin(1)], [pin(2)]]));
    const r = await runInProcess(['im', 'pins', 'list', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--page-all'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[pagination] merged 2 pages, 2 total items\n');
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { has_more: false, items: [pin(1), pin(2)] } });
    const reqs = h.fake.requestsTo(`${V1}/pins`);
    expect(reqs.map((q) => q.query)).toEqual([{ chat_id: 'oc_1' }, { chat_id: 'oc_1', page_token: 't1' }]);
    expect(reqs.every((q) => q.method === 'GET' && q.headers.authorization === 'Bearer t-cli_test')).toBe(true);
  });

  it('a server that repeats the page token is not asked forever, even with --page-limit 0', async () => {
    h.fake.use(http.get(`*${V1}/pins`, () => larkOk({ has_more: true, page_token: 'same', items: [pin(1)] })));
    const r = await runInProcess(['im', 'pins', 'list', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--page-all', '--page-limit', '0'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[page 2] fetching...\nwarning: page_token did not change, stopping pagination to avoid infinite loop\n');
    expect(h.fake.requestsTo(`${V1}/pins`).map((q) => q.query.page_token)).toEqual([undefined, 'same']);
    expect(r.json().data.items).toEqual([pin(1), pin(1)]);
  });

  it('chat.members get: stops at --page-limit and says so', async () => {
    const member = (n: number) => ({ member_id: `ou_${n}`, member_id_type: 'open_id', name: `User ${n}`, tenant_key: 'tk1' });
    h.fake.use(pagedHandler('GET', `${V1}/chats/:chat_id/members`, [[member(1), member(2)], [member(3)], [member(4)]], 'items', { member_total: 4 }));
    const r = await runInProcess(
      ['im', 'chat.members', 'get', '--params', '{"chat_id":"oc_1","member_id_type":"open_id","page_size":2}', '--as', 'user', '--page-all', '--page-limit', '2', '--page-delay', '1'],
      { sandbox: h.sb },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      '[page 1] fetching...\n[page 2] fetching...\n[pagination] reached page limit (2), stopping. Use --page-all --page-limit 0 to fetch all pages.\n[pagination] merged 2 pages, 3 total items\n',
    );
    expect(r.json()).toEqual({ code: 0, msg: 'success', data: { has_more: false, member_total: 4, items: [member(1), member(2), member(3)] } });
    const reqs = h.fake.requestsTo(/\/chats\/oc_1\/members$/);
    expect(reqs).toHaveLength(2);
    expect(reqs[0]!.query).toEqual({ member_id_type: 'open_id', page_size: '2' });
    expect(reqs[1]!.query).toEqual({ member_id_type: 'open_id', page_size: '2', page_token: 't1' });
    expect(reqs[1]!.headers.authorization).toBe(`Bearer ${TEST_USER_TOKEN}`);
  });

  it('reactions list: --page-limit 0 fetches every page', async () => {
    const re = (n: number) => ({ reaction_id: `r${n}`, operator: { operator_id: 'ou_1', operator_type: 'user' }, action_time: '1626086391570', reaction_type: { emoji_type: 'SMILE' } });
    h.fake.use(pagedHandler('GET', `${V1}/messages/:message_id/reactions`, [[re(1)], [re(2)], [re(3), re(4)]]));
    const r = await runInProcess(
      ['im', 'reactions', 'list', '--params', '{"message_id":"om_1","reaction_type":"SMILE"}', '--as', 'bot', '--page-all', '--page-limit', '0', '--page-delay', '1'],
      { sandbox: h.sb },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[page 3] fetching...\n[pagination] merged 3 pages, 4 total items\n');
    expect(r.json().data).toEqual({ has_more: false, items: [re(1), re(2), re(3), re(4)] });
    const reqs = h.fake.requestsTo(`${V1}/messages/om_1/reactions`);
    expect(reqs.map((q) => q.query.page_token)).toEqual([undefined, 't1', 't2']);
    expect(reqs.every((q) => q.query.reaction_type === 'SMILE')).toBe(true);
  });

  it('ndjson streams the items of each page', async () => {
    h.fake.use(pagedHandler('GET', `${V1}/pins`, [[pin(1), pin(2)], [pin(3)]]));
    const r = await runInProcess(['im', 'pins', 'list', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--page-all', '--page-delay', '1', '--format', 'ndjson'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"chat_id":"oc_1","message_id":"om_1"}\n{"chat_id":"oc_1","message_id":"om_2"}\n{"chat_id":"oc_1","message_id":"om_3"}\n');
    expect(r.stderr).toBe('[page 1] fetching...\n[page 2] fetching...\n[pagination] streamed 2 pages, 3 total items\n');
  });

  it('an error on the first page fails the command with empty stdout', async () => {
    h.fake.use(http.get(`*${V1}/pins`, () => larkErr(230002, 'Bot/User can NOT be out of the chat.', { log_id: 'lg1' })));
    const r = await runInProcess(['im', 'pins', 'list', '--params', '{"chat_id":"oc_1"}', '--as', 'bot', '--page-all'], { sandbox: h.sb });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('[page 1] fetching...\n')).toBe(true);
    expect(JSON.parse(r.stderr.slice('[page 1] fetching...\n'.length))).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'api_error', code: 230002, message: 'API error: [230002] Bot/User can NOT be out of the chat.', detail: { log_id: 'lg1' } },
    });
  });
});
