// Writes the entries of a plain (already decompressed) tar stream into a package folder, refusing
// anything unsafe: names that are absolute or hold `..`, entries written through a symbolic link,
// symbolic links that point outside the folder (checked again for the whole package in
// `PackageTree.finish`), hard links to anything but a regular file of the same package, and
// device files / FIFOs. Modes are kept (without setuid/setgid/sticky; folders stay owner-writable
// so the cache can be cleaned); symbolic links are made as links. A damaged or truncated stream is a
// clear InstallError naming the package, the inner archive and, where there is one, the entry.
//
// Entries are read by tar-reader.ts (headers decoded as `tar` from npm does) and written with
// synchronous file calls: each entry is small and the writes land in the page cache, and this is
// several times faster than a promise per write; extraction of 8000 small files runs at the speed
// of `zstd -dc | tar -x` (bench/install-fetch.ts). The sizes headers declare are counted against
// the package's limits before a byte is written, so an archive that claims to unpack to terabytes
// is refused at its first header.

import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  copyFileSync,
  fchmodSync,
  linkSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { InstallError, type InstallErrorKind } from './errors.ts';
import { LinkTree, normalizeEntryName, symlinkTargetProblem } from './path-safety.ts';
import { TarFormatError, TarReader, type BodyConsumer, type TarEntryHeader } from './tar-reader.ts';

/** What one package may unpack to: more is refused as a zip bomb (InstallError 'too-large'). */
export interface ExtractLimits {
  /** Bytes of file content in all. */
  maxUnpackedBytes: number;
  /** Entries (files, folders, links) in all. */
  maxEntries: number;
}

type NodeKind = 'file' | 'dir' | 'link';

const UMASK = process.umask();
const CREATE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
const META_LIMIT = 1 << 20;

/** One package folder being filled (from one tar, or the info and pkg tars of a .conda). */
export class PackageTree {
  readonly root: string;
  /** The package file name, for messages. */
  readonly what: string;
  readonly limits: ExtractLimits;
  readonly #nodes = new Map<string, NodeKind>();
  readonly #dirModes = new Map<string, number>();
  readonly links = new LinkTree();
  files = 0;
  bytes = 0;
  entries = 0;

  constructor(root: string, what: string, limits: ExtractLimits) {
    this.root = root;
    this.what = what;
    this.limits = limits;
    this.#nodes.set('', 'dir');
  }

  /** After every tar: the whole-package link check, then folder modes. */
  finish(): void {
    const escape = this.links.findEscape();
    if (escape) {
      throw new InstallError('unsafe-path', `${this.what}: the symbolic link ${escape.path} -> ${escape.target} leads outside the package through other links of the package`, {
        package: this.what,
        file: escape.path,
      });
    }
    for (const [path, mode] of this.#dirModes) chmodSync(this.abs(path), (mode & 0o777) | 0o700);
  }

  /** The absolute path of a normalized entry path (plain concatenation: the hot path of small files). */
  abs(path: string): string {
    return `${this.root}/${path}`;
  }

  kindOf(path: string): NodeKind | undefined {
    return this.#nodes.get(path);
  }

  /** Makes `path` and its missing ancestors as folders (`entry` names the archive entry in errors). */
  ensureDir(path: string, inner: string, entry = path): void {
    if (this.#nodes.get(path) === 'dir') return;
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      const kind = this.#nodes.get(p);
      if (kind === 'dir') continue;
      if (kind === 'link') throw this.error('unsafe-path', inner, entry, `is written through the symbolic link ${p}`);
      if (kind === 'file') {
        rmSync(this.abs(p), { force: true });
        this.#nodes.delete(p);
      }
      mkdirSync(this.abs(p));
      this.#nodes.set(p, 'dir');
    }
  }

  /** Clears `path` for a new entry (tar semantics: a later entry replaces an earlier one). */
  prepare(path: string, inner: string): string {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    this.ensureDir(parent, inner, path);
    const existing = this.#nodes.get(path);
    const abs = this.abs(path);
    if (existing === 'dir') throw this.error('corrupt', inner, path, 'replaces a folder of the same name');
    if (existing !== undefined) {
      unlinkSync(abs);
      this.#nodes.delete(path);
      if (existing === 'link') this.links.delete(path);
    }
    return abs;
  }

  set(path: string, kind: NodeKind): void {
    this.#nodes.set(path, kind);
  }

  setDirMode(path: string, mode: number | undefined): void {
    if (mode !== undefined && path !== '') this.#dirModes.set(path, mode);
  }

  error(kind: InstallErrorKind, inner: string, entry: string | undefined, problem: string): InstallError {
    const where = entry === undefined ? `${this.what} (${inner})` : `${this.what}: entry ${entry} of ${inner}`;
    return new InstallError(kind, `${where} ${problem}`, { package: this.what, file: entry });
  }
}

/**
 * Extracts the tar stream `source` into `tree`. `inner` names the stream in messages (the
 * `pkg-….tar.zst` of a .conda, or the .tar.bz2 itself). Reading stops at the end-of-archive
 * marker: what follows it is never decompressed.
 */
export async function extractTar(source: AsyncIterable<Buffer>, tree: PackageTree, inner: string): Promise<void> {
  let openFd: number | undefined;
  let streamBytes = 0;
  const streamLimit = tree.limits.maxUnpackedBytes * 2 + 64 * 1024 * 1024;

  const onEntry = (entry: TarEntryHeader): BodyConsumer | undefined => {
    const name = normalizeEntryName(entry.path);
    if (!name.ok) throw tree.error('unsafe-path', inner, entry.path, name.reason);
    const path = name.path;
    if (++tree.entries > tree.limits.maxEntries) throw tree.error('too-large', inner, undefined, `has more than ${tree.limits.maxEntries} entries; refused as a possible zip bomb`);
    switch (entry.type) {
      case 'Directory':
        if (path !== '') tree.ensureDir(path, inner);
        tree.setDirMode(path, entry.mode);
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
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO': {
        const what = entry.type === 'FIFO' ? 'a FIFO' : entry.type === 'CharacterDevice' ? 'a character device' : 'a block device';
        throw tree.error('unsafe-path', inner, path, `is ${what}; packages may hold only files, folders and links`);
      }
      default:
        throw tree.error('corrupt', inner, path, `has the unsupported entry type ${entry.type}`);
    }
  };

