/**
 * What the post-fetch enrichment middleware shares during one command run: the API caller
 * (every request goes through ONE bounded concurrency limit, so independent requests of a page
 * — thread fetches, merge-forward fetches, reaction batches, downloads — run together), the
 * identity, the brand, the sender-name cache and a stderr warning sink.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Identity } from '../core/config.js';
import type { Io } from '../core/io.js';
import type { ApiClient, ApiRequest } from '../client/api-client.js';
import { SenderNames } from './names.js';

/** What enrichment needs of the command run (a shortcut's runtime is one). */
export interface EnrichHost {
  readonly identity: Identity;
  readonly account: { brand: string };
  readonly io: Io;
  json<T = Record<string, unknown>>(req: ApiRequest): Promise<T>;
  client(): Promise<ApiClient>;
}

/** In-flight requests across all enrichment of one run (core of the "one bounded limit"). */
export const ENRICH_CONCURRENCY = 16;

export interface EnrichContext {
  identity: Identity;
  brand: string;
  /** json-call (returns `data` or throws the classified error), under the shared limit. */
  call<T = Record<string, unknown>>(req: ApiRequest): Promise<T>;
  /** Runs `fn` under the shared limit (downloads). */
  limit: LimitFunction;
  /** One stderr line (a trailing newline is added). */
  warn(line: string): void;
  /** Sender names shared by outer messages, merge-forward sub-items and thread replies. */
  names: SenderNames;
  /** The command run, for downloads (client, io, cwd). */
  rt: EnrichHost;
}

export function enrichContext(rt: EnrichHost, concurrency = ENRICH_CONCURRENCY): EnrichContext {
  const limit = pLimit(concurrency);
  const call = <T>(req: ApiRequest) => limit(() => rt.json<T>(req));
  return {
    identity: rt.identity,
    brand: rt.account.brand,
    call,
    limit,
    warn: (line) => void rt.io.stderr.write(line + '\n'),
    names: new SenderNames(),
    rt,
  };
}

/** The message of an error as the warnings print it. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
