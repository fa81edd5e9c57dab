// Maps the specs an unsatisfiable explanation names back to the lines of the environment file
// they were written on, so a person (and CI annotations, and the editor) can go to them.

import type { UnsatExplanation } from '../core/solve/explain.ts';
import type { DependencyEntry } from '../core/spec/plain-spec-file.ts';
import type { Range } from '../core/spec/source-text.ts';

export interface SpecSource {
  /** The spec as the explanation names it (conda's canonical form). */
  spec: string;
  /** As written in the file. */
  text: string;
  file: string;
  /** 1-based lines and columns. */
  range: Range;
}

/** The file entries behind the explanation's specs and chain heads, in file order. */
export function specSources(explanation: UnsatExplanation, file: string, entries: readonly DependencyEntry[]): SpecSource[] {
  const named = new Set<string>(explanation.specs);
  for (const c of explanation.conflicts) for (const chain of c.chains) if (chain[0] !== undefined) named.add(chain[0]);
  for (const m of explanation.missing) named.add(m);
  return entries
    .filter((e) => named.has(e.spec.toString()))
    .map((e) => ({ spec: e.spec.toString(), text: e.text, file, range: e.range }));
}

/** `In environment.yml:` and a line per entry, for the text explanation. */
export function renderSpecSources(sources: readonly SpecSource[]): string {
  if (sources.length === 0) return '';
  const byFile = new Map<string, SpecSource[]>();
  for (const s of sources) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  return [...byFile]
    .map(([file, list]) => [`In ${file}:`, ...list.map((s) => `  line ${s.range.start.line}: ${s.text}`)].join('\n'))
    .join('\n');
}
