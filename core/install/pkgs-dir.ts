// Where the package cache lives and how it is laid out. The folder is chosen as: an explicit folder
// (the CLI's flag), else the first entry of CONDA_PKGS_DIRS (comma-separated, `~` expanded, as
// conda reads it), else `<env-setup cache dir>/pkgs`. Inside, the layout is conda's pkgs dir:
//
//   <pkgs>/<fn>                           the archive as downloaded (numpy-1.26.4-py312h0_0.conda)
//   <pkgs>/<name>-<version>-<build>/      the extracted package, with info/repodata_record.json
//   <pkgs>/urls.txt                       downloaded URLs, one a line (conda's marker of a writable cache)
//
// and env-setup's own bookkeeping under `<pkgs>/.env-setup/` (conda ignores folders without info/):
//
//   locks/<dist>.lock                     one lock per package (see package-lock.ts)
//   partial/<fn>, partial/<fn>.json       a download in progress and its validators, for Range resume
//   tmp/<dist>.<nonce>/                   an extraction in progress, renamed into place when complete
//   trash/                                replaced folders on their way out
//   index.jsonl                           the cache index (see cache-index.ts)

import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, type CacheDirOptions } from '../channel/cache-dir.ts';

export interface PkgsDirOptions extends CacheDirOptions {
  /** A folder given explicitly (a command-line flag); wins over everything. */
  pkgsDir?: string;
}

/** The package cache folder to use (see the header for the order). */
export function resolvePkgsDir(options: PkgsDirOptions = {}): string {
  if (options.pkgsDir) return options.pkgsDir;
  const env = options.env ?? process.env;
  const first = (env.CONDA_PKGS_DIRS ?? '')
    .split(',')
    .map((d) => d.trim())
    .find((d) => d !== '');
  if (first) return first === '~' || first.startsWith('~/') ? join(options.home ?? homedir(), first.slice(1)) : first;
  return join(defaultCacheDir(options), 'pkgs');
}

/** The archive extensions conda knows, longest first. */
export const ARCHIVE_EXTENSIONS = ['.tar.bz2', '.conda'] as const;
export type ArchiveFormat = 'conda' | 'tar.bz2';

/** `numpy-1.26.4-py312h0_0.conda` → { dist: 'numpy-1.26.4-py312h0_0', format: 'conda' }; undefined for other names. */
export function splitArchiveName(fn: string): { dist: string; format: ArchiveFormat } | undefined {
  if (fn.includes('/') || fn.includes('\\') || fn.startsWith('.')) return undefined;
  if (fn.endsWith('.tar.bz2') && fn.length > 8) return { dist: fn.slice(0, -8), format: 'tar.bz2' };
  if (fn.endsWith('.conda') && fn.length > 6) return { dist: fn.slice(0, -6), format: 'conda' };
  return undefined;
}

/** Paths of one package in a package cache. */
export interface PackagePaths {
  fn: string;
  dist: string;
  format: ArchiveFormat;
  /** `<pkgs>/<fn>` */
  archive: string;
  /** `<pkgs>/<dist>` */
  extracted: string;
  /** `<pkgs>/.env-setup/partial/<fn>` */
  partial: string;
  /** `<pkgs>/.env-setup/partial/<fn>.json` */
  partialMeta: string;
  /** `<pkgs>/.env-setup/locks/<dist>.lock` */
  lock: string;
}

export class PkgsDirLayout {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }
  get own(): string {
    return join(this.root, '.env-setup');
  }
  get locks(): string {
    return join(this.own, 'locks');
  }
  get partialDir(): string {
    return join(this.own, 'partial');
  }
  get tmp(): string {
    return join(this.own, 'tmp');
  }
  get trash(): string {
    return join(this.own, 'trash');
  }
  get index(): string {
    return join(this.own, 'index.jsonl');
  }
  get urlsTxt(): string {
    return join(this.root, 'urls.txt');
  }
  /** Paths of the package in file `fn`; undefined when `fn` is not a conda archive name. */
  package(fn: string): PackagePaths | undefined {
    const split = splitArchiveName(fn);
    if (!split) return undefined;
    return {
      fn,
      dist: split.dist,
      format: split.format,
      archive: join(this.root, fn),
      extracted: join(this.root, split.dist),
      partial: join(this.partialDir, fn),
      partialMeta: join(this.partialDir, `${fn}.json`),
      lock: join(this.locks, `${split.dist}.lock`),
    };
  }
}
