// Downloads one package archive to a file, streaming: every chunk is hashed (sha256 and/or md5) and
// written as it arrives, nothing is held in memory. Failures are retried with core/channel's retry
// policy (5xx/408/429 answers, timeouts, dropped connections, a body shorter than its
// Content-Length), and a retry resumes where the bytes stopped with `Range: bytes=N-` (guarded by
// If-Range with the server's ETag or Last-Modified); a server that answers 200 instead of 206 gets
// the file from the start. The validators are kept beside the partial file, so a later run resumes
// a download an earlier run left unfinished. What the bytes should be (size, hashes) is checked by
// the caller (see verify.ts); this file only fetches.

import { open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { requestWithDeadline, splitCredentials, USER_AGENT } from '../channel/http-get.ts';
import { header, parseContentRange, rangeValidator, ShortBody } from '../channel/http-resume.ts';
import { errorCode, isRetryableError, isRetryableStatus, retryDelayMs, type RetryPolicy } from '../channel/retry.ts';
import { stripCredentials } from '../spec/url-credentials.ts';
import { InstallError } from './errors.ts';
import { MultiHash, type ArchiveFacts, type HashAlgorithm } from './verify.ts';

export interface DownloadOptions {
  /** The URL to fetch; may hold a token or user:password. */
  url: string;
  /** The same URL without secrets, for messages. */
  displayUrl: string;
  /** The file written (a partial file of the package cache). */
  dest: string;
  /** Where the server's validators are kept for a later resume. */
  metaPath: string;
  /** The package file name, for messages. */
  what: string;
  dispatcher: Dispatcher;
  retry: RetryPolicy;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  hashes: readonly HashAlgorithm[];
  /** Continue an existing partial file (from an earlier attempt or run) when the server allows. */
  resume: boolean;
  /** The size the record gives, if any: a partial file at least this big is started over. */
  expectedSize?: number;
  /** Bytes of the file present so far (resumed bytes included) and the total when known. */
  onBytes?: (bytes: number, total: number | undefined) => void;
  /** A retry is about to happen, after `delayMs`. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
  signal?: AbortSignal;
}

export interface DownloadResult extends ArchiveFacts {
  attempts: number;
  /** Bytes taken over from a partial file instead of downloaded again (0 when started from scratch). */
  resumedBytes: number;
  /** Bytes received over the network in this call. */
  networkBytes: number;
}

const WRITE_BATCH = 1 << 20;

interface PartialMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

async function readMeta(path: string): Promise<PartialMeta | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as PartialMeta;
    return typeof v.url === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Hashes the first `length` bytes of an existing partial file, so a resumed download ends with whole-file hashes. */
async function primeHash(hash: MultiHash, path: string, length: number): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

/** Downloads `options.url` into `options.dest` (see the header). */
export async function downloadArchive(options: DownloadOptions): Promise<DownloadResult> {
  const target = splitCredentials(options.url);
  const identity = stripCredentials(options.url);
  const attempts = Math.max(1, options.retry.attempts);
  let hash = new MultiHash(options.hashes);
  let offset = 0;
  let resumedBytes = 0;
  let networkBytes = 0;
  let validator: string | undefined;

  const startOver = async (): Promise<void> => {
    hash = new MultiHash(options.hashes);
    offset = 0;
    resumedBytes = 0;
    validator = undefined;
    await rm(options.dest, { force: true });
  };

  if (options.resume) {
    const meta = await readMeta(options.metaPath);
    const have = await fileSize(options.dest);
    const usable = meta?.url === identity && have > 0 && (options.expectedSize === undefined || have < options.expectedSize);
    if (usable) {
      await primeHash(hash, options.dest, have);
      offset = resumedBytes = have;
      validator = meta!.etag ?? meta!.lastModified;
    } else await startOver();
  } else await startOver();

  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const last = attempt >= attempts;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' };
    if (target.authorization) headers.authorization = target.authorization;
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (validator) headers['if-range'] = validator;
    }
    const controller = new AbortController();
    const forwardAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forwardAbort, { once: true });
    let fh: FileHandle | undefined;
    let retryReason: string;
    let retryAfter: string | undefined;
    try {
      const res = await requestWithDeadline(target.url, headers, options, controller);
      const status = res.statusCode;
      if (status === 416 && offset > 0) {
        // The partial file is not a prefix the server can continue: start over at once.
        await res.body.dump();
        await startOver();
        if (last) attempt--; // a restart is not a failure of the server
        continue;
      }
      if (status !== 200 && status !== 206) {
        await res.body.dump();
        if (!last && isRetryableStatus(status)) {
          retryReason = `HTTP ${status}`;
          retryAfter = header(res.headers, 'retry-after');
          throw new RetrySignal();
        }
        throw new InstallError('http', `${options.what}: the server answered ${status} for ${options.displayUrl}`, {
          package: options.what,
          url: options.displayUrl,
          status,
        });
      }
      let total: number | undefined;
      const length = header(res.headers, 'content-length');
      const bodyLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
      if (status === 206) {
        const range = parseContentRange(header(res.headers, 'content-range'));
        if (!range || range.start !== offset) {
          await res.body.dump();
          if (offset === 0) {
            throw new InstallError('http', `${options.what}: the server sent part of ${options.displayUrl} without being asked for a part`, {
              package: options.what,
              url: options.displayUrl,
              status,
            });
          }
          await startOver();
          if (last) attempt--;
          continue;
        }
        total = range.total;
      } else {
        if (offset > 0) await startOver();
        total = bodyLength;
        const etag = header(res.headers, 'etag');
        const lastModified = header(res.headers, 'last-modified');
        validator = rangeValidator(res.headers);
        const meta: PartialMeta = { url: identity };
        if (etag) meta.etag = etag;
        if (lastModified) meta.lastModified = lastModified;
        await writeFile(options.metaPath, JSON.stringify(meta));
      }
      const expectedEnd = bodyLength === undefined ? total : offset + bodyLength;
      fh = await onDisk(options, () => open(options.dest, offset > 0 ? 'a' : 'w'));
      const file = fh;
      options.onBytes?.(offset, total);
      // Chunks are written in batches of about 1 MiB (one writev call each, not a write per 64 kB
      // chunk, and no copy into one buffer); `offset` counts only what is on disk, so a retry
      // resumes from there.
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async (): Promise<void> => {
        if (batched === 0) return;
        const data = batch;
        batch = [];
        await onDisk(options, () => file.writev(data));
        offset += batched;
        batched = 0;
      };
      try {
        for await (const chunk of res.body) {
          const b = chunk as Buffer;
          hash.update(b);
          batch.push(b);
          batched += b.length;
          networkBytes += b.length;
          if (batched >= WRITE_BATCH) await flush();
          options.onBytes?.(offset + batched, total);
        }
      } finally {
        await flush();
      }
      fh = undefined;
      await onDisk(options, () => file.close());
      if (expectedEnd !== undefined && offset < expectedEnd) throw new ShortBody(`the body ended after ${offset} of ${expectedEnd} bytes`);
      return { size: offset, ...hash.digest(), attempts: attempt, resumedBytes, networkBytes };
    } catch (error) {
      await fh?.close().catch(() => undefined);
      if (error instanceof InstallError) throw error;
      if (options.signal?.aborted) throw error;
      if (error instanceof RetrySignal) {
        const delay = retryDelayMs(options.retry, attempt - 1, retryAfter);
        options.onRetry?.(attempt + 1, retryReason!, delay);
        await sleep(delay, undefined, { signal: options.signal });
        continue;
      }
      const retryable = error instanceof ShortBody || isRetryableError(error);
      if (!last && retryable) {
        const delay = retryDelayMs(options.retry, attempt - 1);
        options.onRetry?.(attempt + 1, describe(error), delay);
        await sleep(delay, undefined, { signal: options.signal });
        continue;
      }
      throw new InstallError(
        'unreachable',
        `${options.what}: cannot download ${options.displayUrl} (${describe(error)}) after ${attempt} attempt${attempt === 1 ? '' : 's'}; check the network, proxy (HTTPS_PROXY) and certificates (ssl_verify)`,
        { package: options.what, url: options.displayUrl, cause: error },
      );
    } finally {
      options.signal?.removeEventListener('abort', forwardAbort);
    }
  }
}

/** Runs a file operation on the partial file; its failure is the cache's problem, not the network's. */
async function onDisk<T>(options: DownloadOptions, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    throw new InstallError('cache', `${options.what}: cannot write ${options.dest}: ${(error as Error).message}`, { package: options.what, file: options.dest, cause: error });
  }
}

/** Internal: a retryable answer (5xx …) jumps to the retry path. */
class RetrySignal extends Error {}

function describe(error: unknown): string {
  const code = errorCode(error);
  const message = (error as Error)?.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
