/**
 * Content rendering per msg_type (docs/shortcuts-read.md): one table row per
 * rendering rule. Time zone pinned to +08:00.
 */
process.env.TZ = 'Asia/Shanghai';

import { describe, expect, it } from 'vitest';
import { mergeForwardTree, renderContent, type RenderContext } from '../../src/render/content.js';
import { durationText, goQuote, resolveMentionKeys } from '../../src/render/util.js';

const J = (v: unknown) => JSON.stringify(v);
type Row = [name: string, msgType: string, raw: string, expected: string, ctx?: RenderContext];

function table(rows: Row[]): void {
  it.each(rows)('%s', (_name, msgType, raw, expected, ctx) => {
    expect(renderContent(msgType, raw, ctx)).toBe(expected);
  });
}

const mentions = [
  { key: '@_user_1', id: 'ou_bob', name: 'Bob' },
  { key: '@_user_10', id: 'ou_ten', name: 'Ten' },
  { key: '', id: 'ou_x', name: 'Skipped' },
  { key: '@_user_3', id: 'ou_c', name: '' },
];

describe('general rules', () => {
  table([
    ['empty content is empty for every type', 'text', '', ''],
    ['empty content (image)', 'image', '', ''],
    ['unknown type', 'unknown_type', '{"a":1}', '[unknown_type]'],
    ['unknown type even with invalid JSON', 'shiny', 'nope', '[shiny]'],
  ]);
});

describe('text', () => {
  table([
    ['mention keys become @name', 'text', J({ text: 'hi @_user_1' }), 'hi @Bob', { mentions }],
    ['longer keys first', 'text', J({ text: '@_user_10 and @_user_1' }), '@Ten and @Bob', { mentions }],
    ['mentions with empty key or name are skipped', 'text', J({ text: '@_user_3 here' }), '@_user_3 here', { mentions }],
    ['missing text returns the raw JSON', 'text', '{"foo":1}', '{"foo":1}'],
    ['empty text returns the raw JSON', 'text', '{"text":""}', '{"text":""}'],
    ['invalid JSON', 'text', '{bad', '[Invalid text JSON]'],
    ['non-object JSON is invalid', 'text', '"just a string"', '[Invalid text JSON]'],
    ['JSON null has no text: raw', 'text', 'null', 'null'],
  ]);
});

