/**
 * Fake endpoints of the 36 im API methods (`lark-cli im <resource> <method>`): every route answers
 * `{"code":0,"msg":"success","data":IM_SAMPLE_DATA[id]}` with realistic data shaped like the
 * method's response in schemas/im. Plus a cursor-paged endpoint builder for --page-all tests.
 */
import { http, type RequestHandler } from 'msw';
import { larkOk } from './handlers.js';

/** Every scope a test method may need, granted to the logged-in test user. */
export const IM_TEST_SCOPES = [
  'im:chat:create', 'im:chat:read', 'im:chat:update', 'im:chat.members:read', 'im:chat.members:write_only',
  'im:chat.user_setting:read', 'im:chat.user_setting:write', 'im:chat.managers:write_only', 'im:chat.moderation:read',
  'im:chat:moderation:write_only', 'im:message:recall', 'im:message', 'im:message:readonly', 'im:message.reactions:read',
  'im:message.reactions:write_only', 'im:message.pins:write_only', 'im:message.pins:read', 'im:resource',
  'im:feed_group_v1:write', 'im:feed_group_v1:read', 'offline_access',
].join(' ');

type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ImRoute {
  /** `<resource>.<method>`, e.g. `chat.members.get`. */
  id: string;
  method: Verb;
  /** msw path pattern under the wildcard host. */
  path: string;
}

const V1 = '/open-apis/im/v1';

/** Literal paths come before parameterised ones where both could match. */
export const IM_ROUTES: ImRoute[] = [
  { id: 'chats.create', method: 'POST', path: `${V1}/chats` },
  { id: 'chats.get', method: 'GET', path: `${V1}/chats/:chat_id` },
  { id: 'chats.link', method: 'POST', path: `${V1}/chats/:chat_id/link` },
  { id: 'chats.update', method: 'PUT', path: `${V1}/chats/:chat_id` },
  { id: 'chat.members.bots', method: 'GET', path: `${V1}/chats/:chat_id/members/bots` },
  { id: 'chat.members.create', method: 'POST', path: `${V1}/chats/:chat_id/members` },
  { id: 'chat.members.delete', method: 'DELETE', path: `${V1}/chats/:chat_id/members` },
  { id: 'chat.members.get', method: 'GET', path: `${V1}/chats/:chat_id/members` },
  { id: 'chat.user_setting.batch_query', method: 'POST', path: `${V1}/chat_user_setting/batch_query` },
  { id: 'chat.user_setting.batch_update', method: 'POST', path: `${V1}/chat_user_setting/batch_update` },
  { id: 'chat.managers.add_managers', method: 'POST', path: `${V1}/chats/:chat_id/managers/add_managers` },
  { id: 'chat.managers.delete_managers', method: 'POST', path: `${V1}/chats/:chat_id/managers/delete_managers` },
  { id: 'chat.moderation.get', method: 'GET', path: `${V1}/chats/:chat_id/moderation` },
  { id: 'chat.moderation.update', method: 'PUT', path: `${V1}/chats/:chat_id/moderation` },
  { id: 'messages.merge_forward', method: 'POST', path: `${V1}/messages/merge_forward` },
  { id: 'reactions.batch_query', method: 'POST', path: `${V1}/messages/reactions/batch_query` },
  { id: 'messages.delete', method: 'DELETE', path: `${V1}/messages/:message_id` },
  { id: 'messages.forward', method: 'POST', path: `${V1}/messages/:message_id/forward` },
  { id: 'messages.read_users', method: 'GET', path: `${V1}/messages/:message_id/read_users` },
  { id: 'messages.urgent_app', method: 'PATCH', path: `${V1}/messages/:message_id/urgent_app` },
  { id: 'messages.urgent_phone', method: 'PATCH', path: `${V1}/messages/:message_id/urgent_phone` },
  { id: 'messages.urgent_sms', method: 'PATCH', path: `${V1}/messages/:message_id/urgent_sms` },
  { id: 'reactions.create', method: 'POST', path: `${V1}/messages/:message_id/reactions` },
  { id: 'reactions.delete', method: 'DELETE', path: `${V1}/messages/:message_id/reactions/:reaction_id` },
  { id: 'reactions.list', method: 'GET', path: `${V1}/messages/:message_id/reactions` },
  { id: 'threads.forward', method: 'POST', path: `${V1}/threads/:thread_id/forward` },
  { id: 'images.create', method: 'POST', path: `${V1}/images` },
  { id: 'pins.create', method: 'POST', path: `${V1}/pins` },
  { id: 'pins.delete', method: 'DELETE', path: `${V1}/pins/:message_id` },
  { id: 'pins.list', method: 'GET', path: `${V1}/pins` },
  { id: 'feed.groups.batch_query', method: 'POST', path: `${V1}/groups/batch_query` },
  { id: 'feed.groups.create', method: 'POST', path: `${V1}/groups` },
  { id: 'feed.groups.batch_add_item', method: 'POST', path: `${V1}/groups/:feed_group_id/batch_add_item` },
  { id: 'feed.groups.batch_remove_item', method: 'POST', path: `${V1}/groups/:feed_group_id/batch_remove_item` },
  { id: 'feed.groups.delete', method: 'DELETE', path: `${V1}/groups/:feed_group_id` },
  { id: 'feed.groups.update', method: 'PUT', path: `${V1}/groups/:feed_group_id` },
];

