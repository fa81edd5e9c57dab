// Full repodata of one subdir over HTTP(S), through the on-disk cache: a fresh cached copy is used
// as is; otherwise repodata.json.zst is tried first (unless the server was seen without it in the
// last week), then repodata.json, each with If-None-Match / If-Modified-Since when the cache holds
// that variant, so an unchanged subdir costs one 304. Offline, only the cache is read.

import { promisify } from 'node:util';
import { zstdDecompress } from 'node:zlib';
import { ChannelError } from './errors.ts';
import { traceSubdirLoad, type FetchContext } from './fetch-context.ts';
import { httpGet, type HttpResponse } from './http-get.ts';
import { CACHE_STATE_VERSION, maxAgeOf, sha256Hex, type CacheEntryPaths, type RepodataCacheState } from './repodata-cache.ts';
import { parseRepodata } from './repodata-parse.ts';
import { emptyRepodata, type RepodataOrigin, type RepodataSource, type SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';

const unzstd = promisify(zstdDecompress);

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
    return httpGet(this.subdir.url + file, {
      dispatcher: ctx.dispatcher,
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
    });
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
    let content = res.body;
    if (zst) {
      try {
        content = await unzstd(res.body);
      } catch (error) {
        throw new ChannelError('malformed', `channel ${this.channel.name}: ${url} is not valid zstd data (${(error as Error).message})`, { url, cause: error });
      }
    }
    const parsed = this.#parse(content, url, false);
    const state: RepodataCacheState = {
      version: CACHE_STATE_VERSION,
      url,
      etag: res.headers.etag,
      lastModified: res.headers['last-modified'],
      maxAgeSeconds: maxAgeOf(res.headers['cache-control']),
      fetchedAt: this.#isoNow(),
      size: content.length,
      sha256: sha256Hex(content),
      zst,
      hasZst,
    };
    await this.#ctx.cache.write(this.#paths, content, state);
    return this.#result(parsed, { kind: 'downloaded', zst, downloadedBytes: res.wireBytes, size: content.length, cachePath: this.#paths.data });
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
      zst: false,
      hasZst,
      missing: true,
    };
    await this.#ctx.cache.write(this.#paths, undefined, state);
    return this.#result(emptyRepodata(), { kind: 'missing', zst: false, downloadedBytes: 0, size: 0, status });
  }

  async #fromCache(state: RepodataCacheState, kind: 'cache' | 'not-modified'): Promise<SubdirRepodata> {
    if (state.missing) return this.#result(emptyRepodata(), { kind: 'missing', zst: false, downloadedBytes: 0, size: 0, status: 404 });
    this.#ctx.onProgress?.({ channel: this.channel.name, subdir: this.subdir.subdir, phase: 'cached', total: state.size });
    const content = await this.#ctx.cache.readData(this.#paths);
    const parsed = this.#parse(content, state.url, true);
    return this.#result(parsed, { kind, zst: state.zst, downloadedBytes: 0, size: content.length, cachePath: this.#paths.data });
  }

  #parse(content: Buffer, url: string, fromCache: boolean): ReturnType<typeof parseRepodata> {
    return this.#ctx.tracer.span('repodata.parse', () => parseRepodata(content, { url, cachePath: this.#paths.data, fromCache }), { size: content.length });
  }

  #result(parsed: ReturnType<typeof parseRepodata>, origin: RepodataOrigin): SubdirRepodata {
    return { ...parsed, channel: this.channel, subdir: this.subdir.subdir, url: this.subdir.displayUrl, origin };
  }
}
