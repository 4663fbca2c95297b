/**
 * Emulated endpoints: message reactions. Add, remove (only the operator's own), list with a
 * filter and pages, and the batch query the CLI's reaction enrichment reads (docs/shortcuts-read.md:
 * `success_msg_reaction_counts`, `success_msg_reaction_details`, `fail_msg_reaction_details`).
 * Error codes and texts are Lark's 2310xx of the reaction endpoints.
 */
import { isInChat, type Caller } from '../access.js';
import { Emulator } from '../emulator.js';
import { fieldError, LarkError, newId, ok, pageSize, pageToken, readPageToken, type Reply } from '../lark.js';
import type { EmuRequest, Route } from '../router.js';
import type { ChatRec, MessageRec, ReactionRec } from '../state.js';

/** Lark's emoji keys (the reaction emoji list of the Feishu docs, 185 values; exact case). */
export const EMOJI_TYPES: ReadonlySet<string> = new Set(
  (
    'OK THUMBSUP THANKS MUSCLE FINGERHEART APPLAUSE FISTBUMP JIAYI DONE SMILE BLUSH LAUGH SMIRK LOL FACEPALM LOVE WINK PROUD WITTY SMART ' +
    'SCOWL THINKING SOB CRY ERROR NOSEPICK HAUGHTY SLAP SPITBLOOD TOASTED GLANCE DULL INNOCENTSMILE JOYFUL WOW TRICK YEAH ENOUGH TEARS ' +
    'EMBARRASSED KISS SMOOCH DROOL OBSESSED MONEY TEASE SHOWOFF COMFORT CLAP PRAISE STRIVE XBLUSH SILENT WAVE WHAT FROWN SHY DIZZY LOOKDOWN ' +
    'CHUCKLE WAIL CRAZY WHIMPER HUG BLUBBER WRONGED HUSKY SHHH SMUG ANGRY HAMMER SHOCKED TERROR PETRIFIED SKULL SWEAT SPEECHLESS SLEEP ' +
    'DROWSY YAWN SICK PUKE BETRAYED HEADSET EatingFood MeMeMe Sigh Typing Lemon Get LGTM OnIt OneSecond VRHeadset YouAreTheBest SALUTE ' +
    'SHAKE HIGHFIVE UPPERLEFT ThumbsDown SLIGHT TONGUE EYESCLOSED RoarForYou CALF BEAR BULL RAINBOWPUKE ROSE HEART PARTY LIPS BEER CAKE ' +
    'GIFT CUCUMBER Drumstick Pepper CANDIEDHAWS BubbleTea Coffee Yes No OKR CheckMark CrossMark MinusOne Hundred AWESOMEN Pin Alarm ' +
    'Loudspeaker Trophy Fire BOMB Music XmasTree Snowman XmasHat FIREWORKS 2022 REDPACKET FORTUNE LUCK FIRECRACKER StickyRiceBalls ' +
    'HEARTBROKEN POOP StatusFlashOfInspiration 18X CLEAVER Soccer Basketball GeneralDoNotDisturb Status_PrivateMessage GeneralInMeetingBusy ' +
    'StatusReading StatusInFlight GeneralBusinessTrip GeneralWorkFromHome StatusEnjoyLife GeneralTravellingCar StatusBus GeneralSun ' +
    'GeneralMoonRest MoonRabbit Mooncake JubilantRabbit TV Movie Pumpkin BeamingFace Delighted ColdSweat FullMoonFace Partying GoGoGo ' +
    'ThanksFace SaluteFace Shrug ClownFace HappyDragon'
  ).split(' '),
);

const WRITE_SCOPES = ['im:message', 'im:message.reactions:write_only'];
const READ_SCOPES = ['im:message:readonly', 'im:message.reactions:read'];
const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'];

function invalidEmoji(v: unknown): LarkError {
  return new LarkError(231001, 'reaction type is invalid.', 400, undefined, `emoji_type ${JSON.stringify(v)} is not one of Lark's emoji keys`);
}

function messageNotFound(id: string, why = 'does not exist'): LarkError {
  return new LarkError(231003, 'The message is not found, maybe not exist or deleted.', 400, undefined, `message ${id} ${why}`);
}

/** The message (not recalled) and its chat, or Lark's reaction errors. */
function messageAndChat(emu: Emulator, id: string): { msg: MessageRec; chat: ChatRec } {
  const msg = emu.db.get('messages', id);
  if (!msg) throw messageNotFound(id);
  if (msg.deleted) throw messageNotFound(id, 'was recalled');
  const chat = emu.db.get('chats', msg.chat_id);
  if (!chat || chat.deleted) {
    throw new LarkError(231004, 'The chat in which the message exists is not found, maybe not exist, deleted or archived.', 400, undefined, `chat ${msg.chat_id} does not exist`);
  }
  return { msg, chat };
}

function requireMember(chat: ChatRec, caller: Caller, code: 231002 | 231008): void {
  if (isInChat(chat, caller)) return;
  const msg = code === 231002 ? 'The operator has no permission to react on the specific message.' : 'The operator has no access to the message.';
  throw new LarkError(code, msg, 400, undefined, `${caller.identity} ${caller.actorId} is not in chat ${chat.chat_id}`);
}

