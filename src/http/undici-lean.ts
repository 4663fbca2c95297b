/**
 * The parts of undici the transport uses, loaded without undici's package entry.
 *
 * `import 'undici'` evaluates the whole library (fetch, WebSocket, EventSource, cache stores,
 * mock agents: ~150 CommonJS files), about 100 ms on a 2-core machine, on every command that
 * makes a request. The transport needs an Agent, the redirect interceptor and the `request` API,
 * which load in about a third of that; EnvHttpProxyAgent is loaded only when a proxy is
 * configured. (Multipart bodies are the CLI's own stream: ./multipart.ts.)
 *
 * The internal paths are those of undici 7 (the package has no `exports` map, so they resolve).
 * Should a release move them, the full package is used instead: slower, never broken.
 * `test/unit/undici-lean.test.ts` fails when that fallback is taken, so an upgrade that moves the
 * files is noticed.
 *
 *   loadUndici(): LeanUndici  (synchronous; cached)
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method: Undici.Dispatcher.HttpMethod };

export interface LeanUndici {
  /** 'lean' (internal files) or 'full' (the package entry, after a failed lean load). */
  via: 'lean' | 'full';
  Agent: typeof Undici.Agent;
  EnvHttpProxyAgent: () => typeof Undici.EnvHttpProxyAgent;
  redirect: typeof Undici.interceptors.redirect;
  /** undici's `request(url, { ...opts, dispatcher })`. */
  request: (dispatcher: Undici.Dispatcher, url: string, opts: RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
}

let loaded: LeanUndici | undefined;

function lean(require: NodeRequire): LeanUndici {
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as new () => object;
  const api = require('undici/lib/api/index.js') as Record<string, unknown>;
  const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
  const redirect = require('undici/lib/interceptor/redirect.js') as typeof Undici.interceptors.redirect;
  const apiRequest = api.request as (this: Undici.Dispatcher, opts: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
  if (typeof Dispatcher !== 'function' || typeof Agent !== 'function' || typeof redirect !== 'function' || typeof apiRequest !== 'function' || typeof api.connect !== 'function') {
    throw new Error('unexpected undici layout');
  }
  // what the package entry does on load: dispatchers get request/stream/pipeline/connect/upgrade
  // as methods, and undici's own code relies on it (the proxy agent tunnels with `connect`)
  Object.assign(Dispatcher.prototype, api);
  return {
    via: 'lean',
    Agent,
    EnvHttpProxyAgent: () => require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof Undici.EnvHttpProxyAgent,
    redirect,
    request: (dispatcher, url, opts) => {
      // what undici's package-level request() does with a URL before calling the dispatcher
      const u = new URL(url);
      return apiRequest.call(dispatcher, { ...opts, origin: u.origin, path: `${u.pathname}${u.search}` });
    },
  };
}

function full(require: NodeRequire): LeanUndici {
  const u = require('undici') as typeof Undici;
  return {
    via: 'full',
    Agent: u.Agent,
    EnvHttpProxyAgent: () => u.EnvHttpProxyAgent,
    redirect: u.interceptors.redirect,
    request: (dispatcher, url, opts) => u.request(url, { ...opts, dispatcher }),
  };
}

export function loadUndici(): LeanUndici {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    loaded = lean(require);
  } catch {
    loaded = full(require);
  }
  return loaded;
}
