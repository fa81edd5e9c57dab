// The package entries of one sharded subdir: the names its shard index lists, and the records of
// the names whose shards have been fetched so far (shard-walk.ts fetches them, wave after wave). The
// index reads it exactly as it reads RepodataPackages (`entriesOf`, `names`, `trackFeatureNames`),
// so the solver sees the same records whichever way they arrived. The index reads synchronously,
// so a name asked for before its shard was fetched is noted (`missed`): the caller fetches those
// and builds the index again (solve-environment.ts), and the final solve read only fetched names.

import { redactUrl } from '../spec/url-credentials.ts';
import type { Shard, ShardIndex } from './shard-format.ts';
import type { RawPackageEntry } from './repodata-packages.ts';

/** Where a subdir's shards are: `shards_base_url` resolved against the index URL (with and without credentials). */
export interface ShardLocation {
  baseUrl: string;
  displayBaseUrl: string;
}

const slash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/**
 * A folder URL of the index's `info` (`key` is `shards_base_url` or `base_url`): CEP 16 lets it be
 * absolute or relative to the index's URL. Undefined when the index gives none (or an empty one).
 * The display form is the resolved URL redacted, so a token never reaches a message or a result.
 */
function infoFolder(index: ShardIndex, key: string, indexUrl: string): ShardLocation | undefined {
  const value = index.info[key];
  if (typeof value !== 'string' || value === '') return undefined;
  const baseUrl = slash(new URL(value, indexUrl).href);
  return { baseUrl, displayBaseUrl: redactUrl(baseUrl) };
}

/** `shards_base_url` of the index (default: the index's folder) against the index's URL and its redacted form. */
export function shardLocation(index: ShardIndex, indexUrl: string, indexDisplayUrl: string): ShardLocation {
  return infoFolder(index, 'shards_base_url', indexUrl) ?? { baseUrl: slash(new URL('./', indexUrl).href), displayBaseUrl: slash(indexDisplayUrl.replace(/[^/]*$/, '')) };
}

/**
 * Where the subdir's packages are, redacted as every package URL is: the index's `base_url`
 * resolved against the index's URL, or `subdirDisplayUrl` when it gives none.
 */
export function packageBaseUrl(index: ShardIndex, indexUrl: string, subdirDisplayUrl: string): string {
  return infoFolder(index, 'base_url', indexUrl)?.displayBaseUrl ?? subdirDisplayUrl;
}

export class ShardPackages {
  readonly index: ShardIndex;
  readonly location: ShardLocation;
  /** The shard of each fetched name (fetched names absent from the index are not kept). */
  readonly #shards = new Map<string, Shard>();
  readonly #missed = new Set<string>();
  #entries = 0;
  /** The cached index this one replaced (downloaded afresh this run), until the walk prunes its stale shards. */
  replacedIndex: { bytes: Buffer; url: string } | undefined;
  /** The index's cache update, written while the walk fetches shards; the walk waits for it at the end (it never rejects). */
  cacheWrite: Promise<void> | undefined;

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

  /** Names whose shards are here. */
  loadedNames(): IterableIterator<string> {
    return this.#shards.keys();
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
    if (shard.packages.length === 0 && shard.removed.length === 0) return shard.packagesConda.slice();
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
