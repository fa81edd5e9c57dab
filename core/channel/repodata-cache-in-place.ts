// A warm run's way into a cached repodata entry without reading it whole: the decompressed copy
// (`<key>.json`: the copy kept beside a `.json.zst`, or the data file itself when the server sent
// JSON) is opened, checked against the stored table (its size, then the table's fingerprint, from
// 32 sampled ranges), and handed to RepodataPackages, which reads only the entries the solve asks
// for. Should the copy turn out damaged while being read, `recoverFromReceived` reads the file as
// received (decompressing the .zst synchronously: the solver is waiting on that name), checks it
// against the same fingerprint, drops the copy and writes it again in the background.

import { readFileSync, rmSync } from 'node:fs';
import { zstdDecompressSync } from 'node:zlib';
import type { Tracer } from '../timing/tracer.ts';
import { RepodataCopyFile } from './repodata-copy-file.ts';
import { dataPath, type CacheEntryPaths, type RepodataCache, type RepodataCacheState } from './repodata-cache.ts';
import type { RecoverContent } from './repodata-packages.ts';
import { malformedRepodata, type RepodataTable } from './repodata-scan.ts';
import { contentFingerprint, decodeTable } from './repodata-table-file.ts';
import { zstdChunkSize } from './zstd.ts';

export interface InPlaceEntry {
  copy: RepodataCopyFile;
  table: RepodataTable;
  /** The fingerprint of the copy, which the table matched. */
  fingerprint: string;
}

/**
 * The entry's copy opened for reading in place, with its table; or, when a copy of the right size is
 * there but the table does not describe it, the copy's fingerprint (so the caller need not try that
 * table against the same bytes again); or nothing when there is no usable copy.
 */
export function openInPlace(paths: CacheEntryPaths, state: RepodataCacheState, tableFile: Buffer | undefined, tracer: Tracer): { entry?: InPlaceEntry; triedFingerprint?: string } {
  if (tableFile === undefined || state.size === 0) return {};
  return tracer.span('repodata.copy.open', (span) => {
    const copy = RepodataCopyFile.open(paths.data, state.size, (bytes) => tracer.counter('repodata.bytes.read', bytes));
    if (copy === undefined) {
      span.addAttributes({ usable: false, reason: 'absent or of another size' });
      return {};
    }
    let fingerprint: string;
    try {
      fingerprint = contentFingerprint(copy);
    } catch {
      copy.close();
      span.addAttributes({ usable: false, reason: 'unreadable' });
      return {};
    }
    const table = tracer.span('repodata.table.read', () => decodeTable(tableFile, copy, fingerprint));
    if (table === undefined) {
      copy.close();
      span.addAttributes({ usable: false, reason: 'the table does not describe it' });
      return { triedFingerprint: fingerprint };
    }
    span.addAttributes({ usable: true, size: copy.length });
    return { entry: { copy, table, fingerprint } };
  });
}

/** Reads the entry's file as received instead of a copy that turned out damaged (see the header). */
export function recoverFromReceived(cache: RepodataCache, paths: CacheEntryPaths, state: RepodataCacheState, fingerprint: string, tracer: Tracer): RecoverContent {
  return () => {
    const storedPath = dataPath(paths, state.stored);
    const where = { url: state.url, cachePath: storedPath, fromCache: true };
    tracer.counter('repodata.copy.damaged');
    // a damaged copy of a .zst is dropped; when the JSON came as is, the copy *is* the data file, and
    // it is read whole below, where damage is reported as malformed repodata naming the file
    if (state.stored === 'zst') rmSync(paths.data, { force: true });
    let content: Buffer;
    try {
      const raw = readFileSync(storedPath);
      content = state.stored === 'zst' ? zstdDecompressSync(raw, { chunkSize: zstdChunkSize(raw) }) : raw;
    } catch (error) {
      throw malformedRepodata(`the cache file cannot be read (${(error as Error).message})`, where, error);
    }
    tracer.counter('repodata.bytes.read', content.length);
    if (contentFingerprint(content) !== fingerprint) {
      throw malformedRepodata('it was replaced while being read (another process refreshed the cache); run again', where);
    }
    if (state.stored === 'zst') cache.writeCopyLater(paths, content);
    return { content, where };
  };
}
