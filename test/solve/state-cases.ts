// Runs the solve cases that go through conda's Solver (solve_final_state, solve_for_diff), old
// conda's Resolve.install/remove, or mamba's solver with installed packages or pins: the case's
// installed records, history, specs to remove, options and settings become a FinalStateRequest
// (or a legacy Resolve call), and the result is returned as records and a link/unlink diff.

import type { PackageIndex } from '../../core/index/package-index.ts';
import { type DepsModifier, solveFinalState, type UpdateModifier } from '../../core/solve/final-state.ts';
import { resolveInstall, resolveRemove } from '../../core/solve/legacy-resolve.ts';
import { linkDiff } from '../../core/solve/link-diff.ts';
import { inconsistentRecords } from '../../core/solve/prefix-graph.ts';
import { nameSpec } from '../../core/solve/state-specs.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import type { SolveCase } from './solve-cases.ts';

/** Cases that need an installed state, solver options, or conda's Solver/Resolve entry points. */
export function usesState(c: SolveCase): boolean {
  return Boolean(c.installed || c.history_specs || c.specs_to_remove || c.options || c.pins || c.installed_virtual || /^Solver\.|Resolve\.(remove|install)/.test(c.api ?? ''));
}

export interface StateRun {
  ok: boolean;
  /** Why not, when !ok (conda's exception kind). */
  error?: string;
  records: number[];
  installed: number[];
  link: number[];
  unlink: number[];
  /** The result may break dependencies on purpose (--force removal, --no-deps, an inconsistent environment kept as is). */
  mayBeInconsistent: boolean;
}

/** The installed record a case names (`[channel[/subdir]::]name-version-build`), or an added one. */
export function installedId(index: PackageIndex, entry: string | Record<string, unknown>, added: Map<string, number>): number {
  if (typeof entry !== 'string') {
    const key = `${entry.name}-${entry.version}-${entry.build}`;
    const id = added.get(key);
    if (id === undefined) throw new Error(`installed record ${key} is not in the index`);
    return id;
  }
  const at = entry.indexOf('::');
  const channel = at >= 0 ? entry.slice(0, at).split('/')[0] : undefined;
  const nvb = at >= 0 ? entry.slice(at + 2) : entry;
  const parts = nvb.split('-');
  const build = parts.pop()!;
  const version = parts.pop()!;
  const name = parts.join('-');
  const ids = index.candidates(name).filter((id) => {
    const r = index.record(id);
    return r.version === version && r.build === build && (channel === undefined || index.channelOf(id) === channel);
  });
  if (ids.length === 0) throw new Error(`installed record ${entry} is not in the index`);
  return ids.sort((a, b) => index.priorityOf(a) - index.priorityOf(b))[0]!;
}

const UPDATE: Record<string, UpdateModifier> = {
  FREEZE_INSTALLED: 'freeze-installed',
  UPDATE_SPECS: 'update-specs',
  UPDATE_ALL: 'update-all',
  UPDATE_DEPS: 'update-deps',
  SPECS_SATISFIED_SKIP_SOLVE: 'specs-satisfied-skip-solve',
};
const DEPS: Record<string, DepsModifier> = { NO_DEPS: 'no-deps', ONLY_DEPS: 'only-deps' };

export function runState(
  c: SolveCase,
  index: PackageIndex,
  added: Map<string, number>,
  channelPriority: 'strict' | 'flexible' | 'disabled',
): StateRun {
  const installed = ((c.installed ?? []) as (string | Record<string, unknown>)[]).map((e) => installedId(index, e, added));
  const specsToAdd = (c.specs as string[]).map((s) => MatchSpec.parse(s));
  const specsToRemove = ((c.specs_to_remove ?? []) as string[]).map((s) => MatchSpec.parse(s));
  const options = (c.options ?? {}) as Record<string, unknown>;
  const settings = (c.settings ?? {}) as Record<string, unknown>;
  const base = { index, channelPriority, virtualChannel: '@' };
  const inconsistent = inconsistentRecords(index, installed).length > 0;
  const done = (records: number[], mayBeInconsistent: boolean): StateRun => {
    const diff = linkDiff(index, installed, records, { specsToAdd, forceReinstall: options.force_reinstall === true });
    return { ok: true, records, installed, link: diff.link, unlink: diff.unlink, mayBeInconsistent: mayBeInconsistent || inconsistent };
  };
  const failed = (error: string): StateRun => ({ ok: false, error, records: [], installed, link: [], unlink: [], mayBeInconsistent: false });

  if (c.api === 'Resolve.remove') {
    const out = resolveRemove(base, specsToRemove, installed);
    return out.ok ? done(out.records, false) : failed('unsatisfiable');
  }
  if (/^Resolve\.install/.test(c.api)) {
    const out = resolveInstall(base, specsToAdd, installed, options.update_deps !== false);
    return out.ok ? done(out.records, false) : failed('unsatisfiable');
  }
  const present = Object.entries((settings.virtual_packages ?? {}) as Record<string, string | null>).filter(([, v]) => v !== null).map(([name]) => name);
  const virtual = [...present, ...((c.installed_virtual ?? []) as { name: string }[]).map((v) => v.name)];
  const out = solveFinalState({
    ...base,
    installed,
    history: ((c.history_specs ?? []) as string[]).map((s) => MatchSpec.parse(s)),
    specsToAdd,
    specsToRemove,
    updateModifier: options.update_modifier === undefined ? undefined : UPDATE[options.update_modifier as string],
    depsModifier: options.deps_modifier === undefined ? undefined : DEPS[options.deps_modifier as string],
    prune: options.prune === true,
    forceRemove: options.force_remove === true,
    ignorePinned: options.ignore_pinned === true,
    pinned: [...((settings.pinned_packages ?? []) as string[]), ...((c.pins ?? []) as string[])].map((s) => MatchSpec.parse(s)),
    aggressiveUpdatePackages: (settings.aggressive_update_packages as string[] | undefined)?.map(nameSpec),
    autoUpdateConda: settings.auto_update_conda === undefined ? undefined : settings.auto_update_conda === true,
    isCondaPrefix: settings.target_prefix_is_root_prefix === true,
    virtualPackages: virtual,
  });
  if (!out.ok) return failed(out.kind);
  return done(out.records, options.force_remove === true || options.deps_modifier === 'NO_DEPS');
}
