/**
 * The enrichment middleware in-process with a scripted API (docs/shortcuts-read.md):
 * server-side sender names (no request of their own), batching, budgets, failure marking, and
 * the concurrency of the pipeline (independent requests of a page start together).
 */
process.env.TZ = 'Asia/Shanghai';

import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { describe, expect, it, vi } from 'vitest';
import type { ApiRequest } from '../../src/client/api-client.js';
import { CliError } from '../../src/core/errors.js';
import type { EnrichContext } from '../../src/enrich/context.js';
import { SenderNames } from '../../src/enrich/names.js';
import { prefetchMergeForward } from '../../src/enrich/merge-forward.js';
import { attachReactions, fetchReactions } from '../../src/enrich/reactions.js';
import { attachThreads, fetchThreads, formatReplies } from '../../src/enrich/threads.js';
import { formatAndEnrich } from '../../src/enrich/pipeline.js';
import { downloadMessageResources, resourceTarget } from '../../src/enrich/resources.js';
import { projectMessage, type Message } from '../../src/render/message.js';

type Handler = (req: ApiRequest) => unknown | Promise<unknown>;

interface Mock {
  ctx: EnrichContext;
  calls: ApiRequest[];
  warnings: string[];
}

function mock(handler: Handler, identity: 'user' | 'bot' = 'user', rt: unknown = {}): Mock {
  const calls: ApiRequest[] = [];
  const warnings: string[] = [];
  const limit = pLimit(16);
  const ctx = {
    identity,
    brand: 'feishu',
    call: <T>(req: ApiRequest) =>
      limit(async () => {
        calls.push(req);
        return (await handler(req)) as T;
      }),
    limit,
    warn: (l: string) => warnings.push(l),
    rt,
  } as unknown as EnrichContext;
  ctx.names = new SenderNames();
  return { ctx, calls, warnings };
}

const fail = () => {
  throw new CliError('api_error', 'boom');
};

describe('sender names', () => {
  const named = (id: string, name?: string, extra: Record<string, unknown> = {}) => ({
    message_id: `m_${id}`,
    sender: { id, sender_type: id.startsWith('cli_') ? 'app' : 'user', ...(name === undefined ? {} : { sender_name: name }), ...extra },
  });

  it.each(['user', 'bot'] as const)('%s identity: names come from the server only, no request is made', (identity) => {
    const m = mock(() => fail(), identity);
    const items = [
      named('ou_named', 'Named User'),
      named('cli_bot', 'Bot Alpha', { open_bot_id: 'ou_bot' }),
      named('ou_unnamed'),
      // a mention names nobody: only the server's sender_name counts
      { ...named('ou_m'), mentions: [{ id: 'ou_m', name: 'Mentioned' }, { id: { open_id: 'ou_o' }, name: 'Obj' }] },
      { ...named('ou_dual', 'Server Name'), mentions: [{ id: 'ou_dual', name: 'Mention Remark' }] },
      { sender: { sender_type: 'system' } },
      { sender: 'not-an-object' },
      {},
    ];
    m.ctx.names.learn(items);
    expect([...m.ctx.names.cache]).toEqual([['ou_named', 'Named User'], ['cli_bot', 'Bot Alpha'], ['ou_dual', 'Server Name']]);
    m.ctx.names.attach(items);
    expect(m.calls).toHaveLength(0);
    expect(items.map((it) => it.sender)).toEqual([
      { id: 'ou_named', sender_type: 'user', name: 'Named User' },
      { id: 'cli_bot', sender_type: 'app', name: 'Bot Alpha', open_bot_id: 'ou_bot' },
      { id: 'ou_unnamed', sender_type: 'user' },
      { id: 'ou_m', sender_type: 'user' },
      { id: 'ou_dual', sender_type: 'user', name: 'Server Name' },
      { sender_type: 'system' },
      'not-an-object',
      undefined,
    ]);
  });

  it('attach: sender_name becomes name and is dropped, i18n names and open_bot_id stay; a known id names an unnamed sender', () => {
    const m = mock(() => fail());
    const i18n = { en_us: 'Bot Alpha', zh_cn: '机器人甲' };
    const items = [
      named('cli_bot', '机器人甲', { sender_i18n_names: i18n, open_bot_id: 'ou_bot', id_type: 'app_id' }),
      named('ou_u1', 'Producer User'),
      named('ou_u1'),
      named('cli_other', '', { sender_i18n_names: { en_us: 'Only i18n' } }),
      named('ou_kept', undefined, { name: 'Existing' }),
    ];
    m.ctx.names.learn(items);
    m.ctx.names.attach(items);
    expect(items[0]!.sender).toEqual({ id: 'cli_bot', id_type: 'app_id', sender_type: 'app', name: '机器人甲', sender_i18n_names: i18n, open_bot_id: 'ou_bot' });
    expect(items[1]!.sender).toEqual({ id: 'ou_u1', sender_type: 'user', name: 'Producer User' });
    expect(items[2]!.sender).toEqual({ id: 'ou_u1', sender_type: 'user', name: 'Producer User' });
    // an empty sender_name is no name, and sender_i18n_names is not a fallback for it
    expect(items[3]!.sender).toEqual({ id: 'cli_other', sender_type: 'app', sender_i18n_names: { en_us: 'Only i18n' } });
    expect(items[4]!.sender).toEqual({ id: 'ou_kept', sender_type: 'user', name: 'Existing' });
  });
});

