// Packs an installed prefix into an environment tarball (`.tar.zst`, layout in env-tarball-format.ts):
//
//   const packed = await packEnvironment({ prefix: '/home/u/envs/work', output: '/tmp/x.tar.zst', platform: 'linux-64' });
//
// The prefix lock is held while packing (a transaction running in it is waited for; one that was
// interrupted is finished or rolled back first), so the archive is never a half-changed
// environment. The walk is sorted and the headers hold nothing but the files' own facts, so the same
// prefix gives the same bytes. Files linked to each other inside the prefix (one inode, several
// names) are stored once, the other names as tar hard links. The archive is written next to
// `output` and renamed into place, so `output` is either absent or complete. Span: `cache.pack`.

import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createZstdCompress } from 'node:zlib';
import { Tracer } from '../timing/tracer.ts';
import { journalPaths, recoverJournal } from '../install/link-journal.ts';
import { lockPrefix, tidyPrefix, type PrefixLockOptions } from '../install/prefix-lock.ts';
import { EnvTarballError } from './env-tarball-errors.ts';
import { ENV_TARBALL_FORMAT_VERSION, isTransientPath, MANIFEST_FORMAT, MANIFEST_MEMBER, type EnvTarballManifest } from './env-tarball-format.ts';
import { TAR_END, tarHeader, tarPadding, type TarWriteEntry } from './env-tarball-tar-writer.ts';

export interface PackOptions {
  /** The installed environment. */
  prefix: string;
  /** Where the archive goes (`<key>.tar.zst`); its folder must exist. */
  output: string;
  /** The conda subdir the environment is for (`linux-64`). */
  platform: string;
  /** Kept in the manifest (cache key parts, versions). Never put secrets here. */
  meta?: Readonly<Record<string, string>>;
  /** zstd level, default 3 (fast; the archive is about the size of the packages' own). */
  level?: number;
  lock?: PrefixLockOptions;
  tracer?: Tracer;
  signal?: AbortSignal;
}

export interface PackResult {
  archive: string;
  manifest: EnvTarballManifest;
  /** Size of the archive. */
  compressedBytes: number;
  /** Extra names of inodes stored once (tar hard links). */
  hardlinks: number;
  /** Paths left out because they are neither files, folders nor links (sockets, FIFOs, devices). */
  skipped: string[];
}

interface Member extends TarWriteEntry {
  /** Absolute path (files: where the content is read from). */
  abs: string;
}

const CHUNK = 1 << 20;

/** Packs `options.prefix` into `options.output` (see the header). */
export async function packEnvironment(options: PackOptions): Promise<PackResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  const prefix = resolve(options.prefix);
  return tracer.span('cache.pack', async (span) => {
    if (!existsSync(join(prefix, 'conda-meta'))) {
      throw new EnvTarballError('prefix', `${prefix} is not a conda environment (it has no conda-meta folder): nothing to pack`, { file: prefix });
    }
    const lock = await lockPrefix(prefix, options.lock);
    try {
      if (existsSync(journalPaths(prefix).journal)) await recoverJournal(prefix);
      const { members, skipped, hardlinks } = walkPrefix(prefix);
      const files = members.filter((m) => m.type === 'file');
      const manifest: EnvTarballManifest = {
        format: MANIFEST_FORMAT,
        version: ENV_TARBALL_FORMAT_VERSION,
        prefix,
        platform: options.platform,
        files: files.length,
        entries: members.length,
        bytes: files.reduce((n, m) => n + m.size, 0),
        meta: { ...options.meta },
      };
      const output = resolve(options.output);
      const temp = join(dirname(output), `.${randomBytes(6).toString('hex')}.packing`);
      const compress = createZstdCompress({
        params: { [zlibConstants.ZSTD_c_compressionLevel]: options.level ?? 3, [zlibConstants.ZSTD_c_checksumFlag]: 1 },
      });
      try {
        await pipeline(Readable.from(tarStream(manifest, members), { objectMode: false }), compress, createWriteStream(temp), { signal: options.signal });
        await rename(temp, output);
      } catch (error) {
        await rm(temp, { force: true });
        throw error instanceof EnvTarballError ? error : new EnvTarballError('io', `cannot write the environment tarball ${output}: ${(error as Error).message}`, { cause: error });
      }
      const compressedBytes = (await stat(output)).size;
      span.addAttributes({ prefix, files: manifest.files, entries: manifest.entries, bytes: manifest.bytes, compressedBytes });
      return { archive: output, manifest, compressedBytes, hardlinks, skipped };
    } finally {
      await lock.release();
      await tidyPrefix(prefix, undefined);
    }
  });
}

