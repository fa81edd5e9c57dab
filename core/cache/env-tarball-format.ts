// The environment tarball's layout, shared by packing and restoring: a zstd-compressed tar (the
// zstd frame carries a content checksum, so damage is found while decompressing) whose first member
// is a small JSON manifest, then `conda-meta/` (so a restore knows every record before the files
// arrive), then everything else of the prefix in sorted order, folders before their contents.
//
//   .env-setup-environment.json   { format, version, prefix, platform, files, entries, bytes, meta }
//
// Entries keep their type (file, folder, symbolic link, hard link to an earlier member of the same
// inode) and permission bits; owners are zero and unnamed. Files keep their modification time in
// whole seconds: a `.pyc` file stores its source's mtime and size, and Python ignores (and rewrites)
// the pyc when they differ, so normalising mtimes would turn every restore into a recompile.
// Folders and links get mtime 0. The same prefix therefore always packs to the same bytes, and a
// restored prefix packs again to the archive it came from.
//
// env-setup's own transient state (`conda-meta/.env-setup`: the prefix lock, the transaction
// journal and its backups) is never packed, nor anything but files, folders and links.

import { STATE_DIR } from '../install/link-journal.ts';

/**
 * The layout version: part of the tarball's cache key (cache-keys.ts `tarballKey` formatVersion),
 * so a tarball written by a version with another layout is never restored.
 */
export const ENV_TARBALL_FORMAT_VERSION = 1;

/** The archive's first member. It is never written into a restored prefix. */
export const MANIFEST_MEMBER = '.env-setup-environment.json';

export const MANIFEST_FORMAT = 'env-setup-environment';

export interface EnvTarballManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  /** The absolute path the environment was installed at: what its files hold. */
  prefix: string;
  /** The conda subdir it was installed for (`linux-64`). */
  platform: string;
  /** Regular files (hard links to an earlier member not counted). */
  files: number;
  /** Every member after the manifest. */
  entries: number;
  /** Bytes of file content. */
  bytes: number;
  /** What the caller asked to keep with it (cache key parts, versions); never secrets. */
  meta: Record<string, string>;
}

/** Whether a prefix-relative path is env-setup's transient state, which is never packed. */
export function isTransientPath(rel: string): boolean {
  return rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`);
}

/** Reads and checks a manifest member; a problem is described in the returned string. */
export function parseManifest(text: string): EnvTarballManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `its manifest is not JSON (${(error as Error).message})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'its manifest is not a JSON object';
  const m = value as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) return `its manifest has the format "${String(m.format)}", not "${MANIFEST_FORMAT}"`;
  if (m.version !== ENV_TARBALL_FORMAT_VERSION) return `it has layout version ${String(m.version)}; this env-setup reads version ${ENV_TARBALL_FORMAT_VERSION}`;
  if (typeof m.prefix !== 'string' || !m.prefix.startsWith('/')) return 'its manifest has no absolute prefix';
  if (typeof m.platform !== 'string') return 'its manifest has no platform';
  for (const key of ['files', 'entries', 'bytes'] as const) if (typeof m[key] !== 'number') return `its manifest has no "${key}" count`;
  const meta = m.meta !== null && typeof m.meta === 'object' && !Array.isArray(m.meta) ? (m.meta as Record<string, unknown>) : {};
  return {
    format: MANIFEST_FORMAT,
    version: ENV_TARBALL_FORMAT_VERSION,
    prefix: m.prefix,
    platform: m.platform,
    files: m.files as number,
    entries: m.entries as number,
    bytes: m.bytes as number,
    meta: Object.fromEntries(Object.entries(meta).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}
