/**
 * `+chat-update` (docs/shortcuts-chats-feed.md): rename a chat or change its description. The request
 * path and the output use the raw `--chat-id` value, as the original does.
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validateChatId } from '../../shortcut/validate.js';

const runes = (s: string) => [...s].length;

function updateBody(rt: ShortcutRuntime): Record<string, string> {
  const body: Record<string, string> = {};
  if (rt.str('name')) body.name = rt.str('name');
  if (rt.str('description')) body.description = rt.str('description');
  return body;
}

const path = (rt: ShortcutRuntime) => `/open-apis/im/v1/chats/${escapePathSegment(rt.str('chat-id'))}`;

export default defineShortcut({
  service: 'im',
  command: '+chat-update',
  description: "Rename a chat or change its description (needs owner/admin rights); user/bot",
  risk: 'write',
  authTypes: ['user', 'bot'],
  scopes: ['im:chat:update'],
  hasFormat: true,
  pretty: 'chat-update',
  flags: [
    { name: 'chat-id', required: true, desc: 'chat ID (oc_xxx)' },
    { name: 'name', desc: 'new chat name (max 60 characters)' },
    { name: 'description', desc: 'new chat description (max 100 characters)' },
  ],
  validate(rt) {
    validateChatId(rt.str('chat-id'));
    const name = rt.str('name');
    if (runes(name) > 60) throw new CliError('validation', `--name exceeds the maximum of 60 characters (got ${runes(name)})`);
    const desc = rt.str('description');
    if (runes(desc) > 100) throw new CliError('validation', `--description exceeds the maximum of 100 characters (got ${runes(desc)})`);
  },
  prepare(rt) {
    const body = updateBody(rt);
    if (Object.keys(body).length === 0) throw new CliError('validation', 'at least one field must be specified to update');
    return body;
  },
  dryRun(rt, body) {
    return new DryRun().put(path(rt)).params({ user_id_type: 'open_id' }).body(body);
  },
  async execute(rt, body) {
    await rt.json({ method: 'PUT', path: path(rt), query: { user_id_type: 'open_id' }, body });
    const chatId = rt.str('chat-id');
    await rt.out({ chat_id: chatId });
  },
});
