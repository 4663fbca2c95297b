/**
 * Every shortcut takes --format (json|pretty|table|ndjson|csv, default json) and --json (the
 * shorthand for --format json), whether or not it declares format support; one without a
 * renderer of its own prints `pretty` as the generic table.
 */
import { describe, expect, it } from 'vitest';
import { sendHandler } from '../fake-lark/messages-write.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark({ eachTest: () => [sendHandler({ message_id: 'om_f', chat_id: 'oc_f', create_time: '1712345678901' })] });

const send = (...extra: string[]) =>
  runInProcess(['im', '+messages-send', '--chat-id', 'oc_f', '--text', 'hi', '--as', 'bot', ...extra], {
    sandbox: h.sb,
    env: { ...botEnv(h.fake), TZ: 'UTC', LARKSUITE_CLI_RETRY_BASE_MS: '20' },
  });
const sends = () => h.fake.requestsTo('/open-apis/im/v1/messages');
const DATA = { chat_id: 'oc_f', create_time: '2024-04-05 19:34:38', message_id: 'om_f' };

describe('--format and --json on a shortcut without format support (+messages-send)', () => {
  it('the default and --json print the envelope', async () => {
    const plain = await send();
    const json = await send('--json');
    const fmt = await send('--format', 'json');
    for (const r of [plain, json, fmt]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toEqual({ ok: true, identity: 'bot', data: DATA });
    }
    expect(json.stdout).toBe(plain.stdout);
    expect(sends()).toHaveLength(3);
  });

  it('table, pretty (the generic table), ndjson and csv print the data', async () => {
    const table = await send('--format', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).not.toContain('"ok"');
    for (const v of ['message_id', 'om_f', 'oc_f']) expect(table.stdout).toContain(v);
    const pretty = await send('--format', 'pretty');
    expect(pretty.stdout).toBe(table.stdout);
    const nd = await send('--format', 'ndjson');
    expect(JSON.parse(nd.stdout)).toEqual(DATA);
    expect(nd.stdout.trim().split('\n')).toHaveLength(1);
    const csv = await send('--format', 'csv');
    expect(csv.stdout).not.toContain('"ok"');
    expect(csv.stdout).toMatch(/^message_id,om_f$/m);
    expect(sends()).toHaveLength(4);
  });

  it('--format given beside --json wins', async () => {
    const r = await send('--json', '--format', 'table');
    expect(r.stdout).not.toContain('"ok"');
    expect(r.stdout).toContain('om_f');
  });

  it('--jq still filters the envelope', async () => {
    const r = await send('--json', '--jq', '.data.message_id');
    expect(r.stdout).toBe('om_f\n');
  });

  it('help lists both flags', async () => {
    const r = await runInProcess(['im', '+messages-send', '--help'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.stdout).toMatch(/--format <value>\s+output format: json\|pretty\|table\|ndjson\|csv/);
    expect(r.stdout).toMatch(/--json\s+shorthand for --format json/);
  });

  it('a read shortcut with format support takes --json too', async () => {
    const r = await runInProcess(['im', '+chat-search', '--query', 'x', '--as', 'bot', '--json', '--dry-run'], { sandbox: h.sb, env: botEnv(h.fake) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).api[0].url).toBe('/open-apis/im/v2/chats/search');
  });
});
