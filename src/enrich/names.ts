/**
 * Sender names (docs/shortcuts-read.md): every message read asks the server for them
 * (`with_sender_name=true`), which fills `sender.sender_name` (plus `sender_i18n_names` and, for
 * bots, `open_bot_id`) for user and bot senders alike. No other source is consulted: no mention,
 * no contact API, for any identity.
 *
 * One cache per command run, keyed by sender id: a sender named anywhere in the render tree
 * (outer messages, thread replies, merge-forward sub-items) names the same id where the server
 * left it unnamed. Printing keeps one name: `sender.name` is set, the raw `sender_name` dropped.
 */
import { isPlainObject } from '../core/json.js';

interface Named {
  sender?: unknown;
}

/** The server's display name of a sender: its plain `sender_name` ('' when absent). */
function serverSenderName(sender: Record<string, unknown>): string {
  return typeof sender.sender_name === 'string' ? sender.sender_name : '';
}

export class SenderNames {
  readonly cache = new Map<string, string>();

  /** Puts the server-provided names of the senders of `items` into the cache. */
  learn(items: Named[]): void {
    for (const it of items) {
      const s = it.sender;
      if (!isPlainObject(s) || typeof s.id !== 'string' || s.id === '') continue;
      const name = serverSenderName(s);
      if (name) this.cache.set(s.id, name);
    }
  }

  /**
   * Sets `sender.name` on every item: its own server name, else the cached name of its id (a
   * sender named nowhere keeps no `name`); then drops the raw `sender_name`, which would only
   * repeat `name`. `sender_i18n_names` and `open_bot_id` stay as sent.
   */
  attach(items: Named[]): void {
    for (const it of items) {
      const s = it.sender;
      if (!isPlainObject(s)) continue;
      const own = serverSenderName(s);
      if (own) s.name = own;
      else if (typeof s.id === 'string' && s.id !== '') {
        const cached = this.cache.get(s.id);
        if (cached !== undefined) s.name = cached;
      }
      delete s.sender_name;
    }
  }
}
