// Fetching repodata over a real local HTTP server (test/support/channel-server.ts): cold and warm
// (304) fetches, .zst first with the "no .zst here" answer remembered, retries, errors, offline use,
// tokens kept out of the cache, progress and tracing. Real channel fixtures come from ../shared.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ChannelError } from '../../core/channel/errors.ts';
import { fetchRepodata, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { copiesWritten, type RepodataCacheState } from '../../core/channel/repodata-cache.ts';
import type { FetchProgress } from '../../core/channel/repodata-source.ts';
import { resolveChannels, type ResolvedChannel } from '../../core/channel/resolve.ts';
import { PackageIndex } from '../../core/index/package-index.ts';
import { SpecError } from '../../core/spec/errors.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { startChannelServer, type ChannelServer, type ChannelServerOptions } from '../support/channel-server.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const RATTLER = join(FIXTURES, 'channels/rattler');
const SUDOKU = join(FIXTURES, 'channels/mamba-sudoku');
const noFixtures = existsSync(join(RATTLER, 'pytorch/linux-64/repodata.json')) && existsSync(SUDOKU) ? false : `conda fixtures not found in ${FIXTURES} (../shared is absent)`;

const temp = mkdtempSync(join(tmpdir(), 'env-setup-fetch-'));
after(() => rmSync(temp, { recursive: true, force: true }));
let dirs = 0;
const freshCache = (): string => join(temp, `cache-${dirs++}`);

const servers: ChannelServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function serve(options: ChannelServerOptions): Promise<ChannelServer> {
  const s = await startChannelServer(options);
  servers.push(s);
  return s;
}

function channel(url: string, platform = 'linux-64'): ResolvedChannel {
  return resolveChannels({ channels: [url], overrideChannels: true, platform, env: {}, home: temp, systemDirs: [] }).channels[0]!;
}

const FAST: FetchRepodataOptions = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, env: {} };

function fetch(channels: ResolvedChannel[], cacheDir: string, options: FetchRepodataOptions = {}) {
  return fetchRepodata(channels, { ...FAST, cacheDir, ...options });
}

function log(server: ChannelServer): string[] {
  return server.requests.map((r) => `${r.path} ${r.status}`);
}

function packagesOf(file: string): number {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  return Object.keys(doc.packages ?? {}).length + Object.keys(doc['packages.conda'] ?? {}).length;
}

const repodata = (packages: Record<string, object>, conda: Record<string, object> = {}, extra: object = {}): string =>
  JSON.stringify({ info: { subdir: 'linux-64' }, packages, 'packages.conda': conda, ...extra });
const rec = (name: string, version = '1.0', build = '0') => ({ name, version, build, build_number: 0, depends: [] });

