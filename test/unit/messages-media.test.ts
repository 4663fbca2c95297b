/**
 * Media helpers of docs/shortcuts-write.md and the download naming:
 * file types, durations, sizes, URL display, Content-Range and Content-Disposition parsing, the
 * guarded URL downloader.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectFileType,
  durationFromBytes,
  fileNameFromUrl,
  formatSize,
  goExt,
  isHttpUrl,
  isMediaKey,
  oggDurationMs,
  urlDisplay,
} from '../../src/im/media-info.js';
import { chooseTargetName, contentDispositionFilename } from '../../src/http/download-name.js';
import { extensionForContentType } from '../../src/core/file-ext.js';
import { parseContentRange } from '../../src/http/content-range.js';
import { fetchMediaUrl, isBlockedAddress } from '../../src/http/safe-download.js';
import { CliError } from '../../src/core/errors.js';
import { mp4Bytes, oggBytes } from '../fake-lark/messages-write.js';
import { memoryIo } from '../helpers/memory-io.js';

describe('media values', () => {
  it('keys by prefix, URLs by case-sensitive scheme', () => {
    expect(isMediaKey('img_x')).toBe(true);
    expect(isMediaKey('file_x')).toBe(true);
    expect(isMediaKey('./img_x')).toBe(false);
    expect(isHttpUrl('https://a')).toBe(true);
    expect(isHttpUrl('HTTP://a')).toBe(false);
  });

  it('file_type from the extension', () => {
    const cases: Record<string, string> = {
      'a.OGG': 'opus', 'a.opus': 'opus', 'a.mov': 'mp4', 'a.webm': 'mp4', 'a.pdf': 'pdf', 'a.docx': 'doc',
      'a.csv': 'xls', 'a.pptx': 'ppt', 'a.mp3': 'stream', 'a.zip': 'stream', 'noext': 'stream', 'dir.v2/name': 'stream',
    };
    for (const [name, type] of Object.entries(cases)) expect(detectFileType(name)).toBe(type);
    expect(goExt('a.tar.gz')).toBe('.gz');
    expect(goExt('.env')).toBe('.env');
  });

  it('durations: OGG granule in whole seconds, MP4 mvhd v0/v1', () => {
    expect(oggDurationMs(oggBytes(480_000))).toBe(10_000);
    expect(durationFromBytes(oggBytes(48_001), 'opus')).toBe('2000');
    expect(durationFromBytes(oggBytes(0), 'opus')).toBe('');
    expect(durationFromBytes(mp4Bytes(1000, 5000), 'mp4')).toBe('5000');
    expect(durationFromBytes(mp4Bytes(44_100, 441_000), 'mp4')).toBe('10000');
    expect(durationFromBytes(mp4Bytes(0, 5000), 'mp4')).toBe('');
    expect(durationFromBytes(mp4Bytes(1000, 5000), 'stream')).toBe('');
    expect(durationFromBytes(Buffer.from('garbage'), 'mp4')).toBe('');
    // version 1 mvhd: timescale at 20, 64-bit duration at 24
    const v1 = mp4Bytes(1, 1);
    const at = v1.indexOf('mvhd') + 4;
    v1[at] = 1;
    v1.writeUInt32BE(600, at + 20);
    v1.writeBigUInt64BE(1800n, at + 24);
    expect(durationFromBytes(v1, 'mp4')).toBe('3000');
  });

  it('sizes as the CLI prints them', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(20_480)).toBe('20.0 KB');
    expect(formatSize(5376)).toBe('5.2 KB'); // 5.25: Go rounds half to even
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatSize(100 * 1024 * 1024 + 1)).toBe('100.0 MB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('URL display and upload names never show queries or credentials', () => {
    expect(urlDisplay('https://user:pw@example.com/a/c.png?token=x')).toBe('example.com/c.png');
    expect(urlDisplay('https://example.com/')).toBe('example.com/download');
    expect(urlDisplay('https://[::1]:8080/x/')).toBe('::1/x');
    expect(urlDisplay('not a url')).toBe('[redacted-url]');
    expect(fileNameFromUrl('https://example.com/docs/Q1%20notes.pdf?x=1')).toBe('Q1 notes.pdf');
    expect(fileNameFromUrl('https://example.com')).toBe('download');
  });
});

describe('download naming', () => {
  it('Content-Range: every failure reason and full parsing', () => {
    expect(parseContentRange('bytes 0-131071/20000000')).toEqual({ start: 0, end: 131071, total: 20_000_000 });
    expect(parseContentRange(' bytes 0-15/16 ')).toEqual({ start: 0, end: 15, total: 16 });
    const reason = (h: string | undefined) => {
      try {
        parseContentRange(h);
        return 'ok';
      } catch (e) {
        expect((e as CliError).type).toBe('network');
        return (e as Error).message.replace('invalid Content-Range header on range response: ', '');
      }
    };
    expect(reason(undefined)).toBe('content-range is empty');
    expect(reason('bits 0-1/2')).toBe('unsupported content-range: "bits 0-1/2"');
    expect(reason('bytes 0-1')).toBe('unsupported content-range: "bytes 0-1"');
    expect(reason('bytes */5')).toBe('unsupported content-range: "bytes */5"');
    expect(reason('bytes 0-1/*')).toBe('unknown total size in content-range: "bytes 0-1/*"');
    expect(reason('bytes 0-1/abc')).toBe('parse total size: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(reason('bytes 0-1/-3')).toBe('invalid total size: -3');
    expect(reason('bytes 5-1/10')).toBe('unsupported content-range: "bytes 5-1/10"');
    expect(reason('bytes 0-10/10')).toBe('unsupported content-range: "bytes 0-10/10"');
  });

  it('Content-Disposition: filename* wins, paths stripped, unsafe names refused', () => {
    expect(contentDispositionFilename(`attachment; filename="Q1 report.pdf"; filename*=UTF-8''Q1%20%E6%8A%A5%E5%91%8A.pdf`)).toBe('Q1 报告.pdf');
    expect(contentDispositionFilename('attachment; filename="a\\"b.txt"')).toBe('a"b.txt');
    expect(contentDispositionFilename('attachment; filename=plain.bin')).toBe('plain.bin');
    expect(contentDispositionFilename('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(contentDispositionFilename('attachment; filename="C:\\\\x\\\\y.doc"')).toBe('y.doc');
    expect(contentDispositionFilename('attachment; filename=".."')).toBe('');
    expect(contentDispositionFilename('attachment; filename="a\u0001b"')).toBe('');
    expect(contentDispositionFilename('attachment; filename="x"; filename="y"')).toBe(''); // duplicate → parse error
    expect(contentDispositionFilename('filename="x.txt"')).toBe(''); // "filename=..." is not a disposition token
    expect(contentDispositionFilename("attachment; filename*=ISO-8859-1''x.txt; filename=y.txt")).toBe('y.txt');
    expect(contentDispositionFilename("attachment; filename*0*=UTF-8''a%20; filename*1=b.txt")).toBe('a b.txt');
    expect(contentDispositionFilename('inline')).toBe('');
    expect(contentDispositionFilename(undefined)).toBe('');
  });

  it('target names: extension kept, Content-Disposition replaces or lends its extension, Content-Type last', () => {
    const h = (cd: string | undefined, ct = 'application/pdf') => ({ ...(cd ? { 'content-disposition': cd } : {}), 'content-type': ct });
    const cd = 'attachment; filename="Q1.pdf"';
    expect(chooseTargetName('photo.jpg', h(cd), { useContentDisposition: true, explicit: true })).toBe('photo.jpg');
    expect(chooseTargetName('file_v3_x', h(cd), { useContentDisposition: true, explicit: false })).toBe('Q1.pdf');
    expect(chooseTargetName('dl/file_v3_x', h(cd), { useContentDisposition: true, explicit: false })).toBe('dl/Q1.pdf');
    expect(chooseTargetName('notes', h(cd, 'text/plain'), { useContentDisposition: true, explicit: true })).toBe('notes.pdf');
    expect(chooseTargetName('notes', h('attachment; filename="README"', 'text/plain'), { useContentDisposition: true, explicit: true })).toBe('notes.txt');
    expect(chooseTargetName('k', h(cd, 'video/mp4; codecs=x'), { useContentDisposition: false, explicit: true })).toBe('k.mp4');
    expect(chooseTargetName('k', h(undefined, 'Video/MP4'), { useContentDisposition: true, explicit: false })).toBe('k');
    expect(chooseTargetName('dir.v2/name', h(undefined, 'image/png'), { useContentDisposition: true, explicit: true })).toBe('dir.v2/name.png');
    expect(extensionForContentType('application/vnd.openxmlformats-officedocument.presentationml.presentation')).toBe('.pptx');
    expect(extensionForContentType('toString')).toBe('');
  });
});

