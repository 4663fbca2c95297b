/**
 * Names close to a mistyped one (the "did you mean" of an unknown command), and the values a flag
 * or a positional argument offers to shell completion (`lark-cli __complete`, docs/completion.md).
 */
import { CliError } from './errors.js';

/** Edit distance between two strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidates close to `typed`, as cobra picks them: at most two edits away, or starting with
 * what was typed (case ignored). Sorted, without duplicates.
 */
export function closeNames(typed: string, candidates: readonly string[]): string[] {
  const t = typed.toLowerCase();
  const out = new Set<string>();
  for (const c of candidates) {
    const l = c.toLowerCase();
    if (distance(t, l) <= 2 || (t !== '' && l.startsWith(t))) out.add(c);
  }
  return [...out].sort();
}

/**
 * The validation error of an unknown command: `unknown command "<x>" for "<path>"`, the close
 * names in the hint (`did you mean: +messages-send?`).
 */
export function unknownCommandError(typed: string, path: string, candidates: readonly string[]): CliError {
  const close = closeNames(typed, candidates);
  return new CliError('validation', `unknown command "${typed}" for "${path}"`, close.length ? { hint: `did you mean: ${close.join(', ')}?` } : {});
}

/** Values offered to completion, per commander option or command (its positional argument). */
const VALUES = new WeakMap<object, readonly string[]>();

/** Registers the values shell completion offers for a flag's value or a command's argument. */
export function setCompletionValues(target: object, values: readonly string[]): void {
  VALUES.set(target, values);
}

export function completionValues(target: object): readonly string[] | undefined {
  return VALUES.get(target);
}