describe('post', () => {
  table([
    [
      'spec example',
      'post',
      J({ zh_cn: { title: 'Weekly Update', content: [[{ tag: 'text', text: 'Hello ' }, { tag: 'at', user_name: 'Alice' }], [{ tag: 'a', text: 'Spec', href: 'https://example.com/spec' }]] } }),
      'Weekly Update\nHello @Alice\n[Spec](https://example.com/spec)',
    ],
    ['top level with content is the body', 'post', J({ title: 'T', content: [[{ tag: 'text', text: 'x' }]], zh_cn: { title: 'no' } }), 'T\nx'],
    ['top level with only title is the body', 'post', J({ title: 'Only title' }), 'Only title'],
    ['en_us when no zh_cn', 'post', J({ ja_jp: { title: 'ja' }, en_us: { title: 'en' } }), 'en'],
    ['ja_jp third', 'post', J({ ja_jp: { title: 'ja' }, zz: { title: 'zz' } }), 'ja'],
    ['else the first object key alphabetically', 'post', J({ zz: { title: 'zz' }, de_de: { title: 'de' }, aa: 'str' }), 'de'],
    ['no body at all', 'post', J({ foo: 1 }), '[Rich text message]'],
    ['content_v2 wins when non-empty', 'post', J({ content: [[{ tag: 'text', text: 'v1' }]], content_v2: [[{ tag: 'text', text: 'v2' }]] }), 'v2'],
    ['empty content_v2 falls back to content', 'post', J({ content: [[{ tag: 'text', text: 'v1' }]], content_v2: [] }), 'v1'],
    ['empty paragraphs are empty lines, result trimmed', 'post', J({ content: [[{ tag: 'text', text: 'a' }], [], [{ tag: 'text', text: 'b ' }]] }), 'a\n\nb'],
    ['blank result', 'post', J({ content: [[{ tag: 'text', text: '  ' }]] }), '[Rich text message]'],
    ['mention keys substituted', 'post', J({ content: [[{ tag: 'text', text: 'cc @_user_1' }]] }), 'cc @Bob', { mentions }],
    ['invalid JSON', 'post', '[1,2', '[Invalid rich text JSON]'],
    ['null is invalid', 'post', 'null', '[Invalid rich text JSON]'],
  ]);

  const el = (e: unknown) => J({ content: [['<', e, '>'].map((x) => (typeof x === 'string' ? { tag: 'text', text: x } : x))] });
  table([
    ['text, bold', 'post', el({ tag: 'text', text: 'x', style: ['bold'] }), '<**x**>'],
    ['text, bold+italic', 'post', el({ tag: 'text', text: 'x', style: ['italic', 'bold'] }), '<***x***>'],
    ['text, underline', 'post', el({ tag: 'text', text: 'x', style: ['underline'] }), '<<u>x</u>>'],
    ['text, bold+lineThrough', 'post', el({ tag: 'text', text: 'x', style: ['lineThrough', 'bold'] }), '<~~**x**~~>'],
    ['text, all four', 'post', el({ tag: 'text', text: 'x', style: ['bold', 'italic', 'underline', 'lineThrough'] }), '<~~<u>***x***</u>~~>'],
    ['empty text is never styled', 'post', el({ tag: 'text', text: '', style: ['bold'] }), '<>'],
    ['a with text and href, brackets escaped', 'post', el({ tag: 'a', text: 'see [1]', href: 'https://x' }), '<[see \\[1\\]](https://x)>'],
    ['a with href only', 'post', el({ tag: 'a', href: 'https://x' }), '<https://x>'],
    ['a with text only', 'post', el({ tag: 'a', text: 'plain' }), '<plain>'],
    ['a styled', 'post', el({ tag: 'a', text: 't', href: 'h', style: ['italic'] }), '<*[t](h)*>'],
    ['at all (@_all)', 'post', el({ tag: 'at', user_id: '@_all' }), '<<at user_id="all"></at>>'],
    ['at all (all)', 'post', el({ tag: 'at', user_id: 'all', user_name: 'Everyone' }), '<<at user_id="all"></at>>'],
    ['at open id with name', 'post', el({ tag: 'at', user_id: 'ou_1', user_name: 'Ann' }), '<<at user_id="ou_1">Ann</at>>'],
    ['at other id with name', 'post', el({ tag: 'at', user_id: 'u_1', user_name: 'Ann' }), '<@Ann>'],
    ['at id only', 'post', el({ tag: 'at', user_id: 'u_1' }), '<@u_1>'],
    ['at styled', 'post', el({ tag: 'at', user_name: 'Ann', style: ['bold'] }), '<**@Ann**>'],
    ['emotion', 'post', el({ tag: 'emotion', emoji_type: 'SMILE', style: ['bold'] }), '<:SMILE:>'],
    ['empty emotion', 'post', el({ tag: 'emotion' }), '<>'],
    ['md verbatim', 'post', el({ tag: 'md', text: '**raw**' }), '<**raw**>'],
    ['img with key', 'post', el({ tag: 'img', image_key: 'img_1' }), '<![Image](img_1)>'],
    ['img without key', 'post', el({ tag: 'img' }), '<[Image]>'],
    ['media with key', 'post', el({ tag: 'media', file_key: 'f_1' }), '<[Media: f_1]>'],
    ['media without key', 'post', el({ tag: 'media' }), '<[Media]>'],
    ['code block with language', 'post', el({ tag: 'code_block', language: 'go', text: 'x := 1' }), '<\n```go\nx := 1\n```\n>'],
    ['code block without language', 'post', el({ tag: 'code_block', text: 'x' }), '<\n```\nx\n```\n>'],
    ['hr', 'post', el({ tag: 'hr' }), '<\n---\n>'],
    ['unknown tag falls back to text', 'post', el({ tag: 'weird', text: 'w' }), '<w>'],
    ['unknown tag without text', 'post', el({ tag: 'weird' }), '<>'],
  ]);

  table([
    [
      'attachment zone: files and folders after the text',
      'post',
      J({ zh_cn: { content: [[{ tag: 'text', text: 'see files' }]] }, files: [{ file_key: 'file_a', file_name: 'a "b".pdf' }, { file_key: 'fold', file_name: 'assets', is_folder: true }, { file_key: 'file_c' }, { file_name: 'no key' }] }),
      'see files\n<file key="file_a" name="a \\"b\\".pdf"/>\n<folder key="fold" name="assets"/>\n<file key="file_c"/>',
    ],
    ['attachments without a body', 'post', J({ files: [{ file_key: 'k' }] }), '[Rich text message]\n<file key="k"/>'],
  ]);
});

