// Public API of core/install (the download/verify/cache/extract half of installing): fetchPackages
// and what it returns and throws, the package cache's layout, index and checks, extraction of one
// archive, and the progress events with a renderer for them (core/index.ts is to re-export it).

export { fetchPackages, type FetchPackagesOptions, type FetchRecord, type FetchedPackage } from './fetch-packages.ts';
export { InstallError, type InstallErrorKind, type InstallErrorDetails } from './errors.ts';
export { resolvePkgsDir, splitArchiveName, PkgsDirLayout, type PkgsDirOptions, type PackagePaths, type ArchiveFormat } from './pkgs-dir.ts';
export { readCacheIndex, rebuildCacheIndex, compactCacheIndex, type CacheIndexEntry } from './cache-index.ts';
export { checkExtracted, type CacheCheck, type ExtractedCheck } from './package-cache.ts';
export { extractPackageArchive, defaultLimits, type ExtractLimits, type ExtractOptions, type ExtractResult } from './extract-package.ts';
export { acquireLock, withLock, type LockOptions, type HeldLock } from './package-lock.ts';
export { VERIFY_MODES, type VerifyMode } from './verify.ts';
export { buildRepodataRecord, readRepodataRecord, type RepodataRecordJson } from './repodata-record.ts';
export type { InstallProgress, PackageSource } from './progress.ts';
export { installProgressReporter, formatBytes, formatDuration, type InstallProgressReporter, type InstallProgressReporterOptions } from './progress-reporter.ts';
