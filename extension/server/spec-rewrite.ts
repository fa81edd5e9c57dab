// Rewriting one dependency entry with another version constraint, keeping its channel prefix and
// name as written (`conda-forge::NumPy` stays so); only for entries that say nothing but channel,
// name and version, on one line. Also the constraints a pin writes from a solved version.

import type { TextEdit } from 'vscode-languageserver';
import { isUnpinnedSpec } from '../../core/solve/pin-effects.ts';
import type { DependencyEntry } from '../../core/spec/plain-spec-file.ts';
import { toLspRange } from './positions.ts';

const HEAD = /^((?:[^\s:]+::)?)([A-Za-z0-9_][A-Za-z0-9_.\-]*)/;

/** The edit that replaces the entry's version constraint with `constraint` (`=1.26.4`, `>=1.26,<1.27`), or undefined. */
export function rewriteVersion(entry: DependencyEntry, constraint: string): TextEdit | undefined {
  if (entry.range.start.line !== entry.range.end.line) return undefined;
  if (entry.spec.fieldNames().some((f) => f !== 'channel' && f !== 'name' && f !== 'version')) return undefined;
  const head = HEAD.exec(entry.text);
  if (head === null) return undefined;
  return { range: toLspRange(entry.range), newText: `${head[1]}${head[2]}${constraint}` };
}

/** The edit that replaces the entry's package name, or undefined when the name is not found as written. */
export function rewriteName(entry: DependencyEntry, from: string, to: string): TextEdit | undefined {
  const head = HEAD.exec(entry.text);
  if (head === null || head[2]!.toLowerCase() !== from || entry.range.start.line !== entry.range.end.line) return undefined;
  const range = toLspRange(entry.range);
  // the entry's range may include quotes: find the name in the document line's span
  const offset = entry.text.indexOf(head[2]!);
  const quote = range.end.character - range.start.character - entry.text.length > 0 ? 1 : 0;
  const start = range.start.character + quote + offset;
  return { range: { start: { line: range.start.line, character: start }, end: { line: range.start.line, character: start + head[2]!.length } }, newText: to };
}

/** Is the entry unpinned (no version constraint)? */
export function isUnpinned(entry: DependencyEntry): boolean {
  return isUnpinnedSpec(entry.spec);
}

/** `>=1.26,<1.27` for 1.26.4 (the release series; `>=8,<9` for 8), or undefined for versions not so numbered. */
export function compatibleRange(version: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (m === null) return undefined;
  if (m[2] === undefined) return `>=${m[1]},<${Number(m[1]) + 1}`;
  return `>=${m[1]}.${m[2]},<${m[1]}.${Number(m[2]) + 1}`;
}