describe('media and simple types', () => {
  table([
    ['image with key', 'image', J({ image_key: 'img_9' }), '[Image: img_9]'],
    ['image without key', 'image', '{}', '[Image]'],
    ['image invalid', 'image', 'x', '[Invalid image JSON]'],
    ['file with name', 'file', J({ file_key: 'file_1', file_name: 'r.pdf' }), '<file key="file_1" name="r.pdf"/>'],
    ['file name defaults to the key, attr escaping', 'file', J({ file_key: 'k"\\\n\t' }), '<file key="k\\"\\\\\\n\\t" name="k\\"\\\\\\n\\t"/>'],
    ['file without key', 'file', J({ file_name: 'x' }), '[File]'],
    ['file invalid', 'file', '{', '[Invalid file JSON]'],
    ['audio with key and duration', 'audio', J({ file_key: 'a_1', duration: 3500 }), '<audio key="a_1" duration="4s"/>'],
    ['audio duration rounds half to even', 'audio', J({ file_key: 'a_1', duration: 2500 }), '<audio key="a_1" duration="2s"/>'],
    ['audio zero duration omitted', 'audio', J({ file_key: 'a_1', duration: 0 }), '<audio key="a_1"/>'],
    ['audio string duration ignored', 'audio', J({ file_key: 'a_1', duration: '3000' }), '<audio key="a_1"/>'],
    ['voice without key', 'audio', J({ duration: 1200 }), '[Voice: 1s]'],
    ['voice without anything', 'audio', '{}', '[Voice]'],
    ['audio invalid', 'audio', '[', '[Invalid audio JSON]'],
    [
      'video with everything',
      'video',
      J({ file_key: 'v_1', file_name: 'clip.mp4', duration: 61500, image_key: 'img_c' }),
      '<video key="v_1" name="clip.mp4" duration="62s" cover_image_key="img_c"/>',
    ],
    ['media is rendered as video', 'media', J({ file_key: 'v_2' }), '<video key="v_2" name="v_2"/>'],
    ['video without key', 'video', J({ file_name: 'x' }), '[Video]'],
    ['video invalid', 'media', '?', '[Invalid video JSON]'],
    ['sticker never parsed', 'sticker', 'not json', '[Sticker]'],
    ['share_chat', 'share_chat', J({ chat_id: 'oc_1' }), '[Chat card: oc_1]'],
    ['share_chat without id', 'share_chat', '{}', '[Chat card]'],
    ['share_chat invalid', 'share_chat', 'x', '[Invalid chat card JSON]'],
    ['share_user', 'share_user', J({ user_id: 'ou_1' }), '[User card: ou_1]'],
    ['share_user without id', 'share_user', '{}', '[User card]'],
    ['share_user invalid', 'share_user', 'x', '[Invalid user card JSON]'],
    ['location', 'location', J({ name: 'Office' }), '[Location: Office]'],
    ['location without name', 'location', '{}', '[Location]'],
    ['location invalid', 'location', 'x', '[Invalid location JSON]'],
    ['folder with name', 'folder', J({ file_key: 'fk', file_name: 'docs' }), '<folder key="fk" name="docs"/>'],
    ['folder without name', 'folder', J({ file_key: 'fk' }), '<folder key="fk"/>'],
    ['folder without key', 'folder', '{}', '[Folder]'],
    ['folder invalid', 'folder', 'x', '[Invalid folder JSON]'],
    ['video_chat', 'video_chat', 'whatever', '[Video call]'],
  ]);
});

