/**
 * The config file and its profiles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CliError } from './errors.js';
import { writeFileAtomic } from './fsutil.js';
import { ordered } from './json.js';
import { stringify } from './json.js';
import type { Dirs } from './paths.js';

export type Identity = 'user' | 'bot';
export type DefaultAs = 'user' | 'bot' | 'auto';
export type StrictMode = 'bot' | 'user' | 'off';

export type SecretRef = string | { source: 'keychain' | 'file'; provider?: string; id: string };

export interface UserRef {
  userOpenId: string;
  userName: string;
}

export interface AppConfig {
  name?: string;
  appId: string;
  appSecret: SecretRef;
  brand: string;
  lang?: string;
  defaultAs?: DefaultAs;
  strictMode?: StrictMode;
  users: UserRef[];
}

export interface ConfigFile {
  strictMode?: StrictMode;
  currentApp?: string;
  previousApp?: string;
  apps: AppConfig[];
}

export type LoadResult =
  | { state: 'missing' }
  | { state: 'invalid'; error: string }
  | { state: 'ok'; config: ConfigFile; file: string };

function validateConfig(raw: unknown): ConfigFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('invalid config format: not an object');
  const r = raw as Record<string, unknown>;
  const apps = Array.isArray(r.apps) ? r.apps : [];
  if (apps.length === 0) throw new Error('invalid config format: no apps');
  const out: ConfigFile = { apps: [] };
  for (const k of ['strictMode', 'currentApp', 'previousApp'] as const) {
    if (typeof r[k] === 'string' && r[k]) (out as unknown as Record<string, unknown>)[k] = r[k];
  }
  for (const a of apps) {
    if (typeof a !== 'object' || a === null) throw new Error('invalid config format: app is not an object');
    const app = a as Record<string, unknown>;
    const secret = app.appSecret;
    let appSecret: SecretRef;
    if (typeof secret === 'string') appSecret = secret;
    else if (
      typeof secret === 'object' && secret !== null &&
      ((secret as Record<string, unknown>).source === 'keychain' || (secret as Record<string, unknown>).source === 'file') &&
      typeof (secret as Record<string, unknown>).id === 'string'
    ) {
      const s = secret as { source: 'keychain' | 'file'; provider?: string; id: string };
      appSecret = { source: s.source, id: s.id, ...(typeof s.provider === 'string' && s.provider ? { provider: s.provider } : {}) };
    } else if (secret === undefined || secret === null) appSecret = '';
    else throw new Error('appSecret must be a string or {source, id} object');
    const users = Array.isArray(app.users)
      ? (app.users as unknown[])
          .filter((u): u is Record<string, unknown> => typeof u === 'object' && u !== null)
          .map((u) => ({ userOpenId: String(u.userOpenId ?? ''), userName: String(u.userName ?? '') }))
      : [];
    const entry: AppConfig = {
      appId: String(app.appId ?? ''),
      appSecret,
      brand: typeof app.brand === 'string' ? app.brand : 'feishu',
      users,
    };
    if (typeof app.name === 'string' && app.name) entry.name = app.name;
    if (typeof app.lang === 'string' && app.lang) entry.lang = app.lang;
    if (app.defaultAs === 'user' || app.defaultAs === 'bot' || app.defaultAs === 'auto') entry.defaultAs = app.defaultAs;
    if (app.strictMode === 'user' || app.strictMode === 'bot' || app.strictMode === 'off') entry.strictMode = app.strictMode;
    out.apps.push(entry);
  }
  return out;
}

export function loadConfig(dirs: Dirs): LoadResult {
  let file = dirs.configFile;
  if (!existsSync(file)) {
    if (!existsSync(dirs.legacyConfigFile)) return { state: 'missing' };
    file = dirs.legacyConfigFile;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { state: 'missing' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { state: 'invalid', error: `invalid config format: ${(e as Error).message}` };
  }
  try {
    return { state: 'ok', config: validateConfig(raw), file };
  } catch (e) {
    return { state: 'invalid', error: (e as Error).message };
  }
}

/** Writes the config file atomically, 0600, fields in the documented order. */
export function saveConfig(dirs: Dirs, cfg: ConfigFile): void {
  const doc = ordered<Record<string, unknown>>({});
  if (cfg.strictMode) doc.strictMode = cfg.strictMode;
  if (cfg.currentApp) doc.currentApp = cfg.currentApp;
  if (cfg.previousApp) doc.previousApp = cfg.previousApp;
  doc.apps = cfg.apps.map((a) => {
    const o = ordered<Record<string, unknown>>({});
    if (a.name) o.name = a.name;
    o.appId = a.appId;
    o.appSecret = typeof a.appSecret === 'string' ? a.appSecret : ordered({ ...a.appSecret });
    o.brand = a.brand;
    if (a.lang) o.lang = a.lang;
    if (a.defaultAs) o.defaultAs = a.defaultAs;
    if (a.strictMode) o.strictMode = a.strictMode;
    o.users = a.users.map((u) => ordered({ userOpenId: u.userOpenId, userName: u.userName }));
    return o;
  });
  try {
    writeFileAtomic(dirs.configFile, stringify(doc, { indent: 2 }) + '\n');
  } catch (e) {
    throw new CliError('internal', `failed to save config: ${(e as Error).message}`);
  }
}

export const profileDisplayName = (a: AppConfig) => a.name || a.appId;

/** Index of the profile whose name is `name`, else whose appId is `name`; -1 when none. */
export function findProfileIndex(cfg: ConfigFile, name: string): number {
  const byName = cfg.apps.findIndex((a) => a.name === name);
  return byName >= 0 ? byName : cfg.apps.findIndex((a) => a.appId === name);
}

export function findProfile(cfg: ConfigFile, name: string): AppConfig | undefined {
  const i = findProfileIndex(cfg, name);
  return i >= 0 ? cfg.apps[i] : undefined;
}

/** The active profile. */
export function selectProfile(cfg: ConfigFile, override: string | undefined): AppConfig {
  const notFound = (shown: string) =>
    new CliError('config', `profile "${shown}" not found`, {
      hint: `available profiles: ${cfg.apps.length ? cfg.apps.map(profileDisplayName).join(', ') : '(none)'}`,
    });
  if (override !== undefined && override !== '') {
    const p = findProfile(cfg, override);
    if (!p) throw notFound(override);
    return p;
  }
  if (cfg.currentApp) {
    const p = findProfile(cfg, cfg.currentApp);
    // the original formats the empty override here
    if (!p) throw notFound('');
    return p;
  }
  return cfg.apps[0]!;
}

const FORBIDDEN_NAME_CHARS = new Set(' \t/\\"\'`$#!&|;(){}[]<>?*~'.split(''));

/** Validates a profile name; returns the error message or undefined. */
export function profileNameProblem(name: string): string | undefined {
  if (name === '') return 'profile name cannot be empty';
  if ([...name].length > 64) return `profile name "${name}" is too long (max 64 characters)`;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return `invalid profile name "${name}": contains control characters`;
    if (FORBIDDEN_NAME_CHARS.has(ch)) return `invalid profile name "${name}": contains invalid character '${ch === '\t' ? '\\t' : ch === "'" ? "\\'" : ch}'`;
  }
  return undefined;
}
