// The package cache's folders: whether an extracted package already there is the one asked for and
// intact (its repodata_record.json names the same archive — same sha256, else md5, else URL — and,
// with the `paths` check, every file its info/paths.json lists exists with its size and its
// content: the sha256 of paths.json, checked once and then trusted while the file's mtime and inode
// stay as stamped, package-stamp.ts; the manifest itself is read through its compact copy,
// package-manifest-cache.ts), and how a freshly extracted folder takes its place: it is filled under
// `.env-setup/tmp/` and renamed in, an older folder of the same name being renamed away first, so
// no reader ever sees a half-extracted package.

import { randomUUID } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stripCredentials } from '../spec/url-credentials.ts';
import { CHECK, fsBatchPool } from './fs-batch.ts';
import type { PackageInfo } from './link-package-info.ts';
import { readPackageInfoCached } from './package-manifest-cache.ts';
import { hashProblem, readStamp, writeStamp } from './package-stamp.ts';
import type { PackagePaths, PkgsDirLayout } from './pkgs-dir.ts';
import { readRepodataRecord, type RepodataRecordJson } from './repodata-record.ts';

/** How closely a cached extracted folder is checked before it is reused. */
export type CacheCheck = 'record' | 'paths';

export interface WantedArchive {
  url: string;
  sha256?: string | undefined;
  md5?: string | undefined;
}

/**
 * `info`, when there: the package's manifest as read for the 'paths' check, every file of which was
 * just found with its type and size (so linking need not read or look at them again) — or, with
 * `stamps`, not looked at yet: linking compares each file with its stamp as it places it.
 */
export type ExtractedCheck = { ok: true; record: RepodataRecordJson; info?: PackageInfo | undefined; stamps?: Float64Array | undefined } | { ok: false; reason: string };

const lower = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined);

/** Whether the cached record `cached` describes the archive `wanted`. */
export function sameArchive(cached: RepodataRecordJson, wanted: WantedArchive): boolean {
  const sha = lower(wanted.sha256);
  const cachedSha = lower(cached.sha256);
  if (sha && cachedSha) return sha === cachedSha;
  const md5 = lower(wanted.md5);
  const cachedMd5 = lower(cached.md5);
  if (md5 && cachedMd5) return md5 === cachedMd5;
  return typeof cached.url === 'string' && stripCredentials(cached.url) === stripCredentials(wanted.url);
}

/**
 * Checks the extracted folder of `paths` against `wanted` (see the header). With `atLink`, a folder
 * with a valid stamp is not looked at file by file: the result carries the stamp for linking to
 * compare each file with as it places it (see fetchPackages' `checkWhileLinking`).
 */
export async function checkExtracted(paths: PackagePaths, wanted: WantedArchive, check: CacheCheck, atLink = false): Promise<ExtractedCheck> {
  const record = await readRepodataRecord(paths.extracted);
  if (!record) return { ok: false, reason: 'no extracted folder with info/repodata_record.json' };
  if (!sameArchive(record, wanted)) return { ok: false, reason: 'the extracted folder holds another build of the same name' };
  if (check === 'paths') {
    const { problem, info, stamps } = await pathsProblem(paths.extracted, paths.fn, atLink);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, record, info, stamps };
  }
  return { ok: true, record };
}

/**
 * The first file of the manifest (info/paths.json) that is missing, has another size, or — when
 * the folder's stamp (package-stamp.ts) is missing or a file's mtime or inode moved — another
 * sha256; or nothing, with `info` when every file also has the type the manifest says. A folder
 * whose files all hash right is stamped, so the next look is lstat only — or, with `atLink` and a
 * valid stamp, none here: `info` and the stamp, for linking to compare each file with.
 */
async function pathsProblem(dir: string, what: string, atLink: boolean): Promise<{ problem?: string; info?: PackageInfo; stamps?: Float64Array }> {
  let info: PackageInfo | undefined;
  try {
    info = await readPackageInfoCached(dir, what);
  } catch {
    return { problem: 'info/paths.json cannot be read' };
  }
  // Old packages have no paths.json: nothing more to check.
  if (info === undefined) return {};
  // One lstat per file, in batches of synchronous calls on the file-system workers (fs-batch.ts):
  // a promise per file would cost several times the call, and a loop here would hold up the thread.
  const pool = fsBatchPool();
  const stamps = await readStamp(dir, info.paths);
  // the lstats wait for linking, which makes them anyway (fs-batch.ts, place batches with stamps)
  if (atLink && stamps !== undefined) return { info, stamps };
  const manifest = info.paths;
  const paths = manifest.names;
  const sizes = Array.from({ length: manifest.length }, (_, i) => (manifest.type(i) === 'hardlink' ? (manifest.size(i) ?? -1) : -1));
  const types = Array.from({ length: manifest.length }, (_, i) => {
    const type = manifest.type(i);
    return type === 'hardlink' ? CHECK.file : type === 'softlink' ? CHECK.symlink : CHECK.any;
  });
  let typesOk = true;
  let problem = await pool.check({ root: dir, paths, types, sizes, stamps });
  // a path of another type than the manifest says is how the package was made (linking refuses
  // it, naming it): the folder itself is judged on what is there, the sizes and the content
  if (problem?.kind === 'type') {
    typesOk = false;
    problem = await pool.check({ root: dir, paths, sizes, stamps });
  }
  if (problem !== undefined && problem.kind !== 'changed') {
    const path = paths[problem.index]!;
    return { problem: problem.kind === 'missing' ? `${path} is missing` : `${path} has ${problem.size} bytes instead of ${sizes[problem.index]}` };
  }
  if (problem !== undefined || stamps === undefined) {
    // never stamped (conda made it, a cache archive brought it), or a file was touched: the content decides
    const bad = await hashProblem(pool, dir, info.paths);
    if (bad !== undefined) return { problem: bad };
    // a read-only package cache cannot be stamped: it is hashed again next time
    await writeStamp(pool, dir, info.paths).catch(() => undefined);
  }
  return typesOk ? { info } : {};
}

/** A new empty folder to extract `paths` into, on the cache's own file system (so it can be renamed in). */
export async function makeExtractionDir(layout: PkgsDirLayout, paths: PackagePaths): Promise<string> {
  await mkdir(layout.tmp, { recursive: true });
  return mkdtemp(join(layout.tmp, `${paths.dist}.`));
}

/** Removes what earlier, interrupted runs left of `paths` in tmp/ (call while holding the package's lock). */
export async function removeLeftovers(layout: PkgsDirLayout, paths: PackagePaths): Promise<void> {
  const names = await readdir(layout.tmp).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(`${paths.dist}.`) && n.length === paths.dist.length + 7).map((n) => rm(join(layout.tmp, n), { recursive: true, force: true })));
}

/** Moves the extracted folder `from` to `<pkgs>/<dist>`, replacing what is there (call while holding the package's lock). */
export async function moveIntoPlace(layout: PkgsDirLayout, paths: PackagePaths, from: string): Promise<void> {
  try {
    await rename(from, paths.extracted);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTDIR') throw error;
  }
  await mkdir(layout.trash, { recursive: true });
  const aside = join(layout.trash, `${paths.dist}.${randomUUID()}`);
  await rename(paths.extracted, aside);
  await rename(from, paths.extracted);
  await rm(aside, { recursive: true, force: true }).catch(() => undefined);
}

/** True when `path` exists (as anything). */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
