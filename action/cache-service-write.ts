// The write side of cache service v2 (cache-service-v2.ts) for small entries — spec files and run
// records, a few KB each — ours instead of @actions/cache's, so a run that saves only those (an
// environment hit) never loads @actions/cache and the Azure SDK, nor starts `tar` and `zstd`:
// the archive is made in memory, then CreateCacheEntry, one PUT of the blob (Azure's Put Blob,
// as @azure/storage-blob sends an upload that fits one request) and FinalizeCacheEntryUpload.
// The archive is what @actions/cache makes of the same file (a tar holding it under its path
// relative to the workspace, zstd with a checksum, or gzip), so either client reads it back.
// Large entries (tarballs, the package cache) still go through @actions/cache, which uploads in
// parallel blocks.

import { readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { constants as zlib, gzipSync, zstdCompressSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { TAR_END, tarHeader, tarPadding } from '../core/cache/env-tarball-tar-writer.ts';
import type { CacheServiceV2, CompressionMethod } from './cache-service-v2.ts';
import { putBlob, ResultsServiceError, twirp } from './results-twirp.ts';

/** Entries up to this size are saved here; larger ones by @actions/cache. */
export const SMALL_ENTRY_LIMIT = 8 << 20;

/** The archive @actions/cache would make of the single file `member` (its bytes: `data`). */
export function entryArchive(service: CacheServiceV2, member: string, data: Buffer, method: CompressionMethod, mtimeMs = Date.now()): Buffer {
  const name = relative(service.workspace, member).split(sep).join('/');
  const tar = Buffer.concat([
    tarHeader({ path: name, type: 'file', mode: 0o644, mtime: Math.floor(mtimeMs / 1000), size: data.length }),
    data,
    Buffer.alloc(tarPadding(data.length)),
    TAR_END,
  ]);
  return method === 'gzip' ? gzipSync(tar) : zstdCompressSync(tar, { params: { [zlib.ZSTD_c_checksumFlag]: 1 } });
}

/**
 * Saves the file at `path` as the entry `key` (version `version`), as if @actions/cache had saved
 * it from `member`. `{ ok: false }` with the service's reason when the entry could not be reserved
 * (it exists, writes are refused) or the cache mode forbids writes; a ResultsServiceError when the
 * service or the upload failed.
 */
export async function saveSmallEntry(
  service: CacheServiceV2,
  { key, version, member, path, method }: { key: string; version: string; member: string; path: string; method: CompressionMethod },
  dispatcher?: Dispatcher,
): Promise<{ ok: true; size: number } | { ok: false; reason: string }> {
  if (!service.write) return { ok: false, reason: 'the runner\'s cache mode does not permit writes' };
  const archive = entryArchive(service, member, readFileSync(path), method, statSync(path).mtimeMs);
  const created = await twirp(service, 'CacheService/CreateCacheEntry', { key, version }, dispatcher);
  if (!created.ok || typeof created.signed_upload_url !== 'string') {
    return { ok: false, reason: typeof created.message === 'string' && created.message !== '' ? created.message : `unable to reserve the entry ${key}; another job may be creating it` };
  }
  await putBlob(created.signed_upload_url, archive, 'application/octet-stream', 'the cache entry', dispatcher);
  const finalized = await twirp(service, 'CacheService/FinalizeCacheEntryUpload', { key, version, size_bytes: String(archive.length) }, dispatcher);
  if (!finalized.ok) throw new ResultsServiceError(`the cache service did not finish the entry: ${typeof finalized.message === 'string' ? finalized.message : 'no reason given'}`);
  return { ok: true, size: archive.length };
}
