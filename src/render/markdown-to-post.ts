/**
 * Markdown → Lark `post` content (docs/shortcuts-write.md), pure and synchronous.
 *
 * The result is always `{"zh_cn":{"content":[[node],[node],…]}}` with one node per paragraph:
 * `{"tag":"md","text":…}` or the blank-line placeholder `{"tag":"text","text":"\u200b"}`,
 * serialised with Go's HTML escaping.
 *
 * The patterns are the original's Go (RE2) expressions rewritten for JavaScript with the same
 * meaning: multi-line `^`/`$` become `(?<![^\n])` / `(?![^\n])` and `.` becomes `[^\n]`
 * (JavaScript would also stop at `\r`, U+2028 and U+2029), `\s` becomes Go's ASCII class
 * `[\t\n\f\r ]`.
 */
import { stringify } from '../core/json.js';

/** A remote Markdown image: `![alt](http(s)://…)` (step A). */
export const REMOTE_IMAGE_RE = /!\[[^\]]*\]\((https?:\/\/[^)\t\n\f\r ]+)\)/g;

const CODE_BLOCK_RE = /```[\s\S]*?```/g;
const BLANK_LINE_SEPARATOR_RE = /\n(?:[ \t]*\n)+/g;
const HAS_H1_TO_H3_RE = /(?<![^\n])#{1,3} /;
const H2_TO_H6_RE = /(?<![^\n])#{2,6} ([^\n]+)(?![^\n])/g;
const H1_RE = /(?<![^\n])# ([^\n]+)(?![^\n])/g;
const CONSECUTIVE_HEADINGS_RE = /(?<![^\n])(#{4,5} [^\n]+)\n{1,2}(#{4,5} )/g;
const TABLE_NO_GAP_RE = /(?<![^\n])([^|\n][^\n]*)\n(\|[^\n]+\|)/g;
const TABLE_AFTER_RE = /((?:(?<![^\n])\|[^\n]+\|[\t\f\r ]*\n?)+)/g;
const EXCESS_NEWLINES_RE = /\n{3,}/g;
const ANY_IMAGE_RE = /!\[[^\]]*\]\(([^)\t\n\f\r ]+)\)/g;

const CODE_PLACEHOLDER = '___CB_';
/** U+200B ZERO WIDTH SPACE: the text of a blank-line paragraph. */
export const BLANK_PARAGRAPH_TEXT = '\u200b';

export const MARKDOWN_DRY_RUN_DESCRIPTION =
  'dry-run uses placeholder image keys for markdown image URLs; execution downloads and uploads them before sending';

type PostNode = { tag: 'md' | 'text'; text: string };

function protectCodeBlocks(text: string): { text: string; blocks: string[] } {
  const blocks: string[] = [];
  const out = text.replace(CODE_BLOCK_RE, (m) => {
    blocks.push(m);
    return `${CODE_PLACEHOLDER}${blocks.length - 1}___`;
  });
  return { text: out, blocks };
}

function restoreCodeBlocks(text: string, blocks: string[]): string {
  let out = text;
  blocks.forEach((block, i) => {
    // first occurrence only; a function replacement keeps `$` in the block literal
    out = out.replace(`${CODE_PLACEHOLDER}${i}___`, () => block);
  });
  return out;
}

/** The alt text of an image match: between the first `[` and the first `]`. */
export function imageAlt(match: string): string {
  const a = match.indexOf('[');
  const b = match.indexOf(']');
  return a >= 0 && b > a ? match.slice(a + 1, b) : '';
}

/** Step C: the style optimisation applied to a whole text or to one paragraph. */
export function optimizeMarkdownStyle(text: string): string {
  const p = protectCodeBlocks(text);
  let r = p.text;
  if (HAS_H1_TO_H3_RE.test(text)) {
    r = r.replace(H2_TO_H6_RE, '##### $1');
    r = r.replace(H1_RE, '#### $1');
  }
  r = r.replace(CONSECUTIVE_HEADINGS_RE, '$1\n\n$2');
  r = r.replace(TABLE_NO_GAP_RE, '$1\n\n$2');
  r = r.replace(TABLE_AFTER_RE, '$1\n');
  r = restoreCodeBlocks(r, p.blocks);
  r = r.replace(EXCESS_NEWLINES_RE, '\n\n');
  if (r.includes('![')) {
    r = r.replace(ANY_IMAGE_RE, (m) => {
      const start = m.lastIndexOf('(');
      const end = m.lastIndexOf(')');
      return start >= 0 && end > start && m.slice(start + 1, end).startsWith('img_') ? m : '';
    });
  }
  return r;
}

function trimNewlines(s: string): string {
  return s.replace(/^\n+|\n+$/g, '');
}

function singleParagraph(markdown: string): PostNode[][] {
  return [[{ tag: 'md', text: optimizeMarkdownStyle(markdown) }]];
}

/** Step B: paragraphs of the post (single or segmented mode). */
export function markdownParagraphs(markdown: string): PostNode[][] {
  const p = protectCodeBlocks(markdown);
  const seps = [...p.text.matchAll(BLANK_LINE_SEPARATOR_RE)];
  if (seps.length === 0) return singleParagraph(markdown);
  const out: PostNode[][] = [];
  const addPart = (protectedPart: string) => {
    const part = restoreCodeBlocks(protectedPart, p.blocks);
    if (part === '') return;
    const t = trimNewlines(optimizeMarkdownStyle(part));
    if (t !== '') out.push([{ tag: 'md', text: t }]);
  };
  let last = 0;
  for (const m of seps) {
    const start = m.index;
    if (start > last) addPart(p.text.slice(last, start));
    const newlines = m[0].split('\n').length - 1;
    for (let i = 1; i < newlines; i++) out.push([{ tag: 'text', text: BLANK_PARAGRAPH_TEXT }]);
    last = start + m[0].length;
  }
  if (last < p.text.length) addPart(p.text.slice(last));
  return out.length ? out : singleParagraph(markdown);
}

/** Compact JSON with Go's HTML escaping: the form of every `content` string send/reply build. */
export function contentJson(value: unknown): string {
  return stringify(value, { htmlEscape: true });
}

/** Markdown (remote images already replaced) → the post `content` string. */
export function markdownToPost(markdown: string): string {
  return contentJson({ zh_cn: { content: markdownParagraphs(markdown) } });
}

/**
 * Dry-run form: remote images become `![alt](img_dryrun_<n>)`; the description is set
 * when at least one was replaced.
 */
export function markdownToPostForDryRun(markdown: string): { content: string; description: string } {
  let n = 0;
  const rewritten = markdown.replace(REMOTE_IMAGE_RE, (m) => `![${imageAlt(m)}](img_dryrun_${++n})`);
  return { content: markdownToPost(rewritten), description: n > 0 ? MARKDOWN_DRY_RUN_DESCRIPTION : '' };
}
