/**
 * `+messages-reply` (docs/shortcuts-write.md): reply to a message, optionally inside its thread.
 * Content flags, dry-run content and uploads live in `src/im/message-flags.ts`,
 * `message-dry-run.ts` and `message-upload.ts`, shared with `+messages-send`.
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validateMessageId } from '../../shortcut/validate.js';
import { messageResult, messageUuid } from '../message-content.js';
import { dryRunContent } from '../message-dry-run.js';
import { checkContentFlags, checkMediaPaths, CONTENT_FLAG, MESSAGE_SEND_ACCESS } from '../message-flags.js';
import { buildContent } from '../message-upload.js';

function replyBody(rt: ShortcutRuntime, content: string, msgType: string, uuid: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { content, msg_type: msgType };
  if (rt.bool('reply-in-thread')) body.reply_in_thread = true;
  if (uuid) body.uuid = uuid;
  return body;
}

export default defineShortcut({
  service: 'im',
  command: '+messages-reply',
  description:
    'Reply to a message (supports thread replies); user/bot; supports text/markdown/post/media replies, reply-in-thread, idempotency key',
  ...MESSAGE_SEND_ACCESS,
  flags: [
    { name: 'message-id', desc: 'message ID (om_xxx)', required: true },
    CONTENT_FLAG.msgType,
    CONTENT_FLAG.content,
    CONTENT_FLAG.text,
    CONTENT_FLAG.markdown,
    CONTENT_FLAG.image,
    CONTENT_FLAG.file,
    CONTENT_FLAG.video,
    CONTENT_FLAG.videoCover,
    CONTENT_FLAG.audio,
    { name: 'reply-in-thread', type: 'bool', desc: 'reply in thread (message appears in thread stream instead of main chat)' },
    CONTENT_FLAG.idempotencyKey,
  ],
  validate(rt) {
    checkMediaPaths(rt);
    if (rt.str('message-id') === '') throw new CliError('validation', '--message-id is required (om_xxx)');
    validateMessageId(rt.str('message-id'));
    checkContentFlags(rt);
  },
  dryRun(rt) {
    const c = dryRunContent(rt);
    const plan = new DryRun();
    if (c.description) plan.desc(c.description);
    return plan
      .post('/open-apis/im/v1/messages/:message_id/reply')
      .body(replyBody(rt, c.content, c.msgType, rt.str('idempotency-key') || undefined))
      .set('message_id', rt.str('message-id'));
  },
  async execute(rt) {
    checkMediaPaths(rt);
    const c = await buildContent(rt);
    const data = await rt.json<Record<string, unknown>>({
      method: 'POST',
      path: `/open-apis/im/v1/messages/${escapePathSegment(rt.str('message-id'))}/reply`,
      body: replyBody(rt, c.content, c.msgType, messageUuid(rt)),
      idempotent: true,
    });
    await rt.out(messageResult(data));
  },
});
