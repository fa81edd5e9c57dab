// Source positions for the environment file readers (environment.yml, explicit and plain spec files):
// 1-based line/column positions, ranges and located values, plus line splitting that copes with
// CRLF and a leading byte order mark, and a helper to raise a SpecError at a position.

import { SpecError } from './errors.ts';

/** A place in a text file. Both numbers are 1-based; columns count UTF-16 code units (as editors do). */
export interface Position {
  line: number;
  column: number;
}

/** A span of text. `end` is exclusive: it is the position just after the last character. */
export interface Range {
  start: Position;
  end: Position;
}

/** A value read from a file, with the span of text it came from. */
export interface Located<T> {
  value: T;
  range: Range;
}

/** One line of a text file, without its line terminator. */
export interface SourceLine {
  /** The line's text, without `\n` / `\r\n` / `\r`. */
  text: string;
  /** 1-based line number. */
  line: number;
}

const BOM = '\uFEFF';

/** Drops a leading byte order mark, which editors do not count as a column. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Splits text into lines, accepting `\n`, `\r\n` and lone `\r` terminators. */
export function splitLines(text: string): SourceLine[] {
  const parts = text.split(/\r\n|\n|\r/);
  // A final terminator does not start another line.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((lineText, index) => ({ text: lineText, line: index + 1 }));
}

/** The range covering `[startIndex, endIndex)` of one line (indexes are 0-based string offsets). */
export function lineRange(line: number, startIndex: number, endIndex: number): Range {
  return { start: { line, column: startIndex + 1 }, end: { line, column: endIndex + 1 } };
}

/** The range of the text of a line once leading and trailing whitespace are left out. */
export function trimmedLineRange(source: SourceLine): Range {
  const start = source.text.length - source.text.trimStart().length;
  const end = source.text.trimEnd().length;
  return lineRange(source.line, start, Math.max(start, end));
}

/** A SpecError located at a position of a file. */
export function errorAt(
  message: string,
  file: string,
  position: Position,
  options: { input?: string; cause?: unknown } = {},
): SpecError {
  return new SpecError(message, { ...options, file, position: { line: position.line, column: position.column } });
}

/** Quotes a piece of file text for an error message, shortening very long text. */
export function quote(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `'${shown}'`;
}

const PLATFORM_COMMENT = /^#\s*platform\s*:\s*(\S+)\s*$/;

/** The subdir of a `# platform: linux-64` comment line (already trimmed), if it is one. */
export function platformOfComment(trimmedLine: string): string | undefined {
  return PLATFORM_COMMENT.exec(trimmedLine)?.[1];
}
