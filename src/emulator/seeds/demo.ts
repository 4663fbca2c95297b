/**
 * The `demo` seed: a small, believable workspace for the README's tour and for trying things out.
 * Alice is the user a device login signs in as; the Demo Bot is in the project chat and the
 * topic chat; there is a thread, reactions, an image and a file to download.
 */
import { deflateSync } from 'node:zlib';
import type { SeedFile } from '../seed-format.js';

export const DEMO = {
  appId: 'cli_demo00000000001',
  appSecret: 'demo-app-secret-0000000000000001',
  alice: 'ou_demo0000000000000000000000alice',
  bob: 'ou_demo00000000000000000000000bob',
  carol: 'ou_demo0000000000000000000000carol',
  dave: 'ou_demo00000000000000000000000dave',
  project: 'oc_demo000000000000000000000project',
  topics: 'oc_demo0000000000000000000000topics',
  p2p: 'oc_demo000000000000000000000000p2p',
  image: 'img_v3_demo_5b1c7c8e-0f4a-4a8e-9d3c-launchplan0g',
  file: 'file_v3_demo_9a2d4e6f-1b3c-4d5e-8f70-releasenote0g',
} as const;

/** A 32x32 PNG (a blue-to-green gradient), made here so the seed ships no binary file. */
export function demoPng(): Buffer {
  const w = 32;
  const h = 32;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = 40;
      raw[o + 1] = 80 + x * 5;
      raw[o + 2] = 240 - y * 5;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const RELEASE_NOTES = `Phoenix 2.4 release notes

- Faster search across chats
- Threads open in place
- Reactions on every message type
`;

export function demoSeed(): SeedFile {
  const d = DEMO;
  const post = {
    zh_cn: {
      title: 'Launch checklist',
      content: [
        [{ tag: 'text', text: 'Before Friday: ' }, { tag: 'a', text: 'the plan', href: 'https://example.com/phoenix/plan' }],
        [{ tag: 'text', text: 'Owner: ' }, { tag: 'at', user_id: d.carol, user_name: 'Carol' }],
      ],
    },
  };
  const card = {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: 'Build #128 passed' }, template: 'green' },
    elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**main** at `4f2a9c1`, 312 tests, 2m41s' } }],
  };
  return {
    description: 'A small workspace: four people, a project chat, a topic chat, a direct chat and the Demo Bot.',
    apps: [{ app_id: d.appId, app_secret: d.appSecret, name: 'Demo Bot', scopes: '*' }],
    users: [
      { open_id: d.alice, name: 'Alice Chen', email: 'alice@example.com' },
      { open_id: d.bob, name: 'Bob Li', email: 'bob@example.com' },
      { open_id: d.carol, name: 'Carol Wang', email: 'carol@example.com' },
      { open_id: d.dave, name: 'Dave Zhao', email: 'dave@example.com' },
    ],
    login_as: d.alice,
    chats: [
      { chat_id: d.project, name: 'Project Phoenix', description: 'Shipping Phoenix 2.4', chat_mode: 'group', owner: d.alice, members: [d.alice, d.bob, d.carol], bots: [d.appId], managers: [d.bob] },
      { chat_id: d.topics, name: 'Design Topics', description: 'One topic per design question', chat_mode: 'topic', owner: d.carol, members: [d.alice, d.carol, d.dave], bots: [d.appId] },
      { chat_id: d.p2p, chat_mode: 'p2p', parties: [d.alice, d.bob] },
    ],
    resources: [
      { key: d.image, type: 'image', file_name: 'launch-plan.png', mime: 'image/png', content_base64: demoPng().toString('base64') },
      { key: d.file, type: 'file', file_name: 'release-notes.txt', mime: 'text/plain', file_type: 'stream', text: RELEASE_NOTES },
    ],
    messages: [
      { message_id: 'om_demo000000000000000000000000001', chat_id: d.project, sender: d.alice, msg_type: 'text', content: JSON.stringify({ text: 'Morning all! Phoenix 2.4 goes out on Friday.' }) },
      { message_id: 'om_demo000000000000000000000000002', chat_id: d.project, sender: d.bob, msg_type: 'post', content: JSON.stringify(post) },
      { message_id: 'om_demo000000000000000000000000003', chat_id: d.project, sender: d.carol, msg_type: 'image', content: JSON.stringify({ image_key: d.image }) },
      { message_id: 'om_demo000000000000000000000000004', chat_id: d.project, sender: d.appId, msg_type: 'interactive', content: JSON.stringify(card) },
      { message_id: 'om_demo000000000000000000000000005', chat_id: d.project, sender: d.bob, msg_type: 'text', content: JSON.stringify({ text: 'Who can review the search change?' }) },
      { message_id: 'om_demo000000000000000000000000006', chat_id: d.project, sender: d.carol, msg_type: 'text', content: JSON.stringify({ text: 'I can, after lunch.' }), parent_id: 'om_demo000000000000000000000000005', reply_in_thread: true },
      { message_id: 'om_demo000000000000000000000000007', chat_id: d.project, sender: d.alice, msg_type: 'text', content: JSON.stringify({ text: `Thanks <at user_id="${d.carol}">Carol</at>!` }), parent_id: 'om_demo000000000000000000000000005', reply_in_thread: true },
      { message_id: 'om_demo000000000000000000000000008', chat_id: d.project, sender: d.alice, msg_type: 'file', content: JSON.stringify({ file_key: d.file, file_name: 'release-notes.txt' }) },
      { message_id: 'om_demo000000000000000000000000009', chat_id: d.topics, sender: d.carol, msg_type: 'text', content: JSON.stringify({ text: 'Topic: should threads open in a side panel?' }) },
      { message_id: 'om_demo000000000000000000000000010', chat_id: d.topics, sender: d.dave, msg_type: 'text', content: JSON.stringify({ text: 'In place, I think: fewer clicks.' }), parent_id: 'om_demo000000000000000000000000009' },
      { message_id: 'om_demo000000000000000000000000011', chat_id: d.p2p, sender: d.bob, msg_type: 'text', content: JSON.stringify({ text: 'Lunch at 12?' }) },
      { message_id: 'om_demo000000000000000000000000012', chat_id: d.p2p, sender: d.alice, msg_type: 'text', content: JSON.stringify({ text: 'Sure!' }) },
    ],
    reactions: [
      { message_id: 'om_demo000000000000000000000000001', emoji_type: 'THUMBSUP', operator: d.bob },
      { message_id: 'om_demo000000000000000000000000001', emoji_type: 'THUMBSUP', operator: d.carol },
      { message_id: 'om_demo000000000000000000000000004', emoji_type: 'DONE', operator: d.alice },
    ],
    pins: [{ message_id: 'om_demo000000000000000000000000002', operator: d.alice }],
  };
}