describe('fetching over HTTP', { skip: noFixtures }, () => {
  let server: ChannelServer;
  before(async () => {
    server = await serve({ root: RATTLER });
  });

  test('cold fetch, then a warm fetch answered 304; the missing .zst is not asked for again', async () => {
    const cacheDir = freshCache();
    const pytorch = channel(`${server.url}/pytorch`);
    server.clearLog();
    const [linux, noarch] = await fetch([pytorch], cacheDir);
    assert.equal(linux!.subdir, 'linux-64');
    assert.equal(linux!.packages.count, packagesOf(join(RATTLER, 'pytorch/linux-64/repodata.json')));
    assert.deepEqual(linux!.info, { subdir: 'linux-64' });
    assert.equal(linux!.origin.kind, 'downloaded');
    assert.equal(linux!.origin.zst, false);
    assert.ok(linux!.origin.downloadedBytes > 100_000);
    assert.equal(linux!.channel, pytorch);
    const [fn, raw] = linux!.packages.all()[0]!;
    assert.match(fn, /\.tar\.bz2$|\.conda$/);
    assert.equal(typeof (raw as { name: string }).name, 'string');
    // pytorch has no noarch: tolerated, empty.
    assert.equal(noarch!.origin.kind, 'missing');
    assert.equal(noarch!.packages.count, 0);
    assert.deepEqual(log(server).sort(), [
      '/pytorch/linux-64/repodata.json 200',
      '/pytorch/linux-64/repodata.json.zst 404',
      '/pytorch/noarch/repodata.json 404',
      '/pytorch/noarch/repodata.json.zst 404',
    ]);

    server.clearLog();
    const [again] = await fetch([pytorch], cacheDir);
    assert.equal(again!.origin.kind, 'not-modified');
    assert.equal(again!.origin.downloadedBytes, 0);
    assert.equal(again!.packages.count, linux!.packages.count);
    assert.deepEqual(log(server).sort(), ['/pytorch/linux-64/repodata.json 304', '/pytorch/noarch/repodata.json 404']);
    const conditional = server.requests.find((r) => r.path === '/pytorch/linux-64/repodata.json')!;
    assert.match(String(conditional.headers['if-none-match']), /^".+"$/);
    assert.ok(conditional.headers['if-modified-since']);
  });

  test('the .zst is asked for again after a week', async () => {
    const cacheDir = freshCache();
    const dummy = channel(`${server.url}/dummy`);
    await fetch([dummy], cacheDir);
    server.clearLog();
    await fetch([dummy], cacheDir, { now: () => Date.now() + 8 * 24 * 3600 * 1000 });
    assert.ok(log(server).includes('/dummy/linux-64/repodata.json.zst 404'));
  });

  test('in the index, .conda entries shadow .tar.bz2 files of the same stem', async () => {
    const [linux] = await fetch([channel(`${server.url}/dummy`)], freshCache());
    const doc = JSON.parse(readFileSync(join(RATTLER, 'dummy/linux-64/repodata.json'), 'utf8'));
    const condaFns = Object.keys(doc['packages.conda']);
    const index = PackageIndex.from([{ channel: 'dummy', priority: 0, subdir: 'linux-64', entries: linux!.packages, removed: linux!.removed }]);
    const fns = [...index.allIds()].map((id) => index.fnOf(id));
    for (const fn of condaFns) assert.ok(fns.includes(fn), fn);
    const shadowed = Object.keys(doc.packages).filter((fn) => condaFns.includes(fn.replace(/\.tar\.bz2$/, '.conda')));
    assert.ok(shadowed.length > 0);
    assert.equal(fns.length, condaFns.length + Object.keys(doc.packages).length - shadowed.length);
    for (const fn of shadowed) assert.ok(!fns.includes(fn), fn);
    assert.equal(linux!.repodataVersion, 2);
  });

  test('a channel with only noarch is fine; a channel with neither subdir is a not-found error naming it', async () => {
    const sudoku = await serve({ root: SUDOKU, zstd: true });
    const [linux, noarch] = await fetch([channel(sudoku.url)], freshCache());
    assert.equal(linux!.origin.kind, 'missing');
    assert.equal(noarch!.packages.count, packagesOf(join(SUDOKU, 'noarch/repodata.json')));

    const error = await fetch([channel(`${server.url}/t/tok-SECRET/no-such-channel`)], freshCache()).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'not-found');
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /no-such-channel/);
    assert.match(error.message, /linux-64\/ nor noarch\//);
    assert.match(error.message, /t\/<TOKEN>\/no-such-channel/);
    assert.doesNotMatch(error.message, /tok-SECRET/);
  });

  test('offline: a cached subdir is used without any request; one not cached is an offline-miss', async () => {
    const cacheDir = freshCache();
    const pytorch = channel(`${server.url}/pytorch`);
    await fetch([pytorch], cacheDir);
    server.clearLog();
    const [linux, noarch] = await fetch([pytorch], cacheDir, { offline: true });
    assert.equal(linux!.origin.kind, 'cache');
    assert.equal(noarch!.origin.kind, 'missing');
    assert.ok(linux!.packages.count > 0);
    assert.deepEqual(server.requests, []);

    const miss = await fetch([channel(`${server.url}/dummy`)], cacheDir, { offline: true }).catch((e: unknown) => e);
    assert.ok(miss instanceof ChannelError);
    assert.equal(miss.kind, 'offline-miss');
    assert.equal(miss.exitCode, 1);
    assert.match(miss.message, /offline.*dummy.*not in the cache/);
    assert.deepEqual(server.requests, []);
  });

  test('Cache-Control max-age: a fresh cached copy is used without asking', async () => {
    const cached = await serve({ root: RATTLER, cacheControl: 'public, max-age=600' });
    const cacheDir = freshCache();
    const dummy = channel(`${cached.url}/dummy`);
    await fetch([dummy], cacheDir);
    cached.clearLog();
    const [linux] = await fetch([dummy], cacheDir);
    assert.equal(linux!.origin.kind, 'cache');
    assert.deepEqual(log(cached), ['/dummy/noarch/repodata.json 404']);
    const [later] = await fetch([dummy], cacheDir, { now: () => Date.now() + 601_000 });
    assert.equal(later!.origin.kind, 'not-modified');
  });
});

