/**
 * `+messages-edit` (docs/shortcuts-write.md): replace the content of a text or post message the bot
 * sent (`PUT /open-apis/im/v1/messages/:message_id`; the edit API takes no user token). The content
 * comes from `--text`, `--markdown` (converted as `+messages-send` converts it) or `--content`;
 * `--set-attachments` / `--clear-attachments` write the `files` of the post's attachment zone.
 */
import { CliError } from '../../core/errors.js';
import { isPlainObject, parseJson } from '../../core/json.js';
import { escapePathSegment } from '../../core/url.js';
import { contentJson, markdownToPost, markdownToPostForDryRun } from '../../render/markdown-to-post.js';
import { defineShortcut } from '../../shortcut/define.js';
import { DryRun } from '../../shortcut/dry-run.js';
import type { ShortcutRuntime } from '../../shortcut/runtime.js';
import { validateMessageId } from '../../shortcut/validate.js';
import { formatCreateTime, withMentions, type MessageContent } from '../message-content.js';
import { checkContentJson } from '../message-flags.js';

/** The post an attachment flag starts from when no content flag gives one. */
const EMPTY_POST = '{"zh_cn":{"content":[]}}';
const SET_DESC = '--set-attachments sets files in the post attachment zone';
const CLEAR_DESC = '--clear-attachments sets files:[]';

/** `files` to write into the post: the keys of --set-attachments, or [] for --clear-attachments. */
type AttachmentOp = { files: Array<{ key: string }>; desc: string } | undefined;

interface Prepared {
  messageId: string;
  attachments: AttachmentOp;
}

function attachmentKeys(rt: ShortcutRuntime<'set-attachments'>): string[] {
  return rt.arr('set-attachments').map((s) => s.trim()).filter((s) => s !== '');
}

/** The post bodies of a post content: each locale's (`zh_cn`, `en_us`, …), or the content itself when it is one body. */
function postBodies(post: Record<string, unknown>): Record<string, unknown>[] {
  if ('content' in post || 'title' in post) return [post];
  return Object.values(post).filter(isPlainObject);
}

/** Does `--content` already carry an attachment zone (a `files` array in a post body)? */
function hasContentFiles(content: string): boolean {
  if (content === '') return false;
  let v: unknown;
  try {
    v = parseJson(content);
  } catch {
    return false;
  }
  return isPlainObject(v) && postBodies(v).some((b) => Array.isArray(b.files));
}

/** Writes `files` into every body of the post `content`. */
function withFiles(content: string, files: Array<{ key: string }>, flag: string): string {
  const post = parseJson(content);
  if (!isPlainObject(post)) throw new CliError('validation', `${flag}: the post content must be a JSON object`);
  const bodies = postBodies(post);
  if (bodies.length === 0) throw new CliError('validation', `${flag}: the post content has no locale body (e.g. {"zh_cn":{"content":[]}})`);
  for (const b of bodies) b.files = files.map((f) => ({ ...f }));
  return contentJson(post);
}

/** Type and content of the edit, given the base content the content flags produced. */
function finish(base: MessageContent, op: AttachmentOp): MessageContent {
  let out = base;
  if (op) {
    const flag = op.files.length ? '--set-attachments' : '--clear-attachments';
    out = { msgType: 'post', content: withFiles(base.content || EMPTY_POST, op.files, flag) };
  }
  return withMentions(out);
}

