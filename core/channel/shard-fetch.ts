// Fetching the shard of one package name for one sharded subdir: it comes from the disk cache when
// it is there (shards are content-addressed, so a cached one needs no request), else from
// `<shards_base_url><sha256>.msgpack.zst` over the shared keep-alive dispatcher, is checked
// against the hash the shard index gives for it (a mismatch is refused), stored in the cache by
// that hash, decoded and handed to the subdir's ShardPackages. Requests of every subdir share one
// limit on how many are in flight (shard-walk.ts starts them as the names turn up).

import { ChannelError } from './errors.ts';
import { sessionDispatcher, type FetchContext } from './fetch-context.ts';
import { httpGet } from './http-get.ts';
import type { ShardCache } from './shard-cache.ts';
import { decodeShard, hexOf, sha256HexOf } from './shard-format.ts';
import type { ShardPackages } from './shard-packages.ts';

/** Shard requests in flight at once (over keep-alive connections; a channel serves many small files). */
export const SHARD_REQUESTS_IN_FLIGHT = 48;

/** What one walk fetched, for spans and counters. */
export interface ShardFetchStats {
  /** Shards downloaded. */
  fetched: number;
  /** Shards read from the disk cache. */
  cacheHits: number;
  /** Bytes received over the network for shards. */
  bytes: number;
  /** Milliseconds spent decoding shards (zstd + msgpack), summed over concurrent decodes. */
  decodeMs: number;
  /** Cache writes under way (awaited at the end of the walk, so they do not hold up the fetches). */
  writes: Promise<void>[];
}

export function emptyShardFetchStats(): ShardFetchStats {
  return { fetched: 0, cacheHits: 0, bytes: 0, decodeMs: 0, writes: [] };
}

/** A counting semaphore: at most `size` tasks run at once. */
export class Limiter {
  readonly #size: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((go) => this.#waiting.push(go));
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}

export interface ShardFetchTarget {
  /** Canonical channel name, for messages. */
  channel: string;
  subdir: string;
  packages: ShardPackages;
}

/** Fetches (or reads from the cache) the shard of `name`, which the subdir's index lists, into its ShardPackages. */
export async function fetchShard(target: ShardFetchTarget, name: string, ctx: FetchContext, cache: ShardCache, limiter: Limiter, stats: ShardFetchStats): Promise<void> {
  const packages = target.packages;
  const hash = hexOf(packages.index.shards.get(name)!);
  const displayUrl = packages.shardDisplayUrl(hash);
  let bytes = await cache.readShard(hash);
  if (bytes !== undefined) {
    stats.cacheHits++;
  } else {
    if (ctx.offline) {
      throw new ChannelError(
        'offline-miss',
        `offline, and the shard of package ${name} in channel ${target.channel} for ${target.subdir} (${displayUrl}) is not in the cache (${cache.dir}); run once online to fill the cache`,
        { url: displayUrl },
      );
    }
    const res = await limiter.run(() =>
      httpGet(packages.shardUrl(hash), {
        dispatcher: sessionDispatcher(ctx),
        displayUrl,
        // shards are zstd already
        headers: { 'accept-encoding': 'identity' },
        retry: ctx.retry,
        headersTimeoutMs: ctx.headersTimeoutMs,
        bodyTimeoutMs: ctx.bodyTimeoutMs,
      }),
    );
    if (res.status < 200 || res.status >= 300) {
      const missing = res.status === 404 || res.status === 403 || res.status === 410;
      throw new ChannelError(
        'unreachable',
        missing
          ? `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) is missing on the server (HTTP ${res.status}) although the channel's shard index lists it; the channel may be mid-update: try again in a few minutes`
          : `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) answered HTTP ${res.status}${res.attempts > 1 ? ` after ${res.attempts} attempts` : ''}; try again later, or use --offline to work from the cache`,
        { url: displayUrl, status: res.status },
      );
    }
    const got = sha256HexOf(res.body);
    if (got !== hash) {
      throw new ChannelError(
        'malformed',
        `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) does not match its hash in the shard index (sha256 ${got}, expected ${hash}), so it was refused; the channel may be mid-update (try again), or something between you and the server alters files`,
        { url: displayUrl },
      );
    }
    stats.fetched++;
    stats.bytes += res.wireBytes;
    ctx.tracer.counter('download.bytes', res.wireBytes);
    bytes = res.body;
    // only a speed-up for the next run: a cache folder we cannot write to is no reason to fail
    stats.writes.push(cache.writeShard(hash, bytes).catch(() => undefined));
  }
  const t0 = performance.now();
  const shard = await decodeShard(bytes, name, displayUrl);
  stats.decodeMs += performance.now() - t0;
  packages.add(name, shard);
}
