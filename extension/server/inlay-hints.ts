// Inlay hints: the version the solve picked, after each unpinned dependency.

import { type InlayHint, InlayHintKind, type Range } from 'vscode-languageserver';
import { exactName } from './document-context.ts';
import type { DocumentModel } from './document-model.ts';
import { type PlatformSolve, solvedOf } from './document-solve.ts';
import { toLspPosition } from './positions.ts';
import { isUnpinned } from './spec-rewrite.ts';

export function inlayHints(model: DocumentModel, primary: PlatformSolve | undefined, range: Range): InlayHint[] {
  const out: InlayHint[] = [];
  for (const entry of model.dependencies) {
    const line = entry.range.end.line - 1;
    if (line < range.start.line || line > range.end.line || !isUnpinned(entry)) continue;
    const name = exactName(entry);
    const solved = name === undefined ? undefined : solvedOf(primary, name);
    if (solved === undefined) continue;
    out.push({
      position: toLspPosition(entry.range.end),
      label: `= ${solved.version}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `solved: ${solved.name} ${solved.version} ${solved.build} (${solved.channel}/${solved.subdir})`,
    });
  }
  return out;
}
