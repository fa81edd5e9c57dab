// Conda's dependency semantics on top of the SAT core (the "dependency provider" half of resolvo's
// split): one record per name, every `depends` satisfied, `constrains` binding only installed
// packages, channel priority, and decisions in the order of conda's objectives (Resolve.solve):
// first each requested spec's channel and version (a variable per version group, builds later),
// then installed packages kept as they are (conda's targets), then the remaining requirements,
// each choosing by conda-preference.ts. A candidate whose dependencies are already ruled out is
// skipped (its clauses are added so propagation rules it out), and among equal versions of a
// dependency the one whose dependencies allow newer versions, given what is decided, wins (conda
// maximises all versions before any build number). Variables and clauses are created only for
// names that become reachable from the request.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { type ChannelPriority, compareVersions, CondaPreference, specKey } from './conda-preference.ts';
import { lit, type Literal, SatSolver } from './sat.ts';

export type { ChannelPriority } from './conda-preference.ts';

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
  /**
   * Required specs of installed packages (conda's specs with a `target`): decided after `specs`,
   * each keeping its installed record (see `targets`) unless something forces a change.
   */
  kept?: readonly MatchSpec[];
  /** Per name, the installed record to keep (conda's `target`): preferred, after features, wherever the name is decided. */
  targets?: ReadonlyMap<string, number>;
  /** Optional specs (conda's `optional`): a package of that name, if present, must match; nothing pulls it in. */
  optional?: readonly MatchSpec[];
  /** conda's Resolve.remove objective: before anything else, keep as many `optional` specs' packages as possible. */
  keepOptional?: boolean;
  /** Records never used (for example installed duplicates of repodata records). */
  exclude?: ReadonlySet<number>;
  /**
   * Orderings and matches shared by solves of one index that differ only in their specs (same
   * priority and exclusions); used only by solves without targets or active features.
   */
  cache?: SolveCache;
}

/** Candidate orderings and spec matches (record ids) that repeated solves can share. */
export class SolveCache {
  readonly sorted = new Map<string, number[]>();
  readonly matches = new Map<MatchSpec, number[]>();
  readonly requestedMatches = new Map<MatchSpec, number[]>();
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
  /** Variable that needs this requirement, 0 for a root spec. */
  parent: number;
  spec: MatchSpec;
  /** Candidate variables matching the spec, best first. */
  candidates: number[];
  /** The same as a set, made when first needed. */
  candidateSet?: Set<number>;
}

export class CondaSolver {
  private readonly index: PackageIndex;
  private readonly priority: ChannelPriority;
  private readonly sat: SatSolver;
  private readonly varOfRecord = new Map<number, number>();
  private readonly recordOfVar: number[] = [0];
  /** Per name: candidate record ids allowed by channel priority, best first for dependencies. */
  private readonly nameCandidates = new Map<string, number[]>();
  /** Dependency requirements, in the order their parents were expanded. */
  private readonly requirements: Requirement[] = [];
  /** Root requirements by decision phase: optional specs to keep (Resolve.remove), requested, kept. */
  private readonly keepRoots: Requirement[] = [];
  private readonly requestedRoots: Requirement[] = [];
  private readonly keptRoots: Requirement[] = [];
  private readonly requested: readonly MatchSpec[];
  private readonly request: SolveRequest;
  private readonly targets: ReadonlyMap<string, number>;
  private readonly exclude: ReadonlySet<number> | undefined;
  private readonly cache: SolveCache | undefined;
  private readonly missing: MatchSpec[] = [];
  private readonly requestedNames = new Set<string>();
  private readonly virtualChannel: string;
  private readonly activeFeatures: ReadonlySet<string>;
  private readonly prefer: CondaPreference;

  constructor(request: SolveRequest) {
    this.index = request.index;
    this.priority = request.channelPriority ?? 'strict';
    this.virtualChannel = request.virtualChannel ?? '@';
    this.activeFeatures = request.activeFeatures ?? new Set();
    this.requested = request.specs;
    this.request = request;
    this.targets = request.targets ?? new Map();
    this.exclude = request.exclude !== undefined && request.exclude.size > 0 ? request.exclude : undefined;
    this.cache = this.targets.size === 0 && this.activeFeatures.size === 0 ? request.cache : undefined;
    this.prefer = new CondaPreference(this.index, this.priority, this.targets, this.activeFeatures);
    for (const s of request.specs) this.requestedNames.add(s.name);
    this.sat = new SatSolver({
      expand: (v) => this.expand(v),
      decide: () => this.decide(),
    });
  }

