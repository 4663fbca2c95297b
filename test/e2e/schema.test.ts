/**
 * `lark-cli schema` (docs/generic-commands.md): method metadata for all 36 im methods, JSON and
 * pretty, lookup errors with sorted `Available:` hints. Needs no config and sends nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fake-lark/server.js';
import { makeSandbox, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { expectJsonErr } from '../helpers/fake-lark-hooks.js';

/** The seed's identities and permission-table scope per method. */
const SEED: Record<string, { identities: string[]; scope: string }> = {
  'chats.create': { identities: ['bot'], scope: 'im:chat:create' },
  'chats.get': { identities: ['user', 'bot'], scope: 'im:chat:read' },
  'chats.link': { identities: ['user', 'bot'], scope: 'im:chat:read' },
  'chats.update': { identities: ['user', 'bot'], scope: 'im:chat:update' },
  'chat.members.bots': { identities: ['user', 'bot'], scope: 'im:chat.members:read' },
  'chat.members.create': { identities: ['user', 'bot'], scope: 'im:chat.members:write_only' },
  'chat.members.delete': { identities: ['user', 'bot'], scope: 'im:chat.members:write_only' },
  'chat.members.get': { identities: ['user', 'bot'], scope: 'im:chat.members:read' },
  'chat.user_setting.batch_query': { identities: ['user'], scope: 'im:chat.user_setting:read' },
  'chat.user_setting.batch_update': { identities: ['user'], scope: 'im:chat.user_setting:write' },
  'chat.managers.add_managers': { identities: ['user', 'bot'], scope: 'im:chat.managers:write_only' },
  'chat.managers.delete_managers': { identities: ['user', 'bot'], scope: 'im:chat.managers:write_only' },
  'chat.moderation.get': { identities: ['user', 'bot'], scope: 'im:chat.moderation:read' },
  'chat.moderation.update': { identities: ['user', 'bot'], scope: 'im:chat:moderation:write_only' },
  'messages.delete': { identities: ['user', 'bot'], scope: 'im:message:recall' },
  'messages.forward': { identities: ['user', 'bot'], scope: 'im:message' },
  'messages.merge_forward': { identities: ['bot'], scope: 'im:message' },
  'messages.read_users': { identities: ['bot'], scope: 'im:message:readonly' },
  'messages.urgent_app': { identities: ['bot'], scope: 'im:message.urgent' },
  'messages.urgent_phone': { identities: ['bot'], scope: 'im:message.urgent:phone' },
  'messages.urgent_sms': { identities: ['bot'], scope: 'im:message.urgent:sms' },
  'reactions.batch_query': { identities: ['user', 'bot'], scope: 'im:message.reactions:read' },
  'reactions.create': { identities: ['user', 'bot'], scope: 'im:message.reactions:write_only' },
  'reactions.delete': { identities: ['user', 'bot'], scope: 'im:message.reactions:write_only' },
  'reactions.list': { identities: ['user', 'bot'], scope: 'im:message.reactions:read' },
  'threads.forward': { identities: ['user', 'bot'], scope: 'im:message' },
  'images.create': { identities: ['bot'], scope: 'im:resource' },
  'pins.create': { identities: ['user', 'bot'], scope: 'im:message.pins:write_only' },
  'pins.delete': { identities: ['user', 'bot'], scope: 'im:message.pins:write_only' },
  'pins.list': { identities: ['user', 'bot'], scope: 'im:message.pins:read' },
  'feed.groups.batch_add_item': { identities: ['user'], scope: 'im:feed_group_v1:write' },
  'feed.groups.batch_query': { identities: ['user'], scope: 'im:feed_group_v1:read' },
  'feed.groups.batch_remove_item': { identities: ['user'], scope: 'im:feed_group_v1:write' },
  'feed.groups.create': { identities: ['user'], scope: 'im:feed_group_v1:write' },
  'feed.groups.delete': { identities: ['user'], scope: 'im:feed_group_v1:write' },
  'feed.groups.update': { identities: ['user'], scope: 'im:feed_group_v1:write' },
};

let fake: FakeLark;
let sb: Sandbox;
beforeAll(async () => {
  fake = await startFakeLark();
  sb = await makeSandbox(); // no config at all: schema needs none
});
afterAll(async () => {
  await sb.cleanup();
  await fake.close();
});
beforeEach(() => fake.clearRequests());

const schema = (...args: string[]) => runInProcess(['schema', ...args], { sandbox: sb, env: { LARKSUITE_CLI_BRAND: fake.url } });

