/**
 * `--jq` / `-q`.
 *
 * The engine is jq 1.8 compiled to WebAssembly (npm `jq-wasm` 3), loaded only when a jq
 * expression is actually used. It reads its input by offset (linear in the input's size) and
 * reports jq's stdout, stderr and exit status separately.
 *
 * - The program runs wrapped as `try ((EXPR) | [0, .]) catch [1, .]`: every result arrives
 *   tagged, and a runtime error arrives as the last line with the error value itself (so a
 *   non-string error reads `{"a":1} (not a string)`), after the results produced before it.
 *   What the wrapper cannot catch (`halt_error`) is taken from stderr and the exit status.
 * - compile errors exit with status 3 and a stderr ending in `jq: N compile error(s)`.
 *   Running the bare expression on an empty input compiles it without running it.
 * - the expression is passed after `--`, so one starting with `-` is never read as a jq option.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CliError } from '../core/errors.js';
import { JsonNumber, goFormatFloat, parseJson, stringify, stringifyFast, toJsonFast } from '../core/json.js';

interface JqResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** jq-wasm's synchronous handle (`loadJq()`). */
interface JqEngine {
  raw(input: string, query: string, flags?: string[]): JqResult;
}

let enginePromise: Promise<JqEngine> | undefined;

/** A compiled WebAssembly.Module (the project's TypeScript libs do not declare WebAssembly). */
type WasmModule = object;
const { WebAssembly: Wasm } = globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } };

interface JqWasm {
  loadJq?: (options?: { wasmModule?: WasmModule }) => Promise<JqEngine>;
}

/** The V8 flags the engine runs with (writeJqCodeCache makes the code cache under them too). */
const JQ_V8_FLAGS = ['--wasm-lazy-compilation', '--wasm-lazy-validation', '--liftoff-only'] as const;

/** The wrapper jq-wasm's CommonJS entry is compiled in, as node's own loader wraps a module. */
const JQ_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

/**
 * Changes to jq-wasm's source, made before it is compiled, each applied only when the text it
 * replaces occurs exactly once (test/unit/jq.test.ts checks that each does in the installed
 * version); otherwise the source is compiled as it is, slower but the same.
 *
 * - input: jq reads its input from a file of the engine's in-memory file system at `/dev/stdin`
 *   (the path it is given, so `input_filename` is unchanged) instead of jq-wasm's stdin device,
 *   which hands it over one byte per call: ~5 ms less per MB (medians of 12 interleaved runs
 *   over 1 MB: 40.7 vs 45.5 ms).
 * - output: jq's standard output reaches jq-wasm's byte sink a write at a time, not one byte per
 *   call (three changes: the sink takes a run of bytes, stdout's callback carries a bulk writer,
 *   and the device uses it); ~20 ms less for 1 MB of output.
 * - `fs/promises`, which jq-wasm reads jq.wasm with when it is not handed the compiled module,
 *   is loaded only if it is used (~2 ms).
 * - random bytes (jq asks for a few at start) are read from the system's /dev/urandom, or where
 *   there is none come from node:crypto's randomFillSync, instead of the global Web Crypto object,
 *   whose first use loads node:crypto and Node's Web Crypto modules (~3 ms; a call with a token
 *   from the environment loads no node:crypto otherwise).
 */
export const JQ_SOURCE_PATCHES: ReadonlyArray<{ name: string; from: string; to: string }> = [
  {
    name: 'input',
    from: 'const args = [...flags, query, STDIN_PATH];',
    to: 'try { FS.unlink(STDIN_PATH); } catch {} FS.writeFile(STDIN_PATH, stdinBuffer); stdinBuffer = new Uint8Array(0); const args = [...flags, query, STDIN_PATH];',
  },
  {
    name: 'output: a sink that takes a run of bytes',
    from: '          return { push(byte) {',
    to: '          return { pushAll(src, start, count) { while (length + count > bytes.length) { const grown = new Uint8Array(bytes.length * 2); grown.set(bytes.subarray(0, length)); bytes = grown; } bytes.set(new Uint8Array(src.buffer, src.byteOffset + start, count), length); length += count; }, push(byte) {',
  },
  {
    name: 'output: jq-wasm hands stdout its runs of bytes',
    from: '          }, (byte) => {\n            if (byte != null) stdoutSink.push(byte);\n          }, (byte) => {',
    to: '          }, Object.assign((byte) => {\n            if (byte != null) stdoutSink.push(byte);\n          }, { bulk: (src, start, count) => stdoutSink.pushAll(src, start, count) }), (byte) => {',
  },
  {
    name: 'output: a device with a bulk writer writes each run in one call',
    from: '}, write(stream, buffer, offset, length, pos) {\n            for (var i = 0; i < length; i++) {\n              try {\n                output(buffer[offset + i]);',
    to: '}, write(stream, buffer, offset, length, pos) {\n            if (output.bulk && length) { output.bulk(buffer, offset, length); stream.node.mtime = stream.node.ctime = Date.now(); return length; }\n            for (var i = 0; i < length; i++) {\n              try {\n                output(buffer[offset + i]);',
  },
  {
    name: 'fs/promises on first use',
    from: 'var import_promises = require("fs/promises");',
    to: 'var import_promises = { readFile: (...a) => require("fs/promises").readFile(...a) };',
  },
  {
    name: 'random bytes from /dev/urandom',
    from: 'var initRandomFill = () => (view) => (crypto.getRandomValues(view), 0);',
    to:
      'var initRandomFill = () => { const fs = require("node:fs"); try { const fd = fs.openSync("/dev/urandom", "r"); ' +
      'return (view) => { for (let at = 0; at < view.length; ) at += fs.readSync(fd, view, at, view.length - at, null); return 0; }; } ' +
      'catch { const { randomFillSync } = require("node:crypto"); return (view) => (randomFillSync(view), 0); } };',
  },
];

