/**
 * The im API metadata: schemas/im/index.json for the command tree and
 * help, schemas/im/<resource>.json for the methods of one resource. Files are read on demand
 * (a method call reads only its resource file) and cached for the run.
 *
 * The stored form is close to the registry form; `registryMethod()` and `registryService()` build
 * the exact registry form that `schema` prints.
 */
import { readFileSync } from 'node:fs';
import type { Identity } from '../core/config.js';
import { packageFile } from '../core/package-root.js';

/** What a parameter and a body field both declare. */
interface ValueDef {
  type: string;
  required: boolean;
  description: string;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  min?: number;
  max?: number;
}

export interface ParamDef extends ValueDef {
  location: 'path' | 'query';
}

export interface FieldDef extends ValueDef {
  minItems?: number;
  maxItems?: number;
  /** Element type of an array of scalars (arrays of objects carry `properties` instead). */
  items?: { type: string; enum?: unknown[] };
  /** Fields of an object, or of each element of an array of objects. */
  properties?: Record<string, FieldDef>;
}

export interface Pagination {
  pageSizeParam: string;
  pageTokenParam: string;
  itemsField: string;
  hasMoreField: string;
  nextTokenField: string;
}

export interface MethodDef {
  id: string;
  /** Relative to the service path, with `{name}` placeholders. */
  path: string;
  httpMethod: string;
  description: string;
  parameters?: Record<string, ParamDef>;
  parameterOrder?: string[];
  requestBody?: Record<string, FieldDef>;
  responseBody?: Record<string, FieldDef>;
  /** Accepted scopes: any one satisfies the user scope pre-check. */
  scopes: string[];
  accessTokens: string[];
  danger?: boolean;
  risk: string;
  docUrl: string;
  /** The seed's permission-table scope, shown in login hints. */
  recommendedScope: string;
  identities: Identity[];
  pagination: Pagination | null;
  fileFields: string[];
}

export interface MethodSummary {
  description: string;
  httpMethod: string;
  accessTokens: string[];
  /** The file field of an upload method (`image` of images.create). */
  fileField?: string;
  risk?: string;
  /** Path then query parameters, for the typed flags (request/param-flags.ts) and their help. */
  params?: NamedParam[];
}

/** A path or query parameter with its name. */
export interface NamedParam extends ParamDef {
  name: string;
}

export interface ServiceIndex {
  name: string;
  version: string;
  title: string;
  description: string;
  servicePath: string;
  /** English one-liner for `lark-cli im --help`. */
  helpShort: string;
  resources: Record<string, { methods: Record<string, MethodSummary> }>;
}

export interface ResourceFile {
  resource: string;
  methods: Record<string, MethodDef>;
}

const schemaFile = (name: string) => packageFile('schemas', 'im', name);

let indexCache: ServiceIndex | undefined;
const resourceCache = new Map<string, ResourceFile>();

function readSchemaFile<T>(name: string): T {
  return JSON.parse(readFileSync(schemaFile(name), 'utf8')) as T;
}

/** The service index (resource → method → summary). */
export function loadIndex(): ServiceIndex {
  indexCache ??= readSchemaFile<ServiceIndex>('index.json');
  return indexCache;
}

/** The methods of one resource; the resource must be a key of the index. */
export function loadResource(resource: string): ResourceFile {
  let r = resourceCache.get(resource);
  if (!r) {
    if (!Object.hasOwn(loadIndex().resources, resource)) throw new Error(`unknown im resource: ${resource}`);
    r = readSchemaFile<ResourceFile>(`${resource}.json`);
    resourceCache.set(resource, r);
  }
  return r;
}

export function loadMethod(resource: string, method: string): MethodDef {
  const m = loadResource(resource).methods[method];
  if (!m) throw new Error(`unknown im method: ${resource}.${method}`);
  return m;
}

/** Access-token types → CLI identities, in metadata order (`tenant` → bot). */
export function identitiesOf(accessTokens: string[]): Identity[] {
  return accessTokens.map((t) => (t === 'tenant' ? 'bot' : 'user'));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(byName);
}

/** Registry form of a param: `{type, location, required, description, default?, example?, options?, enum?, min?, max?}`. */
function registryParam(p: ParamDef): Record<string, unknown> {
  const o: Record<string, unknown> = { type: p.type, location: p.location, required: p.required, description: p.description };
  addCommon(o, p);
  return o;
}

function addCommon(o: Record<string, unknown>, f: { default?: unknown; example?: unknown; enum?: unknown[]; min?: number; max?: number }): void {
  if (f.default !== undefined) o.default = f.default;
  if (f.example !== undefined) o.example = f.example;
  if (f.enum) {
    o.enum = f.enum;
    o.options = f.enum.map((value) => ({ value }));
  }
  // the source metadata carries min/max as strings
  if (f.min !== undefined) o.min = String(f.min);
  if (f.max !== undefined) o.max = String(f.max);
}

/** Registry form of a field; the element enum of a scalar array is shown on the array. */
function registryField(f: FieldDef): Record<string, unknown> {
  const o: Record<string, unknown> = { type: f.type, required: f.required, description: f.description };
  addCommon(o, { ...f, enum: f.enum ?? f.items?.enum });
  if (f.properties) o.properties = registryFields(f.properties);
  return o;
}

function registryFields(map: Record<string, FieldDef>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = registryField(v);
  return out;
}

/** The method object as `schema` prints it. */
export function registryMethod(m: MethodDef): Record<string, unknown> {
  const o: Record<string, unknown> = { id: m.id, path: m.path, httpMethod: m.httpMethod, description: m.description };
  if (m.parameters && Object.keys(m.parameters).length) {
    const ps: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m.parameters)) ps[k] = registryParam(v);
    o.parameters = ps;
  }
  if (m.parameterOrder?.length) o.parameterOrder = m.parameterOrder;
  if (m.requestBody && Object.keys(m.requestBody).length) o.requestBody = registryFields(m.requestBody);
  if (m.responseBody && Object.keys(m.responseBody).length) o.responseBody = registryFields(m.responseBody);
  o.scopes = m.scopes;
  o.accessTokens = m.accessTokens;
  if (m.danger) o.danger = true;
  o.risk = m.risk;
  o.docUrl = m.docUrl;
  return o;
}

/** `{"methods": {...}}` of one resource. */
export function registryResource(resource: string): Record<string, unknown> {
  const methods: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(loadResource(resource).methods)) methods[name] = registryMethod(m);
  return { methods };
}

/** The whole service object (reads every resource file). */
export function registryService(): Record<string, unknown> {
  const idx = loadIndex();
  const resources: Record<string, unknown> = {};
  for (const r of Object.keys(idx.resources)) resources[r] = registryResource(r);
  return {
    name: idx.name,
    version: idx.version,
    title: idx.title,
    description: idx.description,
    servicePath: idx.servicePath,
    resources,
  };
}
