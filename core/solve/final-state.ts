// Solving against an installed environment, as conda's classic Solver.solve_final_state does: the
// user's earlier requests (history), the installed records, new specs, specs to remove, pins and the
// update/deps modifiers become conda's `specs_map` (each installed package kept through its
// `target` unless something forces a change, `--update-all` letting everything float, removal taking
// dependents along), which is solved once; --only-deps, --no-deps, --update-deps and --prune then
// adjust the answer. The steps and their order follow conda's Solver (_collect_all_metadata,
// _remove_specs, _add_specs, _find_inconsistent_packages, _run_sat, _post_sat_handling).

import type { PackageIndex } from '../index/package-index.ts';
import { SpecError } from '../spec/errors.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import { type ChannelPriority, SolveCache, solveConda, type SolveRequest, type SolveStats } from './conda-solver.ts';
import { inconsistentRecords, PrefixGraph } from './prefix-graph.ts';
import {
  conflictingSpecs, exactSpec, findMatches, nameSpec, packagePool, type SolveBase, stateRequest, type StateSpec, versionKeyOrder,
} from './state-specs.ts';

/** conda's UpdateModifier; conda's default (and ours) is update-specs; `conda install` first tries freeze-installed. */
export type UpdateModifier = 'update-specs' | 'freeze-installed' | 'update-all' | 'update-deps' | 'specs-satisfied-skip-solve';
/** conda's DepsModifier (--no-deps, --only-deps). */
export type DepsModifier = 'no-deps' | 'only-deps';

export const DEFAULT_AGGRESSIVE_UPDATE_PACKAGES: readonly string[] = ['ca-certificates', 'certifi', 'openssl'];

export interface FinalStateRequest extends SolveBase {
  /** The environment's records (ids in the index). */
  installed: readonly number[];
  /** What the user asked for before (conda's history), one spec per name; the last one of a name wins. */
  history?: readonly MatchSpec[];
  specsToAdd?: readonly MatchSpec[];
  specsToRemove?: readonly MatchSpec[];
  updateModifier?: UpdateModifier;
  depsModifier?: DepsModifier;
  prune?: boolean;
  /** Remove only the matching records, leaving what depends on them (conda's --force). */
  forceRemove?: boolean;
  ignorePinned?: boolean;
  /** Pinned specs (conda's pinned_packages and conda-meta/pinned). */
  pinned?: readonly MatchSpec[];
  /** Packages always updated when installed (conda's aggressive_update_packages); default ca-certificates, certifi, openssl. */
  aggressiveUpdatePackages?: readonly MatchSpec[];
  /** conda's auto_update_conda (default true); applies only when `isCondaPrefix`. */
  autoUpdateConda?: boolean;
  /** The environment is the one conda itself runs from: conda is never downgraded implicitly. */
  isCondaPrefix?: boolean;
  /** Names of the machine's virtual packages (conda requires each one that is known). */
  virtualPackages?: readonly string[];
  /**
   * When the freeze-installed solve fails, solve again with update-specs on the same state, as
   * `conda install` retries its first, frozen attempt.
   */
  retryUnfrozen?: boolean;
}

export type FinalStateErrorKind = 'unsatisfiable' | 'packages-not-found' | 'specs-configuration-conflict' | 'invalid-spec' | 'not-implemented';

export type FinalStateOutcome =
  | { ok: true; records: number[]; request: SolveRequest; stats: SolveStats | undefined }
  | { ok: false; kind: FinalStateErrorKind; message: string; specs: MatchSpec[]; request: SolveRequest | undefined };

export class FinalStateError extends Error {
  readonly kind: FinalStateErrorKind;
  readonly specs: MatchSpec[];
  readonly request: SolveRequest | undefined;
  constructor(kind: FinalStateErrorKind, message: string, specs: MatchSpec[] = [], request?: SolveRequest) {
    super(message);
    this.kind = kind;
    this.specs = specs;
    this.request = request;
  }
}