describe('thread replies', () => {
  const threadApi = (counts: Record<string, number | 'fail'>, hasMore: string[] = []) => (req: ApiRequest) => {
    const q = req.query as Record<string, string>;
    const n = counts[q.container_id!];
    if (n === 'fail' || n === undefined) fail();
    return { items: Array.from({ length: n as number }, (_, i) => ({ message_id: `${q.container_id}_${i}`, msg_type: 'text', body: { content: '{"text":"r"}' } })), has_more: hasMore.includes(q.container_id!) };
  };

  it('plans each thread once on its first message, fetches all at once, budget in plan order', async () => {
    const m = mock(threadApi({ t1: 4, t2: 4, t3: 4, t4: 3 }));
    const raws = [{ thread_id: 't1' }, { thread_id: 't2' }, { thread_id: 't1' }, { thread_id: 't3' }, { thread_id: 't4' }];
    const plans = await fetchThreads(raws, m.ctx, 50, 10);
    expect(m.calls).toHaveLength(4);
    expect(m.calls[0]!.query).toEqual({
      container_id_type: 'thread', container_id: 't1', sort_type: 'ByCreateTimeAsc', page_size: 50, card_msg_content_type: 'raw_card_content', with_sender_name: 'true',
    });
    const msgs = raws.map((r) => projectMessage(r, { brand: 'feishu' }));
    attachThreads(msgs, await formatReplies(plans, m.ctx, { resources: false }));
    expect(msgs.map((x) => x.thread_replies?.length)).toEqual([4, 4, undefined, 2, undefined]);
    expect(msgs.map((x) => x.thread_has_more)).toEqual([undefined, undefined, undefined, true, undefined]);
    expect(msgs.some((x) => x.thread_replies_error)).toBe(false);
  });

  it('12 threads of 3 replies all attach; failures are marked and skipped by the budget', async () => {
    const counts: Record<string, number | 'fail'> = {};
    for (let i = 0; i < 12; i++) counts[`t${i}`] = 3;
    counts.t0 = 'fail';
    const m = mock(threadApi(counts, ['t5']));
    const raws = Object.keys(counts).map((t) => ({ thread_id: t }));
    const plans = await fetchThreads(raws, m.ctx);
    const msgs = raws.map((r) => projectMessage(r, { brand: 'feishu' }));
    attachThreads(msgs, await formatReplies(plans, m.ctx, { resources: false }));
    expect(msgs[0]).toMatchObject({ thread_replies_error: true });
    expect(msgs[0]!.thread_replies).toBeUndefined();
    expect(msgs.slice(1).every((x) => x.thread_replies?.length === 3)).toBe(true);
    expect(msgs[5]!.thread_has_more).toBe(true);
    expect(m.warnings).toEqual([]);
  });

  it('per-thread size is clamped to 1..50 and zero replies attach nothing', async () => {
    const m = mock(threadApi({ t1: 0 }));
    const plans = await fetchThreads([{ thread_id: 't1' }], m.ctx, 500);
    expect((m.calls[0]!.query as Record<string, unknown>).page_size).toBe(50);
    const msgs = [projectMessage({ thread_id: 't1' }, { brand: 'feishu' })];
    attachThreads(msgs, await formatReplies(plans, m.ctx, { resources: false }));
    expect(msgs[0]!.thread_replies).toBeUndefined();
  });
});

