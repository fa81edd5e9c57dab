// Sharded repodata (CEP 16): conda's own sharded fixture channel, discovery and the silent fallback
// to repodata.json (a missing index remembered for a day), the breadth-first walk across subdirs,
// the shard cache (a warm run asks only for the index, answered 304), refused shards (hash
// mismatch, missing on the server, not cached offline), timing spans and counters, and solves over
// shards giving what solves over full repodata give.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChannelError } from '../../core/channel/errors.ts';
import { fetchRepodata, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { resolveChannels } from '../../core/channel/resolve.ts';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { ShardCache } from '../../core/channel/shard-cache.ts';
import { decodeShard, decodeShardIndex, encodeShard } from '../../core/channel/shard-format.ts';
import { ShardPackages } from '../../core/channel/shard-packages.ts';
import { NO_SHARDS_RECHECK_MS } from '../../core/channel/shard-repodata-source.ts';
import { dependencyName } from '../../core/channel/shard-walk.ts';
import { solveEnvironment } from '../../core/solve/solve-environment.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { Tracer } from '../../core/timing/index.ts';
import { startChannelServer } from '../support/channel-server.ts';
import { shardRepodata } from '../support/sharded-repodata.ts';

const CHANNELS = new URL('../../../shared/fixtures/channels/', import.meta.url).pathname;
const FORMAT_REPO = join(CHANNELS, 'conda-format-repo');
const skip = existsSync(FORMAT_REPO) ? false : '../shared/fixtures is absent';
const FAST: FetchRepodataOptions = { env: {}, retry: { attempts: 1 } };

const tmp = mkdtempSync(join(tmpdir(), 'env-setup-shards-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let caches = 0;
const freshCache = () => join(tmp, `cache-${caches++}`);

function channelsAt(...urls: string[]) {
  return resolveChannels({ platform: 'linux-64', channels: urls, overrideChannels: true, env: {} }).channels;
}

/** A solve result with the server's address taken out, to compare results from two servers. */
const served = (result: unknown, server: { url: string }) => JSON.parse(JSON.stringify(result).replaceAll(server.url, 'SERVER'));

const fns = (s: SubdirRepodata | undefined) => s!.packages.all().map(([fn]) => fn).sort();

test('dependency names are read as MatchSpec reads them', () => {
  for (const spec of ['Python >=3.8', 'numpy>=1.2', 'libgcc-ng', 'foo 1.0 py_0', 'conda-forge::bar >=1', 'baz[version=">=1"]', 'pkgs/main/linux-64::qux 1.0', 'a.b_c-d ~=1.0', 'x==1.0', 'y!=2', '*']) {
    assert.equal(dependencyName(spec), MatchSpec.parse(spec).name.toLowerCase(), spec);
  }
});

test('shards round-trip: hashes as bytes become hex again, .conda hides .tar.bz2, removed entries drop', async () => {
  const rec = { name: 'a', version: '1', build: '0', sha256: 'ab'.repeat(32), md5: 'cd'.repeat(16) };
  const bytes = encodeShard({ 'a-1-0.tar.bz2': rec, 'a-2-0.tar.bz2': { ...rec, version: '2' } }, { 'a-1-0.conda': rec }, ['a-2-0.tar.bz2']);
  const shard = await decodeShard(bytes, 'a', 'test://a');
  assert.deepEqual(shard.packagesConda, [['a-1-0.conda', rec]]);
  const form = shardRepodata({ packages: { 'a-1-0.tar.bz2': rec } });
  const index = await decodeShardIndex(form.index, 'test://index');
  const packages = new ShardPackages(index, { baseUrl: 'http://x/', displayBaseUrl: 'http://x/' });
  assert.deepEqual(packages.entriesOf('a'), [], 'not fetched yet');
  assert.deepEqual(packages.missed(), ['a']);
  packages.add('a', shard);
  assert.deepEqual(packages.entriesOf('a'), [['a-1-0.conda', rec]]);
  assert.deepEqual(packages.missed(), []);
  await assert.rejects(decodeShardIndex(Buffer.from('not zstd'), 'test://index'), (e: unknown) => e instanceof ChannelError && e.kind === 'malformed' && /test:\/\/index is not valid zstd/.test(e.message));
});

test('shard indexes: the fast reader and the generic decoder agree; a bad hash is a clear error', async () => {
  const { encode } = await import('@msgpack/msgpack');
  const { zstdCompressSync } = await import('node:zlib');
  const { hexOf } = await import('../../core/channel/shard-format.ts');
  const hashes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`Pkg-${i}`, Buffer.alloc(32, i)]));
  const doc = { version: 1, info: { base_url: 'https://x/', extra: [1, { a: null }], created_at: '2024-01-01T00:00:00Z' }, shards: hashes };
  const index = await decodeShardIndex(zstdCompressSync(encode(doc)), 'test://index');
  assert.equal(index.shards.size, 40);
  assert.equal(hexOf(index.shards.get('pkg-7')!), '07'.repeat(32), 'names are lower-cased');
  assert.deepEqual(index.info, doc.info);
  // a shape the fast reader leaves to the generic decoder: {shards: {5: <32 bytes>}}, a number as a key
  const odd = Buffer.concat([Buffer.from([0x81, 0xa6]), Buffer.from('shards'), Buffer.from([0x81, 0x05, 0xc4, 0x20]), Buffer.alloc(32, 9)]);
  const oddIndex = await decodeShardIndex(zstdCompressSync(odd), 'test://index');
  assert.deepEqual([...oddIndex.shards.keys()], ['5']);
  assert.equal(hexOf(oddIndex.shards.get('5')!), '09'.repeat(32));
  const bad = zstdCompressSync(encode({ info: {}, shards: { a: 'not bytes' } }));
  await assert.rejects(decodeShardIndex(bad, 'test://index'), /the shard index test:\/\/index gives package a a shard hash that is not 32 bytes of sha256/);
});

