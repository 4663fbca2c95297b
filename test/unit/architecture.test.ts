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
    for (const dir of ['commands', 'im', 'shortcut', 'enrich', 'render', 'http', 'auth', 'core', 'output', 'emulator']) {
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
    const bad = importsOf('emulator').filter((x) => x.layer && !allowed.has(x.layer) && !x.s.endsWith('/shortcut/command-group.js'));
    expect(bad.map((x) => `${x.f} -> ${x.s}`)).toEqual([]);
    for (const dir of ['commands', 'im', 'shortcut', 'enrich', 'render', 'http', 'auth', 'core', 'output']) {
      expect(importsOf(dir).filter((x) => x.layer === 'emulator').map((x) => `${x.f} -> ${x.s}`), dir).toEqual([]);
    }
  });
});