/** Every member in archive order: conda-meta first, then the rest; each folder before its contents, names sorted. */
function walkPrefix(prefix: string): { members: Member[]; skipped: string[]; hardlinks: number } {
  const members: Member[] = [];
  const skipped: string[] = [];
  const inodes = new Map<string, string>();
  let hardlinks = 0;
  const add = (rel: string, st: Stats): boolean => {
    const abs = join(prefix, rel);
    if (st.isDirectory()) {
      members.push({ path: rel, type: 'dir', mode: st.mode & 0o7777, mtime: 0, size: 0, abs });
      return true;
    }
    if (st.isSymbolicLink()) {
      members.push({ path: rel, type: 'symlink', mode: 0o777, mtime: 0, size: 0, linkpath: readlinkSync(abs), abs });
    } else if (st.isFile()) {
      const inode = st.nlink > 1 ? `${st.dev}:${st.ino}` : undefined;
      const first = inode === undefined ? undefined : inodes.get(inode);
      if (first !== undefined) {
        members.push({ path: rel, type: 'hardlink', mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), size: 0, linkpath: first, abs });
        hardlinks++;
      } else {
        if (inode !== undefined) inodes.set(inode, rel);
        members.push({ path: rel, type: 'file', mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), size: st.size, abs });
      }
    } else skipped.push(rel);
    return false;
  };
  const visit = (rel: string): void => {
    const dir = rel === '' ? prefix : join(prefix, rel);
    const names = readdirSync(dir, { encoding: 'buffer' })
      .map((raw) => {
        const name = raw.toString('utf8');
        // a name that is not UTF-8 cannot be listed in conda-meta, nor be found again by its decoded form
        if (!Buffer.from(name, 'utf8').equals(raw)) {
          const shown = `${rel === '' ? '' : `${rel}/`}${raw.toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
          throw new EnvTarballError('format', `${prefix} cannot be packed: ${shown} has a name that is not valid UTF-8 (rename or remove it to have the environment stored)`, { file: shown });
        }
        return name;
      })
      .sort();
    for (const name of names) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (child === MANIFEST_MEMBER || isTransientPath(child) || (rel === '' && name === 'conda-meta')) continue;
      if (add(child, lstatSync(join(prefix, child)))) visit(child);
    }
  };
  add('conda-meta', lstatSync(join(prefix, 'conda-meta')));
  visit('conda-meta');
  visit('');
  return { members, skipped, hardlinks };
}

/** The tar bytes, in chunks of about a MiB (small members gathered, large files read piece by piece). */
function* tarStream(manifest: EnvTarballManifest, members: readonly Member[]): Generator<Buffer> {
  let parts: Buffer[] = [];
  let pending = 0;
  const push = (b: Buffer): Buffer | undefined => {
    parts.push(b);
    pending += b.length;
    if (pending < CHUNK) return undefined;
    const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    return out;
  };
  const json = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  const first = [tarHeader({ path: MANIFEST_MEMBER, type: 'file', mode: 0o644, mtime: 0, size: json.length }), json, Buffer.alloc(tarPadding(json.length))];
  for (const b of first) push(b);
  for (const m of members) {
    let out = push(tarHeader(m));
    if (out) yield out;
    if (m.type !== 'file' || m.size === 0) continue;
    if (m.size <= 4 * CHUNK) {
      const data = readFileSync(m.abs);
      if (data.length !== m.size) throw changed(m, data.length);
      out = push(data);
    } else {
      const fd = openSync(m.abs, 'r');
      try {
        let done = 0;
        while (done < m.size) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK, m.size - done));
          const n = readSync(fd, buf, 0, buf.length, done);
          if (n === 0) throw changed(m, done);
          done += n;
          out = push(n === buf.length ? buf : buf.subarray(0, n));
          if (out) yield out;
        }
        if (readSync(fd, Buffer.alloc(1), 0, 1, done) !== 0) throw changed(m, done + 1);
      } finally {
        closeSync(fd);
      }
      out = undefined;
    }
    if (out) yield out;
    const padding = tarPadding(m.size);
    if (padding > 0) {
      out = push(Buffer.alloc(padding));
      if (out) yield out;
    }
  }
  push(TAR_END);
  if (pending > 0) yield Buffer.concat(parts, pending);
}

function changed(m: Member, actual: number): EnvTarballError {
  return new EnvTarballError('io', `${m.abs} changed while it was being packed (${m.size} bytes when listed, ${actual} when read): is another process changing the environment?`, { file: m.path });
}
