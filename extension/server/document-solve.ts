// Solving one document on each of its platforms, in the background: the entries that apply on the
// platform (selectors) and that the package checks did not already rule out are solved on the
// platform's loaded index. Platforms are solved one at a time with a turn of the event loop between
// them, and a solve the user has typed past (`isStale`) is dropped at the next turn.

import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { solveLoaded } from '../../core/solve/loaded-index.ts';
import type { EnvironmentSolution, SolvedPackage } from '../../core/solve/solve-environment.ts';
import { appliesOn } from './document-context.ts';
import type { DocumentModel } from './document-model.ts';
import type { ReadyIndex } from './index-store.ts';

export interface PlatformSolve {
  platform: string;
  solution: EnvironmentSolution;
  /** Milliseconds the solve took (with the explanation, when it failed). */
  ms: number;
  /** The entries solved. */
  used: DependencyEntry[];
  /** Entries left out because the checks found them uninstallable on this platform. */
  left: DependencyEntry[];
}

export interface DocumentSolve {
  /** The document version solved. */
  version: number;
  platforms: PlatformSolve[];
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function solveDocument(
  model: DocumentModel,
  indexes: ReadonlyMap<string, ReadyIndex>,
  failing: ReadonlyMap<string, ReadonlySet<DependencyEntry>>,
  isStale: () => boolean,
): Promise<DocumentSolve | undefined> {
  const platforms: PlatformSolve[] = [];
  for (const [platform, ready] of indexes) {
    await turn();
    if (isStale()) return undefined;
    const bad = failing.get(platform) ?? new Set();
    const applying = model.dependencies.filter((e) => appliesOn(e, platform));
    const used = applying.filter((e) => !bad.has(e));
    const started = performance.now();
    const solution = solveLoaded(ready.loaded, used.map((e) => e.spec));
    platforms.push({ platform, solution, ms: performance.now() - started, used, left: applying.filter((e) => bad.has(e)) });
  }
  return isStale() ? undefined : { version: model.version, platforms };
}

/** The solved package of a name on a platform solve, if it solved. */
export function solvedOf(solve: PlatformSolve | undefined, name: string): SolvedPackage | undefined {
  if (solve === undefined || !solve.solution.ok) return undefined;
  return solve.solution.packages.find((p) => p.name === name);
}