describe('guarded URL download', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok.png') return res.end(Buffer.alloc(100, 1));
      if (req.url === '/big') return res.end(Buffer.alloc(2000));
      if (req.url === '/missing') {
        res.statusCode = 404;
        return res.end('no');
      }
      if (req.url === '/to-private') {
        res.writeHead(302, { location: 'http://10.0.0.1/x' });
        return res.end();
      }
      if (req.url === '/to-ok') {
        res.writeHead(301, { location: '/ok.png' });
        return res.end();
      }
      const m = /^\/loop(\d+)$/.exec(req.url ?? '');
      if (m) {
        res.writeHead(302, { location: `/loop${Number(m[1]) + 1}` });
        return res.end();
      }
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const io = (allow: boolean) => memoryIo({ cwd: '/', env: allow ? { LARKSUITE_CLI_MEDIA_ALLOW_LOOPBACK: '1' } : {} });
  const failure = async (url: string, allow = true, max = 1000) => {
    try {
      await fetchMediaUrl(io(allow), url, max);
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('blocks internal addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '198.18.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isBlockedAddress(ip), ip).toBe(false);
    expect(isBlockedAddress('127.0.0.1', true)).toBe(false);
    expect(isBlockedAddress('::1', true)).toBe(false);
    expect(isBlockedAddress('10.0.0.1', true)).toBe(true);
  });

  it('refuses loopback unless the test knob is set, and bad schemes / hosts', async () => {
    expect(await failure(`${base}/ok.png`, false)).toBe('blocked URL: local/internal host is not allowed');
    expect(await failure('http://localhost/x', false)).toBe('blocked URL: local/internal host is not allowed');
    expect(await failure('http://a.localhost/x', false)).toBe('blocked URL: local/internal host is not allowed');
    expect(await failure('ftp://example.com/x')).toBe('blocked URL: only http/https URLs are supported');
    expect((await fetchMediaUrl(io(true), `${base}/ok.png`, 1000)).equals(Buffer.alloc(100, 1))).toBe(true);
  });

  it('statuses, size limit and redirects', async () => {
    expect(await failure(`${base}/missing`)).toBe('download failed: HTTP 404');
    expect(await failure(`${base}/big`, true, 1000)).toBe('download exceeds size limit (max 1000 B)');
    expect(await failure(`${base}/big`, true, 5 * 1024 * 1024 - 1)).toBe('ok');
    expect(await failure(`${base}/to-private`)).toBe('download failed: blocked redirect target: local/internal host is not allowed');
    expect(await failure(`${base}/to-ok`)).toBe('ok');
    expect(await failure(`${base}/loop0`)).toBe('download failed: too many redirects');
  });
});
