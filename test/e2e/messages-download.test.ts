/**
 * `+messages-resources-download` against the fake platform (docs/shortcuts-write.md, docs/compatibility.md
 * 10 and 24): worked examples E1–E5, the exact Range requests, byte-identical files, and every
 * failure leaving neither the target nor a temporary file behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RecordedRequest } from '../fake-lark/server.js';
import { resourceBytes, resourceHandler, type ResourceOptions } from '../fake-lark/messages-write.js';
import { botEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { writeTestAccount } from '../helpers/accounts.js';
import { useFakeLark, expectErrorEnvelope } from '../helpers/fake-lark-hooks.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';

const h = useFakeLark();

const env = () => ({ ...botEnv(h.fake), LARKSUITE_CLI_RETRY_BASE_MS: '20' });
const cli = (args: string[], extra: { cwd?: string } = {}) =>
  runInProcess(['im', '+messages-resources-download', ...args], { sandbox: h.sb, env: env(), cwd: extra.cwd, timeoutMs: 60_000 });
const resourceCalls = (): RecordedRequest[] => h.fake.requestsTo(/\/resources\//);
const ranges = () => resourceCalls().map((r) => r.headers.range);
/** Everything in the working directory, recursively (temporary files included). */
function listWork(dir = h.sb.work): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.relative(h.sb.work, path.join(dir, e.name));
    out.push(rel);
    if (e.isDirectory()) out.push(...listWork(path.join(dir, e.name)));
  }
  return out.sort();
}

function serve(opts: Partial<ResourceOptions> & { size: number }): void {
  h.fake.use(resourceHandler({ messageId: 'om_f', fileKey: 'file_v3_x', ...opts }));
}

const FILE_ARGS = ['--message-id', 'om_f', '--file-key', 'file_v3_x', '--type', 'file', '--as', 'bot'];

