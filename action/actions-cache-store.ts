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
// With cache service v2 (github.com), entries are read by our own client (cache-service-read.ts):
// `open` streams an entry's bytes as they arrive (core restores a tarball from them), `get` writes
// them to `<dir>/entries/<key>` without the io path; small entries are saved by it too
// (cache-service-write.ts). The entries are the same either way: @actions/cache reads ours, we read
// its. @actions/cache itself is loaded only for what is left to it (large saves, protocol v1).
//
// A failed restore is a miss and a failed save a warning (an outage never fails the job); saves that
// failed are listed in `unsaved` so the post step can try them once more. With `write: false`
// (pull requests) nothing is saved. `delete` cannot remove a remote entry: it hides it for this run.

import { mkdir, rename, rm, copyFile, stat } from 'node:fs/promises';
import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CacheEntry, CacheStore, PutOptions } from '../core/cache/store.ts';
import type { Tracer } from '../core/timing/tracer.ts';
import type { Dispatcher } from 'undici';
import { keyKind } from '../core/cache/cache-keys.ts';
import { downloadEntryFile, lookupEntry, streamEntryFile } from './cache-service-read.ts';
import { type CacheServiceV2, cacheVersion, compressionMethod } from './cache-service-v2.ts';
import { saveSmallEntry, SMALL_ENTRY_LIMIT } from './cache-service-write.ts';

