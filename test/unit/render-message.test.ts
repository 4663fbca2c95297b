/**
 * The compact message form (docs/shortcuts-read.md), app links, resource extraction,
 * TruncateContent and the time helpers. TZ pinned to +08:00.
 */
process.env.TZ = 'Asia/Shanghai';

import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../../src/core/json.js';
import { assembleAppLink, normalizePosition, projectMessage } from '../../src/render/message.js';
import { extractResourceRefs } from '../../src/render/resources.js';
import { truncateContent } from '../../src/render/pretty.js';
import { formatTime, parseTime } from '../../src/core/time.js';

const J = (v: unknown) => JSON.stringify(v);
const base = { message_id: 'om_1', msg_type: 'text', create_time: '1710500000000', body: { content: J({ text: 'hi' }) }, sender: { id: 'ou_a', sender_type: 'user' } };
const project = (over: Record<string, unknown>, brand = 'feishu') => projectMessage({ ...base, ...over }, { brand });

describe('projection', () => {
  it('always has the core fields, with defaults for absent ones', () => {
    expect(projectMessage({}, { brand: 'feishu' })).toEqual({ message_id: '', msg_type: '', content: '', sender: null, create_time: '', deleted: false, updated: false });
    expect(project({})).toEqual({
      message_id: 'om_1', msg_type: 'text', content: 'hi', sender: { id: 'ou_a', sender_type: 'user' }, create_time: '2024-03-15 18:53', deleted: false, updated: false,
    });
  });
  it('passes the sender through as a copy and a missing body gives empty content', () => {
    const sender = { id: 'ou_a', tenant_key: 't' };
    const m = project({ sender, body: undefined });
    expect(m.sender).toEqual(sender);
    expect(m.sender).not.toBe(sender);
    expect(m.content).toBe('');
    expect(project({ body: { content: '' } }).content).toBe('');
  });
  it('thread_id wins over reply_to', () => {
    expect(project({ thread_id: 'omt_1', parent_id: 'om_p' })).toMatchObject({ thread_id: 'omt_1' });
    expect(project({ thread_id: 'omt_1', parent_id: 'om_p' }).reply_to).toBeUndefined();
    expect(project({ thread_id: '', parent_id: 'om_p' }).reply_to).toBe('om_p');
    expect('reply_to' in project({ parent_id: '' })).toBe(false);
  });
  it.each([
    ['not updated: no update_time', { updated: false, update_time: '1710500120000' }, undefined],
    ['updated: formatted', { updated: true, update_time: '1710500120000' }, '2024-03-15 18:55'],
    ['updated with blank string', { updated: true, update_time: '  ' }, undefined],
    ['updated with null', { updated: true, update_time: null }, undefined],
    ['updated with a number (Go %v quirk)', { updated: true, update_time: 5 }, '1970-01-01 08:00'],
  ])('update_time gating: %s', (_n, over, expected) => {
    expect(project(over).update_time).toBe(expected);
  });
  it('passes chat_id and positions through only when present, any JSON type', () => {
    const m = project({ chat_id: null, message_position: '3', thread_message_position: 2 });
    expect(m).toMatchObject({ chat_id: null, message_position: '3', thread_message_position: 2 });
    expect('chat_id' in project({})).toBe(false);
  });
  it('simplifies mentions (string id, {open_id} object, missing fields)', () => {
    const m = project({ mentions: [{ key: '@_user_1', id: { open_id: 'ou_b', user_id: 'u' }, name: 'B' }, { key: '@_user_2', id: 'ou_c' }, 'junk'] });
    expect(m.mentions).toEqual([
      { key: '@_user_1', id: 'ou_b', name: 'B' },
      { key: '@_user_2', id: 'ou_c', name: '' },
      { key: '', id: '', name: '' },
    ]);
    expect('mentions' in project({ mentions: [] })).toBe(false);
  });
  it.each([
    ['ms', '1710500000000', '2024-03-15 18:53'],
    ['seconds', '1710500000', '2024-03-15 18:53'],
    ['leading integer', '1710500000000xyz', '2024-03-15 18:53'],
    ['zero keeps the text', '0', '0'],
    ['unparseable keeps the text', 'soon', 'soon'],
    ['absent', undefined, ''],
    ['JSON number (Go %v of a float)', 1710500000000, '1970-01-01 08:00'],
  ])('create_time: %s', (_n, v, expected) => expect(formatTime(v)).toBe(expected));
});

