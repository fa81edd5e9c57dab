// The specs of a solve against an installed state, as conda's Solver keeps them in `specs_map`: a
// MatchSpec with conda's `target` (the installed record to keep when nothing forces a change) and
// `optional` flag; turning them into a solver request; and the questions conda's Solver asks of
// Resolve about them: is a set of specs satisfiable, which specs conflict
// (get_conflicting_specs), which records could a request use (_get_package_pool), a record's exact
// spec (to_match_spec) and conda's version_key order of a package's records.

import type { PackageIndex } from '../index/package-index.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import type { Version } from '../spec/version.ts';
import { type ChannelPriority, CondaSolver, type SolveCache, type SolveRequest } from './conda-solver.ts';

export interface StateSpec {
  spec: MatchSpec;
  /** Record id of the installed package to keep (conda's `target`). */
  target?: number;
  /** If present the package must match, but nothing requires it (conda's `optional`). */
  optional?: boolean;
}

/** What every solve of one request shares: the index and channel settings. */
export interface SolveBase {
  index: PackageIndex;
  channelPriority?: ChannelPriority;
  virtualChannel?: string;
  exclude?: ReadonlySet<number>;
  /** Shared by the many satisfiability checks of one request. */
  cache?: SolveCache;
}

/**
 * The solver request for conda's final specs: specs without a target are requested (newest
 * first), specs with one are kept (their target preferred), optional ones only constrain.
 */
export function stateRequest(base: SolveBase, specs: readonly StateSpec[]): SolveRequest {
  const requested: MatchSpec[] = [];
  const kept: MatchSpec[] = [];
  const optional: MatchSpec[] = [];
  const targets = new Map<string, number>();
  for (const s of specs) {
    if (s.target !== undefined) targets.set(s.spec.name, s.target);
    if (s.optional) optional.push(s.spec);
    else if (s.target !== undefined) kept.push(s.spec);
    else requested.push(s.spec);
  }
  const { index, channelPriority, virtualChannel, exclude, cache } = base;
  return { index, channelPriority, virtualChannel, exclude, cache, specs: requested, kept, optional, targets };
}

/** Can the specs hold together? (Targets only steer preferences, so they are left out.) */
export function satisfiable(base: SolveBase, specs: readonly StateSpec[]): boolean {
  return new CondaSolver(stateRequest(base, specs.map((s) => (s.target === undefined ? s : { spec: s.spec, optional: s.optional })))).solve().ok;
}

/**
 * conda's Resolve.get_conflicting_specs: nothing when `specs` and `explicit` hold together; else the
 * specs that, added one at a time to a satisfiable working set that starts with `explicit`, break it
 * (conda's minimal_unsatisfiable_subset; all of `explicit` when it cannot hold alone).
 */
export function conflictingSpecs(base: SolveBase, specs: readonly StateSpec[], explicit: readonly MatchSpec[]): StateSpec[] {
  if (specs.length === 0) return [];
  const explicitState = explicit.map((spec): StateSpec => ({ spec }));
  if (satisfiable(base, [...specs, ...explicitState])) return [];
  const found: StateSpec[] = [];
  let working: StateSpec[] = [];
  if (satisfiable(base, explicitState)) working = [...explicitState];
  else found.push(...explicitState);
  const inWorking = (s: StateSpec) => working.some((w) => w.spec === s.spec && w.target === s.target && !w.optional === !s.optional);
  for (const s of specs) {
    if (inWorking(s)) continue;
    if (satisfiable(base, [...working, s])) working.push(s);
    else found.push(s);
  }
  return found;
}

export function sameStateSpec(a: StateSpec, b: StateSpec): boolean {
  return (a.spec === b.spec || a.spec.key === b.spec.key) && a.target === b.target && !a.optional === !b.optional;
}

/** Records of the index that match the spec (conda's Resolve.find_matches). */
export function findMatches(index: PackageIndex, spec: MatchSpec): number[] {
  if (spec.name !== '*') return index.candidates(spec.name).filter((id) => index.matches(spec, id));
  const pool = spec.trackFeatures?.length === 1 ? index.trackingFeature(spec.trackFeatures[0]!) : [...index.allIds()];
  return pool.filter((id) => index.matches(spec, id));
}

