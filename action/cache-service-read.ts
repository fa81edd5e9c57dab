// The read side of the GitHub Actions cache service v2 (cache-service-v2.ts), ours instead of
// @actions/cache's: look an entry up (GetCacheEntryDownloadURL) and stream its archive from the
// signed URL (a download that breaks off is resumed with a Range request) through the decompressor
// and a tar reader: into the one file it holds, or on into whoever reads that file's bytes (an
// environment tarball goes straight into core's restore, never to disk). @actions/cache downloads
// the whole archive to a file first and then starts `tar` (and `zstd`) on it; for a 150 MB
// environment tarball that took 0.8 s of an environment hit here, and its load time (with the
// Azure SDK) is saved too when nothing is saved.

import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Transform } from 'node:stream';
import { constants as zlib, createGunzip, createZstdDecompress } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { header, parseContentRange, rangeValidator, ShortBody } from '../core/channel/http-resume.ts';
import { DEFAULT_RETRY_POLICY, errorCode, isRetryableError, isRetryableStatus, retryDelayMs } from '../core/channel/retry.ts';
import { TarReader, type TarEntryHeader } from '../core/install/tar-reader.ts';
import type { CacheServiceV2, CompressionMethod } from './cache-service-v2.ts';
import { ResultsServiceError, twirp, USER_AGENT } from './results-twirp.ts';

/**
 * The newest entry whose key starts with one of `keys` (in order) and has `version`: its key and
 * signed download URL, or undefined (also when the cache mode forbids reads).
 */
export async function lookupEntry(service: CacheServiceV2, keys: readonly string[], version: string, dispatcher?: Dispatcher): Promise<{ key: string; url: string } | undefined> {
  if (!service.read) return undefined;
  const answer = (await twirp(service, 'CacheService/GetCacheEntryDownloadURL', { key: keys[0], restore_keys: keys.slice(1), version }, dispatcher)) as { ok?: boolean; signed_download_url?: string; matched_key?: string };
  if (!answer.ok) return undefined;
  if (typeof answer.signed_download_url !== 'string' || typeof answer.matched_key !== 'string') throw new ResultsServiceError('the cache service answered a hit without a download URL or key');
  return { key: answer.matched_key, url: answer.signed_download_url };
}

export interface EntryFile {
  /** The path the entry was saved from (the one file of its archive). */
  member: string;
  method: CompressionMethod;
}

/**
 * The one file of the archive at `url` (made by @actions/cache from the single file `member`), as
 * its bytes arrive: the GET starts on the first read (retried while no byte has come: 5xx answers,
 * refused or dropped connections; a body that breaks off later is resumed where it stopped, see
 * resumableBody), and the file's size goes to `onSize` once the archive's header
 * gives it. The archive must hold exactly that file, under its path relative to the workspace, and
 * is read to its end (its checksum comes last); anything else, and any failure of the download or
 * the decompression, is a ResultsServiceError thrown by the iterator. Stopping early (return), or
 * `signal`, closes the connection.
 */