describe('reactions', () => {
  const api = (failBatchWith?: string, partial: string[] = []) => (req: ApiRequest) => {
    const ids = (req.body as { queries: Array<{ message_id: string }> }).queries.map((q) => q.message_id);
    if (failBatchWith && ids.includes(failBatchWith)) fail();
    return {
      success_msg_reaction_counts: ids.filter((id) => id.endsWith('r')).map((id) => ({ message_id: id, reaction_count: [{ reaction_type: 'OK', count: 1 }] })),
      success_msg_reaction_details: [{ message_id: 'm_1r', message_reaction_items: [{ reaction_id: 'x' }] }, { message_id: 'm_1r', message_reaction_items: [] }],
      fail_msg_reaction_details: partial.filter((id) => ids.includes(id)).map((message_id) => ({ message_id })),
    };
  };

  it('batches of ≤20 distinct ids, all at once; nodes without reactions omit the key', async () => {
    const m = mock(api());
    const ids = Array.from({ length: 45 }, (_, i) => `m_${i}${i % 2 ? 'r' : ''}`);
    const res = await fetchReactions([...ids, 'm_1r', ''], m.ctx);
    expect(m.calls.map((c) => (c.body as { queries: unknown[] }).queries.length)).toEqual([20, 20, 5]);
    expect(m.calls[0]).toMatchObject({ method: 'POST', path: '/open-apis/im/v1/messages/reactions/batch_query' });
    expect(m.calls[0]!.query).toBeUndefined();
    const msgs: Message[] = [projectMessage({ message_id: 'm_1r' }, { brand: 'feishu' }), projectMessage({ message_id: 'm_0' }, { brand: 'feishu' })];
    msgs[1]!.thread_replies = [projectMessage({ message_id: 'm_1r' }, { brand: 'feishu' })];
    attachReactions(msgs, res);
    expect(msgs[0]!.reactions).toEqual({ counts: [{ reaction_type: 'OK', count: 1 }], details: [{ reaction_id: 'x' }] });
    expect(msgs[1]!.thread_replies![0]!.reactions).toBe(msgs[0]!.reactions);
    expect('reactions' in msgs[1]!).toBe(false);
  });

  it('no ids, no request', async () => {
    const m = mock(api());
    await fetchReactions(['', ''], m.ctx);
    expect(m.calls).toHaveLength(0);
  });

  it('a failed batch warns and marks only its ids; partial failures are listed Go-style', async () => {
    const m = mock(api('m_24', ['m_3r', 'm_4']));
    const ids = Array.from({ length: 30 }, (_, i) => `m_${i}${i % 2 ? 'r' : ''}`);
    const res = await fetchReactions(ids, m.ctx);
    expect(m.warnings.sort()).toEqual(['warning: reactions_batch_query_failed: boom', 'warning: reactions_partial_failed: 2 message(s) failed ([m_3r m_4])']);
    expect(res.get('m_24')).toEqual({ error: true });
    expect(res.get('m_29r')).toEqual({ error: true });
    expect(res.get('m_3r')).toEqual({ reactions: { counts: [{ reaction_type: 'OK', count: 1 }] }, error: true });
    expect(res.get('m_5r')).toEqual({ reactions: { counts: [{ reaction_type: 'OK', count: 1 }] } });
    const node = projectMessage({ message_id: 'm_4' }, { brand: 'feishu' });
    attachReactions([node], res);
    expect(node).toMatchObject({ reactions_error: true });
    expect('reactions' in node).toBe(false);
  });
});

