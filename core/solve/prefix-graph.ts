// conda's PrefixGraph over record ids: the records of an environment with an edge from each record to
// the records that satisfy its `depends`. Solving against an installed state uses it to remove a
// spec with everything that depends on it, to prune records no spec anchors, to drop the requested
// packages themselves (--only-deps), and to find an environment's inconsistent records. Also the
// dependency order we print solutions in.

import type { PackageIndex } from '../index/package-index.ts';
import type { MatchSpec } from '../spec/match-spec.ts';

export class PrefixGraph {
  private readonly index: PackageIndex;
  /** node → the records it depends on (conda's "parents"). */
  private readonly parents = new Map<number, Set<number>>();
  /** node → the records that depend on it (conda's "children"). */
  private readonly kids = new Map<number, Set<number>>();

  constructor(index: PackageIndex, records: Iterable<number>) {
    this.index = index;
    const ids = [...new Set(records)];
    const byName = groupByName(index, ids);
    for (const id of ids) {
      const parents = new Set<number>();
      for (const d of index.depends(id)) for (const other of byName.get(d.name) ?? []) if (other !== id && index.matches(d, other)) parents.add(other);
      this.parents.set(id, parents);
    }
    for (const id of ids) this.kids.set(id, new Set());
    for (const [id, parents] of this.parents) for (const p of parents) this.kids.get(p)!.add(id);
  }

  /** The records still in the graph, in the order they were given. */
  get records(): number[] {
    return [...this.parents.keys()];
  }

  has(id: number): boolean {
    return this.parents.has(id);
  }

  byName(name: string): number | undefined {
    for (const id of this.parents.keys()) if (this.index.nameOf(id) === name) return id;
    return undefined;
  }

  /** Records that depend on `node` directly (conda's children). */
  private children(node: number): number[] {
    return [...(this.kids.get(node) ?? [])];
  }

  /** Everything that depends on `node`, directly or not. */
  allDescendants(node: number): Set<number> {
    const seen = new Set<number>();
    const stack = [node];
    while (stack.length > 0) for (const c of this.children(stack.pop()!)) if (!seen.has(c)) (seen.add(c), stack.push(c));
    return seen;
  }

  /** Everything `node` depends on, directly or not. */
  allAncestors(node: number): Set<number> {
    const seen = new Set<number>();
    const stack = [node];
    while (stack.length > 0) for (const p of this.parents.get(stack.pop()!) ?? []) if (!seen.has(p)) (seen.add(p), stack.push(p));
    return seen;
  }

  private removeNode(node: number): void {
    for (const p of this.parents.get(node) ?? []) this.kids.get(p)?.delete(node);
    for (const c of this.kids.get(node) ?? []) this.parents.get(c)?.delete(node);
    this.parents.delete(node);
    this.kids.delete(node);
  }

  /**
   * Remove the records matching the spec and everything that depends on them; a track_features
   * spec also removes the records that carry the feature. Returns the removed records.
   */
  removeSpec(spec: MatchSpec): number[] {
    const matched = new Set(this.records.filter((id) => this.index.matches(spec, id)));
    for (const f of spec.trackFeatures ?? []) for (const id of this.records) if (this.index.record(id).features.includes(f)) matched.add(id);
    const remove = new Set<number>();
    for (const id of matched) {
      remove.add(id);
      for (const d of this.allDescendants(id)) remove.add(d);
    }
    const removed = this.records.filter((id) => remove.has(id));
    for (const id of removed) this.removeNode(id);
    return removed;
  }

  /** Remove, repeatedly, records nothing depends on and no spec matches (conda's prune). */
  prune(specs: readonly MatchSpec[]): number[] {
    const anchored = (id: number) => specs.some((s) => this.index.matches(s, id));
    const removed: number[] = [];
    for (;;) {
      const leaves = this.records.filter((id) => !anchored(id) && this.children(id).length === 0);
      if (leaves.length === 0) return removed;
      for (const id of leaves) this.removeNode(id);
      removed.push(...leaves);
    }
  }

  /** Remove the records that match a spec and that nothing depends on (conda's remove_youngest_descendant_nodes_with_specs). */
  removeYoungestWithSpecs(specs: readonly MatchSpec[]): number[] {
    const removed = this.records.filter((id) => specs.some((s) => this.index.matches(s, id)) && this.children(id).length === 0);
    for (const id of removed) this.removeNode(id);
    return removed;
  }
}

/**
 * Installed records that make the environment inconsistent (conda's Resolve.bad_installed): those
 * outside the largest subset in which every dependency and constraint holds. python's `pip`
 * dependency is ignored when pip is not installed, as conda does.
 */
export function inconsistentRecords(index: PackageIndex, installed: readonly number[]): number[] {
  const kept = new Set(installed);
  const byName = groupByName(index, installed);
  const present = (name: string) => (byName.get(name) ?? []).filter((o) => kept.has(o));
  const satisfied = (spec: MatchSpec) => (spec.name === '*' ? [...kept] : present(spec.name)).some((o) => index.matches(spec, o));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of [...kept]) {
      const name = index.nameOf(id);
      const deps = index.depends(id).filter((d) => !(name === 'python' && d.name === 'pip' && !byName.has('pip')));
      const broken = deps.some((d) => !satisfied(d)) || index.constrains(id).some((c) => present(c.name).some((o) => !index.matches(c, o)));
      if (broken) {
        kept.delete(id);
        changed = true;
      }
    }
  }
  return installed.filter((id) => !kept.has(id));
}

function groupByName(index: PackageIndex, ids: readonly number[]): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const id of ids) {
    const name = index.nameOf(id);
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [id]);
    else list.push(id);
  }
  return byName;
}

/** Dependencies before dependents; ties (and cycles) broken by name, so the order is deterministic. */
export function dependencyOrder(index: PackageIndex, ids: readonly number[]): number[] {
  const byName = new Map(ids.map((id) => [index.nameOf(id), id]));
  const names = [...byName.keys()].sort();
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: number[] = [];
  const visit = (name: string) => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    const id = byName.get(name)!;
    for (const dep of [...index.depends(id)].map((d) => d.name).sort()) if (byName.has(dep)) visit(dep);
    visiting.delete(name);
    done.add(name);
    out.push(id);
  };
  for (const n of names) visit(n);
  return out;
}
