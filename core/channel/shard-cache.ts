// The on-disk cache of sharded repodata, beside the repodata cache (`<cache dir>/repodata`):
//   shards/<2 hex>/<sha256>.msgpack.zst   one shard, named by the hash of its bytes. Shards are
//                                         immutable, so a cached one is used without asking the
//                                         server; it is checked against its name when read, and
//                                         a damaged one is dropped and fetched again. When an
//                                         updated index moves a walked name to a new hash, the
//                                         old shard is deleted (pruneMoved).
//   <key>.shards.msgpack.zst              a subdir's shard index, as the server sent it
//   <key>.shards.state.json               its validators (ETag, Last-Modified, max-age) for the
//                                         conditional request, and whether the subdir has shards
//                                         at all (a 404 is remembered for a day, so channels
//                                         without shards cost one request a day, not one a run)
// `<key>` is the repodata cache's key of the redacted subdir URL, so no token reaches a file name.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite, cacheKey } from './repodata-cache.ts';
import { hexOf, sha256HexOf, type ShardHashes, type ShardIndex } from './shard-format.ts';

export const SHARD_STATE_VERSION = 1;

export interface ShardIndexState {
  version: typeof SHARD_STATE_VERSION;
  /** Redacted URL of the shard index. */
  url: string;
  /** Whether the server has a shard index for this subdir, and when that was last learnt. */
  hasShards: boolean;
  checkedAt: string;
  etag?: string;
  lastModified?: string;
  maxAgeSeconds?: number;
  /** When the server last answered 200 or 304 for the index, ISO 8601. */
  fetchedAt?: string;
  /** sha256 (hex) and size of the cached index file. */
  sha256?: string;
  size?: number;
}

export interface ShardIndexPaths {
  data: string;
  state: string;
}

export class ShardCache {
  /** The repodata cache folder (`<cache dir>/repodata`). */
  readonly dir: string;

  constructor(repodataCacheDir: string) {
    this.dir = repodataCacheDir;
  }

  indexPaths(redactedSubdirUrl: string): ShardIndexPaths {
    const key = cacheKey(redactedSubdirUrl);
    return { data: join(this.dir, `${key}.shards.msgpack.zst`), state: join(this.dir, `${key}.shards.state.json`) };
  }

  /** The state of a subdir's index entry, or undefined when none is readable. */
  async readIndexState(paths: ShardIndexPaths): Promise<ShardIndexState | undefined> {
    try {
      const state = JSON.parse(await readFile(paths.state, 'utf8')) as ShardIndexState;
      if (state?.version !== SHARD_STATE_VERSION || typeof state.hasShards !== 'boolean' || typeof state.checkedAt !== 'string') return undefined;
      return state;
    } catch {
      return undefined;
    }
  }

  /** The cached index bytes when they are there and match the state's hash; else undefined. */
  async readIndex(paths: ShardIndexPaths, state: ShardIndexState): Promise<Buffer | undefined> {
    if (!state.hasShards || state.sha256 === undefined) return undefined;
    try {
      const bytes = await readFile(paths.data);
      return bytes.length === state.size && sha256HexOf(bytes) === state.sha256 ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  async writeIndex(paths: ShardIndexPaths, bytes: Uint8Array, state: ShardIndexState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.data, bytes);
    await this.writeIndexState(paths, state);
  }

  async writeIndexState(paths: ShardIndexPaths, state: ShardIndexState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.state, JSON.stringify(state, null, 2) + '\n');
  }

  /** Forgets a subdir's index (it turned out unusable). */
  async discardIndex(paths: ShardIndexPaths): Promise<void> {
    await Promise.all([rm(paths.data, { force: true }), rm(paths.state, { force: true })]);
  }

  shardPath(sha256: string): string {
    return join(this.dir, 'shards', sha256.slice(0, 2), `${sha256}.msgpack.zst`);
  }

  /** Whether the shard folder existed when first asked: a cold cache then costs no read per shard. */
  #hasShards: boolean | undefined;

  /** A cached shard, checked against its hash; undefined when absent (a damaged one is removed). */
  async readShard(sha256: string): Promise<Buffer | undefined> {
    this.#hasShards ??= existsSync(join(this.dir, 'shards'));
    if (!this.#hasShards) return undefined;
    const path = this.shardPath(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return undefined;
    }
    if (sha256HexOf(bytes) === sha256) return bytes;
    await rm(path, { force: true });
    return undefined;
  }

  /**
   * Deletes the cached shards that `replaced` (an older version of a subdir's index) gave for
   * `names` and `current` no longer does: the shards a walk had used before, moved to a new hash
   * by a channel update. Bounded by the names walked, so it costs a few lookups, not a scan of the
   * cache; a name no walk visits again keeps its old shard (as small as a shard is). Returns how
   * many files were deleted. An unreadable old index deletes nothing.
   */
  async pruneMoved(replaced: ShardIndex, current: ShardHashes, names: Iterable<string>): Promise<number> {
    const stale: string[] = [];
    for (const name of names) {
      const old = replaced.shards.get(name);
      const now = current.get(name);
      if (old !== undefined && (now === undefined || !Buffer.from(old).equals(now))) stale.push(hexOf(old));
    }
    const removed = await Promise.all(
      stale.map((hash) =>
        rm(this.shardPath(hash)).then(
          () => 1,
          () => 0,
        ),
      ),
    );
    return removed.reduce((a, b) => a + b, 0);
  }

  /** Folders this instance has made (a walk writes many shards; one mkdir per folder is enough). */
  readonly #made = new Map<string, Promise<unknown>>();

  /** Makes a folder once per instance; `parent` first when given (a plain mkdir is much cheaper than a recursive one). */
  #mkdir(folder: string, parent?: string): Promise<unknown> {
    let made = this.#made.get(folder);
    if (made === undefined) {
      const make = async () => {
        if (parent !== undefined) await this.#mkdir(parent);
        await mkdir(folder, parent === undefined ? { recursive: true } : {}).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
      };
      this.#made.set(folder, (made = make()));
    }
    return made;
  }

  /**
   * Stores a shard. Written in place rather than renamed into place: a torn file (a crash, or a
   * reader racing the writer) fails its hash check when read and is fetched again, so the rename
   * would buy nothing but a file operation per shard. A shard already there is left alone.
   */
  async writeShard(sha256: string, bytes: Uint8Array): Promise<void> {
    const shards = join(this.dir, 'shards');
    await this.#mkdir(join(shards, sha256.slice(0, 2)), shards);
    await writeFile(this.shardPath(sha256), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
