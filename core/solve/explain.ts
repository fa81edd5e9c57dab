// Turns "unsatisfiable" into something a person can act on, in the style of conda's
// UnsatisfiableError: the smallest set of the user's specs that cannot hold together, and for each
// package they fight over, the chains of requirements from each spec down to that package
// (`a -> b -> c[version='>=1,<2']`, conda's own chains: conflict-map.ts), with a JSON form that
// editors and CI map back to file lines.

import type { PackageIndex } from '../index/package-index.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import { type SolveRequest, solveConda } from './conda-solver.ts';
import { conflictChains } from './conflict-map.ts';

export interface Conflict {
  /** The package the chains meet on. */
  name: string;
  /** False when no channel has the package at all (a missing dependency rather than a version clash). */
  available: boolean;
  /** Each chain starts at a requested spec (or, for a single spec, one of its dependencies) and ends with the constraint on `name`. */
  chains: string[][];
}

export interface UnsatExplanation {
  /** A minimal set of requested specs that cannot be installed together (conda's canonical strings). */
  specs: string[];
  /** Requested or required packages no channel provides. */
  missing: string[];
  conflicts: Conflict[];
  /** Human-readable, several lines. */
  text: string;
}

/** Explain why the request is unsatisfiable (call only after solving failed). */
export function explainUnsatisfiable(request: SolveRequest): UnsatExplanation {
  const { index } = request;
  const mus = minimalUnsatisfiable(request);
  const missing = mus.filter((s) => s.name !== '*' && !index.candidates(s.name).some((id) => index.matches(s, id))).map(String);
  // chains start at every requested spec (a spec outside the minimal set may still pull on the package)
  let roots: Root[] = request.specs.map((s) => ({ label: s.toString(), spec: s }));
  if (request.specs.length === 1 && missing.length === 0) {
    // one spec that cannot be installed: start from its dependencies, as conda does
    const only = mus[0]!;
    const deps = new Map<string, MatchSpec[]>();
    for (const id of index.candidates(only.name)) {
      if (!index.matches(only, id)) continue;
      for (const d of index.depends(id)) deps.set(d.name, [...(deps.get(d.name) ?? []), d]);
    }
    roots = [...deps].filter(([name]) => name !== '*').map(([name, specs]) => ({ label: name, spec: union(name, specs) }));
  }
  // conda's chains, over every spec (kept ones too); our own search adds the dependencies no channel
  // has (conda reports those separately), and stands in when conda's finds nothing
  const virtual = request.virtualChannel ?? '@';
  const satisfiedVirtual = (spec: MatchSpec) => index.candidates(spec.name).some((id) => index.channelOf(id) === virtual && index.matches(spec, id));
  const groups = conflictChains(index, [...request.specs, ...(request.kept ?? [])], satisfiedVirtual);
  const ours = findConflicts(index, roots);
  const conflicts: Conflict[] =
    groups.length === 0
      ? ours
      : [
          ...groups.map((g) => ({ name: g.name, available: index.candidates(g.name).length > 0, chains: g.chains })),
          ...ours.filter((c) => !c.available && !groups.some((g) => g.name === c.name)),
        ];
  return { specs: mus.map(String), missing, conflicts, text: render(mus.map(String), missing, conflicts) };
}

interface Root {
  label: string;
  spec: MatchSpec;
}

/** Deletion-based minimal unsatisfiable subset of the requested specs (conda's minimal_unsatisfiable_subset). */
function minimalUnsatisfiable(request: SolveRequest): MatchSpec[] {
  let specs = [...request.specs];
  for (let i = specs.length - 1; i >= 0 && specs.length > 1; i--) {
    const without = specs.filter((_, j) => j !== i);
    if (!solveConda({ ...request, specs: without }).ok) specs = without;
  }
  return specs;
}

/** The spec satisfied by anything one of `specs` allows (conda's MatchSpec.union on versions). */
function union(name: string, specs: readonly MatchSpec[]): MatchSpec {
  const versions = new Set<string>();
  for (const s of specs) {
    if (s.version === undefined || s.version.isAny) return MatchSpec.parse(name);
    versions.add(s.version.toString());
  }
  const list = [...versions].sort();
  const text = list.length === 1 ? list[0]! : list.map((v) => (v.includes(',') || v.includes('|') ? `(${v})` : v)).join('|');
  return MatchSpec.fromFields({ version: text }, MatchSpec.parse(name));
}

