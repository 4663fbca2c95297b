/**
 * The scopes `auth login` asks for: from --scope, from --domain / --recommend (the user scopes of
 * the domain's API methods and shortcuts), or chosen on the terminal.
 */
import type { Context } from '../../core/context.js';
import { CliError } from '../../core/errors.js';
import { filterAutoApprove, recommendScope } from '../../auth/scopes.js';
import { scopesFor, supportedIdentities, type ShortcutDef } from '../../shortcut/define.js';
import type { LoginMsg } from './login-messages.js';

/** Domains our clone knows: the im API methods and the im shortcuts. */
export const KNOWN_DOMAINS = ['im'] as const;

/** Accepted scopes of every API method of the domain that supports user identity. */
async function userMethodScopes(domain: string): Promise<string[][]> {
  if (domain !== 'im') return [];
  const { loadIndex, loadResource } = await import('../../request/schema-registry.js');
  const out: string[][] = [];
  for (const resource of Object.keys(loadIndex().resources)) {
    for (const m of Object.values(loadResource(resource).methods)) {
      if (m.identities.includes('user')) out.push(m.scopes);
    }
  }
  return out;
}

/** For each user method its highest-priority scope, plus the user scopes of user shortcuts; sorted. */
export async function collectUserScopes(domains: string[], shortcuts: ShortcutDef[]): Promise<string[]> {
  const set = new Set<string>();
  for (const d of domains) {
    for (const accepted of await userMethodScopes(d)) {
      const best = recommendScope(accepted);
      if (best) set.add(best);
    }
  }
  for (const sc of shortcuts) {
    if (!domains.includes(sc.service) || !supportedIdentities(sc).includes('user')) continue;
    for (const s of scopesFor(sc, 'user')) if (s) set.add(s);
  }
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function suggestDomain(d: string): string | undefined {
  return KNOWN_DOMAINS.find((k) => d.startsWith(k) || k.startsWith(d));
}

export interface ScopeFlags {
  scope?: string;
  domain?: string[];
  recommend?: boolean;
  json?: boolean;
}

/** The interactive choice on a terminal: common or all scopes, then a confirmation. */
async function askInteractive(ctx: Context, msg: LoginMsg, shortcuts: ShortcutDef[]): Promise<string[] | undefined> {
  const rl = ctx.io.openPrompt?.();
  if (!rl) return undefined;
  try {
    const level = (await rl.question(msg.levelPrompt)).trim();
    const common = level === '' || level === '1';
    if (!common && level !== '2') return undefined;
    let scopes = await collectUserScopes([...KNOWN_DOMAINS], shortcuts);
    if (common) scopes = filterAutoApprove(scopes);
    ctx.io.stderr.write(msg.summary(common ? msg.levelCommon : msg.levelAll, scopes.length, scopes.join(' ')));
    const ok = (await rl.question(msg.confirm)).trim().toLowerCase();
    if (ok !== '' && ok !== 'y' && ok !== 'yes') return undefined;
    return scopes;
  } finally {
    rl.close();
  }
}

/** The requested scope string from the flags (or the interactive choice); `loadShortcuts` gives the shortcuts whose scopes count. */
export async function resolveRequestedScope(ctx: Context, o: ScopeFlags, msg: LoginMsg, loadShortcuts: () => Promise<ShortcutDef[]>): Promise<string> {
  let domains = (o.domain ?? []).filter(Boolean);
  if (domains.some((d) => d.toLowerCase() === 'all')) domains = [...KNOWN_DOMAINS];
  for (const d of domains) {
    if ((KNOWN_DOMAINS as readonly string[]).includes(d)) continue;
    const s = suggestDomain(d);
    if (s) throw new CliError('validation', `unknown domain "${d}", did you mean "${s}"?`);
    throw new CliError('validation', `unknown domain "${d}", available domains: ${[...KNOWN_DOMAINS].sort().join(', ')}`);
  }
  const scope = o.scope ?? '';
  if (!scope && !o.recommend && domains.length === 0) {
    if (!o.json && ctx.io.stdinIsTTY) {
      const chosen = await askInteractive(ctx, msg, await loadShortcuts());
      if (!chosen) throw new CliError('validation', 'no login options selected');
      if (chosen.length === 0) throw new CliError('validation', 'no matching scopes found, check domain/scope options');
      return chosen.join(' ');
    }
    if (!o.json) {
      const lines = [
        msg.hintHeader,
        'Common options:',
        ...msg.hints,
        '',
        'View all options:',
        '  lark-cli auth login --help',
        '',
        'Note: this command blocks until authorization is complete. Run it in the background and retrieve the verification URL from its output.',
      ];
      ctx.io.stderr.write(lines.map((l) => `${l}\n`).join(''));
    }
    throw new CliError('validation', 'please specify the scopes to authorize');
  }
  if (domains.length > 0 || o.recommend) {
    if (scope) throw new CliError('validation', 'cannot use --scope together with --domain/--recommend');
    let candidates = await collectUserScopes(domains.length ? domains : [...KNOWN_DOMAINS], await loadShortcuts());
    if (o.recommend) candidates = filterAutoApprove(candidates);
    if (candidates.length === 0) throw new CliError('validation', 'no matching scopes found, check domain/scope options');
    return candidates.join(' ');
  }
  return scope;
}
