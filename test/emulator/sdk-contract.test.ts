/**
 * Contract test with a client nobody here wrote: the official Node SDK (@larksuiteoapi/node-sdk)
 * pointed at the emulator. It fetches its own tenant token, then sends, lists (plain and with
 * its async iterator), replies (also in a thread), reacts, uploads an image and a file, downloads
 * message resources byte for byte, reads a chat and its members, pins, and gets Lark's 230002 for
 * a chat the bot is not in. Every answer goes through the SDK's own parsing (code/msg/data).
 *
 * Each test builds a fresh Client with its own token cache: the emulator is reset to the seed
 * before every test, which forgets the tokens it handed out (the SDK's default cache is global).
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPng } from '../../src/emulator/seeds/demo.js';
import { DEMO, useEmulator } from '../helpers/emulator.js';

const M1 = 'om_demo000000000000000000000000001'; // text by Alice, two THUMBSUP
const M2 = 'om_demo000000000000000000000000002'; // post by Bob, pinned
const M3 = 'om_demo000000000000000000000000003'; // image
const M8 = 'om_demo000000000000000000000000008'; // file

/** A token cache of the SDK's shape that counts what the SDK stores in it. */
class CountingCache {
  values = new Map<string, { value: unknown; expiredTime?: number }>();
  sets = 0;
  // (`Symbol`, not `symbol`: the SDK's Cache type says so)
  async set(key: string | Symbol, value: unknown, expiredTime?: number, options?: { namespace?: string }): Promise<boolean> {
    this.sets++;
    this.values.set(`${options?.namespace ?? ''}/${String(key)}`, { value, expiredTime });
    return true;
  }
  async get(key: string | Symbol, options?: { namespace?: string }): Promise<unknown> {
    const v = this.values.get(`${options?.namespace ?? ''}/${String(key)}`);
    if (!v) return undefined;
    if (v.expiredTime && v.expiredTime <= Date.now()) return undefined;
    return v.value;
  }
}

const logged: string[] = [];
const quietLogger = {
  error: (...m: unknown[]) => void logged.push(`error ${m.map(String).join(' ')}`),
  warn: (...m: unknown[]) => void logged.push(`warn ${m.map(String).join(' ')}`),
  info: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
};

/** Lark's answer carried by an SDK (axios) rejection: HTTP status and the parsed body. */
async function sdkFailure(p: Promise<unknown>): Promise<{ status: number | undefined; body: any; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { response?: { status?: number; data?: unknown }; message?: string };
    return { status: err.response?.status, body: err.response?.data, message: String(err.message) };
  }
  throw new Error('the SDK call succeeded; expected a Lark error');
}

