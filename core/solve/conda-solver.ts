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
//
// Deciding is incremental: the state the decisions read (which requirements have a true candidate,
// whose parent is true, which requested version groups are chosen, each name's true record) is
// kept in step with the SAT trail by `sync` at each decision (what a backjump undid is taken out,
// what was assigned since is taken in), so a decision looks only at the requirements still open
// instead of rescanning them all.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { type ChannelPriority, CondaPreference, matchFlags, specKey } from './conda-preference.ts';
import { lit, type Literal, SatSolver, STATE_FALSE, STATE_TRUE } from './sat.ts';

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
  /** Position in `requirements` for a dependency, -1 for a root spec. */
  slot: number;
  // What the assignment says of it, as of the last `sync` (once registered):
  registered: boolean;
  /** Its candidate list's state (shared by the requirements of one spec). */
  list: CandidateList | undefined;
  /** Is the parent true (always, for a root)? */
  parentTrue: boolean;
  /** A requested spec's version groups; how many of their variables are true, and the last one set. */
  groups?: VersionGroup[];
  chosenCount: number;
  chosen: number;
  /** Groups whose variable is true and no member is. */
  unmet: number;
  /** A root's phase (0 keep, 1 requested, 2 kept; -1 for a dependency) and whether it counts in `attention`. */
  phase: number;
  needsAttention: boolean;
}

/** A list of candidate variables (requirements of one spec share theirs), with how many are true as of the last `sync`. */
interface CandidateList {
  trueCount: number;
  /** The registered requirements with this list. */
  reqs: Requirement[];
}

interface VersionGroup {
  owner: Requirement;
  /** The group's variable ("one of these builds"), for groups of several builds. */
  v: number | undefined;
  members: number[];
  /** How many members are true, and is the variable true (as of the last `sync`)? */
  trueMembers: number;
  vTrue: boolean;
}

/** Per package name in play: how many of its records are true and the last one set (as of the last `sync`). */
interface NameState {
  trueCount: number;
  trueVar: number;
}

const TRUE = STATE_TRUE;
const FALSE = STATE_FALSE;

/** A growable bit set with "first set bit from i" (the open dependency requirements, by position). */
class BitSet {
  private words = new Int32Array(64);
  /** No bit is set in words before this one. */
  private low = 0;