test("conda's sharded fixture: the wanted names and their dependencies, then a warm run that asks only for the index (304)", { skip }, async () => {
  const server = await startChannelServer({ root: CHANNELS });
  try {
    const cacheDir = freshCache();
    const channels = channelsAt(`${server.url}/conda-format-repo`);
    const tracer = new Tracer();
    const [linux, noarch] = await fetchRepodata(channels, { ...FAST, cacheDir, names: ['zlib'], tracer });
    assert.ok(linux!.packages instanceof ShardPackages);
    assert.equal(linux!.origin.sharded, true);
    // zlib and what it depends on (libgcc-ng), with the same records repodata.json has
    const full = JSON.parse(readFileSync(join(FORMAT_REPO, 'linux-64/repodata.json'), 'utf8'));
    assert.deepEqual(linux!.packages.entriesOf('zlib'), [['zlib-1.2.11-h7b6447c_3.conda', full['packages.conda']['zlib-1.2.11-h7b6447c_3.conda']]]);
    assert.deepEqual(linux!.packages.entriesOf('libgcc-ng'), [['libgcc-ng-8.2.0-hdf63c60_1.tar.bz2', full.packages['libgcc-ng-8.2.0-hdf63c60_1.tar.bz2']]]);
    // noarch has no shard index: full repodata, silently
    assert.equal(noarch!.origin.sharded, undefined);
    assert.equal(noarch!.origin.kind, 'downloaded');
    const shardRequests = server.requests.filter((r) => /[0-9a-f]{64}\.msgpack\.zst$/.test(r.filePath));
    assert.equal(shardRequests.length, 2);
    const doc = tracer.toJSON();
    const names = new Set(doc.spans.map((s) => s.name));
    for (const span of ['shards.index', 'shards.walk', 'shards.index.decode']) assert.ok(names.has(span), span);
    assert.equal(doc.counters['shards.fetched'], 2);
    assert.equal(doc.counters['shards.cache.hits'], 0);
    assert.ok(doc.counters['shards.bytes']! > 0);
    const walk = doc.spans.find((s) => s.name === 'shards.walk')!;
    assert.equal(walk.attributes.fetched, 2);
    assert.equal(walk.attributes.depth, 1, 'zlib → libgcc-ng');

    server.clearLog();
    const warmTracer = new Tracer();
    const [again] = await fetchRepodata(channels, { ...FAST, cacheDir, names: ['zlib'], tracer: warmTracer });
    assert.deepEqual(fns(again), fns(linux));
    assert.equal(again!.origin.kind, 'not-modified');
    // the index is revalidated (304), shards come from the cache, and noarch's missing index is not asked for again
    // (the two subdirs are asked for at once: in either order)
    assert.deepEqual(server.requests.map((r) => `${r.status} ${r.filePath}`).sort(), ['304 /conda-format-repo/linux-64/repodata_shards.msgpack.zst', '304 /conda-format-repo/noarch/repodata.json']);
    assert.ok(server.requests.find((r) => r.filePath.endsWith('/repodata_shards.msgpack.zst'))!.headers['if-none-match']);
    assert.equal(warmTracer.toJSON().counters['shards.cache.hits'], 2);
    assert.equal(warmTracer.toJSON().counters['shards.fetched'], 0);

    // without names, everything is wanted: full repodata
    server.clearLog();
    const [whole] = await fetchRepodata(channels, { ...FAST, cacheDir });
    assert.equal(whole!.origin.sharded, undefined);
    assert.ok(!server.requests.some((r) => r.filePath.endsWith('.msgpack.zst')));
  } finally {
    await server.close();
  }
});