describe('merge-forward prefetch', () => {
  it('fetches each container, warns on failure, retries inline and names the sub-items from the server', async () => {
    let attempts = 0;
    const m = mock((req) => {
      if (req.path.endsWith('/om_bad')) {
        attempts++;
        if (attempts === 1) fail();
        return { items: [] };
      }
      if (req.path.endsWith('/om_gone')) fail();
      return { items: [{ message_id: 's1', sender: { id: 'ou_s', sender_type: 'user', sender_name: 'Sub' } }, { message_id: 's2', sender: { id: 'ou_s', sender_type: 'user' } }] };
    });
    const raws = [
      { message_id: 'om_ok', msg_type: 'merge_forward' },
      { message_id: 'om_bad', msg_type: 'merge_forward' },
      { message_id: 'om_gone', msg_type: 'merge_forward' },
      { message_id: 'om_ok', msg_type: 'merge_forward' },
      { message_id: 'om_t', msg_type: 'text' },
    ];
    const map = await prefetchMergeForward(raws, m.ctx);
    expect(m.calls.filter((c) => c.path.startsWith('/open-apis/im/v1/messages/om_ok'))).toHaveLength(1);
    expect(m.calls[0]).toMatchObject({
      method: 'GET', path: '/open-apis/im/v1/messages/om_ok', query: { user_id_type: 'open_id', card_msg_content_type: 'raw_card_content', with_sender_name: 'true' },
    });
    expect(m.warnings.sort()).toEqual(['warning: merge_forward_prefetch_failed: om_bad: boom', 'warning: merge_forward_prefetch_failed: om_gone: boom']);
    expect(map.get('om_bad')).toEqual({ items: [], inline: true });
    expect(map.get('om_gone')).toEqual({ error: 'boom' });
    // the second sub-item's sender is the same id: it reuses the name; sender_name is dropped
    expect((map.get('om_ok') as { items: Array<{ sender: unknown }> }).items.map((i) => i.sender)).toEqual([
      { id: 'ou_s', sender_type: 'user', name: 'Sub' },
      { id: 'ou_s', sender_type: 'user', name: 'Sub' },
    ]);
    expect(m.calls.every((c) => c.path.startsWith('/open-apis/im/v1/messages/'))).toBe(true);
  });
});

describe('pipeline concurrency', () => {
  it('starts thread fetches and merge-forward prefetches together; reactions right after the threads; no name requests', async () => {
    const started: string[] = [];
    const gates: Array<() => void> = [];
    const m = mock(async (req) => {
      const q = (req.query ?? {}) as Record<string, string>;
      started.push(req.path.includes('contact') ? 'names' : req.path.includes('reactions') ? 'reactions' : q.container_id_type === 'thread' ? `thread:${q.container_id}` : 'mf');
      await new Promise<void>((r) => gates.push(r));
      if (req.path.includes('reactions')) return {};
      // t1's reply is by ou_a, named by the server on the outer page only
      if (q.container_id_type === 'thread') return { items: [{ message_id: `${q.container_id}_r1`, sender: { id: q.container_id === 't1' ? 'ou_a' : 'ou_r', sender_type: 'user', ...(q.container_id === 't2' ? { sender_name: 'Rita' } : {}) } }] };
      return { items: [] };
    });
    const raws = [
      { message_id: 'om_1', thread_id: 't1', sender: { id: 'ou_a', sender_type: 'user', sender_name: 'Ann' } },
      { message_id: 'om_2', thread_id: 't2', sender: { id: 'ou_b', sender_type: 'user' } },
      { message_id: 'om_3', msg_type: 'merge_forward' },
    ];
    /** Lets every pending promise chain run (the pipeline itself sets no timers). */
    const flush = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    let finished = false;
    const done = formatAndEnrich(raws, m.ctx, { threads: true, reactions: true }).finally(() => (finished = true));
    await flush();
    // wave 1: everything that only needs the listed items is in flight at once
    expect(started.sort()).toEqual(['mf', 'thread:t1', 'thread:t2']);
    let waves = 0;
    while (!finished) {
      if (gates.length) {
        waves++;
        gates.splice(0).forEach((g) => g());
      }
      await flush();
    }
    const msgs = await done;
    // wave 2: reactions (messages + replies in one batch); nothing after
    expect(waves).toBe(2);
    expect(started.slice(3)).toEqual(['reactions']);
    const reactionCall = m.calls.find((c) => c.path.includes('reactions'))!;
    expect((reactionCall.body as { queries: unknown[] }).queries).toEqual([
      { message_id: 'om_1' }, { message_id: 't1_r1' }, { message_id: 'om_2' }, { message_id: 't2_r1' }, { message_id: 'om_3' },
    ]);
    expect(msgs[0]!.thread_replies).toHaveLength(1);
    expect(msgs[2]!.content).toBe('');
    expect(msgs.map((x) => x.sender)).toEqual([{ id: 'ou_a', sender_type: 'user', name: 'Ann' }, { id: 'ou_b', sender_type: 'user' }, null]);
    expect(msgs[0]!.thread_replies![0]!.sender).toEqual({ id: 'ou_a', sender_type: 'user', name: 'Ann' });
    expect(msgs[1]!.thread_replies![0]!.sender).toEqual({ id: 'ou_r', sender_type: 'user', name: 'Rita' });
    // the raw items are left as the server sent them
    expect(raws[0]!.sender).toEqual({ id: 'ou_a', sender_type: 'user', sender_name: 'Ann' });
  });
});

