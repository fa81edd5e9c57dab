// Every solve case of the solver (../shared/conformance/solve-cases.json, run by
// test/solve/solve-cases.ts) twice over HTTP from the test channel server, which serves each
// case's channels as repodata.json.zst: once cold (downloaded, read from memory), once warm from
// the cache (read in place from the decompressed copy, repodata-cache-in-place.ts). Both must give
// the same answer, case by case.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchRepodata, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { copiesWritten } from '../../core/channel/repodata-cache.ts';
import { RepodataPackages } from '../../core/channel/repodata-packages.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { startChannelServer } from '../support/channel-server.ts';
import { outcomeOf, servedSolveCases, SOLVE_CASES_FILE } from '../support/served-solve-cases.ts';

const skip = existsSync(SOLVE_CASES_FILE) ? false : '../shared/conformance is absent';

test('solves from cached repodata read in place give the same answers as from the download, for every solve case', { skip, timeout: 900_000 }, async () => {
  const files: Record<string, string> = {};
  const server = await startChannelServer({ files, zstd: true });
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-in-place-cases-'));
  const base: FetchRepodataOptions = { env: {}, retry: { attempts: 1 }, cacheDir: join(dir, 'cache') };
  const differences: string[] = [];
  let compared = 0;
  let bytesRead = 0;
  let bytesCached = 0;
  try {
    for (const { case: c, channels, transformFor } of servedSolveCases(files, server.url)) {
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