async function streamBytes(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

const text = (t: string) => JSON.stringify({ text: t });

describe('official Node SDK against the emulator', () => {
  const h = useEmulator();
  const tmp = mkdtempSync(join(tmpdir(), 'lark-sdk-contract-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function client(o: { secret?: string; cache?: CountingCache } = {}) {
    const cache = o.cache ?? new CountingCache();
    const c = new lark.Client({
      appId: DEMO.appId,
      appSecret: o.secret ?? DEMO.appSecret,
      appType: lark.AppType.SelfBuild,
      domain: h.url,
      disableTokenCache: false,
      cache,
      logger: quietLogger,
      loggerLevel: lark.LoggerLevel.error,
    });
    return { c, cache };
  }

  it('fetches a tenant token by itself, caches it, and sends it as a Bearer token', async () => {
    const { c, cache } = client();
    const a = await c.im.chat.get({ path: { chat_id: DEMO.project } });
    const b = await c.im.chat.get({ path: { chat_id: DEMO.project } });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(cache.sets).toBe(1);
    const j = h.journal();
    expect(j.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /open-apis/auth/v3/tenant_access_token/internal',
      `GET /open-apis/im/v1/chats/${DEMO.project}`,
      `GET /open-apis/im/v1/chats/${DEMO.project}`,
    ]);
    expect(j[1]).toMatchObject({ identity: 'bot', app_id: DEMO.appId, status: 200, code: 0 });
    const [token] = [...cache.values.values()].map((v) => v.value);
    expect(token).toMatch(/^t-/);
    expect(h.emu.db.get('access_tokens', token as string)?.kind).toBe('tenant');
  });

  it('a wrong app secret: the SDK surfaces 99991543 and sends nothing else', async () => {
    const { c, cache } = client({ secret: 'not-the-secret' });
    const f = await sdkFailure(c.im.chat.get({ path: { chat_id: DEMO.project } }));
    const code = f.body?.code ?? Number(/code: (\d+)/.exec(f.message)?.[1]);
    expect(code).toBe(99991543);
    expect(cache.sets).toBe(0);
    expect(h.journal().map((e) => e.path)).toEqual(['/open-apis/auth/v3/tenant_access_token/internal']);
  });

  it('im.message.create sends a text message to the project chat', async () => {
    const { c } = client();
    const r = await c.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: DEMO.project, msg_type: 'text', content: text('hello from the official SDK'), uuid: 'sdk-contract-1' },
    });
    expect(r.code).toBe(0);
    expect(r.msg).toBe('success');
    const m = r.data!;
    expect(m.message_id).toMatch(/^om_/);
    expect(m.chat_id).toBe(DEMO.project);
    expect(m.msg_type).toBe('text');
    expect(m.create_time).toMatch(/^\d{13}$/);
    expect(m.update_time).toMatch(/^\d{13}$/);
    expect(m.deleted).toBe(false);
    expect(m.updated).toBe(false);
    expect(m.sender).toMatchObject({ id: DEMO.appId, id_type: 'app_id', sender_type: 'app' });
    expect(JSON.parse(m.body!.content)).toEqual({ text: 'hello from the official SDK' });
    // the state changed: the message is stored and listed last in its chat
    expect(h.emu.db.get('messages', m.message_id!)?.chat_id).toBe(DEMO.project);
    expect(h.emu.db.messagesByChat.get(DEMO.project)?.at(-1)).toBe(m.message_id);
    // the same uuid again is the same message (Lark's idempotent send)
    const again = await c.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: DEMO.project, msg_type: 'text', content: text('hello from the official SDK'), uuid: 'sdk-contract-1' },
    });
    expect(again.data?.message_id).toBe(m.message_id);
  });

  it('im.message.list pages through a chat; listWithIterator yields every page', async () => {
    const { c } = client();
    const all = h.emu.db.messagesByChat.get(DEMO.project)!;
    expect(all.length).toBeGreaterThan(3);
    const first = await c.im.message.list({ params: { container_id_type: 'chat', container_id: DEMO.project, page_size: 3 } });
    expect(first.code).toBe(0);
    expect(first.data?.items).toHaveLength(3);
    expect(first.data?.has_more).toBe(true);
    expect(typeof first.data?.page_token).toBe('string');
    expect(first.data!.page_token!.length).toBeGreaterThan(0);
    for (const it of first.data!.items!) {
      expect(it.message_id).toMatch(/^om_/);
      expect(it.chat_id).toBe(DEMO.project);
      expect(typeof it.body?.content).toBe('string');
      expect(it.sender?.id).toBeTruthy();
    }
    const second = await c.im.message.list({ params: { container_id_type: 'chat', container_id: DEMO.project, page_size: 3, page_token: first.data!.page_token } });
    expect(second.code).toBe(0);
    const firstIds = first.data!.items!.map((m) => m.message_id);
    for (const m of second.data!.items!) expect(firstIds).not.toContain(m.message_id);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of await c.im.message.listWithIterator({ params: { container_id_type: 'chat', container_id: DEMO.project, page_size: 2 } })) {
      // the SDK yields null (and stops) when a page fails
      expect(page).not.toBeNull();
      pages++;
      for (const m of page!.items ?? []) seen.push(m.message_id!);
    }
    expect(pages).toBe(Math.ceil(seen.length / 2));
    expect(new Set(seen).size).toBe(seen.length);
    // a chat listing holds the chat's messages (thread replies may be left to the thread listing)
    for (const id of seen) expect(all).toContain(id);
    expect(seen).toContain(M1);
    expect(seen).toContain(M8);
  });

  it('im.message.reply answers a message, and reply_in_thread opens a thread the SDK can list', async () => {
    const { c } = client();
    const r = await c.im.message.reply({ path: { message_id: M1 }, data: { msg_type: 'text', content: text('a plain reply'), uuid: 'sdk-reply-1' } });
    expect(r.code).toBe(0);
    expect(r.data).toMatchObject({ parent_id: M1, root_id: M1, chat_id: DEMO.project, msg_type: 'text' });
    expect(r.data?.message_id).toMatch(/^om_/);
    expect(r.data?.thread_id).toBeUndefined();

    const t = await c.im.message.reply({ path: { message_id: M8 }, data: { msg_type: 'text', content: text('in a thread'), reply_in_thread: true } });
    expect(t.code).toBe(0);
    expect(t.data).toMatchObject({ parent_id: M8, root_id: M8 });
    expect(t.data?.thread_id).toMatch(/^omt_/);
    const thread = await c.im.message.list({ params: { container_id_type: 'thread', container_id: t.data!.thread_id! } });
    expect(thread.code).toBe(0);
    expect(thread.data!.items!.map((m) => m.message_id)).toEqual([M8, t.data!.message_id]);
    expect(thread.data!.items!.every((m) => m.thread_id === t.data!.thread_id)).toBe(true);
  });

  it('im.messageReaction.create and .list', async () => {
    const { c } = client();
    const r = await c.im.messageReaction.create({ path: { message_id: M1 }, data: { reaction_type: { emoji_type: 'SMILE' } } });
    expect(r.code).toBe(0);
    expect(r.data?.reaction_id).toBeTruthy();
    expect(r.data?.reaction_type?.emoji_type).toBe('SMILE');
    expect(r.data?.operator).toMatchObject({ operator_id: DEMO.appId, operator_type: 'app' });
    expect(r.data?.action_time).toMatch(/^\d{13}$/);
    expect(h.emu.db.reactionsByMessage.get(M1)).toContain(r.data!.reaction_id);

    const thumbs = await c.im.messageReaction.list({ path: { message_id: M1 }, params: { reaction_type: 'THUMBSUP' } });
    expect(thumbs.code).toBe(0);
    expect(thumbs.data?.items?.map((x) => x.operator?.operator_id).sort()).toEqual([DEMO.bob, DEMO.carol].sort());
    expect(thumbs.data?.items?.every((x) => x.reaction_type?.emoji_type === 'THUMBSUP')).toBe(true);
    const all = await c.im.messageReaction.list({ path: { message_id: M1 }, params: { page_size: 2 } });
    expect(all.data?.items).toHaveLength(2);
    expect(all.data?.has_more).toBe(true);
    const rest = await c.im.messageReaction.list({ path: { message_id: M1 }, params: { page_size: 2, page_token: all.data!.page_token } });
    expect(rest.data?.items?.map((x) => x.reaction_id)).toContain(r.data!.reaction_id);
  });

  it('im.image.create (a Buffer), then an image message whose resource downloads byte-identical', async () => {
    const { c } = client();
    const png = demoPng();
    const up = await c.im.image.create({ data: { image_type: 'message', image: png } });
    expect(up?.image_key).toMatch(/^img_v3_/);
    const sent = await c.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: DEMO.project, msg_type: 'image', content: JSON.stringify({ image_key: up!.image_key }) } });
    expect(sent.code).toBe(0);
    const res = await c.im.messageResource.get({ path: { message_id: sent.data!.message_id!, file_key: up!.image_key! }, params: { type: 'image' } });
    const got = await streamBytes(res.getReadableStream());
    expect(got.equals(png)).toBe(true);
    expect(String(res.headers['content-type'])).toMatch(/^image\/png/);
    expect(Number(res.headers['content-length'])).toBe(png.length);
  });

  it('im.file.create (a stream), then a file message downloaded with writeFile', async () => {
    const { c } = client();
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) & 0xff));
    const src = join(tmp, 'report.bin');
    writeFileSync(src, bytes);
    const up = await c.im.file.create({ data: { file_type: 'stream', file_name: 'report.bin', file: createReadStream(src) } });
    expect(up?.file_key).toMatch(/^file_v3_/);
    const sent = await c.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: DEMO.project, msg_type: 'file', content: JSON.stringify({ file_key: up!.file_key }) } });
    expect(sent.code).toBe(0);
    const res = await c.im.messageResource.get({ path: { message_id: sent.data!.message_id!, file_key: up!.file_key! }, params: { type: 'file' } });
    const out = join(tmp, 'report.out');
    await res.writeFile(out);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    expect(String(res.headers['content-disposition'])).toContain('report.bin');

    // a Buffer upload too (the SDK sends that part without a filename)
    const up2 = await c.im.file.create({ data: { file_type: 'stream', file_name: 'small.bin', file: bytes.subarray(0, 1000) } });
    expect(up2?.file_key).toMatch(/^file_v3_/);
  });

  it('im.messageResource.get on the seed: the file and the image of the demo messages', async () => {
    const { c } = client();
    const file = await c.im.messageResource.get({ path: { message_id: M8, file_key: DEMO.file }, params: { type: 'file' } });
    const body = await streamBytes(file.getReadableStream());
    expect(body.toString('utf8')).toContain('Phoenix 2.4 release notes');
    const img = await c.im.messageResource.get({ path: { message_id: M3, file_key: DEMO.image }, params: { type: 'image' } });
    expect((await streamBytes(img.getReadableStream())).equals(demoPng())).toBe(true);
    // a key that is not in the message is Lark's error, which the SDK rejects with
    const f = await sdkFailure(c.im.messageResource.get({ path: { message_id: M1, file_key: DEMO.file }, params: { type: 'file' } }));
    expect(f.status).toBeGreaterThanOrEqual(400);
    expect(f.status).toBeLessThan(500);
  });

  it('im.chat.get and im.chatMembers.get (plain and getWithIterator)', async () => {
    const { c } = client();
    const chat = await c.im.chat.get({ path: { chat_id: DEMO.project } });
    expect(chat.code).toBe(0);
    expect(chat.data).toMatchObject({ name: 'Project Phoenix', description: 'Shipping Phoenix 2.4', chat_mode: 'group', owner_id: DEMO.alice });
    expect(chat.data?.owner_id_type).toBe('open_id');

    const page = await c.im.chatMembers.get({ path: { chat_id: DEMO.project }, params: { member_id_type: 'open_id', page_size: 2 } });
    expect(page.code).toBe(0);
    expect(page.data?.items).toHaveLength(2);
    expect(page.data?.has_more).toBe(true);
    expect(page.data?.member_total).toBe(3);
    for (const m of page.data!.items!) {
      expect(m.member_id_type).toBe('open_id');
      expect(m.member_id).toMatch(/^ou_/);
      expect(typeof m.name).toBe('string');
    }
    const ids: string[] = [];
    for await (const p of await c.im.chatMembers.getWithIterator({ path: { chat_id: DEMO.project }, params: { member_id_type: 'open_id', page_size: 2 } })) {
      expect(p).not.toBeNull();
      for (const m of p!.items ?? []) ids.push(m.member_id!);
    }
    expect(ids.sort()).toEqual([DEMO.alice, DEMO.bob, DEMO.carol].sort());
  });

  it('im.pin.create and im.pin.list', async () => {
    const { c } = client();
    const r = await c.im.pin.create({ data: { message_id: M1 } });
    expect(r.code).toBe(0);
    expect(r.data?.pin).toMatchObject({ message_id: M1, chat_id: DEMO.project, operator_id: DEMO.appId });
    expect(r.data?.pin?.create_time).toMatch(/^\d{13}$/);
    const list = await c.im.pin.list({ params: { chat_id: DEMO.project } });
    expect(list.code).toBe(0);
    expect(list.data?.items?.map((p) => p.message_id).sort()).toEqual([M1, M2].sort());
  });

  it('a chat the bot is not in: the SDK gets Lark 230002', async () => {
    const { c } = client();
    const send = await sdkFailure(c.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: DEMO.p2p, msg_type: 'text', content: text('let me in') } }));
    expect(send.status).toBe(400);
    expect(send.body).toMatchObject({ code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    expect(typeof send.body.error?.log_id).toBe('string');
    const list = await sdkFailure(c.im.message.list({ params: { container_id_type: 'chat', container_id: DEMO.p2p } }));
    expect(list.body?.code).toBe(230002);
    expect(h.emu.db.messagesByChat.get(DEMO.p2p)).toHaveLength(2);
  });
});
