/**
 * The process boundary: streams, environment, working directory. Commands never touch
 * `process` directly, so the whole CLI can run in-process in tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fdStream, type FdStream } from './fd-stream.js';
import { packageFile } from './package-root.js';

export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** A terminal's width. */
  readonly columns?: number;
  hasColors?(): boolean;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** Reads all of standard input (raw bytes). Throws when stdin is unavailable. */
  readStdin(): Promise<Buffer>;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The command line as typed (program name first), for the auth log. */
  argv: string[];
  /**
   * Runs `cleanup` when the run is interrupted (Ctrl-C: SIGINT, or SIGTERM), then ends the
   * process with the signal's exit code (130, 143); returns the function that unregisters it.
   * Absent where nothing interrupts the run (in-process tests).
   */
  onInterrupt?(cleanup: () => void): () => void;
  /**
   * Calls `handler` on Ctrl-C (SIGINT) instead of ending the process, until the returned function
   * unregisters it (a command that turns Ctrl-C into its own outcome: `auth login`'s polling).
   * Absent where nothing interrupts the run.
   */
  onCancel?(handler: () => void): () => void;
  /**
   * Opens a line prompt on the terminal (questions on stderr, answers typed on stdin), for the
   * interactive choices of `config init` and `auth login`. Absent where there is no terminal.
   */
  openPrompt?(): Prompt;
}

/** A line prompt: one answer per question; close it when done. */
export interface Prompt {
  question(text: string): Promise<string>;
  close(): void;
}

let stdinCache: Promise<Buffer> | undefined;
let stdStreams: { stdout: FdStream; stderr: FdStream } | undefined;

/** The process's standard output and error (./fd-stream.ts: written on their descriptors). */
export function processStreams(): { stdout: FdStream; stderr: FdStream } {
  return (stdStreams ??= { stdout: fdStream(1, () => process.stdout), stderr: fdStream(2, () => process.stderr) });
}

export function processIo(): Io {
  // Getters: the process streams are made on first access (`--version` never touches stdin or stderr).
  return {
    get stdout() {
      return processStreams().stdout;
    },
    get stderr() {
      return processStreams().stderr;
    },
    readStdin: () => {
      stdinCache ??= new Promise<Buffer>((resolve, reject) => {
        if (process.stdin.isTTY) {
          // A terminal: read what the user types until EOF, like `cat`.
        }
        const chunks: Buffer[] = [];
        process.stdin.on('data', (c: Buffer) => chunks.push(c));
        process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
        process.stdin.on('error', reject);
      });
      return stdinCache;
    },
    get stdinIsTTY() {
      return !!process.stdin.isTTY;
    },
    env: process.env,
    cwd: process.cwd(),
    argv: ['lark-cli', ...process.argv.slice(2)],
    onInterrupt(cleanup) {
      const hooks = ([['SIGINT', 130], ['SIGTERM', 143]] as const).map(([signal, code]) => {
        const hook = () => {
          cleanup();
          process.exit(code);
        };
        process.once(signal, hook);
        return [signal, hook] as const;
      });
      return () => {
        for (const [signal, hook] of hooks) process.off(signal, hook);
      };
    },
    onCancel(handler) {
      process.once('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    openPrompt() {
      // required, not imported: the built CLI has no loader for import() (scripts/bundle.mjs)
      const { createInterface } = createRequire(import.meta.url)('node:readline/promises') as typeof import('node:readline/promises');
      return createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    },
  };
}

let versionCache: string | undefined;
/** The CLI version: the `version` of our package.json. */
export function cliVersion(): string {
  if (versionCache) return versionCache;
  try {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string };
    versionCache = pkg.version ?? '0.0.0';
  } catch {
    versionCache = '0.0.0';
  }
  return versionCache;
}

/** Colour only on a terminal and never with NO_COLOR. */
export function colorEnabled(io: Io, stream: OutStream = io.stdout): boolean {
  return !!stream.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== undefined);
}
