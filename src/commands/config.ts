/**
 * `lark-cli config init | show | remove | default-as | strict-mode`.
 */
import { Command } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import {
  type AppConfig,
  type ConfigFile,
  type StrictMode,
  profileDisplayName,
  profileNameProblem,
  saveConfig,
  selectProfile,
} from '../core/config.js';
import { normalizeBrandFlag } from '../core/brand.js';
import { toPrettyJson } from '../core/json.js';
import { appSecretAccount, userTokenAccount } from '../core/secret-store.js';
import { effectiveStrictMode } from '../auth/identity.js';
import { setCompletionValues } from '../core/suggest.js';
import { groupCommand } from '../request/group.js';

const NON_TTY_MESSAGE =
  'config init requires a terminal for interactive mode. Run with --new to create a new app:\n  lark-cli config init --new\nThis command blocks until setup is complete and outputs a verification URL. Run it in the background, then retrieve the URL from its output.';

/** Deletes an app's stored secret and its users' tokens (best effort). */
function forgetApp(ctx: Context, app: AppConfig): void {
  try {
    ctx.store.remove(appSecretAccount(app.appId));
  } catch {
    /* best effort */
  }
  for (const u of app.users) {
    try {
      ctx.store.remove(userTokenAccount(app.appId, u.userOpenId));
    } catch {
      /* best effort */
    }
  }
}

/** The first line of stdin, trimmed: how secrets reach the CLI (never as an argument). */
export async function readSecretFromStdin(ctx: Context): Promise<string> {
  let buf: Buffer;
  try {
    buf = await ctx.io.readStdin();
  } catch (e) {
    throw new CliError('validation', `failed to read secret from stdin: ${(e as Error).message}`);
  }
  if (buf.length === 0) throw new CliError('validation', 'stdin is empty, expected app secret');
  const secret = buf.toString('utf8').split(/\r?\n/)[0]!.trim();
  if (!secret) throw new CliError('validation', 'app secret read from stdin is empty');
  return secret;
}

interface InitOptions {
  appId?: string;
  appSecretStdin?: boolean;
  brand?: string;
  new?: boolean;
  lang?: string;
  name?: string;
}

function existingConfig(ctx: Context): ConfigFile | undefined {
  const c = ctx.config();
  return c.state === 'ok' ? c.config : undefined;
}

/** Saves app credentials non-interactively. */
export function saveCredentials(ctx: Context, appId: string, secret: string, brand: string, lang: string, name?: string): void {
  try {
    ctx.store.set(appSecretAccount(appId), secret);
  } catch (e) {
    throw new CliError('internal', `keychain unavailable: ${(e as Error).message}\nhint: use file: reference in config to bypass keychain`);
  }
  const ref = { source: 'keychain' as const, id: appSecretAccount(appId) };
  const prev = existingConfig(ctx);
  let cfg: ConfigFile;
  if (!name) {
    for (const a of prev?.apps ?? []) if (a.appId !== appId) forgetApp(ctx, a);
    cfg = { apps: [{ appId, appSecret: ref, brand, lang, users: [] }] };
  } else {
    cfg = prev ? { ...prev, apps: [...prev.apps] } : { apps: [] };
    const idx = cfg.apps.findIndex((a) => a.name === name);
    if (idx >= 0) {
      const old = cfg.apps[idx]!;
      const changed = old.appId !== appId;
      if (changed) forgetApp(ctx, old);
      cfg.apps[idx] = { ...old, appId, appSecret: ref, brand, lang, users: changed ? [] : old.users };
    } else {
      if (cfg.apps.some((a) => a.appId === name)) {
        throw new CliError('internal', `failed to save config: profile name "${name}" conflicts with existing appId`);
      }
      cfg.apps.push({ name, appId, appSecret: ref, brand, lang, users: [] });
    }
  }
  saveConfig(ctx.dirs, cfg);
  ctx.invalidate();
}

