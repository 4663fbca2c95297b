/**
 * The `Content-Range` header of a 206 answer.
 */
import { CliError } from '../core/errors.js';

export interface ContentRange {
  start: number;
  end: number;
  total: number;
}

function rangeError(reason: string): CliError {
  return new CliError('network', `invalid Content-Range header on range response: ${reason}`);
}

/** `bytes <start>-<end>/<total>` with the original's messages, fully checked. */
export function parseContentRange(header: string | undefined): ContentRange {
  const h = (header ?? '').trim();
  if (h === '') throw rangeError('content-range is empty');
  const unsupported = () => rangeError(`unsupported content-range: ${JSON.stringify(h)}`);
  if (!h.startsWith('bytes ')) throw unsupported();
  const rest = h.slice(6);
  const slash = rest.indexOf('/');
  if (slash < 0 || rest.slice(slash + 1) === '') throw unsupported();
  const span = rest.slice(0, slash);
  const totalText = rest.slice(slash + 1);
  if (span === '*') throw unsupported();
  if (totalText === '*') throw rangeError(`unknown total size in content-range: ${JSON.stringify(h)}`);
  if (!/^[+-]?\d+$/.test(totalText)) throw rangeError(`parse total size: strconv.ParseInt: parsing ${JSON.stringify(totalText)}: invalid syntax`);
  const total = Number(totalText);
  if (!Number.isSafeInteger(total)) throw rangeError(`parse total size: strconv.ParseInt: parsing ${JSON.stringify(totalText)}: value out of range`);
  if (total <= 0) throw rangeError(`invalid total size: ${total}`);
  const m = /^(\d+)-(\d+)$/.exec(span);
  if (!m) throw unsupported();
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= total) throw unsupported();
  return { start, end, total };
}
