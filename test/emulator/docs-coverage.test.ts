/**
 * docs/emulator.md's coverage table is the list of emulated endpoints: every route of
 * allRoutes() has its row (`| \`METHOD /path\` | … |`), and every row names a route that exists.
 * The demo tour (scripts/demo.mjs) and the doc's demo-seed section name the demo seed's ids,
 * which must still be the seed's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../src/emulator/routes/index.js';
import { DEMO } from '../../src/emulator/seeds/demo.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'emulator.md'), 'utf8');

/** The text of a `## ` section and its `### ` subsections. */
function section(md: string, title: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) return '';
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  return lines.slice(start + 1, end).join('\n');
}

const ROW = /^\|\s*`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`\s*\|/;

/** `METHOD path` of every table row in the section, in order (duplicates kept). */
function tableRoutes(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = ROW.exec(line.trim());
    if (m) out.push(`${m[1]} ${m[2]}`);
  }
  return out;
}

describe('docs/emulator.md coverage table', () => {
  const coverage = section(doc, 'Coverage');
  const documented = tableRoutes(coverage);
  const routes = allRoutes().map((r) => `${r.method} ${r.path}`);

  it('has a Coverage section with rows the test can read', () => {
    expect(coverage).not.toBe('');
    expect(documented.length).toBeGreaterThan(0);
    // a malformed row (a route-looking first cell the pattern misses) would silently drop out
    const looksLikeRoute = coverage.split('\n').filter((l) => /^\|\s*`?(GET|POST|PUT|PATCH|DELETE)\b/.test(l.trim()));
    expect(looksLikeRoute.length).toBe(documented.length);
  });

  it('lists every route of allRoutes()', () => {
    const missing = routes.filter((r) => !documented.includes(r));
    expect(missing, `routes missing from docs/emulator.md's coverage table:\n${missing.join('\n')}`).toEqual([]);
  });

  it('lists no route that does not exist', () => {
    const extra = documented.filter((r) => !routes.includes(r));
    expect(extra, `rows of docs/emulator.md's coverage table that are no route:\n${extra.join('\n')}`).toEqual([]);
  });

  it('lists each route once', () => {
    const dup = documented.filter((r, i) => documented.indexOf(r) !== i);
    expect(dup).toEqual([]);
  });

  it('reads rows the way they are written', () => {
    expect(tableRoutes('| `GET /open-apis/im/v1/chats/:chat_id` | yes |\n| GET /x | no |\n| `POST /_emulator/reset` | x |')).toEqual(['GET /open-apis/im/v1/chats/:chat_id', 'POST /_emulator/reset']);
    expect(section('# t\n## A\na\n### B\nb\n## C\nc', 'A')).toBe('a\n### B\nb');
  });
});

describe('the demo seed as the docs and the tour name it', () => {
  it('scripts/demo.mjs uses the seed ids', () => {
    const script = readFileSync(path.join(root, 'scripts', 'demo.mjs'), 'utf8');
    const block = /export const DEMO_IDS = \{([\s\S]*?)\n\};/.exec(script)?.[1] ?? '';
    const ids = Object.fromEntries([...block.matchAll(/^\s*(\w+): '([^']+)'/gm)].map((m) => [m[1], m[2]]));
    expect(ids).toEqual({ appId: DEMO.appId, project: DEMO.project, imageMessage: 'om_demo000000000000000000000000003', image: DEMO.image });
    // the image message really is the image's message in the project chat
    expect(readFileSync(path.join(root, 'src', 'emulator', 'seeds', 'demo.ts'), 'utf8')).toMatch(/message_id: 'om_demo000000000000000000000000003', chat_id: d\.project, sender: d\.carol, msg_type: 'image'/);
  });

  it('docs/emulator.md names the seed ids', () => {
    const demo = section(doc, 'The demo seed');
    expect(demo).not.toBe('');
    for (const id of [DEMO.appId, DEMO.appSecret, DEMO.alice, DEMO.bob, DEMO.carol, DEMO.dave, DEMO.project, DEMO.topics, DEMO.p2p, DEMO.image, DEMO.file]) expect(demo).toContain(id);
  });
});
