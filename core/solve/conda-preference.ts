// conda's preference between records of one package name, as a comparator the solver sorts
// candidates with: for dependencies, the installed record first (conda's targets, then the fewest
// changes to other installed packages), channel priority, features, version, build, arch over
// noarch, the versions its dependencies allow, timestamp; for requested packages, the version
// before features (conda minimises eq_req_v before the feature counts), and the installed packages
// it keeps after its build. Mirrors the objective order of conda's Resolve.solve and version_key.
//
// Sorting is a hot part, so what the comparator reads is computed once per record where that is
// cheap: its feature counts, and its dependencies by name.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import type { Version } from '../spec/version.ts';

export type ChannelPriority = 'strict' | 'flexible' | 'disabled';

export class CondaPreference {
  private readonly index: PackageIndex;
  private readonly priority: ChannelPriority;
  private readonly targets: ReadonlyMap<string, number>;
  private readonly activeFeatures: ReadonlySet<string>;
  private readonly bestVersions = new Map<MatchSpec, number | undefined>();
  /** Per record id: featureRank + 3 * trackFeatureCount, once asked. */
  private readonly featureKeys: number[] = [];
  /** Per record id: a dependency name → the last of its dependencies on that name (as `new Map(depends)` keeps). */
  private readonly depsByName: (Map<string, MatchSpec> | undefined)[] = [];

  constructor(index: PackageIndex, priority: ChannelPriority, targets: ReadonlyMap<string, number>, activeFeatures: ReadonlySet<string>) {
    this.index = index;
    this.priority = priority;
    this.targets = targets;
    this.activeFeatures = activeFeatures;
  }

  /** 0: carries only active features; 1: carries none; 2: would bring a feature nobody tracks yet. */
  featureRank(id: number): number {
    return this.featureKey(id) % 3;
  }

  trackFeatureCount(id: number): number {
    return (this.featureKey(id) - (this.featureKey(id) % 3)) / 3;
  }

  private featureKey(id: number): number {
    let k = this.featureKeys[id];
    if (k === undefined) {
      const r = this.index.record(id);
      const features = r.features;
      const rank = features.length === 0 ? 1 : features.every((f) => this.activeFeatures.has(f)) ? 0 : 2;
      k = rank + 3 * r.track_features.length;
      this.featureKeys[id] = k;
    }
    return k;
  }

  /** 0 for the installed record conda keeps (its target) unless keeping it costs a feature; 1 otherwise. */
  targetRank(id: number): number {
    if (this.targets.get(this.index.nameOf(id)) !== id || this.featureRank(id) === 2) return 1;
    return this.index.record(id).track_features.every((f) => this.activeFeatures.has(f)) ? 0 : 1;
  }

  /** How many installed packages (targets) this record's dependencies would change. */
  targetConflicts(id: number): number {
    let n = this.conflictCounts.get(id);
    if (n === undefined) {
      n = 0;
      for (const d of this.index.depends(id)) {
        const t = this.targets.get(d.name);
        if (t !== undefined && !this.index.matches(d, t)) n++;
      }
      this.conflictCounts.set(id, n);
    }
    return n;
  }

  private readonly conflictCounts = new Map<number, number>();

  /** compareVersions(version(a), version(b)) for two records; equal version texts need no parsing. */
  compareRecordVersions(a: number, b: number): number {
    const ix = this.index;
    if (ix.record(a).version === ix.record(b).version) return 0;
    return compareVersions(ix.version(a), ix.version(b));
  }