describe('message_app_link', () => {
  it('prefers the server link, trimmed', () => {
    expect(project({ message_app_link: '  https://x/link  ', chat_id: 'oc_1', message_position: 1 }).message_app_link).toBe('https://x/link');
  });
  it('assembles a thread link (keys sorted) when thread, chat and thread position are usable', () => {
    expect(project({ thread_id: 'omt_1', chat_id: 'oc_1', thread_message_position: '7', message_position: 3 }).message_app_link).toBe(
      'https://applink.feishu.cn/client/thread/open?open_chat_id=oc_1&open_thread_id=omt_1&openchatid=oc_1&openthreadid=omt_1&thread_position=7',
    );
  });
  it('falls back to the chat link, lark domain for the lark brand', () => {
    expect(project({ thread_id: 'omt_1', chat_id: 'oc_1', thread_message_position: 'x', message_position: 12 }, 'lark').message_app_link).toBe(
      'https://applink.larksuite.com/client/chat/open?openChatId=oc_1&position=12',
    );
    expect(project({ chat_id: 'oc_1', message_position: 0 }, 'http://127.0.0.1:1').message_app_link).toBe('https://applink.feishu.cn/client/chat/open?openChatId=oc_1&position=0');
  });
  it('no link without a chat id or a usable position', () => {
    expect('message_app_link' in project({ chat_id: 'oc_1' })).toBe(false);
    expect(assembleAppLink({ message_position: 1 }, 'feishu')).toBe('');
    expect(assembleAppLink({ chat_id: 'oc_1', message_position: true }, 'feishu')).toBe('');
  });
  it.each([
    [12, '12'],
    [1.5, '1.5'],
    [-3, '-3'],
    [' 4.0 ', '4'],
    [new JsonNumber('123456789012.0'), '123456789012'],
    ['', undefined],
    ['abc', undefined],
    [Number.NaN, undefined],
    [null, undefined],
  ])('normalizePosition(%j) = %j', (v, expected) => expect(normalizePosition(v)).toBe(expected));
});