interface Reach {
  /** Chains from the root to this name; the last element is the constraint on the name. */
  chains: string[][];
  /** Candidates of the name allowed by every chain from the root (each path's requirement must hold). */
  allowed: Set<number>;
}

function findConflicts(index: PackageIndex, roots: readonly Root[]): Conflict[] {
  const reachByRoot = roots.map((r) => reach(index, r));
  const names = new Set<string>();
  for (const m of reachByRoot) for (const n of m.keys()) names.add(n);
  const conflicts: Conflict[] = [];
  for (const name of [...names].sort()) {
    const touching = reachByRoot.filter((m) => m.has(name));
    if (touching.length === 0) continue;
    const all = index.candidates(name);
    const common = all.filter((id) => touching.every((m) => m.get(name)!.allowed.has(id)));
    if (common.length > 0 || (touching.length < 2 && all.length > 0)) continue;
    const chains = touching.flatMap((m) => m.get(name)!.chains);
    const unique = [...new Map(chains.map((c) => [JSON.stringify(c), c])).values()].sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1));
    conflicts.push({ name, available: all.length > 0, chains: unique });
  }
  // report the conflicts closest to the user's specs: drop names only reached through another conflict
  const shortest = Math.min(...conflicts.map((c) => Math.min(...c.chains.map((ch) => ch.length))));
  return conflicts.filter((c) => c.chains.some((ch) => ch.length <= Math.max(shortest, 2)) || conflicts.length === 1);
}

/** Breadth-first walk from a root over package names, keeping every chain (bounded) to each name. */
function reach(index: PackageIndex, root: Root): Map<string, Reach> {
  const out = new Map<string, Reach>();
  const start = index.candidates(root.spec.name).filter((id) => index.matches(root.spec, id));
  out.set(root.spec.name, { chains: [[root.label]], allowed: new Set(start) });
  const queue: { name: string; ids: number[]; path: string[] }[] = [{ name: root.spec.name, ids: start, path: [root.label] }];
  const seen = new Set<string>([root.spec.name]);
  while (queue.length > 0) {
    const { ids, path } = queue.shift()!;
    const deps = new Map<string, MatchSpec[]>();
    for (const id of ids) for (const d of index.depends(id)) if (d.name !== '*') deps.set(d.name, [...(deps.get(d.name) ?? []), d]);
    for (const [dep, specs] of deps) {
      const merged = union(dep, specs);
      const allowed = index.candidates(dep).filter((id) => specs.some((s) => index.matches(s, id)));
      const chain = [...path, merged.toString()];
      const entry = out.get(dep);
      if (entry === undefined) out.set(dep, { chains: [chain], allowed: new Set(allowed) });
      else {
        if (entry.chains.length < 8) entry.chains.push(chain);
        const keep = new Set(allowed);
        for (const id of entry.allowed) if (!keep.has(id)) entry.allowed.delete(id);
      }
      if (!seen.has(dep) && path.length < 6) {
        seen.add(dep);
        queue.push({ name: dep, ids: allowed, path: [...path, dep] });
      }
    }
  }
  return out;
}

function render(specs: readonly string[], missing: readonly string[], conflicts: readonly Conflict[]): string {
  const lines: string[] = [];
  if (missing.length > 0) {
    lines.push('These packages are not available from the configured channels:');
    for (const m of missing) lines.push(`  - ${m}`);
  }
  if (conflicts.length > 0 || missing.length === 0) {
    lines.push(`These specifications cannot be installed together: ${specs.join(', ')}`);
    for (const c of conflicts) {
      lines.push(c.available ? `Package ${c.name} conflicts for:` : `Package ${c.name} is not available from the configured channels, but is needed by:`);
      for (const ch of c.chains) lines.push(`  ${ch.join(' -> ')}`);
    }
  }
  return lines.join('\n');
}
