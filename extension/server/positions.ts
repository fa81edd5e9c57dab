// Positions between core and the protocol: core counts lines and columns from 1, LSP from 0 (both
// in UTF-16 code units); plus the range a located core error covers in the document's text.

import type { Position as LspPosition, Range as LspRange } from 'vscode-languageserver';
import type { SourcePosition } from '../../core/spec/errors.ts';
import type { Range } from '../../core/spec/source-text.ts';

export function toLspRange(range: Range): LspRange {
  return { start: toLspPosition(range.start), end: toLspPosition(range.end) };
}

export function toLspPosition(position: SourcePosition): LspPosition {
  return { line: Math.max(0, position.line - 1), character: Math.max(0, position.column - 1) };
}

export function contains(range: LspRange, position: LspPosition): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

/**
 * The range an error at `position` covers: the text it names (`input`) when that is what stands
 * there, else the rest of the line without trailing whitespace and comment, else one character.
 */
export function errorRange(lines: readonly string[], position: SourcePosition, input?: string): LspRange {
  const start = toLspPosition(position);
  const line = lines[start.line] ?? '';
  if (input !== undefined && input !== '' && line.startsWith(input, start.character)) {
    return { start, end: { line: start.line, character: start.character + input.length } };
  }
  const rest = line.slice(start.character).replace(/\s+#.*$/, '').trimEnd();
  const length = Math.max(1, rest.length);
  return { start, end: { line: start.line, character: Math.min(Math.max(line.length, start.character + 1), start.character + length) } };
}
