// A linked package's `paths_data.paths`, the biggest part of its conda-meta record, kept as its
// manifest's columns (link-package-info.ts ManifestPaths) and where each path went in the prefix,
// plus what linking learnt: the sha256 of each file rewritten for the prefix, and the entries added
// after (entry points, .pyc files). The entries — small objects in conda's format, keys sorted —
// are made only as the record is written (json-parts.ts asks for them a group at a time), so none
// of them outlives its group: made up front, they were a warm install's largest set of objects
// after the manifests (bench/RESULTS.md, session 36).

import type { JsonRows } from './json-parts.ts';
import type { ManifestPaths } from './link-package-info.ts';

/** One entry of a PrefixRecord's `paths_data.paths`. */
export interface PrefixPathData {
  _path: string;
  path_type: 'hardlink' | 'softlink' | 'directory' | 'pyc_file' | 'unix_python_entry_point';
  sha256?: string;
  sha256_in_prefix?: string;
  size_in_bytes?: number;
  file_mode?: 'text' | 'binary';
  prefix_placeholder?: string;
  no_link?: boolean;
}

export class PrefixPathsData implements JsonRows {
  readonly #manifest: ManifestPaths;
  readonly #targets: readonly string[];
  /** sha256_in_prefix of each rewritten entry. */
  readonly #inPrefix = new Map<number, string>();
  /** Entries after the manifest's. */
  readonly #extra: PrefixPathData[] = [];

  /** `targets[i]` is where manifest entry `i` went in the prefix. */
  constructor(manifest: ManifestPaths, targets: readonly string[]) {
    this.#manifest = manifest;
    this.#targets = targets;
  }

  get rowCount(): number {
    return this.#manifest.length + this.#extra.length;
  }

  /** Notes that manifest entry `i` was rewritten for the prefix, giving content with `sha256`. */
  rewritten(i: number, sha256: string): void {
    this.#inPrefix.set(i, sha256);
  }

  /** Adds an entry after the manifest's (an entry point, a .pyc file). */
  push(entry: PrefixPathData): void {
    this.#extra.push(entry);
  }

  /** The path_type of entry `i`. */
  pathType(i: number): PrefixPathData['path_type'] {
    const m = this.#manifest;
    return i < m.length ? m.type(i) : this.#extra[i - m.length]!.path_type;
  }

  /** Entry `i` in conda's format, keys in sorted order (as conda-meta has them). */
  row(i: number): PrefixPathData {
    const m = this.#manifest;
    if (i >= m.length) return this.#extra[i - m.length]!;
    const type = m.type(i);
    const sha256 = m.sha256(i);
    const size = m.size(i);
    const inPrefix = this.#inPrefix.get(i);
    const entry = { _path: this.#targets[i]! } as PrefixPathData;
    if (inPrefix !== undefined) entry.file_mode = m.fileMode(i) ?? 'text';
    if (m.noLink(i)) entry.no_link = true;
    entry.path_type = type;
    if (inPrefix !== undefined) entry.prefix_placeholder = m.placeholder(i)!;
    if (sha256 !== undefined) entry.sha256 = sha256;
    // a file linked as it is has the package's content; a rewritten one, what it was hashed to
    if (inPrefix !== undefined) entry.sha256_in_prefix = inPrefix;
    else if (type === 'hardlink' && sha256 !== undefined && !m.isPlaceholderFile(i)) entry.sha256_in_prefix = sha256;
    if (size !== undefined) entry.size_in_bytes = size;
    return entry;
  }

  /** Every entry (for JSON.stringify and callers that want them all at once). */
  toJSON(): PrefixPathData[] {
    return Array.from({ length: this.rowCount }, (_, i) => this.row(i));
  }
}
