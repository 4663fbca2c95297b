/**
 * Comments point inside the repository: no source or test file cites a section of a document that
 * is not in it (the specification the project was written from lives outside). Behaviour worth
 * citing is written down in docs/; public standards (an RFC section) may still be named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUTSIDE = /§|\bNote N\d+|\bcore\.md\b|\bDECISIONS\.md\b|\bnewest\.md\b|(?<![\w/-])(?:messages-read|messages-write|chats-flags-feed|im-methods)\.(?:md|json)\b|(?<!docs\/)\bgeneric-commands\.md\b/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(p);
    return /\.(ts|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

describe('comments cite only the repository', () => {
  it('no file of src/, test/, bench/ or scripts/ cites a spec section outside the repo', () => {
    const bad: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const f of files(path.join(ROOT, dir))) {
        if (f === import.meta.filename) continue;
        readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
          if (OUTSIDE.test(line.replace(/RFC \d+ §[\d.]+/g, ''))) bad.push(`${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(bad).toEqual([]);
  });
});
