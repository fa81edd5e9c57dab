// What every repodata source of one fetch shares (dispatcher, cache, retry policy, timeouts, clock,
// progress callback, tracer), and the wrapper that reports one subdir load: a `fetch.subdir` span
// with its attributes, the `start`/`done` progress events and the download/cache counters.

import type { Dispatcher } from 'undici';
import type { Tracer } from '../timing/tracer.ts';
import type { RepodataCache } from './repodata-cache.ts';
import type { FetchProgress, SubdirRepodata } from './repodata-source.ts';
import type { ResolvedChannel, SubdirUrl } from './resolve.ts';
import type { RetryPolicy } from './retry.ts';

export interface FetchContext {
  /**
   * For HTTP requests; undefined in a session that needs no network (offline, or only local
   * channels), so such a run never loads undici. Reached through sessionDispatcher.
   */
  dispatcher: Dispatcher | undefined;
  cache: RepodataCache;
  /** Use only the cache; never touch the network. */
  offline: boolean;
  retry: RetryPolicy;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Try repodata.json.zst before repodata.json. */
  preferZst: boolean;
  /** Use a cached copy without asking the server while its Cache-Control max-age lasts. */
  respectMaxAge: boolean;
  /** Write the decompressed copy of a downloaded repodata.json.zst for warm runs (see repodata-cache.ts). */
  copyOnDownload: boolean;
  /** Wall clock in ms since the epoch. */
  now: () => number;
  onProgress: ((progress: FetchProgress) => void) | undefined;
  tracer: Tracer;
}

/** The session's dispatcher for a request; a request in a session opened without network is a bug (offline sources read only the cache). */
export function sessionDispatcher(ctx: FetchContext): Dispatcher {
  if (ctx.dispatcher === undefined) throw new Error('internal error: an HTTP request in a fetch session opened without network (offline, or local channels only)');
  return ctx.dispatcher;
}

/** Runs one subdir load inside a `fetch.subdir` span, with progress events and counters. */
export function traceSubdirLoad(
  ctx: FetchContext,
  channel: ResolvedChannel,
  subdir: SubdirUrl,
  load: () => Promise<SubdirRepodata>,
): Promise<SubdirRepodata> {
  return ctx.tracer.span(
    'fetch.subdir',
    async (span) => {
      ctx.onProgress?.({ channel: channel.name, subdir: subdir.subdir, phase: 'start' });
      const result = await load();
      const { origin } = result;
      const cached = origin.kind === 'cache' || origin.kind === 'not-modified';
      span.addAttributes({
        origin: origin.kind,
        bytes: origin.downloadedBytes,
        size: origin.size,
        cached,
        not_modified: origin.kind === 'not-modified',
        zst: origin.zst,
        packages: result.packages.count,
      });
      ctx.tracer.counter('download.bytes', origin.downloadedBytes);
      if (cached) ctx.tracer.counter('repodata.cache.hits');
      if (origin.kind === 'downloaded') ctx.tracer.counter('repodata.downloads');
      ctx.onProgress?.({ channel: channel.name, subdir: subdir.subdir, phase: 'done', bytes: origin.downloadedBytes, total: origin.size });
      return result;
    },
    { channel: channel.name, subdir: subdir.subdir, url: subdir.displayUrl },
  );
}
