/**
 * Interactive card rendering (docs/shortcuts-read.md): legacy converter, schema-2 header/body
 * and every element rule of the element table, one row each.
 */
import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/render/card.js';

const J = (v: unknown) => JSON.stringify(v);
/** A schema-2 card with the given body elements (and optional attachment), rendered. */
function card(elements: unknown[], attachment?: unknown, mentions?: unknown[]): string {
  return renderCard(J({ json_card: J({ body: { elements } }), json_attachment: attachment }), mentions);
}
/** The body rendering of one element. */
function one(el: unknown, attachment?: unknown, mentions?: unknown[]): string {
  const out = card([el], attachment, mentions);
  expect(out.startsWith('<card>\n')).toBe(true);
  expect(out.endsWith('</card>')).toBe(true);
  return out.slice('<card>\n'.length, -'</card>'.length).replace(/\n$/, '');
}

describe('top level', () => {
  it.each([
    ['unparseable content', 'nope', '[interactive card]'],
    ['legacy: header title and elements', J({ header: { title: { content: 'Alert' } }, elements: [{ tag: 'markdown', content: '**md**' }, { tag: 'div', text: { content: 'div text' }, content: 'div content' }] }), '**Alert**\n**md**\ndiv text\ndiv content'],
    ['legacy: body.elements when no top-level elements', J({ body: { elements: [{ tag: 'plain_text', content: 'p' }, { tag: 'lark_md', text: { content: 'l' } }] } }), 'p\nl'],
    ['legacy: column_set columns and nested elements are walked', J({ elements: [{ tag: 'column_set', columns: [{ elements: [{ tag: 'markdown', content: 'c1' }] }, { elements: [{ tag: 'div', text: { content: 'c2' } }] }] }, { tag: 'x', elements: [{ tag: 'markdown', content: 'nested' }] }] }), 'c1\nc2\nnested'],
    ['legacy: markdown is not recursed', J({ elements: [{ tag: 'markdown', content: 'm', elements: [{ tag: 'markdown', content: 'inner' }] }] }), 'm'],
    ['legacy: nothing → placeholder', J({ elements: [{ tag: 'img' }] }), '[interactive card]'],
    ['schema 2: unparseable json_card', J({ json_card: '{bad' }), '<card>\n[Unable to parse card content]\n</card>'],
    ['schema 2: empty card', J({ json_card: '{}' }), '<card>\n</card>'],
    ['schema 2: title and subtitle (property form), tags', J({ json_card: J({ header: { property: { title: { content: 'T "1"' }, subtitle: { content: 'S' }, textTagList: [{ tag: 'text_tag', text: { content: 'new' } }, { tag: 'text_tag', text: 'hot' }] } } }) }), '<card title="T \\"1\\"" subtitle="S">\n「new」 「hot」\n</card>'],
    ['schema 2: flat title only', J({ json_card: J({ header: { title: { i18nContent: { en_us: 'Hello', zh_cn: '' } } } }) }), '<card title="Hello">\n</card>'],
    ['schema 2: subtitle only', J({ json_card: J({ header: { subtitle: 'Sub' } }) }), '<card subtitle="Sub">\n</card>'],
    ['schema 2: body.property.elements preferred', J({ json_card: J({ body: { property: { elements: [{ tag: 'hr' }] }, elements: [{ tag: 'br' }] } }) }), '<card>\n---\n</card>'],
    ['schema 2: attachment given as a JSON string', J({ json_card: J({ body: { elements: [{ tag: 'person', userID: 'u1' }] } }), json_attachment: J({ persons: { u1: { content: 'Pat' } } }) }), '<card>\nPat\n</card>'],
    ['schema 2: invalid attachment string is ignored', J({ json_card: J({ body: { elements: [{ tag: 'person', userID: 'u1' }] } }), json_attachment: '{x' }), '<card>\nu1\n</card>'],
  ])('%s', (_n, raw, expected) => expect(renderCard(raw, undefined)).toBe(expected));
});

