/**
 * `lark-cli profile list | use | add | remove | rename` (docs/auth.md, Profiles).
 */
import { Command } from 'commander';
import type { Context } from '../core/context.js';
import { CliError } from '../core/errors.js';
import {
  type AppConfig,
  type ConfigFile,
  findProfile,
  findProfileIndex,
  profileDisplayName,
  profileNameProblem,
  saveConfig,
} from '../core/config.js';
import { normalizeBrandFlag } from '../core/brand.js';
import { ordered, toPrettyJson } from '../core/json.js';
import { appSecretAccount } from '../core/secret-store.js';
import { readUserToken, removeUserToken, tokenStatus } from '../auth/token-store.js';
import { groupCommand } from '../request/group.js';
import { readSecretFromStdin } from './config.js';

/** The profile `currentApp` points at (the first app when unset); undefined when it is dangling. */
function persistentCurrent(cfg: ConfigFile): AppConfig | undefined {
  if (cfg.currentApp) return findProfile(cfg, cfg.currentApp);
  return cfg.apps[0];
}

function notFound(cfg: ConfigFile, name: string): CliError {
  return new CliError('validation', `profile "${name}" not found, available profiles: ${cfg.apps.map(profileDisplayName).join(', ')}`);
}

function save(ctx: Context, cfg: ConfigFile): void {
  saveConfig(ctx.dirs, cfg);
  ctx.invalidate();
}

function list(ctx: Context): void {
  const c = ctx.config();
  if (c.state === 'missing') {
    ctx.io.stdout.write(toPrettyJson([]));
    return;
  }
  if (c.state === 'invalid') throw new CliError('config', `failed to load config: ${c.error}`);
  const cfg = c.config;
  const current = persistentCurrent(cfg);
  const items = cfg.apps.map((a) => {
    const item = ordered<Record<string, unknown>>({
      name: profileDisplayName(a),
      appId: a.appId,
      brand: a.brand,
      active: current !== undefined && profileDisplayName(current) === profileDisplayName(a),
    });
    const u = a.users[0];
    if (u) {
      if (u.userName) item.user = u.userName;
      const t = readUserToken(ctx.store, a.appId, u.userOpenId);
      if (t) item.tokenStatus = tokenStatus(t);
    }
    return item;
  });
  ctx.io.stdout.write(toPrettyJson(items));
}

function use(ctx: Context, name: string): void {
  const cfg = ctx.requireConfigFile();
  let target = name;
  if (target === '-') {
    if (!cfg.previousApp) {
      throw new CliError('validation', 'no previous profile to switch back to', { hint: 'switch to a profile by name first: lark-cli profile use <name>' });
    }
    target = cfg.previousApp;
  }
  const app = findProfile(cfg, target);
  if (!app) throw notFound(cfg, target);
  const targetName = profileDisplayName(app);
  const current = persistentCurrent(cfg);
  if (current && profileDisplayName(current) === targetName) {
    ctx.io.stderr.write(`Already on profile "${targetName}"\n`);
    return;
  }
  if (current) cfg.previousApp = profileDisplayName(current);
  cfg.currentApp = targetName;
  save(ctx, cfg);
  ctx.io.stderr.write(`OK: Switched to profile "${targetName}" (${app.appId}, ${app.brand})\n`);
}

interface AddOptions {
  name?: string;
  appId?: string;
  appSecretStdin?: boolean;
  brand: string;
  lang?: string;
  use?: boolean;
}

async function add(ctx: Context, o: AddOptions): Promise<void> {
  const missing = [o.appId === undefined ? '"app-id"' : '', o.name === undefined ? '"name"' : ''].filter(Boolean);
  if (missing.length) throw new CliError('validation', `required flag(s) ${missing.join(', ')} not set`);
  const name = o.name!;
  const appId = o.appId!;
  const problem = profileNameProblem(name);
  if (problem) throw new CliError('validation', problem);
  if (!o.appSecretStdin) {
    throw new CliError('validation', 'app secret must be provided via stdin: use --app-secret-stdin and pipe the secret');
  }
  const secret = await readSecretFromStdin(ctx);

  const c = ctx.config();
  let cfg: ConfigFile;
  if (c.state === 'ok') cfg = c.config;
  // a file emptied by `config remove` starts over
  else if (c.state === 'missing' || c.error === 'invalid config format: no apps') cfg = { apps: [] };
  else throw new CliError('internal', `failed to load config: ${c.error}`);

  if (findProfile(cfg, name)) throw new CliError('validation', `profile "${name}" already exists`);
  const clash = cfg.apps.find((a) => a.appId === appId);
  if (clash) {
    throw new CliError('validation', `app-id "${appId}" is already used by profile "${profileDisplayName(clash)}"; each profile must have a unique app-id`);
  }
  try {
    ctx.store.set(appSecretAccount(appId), secret);
  } catch (e) {
    throw new CliError('internal', `keychain unavailable: ${(e as Error).message}`);
  }
  const brand = normalizeBrandFlag(o.brand);
  const previous = o.use ? persistentCurrent(cfg) : undefined;
  const entry: AppConfig = { name, appId, appSecret: { source: 'keychain', id: appSecretAccount(appId) }, brand, users: [] };
  if (o.lang) entry.lang = o.lang;
  cfg.apps.push(entry);
  if (o.use) {
    if (previous) cfg.previousApp = profileDisplayName(previous);
    cfg.currentApp = name;
  }
  save(ctx, cfg);
  ctx.io.stderr.write(`OK: Profile "${name}" added (${appId}, ${brand})\n`);
  if (o.use) ctx.io.stderr.write(`OK: Switched to profile "${name}"\n`);
}