describe('repodata.json.zst', { skip: noFixtures }, () => {
  test('is preferred when the server has it, and revalidated with its own ETag', async () => {
    const server = await serve({ root: RATTLER, zstd: true });
    const cacheDir = freshCache();
    const pytorch = channel(`${server.url}/pytorch`);
    const [linux] = await fetch([pytorch], cacheDir);
    assert.equal(linux!.origin.kind, 'downloaded');
    assert.equal(linux!.origin.zst, true);
    assert.equal(linux!.packages.count, packagesOf(join(RATTLER, 'pytorch/linux-64/repodata.json')));
    assert.ok(linux!.origin.downloadedBytes < linux!.origin.size / 4, 'compressed transfer');
    assert.ok(!log(server).includes('/pytorch/linux-64/repodata.json 200'));

    server.clearLog();
    const [again] = await fetch([pytorch], cacheDir);
    assert.equal(again!.origin.kind, 'not-modified');
    assert.equal(again!.origin.zst, true);
    assert.deepEqual(log(server).filter((l) => l.includes('linux-64')), ['/pytorch/linux-64/repodata.json.zst 304']);
    const state = JSON.parse(readFileSync(linux!.origin.cachePath!.replace(/\.json(\.zst)?$/, '.state.json'), 'utf8')) as RepodataCacheState;
    assert.equal(state.zst, true);
    assert.equal(state.url, `${server.url}/pytorch/linux-64/repodata.json.zst`);
    assert.equal(state.size, linux!.origin.size);
    assert.match(state.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(state.hasZst?.value, true);
  });

  test('the cache keeps the .zst as it came, and a damaged one is downloaded again (offline: a clear error)', async () => {
    const server = await serve({ root: RATTLER, zstd: true });
    const cacheDir = freshCache();
    const pytorch = channel(`${server.url}/pytorch`);
    const [linux] = await fetch([pytorch], cacheDir);
    const cached = linux!.origin.cachePath!;
    assert.match(cached, /\.json\.zst$/);
    const state = JSON.parse(readFileSync(cached.replace(/\.json\.zst$/, '.state.json'), 'utf8')) as RepodataCacheState;
    assert.deepEqual([state.stored, state.storedSize], ['zst', readFileSync(cached).length]);
    assert.ok(state.storedSize < state.size / 4);
    // the decompressed copy beside it (read in place by warm runs) is damaged too, so the .zst is read
    await copiesWritten();
    const copy = cached.replace(/\.zst$/, '');
    assert.equal(readFileSync(copy).length, state.size);
    for (const file of [cached, copy]) {
      const damaged = Buffer.from(readFileSync(file));
      damaged.fill(0x41, 10, 200);
      writeFileSync(file, damaged);
    }
    const offline = await fetch([pytorch], cacheDir, { offline: true }).catch((e: unknown) => e);
    assert.ok(offline instanceof ChannelError && offline.kind === 'malformed', String(offline));
    assert.ok(offline.message.includes(cached) && offline.message.includes('delete that file'), offline.message);
    server.clearLog();
    const [again] = await fetch([pytorch], cacheDir);
    assert.equal(again!.origin.kind, 'downloaded');
    // the server says 304 for the cached copy; reading it fails; the entry is dropped and fetched whole
    assert.deepEqual(log(server).filter((l) => l.includes('linux-64')), ['/pytorch/linux-64/repodata.json.zst 304', '/pytorch/linux-64/repodata.json.zst 200']);
    assert.equal(again!.packages.count, linux!.packages.count);
  });
});

describe('retries', () => {
  const body = repodata({ 'a-1.0-0.tar.bz2': rec('a') });
  const files = { '/ch/linux-64/repodata.json': body, '/ch/noarch/repodata.json': repodata({}) };

  test('5xx answers, dropped connections and slow answers are retried', async () => {
    const server = await serve({ files });
    server.failNext('/ch/linux-64/repodata.json', 503, 1);
    server.failNext('/ch/linux-64/repodata.json', 'reset', 1);
    server.failNext('/ch/noarch/repodata.json', { delayMs: 1500 }, 1);
    const [linux, noarch] = await fetch([channel(`${server.url}/ch`)], freshCache(), { preferZst: false, headersTimeoutMs: 300 });
    assert.equal(linux!.packages.count, 1);
    assert.equal(noarch!.packages.count, 0);
    assert.equal(noarch!.origin.kind, 'downloaded');
    assert.deepEqual(
      server.requests.filter((r) => r.path.includes('linux-64')).map((r) => r.status),
      [503, 0, 200],
    );
    assert.equal(server.requests.filter((r) => r.path.includes('noarch')).length, 2);
  });

  test('a server that keeps failing is unreachable after the configured attempts', async () => {
    const server = await serve({ files });
    server.failNext('/ch/linux-64/repodata.json', 502, 10);
    const error = await fetch([channel(`${server.url}/ch`)], freshCache(), { preferZst: false }).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.exitCode, 1);
    assert.equal(error.status, 502);
    assert.match(error.message, /HTTP 502 after 3 attempts/);
    assert.equal(server.requests.filter((r) => r.path === '/ch/linux-64/repodata.json').length, 3);
  });

  test('a closed port is unreachable', async () => {
    const server = await serve({ files });
    const url = server.url;
    await server.close();
    const error = await fetch([channel(`${url}/ch`)], freshCache()).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /ECONNREFUSED/);
  });
});

