// The on-disk repodata cache: one entry per subdir URL, named by a hash of the *redacted* URL (so no
// token reaches a file name), holding the repodata as it came (`<hash>.json`, or `<hash>.json.zst`
// when the server sent repodata.json.zst: writing 40 MB instead of 300 MB makes a cold run faster,
// and decompressing in the thread pool costs a warm run less than that), a state file
// (`<hash>.state.json`) with what conditional requests and freshness need, and the scan of the data
// (`<hash>.table`, see repodata-table-file.ts) so warm runs need not scan it again. Beside a
// `.json.zst` it also keeps a decompressed copy (`<hash>.json`, about 4.7 times the size of the
// .zst), written in the background once the repodata has been handed over, so that a warm run reads
// only the bytes of the entries it needs, in place (repodata-cache-in-place.ts), instead of
// decompressing all of them; the copy is checked against the table before use and written again
// when missing or damaged. Files are replaced atomically (write to a temporary file, then rename),
// so readers never see half an entry.

import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decompressZstd } from './zstd.ts';

export const CACHE_STATE_VERSION = 2;

/** How the data file holds the repodata: as JSON, or as the zstd stream the server sent. */
export type StoredForm = 'json' | 'zst';

/** The state file of one cache entry (JSON). */
export interface RepodataCacheState {
  version: typeof CACHE_STATE_VERSION;
  /** Redacted URL of the file last downloaded (repodata.json or repodata.json.zst). */
  url: string;
  etag?: string;
  lastModified?: string;
  /** Cache-Control max-age of the last answer, in seconds. */
  maxAgeSeconds?: number;
  /** When the server last answered (200 or 304), ISO 8601. */
  fetchedAt: string;
  /** Size in bytes of the repodata.json text (decompressed). */
  size: number;
  /** sha256 (hex) of the repodata.json text (decompressed). */
  sha256: string;
  /** How the data file holds it, and the data file's size. */
  stored: StoredForm;
  storedSize: number;
  /** Whether the cached content came as repodata.json.zst. */
  zst: boolean;
  /** Whether the server has repodata.json.zst for this subdir, and when that was last checked. */
  hasZst?: { value: boolean; checkedAt: string };
  /** The subdir does not exist on the server (tolerated for noarch); there is no data file. */
  missing?: boolean;
}

export interface CacheEntryPaths {
  /** The data file when stored as JSON; when stored as zstd, the decompressed copy. */
  data: string;
  /** The data file when stored as zstd. */
  dataZst: string;
  state: string;
  table: string;
}

/** The data file of an entry stored in `form`. */
export function dataPath(paths: CacheEntryPaths, form: StoredForm): string {
  return form === 'zst' ? paths.dataZst : paths.data;
}

/** The name of a cache entry: sha256 of the redacted subdir URL, shortened. */
export function cacheKey(redactedSubdirUrl: string): string {
  return createHash('sha256').update(redactedSubdirUrl).digest('hex').slice(0, 32);
}

export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256Hex computed in the thread pool (WebCrypto), leaving the main thread free. */
export async function sha256HexInPool(content: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', content)).toString('hex');
}

/** Decompressed copies being written in the background (see RepodataCache.writeCopyLater). */
const copiesInFlight = new Set<Promise<void>>();

/** Resolves once every decompressed copy whose writing has started so far is on disk (or failed). */
export async function copiesWritten(): Promise<void> {
  while (copiesInFlight.size > 0) await Promise.all(copiesInFlight);
}

export class RepodataCache {
  /** The folder holding entries (`<cache dir>/repodata`). */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  paths(redactedSubdirUrl: string): CacheEntryPaths {
    const key = cacheKey(redactedSubdirUrl);
    return { data: join(this.dir, `${key}.json`), dataZst: join(this.dir, `${key}.json.zst`), state: join(this.dir, `${key}.state.json`), table: join(this.dir, `${key}.table`) };
  }

  /** The entry's state, or undefined when there is none or it is unreadable (an unreadable state is treated as no cache). */
  async readState(paths: CacheEntryPaths): Promise<RepodataCacheState | undefined> {
    let text: string;
    try {
      text = await readFile(paths.state, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const state = JSON.parse(text) as RepodataCacheState;
      if (state?.version !== CACHE_STATE_VERSION || typeof state.url !== 'string' || typeof state.fetchedAt !== 'string') return undefined;
      return state;
    } catch {
      return undefined;
    }
  }

  /** Whether the data file is there with the size the state records (a cheap check against truncation). */
  async hasData(paths: CacheEntryPaths, state: RepodataCacheState): Promise<boolean> {
    if (state.missing) return true;
    try {
      return (await stat(dataPath(paths, state.stored))).size === state.storedSize;
    } catch {
      return false;
    }
  }

  /** The repodata.json text of the entry (decompressed in the thread pool when stored as zstd). */
  async readData(paths: CacheEntryPaths, state: RepodataCacheState): Promise<Buffer> {
    const bytes = await readFile(dataPath(paths, state.stored));
    return state.stored === 'zst' ? decompressZstd(bytes) : bytes;
  }

  /** The stored scan of the data file, or undefined when there is none. */
  async readTable(paths: CacheEntryPaths): Promise<Buffer | undefined> {
    try {
      return await readFile(paths.table);
    } catch {
      return undefined;
    }
  }

  async writeTable(paths: CacheEntryPaths, table: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.table, table);
  }

  /**
   * Replaces the data file. Start it early: the bytes go to disk in the thread pool while the
   * caller scans them, and the entry is complete only once `writeState` follows.
   */
  async writeData(paths: CacheEntryPaths, bytes: Uint8Array, form: StoredForm): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(dataPath(paths, form), bytes);
    await rm(dataPath(paths, form === 'zst' ? 'json' : 'zst'), { force: true });
  }

  /**
   * Writes the decompressed copy of an entry stored as zstd, in the background (the caller goes on
   * at once; `copiesWritten()` waits for it). Only a speed-up for later runs: a failure leaves no
   * copy, and the next warm run decompresses the .zst and tries again. The folder is not created:
   * an entry removed meanwhile (its folder too) gets no copy.
   */
  writeCopyLater(paths: CacheEntryPaths, content: Uint8Array): void {
    const writing = atomicWrite(paths.data, content).catch(() => undefined);
    copiesInFlight.add(writing);
    void writing.then(() => copiesInFlight.delete(writing));
  }

  /** Removes the entry (after bytes that turned out unusable were written). */
  async discard(paths: CacheEntryPaths): Promise<void> {
    await Promise.all([paths.state, paths.data, paths.dataZst, paths.table].map((p) => rm(p, { force: true })));
  }

  /** Marks a subdir missing: no data, no table, then the state. */
  async writeMissing(paths: CacheEntryPaths, state: RepodataCacheState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await Promise.all([paths.data, paths.dataZst, paths.table].map((p) => rm(p, { force: true })));
    await this.writeState(paths, state);
  }

  async writeState(paths: CacheEntryPaths, state: RepodataCacheState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.state, JSON.stringify(state, null, 2) + '\n');
  }
}

/** Writes a temporary file and renames it over `path`. The bytes go in as few write calls as the OS takes (fs.writeFile would hand them over in chunks, each waiting for the main thread). */
export async function atomicWrite(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  try {
    const handle = await open(tmp, 'w');
    try {
      for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** `max-age` of a Cache-Control header, in seconds. */
export function maxAgeOf(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  if (/(^|,)\s*(no-cache|no-store)\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return m ? Number(m[1]) : undefined;
}