function remove(ctx: Context, name: string): void {
  const cfg = ctx.requireConfigFile();
  const idx = findProfileIndex(cfg, name);
  if (idx < 0) throw notFound(cfg, name);
  if (cfg.apps.length === 1) throw new CliError('validation', 'cannot remove the only profile', { hint: 'add another profile first: lark-cli profile add' });
  const [app] = cfg.apps.splice(idx, 1) as [AppConfig];
  const removed = profileDisplayName(app);
  if (cfg.currentApp === removed) cfg.currentApp = profileDisplayName(cfg.apps[0]!);
  if (cfg.previousApp === removed) delete cfg.previousApp;
  save(ctx, cfg);
  // best-effort cleanup once the config no longer refers to them
  if (typeof app.appSecret === 'object' && app.appSecret.source === 'keychain') {
    try {
      ctx.store.remove(app.appSecret.id);
    } catch {
      /* best effort */
    }
  }
  for (const u of app.users) {
    try {
      removeUserToken(ctx.store, app.appId, u.userOpenId);
    } catch {
      /* best effort */
    }
  }
  ctx.io.stderr.write(`OK: Profile "${removed}" removed\n`);
}

function rename(ctx: Context, oldName: string, newName: string): void {
  const problem = profileNameProblem(newName);
  if (problem) throw new CliError('validation', problem);
  const cfg = ctx.requireConfigFile();
  const idx = findProfileIndex(cfg, oldName);
  if (idx < 0) throw notFound(cfg, oldName);
  if (cfg.apps.some((a, i) => i !== idx && (a.name === newName || a.appId === newName))) {
    throw new CliError('validation', `profile "${newName}" already exists`, { hint: 'choose a different name' });
  }
  const app = cfg.apps[idx]!;
  const before = profileDisplayName(app);
  app.name = newName;
  if (cfg.currentApp === before) cfg.currentApp = newName;
  if (cfg.previousApp === before) cfg.previousApp = newName;
  save(ctx, cfg);
  ctx.io.stderr.write(`OK: Profile renamed: "${before}" -> "${newName}"\n`);
}

/** cobra's ExactArgs wording. */
function exactArgs(args: string[], n: number): string[] {
  if (args.length !== n) throw new CliError('validation', `accepts ${n} arg(s), received ${args.length}`);
  return args;
}

export function register(parent: Command, ctx: Context): void {
  const profile = groupCommand('profile', 'Manage profiles (one app per profile)');
  profile
    .command('list')
    .description('List all profiles')
    .action(() => list(ctx));
  profile
    .command('use')
    .description("Switch to a profile (use '-' to toggle back)")
    .usage('<name>')
    .argument('[args...]')
    .action((args: string[]) => use(ctx, exactArgs(args, 1)[0]!));
  profile
    .command('add')
    .description('Add a new profile')
    .option('--name <name>', 'profile name (required)')
    .option('--app-id <id>', 'App ID (required)')
    .option('--app-secret-stdin', 'read App Secret from stdin')
    .option('--brand <brand>', 'feishu, lark, or a base URL such as http://127.0.0.1:8080', 'feishu')
    .option('--lang <lang>', 'language of messages: zh | en')
    .option('--use', 'switch to this profile after adding')
    .action(async (o: AddOptions) => add(ctx, o));
  profile
    .command('remove')
    .description('Remove a profile with its stored secret and tokens')
    .usage('<name>')
    .argument('[args...]')
    .action((args: string[]) => remove(ctx, exactArgs(args, 1)[0]!));
  profile
    .command('rename')
    .description('Rename a profile')
    .usage('<old> <new>')
    .argument('[args...]')
    .action((args: string[]) => {
      const [a, b] = exactArgs(args, 2);
      rename(ctx, a!, b!);
    });
  parent.addCommand(profile);
}