function userIdType(req: EmuRequest): string {
  const v = req.query.get('user_id_type');
  if (v === null || v === '') return 'open_id';
  if (!USER_ID_TYPES.includes(v)) throw new LarkError(231014, 'user_id_type is invalid.', 400, undefined, `user_id_type "${v}"`);
  return v;
}

/** The operator id as the caller asked for it (users by user_id_type; apps always by app_id). */
function operatorId(emu: Emulator, r: ReactionRec, idType: string): string {
  if (r.operator_type === 'app' || idType === 'open_id') return r.operator_id;
  const u = emu.db.get('users', r.operator_id);
  if (!u) return r.operator_id;
  return idType === 'union_id' ? u.union_id : u.user_id;
}

/** Lark's reaction object (create, delete, list). */
function reactionView(emu: Emulator, r: ReactionRec, idType = 'open_id'): Record<string, unknown> {
  return {
    reaction_id: r.reaction_id,
    operator: { operator_id: operatorId(emu, r, idType), operator_type: r.operator_type },
    action_time: r.action_time,
    reaction_type: { emoji_type: r.emoji_type },
  };
}

function reactionsOf(emu: Emulator, messageId: string, emoji?: string): ReactionRec[] {
  const out: ReactionRec[] = [];
  for (const id of emu.db.reactionsByMessage.get(messageId) ?? []) {
    const r = emu.db.get('reactions', id);
    if (r && (!emoji || r.emoji_type === emoji)) out.push(r);
  }
  return out;
}

/**
 * One page after the cursor (the seq of the last reaction handed out), so deleting a reaction
 * never shifts a later page. `scope` ties the token to its message and filter.
 */
function pageAfter(all: ReactionRec[], scope: string, token: string | null | undefined, size: number, badToken: () => LarkError) {
  let after = 0;
  if (token) {
    let pos: number | string | undefined;
    try {
      pos = readPageToken(token, scope);
    } catch {
      throw badToken();
    }
    if (typeof pos !== 'number') throw badToken();
    after = pos;
  }
  const rest = after ? all.filter((r) => r.seq > after) : all;
  const items = rest.slice(0, size);
  const has_more = rest.length > size;
  return { items, has_more, page_token: has_more ? pageToken(scope, items[items.length - 1]!.seq) : '' };
}

function emojiFromBody(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fieldError('reaction_type', 'reaction_type is required');
  const rt = (body as { reaction_type?: unknown }).reaction_type;
  if (rt === undefined || rt === null) throw fieldError('reaction_type', 'reaction_type is required');
  if (typeof rt !== 'object' || Array.isArray(rt)) throw fieldError('reaction_type', 'reaction_type must be an object');
  const emoji = (rt as { emoji_type?: unknown }).emoji_type;
  if (emoji === undefined || emoji === null || emoji === '') throw fieldError('reaction_type.emoji_type', 'emoji_type is required');
  if (typeof emoji !== 'string') throw fieldError('reaction_type.emoji_type', 'emoji_type must be a string');
  if (!EMOJI_TYPES.has(emoji)) throw invalidEmoji(emoji);
  return emoji;
}

function createReaction(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  const messageId = req.params.message_id!;
  const { msg, chat } = messageAndChat(emu, messageId);
  requireMember(chat, caller, 231002);
  const emoji = emojiFromBody(req.json);
  const actor = Emulator.actor(caller);
  // one reaction per operator and emoji: adding it again answers the existing one
  const existing = reactionsOf(emu, msg.message_id, emoji).find((r) => r.operator_id === actor.id && r.operator_type === actor.type);
  if (existing) return ok(reactionView(emu, existing));
  const rec: ReactionRec = {
    reaction_id: newId.reaction(),
    message_id: msg.message_id,
    emoji_type: emoji,
    operator_id: actor.id,
    operator_type: actor.type,
    action_time: String(req.now),
    seq: emu.db.nextSeq(),
  };
  emu.db.put('reactions', rec.reaction_id, rec);
  return ok(reactionView(emu, rec));
}

function deleteReaction(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  const { message_id: messageId, reaction_id: reactionId } = req.params as { message_id: string; reaction_id: string };
  const { chat } = messageAndChat(emu, messageId);
  requireMember(chat, caller, 231002);
  const r = emu.db.get('reactions', reactionId);
  if (!r) throw new LarkError(231011, 'The request has an invalid reaction_id.', 400, undefined, `reaction ${reactionId} does not exist`);
  if (r.message_id !== messageId) throw new LarkError(231010, 'The reaction does not belong to the message.', 400, undefined, `reaction ${reactionId} is on ${r.message_id}`);
  const actor = Emulator.actor(caller);
  if (r.operator_id !== actor.id || r.operator_type !== actor.type) {
    throw new LarkError(231007, 'The operator has no permission to delete this reaction.', 400, undefined, `reaction ${reactionId} was added by ${r.operator_id}, not ${actor.id}`);
  }
  emu.db.del('reactions', reactionId);
  return ok(reactionView(emu, r));
}

