// Every solve case of the solver (../shared/conformance/solve-cases.json, run by
// test/solve/solve-cases.ts) twice over HTTP from the test channel server: once from full
// repodata.json, once from the same channels in sharded form (CEP 16, converted on the fly),
// starting from the case's own names and fetching shards breadth-first as a solve does
// (solve-environment.ts: names the solve asked for that were not fetched are fetched, then it
// solves again). Both must give the same answer, case by case.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchMoreShards, fetchRepodata, missedShardNames, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { ShardPackages } from '../../core/channel/shard-packages.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import type { SolveCase } from '../solve/solve-cases.ts';
import { startChannelServer } from '../support/channel-server.ts';
import { outcomeOf, servedSolveCases, SOLVE_CASES_FILE } from '../support/served-solve-cases.ts';

const skip = existsSync(SOLVE_CASES_FILE) ? false : '../shared/conformance is absent';

/** Names a case starts from (as solve-environment.ts starts from specs, installed names, history and pins). */
function caseNames(c: SolveCase): string[] {
  const specs: string[] = [
    ...(c.specs ?? []), ...(c.specs_to_remove ?? []), ...(c.history_specs ?? []), ...(c.pins ?? []),
    ...(c.expected_equal_to_solve_of ?? []), ...(c.settings?.pinned_packages ?? []),
  ];
  const names = specs.flatMap((s) => {
    try {
      return [MatchSpec.parse(s).name];
    } catch {
      return [];
    }
  });
  for (const entry of (c.installed ?? []) as (string | { name: string })[]) {
    if (typeof entry !== 'string') names.push(entry.name);
    else names.push(entry.slice(entry.indexOf('::') + 1 || 0).replace(/^:/, '').split('-').slice(0, -2).join('-'));
  }
  return names.filter((n) => n !== '*');
}

test('solves over sharded repodata give the same answers as over full repodata, for every solve case', { skip, timeout: 900_000 }, async () => {
  const files: Record<string, string> = {};
  // fresh for an hour: a case's second fetch of a channel asks nothing (shards never need asking)
  const server = await startChannelServer({ files, shards: true, cacheControl: 'max-age=3600' });
  const fullByChannels = new Map<string, SubdirRepodata[]>();
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-shard-cases-'));
  const base: FetchRepodataOptions = { env: {}, retry: { attempts: 1 } };
  const differences: string[] = [];
  let compared = 0;
  let partial = 0;
  let refetched = 0;
  try {
    for (const { case: c, urls, channels, transformFor } of servedSolveCases(files, server.url)) {
      // the reference: full repodata, fetched once per set of channels
      const fullKey = urls.join(' ');
      let full = fullByChannels.get(fullKey);
      if (full === undefined) fullByChannels.set(fullKey, (full = await fetchRepodata(channels, { ...base, cacheDir: join(dir, 'full') })));
      const shardOptions = { ...base, cacheDir: join(dir, 'sharded') };
      const sharded = await fetchRepodata(channels, { ...shardOptions, names: caseNames(c) });
      assert.ok(sharded.every((s) => s.subdir === 'noarch' || s.packages instanceof ShardPackages), `${c.id}: the sharded form was not used`);
      const want = outcomeOf(c, transformFor(full));
      let got = outcomeOf(c, transformFor(sharded));
      for (let missed = missedShardNames(sharded); missed.length > 0; missed = missedShardNames(sharded)) {
        refetched++;
        await fetchMoreShards(sharded, missed, shardOptions);
        got = outcomeOf(c, transformFor(sharded));
      }
      compared++;
      if (sharded.some((s) => s.packages instanceof ShardPackages && s.packages.count < (full!.find((f) => f.url === s.url)?.packages.count ?? 0))) partial++;
      if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${c.id}: full ${JSON.stringify(want)} | sharded ${JSON.stringify(got)}`);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`sharded vs full repodata: ${compared} solve cases compared, ${partial} solved from a part of the shards, ${refetched} fetched more shards after a first solve, ${differences.length} differ`);
  assert.deepEqual(differences, []);
  assert.ok(compared > 200, `only ${compared} cases were compared`);
  assert.ok(partial > compared / 2, 'most cases should need only some of the shards');
});
