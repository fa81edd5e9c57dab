// What a solve changes in an environment (conda's diff_for_unlink_link_precs): the records to unlink
// (installed, not in the final state) and to link (in the final state, not installed), plus
// reinstalls: --force-reinstall relinks the requested packages, and a python minor-version change
// relinks every noarch: python package.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { dependencyOrder } from './prefix-graph.ts';

export interface LinkDiff {
  /** Records to remove, dependents before their dependencies. */
  unlink: number[];
  /** Records to add, dependencies before their dependents. */
  link: number[];
}

export function linkDiff(
  index: PackageIndex,
  installed: readonly number[],
  final: readonly number[],
  options: { specsToAdd?: readonly MatchSpec[]; forceReinstall?: boolean } = {},
): LinkDiff {
  const before = new Set(installed);
  const after = new Set(final);
  const unlink = new Set(installed.filter((id) => !after.has(id)));
  const link = new Set(final.filter((id) => !before.has(id)));
  const relink = (id: number) => {
    link.add(id);
    if (before.has(id)) unlink.add(id);
  };
  if (options.forceReinstall) {
    for (const spec of options.specsToAdd ?? []) {
      const id = final.find((f) => (spec.name === '*' || index.nameOf(f) === spec.name) && index.matches(spec, f));
      if (id !== undefined) relink(id);
    }
  }
  const minor = (ids: readonly number[]) => {
    const py = ids.find((id) => index.nameOf(id) === 'python');
    return py === undefined ? undefined : /^(\d+)\.(\d+)/.exec(index.record(py).version)?.slice(1).join('.');
  };
  const was = minor(installed);
  const now = minor(final);
  if (was !== undefined && now !== undefined && was !== now) for (const id of final) if (index.record(id).noarch === 'python') relink(id);
  return {
    unlink: dependencyOrder(index, [...unlink]).reverse(),
    link: dependencyOrder(index, [...link]),
  };
}
