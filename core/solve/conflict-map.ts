// The conflict chains conda prints for an unsatisfiable request (conda's Resolve.build_conflict_map
// and the grouping of UnsatisfiableError): each spec's dependencies are walked two levels deep;
// a package name reached from several specs is a suspect; the chains are the shortest paths from
// each of those specs to it (breadth first, each spec node visited once, equal-length endings
// merged into one spec); a suspect that is itself requested starts its own one-element chain.
// Chains are grouped by the package they end at, and a group is a conflict when it has two chains.

import type { PackageIndex } from '../index/package-index.ts';
import { MatchSpec } from '../spec/match-spec.ts';

/** conda's unsatisfiable_hints_check_depth default: how deep each spec's dependencies are walked. */
const CHECK_DEPTH = 2;

export interface ChainGroup {
  /** The package the chains end at. */
  name: string;
  chains: string[][];
}

/** A node of a spec's dependency tree: children by canonical spec string, in insertion order. */
interface Tree {
  spec: MatchSpec;
  children: Map<string, Tree>;
}

const key = (s: MatchSpec) => s.toString();

/** conda's build_graph_of_deps: the dependency tree of a spec, and every spec in it (below the root). */
function graphOfDeps(index: PackageIndex, spec: MatchSpec): { tree: Tree; all: Map<string, MatchSpec> } {
  const tree: Tree = { spec, children: new Map() };
  const all = new Map<string, MatchSpec>();
  const queue: Tree[][] = [[tree]];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const node = path[path.length - 1]!;
    for (const id of matchesOf(index, node.spec)) {
      for (const text of index.record(id).depends) {
        const dep = MatchSpec.tryParse(text);
        if (dep === undefined) continue;
        const child: Tree = { spec: dep, children: new Map() };
        node.children.set(key(dep), child);
        all.set(key(dep), dep);
        if (path.length + 1 <= CHECK_DEPTH) queue.push([...path, child]);
      }
    }
  }
  return { tree, all };
}

function matchesOf(index: PackageIndex, spec: MatchSpec): number[] {
  if (spec.name === '*') return [];
  return index.candidates(spec.name).filter((id) => index.matches(spec, id));
}

/** conda's MatchSpec.union of two specs for one name: their versions joined with `|`. */
function union(a: MatchSpec, b: MatchSpec): MatchSpec {
  if (key(a) === key(b)) return a;
  if (a.version === undefined || a.version.isAny || b.version === undefined || b.version.isAny) return MatchSpec.fromFields({ name: a.name });
  const versions = [...new Set([a.version.toString(), ...b.version.toString().split('|')])].sort();
  return MatchSpec.fromFields({ name: a.name, version: versions.join('|') });
}

/** conda's breadth_first_search_for_dep_graph: up to `wanted` shortest paths from a root to a name. */
function shortestPaths(root: Tree, target: string, wanted: number): MatchSpec[][] {
  const queue: Tree[][] = [[root]];
  const visited = new Set<string>();
  const found: MatchSpec[][] = [];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const node = path[path.length - 1]!;
    if (visited.has(key(node.spec))) continue;
    visited.add(key(node.spec));
    if (node.spec.name === target) {
      const specs = path.map((t) => t.spec);
      const last = found[found.length - 1];
      if (last === undefined) found.push(specs);
      else if (last.length === specs.length) last[last.length - 1] = union(specs[specs.length - 1]!, last[last.length - 1]!);
      else found.push(specs);
      const done = found.length === wanted && queue.some((q) => q.length !== path.length);
      if (queue.length === 0 || done) return found;
    }
    for (const child of node.children.values()) if (found.length < wanted) queue.push([...path, child]);
  }
  return found;
}

/**
 * The chains conda reports for these specs (in the order given), grouped by the package they end
 * at; `satisfiedVirtual` says whether a virtual package's spec is met on this machine (chains to a
 * virtual package that is met are left out).
 */
export function conflictChains(index: PackageIndex, requested: readonly MatchSpec[], satisfiedVirtual: (spec: MatchSpec) => boolean): ChainGroup[] {
  let specs = uniqueSpecs(requested.filter((s) => !s.name.startsWith('__') && s.name !== '*'));
  if (specs.length === 1) {
    const matches = matchesOf(index, specs[0]!);
    if (matches.length === 1) specs = uniqueSpecs(index.depends(matches[0]!).filter((d) => d.name !== '*'));
  }
  const trees = new Map<string, Tree>();
  // name → the root specs whose trees reach it, once per distinct spec of that name
  const reachedBy = new Map<string, MatchSpec[]>();
  const reach = (name: string, root: MatchSpec) => {
    const list = reachedBy.get(name);
    if (list === undefined) reachedBy.set(name, [root]);
    else list.push(root);
  };
  for (const spec of specs) {
    const { tree, all } = graphOfDeps(index, spec);
    trees.set(key(spec), tree);
    reach(spec.name, spec);
    for (const dep of all.values()) reach(dep.name, spec);
  }
  // suspects: names reached from several specs, grouped by that set of specs
  const suspects = new Map<string, { roots: MatchSpec[]; names: string[] }>();
  for (const [name, roots] of reachedBy) {
    const distinct = specs.filter((s) => roots.includes(s));
    if (distinct.length < 2 && !(name.startsWith('__') && distinct.some((s) => s.name !== name))) continue;
    const k = distinct.map(key).join('\n');
    const entry = suspects.get(k);
    if (entry === undefined) suspects.set(k, { roots: distinct, names: [name] });
    else entry.names.push(name);
  }
  const chains: MatchSpec[][] = [];
  const count = (name: string, root: MatchSpec) => reachedBy.get(name)!.filter((r) => r === root).length;
  for (const { roots, names } of suspects.values()) {
    const requestedHere = names.filter((n) => roots.some((r) => r.name === n));
    if (requestedHere.length > 0) {
      const own = roots.filter((r) => requestedHere.includes(r.name));
      chains.push(own);
      const target = own[0]!;
      for (const root of roots) if (root !== chains[0]![0]) chains.push(...shortestPaths(trees.get(key(root))!, target.name, count(target.name, root)));
    } else {
      let shortest: MatchSpec[][] = [];
      let shortestName = names[0]!;
      for (const name of names) {
        const c = shortestPaths(trees.get(key(roots[0]!))!, name, count(name, roots[0]!));
        chains.push(...c);
        if (shortest.length === 0 || c.length < shortest.length) {
          shortest = c;
          shortestName = name;
        }
      }
      for (const root of roots.slice(1)) chains.push(...shortestPaths(trees.get(key(root))!, shortestName, count(shortestName, root)));
    }
  }
  // conda keeps each distinct chain once and reports the packages two or more chains end at
  const groups = new Map<string, Map<string, string[]>>();
  for (const chain of chains) {
    const last = chain[chain.length - 1]!;
    if (last.name.startsWith('__') && satisfiedVirtual(last)) continue;
    const text = chain.map(String);
    const byKey = groups.get(last.name) ?? new Map<string, string[]>();
    byKey.set(text.join('\n'), text);
    groups.set(last.name, byKey);
  }
  return [...groups]
    .filter(([name, g]) => g.size > 1 || name.startsWith('__'))
    .map(([name, g]) => ({ name, chains: [...g.values()].sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1)) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function uniqueSpecs(specs: readonly MatchSpec[]): MatchSpec[] {
  const seen = new Map<string, MatchSpec>();
  for (const s of specs) if (!seen.has(key(s))) seen.set(key(s), s);
  return [...seen.values()];
}
