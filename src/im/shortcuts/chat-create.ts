/**
 * `+chat-create` (docs/shortcuts-chats-feed.md): create a group or topic chat, then try to fetch its
 * share link (silently omitted on any failure).
 */
import { CliError } from '../../core/errors.js';
import { escapePathSegment } from '../../core/url.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { splitCsv, validateUserId } from '../../shortcut/validate.js';

const runes = (s: string) => [...s].length;

function createBody(rt: ShortcutRuntime): Record<string, unknown> {
  const body: Record<string, unknown> = { chat_type: rt.str('type'), chat_mode: rt.str('chat-mode') || 'group' };
  if (rt.str('name')) body.name = rt.str('name');
  if (rt.str('description')) body.description = rt.str('description');
  if (rt.str('users')) body.user_id_list = splitCsv(rt.str('users'));
  if (rt.str('bots')) body.bot_id_list = splitCsv(rt.str('bots'));
  if (rt.str('owner')) body.owner_id = rt.str('owner');
  return body;
}

export default defineShortcut({
  service: 'im',
  command: '+chat-create',
  description: 'Create a group chat or topic chat (--chat-mode), private or public, optionally inviting users and bots; user/bot',
  risk: 'write',
  authTypes: ['bot', 'user'],
  userScopes: ['im:chat:create_by_user'],
  botScopes: ['im:chat:create'],
  hasFormat: true,
  pretty: 'chat-create',
  flags: [
    { name: 'name', desc: 'chat name (max 60 characters; at least 2 for public chats)' },
    { name: 'description', desc: 'chat description (max 100 characters)' },
    { name: 'users', desc: 'user open_ids (ou_xxx) to invite, comma-separated, max 50' },
    { name: 'bots', desc: 'bot app IDs (cli_xxx) to invite, comma-separated, max 5' },
    { name: 'owner', desc: 'owner open_id (ou_xxx); default: the creating bot or user' },
    { name: 'type', default: 'private', desc: 'chat visibility', enum: ['private', 'public'] },
    { name: 'chat-mode', default: 'group', desc: 'chat mode; topic creates a whole topic chat', enum: ['group', 'topic'] },
    { name: 'set-bot-manager', type: 'bool', desc: 'make the creating bot a chat manager (bot identity only)' },
  ],
  validate(rt) {
    if (rt.bool('set-bot-manager') && rt.identity !== 'bot') {
      throw new CliError('validation', '--set-bot-manager is only supported with bot identity (--as bot)');
    }
    const name = rt.str('name');
    if (rt.str('type') === 'public' && runes(name) < 2) {
      throw new CliError('validation', '--name is required for public groups and must be at least 2 characters');
    }
    if (runes(name) > 60) throw new CliError('validation', `--name exceeds the maximum of 60 characters (got ${runes(name)})`);
    const desc = rt.str('description');
    if (runes(desc) > 100) throw new CliError('validation', `--description exceeds the maximum of 100 characters (got ${runes(desc)})`);
    if (rt.str('users')) {
      const ids = splitCsv(rt.str('users'));
      if (ids.length > 50) throw new CliError('validation', `--users exceeds the maximum of 50 (got ${ids.length})`);
      ids.forEach(validateUserId);
    }
    if (rt.str('bots')) {
      const ids = splitCsv(rt.str('bots'));
      if (ids.length > 5) throw new CliError('validation', `--bots exceeds the maximum of 5 (got ${ids.length})`);
      for (const id of ids) if (!id.startsWith('cli_')) throw new CliError('validation', `invalid bot id "${id}": expected app ID (cli_xxx)`);
    }
    if (rt.str('owner')) validateUserId(rt.str('owner'));
  },
  dryRun(rt) {
    const params: Record<string, unknown> = { user_id_type: 'open_id' };
    if (rt.bool('set-bot-manager') && rt.identity === 'bot') params.set_bot_manager = true;
    return new DryRun().post('/open-apis/im/v1/chats').params(params).body(createBody(rt));
  },
  async execute(rt) {
    const query: Record<string, string> = { user_id_type: 'open_id' };
    if (rt.bool('set-bot-manager')) query.set_bot_manager = 'true';
    const res = await rt.json<Record<string, unknown>>({ method: 'POST', path: '/open-apis/im/v1/chats', query, body: createBody(rt) });
    const data: Record<string, unknown> = {
      chat_id: res.chat_id ?? null,
      name: res.name ?? null,
      chat_type: res.chat_type ?? null,
      owner_id: res.owner_id ?? null,
      external: res.external ?? null,
    };
    if (typeof res.chat_id === 'string' && res.chat_id !== '') {
      try {
        const link = await rt.json<Record<string, unknown>>({ method: 'POST', path: `/open-apis/im/v1/chats/${escapePathSegment(res.chat_id)}/link` });
        data.share_link = link.share_link ?? null;
      } catch {
        // the share link is optional: any failure just leaves it out
      }
    }
    await rt.out(data);
  },
});