describe('resource refs', () => {
  const none = () => undefined;
  it.each([
    ['image', 'image', J({ image_key: 'img_1' }), [{ message_id: 'om_1', key: 'img_1', type: 'image' }]],
    ['file', 'file', J({ file_key: 'f' }), [{ message_id: 'om_1', key: 'f', type: 'file' }]],
    ['audio', 'audio', J({ file_key: 'a' }), [{ message_id: 'om_1', key: 'a', type: 'file' }]],
    ['video', 'video', J({ file_key: 'v', image_key: 'cover' }), [{ message_id: 'om_1', key: 'v', type: 'file' }]],
    ['media', 'media', J({ file_key: 'm' }), [{ message_id: 'om_1', key: 'm', type: 'file' }]],
    ['sticker never', 'sticker', J({ file_key: 's' }), []],
    ['empty key skipped', 'image', J({ image_key: '' }), []],
    ['invalid JSON skipped', 'file', '{', []],
    [
      'post: img/media of the locale body content, then non-folder files',
      'post',
      J({ zh_cn: { content: [[{ tag: 'img', image_key: 'i1' }, { tag: 'text', text: 'x' }], [{ tag: 'media', file_key: 'm1' }]], content_v2: [[{ tag: 'img', image_key: 'v2only' }]] }, files: [{ file_key: 'f1' }, { file_key: 'dir', is_folder: true }, {}] }),
      [
        { message_id: 'om_1', key: 'i1', type: 'image' },
        { message_id: 'om_1', key: 'm1', type: 'file' },
        { message_id: 'om_1', key: 'f1', type: 'file' },
      ],
    ],
    ['post files without a locale body', 'post', J({ files: [{ file_key: 'f1' }] }), [{ message_id: 'om_1', key: 'f1', type: 'file' }]],
  ])('%s', (_n, t, raw, expected) => expect(extractResourceRefs(t, raw, 'om_1', none)).toEqual(expected));

  it('merge_forward: sub-item refs addressed by the top-level container, nested containers once', () => {
    const map: Record<string, unknown[]> = {
      om_mf: [
        { message_id: 'om_mf', msg_type: 'merge_forward' },
        { message_id: 's1', msg_type: 'image', body: { content: J({ image_key: 'img_a' }) } },
        { message_id: 'n1', msg_type: 'merge_forward' },
      ],
      n1: [{ message_id: 's2', msg_type: 'file', body: { content: J({ file_key: 'file_b' }) } }, { message_id: 'om_mf', msg_type: 'merge_forward' }],
    };
    expect(extractResourceRefs('merge_forward', 'x', 'om_mf', (id) => map[id] as never)).toEqual([
      { message_id: 'om_mf', key: 'img_a', type: 'image' },
      { message_id: 'om_mf', key: 'file_b', type: 'file' },
    ]);
    expect(extractResourceRefs('merge_forward', 'x', 'om_other', () => undefined)).toEqual([]);
  });
  it('projection adds resources only when asked', () => {
    const raw = { ...base, msg_type: 'image', body: { content: J({ image_key: 'img_1' }) } };
    expect(projectMessage(raw, { brand: 'feishu' }).resources).toBeUndefined();
    expect(projectMessage(raw, { brand: 'feishu', resources: true }).resources).toEqual([{ message_id: 'om_1', key: 'img_1', type: 'image' }]);
    expect(projectMessage({ ...base, msg_type: 'sticker' }, { brand: 'feishu', resources: true }).resources).toBeUndefined();
  });
});

describe('TruncateContent', () => {
  it.each([
    ['short', 5, 'short'],
    ['a\nb', 5, 'a b'],
    ['abcdef', 3, 'abc…'],
    ['你好世界', 2, '你好…'],
    ['😀😀😀', 2, '😀😀…'],
  ])('%j, %i', (s, n, expected) => expect(truncateContent(s, n)).toBe(expected));
});

describe('parseTime', () => {
  it.each([
    ['2026-03-01T00:00:00+08:00', false, '1772294400'],
    ['2026-03-01T00:00:00Z', false, '1772323200'],
    ['2026-03-01T00:00+08:00', false, '1772294400'],
    ['2026-03-01T00:00:00.5-01:30', false, '1772328600'],
    ['2026-03-01T15:04:05', false, '1772348645'],
    ['2026-03-01 15:04:05', false, '1772348645'],
    ['2026-03-01T15:04', false, '1772348640'],
    ['2026-03-01 15:04', false, '1772348640'],
    ['2026-03-05', false, '1772640000'],
    ['2026-03-06', true, '1772812799'],
    ['  2026-03-06  ', true, '1772812799'],
    ['1772640000', false, '1772640000'],
    ['2026-03-06T10:00:00+08:00', true, '1772762400'],
  ])('%j (end=%s) → %s', (input, end, expected) => expect(parseTime(input, end)).toBe(expected));

  it.each(['', 'yesterday', '2026-02-30', '2026-13-01', '2026-03-01T24:00', '2026-3-1', '0', '-5', '0123', '2026-03-01T10:00:00+0800', '99999999999999999999'])(
    'rejects %j',
    (input) => {
      expect(() => parseTime(input)).toThrow(
        `cannot parse time ${JSON.stringify(input.trim())} (supported: ISO 8601 e.g. 2026-01-01 / 2026-01-01T15:04:05+08:00, Unix timestamp)`,
      );
    },
  );
});