/** Solve the final state of an environment (conda's Solver.solve_final_state). */
export function solveFinalState(request: FinalStateRequest): FinalStateOutcome {
  const req = { ...request, cache: request.cache ?? new SolveCache() };
  try {
    const state = new FinalState(req);
    let records: number[];
    try {
      records = state.solve(req.updateModifier, req.depsModifier, req.prune ?? false);
    } catch (e) {
      const retry = req.retryUnfrozen && req.updateModifier === 'freeze-installed' && e instanceof FinalStateError && (e.kind === 'unsatisfiable' || e.kind === 'specs-configuration-conflict');
      if (!retry) throw e;
      records = state.solve('update-specs', req.depsModifier, req.prune ?? false);
    }
    return { ok: true, records, request: state.lastRequest ?? stateRequest(req, []), stats: state.lastStats };
  } catch (e) {
    // specs for one name that cannot be merged fail before solving, as in conda
    if (e instanceof SpecError) return { ok: false, kind: 'invalid-spec', message: e.message, specs: [], request: undefined };
    if (!(e instanceof FinalStateError)) throw e;
    return { ok: false, kind: e.kind, message: e.message, specs: e.specs, request: e.request };
  }
}

const KEEP_WHEN_INSTALLED = ['anaconda', 'conda', 'conda-build', 'python.app', 'console_shortcut', 'powershell_shortcut'];

/** conda's SolverStateContainer plus the Solver steps that work on it; one instance per request. */
class FinalState {
  private readonly req: FinalStateRequest;
  private readonly index: PackageIndex;
  private readonly priority: ChannelPriority;
  private readonly history: Map<string, MatchSpec>;
  private readonly installedByName = new Map<string, number>();
  private readonly aggressive: readonly MatchSpec[];
  private readonly pinned: readonly MatchSpec[];
  private readonly specsToRemove: readonly MatchSpec[];
  private readonly specsToAddNames: Set<string>;
  private specsToAdd: MatchSpec[];
  private updateModifier: UpdateModifier = 'update-specs';
  private depsModifier: DepsModifier | undefined;
  private prune = false;
  private collected = false;
  private specsMap = new Map<string, StateSpec>();
  private solution: number[] = [];
  private readonly addBack = new Map<string, { prec: number; spec: StateSpec | undefined }>();
  private finalSpecs: StateSpec[] = [];
  lastRequest: SolveRequest | undefined;
  /** Statistics of the main solve (the last one when --update-deps solves twice). */
  lastStats: SolveStats | undefined;

  constructor(req: FinalStateRequest) {
    this.req = req;
    this.index = req.index;
    this.priority = req.channelPriority ?? 'strict';
    this.history = new Map((req.history ?? []).map((s) => [s.name, s]));
    for (const id of req.installed) this.installedByName.set(this.index.nameOf(id), id);
    this.aggressive = req.aggressiveUpdatePackages ?? DEFAULT_AGGRESSIVE_UPDATE_PACKAGES.map(nameSpec);
    this.pinned = req.ignorePinned ? [] : (req.pinned ?? []);
    this.specsToRemove = mergeSpecs(req.specsToRemove ?? []);
    this.specsToAdd = mergeSpecs(req.specsToAdd ?? []);
    this.specsToAddNames = new Set(this.specsToAdd.map((s) => s.name));
  }

  private isAggressive(name: string): boolean {
    return this.aggressive.some((s) => s.name === name);
  }

  private matches(spec: MatchSpec, id: number): boolean {
    return (spec.name === '*' || spec.name === this.index.nameOf(id)) && this.index.matches(spec, id);
  }

  solve(update: UpdateModifier | undefined, deps: DepsModifier | undefined, prune: boolean): number[] {
    const retrying = this.collected;
    if (prune && update === 'freeze-installed') update = undefined;
    this.updateModifier = update ?? 'update-specs';
    this.depsModifier = deps;
    if (!retrying) {
      this.prune = prune;
      this.solution = prune ? [] : [...this.req.installed];
    }

    if (this.specsToRemove.length > 0 && this.req.forceRemove) {
      if (this.specsToAdd.length > 0) throw new FinalStateError('not-implemented', 'removing with --force cannot also install packages');
      return this.solution.filter((id) => !this.specsToRemove.some((s) => this.matches(s, id)));
    }
    if (this.updateModifier === 'specs-satisfied-skip-solve' && this.specsToRemove.length === 0 && !prune) {
      if (this.specsToAdd.every((s) => this.req.installed.some((id) => this.matches(s, id)))) return [...this.solution];
    }
    if (!retrying) this.collectAllMetadata();
    this.removeSpecs();
    this.addSpecs();
    const before = [...this.solution];
    this.findInconsistentPackages();
    this.runSat();
    if (this.addBack.size > 0) {
      // records orphaned by the inconsistent packages come back unless something replaced them
      const now = new Set(this.solution);
      const names = new Set(this.solution.map((id) => this.index.nameOf(id)));
      for (const id of before) {
        const name = this.index.nameOf(id);
        if (!now.has(id) && !this.specsMap.has(name) && !names.has(name)) this.solution.push(id);
      }
    }
    this.postSatHandling();
    return this.solution;
  }

