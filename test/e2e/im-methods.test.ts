/**
 * Each of the 36 `lark-cli im <resource> <method>` commands against the fake: the request the CLI
 * sends (method, path with its parameters filled in, query, body, token of the identity) and the
 * response it prints (docs/generic-commands.md).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type RecordedRequest } from '../fake-lark/server.js';
import { IM_ROUTES, IM_SAMPLE_DATA, IM_TEST_SCOPES, imApiHandlers } from '../fake-lark/im-api.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonOut } from '../helpers/fake-lark-hooks.js';
import { TEST_USER_TOKEN, writeTestAccount } from '../helpers/accounts.js';


interface Case {
  id: string;
  as: 'bot' | 'user';
  params?: unknown;
  data?: unknown;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
}

const CHAT = 'oc_a0553eda9014c201e6969b478895c230';
const MSG = 'om_dc13264520392913993dd051dba21dcf';
const V1 = '/open-apis/im/v1';

const CASES: Case[] = [
  {
    id: 'chats.create', as: 'bot',
    params: { user_id_type: 'open_id', set_bot_manager: true, uuid: 'b13g2t38-1jd2-458b-8djf-dtbca5104204' },
    data: { name: 'Release squad', description: 'Coordinating the 2.4 release', i18n_names: { zh_cn: '发布小组', en_us: 'Release squad' }, user_id_list: ['ou_a1', 'ou_b2'], bot_id_list: ['cli_a10fbf7e94b8d01d'], chat_mode: 'group', chat_type: 'private', group_message_type: 'chat', edit_permission: 'all_members' },
    method: 'POST', path: `${V1}/chats`,
    query: { set_bot_manager: 'true', user_id_type: 'open_id', uuid: 'b13g2t38-1jd2-458b-8djf-dtbca5104204' },
  },
  { id: 'chats.get', as: 'user', params: { chat_id: CHAT, user_id_type: 'open_id' }, method: 'GET', path: `${V1}/chats/${CHAT}`, query: { user_id_type: 'open_id' } },
  { id: 'chats.link', as: 'bot', params: { chat_id: CHAT }, data: { validity_period: 'week' }, method: 'POST', path: `${V1}/chats/${CHAT}/link` },
  {
    id: 'chats.update', as: 'user', params: { chat_id: CHAT, user_id_type: 'open_id' },
    data: { name: 'Release squad 2.4', description: 'Now shipping', restricted_mode_setting: { status: true, screenshot_has_permission_setting: 'not_anyone' }, urgent_setting: 'only_owner' },
    method: 'PUT', path: `${V1}/chats/${CHAT}`, query: { user_id_type: 'open_id' },
  },
  { id: 'chat.members.bots', as: 'bot', params: { chat_id: CHAT }, method: 'GET', path: `${V1}/chats/${CHAT}/members/bots` },
  {
    id: 'chat.members.create', as: 'user', params: { chat_id: CHAT, member_id_type: 'open_id', succeed_type: 1 }, data: { id_list: ['ou_a1', 'ou_b2'] },
    method: 'POST', path: `${V1}/chats/${CHAT}/members`, query: { member_id_type: 'open_id', succeed_type: '1' },
  },
  {
    id: 'chat.members.delete', as: 'bot', params: { chat_id: CHAT, member_id_type: 'app_id' }, data: { id_list: ['cli_a10fbf7e94b8d01d'] },
    method: 'DELETE', path: `${V1}/chats/${CHAT}/members`, query: { member_id_type: 'app_id' },
  },
  {
    id: 'chat.members.get', as: 'user', params: { chat_id: CHAT, member_id_type: 'open_id', page_size: 20 },
    method: 'GET', path: `${V1}/chats/${CHAT}/members`, query: { member_id_type: 'open_id', page_size: '20' },
  },
  { id: 'chat.user_setting.batch_query', as: 'user', data: { chat_ids: ['oc_1', 'oc_gone'] }, method: 'POST', path: `${V1}/chat_user_setting/batch_query` },
  {
    id: 'chat.user_setting.batch_update', as: 'user', data: { chat_settings: [{ chat_id: 'oc_1', is_muted: true }, { chat_id: 'oc_2', is_mute_at_all: false }] },
    method: 'POST', path: `${V1}/chat_user_setting/batch_update`,
  },
  {
    id: 'chat.managers.add_managers', as: 'bot', params: { chat_id: CHAT, member_id_type: 'open_id' }, data: { manager_ids: ['ou_9204a37300b3700d61effaa439f34295'] },
    method: 'POST', path: `${V1}/chats/${CHAT}/managers/add_managers`, query: { member_id_type: 'open_id' },
  },
  {
    id: 'chat.managers.delete_managers', as: 'user', params: { chat_id: CHAT, member_id_type: 'app_id' }, data: { manager_ids: ['cli_a10fbf7e94b8d01d'] },
    method: 'POST', path: `${V1}/chats/${CHAT}/managers/delete_managers`, query: { member_id_type: 'app_id' },
  },
  {
    id: 'chat.moderation.get', as: 'bot', params: { chat_id: CHAT, user_id_type: 'open_id', page_size: 10 },
    method: 'GET', path: `${V1}/chats/${CHAT}/moderation`, query: { user_id_type: 'open_id', page_size: '10' },
  },
  {
    id: 'chat.moderation.update', as: 'user', params: { chat_id: CHAT, user_id_type: 'open_id' },
    data: { moderation_setting: 'moderator_list', moderator_added_list: ['ou_a1'], moderator_removed_list: ['ou_b2'] },
    method: 'PUT', path: `${V1}/chats/${CHAT}/moderation`, query: { user_id_type: 'open_id' },
  },
  { id: 'messages.delete', as: 'user', params: { message_id: MSG }, method: 'DELETE', path: `${V1}/messages/${MSG}` },
  {
    id: 'messages.forward', as: 'bot', params: { message_id: MSG, receive_id_type: 'chat_id', uuid: 'fwd-1' }, data: { receive_id: 'oc_target' },
    method: 'POST', path: `${V1}/messages/${MSG}/forward`, query: { receive_id_type: 'chat_id', uuid: 'fwd-1' },
  },
  {
    id: 'messages.merge_forward', as: 'bot', params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_target', message_id_list: ['om_1', 'om_2'] },
    method: 'POST', path: `${V1}/messages/merge_forward`, query: { receive_id_type: 'chat_id' },
  },
  {
    id: 'messages.read_users', as: 'bot', params: { message_id: MSG, user_id_type: 'open_id', page_size: 20 },
    method: 'GET', path: `${V1}/messages/${MSG}/read_users`, query: { user_id_type: 'open_id', page_size: '20' },
  },
  {
    id: 'messages.urgent_app', as: 'bot', params: { message_id: MSG, user_id_type: 'open_id' }, data: { user_id_list: ['ou_a1', 'ou_b2'] },
    method: 'PATCH', path: `${V1}/messages/${MSG}/urgent_app`, query: { user_id_type: 'open_id' },
  },
  {
    id: 'messages.urgent_phone', as: 'bot', params: { message_id: MSG, user_id_type: 'user_id' }, data: { user_id_list: ['5d9bdxxx'] },
    method: 'PATCH', path: `${V1}/messages/${MSG}/urgent_phone`, query: { user_id_type: 'user_id' },
  },
  {
    id: 'messages.urgent_sms', as: 'bot', params: { message_id: MSG, user_id_type: 'union_id' }, data: { user_id_list: ['on_94a1ee5551019f18cd73d9f111898cf2'] },
    method: 'PATCH', path: `${V1}/messages/${MSG}/urgent_sms`, query: { user_id_type: 'union_id' },
  },
  {
    id: 'reactions.batch_query', as: 'user', params: { user_id_type: 'open_id' }, data: { queries: [{ message_id: 'om_1' }, { message_id: 'om_2', page_token: 'p2' }], page_size_per_message: 5 },
    method: 'POST', path: `${V1}/messages/reactions/batch_query`, query: { user_id_type: 'open_id' },
  },
  { id: 'reactions.create', as: 'bot', params: { message_id: 'om_1' }, data: { reaction_type: { emoji_type: 'SMILE' } }, method: 'POST', path: `${V1}/messages/om_1/reactions` },
  { id: 'reactions.delete', as: 'user', params: { message_id: 'om_1', reaction_id: 'ZCaCIjUBVVWSrm5L-3ZTw' }, method: 'DELETE', path: `${V1}/messages/om_1/reactions/ZCaCIjUBVVWSrm5L-3ZTw` },
  {
    id: 'reactions.list', as: 'bot', params: { message_id: 'om_1', reaction_type: 'SMILE', page_size: 10, user_id_type: 'open_id' },
    method: 'GET', path: `${V1}/messages/om_1/reactions`, query: { reaction_type: 'SMILE', page_size: '10', user_id_type: 'open_id' },
  },
  {
    id: 'threads.forward', as: 'user', params: { thread_id: 'omt_d4be107c616a', receive_id_type: 'chat_id' }, data: { receive_id: 'oc_target' },
    method: 'POST', path: `${V1}/threads/omt_d4be107c616a/forward`, query: { receive_id_type: 'chat_id' },
  },
  { id: 'pins.create', as: 'user', data: { message_id: 'om_1' }, method: 'POST', path: `${V1}/pins` },
  { id: 'pins.delete', as: 'bot', params: { message_id: 'om_1' }, method: 'DELETE', path: `${V1}/pins/om_1` },
  {
    id: 'pins.list', as: 'user', params: { chat_id: 'oc_1', start_time: '1658632251800', end_time: '1658731646425', page_size: 20 },
    method: 'GET', path: `${V1}/pins`, query: { chat_id: 'oc_1', start_time: '1658632251800', end_time: '1658731646425', page_size: '20' },
  },
  {
    id: 'feed.groups.batch_add_item', as: 'user', params: { feed_group_id: 'ofg_1' }, data: { items: [{ feed_id: 'oc_1', feed_type: 'chat' }, { feed_id: 'oc_2', feed_type: 'chat' }] },
    method: 'POST', path: `${V1}/groups/ofg_1/batch_add_item`,
  },
  {
    id: 'feed.groups.batch_query', as: 'user', params: { user_id_type: 'open_id' }, data: { group_ids: ['ofg_1', 'ofg_2'] },
    method: 'POST', path: `${V1}/groups/batch_query`, query: { user_id_type: 'open_id' },
  },
  {
    id: 'feed.groups.batch_remove_item', as: 'user', params: { feed_group_id: 'ofg_1' }, data: { items: [{ feed_id: 'oc_unknown', feed_type: 'chat' }] },
    method: 'POST', path: `${V1}/groups/ofg_1/batch_remove_item`,
  },
  {
    id: 'feed.groups.create', as: 'user', params: { user_id_type: 'open_id' },
    data: {
      feed_group_creator: {
        type: 'rule',
        name: 'Projects',
        rules: { rules: [{ condition: { match_type: 'match_any', condition_items: [{ type: 'keyword', operator: 'contain', keyword: 'proj' }, { type: 'chat_type', operator: 'is', chat_type: 'group' }] }, action: 'add' }] },
      },
    },
    method: 'POST', path: `${V1}/groups`, query: { user_id_type: 'open_id' },
  },
  { id: 'feed.groups.delete', as: 'user', params: { feed_group_id: 'ofg_1' }, method: 'DELETE', path: `${V1}/groups/ofg_1` },
  {
    id: 'feed.groups.update', as: 'user', params: { feed_group_id: 'ofg_1', user_id_type: 'open_id' }, data: { feed_group_updater: { name: 'Projects 2026', update_fields: [1] } },
    method: 'PUT', path: `${V1}/groups/ofg_1`, query: { user_id_type: 'open_id' },
  },
];

const h = useFakeLark({ handlers: imApiHandlers(), sandbox: 'file', setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: IM_TEST_SCOPES } } }) });


/** The one request sent to the im API by a run. */
function apiRequest(): RecordedRequest {
  const reqs = h.fake.requestsTo(`${V1}/`);
  expect(reqs).toHaveLength(1);
  return reqs[0]!;
}

