// Full repodata of one subdir over HTTP(S), through the on-disk cache: a fresh cached copy is used
// as is; otherwise repodata.json.zst is tried first (unless the server was seen without it in the
// last week), then repodata.json, each with If-None-Match / If-Modified-Since when the cache holds
// that variant, so an unchanged subdir costs one 304. Offline, only the cache is read. A cached
// entry is read in place when its decompressed copy is there and matches its table (see
// repodata-cache-in-place.ts): only the entries the solve reaches are read from disk.

import { ChannelError } from './errors.ts';
import { decompressZstd } from './zstd.ts';
import { sessionDispatcher, traceSubdirLoad, type FetchContext } from './fetch-context.ts';
import { httpGet, type HttpResponse } from './http-get.ts';
import { CACHE_STATE_VERSION, dataPath, maxAgeOf, sha256Hex, sha256HexInPool, type CacheEntryPaths, type RepodataCacheState } from './repodata-cache.ts';
import { openInPlace, recoverFromReceived } from './repodata-cache-in-place.ts';
import { RepodataPackages } from './repodata-packages.ts';
import { parseRepodata, type ParsedRepodata } from './repodata-parse.ts';
import { malformedRepodata, scanRepodata, type RepodataTable } from './repodata-scan.ts';
import { contentFingerprint, decodeTable, encodeTable } from './repodata-table-file.ts';
import { emptyRepodata, type RepodataOrigin, type RepodataSource, type SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';

/** How long a server seen without repodata.json.zst is not asked for it again. */
export const ZST_RECHECK_MS = 7 * 24 * 60 * 60 * 1000;

/** Progress events while downloading: at most one per this many bytes (plus the last). */
const PROGRESS_STEP_BYTES = 1 << 20;

export class HttpRepodataSource implements RepodataSource {
  readonly channel: ResolvedChannel;
  readonly subdir: SubdirUrl;
  readonly #ctx: FetchContext;
  readonly #paths: CacheEntryPaths;

  constructor(channel: ResolvedChannel, subdir: SubdirUrl, ctx: FetchContext) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
    this.#paths = ctx.cache.paths(subdir.displayUrl);
  }

  load(): Promise<SubdirRepodata> {
    return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#load());
  }

  async #load(): Promise<SubdirRepodata> {
    const ctx = this.#ctx;
    const { cache } = ctx;
    const state = await cache.readState(this.#paths);
    const usable = state && (await cache.hasData(this.#paths, state)) ? state : undefined;

    if (ctx.offline) {
      if (!usable) {
        throw new ChannelError(
          'offline-miss',
          `offline, and the repodata of channel ${this.channel.name} for ${this.subdir.subdir} (${this.subdir.displayUrl}) is not in the cache (${cache.dir}); run once online to fill the cache`,
          { url: this.subdir.displayUrl, cachePath: this.#paths.data },
        );
      }
      return this.#fromCache(usable, 'cache');
    }
    if (usable && !usable.missing && ctx.respectMaxAge && usable.maxAgeSeconds !== undefined) {
      const age = ctx.now() - Date.parse(usable.fetchedAt);
      if (age >= 0 && age < usable.maxAgeSeconds * 1000) return this.#fromCache(usable, 'cache');
    }

    let hasZst = state?.hasZst;
    const zstKnownMissing = hasZst?.value === false && ctx.now() - Date.parse(hasZst.checkedAt) < ZST_RECHECK_MS;
    if (ctx.preferZst && !zstKnownMissing) {
      const res = await this.#get('repodata.json.zst', usable?.zst ? usable : undefined);
      if (res.status === 304 && usable?.zst) return this.#notModified(usable, res);
      if (res.status >= 200 && res.status < 300) return this.#downloaded(res, true, { value: true, checkedAt: this.#isoNow() });
      if (res.status === 401 || res.status >= 500) throw this.#statusError(res, 'repodata.json.zst');
      // Any other 4xx: no .zst here (S3-style servers answer 403 for a missing file); remember, and use repodata.json.
      hasZst = { value: false, checkedAt: this.#isoNow() };
    }
    const res = await this.#get('repodata.json', usable && !usable.zst && !usable.missing ? usable : undefined);
    if (res.status === 304 && usable && !usable.zst) return this.#notModified(usable, res, hasZst);
    if (res.status >= 200 && res.status < 300) return this.#downloaded(res, false, hasZst);
    if (res.status === 404 || res.status === 403) return this.#missing(res.status, hasZst);
    throw this.#statusError(res, 'repodata.json');
  }

  #isoNow(): string {
    return new Date(this.#ctx.now()).toISOString();
  }

  #get(file: string, validators: RepodataCacheState | undefined): Promise<HttpResponse> {
    const ctx = this.#ctx;
    const headers: Record<string, string> = {};
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
    if (file.endsWith('.zst')) headers['accept-encoding'] = 'identity';
    let lastReport = 0;
    return ctx.tracer.span('repodata.download', () => httpGet(this.subdir.url + file, {
      dispatcher: sessionDispatcher(ctx),
      displayUrl: this.subdir.displayUrl + file,
      headers,
      retry: ctx.retry,
      headersTimeoutMs: ctx.headersTimeoutMs,
      bodyTimeoutMs: ctx.bodyTimeoutMs,
      onBytes: ctx.onProgress
        ? (bytes, total) => {
            if (bytes - lastReport < PROGRESS_STEP_BYTES && bytes !== total) return;
            lastReport = bytes;
            ctx.onProgress!({ channel: this.channel.name, subdir: this.subdir.subdir, phase: 'downloading', bytes, total });
          }
        : undefined,
    }), { file });
  }

  #statusError(res: HttpResponse, file: string): ChannelError {
    const url = this.subdir.displayUrl + file;
    const name = this.channel.name;
    if (res.status === 401 || res.status === 403) {
      return new ChannelError(
        'unauthorized',
        `channel ${name}: the server refused access to ${url} (HTTP ${res.status}); if the channel is private, give it with a valid token (https://host/t/<token>/channel) or user:password in its URL`,
        { url, status: res.status },
      );
    }
    const retried = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
    return new ChannelError('unreachable', `channel ${name}: ${url} answered HTTP ${res.status}${retried}; try again later, or use --offline to work from the cache`, {
      url,
      status: res.status,
    });
  }

  async #downloaded(res: HttpResponse, zst: boolean, hasZst: RepodataCacheState['hasZst']): Promise<SubdirRepodata> {
    const file = zst ? 'repodata.json.zst' : 'repodata.json';
    const url = this.subdir.displayUrl + file;
    const cache = this.#ctx.cache;
    const stored = zst ? 'zst' : 'json';
    const storedPath = dataPath(this.#paths, stored);
    // the bytes go to the cache as they came, in the thread pool, while we decompress and scan them
    const written = this.#ctx.tracer.span('repodata.cache.write', () => cache.writeData(this.#paths, res.body, stored), { bytes: res.body.length });
    written.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const unusable = async (error: unknown): Promise<never> => {
      await written.catch(() => undefined);
      await cache.discard(this.#paths);
      throw error;
    };
    let content = res.body;
    if (zst) {
      try {
        content = await this.#ctx.tracer.span('repodata.decompress', () => decompressZstd(res.body), { bytes: res.body.length });
      } catch (error) {
        return unusable(new ChannelError('malformed', `channel ${this.channel.name}: ${url} is not valid zstd data (${(error as Error).message})`, { url, cause: error }));
      }
    }
    const hashed = sha256HexInPool(content); // also in the thread pool, while we scan
    hashed.catch(() => undefined);
    let table: RepodataTable;
    try {
      table = this.#scan(content, url, storedPath, false);
    } catch (error) {
      return unusable(error);
    }
    const state: RepodataCacheState = {
      version: CACHE_STATE_VERSION,
      url,
      etag: res.headers.etag,
      lastModified: res.headers['last-modified'],
      maxAgeSeconds: maxAgeOf(res.headers['cache-control']),
      fetchedAt: this.#isoNow(),
      size: content.length,
      sha256: await hashed,
      stored,
      storedSize: res.body.length,
      zst,
      hasZst,
    };
    await written;
    await cache.writeTable(this.#paths, encodeTable(table, content));
    await cache.writeState(this.#paths, state);
    // the decompressed copy for warm runs goes to disk in the thread pool once the repodata is
    // handed over (while the solve runs, or the downloads that follow it): written during the scan
    // instead, it made the cold solve slower by as much as it made the process end sooner
    if (zst && this.#ctx.copyOnDownload) cache.writeCopyLater(this.#paths, content);
    const where = { url, cachePath: storedPath, fromCache: true };
    return this.#result(parseRepodata(content, where, table), { kind: 'downloaded', zst, downloadedBytes: res.wireBytes, size: content.length, cachePath: storedPath });
  }

  async #notModified(usable: RepodataCacheState, res: HttpResponse, hasZst = usable.hasZst): Promise<SubdirRepodata> {
    const state: RepodataCacheState = {
      ...usable,
      etag: res.headers.etag ?? usable.etag,
      lastModified: res.headers['last-modified'] ?? usable.lastModified,
      maxAgeSeconds: maxAgeOf(res.headers['cache-control']) ?? usable.maxAgeSeconds,
      fetchedAt: this.#isoNow(),
      hasZst,
    };
    await this.#ctx.cache.writeState(this.#paths, state);
    return this.#fromCache(state, 'not-modified');
  }

  async #missing(status: number, hasZst: RepodataCacheState['hasZst']): Promise<SubdirRepodata> {
    const state: RepodataCacheState = {
      version: CACHE_STATE_VERSION,
      url: this.subdir.displayUrl + 'repodata.json',
      fetchedAt: this.#isoNow(),
      size: 0,
      sha256: sha256Hex(new Uint8Array(0)),
      stored: 'json',
      storedSize: 0,
      zst: false,
      hasZst,
      missing: true,
    };
    await this.#ctx.cache.writeMissing(this.#paths, state);
    return this.#result(emptyRepodata(), { kind: 'missing', zst: false, downloadedBytes: 0, size: 0, status });
  }

  async #fromCache(state: RepodataCacheState, kind: 'cache' | 'not-modified'): Promise<SubdirRepodata> {
    if (state.missing) return this.#result(emptyRepodata(), { kind: 'missing', zst: false, downloadedBytes: 0, size: 0, status: 404 });
    this.#ctx.onProgress?.({ channel: this.channel.name, subdir: this.subdir.subdir, phase: 'cached', total: state.size });
    const { cache, tracer } = this.#ctx;
    const storedPath = dataPath(this.#paths, state.stored);
    const where = { url: state.url, cachePath: storedPath, fromCache: true };
    const storedTable = await cache.readTable(this.#paths);
    const inPlace = openInPlace(this.#paths, state, storedTable, tracer);
    if (inPlace.entry) {
      const { copy, table, fingerprint } = inPlace.entry;
      const recover = recoverFromReceived(cache, this.#paths, state, fingerprint, tracer);
      const packages = new RepodataPackages(copy, table, { ...where, cachePath: copy.path }, recover);
      const parsed: ParsedRepodata = { info: table.info, repodataVersion: table.repodataVersion, packages, removed: table.removed };
      return this.#result(parsed, { kind, zst: state.zst, downloadedBytes: 0, size: state.size, cachePath: storedPath });
    }
    let content: Buffer;
    try {
      content = await tracer.span('repodata.cache.read', () => cache.readData(this.#paths, state));
    } catch (error) {
      if (this.#ctx.offline) throw malformedRepodata(`the cache file cannot be read (${(error as Error).message})`, where, error);
      // a damaged entry is no entry: drop it and download afresh
      await cache.discard(this.#paths);
      return this.#load();
    }
    tracer.counter('repodata.bytes.read', content.length);
    // a table already found not to describe these very bytes (the copy was them) is not tried again
    const tried = inPlace.triedFingerprint !== undefined && inPlace.triedFingerprint === contentFingerprint(content);
    let table = storedTable && !tried ? tracer.span('repodata.table.read', () => decodeTable(storedTable, content)) : undefined;
    if (table === undefined) {
      table = this.#scan(content, state.url, storedPath, true);
      // only a speed-up for the next run: a cache folder we cannot write to is no reason to fail
      await cache.writeTable(this.#paths, encodeTable(table, content)).catch(() => undefined);
    }
    // the copy was missing, cut short or stale (else it would have been read in place): write it again
    if (state.stored === 'zst') cache.writeCopyLater(this.#paths, content);
    return this.#result(parseRepodata(content, where, table), { kind, zst: state.zst, downloadedBytes: 0, size: content.length, cachePath: storedPath });
  }

  #scan(content: Buffer, url: string, cachePath: string, fromCache: boolean): RepodataTable {
    return this.#ctx.tracer.span('repodata.scan', () => scanRepodata(content, { url, cachePath, fromCache }), { size: content.length });
  }

  #result(parsed: ParsedRepodata, origin: RepodataOrigin): SubdirRepodata {
    return { ...parsed, channel: this.channel, subdir: this.subdir.subdir, url: this.subdir.displayUrl, origin };
  }
}
