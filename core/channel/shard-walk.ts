// The breadth-first walk over sharded repodata (CEP 16's fetch process, done for all subdirs of all
// channels together): fetch the shards of the wanted names in every sharded subdir at once, read
// the names their records depend on, fetch those in the next wave, until no new name turns up.
// A dependency found in one subdir is looked up in all (noarch packages depend on linux-64 ones),
// and records of subdirs read from full repodata are followed too, so a mix of sharded and full
// channels reaches every name the solve can reach. Names only `constrains` mention are fetched
// (the solver reads their records to rule them out) but not followed: a package only constrained
// is never installed. Each wave is a `shards.wave` span; the walk a `shards.walk` span with the
// shards fetched, cache hits, bytes and decode time, also added to the tracer's counters.

import { MatchSpec } from '../spec/match-spec.ts';
import type { FetchContext } from './fetch-context.ts';
import { ShardCache } from './shard-cache.ts';
import { emptyShardFetchStats, fetchShards, Limiter, SHARD_REQUESTS_IN_FLIGHT } from './shard-fetch.ts';
import { ShardPackages } from './shard-packages.ts';
import type { RepodataEntries, SubdirRepodata } from './repodata-source.ts';

/** The names a walk asks for: followed (their dependencies are fetched too) or only fetched. */
interface Wanted {
  follow: Set<string>;
  fetchOnly: Set<string>;
}

const SIMPLE_SPEC = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)(?:$|[\s<>=!~])/;
const NOT_SIMPLE = /[[\]():/@*]/;

/** The lower-case package name a dependency spec is about ('*' for a spec without one). */
export function dependencyName(spec: string, memo?: Map<string, string>): string {
  const known = memo?.get(spec);
  if (known !== undefined) return known;
  const m = NOT_SIMPLE.test(spec) ? null : SIMPLE_SPEC.exec(spec.trimStart());
  let name: string;
  if (m) name = m[1]!.toLowerCase();
  else {
    try {
      name = MatchSpec.parse(spec).name.toLowerCase();
    } catch {
      // the solver reports a spec it cannot read; the walk has nothing to follow
      name = '*';
    }
  }
  memo?.set(spec, name);
  return name;
}

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function isSharded(packages: RepodataEntries): packages is ShardPackages {
  return packages instanceof ShardPackages;
}

/**
 * Fetches the shards of `names` and of everything they depend on, in every sharded subdir of
 * `subdirs`. Does nothing when no subdir is sharded.
 */
export async function walkShards(subdirs: readonly SubdirRepodata[], names: Iterable<string>, ctx: FetchContext): Promise<void> {
  const sharded = subdirs.filter((s) => isSharded(s.packages));
  if (sharded.length === 0) return;
  const cache = new ShardCache(ctx.cache.dir);
  const limiter = new Limiter(SHARD_REQUESTS_IN_FLIGHT);
  const stats = emptyShardFetchStats();
  const memo = new Map<string, string>();
  const followed = new Set<string>();
  const asked = new Set<string>();
  let wanted: Wanted = { follow: new Set([...names].map((n) => n.toLowerCase())), fetchOnly: new Set() };
  await ctx.tracer.span('shards.walk', async (span) => {
    let waves = 0;
    while (wanted.follow.size > 0 || wanted.fetchOnly.size > 0) {
      const current = wanted;
      const wave = [...new Set([...current.follow, ...current.fetchOnly])];
      for (const n of wave) asked.add(n);
      for (const n of current.follow) followed.add(n);
      waves++;
      await ctx.tracer.span(
        'shards.wave',
        async (waveSpan) => {
          const before = { fetched: stats.fetched, cacheHits: stats.cacheHits, bytes: stats.bytes };
          await Promise.all(
            sharded.map((s) =>
              fetchShards({ channel: s.channel.name, subdir: s.subdir, packages: s.packages as ShardPackages }, wave, ctx, cache, limiter, stats),
            ),
          );
          waveSpan.addAttributes({ fetched: stats.fetched - before.fetched, cache_hits: stats.cacheHits - before.cacheHits, bytes: stats.bytes - before.bytes });
        },
        { wave: waves, names: wave.length },
      );
      wanted = { follow: new Set(), fetchOnly: new Set() };
      for (const name of current.follow) {
        for (const s of subdirs) {
          for (const [, raw] of s.packages.entriesOf(name)) {
            const record = raw as { depends?: unknown; constrains?: unknown };
            for (const dep of stringsOf(record.depends)) {
              const d = dependencyName(dep, memo);
              if (d !== '*' && !followed.has(d)) wanted.follow.add(d);
            }
            for (const con of stringsOf(record.constrains)) {
              const c = dependencyName(con, memo);
              if (c !== '*' && !asked.has(c)) wanted.fetchOnly.add(c);
            }
          }
        }
      }
      for (const n of wanted.follow) wanted.fetchOnly.delete(n);
    }
    await Promise.all(stats.writes);
    span.addAttributes({ waves, names: asked.size, fetched: stats.fetched, cache_hits: stats.cacheHits, bytes: stats.bytes, decode_ms: Math.round(stats.decodeMs) });
  }, { subdirs: sharded.length });
  ctx.tracer.counter('shards.fetched', stats.fetched);
  ctx.tracer.counter('shards.cache.hits', stats.cacheHits);
  ctx.tracer.counter('shards.bytes', stats.bytes);
}
