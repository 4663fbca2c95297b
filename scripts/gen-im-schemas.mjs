#!/usr/bin/env node
/**
 * Generates schemas/im/*.json from the specification's table of the 36 methods (a JSON file; run
 * once, the output is committed and read at run time by src/request/schema-registry.ts).
 *
 *   node scripts/gen-im-schemas.mjs <path/to/methods.json>
 *
 * Output:
 *   schemas/im/index.json        service facts + resource -> method -> {description, httpMethod,
 *                                accessTokens, fileField?, risk, params?} (enough for the command
 *                                tree, its typed parameter flags and help)
 *   schemas/im/<resource>.json   the full description of each method of one resource
 *
 * A method is stored close to the registry form docs/generic-commands.md describes (parameters,
 * parameterOrder, requestBody, responseBody, scopes = accepted scopes, accessTokens, danger, risk,
 * docUrl) plus what the CLI needs besides: recommendedScope (the seed's permission-table scope),
 * identities, pagination, fileFields; fields keep minItems/maxItems and the element type of scalar
 * arrays (`items`) for body validation. Arrays of objects carry their element properties directly.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = process.argv[2];
if (!src) {
  process.stderr.write('usage: node scripts/gen-im-schemas.mjs <methods.json>\n');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'schemas', 'im');
const spec = JSON.parse(readFileSync(src, 'utf8'));

function param(p, location) {
  const o = { type: p.type, location, required: !!p.required, description: p.description };
  for (const k of ['default', 'example', 'enum', 'min', 'max']) if (p[k] !== undefined) o[k] = p[k];
  return o;
}

function field(f) {
  const o = { type: f.type, required: !!f.required, description: f.description };
  for (const k of ['default', 'example', 'enum', 'min', 'max', 'minItems', 'maxItems']) if (f[k] !== undefined) o[k] = f[k];
  if (f.type === 'object' && f.properties) o.properties = fields(f.properties);
  if (f.type === 'array' && f.items) {
    if (f.items.type === 'object') o.properties = fields(f.items.properties ?? {});
    else {
      o.items = { type: f.items.type };
      if (f.items.enum) o.items.enum = f.items.enum;
    }
  }
  return o;
}

function fields(map) {
  const out = {};
  for (const [k, v] of Object.entries(map)) out[k] = field(v);
  return out;
}

const index = {
  name: spec.service.name,
  version: spec.service.version,
  title: spec.service.title,
  description: spec.service.description,
  servicePath: spec.service.servicePath,
  helpShort: spec.service.helpShort,
  resources: {},
};
const files = {};

for (const e of Object.values(spec.methods)) {
  const m = {
    id: `${e.resource}.${e.method}`,
    path: e.metaPath,
    httpMethod: e.httpMethod,
    description: e.description,
  };
  const params = {};
  for (const p of e.pathParams) params[p.name] = param(p, 'path');
  for (const p of e.queryParams) params[p.name] = param(p, 'query');
  if (Object.keys(params).length) m.parameters = params;
  if (e.pathParams.length) m.parameterOrder = e.pathParams.map((p) => p.name);
  if (e.requestBody && Object.keys(e.requestBody).length) m.requestBody = fields(e.requestBody);
  if (e.responseData && Object.keys(e.responseData).length) m.responseBody = fields(e.responseData);
  m.scopes = e.acceptedScopes;
  m.accessTokens = e.accessTokens;
  if (e.danger) m.danger = true;
  m.risk = e.risk;
  m.docUrl = e.docUrl;
  // not part of the registry form
  m.recommendedScope = e.scopes[0];
  m.identities = e.identities;
  m.pagination = e.pagination ?? null;
  m.fileFields = e.fileFields ?? [];

  (files[e.resource] ??= { resource: e.resource, methods: {} }).methods[e.method] = m;
  const entry = { description: e.description, httpMethod: e.httpMethod, accessTokens: e.accessTokens };
  if (m.fileFields.length) entry.fileField = m.fileFields[0];
  entry.risk = e.risk;
  // the typed flags' help needs no example
  if (m.parameters) entry.params = Object.entries(m.parameters).map(([name, { example: _example, ...p }]) => ({ name, ...p }));
  ((index.resources[e.resource] ??= { methods: {} }).methods)[e.method] = entry;
}

mkdirSync(outDir, { recursive: true });
const write = (name, doc) => writeFileSync(path.join(outDir, name), JSON.stringify(doc, null, 2) + '\n');
write('index.json', index);
for (const [res, doc] of Object.entries(files)) write(`${res}.json`, doc);
process.stderr.write(`wrote ${Object.keys(files).length} resource files and index.json to ${path.relative(process.cwd(), outDir)}\n`);
