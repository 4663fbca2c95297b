/**
 * `+messages-send` (docs/shortcuts-write.md): send a message to a chat (`--chat-id`) or to a user's
 * direct chat (`--user-id`). Content building, uploads and validation live in
 * `src/im/message-flags.ts`, `message-dry-run.ts` and `message-upload.ts`, shared with
 * `+messages-reply`.
 */
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { exactlyOne, validateChatId, validateUserId } from '../../shortcut/validate.js';
import { messageResult, messageUuid } from '../message-content.js';
import { dryRunContent } from '../message-dry-run.js';
import { checkContentFlags, checkMediaPaths, CONTENT_FLAG, MESSAGE_SEND_ACCESS } from '../message-flags.js';
import { buildContent } from '../message-upload.js';

const MEMBERSHIP_NOTE =
  'NOTE: dry-run validates request shape only. Bot/user membership in the target chat is not verified; the real send may fail with `Bot/User can NOT be out of the chat`.';

/** receive_id_type and the raw receive_id (the flag value is sent as given). */
function target(rt: ShortcutRuntime): { type: 'chat_id' | 'open_id'; id: string } {
  const user = rt.str('user-id');
  return user ? { type: 'open_id', id: user } : { type: 'chat_id', id: rt.str('chat-id') };
}

export default defineShortcut({
  service: 'im',
  command: '+messages-send',
  description:
    'Send a message to a chat or direct message; user/bot; sends to chat-id or user-id with text/markdown/post/media, supports idempotency key',
  ...MESSAGE_SEND_ACCESS,
  flags: [
    { name: 'chat-id', desc: '(required, mutually exclusive with --user-id) chat ID (oc_xxx)' },
    { name: 'user-id', desc: '(required, mutually exclusive with --chat-id) user open_id (ou_xxx)' },
    CONTENT_FLAG.msgType,
    CONTENT_FLAG.content,
    CONTENT_FLAG.text,
    CONTENT_FLAG.markdown,
    CONTENT_FLAG.idempotencyKey,
    CONTENT_FLAG.image,
    CONTENT_FLAG.file,
    CONTENT_FLAG.video,
    CONTENT_FLAG.videoCover,
    CONTENT_FLAG.audio,
  ],
  validate(rt) {
    checkMediaPaths(rt);
    const chat = rt.str('chat-id');
    const user = rt.str('user-id');
    exactlyOne({ 'chat-id': chat !== '', 'user-id': user !== '' });
    if (chat) validateChatId(chat);
    if (user) validateUserId(user);
    checkContentFlags(rt);
  },
  dryRun(rt) {
    const c = dryRunContent(rt);
    const t = target(rt);
    const body: Record<string, unknown> = { content: c.content, msg_type: c.msgType, receive_id: t.id };
    if (rt.str('idempotency-key')) body.uuid = rt.str('idempotency-key');
    const plan = new DryRun();
    if (c.description) plan.desc(c.description);
    plan.post('/open-apis/im/v1/messages').params({ receive_id_type: t.type }).body(body);
    if (rt.str('chat-id')) plan.desc(MEMBERSHIP_NOTE);
    return plan;
  },
  async execute(rt) {
    checkMediaPaths(rt);
    const c = await buildContent(rt);
    const t = target(rt);
    const data = await rt.json<Record<string, unknown>>({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      query: { receive_id_type: t.type },
      body: { content: c.content, msg_type: c.msgType, receive_id: t.id, uuid: messageUuid(rt) },
      idempotent: true,
    });
    await rt.out(messageResult(data));
  },
});