describe('calendars, todo, vote, hongbao', () => {
  table([
    [
      'share_calendar_event spec example',
      'share_calendar_event',
      J({ open_calendar_id: 'cal_1', open_event_id: 'evt_1', summary: 'Review', start_time: '1710500000', end_time: '1710503600' }),
      '<calendar_share open_calendar_id="cal_1" open_event_id="evt_1">\nReview\n2024-03-15 18:53:20 ~ 2024-03-15 19:53:20\n</calendar_share>',
    ],
    [
      'share token attribute last, start only, xml escaping',
      'share_calendar_event',
      J({ share_token: 'tok', summary: 'a < b & c', start_time: '1710500000000' }),
      '<calendar_share share_token="tok">\na &lt; b &amp; c\n2024-03-15 18:53:20\n</calendar_share>',
    ],
    ['calendar invite has no attributes', 'calendar', J({ summary: 'Invite', share_token: 'x' }), '<calendar_invite>\nInvite\n</calendar_invite>'],
    ['empty body is the tag name', 'calendar', J({ start_time: '0', end_time: 'x' }), '<calendar_invite>\ncalendar_invite\n</calendar_invite>'],
    ['general_calendar with share token', 'general_calendar', J({ share_token: 's1' }), '<calendar share_token="s1">\ncalendar\n</calendar>'],
    ['calendar invalid', 'general_calendar', 'x', '[Invalid calendar JSON]'],
    [
      'todo with everything',
      'todo',
      J({ task_id: 't1', summary: { title: 'Ship <it>', content: [[{ tag: 'text', text: 'line 1' }], [], [{ tag: 'text', text: 'line 2' }]] }, due_time: '1710500000000' }),
      '<todo task_id="t1">\nShip &lt;it&gt;\nline 1\nline 2\nDue: 2024-03-15 18:53:20\n</todo>',
    ],
    ['todo empty body', 'todo', J({ due_time: 'soon' }), '<todo>\ntodo\n</todo>'],
    ['todo invalid', 'todo', 'x', '[Invalid todo JSON]'],
    ['vote open', 'vote', J({ topic: 'Lunch?', options: ['Pizza', '', 3, 'Sushi & rice'], status: 0 }), '<vote>\nLunch?\n• Pizza\n• Sushi &amp; rice\n</vote>'],
    ['vote closed', 'vote', J({ topic: 'T', status: 1 }), '<vote>\nT\n(Closed)\n</vote>'],
    ['vote empty', 'vote', '{}', '<vote>\nvote\n</vote>'],
    ['vote invalid', 'vote', 'x', '[Invalid vote JSON]'],
    ['hongbao quoted Go-style', 'hongbao', J({ text: 'Happy "new" year\n红包' }), '<hongbao text="Happy \\"new\\" year\\n红包"/>'],
    ['hongbao without text', 'hongbao', '{}', '<hongbao/>'],
    ['hongbao invalid', 'hongbao', 'x', '[Invalid hongbao JSON]'],
  ]);
});

describe('system messages', () => {
  table([
    ['spec example', 'system', J({ template: '{from_user} invited {to_chatters} to {name}', from_user: ['Alice'], to_chatters: ['Bob', 'Carol'], name: 'Room A' }), 'Alice invited Bob, Carol to Room A'],
    ['non-array fields become empty, unknown tokens stay', 'system', J({ template: ' {from_user} joined {unknown} {to_chatters}', from_user: 'x' }), 'joined {unknown}'],
    ['empty strings dropped from lists', 'system', J({ template: '{from_user}!', from_user: ['', 'A', 5, 'B'] }), 'A, B!'],
    ['divider text', 'system', J({ template: '— {divider_text} —', divider_text: { text: 'new messages' } }), '— new messages —'],
    ['divider missing', 'system', J({ template: '[{divider_text}]' }), '[]'],
    ['empty string field leaves the token', 'system', J({ template: 'by {operator}', operator: '' }), 'by {operator}'],
    ['no template', 'system', '{}', '[System message]'],
    ['invalid', 'system', 'x', '[Invalid system message JSON]'],
  ]);
});

