/**
 * `config init --new`: registers an app through the accounts endpoint's device-style
 * flow and saves it as `config init` does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { jsonResponse } from '../fake-lark/handlers.js';
import { runInProcess } from '../helpers/in-process.js';
import { useFakeLark } from '../helpers/fake-lark-hooks.js';
import { readStoredSecret } from '../helpers/accounts.js';

const h = useFakeLark();

/** The error envelope that ends stderr (the flow prints its URL lines first). */
function envelope(stderr: string) {
  return JSON.parse(stderr.slice(stderr.indexOf('\n{\n') + 1));
}

/** A registration endpoint whose polls answer `answers` in turn (the last one repeats). */
function registration(answers: Array<Record<string, unknown>>) {
  let polls = 0;
  return http.post('*/oauth/v1/app/registration', async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    if (form.get('action') === 'begin') {
      return jsonResponse({ device_code: 'dc_1', user_code: 'UC-1', verification_uri: 'x', expires_in: 30, interval: 0 });
    }
    const a = answers[Math.min(polls, answers.length - 1)]!;
    polls++;
    return jsonResponse(a);
  });
}

describe('config init --new', () => {
  it('prints the verification URL, polls until the app exists, and saves it with the secret encrypted', async () => {
    h.fake.use(
      registration([
        { error: 'authorization_pending' },
        { client_id: 'cli_new', client_secret: 'new-secret-42', user_info: { open_id: 'ou_1', tenant_brand: 'feishu' } },
      ]),
    );
    const r = await runInProcess(['config', 'init', '--new', '--brand', h.fake.url, '--lang', 'en'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ appId: 'cli_new', appSecret: '****', brand: h.fake.url });
    expect(r.stderr).toContain(`${h.fake.url}/page/cli?user_code=UC-1&lpv=`);
    expect(r.stderr).toContain('Waiting for app configuration...');
    expect(r.stderr).toContain('OK: 应用配置成功! App ID: cli_new');
    expect(r.stdout + r.stderr).not.toContain('new-secret-42');

    const calls = h.fake.requestsTo('/oauth/v1/app/registration');
    expect(calls.map((c) => new URLSearchParams(c.text).get('action'))).toEqual(['begin', 'poll', 'poll']);
    expect(Object.fromEntries(new URLSearchParams(calls[0]!.text))).toEqual({
      action: 'begin',
      archetype: 'PersonalAgent',
      auth_method: 'client_secret',
      request_user_info: 'open_id tenant_brand',
    });
    expect(new URLSearchParams(calls[1]!.text).get('device_code')).toBe('dc_1');

    const cfg = JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps).toEqual([
      { appId: 'cli_new', appSecret: { source: 'keychain', id: 'appsecret:cli_new' }, brand: h.fake.url, lang: 'en', users: [] },
    ]);
    expect(readStoredSecret(h.sb, 'appsecret:cli_new')).toBe('new-secret-42');
  });

  it('reports a denial and an expired code as auth errors, and saves nothing', async () => {
    h.fake.use(registration([{ error: 'access_denied' }]));
    const denied = await runInProcess(['config', 'init', '--new', '--brand', h.fake.url], { sandbox: h.sb });
    expect(denied.code).toBe(3);
    expect(denied.stdout).toBe('');
    expect(envelope(denied.stderr).error).toEqual({ type: 'auth', message: 'app registration denied by user' });

    h.fake.resetHandlers();
    h.fake.use(registration([{ error: 'expired_token' }]));
    const expired = await runInProcess(['config', 'init', '--new', '--brand', h.fake.url], { sandbox: h.sb });
    expect(expired.code).toBe(3);
    expect(envelope(expired.stderr).error.message).toBe('device code expired, please try again');

    const show = await runInProcess(['config', 'show'], { sandbox: h.sb });
    expect(show.code).toBe(3);
    expect(show.errJson().error.message).toBe('not configured');
  });

  it('fails clearly when the begin call is refused', async () => {
    h.fake.use(http.post('*/oauth/v1/app/registration', () => jsonResponse({ error: 'invalid_client', error_description: 'app type not allowed' }, { status: 400 })));
    const r = await runInProcess(['config', 'init', '--new', '--brand', h.fake.url], { sandbox: h.sb });
    expect(r.code).toBe(3);
    expect(r.errJson().error).toEqual({ type: 'auth', message: 'app registration failed: app registration failed: app type not allowed' });
  });
});
