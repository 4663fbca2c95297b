/**
 * Checks a request body against the method's declared fields before anything is sent (a clone
 * addition; the original forwards any body). One problem is reported, as a validation error whose
 * message names the field: `--data.<dotted.path>: <problem>`, array elements as `[i]`, e.g.
 * `--data.reaction_type.emoji_type: required field is missing`.
 *
 * Checked: required fields present, JSON type, enum values, numeric min/max, minItems/maxItems.
 * Unknown fields are not rejected: they are forwarded as the original does.
 */
import { CliError } from '../core/errors.js';
import { isPlainObject, JsonNumber, stringify } from '../core/json.js';
import type { FieldDef } from './schema-registry.js';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' || v instanceof JsonNumber) return 'number';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, boolean
}

function isInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v);
  if (v instanceof JsonNumber) return /^-?\d+$/.test(v.text);
  return false;
}

function numberOf(v: unknown): number {
  return v instanceof JsonNumber ? Number(v.text) : (v as number);
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return isInteger(v);
    case 'number':
      return kindOf(v) === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return isPlainObject(v);
    case 'array':
      return Array.isArray(v);
    default:
      return true;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (kindOf(a) === 'number' && kindOf(b) === 'number') return numberOf(a) === numberOf(b);
  return a === b;
}

const fail = (at: string, problem: string): never => {
  throw new CliError('validation', `${at}: ${problem}`);
};

function checkScalar(at: string, type: string, enumValues: unknown[] | undefined, min: number | undefined, max: number | undefined, v: unknown): void {
  if (!typeMatches(type, v)) fail(at, `expected ${type}, got ${kindOf(v)}`);
  if (enumValues && !enumValues.some((e) => sameValue(e, v))) {
    fail(at, `invalid value ${stringify(v)}, allowed: ${enumValues.map((e) => String(e)).join(', ')}`);
  }
  if ((type === 'integer' || type === 'number') && kindOf(v) === 'number') {
    const n = numberOf(v);
    if (min !== undefined && n < min) fail(at, `must be >= ${min}, got ${stringify(v)}`);
    if (max !== undefined && n > max) fail(at, `must be <= ${max}, got ${stringify(v)}`);
  }
}

function checkField(at: string, f: FieldDef, v: unknown, fileHint: (name: string) => string): void {
  if (f.type === 'file') fail(at, `file fields cannot be sent in --data, ${fileHint(at.replace(/^.*\./, ''))}`);
  if (f.type === 'array') {
    if (!Array.isArray(v)) fail(at, `expected array, got ${kindOf(v)}`);
    const arr = v as unknown[];
    if (f.minItems !== undefined && arr.length < f.minItems) {
      fail(at, `at least ${f.minItems} item${f.minItems === 1 ? '' : 's'} required, got ${arr.length}`);
    }
    if (f.maxItems !== undefined && arr.length > f.maxItems) fail(at, `at most ${f.maxItems} items allowed, got ${arr.length}`);
    arr.forEach((el, i) => {
      const elAt = `${at}[${i}]`;
      if (f.properties) {
        if (!isPlainObject(el)) fail(elAt, `expected object, got ${kindOf(el)}`);
        checkFields(elAt, f.properties, el as Record<string, unknown>, fileHint);
      } else if (f.items) {
        checkScalar(elAt, f.items.type, f.items.enum, undefined, undefined, el);
      }
    });
    return;
  }
  if (f.type === 'object') {
    if (!isPlainObject(v)) fail(at, `expected object, got ${kindOf(v)}`);
    if (f.properties) checkFields(at, f.properties, v as Record<string, unknown>, fileHint);
    return;
  }
  checkScalar(at, f.type, f.enum, f.min, f.max, v);
}

function checkFields(at: string, fields: Record<string, FieldDef>, obj: Record<string, unknown>, fileHint: (name: string) => string, skip?: Set<string>): void {
  for (const [name, f] of Object.entries(fields)) {
    if (skip?.has(name)) continue;
    const fieldAt = `${at}.${name}`;
    if (!Object.hasOwn(obj, name)) {
      if (f.required) {
        if (f.type === 'file') fail('--file', `required file field "${name}" is missing (${fileHint(name)})`);
        fail(fieldAt, 'required field is missing');
      }
      continue;
    }
    checkField(fieldAt, f, obj[name], fileHint);
  }
}

export interface BodyCheckInput {
  /** The parsed --data value; undefined when --data was not given. */
  body: unknown;
  /** The field name of --file, when a file is uploaded. */
  fileField?: string;
}

/** Throws a validation error for the first problem of the body; `fields` = the method's requestBody. */
export function checkRequestBody(fields: Record<string, FieldDef>, input: BodyCheckInput): void {
  const fileHint = (name: string) => `use --file ${name}=<path>`;
  const body = input.body === undefined ? {} : input.body;
  if (!isPlainObject(body)) {
    if (input.fileField !== undefined) throw new CliError('validation', '--data must be a JSON object when used with --file');
    fail('--data', `expected a JSON object, got ${kindOf(body)}`);
  }
  const skip = new Set<string>();
  if (input.fileField !== undefined) skip.add(input.fileField);
  checkFields('--data', fields, body as Record<string, unknown>, fileHint, skip);
}
