// The package entries of one sharded subdir: the names its shard index lists, and the records of
// the names whose shards have been fetched so far (shard-walk.ts fetches them, wave after wave). The
// index reads it exactly as it reads RepodataPackages (`entriesOf`, `names`, `trackFeatureNames`),
// so the solver sees the same records whichever way they arrived. The index reads synchronously,
// so a name asked for before its shard was fetched is noted (`missed`): the caller fetches those
// and builds the index again (solve-environment.ts), and the final solve read only fetched names.

import type { Shard, ShardIndex } from './shard-format.ts';
import type { RawPackageEntry } from './repodata-packages.ts';

/** Where a subdir's shards are: `shards_base_url` resolved against the index URL (with and without credentials). */
export interface ShardLocation {
  baseUrl: string;
  displayBaseUrl: string;
}

/** `shards_base_url` of the index (default: the index's folder) against the index's URL and its redacted form. */
export function shardLocation(index: ShardIndex, indexUrl: string, indexDisplayUrl: string): ShardLocation {
  const base = typeof index.info.shards_base_url === 'string' && index.info.shards_base_url !== '' ? index.info.shards_base_url : './';
  const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);
  return { baseUrl: slash(new URL(base, indexUrl).href), displayBaseUrl: slash(new URL(base, indexDisplayUrl).href) };
}

export class ShardPackages {
  readonly index: ShardIndex;
  readonly location: ShardLocation;
  /** The shard of each fetched name (fetched names absent from the index are not kept). */
  readonly #shards = new Map<string, Shard>();
  readonly #missed = new Set<string>();
  #entries = 0;

  constructor(index: ShardIndex, location: ShardLocation) {
    this.index = index;
    this.location = location;
  }

  /** URL of a shard (credentials included: never log it). */
  shardUrl(sha256: string): string {
    return `${this.location.baseUrl}${sha256}.msgpack.zst`;
  }

  shardDisplayUrl(sha256: string): string {
    return `${this.location.displayBaseUrl}${sha256}.msgpack.zst`;
  }

  /** Entries fetched so far (before `removed` and the .conda/.tar.bz2 rule). */
  get count(): number {
    return this.#entries;
  }

  /** Every package name of the subdir (lower case), fetched or not. */
  names(): readonly string[] {
    return [...this.index.shards.keys()];
  }

  /** Whether the subdir has a shard for the name. */
  has(name: string): boolean {
    return this.index.shards.has(name);
  }

  /** Whether the name's shard is here (or the subdir has no such name). */
  isLoaded(name: string): boolean {
    return this.#shards.has(name) || !this.index.shards.has(name);
  }

  /** The fetched shard of a name. */
  shardOf(name: string): Shard | undefined {
    return this.#shards.get(name);
  }

  /** Adds a fetched shard. */
  add(name: string, shard: Shard): void {
    if (this.#shards.has(name)) return;
    this.#shards.set(name, shard);
    this.#entries += shard.packages.length + shard.packagesConda.length;
    this.#missed.delete(name);
  }

  /** Names asked for (by entriesOf or trackFeatureNames) whose shards were not fetched. */
  missed(): string[] {
    return [...this.#missed];
  }

  /**
   * The entries of one name, `packages.conda` first, a `.conda` entry hiding the `.tar.bz2` of the
   * same stem and the shard's `removed` dropped. A name not fetched yet gives none and is noted.
   */
  entriesOf(name: string): RawPackageEntry[] {
    const shard = this.#shards.get(name);
    if (shard === undefined) {
      if (this.index.shards.has(name)) this.#missed.add(name);
      return [];
    }
    const removed = new Set(shard.removed);
    const out: RawPackageEntry[] = shard.packagesConda.filter(([fn]) => !removed.has(fn));
    const hidden = new Set(shard.packagesConda.map(([fn]) => `${fn.slice(0, -6)}.tar.bz2`));
    for (const entry of shard.packages) if (!hidden.has(entry[0]) && !removed.has(entry[0])) out.push(entry);
    return out;
  }

  /**
   * Names that may have records with track_features. Only a fetched shard can say, so the names
   * not fetched are all noted as missed: a solve that needs feature trackers (a record with
   * `features`) then fetches every shard of the subdir, as reading full repodata would have.
   */
  trackFeatureNames(): string[] {
    const out: string[] = [];
    for (const name of this.index.shards.keys()) {
      const shard = this.#shards.get(name);
      if (shard === undefined) this.#missed.add(name);
      else if ([...shard.packages, ...shard.packagesConda].some(([, raw]) => hasTrackFeatures(raw))) out.push(name);
    }
    return out;
  }

  /** Every fetched entry. */
  all(): RawPackageEntry[] {
    return [...this.#shards.keys()].flatMap((name) => this.entriesOf(name));
  }
}

function hasTrackFeatures(raw: Record<string, unknown>): boolean {
  const tf = raw.track_features;
  return !(tf === undefined || tf === null || tf === '' || (Array.isArray(tf) && tf.length === 0));
}
