// The package cache's folders: whether an extracted package already there is the one asked for and
// intact (its repodata_record.json names the same archive — same sha256, else md5, else URL — and,
// with the `paths` check, every file its info/paths.json lists exists with its size, as rattler's
// fast validation does), and how a freshly extracted folder takes its place: it is filled under
// `.env-setup/tmp/` and renamed in, an older folder of the same name being renamed away first, so
// no reader ever sees a half-extracted package.

import { randomUUID } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stripCredentials } from '../spec/url-credentials.ts';
import type { PackagePaths, PkgsDirLayout } from './pkgs-dir.ts';
import { readRepodataRecord, type RepodataRecordJson } from './repodata-record.ts';

/** How closely a cached extracted folder is checked before it is reused. */
export type CacheCheck = 'record' | 'paths';

export interface WantedArchive {
  url: string;
  sha256?: string | undefined;
  md5?: string | undefined;
}

export type ExtractedCheck = { ok: true; record: RepodataRecordJson } | { ok: false; reason: string };

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

/** Checks the extracted folder of `paths` against `wanted` (see the header). */
export async function checkExtracted(paths: PackagePaths, wanted: WantedArchive, check: CacheCheck): Promise<ExtractedCheck> {
  const record = await readRepodataRecord(paths.extracted);
  if (!record) return { ok: false, reason: 'no extracted folder with info/repodata_record.json' };
  if (!sameArchive(record, wanted)) return { ok: false, reason: 'the extracted folder holds another build of the same name' };
  if (check === 'paths') {
    const problem = await pathsProblem(paths.extracted);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, record };
}

interface PathsJson {
  paths?: { _path?: unknown; path_type?: unknown; size_in_bytes?: unknown }[];
}

/** The first file listed in info/paths.json that is missing or has another size; undefined when all are there. */
async function pathsProblem(dir: string): Promise<string | undefined> {
  let listed: PathsJson;
  try {
    listed = JSON.parse(await readFile(join(dir, 'info', 'paths.json'), 'utf8')) as PathsJson;
  } catch (error) {
    // Old packages have no paths.json: nothing more to check.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'info/paths.json cannot be read';
  }
  const entries = Array.isArray(listed.paths) ? listed.paths : [];
  // Synchronous stats: this runs mostly in fetchPackages' first look, before any download starts,
  // and a tight loop of lstat calls is several times faster than a promise per file.
  for (const entry of entries) {
    if (typeof entry._path !== 'string') continue;
    const info = lstatSync(`${dir}/${entry._path}`, { throwIfNoEntry: false });
    if (info === undefined) return `${entry._path} is missing`;
    const type = entry.path_type ?? 'hardlink';
    if (type === 'hardlink' && info.isFile() && typeof entry.size_in_bytes === 'number' && info.size !== entry.size_in_bytes) {
      return `${entry._path} has ${info.size} bytes instead of ${entry.size_in_bytes}`;
    }
  }
  return undefined;
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