test('a channel without shards falls back to repodata.json; the missing index is remembered for a day', { skip }, async () => {
  const server = await startChannelServer({ root: join(CHANNELS, 'rattler') });
  try {
    const cacheDir = freshCache();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const options = { ...FAST, cacheDir, names: ['pytorch'], now: () => now };
    const channels = channelsAt(`${server.url}/pytorch`);
    const [linux] = await fetchRepodata(channels, options);
    assert.equal(linux!.origin.sharded, undefined);
    assert.ok(linux!.packages.count > 0);
    const asked = () => server.requests.filter((r) => r.filePath.endsWith('repodata_shards.msgpack.zst')).length;
    assert.equal(asked(), 2, 'linux-64 and noarch were asked for an index once');
    const states = readdirSync(join(cacheDir, 'repodata')).filter((f) => f.endsWith('.shards.state.json'));
    assert.equal(states.length, 2, 'the missing index is remembered in the cache');
    now += NO_SHARDS_RECHECK_MS - 60_000;
    await fetchRepodata(channels, options);
    assert.equal(asked(), 2, 'not asked again within a day');
    now += 120_000;
    await fetchRepodata(channels, options);
    assert.equal(asked(), 4, 'asked again after a day');
  } finally {
    await server.close();
  }
});

/** A two-subdir channel served sharded from memory: `a` (noarch) depends on `b` (linux-64), which constrains `c` and depends on `d`. */
function smallChannel() {
  const rec = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '1', build: '0', build_number: 0, depends: [], ...extra });
  const linux = {
    info: { subdir: 'linux-64' },
    packages: {},
    'packages.conda': {
      'b-1-0.conda': rec('b', { depends: ['d >=1'], constrains: ['c <2'] }),
      'c-1-0.conda': rec('c', { depends: ['e'] }),
      'd-1-0.conda': rec('d'),
      'e-1-0.conda': rec('e'),
      'unrelated-1-0.conda': rec('unrelated'),
    },
  };
  const noarch = { info: { subdir: 'noarch' }, packages: {}, 'packages.conda': { 'a-1-0.conda': rec('a', { depends: ['b'], subdir: 'noarch' }) } };
  return { '/ch/linux-64/repodata.json': JSON.stringify(linux), '/ch/noarch/repodata.json': JSON.stringify(noarch) };
}