describe('resource downloads', () => {
  it.each([
    ['', 'file-key cannot be empty'],
    ['a/b', 'file-key cannot contain path separators'],
    ['a\\b', 'file-key cannot contain path separators'],
    ['..', 'path cannot escape the current working directory'],
    ['bad\u0007key', 'unsafe output path: resolve save path: resource path contains invalid control characters'],
  ])('rejects key %j', (key, message) => {
    expect(() => resourceTarget(key, tmpdir())).toThrow(message);
  });

  it('rejects a symlinked resource folder that escapes the working directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lark-res-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'lark-out-'));
    try {
      symlinkSync(outside, path.join(dir, 'lark-im-resources'));
      expect(() => resourceTarget('img_1', dir)).toThrow(/resolves outside the current working directory/);
      rmSync(path.join(dir, 'lark-im-resources'));
      mkdirSync(path.join(dir, 'lark-im-resources'));
      expect(resourceTarget(' img_1 ', dir)).toMatch(/lark-im-resources\/img_1$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('downloads each (message_id, key) once, ≤3 at a time, and isolates failures', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lark-dl-'));
    let active = 0;
    let peak = 0;
    const seen: string[] = [];
    vi.doMock('../../src/client/download.js', () => ({
      downloadResource: async (_c: unknown, o: { messageId: string; fileKey: string; targetPath: string }) => {
        seen.push(`${o.messageId}/${o.fileKey}`);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        if (o.fileKey === 'bad') throw new CliError('http_error', 'HTTP 404: gone');
        return { path: o.targetPath, sizeBytes: 3, contentType: 'image/png' };
      },
    }));
    try {
      const rt = { client: async () => ({}), io: { cwd: dir } };
      const m = mock(() => ({}), 'user', rt);
      const refs = (id: string, keys: string[]) => keys.map((key) => ({ message_id: id, key, type: 'image' as const }));
      const msgs: Message[] = [
        { ...projectMessage({ message_id: 'om_1' }, { brand: 'feishu' }), resources: refs('om_1', ['k1', 'k2', 'k3', 'bad']) },
        { ...projectMessage({ message_id: 'om_2' }, { brand: 'feishu' }), resources: refs('om_2', ['k1']) },
      ];
      msgs[1]!.thread_replies = [{ ...projectMessage({ message_id: 'om_1' }, { brand: 'feishu' }), resources: refs('om_1', ['k1']) }];
      await downloadMessageResources(msgs, m.ctx);
      expect(seen.sort()).toEqual(['om_1/bad', 'om_1/k1', 'om_1/k2', 'om_1/k3', 'om_2/k1']);
      expect(peak).toBe(3);
      expect(m.warnings).toEqual(['warning: resource_download_failed: om_1/bad: download failed: HTTP 404: gone']);
      expect(msgs[0]!.resources![3]).toEqual({ message_id: 'om_1', key: 'bad', type: 'image', error: true });
      expect(msgs[1]!.thread_replies![0]!.resources![0]).toMatchObject({ local_path: path.join(dir, 'lark-im-resources', 'k1'), size_bytes: 3 });
    } finally {
      vi.doUnmock('../../src/client/download.js');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
