// The solver's "cannot be solved" as diagnostics: the explanation (conda's conflict chains) is put
// on each file entry it names, with the other entries involved as related information, so the
// editor shows the lines that fight and how.

import { type Diagnostic, type DiagnosticRelatedInformation, DiagnosticSeverity } from 'vscode-languageserver';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import type { DocumentSolve } from './document-solve.ts';
import { type DocumentModel, SOURCE } from './document-model.ts';
import { toLspRange } from './positions.ts';

export function unsatDiagnostics(model: DocumentModel, solve: DocumentSolve): Diagnostic[] {
  const out: Diagnostic[] = [];
  const several = solve.platforms.length > 1;
  for (const p of solve.platforms) {
    if (p.solution.ok) continue;
    const { explanation } = p.solution;
    const named = new Set<string>([...explanation.specs, ...explanation.missing]);
    const heads = new Map<string, string[][]>();
    for (const c of explanation.conflicts) {
      for (const chain of c.chains) {
        const head = chain[0];
        if (head === undefined) continue;
        named.add(head);
        heads.set(head, [...(heads.get(head) ?? []), chain]);
      }
    }
    const involved = p.used.filter((e) => named.has(e.spec.toString()) || named.has(e.spec.name));
    const where = several ? ` for ${p.platform}` : '';
    const message = `the environment cannot be solved${where}:\n${explanation.text}`;
    if (involved.length === 0) {
      const first: DependencyEntry | undefined = p.used[0] ?? model.dependencies[0];
      out.push({ range: first ? toLspRange(first.range) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: SOURCE, code: 'unsatisfiable', message });
      continue;
    }
    for (const entry of involved) {
      const relatedInformation: DiagnosticRelatedInformation[] = involved
        .filter((other) => other !== entry)
        .map((other) => {
          const chains = heads.get(other.spec.toString()) ?? heads.get(other.spec.name) ?? [];
          return {
            location: { uri: model.uri, range: toLspRange(other.range) },
            message: chains.length > 0 ? `${other.text}: ${chains.map((c) => c.join(' -> ')).join('; ')}` : `${other.text} is part of the conflict`,
          };
        });
      out.push({ range: toLspRange(entry.range), severity: DiagnosticSeverity.Error, source: SOURCE, code: 'unsatisfiable', message, relatedInformation });
    }
  }
  return out;
}
