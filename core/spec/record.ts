// Package records as they appear in repodata.json (and conda-meta), read leniently: real repodata is
// messy (missing lists, features as strings, timestamps in seconds or milliseconds, `noarch: true`),
// so only an entry without a usable name, version or build is an error.

import { SpecError } from './errors.ts';

export type NoarchKind = 'python' | 'generic';

export interface PackageRecord {
  name: string;
  version: string;
  build: string;
  build_number: number;
  depends: string[];
  constrains: string[];
  track_features: string[];
  features: string[];
  noarch: NoarchKind | undefined;
  subdir: string | undefined;
  platform: string | undefined;
  /** Milliseconds since the epoch (repodata written in seconds is converted). */
  timestamp: number | undefined;
  md5: string | undefined;
  sha256: string | undefined;
  size: number | undefined;
  license: string | undefined;
  license_family: string | undefined;
  /** File name, e.g. `numpy-1.26.4-py312h0_0.conda`. */
  fn: string;
  url: string | undefined;
  channel: string | undefined;
}

export interface RecordContext {
  /** The key of the entry in repodata (its file name). */
  fn?: string;
  subdir?: string;
  channel?: string;
  /** Where the record came from, for error messages (a file name or URL). */
  source?: string;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v.replaceAll(',', ' ').split(' ').filter((x) => x !== '');
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function specList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Read one repodata entry; throws SpecError only when name, version or build is unusable. */
export function readPackageRecord(raw: unknown, context: RecordContext = {}): PackageRecord {
  const where = `${context.source ? context.source + ': ' : ''}${context.fn ?? 'record'}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(`${where}: a package record must be an object`);
  }
  const r = raw as Record<string, unknown>;
  const name = str(r.name);
  const version = str(r.version);
  const build = str(r.build) ?? str(r.build_string);
  if (!name || !version || build === undefined) {
    const missing = [!name && 'name', !version && 'version', build === undefined && 'build'].filter(Boolean).join(', ');
    throw new SpecError(`${where}: the record has no usable ${missing}; it cannot be used`);
  }
  let noarch: NoarchKind | undefined;
  if (r.noarch === 'python') noarch = 'python';
  else if (r.noarch === 'generic' || r.noarch === true) noarch = 'generic';
  let timestamp = num(r.timestamp);
  if (timestamp !== undefined && timestamp < 1e11) timestamp *= 1000; // seconds → milliseconds, as conda does
  const ext = context.fn?.endsWith('.tar.bz2') ? '.tar.bz2' : '.conda';
  return {
    name: name.toLowerCase(),
    version,
    build,
    build_number: num(r.build_number) ?? 0,
    depends: specList(r.depends),
    constrains: specList(r.constrains),
    track_features: list(r.track_features),
    features: list(r.features),
    noarch,
    subdir: str(r.subdir) ?? context.subdir,
    platform: str(r.platform),
    timestamp,
    md5: str(r.md5),
    sha256: str(r.sha256),
    size: num(r.size),
    license: str(r.license),
    license_family: str(r.license_family),
    fn: context.fn ?? str(r.fn) ?? `${name}-${version}-${build}${ext}`,
    url: str(r.url),
    channel: str(r.channel) ?? context.channel,
  };
}
