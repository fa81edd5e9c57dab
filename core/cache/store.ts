// The storage a cache lives in: entries are files addressed by a key string, each with the time it
// was stored and its size. The CLI's store is a folder (local-store.ts); the GitHub Action's is
// `@actions/cache`. The interface is file-based so an environment tarball is never copied into
// memory: `get` hands out a path to read in place, `put` takes a path; a store that downloads can
// also hand out the bytes as they arrive (`open`), so a big entry is read once, not stored first.
//
// Keys are made by cache-keys.ts: ASCII letters, digits and `._-` only, at most 250 characters, so
// every backend can use them as they are (a file name, an @actions/cache key).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpecError } from '../spec/errors.ts';

export interface CacheEntry {
  key: string;
  /** When the entry was stored, in ms since the epoch (what TTLs are measured from). */
  created: number;
  /** Size in bytes. */
  size: number;
}

export interface PutOptions {
  /** Move `file` into the store instead of copying it (the caller's file is gone afterwards). */
  move?: boolean;
}

export interface CacheStore {
  /** A short description for messages (`/home/u/.cache/env-setup/env-cache`, `GitHub Actions cache`). */
  readonly location: string;
  /** The folder the entries are kept in, for a store kept on this machine. */
  readonly dir?: string;
  /** The entry under `key` and a path to read it from, or undefined when there is none. */
  get(key: string): Promise<{ path: string; entry: CacheEntry } | undefined>;
  /**
   * Present on stores whose entries come over a network: the entry under `key` with its bytes as
   * they arrive, for a reader that takes them once (nothing is kept on disk), or undefined when
   * there is none. The download starts on the first read (an entry not read costs nothing more);
   * its failures are errors of the iterator. `entry.size` is 0 until the bytes start coming.
   * `cancel` stops a download under way at once (a reader that gives up before the end).
   */
  open?: (key: string) => Promise<{ entry: CacheEntry; chunks: AsyncIterable<Buffer>; cancel?: () => void } | undefined>;
  /**
   * Stores the file at `file` under `key`, replacing any entry there. Atomic: readers see the old
   * entry or the new one, never a part.
   */
  put(key: string, file: string, options?: PutOptions): Promise<CacheEntry>;
  /** Every entry (whose key starts with `prefix`, when given), oldest first. */
  list(prefix?: string): Promise<CacheEntry[]>;
  /** Removes the entry; false when there was none. */
  delete(key: string): Promise<boolean>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,249}$/;

/** Whether `key` is a valid cache key (see the header). */
export function isCacheKey(key: string): boolean {
  return KEY.test(key) && !key.includes('..');
}

/** Throws a SpecError unless `key` is a valid cache key (see the header). */
export function checkCacheKey(key: string): void {
  if (!isCacheKey(key)) {
    throw new SpecError(`invalid cache key '${key}': keys are 1 to 250 characters of letters, digits, '.', '_' and '-', starting with a letter or digit`, { input: key });
  }
}

/** Stores bytes or text under `key` (through a temporary file, moved into the store). */
export async function putData(store: CacheStore, key: string, data: string | Uint8Array): Promise<CacheEntry> {
  const dir = await mkdtemp(join(tmpdir(), 'env-setup-put-'));
  try {
    const file = join(dir, 'entry');
    await writeFile(file, data);
    return await store.put(key, file, { move: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The bytes of the entry under `key` with its metadata, or undefined. For small entries (spec files). */
export async function getData(store: CacheStore, key: string): Promise<{ data: Buffer; entry: CacheEntry } | undefined> {
  const found = await store.get(key);
  if (found === undefined) return undefined;
  try {
    return { data: await readFile(found.path), entry: found.entry };
  } catch (e) {
    // deleted between get and read: as if it had never been there
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
