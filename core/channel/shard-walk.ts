// The walk over sharded repodata (CEP 16's fetch process, done for all subdirs of all channels
// together): fetch the shards of the wanted names in every sharded subdir, read the names their
// records depend on and fetch those, until no new name turns up. There are no waves: a shard's
// dependencies are asked for as soon as it is decoded, and a subdir's shards as soon as its index
// is read (fetch.ts adds each subdir as it arrives, so the first shards are on their way while the
// other indexes still download). A dependency found in one subdir is looked up in all (noarch
// packages depend on linux-64 ones), and records of subdirs read from full repodata are followed
// too, so a mix of sharded and full channels reaches every name the solve can reach. Names only
// `constrains` mention are fetched (the solver reads their records to rule them out) but not
// followed: a package only constrained is never installed. Which names are fetched does not depend
// on the order shards arrive in. The walk is a `shards.walk` span with the shards fetched, cache
// hits, bytes, decode time and the longest chain of fetches that waited on one another (`depth`),
// also added to the tracer's counters. At the end, a subdir whose index was downloaded afresh over
// a cached one has the cached shards of the walked names that moved to a new hash deleted
// (`pruned`; see shard-cache.ts).

import { MatchSpec } from '../spec/match-spec.ts';
import type { FetchContext } from './fetch-context.ts';
import { ShardCache } from './shard-cache.ts';
import { decodeShardIndex } from './shard-format.ts';
import { emptyShardFetchStats, fetchShard, Limiter, SHARD_REQUESTS_IN_FLIGHT, type ShardFetchStats } from './shard-fetch.ts';
import { ShardPackages } from './shard-packages.ts';
import type { RepodataEntries, SubdirRepodata } from './repodata-source.ts';
import type { Span } from '../timing/span.ts';

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
 * One walk: created with the wanted names, given each subdir as it is loaded (`add`), then
 * `finish()`ed once every subdir is in; finish resolves when no shard is left to fetch and
 * rejects with the first failure (no new fetch starts after one).
 */
export class ShardWalk {
  readonly #ctx: FetchContext;
  readonly #cache: ShardCache;
  readonly #limiter = new Limiter(SHARD_REQUESTS_IN_FLIGHT);
  readonly #stats: ShardFetchStats = emptyShardFetchStats();
  readonly #memo = new Map<string, string>();
  readonly #subdirs: SubdirRepodata[] = [];
  /** Names whose dependencies are followed, with how many dependency steps from a wanted name the walk took to reach them. */
  readonly #followed = new Map<string, number>();
  /** Names fetched (followed or only constrained). */
  readonly #asked = new Set<string>();
  /** Per sharded subdir, the shard loads started, by name. */
  readonly #loads = new Map<ShardPackages, Map<string, Promise<void>>>();
  #span: Span | undefined;
  #sharded = 0;
  #pending = 0;
  #finished = false;
  #failed: { error: unknown } | undefined;
  #settle: (() => void) | undefined;

  constructor(names: Iterable<string>, ctx: FetchContext) {
    this.#ctx = ctx;
    this.#cache = new ShardCache(ctx.cache.dir);
    for (const n of names) this.#want(n.toLowerCase(), true, 0);
  }

