/**
 * What a shortcut's hooks see (docs/shortcuts-framework.md): flag accessors typed by the
 * shortcut's flag names, identity, the API client (loaded only when a hook first calls the API),
 * output helpers.
 */
import type { Identity } from '../core/config.js';
import type { Account, Context } from '../core/context.js';
import type { Io } from '../core/io.js';
import type { ApiClient, ApiRequest } from '../client/api-client.js';
import { emitResult } from '../output/emit.js';
import type { PaginationMeta } from '../output/envelope.js';
import { loadPretty, type PrettyName } from './pretty.js';

export type FlagValues = Record<string, string | boolean | number | string[] | undefined>;

/** What the runtime needs to know of its shortcut. */
export interface ShortcutInfo {
  readonly service: string;
  readonly command: string;
  readonly pretty?: PrettyName;
  /** Declares format support (a shortcut without it prints `pretty` as the generic table). */
  readonly hasFormat?: boolean;
}

export interface OutOptions {
  /** A renderer written in place; otherwise the shortcut's declared `pretty` renderer is used. */
  pretty?: (data: unknown) => string;
  /** Handed to the declared renderer beside the data (what the output holds only in part). */
  prettyExtra?: Record<string, unknown>;
  count?: number;
  /** How the list walk ended (page-all.ts): `meta.pagination`, or a stderr line for ndjson/csv. */
  pagination?: PaginationMeta;
  format?: string;
}

/** `N`: the flag names the shortcut declared, plus the framework's. */
export class ShortcutRuntime<N extends string = string> {
  private clientPromise?: Promise<ApiClient>;

  constructor(
    readonly def: ShortcutInfo,
    readonly ctx: Context,
    readonly identity: Identity,
    /** Flag values after enum checks and input resolution. */
    readonly values: FlagValues,
    /** Names of flags the user typed. */
    readonly given: ReadonlySet<string>,
  ) {}

  get io(): Io {
    return this.ctx.io;
  }

  get account(): Account {
    return this.ctx.account();
  }

  get format(): string {
    return (this.values.format as string | undefined) ?? 'json';
  }

  get dryRun(): boolean {
    return this.values['dry-run'] === true;
  }

  str(name: N): string {
    const v = this.values[name];
    return typeof v === 'string' ? v : v === undefined ? '' : String(v);
  }

  bool(name: N): boolean {
    return this.values[name] === true;
  }

  int(name: N): number {
    const v = this.values[name];
    return typeof v === 'number' ? v : Number(v ?? 0);
  }

  arr(name: N): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
  }

  /** Was the flag given on the command line? */
  has(name: N): boolean {
    return this.given.has(name);
  }

  client(): Promise<ApiClient> {
    this.clientPromise ??= import('../client/api-client.js').then(
      ({ ApiClient }) => new ApiClient(this.ctx, this.identity, { shortcut: `${this.def.service}:${this.def.command}` }),
    );
    return this.clientPromise;
  }

  /** json-call: returns `data` or throws the classified error. */
  async json<T = Record<string, unknown>>(req: ApiRequest): Promise<T> {
    return (await this.client()).json<T>(req);
  }

  /**
   * Prints the success envelope (or the chosen format / --jq). `format` overrides --format:
   * `'json'` for shortcuts that accept --format but always print the envelope. With --format
   * pretty the declared renderer is loaded here, so no other output path loads it.
   */
  async out(data: unknown, opts: OutOptions = {}): Promise<void> {
    let format = opts.format ?? this.format;
    // a shortcut without format support of its own prints `pretty` as the generic table
    if (format === 'pretty' && !opts.pretty && !this.def.pretty && !this.def.hasFormat) format = 'table';
    let pretty = opts.pretty;
    if (!pretty && format === 'pretty' && this.def.pretty) {
      const render = await loadPretty(this.def.pretty);
      pretty = (d) => render(d, opts.prettyExtra ?? {});
    }
    await emitResult(
      this.io,
      { identity: this.identity, data, meta: opts.count || opts.pagination ? { count: opts.count, pagination: opts.pagination } : undefined },
      { format, jq: this.values.jq as string | undefined, pretty },
    );
  }

  /** An `ok:false` ledger on stdout, exit 1 (partial failure). */
  async outPartial(data: unknown): Promise<void> {
    await emitResult(this.io, { ok: false, identity: this.identity, data }, { format: 'json', jq: this.values.jq as string | undefined });
  }
}