export async function* streamEntryFile(
  service: CacheServiceV2,
  url: string,
  { member, method }: EntryFile,
  onSize?: (size: number) => void,
  dispatcher?: Dispatcher,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const want = relative(service.workspace, member).split(sep).join('/');
  let found = 0;
  let pending: Buffer[] = [];
  const reader = new TarReader((header: TarEntryHeader) => {
    if (header.type !== 'File' && header.type !== 'OldFile' && header.type !== 'ContiguousFile') {
      throw new ResultsServiceError(`the cache entry holds ${header.type} ${header.path}, not only the file ${want}`);
    }
    if (resolve(service.workspace, header.path) !== resolve(member) || ++found > 1) throw new ResultsServiceError(`the cache entry holds ${header.path}, not only the file ${want}`);
    onSize?.(header.size);
    return (chunk) => {
      if (chunk !== null) pending.push(chunk);
    };
  });
  // stops a resumed request or its backoff when the reader is gone (the first one is destroyed below)
  const stop = new AbortController();
  const stopping = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const response = await getBlob(url, dispatcher, stopping);
  const decompress = method === 'gzip' ? createGunzip({ chunkSize: 1 << 20 }) : createZstdDecompress({ chunkSize: 1 << 20, params: { [zlib.ZSTD_d_windowLogMax]: 31 } });
  const feeding = feedInPieces(resumableBody(url, response, dispatcher, stopping), decompress);
  try {
    // to the end: past the tar's end-of-archive marker come its padding and the checksum
    for await (const chunk of decompress) {
      reader.write(chunk as Buffer);
      if (pending.length > 0) {
        const out = pending;
        pending = [];
        for (const c of out) yield c;
      }
    }
    if (!reader.eof) reader.end();
    if (found !== 1) throw new ResultsServiceError(`the cache entry does not hold the file ${want}`);
  } catch (error) {
    if (error instanceof ResultsServiceError) throw error;
    const code = errorCode(error);
    if (signal?.aborted || error instanceof ShortBody || isRetryableError(error) || code?.startsWith('UND_ERR') || code === 'ABORT_ERR') {
      throw new ResultsServiceError(`the download of the cache entry broke off: ${(error as Error).message}`, { cause: error });
    }
    throw new ResultsServiceError(`the cache entry's archive is damaged or incomplete: ${(error as Error).message}`, { cause: error });
  } finally {
    decompress.destroy();
    response.body.destroy();
    stop.abort();
    await feeding;
  }
}

/** GET of a signed blob URL, answered 200 (206 to a `range`): retried (backoff) on 5xx answers and dropped connections. */
async function getBlob(url: string, dispatcher: Dispatcher | undefined, signal: AbortSignal | undefined, range?: { from: number; validator: string | undefined }): Promise<Dispatcher.ResponseData> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (range !== undefined) {
    headers.range = `bytes=${range.from}-`;
    if (range.validator !== undefined) headers['if-range'] = range.validator;
  }
  for (let attempt = 0; ; attempt++) {
    const last = attempt + 1 >= DEFAULT_RETRY_POLICY.attempts;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { method: 'GET', headers, headersTimeout: 60_000, bodyTimeout: 60_000, ...(signal === undefined ? {} : { signal }), ...(dispatcher === undefined ? {} : { dispatcher }) });
    } catch (error) {
      if (last || signal?.aborted || !isRetryableError(error)) throw new ResultsServiceError(`downloading the cache entry failed: ${(error as Error).message}`, { cause: error });
      await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt));
      continue;
    }
    if (response.statusCode === 200 || (range !== undefined && response.statusCode === 206)) return response;
    await response.body.dump().catch(() => undefined);
    if (last || !isRetryableStatus(response.statusCode)) throw new ResultsServiceError(`downloading the cache entry failed: HTTP ${response.statusCode}`);
    const after = response.headers['retry-after'];
    await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, attempt, typeof after === 'string' ? after : undefined));
  }
}

/**
 * The blob's bytes, from `first` (getBlob's 200 answer) on. A body that breaks off (a dropped
 * connection, a timeout, fewer bytes than its Content-Length) is resumed where it stopped, with
 * `Range: bytes=N-` and If-Range (the first answer's ETag or Last-Modified), after the retry
 * policy's backoff: the answer must be 206 from byte N, or 200 with the same validator (a server that
 * ignores ranges: the bytes already had are skipped). Up to the policy's attempts in a row without a
 * new byte; then the break is thrown, as is anything else (a blob that changed is a
 * ResultsServiceError).
 */
