// The code lens at the top of the file: what the solve gives (package count, download size, solve
// time, or that it cannot be solved) and the command that writes the solved spec file.

import type { CodeLens } from 'vscode-languageserver';
import type { DocumentSolve } from './document-solve.ts';

export const WRITE_SPEC_FILE = 'envSetup.writeSpecFile';

export function codeLenses(uri: string, solve: DocumentSolve | undefined, state: string | undefined): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (solve === undefined) return state === undefined ? [] : [{ range, command: { title: state, command: '' } }];
  const lenses: CodeLens[] = [];
  for (const p of solve.platforms) {
    const where = solve.platforms.length > 1 ? `${p.platform}: ` : '';
    if (!p.solution.ok) {
      lenses.push({ range, command: { title: `${where}cannot be solved (${Math.round(p.ms)} ms)`, command: '' } });
      continue;
    }
    const sized = p.solution.packages.filter((pkg) => pkg.size !== undefined);
    const bytes = sized.reduce((sum, pkg) => sum + pkg.size!, 0);
    const download = sized.length === 0 ? 'download size unknown' : `${formatBytes(bytes)} download${sized.length < p.solution.packages.length ? ` (${p.solution.packages.length - sized.length} of unknown size)` : ''}`;
    const left = p.left.length > 0 ? `, without ${p.left.length} uninstallable ${p.left.length === 1 ? 'entry' : 'entries'}` : '';
    lenses.push({ range, command: { title: `${where}${p.solution.packages.length} ${p.solution.packages.length === 1 ? 'package' : 'packages'} · ${download} · solved in ${Math.round(p.ms)} ms${left}`, command: '' } });
    if (p.left.length === 0) lenses.push({ range, command: { title: `Write ${p.platform} spec file`, command: WRITE_SPEC_FILE, arguments: [uri, p.platform] } });
  }
  return lenses;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}
