/**
 * Rich text (`post`) rendering (docs/shortcuts-read.md), also used for todo summaries.
 */
import { isPlainObject } from '../core/json.js';
import { arr, attrEsc, escLink, invalidJson, mentionKeyMap, obj, parseObject, resolveMentionKeys, str, type Obj } from './util.js';

/** Body selection: top level when it has `content` or `title`; else zh_cn/en_us/ja_jp; else the first object key (sorted). */
export function postBody(parsed: Obj): Obj | undefined {
  if ('content' in parsed || 'title' in parsed) return parsed;
  for (const loc of ['zh_cn', 'en_us', 'ja_jp']) {
    const v = obj(parsed, loc);
    if (v) return v;
  }
  for (const k of Object.keys(parsed).sort()) {
    const v = obj(parsed, k);
    if (v) return v;
  }
  return undefined;
}

function styled(text: string, style: unknown): string {
  if (text === '' || !Array.isArray(style) || style.length === 0) return text;
  const has = (n: string) => style.some((s) => s === n);
  let t = text;
  if (has('bold')) t = `**${t}**`;
  if (has('italic')) t = `*${t}*`;
  if (has('underline')) t = `<u>${t}</u>`;
  if (has('lineThrough')) t = `~~${t}~~`;
  return t;
}

/** One post element. */
export function renderPostElement(el: unknown): string {
  const e: Obj = isPlainObject(el) ? el : {};
  const tag = str(e, 'tag');
  switch (tag) {
    case 'text':
      return styled(str(e, 'text'), e.style);
    case 'a': {
      const text = str(e, 'text');
      const href = str(e, 'href');
      const r = href && text ? `[${escLink(text)}](${href})` : href ? href : text;
      return styled(r, e.style);
    }
    case 'at': {
      const id = str(e, 'user_id');
      const name = str(e, 'user_name');
      let r: string;
      if (id === '@_all' || id === 'all') r = '<at user_id="all"></at>';
      else if (name && id.startsWith('ou')) r = `<at user_id="${id}">${name}</at>`;
      else if (name) r = '@' + name;
      else r = '@' + id;
      return styled(r, e.style);
    }
    case 'emotion': {
      const emoji = str(e, 'emoji_type');
      return emoji ? `:${emoji}:` : '';
    }
    case 'md':
      return str(e, 'text');
    case 'img': {
      const key = str(e, 'image_key');
      return key ? `![Image](${key})` : '[Image]';
    }
    case 'media': {
      const key = str(e, 'file_key');
      return key ? `[Media: ${key}]` : '[Media]';
    }
    case 'code_block':
      return `\n\`\`\`${str(e, 'language')}\n${str(e, 'text')}\n\`\`\`\n`;
    case 'hr':
      return '\n---\n';
    default:
      return str(e, 'text');
  }
}

function paragraphLine(para: unknown): string {
  return (Array.isArray(para) ? para : []).map(renderPostElement).join('');
}

/** Plain text of post-style blocks, non-empty lines joined by `\n` (todo summaries). */
export function postBlocksText(blocks: unknown[]): string {
  return blocks
    .map(paragraphLine)
    .filter((l) => l !== '')
    .join('\n');
}

function attachmentLines(parsed: Obj): string {
  const files = arr(parsed, 'files');
  if (!files) return '';
  const lines: string[] = [];
  for (const f of files) {
    if (!isPlainObject(f)) continue;
    const key = str(f, 'file_key');
    if (!key) continue;
    const tag = f.is_folder === true ? 'folder' : 'file';
    const name = str(f, 'file_name');
    lines.push(name ? `<${tag} key="${attrEsc(key)}" name="${attrEsc(name)}"/>` : `<${tag} key="${attrEsc(key)}"/>`);
  }
  return lines.join('\n');
}

export function renderPost(raw: string, mentions: unknown[] | undefined): string {
  const p = parseObject(raw);
  if (!p.ok || p.obj === null) return invalidJson('rich text');
  const parsed = p.obj;
  const body = postBody(parsed);
  const parts: string[] = [];
  if (body) {
    const title = str(body, 'title');
    if (title) parts.push(title);
    const v2 = arr(body, 'content_v2');
    const blocks = v2 && v2.length > 0 ? v2 : (arr(body, 'content') ?? []);
    for (const para of blocks) parts.push(paragraphLine(para));
  }
  let result = parts.join('\n').trim();
  if (result === '') result = '[Rich text message]';
  result = resolveMentionKeys(result, mentionKeyMap(mentions));
  const att = attachmentLines(parsed);
  if (att) result += '\n' + att;
  return result;
}
