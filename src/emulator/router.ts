/**
 * Routes: a method, a path pattern with `:params`, the tokens the endpoint takes, its scopes and
 * its handler. Domain files under routes/ each export a list; the server matches them in order.
 */
import type { AuthRule, Caller } from './access.js';
import type { Emulator } from './emulator.js';
import type { Reply } from './lark.js';
import type { MultipartBody } from './multipart.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EmuRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  raw: Buffer;
  /** The JSON body (an object, array or value), or undefined when there is none. */
  json: unknown;
  /** application/x-www-form-urlencoded fields. */
  form?: Record<string, string>;
  multipart?: MultipartBody;
  /** Set for routes whose auth rule is not 'none'. */
  caller: Caller | null;
  /** Emulator-clock ms when the request arrived. */
  now: number;
}

export interface Route {
  method: Method;
  /** e.g. `/open-apis/im/v1/chats/:chat_id` */
  path: string;
  auth: AuthRule;
  /** Any one of these scopes suffices (checked for bots against the app, for users against the token too). */
  scopes?: string[];
  handler: (req: EmuRequest, emu: Emulator) => Reply | Promise<Reply>;
}

export interface CompiledRoute extends Route {
  re: RegExp;
  names: string[];
}

export function compileRoute(r: Route): CompiledRoute {
  const names: string[] = [];
  const src = r.path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      if (seg === '*') return '.*';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...r, re: new RegExp(`^${src}/?$`), names };
}

export interface Match {
  route: CompiledRoute;
  params: Record<string, string>;
}

/** The first route whose pattern fits; `methodMismatch` when only another method fits. */
export function matchRoute(routes: CompiledRoute[], method: string, path: string): Match | 'methodMismatch' | undefined {
  let other = false;
  for (const route of routes) {
    const m = route.re.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      other = true;
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        params[n] = m[i + 1]!;
      }
    });
    return { route, params };
  }
  return other ? 'methodMismatch' : undefined;
}

/** Does a fault pattern (`/open-apis/im/v1/messages/:id`, `*` for any rest) match the path? */
export function patternMatches(pattern: string, path: string): boolean {
  return compileRoute({ method: 'GET', path: pattern, auth: 'none', handler: () => ({ status: 200 }) }).re.test(path);
}

let registry: Route[] = [];

/** Records the full route list (routes/index.ts does, when it builds it). */
export function setRouteRegistry(routes: Route[]): void {
  registry = routes;
}

/** The full route list, for handlers that describe the platform (the app's scopes). */
export function routeRegistry(): Route[] {
  return registry;
}
