/**
 * Shortcut results through --format and --jq: the one place a
 * shortcut's data becomes stdout.
 */
import type { Io } from '../core/io.js';
import { CliError, SilentExit } from '../core/errors.js';
import { ordered, toCompactJson, toPrettyJson } from '../core/json.js';
import { buildSuccessEnvelope, paginationObject, type SuccessEnvelope } from './envelope.js';

export interface EmitOptions {
  format: string;
  jq?: string;
  /** The shortcut's human-readable renderer for --format pretty. */
  pretty?: (data: unknown) => string;
}

/** Prints the result; a partial-failure ledger (`ok:false`) exits 1 after printing. */
export async function emitResult(io: Io, env: SuccessEnvelope, opts: EmitOptions): Promise<void> {
  const envelope = buildSuccessEnvelope(env);
  await print(io, envelope, env.data, opts);
  const pagination = env.meta?.pagination;
  if (pagination && !opts.jq && (opts.format === 'ndjson' || opts.format === 'csv')) {
    // a record stream has no envelope for meta: how the walk ended goes to stderr as one JSON line
    io.stderr.write(toCompactJson(ordered({ _diagnostic: 'pagination', ...paginationObject(pagination) })) + '\n');
  }
  if (env.ok === false) throw new SilentExit(1);
}

async function print(io: Io, envelope: Record<string, unknown>, data: unknown, opts: EmitOptions): Promise<void> {
  if (opts.jq) {
    const { runJq } = await import('./jq.js');
    try {
      io.stdout.write(await runJq(opts.jq, envelope));
    } catch (e) {
      const partial = (e as { partialOutput?: string }).partialOutput;
      if (partial) io.stdout.write(partial);
      if (e instanceof CliError && e.type === 'jq_error') io.stderr.write(`error: ${e.message}\n`);
      throw e;
    }
    return;
  }
  const format = opts.format || 'json';
  switch (format) {
    case 'json':
      io.stdout.write(toPrettyJson(envelope));
      return;
    case 'pretty':
      io.stdout.write(opts.pretty ? opts.pretty(data) : toPrettyJson(envelope));
      return;
    case 'ndjson':
    case 'table':
    case 'csv': {
      const f = await import('./formats.js');
      const list = f.findList(data);
      if (format === 'ndjson') io.stdout.write(list ? f.renderNdjson(list) : toCompactJson(data) + '\n');
      else if (format === 'table') io.stdout.write(f.renderTable(list ?? data));
      else io.stdout.write(f.renderCsv(list ?? data));
      return;
    }
    default:
      io.stderr.write(`warning: unknown format "${format}", falling back to json\n`);
      io.stdout.write(toPrettyJson(data));
  }
}