  /** conda's preference between two records of one name: negative when a is better. */
  compare(a: number, b: number, requested: boolean): number {
    const ix = this.index;
    const hasTargets = this.targets.size > 0;
    if (!requested && hasTargets) {
      // keep the installed record; else change as few other installed packages as possible
      const t = this.targetRank(a) - this.targetRank(b) || this.targetConflicts(a) - this.targetConflicts(b);
      if (t !== 0) return t;
    }
    if (this.priority === 'flexible') {
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    // a requested package's version comes before features (conda: eq_req_v, then the feature counts)
    const ka = this.featureKey(a);
    const kb = this.featureKey(b);
    const fr = (ka % 3) - (kb % 3);
    if (!requested && fr !== 0) return fr;
    const tf = (ka - (ka % 3)) / 3 - (kb - (kb % 3)) / 3;
    if (!requested && tf !== 0) return tf;
    const v = this.compareRecordVersions(b, a);
    if (v !== 0) return v;
    if (this.priority === 'disabled') {
      // conda's version_key without channel priority: version first, then the channel
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    if (requested && fr !== 0) return fr;
    if (requested && tf !== 0) return tf;
    const ra = ix.record(a);
    const rb = ix.record(b);
    const bn = rb.build_number - ra.build_number;
    if (bn !== 0) return bn;
    // an arch-specific build beats a noarch one that is otherwise equal
    const na = (ix.subdirOf(a) === 'noarch' ? 1 : 0) - (ix.subdirOf(b) === 'noarch' ? 1 : 0);
    if (na !== 0) return na;
    if (requested && hasTargets) {
      const t = this.targetConflicts(a) - this.targetConflicts(b);
      if (t !== 0) return t;
    }
    const deps = this.compareDependencies(a, b);
    if (deps !== 0) return deps;
    return (rb.timestamp ?? 0) - (ra.timestamp ?? 0);
  }

  /** A record's dependency on a name (the last one, when it names it twice). */
  dependencyOn(id: number, name: string): MatchSpec | undefined {
    let m = this.depsByName[id];
    if (m === undefined) {
      m = new Map();
      for (const d of this.index.depends(id)) m.set(d.name, d);
      this.depsByName[id] = m;
    }
    return m.get(name);
  }

  /** Between builds of one version: prefer the one whose shared dependencies allow newer versions. */
  private compareDependencies(a: number, b: number): number {
    for (const da of this.index.depends(a)) {
      const db = this.dependencyOn(b, da.name);
      if (db === undefined || db === da || specKey(db) === specKey(da)) continue;
      const va = this.bestVersion(da);
      const vb = this.bestVersion(db);
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const c = this.compareRecordVersions(vb, va);
      if (c !== 0) return c;
    }
    return 0;
  }

  bestVersion(spec: MatchSpec): number | undefined {
    // asked from inside sort comparisons: remember the answer per spec (specs are shared objects)
    const known = this.bestVersions.get(spec);
    if (known !== undefined || this.bestVersions.has(spec)) return known;
    let best: number | undefined;
    const ids = this.index.candidates(spec.name);
    const matched = matchFlags(this.index, spec, ids);
    for (let i = 0; i < ids.length; i++) {
      if (matched[i] === 0) continue;
      const id = ids[i]!;
      if (best === undefined || this.compareRecordVersions(id, best) > 0) best = id;
    }
    this.bestVersions.set(spec, best);
    return best;
  }
}

const nameAndVersion = new WeakMap<MatchSpec, boolean>();

/**
 * Which records of a list match a spec (1) or not (0), as `index.matches` says. A spec that asks
 * only for a name and a version gives the same answer to records with the same name and version
 * text, so neighbours in the list (records of one version sit together) share one answer.
 */
export function matchFlags(index: PackageIndex, spec: MatchSpec, ids: readonly number[]): Uint8Array {
  const out = new Uint8Array(ids.length);
  let simple = nameAndVersion.get(spec);
  if (simple === undefined) {
    simple = spec.name !== '*' && spec.fieldNames().every((f) => f === 'name' || f === 'version');
    nameAndVersion.set(spec, simple);
  }
  if (!simple) {
    for (let i = 0; i < ids.length; i++) out[i] = index.matches(spec, ids[i]!) ? 1 : 0;
    return out;
  }
  let lastName: string | undefined;
  let lastVersion: string | undefined;
  let last = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const r = index.record(id);
    if (r.version !== lastVersion || r.name !== lastName) {
      last = index.matches(spec, id) ? 1 : 0;
      lastName = r.name;
      lastVersion = r.version;
    }
    out[i] = last;
  }
  return out;
}

const keys = new WeakMap<MatchSpec, string>();

/** A spec's key, computed once per spec object. */
export function specKey(spec: MatchSpec): string {
  let k = keys.get(spec);
  if (k === undefined) keys.set(spec, (k = spec.key));
  return k;
}

/** Versions that do not parse sort below every valid one. */
export function compareVersions(a: Version | null, b: Version | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.compare(b);
}