describe('errors', () => {
  test('malformed JSON names the URL and the cache file', async () => {
    const server = await serve({ files: { '/bad/linux-64/repodata.json': '{"packages": {"a-1-0.tar.bz2": ' } });
    const cacheDir = freshCache();
    const error = await fetch([channel(`${server.url}/bad`)], cacheDir).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, new RegExp(`${server.url}/bad/linux-64/repodata.json is not usable: it is not valid JSON`));
    assert.ok(error.cachePath?.startsWith(join(cacheDir, 'repodata')));
    assert.ok(error.message.includes(error.cachePath!));
    assert.match(error.message, /nothing was written to the cache/);
    assert.deepEqual(readdirSync(join(cacheDir, 'repodata')).filter((f) => f.includes(basename(error.cachePath!).slice(0, 32))), [], 'the entry is not left in the cache');
  });

  test('a refused token is an unauthorized error without the token', async () => {
    const server = await serve({ files: { '/ch/noarch/repodata.json': repodata({}) }, token: 'right-token' });
    const error = await fetch([channel(`${server.url}/t/wrong-token/ch`)], freshCache()).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.exitCode, 2);
    assert.doesNotMatch(error.message, /wrong-token/);
    assert.match(error.message, /token/);
  });
});

describe('credentials', () => {
  test('tokens reach the server but never the cache file names or state files', async () => {
    const token = 'tk-0123456789-SECRET';
    const server = await serve({ files: { '/private/linux-64/repodata.json': repodata({ 'a-1.0-0.tar.bz2': rec('a') }) }, token, zstd: true });
    const cacheDir = freshCache();
    const ch = channel(`${server.url}/t/${token}/private`);
    const [linux] = await fetch([ch], cacheDir);
    assert.equal(linux!.packages.count, 1);
    assert.ok(server.requests.every((r) => r.path.startsWith(`/t/${token}/`)));
    const files = readdirSync(join(cacheDir, 'repodata'));
    assert.ok(files.length >= 2);
    for (const f of files) {
      assert.ok(!f.includes(token), f);
      assert.ok(!readFileSync(join(cacheDir, 'repodata', f), 'utf8').includes(token), `${f} holds the token`);
    }
    const state = JSON.parse(readFileSync(linux!.origin.cachePath!.replace(/\.json(\.zst)?$/, '.state.json'), 'utf8')) as RepodataCacheState;
    assert.equal(state.url, `${server.url}/t/<TOKEN>/private/linux-64/repodata.json.zst`);
    assert.equal(linux!.url, `${server.url}/t/<TOKEN>/private/linux-64/`);
  });

  test('user:password in the URL is sent as basic auth', async () => {
    const server = await serve({ files: { '/ch/noarch/repodata.json': repodata({ 'a-1.0-0.tar.bz2': rec('a') }) }, basicAuth: { user: 'me', password: 'p@ss' } });
    const url = server.url.replace('http://', 'http://me:p%40ss@');
    const [, noarch] = await fetch([channel(`${url}/ch`)], freshCache());
    assert.equal(noarch!.packages.count, 1);
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Basic ' + Buffer.from('me:p@ss').toString('base64'));
  });
});