describe('schema im.<resource>.<method>', () => {
  it.each(Object.entries(SEED))('%s', async (id, seed) => {
    const r = await schema(`im.${id}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = r.json();
    expect(m.id).toBe(id);
    expect(m.accessTokens.map((t: string) => (t === 'tenant' ? 'bot' : 'user')).sort()).toEqual([...seed.identities].sort());
    expect(m.scopes).toContain(seed.scope);
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(m.httpMethod);
    expect(typeof m.description).toBe('string');
    expect(m.docUrl).toMatch(/^https:\/\/open\.feishu\.cn\//);
    expect(['read', 'write', 'high-risk-write']).toContain(m.risk);
    for (const name of m.parameterOrder ?? []) {
      expect(m.path).toContain(`{${name}}`);
      expect(m.parameters[name]).toMatchObject({ location: 'path', required: true });
    }
    // only registry keys
    const allowed = ['id', 'path', 'httpMethod', 'description', 'parameters', 'parameterOrder', 'requestBody', 'responseBody', 'scopes', 'accessTokens', 'danger', 'risk', 'docUrl'];
    expect(Object.keys(m).filter((k) => !allowed.includes(k))).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('pins.delete in full', async () => {
    const r = await schema('im.pins.delete');
    expect(r.stdout).toBe(`{
  "accessTokens": [
    "tenant",
    "user"
  ],
  "danger": true,
  "description": "Unpin a message. Identity: user or bot.",
  "docUrl": "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/delete",
  "httpMethod": "DELETE",
  "id": "pins.delete",
  "parameterOrder": [
    "message_id"
  ],
  "parameters": {
    "message_id": {
      "description": "Message to unpin (om_xxx).",
      "example": "om_dc13264520392913993dd051dba21dcf",
      "location": "path",
      "required": true,
      "type": "string"
    }
  },
  "path": "pins/{message_id}",
  "risk": "high-risk-write",
  "scopes": [
    "im:message:send_as_bot",
    "im:message",
    "im:message.pins:write_only"
  ]
}
`);
  });

  it('registry details: options with enums, min/max as strings, array element properties, plain & in URLs', async () => {
    const list = (await schema('im.pins.list')).json();
    expect(list.parameters.page_size).toEqual({ type: 'integer', location: 'query', required: false, description: 'Page size.', default: 20, example: 20, min: '1', max: '50' });
    expect(list.responseBody.items.properties.message_id).toMatchObject({ type: 'string', required: true });
    const link = (await schema('im.chats.link')).json();
    expect(link.requestBody.validity_period.options).toEqual([{ value: 'week' }, { value: 'year' }, { value: 'permanently' }]);
    const bots = (await schema('im.chat.members.bots')).json();
    expect(bots.docUrl).toBe('https://open.feishu.cn/api-explorer?from=op_doc_tab&apiName=bots&project=im&resource=chat.members&version=v1');
    const q = (await schema('im.chat.user_setting.batch_query')).json();
    expect(q.requestBody.chat_ids).toEqual({ type: 'array', required: true, description: expect.any(String) });
  });

  it('trailing parts after the method are ignored', async () => {
    const r = await schema('im.chats.get.extra');
    expect(r.json().id).toBe('chats.get');
  });
});

describe('pretty', () => {
  it('reactions.create (no colour off a terminal)', async () => {
    const r = await schema('im.reactions.create', '--format', 'pretty');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`im.reactions.create

  POST /open-apis/im/v1/messages/{message_id}/reactions
  Add a reaction to a message. Identity: user or bot; the caller must be in the conversation that holds the message.

Parameters:

  --params  <json>  optional
      - message_id (string, path, required)
        Message to react to (om_xxx).
        e.g. om_dc13264520392913993dd051dba21dcf

  --data  <json>  optional
      - reaction_type (object, required)
        Reaction emoji.
        - reaction_type.emoji_type (string, required)
          Emoji key, e.g. SMILE, THUMBSUP, OK, LGTM (full list in the Feishu emoji docs).
          e.g. SMILE

Response:

  - action_time (string, optional)
    Time the reaction was added, Unix milliseconds as a string.
  - operator (object, optional)
    Who added the reaction.
    - operator.operator_id (string, required)
      open_id of the user, or app_id when operator_type is app.
    - operator.operator_type (string, required) — app | user
      Operator kind.
  - reaction_id (string, optional)
    Reaction ID.
  - reaction_type (object, optional)
    Reaction emoji.
    - reaction_type.emoji_type (string, required)
      Emoji key, e.g. SMILE, THUMBSUP, OK.

Identity: user, bot
Scopes:   im:message, im:message.reactions:write_only
CLI:      lark-cli im reactions create
Docs:     https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/create
`);
  });

  it('images.create shows the upload parts', async () => {
    const r = await schema('im.images.create', '--format', 'pretty');
    expect(r.stdout).toContain(`Parameters:

  --data  <json>  optional  [file upload]
      - image (file, required)
        Image bytes, sent as a multipart file part. At most 10 MB and not empty; GIF at most 2000x2000 px...
      - image_type (string, required) — message | avatar
        What the image is for: message (sending in messages) or avatar (chat/profile avatar).
        e.g. message

  --file  <[field=]path>  file upload
      Upload file as multipart/form-data. Default field: "image"

`);
    expect(r.stdout).toContain('Identity: bot\nScopes:   im:resource:upload, im:resource\nCLI:      lark-cli im images create --file <path>\n');
  });

  it('the CLI line of a high-risk write carries --yes', async () => {
    const r = await schema('im.messages.delete', '--format', 'pretty');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CLI:      lark-cli im messages delete --yes\n');
    const other = await schema('im.pins.list', '--format', 'pretty');
    expect(other.stdout).toContain('CLI:      lark-cli im pins list\n');
  });

  it('query params show ranges and string options; integer enums show none', async () => {
    const r = await schema('im.pins.list', '--format', 'pretty');
    expect(r.stdout).toContain('  GET /open-apis/im/v1/pins\n');
    expect(r.stdout).toContain('      - chat_id (string, query, required)\n');
    expect(r.stdout).toContain('      - page_size (integer, query, optional)\n        Page size.\n        range: 1..50\n');
    const r2 = await schema('im.chat.members.create', '--format', 'pretty');
    expect(r2.stdout).toContain('      - member_id_type (string, query, optional) — user_id | union_id | open_id | app_id\n');
    expect(r2.stdout).toContain('      - succeed_type (integer, query, optional)\n');
  });

  it('resource list of a resource', async () => {
    const r = await schema('im.chat.members', '--format', 'pretty');
    expect(r.stdout).toBe(`im.chat.members

  GET     bots  List the bots in a chat. Identity: user or bot; the caller must be a member of the chat; internal chats require the same tenant.
  POST    create  Add users or bots to a chat. Identity: user or bot; the caller must be a member of the chat; for bot calls, added users must be inside the app availability range; internal chats require the operator to be in the same tenant; if only owner/admins may add members, the caller must be owner/admin, or the creator bot holding im:chat:operate_as_owner.
  DELETE  delete  Remove users or bots from a chat. Identity: user or bot; only the owner, an admin, or the creator bot may remove others; at most 50 users or 5 bots per call.
  GET     get  List the members of a chat. Identity: user or bot; the caller must be a member of the chat; internal chats require the same tenant.

Usage: lark-cli schema im.chat.members.<method>
`);
  });

  it('service overview lists every resource sorted, danger-tagged', async () => {
    const r = await schema('im', '--format', 'pretty');
    expect(r.stdout.startsWith('im (v1) — 即时通讯 API\n\nBase path: /open-apis/im/v1\n\n  chat.managers\n')).toBe(true);
    expect(r.stdout).toContain('    DELETE  delete  Unpin a message. Identity: user or bot. [danger]\n');
    expect(r.stdout).toContain('    GET     list  List the pinned messages of a chat. Identity: user or bot.\n');
    expect(r.stdout.endsWith('\nUsage: lark-cli schema im.<resource>.<method>\n')).toBe(true);
    const order = [...r.stdout.matchAll(/^ {2}(\S+)$/gm)].map((m) => m[1]);
    expect(order).toEqual(['chat.managers', 'chat.members', 'chat.moderation', 'chat.user_setting', 'chats', 'feed.groups', 'images', 'messages', 'pins', 'reactions', 'threads']);
  });

  it('no path: the service list (text even with --format json)', async () => {
    const r = await schema();
    expect(r.stdout).toBe('Available services:\n\n  im  即时通讯 API\n\nUsage: lark-cli schema <service>.<resource>.<method>\n');
    expect(r.code).toBe(0);
  });
});

describe('JSON of a service and a resource', () => {
  it('schema im: the service object with all 36 methods', async () => {
    const s = (await schema('im')).json();
    expect(Object.keys(s)).toEqual(['description', 'name', 'resources', 'servicePath', 'title', 'version']);
    expect(s).toMatchObject({ name: 'im', version: 'v1', title: '即时通讯 API', description: '消息发送、群聊管理', servicePath: '/open-apis/im/v1' });
    const ids = Object.entries(s.resources as Record<string, { methods: Record<string, { id: string }> }>).flatMap(([, r]) => Object.values(r.methods).map((m) => m.id));
    expect(ids.sort()).toEqual(Object.keys(SEED).sort());
  });

  it('schema im.chat.members: {"methods": {...}}', async () => {
    const r = (await schema('im.chat.members')).json();
    expect(Object.keys(r)).toEqual(['methods']);
    expect(Object.keys(r.methods)).toEqual(['bots', 'create', 'delete', 'get']);
  });
});

describe('lookup errors (exit 2, no identity)', () => {
  it.each<[string[], string, string]>([
    [['nonexistent'], 'Unknown service: nonexistent', 'Available: im'],
    [['im.chat'], 'Unknown resource: im.chat', 'Available: chat.managers, chat.members, chat.moderation, chat.user_setting, chats, feed.groups, images, messages, pins, reactions, threads'],
    [['im.nope.get'], 'Unknown resource: im.nope.get', 'Available: chat.managers, chat.members, chat.moderation, chat.user_setting, chats, feed.groups, images, messages, pins, reactions, threads'],
    [['im.chats.foo'], 'Unknown method: im.chats.foo', 'Available: create, get, link, update'],
    [['im.chat.members.list', '--format', 'pretty'], 'Unknown method: im.chat.members.list', 'Available: bots, create, delete, get'],
  ])('%j', async (args, message, hint) => {
    const r = await schema(...args);
    expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message, hint } });
  });

  it('more than one argument', async () => {
    const r = await schema('im', 'chats');
    expect(r.errJson()).toEqual({ ok: false, error: { type: 'validation', message: 'accepts at most 1 arg(s), received 2' } });
    expect(r.code).toBe(2);
  });
});
