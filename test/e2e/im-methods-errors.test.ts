/**
 * Business and permission errors of `im <resource> <method>` (docs/generic-commands.md):
 * `API error: [code] msg` with the response's `error` as detail, the scope-aware
 * 99991679 checker, and permission errors enriched with a console link.
 */
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { jsonResponse, larkErr } from '../fake-lark/handlers.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectFailure } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';
import { IM_TEST_SCOPES } from '../fake-lark/im-api.js';

const V1 = '/open-apis/im/v1';
const LOGIN_HINT = (s: string) =>
  `run \`lark-cli auth login --scope "${s}"\` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete login.`;

const h = useFakeLark({ setup: (h) => writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: IM_TEST_SCOPES } } }) });

const chatsGet = (as = 'bot') => runInProcess(['im', 'chats', 'get', '--params', '{"chat_id":"oc_fake"}', '--as', as], { sandbox: h.sb });

describe('business errors', () => {
  it('code ≠ 0 → API error: [code] msg, detail = the error member, exit 1, stdout empty', async () => {
    h.fake.use(http.get(`*${V1}/chats/:chat_id`, () => larkErr(99992356, 'id not exist', { log_id: 'test-log-id-svc' })));
    const r = await chatsGet();
    expectFailure(r, 1, 'bot', { type: 'api_error', code: 99992356, message: 'API error: [99992356] id not exist', detail: { log_id: 'test-log-id-svc' } });
    expect(h.fake.requestsTo(`${V1}/chats/oc_fake`)).toHaveLength(1);
  });

  it('a write with an API error on HTTP 200 fails too and is not retried', async () => {
    h.fake.use(http.post(`*${V1}/pins`, () => larkErr(232001, 'message not found', undefined, { status: 200 })));
    const r = await runInProcess(['im', 'pins', 'create', '--data', '{"message_id":"om_gone"}', '--as', 'bot'], { sandbox: h.sb });
    expect(r.errJson()).toEqual({ ok: false, identity: 'bot', error: { type: 'api_error', code: 232001, message: 'API error: [232001] message not found' } });
    expect(r.code).toBe(1);
    expect(h.fake.requestsTo(`${V1}/pins`)).toHaveLength(1);
  });

  it('auth codes map to auth, exit 3', async () => {
    h.fake.use(http.get(`*${V1}/chats/:chat_id`, () => larkErr(99991663, 'tenant token invalid', undefined, { status: 200 })));
    const r = await chatsGet();
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'auth', code: 99991663, message: 'API error: [99991663] tenant token invalid', hint: 'run: lark-cli auth login to re-authorize' },
    });
    expect(r.code).toBe(3);
  });

  it('a non-JSON HTTP error is http_error, exit 1', async () => {
    h.fake.use(http.post(`*${V1}/pins`, () => new HttpResponse('<html>bad gateway</html>', { status: 403, headers: { 'content-type': 'text/html' } })));
    const r = await runInProcess(['im', 'pins', 'create', '--data', '{"message_id":"om_1"}', '--as', 'bot'], { sandbox: h.sb });
    expect(r.errJson()).toEqual({ ok: false, identity: 'bot', error: { type: 'http_error', message: 'HTTP 403: <html>bad gateway</html>' } });
    expect(r.code).toBe(1);
  });
});

describe('permission errors', () => {
  it('99991672 with violations: App scope not enabled + console_url, detail dropped', async () => {
    await writeTestAccount(h.sb, { appId: 'e2e-svc-perm', brand: h.fake.url });
    h.fake.use(
      http.get(`*${V1}/chats/:chat_id`, () =>
        jsonResponse({ code: 99991672, msg: 'scope not enabled', error: { permission_violations: [{ subject: 'im:chat:readonly' }] } }),
      ),
    );
    const r = await chatsGet();
    expectFailure(r, 1, 'bot', {
      type: 'permission',
      code: 99991672,
      message: 'App scope not enabled: required scope im:chat:readonly [99991672]',
      hint: 'enable the scope in developer console (see console_url)',
      console_url: 'https://open.feishu.cn/page/scope-apply?clientID=e2e-svc-perm&scopes=im%3Achat%3Areadonly',
    });
    expect(h.fake.requestsTo(`${V1}/chats/oc_fake`)[0]!.headers.authorization).toBe('Bearer t-e2e-svc-perm');
  });

  it('several violations: the highest-priority scope is recommended; user identity gets the console hint with login', async () => {
    h.fake.use(
      http.get(`*${V1}/chats/:chat_id`, () =>
        jsonResponse({ code: 99991676, msg: 'no permission', error: { permission_violations: [{ subject: 'im:chat:readonly' }, { subject: 'im:chat:read' }] } }),
      ),
    );
    const r = await chatsGet('user');
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'user',
      error: {
        type: 'permission',
        code: 99991676,
        message: 'Permission denied: required scope im:chat:read [99991676]',
        hint: `enable scope in console (see console_url), or ${LOGIN_HINT('im:chat:read')}`,
        console_url: 'https://open.feishu.cn/page/scope-apply?clientID=cli_test&scopes=im%3Achat%3Aread',
      },
    });
    expect(r.code).toBe(1);
  });

  it('a permission code without violations keeps the plain message and detail', async () => {
    h.fake.use(http.get(`*${V1}/chats/:chat_id`, () => larkErr(230027, 'lack of permission', { log_id: 'lg2' })));
    const r = await chatsGet();
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'bot',
      error: { type: 'permission', code: 230027, message: 'Permission denied [230027]', hint: 'check app permissions or re-authorize: lark-cli auth login', detail: { log_id: 'lg2' } },
    });
    expect(r.code).toBe(1);
  });

  it('99991679 goes through the scope-aware checker: login hint with the seed scope, no code, not enriched', async () => {
    h.fake.use(
      http.get(`*${V1}/chats/:chat_id`, () =>
        jsonResponse({ code: 99991679, msg: 'user not authorized', error: { permission_violations: [{ subject: 'im:chat:readonly' }] } }),
      ),
    );
    const r = await chatsGet('user');
    expect(r.errJson()).toEqual({
      ok: false,
      identity: 'user',
      error: { type: 'permission', message: 'insufficient permissions: [99991679] user not authorized', hint: LOGIN_HINT('im:chat:read') },
    });
    expect(r.code).toBe(1);
  });
});
