// Every solve case of the solver (../shared/conformance/solve-cases.json, run by
// test/solve/solve-cases.ts) twice over HTTP from the test channel server: once from full
// repodata.json, once from the same channels in sharded form (CEP 16, converted on the fly),
// starting from the case's own names and fetching shards breadth-first as a solve does
// (solve-environment.ts: names the solve asked for that were not fetched are fetched, then it
// solves again). Both must give the same answer, case by case.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchMoreShards, fetchRepodata, missedShardNames, type FetchRepodataOptions } from '../../core/channel/fetch.ts';
import { resolveChannels } from '../../core/channel/resolve.ts';
import type { SubdirRepodata } from '../../core/channel/repodata-source.ts';
import { ShardPackages } from '../../core/channel/shard-packages.ts';
import type { IndexSource } from '../../core/index/package-index.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
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

test('solves over sharded repodata give the same answers as over full repodata, for every solve case', { skip, timeout: 900_000 }, async () => {
  const cases = JSON.parse(readFileSync(file, 'utf8')) as SolveCase[];
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
