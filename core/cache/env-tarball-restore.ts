// Restores an environment tarball into a prefix — the same path it was packed from (an extraction)
// or another one (an extraction, then env-tarball-relocate.ts) — all or nothing:
//
//   const r = await restoreEnvironment({ archive: '/cache/<key>.tar.zst', prefix: '/home/u/envs/work', tracer });
//   if (r.status === 'failed') { warn(r.message); /* install from the spec file */ }
//
//   1. the target must be absent, an empty folder, or a conda environment (a folder with
//      conda-meta): anything else is the user's and is never replaced (EnvTarballError 'prefix')
//   2. extraction into a new folder beside the target (same file system: the final step is a
//      rename), path-safe, with the integrity scan's hashing (span `cache.restore`, attribute
//      `extractor`): by the system's `zstd` and GNU `tar` where they are, the files hashed after
//      tar (env-tarball-extract-system.ts), else in this process, the bytes hashed as they pass
//      (env-tarball-extract.ts); see env-tarball-system-tools.ts for the choice
//   3. the scan's verdict (span `cache.scan`): any difference and the restore stops there —
//      skipped in simple mode (`scan: false`, which defaults to ENV_SETUP_SIMPLE being unset)
//   4. relocation when the target is not the path the environment was packed at (span
//      `cache.relocate`); a binary that cannot hold the new path stops the restore
//   5. the swap, under the prefix lock of the environment being replaced: it is renamed aside, the
//      new folder renamed into its place, then the old one deleted
//
// Until step 5 the target is untouched; a failed restore leaves nothing behind, one that was killed
// a `.<name>.env-setup-restore-*` (or, killed between the two renames of step 5, the old environment
// as `.<name>.env-setup-replaced-*`) folder beside it, deleted by a later restore after an hour. A damaged or unusable archive, a scan difference
// and an impossible relocation are not thrown: the result says `failed` with the reason and a
// message for the warning, and the caller installs from the spec file instead. Thrown are only
// EnvTarballError 'prefix' (step 1) and 'io' (the file system failed).

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { lockPrefix, type PrefixLockOptions } from '../install/prefix-lock.ts';
import { Tracer } from '../timing/tracer.ts';
import { EnvTarballError } from './env-tarball-errors.ts';
import { archiveName, type ArchiveStream } from './env-tarball-stream-scan.ts';
import type { EnvTarballManifest } from './env-tarball-format.ts';
import { relocatePrefix, type RelocateResult } from './env-tarball-relocate.ts';
import { extractWithSystemTools } from './env-tarball-extract-system.ts';
import { describeDifferences, isSimpleMode, type ScanResult } from './env-tarball-scan.ts';
import { systemExtractor, toolsLabel, type ExtractorChoice } from './env-tarball-system-tools.ts';

export interface RestoreOptions {
  /** The `.tar.zst` archive (packEnvironment's output): a file, or its bytes as they arrive (a download). */
  archive: string | ArchiveStream;
  /** Where the environment goes. */
  prefix: string;
  /** Run the integrity scan. Default: on, unless ENV_SETUP_SIMPLE is set (simple mode). */
  scan?: boolean;
  /** Who extracts: default ENV_SETUP_EXTRACTOR, else the system's programs where they are (env-tarball-system-tools.ts). */
  extractor?: ExtractorChoice;
  /** A file where the system's programs found are remembered across runs (env-tarball-system-tools.ts); none: asked every run. */
  toolsMemo?: string;
  /** For relocation: re-signing decisions (default process.platform). */
  platform?: NodeJS.Platform;
  /** For relocation: how a rewritten osx-arm64 binary is re-signed. */
  codesign?: (path: string) => Promise<string | undefined>;
  lock?: PrefixLockOptions;
  tracer?: Tracer;
  signal?: AbortSignal;
}

export type RestoreFailure = 'corrupt' | 'format' | 'unsafe-path' | 'scan' | 'relocate';

export type RestoreResult =
  | {
      status: 'restored';
      prefix: string;
      manifest: EnvTarballManifest;
      /** The environment was packed at another path and was rewritten for this one. */
      relocated: RelocateResult | undefined;
      /** Undefined in simple mode (no scan). */
      scan: ScanResult | undefined;
      /** Regular files and bytes of content written. */
      files: number;
      bytes: number;
      warnings: string[];
    }
  | {
      status: 'failed';
      prefix: string;
      reason: RestoreFailure;
      /** One paragraph for the warning (what was wrong, and that the spec file is used instead is the caller's to say). */
      message: string;
      manifest: EnvTarballManifest | undefined;
      scan: ScanResult | undefined;
    };