const chatInfo = {
  avatar: 'https://s1-imfile.feishucdn.com/static-resource/v1/v2_avatar~noop.image',
  name: 'Release squad',
  description: 'Coordinating the 2.4 release',
  i18n_names: { zh_cn: '发布小组', en_us: 'Release squad' },
  owner_id: 'ou_7d8a6e6df7621556ce0d21922b676706ccs',
  owner_id_type: 'open_id',
  add_member_permission: 'all_members',
  share_card_permission: 'allowed',
  at_all_permission: 'all_members',
  edit_permission: 'all_members',
  group_message_type: 'chat',
  chat_mode: 'group',
  chat_type: 'private',
  chat_tag: 'inner',
  external: false,
  tenant_key: '736588c9260f175e',
  join_message_visibility: 'all_members',
  leave_message_visibility: 'all_members',
  membership_approval: 'no_approval_required',
  moderation_permission: 'all_members',
  labels: ['release'],
  toolkit_ids: [],
  restricted_mode_setting: { status: false, screenshot_has_permission_setting: 'all_members', download_has_permission_setting: 'all_members', message_has_permission_setting: 'all_members' },
  urgent_setting: 'all_members',
  video_conference_setting: 'all_members',
  pin_manage_setting: 'all_members',
  hide_member_count_setting: 'all_members',
};

const forwarded = (id: string, chat: string) => ({
  message_id: id,
  root_id: '',
  parent_id: '',
  thread_id: '',
  msg_type: 'text',
  create_time: '1615380573411',
  update_time: '1615380573411',
  deleted: false,
  updated: false,
  chat_id: chat,
  sender: { id: 'cli_test', id_type: 'app_id', sender_type: 'app', tenant_key: '736588c9260f175e' },
  body: { content: '{"text":"ship it"}' },
  mentions: [],
  upper_message_id: '',
});

const reaction = { reaction_id: 'ZCaCIjUBVVWSrm5L-3ZTw', operator: { operator_id: 'ou_ff0b7ba35fb', operator_type: 'user' }, action_time: '1626086391570', reaction_type: { emoji_type: 'SMILE' } };

