/**
 * Markdown → post conversion (docs/shortcuts-write.md) and the content JSON rules
 * the worked conversions, segmentation, optimisation steps and escaping.
 */
import { describe, expect, it } from 'vitest';
import {
  contentJson,
  markdownParagraphs,
  markdownToPost,
  markdownToPostForDryRun,
  optimizeMarkdownStyle,
} from '../../src/render/markdown-to-post.js';
import { formatCreateTime, normalizeAtMentions } from '../../src/im/message-content.js';

const md = (text: string) => ({ tag: 'md', text });
const blank = { tag: 'text', text: '\u200b' };
const paragraphs = (m: string) => markdownParagraphs(m).map((p) => p[0]);

describe('markdown → post: worked conversions', () => {
  it('plain text is one md paragraph', () => {
    expect(markdownParagraphs('hello **world**')).toEqual([[md('hello **world**')]]);
    expect(markdownToPost('hello **world**')).toBe('{"zh_cn":{"content":[[{"tag":"md","text":"hello **world**"}]]}}');
  });

  it('headings are downgraded when an H1–H3 is present, consecutive headings separated', () => {
    expect(paragraphs('# Title\n## Section\ntext')).toEqual([md('#### Title\n\n##### Section\ntext')]);
    expect(paragraphs('#### Four\ntext')).toEqual([md('#### Four\ntext')]);
    // three consecutive headings: only the first pair is separated (Note 17)
    expect(paragraphs('# A\n## B\n## C')).toEqual([md('#### A\n\n##### B\n##### C')]);
  });

  it('blank lines segment the post; k newlines give k−1 placeholders', () => {
    expect(paragraphs('## Update\n\n- item 1\n- item 2')).toEqual([md('##### Update'), blank, md('- item 1\n- item 2')]);
    expect(paragraphs('a\n\n\nb')).toEqual([md('a'), blank, blank, md('b')]);
    expect(paragraphs('a\n \t\n\nb')).toEqual([md('a'), blank, blank, md('b')]);
    expect(paragraphs('\n\nb')).toEqual([blank, md('b')]);
  });

  it('tables get a blank line before and after', () => {
    expect(paragraphs('text\n| A | B |\n| - | - |\n| 1 | 2 |\nafter')).toEqual([md('text\n\n| A | B |\n| - | - |\n| 1 | 2 |\n\nafter')]);
  });

  it('non-img_ images are removed, the space before them kept; img_ keys stay', () => {
    expect(optimizeMarkdownStyle('![alt](img_abc) ![bad](https://x/y.png)')).toBe('![alt](img_abc) ');
    expect(optimizeMarkdownStyle('see ![local](./a.png)')).toBe('see ');
    // even inside code blocks (Note 16)
    expect(optimizeMarkdownStyle('```\n![x](./a.png)\n```')).toBe('```\n\n```');
  });

  it('blank lines inside a fenced code block do not segment', () => {
    // single mode; the newline collapse of step C.7 runs after the code is restored, as in the original
    expect(markdownParagraphs('```go\n\n\nx\n```\nnext')).toEqual([[md('```go\n\nx\n```\nnext')]]);
    // and $ signs in code survive the placeholder round trip
    expect(paragraphs('```\n$1 $&\n```\n\nafter')).toEqual([md('```\n$1 $&\n```'), blank, md('after')]);
  });

  it('runs of 3+ newlines collapse; segments are trimmed of newlines only', () => {
    expect(optimizeMarkdownStyle('a\n\n\n\nb')).toBe('a\n\nb');
    expect(paragraphs('  a  \n\n b')).toEqual([md('  a  '), blank, md(' b')]);
  });

  it('parts that optimise to nothing are skipped; separators still give placeholders', () => {
    expect(markdownParagraphs('\n\n')).toEqual([[blank]]);
    expect(paragraphs('![x](./a.png)\n\nok')).toEqual([blank, md('ok')]);
  });

  it('escapes as Go: <, >, & as \\u003c etc., U+200B raw, U+2028 escaped', () => {
    expect(markdownToPost('a <b> & c\u2028')).toBe('{"zh_cn":{"content":[[{"tag":"md","text":"a \\u003cb\\u003e \\u0026 c\\u2028"}]]}}');
    expect(markdownToPost('x\n\ny')).toContain('{"tag":"text","text":"\u200b"}');
  });
});

describe('markdown dry-run placeholders', () => {
  it('numbers remote images in order, keeps alt text, describes them', () => {
    const r = markdownToPostForDryRun('![a](https://h/1.png) and ![b [x](http://h/2.png?q=1) and ![l](./x.png)');
    expect(r.content).toBe('{"zh_cn":{"content":[[{"tag":"md","text":"![a](img_dryrun_1) and ![b [x](img_dryrun_2) and "}]]}}');
    expect(r.description).toBe('dry-run uses placeholder image keys for markdown image URLs; execution downloads and uploads them before sending');
  });

  it('no remote image: no description', () => {
    expect(markdownToPostForDryRun('plain').description).toBe('');
  });
});

describe('content JSON and @mentions', () => {
  it('contentJson sorts keys, compact, HTML-escaped', () => {
    expect(contentJson({ text: 'Line 1\nLine 2' })).toBe('{"text":"Line 1\\nLine 2"}');
    expect(contentJson({ text: 'a <b> & c' })).toBe('{"text":"a \\u003cb\\u003e \\u0026 c"}');
    expect(contentJson({ image_key: 'i', file_key: 'f' })).toBe('{"file_key":"f","image_key":"i"}');
  });

  it('rewrites the unquoted and quoted id forms, leaves email alone', () => {
    expect(normalizeAtMentions('<at id=ou_alpha/> hi <at open_id="ou_beta"> and <at user_id=ou_gamma /> and <at email="x@example.com"/>')).toBe(
      '<at user_id="ou_alpha"> hi <at user_id="ou_beta"> and <at user_id="ou_gamma"> and <at email="x@example.com"/>',
    );
    expect(normalizeAtMentions('{"text":"<at id=ou_x></at>"}')).toBe('{"text":"<at user_id="ou_x"></at>"}');
    expect(normalizeAtMentions('{"text":"\\u003cat id=ou_1/\\u003e"}')).toBe('{"text":"\\u003cat id=ou_1/\\u003e"}');
  });
});

describe('create_time', () => {
  it('formats seconds and milliseconds in local time; keeps zero and text', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(formatCreateTime('1712345678901')).toBe('2024-04-05 19:34:38');
      expect(formatCreateTime('1712345678')).toBe('2024-04-05 19:34:38');
      expect(formatCreateTime(null)).toBe('');
      expect(formatCreateTime(undefined)).toBe('');
      expect(formatCreateTime('')).toBe('');
      expect(formatCreateTime('0')).toBe('0');
      expect(formatCreateTime('abc')).toBe('abc');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
