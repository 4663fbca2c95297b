/**
 * The JSON document of `--page-all` (`api`, `im <resource> <method>`), written while the pages
 * arrive: the merged envelope's opening once a second result shows there is something to merge,
 * each page's items as they come, the closing after the last page. The bytes are those of
 * `toPrettyJson(mergePages(results))` (api-response.ts), which `--jq` still uses; the walk keeps
 * no page behind it. docs/generic-commands.md (Pagination) describes the output and what a failure leaves on stdout.
 */
import type { Io, OutStream } from '../core/io.js';
import { isPlainObject, quoteString, stringifyFast } from '../core/json.js';
import { findListField } from './list-field.js';

/** `value` as indented JSON whose lines after the first start with `pad` (JSON strings hold no raw newline). */
function prettyAt(value: unknown, pad: string): string {
  const text = stringifyFast(value, 2);
  return pad === '' ? text : text.replace(/\n/g, '\n' + pad);
}

/** The items of an array, indented for `pad`, each after a newline, joined by commas (no brackets). */
function itemsAt(items: unknown[], pad: string): string {
  if (items.length === 0) return '';
  // `[\n  a,\n  b\n]` → `\n<pad>a,\n<pad>b`
  const text = stringifyFast(items, 2);
  return text.slice(1, -2).replace(/\n/g, '\n' + pad.slice(2));
}

/**
 * Writes `text` to stdout; when the stream asks to wait (a slow reader on a stream that buffers),
 * resolves on `drain`, so a fast server does not pile pages up in memory.
 */
export function writeOut(io: Io, text: string): void | Promise<void> {
  const out = io.stdout as OutStream & { once?(event: 'drain', fn: () => void): unknown };
  if (out.write(text) !== false || typeof out.once !== 'function') return;
  return new Promise<void>((resolve) => out.once!('drain', resolve));
}

const MERGE_DROPPED = new Set(['page_token', 'next_page_token']);

/** Streams the merged JSON of a page walk; one result is left to the caller (printed as it came). */
export class JsonPageStream {
  /** Page 1, held until a second result shows the walk will merge. */
  private first: unknown;
  private hasFirst = false;
  private started = false;
  private mode: 'merge' | 'pages' = 'pages';
  private field = '';
  private tail = '';
  private written = 0;
  private items = 0;

  constructor(private readonly io: Io) {}

  /** Every result of the walk, in order (`paginate`'s `onResult`). */
  async result(response: unknown): Promise<void> {
    if (!this.started && !this.hasFirst) {
      this.first = response;
      this.hasFirst = true;
      return;
    }
    if (!this.started) await this.start();
    await this.add(response);
  }

  /** After a walk of two results or more: closes the document and prints the merge line. */
  async finish(count: number): Promise<void> {
    if (!this.started) await this.start();
    if (this.mode === 'pages') {
      await writeOut(this.io, '\n  ]\n}\n');
      return;
    }
    await writeOut(this.io, (this.written ? '\n    ]' : ']') + this.tail);
    this.io.stderr.write(`[pagination] merged ${count} pages, ${this.items} total items\n`);
  }

  /** The document's opening and the first page (as mergePages: a list field in page 1's data, or `{"pages": […]}`). */
  private async start(): Promise<void> {
    this.started = true;
    const first = this.first;
    this.first = undefined;
    const data = isPlainObject(first) && isPlainObject(first.data) ? first.data : undefined;
    const field = data ? findListField(data) : undefined;
    if (!data || !field) {
      this.mode = 'pages';
      await writeOut(this.io, '{\n  "pages": [');
      await this.add(first);
      return;
    }
    this.mode = 'merge';
    this.field = field;
    const top = first as Record<string, unknown>;
    const merged: Record<string, unknown> = {};
    for (const k of Object.keys(data)) if (!MERGE_DROPPED.has(k)) merged[k] = data[k];
    merged.has_more = false;
    // keys print sorted (parsed objects are not `ordered`): what precedes the list goes out now,
    // what follows it is known already and waits for the end
    let dataHead = '';
    let dataTail = '';
    let afterField = false;
    for (const k of Object.keys(merged).sort()) {
      if (merged[k] === undefined) continue;
      if (k === field) {
        dataHead += (dataHead ? ',\n    ' : '\n    ') + quoteString(k) + ': [';
        afterField = true;
      } else if (afterField) dataTail += ',\n    ' + quoteString(k) + ': ' + prettyAt(merged[k], '    ');
      else dataHead += (dataHead ? ',\n    ' : '\n    ') + quoteString(k) + ': ' + prettyAt(merged[k], '    ');
    }
    let head = '';
    let tail = '';
    let afterData = false;
    for (const k of Object.keys(top).sort()) {
      if (top[k] === undefined) continue;
      if (k === 'data') {
        head += (head ? ',\n  ' : '\n  ') + '"data": {' + dataHead;
        tail += dataTail + '\n  }';
        afterData = true;
      } else if (afterData) tail += ',\n  ' + quoteString(k) + ': ' + prettyAt(top[k], '  ');
      else head += (head ? ',\n  ' : '\n  ') + quoteString(k) + ': ' + prettyAt(top[k], '  ');
    }
    head = '{' + head;
    this.tail = tail + '\n}\n';
    await writeOut(this.io, head);
    await this.add(first);
  }

  /** One result's contribution: its list items (merge), or the whole result (pages). */
  private async add(response: unknown): Promise<void> {
    if (this.mode === 'pages') {
      await writeOut(this.io, (this.written++ ? ',' : '') + '\n    ' + prettyAt(response, '    '));
      return;
    }
    if (!isPlainObject(response) || !isPlainObject(response.data)) return;
    const list = response.data[this.field];
    if (!Array.isArray(list) || list.length === 0) return;
    this.items += list.length;
    const text = itemsAt(list, '      ');
    await writeOut(this.io, this.written ? ',' + text : text);
    this.written += list.length;
  }
}