  /**
   * A subdir now loaded (sharded: its index; else its full repodata): its part of the walk starts.
   * Until a sharded subdir comes, nothing is followed (with no shards to fetch, following names
   * through full repodata would only read records the solve reads anyway).
   */
  add(subdir: SubdirRepodata): void {
    this.#subdirs.push(subdir);
    let visit = this.#sharded > 0 ? [subdir] : [];
    if (isSharded(subdir.packages)) {
      this.#span ??= this.#ctx.tracer.start('shards.walk');
      this.#loads.set(subdir.packages, new Map());
      if (this.#sharded++ === 0) visit = [...this.#subdirs];
    }
    for (const s of visit) for (const name of [...this.#asked]) this.#visit(s, name, this.#followed.get(name));
  }

  /** Waits for the walk to end (call once every subdir was added); throws the first failure. */
  async finish(): Promise<void> {
    this.#finished = true;
    if (this.#pending > 0) await new Promise<void>((resolve) => (this.#settle = resolve));
    const stats = this.#stats;
    const pruned = this.#failed ? [] : await Promise.all(this.#subdirs.map((s) => this.#prune(s)));
    await Promise.all([...stats.writes, ...[...this.#loads.keys()].map((p) => p.cacheWrite)]);
    const span = this.#span;
    if (span === undefined) {
      if (this.#failed) throw this.#failed.error;
      return;
    }
    span.addAttributes({
      subdirs: this.#sharded,
      names: this.#asked.size,
      depth: this.#depth(),
      fetched: stats.fetched,
      cache_hits: stats.cacheHits,
      bytes: stats.bytes,
      decode_ms: Math.round(stats.decodeMs),
      pruned: pruned.reduce((a, b) => a + b, 0),
    });
    const ctx = this.#ctx;
    ctx.tracer.counter('shards.fetched', stats.fetched);
    ctx.tracer.counter('shards.cache.hits', stats.cacheHits);
    ctx.tracer.counter('shards.bytes', stats.bytes);
    if (this.#failed) {
      span.fail(this.#failed.error);
      throw this.#failed.error;
    }
    span.end();
  }

  /** The longest chain of dependency steps the walk took (shards whose fetches waited on one another). */
  #depth(): number {
    let depth = 0;
    for (const d of this.#followed.values()) if (d > depth) depth = d;
    return depth;
  }

  /** When the subdir's index replaced a cached one: deletes the cached shards of walked names it moved. */
  async #prune(subdir: SubdirRepodata): Promise<number> {
    const packages = subdir.packages;
    if (!isSharded(packages) || packages.replacedIndex === undefined) return 0;
    const { bytes, url } = packages.replacedIndex;
    packages.replacedIndex = undefined;
    let replaced;
    try {
      replaced = await decodeShardIndex(bytes, url);
    } catch {
      return 0;
    }
    return this.#cache.pruneMoved(replaced, packages.index.shards, packages.loadedNames());
  }

  /** Asks for a name: `depth` given, its dependencies are followed; else it is only fetched. */
  #want(name: string, follow: boolean, depth: number): void {
    if (this.#failed) return;
    if (follow) {
      if (this.#followed.has(name)) return;
      this.#followed.set(name, depth);
    } else if (this.#asked.has(name)) return;
    this.#asked.add(name);
    if (this.#sharded > 0) for (const s of this.#subdirs) this.#visit(s, name, follow ? depth : undefined);
  }

  /** The name in one subdir: its shard fetched (once) and, with a depth, its records followed. */
  #visit(subdir: SubdirRepodata, name: string, depth: number | undefined): void {
    const packages = subdir.packages;
    if (!isSharded(packages)) {
      if (depth !== undefined) this.#follow(subdir, name, depth);
      return;
    }
    if (packages.isLoaded(name)) {
      if (depth !== undefined && packages.has(name)) this.#follow(subdir, name, depth);
      return;
    }
    const loads = this.#loads.get(packages)!;
    let load = loads.get(name);
    if (load === undefined) {
      const target = { channel: subdir.channel.name, subdir: subdir.subdir, packages };
      load = fetchShard(target, name, this.#ctx, this.#cache, this.#limiter, this.#stats);
      loads.set(name, load);
      this.#track(load);
    }
    if (depth !== undefined) this.#track(load.then(() => this.#follow(subdir, name, depth)));
  }

  /** Asks for the names the records of `name` in `subdir` depend on (followed) or constrain (fetched). */
  #follow(subdir: SubdirRepodata, name: string, depth: number): void {
    const memo = this.#memo;
    for (const [, raw] of subdir.packages.entriesOf(name)) {
      const record = raw as { depends?: unknown; constrains?: unknown };
      for (const dep of stringsOf(record.depends)) {
        const d = dependencyName(dep, memo);
        if (d !== '*') this.#want(d, true, depth + 1);
      }
      for (const con of stringsOf(record.constrains)) {
        const c = dependencyName(con, memo);
        if (c !== '*') this.#want(c, false, depth + 1);
      }
    }
  }

  #track(task: Promise<void>): void {
    this.#pending++;
    task.then(
      () => this.#settled(),
      (error: unknown) => {
        this.#failed ??= { error };
        this.#settled();
      },
    );
  }

  #settled(): void {
    if (--this.#pending === 0 && this.#finished) this.#settle?.();
  }
}

/**
 * Fetches the shards of `names` and of everything they depend on, in every sharded subdir of
 * `subdirs`. Does nothing when no subdir is sharded.
 */
export async function walkShards(subdirs: readonly SubdirRepodata[], names: Iterable<string>, ctx: FetchContext): Promise<void> {
  if (!subdirs.some((s) => isSharded(s.packages))) return;
  const walk = new ShardWalk(names, ctx);
  for (const s of subdirs) walk.add(s);
  await walk.finish();
}
