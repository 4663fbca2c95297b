/**
 * `node:crypto`, required on first use. Loading it costs ~4 ms, and `--help`, validation errors
 * and dry-runs never need it, yet the modules that use it (the secret store, the atomic writer,
 * message content) are loaded on those paths; test/unit/startup-imports.test.ts checks it stays
 * unloaded there. Required, not imported: the built CLI has no loader for import()
 * (scripts/bundle.mjs).
 */
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
}

export function randomUUID(): string {
  return nodeCrypto().randomUUID();
}

export function randomBytes(size: number): Buffer {
  return nodeCrypto().randomBytes(size);
}
