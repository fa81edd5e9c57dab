// A cached package's "verified" stamp: the size, modification time and inode of every file its
// info/paths.json lists, taken when the content was known right — just extracted from an archive
// whose sha256 (or md5) was checked, or every file hashed against paths.json's sha256. Reusing the
// folder later compares each file's lstat with the stamp (as git trusts its index): a file changed
// in place — through a hard link in some environment, or by hand — has another mtime, a replaced
// one another inode, so it is caught without reading a byte. A folder without a valid stamp (made by
// conda or mamba, restored from a cache archive, or touched) is hashed file by file once, and
// stamped when every file matches. The limit is git's: a same-size edit that also restores the
// mtime goes unseen.
//
// The stamp lives in the folder (info/env-setup-stamp), so it moves and goes with it; it is binary:
// a magic line, then Float64 triples [size, mtimeMs, ino] in paths.json order (-1s: not stamped,
// e.g. directories).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsBatchPool } from './fs-batch.ts';
import type { ManifestPaths } from './link-package-info.ts';

export const STAMP_FILE = 'info/env-setup-stamp';
const MAGIC = Buffer.from('env-setup-stamp 1\n');

/** The stamp of `dir`, or undefined when there is none or it does not fit `paths`. */
export async function readStamp(dir: string, paths: ManifestPaths): Promise<Float64Array | undefined> {
  let bytes: Buffer;
  try {
    // one synchronous call: a small file, and a promise per call (open, stat, read, close) costs more
    bytes = readFileSync(join(dir, STAMP_FILE));
  } catch {
    return undefined;
  }
  if (bytes.length !== MAGIC.length + paths.length * 24 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const body = bytes.subarray(MAGIC.length);
  // a copy: the Buffer's offset need not be aligned for a Float64Array view
  return new Float64Array(new Uint8Array(body).buffer);
}

/** Stamps `dir`: lstat of every file and link `paths` lists (directories are left out). */
export async function writeStamp(pool: FsBatchPool, dir: string, paths: ManifestPaths): Promise<void> {
  const stamp = await pool.stat(dir, paths.names);
  for (let i = 0; i < paths.length; i++) if (paths.type(i) === 'directory') stamp.fill(-1, 3 * i, 3 * i + 3);
  const tmp = join(dir, `${STAMP_FILE}.${randomUUID()}`);
  try {
    await writeFile(tmp, Buffer.concat([MAGIC, Buffer.from(stamp.buffer, stamp.byteOffset, stamp.byteLength)]));
    await rename(tmp, join(dir, STAMP_FILE));
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Hashes every file of `paths` that paths.json gives a sha256 for: the first whose content differs
 * (or that cannot be read), named, or undefined when all match.
 */
export async function hashProblem(pool: FsBatchPool, dir: string, paths: ManifestPaths): Promise<string | undefined> {
  const files = paths.entries().filter((p) => p.type === 'hardlink');
  const digests = files.map((p) => (typeof p.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(p.sha256) ? p.sha256.toLowerCase() : ''));
  const bad = await pool.hash(
    dir,
    files.map((p) => p.path),
    digests,
    files.map((p) => p.size ?? 0),
  );
  if (bad === undefined) return undefined;
  const path = files[bad.index]!.path;
  return bad.actual === null ? `${path} cannot be read` : `${path} has sha256 ${bad.actual} instead of ${digests[bad.index]}`;
}
