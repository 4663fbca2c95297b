/**
 * The download progress bar: drawn on stderr only when stderr is a terminal,
 * ending with a newline; nothing otherwise. Runs the CLI in-process against the fake platform.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { resourceBytes, resourceHandler } from '../fake-lark/messages-write.js';
import { memoryIo } from '../helpers/memory-io.js';
import { useFakeLark, dirAppEnv } from '../helpers/fake-lark-hooks.js';

const h = useFakeLark({
  eachTest: () => [resourceHandler({ messageId: 'om_p', fileKey: 'file_p', size: 3 * 8_388_608, contentType: 'application/zip' })],
});
let dir: string;
beforeEach(() => {
  dir = h.sb.root;
});

async function download(tty: boolean) {
  const io = memoryIo({
    cwd: dir,
    env: dirAppEnv(dir, h.fake),
  });
  if (tty) io.stderr.isTTY = true;
  const code = await run(io, ['im', '+messages-resources-download', '--message-id', 'om_p', '--file-key', 'file_p', '--type', 'file', '--as', 'bot']);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('download progress bar', () => {
  it('is drawn on a terminal and ends the line', async () => {
    const r = await download(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\r\[[#-]{24}\] +\d+% /);
    expect(r.stderr).toContain('\r[########################] 100% 24.0 MB / 24.0 MB');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout).data.size_bytes).toBe(3 * 8_388_608);
    expect(readFileSync(path.join(dir, 'file_p.zip')).equals(resourceBytes(0, 3 * 8_388_608))).toBe(true);
  });

  it('is absent when stderr is not a terminal', async () => {
    const r = await download(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