  set(i: number): void {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const grown = new Int32Array(Math.max(w + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[w]! |= 1 << (i & 31);
    if (w < this.low) this.low = w;
  }

  clear(i: number): void {
    const w = i >>> 5;
    if (w < this.words.length) this.words[w]! &= ~(1 << (i & 31));
  }

  /** The first set bit at or after `from`, or -1. */
  next(from: number): number {
    const words = this.words;
    const n = words.length;
    let w = from >>> 5;
    let word: number;
    if (w < this.low) {
      // every bit before word `low` is clear, and `from` lies before it
      w = this.low;
      if (w >= n) return -1;
      word = words[w]!;
    } else {
      if (w >= n) return -1;
      word = words[w]! & (-1 << (from & 31));
    }
    while (word === 0) {
      if (++w >= n) {
        if (from === 0) this.low = n;
        return -1;
      }
      word = words[w]!;
    }
    if (from === 0) this.low = w;
    return (w << 5) + (31 - Math.clz32(word & -word));
  }
}

export class CondaSolver {
  private readonly index: PackageIndex;
  private readonly priority: ChannelPriority;
  private readonly sat: SatSolver;
  /** Per record id: its variable, 0 while its name is not in play. */
  private varOfRecord = new Int32Array(1024);
  private readonly recordOfVar: number[] = [0];
  /** Per name: candidate record ids allowed by channel priority, best first for dependencies. */
  private readonly nameCandidates = new Map<string, number[]>();
  private readonly nameStates = new Map<string, NameState>();
  /** Per name in play: the variables of nameCandidates' records, in the same order. */
  private readonly nameVars = new Map<string, number[]>();
  /** Per variable of a record: its name's state. */
  private readonly nameStateOfVar: (NameState | undefined)[] = [];
  /** Every requirement, by id. */
  private readonly reqs: Requirement[] = [];
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

  // ---- the assignment as the decisions see it, kept in step with the trail by `sync` ------------
  /** Per variable: the registered candidate lists it is in; the lists by their array. */
  private readonly occurrences: (CandidateList[] | undefined)[] = [];
  private readonly lists = new Map<readonly number[], CandidateList>();
  /** Per variable: the version groups (of registered requested specs) it is a member of. */
  private readonly memberOf: (VersionGroup[] | undefined)[] = [];
  /** Per variable: the positions in `requirements` of its dependencies (from, to). */
  private readonly childFrom: (number | undefined)[] = [];
  private readonly childTo: (number | undefined)[] = [];
  /** Per version group variable: its requested requirement and group. */
  private readonly groupOwner: ({ req: Requirement; index: number } | undefined)[] = [];
  /** Dependency requirements whose parent is true and no candidate is, by position. */
  private readonly open = new BitSet();
  /** reqs[registered..] are not registered yet. */
  private registered = 0;
  /**
   * Per root phase: roots with no true candidate, or a true version group with no true member; the
   * decisions on roots of a phase look only at such roots, so a phase at 0 has nothing to decide.
   */
  private readonly attention = [0, 0, 0];
  /** True variables taken into account, with their trail positions. */
  private readonly doneVars: number[] = [];
  private readonly donePos: number[] = [];

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
    for (const spec of this.requested) this.requestedRoots.push(this.requireRoot(spec, true, 1));
    for (const req of this.requestedRoots) this.groupByVersion(req);
    for (const spec of this.request.kept ?? []) this.keptRoots.push(this.requireRoot(spec, false, 2));
    for (const spec of this.request.optional ?? []) {
      if (spec.name === '*') continue;
      // if present, the package must match: every other record of the name is excluded
      for (const id of this.candidatesOf(spec.name)) if (!this.index.matches(spec, id)) this.sat.addClause([lit(this.varOf(id), false)]);
      if (this.request.keepOptional) this.keepRoots.push(this.newRequirement(0, spec, this.matching(spec, false), false, 0));
    }
    const ok = this.sat.solve();
    const stats = this.stats();
    if (!ok) return { ok: false, stats, missing: this.missing };
    const records: number[] = [];
    const recordOfVar = this.recordOfVar;
    for (let v = 1; v < recordOfVar.length; v++) if (this.sat.state(v) === TRUE && recordOfVar[v] !== undefined) records.push(recordOfVar[v]!);
    return { ok: true, records, stats };
  }

  private requireRoot(spec: MatchSpec, requested: boolean, phase: number): Requirement {
    const candidates = this.matching(spec, requested);
    if (candidates.length === 0) this.missing.push(spec);
    this.sat.addClause(candidates.map((v) => lit(v, true)));
    return this.track(this.newRequirement(0, spec, candidates, false, phase));
  }

  private newRequirement(parent: number, spec: MatchSpec, candidates: number[], dependency: boolean, phase = -1): Requirement {
    const req: Requirement = {
      parent,
      spec,
      candidates,
      slot: dependency ? this.requirements.length : -1,
      registered: false,
      list: undefined,
      parentTrue: false,
      chosenCount: 0,
      chosen: -1,
      unmet: 0,
      phase,
      needsAttention: false,
    };
    this.reqs.push(req);
    if (dependency) this.requirements.push(req);
    return req;
  }

  /** Requirements by package name, for what is still possible for a name. */
  private readonly requirementsByName = new Map<string, Requirement[]>();

  private track(req: Requirement): Requirement {
    this.stamp++;
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
    this.stamp++;
    const state: NameState = { trueCount: 0, trueVar: 0 };
    this.nameStates.set(name, state);
    const vars: number[] = [];
    for (const id of list) {
      const v = this.sat.newVar();
      if (id >= this.varOfRecord.length) {
        const grown = new Int32Array(Math.max(id + 1, 2 * this.varOfRecord.length));
        grown.set(this.varOfRecord);
        this.varOfRecord = grown;
      }
      this.varOfRecord[id] = v;
      this.recordOfVar[v] = id;
      this.nameStateOfVar[v] = state;
      vars.push(v);
    }
    this.nameVars.set(name, vars);
    // one record per name
    this.sat.addAtMostOne(vars);
    return list;
  }

  /** A record's variable (0: its name is not in play). */
  private varOf(id: number): number {
    return id < this.varOfRecord.length ? this.varOfRecord[id]! : 0;
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
        const matched = matchFlags(this.index, spec, pool);
        ids = [];
        for (let i = 0; i < pool.length; i++) if (matched[i] === 1) ids.push(pool[i]!);
        if (requested) ids.sort((a, b) => this.prefer.compare(a, b, true));
        (requested ? this.cache?.requestedMatches : this.cache?.matches)?.set(spec, ids);
      }
    }
    const vars = new Array<number>(ids.length);
    for (let i = 0; i < ids.length; i++) vars[i] = this.varOf(ids[i]!);
    return vars;
  }

  // ---- lazy clauses ----------------------------------------------------------------------------

  private expand(v: number): Literal[][] {
    const id = this.recordOfVar[v];
    if (id === undefined) return []; // a version group's variable
    const ix = this.index;
    const clauses: Literal[][] = [];
    const notV = lit(v, false);
    this.childFrom[v] = this.requirements.length;
    const depends = ix.depends(id);
    for (let d = 0; d < depends.length; d++) {
      const dep = depends[d]!;
      const candidates = this.matching(dep, false);
      this.track(this.newRequirement(v, dep, candidates, true));
      const clause = new Array<Literal>(candidates.length + 1);
      clause[0] = notV;
      for (let i = 0; i < candidates.length; i++) clause[i + 1] = lit(candidates[i]!, true);
      clauses.push(clause);
    }
    this.childTo[v] = this.requirements.length;
    const constrains = ix.constrains(id);
    for (let k = 0; k < constrains.length; k++) {
      const others = this.conflicting(constrains[k]!);
      for (let i = 0; i < others.length; i++) clauses.push([notV, lit(others[i]!, false)]);
    }
    return clauses;
  }

  /** Variables of the records of a constraint's name that it rules out, in candidate order. */
  private conflicting(con: MatchSpec): number[] {
    let vars = this.conVars.get(con);
    if (vars === undefined) {
      const others = this.candidatesOf(con.name);
      const matched = matchFlags(this.index, con, others);
      vars = [];
      for (let i = 0; i < others.length; i++) if (matched[i] === 0) vars.push(this.varOf(others[i]!));
      this.conVars.set(con, vars);
    }
    return vars;
  }

  private readonly conVars = new Map<MatchSpec, number[]>();

  // ---- keeping in step with the assignment ------------------------------------------------------

  /** Bring the requirements' state up to date with the trail: undo what was backjumped over, then take in the rest. */
  private sync(): void {
    const sat = this.sat;
    this.stamp++;
    const from = sat.takeUnchangedPrefix();
    const doneVars = this.doneVars;
    const donePos = this.donePos;
    while (donePos.length > 0 && donePos[donePos.length - 1]! >= from) {
      donePos.pop();
      this.unsetTrue(doneVars.pop()!);
    }
    const end = sat.trailLength;
    for (let i = from; i < end; i++) {
      const l = sat.trailLiteral(i);
      if ((l & 1) !== 0) continue;
      const v = l >> 1;
      this.setTrue(v);
      doneVars.push(v);
      donePos.push(i);
    }
    while (this.registered < this.reqs.length) this.register(this.reqs[this.registered++]!);
  }

  private register(r: Requirement): void {
    const sat = this.sat;
    let list = this.lists.get(r.candidates);
    if (list === undefined) {
      // a new candidate list: where each variable occurs, and how many are true now
      const vars = r.candidates;
      list = { trueCount: 0, reqs: [] };
      for (let i = 0; i < vars.length; i++) {
        const c = vars[i]!;
        const occ = this.occurrences[c];
        if (occ === undefined) this.occurrences[c] = [list];
        else occ.push(list);
        if (sat.state(c) === TRUE) list.trueCount++;
      }
      this.lists.set(r.candidates, list);
    }
    list.reqs.push(r);
    r.list = list;
    if (r.groups !== undefined) {
      r.chosenCount = 0;
      r.chosen = -1;
      r.unmet = 0;
      for (let g = 0; g < r.groups.length; g++) {
        const group = r.groups[g]!;
        group.trueMembers = 0;
        for (const m of group.members) {
          const member = this.memberOf[m];
          if (member === undefined) this.memberOf[m] = [group];
          else member.push(group);
          if (sat.state(m) === TRUE) group.trueMembers++;
        }
        group.vTrue = group.v !== undefined && sat.state(group.v) === TRUE;
        if (group.vTrue) {
          r.chosenCount++;
          r.chosen = g;
          if (group.trueMembers === 0) r.unmet++;
        }
      }
    }
    r.parentTrue = r.parent === 0 || sat.state(r.parent) === TRUE;
    r.registered = true;
    if (r.slot >= 0 && r.parentTrue && list.trueCount === 0) this.open.set(r.slot);
    if (r.phase >= 0) this.updateAttention(r);
  }

  /** Keep a root's place in the `attention` count in step with its state. */
  private updateAttention(r: Requirement): void {
    const needs = r.list!.trueCount === 0 || r.unmet > 0;
    if (needs !== r.needsAttention) {
      r.needsAttention = needs;
      this.attention[r.phase]! += needs ? 1 : -1;
    }
  }

  private setTrue(v: number): void {
    const occ = this.occurrences[v];
    if (occ !== undefined) {
      for (let i = 0; i < occ.length; i++) {
        const list = occ[i]!;
        if (list.trueCount++ !== 0) continue;
        // the list's requirements are now met
        const reqs = list.reqs;
        for (let k = 0; k < reqs.length; k++) {
          const r = reqs[k]!;
          if (r.slot >= 0) {
            if (r.parentTrue) this.open.clear(r.slot);
          } else if (r.phase >= 0) this.updateAttention(r);
        }
      }
    }
    const member = this.memberOf[v];
    if (member !== undefined) {
      for (let i = 0; i < member.length; i++) {
        const group = member[i]!;
        if (group.trueMembers++ === 0 && group.vTrue) {
          group.owner.unmet--;
          this.updateAttention(group.owner);
        }
      }
    }
    const from = this.childFrom[v];
    if (from !== undefined) {
      const to = this.childTo[v]!;
      for (let s = from; s < to; s++) {
        const r = this.requirements[s]!;
        if (!r.registered) continue;
        r.parentTrue = true;
        if (r.list!.trueCount === 0) this.open.set(s);
      }
    }
    const owner = this.groupOwner[v];
    if (owner !== undefined && owner.req.registered) {
      const r = owner.req;
      const group = r.groups![owner.index]!;
      group.vTrue = true;
      r.chosenCount++;
      r.chosen = owner.index;
      if (group.trueMembers === 0) r.unmet++;
      this.updateAttention(r);
    }
    const name = this.nameStateOfVar[v];
    if (name !== undefined) {
      name.trueCount++;
      name.trueVar = v;
    }
  }

  private unsetTrue(v: number): void {
    const occ = this.occurrences[v];
    if (occ !== undefined) {
      for (let i = 0; i < occ.length; i++) {
        const list = occ[i]!;
        if (--list.trueCount !== 0) continue;
        // the list's requirements are open again
        const reqs = list.reqs;
        for (let k = 0; k < reqs.length; k++) {
          const r = reqs[k]!;
          if (r.slot >= 0) {
            if (r.parentTrue) this.open.set(r.slot);
          } else if (r.phase >= 0) this.updateAttention(r);
        }
      }
    }
    const member = this.memberOf[v];
    if (member !== undefined) {
      for (let i = 0; i < member.length; i++) {
        const group = member[i]!;
        if (--group.trueMembers === 0 && group.vTrue) {
          group.owner.unmet++;
          this.updateAttention(group.owner);
        }
      }
    }
    const from = this.childFrom[v];
    if (from !== undefined) {
      const to = this.childTo[v]!;
      for (let s = from; s < to; s++) {
        const r = this.requirements[s]!;
        if (!r.registered) continue;
        r.parentTrue = false;
        this.open.clear(s);
      }
    }
    const owner = this.groupOwner[v];
    if (owner !== undefined && owner.req.registered) {
      const r = owner.req;
      const group = r.groups![owner.index]!;
      group.vTrue = false;
      r.chosenCount--;
      if (group.trueMembers === 0) r.unmet--;
      this.updateAttention(r);
    }
    const name = this.nameStateOfVar[v];
    if (name !== undefined) name.trueCount--;
  }

  // ---- decisions -------------------------------------------------------------------------------

  private decide(): Literal | undefined | null {
    this.sync();
    // conda's objective order: keep optional packages (Resolve.remove), requested specs, installed
    // targets (as few changes as possible), then the remaining requirements
    // (a phase whose roots all have a true candidate, and no true version group without a true
    // member, has nothing to decide)
    const attention = this.attention;
    let d: Literal | undefined | null;
    if (attention[0]! > 0) {
      d = this.firstOpenRoot(this.keepRoots, false);
      if (d !== undefined) return d;
    }
    if (attention[1]! > 0) {
      d = this.firstVersionGroup();
      if (d !== undefined) return d;
      d = this.firstOpenRoot(this.requestedRoots, false);
      if (d !== undefined) return d;
    }
    if (attention[2]! > 0) {
      d = this.firstTarget();
      if (d !== undefined) return d;
      d = this.firstOpenRoot(this.keptRoots, true);
      if (d !== undefined) return d;
    }
    return this.firstOpenRequirement();
  }

  /**
   * conda maximises the versions of all requested packages (eq_req_v) before any of their builds
   * (eq_req_b): the solver first commits each requested spec to a channel and version, through a
   * variable implying "one of these builds", and picks builds afterwards.
   */
  private groupByVersion(req: Requirement): void {
    const ix = this.index;
    const groups: VersionGroup[] = [];
    let last: number | undefined;
    for (const c of req.candidates) {
      const id = this.recordOfVar[c]!;
      const same = last !== undefined && ix.priorityOf(last) === ix.priorityOf(id) && this.prefer.compareRecordVersions(last, id) === 0;
      if (same) groups[groups.length - 1]!.members.push(c);
      else groups.push({ owner: req, v: undefined, members: [c], trueMembers: 0, vTrue: false });
      last = id;
    }
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (group.members.length < 2) continue;
      group.v = this.sat.newVar();
      this.groupOwner[group.v] = { req, index: g };
      this.sat.addClause([lit(group.v, false), ...group.members.map((m) => lit(m, true))]);
    }
    req.groups = groups;
  }

  /** The first unassigned variable of a list, from position `from` (-1: none). */
  private firstUnassigned(vars: readonly number[], from = 0): number {
    const sat = this.sat;
    for (let i = from; i < vars.length; i++) if (sat.state(vars[i]!) === 0) return i;
    return -1;
  }

  /** The version group whose variable is true (the first one, as a search of the groups finds it). */
  private chosenGroup(req: Requirement): VersionGroup | undefined {
    const groups = req.groups!;
    if (req.chosenCount === 1) {
      const g = groups[req.chosen]!;
      if (g.v !== undefined && this.sat.state(g.v) === TRUE) return g;
    }
    return groups.find((g) => g.v !== undefined && this.sat.state(g.v) === TRUE);
  }

  /** The next requested spec without a chosen version: its best still possible channel and version. */
  private firstVersionGroup(): Literal | undefined | null {
    const sat = this.sat;
    const roots = this.requestedRoots;
    for (let r = 0; r < roots.length; r++) {
      const req = roots[r]!;
      if (req.list!.trueCount > 0 || req.chosenCount > 0) continue;
      const groups = req.groups!;
      for (let k = 0; k < groups.length; k++) {
        const g = groups[k]!;
        if (g.v !== undefined && sat.state(g.v) === FALSE) continue;
        const members = g.members;
        const at = this.firstUnassigned(members);
        if (at < 0) continue;
        if (g.v === undefined) {
          const i = this.viableChoice(members, at);
          return i < 0 ? null : lit(members[i]!, true);
        }
        let anyViable = false;
        for (let m = at; m < members.length; m++) {
          if (sat.state(members[m]!) === 0 && this.viable(members[m]!)) {
            anyViable = true;
            break;
          }
        }
        if (!anyViable) {
          // rule the builds out by their clauses, so the group's variable follows by propagation
          let added = false;
          for (let m = at; m < members.length; m++) if (sat.state(members[m]!) === 0 && sat.expandNow(members[m]!)) added = true;
          if (added) return null;
        }
        return lit(g.v, true);
      }
    }
    return undefined;
  }

  /** Keep each installed target that is still possible, before choosing anything else for kept specs. */
  private firstTarget(): Literal | undefined | null {
    if (this.targets.size === 0) return undefined;
    for (const req of this.keptRoots) {
      const target = this.targets.get(req.spec.name);
      if (target === undefined) continue;
      const v = this.varOf(target);
      if (v === 0 || this.sat.state(v) !== 0 || req.list!.trueCount > 0) continue;
      if (!req.candidates.includes(v) || this.prefer.targetRank(target) !== 0 || !this.viable(v)) continue;
      return lit(v, true);
    }
    return undefined;
  }

  /** The best open candidate of the first unsatisfied root requirement. */
  private firstOpenRoot(roots: readonly Requirement[], dependencies: boolean): Literal | undefined | null {
    for (let r = 0; r < roots.length; r++) {
      const req = roots[r]!;
      if (!req.needsAttention) continue; // a true candidate and no unmet version group: nothing to decide
      if (req.chosenCount > 0) {
        const chosen = this.chosenGroup(req);
        if (chosen !== undefined && chosen.trueMembers === 0) {
          const at = this.firstUnassigned(chosen.members);
          if (at < 0) continue;
          const i = this.viableChoice(chosen.members, at);
          return i < 0 ? null : lit(chosen.members[i]!, true);
        }
      }
      if (req.list!.trueCount > 0) continue;
      const at = this.firstUnassigned(req.candidates);
      if (at < 0) continue;
      return this.choose(req.candidates, at, dependencies);
    }
    return undefined;
  }

  /** The best open candidate of the first dependency requirement whose parent is true and no candidate is. */
  private firstOpenRequirement(): Literal | undefined | null {
    for (let s = this.open.next(0); s >= 0; s = this.open.next(s + 1)) {
      const req = this.requirements[s]!;
      const at = this.firstUnassigned(req.candidates);
      if (at < 0) continue;
      return this.choose(req.candidates, at, true);
    }
    return undefined;
  }

  private choose(candidates: readonly number[], at: number, dependencies: boolean): Literal | null {
    const i = this.viableChoice(candidates, at);
    if (i < 0) return null;
    return lit(dependencies ? this.refine(candidates, i) : candidates[i]!, true);
  }

  /**
   * The position of the first open candidate, from position `first` on, whose dependencies and
   * constraints the current assignment does not already rule out (choosing a ruled-out one would
   * only conflict and be undone). When none is viable, their clauses are added now so propagation
   * rules them all out at once (-1: propagate before deciding); when they all had them, `first`.
   */
  private viableChoice(candidates: readonly number[], first: number): number {
    const sat = this.sat;
    let ruledOut: number[] | undefined;
    for (let i = first; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (sat.state(c) !== 0) continue;
      if (this.viable(c)) return i;
      (ruledOut ??= []).push(c);
    }
    let added = false;
    if (ruledOut !== undefined) for (const c of ruledOut) if (sat.expandNow(c)) added = true;
    return added ? -1 : first;
  }

  /**
   * Among the open candidates that rank with the one at `at` up to the version, take the one whose
   * dependencies allow the newest versions given what is already decided, then the highest build:
   * conda maximises every dependency's version (eq_v) before any build number (eq_b).
   */
  private refine(candidates: readonly number[], at: number): number {
    const chosen = candidates[at]!;
    const first = this.recordOfVar[chosen]!;
    let best = chosen;
    for (let i = at + 1; i < candidates.length; i++) {
      const c = candidates[i]!;
      const id = this.recordOfVar[c]!;
      if (!this.sameRankToVersion(first, id)) break;
      if (this.sat.state(c) !== 0 || !this.viable(c)) continue;
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
    return this.prefer.compareRecordVersions(a, b) === 0;
  }

  /**
   * compareDependencies against the current assignment: a dependency already decided only asks to
   * be met; otherwise the best versions are taken among the records every active requirement on
   * that name still allows.
   */
  private liveDependencies(a: number, b: number): number {
    const ix = this.index;
    const depends = ix.depends(a);
    for (let k = 0; k < depends.length; k++) {
      const da = depends[k]!;
      const db = this.prefer.dependencyOn(b, da.name);
      if (db === undefined || db === da || specKey(db) === specKey(da)) continue;
      let open: number[] | undefined;
      let decided: number | undefined;
      const state = this.nameStates.get(da.name);
      if (state !== undefined && state.trueCount === 1 && this.sat.state(state.trueVar) === TRUE && this.allowedByActive(da.name, state.trueVar)) {
        // the name's one true record, which every active requirement allows: the first true one of openRecords
        decided = this.recordOfVar[state.trueVar]!;
      } else {
        open = this.openRecords(da.name);
        decided = open?.find((id) => this.sat.state(this.varOf(id)) === TRUE);
      }
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
      const c = this.prefer.compareRecordVersions(vb, va);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Records of a name not ruled out and allowed by every active requirement on it, best first (undefined: not in play). */
  private openRecords(name: string): number[] | undefined {
    const list = this.nameCandidates.get(name);
    if (list === undefined) return undefined;
    const cached = this.openCache.get(name);
    if (cached !== undefined && cached.stamp === this.stamp) return cached.records;
    const vars = this.nameVars.get(name)!;
    const sets = this.activeSets(name);
    const records: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = vars[i]!;
      if (this.sat.state(v) === FALSE) continue;
      let all = true;
      for (let k = 0; k < sets.length; k++) {
        if (!sets[k]!.has(v)) {
          all = false;
          break;
        }
      }
      if (all) records.push(list[i]!);
    }
    this.openCache.set(name, { stamp: this.stamp, records });
    return records;
  }

  /** Does every active requirement on the name allow this variable? */
  private allowedByActive(name: string, v: number): boolean {
    const sets = this.activeSets(name);
    for (let k = 0; k < sets.length; k++) if (!sets[k]!.has(v)) return false;
    return true;
  }

  /** The candidate sets of the active requirements on a name (requirements of one spec share one). */
  private activeSets(name: string): Set<number>[] {
    const cached = this.activeCache.get(name);
    if (cached !== undefined && cached.stamp === this.stamp) return cached.sets;
    const reqs = this.requirementsByName.get(name) ?? [];
    const lists = new Set<readonly number[]>();
    const sets: Set<number>[] = [];
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i]!;
      if (r.parent !== 0 && this.sat.state(r.parent) !== TRUE) continue;
      if (lists.has(r.candidates)) continue;
      lists.add(r.candidates);
      let set = this.candidateSets.get(r.candidates);
      if (set === undefined) this.candidateSets.set(r.candidates, (set = new Set(r.candidates)));
      sets.push(set);
    }
    this.activeCache.set(name, { stamp: this.stamp, sets });
    return sets;
  }

  /**
   * Changes whenever what openRecords and activeSets read may change (the assignment, the
   * requirements, the names in play), so their answers can be kept while it stays.
   */
  private stamp = 0;
  private readonly openCache = new Map<string, { stamp: number; records: number[] }>();
  private readonly activeCache = new Map<string, { stamp: number; sets: Set<number>[] }>();
  /** A candidate list as a set (lists are shared by the requirements of one spec). */
  private readonly candidateSets = new WeakMap<readonly number[], Set<number>>();

  /** Are v's dependencies and constraints still possible? (Asked while deciding, with the state in step.) */
  private viable(v: number): boolean {
    const ix = this.index;
    const sat = this.sat;
    const id = this.recordOfVar[v]!;
    const depends = ix.depends(id);
    for (let d = 0; d < depends.length; d++) {
      const dep = depends[d]!;
      if (dep.name === '*') continue;
      let vars = this.depVars.get(dep);
      if (vars === undefined) {
        if (!this.nameCandidates.has(dep.name)) continue; // not in play yet: assume it can be met
        vars = this.matching(dep, false);
      }
      let possible = false;
      for (let i = 0; i < vars.length; i++) {
        if (sat.state(vars[i]!) !== FALSE) {
          possible = true;
          break;
        }
      }
      if (!possible) return false;
    }
    const constrains = ix.constrains(id);
    for (let k = 0; k < constrains.length; k++) {
      const con = constrains[k]!;
      const state = this.nameStates.get(con.name);
      if (state === undefined || state.trueCount === 0) continue;
      if (state.trueCount === 1 && sat.state(state.trueVar) === TRUE) {
        if (!ix.matches(con, this.recordOfVar[state.trueVar]!)) return false;
        continue;
      }
      for (const other of this.nameCandidates.get(con.name)!) if (sat.state(this.varOf(other)) === TRUE && !ix.matches(con, other)) return false;
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
