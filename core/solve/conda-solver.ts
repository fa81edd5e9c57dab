// Conda's dependency semantics on top of the SAT core (the "dependency provider" half of resolvo's
// split): one record per name, every `depends` satisfied, `constrains` binding only installed
// packages, channel priority, and decisions in conda's preference order — requested packages at
// their newest versions first, then fewest track_features, newest versions and builds of
// dependencies, newest timestamp. Variables and clauses are created only for names that become
// reachable from the request.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import type { Version } from '../spec/version.ts';
import { lit, type Literal, SatSolver } from './sat.ts';

export type ChannelPriority = 'strict' | 'flexible' | 'disabled';

export interface SolveRequest {
  index: PackageIndex;
  /** The user's requested specs, in the order given. */
  specs: readonly MatchSpec[];
  channelPriority?: ChannelPriority;
  /** Names whose records are facts about the machine (virtual packages): never decided, only matched. */
  virtualChannel?: string;
  /**
   * Features already tracked (by a track_features package in the solution): builds carrying them in
   * `features` are preferred, as conda's "featured packages" objective does. `solveConda` finds them.
   */
  activeFeatures?: ReadonlySet<string>;
}

export interface SolveStats {
  variables: number;
  clauses: number;
  decisions: number;
  conflicts: number;
  propagations: number;
  learned: number;
  names: number;
}

export type SolveOutcome =
  | { ok: true; records: number[]; stats: SolveStats }
  | { ok: false; stats: SolveStats; missing: MatchSpec[] };

interface Requirement {
  /** Variable that needs this requirement, 0 for a requested spec. */
  parent: number;
  spec: MatchSpec;
  /** Candidate variables matching the spec, best first. */
  candidates: number[];
}

export class CondaSolver {
  private readonly index: PackageIndex;
  private readonly priority: ChannelPriority;
  private readonly sat: SatSolver;
  private readonly varOfRecord = new Map<number, number>();
  private readonly recordOfVar: number[] = [0];
  /** Per name: candidate record ids allowed by channel priority, best first for dependencies. */
  private readonly nameCandidates = new Map<string, number[]>();
  private readonly requirements: Requirement[] = [];
  private readonly requested: readonly MatchSpec[];
  private readonly missing: MatchSpec[] = [];
  private readonly requestedNames = new Set<string>();
  private readonly virtualChannel: string;
  private readonly activeFeatures: ReadonlySet<string>;

  constructor(request: SolveRequest) {
    this.index = request.index;
    this.priority = request.channelPriority ?? 'strict';
    this.virtualChannel = request.virtualChannel ?? '@';
    this.activeFeatures = request.activeFeatures ?? new Set();
    this.requested = request.specs;
    for (const s of request.specs) this.requestedNames.add(s.name);
    this.sat = new SatSolver({
      expand: (v) => this.expand(v),
      decide: () => this.decide(),
    });
  }

  solve(): SolveOutcome {
    for (const spec of this.requested) {
      const candidates = this.matching(spec, true);
      if (candidates.length === 0) this.missing.push(spec);
      this.requirements.push({ parent: 0, spec, candidates });
      this.sat.addClause(candidates.map((v) => lit(v, true)));
    }
    const ok = this.sat.solve();
    const stats = this.stats();
    if (!ok) return { ok: false, stats, missing: this.missing };
    const records: number[] = [];
    for (let v = 1; v < this.recordOfVar.length; v++) if (this.sat.valueOf(v) === true) records.push(this.recordOfVar[v]!);
    return { ok: true, records, stats };
  }

  private stats(): SolveStats {
    const s = this.sat.stats;
    return {
      variables: this.sat.variableCount,
      clauses: s.clauses,
      decisions: s.decisions,
      conflicts: s.conflicts,
      propagations: s.propagations,
      learned: s.learned,
      names: this.nameCandidates.size,
    };
  }

  // ---- candidates ------------------------------------------------------------------------------

  /** All records of a name, best first; variables are created for every one (one-per-name covers them all). */
  private candidatesOf(name: string): number[] {
    let list = this.nameCandidates.get(name);
    if (list !== undefined) return list;
    list = [...this.index.candidates(name)].sort((a, b) => this.compare(a, b, false));
    this.nameCandidates.set(name, list);
    for (const id of list) {
      const v = this.sat.newVar();
      this.varOfRecord.set(id, v);
      this.recordOfVar[v] = id;
    }
    return list;
  }

  /** Records of a name that channel priority lets a spec without a channel use. */
  private allowedOf(name: string): number[] {
    let list = this.allowed.get(name);
    if (list !== undefined) return list;
    list = this.candidatesOf(name);
    if (this.priority === 'strict' && list.length > 0) {
      let best = Infinity;
      for (const id of list) if (this.index.channelOf(id) !== this.virtualChannel) best = Math.min(best, this.index.priorityOf(id));
      list = list.filter((id) => this.index.channelOf(id) === this.virtualChannel || this.index.priorityOf(id) === best);
    }
    this.allowed.set(name, list);
    return list;
  }

