/**
 * The dry-run description (docs/shortcuts-framework.md): an optional description, an ordered list of calls
 * and extra fields; printed as JSON or, with --format pretty, as text.
 */
import { goValueText, ordered, stringify, toPrettyJson } from '../core/json.js';
import { escapePathSegment, goQueryEscape } from '../core/url.js';

export interface DryRunCall {
  desc?: string;
  method: string;
  url: string;
  params?: Record<string, unknown>;
  body?: unknown;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'object' && !Array.isArray(v)) return Object.keys(v as object).length === 0;
  return false;
}

export class DryRun {
  description?: string;
  readonly calls: DryRunCall[] = [];
  readonly extra: Record<string, unknown> = {};

  /** Before any call: the plan's description; after a call: that call's `desc`. */
  desc(text: string): this {
    const last = this.calls[this.calls.length - 1];
    if (last) last.desc = text;
    else this.description = text;
    return this;
  }

  call(method: string, url: string): this {
    this.calls.push({ method, url });
    return this;
  }
  get(url: string): this {
    return this.call('GET', url);
  }
  post(url: string): this {
    return this.call('POST', url);
  }
  put(url: string): this {
    return this.call('PUT', url);
  }
  patch(url: string): this {
    return this.call('PATCH', url);
  }
  delete(url: string): this {
    return this.call('DELETE', url);
  }

  params(p: Record<string, unknown>): this {
    const last = this.calls[this.calls.length - 1];
    if (last) last.params = p;
    return this;
  }

  body(b: unknown): this {
    const last = this.calls[this.calls.length - 1];
    if (last) last.body = b;
    return this;
  }

  set(key: string, value: unknown): this {
    this.extra[key] = value;
    return this;
  }

  private resolvedUrl(url: string): string {
    let out = url;
    for (const [k, v] of Object.entries(this.extra)) {
      if (typeof v === 'string' || typeof v === 'number') out = out.split(`:${k}`).join(escapePathSegment(String(v)));
    }
    return out;
  }

  toJson(): Record<string, unknown> {
    const doc: Record<string, unknown> = { ...this.extra };
    doc.api = this.calls.map((c) => {
      const o = ordered<Record<string, unknown>>({});
      if (c.desc) o.desc = c.desc;
      o.method = c.method;
      o.url = this.resolvedUrl(c.url);
      if (!isEmpty(c.params)) o.params = c.params;
      if (!isEmpty(c.body)) o.body = c.body;
      return o;
    });
    if (this.description) doc.description = this.description;
    return doc;
  }

  renderJson(): string {
    return toPrettyJson(this.toJson());
  }

  renderText(): string {
    const lines: string[] = [];
    if (this.description) lines.push(`# ${this.description}`);
    this.calls.forEach((c, i) => {
      if (i > 0 || this.description) lines.push('');
      if (c.desc) lines.push(`# ${c.desc}`);
      let line = `${c.method} ${this.resolvedUrl(c.url)}`;
      if (!isEmpty(c.params)) line += `?${formEncode(c.params!)}`;
      lines.push(line);
      if (!isEmpty(c.body)) lines.push(`  ${stringify(c.body)}`);
    });
    if (this.calls.length === 0) {
      const keys = Object.keys(this.extra).sort();
      if (keys.length && this.description) lines.push('');
      for (const k of keys) {
        const v = this.extra[k];
        if (v === null || v === undefined) continue;
        lines.push(`${k}: ${typeof v === 'string' ? v : stringify(v)}`);
      }
    }
    return lines.join('\n') + '\n';
  }
}

/** Form encoding with keys sorted; values with Go `%v` (arrays print whole, a quirk kept). */
export function formEncode(params: Record<string, unknown>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(goValueText(params[k]))}`)
    .join('&');
}
