/**
 * The declarative shape of a shortcut (core.md §11.1). One file per shortcut exports one
 * `defineShortcut({...})`; the framework (run.ts) does identity, scopes, flag checks, inputs,
 * --jq, dry-run and output around its hooks.
 */
import type { Identity } from '../core/config.js';
import type { ShortcutRuntime } from './runtime.js';
import type { DryRun } from './dry-run.js';

/**
 * `string_array`: repeatable, no comma splitting (cobra StringArray); `string_slice`: repeatable and
 * every occurrence split CSV-style (cobra StringSlice: quotes may protect a comma, `""` adds nothing).
 */
export type FlagType = 'string' | 'bool' | 'int' | 'string_array' | 'string_slice';

export interface FlagDef {
  name: string;
  type?: FlagType;
  /** Default as the help shows it; ints as numbers, bools as booleans. */
  default?: string | number | boolean;
  desc: string;
  short?: string;
  hidden?: boolean;
  required?: boolean;
  enum?: readonly string[];
  /** Extra input sources: `@file` and/or `-` for stdin. */
  input?: ReadonlyArray<'file' | 'stdin'>;
}

export type Risk = 'read' | 'write' | 'high-risk-write';

export interface ShortcutDef {
  service: 'im';
  command: `+${string}`;
  description: string;
  risk?: Risk;
  /** Supported identities; default ['user']. */
  authTypes?: Identity[];
  scopes?: string[];
  userScopes?: string[];
  botScopes?: string[];
  flags: FlagDef[];
  /** Adds --format json|pretty|table|ndjson|csv. */
  hasFormat?: boolean;
  tips?: string[];
  validate?(rt: ShortcutRuntime): void | Promise<void>;
  dryRun?(rt: ShortcutRuntime): DryRun | Promise<DryRun>;
  execute(rt: ShortcutRuntime): Promise<void>;
}

export function defineShortcut(def: ShortcutDef): ShortcutDef {
  return def;
}

export function supportedIdentities(def: ShortcutDef): Identity[] {
  return def.authTypes && def.authTypes.length ? def.authTypes : ['user'];
}

export function scopesFor(def: ShortcutDef, identity: Identity): string[] {
  if (identity === 'user' && def.userScopes) return def.userScopes;
  if (identity === 'bot' && def.botScopes) return def.botScopes;
  return def.scopes ?? [];
}
