// conda's own advice: pinning packages with many builds (python) or complex graphs speeds up
// solving and keeps the environment stable. For each unpinned dependency with many candidate
// records, a hint with the measured effect of pinning it to the solved release series
// ("pinning python=3.12 leaves 41 of 312 candidates"), which a code action applies.

import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { exactName } from './document-context.ts';
import { SOURCE } from './document-model.ts';
import { type PlatformSolve, solvedOf } from './document-solve.ts';
import type { ReadyIndex } from './index-store.ts';
import { packageFacts } from './package-facts.ts';
import { toLspRange } from './positions.ts';
import { isUnpinned, releaseSeries } from './spec-rewrite.ts';

export interface PinData {
  kind: 'pin';
  /** The constraint to write after the name (`=3.12`). */
  constraint: string;
  name: string;
}

export function pinHints(solve: PlatformSolve, ready: ReadyIndex, minCandidates: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { index } = ready.loaded;
  for (const entry of solve.used) {
    const name = exactName(entry);
    if (name === undefined || !isUnpinned(entry) || entry.spec.isVirtual) continue;
    const solved = solvedOf(solve, name);
    if (solved === undefined) continue;
    const facts = packageFacts(ready.loaded, name);
    if (facts.ids.length < minCandidates) continue;
    const series = releaseSeries(solved.version);
    if (series === undefined) continue;
    const pin = MatchSpec.parse(`${name}=${series}`);
    const left = facts.ids.filter((id) => index.matches(pin, id)).length;
    if (left >= facts.ids.length) continue;
    out.push({
      range: toLspRange(entry.range),
      severity: DiagnosticSeverity.Hint,
      source: SOURCE,
      code: 'pin-hint',
      message: `pinning ${name}=${series} leaves ${left} of ${facts.ids.length} candidates: the solve gets faster and the environment steadier (${name} has many builds)`,
      data: { kind: 'pin', constraint: `=${series}`, name } satisfies PinData,
    });
  }
  return out;
}
