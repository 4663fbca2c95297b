/**
 * Lark's security-policy interception (codes 21000 / 21001 with a challenge URL): the check on an
 * answer, in the HTTP layer below auth and the client, which both check their answers with it.
 * The error it throws, SecurityPolicyError, is in core/errors.ts (the envelope prints it).
 */
import { SecurityPolicyError } from '../core/errors.js';
import { isPlainObject } from '../core/json.js';
import type { HttpResponse } from './transport.js';

/** Codes 21000/21001 with a challenge become a security-policy error (a JSON answer only). */
export function checkSecurityPolicy(res: HttpResponse): void {
  const ct = res.headers['content-type'] || '';
  if (!ct.includes('application/json')) return;
  const window = res.body.subarray(0, 64 * 1024);
  // looked for in the bytes: most answers are not decoded here at all
  if (window.indexOf('2100') < 0) return;
  const head = window.toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(head);
  } catch {
    return;
  }
  if (!isPlainObject(v)) return;
  const err = isPlainObject(v.error) ? v.error : undefined;
  const data = isPlainObject(v.data) ? v.data : undefined;
  const code = typeof v.code === 'number' ? v.code : typeof err?.code === 'number' ? err.code : undefined;
  if (code !== 21000 && code !== 21001) return;
  const errData = err && isPlainObject(err.data) ? err.data : undefined;
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  let url = str(data?.challenge_url) || str(errData?.challenge_url) || str(err?.challenge_url);
  url = url.replace(/^[`\s]+|[`\s]+$/g, '');
  if (url && !url.startsWith('https://')) url = '';
  const hint = str(data?.cli_hint) || str(errData?.cli_hint) || str(err?.hint);
  const message = str(v.msg) || str(err?.message);
  if (!message && !url && !hint) return;
  throw new SecurityPolicyError(code === 21000 ? 'challenge_required' : 'access_denied', message, url || undefined, hint || undefined);
}
