/**
 * `content` of the compact message form: `body.content` rendered per `msg_type`
 * (docs/shortcuts-read.md). Pure: merge-forward children come from a lookup the caller filled
 * (the enrichment layer prefetches them), never from the network.
 */
import { isPlainObject } from '../core/json.js';
import { formatRfc3339Local, formatTimestampSeconds, leadingInt } from '../core/time.js';
import { renderCard } from './card.js';
import { postBlocksText, renderPost } from './post.js';
import { arr, attrEsc, durationText, goQuote, invalidJson, mentionKeyMap, num, obj, parseObject, resolveMentionKeys, str, xmlEsc, type Obj } from './util.js';

/** A raw message item as the API returns it. */
export type RawMessage = Obj;

/** What the merge-forward renderer knows about a container id. */
export type MergeForwardEntry = { items: RawMessage[]; inline?: boolean } | { error: string };

export interface RenderContext {
  /** Raw `mentions` of the message. */
  mentions?: unknown[];
  /** The message's own id (merge-forward lookups). */
  messageId?: string;
  /**
   * Merge-forward children by container id (prefetched or fetched inline). `undefined` means no
   * network was available: the renderer falls back to the placeholder text.
   */
  mergeForward?: (id: string) => MergeForwardEntry | undefined;
}

/** Renders `body.content` for `msgType`. Empty content → `''`; unknown type → `[<type>]`. */
export function renderContent(msgType: string, raw: string, ctx: RenderContext = {}): string {
  if (raw === '') return '';
  switch (msgType) {
    case 'text':
      return renderText(raw, ctx.mentions);
    case 'post':
      return renderPost(raw, ctx.mentions);
    case 'image':
      return withObject(raw, 'image', (o) => (str(o, 'image_key') ? `[Image: ${str(o, 'image_key')}]` : '[Image]'));
    case 'file':
      return withObject(raw, 'file', (o) => {
        const key = str(o, 'file_key');
        if (!key) return '[File]';
        return `<file key="${attrEsc(key)}" name="${attrEsc(str(o, 'file_name') || key)}"/>`;
      });
    case 'audio':
      return withObject(raw, 'audio', renderAudio);
    case 'video':
    case 'media':
      return withObject(raw, 'video', renderVideo);
    case 'sticker':
      return '[Sticker]';
    case 'interactive':
      return renderCard(raw, ctx.mentions);
    case 'share_chat':
      return withObject(raw, 'chat card', (o) => (str(o, 'chat_id') ? `[Chat card: ${str(o, 'chat_id')}]` : '[Chat card]'));
    case 'share_user':
      return withObject(raw, 'user card', (o) => (str(o, 'user_id') ? `[User card: ${str(o, 'user_id')}]` : '[User card]'));
    case 'location':
      return withObject(raw, 'location', (o) => (str(o, 'name') ? `[Location: ${str(o, 'name')}]` : '[Location]'));
    case 'merge_forward':
      return renderMergeForward(raw, ctx);
    case 'folder':
      return withObject(raw, 'folder', (o) => {
        const key = str(o, 'file_key');
        if (!key) return '[Folder]';
        const name = str(o, 'file_name');
        return name ? `<folder key="${attrEsc(key)}" name="${attrEsc(name)}"/>` : `<folder key="${attrEsc(key)}"/>`;
      });
    case 'share_calendar_event':
      return withObject(raw, 'calendar', (o) => {
        let attrs = '';
        if (str(o, 'open_calendar_id')) attrs += ` open_calendar_id="${attrEsc(str(o, 'open_calendar_id'))}"`;
        if (str(o, 'open_event_id')) attrs += ` open_event_id="${attrEsc(str(o, 'open_event_id'))}"`;
        return calendarBlock(o, 'calendar_share', attrs + shareToken(o));
      });
    case 'calendar':
      return withObject(raw, 'calendar', (o) => calendarBlock(o, 'calendar_invite', ''));
    case 'general_calendar':
      return withObject(raw, 'calendar', (o) => calendarBlock(o, 'calendar', shareToken(o)));
    case 'video_chat':
      return '[Video call]';
    case 'system':
      return withObject(raw, 'system message', renderSystem);
    case 'todo':
      return withObject(raw, 'todo', renderTodo);
    case 'vote':
      return withObject(raw, 'vote', renderVote);
    case 'hongbao':
      return withObject(raw, 'hongbao', (o) => (str(o, 'text') ? `<hongbao text=${goQuote(str(o, 'text'))}/>` : '<hongbao/>'));
    default:
      return `[${msgType}]`;
  }
}

