// Solving one document on each of its platforms, on the solver thread (solver-thread.ts): the
// entries that apply on the platform (selectors) and that the package checks did not already rule
// out are solved on the platform's index (the worker's own copy of the index the main thread
// loaded). A newer solve of the same document supersedes this one: it then comes to undefined.

import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import type { EnvironmentSolution, SolvedPackage } from '../../core/solve/solve-environment.ts';
import { appliesOn } from './document-context.ts';
import type { DocumentModel } from './document-model.ts';
import type { ReadyIndex } from './index-store.ts';
import type { PlatformJob } from './solve-messages.ts';
import type { SolverThread } from './solver-thread.ts';

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

/** The solve of a document, why it could not be done (`failed`), or undefined when it was superseded. */
export async function solveDocument(
  solver: SolverThread,
  model: DocumentModel,
  indexes: ReadonlyMap<string, ReadyIndex>,
  failing: ReadonlyMap<string, ReadonlySet<DependencyEntry>>,
): Promise<DocumentSolve | { failed: string } | undefined> {
  const entries = new Map<string, { used: DependencyEntry[]; left: DependencyEntry[] }>();
  const jobs: PlatformJob[] = [];
  for (const [platform, ready] of indexes) {
    const bad = failing.get(platform) ?? new Set();
    const applying = model.dependencies.filter((e) => appliesOn(e, platform));
    const used = applying.filter((e) => !bad.has(e));
    entries.set(platform, { used, left: applying.filter((e) => bad.has(e)) });
    jobs.push({ platform, key: ready.key, request: ready.request, specs: used.map((e) => e.text) });
  }
  const answer = await solver.solve(model.uri, jobs);
  if (answer === undefined) return undefined;
  if (!answer.ok) return { failed: answer.message };
  return { version: model.version, platforms: answer.platforms.map((p) => ({ ...p, ...entries.get(p.platform)! })) };
}

/** The solved package of a name on a platform solve, if it solved. */
export function solvedOf(solve: PlatformSolve | undefined, name: string): SolvedPackage | undefined {
  if (solve === undefined || !solve.solution.ok) return undefined;
  return solve.solution.packages.find((p) => p.name === name);
}