async function init(ctx: Context, o: InitOptions): Promise<void> {
  const secret = o.appSecretStdin ? await readSecretFromStdin(ctx) : '';
  if (o.name !== undefined) {
    const problem = profileNameProblem(o.name);
    if (problem) throw new CliError('validation', problem);
  }
  if (o.appId && secret) {
    const brand = normalizeBrandFlag(o.brand);
    const lang = o.lang === 'en' ? 'en' : o.lang || 'zh';
    saveCredentials(ctx, o.appId, secret, brand, lang, o.name);
    ctx.io.stderr.write(`OK: Configuration saved to ${ctx.dirs.configFile}\n`);
    ctx.io.stdout.write(toPrettyJson({ appId: o.appId, appSecret: '****', brand }));
    return;
  }
  if (o.new) {
    const { registerApp } = await import('../auth/app-registration.js');
    const result = await registerApp(ctx, normalizeBrandFlag(o.brand), o.lang === 'en' ? 'en' : 'zh');
    saveCredentials(ctx, result.appId, result.appSecret, result.brand, o.lang || 'zh', o.name);
    ctx.io.stdout.write(toPrettyJson({ appId: result.appId, appSecret: '****', brand: result.brand }));
    return;
  }
  if (!ctx.io.stdinIsTTY) throw new CliError('validation', NON_TTY_MESSAGE);
  const { promptCredentials } = await import('./config-prompt.js');
  const answers = await promptCredentials(ctx, existingConfig(ctx), o);
  saveCredentials(ctx, answers.appId, answers.appSecret, answers.brand, o.lang || 'zh', o.name);
  ctx.io.stderr.write(o.lang === 'en' ? `OK: App configured! App ID: ${answers.appId}\n` : `OK: 应用配置成功! App ID: ${answers.appId}\n`);
}

function show(ctx: Context): void {
  const c = ctx.config();
  if (c.state === 'missing') throw new CliError('config', 'not configured', { hint: 'run: lark-cli config init' });
  if (c.state === 'invalid') throw new CliError('config', `failed to load config: ${c.error}`);
  let p: AppConfig;
  try {
    p = selectProfile(c.config, ctx.profileOverride);
  } catch {
    throw new CliError('config', 'no active profile', { hint: 'run: lark-cli profile list' });
  }
  const users = p.users.length ? p.users.map((u) => `${u.userName} (${u.userOpenId})`).join(', ') : '(no logged-in users)';
  ctx.io.stdout.write(
    toPrettyJson({ appId: p.appId, appSecret: '****', brand: p.brand, lang: p.lang ?? '', profile: profileDisplayName(p), users }),
  );
  ctx.io.stderr.write(`\nConfig file path: ${ctx.dirs.configFile}\n`);
}

function remove(ctx: Context): void {
  const c = ctx.config();
  if (c.state !== 'ok') throw new CliError('validation', 'not configured yet');
  const apps = c.config.apps;
  saveConfig(ctx.dirs, { apps: [] });
  let users = 0;
  for (const a of apps) {
    users += a.users.length;
    forgetApp(ctx, a);
  }
  ctx.io.stderr.write('OK: Configuration removed\n');
  if (users > 0) ctx.io.stderr.write(`Cleared tokens for ${users} users\n`);
}

function activeProfile(ctx: Context): { cfg: ConfigFile; p: AppConfig } {
  const cfg = ctx.requireConfigFile();
  try {
    return { cfg, p: selectProfile(cfg, ctx.profileOverride) };
  } catch {
    throw new CliError('config', 'no active profile', { hint: 'run: lark-cli config init' });
  }
}

function defaultAs(ctx: Context, args: string[]): void {
  if (args.length > 1) throw new CliError('validation', `accepts at most 1 arg(s), received ${args.length}`);
  const { cfg, p } = activeProfile(ctx);
  if (args.length === 0) {
    ctx.io.stdout.write(`default-as: ${p.defaultAs || 'auto'}\n`);
    return;
  }
  const v = args[0]!;
  if (v !== 'user' && v !== 'bot' && v !== 'auto') {
    throw new CliError('validation', `invalid identity type "${v}", valid values: user | bot | auto`);
  }
  p.defaultAs = v;
  saveConfig(ctx.dirs, cfg);
  ctx.io.stderr.write(`Default identity set to: ${v}\n`);
}

