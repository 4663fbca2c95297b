/**
 * The process's stdout/stderr written on their descriptors (src/core/fd-stream.ts): partial
 * writes are completed, EAGAIN hands that write and every later one to the process stream (in
 * order), EPIPE ends the process quietly, other errors are thrown, and nothing creates the
 * process stream unless it is needed.
 */
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fdStream } from '../../src/core/fd-stream.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A stand-in for process.stdout that records what reaches it. */
function fakeStream() {
  const got: string[] = [];
  const listeners: Record<string, Array<(e?: unknown) => void>> = {};
  const s = {
    got,
    isTTY: false,
    writableNeedDrain: false,
    write: (c: string | Uint8Array) => (got.push(Buffer.from(c).toString()), true),
    on: (ev: string, fn: (e?: unknown) => void) => ((listeners[ev] ??= []).push(fn), s),
    once: (ev: string, fn: (e?: unknown) => void) => ((listeners[ev] ??= []).push(fn), s),
    emit: (ev: string, arg?: unknown) => (listeners[ev] ?? []).forEach((f) => f(arg)),
  };
  return s;
}

afterEach(() => vi.restoreAllMocks());

describe('fdStream', () => {
  it('writes on the descriptor, completing partial writes, without creating the process stream', () => {
    const written: string[] = [];
    const make = vi.fn();
    const out = fdStream(1, make, (_fd, buf, off) => {
      const n = Math.min(3, buf.length - off);
      written.push(Buffer.from(buf.subarray(off, off + n)).toString());
      return n;
    });
    expect(out.write('héllo')).toBe(true);
    expect(out.write(Buffer.from('!'))).toBe(true);
    expect(Buffer.from(written.join('')).toString()).toBe('héllo!');
    expect(make).not.toHaveBeenCalled();
  });

  it('EAGAIN: the rest of that write and every later one go through the stream, in order', async () => {
    const s = fakeStream();
    let calls = 0;
    const out = fdStream(1, () => s as unknown as NodeJS.WriteStream, (_fd, buf, off) => {
      calls++;
      if (calls === 1) return 2;
      throw errno('EAGAIN');
    });
    out.write('abcdef');
    out.write('gh');
    expect(s.got).toEqual(['cdef', 'gh']);
    expect(calls).toBe(2);
    await expect(out.drained()).resolves.toBeUndefined();
  });

  it('EPIPE ends the process quietly with its exit code so far; other errors are thrown', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const out = fdStream(1, () => fakeStream() as unknown as NodeJS.WriteStream, () => {
      throw errno('EPIPE');
    });
    out.write('x');
    expect(exit).toHaveBeenCalledWith(process.exitCode ?? 0);
    const bad = fdStream(2, () => fakeStream() as unknown as NodeJS.WriteStream, () => {
      throw errno('EIO');
    });
    expect(() => bad.write('x')).toThrow('EIO');
  });

  it('isTTY asks the descriptor: a file is not a terminal, and columns stay undefined', () => {
    const file = path.join(tmpdir(), `fd-stream-${process.pid}.txt`);
    const fd = openSync(file, 'w');
    try {
      const make = vi.fn();
      const out = fdStream(fd as 1, make);
      expect(out.isTTY).toBe(false);
      expect(out.columns).toBeUndefined();
      expect(out.hasColors()).toBe(false);
      out.write('to the file\n');
      expect(make).not.toHaveBeenCalled();
      expect(readFileSync(file, 'utf8')).toBe('to the file\n');
    } finally {
      closeSync(fd);
      rmSync(file, { force: true });
    }
  });
});
