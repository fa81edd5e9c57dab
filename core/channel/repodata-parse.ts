// Reads the text of a repodata.json once into its parts, leaving each package entry as the raw
// object JSON.parse made (the index reads records lazily with readPackageRecord). `packages.conda`
// entries come first; a `.tar.bz2` entry is dropped when a `.conda` file of the same stem exists,
// as conda does.

import { ChannelError } from './errors.ts';

/** One repodata entry: its file name (the key) and the raw record object. */
export type RawPackageEntry = [fn: string, raw: unknown];

export interface ParsedRepodata {
  /** The `info` object (`subdir`, `base_url`, …); `{}` when absent. */
  info: Record<string, unknown>;
  /** `repodata_version` (2 means package URLs are relative to `info.base_url`); undefined when absent. */
  repodataVersion: number | undefined;
  packages: RawPackageEntry[];
  /** File names listed under `removed`. */
  removed: string[];
}

export interface RepodataWhere {
  /** Redacted URL the content came from. */
  url: string;
  /** The cache file involved, if any. */
  cachePath?: string;
  /** True when the content was read from the cache, false when just downloaded. */
  fromCache: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function malformed(detail: string, where: RepodataWhere, cause?: unknown): ChannelError {
  const cacheNote = where.cachePath
    ? where.fromCache
      ? `; it was read from the cache file ${where.cachePath}: delete that file and fetch again`
      : `; nothing was written to the cache (${where.cachePath})`
    : '';
  return new ChannelError('malformed', `the repodata of ${where.url} is not usable: ${detail}${cacheNote}`, { url: where.url, cachePath: where.cachePath, cause });
}

export function parseRepodata(content: Uint8Array | string, where: RepodataWhere): ParsedRepodata {
  let text = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw malformed(`it is not valid JSON (${(error as Error).message})`, where, error);
  }
  if (!isObject(doc)) throw malformed('it is not a JSON object', where);
  const legacy = doc.packages ?? {};
  const conda = doc['packages.conda'] ?? {};
  if (!isObject(legacy)) throw malformed('"packages" is not an object', where);
  if (!isObject(conda)) throw malformed('"packages.conda" is not an object', where);
  const packages: RawPackageEntry[] = [];
  const condaStems = new Set<string>();
  for (const fn in conda) {
    packages.push([fn, conda[fn]]);
    if (fn.endsWith('.conda')) condaStems.add(fn.slice(0, -'.conda'.length));
  }
  for (const fn in legacy) {
    if (condaStems.size > 0 && fn.endsWith('.tar.bz2') && condaStems.has(fn.slice(0, -'.tar.bz2'.length))) continue;
    packages.push([fn, legacy[fn]]);
  }
  const removed = Array.isArray(doc.removed) ? doc.removed.filter((x): x is string => typeof x === 'string') : [];
  const version = doc.repodata_version;
  return {
    info: isObject(doc.info) ? doc.info : {},
    repodataVersion: typeof version === 'number' ? version : undefined,
    packages,
    removed,
  };
}
