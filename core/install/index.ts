// Public API of core/install: fetchPackages and what it returns and throws, the package cache's
// layout, index and checks, extraction of one archive, and the progress events with a renderer for
// them; then linking: one package into a prefix, the journaled transaction (unlink/link, scripts,
// conda-meta records and history), recovery of an interrupted one, and the prefix diff.

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
export { runTransaction, type TransactionOptions, type TransactionResult, type TransactionEvent, type LinkPackage } from './transaction.ts';
export { readInstalled, diffPrefix, isSamePackage, findClobbers, type InstalledPackage, type WantedPackage, type PrefixDiff, type Clobber } from './transaction-plan.ts';
export { recoverPrefix, lockPrefix } from './prefix-lock.ts';
export { STATE_DIR, type RecoveryOutcome } from './link-journal.ts';
export { readPackageInfo, type ManifestPaths, type PackageInfo, type PackagePath } from './link-package-info.ts';
export { linkPackage, newLinkState, LINK_TYPE, type LinkContext, type LinkedPackage, type PrefixWriter } from './link-package.ts';
export type { PrefixPathData } from './prefix-paths-data.ts';
export { rewriteForPrefix, replaceBinaryPrefix, replaceTextPrefix, replaceLongShebang } from './link-prefix-replace.ts';
export { pythonTarget, noarchPythonPath, pycPath, entryPointScript, parseEntryPoint, type PythonTarget } from './link-python.ts';
export { buildPrefixRecord, formatHistoryBlock, distString, readStateVars } from './link-record.ts';
export { runLinkScript, type LinkScriptRun } from './link-scripts.ts';
