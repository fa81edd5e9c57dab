// Every solve case of the solver (../shared/conformance/solve-cases.json, run by
// test/solve/solve-cases.ts) twice over HTTP from the test channel server, which serves each
// case's channels as repodata.json.zst: once cold (downloaded, read from memory), once warm from
// the cache (read in place from the decompressed copy, repodata-cache-in-place.ts). Both must give
// the same answer, case by case.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchRepodata, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { copiesWritten } from '../../core/channel/repodata-cache.ts';
import { RepodataPackages } from '../../core/channel/repodata-packages.ts';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { resolveChannels } from '../../core/channel/resolve.ts';
import type { IndexSource } from '../../core/index/package-index.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { checkCase, loadCase, runCase, type CaseRun, type SolveCase, type SourceTransform } from '../solve/solve-cases.ts';
import { DEVIATIONS } from '../solve/solve-deviations.ts';
import { startChannelServer } from '../support/channel-server.ts';

const file = new URL('../../../shared/conformance/solve-cases.json', import.meta.url);
const skip = existsSync(file) ? false : '../shared/conformance is absent';

/** Channel data of a case: every source but the machine's virtual packages and installed records. */
const isChannelData = (s: IndexSource) => s.channel !== '@' && s.channel !== 'installed';

function repodataOf(source: IndexSource): string {
  const packages: Record<string, unknown> = {};
  const conda: Record<string, unknown> = {};
  for (const [fn, raw] of source.entries as [string, unknown][]) (fn.endsWith('.conda') ? conda : packages)[fn] = raw;
  return JSON.stringify({ info: { subdir: 'linux-64' }, packages, 'packages.conda': conda });
}

interface Outcome {
  check: string | undefined;
  run: Pick<CaseRun, 'ok' | 'chosen' | 'link' | 'unlink'> | string;
}

function outcomeOf(c: SolveCase, transform: SourceTransform): Outcome {
  let check: string | undefined;
  let run: Outcome['run'];
  try {
    check = checkCase(c, transform);
  } catch (e) {
    check = `threw: ${(e as Error).message}`;
  }
  try {
    const r = runCase(c, transform);
    run = { ok: r.ok, chosen: [...r.chosen].sort(), link: [...r.link].sort(), unlink: [...r.unlink].sort() };
  } catch (e) {
    run = `threw: ${(e as Error).message}`;
  }
  return { check, run };
}

test('solves from cached repodata read in place give the same answers as from the download, for every solve case', { skip, timeout: 900_000 }, async () => {
  const cases = JSON.parse(readFileSync(file, 'utf8')) as SolveCase[];
  const files: Record<string, string> = {};
  const server = await startChannelServer({ files, zstd: true });
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-in-place-cases-'));
  const base: FetchRepodataOptions = { env: {}, retry: { attempts: 1 }, cacheDir: join(dir, 'cache') };
  const differences: string[] = [];
  let compared = 0;
  let bytesRead = 0;
  let bytesCached = 0;
  try {
    for (const c0 of cases) {
      const deviation = DEVIATIONS.get(c0.id);
      const c = deviation ? { ...c0, ...deviation.expect } : c0;
      let sources: IndexSource[] = [];
      try {
        loadCase(c, (s) => (sources = s));
      } catch {
        continue; // a case whose index cannot be loaded at all: solve-cases.test.ts reports it
      }
      const channelSources = sources.filter(isChannelData);
      if (channelSources.length === 0) continue; // no channel data to serve
      const urls = channelSources.map((s, i) => {
        const body = repodataOf(s);
        const key = createHash('sha256').update(body).digest('hex').slice(0, 16);
        files[`/s${i}/${key}/linux-64/repodata.json`] = body;
        files[`/s${i}/${key}/noarch/repodata.json`] = '{"packages": {}}';
        return `${server.url}/s${i}/${key}`;
      });
      const channels = resolveChannels({ platform: 'linux-64', channels: urls, overrideChannels: true, env: {} }).channels;
      const transformFor = (subdirs: SubdirRepodata[]): SourceTransform => (all) => {
        const linux = subdirs.filter((s) => s.subdir === 'linux-64');
        let at = 0;
        return all.map((s) => (isChannelData(s) ? { ...s, entries: linux[at++]!.packages } : s));
      };
      const cold = await fetchRepodata(channels, base);
      await copiesWritten();
      const tracer = new Tracer();
      const warm = await fetchRepodata(channels, { ...base, offline: true, tracer });
      assert.ok(warm.every((s) => s.packages instanceof RepodataPackages && s.packages.readsInPlace), `${c.id}: not read in place`);
      const want = outcomeOf(c, transformFor(cold));
      const got = outcomeOf(c, transformFor(warm));
      compared++;
      bytesRead += tracer.toJSON().counters['repodata.bytes.read'] ?? 0;
      bytesCached += warm.reduce((n, s) => n + s.origin.size, 0);
      if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${c.id}: cold ${JSON.stringify(want)} | warm ${JSON.stringify(got)}`);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`cold vs warm (in place): ${compared} solve cases compared, ${differences.length} differ; warm runs read ${bytesRead} of ${bytesCached} cached bytes`);
  assert.deepEqual(differences, []);
  assert.ok(compared > 200, `only ${compared} cases were compared`);
});