describe('+messages-resources-download: worked examples', () => {
  it('E1: an image without Range, named from Content-Type, saved under the cwd (user identity)', async () => {
    await writeTestAccount(h.sb, { brand: h.fake.url, user: { token: { scope: 'im:message:readonly' } } });
    h.fake.use(resourceHandler({ messageId: 'om_abc', fileKey: 'img_v3_xyz', size: 34_567, contentType: 'image/png', mode: 'full' }));
    const r = await runInProcess(['im', '+messages-resources-download', '--message-id', 'om_abc', '--file-key', 'img_v3_xyz', '--type', 'image'], {
      sandbox: h.sb,
      env: { LARKSUITE_CLI_RETRY_BASE_MS: '20' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const saved = path.join(h.sb.work, 'img_v3_xyz.png');
    expect(r.json()).toEqual({ ok: true, identity: 'user', data: { saved_path: saved, size_bytes: 34_567 } });
    const calls = resourceCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/open-apis/im/v1/messages/om_abc/resources/img_v3_xyz', query: { type: 'image' } });
    expect(calls[0]!.headers.range).toBeUndefined();
    expect(calls[0]!.headers.authorization).toBe('Bearer u-test-user-token');
    expect(calls[0]!.headers['x-cli-shortcut']).toBe('im:+messages-resources-download');
    expect(calls[0]!.headers['x-cli-source']).toBe('lark-cli');
    expect(calls[0]!.headers['x-cli-execution-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(saved).equals(resourceBytes(0, 34_567))).toBe(true);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect(listWork()).toEqual(['img_v3_xyz.png']);
  });

  it('E2: a 20 000 000-byte file with --output, chunked, the directory created, .mp4 from Content-Type', async () => {
    h.fake.use(resourceHandler({ messageId: 'om_v', fileKey: 'file_v3_vid', size: 20_000_000, contentType: 'video/mp4' }));
    const r = await cli(['--message-id', 'om_v', '--file-key', 'file_v3_vid', '--type', 'file', '--output', 'downloads/clip', '--as', 'bot']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const saved = path.join(h.sb.work, 'downloads', 'clip.mp4');
    expect(r.json().data).toEqual({ saved_path: saved, size_bytes: 20_000_000 });
    expect(ranges()[0]).toBe('bytes=0-131071');
    expect(ranges().slice(1).sort()).toEqual(['bytes=131072-8519679', 'bytes=16908288-19999999', 'bytes=8519680-16908287']);
    for (const c of resourceCalls()) {
      expect(c.query).toEqual({ type: 'file' });
      expect(c.headers.authorization).toBe('Bearer t-cli_test');
    }
    expect(readFileSync(saved).equals(resourceBytes(0, 20_000_000))).toBe(true);
    expect(statSync(path.join(h.sb.work, 'downloads')).mode & 0o777).toBe(0o700);
    expect(listWork()).toEqual(['downloads', 'downloads/clip.mp4']);
  });

  it('E3: a small file named by Content-Disposition filename* (and --output notes keeps the name, adds .pdf)', async () => {
    serve({
      size: 52_001,
      contentType: 'application/pdf',
      contentDisposition: `attachment; filename="Q1 report.pdf"; filename*=UTF-8''Q1%20%E6%8A%A5%E5%91%8A.pdf`,
    });
    const r = await cli(FILE_ARGS);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'Q1 报告.pdf'), size_bytes: 52_001 });
    expect(ranges()).toEqual(['bytes=0-131071']);
    expect(readFileSync(path.join(h.sb.work, 'Q1 报告.pdf')).equals(resourceBytes(0, 52_001))).toBe(true);

    h.fake.clearRequests();
    const r2 = await cli([...FILE_ARGS, '--output', 'notes']);
    expect(r2.code).toBe(0);
    expect(r2.json().data).toEqual({ saved_path: path.join(h.sb.work, 'notes.pdf'), size_bytes: 52_001 });
  });

  it('E4: HTTP 403 is one attempt, http_error exit 1, no file; 503 is tried 3 times', async () => {
    serve({ size: 10, status: 403, body: 'denied' });
    const r = await cli(FILE_ARGS);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(r.errJson().error).toEqual({ type: 'http_error', message: 'HTTP 403: denied' });
    expect(resourceCalls()).toHaveLength(1);
    expect(listWork()).toEqual([]);

    h.fake.resetHandlers();
    h.fake.clearRequests();
    serve({ size: 10, status: 503, body: ' busy \n' });
    const r2 = await cli(FILE_ARGS);
    expect(r2.code).toBe(1);
    expect(r2.errJson().error).toEqual({ type: 'http_error', message: 'HTTP 503: busy' });
    expect(resourceCalls()).toHaveLength(3);
    expect(listWork()).toEqual([]);
  });

  it('E5: dry-run prints the plan without any request; absolute and .. outputs are refused', async () => {
    const r = await cli(['--message-id', 'om_dryrun', '--file-key', 'img_dryrun', '--type', 'image', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('=== Dry Run ===\n');
    expect(r.json()).toEqual({
      api: [{ method: 'GET', url: '/open-apis/im/v1/messages/om_dryrun/resources/img_dryrun', params: { type: 'image' } }],
      file_key: 'img_dryrun',
      message_id: 'om_dryrun',
      output: 'img_dryrun',
      type: 'image',
    });
    const withOut = await cli(['--message-id', 'om_dryrun', '--file-key', 'file_dryrun', '--type', 'file', '--output', './out.bin', '--dry-run']);
    expect(withOut.json().output).toBe('./out.bin');
    expect(withOut.json().api[0].params).toEqual({ type: 'file' });

    for (const [out, message] of [
      ['/home/alice/out.bin', 'absolute paths are not allowed'],
      ['../out.bin', 'path cannot escape the current working directory'],
    ] as const) {
      const bad = await cli(['--message-id', 'om_dryrun', '--file-key', 'img_dryrun', '--type', 'image', '--output', out, '--dry-run']);
      expect(bad.stdout).toBe('');
      expectErrorEnvelope(bad, 2, 'validation', message);
    }
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('+messages-resources-download: ranges and bytes', () => {
  it('requests exactly the original ranges for 128 KiB + 8 MiB + 1234 bytes and saves identical bytes', async () => {
    const size = 131_072 + 8_388_608 + 1_234;
    serve({ size, contentType: 'application/zip' });
    const r = await cli([...FILE_ARGS, '--output', 'archive']);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'archive.zip'), size_bytes: size });
    expect(ranges()).toEqual(['bytes=0-131071', 'bytes=131072-8519679', 'bytes=8519680-8520913']);
    expect(readFileSync(path.join(h.sb.work, 'archive.zip')).equals(resourceBytes(0, size))).toBe(true);
  });

  it('chunks that arrive slowly are fetched four at a time, each range once', async () => {
    // 150 ms per chunk is ~50 MiB/s on one connection: the limit widens to 4 after the first
    // chunk at the latest (at once when the probe itself was slow)
    const size = 131_072 + 6 * 8_388_608;
    const inFlight = { now: 0, max: 0 };
    serve({ size, chunkDelayMs: 150, inFlight });
    const r = await cli([...FILE_ARGS, '--output', 'slow.bin']);
    expect(r.code, r.stderr).toBe(0);
    expect(inFlight.max).toBe(4);
    const want = ['bytes=0-131071', ...Array.from({ length: 6 }, (_, i) => `bytes=${131_072 + i * 8_388_608}-${131_072 + (i + 1) * 8_388_608 - 1}`)];
    expect([...ranges()].sort()).toEqual([...want].sort());
    expect(ranges()[0]).toBe('bytes=0-131071');
    expect(readFileSync(path.join(h.sb.work, 'slow.bin')).equals(resourceBytes(0, size))).toBe(true);
  });

  it('through a proxy every request goes the general client way, with the same ranges and bytes', async () => {
    // the brand names 127.0.0.2, which the proxy tunnels to the fake
    const fakePort = Number(new URL(h.fake.url).port);
    const proxy = await startConnectProxy({ host: '127.0.0.1', port: fakePort });
    try {
      const size = 131_072 + 8_388_608 + 1_234;
      serve({ size, contentType: 'application/zip' });
      const brand = `http://127.0.0.2:${fakePort}`;
      const r = await runInProcess(['im', '+messages-resources-download', ...FILE_ARGS, '--output', 'via-proxy'], {
        sandbox: h.sb,
        env: { ...env(), LARKSUITE_CLI_BRAND: brand, HTTP_PROXY: proxy.url },
        timeoutMs: 60_000,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('[lark-cli] [WARN] proxy detected: HTTP_PROXY=');
      expect(readFileSync(path.join(h.sb.work, 'via-proxy.zip')).equals(resourceBytes(0, size))).toBe(true);
      // every connection (token and resource requests) went through the proxy
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.2:${fakePort}`]));
      expect(ranges()).toEqual(['bytes=0-131071', 'bytes=131072-8519679', 'bytes=8519680-8520913']);
      expect(resourceCalls().every((c) => c.headers.host === `127.0.0.2:${fakePort}`)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('a 16-byte file needs only the probe; no extension source keeps the key as name', async () => {
    serve({ size: 16, contentType: 'application/x-unknown' });
    const r = await cli(FILE_ARGS);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'file_v3_x'), size_bytes: 16 });
    expect(ranges()).toEqual(['bytes=0-131071']);
  });

  it('a server that ignores Range (200 with Content-Length) is saved whole', async () => {
    serve({ size: 300_000, mode: 'full', contentType: 'text/plain; charset=utf-8' });
    const r = await cli(FILE_ARGS);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'file_v3_x.txt'), size_bytes: 300_000 });
    expect(ranges()).toEqual(['bytes=0-131071']);
    expect(readFileSync(path.join(h.sb.work, 'file_v3_x.txt')).equals(resourceBytes(0, 300_000))).toBe(true);
  });

  it('a 200 answer without Content-Length is saved with whatever arrived', async () => {
    h.fake.use(resourceHandler({ messageId: 'om_f', fileKey: 'img_x', size: 5000, mode: 'full', noContentLength: true, contentType: 'image/gif' }));
    const r = await cli(['--message-id', 'om_f', '--file-key', 'img_x', '--type', 'image']);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'img_x.gif'), size_bytes: 5000 });
  });

  it('overwrites an existing target; an explicit extension is kept as is', async () => {
    writeFileSync(path.join(h.sb.work, 'out.dat'), 'old');
    serve({ size: 1000, contentType: 'image/png' });
    const r = await cli([...FILE_ARGS, '--output', ' nested/../out.dat ']);
    expect(r.code).toBe(0);
    expect(r.json().data).toEqual({ saved_path: path.join(h.sb.work, 'out.dat'), size_bytes: 1000 });
    expect(readFileSync(path.join(h.sb.work, 'out.dat')).equals(resourceBytes(0, 1000))).toBe(true);
  });

  it('a body cut off once is requested again and the download succeeds', async () => {
    const size = 131_072 + 2 * 8_388_608 + 10;
    serve({ size, fault: { at: 131_072 + 8_388_608, kind: 'cut-once' } });
    const r = await cli(FILE_ARGS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ranges().filter((x) => x === 'bytes=8519680-16908287')).toHaveLength(2);
    expect(readFileSync(path.join(h.sb.work, 'file_v3_x.bin')).equals(resourceBytes(0, size))).toBe(true);
  });

  it('escaped path segments: the raw ids go into the path', async () => {
    h.fake.use(resourceHandler({ messageId: 'om_a%20b', fileKey: 'file_k', size: 10 }));
    const r = await cli(['--message-id', 'om_a b', '--file-key', 'file_k', '--type', 'file', '--output', 'k.bin']);
    expect(r.code).toBe(0);
    expect(resourceCalls()[0]!.path).toBe('/open-apis/im/v1/messages/om_a%20b/resources/file_k');
  });
});

describe('+messages-resources-download: failures leave nothing behind', () => {
  const size = 131_072 + 2 * 8_388_608 + 1_234;
  const second = 131_072 + 8_388_608;

  async function expectFailure(fault: ResourceOptions['fault'], type: string, message: string | RegExp, code: number): Promise<void> {
    writeFileSync(path.join(h.sb.work, 'keep.txt'), 'untouched');
    serve({ size, fault });
    const r = await cli([...FILE_ARGS, '--output', 'keep.txt']);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(code);
    const err = r.errJson().error;
    expect(err.type).toBe(type);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
    expect(listWork()).toEqual(['keep.txt']);
    expect(readFileSync(path.join(h.sb.work, 'keep.txt'), 'utf8')).toBe('untouched');

    // and without a pre-existing target: no file at all
    h.fake.clearRequests();
    const r2 = await cli(FILE_ARGS);
    expect(r2.code).toBe(code);
    expect(listWork()).toEqual(['keep.txt']);
  }

  it('a short chunk', async () => {
    await expectFailure({ at: second, kind: 'short' }, 'network', 'range response delivered 8388508 bytes, want the 8388608 bytes its Content-Range declared', 4);
  });

  it('an overlong chunk', async () => {
    await expectFailure({ at: second, kind: 'overlong' }, 'network', 'range response delivered more than the 8388608 bytes its Content-Range declared', 4);
  });

  it('an overlong probe', async () => {
    await expectFailure({ at: 0, kind: 'overlong' }, 'network', 'range response delivered more than the 131072 bytes its Content-Range declared', 4);
  });

  it('a bad Content-Range on the probe (each reason)', async () => {
    await expectFailure({ at: 0, kind: 'bad-content-range', contentRange: 'bytes 0-131071/*' }, 'network',
      'invalid Content-Range header on range response: unknown total size in content-range: "bytes 0-131071/*"', 4);
    for (const [cr, reason] of [
      ['', 'content-range is empty'],
      ['items 0-1/2', 'unsupported content-range: "items 0-1/2"'],
      ['bytes */100', 'unsupported content-range: "bytes */100"'],
      ['bytes 0-1/x', 'parse total size: strconv.ParseInt: parsing "x": invalid syntax'],
      ['bytes 0-1/0', 'invalid total size: 0'],
    ]) {
      h.fake.resetHandlers();
      serve({ size, fault: { at: 0, kind: 'bad-content-range', contentRange: cr } });
      const r = await cli(FILE_ARGS);
      expect(r.code).toBe(4);
      expect(r.errJson().error).toEqual({ type: 'network', message: `invalid Content-Range header on range response: ${reason}` });
    }
    expect(listWork()).toEqual(['keep.txt']);
  });

  it('a bad Content-Range on a later chunk', async () => {
    await expectFailure({ at: second, kind: 'wrong-start' }, 'network', `range response is bytes ${second + 1}-${second + 8_388_607}/${size}, want it to resume at byte ${second}`, 4);
  });

  it('a chunk answered 200 instead of 206', async () => {
    await expectFailure({ at: second, kind: 'status-200' }, 'network', 'unexpected status code: 200', 4);
  });

  it('HTTP 403 mid-way (no retry)', async () => {
    await expectFailure({ at: second, kind: 'status', status: 403, body: 'denied' }, 'http_error', 'HTTP 403: denied', 1);
    expect(ranges().filter((x) => x === `bytes=${second}-${second + 8_388_607}`)).toHaveLength(1);
  });

  it('HTTP 500 mid-way (3 attempts, then http_error)', async () => {
    await expectFailure({ at: second, kind: 'status', status: 500, body: 'boom' }, 'http_error', 'HTTP 500: boom', 1);
    expect(ranges().filter((x) => x === `bytes=${second}-${second + 8_388_607}`)).toHaveLength(3);
  });

  it('a body cut off on every attempt: network exit 4', async () => {
    await expectFailure({ at: second, kind: 'cut-always' }, 'network', /^read response body: /, 4);
    expect(ranges().filter((x) => x === `bytes=${second}-${second + 8_388_607}`)).toHaveLength(3);
  });

  it('a connection refused: stream request failed, network exit 4', async () => {
    const r = await runInProcess(['im', '+messages-resources-download', ...FILE_ARGS], {
      sandbox: h.sb,
      env: { ...env(), LARKSUITE_CLI_BRAND: 'http://127.0.0.1:9', LARKSUITE_CLI_TENANT_ACCESS_TOKEN: 't-x' },
    });
    expect(r.code).toBe(4);
    expect(r.errJson().error.type).toBe('network');
    expect(r.errJson().error.message).toMatch(/^stream request failed: /);
  });
});

describe('+messages-resources-download: validation', () => {
  const base = ['--message-id', 'om_f', '--file-key', 'file_v3_x', '--type', 'file'];
  async function expectValidation(args: string[], message: string): Promise<void> {
    const r = await cli(args);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.errJson().error).toEqual({ type: 'validation', message });
    expect(resourceCalls()).toHaveLength(0);
  }

  it('checks the flags in order with the original messages', async () => {
    await expectValidation(['--file-key', 'file_v3_x', '--type', 'file'], 'required flag(s) "message-id" not set');
    await expectValidation(['--message-id', '', '--file-key', 'f', '--type', 'file'], '--message-id is required (om_xxx)');
    await expectValidation(['--message-id', '  ', '--file-key', 'f', '--type', 'file'], 'message ID cannot be empty');
    await expectValidation(['--message-id', 'omt_1', '--file-key', 'f', '--type', 'file'], 'invalid message ID "omt_1": must start with om_');
    await expectValidation(['--message-id', 'om_1', '--file-key', 'f', '--type', 'video'], 'invalid value "video" for --type, allowed: image, file');
    await expectValidation(['--message-id', 'om_1', '--file-key', ' ', '--type', 'file'], 'file-key cannot be empty');
    await expectValidation(['--message-id', 'om_1', '--file-key', 'a/b', '--type', 'file'], 'file-key cannot contain path separators');
    await expectValidation(['--message-id', 'om_1', '--file-key', 'a\\b', '--type', 'file'], 'file-key cannot contain path separators');
    await expectValidation([...base, '--output', ' . '], 'path cannot be empty');
    await expectValidation([...base, '--output', '/tmp/x'], 'absolute paths are not allowed');
    await expectValidation([...base, '--output', 'a/../../x'], 'path cannot escape the current working directory');
    // --format and --json are accepted by every shortcut now; an unknown flag is still refused
    await expectValidation([...base, '--formatt', 'json'], 'unknown flag: --formatt');
  });

  it('refuses an output path that escapes through a symlink', async () => {
    mkdirSync(path.join(h.sb.root, 'outside'));
    symlinkSync(path.join(h.sb.root, 'outside'), path.join(h.sb.work, 'link'));
    await expectValidation(
      [...base, '--output', 'link/x.bin'],
      'unsafe output path: resolve save path: --output "link/x.bin" resolves outside the current working directory (hint: the path must stay within the working directory after resolving .. and symlinks)',
    );
    expect(existsSync(path.join(h.sb.root, 'outside', 'x.bin'))).toBe(false);
  });

  it('a server file name cannot leave the working directory', async () => {
    serve({ size: 10, contentDisposition: 'attachment; filename="../../evil.sh"' });
    const r = await cli(FILE_ARGS);
    expect(r.code).toBe(0);
    expect(r.json().data.saved_path).toBe(path.join(h.sb.work, 'evil.sh'));
  });
});
