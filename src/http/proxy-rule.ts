/**
 * The proxy rule, in one place: which requests go out directly and which through a proxy, and
 * the warning printed when a proxy variable is set.
 *
 * Proxies come from HTTPS_PROXY / HTTP_PROXY (either case), with NO_PROXY; loopback is never
 * proxied (local emulators and tests), and LARK_CLI_NO_PROXY turns proxies off altogether. A
 * request that goes out directly is sent over node:http (./direct-http.ts; a download's ranges
 * over ./range-fetch.ts); every other one through undici's proxy agent (./transport.ts), which
 * also applies NO_PROXY.
 */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
/** Variables the warning names (ALL_PROXY is not used, but a user who set it is told). */
const WARN_VARS = [...PROXY_VARS, 'ALL_PROXY', 'all_proxy'];

/**
 * Whether a request to `url` goes out directly (no proxy): never with LARK_CLI_NO_PROXY set,
 * never to loopback, else only when no HTTPS_PROXY/HTTP_PROXY is set. With one set the proxy
 * agent decides (NO_PROXY matching stays its business).
 */
export function directConnection(env: Record<string, string | undefined>, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (env.LARK_CLI_NO_PROXY) return true;
  if (LOOPBACK.has(u.hostname)) return true;
  return !PROXY_VARS.some((k) => env[k]);
}

/** `http://user:pw@proxy:8080` → `http://***@proxy:8080/` (the proxy warning). */
export function redactProxy(value: string): string {
  try {
    const u = new URL(value);
    if (u.username || u.password) return `${u.protocol}//***@${u.host}${u.pathname || '/'}`;
    return value;
  } catch {
    const at = value.lastIndexOf('@');
    return at >= 0 ? `***@${value.slice(at + 1)}` : value;
  }
}

/** The warning line for a set proxy variable (none with LARK_CLI_NO_PROXY or no variable). */
export function proxyWarning(env: Record<string, string | undefined>): string | undefined {
  if (env.LARK_CLI_NO_PROXY) return undefined;
  const v = WARN_VARS.find((k) => env[k]);
  if (!v) return undefined;
  return `[lark-cli] [WARN] proxy detected: ${v}=${redactProxy(env[v]!)} — requests (including credentials) will transit through this proxy. Set LARK_CLI_NO_PROXY=1 to disable proxy.\n`;
}
