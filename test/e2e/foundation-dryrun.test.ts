/**
 * Foundation e2e: `api … --dry-run` (docs/generic-commands.md; docs/compatibility.md): the plan on
 * stdout and not a single request, not even a token exchange or a user_info check.
 */
import { describe, expect, it } from 'vitest';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark, expectJsonErr } from '../helpers/fake-lark-hooks.js';

const NOT_CONFIGURED_HINT =
  'run `lark-cli config init --new` in the background. It blocks and outputs a verification URL — retrieve the URL and open it in a browser to complete setup.';
const DATA = '{"receive_id":"oc_xxx","msg_type":"text","content":"{\\"text\\":\\"<b>hi</b> & bye\\"}"}';

const h = useFakeLark();

const HEADER = '=== Dry Run ===\n';

function payload(stdout: string): unknown {
  expect(stdout.startsWith(HEADER)).toBe(true);
  return JSON.parse(stdout.slice(HEADER.length));
}

describe('api --dry-run', () => {
  it('POST with params and data as bot: header + JSON on stdout, zero requests', async () => {
    const r = await runInProcess(
      ['api', 'POST', '/open-apis/im/v1/messages', '--params', '{"receive_id_type":"chat_id"}', '--data', DATA, '--as', 'bot', '--dry-run'],
      { sandbox: h.sb, env: botEnv(h.fake) },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({
      api: [
        {
          method: 'POST',
          url: '/open-apis/im/v1/messages',
          params: { receive_id_type: 'chat_id' },
          body: { receive_id: 'oc_xxx', msg_type: 'text', content: '{"text":"<b>hi</b> & bye"}' },
        },
      ],
      appId: 'cli_test',
      as: 'bot',
    });
    // fixed call-record order, sorted keys elsewhere, no HTML escaping (docs/compatibility.md)
    expect(r.stdout).toBe(
      HEADER +
        [
          '{',
          '  "api": [',
          '    {',
          '      "method": "POST",',
          '      "url": "/open-apis/im/v1/messages",',
          '      "params": {',
          '        "receive_id_type": "chat_id"',
          '      },',
          '      "body": {',
          '        "content": "{\\"text\\":\\"<b>hi</b> & bye\\"}",',
          '        "msg_type": "text",',
          '        "receive_id": "oc_xxx"',
          '      }',
          '    }',
          '  ],',
          '  "appId": "cli_test",',
          '  "as": "bot"',
          '}',
          '',
        ].join('\n'),
    );
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--format pretty: the text form', async () => {
    const r = await runInProcess(
      ['api', 'POST', '/open-apis/im/v1/messages', '--params', '{"receive_id_type":"chat_id"}', '--data', DATA, '--as', 'bot', '--dry-run', '--format', 'pretty'],
      { sandbox: h.sb, env: botEnv(h.fake) },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      HEADER + 'POST /open-apis/im/v1/messages?receive_id_type=chat_id\n' + '  {"content":"{\\"text\\":\\"<b>hi</b> & bye\\"}","msg_type":"text","receive_id":"oc_xxx"}\n',
    );
    expect(h.fake.requests).toHaveLength(0);
  });

  it('GET: --data is dropped, path normalised, method upper-cased, --page-size overrides params', async () => {
    const r = await runInProcess(
      ['api', 'get', 'https://open.feishu.cn/open-apis/im/v1/chats?ignored=1', '--params', '{"page_size":50,"b":"x y","a":[1,2]}', '--page-size', '5', '--data', '{"x":1}', '--as', 'bot', '--dry-run'],
      { sandbox: h.sb, env: botEnv(h.fake) },
    );
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({
      api: [{ method: 'GET', url: '/open-apis/im/v1/chats', params: { a: [1, 2], b: 'x y', page_size: 5 } }],
      appId: 'cli_test',
      as: 'bot',
    });
    const pretty = await runInProcess(
      ['api', 'GET', 'im/v1/chats', '--params', '{"b":"x y","a":[1,2]}', '--as', 'bot', '--dry-run', '--format', 'pretty'],
      { sandbox: h.sb, env: botEnv(h.fake) },
    );
    expect(pretty.stdout).toBe(HEADER + 'GET /open-apis/im/v1/chats?a=%5B1+2%5D&b=x+y\n');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('a user token from the environment is not verified under --dry-run', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'auto', '--dry-run'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_USER_ACCESS_TOKEN: 'u-env', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-env', LARKSUITE_CLI_BRAND: h.fake.url },
    });
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({ api: [{ method: 'GET', url: '/open-apis/im/v1/chats' }], appId: 'cli_env', as: 'user' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('config account with a logged-in user whose token needs a refresh: userOpenId shown, no refresh', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { openId: 'ou_dry', token: { expiresAt: Date.now() - 1000 } } });
    const r = await runInProcess(['api', 'DELETE', '/open-apis/im/v1/messages/om_1', '--dry-run'], { sandbox: h.sb });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({
      api: [{ method: 'DELETE', url: '/open-apis/im/v1/messages/om_1' }],
      appId: 'cli_test',
      as: 'user',
      userOpenId: 'ou_dry',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('bot dry run of a config account lists the logged-in user too', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { openId: 'ou_dry' } });
    const r = await runInProcess(['api', 'GET', '/open-apis/x', '--as', 'bot', '--dry-run'], { sandbox: h.sb });
    expect(payload(r.stdout)).toEqual({ api: [{ method: 'GET', url: '/open-apis/x' }], appId: 'cli_test', as: 'bot', userOpenId: 'ou_dry' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--file upload dry run: the file is not opened', async () => {
    const r = await runInProcess(
      ['api', 'POST', '/open-apis/im/v1/files', '--file', 'file=missing.bin', '--data', '{"file_type":"stream","n":1}', '--as', 'bot', '--dry-run'],
      { sandbox: h.sb, env: botEnv(h.fake) },
    );
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({
      api: [
        {
          method: 'POST',
          url: '/open-apis/im/v1/files',
          body: { file: { field: 'file', path: 'missing.bin' }, form_fields: { file_type: 'stream', n: 1 }, options: ['WithFileUpload'] },
        },
      ],
      appId: 'cli_test',
      as: 'bot',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('--params from stdin and --data from a file', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${h.sb.work}/body.json`, '  {"k":"v"}\n');
    const r = await runInProcess(['api', 'PATCH', '/open-apis/x', '--params', '-', '--data', '@body.json', '--as', 'bot', '--dry-run'], {
      sandbox: h.sb,
      env: botEnv(h.fake),
      stdin: '\n{"q":"1"}\n',
    });
    expect(r.code).toBe(0);
    expect(payload(r.stdout)).toEqual({
      api: [{ method: 'PATCH', url: '/open-apis/x', params: { q: '1' }, body: { k: 'v' } }],
      appId: 'cli_test',
      as: 'bot',
    });
  });

  it('a dry run still needs a configured app', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/x', '--dry-run'], { sandbox: h.sb });
    expectJsonErr(r, 3, { ok: false, identity: 'bot', error: { type: 'config', message: 'not configured', hint: NOT_CONFIGURED_HINT } });
  });

  it('validation still runs before the dry run', async () => {
    const r = await runInProcess(['api', 'GET', '/open-apis/x', '--params', '[', '--dry-run'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.stdout).toBe('');
    expect(r.errJson().error).toEqual({ type: 'validation', message: '--params invalid format, expected JSON object' });
    expect(r.code).toBe(2);
  });
});
