// Our own client of cache service v2 (action/cache-service-v2.ts, -read.ts, -write.ts) against the
// local cache service: the version is @actions/cache's; entries @actions/cache saved are read back
// byte for byte through ActionsCacheStore (to a file, or streamed), and small entries we save are
// restored by @actions/cache; zstd and gzip archives are streamed into the one file they hold; and
// damaged or foreign archives, a failing service and settings where v2 or writes do not apply are
// refused without leaving a file behind.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { constants as zlib, gzipSync, zstdCompressSync as zstdPlain } from 'node:zlib';
import { Header } from 'tar';
import { ActionsCacheStore, ioPath } from '../../action/actions-cache-store.ts';
import { createDispatcher, networkSettings } from '../../core/channel/network.ts';
import { downloadEntryFile, lookupEntry, streamEntryFile } from '../../action/cache-service-read.ts';
import { cacheServiceV2, cacheVersion, compressionMethod, type CacheServiceV2 } from '../../action/cache-service-v2.ts';
import { ResultsServiceError } from '../../action/results-twirp.ts';
import { saveSmallEntry, SMALL_ENTRY_LIMIT } from '../../action/cache-service-write.ts';
import { type ActionsServices, startActionsServices } from '../support/actions-cache-server.ts';

/** zstd with a content checksum, as the `zstd` program writes by default. */
const zstdCompressSync = (data: Buffer): Buffer => zstdPlain(data, { params: { [zlib.ZSTD_c_checksumFlag]: 1 } });