describe('text extraction T()', () => {
  it.each([
    ['string', { tag: 'text_tag', text: 'plain' }, '「plain」'],
    ['i18n zh_cn first', { tag: 'text_tag', text: { i18nContent: { en_us: 'en', zh_cn: 'zh' } } }, '「zh」'],
    ['i18n ja_jp last', { tag: 'text_tag', text: { i18nContent: { ja_jp: 'ja' } } }, '「ja」'],
    ['content', { tag: 'text_tag', text: { content: 'c', text: 't' } }, '「c」'],
    ['property wrapper', { tag: 'text_tag', text: { property: { content: 'pc' } } }, '「pc」'],
    ['elements concatenated', { tag: 'text_tag', text: { elements: ['a', { content: 'b' }] } }, '「ab」'],
    ['text field', { tag: 'text_tag', text: { text: 't' } }, '「t」'],
    ['nothing', { tag: 'text_tag', text: { x: 1 } }, ''],
  ])('%s', (_n, el, expected) => expect(one(el)).toBe(expected));
});

describe('elements', () => {
  const att = {
    persons: { u1: { content: 'Pat' } },
    at_users: { u2: { content: 'Orig', user_id: 'x2', mention_key: '@_user_1' }, u3: { content: 'Sam', user_id: 'x3' }, u4: { user_id: 'x4' } },
    option_users: { ou_o: { content: 'Opt User' } },
    images: { i1: { origin_key: 'img_o1' }, i2: { token: 'tok2' } },
  };
  const mentions = [{ key: '@_user_1', id: { open_id: 'ou_real' }, name: 'Real Name' }];
  const btnUrl = [{ type: 'open_url', action: { url: 'https://go' } }];
  it.each([
    ['plain_text styled (bold outermost)', { tag: 'plain_text', content: 'x', textStyle: { attributes: ['bold', 'strikethrough', 'italic'] } }, '***~~x~~***'],
    ['text empty', { tag: 'text', content: '' }, ''],
    ['text via property', { tag: 'text', property: { content: 'p' } }, 'p'],
    ['markdown elements concatenated', { tag: 'markdown', elements: [{ tag: 'text', content: 'a' }, { tag: 'code_span', content: 'b' }] }, 'a`b`'],
    ['markdown content', { tag: 'markdown', content: 'md' }, 'md'],
    ['markdown_v1 fallback element', { tag: 'markdown_v1', fallback: { tag: 'text', content: 'fb' }, content: 'c' }, 'fb'],
    ['markdown_v1 content', { tag: 'markdown_v1', content: 'c' }, 'c'],
    ['div: notation text, fields, extra', { tag: 'div', text: { tag: 'plain_text', content: 'note', textStyle: { size: 'notation' } }, fields: [{ text: { tag: 'text', content: 'f1' } }, { text: { tag: 'text', content: 'f2' } }], extra: { tag: 'button', text: { content: 'Go' } } }, '📝 note\nf1\nf2\n[Go]'],
    ['note', { tag: 'note', elements: [{ tag: 'text', content: 'a' }, { tag: 'text', content: 'b' }] }, '📝 a b'],
    ['note empty', { tag: 'note', elements: [] }, ''],
    ['hr', { tag: 'hr' }, '---'],
    ['br is a newline', { tag: 'br' }, '\n'],
    ['markdown_v1 elements first', { tag: 'markdown_v1', elements: [{ tag: 'text', content: 'e1' }, { tag: 'emoji', key: 'OK' }], fallback: { tag: 'text', content: 'fb' } }, 'e1👌'],
    ['column_set of texts: blank line', { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'text', content: 'L1' }, { tag: 'text', content: 'L2' }] }, { tag: 'column', elements: [{ tag: 'text', content: 'R' }] }] }, 'L1\nL2\n\nR'],
    ['column_set of buttons: one row', { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'button', text: { content: 'A' } }] }, { tag: 'column', elements: [{ tag: 'button', text: { content: 'B' }, actions: btnUrl }] }] }, '[A] [B](https://go)'],
    ['person from attachment', { tag: 'person', userID: 'u1' }, 'Pat'],
    ['person notation fallback', { tag: 'person', userID: 'u9', notation: { content: 'N' } }, 'N'],
    ['person bare id', { tag: 'person', userID: 'u9' }, 'u9'],
    ['person without id', { tag: 'person' }, ''],
    ['person_v1 has no notation fallback', { tag: 'person_v1', userID: 'u9', notation: { content: 'N' } }, 'u9'],
    ['person_list', { tag: 'person_list', persons: [{ id: 'u1' }, { id: 'u9' }, {}] }, 'Pat, u9, user'],
    ['avatar named', { tag: 'avatar', userID: 'u1' }, '👤 Pat'],
    ['avatar id', { tag: 'avatar', userID: 'u9' }, '👤(id:u9)'],
    ['avatar bare', { tag: 'avatar' }, '👤'],
    ['at: mention wins name and open id', { tag: 'at', userID: 'u2' }, '@Real Name(ou_real)'],
    ['at: attachment name with userID', { tag: 'at', userID: 'u3' }, '@Sam(u3)'],
    ['at: no name', { tag: 'at', userID: 'u4' }, '@u4'],
    ['at_all', { tag: 'at_all' }, '@everyone'],
    ['button default text', { tag: 'button' }, '[Button]'],
    ['button url, link text escaped', { tag: 'button', text: { content: 'Open [x]' }, actions: [{ type: 'callback' }, ...btnUrl] }, '[Open \\[x\\]](https://go)'],
    ['button disabled with tips', { tag: 'button', text: { content: 'No' }, disabled: true, disabledTips: { content: 'locked' }, actions: btnUrl }, '[No ✗](tips:"locked")'],
    ['button confirm', { tag: 'button', text: { content: 'Del' }, confirm: { title: { content: 'Sure?' }, text: 'gone' } }, '[Del](confirm:"Sure?: gone")'],
    ['actions joined by space', { tag: 'action', actions: [{ tag: 'button', text: { content: 'A' } }, { tag: 'button', text: { content: 'B' } }] }, '[A] [B]'],
    ['overflow', { tag: 'overflow', options: [{ text: { content: 'Web' }, actions: btnUrl }, { text: { content: 'Val' }, value: 'v1' }, { text: { content: 'Plain' } }, { value: 'skipped' }] }, '⋮ [Web](https://go), Val(v1), Plain'],
    ['select: initialOption selected', { tag: 'select_static', options: [{ text: { content: 'A' }, value: 'a' }, { text: { content: 'B' }, value: 'b' }], initialOption: 'b' }, '{A / ✓B}'],
    ['select: initialIndex', { tag: 'select_static', options: [{ text: { content: 'A' }, value: 'a' }, { text: { content: 'B' }, value: 'b' }], initialIndex: 0 }, '{✓A / B}'],
    ['select: none selected → ▼ on the last', { tag: 'select_person', options: [{ value: 'ou_o' }, { value: 'ou_raw' }] }, '{Opt User / ou_raw ▼}'],
    ['select: no options → placeholder', { tag: 'select_static', placeholder: { content: 'Pick' } }, '{Pick ▼}'],
    ['select: no options, default placeholder', { tag: 'select_static' }, '{Please select ▼}'],
    ['multi select', { tag: 'multi_select_static', options: [{ text: { content: 'A' }, value: 'a' }, { text: { content: 'B' }, value: 'b' }], selectedValues: ['a', 'b'] }, '{✓A / ✓B}(multi)'],
    ['multi select none', { tag: 'multi_select_person', options: [{ text: { content: 'A' }, value: 'a' }] }, '{A ▼}(multi)'],
    ['select_img', { tag: 'select_img', options: [{ value: 'v1', imageID: 'i1' }, { imageID: 'i2' }, { value: 'v3' }], selectedValues: ['v3'] }, '{🖼️ Image 1(v1)(img_key:img_o1) / 🖼️ Image 2(img_token:tok2) / ✓🖼️ Image 3(v3)}'],
    ['input default value with label', { tag: 'input', label: { content: 'Name' }, defaultValue: 'Bo' }, 'Name: Bo___'],
    ['input placeholder', { tag: 'input', placeholder: { content: 'type' } }, 'type_____'],
    ['input multiline', { tag: 'input', inputType: 'multiline_text' }, '...'],
    ['date_picker ms → UTC', { tag: 'date_picker', initialDate: '1710500000000' }, '📅 2024-03-15T10:53:20Z'],
    ['picker_time seconds → UTC', { tag: 'picker_time', initialTime: '1710500000' }, '🕐 2024-03-15T10:53:20Z'],
    ['picker_datetime other text unchanged', { tag: 'picker_datetime', initialDatetime: '2024-03-15 10:00' }, '📅 2024-03-15 10:00'],
    ['date_picker placeholder', { tag: 'date_picker', placeholder: { content: 'When?' } }, '📅 When?'],
    ['date_picker default', { tag: 'date_picker' }, '📅 Select'],
    ['checker checked', { tag: 'checker', checked: true, text: { content: 'done' } }, '[x] done'],
    ['checker unchecked', { tag: 'checker', text: { content: 'todo' } }, '[ ] todo'],
    ['img with origin key and title', { tag: 'img', imageID: 'i1', alt: { content: 'alt' }, title: { content: 'title' } }, '🖼️ title(img_key:img_o1)'],
    ['image with token and alt', { tag: 'image', imageID: 'i2', alt: { content: 'alt' } }, '🖼️ alt(img_token:tok2)'],
    ['img unknown id', { tag: 'img', imageID: 'i9' }, '🖼️ Image(img_key:i9)'],
    ['img_combination', { tag: 'img_combination', imgList: [{ imageID: 'i1' }, { imageID: 'i2' }, { imageID: 'i9' }, {}] }, '🖼️ 4 image(s)(keys:img_o1,tok2,i9)'],
    [
      'table',
      { tag: 'table', columns: [{ name: 'a', displayName: 'A' }, { name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'e' }], rows: [{ a: { data: 'txt' }, b: { data: 1.5 }, c: { data: [{ text: 'x' }, { text: 'y' }] }, d: { data: { content: 'obj' } }, e: { data: '[map[text:VIP] map[text:Premium plus]]' } }, { a: {} }] },
      '| A | b | c | d | e |\n|------|------|------|------|------|\n| txt | 1.5 | 「x」 「y」 | obj | VIP, Premium plus |\n|  |  |  |  |  |',
    ],
    ['chart with title and type, x:y summary', { tag: 'chart', chartSpec: { title: { text: 'Sales' }, type: 'bar', xField: 'm', yField: 'v', data: { values: [{ m: 'Jan', v: 1 }, { m: 'Feb', v: 2.5 }] } } }, '📊 Sales (Bar chart)\nSummary: Jan:1, Feb:2.5'],
    ['chart type name only; series data; pie', { tag: 'chart', chartSpec: { type: 'pie', categoryField: 'k', valueField: 'n', data: [{ values: [{ k: 'a', n: 1 }] }, { values: [{ k: 'b' }] }] } }, '📊 Pie chart\nSummary: a:1, b:<nil>'],
    ['chart without fields → count', { tag: 'chart', chartSpec: { type: 'line', data: { values: [1, 2, 3] } } }, '📊 Line chart\nSummary: 3 data point(s)'],
    ['chart unknown type', { tag: 'chart', chartSpec: { type: 'sankey', data: { values: [{}] } } }, '📊 Chart\nSummary: 1 data point(s)'],
    ['audio', { tag: 'audio', audioID: 'au1' }, '🎵 Audio(key:au1)'],
    ['video', { tag: 'video', fileID: 'v1', videoID: 'v2' }, '🎬 Video(key:v1)'],
    ['video without key', { tag: 'video' }, '🎬 Video'],
    ['collapsible_panel expanded', { tag: 'collapsible_panel', expanded: true, header: { title: { content: 'More' } }, elements: [{ tag: 'text', content: 'l1\n\nl2' }] }, '▼ More\n    l1\n    l2\n▲'],
    ['collapsible_panel collapsed default title', { tag: 'collapsible_panel' }, '▶ Details\n▲'],
    ['form', { tag: 'form', elements: [{ tag: 'input' }] }, '<form>\n_____\n</form>'],
    ['interactive_container with url', { tag: 'interactive_container', actions: btnUrl, elements: [{ tag: 'text', content: 'x' }] }, '<clickable url="https://go">\nx\n</clickable>'],
    ['interactive_container without url', { tag: 'interactive_container', actions: [{ type: 'callback' }] }, '<clickable>\n\n</clickable>'],
    ['text_tag empty', { tag: 'text_tag' }, ''],
    ['number_tag with url', { tag: 'number_tag', text: { content: '42' }, url: { url: 'https://n' } }, '[42](https://n)'],
    ['number_tag', { tag: 'number_tag', text: '7' }, '7'],
    ['link', { tag: 'link', content: 'Docs', url: { url: 'https://d' } }, '[Docs](https://d)'],
    ['link default text', { tag: 'link', url: { url: 'https://d' } }, '[Link](https://d)'],
    ['link without url', { tag: 'link', content: 'Docs' }, 'Docs'],
    ['emoji known', { tag: 'emoji', key: 'THUMBSUP' }, '👍'],
    ['emoji other', { tag: 'emoji', key: 'ROCKET' }, ':ROCKET:'],
    ['local_datetime ms number', { tag: 'local_datetime', milliseconds: 1710500000000 }, '2024-03-15T10:53:20Z'],
    ['local_datetime fallback', { tag: 'local_datetime', milliseconds: 'x', fallbackText: 'soon' }, 'soon'],
    ['list', { tag: 'list', items: [{ level: 0, type: 'ul', elements: [{ tag: 'text', content: 'a' }] }, { level: 1, type: 'ol', order: 2, elements: [{ tag: 'text', content: 'b' }] }] }, '- a\n  2. b'],
    ['blockquote', { tag: 'blockquote', content: 'q1\nq2' }, '> q1\n> q2'],
    ['blockquote from elements', { tag: 'blockquote', elements: [{ tag: 'text', content: 'e' }] }, '> e'],
    ['code_block', { tag: 'code_block', contents: [{ contents: [{ content: 'a = 1\n' }] }, { contents: [{ content: 'b' }] }] }, '```plaintext\na = 1\nb```'],
    ['code_block language', { tag: 'code_block', language: 'py', contents: [] }, '```py\n```'],
    ['code_span', { tag: 'code_span', content: 'x' }, '`x`'],
    ['heading clamped', { tag: 'heading', level: 9, content: 'H' }, '###### H'],
    ['heading default level', { tag: 'heading', elements: [{ tag: 'text', content: 'E' }] }, '# E'],
    ['fallback_text', { tag: 'fallback_text', text: { content: 'ft' } }, 'ft'],
    ['repeat', { tag: 'repeat', elements: [{ tag: 'text', content: 'r1' }, { tag: 'text', content: 'r2' }] }, 'r1\nr2'],
    ['card_header renders nothing', { tag: 'card_header', content: 'x' }, ''],
    ['unknown tag: first text-like field', { tag: 'mystery', label: { content: 'L' }, placeholder: 'P' }, 'L'],
    ['unknown tag: elements', { tag: 'mystery', elements: [{ tag: 'text', content: 'in' }] }, 'in'],
    ['unknown tag: placeholder', { tag: 'mystery' }, '[Unknown content]'],
  ])('%s', (_n, el, expected) => expect(one(el, att, mentions)).toBe(expected));

  it('drops empty renderings between body elements', () => {
    expect(card([{ tag: 'text', content: 'a' }, { tag: 'custom_icon' }, 'junk', { tag: 'text', content: 'b' }])).toBe('<card>\na\nb\n</card>');
  });
});
