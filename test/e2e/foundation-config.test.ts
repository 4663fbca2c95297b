/**
 * Foundation e2e: `config init | show | remove | default-as | strict-mode`
 * and how the saved settings steer identity on the next run.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { larkOk } from '../fake-lark/handlers.js';
import { runCli } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { readStoredSecret, readStoredUserToken, writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark, expectJsonErr } from '../helpers/fake-lark-hooks.js';

const SECRET = 'Sup3r-Secret-Value-9f2c';
const TAT_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const NON_TTY_MESSAGE =
  'config init requires a terminal for interactive mode. Run with --new to create a new app:\n  lark-cli config init --new\nThis command blocks until setup is complete and outputs a verification URL. Run it in the background, then retrieve the URL from its output.';

const h = useFakeLark();

/** Every regular file under `dir`, recursively. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('config init (non-interactive)', () => {
  it('saves the app, keeps the secret encrypted and never shows it', async () => {
    // fresh folders so the CLI creates them (and their modes can be checked)
    const configDir = path.join(h.sb.root, 'new-config');
    const dataDir = path.join(h.sb.root, 'new-data');
    const envDirs = { LARKSUITE_CLI_CONFIG_DIR: configDir, LARKSUITE_CLI_DATA_DIR: dataDir };
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_x', '--app-secret-stdin', '--brand', h.fake.url], {
      sandbox: h.sb,
      env: envDirs,
      stdin: `${SECRET}\nsecond line ignored\n`,
    });
    const configFile = path.join(configDir, 'config.json');
    expect(r.stderr).toBe(`OK: Configuration saved to ${configFile}\n`);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ appId: 'cli_x', appSecret: '****', brand: h.fake.url });
    expect(r.stdout).toBe(`{\n  "appId": "cli_x",\n  "appSecret": "****",\n  "brand": "${h.fake.url}"\n}\n`);

    // config file: documented field order, 2-space indent, trailing newline, 0600
    const text = await readFile(configFile, 'utf8');
    expect(JSON.parse(text)).toEqual({
      apps: [{ appId: 'cli_x', appSecret: { source: 'keychain', id: 'appsecret:cli_x' }, brand: h.fake.url, lang: 'zh', users: [] }],
    });
    expect(text).toBe(
      `{\n  "apps": [\n    {\n      "appId": "cli_x",\n      "appSecret": {\n        "source": "keychain",\n        "id": "appsecret:cli_x"\n      },\n      "brand": "${h.fake.url}",\n      "lang": "zh",\n      "users": []\n    }\n  ]\n}\n`,
    );
    expect(await mode(configFile)).toBe(0o600);
    expect(await mode(configDir)).toBe(0o700);

    // secret store: master key + encrypted entry, files 0600, folders 0700
    const storeDir = path.join(dataDir, 'lark-cli');
    expect(await mode(storeDir)).toBe(0o700);
    const entry = path.join(storeDir, 'appsecret_cli_x.enc');
    expect(existsSync(entry)).toBe(true);
    expect(await mode(entry)).toBe(0o600);
    expect(await mode(path.join(storeDir, 'master.key'))).toBe(0o600);
    expect((await readFile(path.join(storeDir, 'master.key'))).length).toBe(32);
    const blob = await readFile(entry);
    expect(blob.length).toBe(12 + Buffer.byteLength(SECRET) + 16);

    // the secret is nowhere in clear text: no file under the sandbox, no output
    for (const f of await allFiles(h.sb.root)) {
      const bytes = await readFile(f);
      expect(bytes.includes(Buffer.from(SECRET)), f).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(SECRET).toString('base64'))), f).toBe(false);
    }
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    // no temp files left
    expect((await readdir(configDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await readdir(storeDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    // config show masks it
    const show = await runInProcess(['config', 'show'], { sandbox: h.sb, env: envDirs });
    expect(show.code).toBe(0);
    expect(show.json()).toEqual({ appId: 'cli_x', appSecret: '****', brand: h.fake.url, lang: 'zh', profile: 'cli_x', users: '(no logged-in users)' });
    expect(show.stderr).toBe(`\nConfig file path: ${configFile}\n`);
    expect(show.stdout + show.stderr).not.toContain(SECRET);

    // the stored secret is the one used for the tenant token
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    const call = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb, env: envDirs });
    expect(call.code).toBe(0);
    const tat = h.fake.requestsTo(TAT_PATH);
    expect(tat).toHaveLength(1);
    expect(tat[0]!.json).toEqual({ app_id: 'cli_x', app_secret: SECRET });
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')[0]!.headers.authorization).toBe('Bearer t-cli_x');
    expect(call.stdout + call.stderr).not.toContain(SECRET);
    // the tenant token cache is encrypted too
    for (const f of await allFiles(h.sb.root)) {
      const bytes = await readFile(f);
      expect(bytes.includes(Buffer.from(SECRET)), f).toBe(false);
      expect(bytes.includes(Buffer.from('t-cli_x')), f).toBe(false);
    }
  });

  it('--brand lark is kept, any other word becomes feishu', async () => {
    const a = await runInProcess(['config', 'init', '--app-id', 'cli_a', '--app-secret-stdin', '--brand', 'lark'], { sandbox: h.sb, stdin: 'x\n' });
    expect(a.json()).toEqual({ appId: 'cli_a', appSecret: '****', brand: 'lark' });
    const b = await runInProcess(['config', 'init', '--app-id', 'cli_b', '--app-secret-stdin', '--brand', 'whatever'], { sandbox: h.sb, stdin: 'x\n' });
    expect(b.json()).toEqual({ appId: 'cli_b', appSecret: '****', brand: 'feishu' });
    const c = await runInProcess(['config', 'init', '--app-id', 'cli_c', '--app-secret-stdin'], { sandbox: h.sb, stdin: 'x' });
    expect(c.json()).toEqual({ appId: 'cli_c', appSecret: '****', brand: 'feishu' });
  });

  it('re-init without --name replaces the app and forgets the other app\'s secret', async () => {
    await runInProcess(['config', 'init', '--app-id', 'cli_one', '--app-secret-stdin', '--brand', h.fake.url], { sandbox: h.sb, stdin: 'one\n' });
    expect(readStoredSecret(h.sb, 'appsecret:cli_one')).toBe('one');
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_two', '--app-secret-stdin', '--brand', h.fake.url], { sandbox: h.sb, stdin: 'two\n' });
    expect(r.code).toBe(0);
    expect(readStoredSecret(h.sb, 'appsecret:cli_one')).toBe('');
    expect(readStoredSecret(h.sb, 'appsecret:cli_two')).toBe('two');
    const cfg = JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps.map((a: { appId: string }) => a.appId)).toEqual(['cli_two']);
  });

  it('--name adds a named profile next to the existing one', async () => {
    await runInProcess(['config', 'init', '--app-id', 'cli_one', '--app-secret-stdin', '--brand', h.fake.url], { sandbox: h.sb, stdin: 'one\n' });
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_two', '--app-secret-stdin', '--brand', h.fake.url, '--name', '工作'], {
      sandbox: h.sb,
      stdin: 'two\n',
    });
    expect(r.code).toBe(0);
    const cfg = JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps.map((a: { name?: string; appId: string }) => [a.name, a.appId])).toEqual([
      [undefined, 'cli_one'],
      ['工作', 'cli_two'],
    ]);
    expect(readStoredSecret(h.sb, 'appsecret:cli_one')).toBe('one');
    const show = await runInProcess(['config', 'show', '--profile', '工作'], { sandbox: h.sb });
    expect(show.json()).toMatchObject({ appId: 'cli_two', profile: '工作' });
  });

  it('--name equal to another app\'s id → internal, exit 5; same name with a new app id resets its users', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, name: 'work', user: { openId: 'ou_w' }, moreApps: [{ appId: 'cli_other', brand: h.fake.url }] });
    const clash = await runInProcess(['config', 'init', '--app-id', 'cli_new', '--app-secret-stdin', '--name', 'cli_other'], { sandbox: h.sb, stdin: 's\n' });
    expect(clash.errJson()).toEqual({ ok: false, error: { type: 'internal', message: 'failed to save config: profile name "cli_other" conflicts with existing appId' } });
    expect(clash.code).toBe(5);

    const r = await runInProcess(['config', 'init', '--app-id', 'cli_moved', '--app-secret-stdin', '--name', 'work', '--brand', h.fake.url], { sandbox: h.sb, stdin: 'moved\n' });
    expect(r.code).toBe(0);
    const cfg = JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps).toEqual([
      { name: 'work', appId: 'cli_moved', appSecret: { source: 'keychain', id: 'appsecret:cli_moved' }, brand: h.fake.url, lang: 'zh', users: [] },
      { appId: 'cli_other', appSecret: { source: 'keychain', id: 'appsecret:cli_other' }, brand: h.fake.url, users: [] },
    ]);
    expect(readStoredSecret(h.sb, 'appsecret:cli_test')).toBe('');
    expect(readStoredUserToken(h.sb, 'cli_test', 'ou_w')).toBeUndefined();
    expect(readStoredSecret(h.sb, 'appsecret:cli_other')).toBe('s3cret');
    expect(readStoredSecret(h.sb, 'appsecret:cli_moved')).toBe('moved');
  });

  it('without a secret on stdin and no terminal: the non-interactive validation message', async () => {
    for (const args of [['config', 'init'], ['config', 'init', '--app-id', 'cli_x'], ['config', 'init', '--brand', 'lark']]) {
      const r = await runInProcess(args, { sandbox: h.sb });
      expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message: NON_TTY_MESSAGE } });
    }
    expect(existsSync(path.join(h.sb.config, 'config.json'))).toBe(false);
    expect(h.fake.requests).toHaveLength(0);
  });

  it.each([
    ['', 'stdin is empty, expected app secret'],
    ['\n', 'app secret read from stdin is empty'],
    ['   \nsecret-on-line-2\n', 'app secret read from stdin is empty'],
  ])('--app-secret-stdin with stdin %j → %s', async (stdin, message) => {
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_x', '--app-secret-stdin'], { sandbox: h.sb, stdin });
    expect(r.errJson()).toEqual({ ok: false, error: { type: 'validation', message } });
    expect(r.code).toBe(2);
    expect(existsSync(path.join(h.sb.config, 'config.json'))).toBe(false);
  });

  it.each([
    ['a b', `invalid profile name "a b": contains invalid character ' '`],
    ['x/y', `invalid profile name "x/y": contains invalid character '/'`],
    ['semi;colon', `invalid profile name "semi;colon": contains invalid character ';'`],
    ['tilde~', `invalid profile name "tilde~": contains invalid character '~'`],
    ['ctl\u0001x', 'invalid profile name "ctl\u0001x": contains control characters'],
    ['n'.repeat(65), `profile name "${'n'.repeat(65)}" is too long (max 64 characters)`],
  ])('invalid --name %j', async (name, message) => {
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_x', '--app-secret-stdin', '--name', name], { sandbox: h.sb, stdin: 'sec\n' });
    expectJsonErr(r, 2, { ok: false, error: { type: 'validation', message } });
    expect(existsSync(path.join(h.sb.config, 'config.json'))).toBe(false);
  });

  it('a 64-character unicode name is accepted', async () => {
    const name = '名'.repeat(64);
    const r = await runInProcess(['config', 'init', '--app-id', 'cli_x', '--app-secret-stdin', '--name', name], { sandbox: h.sb, stdin: 'sec\n' });
    expect(r.code).toBe(0);
  });
});

describe('config show', () => {
  it('not configured', async () => {
    const r = await runInProcess(['config', 'show'], { sandbox: h.sb });
    expectJsonErr(r, 3, { ok: false, error: { type: 'config', message: 'not configured', hint: 'run: lark-cli config init' } });
  });

  it('shows the logged-in user, ignores environment credentials', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, lang: 'en', user: { openId: 'ou_1', name: 'Alice' } });
    const r = await runInProcess(['config', 'show'], { sandbox: h.sb, env: { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_APP_SECRET: 'env-secret' } });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ appId: 'cli_test', appSecret: '****', brand: h.fake.url, lang: 'en', profile: 'cli_test', users: 'Alice (ou_1)' });
    expect(r.stdout).not.toContain('s3cret');
  });

  it('invalid JSON in the config file → failed to load config', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(h.sb.config, 'config.json'), '{nope');
    const r = await runInProcess(['config', 'show'], { sandbox: h.sb });
    const e = r.errJson();
    expect(e.error.type).toBe('config');
    expect(e.error.message).toMatch(/^failed to load config: invalid config format: /);
    expect(r.code).toBe(3);
  });
});

describe('config remove', () => {
  it('removes every profile, secret and token', async () => {
    const { storeDir } = await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    expect(existsSync(path.join(storeDir, 'appsecret_cli_test.enc'))).toBe(true);
    expect(existsSync(path.join(storeDir, 'cli_test_ou_test_user.enc'))).toBe(true);
    const r = await runInProcess(['config', 'remove'], { sandbox: h.sb });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('OK: Configuration removed\nCleared tokens for 1 users\n');
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'))).toEqual({ apps: [] });
    expect(existsSync(path.join(storeDir, 'appsecret_cli_test.enc'))).toBe(false);
    expect(existsSync(path.join(storeDir, 'cli_test_ou_test_user.enc'))).toBe(false);
    expect(readStoredUserToken(h.sb)).toBeUndefined();

    const show = await runInProcess(['config', 'show'], { sandbox: h.sb });
    expect(show.errJson().error).toEqual({ type: 'config', message: 'failed to load config: invalid config format: no apps' });
    expect(show.code).toBe(3);

    const again = await runInProcess(['config', 'remove'], { sandbox: h.sb });
    expect(again.errJson()).toEqual({ ok: false, error: { type: 'validation', message: 'not configured yet' } });
    expect(again.code).toBe(2);
  });

  it('without users prints only the first line', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r = await runInProcess(['config', 'remove'], { sandbox: h.sb });
    expect(r.stderr).toBe('OK: Configuration removed\n');
  });
});

describe('config default-as', () => {
  it('not configured', async () => {
    const r = await runInProcess(['config', 'default-as', 'bot'], { sandbox: h.sb });
    expect(r.errJson()).toEqual({ ok: false, error: { type: 'config', message: 'not configured', hint: 'run: lark-cli config init' } });
    expect(r.code).toBe(3);
  });

  it('set bot: an auto-detected run with a logged-in user then uses the tenant token', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));

    // before: auto-detect picks the logged-in user
    const before = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats'], { sandbox: h.sb });
    expect(before.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')[0]!.headers.authorization).toBe('Bearer u-test-user-token');

    expect((await runInProcess(['config', 'default-as'], { sandbox: h.sb })).stdout).toBe('default-as: auto\n');
    const set = await runInProcess(['config', 'default-as', 'bot'], { sandbox: h.sb });
    expect(set.code).toBe(0);
    expect(set.stderr).toBe('Default identity set to: bot\n');
    expect((await runInProcess(['config', 'default-as'], { sandbox: h.sb })).stdout).toBe('default-as: bot\n');
    const cfg = JSON.parse(await readFile(path.join(h.sb.config, 'config.json'), 'utf8'));
    expect(cfg.apps[0].defaultAs).toBe('bot');

    h.fake.clearRequests();
    const after = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats'], { sandbox: h.sb });
    expect(after.code).toBe(0);
    expect(h.fake.requestsTo(TAT_PATH)).toHaveLength(1);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')[0]!.headers.authorization).toBe('Bearer t-cli_test');

    // an explicit --as still wins over default-as
    h.fake.clearRequests();
    const explicit = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], { sandbox: h.sb });
    expect(explicit.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats')[0]!.headers.authorization).toBe('Bearer u-test-user-token');
  });

  it('an invalid value → validation', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r = await runInProcess(['config', 'default-as', 'robot'], { sandbox: h.sb });
    expect(r.errJson()).toEqual({ ok: false, error: { type: 'validation', message: 'invalid identity type "robot", valid values: user | bot | auto' } });
    expect(r.code).toBe(2);
  });
});

describe('config strict-mode', () => {
  it('bot: api --as user is forced to the tenant token', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {} });
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    expect((await runInProcess(['config', 'strict-mode'], { sandbox: h.sb })).stdout).toBe('strict-mode: off (source: global (default))\n');

    const set = await runInProcess(['config', 'strict-mode', 'bot'], { sandbox: h.sb });
    expect(set.code).toBe(0);
    expect(set.stderr).toBe('Strict mode set to bot (profile)\n');
    expect((await runInProcess(['config', 'strict-mode'], { sandbox: h.sb })).stdout).toBe('strict-mode: bot (source: profile "cli_test")\n');

    const r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user'], { sandbox: h.sb });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const calls = h.fake.requestsTo('/open-apis/im/v1/chats');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.authorization).toBe('Bearer t-cli_test');

    // a dry run reports the forced identity
    const dry = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'user', '--dry-run'], { sandbox: h.sb });
    expect(JSON.parse(dry.stdout.replace('=== Dry Run ===\n', '')).as).toBe('bot');
  });

  it('user (global): api --as bot is forced to the user token; --reset and warnings', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: {}, strictMode: 'off' });
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    const set = await runInProcess(['config', 'strict-mode', 'user', '--global'], { sandbox: h.sb });
    expect(set.stderr).toBe(
      'Warning: profile "cli_test" has strict-mode explicitly set to "off", which overrides the global setting. Use --reset in that profile to inherit global.\nStrict mode set to user (global)\n',
    );
    // the profile's own "off" still wins
    let r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats').at(-1)!.headers.authorization).toBe('Bearer t-cli_test');

    const reset = await runInProcess(['config', 'strict-mode', '--reset'], { sandbox: h.sb });
    expect(reset.stderr).toBe('Profile strict-mode reset (inherits global)\n');
    expect((await runInProcess(['config', 'strict-mode'], { sandbox: h.sb })).stdout).toBe('strict-mode: user (source: global)\n');
    r = await runInProcess(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb });
    expect(r.code).toBe(0);
    expect(h.fake.requestsTo('/open-apis/im/v1/chats').at(-1)!.headers.authorization).toBe('Bearer u-test-user-token');
  });

  it.each([
    [['config', 'strict-mode', 'nope'], 'invalid value "nope", valid values: bot | user | off'],
    [['config', 'strict-mode', '--reset', '--global'], '--reset cannot be used with --global'],
    [['config', 'strict-mode', 'bot', '--reset'], '--reset cannot be used with a value argument'],
  ])('%j → validation', async (args, message) => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r = await runInProcess(args, { sandbox: h.sb });
    expect(r.errJson()).toEqual({ ok: false, error: { type: 'validation', message } });
    expect(r.code).toBe(2);
  });

  it('shows the credential provider when the environment decides', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    const r = await runInProcess(['config', 'strict-mode'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_APP_ID: 'cli_env', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-x' },
    });
    expect(r.stdout).toBe('strict-mode: bot (source: credential provider)\n');
  });
});

describe('file modes of a config written by the CLI', () => {
  it('default-as rewrites config.json atomically with mode 0600', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url });
    await runInProcess(['config', 'default-as', 'user'], { sandbox: h.sb });
    const file = path.join(realpathSync(h.sb.config), 'config.json');
    expect(await mode(file)).toBe(0o600);
    expect((await readdir(h.sb.config)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('directories', () => {
  // spawned: without these variables src/core/paths.ts asks env-paths, which reads process.env
  it.each([['relative/data'], ['/abs/with\u0007bell']])('an invalid LARKSUITE_CLI_DATA_DIR (%j) falls back to the default data dir', async (bad) => {
    const r = await runCli(['config', 'init', '--app-id', 'cli_d', '--app-secret-stdin', '--brand', h.fake.url], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_DATA_DIR: bad },
      stdin: 'sec\n',
    });
    expect(r.code).toBe(0);
    const store = path.join(h.sb.home, '.local', 'share', 'lark-cli');
    expect(existsSync(path.join(store, 'appsecret_cli_d.enc'))).toBe(true);
    expect(existsSync(path.join(h.sb.work, 'relative'))).toBe(false);
    // and it is read back from there
    h.fake.use(http.get('*/open-apis/im/v1/chats', () => larkOk({ items: [] })));
    const call = await runCli(['api', 'GET', '/open-apis/im/v1/chats', '--as', 'bot'], { sandbox: h.sb, env: { LARKSUITE_CLI_DATA_DIR: bad } });
    expect(call.code).toBe(0);
    expect(h.fake.requestsTo(TAT_PATH)[0]!.json).toEqual({ app_id: 'cli_d', app_secret: 'sec' });
  });

  it('without LARKSUITE_CLI_CONFIG_DIR the env-paths config dir is used', async () => {
    const r = await runCli(['config', 'init', '--app-id', 'cli_e', '--app-secret-stdin'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_CONFIG_DIR: undefined },
      stdin: 'sec\n',
    });
    const file = path.join(h.sb.home, '.config', 'lark-cli', 'config.json');
    expect(r.stderr).toBe(`OK: Configuration saved to ${file}\n`);
    expect(existsSync(file)).toBe(true);
    expect(await mode(path.dirname(file))).toBe(0o700);
  });
});
