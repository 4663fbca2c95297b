/**
 * The message content of `+messages-send` and `+messages-reply` (docs/shortcuts-write.md): its
 * shape, the @mention rewrite, the idempotency `uuid` and the success output. The flags and
 * their checks are message-flags.ts, the dry-run content message-dry-run.ts, the content with
 * uploads message-upload.ts.
 */
import { randomUUID } from '../core/node-crypto.js';
import { goValueText } from '../core/json.js';
import { formatLocalSeconds, leadingInt } from '../core/time.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';

const MENTION_RE = /<at[\t\n\f\r ]+(id|open_id|user_id)=("?)([^"\t\n\f\r />]+)"?[\t\n\f\r ]*\/?>/g;

export function normalizeAtMentions(content: string): string {
  return content.replace(MENTION_RE, (_m, _kind: string, _q: string, id: string) => `<at user_id="${id}">`);
}

export interface MessageContent {
  msgType: string;
  content: string;
  /** Dry-run only: what the placeholders stand for. */
  description?: string;
}

/** @mentions rewritten to `<at user_id="…">` in text and post content. */
export function withMentions(c: MessageContent): MessageContent {
  return c.msgType === 'text' || c.msgType === 'post' ? { ...c, content: normalizeAtMentions(c.content) } : c;
}

/**
 * The `uuid` of a send/reply: the idempotency key, else a UUID v4 made once per run (so the
 * transport's retries of the request carry the same one).
 */
export function messageUuid(rt: ShortcutRuntime): string {
  return rt.str('idempotency-key') || randomUUID();
}

/** `create_time` as local `YYYY-MM-DD HH:MM:SS`. */
export function formatCreateTime(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = goValueText(v);
  if (s === '') return '';
  let n = leadingInt(s);
  if (n === 0) return s;
  if (n > 1e12) n = Math.trunc(n / 1000);
  return formatLocalSeconds(n);
}

/** The output `data` of a send or reply. */
export function messageResult(data: Record<string, unknown>): Record<string, unknown> {
  return {
    chat_id: data.chat_id ?? null,
    create_time: formatCreateTime(data.create_time),
    message_id: data.message_id ?? null,
  };
}