test('the walk follows dependencies across subdirs, fetches names only constrained without following them', async () => {
  const server = await startChannelServer({ files: smallChannel(), shards: true });
  try {
    const [linux, noarch] = await fetchRepodata(channelsAt(`${server.url}/ch`), { ...FAST, cacheDir: freshCache(), names: ['a'] });
    assert.deepEqual(fns(noarch), ['a-1-0.conda']);
    assert.deepEqual(fns(linux), ['b-1-0.conda', 'c-1-0.conda', 'd-1-0.conda'], 'e (only a dependency of the constrained c) and unrelated are not fetched');
  } finally {
    await server.close();
  }
});

test('a shard whose bytes do not match its hash is refused; a missing shard names its package', async () => {
  const files = smallChannel();
  const server = await startChannelServer({ files, shards: true });
  try {
    const form = shardRepodata(JSON.parse(files['/ch/linux-64/repodata.json']));
    const bPath = `/ch/linux-64/${form.hashes.b}.msgpack.zst`;
    const channels = channelsAt(`${server.url}/ch`);
    server.failNext(bPath, { body: encodeShard({}, {}) });
    await assert.rejects(fetchRepodata(channels, { ...FAST, cacheDir: freshCache(), names: ['a'] }), (e: unknown) => {
      assert.ok(e instanceof ChannelError);
      assert.equal(e.kind, 'malformed');
      assert.match(e.message, /the shard of package b for linux-64 .* does not match its hash in the shard index .* refused/);
      return true;
    });
    server.failNext(bPath, 404);
    await assert.rejects(fetchRepodata(channels, { ...FAST, cacheDir: freshCache(), names: ['a'] }), /the shard of package b for linux-64 \(http:\/\/127\.0\.0\.1:\d+\/ch\/linux-64\/[0-9a-f]{64}\.msgpack\.zst\) is missing on the server \(HTTP 404\)/);
  } finally {
    await server.close();
  }
});

test('the shard cache: damaged shards are fetched again; offline, a shard not cached is an offline-miss naming the package', async () => {
  const server = await startChannelServer({ files: smallChannel(), shards: true });
  try {
    const cacheDir = freshCache();
    const channels = channelsAt(`${server.url}/ch`);
    await fetchRepodata(channels, { ...FAST, cacheDir, names: ['a'] });
    const cache = new ShardCache(join(cacheDir, 'repodata'));
    const form = shardRepodata(JSON.parse(smallChannel()['/ch/linux-64/repodata.json']));
    writeFileSync(cache.shardPath(form.hashes.d!), 'damaged');
    server.clearLog();
    const [linux] = await fetchRepodata(channels, { ...FAST, cacheDir, names: ['a'] });
    assert.deepEqual(fns(linux), ['b-1-0.conda', 'c-1-0.conda', 'd-1-0.conda']);
    assert.deepEqual(server.requests.filter((r) => r.filePath.endsWith(`${form.hashes.d}.msgpack.zst`)).length, 1, 'the damaged shard was downloaded again');

    const offline = await fetchRepodata(channels, { ...FAST, cacheDir, names: ['a'], offline: true });
    assert.deepEqual(fns(offline[0]), fns(linux));
    await assert.rejects(fetchRepodata(channels, { ...FAST, cacheDir, names: ['unrelated'], offline: true }), (e: unknown) => e instanceof ChannelError && e.kind === 'offline-miss' && /the shard of package unrelated/.test(e.message));
  } finally {
    await server.close();
  }
});

test('solveEnvironment over shards gives what it gives over full repodata', { skip }, async () => {
  const sharded = await startChannelServer({ root: CHANNELS, shards: true });
  const full = await startChannelServer({ root: CHANNELS });
  try {
    const env = { CONDARC: '', CONDA_OVERRIDE_GLIBC: '2.28', CONDA_OVERRIDE_CUDA: '' };
    for (const [channel, specs] of [['rattler/dummy', ['foo']], ['rattler/dummy', ['foobar', 'xbar']], ['conda-format-repo', ['zlib']]] as const) {
      const solve = async (url: string, tracer?: Tracer) =>
        solveEnvironment({ specs: specs.map((s) => MatchSpec.parse(s)), channels: [`${url}/${channel}`], overrideChannels: true, platform: 'linux-64', cacheDir: freshCache(), env, tracer });
      const tracer = new Tracer();
      const overShards = await solve(sharded.url, tracer);
      const overFull = await solve(full.url);
      assert.ok(overShards.ok && overFull.ok, `${channel}: ${!overFull.ok && overFull.explanation.text}`);
      assert.deepEqual(served(overShards.packages, sharded), served(overFull.packages, full), channel);
      assert.equal(overShards.stats.recordsRead, overFull.stats.recordsRead, `${channel}: the same records were read`);
      assert.ok((tracer.toJSON().counters['shards.fetched'] ?? 0) > 0, `${channel} was solved from shards`);
    }
  } finally {
    await sharded.close();
    await full.close();
  }
});

