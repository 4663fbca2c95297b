/**
 * The import rules of docs/architecture.md, checked on the sources.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
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

describe('architecture: imports that run one way', () => {
  /** Every specifier a file names: runtime, type-only, `import()` and `export … from`. */
  function allImports(file: string): string[] {
    const text = readFileSync(path.join(SRC, file), 'utf8');
    const out: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) out.push(m[1]!);
    for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
    return out;
  }
  /** The top folder of src/ a relative specifier of `file` lands in ('cli' for src/cli.ts). */
  function layerOf(file: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const target = path.normalize(path.join(path.dirname(file), spec));
    return target.includes(path.sep) ? target.split(path.sep)[0] : 'cli';
  }
  const importsOf = (dir: string) => files(dir).flatMap((f) => allImports(f).map((s) => ({ f, s, layer: layerOf(f, s) })));

  it('nothing imports the program (cli.ts)', () => {
    for (const dir of ['commands', 'im', 'shortcut', 'request', 'enrich', 'render', 'client', 'http', 'auth', 'core', 'output', 'emulator']) {
      expect(importsOf(dir).filter((x) => x.layer === 'cli').map((x) => `${x.f} -> ${x.s}`), dir).toEqual([]);
    }
  });

  it('core/ imports no other layer; output/ only core/', () => {
    expect(importsOf('core').filter((x) => x.layer && x.layer !== 'core' && !(x.layer === 'auth' && /\/(identity|scopes|context)\.ts$/.test(x.f))).map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
    expect(importsOf('output').filter((x) => x.layer && x.layer !== 'output' && x.layer !== 'core').map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
  });

  it('http/ does not import output/, and auth/ does not import the client', () => {
    expect(importsOf('http').filter((x) => x.layer === 'output').map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
    expect(importsOf('auth').filter((x) => x.s.endsWith('/client.js')).map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
  });

  it('the emulator imports only core/, the command-group helper and itself; the CLI only its command', () => {
    const allowed = new Set(['emulator', 'core']);
    const bad = importsOf('emulator').filter((x) => x.layer && !allowed.has(x.layer) && !x.s.endsWith('/request/group.js'));
    expect(bad.map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
    for (const dir of ['commands', 'im', 'shortcut', 'request', 'enrich', 'render', 'client', 'http', 'auth', 'core', 'output']) {
      expect(importsOf(dir).filter((x) => x.layer === 'emulator').map((x) => `${x.f} -> ${x.s}`), dir).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The rank table of docs/architecture.md: a module imports (at run time, type-only, through
// `import()` or `export … from`) only from its own layer or a lower rank; layers of the same
// rank do not import each other; no two files import each other, directly or around a loop.

/** Layer (top folder of src/, `cli` for src/cli.ts) → rank. */
export const RANKS: Record<string, number> = {
  core: 0,
  output: 1,
  http: 2,
  auth: 3,
  client: 4,
  render: 5,
  enrich: 6,
  shortcut: 7,
  request: 7,
  commands: 8,
  im: 8,
  emulator: 8,
  cli: 9,
  'help-gate': 9,
};

/** Layers that may import fewer layers than their rank allows (besides themselves). */
export const ONLY: Record<string, string[]> = { emulator: ['core', 'request'], 'help-gate': ['core'] };

export interface ImportEdge {
  /** Importing file, relative to the tree's parent (`src/a/x.ts`). */
  from: string;
  /** Imported file, the same way. */
  to: string;
  line: number;
}

export interface Violation extends ImportEdge {
  /** `src/a/x.ts -> src/b/y.ts (a rank 3 imports b rank 5)` */
  message: string;
}

function tsFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(root, path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every module specifier of a source text with its line: imports and exports, type-only ones, `import()` and `import('…')` types. */
export function importSpecifiers(fileName: string, text: string): Array<{ spec: string; line: number }> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Array<{ spec: string; line: number }> = [];
  const add = (lit: ts.Node | undefined) => {
    if (lit && ts.isStringLiteralLike(lit)) out.push({ spec: lit.text, line: sf.getLineAndCharacterOfPosition(lit.getStart(sf)).line + 1 });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n.moduleReference.expression);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n.arguments[0]);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The file a relative specifier names (`./x.js` → `x.ts`, a folder → its index.ts); undefined for packages and built-ins. */
function resolve(root: string, fromRel: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const abs = path.resolve(root, path.dirname(fromRel), spec);
  const candidates = [abs.replace(/\.js$/, '.ts'), abs, `${abs}.ts`, path.join(abs, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? abs.replace(/\.js$/, '.ts');
  return path.relative(root, hit);
}

/** The layer of a file relative to the tree root: its top folder, or its name for a top-level file. */
function layerOfFile(rel: string): string {
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** Every import edge between files of the tree `root` (e.g. src/). */
export function importEdges(root: string): ImportEdge[] {
  const base = path.basename(root);
  const show = (rel: string) => [base, ...rel.split(path.sep)].join('/');
  const edges: ImportEdge[] = [];
  for (const f of tsFiles(root)) {
    for (const { spec, line } of importSpecifiers(f, readFileSync(path.join(root, f), 'utf8'))) {
      const target = resolve(root, f, spec);
      if (target === undefined || target.startsWith('..')) continue; // a package, or outside the tree (package.json, schemas/)
      edges.push({ from: show(f), to: show(target), line });
    }
  }
  return edges;
}

/** Imports against the rank table, and every cycle between files. */
export function checkLayers(root: string, ranks: Record<string, number> = RANKS, only: Record<string, string[]> = ONLY): { violations: Violation[]; cycles: string[] } {
  const edges = importEdges(root);
  const layer = (shown: string) => layerOfFile(shown.split('/').slice(1).join(path.sep));
  const violations: Violation[] = [];
  for (const e of edges) {
    const a = layer(e.from);
    const b = layer(e.to);
    if (a === b) continue;
    const ra = ranks[a];
    const rb = ranks[b];
    const say = (why: string) => violations.push({ ...e, message: `${e.from} -> ${e.to} (${why})` });
    if (ra === undefined) say(`${a} is not in the rank table`);
    else if (rb === undefined) say(`${b} is not in the rank table`);
    else if (rb > ra) say(`${a} rank ${ra} imports ${b} rank ${rb}`);
    else if (rb === ra) say(`${a} rank ${ra} imports ${b} rank ${rb}: layers of one rank do not import each other`);
    else if (only[a] && !only[a]!.includes(b)) say(`${a} rank ${ra} imports ${b} rank ${rb}: ${a} imports only ${only[a]!.join(', ')}`);
  }
  return { violations, cycles: fileCycles(edges) };
}

/** The strongly connected groups of the file graph (Tarjan), each as `a -> b -> … -> a` along real edges. */
function fileCycles(edges: ImportEdge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.get(e.from)!.includes(e.to)) next.get(e.from)!.push(e.to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (next.get(v) ?? []).includes(v)) groups.push(group);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) strong(v);
  // one loop through each group, found by a breadth-first walk back to its first file
  return groups.map((g) => {
    const inGroup = new Set(g);
    const start = [...g].sort()[0]!;
    const prev = new Map<string, string>();
    const queue = [start];
    let end: string | undefined;
    while (queue.length && !end) {
      const v = queue.shift()!;
      for (const w of next.get(v) ?? []) {
        if (!inGroup.has(w)) continue;
        if (w === start) {
          end = v;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const loop = [start];
    for (let v = end!; v !== start; v = prev.get(v)!) loop.splice(1, 0, v);
    loop.push(start);
    return `${loop.join(' -> ')}${g.length > loop.length - 1 ? ` (and ${g.length - loop.length + 1} more files in the same knot: ${g.filter((f) => !loop.includes(f)).sort().join(', ')})` : ''}`;
  });
}

describe('architecture: the rank table', () => {
  it('src/ has no import against the rank table', () => {
    const { violations } = checkLayers(SRC);
    expect(violations.map((v) => `${v.message}, line ${v.line}`)).toEqual([]);
  });

  it('src/ has no cycle between files (type-only imports count)', () => {
    expect(checkLayers(SRC).cycles).toEqual([]);
  });

  it('every folder of src/ is in the rank table', () => {
    const top = readdirSync(SRC, { withFileTypes: true }).map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.ts$/, '')));
    expect(top.filter((l) => RANKS[l] === undefined)).toEqual([]);
  });

  it('the rank table here is the one docs/architecture.md shows', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| ([^|]+?) \|/gm)].flatMap((m) => m[2]!.split(',').map((l) => [l.trim().replace(/`/g, ''), Number(m[1])] as const));
    expect(Object.fromEntries(rows)).toEqual(RANKS);
  });

  describe('the checker, on a small tree with deliberately bad imports', () => {
    const write = (root: string, files: Record<string, string>) => {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        writeFileSync(path.join(root, f), text);
      }
    };
    const fixture = (files: Record<string, string>) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'lark-arch-'));
      const root = path.join(dir, 'src');
      write(root, files);
      try {
        return checkLayers(root);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const good = {
      'core/errors.ts': 'export class E {}\n',
      'auth/token.ts': "import { E } from '../core/errors.js';\nexport const t = new E();\n",
      'client/api.ts': "import type { E } from '../core/errors.js';\nexport async function f() { return import('../auth/token.js'); }\n",
      'cli.ts': "import { f } from './client/api.js';\nvoid f;\n",
    };

    it('passes a tree that follows the table', () => {
      expect(fixture(good)).toEqual({ violations: [], cycles: [] });
    });

    it('fails an upward import, type-only, `import()`, `export … from` and `import(…)` types alike', () => {
      const { violations } = fixture({
        ...good,
        'core/errors.ts': [
          'export class E {}',
          "import type { t } from '../auth/token.js';",
          "export async function g() { return import('../client/api.js'); }",
          "export { f } from '../client/api.js';",
          "export type T = typeof import('../auth/token.js');",
          "// import('../cli.js') in a comment is no import",
          '',
        ].join('\n'),
      });
      expect(violations.map((v) => [v.message, v.line])).toEqual([
        ['src/core/errors.ts -> src/auth/token.ts (core rank 0 imports auth rank 3)', 2],
        ['src/core/errors.ts -> src/client/api.ts (core rank 0 imports client rank 4)', 3],
        ['src/core/errors.ts -> src/client/api.ts (core rank 0 imports client rank 4)', 4],
        ['src/core/errors.ts -> src/auth/token.ts (core rank 0 imports auth rank 3)', 5],
      ]);
    });

    it('fails a lateral import between layers of one rank, a layer not in the table, and the emulator beyond core and request', () => {
      const { violations } = fixture({
        ...good,
        'commands/a.ts': "import { b } from '../im/b.js';\nexport const a = b;\n",
        'im/b.ts': 'export const b = 1;\n',
        'misc/c.ts': "import { E } from '../core/errors.js';\nexport const c = E;\n",
        'emulator/d.ts': "import { t } from '../auth/token.js';\nexport const d = t;\n",
      });
      expect(violations.map((v) => v.message)).toEqual([
        'src/commands/a.ts -> src/im/b.ts (commands rank 8 imports im rank 8: layers of one rank do not import each other)',
        'src/emulator/d.ts -> src/auth/token.ts (emulator rank 8 imports auth rank 3: emulator imports only core, request)',
        'src/misc/c.ts -> src/core/errors.ts (misc is not in the rank table)',
      ]);
    });

    it('finds cycles between files of one layer, type-only ones included', () => {
      const { violations, cycles } = fixture({
        ...good,
        'core/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
        'core/b.ts': "import type { C } from './c.js';\nexport interface B { c?: C }\n",
        'core/c.ts': "import type { A } from './a.js';\nexport interface C { a?: A }\n",
        'core/self.ts': "export * from './self.js';\n",
      });
      expect(violations).toEqual([]);
      expect(cycles).toEqual(['src/core/a.ts -> src/core/b.ts -> src/core/c.ts -> src/core/a.ts', 'src/core/self.ts -> src/core/self.ts']);
    });
  });
});
