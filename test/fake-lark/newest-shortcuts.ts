/**
 * Fake endpoints of `+chat-members-list`, `+messages-edit` and `+messages-read-status`:
 * `GET /open-apis/im/v1/chats/:chat_id/members/list` answered page by page from a script,
 * `PUT /open-apis/im/v1/messages/:message_id` and `POST /open-apis/im/v1/messages/read_status`.
 */
import { http, type RequestHandler } from 'msw';
import { larkOk } from './handlers.js';

export type Json = Record<string, unknown>;

/**
 * The members pages, chosen by the request's `page_token` (absent or '' → the first page, else the
 * page whose key is the token). A page is the whole `data` the server answers.
 */
export function membersHandler(pages: Json[], byToken: Record<string, Json> = {}): RequestHandler {
  return http.get('*/open-apis/im/v1/chats/:chat_id/members/list', ({ request }) => {
    const token = new URL(request.url).searchParams.get('page_token') ?? '';
    if (token === '') return larkOk(pages[0] ?? {});
    if (byToken[token]) return larkOk(byToken[token]);
    const m = /^t(\d+)$/.exec(token);
    return larkOk((m && pages[Number(m[1])]) || {});
  });
}

/**
 * `count` pages of one user and one bot each: page i (0-based) carries `page_token: t<i+1>` and
 * `has_more: true`, but the last (`has_more: false`, `page_token: ''`); totals and truncations as given.
 */
export function memberPages(count: number, extra: (i: number) => Json = () => ({})): Json[] {
  return Array.from({ length: count }, (_, i) => ({
    users: [{ member_id: `ou_${i}`, member_id_type: 'open_id', name: `User ${i}`, tenant_key: 'tk' }],
    bots: [{ member_id: `cli_${i}`, member_id_type: 'app_id', app_id: `cli_${i}`, name: `Bot ${i}`, tenant_key: 'tk' }],
    has_more: i < count - 1,
    page_token: i < count - 1 ? `t${i + 1}` : '',
    ...extra(i),
  }));
}

/** PUT /open-apis/im/v1/messages/:message_id → an edited message (`data` as given, defaults below). */
export function editHandler(data: Json = {}): RequestHandler {
  return http.put('*/open-apis/im/v1/messages/:message_id', ({ params }) =>
    larkOk({ message_id: String(params.message_id), chat_id: 'oc_123', msg_type: 'text', update_time: '1712345678901', updated: true, ...data }),
  );
}

/** POST /open-apis/im/v1/messages/read_status → `data` as given. */
export function readStatusHandler(data: Json): RequestHandler {
  return http.post('*/open-apis/im/v1/messages/read_status', () => larkOk(data));
}