  /** conda's _collect_all_metadata: history, packages conda always keeps, virtual packages, and installed packages to update. */
  private collectAllMetadata(): void {
    this.collected = true;
    if (this.prune) return;
    for (const [name, spec] of this.history) this.specsMap.set(name, { spec });
    for (const name of KEEP_WHEN_INSTALLED) if (!this.specsMap.has(name) && this.installedByName.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
    for (const name of this.req.virtualPackages ?? []) if (!this.specsMap.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
    for (const id of this.req.installed) {
      const name = this.index.nameOf(id);
      if (this.history.size === 0 || this.isAggressive(name) || this.index.subdirOf(id) === 'pypi') this.specsMap.set(name, { spec: nameSpec(name) });
    }
  }

  /** conda's _remove_specs: each spec to remove takes its records and everything depending on them. */
  private removeSpecs(): void {
    if (this.specsToRemove.length === 0) return;
    const featureNames = new Set(this.specsToRemove.flatMap((s) => s.trackFeatures ?? []));
    const graph = new PrefixGraph(this.index, this.solution);
    const removed: number[] = [];
    const nothingRemoved: MatchSpec[] = [];
    for (const spec of this.specsToRemove) {
      const r = graph.removeSpec(spec);
      if (r.length > 0) removed.push(...r);
      else nothingRemoved.push(spec);
    }
    const unmatched = nothingRemoved.filter((s) => !removed.some((id) => this.matches(s, id)));
    if (unmatched.length > 0) throw new FinalStateError('packages-not-found', `packages not found in the environment: ${unmatched.join(', ')}`, unmatched);
    for (const id of removed) {
      const name = this.index.nameOf(id);
      const hasFeature = this.index.record(id).features.some((f) => featureNames.has(f));
      if (hasFeature && this.history.has(name)) {
        const spec = this.specsMap.get(name)?.spec ?? nameSpec(name);
        this.specsMap.set(name, { spec: withoutFeatures(spec) });
      } else this.specsMap.delete(name);
    }
    this.solution = graph.records;
  }

  /** conda's _should_freeze: only freeze-installed with a history, and only what the new specs leave alone. */
  private shouldFreeze(target: number, conflicts: Set<string>, explicitPool: Map<string, Set<number>>): boolean {
    if (this.history.size === 0 || this.updateModifier !== 'freeze-installed') return false;
    const name = this.index.nameOf(target);
    return !conflicts.has(name) && (!explicitPool.has(name) || explicitPool.get(name)!.has(target));
  }

  /** conda's _add_specs: targets for installed packages, pins, the modifiers, python's minor version, conda's version. */
  private addSpecs(): void {
    const ix = this.index;
    const explicitPool = packagePool(this.req, this.specsToAdd);
    const installedSpecs = this.prune ? [] : this.req.installed.map((id): StateSpec => ({ spec: exactSpec(ix, id) }));
    const conflicts = new Set(conflictingSpecs(this.req, installedSpecs, this.specsToAdd).map((s) => s.spec.name));

    for (const [name, ss] of this.specsMap) {
      const matched = this.solution.filter((id) => this.matches(ss.spec, id));
      if (matched.length === 0) continue;
      if (matched.length > 1) throw new FinalStateError('unsatisfiable', `the environment has several records for ${ss.spec}`);
      const target = matched[0]!;
      if (this.isAggressive(name)) this.specsMap.set(name, { spec: nameSpec(name) });
      else if (this.shouldFreeze(target, conflicts, explicitPool)) this.specsMap.set(name, { spec: exactSpec(ix, target) });
      else if (this.history.has(name)) this.specsMap.set(name, { spec: this.history.get(name)!, target });
      else this.specsMap.set(name, { spec: nameSpec(name), target });
    }

    const pinOverrides = new Set<string>();
    for (const pin of this.pinned) {
      const pool = explicitPool.get(pin.name);
      if (pool === undefined) continue;
      if (!this.specsToAddNames.has(pin.name)) this.specsMap.set(pin.name, { spec: pin });
      else if ([...(packagePool(this.req, [pin]).get(pin.name) ?? [])].some((id) => pool.has(id))) {
        this.specsMap.set(pin.name, { spec: pin });
        pinOverrides.add(pin.name);
      }
      // else: conda warns that the pin conflicts with the explicit specs and ignores it
    }

    if (this.updateModifier === 'freeze-installed') {
      for (const id of this.req.installed) {
        const name = ix.nameOf(id);
        if (this.specsMap.has(name)) continue;
        // conda gives the conflicting ones a spec as target, which its update count never sees: no target
        this.specsMap.set(name, conflicts.has(name) ? { spec: nameSpec(name), optional: true } : { spec: exactSpec(ix, id) });
      }
    }

    const pinnedNames = new Set(this.pinned.map((p) => p.name));
    if (this.updateModifier === 'update-all') {
      const keep = (name: string): StateSpec => (pinnedNames.has(name) ? (this.specsMap.get(name) ?? { spec: nameSpec(name) }) : { spec: nameSpec(name) });
      const next = new Map<string, StateSpec>();
      if (this.history.size > 0) {
        for (const name of this.history.keys()) next.set(name, keep(name));
        for (const id of this.req.installed) if (ix.subdirOf(id) === 'pypi') next.set(ix.nameOf(id), { spec: nameSpec(ix.nameOf(id)) });
      } else for (const id of this.req.installed) next.set(ix.nameOf(id), keep(ix.nameOf(id)));
      this.specsMap = next;
    } else if (this.updateModifier === 'update-specs') {
      // unfreeze what stands in the way of updating the requested packages
      const skip = (s: MatchSpec) => (!pinOverrides.has(s.name) && pinnedNames.has(s.name)) || this.history.has(s.name);
      const adds = this.specsToAdd.filter((s) => !skip(s)).map((s) => this.packageHasUpdates(s));
      for (const c of conflictingSpecs(this.req, [...this.specsMap.values()], adds)) {
        const name = c.spec.name;
        const isPin = this.pinned.some((p) => p.key === c.spec.key);
        if (this.specsMap.has(name) && !isPin && !this.history.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
      }
    }

    // python stays at its minor version unless the user asks for python
    const pyInstalled = this.installedByName.get('python');
    if (this.solution.some((id) => ix.nameOf(id) === 'python') && !this.specsToAdd.some((s) => s.name === 'python') && pyInstalled !== undefined) {
      if (!conflicts.has('python') && this.updateModifier === 'freeze-installed') this.specsMap.set('python', { spec: exactSpec(ix, pyInstalled) });
      else {
        let py = this.specsMap.get('python') ?? { spec: nameSpec('python') };
        const minor = /^(\d+)\.(\d+)/.exec(ix.record(pyInstalled).version);
        if (py.spec.version === undefined && minor !== null) py = { ...py, spec: MatchSpec.fromFields({ version: `${minor[1]}.${minor[2]}.*` }, py.spec) };
        const clash = conflictingSpecs(this.req, [py, ...this.specsToAdd.map((spec): StateSpec => ({ spec }))], this.specsToAdd);
        if (clash.length > 0) this.unsatisfiable([py.spec, ...this.specsToAdd]);
        this.specsMap.set('python', py);
      }
    }

    for (const a of this.aggressive) if (this.specsMap.has(a.name)) this.specsMap.set(a.name, { spec: a });
    for (const s of this.specsToAdd) if (!pinOverrides.has(s.name)) this.specsMap.set(s.name, { spec: s });

    // conda is never downgraded implicitly in the environment it runs from
    const condaInstalled = this.installedByName.get('conda');
    if (this.specsMap.has('conda') && this.req.isCondaPrefix && condaInstalled !== undefined) {
      const atLeast = `>=${ix.record(condaInstalled).version}`;
      let conda = this.specsMap.get('conda')!;
      if (conda.spec.version === undefined) conda = { ...conda, spec: MatchSpec.fromFields({ version: atLeast }, conda.spec) };
      if ((this.req.autoUpdateConda ?? true) && !this.specsToAdd.some((s) => s.name === 'conda')) conda = { spec: MatchSpec.fromFields({ name: 'conda', version: atLeast }) };
      this.specsMap.set('conda', conda);
    }
  }

  /** conda's _package_has_updates: the newest record of an installed package, if newer (conda compares version strings). */
  private packageHasUpdates(spec: MatchSpec): MatchSpec {
    const installed = this.installedByName.get(spec.name);
    if (installed === undefined) return spec;
    const have = this.index.record(installed);
    for (const id of versionKeyOrder(this.index, spec.name, this.priority)) {
      const r = this.index.record(id);
      if (r.version > have.version || (r.version === have.version && r.build_number > have.build_number)) {
        return MatchSpec.fromFields({ name: spec.name, version: r.version, build_number: r.build_number });
      }
    }
    return spec;
  }

  /** conda's _find_inconsistent_packages: set inconsistent records aside, to be added back after the solve. */
  private findInconsistentPackages(): void {
    const bad = inconsistentRecords(this.index, this.solution);
    if (bad.length === 0) return;
    for (const prec of bad) {
      const name = this.index.nameOf(prec);
      const spec = this.specsMap.get(name);
      this.specsMap.delete(name);
      this.addBack.set(name, { prec, spec });
      this.specsMap.set(name, { spec: nameSpec(name), target: prec });
      if (name === 'python' && spec !== undefined) this.specsMap.set('python', spec);
    }
    const badSet = new Set(bad);
    this.solution = this.solution.filter((id) => !badSet.has(id));
  }

  /** conda's _run_sat: neuter kept specs that conflict, solve, add inconsistent packages back. */
  private runSat(): void {
    const final = [...this.specsMap.values()];
    const absent = final.filter((s) => findMatches(this.index, s.spec).filter((id) => !this.req.exclude?.has(id)).length === 0);
    if (absent.length > 0) {
      const specs = absent.map((s) => s.spec);
      throw new FinalStateError('packages-not-found', `packages not available from the channels: ${specs.join(', ')}`, specs, stateRequest(this.req, final));
    }
    let conflicting = conflictingSpecs(this.req, final, this.specsToAdd);
    while (conflicting.length > 0) {
      const pins = conflicting.filter((c) => this.pinned.some((p) => p.key === c.spec.key));
      if (pins.length > 0) {
        const others = [...conflicting.filter((c) => !pins.includes(c)).map((c) => c.spec), ...this.specsToAdd];
        throw new FinalStateError('specs-configuration-conflict', `the requested specs ${others.join(', ')} conflict with the pinned specs ${pins.map((p) => p.spec).join(', ')}`, [...others, ...pins.map((p) => p.spec)], stateRequest(this.req, final));
      }
      let modified = false;
      for (const c of conflicting) {
        if (c.target === undefined || c.optional) continue;
        modified = true;
        const at = final.indexOf(c);
        if (at >= 0) final.splice(at, 1);
        const neutered: StateSpec = { spec: c.spec.version !== undefined ? MatchSpec.fromFields({ name: c.spec.name, version: c.spec.version.toString() }) : nameSpec(c.spec.name) };
        final.push(neutered);
        this.specsMap.set(c.spec.name, neutered);
      }
      if (!modified) break;
      conflicting = conflictingSpecs(this.req, final, this.specsToAdd);
    }
    const request = stateRequest(this.req, final);
    this.lastRequest = request;
    const out = solveConda(request);
    this.lastStats = out.stats;
    if (!out.ok) this.unsatisfiable(final.filter((s) => !s.optional).map((s) => s.spec), request);
    const virtual = this.req.virtualChannel ?? '@';
    this.solution = out.records.filter((id) => this.index.channelOf(id) !== virtual);
    for (const [name, { prec, spec }] of this.addBack) {
      if (spec !== undefined) continue;
      this.solution = this.solution.filter((id) => this.index.nameOf(id) !== name);
      this.solution.push(prec);
    }
    this.finalSpecs = final;
  }

  private unsatisfiable(specs: MatchSpec[], request?: SolveRequest): never {
    throw new FinalStateError('unsatisfiable', `these specs cannot be installed together: ${specs.join(', ')}`, specs, request ?? stateRequest(this.req, specs.map((spec) => ({ spec }))));
  }

  /** conda's _post_sat_handling: --no-deps, --only-deps, --update-deps and --prune. */
  private postSatHandling(): void {
    const ix = this.index;
    if (this.depsModifier === 'no-deps') {
      const kept = this.req.installed.filter((id) => !this.specsToRemove.some((s) => this.matches(s, id)));
      const added = this.solution.filter((id) => this.specsToAdd.some((s) => this.matches(s, id)));
      const names = new Set(added.map((id) => ix.nameOf(id)));
      this.solution = [...kept.filter((id) => !names.has(ix.nameOf(id))), ...added];
    } else if (this.depsModifier === 'only-deps' && this.updateModifier !== 'update-deps') {
      const graph = new PrefixGraph(ix, this.solution);
      const removed = graph.removeYoungestWithSpecs(this.specsToAdd);
      for (const id of removed) for (const d of ix.depends(id)) if (!this.specsMap.has(d.name) && !this.specsToAdd.some((s) => s.key === d.key)) this.specsToAdd.push(d);
      const removeNames = new Set(this.specsToRemove.map((s) => s.name));
      const back = removed.filter((id) => !removeNames.has(ix.nameOf(id))).map((id) => this.installedByName.get(ix.nameOf(id))).filter((id) => id !== undefined);
      this.solution = [...graph.records, ...back.filter((id) => !graph.has(id))];
    } else if (this.updateModifier === 'update-deps') {
      // every dependency of the requested packages becomes requested, then solve again (conda does the same)
      const graph = new PrefixGraph(ix, this.solution);
      const names = new Set<string>();
      for (const s of this.specsToAdd) {
        const node = graph.byName(s.name);
        if (node !== undefined) for (const a of graph.allAncestors(node)) names.add(ix.nameOf(a));
      }
      const specs = new Map<string, MatchSpec>([...names].map((n) => [n, nameSpec(n)]));
      for (const p of this.pinned) specs.delete(p.name);
      const py = this.installedByName.get('python');
      if (specs.has('python') && py !== undefined) {
        const v = ix.record(py).version.split('.').slice(0, 2).join('.');
        specs.set('python', MatchSpec.fromFields({ name: 'python', version: `${v}.*` }));
      }
      for (const s of this.specsToAdd) specs.set(s.name, s);
      this.specsToAdd = [...specs.values()];
      this.solution = this.solve('update-specs', this.depsModifier, this.prune);
      this.prune = false;
    }
    if (this.prune) {
      const graph = new PrefixGraph(ix, this.solution);
      graph.prune(this.finalSpecs.map((s) => s.spec));
      this.solution = graph.records;
    }
  }
}

/** conda's MatchSpec.merge of the requested specs (one spec per name), keeping the order they were given in. */
function mergeSpecs(specs: readonly MatchSpec[]): MatchSpec[] {
  const byName = new Map<string, MatchSpec[]>();
  const out: MatchSpec[] = [];
  for (const s of specs) {
    if (s.name === '*') out.push(s);
    else if (byName.has(s.name)) byName.get(s.name)!.push(s);
    else {
      byName.set(s.name, [s]);
      out.push(s);
    }
  }
  return out.map((s) => (s.name !== '*' && byName.get(s.name)!.length > 1 ? MatchSpec.merge(byName.get(s.name)!)[0]! : s));
}

/** The spec without its `features` field (conda drops it when the feature itself is removed). */
function withoutFeatures(spec: MatchSpec): MatchSpec {
  if (spec.features === undefined) return spec;
  return MatchSpec.fromFields({
    name: spec.name, version: spec.version?.toString(), build: spec.build?.toString(), build_number: spec.buildNumber?.toString(), channel: spec.channel, subdir: spec.subdir,
  });
}
