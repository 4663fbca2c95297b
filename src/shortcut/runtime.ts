/**
 * What a shortcut's hooks see (core.md §11.4): flag accessors, identity, the API client
 * (loaded only when a hook first calls the API), output helpers.
 */
import type { Identity } from '../core/config.js';
import type { Account, Context } from '../core/context.js';
import type { Io } from '../core/io.js';
import type { ApiClient, ApiRequest } from '../http/client.js';
import { emitResult } from '../output/emit.js';
import type { ShortcutDef } from './define.js';

export type FlagValues = Record<string, string | boolean | number | string[] | undefined>;

export class ShortcutRuntime {
  private clientPromise?: Promise<ApiClient>;

  constructor(
    readonly def: ShortcutDef,
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

  str(name: string): string {
    const v = this.values[name];
    return typeof v === 'string' ? v : v === undefined ? '' : String(v);
  }

  bool(name: string): boolean {
    return this.values[name] === true;
  }

  int(name: string): number {
    const v = this.values[name];
    return typeof v === 'number' ? v : Number(v ?? 0);
  }

  arr(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
  }

  /** Was the flag given on the command line? */
  has(name: string): boolean {
    return this.given.has(name);
  }

  client(): Promise<ApiClient> {
    this.clientPromise ??= import('../http/client.js').then(
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
   * `'json'` for shortcuts that accept --format but always print the envelope (core.md §10.6).
   */
  async out(data: unknown, opts: { pretty?: (data: unknown) => string; count?: number; format?: string } = {}): Promise<void> {
    await emitResult(
      this.io,
      { identity: this.identity, data, meta: opts.count ? { count: opts.count } : undefined },
      { format: opts.format ?? this.format, jq: this.values.jq as string | undefined, pretty: opts.pretty },
    );
  }

  /** An `ok:false` ledger on stdout, exit 1 (partial failure). */
  async outPartial(data: unknown): Promise<void> {
    await emitResult(this.io, { ok: false, identity: this.identity, data }, { format: 'json', jq: this.values.jq as string | undefined });
  }
}
