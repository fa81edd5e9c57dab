// Fetches the repodata of resolved channels: every subdir of every channel in parallel over one
// keep-alive dispatcher, through the on-disk cache, with progress events and a `fetch` span. A
// missing subdir is tolerated (conda allows channels with only noarch, or only a platform); a channel
// none of whose subdirs exists is a ChannelError naming it. Given the package names wanted, HTTP
// subdirs are read as sharded repodata where the server has it (CEP 16: only the shards of those
// names and what they depend on, see shard-walk.ts), else as full repodata.

import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { Tracer } from '../timing/tracer.ts';
import { defaultCacheDir } from './cache-dir.ts';
import { ChannelError } from './errors.ts';
import type { FetchContext } from './fetch-context.ts';
import { HttpRepodataSource } from './http-repodata-source.ts';
import { LocalRepodataSource } from './local-repodata-source.ts';
import { createDispatcher, networkSettings, type NetworkSettings } from './network.ts';
import { RepodataCache } from './repodata-cache.ts';
import type { FetchProgress, RepodataSource, SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel } from './resolve.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
import { ShardedRepodataSource } from './shard-repodata-source.ts';
import { isSharded, ShardWalk, walkShards } from './shard-walk.ts';

export interface FetchRepodataOptions {
  /** Cache root (repodata goes in `<cacheDir>/repodata`). Default: see cache-dir.ts (ENV_SETUP_CACHE_DIR, XDG_CACHE_HOME, ~/.cache/env-setup). */
  cacheDir?: string;
  /** Environment for the cache dir and, without `network`, proxies and CA bundle. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Use only the cache (file:// channels are still read); a subdir not cached is a ChannelError('offline-miss'). */
  offline?: boolean;
  /** TLS/proxy settings (from resolveChannels). Default: from `env`. */
  network?: NetworkSettings;
  /** A dispatcher to use (and not close); by default one is made from `network` and closed at the end. */
  dispatcher?: Dispatcher;
  /** Retry policy; tests pass tiny delays. */
  retry?: Partial<RetryPolicy>;
  /** Milliseconds to wait for response headers. Default 30 000. */
  headersTimeoutMs?: number;
  /** Milliseconds to wait between body chunks. Default 30 000. */
  bodyTimeoutMs?: number;
  /** Try repodata.json.zst first. Default true. */
  preferZst?: boolean;
  /**
   * The package names wanted (a solve's specs, installed names, pins). With them, sharded repodata
   * is used where a channel has it, and only these names and what they depend on are fetched;
   * without them every subdir is read whole.
   */
  names?: Iterable<string>;
  /** Use sharded repodata when `names` are given and the channel has it. Default true. */
  shards?: boolean;
  /** Skip asking the server while a cached copy is fresh by Cache-Control max-age. Default true. */
  respectMaxAge?: boolean;
  onProgress?: (progress: FetchProgress) => void;
  tracer?: Tracer;
  /** Wall clock (ms since the epoch). Default Date.now. */
  now?: () => number;
}

export interface FetchSession {
  context: FetchContext;
  /** Closes the dispatcher if the session made it. */
  close(): Promise<void>;
}

function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** The shared state of one fetch (dispatcher, cache, policies). Close it when done. */
export async function openFetchSession(channels: readonly ResolvedChannel[], options: FetchRepodataOptions = {}): Promise<FetchSession> {
  const env = options.env ?? process.env;
  const offline = options.offline ?? false;
  let dispatcher = options.dispatcher;
  let owned: Dispatcher | undefined;
  if (!dispatcher) {
    const needsNetwork = !offline && channels.some((c) => isHttp(c.baseUrl));
    // no network needed: no dispatcher, and undici is not loaded (fetch-context.ts)
    owned = needsNetwork ? await createDispatcher(options.network ?? networkSettings({ env })) : undefined;
    dispatcher = owned;
  }
  const cacheRoot = options.cacheDir ?? defaultCacheDir({ env, home: options.home });
  const context: FetchContext = {
    dispatcher,
    cache: new RepodataCache(join(cacheRoot, 'repodata')),
    offline,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    preferZst: options.preferZst ?? true,
    respectMaxAge: options.respectMaxAge ?? true,
    // ENV_SETUP_REPODATA_COPY=0: no decompressed copy on cold runs (ephemeral machines, such as CI
    // runners, never have a warm run to use it; a warm run without one still writes it)
    copyOnDownload: (env.ENV_SETUP_REPODATA_COPY ?? '').trim() !== '0',
    now: options.now ?? Date.now,
    onProgress: options.onProgress,
    tracer: options.tracer ?? Tracer.disabled(),
  };
  return { context, close: async () => owned?.close() };
}