describe('local channels', { skip: noFixtures }, () => {
  test('file:// channels are read from disk, online or offline', async () => {
    for (const offline of [false, true]) {
      const [linux, noarch] = await fetch([channel(join(RATTLER, 'dummy'))], freshCache(), { offline });
      assert.equal(linux!.origin.kind, 'local');
      assert.equal(linux!.packages.count, packagesOf(join(RATTLER, 'dummy/linux-64/repodata.json')));
      assert.equal(noarch!.origin.kind, 'missing');
    }
    const error = await fetch([channel(join(temp, 'no-such-folder'))], freshCache()).catch((e: unknown) => e);
    assert.ok(error instanceof ChannelError);
    assert.equal(error.kind, 'not-found');
    assert.match(error.message, /does not exist/);
  });

  test('a fetch from local channels only does not load undici (no dispatcher is made)', () => {
    const core = (path: string) => JSON.stringify(new URL(`../../core/channel/${path}`, import.meta.url).href);
    const script = (url: string) => `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const { fetchRepodata, openFetchSession } = await import(${core('fetch.ts')});
      const { resolveChannels } = await import(${core('resolve.ts')});
      const channels = resolveChannels({ channels: [${JSON.stringify(url)}], overrideChannels: true, platform: 'linux-64', env: {}, home: ${JSON.stringify(temp)}, systemDirs: [] }).channels;
      if (channels[0].baseUrl.startsWith('file:')) {
        for (const offline of [false, true]) await fetchRepodata(channels, { cacheDir: ${JSON.stringify(freshCache())}, offline, env: {} });
      } else {
        await (await openFetchSession(channels, { cacheDir: ${JSON.stringify(freshCache())}, env: {} })).close();
      }
      process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(k))));`;
    const local = spawnSync(process.execPath, ['--input-type=module', '-e', script(pathToFileURL(join(RATTLER, 'dummy')).href)], { encoding: 'utf8' });
    assert.equal(local.status, 0, local.stderr);
    assert.deepEqual(JSON.parse(local.stdout), []);
    // the control: a session for an HTTP channel makes its dispatcher (no request is sent), and the probe sees undici
    const http = spawnSync(process.execPath, ['--input-type=module', '-e', script('http://127.0.0.1:9/ch')], { encoding: 'utf8' });
    assert.equal(http.status, 0, http.stderr);
    assert.notDeepEqual(JSON.parse(http.stdout), []);
  });
});

