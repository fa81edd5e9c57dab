// Extracts one package archive into a new folder: a `.conda` (a zip holding `info-*.tar.zst`,
// `pkg-*.tar.zst` and `metadata.json`; each inner tarball is streamed from its place in the zip
// through zstd into the tar writer, with no temporary copy) or a `.tar.bz2` (streamed through the
// bzip2 decoder). The info part goes first, so a package without valid metadata fails early.
// Failures of the zip, zstd, bzip2 or tar layers all become InstallErrors naming the package and,
// where known, the inner archive and entry. The destination is expected to be an empty temporary
// folder: the caller renames it into place only when this resolves (see package-cache.ts).

import { open, stat, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import type { Readable, Transform } from 'node:stream';
import { createZstdDecompress } from 'node:zlib';
import { Bunzip2, Bzip2Error } from './bunzip2-stream.ts';
import { InstallError } from './errors.ts';
import type { ArchiveFormat } from './pkgs-dir.ts';
import { extractTar, PackageTree, type ExtractLimits } from './tar-extract.ts';
import { openZipEntry, pumpStoredEntry, readZipDirectory, ZipFormatError, type ZipEntry } from './zip-directory.ts';

export type { ExtractLimits } from './tar-extract.ts';

export interface ExtractOptions {
  /** The package file name, for messages. */
  what: string;
  /**
   * The archive's bytes were just checked against a sha256 or md5 of its record: the CRC-32s of the
   * .conda's zip entries, which could only find what that found, are not computed again.
   */
  hashVerified?: boolean;
  /** Overrides of the default limits (see defaultLimits). */
  limits?: Partial<ExtractLimits>;
}

export interface ExtractResult {
  format: ArchiveFormat;
  /** What is at a (normalized) path of the extracted package, as written: 'file', 'dir' or 'link'; undefined for nothing. */
  kindOf: (path: string) => 'file' | 'dir' | 'link' | undefined;
  /** Regular files written (hard links included). */
  files: number;
  /** Bytes of file content written. */
  bytes: number;
  /** Entries of every kind. */
  entries: number;
}

const GiB = 1024 ** 3;

/**
 * Limits for an archive of `archiveBytes`: 100 times its size, and never less than 2 GiB; a million
 * entries. Real packages stay far below (zstd and bzip2 rarely reach 10:1 on package contents).
 */
export function defaultLimits(archiveBytes: number): ExtractLimits {
  return { maxUnpackedBytes: Math.max(2 * GiB, 100 * archiveBytes), maxEntries: 1_000_000 };
}

/** Extracts `archive` (a `format` package) into the existing empty folder `dest`. */
export async function extractPackageArchive(archive: string, format: ArchiveFormat, dest: string, options: ExtractOptions): Promise<ExtractResult> {
  const size = (await stat(archive)).size;
  const tree = new PackageTree(dest, options.what, { ...defaultLimits(size), ...options.limits });
  if (format === 'conda') await extractConda(archive, size, tree, options.hashVerified === true);
  else await extractStream(createReadStream(archive, { highWaterMark: 1 << 20 }), [new Bunzip2()], tree, options.what);
  tree.finish();
  return { format, files: tree.files, bytes: tree.bytes, entries: tree.entries, kindOf: (path) => tree.kindOf(path) };
}

function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

async function extractConda(archive: string, size: number, tree: PackageTree, hashVerified: boolean): Promise<void> {
  const fh = await open(archive, 'r');
  try {
    let entries: ZipEntry[];
    try {
      entries = await readZipDirectory(fh, size);
    } catch (error) {
      throw layerError(tree.what, tree.what, error);
    }
    const part = (prefix: 'info-' | 'pkg-'): ZipEntry | undefined => {
      const found = entries.filter((e) => {
        const base = baseName(e.name);
        return base.startsWith(prefix) && base.endsWith('.tar.zst');
      });
      if (found.length > 1) throw new InstallError('corrupt', `${tree.what} holds ${found.length} ${prefix}*.tar.zst parts (${found.map((e) => e.name).join(', ')}); a .conda has one`, { package: tree.what });
      return found[0];
    };
    const info = part('info-');
    const pkg = part('pkg-');
    if (!info) {
      const names = entries.map((e) => e.name).join(', ') || 'nothing';
      throw new InstallError('corrupt', `${tree.what} is not a .conda package: its zip has no info-*.tar.zst part (it holds ${names})`, { package: tree.what });
    }
    for (const entry of pkg ? [info, pkg] : [info]) {
      if (entry.method === 0 && !(entry.flags & 0x1)) {
        await extractStoredEntry(fh, entry, tree, hashVerified);
        continue;
      }
      let raw: Readable;
      try {
        raw = await openZipEntry(fh, archive, entry, { crc: !hashVerified });
      } catch (error) {
        throw layerError(tree.what, entry.name, error);
      }
      await extractStream(raw, [createZstdDecompress({ chunkSize: 1 << 20 })], tree, entry.name);
    }
  } finally {
    await fh.close();
  }
}

/**
 * A stored inner tarball (as every .conda holds them): its bytes are pumped from the file into zstd
 * through reused buffers (pumpStoredEntry), and zstd's output is written out by the tar writer.
 * Whichever fails first is the error: the zip layer (a truncated file, a CRC-32 mismatch), zstd, or
 * tar; after tar's end-of-archive the rest is only read for the CRC-32.
 */
async function extractStoredEntry(fh: FileHandle, entry: ZipEntry, tree: PackageTree, hashVerified: boolean): Promise<void> {
  const zstd = createZstdDecompress({ chunkSize: 1 << 20 });
  // set once the tar side is done (finished or failed): the pump's chunks are no longer wanted
  let tarDone = false;
  // resolves once zstd has read the chunk; false when no more is wanted (tar is done, or zstd failed
  // or was closed: the tar side reports zstd's own errors)
  const deliver = (chunk: Buffer): Promise<boolean> =>
    new Promise((resolve) => {
      if (tarDone || zstd.destroyed) {
        resolve(false);
        return;
      }
      const onClose = () => resolve(false);
      zstd.once('close', onClose);
      zstd.write(chunk, (error) => {
        zstd.off('close', onClose);
        resolve(!error && !tarDone);
      });
    });
  let pumpError: unknown;
  const pumping = pumpStoredEntry(fh, entry, deliver, { crc: !hashVerified }).then(
    () => {
      if (!zstd.destroyed) zstd.end();
    },
    (error: unknown) => {
      pumpError = error;
      zstd.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  try {
    await extractTar(zstd as AsyncIterable<Buffer>, tree, entry.name);
  } catch (error) {
    tarDone = true;
    zstd.destroy();
    await pumping;
    throw layerError(tree.what, entry.name, pumpError ?? error);
  }
  tarDone = true;
  if (!zstd.destroyed) zstd.destroy();
  await pumping;
  if (pumpError !== undefined) throw layerError(tree.what, entry.name, pumpError);
}

/** Pipes `source` through `transforms` into the tar writer; every stream is torn down at the end, however it ends. */
async function extractStream(source: Readable, transforms: Transform[], tree: PackageTree, inner: string): Promise<void> {
  const streams: (Readable | Transform)[] = [source, ...transforms];
  const out = transforms.length > 0 ? transforms[transforms.length - 1]! : source;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]!;
    s.on('error', (error: Error) => {
      if (s !== out) out.destroy(error);
    });
    if (i > 0) streams[i - 1]!.pipe(s as Transform);
  }
  try {
    await extractTar(out as AsyncIterable<Buffer>, tree, inner);
  } catch (error) {
    throw layerError(tree.what, inner, error);
  } finally {
    for (const s of streams) if (!s.destroyed) s.destroy();
  }
}

/** An error from the zip, zstd, bzip2 or file layer, as the InstallError it means. */
function layerError(what: string, inner: string, error: unknown): InstallError {
  if (error instanceof InstallError) return error;
  const where = inner === what ? what : `${what} (${inner})`;
  if (error instanceof ZipFormatError || error instanceof Bzip2Error) {
    return new InstallError(error.truncated ? 'truncated' : 'corrupt', `${where}: ${error.message}`, { package: what, cause: error });
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = (error as Error)?.message ?? String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new InstallError('truncated', `${where}: the zstd data ends early; the archive is truncated`, { package: what, cause: error });
  }
  if (typeof code === 'string' && (code.startsWith('ZSTD_') || code.startsWith('Z_'))) {
    return new InstallError('corrupt', `${where}: the zstd data is damaged (${message})`, { package: what, cause: error });
  }
  return new InstallError('corrupt', `${where} cannot be extracted: ${message}`, { package: what, cause: error });
}
