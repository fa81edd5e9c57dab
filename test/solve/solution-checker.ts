// Checks any solution against the index: one record per name, every depends satisfied by a chosen
// record, every constrains honoured by the chosen records. Used on every test solve.

import type { PackageIndex } from '../../core/index/package-index.ts';

export function checkSolution(index: PackageIndex, chosen: readonly number[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, number>();
  for (const id of chosen) {
    const name = index.nameOf(id);
    if (byName.has(name)) problems.push(`two records for ${name}: ${index.fnOf(byName.get(name)!)} and ${index.fnOf(id)}`);
    byName.set(name, id);
  }
  for (const id of chosen) {
    for (const dep of index.depends(id)) {
      const ok = dep.name === '*' ? chosen.some((c) => index.matches(dep, c)) : byName.has(dep.name) && index.matches(dep, byName.get(dep.name)!);
      if (!ok) problems.push(`${index.fnOf(id)} needs ${dep}, not satisfied`);
    }
    for (const con of index.constrains(id)) {
      const other = byName.get(con.name);
      if (other !== undefined && !index.matches(con, other)) problems.push(`${index.fnOf(id)} constrains ${con}, but ${index.fnOf(other)} is chosen`);
    }
  }
  return problems;
}
