/**
 * Every validation message of docs/shortcuts-write.md for `+messages-send`, in
 * the order the rules run: each one a `validation` envelope, exit 2, nothing on stdout and no
 * request (not even a token exchange), also under --dry-run.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../fake-lark/server.js';
import { botEnv, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

let fake: FakeLark;
let sb: Sandbox;
beforeAll(async () => {
  fake = await startFakeLark();
  sb = await makeSandbox();
  writeFileSync(path.join(sb.work, 'a.txt'), 'x');
  mkdirSync(path.join(sb.root, 'outside'));
  writeFileSync(path.join(sb.root, 'outside', 'secret.png'), 'x');
  symlinkSync(path.join(sb.root, 'outside'), path.join(sb.work, 'out'));
});
afterAll(async () => {
  await fake.close();
  await sb.cleanup();
});
beforeEach(() => fake.clearRequests());

async function expectValidation(args: string[], message: string, stdin?: string): Promise<void> {
  for (const dry of [false, true]) {
    const r = await runInProcess(['im', '+messages-send', ...args, ...(dry ? ['--dry-run'] : [])], { sandbox: sb, env: botEnv(fake), stdin });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.errJson().error).toEqual({ type: 'validation', message });
    expect(r.errJson().ok).toBe(false);
  }
  expect(fake.requests).toHaveLength(0);
}

const OUTSIDE = (p: string) =>
  `--file "${p}" resolves outside the current working directory (hint: the path must stay within the working directory after resolving .. and symlinks)`;
const ABSOLUTE = (p: string) =>
  `--file must be a relative path within the current directory, got "${p}" (hint: cd to the target directory first, or use a relative path like ./filename)`;

describe('+messages-send validation', () => {
  it('media paths: every flag, the --file label inside, first failing flag wins', async () => {
    await expectValidation(['--chat-id', 'oc_1', '--image', '../../etc/passwd'], `--image: ${OUTSIDE('../../etc/passwd')}`);
    await expectValidation(['--chat-id', 'oc_1', '--file', '/etc/passwd'], `--file: ${ABSOLUTE('/etc/passwd')}`);
    await expectValidation(['--chat-id', 'oc_1', '--video', 'out/secret.png', '--video-cover', 'img_1'], `--video: ${OUTSIDE('out/secret.png')}`);
    await expectValidation(['--chat-id', 'oc_1', '--video', 'file_1', '--video-cover', '/c.png'], `--video-cover: ${ABSOLUTE('/c.png')}`);
    await expectValidation(['--chat-id', 'oc_1', '--audio', 'a\u0001.opus'], '--audio: --file contains invalid control characters');
    await expectValidation(['--chat-id', 'oc_1', '--image', 'a\u202e.png'], '--image: --file contains dangerous Unicode characters');
    await expectValidation(['--chat-id', 'oc_1', '--image', 'a.txt/x.png'], '--image: stat a.txt/x.png: not a directory');
    // the media check runs before the target and content rules, image before file
    await expectValidation(['--image', '/x.png', '--file', '/y.pdf'], `--image: ${ABSOLUTE('/x.png')}`);
  });

  it('a missing local media file passes validation (it fails at upload time)', async () => {
    const r = await runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', '--image', 'missing.png', '--dry-run'], { sandbox: sb, env: botEnv(fake) });
    expect(r.code).toBe(0);
  });

  it('targets', async () => {
    await expectValidation(['--text', 'hi'], 'specify at least one of --chat-id or --user-id');
    await expectValidation(['--chat-id', '', '--text', 'hi'], 'specify at least one of --chat-id or --user-id');
    await expectValidation(['--chat-id', 'oc_1', '--user-id', 'ou_1', '--text', 'hi'], '--chat-id and --user-id are mutually exclusive');
    await expectValidation(['--chat-id', '   ', '--text', 'hi'], 'chat ID cannot be empty');
    await expectValidation(['--chat-id', 'bad', '--text', 'hi'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['--chat-id', 'https://x.feishu.cn/chat/abc', '--text', 'hi'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
    await expectValidation(['--user-id', ' ', '--text', 'hi'], 'user ID cannot be empty');
    await expectValidation(['--user-id', 'u_1', '--text', 'hi'], "invalid user ID format, should start with 'ou_' (e.g., ou_abc123)");
    // target rules run before content rules
    await expectValidation(['--chat-id', 'x'], "invalid chat ID format, should start with 'oc_' (e.g., oc_abc123)");
  });

  it('content rules 1–8 in order', async () => {
    const t = ['--chat-id', 'oc_1'];
    await expectValidation([...t, '--image', 'img_1', '--file', 'file_1', '--text', 'x'], '--image, --file, --video, --audio are mutually exclusive');
    await expectValidation([...t, '--video-cover', 'img_1', '--text', 'x'], '--video-cover can only be used with --video');
    await expectValidation([...t, '--video', 'file_1', '--text', 'x'], '--video-cover is required when using --video (serves as the video cover)');
    await expectValidation([...t, '--text', 'a', '--markdown', 'b', '--content', '{}'], '--text, --markdown, and --content cannot be specified together');
    await expectValidation([...t, '--text', 'a', '--content', '{'], '--text, --markdown, and --content cannot be specified together');
    await expectValidation([...t, '--audio', 'file_1', '--markdown', 'b'], '--image/--file/--video/--audio cannot be used with --text, --markdown, or --content');
    const nothing =
      'specify --content <json>, --text <plain text>, --markdown <markdown text>, or a media flag (--image/--file/--video/--audio)';
    await expectValidation(t, nothing);
    await expectValidation([...t, '--text', ''], nothing);
    await expectValidation([...t, '--content', '{"text":"x"} trailing'], `--content is not valid JSON: {"text":"x"} trailing\nexample: --content '{"text":"hello"}' or --text 'hello'`);
    await expectValidation([...t, '--msg-type', 'text', '--image', 'img_1'], '--msg-type "text" conflicts with the inferred message type "image" from the selected content flag');
    await expectValidation([...t, '--msg-type', 'image', '--markdown', '# x'], '--msg-type "image" conflicts with the inferred message type "post" from the selected content flag');
    await expectValidation([...t, '--msg-type', 'text', '--video', 'file_1', '--video-cover', 'img_1'], '--msg-type "text" conflicts with the inferred message type "media" from the selected content flag');
    await expectValidation([...t, '--msg-type', 'file', '--audio', 'file_1'], '--msg-type "file" conflicts with the inferred message type "audio" from the selected content flag');
    await expectValidation([...t, '--msg-type', 'post', '--text', 'x'], '--msg-type "post" conflicts with the inferred message type "text" from the selected content flag');
  });

  it('accepted edge cases: big exponents are valid JSON, --content picks no inferred type, an explicit matching type', async () => {
    for (const args of [
      ['--content', '{"value":1e400}'],
      ['--content', '{"text":"x"}', '--msg-type', 'image'],
      ['--image', 'img_x', '--msg-type', 'image'],
      ['--text', 'x', '--msg-type', 'text'],
    ]) {
      const r = await runInProcess(['im', '+messages-send', '--chat-id', 'oc_1', ...args, '--dry-run'], { sandbox: sb, env: botEnv(fake) });
      expect(r.code).toBe(0);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('enum and flag-parser errors', async () => {
    await expectValidation(
      ['--chat-id', 'oc_1', '--msg-type', 'video', '--text', 'x'],
      'invalid value "video" for --msg-type, allowed: text, post, image, file, audio, media, interactive, share_chat, share_user',
    );
    // --format is accepted by every shortcut now (its value is checked by the output, not here)
    await expectValidation(['--chat-id', 'oc_1', '--text', 'x', '--json=maybe'], 'invalid argument "maybe" for "--json" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    await expectValidation(['--chat-id', 'oc_1', '--text', 'x', '--media', 'm'], 'unknown flag: --media');
  });

  it('@file and stdin inputs', async () => {
    const t = ['--chat-id', 'oc_1'];
    await expectValidation([...t, '--text', '@'], '--text: file path cannot be empty after @');
    await expectValidation([...t, '--markdown', '@ '], '--markdown: file path cannot be empty after @');
    await expectValidation([...t, '--content', '@../x.json'], `--content: invalid file path "../x.json": ${OUTSIDE('../x.json')}`);
    await expectValidation([...t, '--text', '@/etc/hosts'], `--text: invalid file path "/etc/hosts": ${ABSOLUTE('/etc/hosts')}`);
    await expectValidation([...t, '--text', '@nope.txt'], '--text: cannot read file "nope.txt": no such file or directory');
    await expectValidation([...t, '--text', '-', '--markdown', '-'], '--markdown: stdin (-) can only be used by one flag', 'x');
  });
});
