// Reader for explicit spec files (CEP 23, as written by `conda list --explicit` and conda-lock):
// an `@EXPLICIT` line, then one package URL (or path) per line, each optionally followed by
// `#<md5>`, `#sha256:<sha256>` or `#<sha256>`.

import { errorAt, lineRange, platformOfComment, quote, splitLines, stripBom, type Range, type SourceLine } from './source-text.ts';

export interface ExplicitPackage {
  /** The URL (or path) as written, without the hash; it may hold a channel token. */
  url: string;
  md5?: string;
  sha256?: string;
  /** The package file name, e.g. `numpy-1.26.4-py312h8753938_0.conda` (URL-decoded). */
  fileName: string;
  name: string;
  version: string;
  build: string;
  /** The URL up to the subdir, e.g. `https://conda.anaconda.org/conda-forge`; the folder of the file when no subdir is recognised. */
  channel: string;
  /** The subdir folder the file is in (`linux-64`, `noarch`, …); absent when the folder is not a known subdir. */
  subdir?: string;
  /** The whole entry (URL and hash). */
  range: Range;
}

export interface ExplicitFile {
  kind: 'explicit';
  fileName: string;
  /** The subdir named by a `# platform: <subdir>` comment, when there is one. */
  platform?: string;
  packages: ExplicitPackage[];
}

const PACKAGE_EXTENSIONS = ['.conda', '.tar.bz2'] as const;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const KNOWN_SUBDIR = /^(?:noarch|(?:linux|osx|win|freebsd|emscripten|wasi|zos)-[a-z0-9]+)$/;

/** Whether a line is the `@EXPLICIT` marker (surrounding whitespace allowed, case-sensitive). */
export function isExplicitMarker(line: string): boolean {
  return line.trim() === '@EXPLICIT';
}

/** Whether a text has an `@EXPLICIT` line, which makes it an explicit spec file. */
export function hasExplicitMarker(text: string): boolean {
  return splitLines(stripBom(text)).some((source) => isExplicitMarker(source.text));
}

/** Reads an explicit spec file. */
export function parseExplicitFile(text: string, fileName: string): ExplicitFile {
  const result: ExplicitFile = { kind: 'explicit', fileName, packages: [] };
  let seenMarker = false;
  for (const source of splitLines(stripBom(text))) {
    const trimmed = source.text.trim();
    if (trimmed === '') continue;
    const start = source.text.length - source.text.trimStart().length;
    if (trimmed.startsWith('#')) {
      const platform = platformOfComment(trimmed);
      if (platform !== undefined && result.platform === undefined) result.platform = platform;
      continue;
    }
    if (isExplicitMarker(trimmed)) {
      seenMarker = true;
      continue;
    }
    if (!seenMarker) {
      throw errorAt(
        `${quote(trimmed)} comes before the @EXPLICIT line; in an explicit file package URLs go after @EXPLICIT (move the line below it, or remove @EXPLICIT if this is a list of match specs)`,
        fileName,
        { line: source.line, column: start + 1 },
      );
    }
    result.packages.push(parsePackageLine(source, start, trimmed, fileName));
  }
  if (!seenMarker) {
    throw errorAt(
      'not an explicit spec file: there is no @EXPLICIT line; add a line "@EXPLICIT" before the package URLs',
      fileName,
      { line: 1, column: 1 },
    );
  }
  return result;
}

function parsePackageLine(source: SourceLine, start: number, trimmed: string, fileName: string): ExplicitPackage {
  const line = source.line;
  const at = (index: number) => ({ line, column: start + index + 1 });
  const range = lineRange(line, start, start + trimmed.length);

  const hashAt = trimmed.indexOf('#');
  const url = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const hash = hashAt === -1 ? undefined : trimmed.slice(hashAt + 1);

  const isUrl = SCHEME.test(url);
  if (isUrl) {
    const space = url.search(/\s/);
    if (space !== -1) {
      throw errorAt(
        `unexpected whitespace in package URL ${quote(url.trimEnd())}; write one URL per line, with the hash directly after it as "#<md5>" or "#sha256:<sha256>" (spaces in URLs must be written as %20)`,
        fileName,
        at(space),
      );
    }
    if (!URL.canParse(url)) {
      throw errorAt(`invalid package URL ${quote(url)}; write a full URL such as https://conda.anaconda.org/conda-forge/linux-64/<file>.conda`, fileName, at(0));
    }
  }

  const lastSlash = Math.max(url.lastIndexOf('/'), isUrl ? -1 : url.lastIndexOf('\\'));
  const rawFileName = url.slice(lastSlash + 1);
  const extension = PACKAGE_EXTENSIONS.find((ext) => rawFileName.endsWith(ext));
  if (extension === undefined || rawFileName.length === extension.length) {
    throw errorAt(
      `expected the URL of a conda package ending in .conda or .tar.bz2, found ${quote(trimmed)}; an explicit file lists one package URL per line after @EXPLICIT (if this is a list of match specs, remove the @EXPLICIT line)`,
      fileName,
      at(0),
    );
  }

  const packageFileName = decode(rawFileName);
  const stem = packageFileName.slice(0, -extension.length);
  const buildDash = stem.lastIndexOf('-');
  const versionDash = buildDash <= 0 ? -1 : stem.lastIndexOf('-', buildDash - 1);
  if (versionDash <= 0 || versionDash + 1 === buildDash || buildDash === stem.length - 1) {
    throw errorAt(
      `package file name ${quote(packageFileName)} is not of the form <name>-<version>-<build>${extension}; check the URL`,
      fileName,
      at(lastSlash + 1),
    );
  }

  // Channel and subdir: the folders above the file.
  const folder = lastSlash === -1 ? '' : url.slice(0, lastSlash);
  const folderSlash = Math.max(folder.lastIndexOf('/'), isUrl ? -1 : folder.lastIndexOf('\\'));
  const parent = folder.slice(folderSlash + 1);
  const hasSubdir = folderSlash !== -1 && KNOWN_SUBDIR.test(parent) && !(isUrl && folder.slice(0, folderSlash).endsWith(':/'));

  const pkg: ExplicitPackage = {
    url,
    fileName: packageFileName,
    name: stem.slice(0, versionDash),
    version: stem.slice(versionDash + 1, buildDash),
    build: stem.slice(buildDash + 1),
    channel: hasSubdir ? folder.slice(0, folderSlash) : folder,
    range,
  };
  if (hasSubdir) pkg.subdir = parent;

  if (hash !== undefined) {
    const md5 = /^[0-9a-f]{32}$/.exec(hash);
    const sha256 = /^(?:sha256:)?([0-9a-f]{64})$/.exec(hash);
    if (md5) {
      pkg.md5 = hash;
    } else if (sha256) {
      pkg.sha256 = sha256[1]!;
    } else {
      const lower = hash.toLowerCase();
      const hint =
        lower !== hash && (/^[0-9a-f]{32}$/.test(lower) || /^(?:sha256:)?[0-9a-f]{64}$/.test(lower))
          ? 'hashes must be written in lowercase hex'
          : 'expected 32 hex digits (md5), 64 hex digits (sha256) or "sha256:" and 64 hex digits';
      throw errorAt(`bad package hash ${quote(hash)} after the URL: ${hint}; copy the hash again, or remove "#…" to skip the check`, fileName, at(hashAt + 1));
    }
  }
  return pkg;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