  solve(): SolveOutcome {
    for (const spec of this.requested) this.requestedRoots.push(this.requireRoot(spec, true));
    for (const req of this.requestedRoots) this.versionGroups.set(req, this.groupByVersion(req.candidates));
    for (const spec of this.request.kept ?? []) this.keptRoots.push(this.requireRoot(spec, false));
    for (const spec of this.request.optional ?? []) {
      if (spec.name === '*') continue;
      // if present, the package must match: every other record of the name is excluded
      for (const id of this.candidatesOf(spec.name)) if (!this.index.matches(spec, id)) this.sat.addClause([lit(this.varOfRecord.get(id)!, false)]);
      if (this.request.keepOptional) this.keepRoots.push({ parent: 0, spec, candidates: this.matching(spec, false) });
    }
    const ok = this.sat.solve();
    const stats = this.stats();
    if (!ok) return { ok: false, stats, missing: this.missing };
    const records: number[] = [];
    for (let v = 1; v < this.recordOfVar.length; v++) if (this.sat.valueOf(v) === true && this.recordOfVar[v] !== undefined) records.push(this.recordOfVar[v]!);
    return { ok: true, records, stats };
  }

  private requireRoot(spec: MatchSpec, requested: boolean): Requirement {
    const candidates = this.matching(spec, requested);
    if (candidates.length === 0) this.missing.push(spec);
    this.sat.addClause(candidates.map((v) => lit(v, true)));
    return this.track({ parent: 0, spec, candidates });
  }

  /** Requirements by package name, for what is still possible for a name. */
  private readonly requirementsByName = new Map<string, Requirement[]>();

