// What one run of the action measured, kept in the cache beside the spec file (key
// `env-setup-timings-1-<platform>-<environment key>`), so the next run can compare its stages and
// choose between restoring the environment tarball and installing from the package cache: whichever
// was measured faster. The record carries the latest measurement of each path forward.

import { getData, putData, type CacheStore } from '../core/cache/store.ts';
import { stageTimes } from '../core/timing/stages.ts';
import type { TimingDocument } from '../core/timing/schema.ts';

export interface RunRecord {
  format: 1;
  created: number;
  /** The path that ran: tarball, spec, solve or locked. */
  path: string;
  totalMs: number;
  stages: Record<string, number>;
  /** The latest measured time to restore the environment tarball (download and unpack, scan, relocate). */
  tarballRestoreMs?: number;
  /** The latest measured time to install from the package cache (its restore, extract, verify and link; no downloads). */
  packageInstallMs?: number;
  tarballSize?: number;
}

/** The key of the run record of an environment. */
export function runRecordKey(platform: string, environmentKey: string): string {
  return `env-setup-timings-1-${platform}-${environmentKey}`;
}

export async function readRunRecord(store: CacheStore, key: string): Promise<RunRecord | undefined> {
  try {
    const found = await getData(store, key);
    if (found === undefined) return undefined;
    const record = JSON.parse(found.data.toString('utf8')) as RunRecord;
    return record.format === 1 && typeof record.totalMs === 'number' ? record : undefined;
  } catch {
    return undefined; // a record is a hint: an unreadable one is no record
  }
}

export async function writeRunRecord(store: CacheStore, key: string, record: RunRecord): Promise<void> {
  await putData(store, key, `${JSON.stringify(record)}\n`);
}

/** This run's record, carrying forward the previous record's measurements of the path that did not run. */
export function makeRunRecord(doc: TimingDocument, path: string, previous: RunRecord | undefined, extra: { downloads: number; packageCacheRestoreMs: number; tarballSize: number | undefined }): RunRecord {
  const stages = Object.fromEntries(stageTimes(doc).map((s) => [s.stage, s.ms]));
  const record: RunRecord = { format: 1, created: Date.now(), path, totalMs: doc.totalMs, stages };
  if (previous?.tarballRestoreMs !== undefined) record.tarballRestoreMs = previous.tarballRestoreMs;
  if (previous?.packageInstallMs !== undefined) record.packageInstallMs = previous.packageInstallMs;
  record.tarballSize = extra.tarballSize ?? previous?.tarballSize;
  if (path === 'tarball') {
    record.tarballRestoreMs = (stages['cache restore'] ?? 0) + (stages.scan ?? 0);
  } else if (extra.downloads === 0 && (stages.link ?? 0) > 0) {
    record.packageInstallMs = extra.packageCacheRestoreMs + (stages.extract ?? 0) + (stages.verify ?? 0) + (stages.link ?? 0);
  }
  return record;
}

/** Whether the previous measurements say installing from the package cache beats restoring the tarball, with the reason. */
export function preferPackageCache(previous: RunRecord | undefined): { yes: boolean; reason?: string } {
  if (previous?.tarballRestoreMs === undefined || previous.packageInstallMs === undefined) return { yes: false };
  const t = Math.round(previous.tarballRestoreMs);
  const p = Math.round(previous.packageInstallMs);
  if (p < t) return { yes: true, reason: `installing from the package cache was measured faster (${p} ms) than restoring the environment tarball (${t} ms)` };
  return { yes: false, reason: `restoring the environment tarball was measured faster (${t} ms) than installing from the package cache (${p} ms)` };
}
