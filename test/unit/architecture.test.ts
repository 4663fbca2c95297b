/**
 * The import rules of docs/architecture.md, checked on the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.join(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Module specifiers a file loads at run time (type-only imports vanish when compiled). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/^export\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) out.push(m[1]!);
  return out;
}

describe('architecture', () => {
  it('no shortcut imports another shortcut', () => {
    for (const f of files('im/shortcuts').filter((f) => !f.endsWith('index.ts'))) {
      const sibling = runtimeImports(f).filter((s) => s.startsWith('./'));
      expect(sibling, f).toEqual([]);
    }
  });

  it('render/, core/ and output/ load nothing from http/', () => {
    for (const dir of ['render', 'core', 'output']) {
      for (const f of files(dir)) {
        const http = runtimeImports(f).filter((s) => /(^|\/)http\//.test(s) || s === 'undici');
        expect(http, f).toEqual([]);
      }
    }
  });

  it('render/ is pure: no I/O modules', () => {
    for (const f of files('render')) {
      const io = runtimeImports(f).filter((s) => /^node:(fs|net|http|https|child_process)/.test(s));
      expect(io, f).toEqual([]);
    }
  });
});