/** One source per subdir of each channel, in channel order (platform subdir, then noarch); `shards`: HTTP subdirs try sharded repodata first. */
export function repodataSources(channels: readonly ResolvedChannel[], context: FetchContext, options: { shards?: boolean } = {}): RepodataSource[] {
  return channels.flatMap((channel) =>
    channel.subdirUrls.map((subdir) => {
      if (!isHttp(subdir.url)) return new LocalRepodataSource(channel, subdir, context);
      const full = new HttpRepodataSource(channel, subdir, context);
      return options.shards ? new ShardedRepodataSource(channel, subdir, context, full) : full;
    }),
  );
}

/** Throws when every subdir of a channel is missing: the channel does not exist (or is not readable). */
export function checkChannelsExist(results: readonly SubdirRepodata[]): void {
  const byChannel = new Map<ResolvedChannel, SubdirRepodata[]>();
  for (const r of results) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
  for (const [channel, subdirs] of byChannel) {
    if (!subdirs.every((s) => s.origin.kind === 'missing')) continue;
    const tried = subdirs.map((s) => `${s.subdir}/`).join(' nor ');
    const refused = subdirs.some((s) => s.origin.status === 403);
    const local = channel.baseUrl.startsWith('file:');
    throw new ChannelError(
      refused ? 'unauthorized' : 'not-found',
      `channel ${channel.name} (${channel.displayUrl}) was not found: it has neither ${tried} repodata${refused ? ' (the server answered 403 Forbidden)' : ''}. ` +
        (local
          ? 'Check the path; a local channel needs <subdir>/repodata.json files (conda index makes them).'
          : 'Check the channel name or URL and the platform; a private channel needs a token (https://host/t/<token>/channel) or user:password in its URL.'),
      { url: channel.displayUrl, status: subdirs[0]?.origin.status },
    );
  }
}

/**
 * Fetches (or reads from the cache) every subdir of every channel, in parallel. Results come in
 * channel order, the platform subdir before noarch. The first failure in that order is thrown.
 */
export async function fetchRepodata(channels: readonly ResolvedChannel[], options: FetchRepodataOptions = {}): Promise<SubdirRepodata[]> {
  const session = await openFetchSession(channels, options);
  const { context } = session;
  try {
    return await context.tracer.span(
      'fetch',
      async (span) => {
        const names = options.names === undefined ? undefined : [...options.names];
        const sources = repodataSources(channels, context, { shards: names !== undefined && (options.shards ?? true) });
        span.setAttribute('subdirs', sources.length);
        // sharded subdirs load their index here; the walk fetches their shards, for all subdirs at
        // once, starting with each subdir as soon as it is loaded
        const walk = names === undefined ? undefined : new ShardWalk(names, context);
        const load = async (s: RepodataSource): Promise<SubdirRepodata> => {
          const result = await (s instanceof ShardedRepodataSource ? s.loadIndex() : s.load());
          walk?.add(result);
          return result;
        };
        const settled = await Promise.allSettled(sources.map(load));
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        const results = settled.map((s) => (s as PromiseFulfilledResult<SubdirRepodata>).value);
        try {
          if (failed) throw failed.reason;
          checkChannelsExist(results);
        } catch (error) {
          await walk?.finish().catch(() => undefined);
          throw error;
        }
        await walk?.finish();
        span.setAttribute('sharded', results.filter((r) => isSharded(r.packages)).length);
        return results;
      },
      { channels: channels.length, offline: context.offline },
    );
  } finally {
    await session.close();
  }
}

/** Names the index asked sharded subdirs for whose shards were not fetched (see shard-packages.ts). */
export function missedShardNames(subdirs: readonly SubdirRepodata[]): string[] {
  const missed = new Set<string>();
  for (const s of subdirs) if (isSharded(s.packages)) for (const n of s.packages.missed()) missed.add(n);
  return [...missed];
}

/** Fetches the shards of more names (and what they depend on) into subdirs fetchRepodata returned. */
export async function fetchMoreShards(subdirs: readonly SubdirRepodata[], names: Iterable<string>, options: FetchRepodataOptions = {}): Promise<void> {
  const session = await openFetchSession(subdirs.map((s) => s.channel), options);
  try {
    await walkShards(subdirs, names, session.context);
  } finally {
    await session.close();
  }
}
