/**
 * The message content a `--dry-run` of send or reply prints (docs/shortcuts-write.md): what
 * execution would send, with placeholder keys where execution uploads first.
 */
import { contentJson, markdownToPostForDryRun } from '../render/markdown-to-post.js';
import type { ShortcutRuntime } from '../shortcut/runtime.js';
import { isHttpUrl, isMediaKey } from './media-info.js';
import { withMentions, type MessageContent } from './message-content.js';
import { MEDIA_FLAGS } from './message-flags.js';

function placeholderDesc(flag: string, value: string): string {
  return `dry-run uses placeholder media keys for ${flag} ${isHttpUrl(value) ? 'URL' : 'local file'} input; execution uploads it before sending`;
}

/** The content a dry-run prints: media that would be uploaded get placeholder keys. */
export function dryRunContent(rt: ShortcutRuntime): MessageContent {
  const markdown = rt.str('markdown');
  const text = rt.str('text');
  const [image, file, video, cover, audio] = MEDIA_FLAGS.map((f) => rt.str(f)) as [string, string, string, string, string];
  let out: MessageContent = { msgType: rt.str('msg-type'), content: rt.str('content') };
  if (markdown) {
    const md = markdownToPostForDryRun(markdown);
    out = { msgType: 'post', content: md.content, description: md.description };
  } else if (text) {
    out = { msgType: 'text', content: contentJson({ text }) };
  } else if (video) {
    const descs: string[] = [];
    const fileKey = isMediaKey(video) ? video : 'file_dryrun_upload';
    if (!isMediaKey(video)) descs.push(placeholderDesc('--video', video));
    const imageKey = isMediaKey(cover) ? cover : 'img_dryrun_upload';
    if (cover && !isMediaKey(cover)) descs.push(placeholderDesc('--video-cover', cover));
    out = { msgType: 'media', content: contentJson({ file_key: fileKey, image_key: imageKey }), description: descs.join('; ') };
  } else if (image) {
    const key = isMediaKey(image) ? image : 'img_dryrun_upload';
    out = { msgType: 'image', content: contentJson({ image_key: key }), description: isMediaKey(image) ? '' : placeholderDesc('--image', image) };
  } else if (file) {
    const key = isMediaKey(file) ? file : 'file_dryrun_upload';
    out = { msgType: 'file', content: contentJson({ file_key: key }), description: isMediaKey(file) ? '' : placeholderDesc('--file', file) };
  } else if (audio) {
    const key = isMediaKey(audio) ? audio : 'file_dryrun_upload';
    out = { msgType: 'audio', content: contentJson({ file_key: key }), description: isMediaKey(audio) ? '' : placeholderDesc('--audio', audio) };
  }
  return withMentions(out);
}