export default defineShortcut({
  service: 'im',
  command: '+messages-edit',
  description: 'Edit a text or rich-text (post) message the bot sent, optionally its attachment zone; bot only (the edit API refuses user tokens)',
  risk: 'write',
  authTypes: ['bot'],
  scopes: ['im:message:send_as_bot'],
  botScopes: ['im:message:send_as_bot'],
  flags: [
    { name: 'message-id', required: true, desc: 'message ID (om_xxx)' },
    {
      name: 'msg-type',
      default: 'text',
      enum: ['text', 'post'],
      desc: 'message type of --content JSON; with --text/--markdown the type follows from the flag',
    },
    { name: 'content', desc: '(one of --content/--text/--markdown/--set-attachments/--clear-attachments required) new message content JSON' },
    { name: 'text', desc: 'new plain text (wrapped as JSON)' },
    { name: 'markdown', desc: 'new markdown text (sent as a post with style optimization; image URLs uploaded first)' },
    {
      name: 'set-attachments',
      type: 'string_slice',
      desc: 'file key (file_xxx), repeatable or comma-separated; becomes the post attachment zone (with --markdown or --msg-type post)',
    },
    { name: 'clear-attachments', type: 'bool', desc: 'empty the post attachment zone (files:[]); not with --set-attachments' },
  ] as const,
  validate(rt) {
    const id = rt.str('message-id');
    if (id === '') throw new CliError('validation', '--message-id is required (om_xxx)');
    validateMessageId(id);
    const msgType = rt.str('msg-type');
    const text = rt.str('text');
    const markdown = rt.str('markdown');
    const content = rt.str('content');
    const keys = attachmentKeys(rt);
    const clear = rt.bool('clear-attachments');
    const fail = (msg: string): never => {
      throw new CliError('validation', msg);
    };
    if (keys.length && (text !== '' || (markdown === '' && rt.has('msg-type') && msgType !== 'post'))) {
      fail('--set-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    }
    if (clear && keys.length) fail('--clear-attachments cannot be used with --set-attachments');
    if (clear && markdown === '' && msgType !== 'post') {
      fail('--clear-attachments only applies to post messages; use --markdown or --msg-type post with --content');
    }
    if ((keys.length || clear) && hasContentFiles(content)) {
      fail(
        '--set-attachments/--clear-attachments cannot be used with --content that already contains a files array; either edit files via --content or via the attachment flags, not both',
      );
    }
    const sources = [text, markdown, content].filter((v) => v !== '').length;
    if (sources > 1) fail('--text, --markdown, and --content cannot be specified together');
    if (sources === 0 && keys.length === 0 && !clear) {
      fail('specify --content <json>, --text <plain text>, --markdown <markdown text>, --set-attachments <file_key>, or --clear-attachments');
    }
    checkContentJson(rt);
  },
  prepare(rt): Prepared {
    const keys = attachmentKeys(rt);
    let attachments: AttachmentOp;
    if (rt.bool('clear-attachments')) attachments = { files: [], desc: CLEAR_DESC };
    else if (keys.length) attachments = { files: keys.map((key) => ({ key })), desc: SET_DESC };
    // a --content the attachment flags cannot write into fails here, before a dry-run or a request
    if (attachments && rt.str('content') !== '') withFiles(rt.str('content'), attachments.files, attachments.files.length ? '--set-attachments' : '--clear-attachments');
    return { messageId: rt.str('message-id'), attachments };
  },
  dryRun(rt, p) {
    const descs: string[] = [];
    let base: MessageContent = { msgType: rt.str('msg-type'), content: rt.str('content') };
    if (rt.str('markdown')) {
      const md = markdownToPostForDryRun(rt.str('markdown'));
      base = { msgType: 'post', content: md.content };
      if (md.description) descs.push(md.description);
    } else if (rt.str('text')) {
      base = { msgType: 'text', content: contentJson({ text: rt.str('text') }) };
    }
    if (p.attachments) descs.push(p.attachments.desc);
    const c = finish(base, p.attachments);
    const plan = new DryRun();
    if (descs.length) plan.desc(descs.join('; '));
    return plan.put('/open-apis/im/v1/messages/:message_id').body({ msg_type: c.msgType, content: c.content }).set('message_id', p.messageId);
  },
  async execute(rt, p) {
    let base: MessageContent = { msgType: rt.str('msg-type'), content: rt.str('content') };
    if (rt.str('markdown')) {
      const { resolveMarkdownImages } = await import('../message-upload.js');
      base = { msgType: 'post', content: markdownToPost(await resolveMarkdownImages(rt, rt.str('markdown'))) };
    } else if (rt.str('text')) {
      base = { msgType: 'text', content: contentJson({ text: rt.str('text') }) };
    }
    const c = finish(base, p.attachments);
    const res = await rt.json<Record<string, unknown>>({
      method: 'PUT',
      path: `/open-apis/im/v1/messages/${escapePathSegment(p.messageId)}`,
      body: { msg_type: c.msgType, content: c.content },
    });
    await rt.out({ chat_id: res.chat_id ?? null, message_id: res.message_id ?? null, update_time: formatCreateTime(res.update_time) });
  },
});