async function* resumableBody(url: string, first: Dispatcher.ResponseData, dispatcher: Dispatcher | undefined, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const length = header(first.headers, 'content-length');
  const total = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  const validator = rangeValidator(first.headers);
  let response = first;
  let received = 0;
  let fruitless = 0;
  for (;;) {
    let skip = 0;
    if (response !== first) {
      if (response.statusCode === 206) {
        const sent = header(response.headers, 'content-range');
        const range = parseContentRange(sent);
        if (range === undefined || range.start !== received || (total !== undefined && range.total !== undefined && range.total !== total)) {
          response.body.destroy();
          throw new ResultsServiceError(`the download of the cache entry broke off after ${received} bytes and could not be resumed (the server sent the range ${sent ?? 'none'})`);
        }
      } else {
        if (rangeValidator(response.headers) !== validator) {
          response.body.destroy();
          throw new ResultsServiceError(`the download of the cache entry broke off after ${received} bytes, and the entry changed meanwhile`);
        }
        skip = received;
      }
    }
    const before = received;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        let piece = chunk;
        if (skip > 0) {
          if (piece.length <= skip) {
            skip -= piece.length;
            continue;
          }
          piece = piece.subarray(skip);
          skip = 0;
        }
        received += piece.length;
        yield piece;
      }
      if (total !== undefined && received < total) throw new ShortBody(`the body ended after ${received} of ${total} bytes`);
      return;
    } catch (error) {
      const code = errorCode(error);
      const broken = error instanceof ShortBody || isRetryableError(error) || (code?.startsWith('UND_ERR') === true && code !== 'UND_ERR_ABORTED');
      fruitless = received > before ? 1 : fruitless + 1;
      if (signal?.aborted || !broken || fruitless >= DEFAULT_RETRY_POLICY.attempts) throw error;
    } finally {
      response.body.destroy();
    }
    await sleep(retryDelayMs(DEFAULT_RETRY_POLICY, fruitless - 1), undefined, signal === undefined ? undefined : { signal });
    response = await getBlob(url, dispatcher, signal, { from: received, validator });
  }
}

/** Bytes given to the decompressor at a time. */
const PIECE = 1 << 20;

/**
 * Feeds `body` into `decompress` in 1 MiB pieces, copied into two buffers taken in turns (one is
 * filled again only once the decompressor has taken it). The network delivers 16–64 KiB at a time:
 * fed as they come, every one is a round trip to the thread pool, and every decompressed piece of
 * that size another one for the reader after us. Ends the decompressor at the end of the body,
 * destroys it with the body's error. Never rejects.
 */
async function feedInPieces(body: AsyncIterable<Buffer>, decompress: Transform): Promise<void> {
  const buffers = [Buffer.allocUnsafe(PIECE), Buffer.allocUnsafe(PIECE)];
  const taken: (Promise<void> | undefined)[] = [undefined, undefined];
  const closed = new Promise<void>((resolve) => decompress.once('close', () => resolve()));
  let i = 0;
  let filled = 0;
  const give = async (): Promise<void> => {
    const buffer = buffers[i]!;
    const piece = buffer.subarray(0, filled);
    taken[i] = new Promise<void>((resolve) => decompress.write(piece, () => resolve()));
    i ^= 1;
    filled = 0;
    // a destroyed decompressor may never call back for the buffer it was given
    await Promise.race([taken[i], closed]);
  };
  try {
    for await (const chunk of body) {
      if (decompress.destroyed) return;
      for (let at = 0; at < chunk.length; ) {
        const n = chunk.copy(buffers[i]!, filled, at);
        filled += n;
        at += n;
        if (filled === PIECE) await give();
        if (decompress.destroyed) return;
      }
    }
    if (filled > 0) await give();
    if (!decompress.destroyed) decompress.end();
  } catch (error) {
    decompress.destroy(error as Error);
  }
}

/**
 * Streams the entry's file (streamEntryFile) to `dest`, through a temporary name beside it renamed
 * once complete: on any error nothing is left at `dest`. Returns the bytes written.
 */
export async function downloadEntryFile(service: CacheServiceV2, url: string, file: EntryFile & { dest: string }, dispatcher?: Dispatcher): Promise<number> {
  const partial = `${file.dest}.partial`;
  const fd = openSync(partial, 'w');
  let written = 0;
  try {
    for await (const chunk of streamEntryFile(service, url, file, undefined, dispatcher)) {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      written += chunk.length;
    }
    closeSync(fd);
    renameSync(partial, file.dest);
    return written;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    rmSync(partial, { force: true });
    throw error;
  }
}
