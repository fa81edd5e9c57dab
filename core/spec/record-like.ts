// The shape of a package record as match specs read it: repodata.json fields, all but name optional.

import type { Version } from './version.ts';

export interface RecordLike {
  name: string;
  /** The version text, or an already parsed Version (the index passes parsed ones). */
  version: string | Version;
  build?: string;
  build_number?: number;
  channel?: string | null;
  subdir?: string;
  md5?: string;
  sha256?: string;
  license?: string;
  license_family?: string;
  track_features?: string | readonly string[];
  features?: string | readonly string[];
  fn?: string;
  url?: string;
  flags?: readonly string[];
}

/** `track_features` / `features` as a list: repodata writes them space- or comma-separated. */
export function recordFeatures(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return value.map((x) => x.trim()).filter((x) => x !== '');
  return value.replaceAll(',', ' ').split(' ').filter((x) => x !== '');
}
