// Converts a subdir's repodata.json into its sharded form (CEP 16), as a channel serving shards
// holds it: one shard per package name (that name's `packages`, `packages.conda` and the `removed`
// file names of that name, msgpack + zstd, hashes as bytes), named by the sha256 of its bytes, and
// the shard index mapping each name to that hash. For the test channel server and benchmarks.

import { encodeShard, encodeShardIndex, sha256HexOf } from '../../core/channel/shard-format.ts';

export interface ShardedForm {
  /** repodata_shards.msgpack.zst */
  index: Buffer;
  /** Shard bytes by their sha256 (hex); the file is `<sha256>.msgpack.zst`. */
  shards: Map<string, Buffer>;
  /** sha256 of each name's shard. */
  hashes: Record<string, string>;
}

type Entries = Record<string, Record<string, unknown>>;

/** The package name a file name is for (`name-version-build.ext`). */
function nameOfFile(fn: string): string {
  const stem = fn.replace(/\.(tar\.bz2|conda)$/, '');
  return stem.split('-').slice(0, -2).join('-');
}

/** The sharded form of a repodata.json document (`info.shards_base_url` '' puts shards beside the index). */
export function shardRepodata(repodata: { info?: Record<string, unknown>; packages?: Entries | null; 'packages.conda'?: Entries | null; removed?: string[] }, info: Record<string, unknown> = {}): ShardedForm {
  const byName = new Map<string, { packages: Entries; conda: Entries; removed: string[] }>();
  const group = (name: string) => {
    let g = byName.get(name);
    if (g === undefined) byName.set(name, (g = { packages: {}, conda: {}, removed: [] }));
    return g;
  };
  for (const [fn, raw] of Object.entries(repodata.packages ?? {})) if (typeof raw?.name === 'string') group(raw.name).packages[fn] = raw;
  for (const [fn, raw] of Object.entries(repodata['packages.conda'] ?? {})) if (typeof raw?.name === 'string') group(raw.name).conda[fn] = raw;
  for (const fn of repodata.removed ?? []) byName.get(nameOfFile(fn))?.removed.push(fn);
  const shards = new Map<string, Buffer>();
  const hashes: Record<string, string> = {};
  for (const [name, g] of byName) {
    const bytes = encodeShard(g.packages, g.conda, g.removed);
    const hash = sha256HexOf(bytes);
    shards.set(hash, bytes);
    hashes[name] = hash;
  }
  const index = encodeShardIndex({ ...(repodata.info ?? {}), base_url: '', shards_base_url: '', ...info }, hashes);
  return { index, shards, hashes };
}