/** @actions/cache (with the Azure SDK it brings) is loaded only when an entry is saved, or read without `service`. */
export const actionsCache = (): Promise<typeof import('@actions/cache')> => import('@actions/cache');

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
  /** Cache service v2 (cache-service-v2.ts): entries are read by our own client, streamed, and small ones saved by it; the rest by @actions/cache. */
  service?: CacheServiceV2;
  /** For our client: the connections (proxies from HTTP(S)_PROXY, CA bundle; see core/channel/network.ts), as @actions/cache honours them. */
  dispatcher?: Dispatcher;
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
  readonly #streamed = new Map<string, CacheEntry>();
  readonly #hidden = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when the service failed slowly (retries): later operations are skipped, so an outage costs one timeout, not one per entry. */
  down = false;
  /** With cache service v2: the entry's bytes streamed as they arrive (core restores a tarball from them, no copy on disk). */
  readonly open: CacheStore['open'];

  constructor(options: ActionsCacheStoreOptions) {
    this.#options = options;
    this.#io = ioPath(options.dir);
    const service = options.service;
    this.open = service === undefined ? undefined : (key) => this.#open(service, key);
  }

  /** The size of an entry this run read, streamed or saved (without downloading anything). */
  knownSize(key: string): number | undefined {
    return this.#known.get(key)?.entry.size ?? this.#streamed.get(key)?.size;
  }

  async get(key: string): Promise<{ path: string; entry: CacheEntry } | undefined> {
    if (this.#hidden.has(key) || !this.#holds(key)) return undefined;
    const known = this.#known.get(key);
    if (known !== undefined && existsSync(known.path)) return known;
    return this.#serial(() =>
      this.#span(`action.restore.${keyKind(key)}`, async () => {
        if (this.down) return undefined;
        const path = join(this.#options.dir, 'entries', key);
        const service = this.#options.service;
        const created = service === undefined ? await this.#restoreThroughIo(key, path) : await this.#download(service, key, path);
        if (created === undefined || !existsSync(path)) return undefined;
        const found = { path, entry: { key, created, size: (await stat(path)).size } };
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
        : this.#options.service?.write === false
          ? "the runner's cache mode (ACTIONS_CACHE_MODE) does not permit writes"
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
    const service = this.#options.service;
    const small = service !== undefined && (await stat(path)).size <= SMALL_ENTRY_LIMIT;
    const result = small ? await saveSmall(service, this.#io, path, remote, this.#options.log, this.#options.dispatcher) : await saveThroughIo(this.#io, path, remote, this.#options.log);
    if (!result.ok) this.#checkSlow(t0);
    if (result.ok) this.saved.push(remote);
    else this.unsaved.push({ key, remoteKey: remote, path, reason: result.reason, retry: true });
    return result.ok;
  }

  async #open(service: CacheServiceV2, key: string): Promise<{ entry: CacheEntry; chunks: AsyncIterable<Buffer>; cancel?: () => void } | undefined> {
    if (this.#hidden.has(key) || !this.#holds(key)) return undefined;
    const known = this.#known.get(key);
    if (known !== undefined && existsSync(known.path)) return { entry: known.entry, chunks: createReadStream(known.path, { highWaterMark: 1 << 20 }) };
    return this.#serial(() =>
      this.#span(`action.restore.${keyKind(key)}`, async () => {
        if (this.down) return undefined;
        const found = await this.#lookup(service, key);
        if (found === undefined) return undefined;
        const entry: CacheEntry = { key, created: found.created, size: 0 };
        this.#streamed.set(key, entry);
        const log = this.#options.log;
        const { remote, url } = found;
        const method = compressionMethod();
        const member = this.#io;
        const dispatcher = this.#options.dispatcher;
        const stop = new AbortController();
        async function* chunks(): AsyncGenerator<Buffer> {
          let bytes = 0;
          for await (const chunk of streamEntryFile(service, url, { member, method }, (size) => (entry.size = size), dispatcher, stop.signal)) {
            bytes += chunk.length;
            yield chunk;
          }
          log.info(`restored ${remote} from the GitHub Actions cache, streamed (${(bytes / 1e6).toFixed(1)} MB)`);
        }
        return { entry, chunks: chunks(), cancel: () => stop.abort() };
      }),
    );
  }

  /**
   * The newest remote entry of `key` (our client): its remote key, signed URL and creation time, or
   * undefined — also when the lookup failed (a warning) or the match belongs to another key.
   */
  async #lookup(service: CacheServiceV2, key: string): Promise<{ remote: string; url: string; created: number } | undefined> {
    const prefix = `${this.#ns}${key}-t`;
    const t0 = performance.now();
    let found: { key: string; url: string } | undefined;
    try {
      found = await lookupEntry(service, [prefix, prefix], this.#version(), this.#options.dispatcher);
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
    }
    if (found === undefined) this.#checkSlow(t0);
    const parsed = this.#parse(found?.key);
    return found === undefined || parsed?.key !== key ? undefined : { remote: found.key, url: found.url, created: parsed.created };
  }

  /** Looks `key` up and writes its file to `path` (our client); the entry's creation time, or undefined (a miss, or a warning). */
  async #download(service: CacheServiceV2, key: string, path: string): Promise<number | undefined> {
    const found = await this.#lookup(service, key);
    if (found === undefined) return undefined;
    try {
      await mkdir(dirname(path), { recursive: true });
      const bytes = await downloadEntryFile(service, found.url, { member: this.#io, dest: path, method: compressionMethod() }, this.#options.dispatcher);
      this.#options.log.info(`restored ${found.remote} from the GitHub Actions cache (${(bytes / 1e6).toFixed(1)} MB)`);
      return found.created;
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
      return undefined;
    }
  }

  /** Restores `key` through @actions/cache into the io path, then moves the file to `path`; the entry's creation time, or undefined. */
  async #restoreThroughIo(key: string, path: string): Promise<number | undefined> {
    await rm(dirname(this.#io), { recursive: true, force: true });
    const prefix = `${this.#ns}${key}-t`;
    const t0 = performance.now();
    let matched: string | undefined;
    try {
      matched = await (await actionsCache()).restoreCache([this.#io], prefix, [prefix]);
    } catch (e) {
      this.#options.log.warning(`restoring ${key} from the GitHub Actions cache failed: ${message(e)}; continuing without it`);
    }
    if (matched === undefined) this.#checkSlow(t0);
    const parsed = this.#parse(matched);
    if (parsed?.key !== key || !existsSync(this.#io)) return undefined;
    await mkdir(dirname(path), { recursive: true });
    await rename(this.#io, path);
    return parsed.created;
  }

  /** The version our client looks entries up by: @actions/cache's for the io path. */
  #version(): string {
    return cacheVersion([this.#io], compressionMethod());
  }

  /** The store key and creation time of a remote key of this store's namespace. */
  #parse(remote: string | undefined): { key: string; created: number } | undefined {
    return remote === undefined || !remote.startsWith(this.#ns) ? undefined : parseRemoteKey(remote.slice(this.#ns.length));
  }

  async list(prefix = ''): Promise<CacheEntry[]> {
    const local = [...this.#known.values()].filter((k) => k.entry.key.startsWith(prefix) && !this.#hidden.has(k.entry.key)).map((k) => k.entry);
    if (prefix === '' || this.down) return local;
    const service = this.#options.service;
    const remote = await this.#serial(async () => {
      try {
        if (service !== undefined) return (await lookupEntry(service, [this.#ns + prefix, this.#ns + prefix], this.#version(), this.#options.dispatcher))?.key;
        return await (await actionsCache()).restoreCache([this.#io], this.#ns + prefix, [this.#ns + prefix], { lookupOnly: true });
      } catch (e) {
        this.#options.log.warning(`looking up ${prefix}… in the GitHub Actions cache failed: ${message(e)}`);
        return undefined;
      }
    });
    const parsed = this.#parse(remote);
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
    const id = await (await actionsCache()).saveCache([io], remote);
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

/** Saves a small file with our own client (cache-service-write.ts); never throws, as saveThroughIo. */
async function saveSmall(service: CacheServiceV2, io: string, path: string, remote: string, log: StoreLog, dispatcher: Dispatcher | undefined): Promise<{ ok: true } | { ok: false; reason: string }> {
  let reason: string;
  try {
    const method = compressionMethod();
    const r = await saveSmallEntry(service, { key: remote, version: cacheVersion([io], method), member: io, path, method }, dispatcher);
    if (r.ok) return { ok: true };
    reason = r.reason;
  } catch (e) {
    reason = message(e);
  }
  log.warning(`saving ${remote} to the GitHub Actions cache failed: ${reason}; the next run will be slower, nothing else is affected`);
  return { ok: false, reason };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