/** conda's PackageRecord.to_match_spec: channel, subdir, name, version and build, exactly. */
export function exactSpec(index: PackageIndex, id: number): MatchSpec {
  const r = index.record(id);
  return MatchSpec.fromFields({ channel: index.channelOf(id), subdir: index.subdirOf(id), name: r.name, version: r.version, build: r.build });
}

/** A name-only spec (conda's `MatchSpec(name)`). */
export function nameSpec(name: string): MatchSpec {
  return MatchSpec.fromFields({ name });
}

/** The records of a name, best first by conda's Resolve.version_key. */
export function versionKeyOrder(index: PackageIndex, name: string, priority: ChannelPriority): number[] {
  const key = (id: number) => {
    const r = index.record(id);
    return { p: index.priorityOf(id), v: index.version(id), bn: r.build_number, na: index.subdirOf(id) === 'noarch' ? 1 : 0, ts: r.timestamp ?? 0, b: r.build };
  };
  return [...index.candidates(name)].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const pv = priority !== 'disabled' ? x.p - y.p || compareVersions(y.v, x.v) : compareVersions(y.v, x.v) || x.p - y.p;
    return pv || y.bn - x.bn || x.na - y.na || y.ts - x.ts || (x.b < y.b ? 1 : x.b > y.b ? -1 : 0);
  });
}

function compareVersions(a: Version | null, b: Version | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.compare(b);
}

/**
 * The records a request could use, by name (conda's Resolve._get_package_pool): records matching the
 * specs, and, transitively, the records matching their dependencies, where a name the specs give is
 * limited to the records they allow, a dependency broader than one already seen for its name does not
 * widen the pool, and strict channel priority keeps only the best channel of each name.
 */
export function packagePool(base: SolveBase, specs: readonly MatchSpec[]): Map<string, Set<number>> {
  const { index } = base;
  const strict = (base.channelPriority ?? 'strict') === 'strict';
  const bestChannel = new Map<string, number>();
  const allowed = (id: number) => {
    if (base.exclude?.has(id)) return false;
    if (!strict || index.channelOf(id) === base.virtualChannel) return true;
    const name = index.nameOf(id);
    let best = bestChannel.get(name);
    if (best === undefined) {
      best = Math.min(...index.candidates(name).map((c) => index.priorityOf(c)));
      bestChannel.set(name, best);
    }
    return index.priorityOf(id) === best;
  };
  const explicit = new Map<string, Set<number>>();
  for (const s of specs) {
    const set = explicit.get(s.name) ?? new Set<number>();
    for (const id of findMatches(index, s)) set.add(id);
    explicit.set(s.name, set);
  }
  const usable = (id: number) => allowed(id) && (explicit.get(index.nameOf(id))?.has(id) ?? true);
  const pool = new Map<string, Set<number>>();
  const add = (id: number) => {
    const name = index.nameOf(id);
    const set = pool.get(name) ?? new Set<number>();
    const fresh = !set.has(id);
    set.add(id);
    pool.set(name, set);
    return fresh;
  };
  for (const s of specs) {
    for (const top of findMatches(index, s).filter(usable)) {
      add(top);
      const seenByName = new Map<string, MatchSpec>();
      for (const d of index.depends(top)) if (!seenByName.has(d.name)) seenByName.set(d.name, d);
      const queue = [...index.depends(top)];
      const seen = new Set<string>();
      while (queue.length > 0) {
        const dep = queue.shift()!;
        if (dep.name === '*' || seen.has(dep.key)) continue;
        seen.add(dep.key);
        for (const id of findMatches(index, dep).filter(usable)) {
          if (!add(id)) continue;
          for (const next of index.depends(id)) {
            const first = seenByName.get(next.name);
            if (first !== undefined && next.strictness < first.strictness) continue; // broader: do not widen
            if (first === undefined) seenByName.set(next.name, next);
            queue.push(next);
          }
        }
      }
    }
  }
  return pool;
}
