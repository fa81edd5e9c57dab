// The cache's public face: spec files (the stored solve), environment keys, TTLs, cache keys and the
// store interface with its folder backend. Environment tarballs (the stored install) are in
// env-tarball*.ts. How `create` uses them, in order: a locked input (readEnvironmentInput →
// 'locked') is installed as written; otherwise environmentKey → lookupSpecFile (hit: install the
// spec file; expired: solve again, falling back to it when allowsStaleSpecFallback) → after a solve,
// storeSpecFile; the tarball key (tarballKey) comes from the spec file's hash.

export { type CacheEntry, type CacheStore, type PutOptions, checkCacheKey, isCacheKey, getData, putData } from './store.ts';
export { LocalStore, localStoreDir, type LocalStoreOptions } from './local-store.ts';
export { DEFAULT_SPEC_TTL, DEFAULT_TARBALL_TTL, formatTtl, isExpired, parseTtl, type Ttl } from './ttl.ts';
export { SPEC_KEY_PREFIX, TARBALL_KEY_PREFIX, keyKind, prefixHash, specFileKey, tarballKey, type TarballKeyParts } from './cache-keys.ts';
export { canonicalEnvironment, environmentKey, hashCanonicalEnvironment, type CanonicalEnvironment, type EnvironmentKeyRequest } from './environment-key.ts';
export { readEnvironmentInput, type EnvironmentInput, type LockedInput, type SolveInput } from './environment-input.ts';
export { pipLinesReached, referencedFiles, requirementFileOf, type PipLine, type ReferencedFile } from './referenced-files.ts';
export { DEFAULT_LOCAL_SOURCE_LIMITS, hashLocalSource, localSourceOf, pipLocalSources, type LocalSource, type LocalSourceLimits } from './pip-local-sources.ts';
export { SPEC_FORMAT_VERSION, readSpecFile, specFileHash, writeSpecFile, type SpecFile, type SpecFileHeader, type SpecFilePackageInput, type WriteSpecFileInput } from './spec-file.ts';
export { lookupSpecFile, storeSpecFile, type SpecLookup, type SpecLookupOptions } from './spec-cache.ts';
export { withChannelCredentials } from './spec-file-credentials.ts';
export { allowsStaleSpecFallback, staleSpecWarning } from './stale-fallback.ts';
