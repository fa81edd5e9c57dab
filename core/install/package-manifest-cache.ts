// A compact copy of an extracted package's manifest (what link-package-info.ts reads from
// info/index.json, info/link.json and info/paths.json, already checked: clean paths, no duplicates),
// kept in the folder as info/env-setup-manifest so that reusing a cached package does not parse
// paths.json again. A big package's paths.json is megabytes of JSON (a scientific stack's are 9 MB
// in all): parsing it and building its objects was the main thread's largest cost in a warm install.
//
// The copy is trusted while the three files it was made from keep the size, modification time and
// inode they had (as the folder's stamp trusts the package's files, package-stamp.ts); otherwise,
// or when it is missing or unreadable, the JSON files are read as before and the copy made again.
// It is only ever a cache: a copy that cannot be written (a read-only package cache) costs the
// parse next time.
//
// Layout: a magic line; a u32 length and a JSON header (fingerprints, the package's scalars,
// index.json as text, placeholders); a u32 length and the paths joined by NUL; a u32 length and
// the sha256 hex digests joined (64 characters each, zeros where there is none); then per path one
// flags byte (link-package-info.ts PATH_FLAG), and a Float64 size and a u16 placeholder number.
// Decoding gives the columns of ManifestPaths: the paths split from one string, the digests and
// flags as views of the file's bytes, the sizes and numbers as aligned copies — no object per path.

import { randomUUID } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestPaths, PATH_FLAG, readPackageInfo, readPackageInfoFromPathsJson, type PackageInfo } from './link-package-info.ts';

export const MANIFEST_FILE = 'info/env-setup-manifest';
const MAGIC = Buffer.from('env-setup-manifest 1\n');
const SOURCES = ['info/paths.json', 'info/index.json', 'info/link.json'] as const;

const NONE = 0xffff;

interface Header {
  /** [size, mtimeMs, ino] of each of SOURCES, -1s for an absent one. */
  sources: number[];
  name: string;
  version: string;
  build: string;
  buildNumber: number;
  noarch: PackageInfo['noarch'] | null;
  entryPoints: string[];
  index: string;
  placeholders: string[];
  count: number;
}

/** [size, mtimeMs, ino] of each of SOURCES (synchronous calls: see readPackageInfoCached). */
function fingerprint(dir: string): number[] {
  const out: number[] = [];
  for (const f of SOURCES) {
    const s = lstatSync(join(dir, f), { throwIfNoEntry: false });
    if (s === undefined) out.push(-1, -1, -1);
    else out.push(s.size, s.mtimeMs, s.ino);
  }
  return out;
}

/** A file's bytes, or undefined when it cannot be read. */
function readSmallFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function decode(bytes: Buffer, dir: string, now: readonly number[]): PackageInfo | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  let at = MAGIC.length;
  const take = (): [number, number] => {
    const len = bytes.readUInt32LE(at);
    const start = at + 4;
    at = start + len;
    if (at > bytes.length) throw new Error('short');
    return [start, at];
  };
  const [h0, h1] = take();
  const header = JSON.parse(bytes.toString('utf8', h0, h1)) as Header;
  if (header.sources.length !== now.length || header.sources.some((v, i) => v !== now[i])) return undefined;
  const n = header.count;
  const [p0, p1] = take();
  const names = n === 0 ? [] : bytes.toString('utf8', p0, p1).split('\0');
  const [s0, s1] = take();
  if (names.length !== n || s1 - s0 !== n * 64) return undefined;
  // the columns stay views of the file's bytes (the digests, the flags) or aligned copies
  const digests = bytes.subarray(s0, s1);
  const flags = bytes.subarray(at, at + n);
  at += n;
  at += (8 - (at % 8)) % 8;
  if (at + n * 10 !== bytes.length) return undefined;
  const sizes = new Float64Array(new Uint8Array(bytes.subarray(at, at + n * 8)).buffer);
  const marks = new Uint16Array(new Uint8Array(bytes.subarray(at + n * 8, at + n * 10)).buffer);
  for (let i = 0; i < n; i++) if (flags[i]! & PATH_FLAG.placeholder && marks[i]! >= header.placeholders.length) return undefined;
  return {
    dir,
    dist: `${header.name}-${header.version}-${header.build}`,
    name: header.name,
    version: header.version,
    build: header.build,
    buildNumber: header.buildNumber,
    noarch: header.noarch ?? undefined,
    entryPoints: header.entryPoints,
    paths: new ManifestPaths(names, flags, sizes, digests, marks, header.placeholders),
    index: JSON.parse(header.index) as Record<string, unknown>,
  };
}

function encode(info: PackageInfo, sources: number[]): Buffer {
  const { paths } = info;
  const n = paths.length;
  if (paths.oddDigests !== undefined && paths.oddDigests.size > 0) throw new Error('a sha256 that is not 64 hex digits is kept only in paths.json');
  if (paths.placeholders.length >= NONE) throw new Error('too many placeholders');
  const marks = Uint16Array.from(paths.marks);
  const header: Header = {
    sources,
    name: info.name,
    version: info.version,
    build: info.build,
    buildNumber: info.buildNumber,
    noarch: info.noarch ?? null,
    entryPoints: info.entryPoints,
    index: JSON.stringify(info.index),
    placeholders: [...paths.placeholders],
    count: n,
  };
  const block = (b: Buffer): Buffer[] => {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return [len, b];
  };
  const parts = [MAGIC, ...block(Buffer.from(JSON.stringify(header))), ...block(Buffer.from(paths.names.join('\0'))), ...block(Buffer.from(paths.digests)), Buffer.from(paths.flags)];
  const length = parts.reduce((s, b) => s + b.length, 0);
  parts.push(Buffer.alloc((8 - (length % 8)) % 8));
  parts.push(Buffer.from(new Float64Array(paths.sizes).buffer), Buffer.from(marks.buffer));
  return Buffer.concat(parts);
}

/**
 * Writes the compact copy of `info` into `dir`; `sources` is the fingerprint of its JSON files taken
 * before they were read. A failure is only a missed cache. (Paths never hold a NUL, the separator:
 * link-package-info.ts refuses such a manifest.)
 */
async function writeManifestCopy(dir: string, info: PackageInfo, sources: number[]): Promise<void> {
  const tmp = join(dir, `${MANIFEST_FILE}.${randomUUID()}`);
  try {
    await writeFile(tmp, encode(info, sources));
    await rename(tmp, join(dir, MANIFEST_FILE));
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * readPackageInfoFromPathsJson (or, with `oldManifest`, readPackageInfo) through the compact copy:
 * from it when it fits, else from the JSON files, leaving a fresh copy behind for next time. The
 * copy and the fingerprint are read with synchronous calls: a few small files of the package cache,
 * where a promise per call (open, stat, read, close) cost this thread several times more.
 */
export async function readPackageInfoCached(dir: string, what: string, oldManifest = false): Promise<PackageInfo | undefined> {
  const sources = fingerprint(dir);
  const bytes = readSmallFile(join(dir, MANIFEST_FILE));
  if (bytes !== undefined) {
    try {
      const copy = decode(bytes, dir, sources);
      if (copy !== undefined) return copy;
    } catch {
      // unreadable: made again below
    }
  }
  const info = oldManifest ? await readPackageInfo(dir, what) : await readPackageInfoFromPathsJson(dir, what);
  // old packages (no paths.json) are small and their types come from the files: not copied
  if (info !== undefined && sources[0] !== -1) await writeManifestCopy(dir, info, sources);
  return info;
}
