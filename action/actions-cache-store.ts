// The CacheStore (core/cache/store.ts) of the GitHub Action, over @actions/cache. Two differences
// from a folder are bridged here:
//
// - @actions/cache entries are immutable and have no metadata. An entry is saved under
//   `<key>-t<created ms>` and looked up by the prefix `<key>-t`, which the service answers with the
//   newest match: a refreshed entry is saved under a new key and wins, and the TTL is measured from
//   the creation time in the key (the entry's own timestamp, whichever run made it).
// - @actions/cache versions an entry by the paths it was saved from, so every entry goes through one
//   fixed file (`<dir>/io/entry`), one operation at a time; restored entries are then moved to
//   `<dir>/entries/<key>`, where `get` hands them out for the rest of the run.
//
// A failed restore is a miss and a failed save a warning (an outage never fails the job); saves that
// failed are listed in `unsaved` so the post step can try them once more. With `write: false`
// (pull requests) nothing is saved. `delete` cannot remove a remote entry: it hides it for this run.

import { mkdir, rename, rm, copyFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as cache from '@actions/cache';
import type { CacheEntry, CacheStore, PutOptions } from '../core/cache/store.ts';
import type { Tracer } from '../core/timing/tracer.ts';
import { keyKind } from '../core/cache/cache-keys.ts';

export interface StoreLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface ActionsCacheStoreOptions {
  /** A folder of this run's (under RUNNER_TEMP). */
  dir: string;
  /** Whether entries may be saved (input `cache-write`). */
  write: boolean;
  log: StoreLog;
  tracer?: Tracer;
  now?: () => number;
  /** Which kinds of entry this store holds (inputs cache-spec, cache-environment); others are never found nor saved. Default: all. */
  kinds?: readonly ('spec' | 'tarball' | 'other')[];
  /** Environment tarballs larger than this are not saved (input environment-cache-max-size; 0: none). */
  maxTarballSize?: number;
  /** Put before every remote key (input cache-key: `<cache-key>-`), so a different value starts fresh caches. */
  namespace?: string;
}

/** A save that did not happen, with the file kept for the post step. */
export interface UnsavedEntry {
  key: string;
  /** The key it was to be saved under (`<key>-t<created>`). */
  remoteKey: string;
  path: string;
  reason: string;
  /** Whether the post step should try again (a failed save, not one skipped on purpose). */
  retry: boolean;
}

/** How long a failed cache operation may take before the service counts as down (its client retries after 5 s). */
const SLOW_FAILURE_MS = 3000;

const CREATED = /-t(\d{10,})$/;

/** The remote key of an entry created at `created`. */
export function remoteKey(key: string, created: number): string {
  return `${key}-t${created}`;
}

/** The store key and creation time of a remote key, or undefined when it is not one of ours. */
export function parseRemoteKey(remote: string): { key: string; created: number } | undefined {
  const m = CREATED.exec(remote);
  return m === null ? undefined : { key: remote.slice(0, m.index), created: Number(m[1]) };
}

export class ActionsCacheStore implements CacheStore {
  readonly location = 'GitHub Actions cache';
  /** Remote keys saved by this run. */
  readonly saved: string[] = [];
  readonly unsaved: UnsavedEntry[] = [];
  readonly #options: ActionsCacheStoreOptions;
  readonly #io: string;
  readonly #known = new Map<string, { path: string; entry: CacheEntry }>();
  readonly #hidden = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when the service failed slowly (retries): later operations are skipped, so an outage costs one timeout, not one per entry. */
  down = false;

  constructor(options: ActionsCacheStoreOptions) {
    this.#options = options;
    this.#io = ioPath(options.dir);
  }

  async get(key: string): Promise<{ path: string; entry: CacheEntry } | undefined> {
    if (this.#hidden.has(key) || !this.#holds(key)) return undefined;
    const known = this.#known.get(key);
    if (known !== undefined && existsSync(known.path)) return known;
    return this.#serial(() =>
      this.#span(`action.restore.${keyKind(key)}`, async () => {
        await rm(dirname(this.#io), { recursive: true, force: true });
        if (this.down) return undefined;
        const prefix = `${this.#ns}${key}-t`;
        let matched: string | undefined;
        const t0 = performance.now();
        try {
          matched = await cache.restoreCache([this.#io], prefix, [prefix]);
        } catch (e) {
          this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
          return undefined;
        }
        if (matched === undefined) this.#checkSlow(t0);
        const parsed = matched === undefined || !matched.startsWith(this.#ns) ? undefined : parseRemoteKey(matched.slice(this.#ns.length));
        if (parsed === undefined || parsed.key !== key || !existsSync(this.#io)) return undefined;
        const path = join(this.#options.dir, 'entries', key);
        await mkdir(dirname(path), { recursive: true });
        await rename(this.#io, path);
        const found = { path, entry: { key, created: parsed.created, size: (await stat(path)).size } };
        this.#known.set(key, found);
        return found;
      }),
    );
  }

  async put(key: string, file: string, options: PutOptions = {}): Promise<CacheEntry> {
    const created = (this.#options.now ?? Date.now)();
    const path = join(this.#options.dir, 'entries', key);
    await mkdir(dirname(path), { recursive: true });
    if (options.move) await rename(file, path).catch(() => copyFile(file, path));
    else await copyFile(file, path);
    const entry: CacheEntry = { key, created, size: (await stat(path)).size };
    this.#known.set(key, { path, entry });
    this.#hidden.delete(key);
    const remote = this.#ns + remoteKey(key, created);
    const max = this.#options.maxTarballSize;
    const skip = !this.#holds(key)
      ? 'this kind of entry is not cached'
      : !this.#options.write
        ? 'cache-write is false'
        : this.down
          ? 'the cache service is not answering'
          : keyKind(key) === 'tarball' && max !== undefined && entry.size > max
          ? `the environment tarball (${entry.size} bytes) is larger than environment-cache-max-size (${max} bytes)`
          : undefined;
    if (skip !== undefined) {
      this.unsaved.push({ key, remoteKey: remote, path, reason: skip, retry: false });
      return entry;
    }
    await this.#serial(() => this.#span(`action.save.${keyKind(key)}`, () => this.#save(key, remote, path)));
    return entry;
  }

  /** Saves the file at `path` under `remote` (through the fixed io path); false with a warning when that failed. */
  async #save(key: string, remote: string, path: string): Promise<boolean> {
    const t0 = performance.now();
    const result = await saveThroughIo(this.#io, path, remote, this.#options.log);
    if (!result.ok) this.#checkSlow(t0);
    if (result.ok) this.saved.push(remote);
    else this.unsaved.push({ key, remoteKey: remote, path, reason: result.reason, retry: true });
    return result.ok;
  }

  async list(prefix = ''): Promise<CacheEntry[]> {
    const local = [...this.#known.values()].filter((k) => k.entry.key.startsWith(prefix) && !this.#hidden.has(k.entry.key)).map((k) => k.entry);
    if (prefix === '' || this.down) return local;
    const remote = await this.#serial(async () => {
      try {
        return await cache.restoreCache([this.#io], this.#ns + prefix, [this.#ns + prefix], { lookupOnly: true });
      } catch (e) {
        this.#options.log.warning(`looking up ${prefix}… in the GitHub Actions cache failed: ${message(e)}`);
        return undefined;
      }
    });
    const parsed = remote === undefined || !remote.startsWith(this.#ns) ? undefined : parseRemoteKey(remote.slice(this.#ns.length));
    const all = [...local];
    if (parsed !== undefined && !this.#hidden.has(parsed.key) && !all.some((e) => e.key === parsed.key)) all.push({ key: parsed.key, created: parsed.created, size: 0 });
    return all.sort((a, b) => a.created - b.created);
  }

  async delete(key: string): Promise<boolean> {
    const had = this.#known.has(key);
    const known = this.#known.get(key);
    this.#known.delete(key);
    this.#hidden.add(key);
    if (known !== undefined) await rm(known.path, { force: true });
    return had;
  }

  /** A miss or failed save that took longer than a healthy service ever does means retries against a failing one. */
  #checkSlow(t0: number): void {
    if (this.down || performance.now() - t0 < SLOW_FAILURE_MS) return;
    this.down = true;
    this.#options.log.warning('the GitHub Actions cache service is failing or not answering: skipping the remaining cache operations of this run (the job goes on, only slower)');
  }

  get #ns(): string {
    return this.#options.namespace ?? '';
  }

  #holds(key: string): boolean {
    return this.#options.kinds === undefined || this.#options.kinds.includes(keyKind(key));
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #span<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.#options.tracer === undefined ? fn() : this.#options.tracer.span(name, fn);
  }
}

/** The one path every entry is saved from and restored to (see the header). */
export function ioPath(dir: string): string {
  return join(dir, 'io', 'entry');
}

/**
 * Saves the file at `path` as the remote entry `remote` through the io path; the file is back at
 * `path` afterwards. Never throws: a failure is a warning and `{ ok: false }`.
 */
export async function saveThroughIo(io: string, path: string, remote: string, log: StoreLog): Promise<{ ok: true } | { ok: false; reason: string }> {
  await rm(dirname(io), { recursive: true, force: true });
  await mkdir(dirname(io), { recursive: true });
  await rename(path, io);
  try {
    const id = await cache.saveCache([io], remote);
    if (id === -1) {
      const reason = 'the cache service did not take it (see the messages above)';
      log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
      return { ok: false, reason };
    }
    return { ok: true };
  } catch (e) {
    const reason = message(e);
    log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
    return { ok: false, reason };
  } finally {
    await rename(io, path).catch(() => undefined);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
