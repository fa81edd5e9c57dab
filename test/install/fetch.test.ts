// fetchPackages against real packages served from ../shared/fixtures over 127.0.0.1: conda's cache
// layout (archive, extracted folder, repodata_record.json, urls.txt), reuse of what the cache holds
// (and its content check: the stamp of a verified extraction, sha256 of unstamped or touched files),
// verification modes, a checksum mismatch retried once then refused, retries of 5xx answers, Range
// resume after a dropped connection (and a restart when the server has no Range support), offline
// runs, bounded concurrency, timing spans and progress events; and a cached package checked while
// it is linked (`checkWhileLinking`: the transaction's 'cache-changed', installPackages' second try).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readCacheIndex } from '../../core/install/cache-index.ts';
import { InstallError } from '../../core/install/errors.ts';
import { STAMP_FILE } from '../../core/install/package-stamp.ts';
import { fetchPackages, type FetchPackagesOptions, type FetchRecord } from '../../core/install/fetch-packages.ts';
import { installPackages } from '../../core/install/install-packages.ts';
import { resolvePkgsDir } from '../../core/install/pkgs-dir.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import type { InstallProgress } from '../../core/install/progress.ts';
import type { SolvedPackage } from '../../core/solve/solve-environment.ts';
import type { PackageRecord } from '../../core/spec/record.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { startChannelServer, type ChannelServer } from '../support/channel-server.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const RECIPES = join(FIXTURES, 'conda-test-recipes');
const noFixtures = existsSync(join(RECIPES, 'noarch/repodata.json')) ? false : `conda fixtures not found in ${FIXTURES} (../shared is absent)`;
const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

interface RepodataEntry {
  name: string;
  version: string;
  build: string;
  md5: string;
  sha256: string;
  size: number;
  [key: string]: unknown;
}

function channelRecords(server: ChannelServer, names?: string[]): (FetchRecord & RepodataEntry & { fn: string; url: string })[] {
  const repodata = JSON.parse(readFileSync(join(RECIPES, 'noarch/repodata.json'), 'utf8')) as { 'packages.conda': Record<string, RepodataEntry> };
  return Object.entries(repodata['packages.conda'])
    .filter(([fn]) => names === undefined || names.some((n) => fn.startsWith(n)))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([fn, r]) => ({ ...r, fn, url: `${server.url}/noarch/${fn}`, channel: 'test-recipes', subdir: 'noarch' }));
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const gets = (server: ChannelServer, fn?: string) => server.requests.filter((r) => r.method === 'GET' && (fn === undefined || r.filePath.endsWith(`/${fn}`)));