/** Parses the content as an object (`null` counts as an empty one) or returns the invalid-JSON placeholder. */
function withObject(raw: string, kind: string, fn: (o: Obj) => string): string {
  const p = parseObject(raw);
  if (!p.ok) return invalidJson(kind);
  return fn(p.obj ?? {});
}

function renderText(raw: string, mentions: unknown[] | undefined): string {
  const p = parseObject(raw);
  if (!p.ok) return invalidJson('text');
  const text = str(p.obj, 'text');
  if (text === '') return raw;
  return resolveMentionKeys(text, mentionKeyMap(mentions));
}

function positive(o: Obj, key: string): number | undefined {
  const d = num(o, key);
  return d !== undefined && d > 0 ? d : undefined;
}

function renderAudio(o: Obj): string {
  const key = str(o, 'file_key');
  const d = positive(o, 'duration');
  if (key) return `<audio key="${attrEsc(key)}"${d !== undefined ? ` duration="${durationText(d)}"` : ''}/>`;
  return d !== undefined ? `[Voice: ${durationText(d)}]` : '[Voice]';
}

function renderVideo(o: Obj): string {
  const key = str(o, 'file_key');
  if (!key) return '[Video]';
  let out = `<video key="${attrEsc(key)}" name="${attrEsc(str(o, 'file_name') || key)}"`;
  const d = positive(o, 'duration');
  if (d !== undefined) out += ` duration="${durationText(d)}"`;
  const cover = str(o, 'image_key');
  if (cover) out += ` cover_image_key="${attrEsc(cover)}"`;
  return out + '/>';
}

function shareToken(o: Obj): string {
  const t = str(o, 'share_token');
  return t ? ` share_token="${attrEsc(t)}"` : '';
}

function calendarBlock(o: Obj, tag: string, attrs: string): string {
  const lines: string[] = [];
  const summary = str(o, 'summary');
  if (summary) lines.push(summary);
  const start = formatTimestampSeconds(str(o, 'start_time'));
  const end = formatTimestampSeconds(str(o, 'end_time'));
  if (start && end) lines.push(`${start} ~ ${end}`);
  else if (start) lines.push(start);
  const body = lines.join('\n') || tag;
  return `<${tag}${attrs}>\n${xmlEsc(body)}\n</${tag}>`;
}

function renderVote(o: Obj): string {
  const lines: string[] = [];
  const topic = str(o, 'topic');
  if (topic) lines.push(topic);
  for (const opt of arr(o, 'options') ?? []) if (typeof opt === 'string' && opt) lines.push('• ' + opt);
  const status = num(o, 'status');
  if (status !== undefined && status !== 0) lines.push('(Closed)');
  return `<vote>\n${xmlEsc(lines.join('\n') || 'vote')}\n</vote>`;
}

function renderTodo(o: Obj): string {
  const taskId = str(o, 'task_id');
  const lines: string[] = [];
  const summary = obj(o, 'summary');
  if (summary) {
    const title = str(summary, 'title');
    if (title) lines.push(title);
    const blocks = arr(summary, 'content');
    if (blocks) {
      const t = postBlocksText(blocks);
      if (t) lines.push(t);
    }
  }
  const due = str(o, 'due_time');
  if (due) {
    const f = formatTimestampSeconds(due);
    if (f) lines.push('Due: ' + f);
  }
  return `<todo${taskId ? ` task_id="${attrEsc(taskId)}"` : ''}>\n${xmlEsc(lines.join('\n') || 'todo')}\n</todo>`;
}

