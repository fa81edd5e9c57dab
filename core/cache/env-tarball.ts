// Environment tarballs, the stored install (issue 5): what `env-setup create` uses to skip the
// install of an unchanged solution. Every function takes and gives file paths; storing the archive
// under its key (cache-keys.ts `tarballKey`, with ENV_TARBALL_FORMAT_VERSION) is the caller's.
//
//   after an install   const d = tarballDecision(linkScriptPackages(readRecordFiles(prefix)), { tarballs });
//                      if (d.notice) log(d.notice);
//                      if (d.enabled) await packEnvironment({ prefix, output, platform, tracer });   // span cache.pack
//   on a hit           const r = await restoreEnvironment({ archive, prefix, tracer });               // spans cache.restore,
//                      if (r.status === 'failed') { warn(r.message); /* install from the spec file */ }  // cache.scan, cache.relocate, cache.swap
//   simple mode        restoreEnvironment's `scan` defaults to !isSimpleMode() (ENV_SETUP_SIMPLE=1); pass
//                      `scan: false` for `--simple`
//   any prefix         await scanPrefix(prefix)   // the same integrity scan, reading the files from disk

export { ENV_TARBALL_FORMAT_VERSION, MANIFEST_MEMBER, type EnvTarballManifest } from './env-tarball-format.ts';
export { EnvTarballError, type EnvTarballErrorKind } from './env-tarball-errors.ts';
export { packEnvironment, type PackOptions, type PackResult } from './env-tarball-pack.ts';
export { restoreEnvironment, type RestoreOptions, type RestoreResult, type RestoreFailure } from './env-tarball-restore.ts';
export { relocatePrefix, type RelocateOptions, type RelocateResult } from './env-tarball-relocate.ts';
export { scanPrefix, isSimpleMode, readRecordFiles, describeDifferences, type ScanResult, type ScanDifference, type ScanOptions } from './env-tarball-scan.ts';
export { linkScriptPackages, linkScriptsOf, tarballDecision, type LinkScriptPackage, type TarballDecision, type TarballSetting } from './link-script-policy.ts';