describe('fetchPackages', { skip: noFixtures }, () => {
  let server: ChannelServer;
  let work: string;
  let pkgsDir: string;
  const options = (extra: FetchPackagesOptions = {}): FetchPackagesOptions => ({ pkgsDir, retry: FAST_RETRY, ...extra });

  before(async () => {
    server = await startChannelServer({ root: RECIPES, ranges: true });
    work = await mkdtemp(join(tmpdir(), 'env-setup-fetch-'));
  });
  after(async () => {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    pkgsDir = await mkdtemp(join(work, 'pkgs-'));
    server.clearLog();
  });

  it('downloads, verifies and extracts into conda\'s package cache layout', async () => {
    const records = channelRecords(server, ['dependency-', 'dependent-', 'small-executable']);
    const tracer = new Tracer();
    const events: InstallProgress[] = [];
    const fetched = await fetchPackages(records, options({ tracer, onProgress: (e) => events.push(e) }));

    assert.deepEqual(fetched.map((p) => p.fn), records.map((r) => r.fn));
    for (const [i, p] of fetched.entries()) {
      const r = records[i]!;
      assert.equal(p.source, 'download');
      assert.equal(p.dir, join(pkgsDir, r.fn.slice(0, -'.conda'.length)));
      assert.equal(p.archive, join(pkgsDir, r.fn));
      assert.equal(sha256(await readFile(p.archive!)), r.sha256);
      assert.equal(p.downloadedBytes, r.size);
      const text = await readFile(join(p.dir, 'info/repodata_record.json'), 'utf8');
      const record = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record), Object.keys(record).sort(), 'keys sorted as conda writes them');
      assert.ok(text.startsWith('{\n  "'), 'two-space indent');
      assert.deepEqual(p.record, record);
      assert.equal(record.fn, r.fn);
      assert.equal(record.url, r.url);
      assert.equal(record.channel, `${server.url}/noarch`);
      assert.equal(record.sha256, r.sha256);
      assert.equal(record.md5, r.md5);
      assert.equal(record.size, r.size);
      assert.equal(record.name, r.name);
      assert.deepEqual(record.depends, r.depends);
    }
    assert.ok(existsSync(join(fetched.at(-1)!.dir, 'bin/small')));
    const urls = (await readFile(join(pkgsDir, 'urls.txt'), 'utf8')).trim().split('\n').sort();
    assert.deepEqual(urls, records.map((r) => r.url).sort());
    assert.deepEqual((await readCacheIndex(pkgsDir)).map((e) => [e.fn, e.extracted, e.archive, e.sha256]), records.map((r) => [r.fn, true, true, r.sha256]));
    assert.deepEqual(await readdir(join(pkgsDir, '.env-setup/tmp')), [], 'no extraction left behind');
    assert.deepEqual(await readdir(join(pkgsDir, '.env-setup/partial')), [], 'no partial download left behind');
    assert.deepEqual((await readdir(join(pkgsDir, '.env-setup/locks'))).filter((n) => n.endsWith('.lock')), [], 'every lock released');

    const doc = tracer.toJSON();
    const names = new Set(doc.spans.map((s) => s.name));
    for (const name of ['install.fetch', 'install.package', 'install.lock', 'install.download', 'install.verify', 'install.extract']) assert.ok(names.has(name), name);
    assert.equal(doc.counters['install.downloads'], records.length);
    assert.equal(doc.counters['install.download.bytes'], records.reduce((s, r) => s + r.size, 0));
    assert.ok(doc.spans.filter((s) => s.name === 'install.extract').every((s) => typeof s.attributes.files === 'number'));

    assert.deepEqual(events[0], { type: 'plan', packages: records.length, cached: 0, toDownload: records.length, downloadBytes: records.reduce((s, r) => s + r.size, 0) });
    assert.equal(events.at(-1)!.type, 'finish');
    for (const type of ['download-start', 'download-progress', 'download-done', 'extract-start', 'extract-done', 'ready']) assert.ok(events.some((e) => e.type === type), type);
  });

  it('reuses an intact extracted package without touching the network', async () => {
    const records = channelRecords(server, ['dependency-']);
    await fetchPackages(records, options());
    server.clearLog();
    const again = await fetchPackages(records, options({ verify: 'md5' }));
    assert.deepEqual(again.map((p) => p.source), ['extracted-cache', 'extracted-cache']);
    assert.equal(server.requests.length, 0);
  });

  it('extracts again from the cached archive when a listed file is missing, without downloading', async () => {
    const [record] = channelRecords(server, ['small-executable']);
    const [first] = await fetchPackages([record!], options());
    await unlink(join(first!.dir, 'bin/small'));
    server.clearLog();
    const [reused] = await fetchPackages([record!], options({ cacheCheck: 'record' }));
    assert.equal(reused!.source, 'extracted-cache', "'record' trusts repodata_record.json, as conda does");
    const [fixed] = await fetchPackages([record!], options());
    assert.equal(fixed!.source, 'archive-cache');
    assert.ok(existsSync(join(fixed!.dir, 'bin/small')));
    assert.equal(server.requests.length, 0);
  });

  it('a cached file changed in place at the same size is caught by the stamp and extracted again', async () => {
    const [record] = channelRecords(server, ['small-executable']);
    const [first] = await fetchPackages([record!], options());
    assert.ok(existsSync(join(first!.dir, STAMP_FILE)), 'a folder extracted from a verified archive is stamped');
    const file = join(first!.dir, 'bin/small');
    const original = await readFile(file);
    await writeFile(file, Buffer.alloc(original.length, 0x41)); // same size, same inode, a new mtime
    server.clearLog();
    const [fixed] = await fetchPackages([record!], options());
    assert.equal(fixed!.source, 'archive-cache');
    assert.deepEqual(await readFile(join(fixed!.dir, 'bin/small')), original);
    assert.equal(server.requests.length, 0);
  });

  it('a folder without a stamp (as conda leaves it) is hashed once: a same-size corruption is caught, an intact one is stamped', async () => {
    const [record] = channelRecords(server, ['small-executable']);
    const [first] = await fetchPackages([record!], options());
    const file = join(first!.dir, 'bin/small');
    const original = await readFile(file);
    const { mtime } = statSync(file);
    await rm(join(first!.dir, STAMP_FILE));
    await writeFile(file, Buffer.alloc(original.length, 0x42));
    utimesSync(file, mtime, mtime); // even the mtime as before: without a stamp, the content decides
    const [fixed] = await fetchPackages([record!], options());
    assert.equal(fixed!.source, 'archive-cache');
    assert.deepEqual(await readFile(file), original);

    await rm(join(first!.dir, STAMP_FILE));
    const [reused] = await fetchPackages([record!], options());
    assert.equal(reused!.source, 'extracted-cache', 'intact files hash right');
    assert.ok(existsSync(join(first!.dir, STAMP_FILE)), 'and the folder is stamped for next time');
  });

  it('a touched file with the same content is hashed, reused and stamped anew; verify=size leaves the folder unstamped', async () => {
    const [record] = channelRecords(server, ['small-executable']);
    const [first] = await fetchPackages([record!], options());
    const stampBefore = await readFile(join(first!.dir, STAMP_FILE));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(first!.dir, 'bin/small'), later, later);
    const [reused] = await fetchPackages([record!], options());
    assert.equal(reused!.source, 'extracted-cache');
    assert.notDeepEqual(await readFile(join(first!.dir, STAMP_FILE)), stampBefore, 'the stamp follows the new mtime');

    const sizeOnly = await mkdtemp(join(work, 'size-'));
    const [unverified] = await fetchPackages([record!], options({ pkgsDir: sizeOnly, verify: 'size' }));
    assert.equal(existsSync(join(unverified!.dir, STAMP_FILE)), false, 'an archive checked by size alone does not vouch for the content');
  });

  it('downloads again when the cached archive is damaged', async () => {
    const [record] = channelRecords(server, ['versioned-1.0']);
    const [first] = await fetchPackages([record!], options());
    await rm(first!.dir, { recursive: true });
    await writeFile(first!.archive!, 'damaged');
    server.clearLog();
    const [again] = await fetchPackages([record!], options());
    assert.equal(again!.source, 'download');
    assert.equal(gets(server).length, 1);
    assert.equal(sha256(await readFile(again!.archive!)), record!.sha256);
  });

  it('a checksum mismatch deletes the file, downloads once more, then fails naming package, expected and actual hash', async () => {
    const [good] = channelRecords(server, ['versioned-2.0']);
    const wrong = Buffer.from(readFileSync(join(RECIPES, 'noarch/versioned-1.0-0.conda')));
    const record = { ...good!, size: wrong.length };
    server.failNext(`/noarch/${good!.fn}`, { body: wrong }, 2);
    await assert.rejects(fetchPackages([record], options()), (error: unknown) => {
      assert.ok(error instanceof InstallError);
      assert.equal(error.kind, 'checksum');
      assert.equal(error.package, good!.fn);
      assert.equal(error.expected, good!.sha256);
      assert.equal(error.actual, sha256(wrong));
      assert.match(error.message, new RegExp(`^${good!.fn}: sha256 mismatch: expected ${good!.sha256}, got ${sha256(wrong)} \\(downloaded twice from http://127\\.0\\.0\\.1:\\d+/noarch/${good!.fn}; the file was deleted\\)$`));
      assert.equal(error.exitCode, 1);
      return true;
    });
    assert.equal(gets(server, good!.fn).length, 2);
    assert.ok(!existsSync(join(pkgsDir, good!.fn)), 'no archive kept');
    assert.ok(!existsSync(join(pkgsDir, good!.fn.slice(0, -6))), 'no folder extracted');
    assert.deepEqual(await readdir(join(pkgsDir, '.env-setup/partial')), []);
  });

  it('a mismatch that does not repeat costs one more download', async () => {
    const [good] = channelRecords(server, ['versioned-2.0']);
    server.failNext(`/noarch/${good!.fn}`, { body: Buffer.alloc(good!.size, 1) });
    const events: InstallProgress[] = [];
    const [p] = await fetchPackages([good!], options({ onProgress: (e) => events.push(e) }));
    assert.equal(p!.source, 'download');
    assert.equal(gets(server, good!.fn).length, 2);
    assert.ok(events.some((e) => e.type === 'download-retry' && /sha256 mismatch/.test(e.reason)));
  });

  it('verification modes: md5 checks the md5, size only the size', async () => {
    const [good] = channelRecords(server, ['track_feature-1.0']);
    const badSha = { ...good!, sha256: '0'.repeat(64) };
    await assert.rejects(fetchPackages([badSha], options()), { kind: 'checksum' });
    const [byMd5] = await fetchPackages([badSha], options({ pkgsDir: await mkdtemp(join(work, 'md5-')), verify: 'md5' }));
    assert.equal(byMd5!.source, 'download');
    const badBoth = { ...good!, sha256: '0'.repeat(64), md5: '0'.repeat(32) };
    await assert.rejects(fetchPackages([badBoth], options({ pkgsDir: await mkdtemp(join(work, 'md5b-')), verify: 'md5' })), (e: InstallError) => e.kind === 'checksum' && /md5 mismatch/.test(e.message));
    const [bySize] = await fetchPackages([badBoth], options({ pkgsDir: await mkdtemp(join(work, 'size-')), verify: 'size' }));
    assert.equal(bySize!.source, 'download');
    await assert.rejects(
      fetchPackages([{ ...good!, size: good!.size + 10 }], options({ pkgsDir: await mkdtemp(join(work, 'size2-')), verify: 'size' })),
      (e: InstallError) => e.kind === 'size' && e.message.includes(`expected ${good!.size + 10} bytes, got ${good!.size} bytes`),
    );
    await assert.rejects(
      fetchPackages([{ ...good!, size: good!.size - 10 }], options({ pkgsDir: await mkdtemp(join(work, 'size3-')) })),
      (e: InstallError) => e.kind === 'size' && /larger than the \d+ bytes of its record/.test(e.message),
    );
  });

  it('a record without hashes gets the computed ones in repodata_record.json', async () => {
    const [good] = channelRecords(server, ['track_feature-2.0']);
    const [p] = await fetchPackages([{ url: good!.url }], options());
    assert.equal(p!.record.sha256, good!.sha256);
    assert.equal(p!.record.md5, good!.md5);
    assert.equal(p!.record.size, good!.size);
    assert.equal(p!.record.name, 'track_feature', 'filled from info/index.json');
  });

  it('resumes a dropped download with Range', async () => {
    const [record] = channelRecords(server, ['post_link_run_in_env']);
    server.failNext(`/noarch/${record!.fn}`, { truncateAfter: 2000 });
    const tracer = new Tracer();
    const [p] = await fetchPackages([record!], options({ tracer }));
    const [first, second] = gets(server, record!.fn);
    assert.equal(first!.headers.range, undefined);
    assert.equal(second!.headers.range, 'bytes=2000-');
    assert.ok(second!.headers['if-range'], 'guarded by If-Range');
    assert.equal(second!.status, 206);
    assert.equal(sha256(await readFile(p!.archive!)), record!.sha256);
    const download = tracer.toJSON().spans.find((s) => s.name === 'install.download')!;
    assert.equal(download.attributes.attempts, 2);
  });

  it('starts over when the server ignores Range, and resumes what an earlier run left', async () => {
    const plain = await startChannelServer({ root: RECIPES });
    try {
      const [record] = channelRecords(plain, ['post_link_run_in_env']);
      plain.failNext(`/noarch/${record!.fn}`, { truncateAfter: 2000 });
      const [p] = await fetchPackages([record!], options());
      const [, second] = gets(plain, record!.fn);
      assert.equal(second!.status, 200);
      assert.equal(sha256(await readFile(p!.archive!)), record!.sha256);
    } finally {
      await plain.close();
    }
    // a partial file from an interrupted run, with its validators
    const [record] = channelRecords(server, ['activate_deactivate']);
    const bytes = readFileSync(join(RECIPES, 'noarch', record!.fn));
    await mkdir(join(pkgsDir, '.env-setup/partial'), { recursive: true });
    await writeFile(join(pkgsDir, '.env-setup/partial', record!.fn), bytes.subarray(0, 1000));
    await writeFile(join(pkgsDir, '.env-setup/partial', `${record!.fn}.json`), JSON.stringify({ url: record!.url }));
    const [p] = await fetchPackages([record!], options());
    const [only] = gets(server, record!.fn);
    assert.equal(only!.headers.range, 'bytes=1000-');
    assert.equal(only!.status, 206);
    assert.equal(p!.downloadedBytes, bytes.length - 1000);
    assert.equal(sha256(await readFile(p!.archive!)), record!.sha256);
  });

  it('retries 5xx answers; a 404 is an http error naming the package', async () => {
    const [record] = channelRecords(server, ['run_constrained']);
    server.failNext(`/noarch/${record!.fn}`, 503, 2);
    const [p] = await fetchPackages([record!], options());
    assert.equal(p!.source, 'download');
    assert.deepEqual(gets(server, record!.fn).map((r) => r.status), [503, 503, 200]);
    const missing = { ...record!, fn: 'missing-1.0-0.conda', url: `${server.url}/noarch/missing-1.0-0.conda` };
    await assert.rejects(fetchPackages([missing], options()), (e: unknown) => {
      assert.ok(e instanceof InstallError);
      assert.equal(e.kind, 'http');
      assert.equal(e.status, 404);
      assert.match(e.message, /^missing-1\.0-0\.conda: the server answered 404 for http:\/\/127\.0\.0\.1:\d+\/noarch\/missing-1\.0-0\.conda$/);
      return true;
    });
  });

  it('offline: only the cache', async () => {
    const records = channelRecords(server, ['pip-']);
    await assert.rejects(fetchPackages(records, options({ offline: true })), (e: InstallError) => e.kind === 'offline-miss' && e.message.includes('offline'));
    await fetchPackages(records, options());
    server.clearLog();
    const again = await fetchPackages(records, options({ offline: true }));
    assert.equal(again[0]!.source, 'extracted-cache');
    assert.equal(server.requests.length, 0);
  });

  it('bad records are bad input (exit code 2)', async () => {
    const [record] = channelRecords(server, ['pip-']);
    for (const bad of [{ ...record!, url: undefined }, { ...record!, url: 'not a url' }, { ...record!, url: 'ftp://x/y.conda' }, { ...record!, fn: 'pip.zip' }]) {
      await assert.rejects(fetchPackages([bad], options()), (e: InstallError) => e.kind === 'bad-record' && e.exitCode === 2);
    }
    const other = { ...record!, sha256: 'f'.repeat(64), url: `${server.url}/other/${record!.fn}` };
    await assert.rejects(fetchPackages([record!, other], options()), (e: InstallError) => e.kind === 'bad-record' && /two different packages would be extracted to pip-99\.99\.99-py399_0/.test(e.message));
  });

  it('copies file:// URLs from disk', async () => {
    const [record] = channelRecords(server, ['clobber-a']);
    const [p] = await fetchPackages([{ ...record!, url: pathToFileURL(join(RECIPES, 'noarch', record!.fn)).href }], options());
    assert.equal(p!.source, 'download');
    assert.equal(sha256(await readFile(p!.archive!)), record!.sha256);
    assert.equal(server.requests.length, 0);
  });

  it('bounds the downloads in flight, and drops archives when asked', async () => {
    const records = channelRecords(server);
    let inFlight = 0;
    let most = 0;
    const fetched = await fetchPackages(records, {
      ...options({ concurrency: 3, keepArchives: false }),
      onProgress: (e) => {
        if (e.type === 'download-start') most = Math.max(most, ++inFlight);
        if (e.type === 'download-done') inFlight--;
      },
    });
    assert.equal(fetched.length, records.length);
    assert.ok(most <= 3 && most >= 2, `at most 3 downloads at once (saw ${most})`);
    assert.ok(fetched.every((p) => p.archive === undefined && !existsSync(join(pkgsDir, p.fn))));
  });

  it('leaves no folder behind when a package cannot be extracted', async () => {
    const zlib = await startChannelServer({ root: join(FIXTURES, 'conda-format-repo') });
    try {
      const repodata = JSON.parse(readFileSync(join(FIXTURES, 'conda-format-repo/linux-64/repodata.json'), 'utf8')) as Record<string, Record<string, RepodataEntry>>;
      const fn = 'zlib-1.2.11-h7b6447c_3.conda';
      const record = { ...repodata['packages.conda']![fn]!, fn, url: `${zlib.url}/linux-64/${fn}` };
      await assert.rejects(fetchPackages([record], options()), (e: InstallError) => e.kind === 'corrupt' && e.file === 'lib/libz.so.1');
      assert.ok(!existsSync(join(pkgsDir, 'zlib-1.2.11-h7b6447c_3')));
      assert.deepEqual(await readdir(join(pkgsDir, '.env-setup/tmp')), []);
      // its .tar.bz2 twin is fine
      const bz2 = 'zlib-1.2.11-h7b6447c_3.tar.bz2';
      const [p] = await fetchPackages([{ ...repodata.packages![bz2]!, fn: bz2, url: `${zlib.url}/linux-64/${bz2}` }], options());
      assert.ok(existsSync(join(p!.dir, 'lib/libz.so.1.2.11')));
    } finally {
      await zlib.close();
    }
  });

  it('replaces an extracted folder of another build with the same name', async () => {
    const [record] = channelRecords(server, ['dependent-1.0']);
    const dir = join(pkgsDir, record!.fn.slice(0, -6));
    await mkdir(join(dir, 'info'), { recursive: true });
    await writeFile(join(dir, 'info/repodata_record.json'), JSON.stringify({ sha256: 'a'.repeat(64), fn: record!.fn }));
    await writeFile(join(dir, 'stale.txt'), 'from another build');
    await copyFile(join(RECIPES, 'noarch', record!.fn), join(pkgsDir, record!.fn));
    const [p] = await fetchPackages([record!], options());
    assert.equal(p!.source, 'archive-cache');
    assert.ok(!existsSync(join(dir, 'stale.txt')));
    assert.equal(p!.record.sha256, record!.sha256);
  });

  it('sends user:password from a package URL as basic auth, and keeps them out of what it records', async () => {
    const guarded = await startChannelServer({ root: RECIPES, basicAuth: { user: 'me', password: 'p@ss word' } });
    try {
      const records = channelRecords(guarded, ['small-executable']).map((r) => ({ ...r, url: r.url.replace('http://', `http://me:${encodeURIComponent('p@ss word')}@`) }));
      const fetched = await fetchPackages(records, options());
      assert.equal(fetched.length, 1);
      assert.deepEqual(
        guarded.requests.filter((r) => r.method === 'GET').map((r) => r.status),
        [200],
      );
      const recorded = readFileSync(join(fetched[0]!.dir, 'info', 'repodata_record.json'), 'utf8');
      assert.doesNotMatch(recorded, /p%40ss|p@ss/);
      // without them the server refuses, and the failure names the package
      const bare = channelRecords(guarded, ['small-executable']);
      await assert.rejects(fetchPackages(bare, options({ pkgsDir: await mkdtemp(join(work, 'pkgs-')) })), /small-executable.*401|401.*small-executable/s);
    } finally {
      await guarded.close();
    }
  });

  // fetchPackages' `checkWhileLinking`: a valid stamp is trusted here, the transaction's link
  // batches compare each file with it, a changed one fails the transaction (prefix restored) with
  // 'cache-changed', and installPackages then checks in full, extracts again and links
  describe('checking a cached package while linking it', () => {
    it('fetchPackages hands on the stamps of a stamped folder instead of looking at its files', async () => {
      const wanted = channelRecords(server, ['small-executable', 'dependency-1']);
      const first = await fetchPackages(wanted, { pkgsDir });
      assert.ok(first.every((p) => p.stamps === undefined), 'just extracted: no stamps to compare with');
      await unlink(join(first[1]!.dir, 'bin/small'));
      const again = await fetchPackages(wanted, { pkgsDir, checkWhileLinking: true });
      assert.deepEqual(
        again.map((p) => p.source),
        ['extracted-cache', 'extracted-cache'],
        'the missing file is not seen here',
      );
      for (const p of again) assert.equal(p.stamps?.length, 3 * p.checked!.paths.length);
      const full = await fetchPackages(wanted, { pkgsDir });
      assert.deepEqual(
        full.map((p) => p.source),
        ['extracted-cache', 'archive-cache'],
        'without it, the folder is checked here and extracted again',
      );
    });

    it('a transaction finding a changed file fails with cache-changed and leaves the prefix as it was', async () => {
      const wanted = channelRecords(server, ['dependency-1', 'small-executable']);
      const fetched = await fetchPackages(wanted, { pkgsDir });
      const prefix = join(work, `p-fails-${Date.now()}`);
      await runTransaction({ prefix, link: fetched.slice(0, 1) });
      const before = (await readdir(prefix, { recursive: true })).sort();
      const small = fetched[1]!;
      const file = join(small.dir, 'bin/small');
      const bytes = await readFile(file);
      await writeFile(file, Buffer.alloc(bytes.length, 0x41)); // same size and inode, another mtime
      const stamped = await fetchPackages(wanted.slice(1), { pkgsDir, checkWhileLinking: true });
      assert.equal(stamped[0]!.source, 'extracted-cache');
      await assert.rejects(
        runTransaction({ prefix, link: stamped }),
        (e: unknown) =>
          e instanceof InstallError &&
          e.kind === 'cache-changed' &&
          e.file === 'bin/small' &&
          /small-executable-1\.0-0: bin\/small in the package cache \(.*\) changed after the package was checked: it was modified or replaced/.test(e.message),
      );
      assert.deepEqual((await readdir(prefix, { recursive: true })).sort(), before, 'rolled back');
    });

    it('installPackages checks in full after a cache-changed transaction, extracts again and installs the intact files', async () => {
      const wanted = channelRecords(server, ['small-executable']);
      const [first] = await fetchPackages(wanted, { pkgsDir });
      const file = join(first!.dir, 'bin/small');
      const original = await readFile(file);
      // stamped by the extraction; now changed in place, at the same size
      await writeFile(file, Buffer.alloc(original.length, 0x41));
      server.clearLog();
      const tracer = new Tracer();
      const fetchedLists: number[] = [];
      const prefix = join(work, `p-recovers-${Date.now()}`);
      const { result, fetched } = await installPackages({ prefix, link: wanted, unlink: [], pkgsDir, tracer, onFetched: (f) => fetchedLists.push(f.length) });
      assert.deepEqual(result.linked, ['small-executable-1.0-0']);
      assert.equal(fetched[0]!.source, 'archive-cache', 'extracted again from the cached archive');
      assert.deepEqual(await readFile(join(prefix, 'bin/small')), original);
      assert.equal(statSync(join(prefix, 'bin/small')).ino, statSync(file).ino, 'linked from the new folder');
      assert.equal(tracer.toJSON().counters['install.cache.changed'], 1);
      assert.deepEqual(fetchedLists, [1, 1], 'fetched twice');
      assert.equal(server.requests.length, 0, 'no download');

      // an intact stamped folder: one attempt
      const quiet = new Tracer();
      await installPackages({ prefix: join(work, `p-quiet-${Date.now()}`), link: wanted, unlink: [], pkgsDir, tracer: quiet });
      assert.equal(quiet.toJSON().counters['install.cache.changed'], undefined);
    });
  });
});

describe('records', () => {
  it("takes the solver's and the record reader's records as they are (a type check)", () => {
    const accepts = (records: readonly FetchRecord[]): number => records.length;
    assert.equal(accepts([] as SolvedPackage[]) + accepts([] as PackageRecord[]), 0);
  });
});

describe('the package cache folder', () => {
  it('is the flag, else CONDA_PKGS_DIRS (first entry, ~ expanded), else <cache dir>/pkgs', () => {
    assert.equal(resolvePkgsDir({ pkgsDir: '/flag', env: { CONDA_PKGS_DIRS: '/env' } }), '/flag');
    assert.equal(resolvePkgsDir({ env: { CONDA_PKGS_DIRS: ' /a/pkgs , /b/pkgs' } }), '/a/pkgs');
    assert.equal(resolvePkgsDir({ env: { CONDA_PKGS_DIRS: '~/pkgs' }, home: '/home/me' }), '/home/me/pkgs');
    assert.equal(resolvePkgsDir({ env: { ENV_SETUP_CACHE_DIR: '/cache' } }), '/cache/pkgs');
    assert.equal(resolvePkgsDir({ env: {}, home: '/home/me', hostPlatform: 'linux' }), '/home/me/.cache/env-setup/pkgs');
  });
});
