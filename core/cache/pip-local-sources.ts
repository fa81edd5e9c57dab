// What pip installs from this machine rather than from an index, read for the environment tarball's
// key: a local package folder (`.`, `./src/pkg`, `-e .[dev]`, `pkg @ file:///abs/path`), a local
// archive (`./dist/pkg-1.0-py3-none-any.whl`), and a `--find-links` folder of wheels. A tarball
// holds what pip built from them, so their content must be in its key: a changed source file gives
// another key, and the environment is installed (and pip run) again instead of restoring a stale
// build. They are not in the environment key: the conda solve does not depend on them.
//
// Lines are read as pip reads them (pip's req_file.py and _looks_like_path): from the environment
// file's `pip:` section and the requirement files it reaches; paths are relative to pip's working
// directory (the environment file's folder), except a `--find-links` path in a requirement file,
// which is relative to that file when it exists there. A folder is hashed as a tree — every entry's
// path, type, executable bit and content (a symlink by its target, not followed; the files' SHA-256
// by the file-system batches, fs-batch.ts, on one worker per CPU) — leaving out what
// pip and builds write into a source folder and what never changes a build: folders whose names
// start with a dot (version control, tool caches and virtual environments: `.git`, `.tox`, `.venv`,
// a `.cache`), `__pycache__`, `node_modules`, `*.egg-info`, `*.pyc`, the `build/` and `dist/`
// folders and the pip step's own `condaenv.*.requirements.txt` at its top, and what the caller excludes: the prefix being made and the caches it writes
// when they lie inside (`-p ./env`), or the key would change with every run.
// (So a version computed from git metadata, as setuptools-scm does, is not followed: the tarball's
// TTL still bounds how long such a build is reused.) A source past the limits (files or bytes) is
// not hashed: `tooLarge` says so, and the caller keeps tarballs off for the environment.

import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashingPool, type FsBatchPool } from '../install/fs-batch.ts';
import { pipLinesReached, type PipLine } from './referenced-files.ts';

export interface LocalSource {
  /** The path relative to the environment file's folder (`/` separators; a folder ends with `/`). */
  path: string;
  /** SHA-256 over the file, or the folder's tree; null when it is missing or too large. */
  sha256: string | null;
  /** Why it was not hashed when it is too large (the limit it passed), for a notice. */
  tooLarge?: string;
  /** Files and bytes read. */
  files: number;
  bytes: number;
}

export interface LocalSourceLimits {
  /** Most files read in one source (default 50,000). */
  files: number;
  /** Most bytes read in one source (default 1 GiB). */
  bytes: number;
}

export const DEFAULT_LOCAL_SOURCE_LIMITS: LocalSourceLimits = { files: 50_000, bytes: 1 << 30 };

/** Folder names left out anywhere in a tree (besides every name starting with a dot): caches and other tools' files. */
const SKIPPED_FOLDERS = new Set(['__pycache__', 'node_modules']);
/** Folder names left out at the top of a tree: where builds put their output. */
const SKIPPED_TOP_FOLDERS = new Set(['build', 'dist']);

/** The requirements file the pip step writes next to the environment file while pip runs (pip-requirements.ts). */
const PIP_STEP_FILE = /^condaenv\.[0-9a-z]+\.requirements\.txt$/;

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const EDITABLE = /^(?:-e|--editable)(?:\s*=\s*|\s+|(?=[.\/~]))(\S.*)$/;
const FIND_LINKS = /^(?:-f|--find-links)(?:\s*=\s*|\s+|(?=[.\/~]))(\S.*)$/;
const DIRECT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*(\S+)/;
const ARCHIVE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar)$/i;

