// conda's preference between records of one package name, as a comparator the solver sorts
// candidates with: for dependencies, the installed record first (conda's targets, then the fewest
// changes to other installed packages), channel priority, features, version, build, arch over
// noarch, the versions its dependencies allow, timestamp; for requested packages, the version
// before features (conda minimises eq_req_v before the feature counts), and the installed packages
// it keeps after its build. Mirrors the objective order of conda's Resolve.solve and version_key.

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

  constructor(index: PackageIndex, priority: ChannelPriority, targets: ReadonlyMap<string, number>, activeFeatures: ReadonlySet<string>) {
    this.index = index;
    this.priority = priority;
    this.targets = targets;
    this.activeFeatures = activeFeatures;
  }

  /** 0: carries only active features; 1: carries none; 2: would bring a feature nobody tracks yet. */
  featureRank(id: number): number {
    const features = this.index.record(id).features;
    if (features.length === 0) return 1;
    return features.every((f) => this.activeFeatures.has(f)) ? 0 : 2;
  }

  trackFeatureCount(id: number): number {
    return this.index.record(id).track_features.length;
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
    const fr = this.featureRank(a) - this.featureRank(b);
    if (!requested && fr !== 0) return fr;
    const tf = this.trackFeatureCount(a) - this.trackFeatureCount(b);
    if (!requested && tf !== 0) return tf;
    const v = compareVersions(ix.version(b), ix.version(a));
    if (v !== 0) return v;
    if (this.priority === 'disabled') {
      // conda's version_key without channel priority: version first, then the channel
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    if (requested && fr !== 0) return fr;
    if (requested && tf !== 0) return tf;
    const bn = ix.record(b).build_number - ix.record(a).build_number;
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
    return (ix.record(b).timestamp ?? 0) - (ix.record(a).timestamp ?? 0);
  }

  /** Between builds of one version: prefer the one whose shared dependencies allow newer versions. */
  private compareDependencies(a: number, b: number): number {
    const ix = this.index;
    const bDeps = new Map(ix.depends(b).map((d) => [d.name, d]));
    for (const da of ix.depends(a)) {
      const db = bDeps.get(da.name);
      if (db === undefined || db === da || specKey(db) === specKey(da)) continue;
      const va = this.bestVersion(da);
      const vb = this.bestVersion(db);
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const c = compareVersions(ix.version(vb), ix.version(va));
      if (c !== 0) return c;
    }
    return 0;
  }

  bestVersion(spec: MatchSpec): number | undefined {
    // asked from inside sort comparisons: remember the answer per spec (specs are shared objects)
    if (this.bestVersions.has(spec)) return this.bestVersions.get(spec);
    let best: number | undefined;
    for (const id of this.index.candidates(spec.name)) {
      if (!this.index.matches(spec, id)) continue;
      if (best === undefined || compareVersions(this.index.version(id), this.index.version(best)) > 0) best = id;
    }
    this.bestVersions.set(spec, best);
    return best;
  }
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
