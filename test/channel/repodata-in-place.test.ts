// Warm runs read cached repodata in place: the decompressed copy the cache keeps beside a
// repodata.json.zst is checked against the stored table and only the entries asked for are read
// from it (counted by the `repodata.bytes.read` counter). A missing, truncated, damaged or stale
// copy, or a stale table, never gives wrong records: the .zst is read instead and the copy written
// again, or the error is a clear one naming the cache file.

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ChannelError } from '../../core/channel/errors.ts';
import { fetchRepodata, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { copiesWritten } from '../../core/channel/repodata-cache.ts';
import { RepodataCopyFile } from '../../core/channel/repodata-copy-file.ts';
import { RepodataPackages } from '../../core/channel/repodata-packages.ts';
import { scanRepodata } from '../../core/channel/repodata-scan.ts';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { contentFingerprint, encodeTable } from '../../core/channel/repodata-table-file.ts';
import { resolveChannels, type ResolvedChannel } from '../../core/channel/resolve.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { startChannelServer, type ChannelServer } from '../support/channel-server.ts';

const temp = mkdtempSync(join(tmpdir(), 'env-setup-in-place-'));
after(() => rmSync(temp, { recursive: true, force: true }));
let dirs = 0;
const freshCache = (): string => join(temp, `cache-${dirs++}`);

const NOARCH = '{"packages": {}}';
const FAST: FetchRepodataOptions = { retry: { attempts: 1 }, env: {} };

/** A channel of 300 names with 20 builds each (about 1.4 MB of repodata.json), every entry of the same length. */
function bigRepodata(): string {
  const packages: Record<string, object> = {};
  const conda: Record<string, object> = {};
  for (let n = 0; n < 300; n++) {
    const name = `pkg${String(n).padStart(3, '0')}`;
    for (let v = 0; v < 20; v++) {
      const rec = { name, version: `1.${v + 10}`, build: 'h0_0', build_number: 0, depends: [`dep${n % 7} >=1`], license: 'BSD', md5: 'f'.repeat(32), sha256: 'e'.repeat(64), size: 1000 + v, subdir: 'linux-64', timestamp: 1700000000000 + v };
      (v % 2 ? conda : packages)[`${name}-1.${v + 10}-h0_0.${v % 2 ? 'conda' : 'tar.bz2'}`] = rec;
    }
  }
  return JSON.stringify({ info: { subdir: 'linux-64' }, packages, 'packages.conda': conda });
}

function channel(url: string): ResolvedChannel {
  return resolveChannels({ channels: [url], overrideChannels: true, platform: 'linux-64', env: {}, home: temp, systemDirs: [] }).channels[0]!;
}

async function load(ch: ResolvedChannel, cacheDir: string, options: FetchRepodataOptions = {}): Promise<{ linux: SubdirRepodata; tracer: Tracer }> {
  const tracer = new Tracer();
  const [linux] = await fetchRepodata([ch], { ...FAST, cacheDir, tracer, ...options });
  return { linux: linux!, tracer };
}

const counter = (tracer: Tracer, name: string): number => tracer.toJSON().counters[name] ?? 0;
const spanAttributes = (tracer: Tracer, name: string) => tracer.toJSON().spans.filter((s) => s.name === name).map((s) => s.attributes);

describe('reading cached repodata in place', () => {
  const body = bigRepodata();
  let server: ChannelServer;
  let ch: ResolvedChannel;
  before(async () => {
    server = await startChannelServer({ files: { '/ch/linux-64/repodata.json': body, '/ch/noarch/repodata.json': NOARCH }, zstd: true });
    ch = channel(`${server.url}/ch`);
  });
  after(() => server.close());

  /** A cache filled by a cold run, its copy written; the paths of the linux-64 entry. */
  async function coldCache(): Promise<{ cacheDir: string; copy: string; zst: string; table: string; cold: SubdirRepodata }> {
    const cacheDir = freshCache();
    const { linux: cold } = await load(ch, cacheDir);
    assert.equal(cold.origin.kind, 'downloaded');
    assert.equal(cold.origin.zst, true);
    await copiesWritten();
    const zst = cold.origin.cachePath!;
    const copy = zst.replace(/\.zst$/, '');
    assert.equal(statSync(copy).size, Buffer.byteLength(body), 'the cold run wrote the decompressed copy');
    return { cacheDir, copy, zst, table: zst.replace(/\.json\.zst$/, '.table'), cold };
  }

  test('a warm run reads only the bytes of the names asked for, and gives the same entries', async () => {
    const { cacheDir, cold } = await coldCache();
    const { linux: warm, tracer } = await load(ch, cacheDir, { offline: true });
    assert.equal(warm.origin.kind, 'cache');
    assert.ok(warm.packages instanceof RepodataPackages && warm.packages.readsInPlace, 'read in place');
    assert.deepEqual(spanAttributes(tracer, 'repodata.copy.open').map((a) => a?.usable), [true, true], 'linux-64 and noarch');
    const sampled = counter(tracer, 'repodata.bytes.read');
    assert.ok(sampled > 0 && sampled <= 32 * 4096 + NOARCH.length, `only the fingerprint's samples are read on opening (${sampled} bytes)`);
    for (const name of ['pkg000', 'pkg150', 'pkg299']) assert.deepEqual(warm.packages.entriesOf(name), cold.packages.entriesOf(name));
    const read = counter(tracer, 'repodata.bytes.read');
    assert.ok(read < Buffer.byteLength(body) / 10, `${read} of ${Buffer.byteLength(body)} bytes read for 3 of 300 names`);
    assert.deepEqual(warm.info, cold.info);
    assert.equal(warm.packages.count, cold.packages.count);
    assert.deepEqual(warm.packages.trackFeatureNames(), cold.packages.trackFeatureNames());
    assert.deepEqual(warm.packages.all(), cold.packages.all());
    assert.ok(warm.packages.readsInPlace, 'still in place after reading everything');
  });

  test('ENV_SETUP_REPODATA_COPY=0: a cold run writes no copy; the first warm run reads the .zst and writes it', async () => {
    const cacheDir = freshCache();
    const { linux: cold } = await load(ch, cacheDir, { env: { ENV_SETUP_REPODATA_COPY: '0' } });
    await copiesWritten();
    const copy = cold.origin.cachePath!.replace(/\.zst$/, '');
    assert.ok(!existsSync(copy), 'no copy after the cold run');
    const { linux: warm } = await load(ch, cacheDir, { offline: true });
    assert.ok(warm.packages instanceof RepodataPackages && !warm.packages.readsInPlace);
    await copiesWritten();
    assert.equal(readFileSync(copy, 'utf8'), body, 'written by the warm run');
  });

  test('a missing or truncated copy: the .zst is read, the same entries come out, and the copy is written again', async () => {
    const { cacheDir, copy, cold } = await coldCache();
    for (const damage of ['missing', 'truncated'] as const) {
      if (damage === 'missing') rmSync(copy);
      else truncateSync(copy, Buffer.byteLength(body) - 10);
      const { linux: warm, tracer } = await load(ch, cacheDir, { offline: true });
      assert.ok(warm.packages instanceof RepodataPackages && !warm.packages.readsInPlace, damage);
      assert.deepEqual(spanAttributes(tracer, 'repodata.copy.open').map((a) => a?.usable).sort(), [false, true], `${damage}: linux-64 not in place, noarch in place`);
      assert.equal(spanAttributes(tracer, 'repodata.scan').length, 0, 'the table still describes the .zst: no scan');
      assert.equal(counter(tracer, 'repodata.bytes.read'), Buffer.byteLength(body) + NOARCH.length, 'linux-64 read whole, noarch sampled whole');
      assert.deepEqual(warm.packages.entriesOf('pkg007'), cold.packages.entriesOf('pkg007'));
      await copiesWritten();
      assert.equal(readFileSync(copy, 'utf8'), body, `${damage}: written again`);
      const { linux: next } = await load(ch, cacheDir, { offline: true });
      assert.ok((next.packages as RepodataPackages).readsInPlace, `${damage}: the next run reads in place`);
    }
  });

  test('a copy damaged where the fingerprint does not look is caught entry by entry: the .zst is read instead and the copy replaced', async () => {
    const { cacheDir, copy, cold } = await coldCache();
    const { name, valueStart } = unsampledEntry(body);
    const damaged = Buffer.from(body);
    damaged.write('X', valueStart); // the record is no longer JSON
    writeFileSync(copy, damaged);
    const { linux: warm, tracer } = await load(ch, cacheDir, { offline: true });
    assert.ok((warm.packages as RepodataPackages).readsInPlace, 'the damage is not where the fingerprint samples');
    assert.deepEqual(warm.packages.entriesOf(name), cold.packages.entriesOf(name));
    assert.equal(counter(tracer, 'repodata.copy.damaged'), 1);
    assert.ok(!(warm.packages as RepodataPackages).readsInPlace, 'reading goes on from the .zst');
    assert.deepEqual(warm.packages.entriesOf('pkg250'), cold.packages.entriesOf('pkg250'));
    await copiesWritten();
    assert.equal(readFileSync(copy, 'utf8'), body, 'the copy was written again');
  });

  test('a stale copy with the same fingerprint (two entries swapped) gives the right entries, never the neighbour’s', async () => {
    const { cacheDir, copy, cold } = await coldCache();
    const swapped = swapTwoUnsampledEntries(body);
    assert.equal(contentFingerprint(Buffer.from(swapped.text)), contentFingerprint(Buffer.from(body)), 'precondition: same fingerprint');
    writeFileSync(copy, swapped.text);
    const { linux: warm, tracer } = await load(ch, cacheDir, { offline: true });
    assert.ok((warm.packages as RepodataPackages).readsInPlace);
    assert.deepEqual(warm.packages.entriesOf(swapped.names[0]), cold.packages.entriesOf(swapped.names[0]));
    assert.deepEqual(warm.packages.entriesOf(swapped.names[1]), cold.packages.entriesOf(swapped.names[1]));
    assert.equal(counter(tracer, 'repodata.copy.damaged'), 1);
  });

  test('a stale table with the same fingerprint as the cached data is a clear error naming the cache file, not wrong records', async () => {
    const { cacheDir, table, cold } = await coldCache();
    const swapped = swapTwoUnsampledEntries(body);
    const staleContent = Buffer.from(swapped.text);
    writeFileSync(table, encodeTable(scanRepodata(staleContent, { url: 'x', fromCache: true }), staleContent));
    const { linux: warm } = await load(ch, cacheDir, { offline: true });
    assert.deepEqual(warm.packages.entriesOf('pkg250'), cold.packages.entriesOf('pkg250'), 'entries away from the swap are right');
    const error = (() => {
      try {
        return warm.packages.entriesOf(swapped.names[0]);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof ChannelError && error.kind === 'malformed', String(error));
    assert.match(error.message, /does not match its content/);
    assert.ok(error.message.includes('.json.zst') && error.message.includes('delete that file'), error.message);
  });

  test('repodata that came as plain JSON is read in place from the data file itself', async () => {
    const cacheDir = freshCache();
    const { linux: cold } = await load(ch, cacheDir, { preferZst: false });
    assert.equal(cold.origin.zst, false);
    const { linux: warm, tracer } = await load(ch, cacheDir, { offline: true });
    assert.ok((warm.packages as RepodataPackages).readsInPlace);
    assert.deepEqual(warm.packages.entriesOf('pkg042'), cold.packages.entriesOf('pkg042'));
    assert.ok(counter(tracer, 'repodata.bytes.read') < Buffer.byteLength(body) / 10);
    const files = readdirSync(join(cacheDir, 'repodata'));
    assert.equal(files.filter((f) => f.endsWith('.json.zst')).length, 0, 'no .zst, and no second copy');
  });
});

describe('the copy file', () => {
  test('closes its descriptor when idle and reopens it only when it is still the same file', async () => {
    const file = join(temp, 'copy.json');
    writeFileSync(file, 'abcdefghij');
    assert.equal(RepodataCopyFile.open(file, 11), undefined, 'another size');
    assert.equal(RepodataCopyFile.open(join(temp, 'absent.json'), 10), undefined, 'absent');
    const copy = RepodataCopyFile.open(file, 10)!;
    assert.equal(copy.subarray(2, 5).toString(), 'cde');
    assert.ok(copy.isOpen);
    await new Promise((r) => setTimeout(r, 2100));
    assert.ok(!copy.isOpen, 'closed when idle');
    assert.equal(copy.subarray(0, 3).toString(), 'abc', 'reopened');
    assert.equal(copy.bytesRead, 6);
    assert.throws(() => copy.subarray(8, 12), /outside/);
    copy.close();
    rmSync(file);
    writeFileSync(file, 'ABCDEFGHIJ'); // another file of the same size
    assert.throws(() => copy.subarray(0, 3), /replaced|ENOENT/);
  });
});

/** Whether bytes [from, to) of content `length` long overlap a sample of contentFingerprint (32 of 4096 bytes, evenly spread). */
function sampled(length: number, from: number, to: number): boolean {
  const step = Math.floor((length - 4096) / 31);
  for (let k = 0; k < 32; k++) if (from < k * step + 4096 && to > k * step) return true;
  return false;
}

/** An entry (its name, and where its record starts) that no fingerprint sample covers. */
function unsampledEntry(text: string): { name: string; valueStart: number } {
  const b = Buffer.from(text);
  const t = scanRepodata(b, { url: 'x', fromCache: true });
  for (let e = t.nameIds.length >> 1; e < t.nameIds.length; e++) {
    if (!sampled(b.length, t.spans[4 * e]! - 1, t.spans[4 * e + 3]!)) return { name: t.names[t.nameIds[e]!]!, valueStart: t.spans[4 * e + 2]! };
  }
  throw new Error('every entry is sampled');
}

/** `text` with two neighbouring entries of the same length swapped where no fingerprint sample looks, and their names. */
function swapTwoUnsampledEntries(text: string): { text: string; names: [string, string] } {
  const b = Buffer.from(text);
  const t = scanRepodata(b, { url: 'x', fromCache: true });
  for (let e = 0; e + 1 < t.nameIds.length; e++) {
    const [ks1, , , ve1] = t.spans.subarray(4 * e, 4 * e + 4);
    const [ks2, , , ve2] = t.spans.subarray(4 * e + 4, 4 * e + 8);
    const first = b.subarray(ks1! - 1, ve1);
    const second = b.subarray(ks2! - 1, ve2);
    if (t.nameIds[e] === t.nameIds[e + 1] || first.length !== second.length || sampled(b.length, ks1! - 1, ve2!)) continue;
    const out = Buffer.from(b);
    second.copy(out, ks1! - 1);
    first.copy(out, ks2! - 1);
    return { text: out.toString(), names: [t.names[t.nameIds[e]!]!, t.names[t.nameIds[e + 1]!]!] };
  }
  throw new Error('no two neighbouring entries of different names lie between the samples');
}