/** Restores `options.archive` into `options.prefix` (see the header). */
export async function restoreEnvironment(options: RestoreOptions): Promise<RestoreResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  const prefix = resolve(options.prefix);
  const scanWanted = options.scan ?? !isSimpleMode();
  await checkTarget(prefix);
  const parent = dirname(prefix);
  await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw new EnvTarballError('io', `cannot make ${parent} to restore an environment into: ${(error as Error).message}`, { cause: error });
  });
  await removeLeftovers(parent, basename(prefix));
  const temp = join(parent, `.${basename(prefix)}.env-setup-restore-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  let manifest: EnvTarballManifest | undefined;
  let scan: ScanResult | undefined;
  const failed = (reason: RestoreFailure, message: string): RestoreResult => ({ status: 'failed', prefix, reason, message, manifest, scan });
  try {
    let extracted;
    try {
      extracted = await tracer.span('cache.restore', async (span) => {
        const extract = { archive: options.archive, root: temp, scan: scanWanted, signal: options.signal };
        const tools = options.extractor === 'node' ? undefined : await systemExtractor(options.extractor === 'system' ? { ...process.env, ENV_SETUP_EXTRACTOR: 'system' } : process.env, process.platform, options.toolsMemo);
        // the in-process extractor (and npm tar with it) is loaded only where the programs are not
        const r = tools !== undefined ? await extractWithSystemTools(extract, tools) : await (await import('./env-tarball-extract.ts')).extractEnvironment(extract);
        span.addAttributes({ archive: archiveName(options.archive), prefix, files: r.files, bytes: r.bytes, scanned: scanWanted, extractor: tools !== undefined ? toolsLabel(tools) : 'env-setup' });
        if (r.hashedInBackground !== undefined) span.addAttributes({ hashedInBackground: r.hashedInBackground });
        return r;
      });
    } catch (error) {
      if (error instanceof EnvTarballError && (error.kind === 'corrupt' || error.kind === 'format' || error.kind === 'unsafe-path')) return failed(error.kind, error.message);
      throw error;
    }
    manifest = extracted.manifest;
    if (!existsSync(join(temp, 'conda-meta'))) return failed('format', `the environment tarball ${archiveName(options.archive)} holds no conda-meta folder: it is not a conda environment, and is not used`);
    if (extracted.scan !== undefined) {
      const streamScan = extracted.scan;
      scan = tracer.span('cache.scan', (span) => {
        const r = streamScan.finish();
        span.addAttributes({ mode: 'stream', checked: r.checked, bytes: r.bytes, differences: r.differences.length });
        return r;
      });
      if (!scan.ok) {
        return failed('scan', `the environment tarball ${archiveName(options.archive)} does not match its own records (${scan.differences.length} of ${scan.checked} files differ):\n${describeDifferences(scan.differences)}`);
      }
    }
    let relocated: RelocateResult | undefined;
    if (manifest.prefix !== prefix) {
      try {
        relocated = await relocatePrefix({ root: temp, from: manifest.prefix, to: prefix, platform: options.platform, codesign: options.codesign, tracer });
      } catch (error) {
        if (error instanceof EnvTarballError && error.kind === 'relocate') return failed('relocate', error.message);
        throw error;
      }
    }
    options.signal?.throwIfAborted();
    await tracer.span('cache.swap', () => swapInto(temp, prefix, options.lock));
    return { status: 'restored', prefix, manifest, relocated, scan, files: extracted.files, bytes: extracted.bytes, warnings: relocated?.warnings ?? [] };
  } finally {
    await removeTree(temp);
  }
}

/**
 * Removes a folder this module made (a restore's, or an environment replaced), also when it holds
 * folders without write permission (an archive's modes): those are made writable first.
 */
async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    const open = async (dir: string): Promise<void> => {
      await chmod(dir, 0o700).catch(() => undefined);
      for (const d of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (d.isDirectory()) await open(join(dir, d.name));
    };
    await open(path);
    await rm(path, { recursive: true, force: true });
  }
}

const LEFTOVER_AGE_MS = 3600_000;

/**
 * Deletes what restores of `name` that were killed left beside it more than an hour ago (a restore
 * still running is younger): `.<name>.env-setup-restore-*` and `.<name>.env-setup-replaced-*` folders.
 */
async function removeLeftovers(parent: string, name: string): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  const now = Date.now();
  for (const entry of entries) {
    if (!entry.startsWith(`.${name}.env-setup-restore-`) && !entry.startsWith(`.${name}.env-setup-replaced-`)) continue;
    const st = await lstat(join(parent, entry)).catch(() => undefined);
    // one that cannot be removed is left for the user: it never stops a restore
    if (st?.isDirectory() && now - st.mtimeMs > LEFTOVER_AGE_MS) await removeTree(join(parent, entry)).catch(() => undefined);
  }
}

/** Throws EnvTarballError 'prefix' unless `prefix` is absent, an empty folder, or a conda environment. */
async function checkTarget(prefix: string): Promise<void> {
  const st = await lstat(prefix).catch(() => undefined);
  if (st === undefined) return;
  if (!st.isDirectory()) throw new EnvTarballError('prefix', `${prefix} exists and is not a folder: an environment cannot be restored there`, { file: prefix });
  if (existsSync(join(prefix, 'conda-meta'))) return;
  if ((await readdir(prefix)).length === 0) return;
  throw new EnvTarballError('prefix', `${prefix} is not empty and is not a conda environment (it has no conda-meta folder): it is not replaced; choose another prefix or empty it`, { file: prefix });
}

/** Puts the restored folder `temp` at `prefix`, replacing what is there (see the header, step 5). */
async function swapInto(temp: string, prefix: string, lockOptions: PrefixLockOptions | undefined): Promise<void> {
  const io = (what: string) => (error: unknown) => {
    throw new EnvTarballError('io', `cannot ${what}: ${(error as Error).message}`, { cause: error });
  };
  const st = await lstat(prefix).catch(() => undefined);
  if (st === undefined) {
    await rename(temp, prefix).catch(io(`move the restored environment to ${prefix}`));
    return;
  }
  if (!existsSync(join(prefix, 'conda-meta'))) {
    await rmdir(prefix).catch(io(`replace the empty folder ${prefix}`));
    await rename(temp, prefix).catch(io(`move the restored environment to ${prefix}`));
    return;
  }
  const lock = await lockPrefix(prefix, lockOptions);
  const old = join(dirname(prefix), `.${basename(prefix)}.env-setup-replaced-${randomBytes(6).toString('hex')}`);
  try {
    await rename(prefix, old).catch(io(`move the environment at ${prefix} aside`));
    try {
      await rename(temp, prefix);
    } catch (error) {
      await rename(old, prefix).catch(() => undefined);
      io(`move the restored environment to ${prefix}`)(error);
    }
  } finally {
    await lock.release();
  }
  await removeTree(old);
}