  private track(req: Requirement): Requirement {
    const list = this.requirementsByName.get(req.spec.name);
    if (list === undefined) this.requirementsByName.set(req.spec.name, [req]);
    else list.push(req);
    return req;
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
    list = this.cache?.sorted.get(name);
    if (list === undefined) {
      const all = this.index.candidates(name);
      list = (this.exclude === undefined ? [...all] : all.filter((id) => !this.exclude!.has(id))).sort((a, b) => this.prefer.compare(a, b, false));
      this.cache?.sorted.set(name, list);
    }
    this.nameCandidates.set(name, list);
    const vars: number[] = [];
    for (const id of list) {
      const v = this.sat.newVar();
      this.varOfRecord.set(id, v);
      this.recordOfVar[v] = id;
      vars.push(v);
    }
    // one record per name
    this.sat.addAtMostOne(vars);
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

  /** Variables of the candidates that match the spec, best first (requested specs sort by version first). */
  private matching(spec: MatchSpec, requested: boolean): number[] {
    if (!requested) {
      let vars = this.depVars.get(spec);
      if (vars === undefined) this.depVars.set(spec, (vars = this.computeMatching(spec, false)));
      return vars;
    }
    return this.computeMatching(spec, true);
  }

  private readonly depVars = new Map<MatchSpec, number[]>();

  private computeMatching(spec: MatchSpec, requested: boolean): number[] {
    let ids: number[];
    if (spec.name === '*') {
      const pool = spec.trackFeatures?.length === 1 ? this.index.trackingFeature(spec.trackFeatures[0]!) : [...this.index.allIds()];
      ids = pool.filter((id) => this.index.matches(spec, id) && !this.exclude?.has(id));
      for (const id of ids) this.candidatesOf(this.index.nameOf(id));
      // no version metric applies to a spec without a name; conda's later objectives (versions and
      // count of the packages it brings) favour a record that needs nothing, such as `mkl@`
      const leaf = (id: number) => (this.index.depends(id).length === 0 ? 0 : 1);
      ids.sort((a, b) => leaf(a) - leaf(b) || this.prefer.compare(a, b, requested));
    } else {
      // a spec naming its channel may use any channel's records; others obey channel priority
      const pool = spec.channel !== undefined ? this.candidatesOf(spec.name) : this.allowedOf(spec.name);
      const cached = (requested ? this.cache?.requestedMatches : this.cache?.matches)?.get(spec);
      if (cached !== undefined) ids = cached;
      else {
        ids = pool.filter((id) => this.index.matches(spec, id));
        if (requested) ids.sort((a, b) => this.prefer.compare(a, b, true));
        (requested ? this.cache?.requestedMatches : this.cache?.matches)?.set(spec, ids);
      }
    }
    return ids.map((id) => this.varOfRecord.get(id)!);
  }

  // ---- lazy clauses ----------------------------------------------------------------------------

  private expand(v: number): Literal[][] {
    const id = this.recordOfVar[v];
    if (id === undefined) return []; // a version group's variable
    const ix = this.index;
    const clauses: Literal[][] = [];
    const notV = lit(v, false);
    for (const dep of ix.depends(id)) {
      const candidates = this.matching(dep, false);
      this.requirements.push(this.track({ parent: v, spec: dep, candidates }));
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

  private decide(): Literal | undefined | null {
    // conda's objective order: keep optional packages (Resolve.remove), requested specs, installed
    // targets (as few changes as possible), then the remaining requirements
    const steps = [
      () => this.firstOpen(this.keepRoots, false),
      () => this.firstVersionGroup(),
      () => this.firstOpen(this.requestedRoots, false),
      () => this.firstTarget(),
      () => this.firstOpen(this.keptRoots, true),
      () => this.firstOpen(this.requirements, true),
    ];
    for (const step of steps) {
      const d = step();
      if (d !== undefined) return d;
    }
    return undefined;
  }

  /** Per requested spec: its candidates grouped by channel and version, best first; groups of several builds get a variable. */
  private readonly versionGroups = new Map<Requirement, { v: number | undefined; members: number[] }[]>();

  /**
   * conda maximises the versions of all requested packages (eq_req_v) before any of their builds
   * (eq_req_b): the solver first commits each requested spec to a channel and version, through a
   * variable implying "one of these builds", and picks builds afterwards.
   */
  private groupByVersion(candidates: readonly number[]): { v: number | undefined; members: number[] }[] {
    const ix = this.index;
    const groups: { v: number | undefined; members: number[] }[] = [];
    let last: number | undefined;
    for (const c of candidates) {
      const id = this.recordOfVar[c]!;
      const same = last !== undefined && ix.priorityOf(last) === ix.priorityOf(id) && compareVersions(ix.version(last), ix.version(id)) === 0;
      if (same) groups[groups.length - 1]!.members.push(c);
      else groups.push({ v: undefined, members: [c] });
      last = id;
    }
    for (const g of groups) {
      if (g.members.length < 2) continue;
      g.v = this.sat.newVar();
      this.sat.addClause([lit(g.v, false), ...g.members.map((m) => lit(m, true))]);
    }
    return groups;
  }

  /** The next requested spec without a chosen version: its best still possible channel and version. */
  private firstVersionGroup(): Literal | undefined | null {
    for (const req of this.requestedRoots) {
      const groups = this.versionGroups.get(req)!;
      if (req.candidates.some((c) => this.sat.valueOf(c) === true)) continue;
      if (groups.some((g) => g.v !== undefined && this.sat.valueOf(g.v) === true)) continue;
      for (const g of groups) {
        if (g.v !== undefined && this.sat.valueOf(g.v) === false) continue;
        const open = g.members.filter((m) => this.sat.valueOf(m) === undefined);
        if (open.length === 0) continue;
        if (g.v === undefined) {
          const c = this.viableChoice(g.members, open[0]!);
          return c === undefined ? null : lit(c, true);
        }
        if (!open.some((m) => this.viable(m))) {
          // rule the builds out by their clauses, so the group's variable follows by propagation
          let added = false;
          for (const m of open) if (this.sat.expandNow(m)) added = true;
          if (added) return null;
        }
        return lit(g.v, true);
      }
    }
    return undefined;
  }

  /** Keep each installed target that is still possible, before choosing anything else for kept specs. */
  private firstTarget(): Literal | undefined | null {
    for (const req of this.keptRoots) {
      const target = this.targets.get(req.spec.name);
      if (target === undefined) continue;
      const v = this.varOfRecord.get(target);
      if (v === undefined || this.sat.valueOf(v) !== undefined || !req.candidates.includes(v) || this.prefer.targetRank(target) !== 0 || !this.viable(v)) continue;
      if (req.candidates.some((c) => this.sat.valueOf(c) === true)) continue;
      return lit(v, true);
    }
    return undefined;
  }

  /** The best open candidate of the first active, unsatisfied requirement. */
  private firstOpen(requirements: readonly Requirement[], dependencies: boolean): Literal | undefined | null {
    for (const req of requirements) {
      if (req.parent !== 0 && this.sat.valueOf(req.parent) !== true) continue;
      const chosen = this.versionGroups.get(req)?.find((g) => g.v !== undefined && this.sat.valueOf(g.v) === true);
      if (chosen !== undefined && !chosen.members.some((m) => this.sat.valueOf(m) === true)) {
        const open = chosen.members.find((m) => this.sat.valueOf(m) === undefined);
        if (open === undefined) continue;
        const c = this.viableChoice(chosen.members, open);
        return c === undefined ? null : lit(c, true);
      }
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
      if (!satisfied && choice !== undefined) {
        const c = this.viableChoice(req.candidates, choice);
        return c === undefined ? null : lit(dependencies ? this.refine(req.candidates, c) : c, true);
      }
    }
    return undefined;
  }

  /**
   * The first open candidate, from `first` on, whose dependencies and constraints the current
   * assignment does not already rule out (choosing a ruled-out one would only conflict and be
   * undone). When none is viable, their clauses are added now so propagation rules them all out at
   * once (undefined: propagate before deciding).
   */
  private viableChoice(candidates: readonly number[], first: number): number | undefined {
    const ruledOut: number[] = [];
    for (let i = candidates.indexOf(first); i < candidates.length; i++) {
      const c = candidates[i]!;
      if (this.sat.valueOf(c) !== undefined) continue;
      if (this.viable(c)) return c;
      ruledOut.push(c);
    }
    let added = false;
    for (const c of ruledOut) if (this.sat.expandNow(c)) added = true;
    return added ? undefined : first;
  }

  /**
   * Among the open candidates that rank with `chosen` up to the version, take the one whose
   * dependencies allow the newest versions given what is already decided, then the highest build:
   * conda maximises every dependency's version (eq_v) before any build number (eq_b).
   */
  private refine(candidates: readonly number[], chosen: number): number {
    const first = this.recordOfVar[chosen]!;
    let best = chosen;
    for (let i = candidates.indexOf(chosen) + 1; i < candidates.length; i++) {
      const c = candidates[i]!;
      const id = this.recordOfVar[c]!;
      if (!this.sameRankToVersion(first, id)) break;
      if (this.sat.valueOf(c) !== undefined || !this.viable(c)) continue;
      const bestId = this.recordOfVar[best]!;
      const d = this.liveDependencies(id, bestId);
      if (d < 0 || (d === 0 && this.prefer.compare(id, bestId, false) < 0)) best = c;
    }
    return best;
  }

  /** Do two records of a name rank the same on everything before build number (candidates are sorted so)? */
  private sameRankToVersion(a: number, b: number): boolean {
    const ix = this.index;
    if (this.targets.size > 0 && (this.prefer.targetRank(a) !== this.prefer.targetRank(b) || this.prefer.targetConflicts(a) !== this.prefer.targetConflicts(b))) return false;
    if (this.priority === 'flexible' && ix.priorityOf(a) !== ix.priorityOf(b)) return false;
    if (this.prefer.featureRank(a) !== this.prefer.featureRank(b) || this.prefer.trackFeatureCount(a) !== this.prefer.trackFeatureCount(b)) return false;
    return compareVersions(ix.version(a), ix.version(b)) === 0;
  }

  /**
   * compareDependencies against the current assignment: a dependency already decided only asks to
   * be met; otherwise the best versions are taken among the records every active requirement on
   * that name still allows.
   */
  private liveDependencies(a: number, b: number): number {
    const ix = this.index;
    const bDeps = new Map(ix.depends(b).map((d) => [d.name, d]));
    for (const da of ix.depends(a)) {
      const db = bDeps.get(da.name);
      if (db === undefined || db === da || specKey(db) === specKey(da)) continue;
      const open = this.openRecords(da.name);
      const decided = open?.find((id) => this.sat.valueOf(this.varOfRecord.get(id)!) === true);
      if (decided !== undefined) {
        const ma = ix.matches(da, decided);
        const mb = ix.matches(db, decided);
        if (ma !== mb) return ma ? -1 : 1;
        continue;
      }
      // not in play yet: the best versions the specs allow at all
      const va = open === undefined ? this.prefer.bestVersion(da) : open.find((id) => ix.matches(da, id));
      const vb = open === undefined ? this.prefer.bestVersion(db) : open.find((id) => ix.matches(db, id));
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const c = compareVersions(ix.version(vb), ix.version(va));
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Records of a name not ruled out and allowed by every active requirement on it, best first (undefined: not in play). */
  private openRecords(name: string): number[] | undefined {
    const list = this.nameCandidates.get(name);
    if (list === undefined) return undefined;
    const active = (this.requirementsByName.get(name) ?? []).filter((r) => r.parent === 0 || this.sat.valueOf(r.parent) === true);
    for (const r of active) r.candidateSet ??= new Set(r.candidates);
    return list.filter((id) => {
      const v = this.varOfRecord.get(id)!;
      return this.sat.valueOf(v) !== false && active.every((r) => r.candidateSet!.has(v));
    });
  }

  private viable(v: number): boolean {
    const ix = this.index;
    const id = this.recordOfVar[v]!;
    for (const dep of ix.depends(id)) {
      if (dep.name === '*' || !this.nameCandidates.has(dep.name)) continue; // not in play yet: assume it can be met
      if (!this.matching(dep, false).some((c) => this.sat.valueOf(c) !== false)) return false;
    }
    for (const con of ix.constrains(id)) {
      const list = this.nameCandidates.get(con.name);
      if (list === undefined) continue;
      for (const other of list) if (this.sat.valueOf(this.varOfRecord.get(other)!) === true && !ix.matches(con, other)) return false;
    }
    return true;
  }
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
