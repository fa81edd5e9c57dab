// conda's own advice: pinning packages with many builds (python) or complex graphs speeds up
// solving and keeps the environment stable. For each unpinned dependency with many candidate
// records, a hint with the measured effect of pinning it to the solved release series
// ("pinning python=3.12 leaves 41 of 312 candidates", counted by core/solve/pin-effects.ts), which a
// code action applies.

import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { isUnpinnedSpec, pinEffect } from '../../core/solve/pin-effects.ts';
import { exactName } from './document-context.ts';
import { SOURCE } from './document-model.ts';
import { type PlatformSolve, solvedOf } from './document-solve.ts';
import type { ReadyIndex } from './index-store.ts';
import { toLspRange } from './positions.ts';

export interface PinData {
  kind: 'pin';
  /** The constraint to write after the name (`=3.12`). */
  constraint: string;
  name: string;
}

export function pinHints(solve: PlatformSolve, ready: ReadyIndex, minCandidates: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { index, virtualChannel } = ready.loaded;
  for (const entry of solve.used) {
    const name = exactName(entry);
    if (name === undefined || !isUnpinnedSpec(entry.spec) || entry.spec.isVirtual) continue;
    const solved = solvedOf(solve, name);
    if (solved === undefined || index.candidates(name).length < minCandidates) continue;
    const effect = pinEffect(index, name, solved.version, virtualChannel, true);
    if (effect === undefined || effect.candidates < minCandidates) continue;
    out.push({
      range: toLspRange(entry.range),
      severity: DiagnosticSeverity.Hint,
      source: SOURCE,
      code: 'pin-hint',
      message: `pinning ${effect.pin} leaves ${effect.left} of ${effect.candidates} candidates: the solve gets faster and the environment steadier (${name} has many builds)`,
      data: { kind: 'pin', constraint: effect.constraint, name } satisfies PinData,
    });
  }
  return out;
}
