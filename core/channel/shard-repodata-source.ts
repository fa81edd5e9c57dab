// Sharded repodata (CEP 16) of one subdir over HTTP(S), with full repodata as the fallback. Loading
// with the wanted names tries `repodata_shards.msgpack.zst` first: revalidated with If-None-Match /
// If-Modified-Since when cached (an unchanged index costs one 304), used without asking while fresh
// by its Cache-Control max-age, read from the cache offline. A subdir without a shard index (any
// 4xx but 401) falls back to repodata.json(.zst) silently, and that is remembered in the cache for
// a day. Loading without names (everything wanted) uses full repodata straight away: fetching
// every shard would cost more than the one file.

import { ChannelError } from './errors.ts';
import { sessionDispatcher, traceSubdirLoad, type FetchContext } from './fetch-context.ts';
import { httpGet, type HttpResponse } from './http-get.ts';
import { maxAgeOf } from './repodata-cache.ts';
import type { RepodataOrigin, RepodataSource, SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';
import { ShardCache, SHARD_STATE_VERSION, type ShardIndexPaths, type ShardIndexState } from './shard-cache.ts';
import { decodeShardIndex, SHARD_INDEX_FILE, sha256HexOf } from './shard-format.ts';
import { packageBaseUrl, ShardPackages, shardLocation } from './shard-packages.ts';
import { walkShards } from './shard-walk.ts';

/** How long a subdir seen without a shard index is not asked for one again. */
export const NO_SHARDS_RECHECK_MS = 24 * 60 * 60 * 1000;

type IndexOrigin = Pick<RepodataOrigin, 'kind' | 'downloadedBytes'>;

interface FoundIndex {
  bytes: Buffer;
  origin: IndexOrigin;
  replaced?: Buffer;
  /** The cache update under way (it never rejects). */
  written?: Promise<void>;
}

export class ShardedRepodataSource implements RepodataSource {
  readonly channel: ResolvedChannel;
  readonly subdir: SubdirUrl;
  readonly #ctx: FetchContext;
  readonly #fallback: RepodataSource;
  readonly #cache: ShardCache;
  readonly #paths: ShardIndexPaths;

  constructor(channel: ResolvedChannel, subdir: SubdirUrl, ctx: FetchContext, fallback: RepodataSource) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
    this.#fallback = fallback;
    this.#cache = new ShardCache(ctx.cache.dir);
    this.#paths = this.#cache.indexPaths(subdir.displayUrl);
  }

  /** With `names`: the shard index and the shards of those names and their dependencies (within this subdir). */
  async load(names?: Iterable<string>): Promise<SubdirRepodata> {
    if (names === undefined) return this.#fallback.load();
    const result = await this.loadIndex();
    await walkShards([result], names, this.#ctx);
    return result;
  }

  /**
   * The shard index alone (no shard fetched yet: see shard-walk.ts), or, when the subdir has no
   * shard index, its full repodata.
   */
  loadIndex(): Promise<SubdirRepodata> {
    return this.#ctx.tracer.span('shards.index', async (span) => {
      const found = await this.#index();
      span.setAttribute('sharded', found !== undefined);
      if (found === undefined) return this.#fallback.load();
      span.addAttributes({ origin: found.origin.kind, bytes: found.origin.downloadedBytes, size: found.bytes.length });
      return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#result(found));
    }, { channel: this.channel.name, subdir: this.subdir.subdir });
  }

  get #indexUrl(): string {
    return this.subdir.url + SHARD_INDEX_FILE;
  }

  get #indexDisplayUrl(): string {
    return this.subdir.displayUrl + SHARD_INDEX_FILE;
  }

  #isoNow(): string {
    return new Date(this.#ctx.now()).toISOString();
  }

  /**
   * The index bytes and how they were had (and the cached index they replaced, if any), or undefined
   * when the subdir has no shard index. `written` is the cache update still under way: the index is
   * decoded and its shards fetched meanwhile, and the walk waits for it at the end.
   */
  async #index(): Promise<FoundIndex | undefined> {
    const ctx = this.#ctx;
    const state = await this.#cache.readIndexState(this.#paths);
    const cached = state ? await this.#cache.readIndex(this.#paths, state) : undefined;
    if (ctx.offline) return cached && { bytes: cached, origin: { kind: 'cache', downloadedBytes: 0 } };
    if (state && !state.hasShards) {
      const age = ctx.now() - Date.parse(state.checkedAt);
      if (age >= 0 && age < NO_SHARDS_RECHECK_MS) return undefined;
    }
    if (cached && state?.fetchedAt && ctx.respectMaxAge && state.maxAgeSeconds !== undefined) {
      const age = ctx.now() - Date.parse(state.fetchedAt);
      if (age >= 0 && age < state.maxAgeSeconds * 1000) return { bytes: cached, origin: { kind: 'cache', downloadedBytes: 0 } };
    }
    const res = await this.#get(cached ? state : undefined);
    if (res.status === 304 && cached && state) {
      // only a speed-up for the next run (as the writes below): a failure is no reason to fail
      const written = this.#cache
        .writeIndexState(this.#paths, {
          ...state,
          etag: res.headers.etag ?? state.etag,
          lastModified: res.headers['last-modified'] ?? state.lastModified,
          maxAgeSeconds: maxAgeOf(res.headers['cache-control']) ?? state.maxAgeSeconds,
          fetchedAt: this.#isoNow(),
          checkedAt: this.#isoNow(),
        })
        .catch(() => undefined);
      return { bytes: cached, origin: { kind: 'not-modified', downloadedBytes: 0 }, written };
    }
    if (res.status >= 200 && res.status < 300) {
      const now = this.#isoNow();
      const fresh: ShardIndexState = {
        version: SHARD_STATE_VERSION,
        url: this.#indexDisplayUrl,
        hasShards: true,
        checkedAt: now,
        etag: res.headers.etag,
        lastModified: res.headers['last-modified'],
        maxAgeSeconds: maxAgeOf(res.headers['cache-control']),
        fetchedAt: now,
        sha256: sha256HexOf(res.body),
        size: res.body.length,
      };
      // only a speed-up for the next run: a cache folder we cannot write to is no reason to fail
      const written = this.#cache.writeIndex(this.#paths, res.body, fresh).catch(() => undefined);
      const replaced = cached && !cached.equals(res.body) ? cached : undefined;
      return { bytes: res.body, origin: { kind: 'downloaded', downloadedBytes: res.wireBytes }, replaced, written };
    }
    if (res.status === 401 || res.status >= 500) throw this.#statusError(res);
    // no shard index here (404, or 403 from S3-style servers): full repodata, and do not ask again for a day
    await this.#cache.writeIndexState(this.#paths, { version: SHARD_STATE_VERSION, url: this.#indexDisplayUrl, hasShards: false, checkedAt: this.#isoNow() }).catch(() => undefined);
    return undefined;
  }

  #get(validators: ShardIndexState | undefined): Promise<HttpResponse> {
    const ctx = this.#ctx;
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
    return ctx.tracer.span('repodata.download', () => httpGet(this.#indexUrl, {
      dispatcher: sessionDispatcher(ctx),
      displayUrl: this.#indexDisplayUrl,
      headers,
      retry: ctx.retry,
      headersTimeoutMs: ctx.headersTimeoutMs,
      bodyTimeoutMs: ctx.bodyTimeoutMs,
    }), { file: SHARD_INDEX_FILE });
  }

  #statusError(res: HttpResponse): ChannelError {
    const url = this.#indexDisplayUrl;
    if (res.status === 401) {
      return new ChannelError(
        'unauthorized',
        `channel ${this.channel.name}: the server refused access to ${url} (HTTP 401); if the channel is private, give it with a valid token (https://host/t/<token>/channel) or user:password in its URL`,
        { url, status: res.status },
      );
    }
    const retried = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
    return new ChannelError('unreachable', `channel ${this.channel.name}: ${url} answered HTTP ${res.status}${retried}; try again later, or use --offline to work from the cache`, { url, status: res.status });
  }

  async #result({ bytes, origin, replaced, written }: FoundIndex): Promise<SubdirRepodata> {
    let index;
    try {
      index = await this.#ctx.tracer.span('shards.index.decode', () => decodeShardIndex(bytes, this.#indexDisplayUrl), { bytes: bytes.length });
    } catch (error) {
      // a broken index is no index to keep: the next run downloads it afresh
      await written;
      await this.#cache.discardIndex(this.#paths);
      throw error;
    }
    const packages = new ShardPackages(index, shardLocation(index, this.#indexUrl, this.#indexDisplayUrl));
    // the walk deletes the cached shards of the names it finds moved to a new hash (see shard-cache.ts)
    if (replaced !== undefined) packages.replacedIndex = { bytes: replaced, url: this.#indexDisplayUrl };
    packages.cacheWrite = written;
    return {
      info: index.info,
      repodataVersion: undefined,
      packages,
      removed: [],
      channel: this.channel,
      subdir: this.subdir.subdir,
      // CEP 16: packages are at `info.base_url` (which may be relative to the index), else beside the index
      url: packageBaseUrl(index, this.#indexUrl, this.subdir.displayUrl),
      origin: { ...origin, zst: true, size: bytes.length, cachePath: this.#paths.data, sharded: true },
    };
  }
}
