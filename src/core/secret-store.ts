/**
 * The secret store: AES-256-GCM files under one 32-byte master key, byte-compatible
 * with the original on Linux. `<storeDir>/<safe(account)>.enc` = nonce(12) ‖ ciphertext ‖ tag(16).
 */
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';
import { ensurePrivateDir, writeFileAtomic } from './fsutil.js';
import { nodeCrypto, randomBytes } from './node-crypto.js';
import { safeName } from './paths.js';

const KEY_FILE = 'master.key';

const NOT_INITIALIZED_HINT =
  'The keychain master key may have been cleaned up or deleted. If running inside a sandbox or CI environment, please ensure the process has the necessary permissions to access the keychain, you can try running this outside the sandbox. Otherwise, please reconfigure the CLI by running lark-cli config init.';
const GENERIC_HINT =
  'Check if the OS keychain/credential manager is locked or accessible. If running inside a sandbox or CI environment, please ensure the process has the necessary permissions to access the keychain, you can try running this outside the sandbox.';

class StoreFailure extends Error {}

export class SecretStore {
  /** `onFailure` hears every failure other than "not found" (the auth log). */
  constructor(
    readonly dir: string,
    private readonly onFailure?: (op: 'Get' | 'Set' | 'Remove', message: string) => void,
  ) {}

  private entryPath(account: string): string {
    return path.join(this.dir, `${safeName(account)}.enc`);
  }

  private readKey(create: boolean): Buffer {
    const keyPath = path.join(this.dir, KEY_FILE);
    if (!existsSync(keyPath)) {
      if (!create) throw new StoreFailure('keychain not initialized');
      ensurePrivateDir(this.dir);
      const tmp = `${keyPath}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, randomBytes(32), { mode: 0o600 });
      try {
        linkSync(tmp, keyPath); // fails if another process created it first: then we use theirs
      } catch {
        /* someone else won the race */
      } finally {
        rmSync(tmp, { force: true });
      }
    }
    const key = readFileSync(keyPath);
    if (key.length !== 32) throw new StoreFailure('keychain is corrupted');
    return key;
  }

  /** The secret, or '' when there is none. */
  get(account: string): string {
    const file = this.entryPath(account);
    if (!existsSync(file)) return '';
    return this.wrap('Get', () => {
      const key = this.readKey(false);
      const blob = readFileSync(file);
      if (blob.length < 28) throw new StoreFailure('ciphertext too short');
      const nonce = blob.subarray(0, 12);
      const tag = blob.subarray(blob.length - 16);
      const d = nodeCrypto().createDecipheriv('aes-256-gcm', key, nonce);
      d.setAuthTag(tag);
      return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]).toString('utf8');
    });
  }

  set(account: string, value: string): void {
    this.wrap('Set', () => {
      const key = this.readKey(true);
      const nonce = randomBytes(12);
      const c = nodeCrypto().createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([c.update(value, 'utf8'), c.final()]);
      writeFileAtomic(this.entryPath(account), Buffer.concat([nonce, body, c.getAuthTag()]));
    });
  }

  remove(account: string): void {
    this.wrap('Remove', () => rmSync(this.entryPath(account), { force: true }));
  }

  private wrap<T>(op: 'Get' | 'Set' | 'Remove', fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      try {
        this.onFailure?.(op, msg);
      } catch {
        /* logging never fails the operation */
      }
      throw new CliError('config', `keychain ${op} failed: ${msg}`, {
        hint: msg === 'keychain not initialized' ? NOT_INITIALIZED_HINT : GENERIC_HINT,
      });
    }
  }
}

export const appSecretAccount = (appId: string) => `appsecret:${appId}`;
export const userTokenAccount = (appId: string, openId: string) => `${appId}:${openId}`;
export const tenantTokenAccount = (appId: string) => `tat:${appId}`;
