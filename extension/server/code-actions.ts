// Code actions on dependencies: quick fixes for the diagnostics (a misspelt name, a version no
// record has, a pin hint), pins to the solved version (`=1.26.4`) or its release range
// (`>=1.26,<1.27`), and pinning every unpinned dependency to its solved version at once.

import { type CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { exactName } from './document-context.ts';
import type { DocumentModel } from './document-model.ts';
import { type PlatformSolve, solvedOf } from './document-solve.ts';
import type { CheckData } from './package-checks.ts';
import type { PinData } from './pin-hints.ts';
import { contains, toLspRange } from './positions.ts';
import { compatibleRange, isUnpinned, rewriteName, rewriteVersion } from './spec-rewrite.ts';

export const PIN_ALL_KIND = `${CodeActionKind.Source}.pinAll`;

export function codeActions(model: DocumentModel, params: CodeActionParams, primary: PlatformSolve | undefined): CodeAction[] {
  const out: CodeAction[] = [];
  const only = params.context.only;
  const wants = (kind: string) => only === undefined || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const edit = (edits: TextEdit[]) => ({ changes: { [model.uri]: edits } });
  const entryAt = (d: { range: Diagnostic['range'] }) => model.dependencies.find((e) => contains(toLspRange(e.range), d.range.start));

  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      const data = d.data as CheckData | PinData | undefined;
      const entry = entryAt(d);
      if (data === undefined || entry === undefined) continue;
      if (data.kind === 'rename') {
        for (const s of data.suggestions) {
          const e = rewriteName(entry, data.name, s);
          if (e) out.push({ title: `Change to '${s}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: s === data.suggestions[0], edit: edit([e]) });
        }
      } else if (data.kind === 'version') {
        for (const v of data.versions) {
          const e = rewriteVersion(entry, `=${v}`);
          if (e) out.push({ title: `Use ${data.name}=${v} (available)`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: edit([e]) });
        }
      } else if (data.kind === 'pin') {
        const e = rewriteVersion(entry, data.constraint);
        if (e) out.push({ title: `Pin ${data.name}${data.constraint}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: edit([e]) });
      }
    }
  }

  if (wants(CodeActionKind.RefactorRewrite)) {
    for (const entry of model.dependencies) {
      if (!contains(toLspRange(entry.range), params.range.start)) continue;
      const name = exactName(entry);
      const solved = name === undefined ? undefined : solvedOf(primary, name);
      if (solved === undefined) continue;
      const exact = rewriteVersion(entry, `=${solved.version}`);
      if (exact && entry.spec.version?.toString() !== `${solved.version}`) {
        out.push({ title: `Pin ${solved.name} to the solved version (=${solved.version})`, kind: CodeActionKind.RefactorRewrite, edit: edit([exact]) });
      }
      const range = compatibleRange(solved.version);
      const compatible = range === undefined ? undefined : rewriteVersion(entry, range);
      if (compatible && range !== undefined) out.push({ title: `Pin ${solved.name} to its compatible range (${range})`, kind: CodeActionKind.RefactorRewrite, edit: edit([compatible]) });
    }
  }

  if (wants(PIN_ALL_KIND) || wants(CodeActionKind.RefactorRewrite)) {
    const edits = pinAllEdits(model, primary);
    if (edits.length > 0) out.push({ title: `Pin all ${edits.length} unpinned dependencies to the solved versions`, kind: PIN_ALL_KIND, edit: edit(edits) });
  }
  return out;
}

function pinAllEdits(model: DocumentModel, primary: PlatformSolve | undefined): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const entry of model.dependencies as DependencyEntry[]) {
    const name = exactName(entry);
    if (name === undefined || !isUnpinned(entry) || entry.spec.isVirtual) continue;
    const solved = solvedOf(primary, name);
    const e = solved === undefined ? undefined : rewriteVersion(entry, `=${solved.version}`);
    if (e) edits.push(e);
  }
  return edits;
}
