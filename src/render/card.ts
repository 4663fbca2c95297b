/**
 * Interactive card rendering (docs/shortcuts-read.md): the legacy converter and the schema-2
 * converter for `raw_card_content` (`json_card` + `json_attachment`), concise mode.
 */
import { goValueText, isPlainObject, JsonNumber } from '../core/json.js';
import { formatRfc3339Utc } from '../core/time.js';
import { arr, attrEsc, escLink, obj, parseObject, str, type Obj } from './util.js';

const EMOJI: Record<string, string> = {
  OK: '👌',
  THUMBSUP: '👍',
  SMILE: '😊',
  HEART: '❤️',
  CLAP: '👏',
  FIRE: '🔥',
  PARTY: '🎉',
  THINK: '🤔',
};

const CHART_TYPES: Record<string, string> = {
  bar: 'Bar chart',
  line: 'Line chart',
  pie: 'Pie chart',
  area: 'Area chart',
  radar: 'Radar chart',
  scatter: 'Scatter plot',
};

const FALLBACK = '[interactive card]';

export function renderCard(raw: string, mentions: unknown[] | undefined): string {
  const p = parseObject(raw);
  if (!p.ok) return FALLBACK;
  const parsed = p.obj ?? {};
  if (typeof parsed.json_card === 'string') {
    let attachment: Obj | undefined;
    const att = parsed.json_attachment;
    if (typeof att === 'string' && att !== '') {
      const a = parseObject(att);
      if (a.ok && a.obj) attachment = a.obj;
    } else if (isPlainObject(att)) attachment = att;
    const byKey = new Map<string, Obj>();
    for (const m of mentions ?? []) {
      if (isPlainObject(m) && str(m, 'key')) byKey.set(str(m, 'key'), m);
    }
    const out = new CardConverter(attachment, byKey).convert(parsed.json_card);
    return out === '' ? FALLBACK : out;
  }
  return legacyCard(parsed);
}

// ---------------------------------------------------------------------------
// Legacy

function legacyCard(parsed: Obj): string {
  const texts: string[] = [];
  const title = str(obj(obj(parsed, 'header'), 'title'), 'content');
  if (title) texts.push(`**${title}**`);
  const elements = arr(parsed, 'elements') ?? arr(obj(parsed, 'body'), 'elements') ?? [];
  legacyWalk(elements, texts);
  return texts.length ? texts.join('\n') : FALLBACK;
}

function legacyWalk(elements: unknown[], out: string[]): void {
  for (const el of elements) {
    if (!isPlainObject(el)) continue;
    const tag = str(el, 'tag');
    if (tag === 'markdown') {
      if (typeof el.content === 'string') out.push(el.content);
      continue;
    }
    if (tag === 'div' || tag === 'plain_text' || tag === 'lark_md') {
      const t = str(obj(el, 'text'), 'content');
      if (t) out.push(t);
      const c = str(el, 'content');
      if (c) out.push(c);
    }
    if (tag === 'column_set') {
      for (const col of arr(el, 'columns') ?? []) {
        const els = arr(col, 'elements');
        if (els) legacyWalk(els, out);
      }
    }
    const els = arr(el, 'elements');
    if (els) legacyWalk(els, out);
  }
}

// ---------------------------------------------------------------------------
// Schema 2