function patchJqWasm(source: string): string {
  let out = source;
  for (const p of JQ_SOURCE_PATCHES) if (out.split(p.from).length === 2) out = out.replace(p.from, p.to);
  return out;
}

/** The compiled entry, for writeJqCodeCache. */
let compiledEntry: vm.Script | undefined;

/**
 * jq-wasm's CommonJS entry (patched, JQ_SOURCE_PATCHES), compiled with the V8 code cache
 * `jq-wasm.cache` that `npm run build` leaves beside the bundle (~10 ms less than a plain
 * require: its glue code is compiled already), and its jq.wasm compiled from the file in one go.
 * Without the cache (tests run from src/, a cache V8 rejects), the same source is compiled from
 * scratch; when the entry cannot be read, the package is required as usual.
 */
function requireJqWasm(): { mod: JqWasm; wasmModule?: WasmModule } {
  const req = createRequire(import.meta.url);
  let entry: string;
  let source: string;
  try {
    entry = req.resolve('jq-wasm');
    source = patchJqWasm(readFileSync(entry, 'utf8'));
  } catch {
    return { mod: req('jq-wasm') as JqWasm };
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(fileURLToPath(new URL('jq-wasm.cache', import.meta.url)));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(JQ_WRAPPER[0] + source + JQ_WRAPPER[1], { filename: entry, cachedData });
  compiledEntry = script;
  if (process.env.LARK_CLI_DEBUG_CODE_CACHE) {
    process.stderr.write(`jq code cache: ${!cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  }
  const module = { exports: {} as JqWasm };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, createRequire(entry), module, entry, path.dirname(entry));
  let wasmModule: WasmModule | undefined;
  try {
    wasmModule = new Wasm.Module(readFileSync(path.join(path.dirname(entry), 'build', 'jq.wasm')));
  } catch {
    wasmModule = undefined; // jq-wasm finds its file itself
  }
  return { mod: module.exports, wasmModule };
}

async function loadEngine(): Promise<JqEngine> {
  // required, not imported: the built CLI is one bundle that bin/lark-cli compiles with
  // vm.Script, where import() has no loader (scripts/bundle.mjs)
  enginePromise ??= Promise.resolve().then(async () => {
    // jq.wasm is ~0.9 MB, and a run calls a small part of it. Lazy compilation and validation:
    // V8 compiles and validates each function on its first call instead of all of them up front
    // (~40 ms less per command; the module is shipped with the package, validation ~1.5 ms).
    // Liftoff only: no optimising tier-up, whose background compilation of hot functions kept both
    // cores of a 2-core machine busy for ~60 ms while the CLI waited for the response, and which a
    // one-shot run over a few MB does not live long enough to profit from (measured: a 1 MB
    // `--jq '.data.items | length'` 266 -> ~190 ms)
    for (const flag of JQ_V8_FLAGS) {
      try {
        v8.setFlagsFromString(flag);
      } catch {
        /* only an optimisation */
      }
    }
    const { mod, wasmModule } = requireJqWasm();
    if (typeof mod.loadJq !== 'function') throw new CliError('internal', 'jq engine could not be loaded');
    return mod.loadJq(wasmModule ? { wasmModule } : {});
  });
  return enginePromise;
}

/** Starts loading the engine (nothing is reported here: the first use reports a failure). */
export function preloadJq(): void {
  loadEngine().catch(() => undefined);
}

/**
 * Writes the V8 code cache of jq-wasm's entry to `file`, after a compile check and a small run
 * have compiled what a command uses (`npm run build` calls this through the bundle, so the
 * cache is made from the same source, wrapper and V8 flags as it is used with).
 */
export async function writeJqCodeCache(file: string): Promise<void> {
  await validateJq('.a');
  await runJq('.a | map(type)', { a: [1, 'x', { b: null }] });
  if (!compiledEntry) throw new CliError('internal', 'jq-wasm was not compiled from its source: no code cache to write');
  writeFileSync(file, compiledEntry.createCachedData());
}

const FLAGS = ['-c', '--'];

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isCompileError(msg: string): boolean {
  return /\bcompile errors?\b/.test(msg);
}

/** `jq: error: foo/0 is not defined at <top-level>, line 1:\n.a | foo\njq: 1 compile error` → first message, one line. */
export function cleanJqMessage(msg: string): string {
  const lines = msg
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^jq: \d+ compile errors?$/.test(l));
  const first = lines.find((l) => l.startsWith('jq: error')) ?? lines[0] ?? msg.trim();
  return first
    .replace(/^jq: error(?: \(at [^)]*\))?:\s*/, '')
    .replace(/:$/, '')
    .trim();
}

/** Expressions validateJq has seen compile: the check before the request is not run again after it. */
const compiled = new Set<string>();

/**
 * Checks that `expr` compiles (syntax, unknown functions, undefined variables).
 * Throws a `validation` CliError `invalid jq expression: <message>`; runtime problems are not checked.
 */
export async function validateJq(expr: string): Promise<void> {
  if (compiled.has(expr)) return;
  const jq = await loadEngine();
  // No input at all: jq compiles the program and never runs it.
  const r = run(jq, '', expr);
  if (r.exitCode !== 0 && isCompileError(r.stderr)) {
    throw new CliError('validation', `invalid jq expression: ${cleanJqMessage(r.stderr)}`);
  }
  compiled.add(expr);
}


function run(jq: JqEngine, input: string, program: string): JqResult {
  try {
    return jq.raw(input, program, FLAGS);
  } catch (e) {
    // the engine itself failed (not a jq error): out of memory, a broken install
    throw new CliError('internal', `jq engine failed: ${errorMessage(e)}`, { cause: e });
  }
}

const INT_LITERAL = /^-?\d+$/;

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) {
    return Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v === 0 ? 0 : v) : BigInt(v).toString();
  }
  return goFormatFloat(v);
}

/**
 * One jq result as the CLI prints it: strings raw, `null`, `true`/`false`, integers
 * as written (big integers keep their digits), other numbers in Go `%g` form,
 * arrays/objects as indented JSON with sorted keys.
 */
export function formatJqValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  if (v instanceof JsonNumber) return INT_LITERAL.test(v.text) ? v.text : formatNumber(Number(v.text));
  return stringifyFast(v, 2);
}

function jqErrorText(v: unknown): string {
  if (typeof v === 'string') return v;
  return `${stringify(v ?? null)} (not a string)`;
}

export type JqRuntimeError = CliError & { partialOutput: string };

/**
 * Runs `expr` on `input` and returns the formatted results, one per line, each
 * ending in a newline. A compile error throws a `validation` CliError; a runtime
 * error throws a `jq_error` CliError (`jq error: <message>`) carrying the text
 * produced before the error as `partialOutput`.
 */
export async function runJq(expr: string, input: unknown): Promise<string> {
  await validateJq(expr);
  const jq = await loadEngine();
  // keys in the order stringify prints them (sorted, as Go maps): to_entries, keys_unsorted and
  // tojson see them so; big integers keep their digits
  const text = toJsonFast(input === undefined ? null : input);
  // Newlines keep a trailing `# comment` in EXPR from swallowing the wrapper.
  const program = `try ((${expr}\n\n) | [0, .]) catch [1, .]`;
  const r = run(jq, text, program);
  if (r.exitCode !== 0 && isCompileError(r.stderr)) {
    throw new CliError('validation', `invalid jq expression: ${cleanJqMessage(r.stderr)}`);
  }
  let out = '';
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const tagged = parseJson(line);
    if (!Array.isArray(tagged) || tagged.length !== 2) {
      throw new CliError('internal', `unexpected jq engine output: ${line.slice(0, 200)}`);
    }
    const [tag, value] = tagged as [unknown, unknown];
    if (tag === 1) {
      throw Object.assign(new CliError('jq_error', `jq error: ${jqErrorText(value)}`), { partialOutput: out });
    }
    out += formatJqValue(value) + '\n';
  }
  if (r.exitCode !== 0) {
    // not caught by the wrapper (halt_error): jq's own message
    const msg = r.stderr.trim() ? cleanJqMessage(r.stderr) : `exit status ${r.exitCode}`;
    throw Object.assign(new CliError('jq_error', `jq error: ${msg}`), { partialOutput: out });
  }
  return out;
}

/** True when `e` is a jq runtime error thrown by runJq (with the output produced before it). */
export function isJqRuntimeError(e: unknown): e is JqRuntimeError {
  return e instanceof CliError && e.type === 'jq_error' && typeof (e as Partial<JqRuntimeError>).partialOutput === 'string';
}
