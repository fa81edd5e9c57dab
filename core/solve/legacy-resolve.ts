// conda's Resolve.install and Resolve.remove: the older way to solve against installed packages,
// which conda's Resolve still offers (and old conda's tests use). install keeps every installed
// package it can (as a target, or exactly with update_deps=False); remove solves with the removed
// names forbidden and every other installed package optional, keeping as many as possible. An
// inconsistent environment's broken records are left out of the solve and added back afterwards.

import type { PackageIndex } from '../index/package-index.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import { solveConda } from './conda-solver.ts';
import { inconsistentRecords } from './prefix-graph.ts';
import { exactSpec, nameSpec, type SolveBase, stateRequest, type StateSpec } from './state-specs.ts';

export type LegacyOutcome = { ok: true; records: number[] } | { ok: false };

/**
 * conda's Resolve.bad_installed: when the installed records are inconsistent, the names to keep
 * solving for (the consistent ones plus everything the new specs could need) and the records to
 * preserve as they are.
 */
function badInstalled(index: PackageIndex, installed: readonly number[], newSpecs: readonly MatchSpec[]): { limit: Set<string> | undefined; preserve: number[] } {
  const bad = new Set(inconsistentRecords(index, installed));
  if (bad.size === 0) return { limit: undefined, preserve: [] };
  const names = new Set(installed.filter((id) => !bad.has(id)).map((id) => index.nameOf(id)));
  const reach = (name: string) => {
    if (names.has(name)) return;
    names.add(name);
    for (const id of index.candidates(name)) for (const d of index.depends(id)) if (d.name !== '*') reach(d.name);
  };
  for (const s of newSpecs) reach(s.name);
  if (names.size >= installed.length && installed.every((id) => names.has(index.nameOf(id)))) return { limit: undefined, preserve: [] };
  return { limit: names, preserve: installed.filter((id) => !names.has(index.nameOf(id))) };
}

function restoreBad(index: PackageIndex, records: number[], preserve: readonly number[]): number[] {
  const names = new Set(records.map((id) => index.nameOf(id)));
  return [...records, ...preserve.filter((id) => !names.has(index.nameOf(id)))];
}

function withoutVirtual(base: SolveBase, records: readonly number[]): number[] {
  const virtual = base.virtualChannel ?? '@';
  return records.filter((id) => base.index.channelOf(id) !== virtual);
}

/** conda's Resolve.install(specs, installed, update_deps). */
export function resolveInstall(base: SolveBase, specs: readonly MatchSpec[], installed: readonly number[], updateDeps = true): LegacyOutcome {
  const { index } = base;
  const names = new Set(specs.map((s) => s.name));
  const { limit, preserve } = badInstalled(index, installed, specs);
  const state: StateSpec[] = specs.map((spec) => ({ spec }));
  for (const id of installed) {
    const name = index.nameOf(id);
    if (names.has(name) || (limit !== undefined && !limit.has(name))) continue;
    state.unshift(updateDeps ? { spec: nameSpec(name), target: id } : { spec: exactSpec(index, id) });
  }
  if (state.length === 0) return { ok: true, records: restoreBad(index, [], preserve) };
  const out = solveConda(stateRequest(base, state));
  if (!out.ok) return { ok: false };
  return { ok: true, records: restoreBad(index, withoutVirtual(base, out.records), preserve) };
}

/** conda's Resolve.remove(specs, installed). */
export function resolveRemove(base: SolveBase, specs: readonly MatchSpec[], installed: readonly number[]): LegacyOutcome {
  const { index } = base;
  const exclude = new Set(base.exclude ?? []);
  const optional: StateSpec[] = [];
  for (const s of specs) {
    // a bare name removes the package (conda gives it an impossible version); anything else only constrains it
    if (s.fieldNames().length === 1 && s.name !== '*') for (const id of index.candidates(s.name)) exclude.add(id);
    else optional.push({ spec: s, optional: true });
  }
  const names = new Set(specs.map((s) => s.name));
  const { limit } = badInstalled(index, installed, specs);
  const preserve: number[] = [];
  for (const id of installed) {
    const name = index.nameOf(id);
    if (names.has(name)) continue;
    if (limit !== undefined) preserve.push(id);
    else optional.push({ spec: MatchSpec.fromFields({ name, version: `>=${index.record(id).version}` }), target: id, optional: true });
  }
  const out = solveConda({ ...stateRequest({ ...base, exclude }, optional), keepOptional: true });
  if (!out.ok) return { ok: false };
  return { ok: true, records: restoreBad(index, withoutVirtual(base, out.records), preserve) };
}