function badPageToken(): LarkError {
  return new LarkError(231012, 'The request has an invalid pageToken.', 400, undefined, 'page_token is not one this listing gave out');
}

function listReactions(req: EmuRequest, emu: Emulator): Reply {
  const caller = req.caller!;
  const messageId = req.params.message_id!;
  const { chat } = messageAndChat(emu, messageId);
  requireMember(chat, caller, 231008);
  const idType = userIdType(req);
  const emoji = req.query.get('reaction_type') || undefined;
  if (emoji !== undefined && !EMOJI_TYPES.has(emoji)) throw invalidEmoji(emoji);
  const size = pageSize(req.query.get('page_size'), 20, 50);
  const page = pageAfter(reactionsOf(emu, messageId, emoji), `reactions:${messageId}:${emoji ?? ''}`, req.query.get('page_token'), size, badPageToken);
  const data: Record<string, unknown> = { items: page.items.map((r) => reactionView(emu, r, idType)), has_more: page.has_more };
  if (page.has_more) data.page_token = page.page_token;
  return ok(data);
}

function batchQuery(req: EmuRequest, emu: Emulator): Reply {
  const idType = userIdType(req);
  const body = req.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fieldError('queries', 'queries is required');
  const b = body as { queries?: unknown; page_size_per_message?: unknown; reaction_type?: unknown };
  if (b.queries === undefined || b.queries === null) throw fieldError('queries', 'queries is required');
  if (!Array.isArray(b.queries)) throw fieldError('queries', 'queries must be an array');
  if (b.queries.length < 1 || b.queries.length > 20) throw fieldError('queries', 'queries must hold between 1 and 20 entries');
  let size = 10;
  if (b.page_size_per_message !== undefined && b.page_size_per_message !== null) {
    const n = b.page_size_per_message;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) throw fieldError('page_size_per_message', 'page_size_per_message must be an integer between 1 and 10');
    size = n;
  }
  let emoji: string | undefined;
  if (b.reaction_type !== undefined && b.reaction_type !== null && b.reaction_type !== '') {
    if (typeof b.reaction_type !== 'string') throw fieldError('reaction_type', 'reaction_type must be a string');
    if (!EMOJI_TYPES.has(b.reaction_type)) throw invalidEmoji(b.reaction_type);
    emoji = b.reaction_type;
  }
  const counts: unknown[] = [];
  const details: unknown[] = [];
  const fails: unknown[] = [];
  b.queries.forEach((q, i) => {
    if (!q || typeof q !== 'object' || Array.isArray(q)) throw fieldError(`queries[${i}]`, 'each query must be an object');
    const { message_id: id, page_token: token } = q as { message_id?: unknown; page_token?: unknown };
    if (id !== undefined && typeof id !== 'string') throw fieldError(`queries[${i}].message_id`, 'message_id must be a string');
    if (token !== undefined && token !== null && typeof token !== 'string') throw fieldError(`queries[${i}].page_token`, 'page_token must be a string');
    const msg = id ? emu.db.get('messages', id) : undefined;
    if (!id || !msg || msg.deleted) {
      fails.push({ message_id: id ?? '', fail_reason: 'invalid' });
      return;
    }
    const all = reactionsOf(emu, id, emoji);
    let page;
    try {
      page = pageAfter(all, `batch_reactions:${id}:${emoji ?? ''}`, token as string | undefined, size, badPageToken);
    } catch {
      fails.push({ message_id: id, fail_reason: 'invalid_page_token' });
      return;
    }
    const byType = new Map<string, number>();
    for (const r of all) byType.set(r.emoji_type, (byType.get(r.emoji_type) ?? 0) + 1);
    counts.push({ message_id: id, reaction_count: [...byType].map(([reaction_type, n]) => ({ reaction_type, count: String(n) })) });
    const d: Record<string, unknown> = {
      message_id: id,
      has_more: page.has_more,
      message_reaction_items: page.items.map((r) => ({
        reaction_id: r.reaction_id,
        operator: { operator_id: operatorId(emu, r, idType), operator_type: r.operator_type },
        action_time: r.action_time,
        emoji_type: r.emoji_type,
      })),
    };
    if (page.has_more) d.page_token = page.page_token;
    details.push(d);
  });
  return ok({ success_msg_reaction_details: details, success_msg_reaction_counts: counts, fail_msg_reaction_details: fails });
}

export const routes: Route[] = [
  // before …/messages/:message_id/reactions, which would not match it anyway (one more segment)
  { method: 'POST', path: '/open-apis/im/v1/messages/reactions/batch_query', auth: 'any', scopes: READ_SCOPES, handler: batchQuery },
  { method: 'POST', path: '/open-apis/im/v1/messages/:message_id/reactions', auth: 'any', scopes: WRITE_SCOPES, handler: createReaction },
  { method: 'GET', path: '/open-apis/im/v1/messages/:message_id/reactions', auth: 'any', scopes: READ_SCOPES, handler: listReactions },
  { method: 'DELETE', path: '/open-apis/im/v1/messages/:message_id/reactions/:reaction_id', auth: 'any', scopes: WRITE_SCOPES, handler: deleteReaction },
];
