/**
 * The declarative shape of a shortcut (docs/shortcuts-framework.md). One file per shortcut exports one
 * `defineShortcut({...})`; the framework (run.ts) does identity, scopes, flag checks, inputs,
 * --jq, dry-run and output around its hooks.
 *
 * The flags are declared `as const` (or inline: the type parameter is `const`), so the runtime
 * handed to the hooks knows their names: `rt.str('chat-idd')` does not compile.
 */
import type { Identity } from '../core/config.js';
import type { ShortcutRuntime } from './runtime.js';
import type { DryRun } from './dry-run.js';
import type { PrettyName } from './pretty.js';

/**
 * The kind of a CLI flag's value. `string_array`: repeatable, no comma splitting (cobra
 * StringArray); `string_slice`: repeatable and every occurrence split CSV-style (cobra
 * StringSlice: quotes may protect a comma, `""` adds nothing).
 */
export type FlagType = 'string' | 'bool' | 'int' | 'string_array' | 'string_slice';

export interface FlagDef<N extends string = string> {
  readonly name: N;
  readonly type?: FlagType;
  /** Default as the help shows it; ints as numbers, bools as booleans. */
  readonly default?: string | number | boolean;
  readonly desc: string;
  readonly short?: string;
  /**
   * Other long names for this flag (`--limit` for `--page-size`): synonyms at parse time, so the
   * hooks read only the canonical name; for a scalar flag the last occurrence of either wins.
   */
  readonly aliases?: readonly string[];
  readonly hidden?: boolean;
  readonly required?: boolean;
  readonly enum?: readonly string[];
  /** Extra input sources: `@file` and/or `-` for stdin. */
  readonly input?: ReadonlyArray<'file' | 'stdin'>;
}

/** The flags the framework adds to every shortcut (run.ts frameworkFlags). */
export type FrameworkFlagName = 'as' | 'dry-run' | 'jq' | 'format' | 'json' | 'yes';

/** The names a shortcut's hooks may read: its own flags and the framework's. */
export type FlagName<F extends readonly FlagDef[]> = F[number]['name'] | FrameworkFlagName;

export type Risk = 'read' | 'write' | 'high-risk-write';

/**
 * A shortcut. The hooks run in this order: `validate` (checks that need no request built),
 * `prepare` (builds the request once; may throw validation errors too), then `dryRun` or
 * `execute`, both handed what `prepare` returned.
 */
export interface ShortcutDef<F extends readonly FlagDef[] = readonly FlagDef[], P = unknown> {
  service: 'im';
  command: `+${string}`;
  description: string;
  risk?: Risk;
  /** Supported identities; default ['user']. */
  authTypes?: Identity[];
  scopes?: string[];
  userScopes?: string[];
  botScopes?: string[];
  flags: F;
  /** Adds --format json|pretty|table|ndjson|csv. */
  hasFormat?: boolean;
  /** The `--format pretty` renderer (pretty.ts), loaded only when pretty output is printed. */
  pretty?: PrettyName;
  tips?: string[];
  validate?(rt: ShortcutRuntime<FlagName<F>>): void | Promise<void>;
  prepare?(rt: ShortcutRuntime<FlagName<F>>): P | Promise<P>;
  dryRun?(rt: ShortcutRuntime<FlagName<F>>, prepared: P): DryRun | Promise<DryRun>;
  execute(rt: ShortcutRuntime<FlagName<F>>, prepared: P): Promise<void>;
}

/** Any shortcut, whatever its flags and prepared request. */
export type AnyShortcut = ShortcutDef<readonly FlagDef[], any>;

export function defineShortcut<const F extends readonly FlagDef[], P = undefined>(def: ShortcutDef<F, P>): ShortcutDef<F, P> {
  return def;
}

export function supportedIdentities(def: Pick<ShortcutDef, 'authTypes'>): Identity[] {
  return def.authTypes && def.authTypes.length ? def.authTypes : ['user'];
}

export function scopesFor(def: Pick<ShortcutDef, 'scopes' | 'userScopes' | 'botScopes'>, identity: Identity): string[] {
  if (identity === 'user' && def.userScopes) return def.userScopes;
  if (identity === 'bot' && def.botScopes) return def.botScopes;
  return def.scopes ?? [];
}
