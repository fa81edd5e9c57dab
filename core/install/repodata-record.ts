// `info/repodata_record.json`, written into every extracted package as conda writes it: the record
// the package was chosen by (its repodata entry) with the fields it lacks filled from the package's
// own `info/index.json` (conda's `PackageRecord.from_objects(record, index_json)`: the record wins),
// plus `fn`, `url`, `channel` and the archive's `md5`/`sha256`/`size` (those that were computed fill
// what the record lacks, as conda does for a URL-only record). Keys sorted, two-space indent, like
// conda's JSON. URLs never keep a token or password. conda, mamba and rattler read this file to know
// where a cached package came from; env-setup reads it to decide whether a cached folder is the
// package asked for.

import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripCredentials } from '../spec/url-credentials.ts';

/** A repodata_record.json document. */
export type RepodataRecordJson = Record<string, unknown>;

export interface ArchiveIdentity {
  fn: string;
  url: string;
  md5?: string | undefined;
  sha256?: string | undefined;
  size?: number | undefined;
}

/** The conda list fields that repodata writes as strings. */
const STRING_LISTS = new Set(['features', 'track_features']);

function cleanRecord(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null || typeof value === 'function') continue;
    if (STRING_LISTS.has(key) && Array.isArray(value)) {
      if (value.length > 0) out[key] = value.join(' ');
      continue;
    }
    out[key] = value;
  }
  return out;
}

const isUrl = (s: unknown): s is string => typeof s === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** The record to write for `record` (as given to fetchPackages) and the package's index.json. */
export function buildRepodataRecord(record: Readonly<Record<string, unknown>>, indexJson: Readonly<Record<string, unknown>>, archive: ArchiveIdentity): RepodataRecordJson {
  const merged: Record<string, unknown> = { ...cleanRecord(indexJson), ...cleanRecord(record) };
  const url = stripCredentials(archive.url);
  merged.fn = archive.fn;
  merged.url = url;
  merged.channel = isUrl(merged.channel) ? stripCredentials(merged.channel) : url.slice(0, url.lastIndexOf('/'));
  if (merged.md5 === undefined && archive.md5) merged.md5 = archive.md5;
  if (merged.sha256 === undefined && archive.sha256) merged.sha256 = archive.sha256;
  if (merged.size === undefined && archive.size !== undefined) merged.size = archive.size;
  const sorted: RepodataRecordJson = {};
  for (const key of Object.keys(merged).sort()) sorted[key] = merged[key];
  return sorted;
}

/** conda's JSON layout: sorted keys (already), two-space indent, a final newline. */
export function formatRepodataRecord(record: RepodataRecordJson): string {
  return JSON.stringify(record, null, 2) + '\n';
}

export async function writeRepodataRecord(packageDir: string, record: RepodataRecordJson): Promise<void> {
  await writeFile(join(packageDir, 'info', 'repodata_record.json'), formatRepodataRecord(record));
}

/**
 * The repodata_record.json of an extracted package, or undefined when it is missing or unreadable.
 * Read with one synchronous call: a small file, read for every package a run looks at in the cache.
 */
export async function readRepodataRecord(packageDir: string): Promise<RepodataRecordJson | undefined> {
  try {
    const value = JSON.parse(readFileSync(join(packageDir, 'info', 'repodata_record.json'), 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RepodataRecordJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The package's info/index.json (an object), or undefined when it is missing or not JSON. */
export async function readIndexJson(packageDir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await readFile(join(packageDir, 'info', 'index.json'), 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
