/**
 * What the top-level error handler needs to know about the run so far.
 */
import type { Identity } from './config.js';

export interface RunState {
  /** The identity the command resolved; absent when the failure came before. */
  identity?: Identity | string;
  /** The command's identity, for permission-error enrichment. */
  enrich: boolean;
}

export function newRunState(): RunState {
  return { enrich: true };
}
