// The in-process extractor (env-tarball-extract-system.ts is the faster one, used where the system
// has zstd and GNU tar: see env-tarball-system-tools.ts). Extracts an environment tarball — a file,
// or its bytes as they arrive from a download — into an empty folder, path-safe and, when asked,
// checking every file the archive's own conda-meta records list while its bytes pass (the scan
// without reading the files back; see env-tarball-scan.ts for what is checked). A download that
// breaks off is a damaged archive.
//
// The rules of package extraction hold (tar-extract.ts's PackageTree and path-safety.ts): no
// absolute names, no `..`, nothing written through a symbolic link, symbolic links only to relative
// targets that stay inside the folder (checked again for all links together at the end), hard links
// only to an earlier regular file of the archive, no devices or FIFOs. Files get their mode and
// modification time back; folders their mode (kept owner-writable). The first member must be the
// manifest (env-tarball-format.ts), and the archive may not hold more than the manifest declares.
// Decompression runs in the thread pool (env-tarball-zstd.ts); the entries are written with
// synchronous calls on this thread, as package extraction does. Small files are hashed here as they
// pass; large ones (most of the bytes) are read back from the page cache and hashed on the
// file-system worker threads (core/install/fs-batch.ts) in batches, while this thread goes on
// writing — on a machine with a CPU to spare, hashing then costs next to no wall time.