/** A tar of the given members (regular files), as @actions/cache's `tar --posix -cf … -P` makes one. */
function tarOf(members: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const header = Buffer.alloc(512);
    new Header({ path: m.name, mode: 0o644, size: m.data.length, type: 'File', mtime: new Date(1_700_000_000_000), uid: 0, gid: 0 }).encode(header, 0);
    parts.push(header, m.data, Buffer.alloc((512 - (m.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

describe('reading cache service v2 entries ourselves', () => {
  let services: ActionsServices;
  let home: string;
  let service: CacheServiceV2;
  let io: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    services = await startActionsServices();
    home = mkdtempSync(join(tmpdir(), 'env-setup-cache-read-'));
    mkdirSync(join(home, 'work'), { recursive: true });
    // @actions/cache (the writer) reads its settings from process.env
    const env = { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: `${services.url}/`, ACTIONS_RUNTIME_TOKEN: services.token, GITHUB_WORKSPACE: join(home, 'work'), RUNNER_TEMP: join(home, 'temp'), GITHUB_SERVER_URL: 'https://github.com' };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    for (const k of ['ACTIONS_CACHE_URL', 'ACTIONS_CACHE_MODE']) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    service = cacheServiceV2(process.env)!;
    io = ioPath(join(home, 'cache'));
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await services.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** Puts an archive straight into the service under `key`, with the version of the io path. */
  const serve = (key: string, bytes: Buffer, method = compressionMethod()) => {
    services.entries.push({ key, version: cacheVersion([io], method), bytes, created: Date.now() + services.entries.length });
  };
  const member = () => relative(join(home, 'work'), io);

  test('the version is the one @actions/cache computes', async () => {
    const utils = (await import('../../node_modules/@actions/cache/lib/internal/cacheUtils.js')) as { getCacheVersion(paths: string[], method?: string, cross?: boolean): string };
    for (const method of ['zstd-without-long', 'gzip'] as const) {
      assert.equal(cacheVersion(['/a/b/io/entry'], method), utils.getCacheVersion(['/a/b/io/entry'], method));
      assert.equal(cacheVersion(['/x', '/y'], method), utils.getCacheVersion(['/x', '/y'], method));
    }
    assert.notEqual(cacheVersion(['/x'], 'gzip', 'win32'), cacheVersion(['/x'], 'gzip', 'linux'));
  });

  test('an entry @actions/cache saved (a large one) is read back through the store, by key prefix, byte for byte', async () => {
    const data = randomBytes(SMALL_ENTRY_LIMIT + 4096);
    const source = join(home, 'source');
    writeFileSync(source, data);
    const writer = new ActionsCacheStore({ dir: join(home, 'cache'), write: true, log: { info() {}, warning: (m) => assert.fail(m) }, service });
    const entry = await writer.put('env-setup-env-1-abc', source);
    assert.deepEqual(writer.saved, [`env-setup-env-1-abc-t${entry.created}`]);

    const warnings: string[] = [];
    // a later run: the same folder (the version covers the io path), nothing of the first run's left
    rmSync(join(home, 'cache'), { recursive: true, force: true });
    const reader = new ActionsCacheStore({ dir: join(home, 'cache'), write: false, log: { info() {}, warning: (m) => warnings.push(m) }, service });
    const before = services.requests.length;
    const got = await reader.get('env-setup-env-1-abc');
    assert.deepEqual(warnings, []);
    assert.ok(got !== undefined);
    assert.equal(got.entry.created, entry.created);
    assert.ok(readFileSync(got.path).equals(data));
    assert.deepEqual(readdirSync(join(home, 'cache', 'entries')), ['env-setup-env-1-abc'], 'no partial file left beside it');
    const requests = services.requests.slice(before);
    assert.ok(requests.includes('POST /twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL'), requests.join('\n'));
    assert.ok(requests.some((r) => r.startsWith('GET /blob/')), requests.join('\n'));
    assert.equal(await reader.get('env-setup-env-1-other'), undefined, 'another key is a miss');
    const listed = await reader.list('env-setup-env-1-');
    assert.equal(listed.at(-1)?.created, entry.created, 'list looks the newest entry up');

    // open: the bytes as they arrive, nothing written; the size once the archive's header gave it
    const streaming = new ActionsCacheStore({ dir: join(home, 'cache'), write: false, log: { info() {}, warning: (m) => assert.fail(m) }, service });
    const opened = await streaming.open!('env-setup-env-1-abc');
    assert.ok(opened !== undefined);
    assert.equal(opened.entry.created, entry.created);
    assert.equal(opened.entry.size, 0, 'not known before the download');
    const pieces: Buffer[] = [];
    for await (const chunk of opened.chunks) pieces.push(Buffer.from(chunk));
    assert.ok(Buffer.concat(pieces).equals(data));
    assert.equal(streaming.knownSize('env-setup-env-1-abc'), data.length);
    assert.equal(await streaming.open!('env-setup-env-1-other'), undefined);
    assert.equal(new ActionsCacheStore({ dir: join(home, 'cache'), write: false, log: { info() {}, warning() {} } }).open, undefined, 'no streaming without v2');
  });

  test('small entries are saved by our client, and @actions/cache restores them byte for byte', async () => {
    const data = Buffer.from(JSON.stringify({ format: 1, stages: { solve: 12 } }));
    const source = join(home, 'record');
    writeFileSync(source, data);
    const before = services.requests.length;
    const store = new ActionsCacheStore({ dir: join(home, 'cache'), write: true, log: { info() {}, warning: (m) => assert.fail(m) }, service });
    const entry = await store.put('env-setup-timings-1-x', source);
    const requests = services.requests.slice(before);
    assert.deepEqual(
      requests.map((r) => r.replace(/\?.*/, '').replace(/\/blob\/u\d+/, '/blob/u')),
      ['POST /twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry', 'PUT /blob/u', 'POST /twirp/github.actions.results.api.v1.CacheService/FinalizeCacheEntryUpload'],
    );
    const saved = services.entries.find((e) => e.key === `env-setup-timings-1-x-t${entry.created}`);
    assert.ok(saved !== undefined);
    assert.equal(saved.version, cacheVersion([io], compressionMethod()));

    rmSync(join(home, 'cache'), { recursive: true, force: true });
    const { restoreCache } = await import('@actions/cache');
    assert.equal(await restoreCache([io], 'env-setup-timings-1-x-t', ['env-setup-timings-1-x-t']), saved.key);
    assert.ok(readFileSync(io).equals(data), '@actions/cache (system tar) restores the file where it was saved from');

    // an existing key, and a cache mode without writes: not saved, said why
    assert.deepEqual(await saveSmallEntry(service, { key: saved.key, version: saved.version, member: io, path: source, method: compressionMethod() }), { ok: false, reason: `cache entry ${saved.key} already exists` });
    assert.match(JSON.stringify(await saveSmallEntry({ ...service, write: false }, { key: 'k2', version: saved.version, member: io, path: source, method: compressionMethod() })), /cache mode does not permit writes/);
    const readOnly = new ActionsCacheStore({ dir: join(home, 'cache6'), write: true, log: { info() {}, warning: (m) => assert.fail(m) }, service: { ...service, write: false } });
    await readOnly.put('env-setup-spec-1-ro', source);
    assert.deepEqual(readOnly.unsaved.map((u) => [u.reason, u.retry]), [["the runner's cache mode (ACTIONS_CACHE_MODE) does not permit writes", false]], 'skipped, not a failure for the post step to retry');
    const warnings: string[] = [];
    const refusing = new ActionsCacheStore({ dir: join(home, 'cache4'), write: true, log: { info() {}, warning: (m) => warnings.push(m) }, service });
    services.rejectWrites = true;
    try {
      await refusing.put('env-setup-spec-1-y', source);
    } finally {
      services.rejectWrites = false;
    }
    assert.equal(refusing.unsaved.length, 1);
    assert.match(warnings.join('\n'), /saving env-setup-spec-1-y-t\d+ to the GitHub Actions cache failed: cannot reserve/);
  });

  test('our client goes through the proxy of HTTP_PROXY, as @actions/cache does', async () => {
    const seen: string[] = [];
    // a forwarding proxy: absolute-form requests, passed on to the local services whatever the host
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '/');
      const out = httpRequest(`${services.url}${target.pathname}${target.search}`, { method: req.method, headers: { ...req.headers, host: new URL(services.url).host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(out);
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    const dispatcher = await createDispatcher(networkSettings({ env: { HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } }));
    try {
      const viaProxy = { ...service, url: 'http://results.example.invalid/' };
      const source = join(home, 'proxied');
      writeFileSync(source, 'through the proxy');
      const store = new ActionsCacheStore({ dir: join(home, 'cache5'), write: true, log: { info() {}, warning: (m) => assert.fail(m) }, service: viaProxy, dispatcher });
      await store.put('env-setup-spec-1-proxied', source);
      rmSync(join(home, 'cache5'), { recursive: true, force: true });
      const reader = new ActionsCacheStore({ dir: join(home, 'cache5'), write: false, log: { info() {}, warning: (m) => assert.fail(m) }, service: viaProxy, dispatcher });
      const got = await reader.get('env-setup-spec-1-proxied');
      assert.equal(got && readFileSync(got.path, 'utf8'), 'through the proxy');
      assert.ok(seen.some((r) => r.startsWith('POST http://results.example.invalid/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry')), seen.join('\n'));
      assert.ok(seen.some((r) => r.startsWith('POST http://results.example.invalid/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL')), seen.join('\n'));
      assert.ok(seen.some((r) => /^PUT http:\/\/127\.0\.0\.1:\d+\/blob\//.test(r)) && seen.some((r) => /^GET http:\/\/127\.0\.0\.1:\d+\/blob\//.test(r)), 'the signed URLs too');
    } finally {
      await dispatcher.close();
      await new Promise<void>((ok) => proxy.close(() => ok()));
    }
  });

  test('a blob download is retried while no byte has come, and a stalled one stops at once when cancelled', async () => {
    const data = randomBytes(3 << 20);
    const archive = zstdCompressSync(tarOf([{ name: member(), data }]));
    let gets = 0;
    let stall = false;
    // answers 503 to the first GET; with `stall`, sends a first part and then nothing
    const blobs = createServer((req, res) => {
      gets++;
      if (gets === 1) {
        res.writeHead(503, { 'content-length': 0 });
        return res.end();
      }
      res.writeHead(200, { 'content-length': archive.length });
      if (stall) res.write(archive.subarray(0, 200_000));
      else res.end(archive);
    });
    await new Promise<void>((ok) => blobs.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(blobs.address() as AddressInfo).port}/blob?sig=read`;
    try {
      const dest = join(home, 'retried');
      assert.equal(await downloadEntryFile(service, url, { member: io, dest, method: 'zstd-without-long' }), data.length);
      assert.equal(gets, 2, 'one 503, then the download');
      assert.ok(readFileSync(dest).equals(data));

      stall = true;
      const stop = new AbortController();
      const stream = streamEntryFile(service, url, { member: io, method: 'zstd-without-long' }, undefined, undefined, stop.signal);
      const t0 = performance.now();
      setTimeout(() => stop.abort(), 300);
      await assert.rejects(
        (async () => {
          for await (const _ of stream) void _;
        })(),
        (e: Error) => e instanceof ResultsServiceError && /broke off/.test(e.message),
      );
      assert.ok(performance.now() - t0 < 5000, 'not the 60 s body timeout');
    } finally {
      blobs.closeAllConnections();
      await new Promise<void>((ok) => blobs.close(() => ok()));
    }
  });

  test('a blob download that breaks off is resumed where it stopped (Range, If-Range), and refused when it cannot be', async () => {
    const data = randomBytes(3 << 20);
    const archive = zstdCompressSync(tarOf([{ name: member(), data }]));
    const cutAt = Math.floor(archive.length * 0.4);
    // how the server answers a GET after the first (cut) one
    let mode: 'range' | 'ignores-range' | 'wrong-range' | 'changed' | 'cut-always' = 'range';
    let gets: { range: string | undefined; ifRange: string | undefined }[] = [];
    const blobs = createServer((req, res) => {
      gets.push({ range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined });
      const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      const etag = mode === 'changed' && gets.length > 1 ? '"v2"' : '"v1"';
      if (gets.length === 1 || mode === 'cut-always') {
        // the first GET (and with cut-always every one) sends bytes up to cutAt, then the connection drops
        const status = from > 0 ? 206 : 200;
        res.writeHead(status, { 'content-length': archive.length - from, etag, ...(from > 0 ? { 'content-range': `bytes ${from}-${archive.length - 1}/${archive.length}` } : {}) });
        res.write(archive.subarray(from, Math.max(from, cutAt)), () => setTimeout(() => res.destroy(), 20));
        return;
      }
      if (mode === 'range' && from > 0) {
        res.writeHead(206, { 'content-length': archive.length - from, etag, 'content-range': `bytes ${from}-${archive.length - 1}/${archive.length}` });
        return res.end(archive.subarray(from));
      }
      if (mode === 'wrong-range') {
        res.writeHead(206, { 'content-length': archive.length - from + 1, etag, 'content-range': `bytes ${from - 1}-${archive.length - 1}/${archive.length}` });
        return res.end(archive.subarray(from - 1));
      }
      res.writeHead(200, { 'content-length': archive.length, etag });
      res.end(archive);
    });
    await new Promise<void>((ok) => blobs.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(blobs.address() as AddressInfo).port}/blob?sig=read`;
    try {
      for (const m of ['range', 'ignores-range'] as const) {
        mode = m;
        gets = [];
        const dest = join(home, `resumed-${m}`);
        assert.equal(await downloadEntryFile(service, url, { member: io, dest, method: 'zstd-without-long' }), data.length, m);
        assert.ok(readFileSync(dest).equals(data), `${m}: the file is whole`);
        assert.equal(gets.length, 2, `${m}: one cut download, one resumed`);
        assert.deepEqual(gets[1], { range: `bytes=${cutAt}-`, ifRange: '"v1"' }, `${m}: resumed at the byte it stopped at`);
      }
      for (const [m, problem] of [
        ['wrong-range', /broke off after \d+ bytes and could not be resumed/],
        ['changed', /broke off after \d+ bytes, and the entry changed meanwhile/],
        ['cut-always', /broke off/],
      ] as const) {
        mode = m;
        gets = [];
        const dest = join(home, `refused-${m}`);
        await assert.rejects(downloadEntryFile(service, url, { member: io, dest, method: 'zstd-without-long' }), (e: Error) => e instanceof ResultsServiceError && problem.test(e.message), m);
        assert.equal(existsSync(dest) || existsSync(`${dest}.partial`), false, `${m}: nothing left`);
        // cut-always: no byte comes after the first cut, so the attempts run out (4 in a row without progress)
        if (m === 'cut-always') assert.equal(gets.length, 4, 'the first GET and three resumes without a new byte');
      }
    } finally {
      blobs.closeAllConnections();
      await new Promise<void>((ok) => blobs.close(() => ok()));
    }
  });

  test('zstd and gzip archives are streamed into the one file they hold', async () => {
    const data = randomBytes(200_000);
    for (const [method, pack] of [
      ['zstd-without-long', zstdCompressSync],
      ['gzip', gzipSync],
    ] as const) {
      serve(`k-${method}-t1`, pack(tarOf([{ name: member(), data }])), method);
      const found = await lookupEntry(service, [`k-${method}-t`, `k-${method}-t`], cacheVersion([io], method));
      assert.equal(found?.key, `k-${method}-t1`);
      const dest = join(home, `out-${method}`);
      assert.equal(await downloadEntryFile(service, found.url, { member: io, dest, method }), data.length);
      assert.ok(readFileSync(dest).equals(data));
    }
    assert.equal(await lookupEntry(service, ['k-none'], cacheVersion([io], 'gzip')), undefined);
  });

  test('damaged, truncated or foreign archives are errors, and nothing is left at the destination', async () => {
    const data = randomBytes(300_000);
    const good = zstdCompressSync(tarOf([{ name: member(), data }]));
    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 5000), /damaged or incomplete/],
      ['damaged', damaged, /damaged or incomplete/],
      ['other-file', zstdCompressSync(tarOf([{ name: 'somewhere/else', data }])), /holds somewhere\/else, not only the file/],
      ['two-files', zstdCompressSync(tarOf([{ name: member(), data }, { name: member(), data }])), /not only the file/],
      ['no-file', zstdCompressSync(tarOf([])), /does not hold the file/],
      ['not-zstd', Buffer.from('hello, this is no archive'), /damaged or incomplete/],
    ];
    for (const [name, bytes, error] of cases) {
      serve(`bad-${name}-t1`, bytes, 'zstd-without-long');
      const found = await lookupEntry(service, [`bad-${name}-t`], cacheVersion([io], 'zstd-without-long'));
      assert.ok(found !== undefined, name);
      const dest = join(home, `bad-${name}`);
      await assert.rejects(downloadEntryFile(service, found.url, { member: io, dest, method: 'zstd-without-long' }), (e: Error) => e instanceof ResultsServiceError && error.test(e.message), name);
      assert.ok(!existsSync(dest) && !existsSync(`${dest}.partial`), `${name}: nothing left`);
    }
  });

  test('a failing service is an error after the retries; the store makes it a miss with a warning', async () => {
    services.failing = true;
    try {
      await assert.rejects(lookupEntry(service, ['anything-t'], cacheVersion([io], 'gzip')), /HTTP 503/);
      const warnings: string[] = [];
      const store = new ActionsCacheStore({ dir: join(home, 'cache3'), write: false, log: { info() {}, warning: (m) => warnings.push(m) }, service });
      assert.equal(await store.get('env-setup-spec-1-x'), undefined);
      assert.match(warnings.join('\n'), /restoring env-setup-spec-1-x from the GitHub Actions cache failed: the results service answered HTTP 503/);
    } finally {
      services.failing = false;
    }
  });

  test('v2 applies as @actions/cache decides: set, not on GitHub Enterprise Server, reads allowed', () => {
    const env = { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: 'https://results.example', ACTIONS_RUNTIME_TOKEN: 't', GITHUB_WORKSPACE: '/w' };
    assert.deepEqual(cacheServiceV2(env), { url: 'https://results.example/', token: 't', workspace: '/w', read: true, write: true });
    assert.equal(cacheServiceV2({ ...env, ACTIONS_RESULTS_URL: 'https://results.example/some/path/' })?.url, 'https://results.example/', 'the origin only, as @actions/cache resolves /twirp/…');
    assert.ok(cacheServiceV2({ ...env, GITHUB_SERVER_URL: 'https://github.com' }));
    assert.ok(cacheServiceV2({ ...env, GITHUB_SERVER_URL: 'https://acme.ghe.com' }));
    assert.equal(cacheServiceV2({ ...env, GITHUB_SERVER_URL: 'https://github.acme.internal' }), undefined, 'GHES speaks v1');
    assert.equal(cacheServiceV2({ ...env, ACTIONS_CACHE_SERVICE_V2: '' }), undefined);
    assert.equal(cacheServiceV2({ ...env, ACTIONS_RUNTIME_TOKEN: undefined }), undefined);
    const mode = (m: string) => {
      const s = cacheServiceV2({ ...env, ACTIONS_CACHE_MODE: m })!;
      return [s.read, s.write];
    };
    assert.deepEqual(mode('none'), [false, false]);
    assert.deepEqual(mode('read'), [true, false]);
    assert.deepEqual(mode('write'), [true, true]);
    assert.deepEqual(mode(' Write-Only '), [false, true]);
    assert.deepEqual(mode('something-new'), [true, true], 'unknown modes are permissive, as in @actions/cache');
  });
});
