/**
 * The emulator's web page (issue 15) in a real headless Chromium (Debian's `chromium` package,
 * driven by playwright-core, which downloads no browser): against a seeded emulator it shows the
 * seeded chats and messages as a person reads them, a message the CLI sends appears live, a
 * message posted through the page is read back with `+chat-messages-list`, a refused request
 * shows its reason in the journal, hostile text stays text, and the controls work.
 *
 * The run writes screenshots of the chat view and of the journal to test-output/browser/
 * (ignored by git; docs/images/ holds a committed copy of each).
 *
 * Needs bin/lark-cli built (`npm run build`; `npm test` builds first). Without /usr/bin/chromium
 * (`apt-get install -y chromium`, which .ci/run does) the suite is skipped and says why.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { issueUserToken } from '../../src/emulator/model/tokens.js';
import { DEMO } from '../../src/emulator/seeds/demo.js';
import { makeSandbox, REPO_ROOT, runCli, type Sandbox } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP_REASON = `skipped: ${CHROMIUM} is missing (install Debian's chromium package: apt-get install -y chromium; .ci/run does it)`;
if (!HAVE_CHROMIUM) console.warn(`test/browser/emulator-page.test.ts ${SKIP_REASON}`);

const SHOTS = path.join(REPO_ROOT, 'test-output', 'browser');
const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

describe.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? "the emulator's web page in Chromium" : `the emulator's web page (${SKIP_REASON})`, () => {
  let running: RunningEmulator;
  let context: BrowserContext;
  let page: Page;
  let sb: Sandbox;
  let profile: string;
  const pageErrors: string[] = [];

  const emu = () => running.emulator;
  const cli = (args: string[]) =>
    runCli(args, {
      sandbox: sb,
      env: { LARKSUITE_CLI_BRAND: running.url, LARKSUITE_CLI_APP_ID: DEMO.appId, LARKSUITE_CLI_APP_SECRET: DEMO.appSecret, TZ: 'UTC', NO_COLOR: '1', LARKSUITE_CLI_RETRY_BASE_MS: '20' },
      timeoutMs: 20_000,
    });

  async function tenantToken(): Promise<string> {
    const r = await fetch(`${running.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: DEMO.appId, app_secret: DEMO.appSecret }) });
    return ((await r.json()) as { tenant_access_token: string }).tenant_access_token;
  }

  async function lark(method: string, p: string, token: string, json?: unknown): Promise<any> {
    const r = await fetch(running.url + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    return r.json();
  }

  async function admin(method: string, p: string, json?: unknown): Promise<any> {
    const r = await fetch(running.url + p, { method, headers: { 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    return r.json();
  }

  /** Opens the page fresh at a hash and waits until it has loaded its data. */
  async function open(hash: string): Promise<void> {
    // by way of a blank page, so that a change of hash alone is a new load too
    await page.goto('about:blank');
    await page.goto(`${running.url}/${hash}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('#live[data-state="live"]').waitFor();
  }

  const msg = (id: string) => page.locator(`[data-message-id="${id}"]`);

  beforeAll(async () => {
    running = await startEmulator({ port: 0, seed: 'demo' });
    profile = mkdtempSync(path.join(tmpdir(), 'lark-emulator-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
    // a fresh profile of our own (launchPersistentContext is how Playwright takes --user-data-dir); it adds --headless itself
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1180, height: 900 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    page = context.pages()[0] ?? (await context.newPage());
    // a missing element fails the test in seconds, with the locator named
    page.setDefaultTimeout(5000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await running?.close();
    await sb?.cleanup();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // a fresh CLI home per test: a tenant token the CLI cached before a reset is gone from the state
    await sb?.cleanup();
    sb = await makeSandbox();
    emu().resetToSeed();
    emu().journal.length = 0;
    emu().faults = [];
  });

  it('shows the seeded chats and messages as a person reads them', async () => {
    await open(`#/chats/${DEMO.project}`);

    // the chat list: group, topic and p2p, with members and bots
    const items = page.locator('.chat-item');
    await expect.poll(() => items.count()).toBe(3);
    const project = page.locator(`.chat-item[data-chat-id="${DEMO.project}"]`);
    expect(await project.textContent()).toContain('Project Phoenix');
    expect(await project.locator('.badge').textContent()).toBe('Group');
    expect(await project.locator('.chat-sub').textContent()).toBe('3 members · Demo Bot');
    expect(await page.locator(`.chat-item[data-chat-id="${DEMO.topics}"] .badge`).textContent()).toBe('Topic');
    expect(await page.locator(`.chat-item[data-chat-id="${DEMO.p2p}"] .chat-name`).textContent()).toBe('Alice Chen & Bob Li');
    expect(await page.locator(`.chat-item[data-chat-id="${DEMO.p2p}"] .badge`).textContent()).toBe('Direct');
    const people = await page.locator('.chat-head .person').allTextContents();
    expect(people).toEqual(['ACAlice Chenowner', 'BLBob Limanager', 'CWCarol Wang', 'DBDemo Botbot']);

    // text, with its reactions
    const first = msg('om_demo000000000000000000000000001');
    expect(await first.locator('.content').textContent()).toBe('Morning all! Phoenix 2.4 goes out on Friday.');
    expect(await first.locator('.sender').textContent()).toBe('Alice Chen');
    expect(await first.locator('.reaction[data-emoji="THUMBSUP"]').textContent()).toBe('👍2');
    expect(await first.locator('.reaction[data-emoji="THUMBSUP"]').getAttribute('title')).toBe('THUMBSUP: Bob Li, Carol Wang');

    // post: title, a link, an @mention by name; pinned
    const post = msg('om_demo000000000000000000000000002');
    expect(await post.locator('.post-title').textContent()).toBe('Launch checklist');
    expect(await post.locator('a[href="https://example.com/phoenix/plan"]').textContent()).toBe('the plan');
    expect(await post.locator('.mention').textContent()).toBe('@Carol Wang');
    expect(await post.locator('.tag.pinned').count()).toBe(1);
    expect(await page.locator('#pins .pin-link').textContent()).toBe('Bob Li: Launch checklist');

    // an image inline from the emulator's resources, really loaded
    const img = msg('om_demo000000000000000000000000003').locator('img.image');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(32);
    expect(await img.getAttribute('src')).toBe(`${running.url}/_emulator/resources/${encodeURIComponent(DEMO.image)}`);

    // a card: a readable preview, its JSON at hand
    const card = msg('om_demo000000000000000000000000004');
    expect(await card.locator('.card-header').textContent()).toBe('Build #128 passed');
    expect(await card.locator('.card-body strong').textContent()).toBe('main');
    expect(await card.locator('.card-body code').textContent()).toBe('4f2a9c1');
    expect(await card.locator('.reaction[data-emoji="DONE"]').textContent()).toBe('✅1');
    await card.locator('.card-json summary').click();
    expect(await card.locator('.card-json pre').textContent()).toContain('"wide_screen_mode": true');

    // a file as a download link that serves the file's bytes
    const file = msg('om_demo000000000000000000000000008').locator('a.file');
    expect(await file.locator('.file-name').textContent()).toBe('release-notes.txt');
    expect(await file.getAttribute('download')).toBe('release-notes.txt');
    const href = await file.getAttribute('href');
    const served = await page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { text: await r.text(), disposition: r.headers.get('content-disposition') };
    }, href);
    expect(served.text).toContain('Phoenix 2.4 release notes');
    expect(served.disposition).toMatch(/^attachment; filename="release-notes.txt"/);

    // the thread opens in place
    const root = msg('om_demo000000000000000000000000005');
    expect(await root.locator('.thread-toggle').textContent()).toBe('▸ 2 replies · Carol Wang, Alice Chen');
    expect(await msg('om_demo000000000000000000000000006').count()).toBe(0);
    await root.locator('.thread-toggle').click();
    expect(await msg('om_demo000000000000000000000000006').locator('.content').textContent()).toBe('I can, after lunch.');
    expect(await msg('om_demo000000000000000000000000007').locator('.content').textContent()).toBe('Thanks @Carol Wang!');
    expect(await msg('om_demo000000000000000000000000007').locator('.mention').count()).toBe(1);

    // order: the top-level messages as sent
    const order = await page.locator('.messages > article.msg').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.messageId));
    expect(order).toEqual(['om_demo000000000000000000000000001', 'om_demo000000000000000000000000002', 'om_demo000000000000000000000000003', 'om_demo000000000000000000000000004', 'om_demo000000000000000000000000005', 'om_demo000000000000000000000000008']);

    await page.locator('#messages').evaluate((el) => (el.scrollTop = 0));
    await page.screenshot({ path: path.join(SHOTS, 'emulator-chat.png') });

    // a topic chat: its topic and reply
    await page.locator(`.chat-item[data-chat-id="${DEMO.topics}"]`).click();
    await msg('om_demo000000000000000000000000009').waitFor();
    expect(await msg('om_demo000000000000000000000000009').locator('.thread-toggle').textContent()).toBe('▸ 1 reply · Dave Zhao');
    expect(pageErrors).toEqual([]);
  });

  it('shows forwarded, recalled, edited and bookmarked messages', async () => {
    const token = await tenantToken();
    const sent = await lark('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', token, { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: 'first draft' }) });
    const edited = sent.data.message_id as string;
    expect((await lark('PUT', `/open-apis/im/v1/messages/${edited}`, token, { msg_type: 'text', content: JSON.stringify({ text: 'final wording' }) })).code).toBe(0);
    const gone = (await lark('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', token, { receive_id: DEMO.project, msg_type: 'text', content: JSON.stringify({ text: 'oops, wrong chat' }) })).data.message_id as string;
    expect((await lark('DELETE', `/open-apis/im/v1/messages/${gone}`, token)).code).toBe(0);
    const fwd = await lark('POST', '/open-apis/im/v1/messages/merge_forward?receive_id_type=chat_id', token, { receive_id: DEMO.topics, message_id_list: ['om_demo000000000000000000000000001', 'om_demo000000000000000000000000002'] });
    expect(fwd.code).toBe(0);
    const user = issueUserToken(emu().db, DEMO.appId, DEMO.bob, ['im:feed.flag:write', 'im:feed.flag:read'], emu().clock.now()).access.token;
    expect((await lark('POST', '/open-apis/im/v1/flags', user, { flag_items: [{ item_id: 'om_demo000000000000000000000000001', item_type: '0', flag_type: '2' }] })).code).toBe(0);

    await open(`#/chats/${DEMO.project}`);
    expect(await msg(edited).locator('.content').textContent()).toBe('final wording');
    expect(await msg(edited).locator('.tag.edited').textContent()).toBe('edited');
    expect(await msg(gone).locator('.recalled').textContent()).toBe('This message was recalled');
    expect(await msg(gone).textContent()).not.toContain('wrong chat');
    expect(await msg('om_demo000000000000000000000000001').locator('.tag.bookmarked').textContent()).toBe('bookmarked by Bob Li');

    await page.locator(`.chat-item[data-chat-id="${DEMO.topics}"]`).click();
    const box = msg(fwd.data.message.message_id).locator('.forward');
    await box.waitFor();
    expect(await box.locator('.forward-head').textContent()).toBe('↪ Forwarded 2 messages');
    const inside = await box.locator('.forward-item').allTextContents();
    expect(inside[0]).toContain('Alice Chen');
    expect(inside[0]).toContain('Morning all! Phoenix 2.4 goes out on Friday.');
    expect(inside[1]).toContain('Launch checklist');
  });

  it('shows a message the CLI sends, a reaction and a new chat live, without a reload', async () => {
    await open(`#/chats/${DEMO.project}`);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    const r = await cli(['im', '+messages-send', '--chat-id', DEMO.project, '--text', 'Deploy finished, all green', '--as', 'bot']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.json().data.message_id as string;
    await msg(id).waitFor({ timeout: 10_000 });
    expect(await msg(id).locator('.content').textContent()).toBe('Deploy finished, all green');
    expect(await msg(id).locator('.sender').textContent()).toBe('Demo Bot');
    expect(await msg(id).locator('.tag.bot').count()).toBe(1);

    const token = await tenantToken();
    expect((await lark('POST', `/open-apis/im/v1/messages/${id}/reactions`, token, { reaction_type: { emoji_type: 'HEART' } })).code).toBe(0);
    await msg(id).locator('.reaction[data-emoji="HEART"]').waitFor({ timeout: 10_000 });

    const created = await lark('POST', '/open-apis/im/v1/chats?user_id_type=open_id', token, { name: 'Release war room', user_id_list: [DEMO.alice, DEMO.dave] });
    expect(created.code).toBe(0);
    await page.locator(`.chat-item[data-chat-id="${created.data.chat_id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator(`.chat-item[data-chat-id="${created.data.chat_id}"] .chat-name`).textContent()).toBe('Release war room');
    // activity elsewhere is marked, and the page never reloaded
    await page.locator(`.chat-item[data-chat-id="${DEMO.project}"].active`).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('posts as a user through the page; the CLI reads the message back', async () => {
    await open(`#/chats/${DEMO.project}`);
    await page.locator('#composer-as').selectOption(DEMO.bob);
    await page.locator('#composer-text').fill('Posted from the browser by Bob');
    await page.locator('#composer-text').press('Enter');
    const row = page.locator('.messages > article.msg', { hasText: 'Posted from the browser by Bob' });
    await row.waitFor();
    expect(await row.locator('.sender').textContent()).toBe('Bob Li');
    expect(await page.locator('#composer-text').inputValue()).toBe('');

    const r = await cli(['im', '+chat-messages-list', '--chat-id', DEMO.project, '--as', 'bot']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.stringify(r.json());
    expect(out).toContain('Posted from the browser by Bob');
    const stored = [...emu().db.t.messages.values()].find((m) => m.content.includes('Posted from the browser by Bob'))!;
    expect(stored.sender).toMatchObject({ id: DEMO.bob, sender_type: 'user' });
    expect(out).toContain(stored.message_id);

    // a reply in a thread, as Carol
    const root = msg('om_demo000000000000000000000000005');
    await root.locator('.thread-toggle').click();
    await root.locator('.thread-reply').click();
    expect(await page.locator('#composer-target').textContent()).toContain('Who can review the search change?');
    await page.locator('#composer-as').selectOption(DEMO.carol);
    await page.locator('#composer-text').fill('Reviewed, looks good');
    await page.locator('#composer-send').click();
    await root.locator('.thread-replies article.msg', { hasText: 'Reviewed, looks good' }).waitFor();
    const reply = [...emu().db.t.messages.values()].find((m) => m.content.includes('Reviewed, looks good'))!;
    expect(reply.thread_id).toBe(emu().db.t.messages.get('om_demo000000000000000000000000005')!.thread_id);
    expect(reply.sender.id).toBe(DEMO.carol);
  });

  it('shows a refused request with its reason in the journal, filterable and expandable', async () => {
    await open('#/requests');
    const bad = await cli(['im', '+messages-send', '--chat-id', DEMO.p2p, '--text', 'the bot is not in this chat', '--as', 'bot']);
    expect(bad.code).not.toBe(0);
    const ok = await cli(['im', '+chat-list', '--as', 'bot']);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = emu().journal.find((e) => e.code === 230002)!;
    expect(refused.verdict).toContain('is not in chat');

    const row = page.locator(`tr.row[data-seq="${refused.seq}"]`);
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['bot', DEMO.appId, 'POST', '/open-apis/im/v1/messages', '400', '230002']);
    expect(await page.locator('#refused-count').textContent()).toBe('1');

    // filters
    await expect.poll(() => page.locator('tr.row').count()).toBe(emu().journal.length);
    await page.locator('#journal-status').selectOption('refused');
    expect(await page.locator('tr.row').count()).toBe(1);
    await page.locator('#journal-status').selectOption('all');
    await page.locator('#journal-filter').fill('tenant_access_token');
    await expect.poll(() => page.locator('tr.row').count()).toBe(emu().journal.filter((e) => e.path.includes('tenant_access_token')).length);
    await page.locator('#journal-filter').fill('');

    // expanded: the body and the verdict
    await row.click();
    const detail = page.locator('tr.detail-row');
    expect(await detail.locator('.verdict.refused').textContent()).toBe(`Refused: ${refused.verdict}`);
    expect(await detail.locator('pre.json').last().textContent()).toContain('the bot is not in this chat');
    await page.screenshot({ path: path.join(SHOTS, 'emulator-journal.png'), clip: { x: 0, y: 0, width: 1180, height: 560 } });
  });

  it('shows hostile text as text and runs none of it', async () => {
    const token = await tenantToken();
    expect((await admin('POST', '/_emulator/messages', { chat_id: DEMO.project, sender: DEMO.bob, msg_type: 'text', content: { text: HOSTILE } })).code).toBe(0);
    const post = { zh_cn: { title: '<b>not bold</b>', content: [[{ tag: 'a', text: 'click me', href: 'javascript:window.__pwned=3' }, { tag: 'text', text: '<svg onload="window.__pwned=4">' }]] } };
    expect((await admin('POST', '/_emulator/messages', { chat_id: DEMO.project, sender: DEMO.carol, msg_type: 'post', content: post })).code).toBe(0);
    const card = { header: { title: { tag: 'plain_text', content: '<img src=x onerror="window.__pwned=5">' }, template: 'red" onclick="x' }, elements: [{ tag: 'markdown', content: '[x](javascript:window.__pwned=6) **<i>b</i>**' }] };
    expect((await lark('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', token, { receive_id: DEMO.project, msg_type: 'interactive', content: JSON.stringify(card) })).code).toBe(0);
    const chat = await lark('POST', '/open-apis/im/v1/chats', token, { name: '<img src=x onerror="window.__pwned=7">' });
    expect(chat.code).toBe(0);

    await open(`#/chats/${DEMO.project}`);
    const text = page.locator('.messages > article.msg', { hasText: '<script>' });
    expect(await text.locator('.content').textContent()).toBe(HOSTILE);
    expect(await page.locator(`.chat-item[data-chat-id="${chat.data.chat_id}"] .chat-name`).textContent()).toBe('<img src=x onerror="window.__pwned=7">');
    const p = page.locator('.messages > article.msg[data-msg-type="post"]', { hasText: 'click me' });
    expect(await p.locator('.post-title').textContent()).toBe('<b>not bold</b>');
    // the javascript: link is inert (not clicked: it opens a new tab, which would put this page in the background)
    expect(await p.locator('a').getAttribute('href')).toBe('#');
    const c = page.locator('.messages > article.msg[data-msg-type="interactive"]', { hasText: 'onerror' });
    expect(await c.locator('.card-header').textContent()).toBe('<img src=x onerror="window.__pwned=5">');
    expect(await c.locator('.card-header').getAttribute('class')).toBe('card-header tpl-default');
    expect(await c.locator('.md a').getAttribute('href')).toBe('#');
    expect(await c.locator('.md strong').textContent()).toBe('<i>b</i>');

    // nothing ran, and no element came from the server's strings
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main svg, main i, main b').count()).toBe(0);
    expect(await page.locator('main img:not(.image)').count()).toBe(0);

    // the journal shows the hostile request body as text too
    await open('#/requests');
    const row = page.locator('tr.row', { hasText: '/open-apis/im/v1/chats' }).first();
    await row.click();
    expect(await page.locator('tr.detail-row pre.json').last().textContent()).toContain('<img src=x onerror=\\"window.__pwned=7\\">');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('resets to the seed, advances the clock, and adds and clears faults', async () => {
    await admin('POST', '/_emulator/messages', { chat_id: DEMO.project, sender: DEMO.bob, msg_type: 'text', content: { text: 'to be reset away' } });
    const seeded = [...emu().db.t.messages.values()].length;
    await open('#/controls');

    // faults
    await page.locator('#fault-method').selectOption('GET');
    await page.locator('#fault-path').fill('/open-apis/im/v1/chats');
    await page.locator('#fault-status').fill('503');
    await page.locator('#fault-code').fill('1000004');
    await page.locator('#fault-times').fill('2');
    await page.locator('#fault-form button[type="submit"]').click();
    await page.locator('#fault-list tr').waitFor();
    expect(await page.locator('#fault-list tr td').allTextContents()).toEqual(['GET', '/open-apis/im/v1/chats', 'HTTP 503, code 1000004', '2']);
    expect(emu().faults).toEqual([{ method: 'GET', path: '/open-apis/im/v1/chats', status: 503, code: 1000004, times: 2 }]);
    const token = await tenantToken();
    expect(await lark('GET', '/open-apis/im/v1/chats', token)).toMatchObject({ code: 1000004 });
    await page.locator('#fault-clear').click();
    await expect.poll(() => page.locator('#fault-list tr').count()).toBe(0);
    expect(emu().faults).toEqual([]);

    // clock
    const before = emu().clock.offset;
    await page.locator('button[data-advance="86400"]').click();
    await expect.poll(() => page.locator('#clock-offset').textContent()).toBe('(1 d ahead of this computer)');
    expect(emu().clock.offset - before).toBe(86_400_000);

    // reset
    await page.locator('#reset').click();
    await expect.poll(() => emu().clock.offset).toBe(0);
    expect([...emu().db.t.messages.values()].length).toBe(seeded - 1);
    await expect.poll(() => page.locator('#clock-offset').textContent()).toBe('(in step with this computer)');
    await page.locator('#tab-chats').click();
    await page.locator(`.chat-item[data-chat-id="${DEMO.project}"]`).click();
    await msg('om_demo000000000000000000000000001').waitFor();
    expect(await page.locator('.messages', { hasText: 'to be reset away' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