/** The multipart form a recorded request carried. */
const formOf = (req: RecordedRequest) =>
  new Request('http://x/', { method: 'POST', body: new Uint8Array(req.body), headers: { 'content-type': req.contentType! } }).formData();

const token = (as: 'bot' | 'user') => (as === 'bot' ? 'Bearer t-cli_test' : `Bearer ${TEST_USER_TOKEN}`);

/** The high-risk writes: they need --yes (docs/generic-commands.md, "High-risk methods and --yes"). */
const HIGH_RISK = new Set(['chats.update', 'chat.members.delete', 'messages.delete', 'pins.delete']);

function argsOf(c: Case): string[] {
  const [resource, method] = [c.id.slice(0, c.id.lastIndexOf('.')), c.id.slice(c.id.lastIndexOf('.') + 1)];
  const args = ['im', resource, method, '--as', c.as];
  if (c.params !== undefined) args.push('--params', JSON.stringify(c.params));
  if (c.data !== undefined) args.push('--data', JSON.stringify(c.data));
  if (HIGH_RISK.has(c.id)) args.push('--yes');
  return args;
}

describe('im <resource> <method>: request and output of every method', () => {
  it('covers all 36 methods', () => {
    const ids = new Set([...CASES.map((c) => c.id), 'images.create']);
    expect(ids.size).toBe(36);
    expect([...ids].sort()).toEqual(IM_ROUTES.map((r) => r.id).sort());
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    h.fake.clearRequests();
    const r = await runInProcess(argsOf(c), { sandbox: h.sb });
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: IM_SAMPLE_DATA[c.id] });

    const req = apiRequest();
    expect(req.method).toBe(c.method);
    expect(req.path).toBe(c.path);
    expect(req.query).toEqual(c.query ?? {});
    expect(req.headers.authorization).toBe(token(c.as));
    expect(req.headers['x-cli-source']).toBe('lark-cli');
    if (c.data !== undefined) {
      expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(req.json).toEqual(c.data);
    } else {
      expect(req.text).toBe('');
    }
  });

  it('images.create uploads the file as multipart with the --data fields (bot)', async () => {
    h.fake.clearRequests();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    writeFileSync(path.join(h.sb.work, 'photo.png'), png);
    const r = await runInProcess(['im', 'images', 'create', '--as', 'bot', '--file', 'photo.png', '--data', '{"image_type":"message"}'], { sandbox: h.sb });
    expectJsonOut(r, 0, { code: 0, msg: 'success', data: IM_SAMPLE_DATA['images.create'] });
    const req = apiRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${V1}/images`);
    expect(req.query).toEqual({});
    expect(req.headers.authorization).toBe('Bearer t-cli_test');
    expect(req.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(req);
    expect(form.get('image_type')).toBe('message');
    const file = form.get('image') as File;
    expect(file.name).toBe('unknown-file');
    expect(file.type).toBe('application/octet-stream');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
  });

  it('images.create reads the file from stdin with --file image=-', async () => {
    h.fake.clearRequests();
    const r = await runInProcess(['im', 'images', 'create', '--as', 'bot', '--file', 'image=-', '--data', '{"image_type":"avatar"}'], { sandbox: h.sb, stdin: 'GIF89a-bytes' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const req = apiRequest();
    const form = await formOf(req);
    expect(form.get('image_type')).toBe('avatar');
    expect(await (form.get('image') as File).text()).toBe('GIF89a-bytes');
  });
});