/** A local path pip reads for `line` (one pip line): `{ value, findLinks }` as written, or undefined. */
export function localSourceOf(line: string): { value: string; findLinks: boolean } | undefined {
  const text = line.replace(/(^|\s)#.*$/, '').trim();
  if (text === '') return undefined;
  const findLinks = FIND_LINKS.exec(text);
  if (findLinks !== null) return localPath(unquote(findLinks[1]!), true);
  const editable = EDITABLE.exec(text);
  if (editable !== null) return localPath(stripExtras(unquote(editable[1]!)), false);
  if (text.startsWith('-')) return undefined;
  const direct = DIRECT_REFERENCE.exec(text);
  if (direct !== null) return /^file:/i.test(direct[1]!) ? localPath(direct[1]!.replace(/;.*$/, ''), false) : undefined;
  // a path or an archive: up to the environment marker
  const value = stripExtras(unquote(text.split(/\s*;\s*/)[0]!.trim()));
  if (/^file:/i.test(value)) return localPath(value, false);
  if (URL_SCHEME.test(value) && !/^[A-Za-z]:[\\/]/.test(value)) return undefined;
  if (value.startsWith('.') || value.includes('/') || value.includes('\\') || ARCHIVE.test(value)) return { value, findLinks: false };
  return undefined;
}

function localPath(value: string, findLinks: boolean): { value: string; findLinks: boolean } | undefined {
  if (/^file:/i.test(value)) {
    try {
      return { value: fileURLToPath(value), findLinks };
    } catch {
      return undefined;
    }
  }
  // a URL (an index page, git+https://…, https://…/x.whl) is not on this machine
  if (URL_SCHEME.test(value) && !/^[A-Za-z]:[\\/]/.test(value)) return undefined;
  return { value, findLinks };
}

function unquote(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** `./pkg[dev,test]` → `./pkg` (pip's extras after a path). */
function stripExtras(value: string): string {
  return value.replace(/\[[^\]/\\]*\]$/, '');
}

export interface LocalSourceOptions {
  /** Absolute paths left out of every tree (the prefix being made, when it lies inside a source folder). */
  exclude?: readonly string[];
  limits?: LocalSourceLimits;
  /** The file-system batches that hash the files (default: the process's hashing pool, one worker per CPU). */
  pool?: FsBatchPool;
}

/**
 * The local sources of the pip lines of the environment file at `environmentFile` (its `pip:`
 * lines `pipEntries`, and the requirement files they reach), each once, hashed (see the header).
 */
export async function pipLocalSources(pipEntries: readonly string[], environmentFile: string, options: LocalSourceOptions = {}): Promise<LocalSource[]> {
  const base = resolve(environmentFile, '..');
  const lines = pipLinesReached(pipEntries, environmentFile);
  const out = new Map<string, LocalSource>();
  for (const line of lines) {
    const found = localSourceOf(line.text);
    if (found === undefined) continue;
    const absolute = sourcePath(found.value, found.findLinks, line, base);
    if (out.has(absolute)) continue;
    out.set(absolute, await hashLocalSource(absolute, base, options));
  }
  return [...out.values()];
}

/** pip's working directory is the environment file's folder; a --find-links path in a requirement file is relative to that file where it exists. */
function sourcePath(value: string, findLinks: boolean, line: PipLine, base: string): string {
  if (findLinks && line.dir !== base) {
    const nearFile = resolve(line.dir, value);
    if (existsSync(nearFile)) return nearFile;
  }
  return resolve(base, value);
}

/** Files per hashing batch: a tree's files spread over the workers. */
const HASH_BATCH = 512;

/**
 * Hashes one source (a file or a folder tree) at `absolute`; its path is shown relative to `base`.
 * The tree is walked here; the files are hashed by the file-system batches (FsBatchPool.digests).
 */
export async function hashLocalSource(absolute: string, base: string, options: LocalSourceOptions = {}): Promise<LocalSource> {
  const limits = options.limits ?? DEFAULT_LOCAL_SOURCE_LIMITS;
  const exclude = new Set((options.exclude ?? []).map((p) => resolve(p)));
  const shown = relative(base, absolute).split(sep).join('/') || '.';
  const pool = options.pool ?? hashingPool();
  let stat;
  try {
    stat = statSync(absolute);
  } catch {
    return { path: shown, sha256: null, files: 0, bytes: 0 };
  }
  if (!stat.isDirectory()) {
    if (stat.size > limits.bytes) return { path: shown, sha256: null, tooLarge: `more than ${formatBytes(limits.bytes)}`, files: 1, bytes: stat.size };
    const [sha256] = await pool.digests(dirname(absolute), [basename(absolute)]);
    return { path: shown, sha256: sha256 ?? null, files: 1, bytes: stat.size };
  }
  // the tree's lines in order; a file's line ends with its digest, filled in after the walk
  const lines: string[] = [];
  const filePaths: string[] = [];
  const fileLines: number[] = [];
  let bytes = 0;
  let tooLarge: string | undefined;
  const walk = (dir: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      lines.push(`unreadable ${JSON.stringify(rel)}\n`);
      return;
    }
    names.sort();
    for (const name of names) {
      if (tooLarge !== undefined) return;
      const full = `${dir}${sep}${name}`;
      const path = rel === '' ? name : `${rel}/${name}`;
      if (exclude.has(full)) continue;
      let entry;
      try {
        entry = lstatSync(full);
      } catch {
        continue;
      }
      if (entry.isDirectory()) {
        if (name.startsWith('.') || SKIPPED_FOLDERS.has(name) || name.endsWith('.egg-info') || (rel === '' && SKIPPED_TOP_FOLDERS.has(name))) continue;
        lines.push(`d ${JSON.stringify(path)}\n`);
        walk(full, path);
      } else if (entry.isSymbolicLink()) {
        lines.push(`l ${JSON.stringify(path)} ${JSON.stringify(readlinkSync(full))}\n`);
      } else if (entry.isFile()) {
        if (name.endsWith('.pyc') || name.endsWith('.pyo') || (rel === '' && PIP_STEP_FILE.test(name))) continue;
        bytes += entry.size;
        if (filePaths.length + 1 > limits.files) tooLarge = `more than ${limits.files.toLocaleString('en-US')} files`;
        else if (bytes > limits.bytes) tooLarge = `more than ${formatBytes(limits.bytes)}`;
        if (tooLarge !== undefined) return;
        filePaths.push(path);
        fileLines.push(lines.length);
        lines.push(`f ${JSON.stringify(path)} ${entry.mode & 0o111 ? 'x' : '-'} `);
      }
      // sockets, fifos and devices are not sources
    }
  };
  walk(absolute, '');
  const files = filePaths.length + (tooLarge !== undefined ? 1 : 0);
  if (tooLarge !== undefined) return { path: `${shown}/`, sha256: null, tooLarge, files, bytes };
  const parts: Promise<(string | null)[]>[] = [];
  for (let at = 0; at < filePaths.length; at += HASH_BATCH) parts.push(pool.digests(absolute, filePaths.slice(at, at + HASH_BATCH)));
  const digests = (await Promise.all(parts)).flat();
  for (let i = 0; i < fileLines.length; i++) lines[fileLines[i]!] += `${digests[i] ?? 'unreadable'}\n`;
  const tree = createHash('sha256');
  for (const line of lines) tree.update(line);
  return { path: `${shown}/`, sha256: tree.digest('hex'), files, bytes };
}

function formatBytes(n: number): string {
  return n >= 1 << 30 ? `${n / (1 << 30)} GiB` : `${Math.round(n / (1 << 20))} MiB`;
}