/** The `data` each route answers with. */
export const IM_SAMPLE_DATA: Record<string, unknown> = {
  'chats.create': { chat_id: 'oc_a0553eda9014c201e6969b478895c230', ...chatInfo },
  'chats.get': { ...chatInfo, user_manager_id_list: ['ou_9204a37300b3700d61effaa439f34295'], bot_manager_id_list: ['cli_a10fbf7e94b8d01d'], user_count: '12', bot_count: '2', chat_status: 'normal' },
  'chats.link': { share_link: 'https://applink.feishu.cn/client/chat/chatter/add_by_link?link_token=3b0h3a2d-bc5c-4c48-9c2a-f9e8a7b9d3c1', expire_time: '1609296809', is_permanent: false },
  'chats.update': {},
  'chat.members.bots': { items: [{ bot_id: 'ou_bot_a1', bot_name: 'Deploy Bot' }, { bot_id: 'ou_bot_b2', bot_name: 'Standup Bot' }] },
  'chat.members.create': { invalid_id_list: ['ou_invalid'], not_existed_id_list: [], pending_approval_id_list: [] },
  'chat.members.delete': { invalid_id_list: [] },
  'chat.members.get': {
    items: [
      { member_id: 'ou_a1', member_id_type: 'open_id', name: 'Alice', tenant_key: 'tk1' },
      { member_id: 'ou_b2', member_id_type: 'open_id', name: 'Bob', tenant_key: 'tk1' },
    ],
    has_more: false,
    page_token: '',
    member_total: 2,
  },
  'chat.user_setting.batch_query': { items: [{ chat_id: 'oc_1', is_muted: true, is_mute_at_all: false }], invalid_ids: [{ id: 'oc_gone', msg: 'user is not in the chat' }] },
  'chat.user_setting.batch_update': { invalid_ids: [] },
  'chat.managers.add_managers': { chat_managers: ['ou_9204a37300b3700d61effaa439f34295'], chat_bot_managers: ['cli_a10fbf7e94b8d01d'] },
  'chat.managers.delete_managers': { chat_managers: [], chat_bot_managers: [] },
  'chat.moderation.get': { moderation_setting: 'moderator_list', has_more: false, page_token: '', items: [{ user_id_type: 'open_id', user_id: 'ou_a1', tenant_key: 'tk1' }] },
  'chat.moderation.update': {},
  'messages.delete': {},
  'messages.forward': forwarded('om_fwd_1', 'oc_target'),
  'messages.merge_forward': { message: { ...forwarded('om_merged_1', 'oc_target'), msg_type: 'merge_forward', body: { content: 'Merged and Forwarded Message' } }, invalid_message_id_list: [] },
  'messages.read_users': { items: [{ user_id_type: 'open_id', user_id: 'ou_reader', timestamp: '1609484183000', tenant_key: 'tk1' }], has_more: false, page_token: '' },
  'messages.urgent_app': { invalid_user_id_list: [] },
  'messages.urgent_phone': { invalid_user_id_list: ['ou_no_phone'] },
  'messages.urgent_sms': { invalid_user_id_list: [] },
  'reactions.batch_query': {
    success_msg_reaction_details: [{ message_id: 'om_1', has_more: false, page_token: '', message_reaction_items: [reaction] }],
    success_msg_reaction_counts: [{ message_id: 'om_1', reaction_count: [{ reaction_type: { emoji_type: 'SMILE' }, count: 1 }] }],
    fail_msg_reaction_details: [],
  },
  'reactions.create': reaction,
  'reactions.delete': reaction,
  'reactions.list': { items: [reaction], has_more: false, page_token: '' },
  'threads.forward': { ...forwarded('om_thread_fwd', 'oc_target'), thread_id: 'omt_d4be107c616a' },
  'images.create': { image_key: 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g' },
  'pins.create': { pin: { message_id: 'om_1', chat_id: 'oc_1', operator_id: 'ou_1', operator_id_type: 'open_id', create_time: '1615380573211' } },
  'pins.delete': {},
  'pins.list': { items: [{ message_id: 'om_1', chat_id: 'oc_1', operator_id: 'ou_1', operator_id_type: 'open_id', create_time: '1615380573211' }], has_more: false, page_token: '' },
  'feed.groups.batch_add_item': { failed_items: [] },
  'feed.groups.batch_query': { groups: [{ group_id: 'ofg_1', type: 'normal', name: 'Projects' }], deleted_groups: [] },
  'feed.groups.batch_remove_item': { failed_items: [{ item: { feed_id: 'oc_unknown', feed_type: 'chat' }, error_code: 10001, error_message: 'feed not in group' }] },
  'feed.groups.create': { group_id: 'ofg_new' },
  'feed.groups.delete': {},
  'feed.groups.update': {},
};

const VERB = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete } as const;

/** One handler per im route, answering with its sample data. */
export function imApiHandlers(): RequestHandler[] {
  return IM_ROUTES.map((r) => VERB[r.method](`*${r.path}`, () => larkOk(IM_SAMPLE_DATA[r.id])));
}

/**
 * A cursor-paged endpoint: page i (0-based) is chosen by the `page_token` query parameter
 * (absent → 0, `t<i>` → i); every page but the last has `has_more: true` and `page_token: t<i+1>`.
 * `listField` names the array (default `items`).
 */
export function pagedHandler(method: Verb, path: string, pages: unknown[][], listField = 'items', extra: Record<string, unknown> = {}): RequestHandler {
  return VERB[method](`*${path}`, ({ request }) => {
    const token = new URL(request.url).searchParams.get('page_token');
    const i = token ? Number(token.slice(1)) : 0;
    const last = i >= pages.length - 1;
    const data: Record<string, unknown> = { ...extra, [listField]: pages[i] ?? [], has_more: !last };
    if (!last) data.page_token = `t${i + 1}`;
    return larkOk(data);
  });
}