  private readonly allowed = new Map<string, number[]>();
  private readonly bestVersions = new Map<MatchSpec, number | undefined>();

  /** Variables of the candidates that match the spec, best first (requested specs sort by version first). */
  private matching(spec: MatchSpec, requested: boolean): number[] {
    let ids: number[];
    if (spec.name === '*') {
      const pool = spec.trackFeatures?.length === 1 ? this.index.trackingFeature(spec.trackFeatures[0]!) : [...this.index.allIds()];
      ids = pool.filter((id) => this.index.matches(spec, id));
      for (const id of ids) this.candidatesOf(this.index.nameOf(id));
      ids.sort((a, b) => this.compare(a, b, requested));
    } else {
      // a spec naming its channel may use any channel's records; others obey channel priority
      const pool = spec.channel !== undefined ? this.candidatesOf(spec.name) : this.allowedOf(spec.name);
      ids = pool.filter((id) => this.index.matches(spec, id));
      if (requested) ids.sort((a, b) => this.compare(a, b, true));
    }
    return ids.map((id) => this.varOfRecord.get(id)!);
  }

  /** 0: carries only active features; 1: carries none; 2: would bring a feature nobody tracks yet. */
  private featureRank(id: number): number {
    const features = this.index.record(id).features;
    if (features.length === 0) return 1;
    return features.every((f) => this.activeFeatures.has(f)) ? 0 : 2;
  }

  private trackFeatureCount(id: number): number {
    return this.index.record(id).track_features.length;
  }

  /** conda's preference between two records of one name: negative when a is better. */
  private compare(a: number, b: number, requested: boolean): number {
    const ix = this.index;
    if (this.priority === 'flexible') {
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    const fr = this.featureRank(a) - this.featureRank(b);
    if (fr !== 0) return fr;
    const tf = this.trackFeatureCount(a) - this.trackFeatureCount(b);
    if (!requested && tf !== 0) return tf;
    const v = compareVersions(ix.version(b), ix.version(a));
    if (v !== 0) return v;
    if (requested && tf !== 0) return tf;
    const bn = ix.record(b).build_number - ix.record(a).build_number;
    if (bn !== 0) return bn;
    // an arch-specific build beats a noarch one that is otherwise equal
    const na = (ix.subdirOf(a) === 'noarch' ? 1 : 0) - (ix.subdirOf(b) === 'noarch' ? 1 : 0);
    if (na !== 0) return na;
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
      if (db === undefined || db.key === da.key) continue;
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

  private bestVersion(spec: MatchSpec): number | undefined {
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

  // ---- lazy clauses ----------------------------------------------------------------------------

  private expand(v: number): Literal[][] {
    const id = this.recordOfVar[v]!;
    const ix = this.index;
    const clauses: Literal[][] = [];
    const notV = lit(v, false);
    // one record per name
    for (const other of this.candidatesOf(ix.nameOf(id))) {
      if (other !== id) clauses.push([notV, lit(this.varOfRecord.get(other)!, false)]);
    }
    for (const dep of ix.depends(id)) {
      const candidates = this.matching(dep, false);
      this.requirements.push({ parent: v, spec: dep, candidates });
      clauses.push([notV, ...candidates.map((c) => lit(c, true))]);
    }
    for (const con of ix.constrains(id)) {
      for (const other of this.candidatesOf(con.name)) {
        if (!ix.matches(con, other)) clauses.push([notV, lit(this.varOfRecord.get(other)!, false)]);
      }
    }
    return clauses;
  }

  // ---- decisions -------------------------------------------------------------------------------

  private decide(): Literal | undefined {
    for (const req of this.requirements) {
      if (req.parent !== 0 && this.sat.valueOf(req.parent) !== true) continue;
      let choice: number | undefined;
      let satisfied = false;
      for (const c of req.candidates) {
        const val = this.sat.valueOf(c);
        if (val === true) {
          satisfied = true;
          break;
        }
        if (val === undefined && choice === undefined) choice = c;
      }
      if (!satisfied && choice !== undefined) return lit(choice, true);
    }
    return undefined;
  }
}

/** Versions that do not parse sort below every valid one. */
function compareVersions(a: Version | null, b: Version | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.compare(b);
}

/**
 * Solve as conda does with features: first without any feature preferred; if the solution tracks
 * features (a package with track_features is in it), solve again preferring builds that carry them.
 */
export function solveConda(request: SolveRequest): SolveOutcome {
  const first = new CondaSolver(request).solve();
  if (!first.ok || request.activeFeatures !== undefined) return first;
  const tracked = new Set<string>();
  for (const id of first.records) for (const f of request.index.record(id).track_features) tracked.add(f);
  if (tracked.size === 0) return first;
  const second = new CondaSolver({ ...request, activeFeatures: tracked }).solve();
  return second.ok ? second : first;
}
