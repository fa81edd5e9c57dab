// What the fetch layer hands to the index: one subdir's repodata (raw entries, read lazily later),
// and RepodataSource, the interface every way of getting it implements — full repodata.json over
// HTTP with a cache, a local file:// channel, and later sharded repodata (CEP 16), which can load
// only the packages named in `load(names)`.

import { RepodataPackages } from './repodata-packages.ts';
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
}

export interface SubdirRepodata extends ParsedRepodata {
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
