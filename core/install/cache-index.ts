// The package cache's index: what the cache holds, for listing and cleaning it without opening every
// folder. It is a log of JSON lines in `<pkgs>/.env-setup/index.jsonl`, one line per change, each
// appended in a single write (O_APPEND: lines of concurrent runs never interleave), and read by
// keeping the last line per package. The folders stay the truth — fetchPackages checks them, not
// the index — so the index is advisory: `rebuildCacheIndex` makes it again from the folders, and
// compaction (rewriting the log with one line per package, under a lock) may drop a line another
// run appended at that instant, which that run's next fetch of the package writes again.

import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { acquireLock } from './package-lock.ts';
import { PkgsDirLayout, splitArchiveName } from './pkgs-dir.ts';

export interface CacheIndexEntry {
  /** `<name>-<version>-<build>`: the extracted folder's name. */
  dist: string;
  /** The archive's file name. */
  fn: string;
  url?: string | undefined;
  sha256?: string | undefined;
  md5?: string | undefined;
  /** Archive size in bytes. */
  size?: number | undefined;
  /** The archive `<pkgs>/<fn>` is kept. */
  archive: boolean;
  /** The folder `<pkgs>/<dist>` is extracted. */
  extracted: boolean;
  /** ISO time of the change. */
  at: string;
}

type LogLine = CacheIndexEntry | { dist: string; removed: true; at: string };

/** Records that `entry` is in the cache now. */
export async function recordCacheEntry(pkgsDir: string, entry: Omit<CacheIndexEntry, 'at'>): Promise<void> {
  await appendLine(pkgsDir, { ...entry, at: new Date().toISOString() });
}

/** Records that package `dist` left the cache. */
export async function recordCacheRemoval(pkgsDir: string, dist: string): Promise<void> {
  await appendLine(pkgsDir, { dist, removed: true, at: new Date().toISOString() });
}

async function appendLine(pkgsDir: string, line: LogLine): Promise<void> {
  const file = new PkgsDirLayout(pkgsDir).index;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, JSON.stringify(line) + '\n');
}

/** The index: the latest state of every package it knows, by dist name (sorted). */
export async function readCacheIndex(pkgsDir: string): Promise<CacheIndexEntry[]> {
  return [...(await readLog(pkgsDir)).live.values()].sort((a, b) => (a.dist < b.dist ? -1 : a.dist > b.dist ? 1 : 0));
}

async function readLog(pkgsDir: string): Promise<{ live: Map<string, CacheIndexEntry>; lines: number }> {
  let text: string;
  try {
    text = await readFile(new PkgsDirLayout(pkgsDir).index, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { live: new Map(), lines: 0 };
    throw error;
  }
  const live = new Map<string, CacheIndexEntry>();
  let lines = 0;
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    lines++;
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      continue; // a line cut short by a crash
    }
    if (typeof line?.dist !== 'string') continue;
    if ('removed' in line) live.delete(line.dist);
    else live.set(line.dist, line);
  }
  return { live, lines };
}

/** Rewrites the log with one line per package when it has grown to more than `factor` lines per package. */
export async function compactCacheIndex(pkgsDir: string, factor = 4): Promise<boolean> {
  const layout = new PkgsDirLayout(pkgsDir);
  const { live, lines } = await readLog(pkgsDir);
  if (lines <= factor * live.size + 64) return false;
  let lock;
  try {
    lock = await acquireLock(join(layout.locks, 'index.lock'), { timeoutMs: 2000 });
  } catch {
    return false; // another run is compacting
  }
  try {
    const again = await readLog(pkgsDir);
    const tmp = `${layout.index}.${process.pid}.tmp`;
    await writeFile(tmp, [...again.live.values()].map((e) => JSON.stringify(e) + '\n').join(''));
    await rename(tmp, layout.index);
    return true;
  } finally {
    await lock.release();
  }
}

/** Makes the index again from what the folder holds (archives and extracted folders). */
export async function rebuildCacheIndex(pkgsDir: string): Promise<CacheIndexEntry[]> {
  const layout = new PkgsDirLayout(pkgsDir);
  const names = await readdir(pkgsDir).catch(() => [] as string[]);
  const byDist = new Map<string, CacheIndexEntry>();
  const at = new Date().toISOString();
  for (const name of names) {
    const split = splitArchiveName(name);
    if (!split) continue;
    byDist.set(split.dist, { dist: split.dist, fn: name, archive: true, extracted: false, at });
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(await readFile(join(pkgsDir, name, 'info', 'repodata_record.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    const fn = typeof record.fn === 'string' ? record.fn : byDist.get(name)?.fn;
    if (fn === undefined) continue;
    byDist.set(name, {
      dist: name,
      fn,
      url: typeof record.url === 'string' ? record.url : undefined,
      sha256: typeof record.sha256 === 'string' ? record.sha256 : undefined,
      md5: typeof record.md5 === 'string' ? record.md5 : undefined,
      size: typeof record.size === 'number' ? record.size : undefined,
      archive: byDist.get(name)?.archive ?? false,
      extracted: true,
      at,
    });
  }
  const entries = [...byDist.values()].sort((a, b) => (a.dist < b.dist ? -1 : a.dist > b.dist ? 1 : 0));
  await mkdir(layout.own, { recursive: true });
  const tmp = `${layout.index}.${process.pid}.tmp`;
  await writeFile(tmp, entries.map((e) => JSON.stringify(e) + '\n').join(''));
  await rename(tmp, layout.index);
  return entries;
}