function numberText(v: number): string {
  // strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent
  if (Number.isInteger(v)) return BigInt(v).toString();
  const s = String(v);
  if (!/e/i.test(s)) return s;
  return v.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** Go `[map[text:A] map[text:B]]` cell strings → `['A', 'B']`, else undefined. */
function goMapArrayTexts(s: string): string[] | undefined {
  if (!s.startsWith('[') || !s.includes('map[')) return undefined;
  const texts: string[] = [];
  let rest = s;
  for (;;) {
    const idx = rest.indexOf('text:');
    if (idx < 0) break;
    const after = rest.slice(idx + 5);
    const bracket = after.indexOf(']');
    const nk = / [a-zA-Z_][a-zA-Z0-9_]*:/.exec(after);
    let end: number;
    if (nk && (bracket < 0 || nk.index < bracket)) end = nk.index;
    else if (bracket >= 0) end = bracket;
    else {
      if (after !== '') texts.push(after);
      break;
    }
    const val = after.slice(0, end);
    if (val !== '') texts.push(val);
    rest = after.slice(end);
  }
  return texts.length ? texts : undefined;
}

/** Card date normalisation: 13+ digits → ms, 10–12 digits → seconds, as UTC RFC 3339; else unchanged. */
function normalizeCardTime(input: string): string {
  if (/^[+-]?\d+$/.test(input)) {
    const n = Number(input);
    if (Number.isSafeInteger(n)) {
      if (input.length >= 13) return formatRfc3339Utc(n);
      if (input.length >= 10) return formatRfc3339Utc(n * 1000);
    }
  }
  return input;
}

/** One tag's rendering: the converter, the element's property object, the element, its tag. */
type TagRenderer = (r: CardConverter, p: Obj, el: Obj, tag: string) => string;

class CardConverter {
  constructor(
    private readonly attachment: Obj | undefined,
    private readonly mentionsByKey: Map<string, Obj>,
  ) {}

  convert(jsonCard: string): string {
    const p = parseObject(jsonCard);
    if (!p.ok) return '<card>\n[Unable to parse card content]\n</card>';
    const card = p.obj ?? {};
    const header = obj(card, 'header');
    const title = header ? this.headerText(header, 'title') : '';
    const subtitle = header ? this.headerText(header, 'subtitle') : '';
    const tags = header ? this.headerTags(header) : '';
    const bodyObj = obj(card, 'body');
    const body = bodyObj ? this.body(bodyObj) : '';
    let out: string;
    if (title && subtitle) out = `<card title="${attrEsc(title)}" subtitle="${attrEsc(subtitle)}">\n`;
    else if (title) out = `<card title="${attrEsc(title)}">\n`;
    else if (subtitle) out = `<card subtitle="${attrEsc(subtitle)}">\n`;
    else out = '<card>\n';
    if (tags) out += tags + '\n';
    if (body) out += body + '\n';
    return out + '</card>';
  }

  private headerText(header: Obj, key: string): string {
    const prop = obj(header, 'property');
    if (prop && key in prop) return this.text(prop[key]);
    if (key in header) return this.text(header[key]);
    return '';
  }

  private headerTags(header: Obj): string {
    const prop = obj(header, 'property') ?? header;
    const list = arr(prop, 'textTagList');
    if (!list) return '';
    const tags: string[] = [];
    for (const t of list) {
      if (!isPlainObject(t)) continue;
      const r = this.element(t);
      if (r) tags.push(r);
    }
    return tags.join(' ');
  }

  private body(body: Obj): string {
    let els = arr(obj(body, 'property'), 'elements');
    if (!els || els.length === 0) els = arr(body, 'elements');
    if (!els || els.length === 0) return '';
    return this.elements(els);
  }

  /** Renderings joined by `\n`, empty ones dropped. */
  private elements(els: unknown[], sep = '\n'): string {
    const out: string[] = [];
    for (const el of els) {
      if (!isPlainObject(el)) continue;
      const r = this.element(el);
      if (r) out.push(r);
    }
    return out.join(sep);
  }

  /** T(v): text extraction. */
  text(v: unknown): string {
    if (typeof v === 'string') return v;
    if (!isPlainObject(v)) return '';
    const prop = obj(v, 'property') ?? v;
    const i18n = obj(prop, 'i18nContent');
    if (i18n) {
      for (const l of ['zh_cn', 'en_us', 'ja_jp']) {
        const t = str(i18n, l);
        if (t) return t;
      }
    }
    if (typeof prop.content === 'string') return prop.content;
    const els = arr(prop, 'elements');
    if (els && els.length > 0) return els.map((e) => this.text(e)).filter(Boolean).join('');
    if (typeof prop.text === 'string') return prop.text;
    return '';
  }

  private objText(o: Obj, key: string): string {
    const v = obj(o, key);
    return v ? this.text(v) : '';
  }

  /**
   * Each element tag and its rendering (`p`: the element's `property`, or the element itself);
   * a tag not listed here renders through `unknown`.
   */
  private static readonly TAGS: Record<string, TagRenderer> = {
    plain_text: (r, p) => r.plainText(p),
    text: (r, p) => r.plainText(p),
    markdown: (r, p) => r.markdown(p),
    markdown_v1: (r, p, el) => {
      const els = arr(p, 'elements');
      if (els && els.length) return r.inline(els);
      const fb = obj(el, 'fallback');
      if (fb) return r.element(fb);
      return str(p, 'content');
    },
    div: (r, p) => r.div(p),
    note: (r, p) => {
      const els = arr(p, 'elements') ?? [];
      const texts = els.filter(isPlainObject).map((e) => r.element(e)).filter(Boolean);
      return texts.length ? '📝 ' + texts.join(' ') : '';
    },
    hr: () => '---',
    br: () => '\n',
    column_set: (r, p) => {
      const cols = arr(p, 'columns') ?? [];
      const rs = cols.filter(isPlainObject).map((c) => r.element(c)).filter(Boolean);
      if (rs.length === 0) return '';
      const buttons = rs.every((x) => x.startsWith('[') && !x.includes('\n'));
      return rs.join(buttons ? ' ' : '\n\n');
    },
    column: (r, p) => r.elements(arr(p, 'elements') ?? []),
    repeat: (r, p) => r.elements(arr(p, 'elements') ?? []),
    person: (r, p, _el, tag) => r.person(p, tag),
    person_v1: (r, p, _el, tag) => r.person(p, tag),
    person_list: (r, p) => {
      const persons = arr(p, 'persons') ?? [];
      if (persons.length === 0) return '';
      return persons
        .filter(isPlainObject)
        .map((x) => {
          const id = str(x, 'id');
          return r.personName(id) || id || 'user';
        })
        .join(', ');
    },
    avatar: (r, p) => {
      const id = str(p, 'userID');
      const name = r.personName(id);
      if (name) return '👤 ' + name;
      return id ? `👤(id:${id})` : '👤';
    },
    at: (r, p) => r.at(p),
    at_all: () => '@everyone',
    button: (r, p) => r.button(p),
    actions: (r, p) => r.elements(arr(p, 'actions') ?? [], ' '),
    action: (r, p) => r.elements(arr(p, 'actions') ?? [], ' '),
    overflow: (r, p) => r.overflow(p),
    select_static: (r, p) => r.select(p, false),
    select_person: (r, p) => r.select(p, false),
    multi_select_static: (r, p) => r.select(p, true),
    multi_select_person: (r, p) => r.select(p, true),
    select_img: (r, p) => r.selectImg(p),
    input: (r, p) => r.input(p),
    date_picker: (r, p) => r.picker(p, '📅', 'initialDate'),
    picker_time: (r, p) => r.picker(p, '🕐', 'initialTime'),
    picker_datetime: (r, p) => r.picker(p, '📅', 'initialDatetime'),
    checker: (r, p) => `${p.checked === true ? '[x]' : '[ ]'} ${r.objText(p, 'text')}`,
    img: (r, p) => r.image(p),
    image: (r, p) => r.image(p),
    img_combination: (r, p) => r.imgCombination(p),
    table: (r, p) => r.table(p),
    chart: (r, p) => r.chart(p),
    audio: (r, p) => {
      const id = str(p, 'fileID') || str(p, 'audioID');
      return '🎵 Audio' + (id ? `(key:${id})` : '');
    },
    video: (r, p) => {
      const id = str(p, 'fileID') || str(p, 'videoID');
      return '🎬 Video' + (id ? `(key:${id})` : '');
    },
    collapsible_panel: (r, p) => r.panel(p),
    form: (r, p) => `<form>\n${r.elements(arr(p, 'elements') ?? [])}\n</form>`,
    interactive_container: (r, p) => r.container(p),
    text_tag: (r, p) => {
      const t = r.text(p.text);
      return t ? `「${t}」` : '';
    },
    number_tag: (r, p) => {
      const t = r.text(p.text);
      if (!t) return '';
      const url = str(obj(p, 'url'), 'url');
      return url ? `[${escLink(t)}](${url})` : t;
    },
    link: (r, p) => {
      const content = str(p, 'content') || 'Link';
      const url = str(obj(p, 'url'), 'url');
      return url ? `[${escLink(content)}](${url})` : content;
    },
    emoji: (r, p) => {
      const key = str(p, 'key');
      return EMOJI[key] ?? `:${key}:`;
    },
    local_datetime: (r, p) => {
      const v = p.milliseconds;
      let ms = '';
      if (typeof v === 'string') ms = v;
      else if (typeof v === 'number' || v instanceof JsonNumber) ms = String(Math.trunc(Number(v)));
      if (ms !== '' && /^[+-]?\d+$/.test(ms) && Number.isSafeInteger(Number(ms))) return formatRfc3339Utc(Number(ms));
      return str(p, 'fallbackText');
    },
    list: (r, p) => r.list(p),
    blockquote: (r, p) => {
      const content = typeof p.content === 'string' ? p.content : arr(p, 'elements') ? r.inline(arr(p, 'elements')!) : '';
      if (!content) return '';
      return content
        .split('\n')
        .map((l) => '> ' + l)
        .join('\n');
    },
    code_block: (r, p) => {
      const lang = str(p, 'language') || 'plaintext';
      let code = '';
      for (const line of arr(p, 'contents') ?? []) {
        for (const c of arr(line, 'contents') ?? []) {
          if (isPlainObject(c) && typeof c.content === 'string') code += c.content;
        }
      }
      return '```' + lang + '\n' + code + '```';
    },
    code_span: (r, p) => '`' + str(p, 'content') + '`',
    heading: (r, p) => {
      let level = 1;
      const l = p.level;
      if (typeof l === 'number') level = Math.min(6, Math.max(1, Math.trunc(l)));
      const content = typeof p.content === 'string' ? p.content : arr(p, 'elements') ? r.inline(arr(p, 'elements')!) : '';
      return '#'.repeat(level) + ' ' + content;
    },
    fallback_text: (r, p) => {
      const t = obj(p, 'text');
      if (t) return r.text(t);
      const els = arr(p, 'elements');
      return els ? r.inline(els) : '';
    },
    card_header: () => '',
    custom_icon: () => '',
    standard_icon: () => '',
  };

  element(el: Obj): string {
    const tag = str(el, 'tag');
    const p = obj(el, 'property') ?? el;
    const render = Object.hasOwn(CardConverter.TAGS, tag) ? CardConverter.TAGS[tag] : undefined;
    return render ? render(this, p, el, tag) : this.unknown(p);
  }

  /** `person` (the notation is its fallback name) and `person_v1`. */
  private person(p: Obj, tag: string): string {
    const id = str(p, 'userID');
    if (!id) return '';
    let name = this.personName(id);
    if (!name && tag === 'person') name = this.objText(p, 'notation');
    return name || id;
  }

  /** Inline (markdown) children concatenated without separator. */
  private inline(els: unknown[]): string {
    return els
      .filter(isPlainObject)
      .map((e) => this.element(e))
      .filter(Boolean)
      .join('');
  }

  private plainText(p: Obj): string {
    let c = str(p, 'content');
    if (!c) return '';
    const attrs = arr(obj(p, 'textStyle'), 'attributes') ?? [];
    if (attrs.includes('strikethrough')) c = `~~${c}~~`;
    if (attrs.includes('italic')) c = `*${c}*`;
    if (attrs.includes('bold')) c = `**${c}**`;
    return c;
  }

  private markdown(p: Obj): string {
    const els = arr(p, 'elements');
    if (els && els.length) return this.inline(els);
    return str(p, 'content');
  }

  private div(p: Obj): string {
    const out: string[] = [];
    const t = obj(p, 'text');
    if (t) {
      let r = this.element(t);
      if (r) {
        const tp = obj(t, 'property') ?? t;
        if (str(obj(tp, 'textStyle'), 'size') === 'notation') r = '📝 ' + r;
        out.push(r);
      }
    }
    const fields = arr(p, 'fields');
    if (fields) {
      const ft: string[] = [];
      for (const f of fields) {
        const te = obj(f, 'text');
        if (!te) continue;
        const r = this.element(te);
        if (r) ft.push(r);
      }
      if (ft.length) out.push(ft.join('\n'));
    }
    const extra = obj(p, 'extra');
    if (extra) {
      const r = this.element(extra);
      if (r) out.push(r);
    }
    return out.join('\n');
  }

  private personName(id: string): string {
    const person = obj(obj(this.attachment, 'persons'), id);
    return person && typeof person.content === 'string' ? person.content : '';
  }

  private at(p: Obj): string {
    const userID = str(p, 'userID');
    if (!userID) return '';
    let name = '';
    let actual = '';
    let fromMentions = false;
    const info = obj(obj(this.attachment, 'at_users'), userID);
    if (info) {
      name = str(info, 'content');
      actual = str(info, 'user_id');
      const key = str(info, 'mention_key');
      const mention = key ? this.mentionsByKey.get(key) : undefined;
      if (mention) {
        const n = str(mention, 'name');
        if (n) name = n;
        const id = mentionOpenId(mention.id);
        if (id) {
          actual = id;
          fromMentions = true;
        }
      }
    }
    if (name) return fromMentions && actual ? `@${name}(${actual})` : `@${name}(${userID})`;
    return '@' + userID;
  }

  private button(p: Obj): string {
    const text = this.objText(p, 'text') || 'Button';
    if (p.disabled === true) {
      let r = `[${text} ✗]`;
      const tips = this.objText(p, 'disabledTips');
      if (tips) r += `(tips:"${tips}")`;
      return r;
    }
    let r = `[${text}]`;
    for (const a of arr(p, 'actions') ?? []) {
      if (!isPlainObject(a) || a.type !== 'open_url') continue;
      const url = str(obj(a, 'action'), 'url');
      if (url) {
        r = `[${escLink(text)}](${url})`;
        break;
      }
    }
    const confirm = obj(p, 'confirm');
    if (confirm) {
      const parts: string[] = [];
      if ('title' in confirm) {
        const t = this.text(confirm.title);
        if (t) parts.push(t);
      }
      if ('text' in confirm) {
        const t = this.text(confirm.text);
        if (t) parts.push(t);
      }
      if (parts.length) r += `(confirm:"${parts.join(': ')}")`;
    }
    return r;
  }

  private overflow(p: Obj): string {
    const options = arr(p, 'options') ?? [];
    if (options.length === 0) return '';
    const texts: string[] = [];
    for (const o of options) {
      if (!isPlainObject(o)) continue;
      let text = this.objText(o, 'text');
      if (!text) continue;
      let url = '';
      for (const a of arr(o, 'actions') ?? []) {
        if (isPlainObject(a) && a.type === 'open_url') {
          const act = obj(a, 'action');
          if (act) url = str(act, 'url');
        }
      }
      const value = str(o, 'value');
      if (url) text = `[${escLink(text)}](${url})`;
      else if (value) text += `(${value})`;
      texts.push(text);
    }
    return '⋮ ' + texts.join(', ');
  }

  private select(p: Obj, multi: boolean): string {
    const options = arr(p, 'options') ?? [];
    const selected = new Set<string>();
    if (multi) {
      for (const v of arr(p, 'selectedValues') ?? []) if (typeof v === 'string') selected.add(v);
    } else {
      if (typeof p.initialOption === 'string') selected.add(p.initialOption);
      const idx = p.initialIndex;
      if (typeof idx === 'number') {
        const i = Math.trunc(idx);
        if (i >= 0 && i < options.length) {
          const v = options[i];
          if (isPlainObject(v) && typeof v.value === 'string') selected.add(v.value);
        }
      }
    }
    const labels: string[] = [];
    let hasSelected = false;
    for (const o of options) {
      if (!isPlainObject(o)) continue;
      const value = str(o, 'value');
      let label = this.objText(o, 'text');
      if (!label) label = this.optionUserName(value);
      if (!label) label = value;
      if (!label) continue;
      if (selected.has(value)) {
        label = '✓' + label;
        hasSelected = true;
      }
      labels.push(label);
    }
    if (labels.length === 0) labels.push((this.objText(p, 'placeholder') || 'Please select') + ' ▼');
    else if (!hasSelected) labels[labels.length - 1] += ' ▼';
    return `{${labels.join(' / ')}}` + (multi ? '(multi)' : '');
  }

  private optionUserName(id: string): string {
    const u = obj(obj(this.attachment, 'option_users'), id);
    return u && typeof u.content === 'string' ? u.content : '';
  }

  private imageRef(imageID: string): { originKey: string; token: string } {
    const img = obj(obj(this.attachment, 'images'), imageID);
    return { originKey: str(img, 'origin_key'), token: str(img, 'token') };
  }

  private selectImg(p: Obj): string {
    const options = arr(p, 'options') ?? [];
    if (options.length === 0) return '';
    const selected = new Set<string>();
    for (const v of arr(p, 'selectedValues') ?? []) if (typeof v === 'string') selected.add(v);
    const texts: string[] = [];
    options.forEach((o, i) => {
      if (!isPlainObject(o)) return;
      const value = str(o, 'value');
      let t = `🖼️ Image ${i + 1}`;
      if (value) t += `(${value})`;
      const imageID = str(o, 'imageID');
      if (imageID) {
        const { originKey, token } = this.imageRef(imageID);
        if (originKey) t += `(img_key:${originKey})`;
        else if (token) t += `(img_token:${token})`;
      }
      if (selected.has(value)) t = '✓' + t;
      texts.push(t);
    });
    return `{${texts.join(' / ')}}`;
  }

  private input(p: Obj): string {
    const label = this.objText(p, 'label');
    const def = str(p, 'defaultValue');
    const ph = this.objText(p, 'placeholder');
    let r = def ? def + '___' : ph ? ph + '_____' : '_____';
    if (label) r = `${label}: ${r}`;
    if (str(p, 'inputType') === 'multiline_text') r = r.split('_____').join('...');
    return r;
  }

  private picker(p: Obj, emoji: string, key: string): string {
    let value = str(p, key);
    if (value) value = normalizeCardTime(value);
    if (!value) value = this.objText(p, 'placeholder') || 'Select';
    return `${emoji} ${value}`;
  }

  private image(p: Obj): string {
    let alt = 'Image';
    const a = this.objText(p, 'alt');
    if (a) alt = a;
    const t = this.objText(p, 'title');
    if (t) alt = t;
    let r = '🖼️ ' + alt;
    const imageID = str(p, 'imageID');
    if (imageID) {
      const { originKey, token } = this.imageRef(imageID);
      r += originKey ? `(img_key:${originKey})` : token ? `(img_token:${token})` : `(img_key:${imageID})`;
    }
    return r;
  }

  private imgCombination(p: Obj): string {
    const list = arr(p, 'imgList') ?? [];
    if (list.length === 0) return '';
    let r = `🖼️ ${list.length} image(s)`;
    const keys: string[] = [];
    for (const img of list) {
      const id = str(img, 'imageID');
      if (!id) continue;
      const { originKey, token } = this.imageRef(id);
      keys.push(originKey || token || id);
    }
    if (keys.length) r += `(keys:${keys.join(',')})`;
    return r;
  }

  private table(p: Obj): string {
    const columns = arr(p, 'columns') ?? [];
    if (columns.length === 0) return '';
    const names: string[] = [];
    const keys: string[] = [];
    for (const c of columns) {
      if (!isPlainObject(c)) continue;
      const name = str(c, 'name');
      names.push(str(c, 'displayName') || name);
      keys.push(name);
    }
    const lines = [`| ${names.join(' | ')} |`, '|' + '------|'.repeat(names.length)];
    for (const row of arr(p, 'rows') ?? []) {
      if (!isPlainObject(row)) continue;
      const cells = keys.map((k) => {
        const cell = obj(row, k);
        if (!cell || cell.data === null || cell.data === undefined) return '';
        return this.cellValue(cell.data);
      });
      lines.push(`| ${cells.join(' | ')} |`);
    }
    return lines.join('\n');
  }

  private cellValue(data: unknown): string {
    if (typeof data === 'string') {
      const texts = goMapArrayTexts(data);
      return texts ? texts.join(', ') : data;
    }
    if (typeof data === 'number') return numberText(data);
    if (data instanceof JsonNumber) return numberText(Number(data.text));
    if (Array.isArray(data)) {
      return data
        .filter(isPlainObject)
        .filter((i) => typeof i.text === 'string')
        .map((i) => `「${i.text as string}」`)
        .join(' ');
    }
    if (isPlainObject(data)) return this.text(data);
    return '';
  }

  private chart(p: Obj): string {
    let title = 'Chart';
    let type = '';
    const spec = obj(p, 'chartSpec');
    if (spec) {
      const t = str(obj(spec, 'title'), 'text');
      if (t) title = t;
      const ct = str(spec, 'type');
      if (ct) {
        type = ct;
        const name = CHART_TYPES[ct];
        if (name) title = title !== 'Chart' ? `${title} (${name})` : name;
      }
    }
    const summary = spec ? chartSummary(spec, type) : '';
    return '📊 ' + title + (summary ? '\nSummary: ' + summary : '');
  }

  private panel(p: Obj): string {
    let title = 'Details';
    const header = obj(p, 'header');
    if (header && 'title' in header) {
      const t = this.text(header.title);
      if (t) title = t;
    }
    let out = `${p.expanded === true ? '▼' : '▶'} ${title}\n`;
    const els = arr(p, 'elements');
    if (els) {
      for (const line of this.elements(els).split('\n')) if (line !== '') out += '    ' + line + '\n';
    }
    return out + '▲';
  }

  private container(p: Obj): string {
    let url = '';
    const first = (arr(p, 'actions') ?? [])[0];
    if (isPlainObject(first) && first.type === 'open_url') url = str(obj(first, 'action'), 'url');
    let out = '<clickable' + (url ? ` url="${attrEsc(url)}"` : '') + '>\n';
    const els = arr(p, 'elements');
    if (els) out += this.elements(els);
    return out + '\n</clickable>';
  }

  private list(p: Obj): string {
    const items = arr(p, 'items') ?? [];
    const lines: string[] = [];
    for (const it of items) {
      if (!isPlainObject(it)) continue;
      const level = typeof it.level === 'number' ? Math.trunc(it.level) : 0;
      const order = typeof it.order === 'number' ? Math.floor(it.order) : 0;
      const marker = str(it, 'type') === 'ol' ? `${order}.` : '-';
      const els = arr(it, 'elements');
      if (els) lines.push(`${'  '.repeat(Math.max(0, level))}${marker} ${this.inline(els)}`);
    }
    return lines.join('\n');
  }

  private unknown(p: Obj): string {
    for (const k of ['content', 'text', 'title', 'label', 'placeholder']) {
      if (k in p) {
        const t = this.text(p[k]);
        if (t) return t;
      }
    }
    const els = arr(p, 'elements');
    if (els && els.length) return this.elements(els);
    return '[Unknown content]';
  }
}

function chartSummary(spec: Obj, type: string): string {
  let values: unknown[] = [];
  const data = spec.data;
  if (isPlainObject(data)) values = arr(data, 'values') ?? [];
  else if (Array.isArray(data)) for (const s of data) values.push(...(arr(s, 'values') ?? []));
  if (values.length === 0) return '';
  const pairs = (a: string, b: string) => {
    if (!a || !b) return `${values.length} data point(s)`;
    const parts = values.filter(isPlainObject).map((v) => `${goValueText(v[a])}:${goValueText(v[b])}`);
    return parts.length ? parts.join(', ') : `${values.length} data point(s)`;
  };
  if (type === 'line' || type === 'bar' || type === 'area') return pairs(str(spec, 'xField'), str(spec, 'yField'));
  if (type === 'pie') return pairs(str(spec, 'categoryField'), str(spec, 'valueField'));
  return `${values.length} data point(s)`;
}

/** A mention's id: the string itself, or `id.open_id` of an object, else `''`. */
export function mentionOpenId(id: unknown): string {
  if (typeof id === 'string') return id;
  if (isPlainObject(id) && typeof id.open_id === 'string') return id.open_id;
  return '';
}
