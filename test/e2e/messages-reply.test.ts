/**
 * `+messages-reply` against the fake platform (docs/shortcuts-write.md): worked examples E1–E5,
 * validation, the request body, retries with one uuid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { dropConnection, type RecordedRequest } from '../fake-lark/server.js';
import { jsonResponse, larkErr, larkOk } from '../fake-lark/handlers.js';
import { fileUploadHandler, imageUploadHandler, mediaHandler, multipartFields, replyHandler } from '../fake-lark/messages-write.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark, expectJsonOut, expectErrorEnvelope } from '../helpers/fake-lark-hooks.js';
import { writeTestAccount } from '../helpers/accounts.js';

const h = useFakeLark({ eachTest: () => [replyHandler(), imageUploadHandler(), fileUploadHandler()] });

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const env = (extra: Record<string, string> = {}) => ({ ...botEnv(h.fake), LARKSUITE_CLI_RETRY_BASE_MS: '20', TZ: 'UTC', ...extra });
const reply = (args: string[], opts: { env?: Record<string, string> } = {}) =>
  runInProcess(['im', '+messages-reply', ...args], { sandbox: h.sb, env: opts.env ?? env() });
const calls = (): RecordedRequest[] => h.fake.requests.filter((r) => !r.path.startsWith('/open-apis/auth/'));
const replies = () => h.fake.requestsTo(/\/reply$/);

async function expectValidation(args: string[], message: string): Promise<void> {
  for (const dry of [[], ['--dry-run']]) {
    const r = await reply([...args, ...dry]);
    expect(r.stdout).toBe('');
    expectErrorEnvelope(r, 2, 'validation', message);
  }
  expect(h.fake.requests).toHaveLength(0);
}

describe('+messages-reply: worked examples', () => {
  it('E1: a text reply as bot', async () => {
    h.fake.use(replyHandler({ message_id: 'om_r1', chat_id: 'oc_123', create_time: '1712345678901' }));
    const r = await reply(['--message-id', 'om_orig', '--text', 'Received', '--as', 'bot']);
    expectJsonOut(r, 0, { ok: true, identity: 'bot', data: { chat_id: 'oc_123', create_time: '2024-04-05 19:34:38', message_id: 'om_r1' } });
    const [req] = calls();
    expect(calls()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/messages/om_orig/reply', search: '' });
    expect(req!.headers.authorization).toBe('Bearer t-cli_test');
    expect(req!.headers['x-cli-shortcut']).toBe('im:+messages-reply');
    expect(Object.keys(req!.json as object)).toEqual(['content', 'msg_type', 'uuid']);
    expect(req!.json).toMatchObject({ content: '{"text":"Received"}', msg_type: 'text' });
    expect((req!.json as { uuid: string }).uuid).toMatch(UUID_V4);
  });

  it('E2: a thread reply with an idempotency key, dry-run; the same body is POSTed without --dry-run', async () => {
    const args = ['--message-id', 'om_123', '--text', 'hi <at id=ou_1/>', '--reply-in-thread', '--idempotency-key', 'uuid-1'];
    const d = await reply([...args, '--dry-run']);
    expect(d.stderr).toBe('=== Dry Run ===\n');
    expect(d.code).toBe(0);
    expect(d.json()).toEqual({
      api: [
        {
          method: 'POST',
          url: '/open-apis/im/v1/messages/om_123/reply',
          body: { content: '{"text":"hi \\u003cat id=ou_1/\\u003e"}', msg_type: 'text', reply_in_thread: true, uuid: 'uuid-1' },
        },
      ],
      message_id: 'om_123',
    });
    expect(d.stdout).toContain('"content": "{\\"text\\":\\"hi \\\\u003cat id=ou_1/\\\\u003e\\"}"');
    expect(h.fake.requests).toHaveLength(0);

    const r = await reply(args);
    expect(r.code).toBe(0);
    expect(replies()[0]!.json).toEqual(d.json().api[0].body);
  });

  it('E3: a local file reply: uploaded first with file_type pdf and its base name', async () => {
    h.fake.use(fileUploadHandler(['file_v3_r']));
    mkdir('docs');
    const pdf = Buffer.from('%PDF-1.4 fake');
    writeFileSync(path.join(h.sb.work, 'docs', 'report.pdf'), pdf);
    const r = await reply(['--message-id', 'om_orig', '--file', './docs/report.pdf']);
    expect(r.stderr).toBe('uploading file: report.pdf\n');
    expect(r.code).toBe(0);
    expect(calls().map((c) => c.path)).toEqual(['/open-apis/im/v1/files', '/open-apis/im/v1/messages/om_orig/reply']);
    const f = await multipartFields(calls()[0]!);
    expect(Object.keys(f)).toEqual(['file_type', 'file_name', 'file']);
    expect(f).toMatchObject({ file_type: 'pdf', file_name: 'report.pdf' });
    expect((f.file as { bytes: Buffer }).bytes.equals(pdf)).toBe(true);
    expect(replies()[0]!.json).toMatchObject({ content: '{"file_key":"file_v3_r"}', msg_type: 'file' });
    expect((replies()[0]!.json as { uuid: string }).uuid).toMatch(UUID_V4);
  });

  it('E4: Markdown with a remote image, dry-run', async () => {
    const d = await reply(['--message-id', 'om_123', '--markdown', '![alt](https://example.com/a.png)', '--dry-run']);
    expect(d.code).toBe(0);
    expect(d.json()).toEqual({
      api: [
        {
          method: 'POST',
          url: '/open-apis/im/v1/messages/om_123/reply',
          body: { content: '{"zh_cn":{"content":[[{"tag":"md","text":"![alt](img_dryrun_1)"}]]}}', msg_type: 'post' },
        },
      ],
      description: 'dry-run uses placeholder image keys for markdown image URLs; execution downloads and uploads them before sending',
      message_id: 'om_123',
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('E4 executed: the remote image is fetched (loopback allowed in tests) and uploaded with the same identity', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message.send_as_user im:message' } } });
    h.fake.use(mediaHandler('a.png', Buffer.alloc(64, 5)), imageUploadHandler(['img_v3_a']));
    const r = await runInProcess(['im', '+messages-reply', '--message-id', 'om_123', '--markdown', `![alt](${h.fake.url}/media/a.png)`], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK: '1' },
    });
    expect(r.stderr).toBe('uploading image from URL: 127.0.0.1/a.png\n');
    expect(r.code).toBe(0);
    expect(r.json().identity).toBe('user');
    expect(h.fake.requestsTo('/open-apis/im/v1/images')[0]!.headers.authorization).toBe('Bearer u-test-user-token');
    expect(replies()[0]!.headers.authorization).toBe('Bearer u-test-user-token');
    expect(replies()[0]!.json).toMatchObject({ content: '{"zh_cn":{"content":[[{"tag":"md","text":"![alt](img_v3_a)"}]]}}', msg_type: 'post' });
  });

  it('E5: an invalid target is refused without a request', async () => {
    await expectValidation(['--message-id', 'bad_id', '--text', 'hello'], 'invalid message ID "bad_id": must start with om_');
    await expectValidation(['--message-id', 'omt_123', '--text', 'hello'], 'invalid message ID "omt_123": must start with om_');
  });
});

function mkdir(name: string): void {
  mkdirSync(path.join(h.sb.work, name), { recursive: true });
}

describe('+messages-reply: validation', () => {
  it('checks media paths, then the message id, then the content rules', async () => {
    await expectValidation(['--text', 'x'], 'required flag(s) "message-id" not set');
    await expectValidation(['--message-id', '', '--text', 'x'], '--message-id is required (om_xxx)');
    await expectValidation(['--message-id', '  ', '--text', 'x'], 'message ID cannot be empty');
    await expectValidation(['--message-id', ' x1 ', '--text', 'x'], 'invalid message ID "x1": must start with om_');
    await expectValidation(['--message-id', 'bad', '--image', '/a.png'],
      '--image: --file must be a relative path within the current directory, got "/a.png" (hint: cd to the target directory first, or use a relative path like ./filename)');
    await expectValidation(['--message-id', 'om_1'], 'specify --content <json>, --text <plain text>, --markdown <markdown text>, or a media flag (--image/--file/--video/--audio)');
    await expectValidation(['--message-id', 'om_1', '--text', 'a', '--content', '{}'], '--text, --markdown, and --content cannot be specified together');
    await expectValidation(['--message-id', 'om_1', '--content', '[1,'], `--content is not valid JSON: [1,\nexample: --content '{"text":"hello"}' or --text 'hello'`);
    await expectValidation(['--message-id', 'om_1', '--msg-type', 'text', '--file', 'file_1'], '--msg-type "text" conflicts with the inferred message type "file" from the selected content flag');
    await expectValidation(['--message-id', 'om_1', '--text', 'x', '--chat-id', 'oc_1'], 'unknown flag: --chat-id');
  });
});

describe('+messages-reply: request details', () => {
  it('the raw message id is path-escaped; trimmed only for validation', async () => {
    h.fake.use(http.post('*/open-apis/im/v1/messages/:id/reply', () => larkOk({ message_id: 'om_r', chat_id: 'oc_1', create_time: '1712345678' })));
    const r = await reply(['--message-id', ' om_a/b ', '--text', 'x']);
    expect(r.code).toBe(0);
    expect(r.json().data.create_time).toBe('2024-04-05 19:34:38');
    expect(calls()[0]!.path).toBe('/open-apis/im/v1/messages/%20om_a%2Fb%20/reply');
  });

  it('--content with --msg-type share_chat is sent verbatim; no reply_in_thread unless asked', async () => {
    const r = await reply(['--message-id', 'om_1', '--content', '{"chat_id":"oc_9"}', '--msg-type', 'share_chat']);
    expect(r.code).toBe(0);
    const body = replies()[0]!.json as Record<string, unknown>;
    expect(body).toMatchObject({ content: '{"chat_id":"oc_9"}', msg_type: 'share_chat' });
    expect(body.reply_in_thread).toBeUndefined();
  });

  it('a 5xx then a dropped connection are retried with one uuid; one success is printed', async () => {
    let n = 0;
    h.fake.use(
      http.post('*/open-apis/im/v1/messages/:id/reply', () => {
        n++;
        if (n === 1) return jsonResponse({ code: 1, msg: 'busy' }, { status: 503 });
        if (n === 2) return dropConnection();
        return larkOk({ message_id: 'om_r', chat_id: 'oc_1', create_time: '1712345678901' });
      }),
    );
    const r = await reply(['--message-id', 'om_1', '--text', 'x', '--reply-in-thread']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/"ok": true/g)).toHaveLength(1);
    const bodies = replies().map((q) => q.text);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(replies()[0]!.json).toMatchObject({ reply_in_thread: true });
  });

  it('a permission error from the server is exit 1 with the console link detail', async () => {
    h.fake.use(
      http.post('*/open-apis/im/v1/messages/:id/reply', () =>
        larkErr(99991672, 'Access denied', { permission_violations: [{ subject: 'im:message:send_as_bot' }] }),
      ),
    );
    const r = await reply(['--message-id', 'om_1', '--text', 'x']);
    expect(r.code).toBe(1);
    expect(r.errJson().error).toMatchObject({ type: 'permission', code: 99991672 });
    expect(replies()).toHaveLength(1);
  });
});
