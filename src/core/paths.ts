/**
 * Where the CLI keeps its files.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { hasControlChars, hasDangerousUnicode } from './text-checks.js';
import { resolveThroughExisting } from './safe-path.js';

export interface Dirs {
  configDir: string;
  configFile: string;
  /** The secret store: encrypted app secrets and tokens. */
  storeDir: string;
  lockDir: string;
  logDir: string;
  cacheDir: string;
  /** The original's config file, read when ours does not exist. */
  legacyConfigFile: string;
}

/** An absolute, clean directory from the environment, or undefined (invalid values are ignored). */
function validDirFromEnv(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (hasControlChars(value) || hasDangerousUnicode(value)) return undefined;
  const norm = path.normalize(value);
  if (!path.isAbsolute(norm)) return undefined;
  return resolveThroughExisting(norm);
}

export function resolveDirs(env: NodeJS.ProcessEnv): Dirs {
  const home = env.HOME || homedir();
  const ep = envPaths('lark-cli', { suffix: '' });
  const configDir = env.LARKSUITE_CLI_CONFIG_DIR || ep.config;
  const dataDir = validDirFromEnv(env.LARKSUITE_CLI_DATA_DIR);
  const storeDir = dataDir ? path.join(dataDir, 'lark-cli') : ep.data;
  const logDir = validDirFromEnv(env.LARKSUITE_CLI_LOG_DIR) ?? path.join(configDir, 'logs');
  return {
    configDir,
    configFile: path.join(configDir, 'config.json'),
    storeDir,
    lockDir: path.join(configDir, 'locks'),
    logDir,
    cacheDir: path.join(configDir, 'cache'),
    legacyConfigFile: path.join(home, '.lark-cli', 'config.json'),
  };
}

/** Replaces every character outside [A-Za-z0-9._-] with `_` (secret-store and lock file names). */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