test('a solve that needs feature trackers fetches the shards it had not reached, then solves again', async () => {
  const rec = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '1', build: '0', build_number: 0, depends: [], ...extra });
  const linux = {
    info: { subdir: 'linux-64' },
    'packages.conda': {
      'x-1-0.conda': rec('x', { features: 'fast' }),
      'x-1-1.conda': rec('x', { build: '1', build_number: 1 }),
      'fast-tracker-1-0.conda': rec('fast-tracker', { track_features: 'fast' }),
      'other-1-0.conda': rec('other'),
    },
  };
  const files = { '/f/linux-64/repodata.json': JSON.stringify(linux), '/f/noarch/repodata.json': '{}' };
  const sharded = await startChannelServer({ files, shards: true });
  const full = await startChannelServer({ files });
  try {
    const solve = (url: string, specs: string[], tracer?: Tracer) =>
      solveEnvironment({ specs: specs.map((s) => MatchSpec.parse(s)), channels: [`${url}/f`], overrideChannels: true, platform: 'linux-64', cacheDir: freshCache(), env: { CONDARC: '' }, tracer });
    for (const specs of [['x'], ['x[build=0]']]) {
      const tracer = new Tracer();
      const overShards = await solve(sharded.url, specs, tracer);
      const overFull = await solve(full.url, specs);
      assert.ok(overShards.ok && overFull.ok, specs.join(' '));
      assert.deepEqual(served(overShards.packages, sharded), served(overFull.packages, full), specs.join(' '));
      const more = tracer.toJSON().spans.filter((s) => s.name === 'shards.more');
      assert.equal(more.length, specs[0] === 'x' ? 0 : 1, `${specs.join(' ')}: shards fetched after a first solve`);
    }
  } finally {
    await sharded.close();
    await full.close();
  }
});

test("the index's base_url (absolute, or relative to the index) places the packages; shards_base_url places the shards; the token stays out of results", async () => {
  const channel = smallChannel();
  const files: Record<string, string | Uint8Array> = {};
  // linux-64: shards in another folder, packages on a relative path; noarch: packages on another host
  const where = {
    'linux-64': { base_url: '../../pkgs/linux-64', shards_base_url: '../../shards/linux-64/', shardDir: '/shards/linux-64' },
    noarch: { base_url: 'https://mirror.example/ch/noarch/', shards_base_url: '', shardDir: '/ch/noarch' },
  } as const;
  for (const subdir of ['linux-64', 'noarch'] as const) {
    const { shardDir, ...info } = where[subdir];
    const form = shardRepodata(JSON.parse(channel[`/ch/${subdir}/repodata.json`]), info);
    files[`/ch/${subdir}/repodata_shards.msgpack.zst`] = form.index;
    for (const [hash, bytes] of form.shards) files[`${shardDir}/${hash}.msgpack.zst`] = bytes;
  }
  const server = await startChannelServer({ files, token: 'sekrit-123' });
  try {
    const result = await solveEnvironment({
      specs: [MatchSpec.parse('a')],
      channels: [`${server.url}/t/sekrit-123/ch`],
      overrideChannels: true,
      platform: 'linux-64',
      cacheDir: freshCache(),
      env: { CONDARC: '' },
    });
    assert.ok(result.ok, !result.ok ? result.explanation.text : '');
    const urls = Object.fromEntries(result.packages.map((p) => [p.name, p.url]));
    assert.deepEqual(urls, {
      a: 'https://mirror.example/ch/noarch/a-1-0.conda',
      b: `${server.url}/t/<TOKEN>/pkgs/linux-64/b-1-0.conda`,
      d: `${server.url}/t/<TOKEN>/pkgs/linux-64/d-1-0.conda`,
    });
    assert.ok(server.requests.some((r) => r.filePath.startsWith('/shards/linux-64/')), 'linux-64 shards came from shards_base_url');
    assert.ok(!server.requests.some((r) => r.status === 404), server.requests.map((r) => `${r.status} ${r.filePath}`).join('\n'));
  } finally {
    await server.close();
  }
});

