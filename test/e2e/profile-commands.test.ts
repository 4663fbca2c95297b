/**
 * `profile list | use | add | remove | rename` and the global `--profile`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, type Sandbox } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { readStoredSecret, readStoredUserToken, TEST_APP_ID, TEST_USER_NAME, writeTestAccount } from '../helpers/accounts.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox();
  return () => sb.cleanup();
});

const cli = (args: string[], stdin?: string) => runInProcess(args, { sandbox: sb, stdin });
const envelope = (stderr: string) => JSON.parse(stderr.slice(stderr.indexOf('{\n')));
const config = () => JSON.parse(readFileSync(path.join(sb.config, 'config.json'), 'utf8'));

async function twoProfiles() {
  await writeTestAccount(sb, {
    brand: 'feishu',
    name: 'work',
    user: { token: { expiresAt: Date.now() + 60_000 } },
    moreApps: [{ appId: 'cli_two', name: 'two', brand: 'lark', user: { openId: 'ou_two', name: 'Two' } }],
  });
}

describe('profile list', () => {
  it('is [] without a config file and a config error for an empty one', async () => {
    let r = await cli(['profile', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[]\n');
    writeFileSync(path.join(sb.config, 'config.json'), '{"apps":[]}\n');
    r = await cli(['profile', 'list']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error).toEqual({ type: 'config', message: 'failed to load config: invalid config format: no apps' });
  });

  it('lists profiles in fixed key order with the first user and its token status', async () => {
    await twoProfiles();
    await writeTestAccount(sb, {
      brand: 'feishu',
      name: 'work',
      user: { token: { expiresAt: Date.now() + 60_000 } },
      moreApps: [
        { appId: 'cli_two', name: 'two', brand: 'lark', user: { openId: 'ou_two', name: 'Two' } },
        { appId: 'cli_three', brand: 'http://127.0.0.1:9' },
      ],
      currentApp: 'two',
    });
    const r = await cli(['profile', 'list', '--profile', 'work']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual([
      { name: 'work', appId: TEST_APP_ID, brand: 'feishu', active: false, user: TEST_USER_NAME, tokenStatus: 'needs_refresh' },
      { name: 'two', appId: 'cli_two', brand: 'lark', active: true, user: 'Two', tokenStatus: 'valid' },
      { name: 'cli_three', appId: 'cli_three', brand: 'http://127.0.0.1:9', active: false },
    ]);
    expect(r.stdout.indexOf('"name"')).toBeLessThan(r.stdout.indexOf('"appId"'));
    expect(r.stdout.indexOf('"active"')).toBeLessThan(r.stdout.indexOf('"user"'));
  });
});

describe('profile add', () => {
  it('adds a profile with the secret from stdin, encrypted, and switches with --use', async () => {
    let r = await cli(['profile', 'add', '--name', 'first', '--app-id', 'cli_first', '--app-secret-stdin'], 'first-secret\nignored\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('OK: Profile "first" added (cli_first, feishu)\n');
    expect(readStoredSecret(sb, 'appsecret:cli_first')).toBe('first-secret');
    expect(readFileSync(path.join(sb.config, 'config.json'), 'utf8')).not.toContain('first-secret');

    r = await cli(
      ['profile', 'add', '--name', 'second', '--app-id', 'cli_second', '--app-secret-stdin', '--brand', 'http://127.0.0.1:9/', '--lang', 'en', '--use'],
      'second-secret',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('OK: Profile "second" added (cli_second, http://127.0.0.1:9/)\nOK: Switched to profile "second"\n');
    expect(config()).toEqual({
      currentApp: 'second',
      previousApp: 'first',
      apps: [
        { name: 'first', appId: 'cli_first', appSecret: { source: 'keychain', id: 'appsecret:cli_first' }, brand: 'feishu', users: [] },
        { name: 'second', appId: 'cli_second', appSecret: { source: 'keychain', id: 'appsecret:cli_second' }, brand: 'http://127.0.0.1:9/', lang: 'en', users: [] },
      ],
    });
  });

  it('rejects bad input', async () => {
    await twoProfiles();
    const cases: Array<[string[], string | undefined, string]> = [
      [['--name', 'x', '--app-id', 'cli_x'], 's', 'app secret must be provided via stdin: use --app-secret-stdin and pipe the secret'],
      [['--app-secret-stdin'], 's', 'required flag(s) "app-id", "name" not set'],
      [['--name', 'a b', '--app-id', 'cli_x', '--app-secret-stdin'], 's', `invalid profile name "a b": contains invalid character ' '`],
      [['--name', 'x', '--app-id', 'cli_x', '--app-secret-stdin'], '', 'stdin is empty, expected app secret'],
      [['--name', 'x', '--app-id', 'cli_x', '--app-secret-stdin'], '  \n', 'app secret read from stdin is empty'],
      [['--name', 'work', '--app-id', 'cli_x', '--app-secret-stdin'], 's', 'profile "work" already exists'],
      [['--name', 'cli_two', '--app-id', 'cli_x', '--app-secret-stdin'], 's', 'profile "cli_two" already exists'],
      [['--name', 'x', '--app-id', 'cli_two', '--app-secret-stdin'], 's', 'app-id "cli_two" is already used by profile "two"; each profile must have a unique app-id'],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await cli(['profile', 'add', ...args], stdin);
      expect(r.code, args.join(' ')).toBe(2);
      expect(envelope(r.stderr).error.message, args.join(' ')).toBe(message);
    }
    expect(config().apps).toHaveLength(2);
  });
});

describe('profile use', () => {
  it('switches, toggles back with -, and reports unknown names', async () => {
    await twoProfiles();
    let r = await cli(['profile', 'use', 'work']);
    expect(r.stderr).toBe('Already on profile "work"\n');
    r = await cli(['profile', 'use', '-']);
    expect(r.code).toBe(2);
    expect(envelope(r.stderr).error.message).toBe('no previous profile to switch back to');
    r = await cli(['profile', 'use', 'cli_two']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('OK: Switched to profile "two" (cli_two, lark)\n');
    expect(config()).toMatchObject({ currentApp: 'two', previousApp: 'work' });
    // the active profile now drives every command
    r = await cli(['auth', 'status']);
    expect(r.json().appId).toBe('cli_two');
    r = await cli(['auth', 'status', '--profile', 'work']);
    expect(r.json().appId).toBe(TEST_APP_ID);
    r = await cli(['--profile', 'work', 'config', 'show']);
    expect(r.json().profile).toBe('work');
    r = await cli(['profile', 'use', '-']);
    expect(r.stderr).toBe(`OK: Switched to profile "work" (${TEST_APP_ID}, feishu)\n`);
    expect(config()).toMatchObject({ currentApp: 'work', previousApp: 'two' });
    r = await cli(['profile', 'use', 'nope']);
    expect(r.code).toBe(2);
    expect(envelope(r.stderr).error.message).toBe('profile "nope" not found, available profiles: work, two');
    r = await cli(['profile', 'use']);
    expect(envelope(r.stderr).error.message).toBe('accepts 1 arg(s), received 0');
  });

  it('needs a config file', async () => {
    const r = await cli(['profile', 'use', 'x']);
    expect(r.code).toBe(3);
    expect(envelope(r.stderr).error).toMatchObject({ type: 'config', message: 'not configured' });
  });
});

describe('profile remove and rename', () => {
  it('remove deletes the secret and tokens and fixes current/previous', async () => {
    await twoProfiles();
    let r = await cli(['profile', 'use', 'two']);
    expect(r.code).toBe(0);
    r = await cli(['profile', 'remove', 'two']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('OK: Profile "two" removed\n');
    const c = config();
    expect(c.currentApp).toBe('work');
    expect(c.previousApp).toBe('work');
    expect(c.apps.map((a: { name: string }) => a.name)).toEqual(['work']);
    expect(readStoredSecret(sb, 'appsecret:cli_two')).toBe('');
    expect(readStoredUserToken(sb, 'cli_two', 'ou_two')).toBeUndefined();
    expect(readStoredUserToken(sb)).toBeDefined();
    r = await cli(['profile', 'remove', 'work']);
    expect(r.code).toBe(2);
    expect(envelope(r.stderr).error).toEqual({ type: 'validation', message: 'cannot remove the only profile', hint: 'add another profile first: lark-cli profile add' });
    r = await cli(['profile', 'remove', 'ghost']);
    expect(envelope(r.stderr).error.message).toBe('profile "ghost" not found, available profiles: work');
  });

  it('rename validates and updates references', async () => {
    await twoProfiles();
    await cli(['profile', 'use', 'two']);
    let r = await cli(['profile', 'rename', 'two', 'personal']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('OK: Profile renamed: "two" -> "personal"\n');
    expect(config()).toMatchObject({ currentApp: 'personal', previousApp: 'work' });
    for (const [args, message] of [
      [['personal', 'work'], 'profile "work" already exists'],
      [['personal', TEST_APP_ID], `profile "${TEST_APP_ID}" already exists`],
      [['ghost', 'x'], 'profile "ghost" not found, available profiles: work, personal'],
      [['personal', 'bad/name'], `invalid profile name "bad/name": contains invalid character '/'`],
      [['personal'], 'accepts 2 arg(s), received 1'],
    ] as Array<[string[], string]>) {
      r = await cli(['profile', 'rename', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(envelope(r.stderr).error.message).toBe(message);
    }
    // renaming to its own appId is allowed
    r = await cli(['profile', 'rename', 'personal', 'cli_two']);
    expect(r.code, r.stderr).toBe(0);
  });
});
