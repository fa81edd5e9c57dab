// What the fetch layer hands to the index: one subdir's repodata (raw entries, read lazily later),
// and RepodataSource, the interface every way of getting it implements — full repodata.json over
// HTTP with a cache, a local file:// channel, and sharded repodata (CEP 16), which loads only the
// packages named in `load(names)` and what they depend on.

import { RepodataPackages, type RawPackageEntry } from './repodata-packages.ts';
import type { ParsedRepodata } from './repodata-parse.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';

export type RepodataOriginKind =
  /** Downloaded now (200). */
  | 'downloaded'
  /** The server answered 304; the cached copy was used. */
  | 'not-modified'
  /** Used from the cache without asking the server (offline, or still fresh by Cache-Control max-age). */
  | 'cache'
  /** Read from a file:// channel. */
  | 'local'
  /** The subdir does not exist (404/403); empty. A channel whose subdirs are all missing is an error (see fetch.ts). */
  | 'missing';

export interface RepodataOrigin {
  kind: RepodataOriginKind;
  /** Whether repodata.json.zst was (or, for a cached copy, had been) downloaded. */
  zst: boolean;
  /** Bytes received over the network for this subdir in this run. */
  downloadedBytes: number;
  /** Size of the repodata.json text. */
  size: number;
  /** The cache file holding the repodata, when there is one. */
  cachePath?: string;
  /** For `missing`: the HTTP status (404 or 403), or 404 for a local folder. */
  status?: number;
  /** The subdir came as sharded repodata: `zst`, `size` and `downloadedBytes` are of its shard index. */
  sharded?: boolean;
}

/**
 * A subdir's package entries, read one name at a time: RepodataPackages (full repodata) or
 * ShardPackages (sharded repodata, only the names fetched).
 */
export interface RepodataEntries {
  /** Entries held (for sharded repodata: fetched so far). */
  readonly count: number;
  /** Lower-case package names of the subdir. */
  names(): readonly string[];
  /** The entries of one lower-case name, with conda's .conda/.tar.bz2 rule applied. */
  entriesOf(name: string): RawPackageEntry[];
  /** Names that may have records with track_features (a superset of those that do). */
  trackFeatureNames(): string[];
  /** Every entry held. */
  all(): RawPackageEntry[];
}

export interface SubdirRepodata extends Omit<ParsedRepodata, 'packages'> {
  packages: RepodataEntries;
  channel: ResolvedChannel;
  subdir: string;
  /** Redacted URL of the subdir folder. */
  url: string;
  origin: RepodataOrigin;
}

export interface RepodataSource {
  readonly channel: ResolvedChannel;
  readonly subdir: SubdirUrl;
  /**
   * Loads the subdir's repodata. `names`, when given, are the package names wanted: a sharded
   * source may load only those (and must include at least them); a full source ignores it.
   */
  load(names?: Iterable<string>): Promise<SubdirRepodata>;
}

export type FetchPhase = 'start' | 'cached' | 'downloading' | 'done';

export interface FetchProgress {
  /** Canonical channel name. */
  channel: string;
  subdir: string;
  phase: FetchPhase;
  /** Bytes received so far (`downloading`, `done`). */
  bytes?: number;
  /** Expected bytes (Content-Length) when known (`downloading`); repodata size (`done`, `cached`). */
  total?: number;
}

/** An empty subdir (a missing one). */
export function emptyRepodata(): ParsedRepodata {
  return { info: {}, repodataVersion: undefined, packages: RepodataPackages.empty(), removed: [] };
}