import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import { closeSync, constants as fsConstants, fchmodSync, futimesSync, linkSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { InstallError } from '../install/errors.ts';
import { fsBatchPool } from '../install/fs-batch.ts';
import { hashFile } from '../install/verify.ts';
import { normalizeEntryName, symlinkTargetProblem } from '../install/path-safety.ts';
import { PackageTree } from '../install/tar-extract.ts';
import { TarFormatError, TarReader, type BodyConsumer, type TarEntryHeader } from '../install/tar-reader.ts';
import { damagedTarball, EnvTarballError, unopenableTarball, unreadableTarball } from './env-tarball-errors.ts';
import { isTransientPath, MANIFEST_MEMBER, parseManifest, type EnvTarballManifest } from './env-tarball-format.ts';
import { decompressChunks, decompressFile, ZstdSourceError, ZstdStreamError } from './env-tarball-zstd.ts';
import { expectedFiles, type PrefixRecordFile } from './env-tarball-scan.ts';
import { archiveName, StreamScan, type ExtractEnvironmentOptions, type ExtractEnvironmentResult, type SeenFile } from './env-tarball-stream-scan.ts';

const EMPTY = Buffer.alloc(0);

/**
 * SHA-256 of a body that arrives in chunks, on this thread. Most files arrive in one chunk: those
 * are hashed with one call and no Hash object (making one per file cost more than hashing small
 * files). Handing whole bodies to the thread pool (WebCrypto's digest) was measured and was slower.
 */
class BodyHash {
  #first: Buffer | undefined;
  #hash: Hash | undefined;

  update(chunk: Buffer): void {
    if (this.#hash !== undefined) this.#hash.update(chunk);
    else if (this.#first === undefined) this.#first = chunk;
    else {
      this.#hash = createHash('sha256').update(this.#first).update(chunk);
      this.#first = undefined;
    }
  }

  digest(): string {
    return this.#hash !== undefined ? this.#hash.digest('hex') : hashOnce('sha256', this.#first ?? EMPTY, 'hex');
  }
}

/** Files from this size on are hashed on the workers (below it, the message costs more than the hashing). */
const OFFLOAD_MIN_BYTES = 128 * 1024;
/** Bytes per batch sent to the workers. */
const OFFLOAD_BATCH_BYTES = 16 * 1024 * 1024;

const CREATE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
const UMASK = process.umask();
const MANIFEST_LIMIT = 1 << 20;

/** Extracts `options.archive` into `options.root` (see the header). Damage is EnvTarballError 'corrupt' / 'format' / 'unsafe-path'. */
export async function extractEnvironment(options: ExtractEnvironmentOptions): Promise<ExtractEnvironmentResult> {
  const archive = archiveName(options.archive);
  const what = basename(archive);
  const tree = new PackageTree(options.root, what, { maxUnpackedBytes: MANIFEST_LIMIT, maxEntries: 1 });
  let manifest: EnvTarballManifest | undefined;
  let manifestText: Buffer[] | undefined;
  const records: PrefixRecordFile[] = [];
  let scan: StreamScan | undefined;
  let inCondaMeta = true;
  let openFd: number | undefined;
  let members = 0;
  const pendingHashes: string[] = [];
  // large files hashed on the workers: their facts are filled in when the batch comes back
  const pool = fsBatchPool();
  const offloading = new Set<SeenFile>();
  const hashing: Promise<void>[] = [];
  let batch: { path: string; facts: SeenFile }[] = [];
  let batchBytes = 0;
  const flushHashes = () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    batchBytes = 0;
    hashing.push(
      pool.digests(
        options.root,
        sent.map((b) => b.path),
      ).then((digests) => {
        sent.forEach((b, i) => {
          // unreadable (null): a digest no record has, so the scan names the file
          b.facts.sha256 = digests[i] ?? 'unreadable';
          offloading.delete(b.facts);
        });
      }),
    );
  };

  const corrupt = (entry: string | undefined, problem: string): EnvTarballError => damagedTarball(archive, entry, problem);

  const onEntry = (entry: TarEntryHeader): BodyConsumer | undefined => {
    if (manifest === undefined) return manifestEntry(entry);
    const name = normalizeEntryName(entry.path);
    if (!name.ok) throw new EnvTarballError('unsafe-path', `the environment tarball ${archive} has the entry ${entry.path}, which ${name.reason}; it will not be used`, { file: entry.path });
    const path = name.path;
    if (++members > manifest.entries) throw corrupt(path, `is one more than the ${manifest.entries} members its manifest declares`);
    if (path === '' || isTransientPath(path)) return undefined;
    const condaMeta = path === 'conda-meta' || path.startsWith('conda-meta/');
    if (inCondaMeta && !condaMeta) {
      inCondaMeta = false;
      if (options.scan) scan = new StreamScan(expectedFiles(records));
    } else if (!inCondaMeta && condaMeta) throw corrupt(path, 'comes after the files of the environment, where conda-meta comes first');
    // packing writes each path once; a second one (which package extraction would let replace the first) is damage
    const before = tree.kindOf(path);
    if (before === 'file' || before === 'link') throw corrupt(path, 'appears twice');
    switch (entry.type) {
      case 'Directory':
        tree.ensureDir(path, what);
        tree.setDirMode(path, entry.mode);
        scan?.seen.set(path, { type: 'dir' });
        return undefined;
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        return writeFile(entry, path);
      case 'SymbolicLink':
        writeSymlink(entry, path);
        return undefined;
      case 'Link':
        writeHardLink(entry, path);
        return undefined;
      default:
        throw new EnvTarballError('unsafe-path', `the environment tarball ${archive} has the entry ${path} of type ${entry.type}; an environment holds only files, folders and links`, { file: path });
    }
  };

  const manifestEntry = (entry: TarEntryHeader): BodyConsumer => {
    if (entry.path !== MANIFEST_MEMBER || entry.type !== 'File') {
      throw new EnvTarballError('format', `${archive} is not an env-setup environment tarball (its first member is ${entry.path}, not ${MANIFEST_MEMBER})`, { file: entry.path });
    }
    manifestText = [];
    return (chunk) => {
      if (chunk !== null) {
        manifestText!.push(Buffer.from(chunk));
        return;
      }
      const parsed = parseManifest(Buffer.concat(manifestText!).toString('utf8'));
      if (typeof parsed === 'string') throw new EnvTarballError('format', `${archive} cannot be restored: ${parsed}`, { file: MANIFEST_MEMBER });
      manifest = parsed;
      tree.limits.maxUnpackedBytes = parsed.bytes;
      tree.limits.maxEntries = parsed.entries;
    };
  };

  const writeFile = (entry: TarEntryHeader, path: string): BodyConsumer => {
    tree.bytes += entry.size;
    if (tree.bytes > tree.limits.maxUnpackedBytes) throw corrupt(path, `takes the content past the ${tree.limits.maxUnpackedBytes} bytes its manifest declares`);
    const abs = tree.prepare(path, what);
    const mode = (entry.mode ?? 0o644) & 0o7777;
    const fd = openSync(abs, CREATE_FLAGS, mode & 0o777);
    openFd = fd;
    tree.set(path, 'file');
    tree.files++;
    const want = scan?.expected.get(path);
    const offload = want?.sha256 !== undefined && pool.size > 0 && entry.size >= OFFLOAD_MIN_BYTES;
    const hash = want?.sha256 !== undefined && !offload ? new BodyHash() : undefined;
    const record: Buffer[] | undefined = options.scan && inCondaMeta && /^conda-meta\/[^/]+\.json$/.test(path) ? [] : undefined;
    const mtime = entry.mtime;
    let size = 0;
    return (chunk) => {
      if (chunk !== null) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off);
        hash?.update(chunk);
        record?.push(Buffer.from(chunk));
        size += chunk.length;
        return;
      }
      openFd = undefined;
      try {
        if ((mode & ~UMASK) !== mode) fchmodSync(fd, mode);
        if (mtime !== undefined) futimesSync(fd, mtime, mtime);
      } finally {
        closeSync(fd);
      }
      if (hash !== undefined || offload) scan!.bytes += size;
      if (offload) {
        const facts: SeenFile = { type: 'file', size };
        scan!.seen.set(path, facts);
        offloading.add(facts);
        batch.push({ path, facts });
        if ((batchBytes += size) >= OFFLOAD_BATCH_BYTES) flushHashes();
      } else scan?.seen.set(path, { type: 'file', size, sha256: hash?.digest() });
      if (record !== undefined) {
        try {
          const json: unknown = JSON.parse(Buffer.concat(record).toString('utf8'));
          if (json !== null && typeof json === 'object' && !Array.isArray(json)) records.push({ file: path.slice('conda-meta/'.length), json: json as Record<string, unknown> });
        } catch {
          // not a record: it lists nothing to check
        }
      }
    };
  };

  const writeSymlink = (entry: TarEntryHeader, path: string): void => {
    const target = entry.linkpath ?? '';
    const problem = symlinkTargetProblem(path, target);
    if (problem) throw new EnvTarballError('unsafe-path', `the environment tarball ${archive}: ${path} ${problem.replace('outside the package', 'outside the environment')}; it will not be used`, { file: path });
    symlinkSync(target, tree.prepare(path, what));
    tree.set(path, 'link');
    tree.links.add(path, target);
    scan?.seen.set(path, { type: 'softlink' });
  };

  const writeHardLink = (entry: TarEntryHeader, path: string): void => {
    const target = entry.linkpath === undefined ? undefined : normalizeEntryName(entry.linkpath);
    if (target === undefined || !target.ok || tree.kindOf(target.path) !== 'file') {
      throw new EnvTarballError('unsafe-path', `the environment tarball ${archive}: ${path} is a hard link to ${entry.linkpath ?? 'nothing'}, which is not an earlier file of the archive; it will not be used`, { file: path });
    }
    if (target.path === path) return;
    linkSync(tree.abs(target.path), tree.prepare(path, what));
    tree.set(path, 'file');
    const facts = scan?.seen.get(target.path);
    if (scan !== undefined && facts !== undefined) {
      // a name to check whose twin was not hashed (nothing listed it) is hashed once extraction is over
      // (one being hashed on a worker shares its facts, which the batch fills in)
      if (scan.expected.get(path)?.sha256 !== undefined && facts.sha256 === undefined && !offloading.has(facts)) pendingHashes.push(path);
      else scan.seen.set(path, facts);
    }
  };

  const reader = new TarReader(onEntry, { maxMetaSize: MANIFEST_LIMIT });
  try {
    // read to the end even after the end-of-archive marker: the zstd checksum comes last
    const chunks = typeof options.archive === 'string' ? decompressFile(options.archive, options.signal) : decompressChunks(options.archive.chunks, options.signal, options.archive.cancel);
    for await (const chunk of chunks) reader.write(chunk);
    reader.end();
    if (manifest === undefined) throw new EnvTarballError('format', `${archive} is not an env-setup environment tarball (it has no manifest)`);
    if (!reader.eof) throw corrupt(undefined, 'ends without the end-of-archive marker');
    if (members !== manifest.entries) throw corrupt(undefined, `has ${members} members where its manifest declares ${manifest.entries}`);
    tree.finish();
    flushHashes();
    await Promise.all(hashing);
  } catch (error) {
    // nothing may still be reading the folder when the caller removes it
    await Promise.allSettled(hashing);
    throw asTarballError(error, archive, corrupt);
  } finally {
    if (openFd !== undefined) closeSync(openFd);
  }
  if (options.scan && scan === undefined) scan = new StreamScan(expectedFiles(records));
  if (scan !== undefined) {
    for (const path of pendingHashes) {
      const facts = await hashFile(tree.abs(path), ['sha256']);
      scan.bytes += facts.size;
      scan.seen.set(path, { type: 'file', size: facts.size, sha256: facts.sha256 });
    }
  }
  return { manifest: manifest!, files: tree.files, bytes: tree.bytes, scan };
}

function asTarballError(error: unknown, archive: string, corrupt: (entry: string | undefined, problem: string) => EnvTarballError): EnvTarballError {
  if (error instanceof EnvTarballError) return error;
  if (error instanceof TarFormatError) return corrupt(error.entry, error.message);
  if (error instanceof InstallError) return new EnvTarballError(error.kind === 'unsafe-path' ? 'unsafe-path' : 'corrupt', `the environment tarball ${archive}: ${error.message}; it will not be used`, { file: error.file, cause: error });
  if (error instanceof ZstdStreamError) return corrupt(undefined, `cannot be decompressed (${error.message})`);
  if (error instanceof ZstdSourceError) return unreadableTarball(archive, error);
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && e.path === archive) return unopenableTarball(archive, e);
  return new EnvTarballError('io', `cannot restore ${archive}: ${e.message}`, { cause: error });
}