test("an updated index: the cached shards of walked names it moved to a new hash are deleted, the others kept", async () => {
  const files = smallChannel();
  const server = await startChannelServer({ files, shards: true });
  try {
    const cacheDir = freshCache();
    const channels = channelsAt(`${server.url}/ch`);
    const cache = new ShardCache(join(cacheDir, 'repodata'));
    const before = shardRepodata(JSON.parse(files['/ch/linux-64/repodata.json'])).hashes;
    await fetchRepodata(channels, { ...FAST, cacheDir, names: ['a'] });
    for (const name of ['b', 'c', 'd']) assert.ok(existsSync(cache.shardPath(before[name]!)), name);

    // the channel publishes a new build of d: d's shard, and so the index, change
    const linux = JSON.parse(files['/ch/linux-64/repodata.json']);
    linux['packages.conda']['d-1-1.conda'] = { ...linux['packages.conda']['d-1-0.conda'], build: '1', build_number: 1 };
    files['/ch/linux-64/repodata.json'] = JSON.stringify(linux);
    const after = shardRepodata(linux).hashes;
    assert.notEqual(after.d, before.d);
    const tracer = new Tracer();
    const [again] = await fetchRepodata(channels, { ...FAST, cacheDir, names: ['a'], tracer });
    assert.deepEqual(fns(again), ['b-1-0.conda', 'c-1-0.conda', 'd-1-0.conda', 'd-1-1.conda']);
    assert.ok(!existsSync(cache.shardPath(before.d!)), "d's old shard is deleted");
    assert.ok(existsSync(cache.shardPath(after.d!)), "d's new shard is cached");
    for (const name of ['b', 'c']) assert.ok(existsSync(cache.shardPath(before[name]!)), `${name}'s shard did not move and is kept`);
    assert.equal(tracer.toJSON().spans.find((s) => s.name === 'shards.walk')!.attributes.pruned, 1);
  } finally {
    await server.close();
  }
});

test('the shard index table finds every name as a Map would: short names, shared ends, case, a name given twice', async () => {
  const { encode } = await import('@msgpack/msgpack');
  const { zstdCompressSync } = await import('node:zlib');
  const { hexOf } = await import('../../core/channel/shard-format.ts');
  const names = ['a', 'r', 'xz', 'py', 'abc', 'Abc-Dev'];
  for (let i = 0; i < 3000; i++) names.push(`lib${i}-ng`, `r-${i}`, `python-${'x'.repeat(i % 40)}-${i}`);
  names.push('a'.repeat(200), 'ABC');
  // msgpack of a map with 'abc' and 'ABC' as two keys: the later one wins after lower-casing, as in a Map
  const hashes = Object.fromEntries(names.map((n, i) => [n, Buffer.alloc(32, i % 251)]));
  const index = await decodeShardIndex(zstdCompressSync(encode({ info: {}, shards: hashes })), 'test://index');
  const expected = new Map<string, string>();
  for (const [n, h] of Object.entries(hashes)) expected.set(n.toLowerCase(), hexOf(h));
  assert.equal(index.shards.size, expected.size);
  for (const [n, h] of expected) assert.equal(hexOf(index.shards.get(n)!), h, n);
  assert.deepEqual([...index.shards.keys()], [...expected.keys()]);
  for (const absent of ['b', 'lib3000-ng', 'python', 'ab', '']) assert.equal(index.shards.has(absent), false, absent);
});
