/**
 * `--jq` / `-q`.
 *
 * The engine is jq 1.7.1 compiled to WebAssembly (npm `jq-wasm`), loaded only when a jq
 * expression is actually used.
 *
 * Two properties of jq-wasm shape this file:
 * - `raw()` returns stdout when there is any and then drops stderr, so a runtime
 *   error after some output would be lost. The program therefore runs wrapped as
 *   `try ((EXPR) | [0, .]) catch [1, .]`: every result arrives tagged, and a
 *   runtime error arrives as the last line with the error value, after the results
 *   produced before it. (`halt_error` is not catchable: after other output its
 *   message is lost and the run counts as a success.)
 * - compile errors surface as an Error whose message ends in `jq: N compile error(s)`.
 *   Running the bare expression on an empty input compiles it without running it.
 */

import { createRequire } from 'node:module';
import { CliError } from '../core/errors.js';
import { JsonNumber, goFormatFloat, parseJson, stringify } from '../core/json.js';

interface JqEngine {
  raw(data: string | object, filter: string, flags?: string[]): Promise<string>;
}

let enginePromise: Promise<JqEngine> | undefined;

async function loadEngine(): Promise<JqEngine> {
  // required, not imported: jq-wasm is CommonJS, and the built CLI is one bundle that bin/lark-cli
  // compiles with vm.Script, where import() has no loader (scripts/bundle.mjs)
  enginePromise ??= Promise.resolve().then(() => {
    const mod = createRequire(import.meta.url)('jq-wasm') as Partial<JqEngine> & { default?: Partial<JqEngine> };
    const raw = mod.raw ?? mod.default?.raw;
    if (typeof raw !== 'function') throw new CliError('internal', 'jq engine could not be loaded');
    return { raw };
  });
  return enginePromise;
}

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

/**
 * Checks that `expr` compiles (syntax, unknown functions, undefined variables).
 * Throws a `validation` CliError `invalid jq expression: <message>`; runtime problems are not checked.
 */
export async function validateJq(expr: string): Promise<void> {
  const jq = await loadEngine();
  try {
    // No input at all: jq compiles the program and never runs it.
    await jq.raw('', expr, ['-c']);
  } catch (e) {
    const msg = errorMessage(e);
    if (isCompileError(msg)) throw new CliError('validation', `invalid jq expression: ${cleanJqMessage(msg)}`);
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
  return stringify(v, { indent: 2 });
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
  const text = stringify(input === undefined ? null : input);
  // Newlines keep a trailing `# comment` in EXPR from swallowing the wrapper.
  const program = `try ((${expr}\n\n) | [0, .]) catch [1, .]`;
  let raw: string;
  try {
    raw = await jq.raw(text, program, ['-c']);
  } catch (e) {
    const msg = errorMessage(e);
    if (isCompileError(msg)) throw new CliError('validation', `invalid jq expression: ${cleanJqMessage(msg)}`);
    throw Object.assign(new CliError('jq_error', `jq error: ${cleanJqMessage(msg)}`), { partialOutput: '' });
  }
  let out = '';
  for (const line of raw.split('\n')) {
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
  return out;
}

/** True when `e` is a jq runtime error thrown by runJq (with the output produced before it). */
export function isJqRuntimeError(e: unknown): e is JqRuntimeError {
  return e instanceof CliError && e.type === 'jq_error' && typeof (e as Partial<JqRuntimeError>).partialOutput === 'string';
}