  const writeFile = (entry: TarEntryHeader, path: string): BodyConsumer => {
    if (path === '') throw tree.error('corrupt', inner, entry.path, 'is a file without a name');
    tree.bytes += entry.size;
    if (tree.bytes > tree.limits.maxUnpackedBytes) {
      throw tree.error('too-large', inner, path, `would take the package past ${tree.limits.maxUnpackedBytes} unpacked bytes; refused as a possible zip bomb`);
    }
    const abs = tree.prepare(path, inner);
    const mode = (entry.mode ?? 0o644) & 0o777;
    let fd: number;
    try {
      fd = openSync(abs, CREATE_FLAGS, mode);
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    openFd = fd;
    tree.set(path, 'file');
    tree.files++;
    return (chunk) => {
      try {
        if (chunk !== null) {
          let off = 0;
          while (off < chunk.length) off += writeSync(fd, chunk, off);
          return;
        }
        openFd = undefined;
        try {
          if ((mode & ~UMASK) !== mode) fchmodSync(fd, mode);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        throw fsError(tree, inner, path, error);
      }
    };
  };

  const writeSymlink = (entry: TarEntryHeader, path: string): void => {
    const target = entry.linkpath ?? '';
    const problem = symlinkTargetProblem(path, target);
    if (problem) throw tree.error(target === '' ? 'corrupt' : 'unsafe-path', inner, path, problem);
    if (path === '') throw tree.error('unsafe-path', inner, entry.path, 'replaces the package folder with a symbolic link');
    const abs = tree.prepare(path, inner);
    try {
      symlinkSync(target, abs);
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    tree.set(path, 'link');
    tree.links.add(path, target);
  };

  const writeHardLink = (entry: TarEntryHeader, path: string): void => {
    if (!entry.linkpath) throw tree.error('corrupt', inner, path, 'is a hard link with an empty target');
    const target = normalizeEntryName(entry.linkpath);
    if (!target.ok) throw tree.error('unsafe-path', inner, path, `is a hard link that ${target.reason.replace(/^is /, 'is to ').replace(/^has /, 'has a target with ')}`);
    const kind = tree.kindOf(target.path);
    if (kind === undefined) throw tree.error('corrupt', inner, path, `is a hard link to ${target.path}, which is not in the archive before it`);
    if (kind !== 'file') throw tree.error('unsafe-path', inner, path, `is a hard link to ${target.path}, which is not a regular file`);
    if (target.path === path) return;
    const abs = tree.prepare(path, inner);
    const from = tree.abs(target.path);
    try {
      try {
        linkSync(from, abs);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
        copyFileSync(from, abs);
      }
    } catch (error) {
      throw fsError(tree, inner, path, error);
    }
    tree.set(path, 'file');
    tree.files++;
  };

  const reader = new TarReader(onEntry, { maxMetaSize: META_LIMIT });
  try {
    for await (const chunk of source) {
      streamBytes += chunk.length;
      if (streamBytes > streamLimit) throw tree.error('too-large', inner, undefined, `unpacks to more than ${streamLimit} bytes; refused as a possible zip bomb`);
      reader.write(chunk);
      if (reader.eof) break;
    }
    reader.end();
    if (reader.entries === 0 && !reader.eof) throw tree.error('corrupt', inner, undefined, 'is not a tar archive');
  } catch (error) {
    if (error instanceof TarFormatError) throw tree.error(error.kind, inner, error.entry, error.message);
    throw error;
  } finally {
    if (openFd !== undefined) closeSync(openFd);
  }
}

function fsError(tree: PackageTree, inner: string, entry: string, error: unknown): InstallError {
  if (error instanceof InstallError) return error;
  const e = error as NodeJS.ErrnoException;
  return new InstallError('cache', `${tree.what}: cannot write entry ${entry} of ${inner} into ${tree.root}: ${e.message}`, {
    package: tree.what,
    file: entry,
    cause: error,
  });
}
