/**
 * Flag aliases (FlagDef.aliases, src/shortcut/run.ts canonicalFlagArgs): an alias becomes its
 * flag before commander parses, in both spellings, and a word that is another flag's value is
 * never taken for an alias.
 */
import { describe, expect, it } from 'vitest';
import type { FlagDef } from '../../src/shortcut/define.js';
import { canonicalFlagArgs } from '../../src/shortcut/run.js';

const FLAGS: FlagDef[] = [
  { name: 'page-size', type: 'int', aliases: ['limit'], desc: '' },
  { name: 'order', aliases: ['sort-order'], desc: '' },
  { name: 'text', desc: '' },
  { name: 'jq', short: 'q', desc: '' },
  { name: 'all', type: 'bool', aliases: ['everything'], desc: '' },
];

describe('canonicalFlagArgs', () => {
  it('renames an alias in both spellings', () => {
    expect(canonicalFlagArgs(['--limit', '5', '--sort-order=asc'], FLAGS)).toEqual(['--page-size', '5', '--order=asc']);
    expect(canonicalFlagArgs(['--everything', '--everything=false'], FLAGS)).toEqual(['--all', '--all=false']);
  });
  it('leaves the value of another flag, and everything after --, alone', () => {
    expect(canonicalFlagArgs(['--text', '--limit', '--limit', '3'], FLAGS)).toEqual(['--text', '--limit', '--page-size', '3']);
    expect(canonicalFlagArgs(['-q', '--limit', '--', '--limit', '1'], FLAGS)).toEqual(['-q', '--limit', '--', '--limit', '1']);
    expect(canonicalFlagArgs(['--limit', '--text'], FLAGS)).toEqual(['--page-size', '--text']);
  });
  it('is a no-op without aliases', () => {
    const args = ['--limit', '1'];
    expect(canonicalFlagArgs(args, [{ name: 'text', desc: '' }])).toBe(args);
  });
});
