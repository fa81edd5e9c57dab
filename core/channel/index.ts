// The face of core/channel: resolving channels as conda does (.condarc, CONDA_* variables, aliases,
// custom channels, tokens, local paths) and fetching their repodata (parallel, cached, conditional,
// retried, zstd-first, or sharded: only the packages a solve can reach). core/index.ts re-exports
// what the library offers.

export { resolveChannels, resolveChannel, channelList, type ResolvedChannel, type ResolvedChannels, type ResolveChannelsOptions, type SubdirUrl } from './resolve.ts';
export { loadChannelConfig, DEFAULT_CHANNEL_MSYS2, type ChannelConfig, type ChannelConfigOptions } from './channel-config.ts';
export { locateChannel, canonicalNameOf, type ChannelLocation, type ChannelNaming } from './channel-url.ts';
export { parseCondarc, mergeCondarc, loadCondarc, expandEnvVars, type ChannelPriority, type CondarcFile, type CondarcSettings } from './condarc.ts';
export { condarcSearchPath, defaultSystemConfigDirs, type CondarcLocation, type CondarcSearchPathOptions } from './condarc-search-path.ts';
export { networkSettings, createDispatcher, type NetworkSettings, type DispatcherOptions } from './network.ts';
export { defaultCacheDir, type CacheDirOptions } from './cache-dir.ts';
export { fetchRepodata, fetchMoreShards, missedShardNames, openFetchSession, repodataSources, checkChannelsExist, type FetchRepodataOptions, type FetchSession } from './fetch.ts';
export { RepodataCache, cacheKey, type RepodataCacheState, type CacheEntryPaths } from './repodata-cache.ts';
export { parseRepodata, type ParsedRepodata, type RawPackageEntry, type RepodataWhere } from './repodata-parse.ts';
export { RepodataPackages } from './repodata-packages.ts';
export { scanRepodata, type RepodataTable } from './repodata-scan.ts';
export { ShardedRepodataSource, NO_SHARDS_RECHECK_MS } from './shard-repodata-source.ts';
export { ShardPackages } from './shard-packages.ts';
export type { RepodataSource, RepodataEntries, SubdirRepodata, RepodataOrigin, RepodataOriginKind, FetchProgress, FetchPhase } from './repodata-source.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
export { ChannelError, type ChannelErrorKind } from './errors.ts';
