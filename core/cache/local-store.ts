// The CLI's cache store: a folder with one file per entry, named by its key. Default:
// `<cache dir>/env-cache` (the cache dir is ENV_SETUP_CACHE_DIR, else $XDG_CACHE_HOME/env-setup, else
// ~/.cache/env-setup; see core/channel/cache-dir.ts). An entry's creation time is its file's mtime,
// set when it is stored. Writes go to a `.tmp-*` file in the same folder and are renamed into place,
// so concurrent readers and writers never see a partial entry; the last writer wins.

import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCacheDir } from '../channel/cache-dir.ts';
import { type CacheEntry, type CacheStore, checkCacheKey, isCacheKey, type PutOptions } from './store.ts';

const TEMP_PREFIX = '.tmp-';

export interface LocalStoreOptions {
  /** The folder; default `<cache dir>/env-cache`. */
  dir?: string;
  /** The cache dir to put `env-cache` in (`--cache-dir`); default as in core/channel/cache-dir.ts. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** The folder a LocalStore uses with these options. */
export function localStoreDir(options: LocalStoreOptions = {}): string {
  return options.dir ?? join(options.cacheDir ?? defaultCacheDir({ env: options.env }), 'env-cache');
}

export class LocalStore implements CacheStore {
  readonly dir: string;

  constructor(options: LocalStoreOptions = {}) {
    this.dir = localStoreDir(options);
  }

  get location(): string {
    return this.dir;
  }

  async get(key: string): Promise<{ path: string; entry: CacheEntry } | undefined> {
    checkCacheKey(key);
    const path = join(this.dir, key);
    const entry = await this.#entry(key);
    return entry === undefined ? undefined : { path, entry };
  }

  async put(key: string, file: string, options: PutOptions = {}): Promise<CacheEntry> {
    checkCacheKey(key);
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      let moved = false;
      if (options.move) {
        try {
          await rename(file, temp);
          moved = true;
        } catch (e) {
          // another file system: copy instead, then drop the original
          if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        }
      }
      if (!moved) await copyFile(file, temp);
      const now = new Date();
      await utimes(temp, now, now);
      await rename(temp, join(this.dir, key));
      if (options.move && !moved) await rm(file, { force: true });
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const entry = await this.#entry(key);
    if (entry === undefined) throw new Error(`${this.dir}: the entry '${key}' vanished right after it was stored`);
    return entry;
  }

  async list(prefix = ''): Promise<CacheEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const entries: CacheEntry[] = [];
    for (const name of names) {
      if (!isCacheKey(name) || !name.startsWith(prefix)) continue;
      const entry = await this.#entry(name);
      if (entry !== undefined) entries.push(entry);
    }
    return entries.sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : 1));
  }

  async delete(key: string): Promise<boolean> {
    checkCacheKey(key);
    try {
      await rm(join(this.dir, key));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /** Removes temporary files older than `age` ms that interrupted writes left behind; how many. */
  async removeStaleTemporaries(age: number, now: number = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const s = await stat(join(this.dir, name)).catch(() => undefined);
      if (s === undefined || now - s.mtimeMs < age) continue;
      await rm(join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async #entry(key: string): Promise<CacheEntry | undefined> {
    try {
      const s = await stat(join(this.dir, key));
      if (!s.isFile()) return undefined;
      return { key, created: s.mtimeMs, size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}