function strictMode(ctx: Context, args: string[], o: { global?: boolean; reset?: boolean }): void {
  if (args.length > 1) throw new CliError('validation', `accepts at most 1 arg(s), received ${args.length}`);
  if (o.reset) {
    if (o.global) throw new CliError('validation', '--reset cannot be used with --global');
    if (args.length) throw new CliError('validation', '--reset cannot be used with a value argument');
    const { cfg, p } = activeProfile(ctx);
    delete p.strictMode;
    saveConfig(ctx.dirs, cfg);
    ctx.io.stderr.write('Profile strict-mode reset (inherits global)\n');
    return;
  }
  if (args.length === 0) {
    const { cfg, p } = activeProfile(ctx);
    const fromConfig: StrictMode = p.strictMode ?? cfg.strictMode ?? 'off';
    const runtime = effectiveStrictMode(ctx);
    if (runtime !== fromConfig) {
      ctx.io.stdout.write(`strict-mode: ${runtime} (source: credential provider)\n`);
      return;
    }
    const src = p.strictMode ? `profile "${profileDisplayName(p)}"` : cfg.strictMode === 'bot' || cfg.strictMode === 'user' ? 'global' : 'global (default)';
    ctx.io.stdout.write(`strict-mode: ${fromConfig} (source: ${src})\n`);
    return;
  }
  const v = args[0]!;
  if (v !== 'bot' && v !== 'user' && v !== 'off') throw new CliError('validation', `invalid value "${v}", valid values: bot | user | off`);
  if (o.global) {
    const cfg = ctx.requireConfigFile();
    cfg.strictMode = v;
    for (const a of cfg.apps) {
      if (a.strictMode && a.strictMode !== v) {
        ctx.io.stderr.write(
          `Warning: profile "${profileDisplayName(a)}" has strict-mode explicitly set to "${a.strictMode}", which overrides the global setting. Use --reset in that profile to inherit global.\n`,
        );
      }
    }
    saveConfig(ctx.dirs, cfg);
    ctx.io.stderr.write(`Strict mode set to ${v} (global)\n`);
    return;
  }
  const { cfg, p } = activeProfile(ctx);
  p.strictMode = v;
  saveConfig(ctx.dirs, cfg);
  ctx.io.stderr.write(`Strict mode set to ${v} (profile)\n`);
}

export function register(parent: Command, ctx: Context): void {
  const config = groupCommand('config', 'Manage app credentials and CLI settings');
  config
    .command('init')
    .description('Configure the app ID and secret (non-interactive with --app-id and --app-secret-stdin)')
    .option('--app-id <id>', 'app ID (cli_xxx)')
    .option('--app-secret-stdin', 'read the app secret from the first line of stdin')
    .option('--brand <brand>', 'feishu, lark, or a base URL such as http://127.0.0.1:8080', 'feishu')
    .option('--new', 'create a new app in the browser (blocks until done)')
    .option('--lang <lang>', 'language of messages: zh | en', 'zh')
    .option('--name <profile>', 'profile name')
    .action(async (o: InitOptions) => init(ctx, o));
  config
    .command('show')
    .description('Show the active profile (the secret is masked)')
    .action(() => show(ctx));
  config
    .command('remove')
    .description('Remove every profile with its stored secret and tokens')
    .action(() => remove(ctx));
  const defaultAsCmd = config
    .command('default-as')
    .description('Show or set the default identity: user | bot | auto')
    .argument('[identity...]')
    .action((args: string[]) => defaultAs(ctx, args));
  setCompletionValues(defaultAsCmd, ['user', 'bot', 'auto']);
  const strictCmd = config
    .command('strict-mode')
    .description('Show or set strict mode: bot | user | off (an administrator setting; AI agents must not change it)')
    .argument('[mode...]')
    .option('--global', 'set the global value instead of the profile value')
    .option('--reset', 'clear the profile value so it inherits the global one')
    .action((args: string[], o: { global?: boolean; reset?: boolean }) => strictMode(ctx, args, o));
  setCompletionValues(strictCmd, ['bot', 'user', 'off']);
  parent.addCommand(config);
}