describe('merge_forward', () => {
  const sub = (id: string, o: Record<string, unknown>) => ({ message_id: id, msg_type: 'text', ...o });
  const items = [
    sub('om_c', { msg_type: 'merge_forward' }),
    sub('s2', { create_time: '1710500040000', sender: { id: 'ou_bob' }, msg_type: 'image', body: { content: J({ image_key: 'img_7' }) }, upper_message_id: 'om_c' }),
    sub('s1', { create_time: '1710500000000', sender: { id: 'ou_alice', name: 'Alice' }, body: { content: J({ text: 'hello\nworld @_user_1' }) }, mentions: [{ key: '@_user_1', name: 'Bob' }] }),
    sub('n1', { create_time: '1710500050000', msg_type: 'merge_forward', sender: {}, upper_message_id: 'om_c' }),
    sub('n1a', { create_time: '0', upper_message_id: 'n1', body: { content: J({ text: 'deep' }) } }),
    sub('n2', { create_time: '1710500060000', msg_type: 'merge_forward', upper_message_id: 'om_c' }),
    sub('f1', { create_time: '1710500070000', msg_type: '', upper_message_id: 'om_c', body: { content: J({ text: 'no type' }) } }),
  ];
  it('renders the tree: order by time, names, nesting, indentation, defaults', () => {
    expect(mergeForwardTree('om_c', items)).toBe(
      [
        '<forwarded_messages>',
        '[2024-03-15T18:53:20+08:00] Alice:',
        '    hello',
        '    world @Bob',
        '[2024-03-15T18:54:00+08:00] ou_bob:',
        '    [Image: img_7]',
        '[2024-03-15T18:54:10+08:00] unknown:',
        '    <forwarded_messages>',
        '    [unknown] unknown:',
        '        deep',
        '    </forwarded_messages>',
        '[2024-03-15T18:54:20+08:00] unknown:',
        '    <forwarded_messages/>',
        '[2024-03-15T18:54:30+08:00] unknown:',
        '    no type',
        '</forwarded_messages>',
      ].join('\n'),
    );
  });
  it('no children → <forwarded_messages/>', () => {
    expect(mergeForwardTree('om_c', [sub('om_c', { msg_type: 'merge_forward' })])).toBe('<forwarded_messages/>');
  });
  const lookup = (m: Record<string, unknown>) => (id: string) => m[id] as never;
  table([
    ['prefetched children', 'merge_forward', 'Merged', '<forwarded_messages>\n[2024-03-15T18:53:20+08:00] A:\n    x\n</forwarded_messages>', {
      messageId: 'om_m',
      mergeForward: lookup({ om_m: { items: [sub('c1', { create_time: '1710500000000', sender: { name: 'A' }, body: { content: J({ text: 'x' }) } })] } }),
    }],
    ['a prefetched empty list renders an empty tree', 'merge_forward', 'Merged', '<forwarded_messages/>', { messageId: 'om_m', mergeForward: lookup({ om_m: { items: [] } }) }],
    ['an empty inline answer falls back', 'merge_forward', J({ create_message_ids: ['a', 'b', 3] }), '[Merged forward: 2 messages]', { messageId: 'om_m', mergeForward: lookup({ om_m: { items: [], inline: true } }) }],
    ['fetch failure', 'merge_forward', 'Merged', '[Merged forward: fetch failed: HTTP 500]', { messageId: 'om_m', mergeForward: lookup({ om_m: { error: 'HTTP 500' } }) }],
    ['no network: ids in content', 'merge_forward', J({ create_message_ids: ['a'] }), '[Merged forward: 1 messages]'],
    ['no network: placeholder text', 'merge_forward', 'Merged and Forwarded Message', '[Merged forward]'],
  ]);
});

describe('helpers', () => {
  it.each([
    [500, '0s'],
    [1500, '2s'],
    [2500, '2s'],
    [3500, '4s'],
    [3499, '3s'],
    [61000, '61s'],
  ])('durationText(%i) = %s', (ms, s) => expect(durationText(ms)).toBe(s));
  it('goQuote escapes like Go %q', () => {
    expect(goQuote('a"b\\c\n\t\u0001é😀\u00a0')).toBe('"a\\"b\\\\c\\n\\t\\x01é😀\\u00a0"');
  });
  it('resolveMentionKeys replaces every occurrence', () => {
    expect(resolveMentionKeys('@k @k', new Map([['@k', 'K']]))).toBe('@K @K');
  });
});
