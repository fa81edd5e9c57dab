// Files an environment file refers to, whose content changes what gets installed: the pip
// requirement and constraint files of its `pip:` section (`-r requirements.txt`,
// `--requirement=dev.txt`, `-c constraints.txt`), relative to the environment file's folder, and
// the files those refer to in turn (relative to each file). Each is identified by its path as
// written and the SHA-256 of its content; a file that does not exist is recorded as missing, so
// creating it changes the environment key. Local package folders and archives (`-e .`,
// `./dist/x.whl`) are read only for the tarball key, from the lines this walk reaches
// (pipLinesReached; pip-local-sources.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

export interface ReferencedFile {
  /** The path relative to the environment file's folder, with `/` separators. */
  path: string;
  /** SHA-256 of the content; null when the file does not exist or cannot be read. */
  sha256: string | null;
}

const LONG = /^--(?:requirement|constraint)(?:\s*=\s*|\s+)(\S.*)$/;
const SHORT = /^-[rc]\s*(\S.*)$/;

/** The file a pip requirement line names with -r/-c (as written), or undefined. */
export function requirementFileOf(line: string): string | undefined {
  const text = line.replace(/(^|\s)#.*$/, '').trim();
  const m = LONG.exec(text) ?? SHORT.exec(text);
  return m?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** A pip line and the folder of the file it is written in (the environment file's, or a requirement file's). */
export interface PipLine {
  text: string;
  /** Absolute folder of the file the line is in. */
  dir: string;
}

/** Walks the pip lines of the environment file and of every requirement file they reach, each file once. */
function walkPipLines(pipEntries: readonly string[], environmentFile: string): { files: ReferencedFile[]; lines: PipLine[] } {
  const base = dirname(resolve(environmentFile));
  const seen = new Map<string, ReferencedFile>();
  const lines: PipLine[] = [];
  const visit = (texts: readonly string[], from: string) => {
    for (const text of texts) {
      lines.push({ text, dir: from });
      const named = requirementFileOf(text);
      if (named === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(named)) continue;
      const absolute = resolve(from, named);
      const path = relative(base, absolute).split('\\').join('/');
      if (seen.has(path)) continue;
      let content: Buffer | undefined;
      try {
        content = readFileSync(absolute);
      } catch {
        content = undefined;
      }
      seen.set(path, { path, sha256: content === undefined ? null : createHash('sha256').update(content).digest('hex') });
      if (content !== undefined) visit(content.toString('utf8').split(/\r\n|\r|\n/), dirname(absolute));
    }
  };
  visit(pipEntries, base);
  return { files: [...seen.values()], lines };
}

/**
 * Every requirement/constraint file reachable from `pipEntries` (the `pip:` lines of the
 * environment file at `environmentFile`), each once, in the order first met.
 */
export function referencedFiles(pipEntries: readonly string[], environmentFile: string): ReferencedFile[] {
  return walkPipLines(pipEntries, environmentFile).files;
}

/** Every pip line: the environment file's `pip:` lines and those of the requirement files they reach, in the order met. */
export function pipLinesReached(pipEntries: readonly string[], environmentFile: string): PipLine[] {
  return walkPipLines(pipEntries, environmentFile).lines;
}
