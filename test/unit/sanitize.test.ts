import { describe, it, expect } from 'vitest';
import { sanitizeTerminal, hasControlChars, hasDangerousUnicode, DANGEROUS_UNICODE_RE } from '../../src/output/sanitize.js';
import { displayWidth, truncateToWidth, padToWidth } from '../../src/output/width.js';

describe('sanitizeTerminal', () => {
  it.each([
    ['Status: \x1b[32mOK\x1b[0m (fake)', 'Status: OK (fake)'],
    ['before\x1b]0;evil title\x07after', 'beforeafter'],
    ['before\x1b]0;evil title\x1b\\after', 'beforeafter'],
    ['hello\rworld', 'helloworld'],
    ['plain text', 'plain text'],
    ['你好世界', '你好世界'],
    ['', ''],
    ['col1\tcol2', 'col1\tcol2'],
    ['line1\nline2', 'line1\nline2'],
    ['before\x1b[2Jafter', 'beforeafter'],
    ['before\x1b[10;20Hafter', 'beforeafter'],
    ['before\x1b[?25lafter', 'beforeafter'],
    ['before\x1b[3~after', 'beforeafter'],
    ['\x1b[31m\x1b[1mhello\x1b[0m', 'hello'],
    ['hello\x00world', 'helloworld'],
    ['hello\x07world', 'helloworld'],
    ['hello\x08world', 'helloworld'],
    ['hello\x1bworld', 'helloworld'],
    ['hello\x7fworld', 'helloworld'],
    ['hello\u200Bworld', 'helloworld'],
    ['hello\u200Dworld', 'helloworld'],
    ['hello\uFEFFworld', 'helloworld'],
    ['hello\u202Eworld', 'helloworld'],
    ['hello\u2066world', 'helloworld'],
    ['hello\u2028world', 'helloworld'],
    ['\x1b[31m\x00\u202Ehello\x1b[0m', 'hello'],
  ])('%j → %j', (input, want) => {
    expect(sanitizeTerminal(input)).toBe(want);
  });

  it('keeps neighbours of the dangerous ranges', () => {
    expect(sanitizeTerminal('a\u200Ab\u2070c\u2065d\u2029e')).toBe('a\u200Ab\u2070c\u2065de');
  });
});

describe('character checks', () => {
  it('hasControlChars', () => {
    expect(hasControlChars('a\tb\nc')).toBe(false);
    expect(hasControlChars('a\rb')).toBe(true);
    expect(hasControlChars('a\x00b')).toBe(true);
    expect(hasControlChars('a\x7fb')).toBe(true);
    expect(hasControlChars('普通')).toBe(false);
  });
  it('hasDangerousUnicode', () => {
    for (const cp of [0x200b, 0x200c, 0x200d, 0xfeff, 0x202a, 0x202e, 0x2028, 0x2029, 0x2066, 0x2069]) {
      expect(hasDangerousUnicode(`x${String.fromCodePoint(cp)}y`)).toBe(true);
      expect(DANGEROUS_UNICODE_RE.test(String.fromCodePoint(cp))).toBe(true);
    }
    for (const s of ['A', '中', ' ', '\t', '\u200A', '\u2070']) expect(hasDangerousUnicode(s)).toBe(false);
  });
});

describe('display width', () => {
  it('counts CJK, fullwidth and emoji as 2', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('𠀀')).toBe(2); // U+20000, a surrogate pair
    expect(displayWidth('✅')).toBe(1); // U+2705 is outside the listed ranges
    expect(displayWidth('…')).toBe(1);
  });
  it('truncates to the widest fitting prefix, then appends …', () => {
    expect(truncateToWidth('hello', 5)).toBe('hello');
    expect(truncateToWidth('hello world', 5)).toBe('hello…');
    expect(truncateToWidth('中文字符', 5)).toBe('中文…');
    expect(truncateToWidth('中文字符', 6)).toBe('中文字…');
    expect(truncateToWidth('😀😀😀', 3)).toBe('😀…');
  });
  it('pads to a display width', () => {
    expect(padToWidth('中', 4)).toBe('中  ');
    expect(padToWidth('abcdef', 3)).toBe('abcdef');
  });
});