function joinedStrings(v: unknown): string | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === 'string' && x !== '').join(', ');
}

function renderSystem(o: Obj): string {
  const tmpl = str(o, 'template');
  if (!tmpl) return '[System message]';
  let c = tmpl;
  c = c.split('{from_user}').join(joinedStrings(o.from_user) ?? '');
  c = c.split('{to_chatters}').join(joinedStrings(o.to_chatters) ?? '');
  const divider = obj(o, 'divider_text');
  c = c.split('{divider_text}').join(divider ? str(divider, 'text') : '');
  c = c.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = str(o, key);
    return v ? v : m;
  });
  return c.trim();
}

// ---------------------------------------------------------------------------
// Merge-forward

function renderMergeForward(raw: string, ctx: RenderContext): string {
  const id = ctx.messageId ?? '';
  const entry = id && ctx.mergeForward ? ctx.mergeForward(id) : undefined;
  if (entry) {
    if ('error' in entry) return `[Merged forward: fetch failed: ${entry.error}]`;
    // a prefetched list is rendered even when empty; an empty inline answer falls back
    if (entry.items.length > 0 || !entry.inline) return mergeForwardTree(id, entry.items);
  }
  const p = parseObject(raw);
  if (p.ok && p.obj && Array.isArray(p.obj.create_message_ids)) {
    const n = p.obj.create_message_ids.filter((x) => typeof x === 'string').length;
    return `[Merged forward: ${n} messages]`;
  }
  return '[Merged forward]';
}

/** `create_time` of a sub-item as integer milliseconds (leading integer, 0 when none). */
function itemMs(item: RawMessage): number {
  return leadingInt(str(item, 'create_time'));
}

/** Groups sub-items by parent (`upper_message_id`, or the container); each group sorted by time. */
export function mergeForwardChildren(items: RawMessage[], rootId: string): Map<string, RawMessage[]> {
  const groups = new Map<string, RawMessage[]>();
  for (const item of items) {
    const id = str(item, 'message_id');
    const upper = str(item, 'upper_message_id');
    if (id === rootId && upper === '') continue;
    const parent = upper || rootId;
    const g = groups.get(parent);
    if (g) g.push(item);
    else groups.set(parent, [item]);
  }
  for (const g of groups.values()) g.sort((a, b) => itemMs(a) - itemMs(b));
  return groups;
}

/** The `<forwarded_messages>` transcript of a container's flat sub-item list (sender names already attached). */
export function mergeForwardTree(rootId: string, items: RawMessage[]): string {
  return subTree(rootId, mergeForwardChildren(items, rootId));
}

function subTree(parentId: string, groups: Map<string, RawMessage[]>, seen = new Set<string>()): string {
  const children = groups.get(parentId) ?? [];
  if (children.length === 0) return '<forwarded_messages/>';
  seen.add(parentId);
  const parts = children.map((item) => {
    const msgType = str(item, 'msg_type') || 'text';
    const sender = isPlainObject(item.sender) ? item.sender : undefined;
    const who = str(sender, 'name') || str(sender, 'id') || 'unknown';
    const ms = itemMs(item);
    const ts = ms === 0 ? 'unknown' : formatRfc3339Local(ms);
    const id = str(item, 'message_id');
    let content: string;
    if (msgType === 'merge_forward' && id) {
      content = seen.has(id) ? '<forwarded_messages/>' : subTree(id, groups, seen);
    } else {
      const body = obj(item, 'body');
      const mentions = arr(item, 'mentions');
      content = renderContent(msgType, str(body, 'content'), { mentions });
    }
    const indented = content
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n');
    return `[${ts}] ${who}:\n${indented}`;
  });
  return '<forwarded_messages>\n' + parts.join('\n') + '\n</forwarded_messages>';
}