describe('progress and tracing', () => {
  test('progress events and a span per subdir with counters', async () => {
    const big = repodata(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}-1.0-0.tar.bz2`, rec(`p${i}`)])));
    const server = await serve({ files: { '/ch/linux-64/repodata.json': big, '/ch/noarch/repodata.json': repodata({}) } });
    const cacheDir = freshCache();
    const ch = channel(`${server.url}/ch`);
    const events: FetchProgress[] = [];
    const tracer = new Tracer();
    await fetch([ch], cacheDir, { onProgress: (e) => events.push(e), tracer, preferZst: false });
    const linux = events.filter((e) => e.subdir === 'linux-64');
    assert.deepEqual(linux.map((e) => e.phase), ['start', 'downloading', 'done']);
    assert.equal(linux[1]!.bytes, Buffer.byteLength(big));
    assert.equal(linux[1]!.total, Buffer.byteLength(big));
    assert.equal(linux[2]!.channel, ch.name);

    events.length = 0;
    await fetch([ch], cacheDir, { onProgress: (e) => events.push(e), tracer, preferZst: false });
    assert.deepEqual(events.filter((e) => e.subdir === 'linux-64').map((e) => e.phase), ['start', 'cached', 'done']);

    const doc = tracer.toJSON();
    const spans = doc.spans.filter((s) => s.name === 'fetch.subdir');
    assert.equal(spans.length, 4);
    assert.deepEqual(
      spans.map((s) => [s.attributes.subdir, s.attributes.origin, s.attributes.cached]),
      [
        ['linux-64', 'downloaded', false],
        ['noarch', 'downloaded', false],
        ['linux-64', 'not-modified', true],
        ['noarch', 'not-modified', true],
      ],
    );
    assert.equal(spans[0]!.attributes.channel, ch.name);
    assert.equal(doc.counters['repodata.cache.hits'], 2);
    assert.equal(doc.counters['repodata.downloads'], 2);
    assert.ok(doc.counters['download.bytes']! >= Buffer.byteLength(big));
    assert.equal(doc.spans.filter((s) => s.name === 'fetch').length, 2);
  });

  test('a cached subdir is not scanned again: its stored table is read, and a damaged or stale table is replaced', async () => {
    const body = repodata({ 'a-1.0-0.tar.bz2': rec('a'), 'b-1.0-0.tar.bz2': rec('b') });
    const server = await serve({ files: { '/ch/linux-64/repodata.json': body, '/ch/noarch/repodata.json': repodata({}) } });
    const cacheDir = freshCache();
    const ch = channel(`${server.url}/ch`);
    const scans = async () => {
      const tracer = new Tracer();
      const [linux] = await fetch([ch], cacheDir, { tracer, preferZst: false });
      const names = tracer.toJSON().spans.map((s) => s.name);
      return { scanned: names.filter((n) => n === 'repodata.scan').length, read: names.filter((n) => n === 'repodata.table.read').length, a: linux!.packages.entriesOf('a') };
    };
    assert.deepEqual(await scans(), { scanned: 2, read: 0, a: [['a-1.0-0.tar.bz2', rec('a')]] });
    assert.deepEqual(await scans(), { scanned: 0, read: 2, a: [['a-1.0-0.tar.bz2', rec('a')]] });
    const tables = readdirSync(join(cacheDir, 'repodata')).filter((f) => f.endsWith('.table'));
    assert.equal(tables.length, 2);
    for (const t of tables) writeFileSync(join(cacheDir, 'repodata', t), 'damaged');
    assert.deepEqual(await scans(), { scanned: 2, read: 2, a: [['a-1.0-0.tar.bz2', rec('a')]] });
    assert.deepEqual(await scans(), { scanned: 0, read: 2, a: [['a-1.0-0.tar.bz2', rec('a')]] }, 'the table was written again');
  });
});

describe('network settings', () => {
  test('requests go through the proxy, except for NO_PROXY hosts', async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(repodata({ 'a-1.0-0.tar.bz2': rec('a') }));
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    after(() => new Promise<void>((ok) => proxy.close(() => ok())));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const [linux] = await fetch([channel('http://conda.example.invalid/ch')], freshCache(), { network: { sslVerify: true, httpProxy: proxyUrl }, preferZst: false });
    assert.equal(linux!.packages.count, 1);
    assert.deepEqual(seen.sort(), ['http://conda.example.invalid/ch/linux-64/repodata.json', 'http://conda.example.invalid/ch/noarch/repodata.json']);

    const direct = await serve({ files: { '/ch/noarch/repodata.json': repodata({}) } });
    seen.length = 0;
    await fetch([channel(`${direct.url}/ch`)], freshCache(), { network: { sslVerify: true, httpProxy: proxyUrl, noProxy: '127.0.0.1' }, preferZst: false });
    assert.deepEqual(seen, []);
    assert.equal(direct.requests.length, 2);
  });

  test('a CA bundle that cannot be read is a configuration error naming it', async () => {
    await assert.rejects(
      fetch([channel('https://conda.example.invalid/ch')], freshCache(), { network: { sslVerify: true, caFile: join(temp, 'missing-ca.pem') } }),
      (e: unknown) => e instanceof SpecError && e.message.includes('missing-ca.pem'),
    );
  });
});
