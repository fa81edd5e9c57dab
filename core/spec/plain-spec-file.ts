// Reader for plain ("text spec", CEP 23 non-explicit) files, as taken by `conda create --file`:
// one match spec per line, `#` comments and blank lines ignored, an optional `# platform: <subdir>`
// header. Also home of DependencyEntry, the located match spec shared with the environment.yml reader.

import { SpecError } from './errors.ts';
import { MatchSpec } from './match-spec.ts';
import { errorAt, lineRange, platformOfComment, quote, splitLines, stripBom, type Range } from './source-text.ts';

/** One conda dependency read from a file: its text, the parsed spec, and where it was written. */
export interface DependencyEntry {
  /** The spec as written (without surrounding whitespace or a trailing comment). */
  text: string;
  spec: MatchSpec;
  range: Range;
  /**
   * A CEP 24 preprocessing selector attached to the entry, when there is one: the expression of a
   * comment selector (`- pywin32  # [win]`) or of a dictionary selector (`- sel(win): pywin32`).
   * It is not evaluated here; the entry only applies where the expression holds. (conda itself
   * ignores comment selectors; conda-lock and micromamba honour them.)
   */
  selector?: string;
}

export interface PlainSpecFile {
  kind: 'plain';
  fileName: string;
  /** The subdir named by a `# platform: <subdir>` comment, when there is one. */
  platform?: string;
  specs: DependencyEntry[];
}

/**
 * Parses a match spec found in a file. A bad spec is re-thrown as a SpecError carrying the file
 * name and the spec's position, keeping MatchSpec's own message.
 */
export function parseDependency(text: string, fileName: string, range: Range, selector?: string): DependencyEntry {
  let spec: MatchSpec;
  try {
    spec = MatchSpec.parse(text);
  } catch (error) {
    const message =
      error instanceof SpecError
        ? error.message
        : `invalid match spec ${quote(text)}: ${error instanceof Error ? error.message : String(error)}`;
    throw errorAt(message, fileName, range.start, { input: text, cause: error });
  }
  const entry: DependencyEntry = { text, spec, range };
  if (selector !== undefined) entry.selector = selector;
  return entry;
}

/**
 * Where a trailing comment starts in a spec line: at a `#` that begins the line or follows
 * whitespace. A `#` inside a word (as in `url#md5`) does not start a comment.
 */
function commentStart(line: string): number {
  const match = /(^|\s)#/.exec(line);
  if (!match) return -1;
  return match.index + match[1]!.length;
}

/** Reads a plain spec file: one match spec per line. */
export function parsePlainSpecFile(text: string, fileName: string): PlainSpecFile {
  const result: PlainSpecFile = { kind: 'plain', fileName, specs: [] };
  for (const source of splitLines(stripBom(text))) {
    const trimmed = source.text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const platform = platformOfComment(trimmed);
      if (platform !== undefined && result.platform === undefined) result.platform = platform;
      continue;
    }
    const start = source.text.length - source.text.trimStart().length;
    if (trimmed === '@EXPLICIT') {
      throw errorAt(
        'this file is an explicit spec file (it has an @EXPLICIT line), not a list of match specs; read it as an explicit file',
        fileName,
        { line: source.line, column: start + 1 },
      );
    }
    const hash = commentStart(source.text);
    const specText = (hash === -1 ? source.text : source.text.slice(0, hash)).trim();
    if (specText === '') continue;
    const range = lineRange(source.line, start, start + specText.length);
    result.specs.push(parseDependency(specText, fileName, range));
  }
  if (result.specs.length === 0) {
    throw errorAt(
      'empty environment file: no package specs found; write one match spec per line (for example "numpy>=1.26")',
      fileName,
      { line: 1, column: 1 },
    );
  }
  return result;
}
