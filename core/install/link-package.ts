// Links one extracted package into a prefix, as conda's LinkPathAction family does: folders are
// made, files hard linked from the package cache (copied when the package says `no_link`, when
// copies are asked for, or when the cache is on another file system), symbolic links recreated with
// their targets, files with a prefix placeholder rewritten (text or binary mode, long shebangs; see
// link-prefix-replace.ts) into new files with the same mode — re-signed on Apple silicon — and, for
// `noarch: python`, paths moved into site-packages and entry point scripts written to `bin/`.
//
// Every change goes through a PrefixWriter (the transaction's journal): whatever is in the way is
// moved aside first, and the paths about to be made are recorded before they are made, so the
// transaction can always undo them. The result is what conda records in the package's conda-meta
// file: `files` and `paths_data` (with `sha256_in_prefix` for rewritten files), and the .py files
// to byte-compile.

import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { copyFile, link, lstat, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallError } from './errors.ts';
import { codesign, needsCodesign } from './link-codesign.ts';
import type { PackageInfo, PackagePath } from './link-package-info.ts';
import { rewriteForPrefix } from './link-prefix-replace.ts';
import { entryPointScript, isCompilablePy, noarchPythonPath, parseEntryPoint, pycPath, type PythonTarget } from './link-python.ts';
import { TaskPool } from './task-pool.ts';

/** The changes linking may make, each recorded first (link-journal.ts implements it). */
export interface PrefixWriter {
  moveAside(rel: string): Promise<boolean>;
  creating(rels: readonly string[]): void;
  mkdir(rel: string): Promise<void>;
}

/** conda's LinkType numbers, as written in a PrefixRecord's `link.type`. */
export const LINK_TYPE = { hardlink: 1, softlink: 2, copy: 3, directory: 4 } as const;

/** One entry of a PrefixRecord's `paths_data.paths`. */
export interface PrefixPathData {
  _path: string;
  path_type: 'hardlink' | 'softlink' | 'directory' | 'pyc_file' | 'unix_python_entry_point';
  sha256?: string;
  sha256_in_prefix?: string;
  size_in_bytes?: number;
  file_mode?: 'text' | 'binary';
  prefix_placeholder?: string;
  no_link?: boolean;
}

/** State shared by the packages of one transaction. */
export interface LinkState {
  /** Folders known to exist in the prefix (relative). */
  dirs: Set<string>;
  /** Paths made by this transaction so far. */
  created: Set<string>;
  /** The prefix held nothing when the transaction began: only `created` paths can be in the way. */
  fresh: boolean;
  /** False once a hard link failed (another file system): every later file is copied. */
  hardlinks: boolean;
}

export interface LinkContext {
  prefix: string;
  writer: PrefixWriter;
  state: LinkState;
  /** The environment's python after the transaction (noarch: python packages need it). */
  python: PythonTarget | undefined;
  /** 'copy' never hard links. Default 'auto'. */
  linkMode?: 'auto' | 'copy';
  /** Files linked at once. Default 16. */
  concurrency?: number;
  /** Re-sign rewritten binaries (Apple silicon); default: on a Mac, for osx-arm64 packages. */
  codesign?: (path: string) => Promise<string | undefined>;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
}

export interface LinkedPackage {
  /** Prefix-relative paths, as conda-meta `files` lists them (without .pyc files, added after compiling). */
  files: string[];
  pathsData: PrefixPathData[];
  /** The link type asked for (conda-meta `link.type`). */
  linkType: 1 | 3;
  /** noarch: python sources to byte-compile, and the .pyc each gives. */
  compile: { py: string; pyc: string }[];
  /** Paths that were already there (owned by another package, or by nobody) and were replaced. */
  clobbered: string[];
  counts: { hardlinked: number; copied: number; rewritten: number; softlinks: number; entryPoints: number };
  warnings: string[];
}

const parentsOf = (rel: string): string[] => {
  const out: string[] = [];
  let i = rel.indexOf('/');
  while (i > 0) {
    out.push(rel.slice(0, i));
    i = rel.indexOf('/', i + 1);
  }
  return out;
};

const sha256Of = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const CROSS_DEVICE = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES', 'ENOSYS']);

export function newLinkState(fresh: boolean): LinkState {
  return { dirs: new Set(['']), created: new Set(), fresh, hardlinks: true };
}

/** Where each of the package's paths goes in the prefix. */
export function targetPaths(info: PackageInfo, python: PythonTarget | undefined): string[] {
  if (info.noarch !== 'python') return info.paths.map((p) => p.path);
  if (python === undefined) {
    throw new InstallError('link', `${info.dist} is a noarch: python package, but the environment has no python to install it for`, { package: info.dist });
  }
  return info.paths.map((p) => noarchPythonPath(p.path, python));
}

/** The entry point scripts a noarch: python package gets (`bin/<command>`), checked. */
export function entryPointPaths(info: PackageInfo): { rel: string; definition: string }[] {
  if (info.noarch !== 'python') return [];
  return info.entryPoints.map((definition) => {
    const entry = parseEntryPoint(definition);
    if (!entry) throw new InstallError('corrupt', `${info.dist}: info/link.json has an entry point that cannot be read: "${definition}"`, { package: info.dist, file: 'info/link.json' });
    return { rel: `bin/${entry.command}`, definition };
  });
}

/**
 * Checks, before anything is linked, that every file and link the manifest lists is in the
 * extracted package with the type it says (a damaged package is InstallError 'corrupt'); returns
 * the sources' stats (undefined for folders).
 */
export async function checkPackageFiles(info: PackageInfo, concurrency = 32): Promise<(Stats | undefined)[]> {
  const pool = new TaskPool(concurrency);
  // all settle, and the first problem in manifest order is the one reported (the same every run)
  const settled = await Promise.allSettled(
    info.paths.map((entry) =>
      pool.run(async () => {
        if (entry.type === 'directory') return undefined;
        let st: Stats;
        try {
          st = await lstat(join(info.dir, entry.path));
        } catch {
          throw new InstallError('corrupt', `${info.dist}: its manifest lists ${entry.path}, which the extracted package in ${info.dir} does not have (remove that folder to have it extracted again)`, {
            package: info.dist,
            file: entry.path,
          });
        }
        if (entry.type === 'softlink' && !st.isSymbolicLink()) {
          throw new InstallError('corrupt', `${info.dist}: info/paths.json says ${entry.path} is a symbolic link, but the package has a ${st.isDirectory() ? 'folder' : `regular file of ${st.size} bytes`} there: the package is damaged`, {
            package: info.dist,
            file: entry.path,
          });
        }
        if (entry.type === 'hardlink' && !st.isFile()) {
          throw new InstallError('corrupt', `${info.dist}: ${entry.path} should be a file but is ${st.isSymbolicLink() ? 'a symbolic link' : 'a folder'}: the package is damaged`, { package: info.dist, file: entry.path });
        }
        return st;
      }),
    ),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<Stats | undefined>).value);
}

/** Links `info` into the prefix; `stats` are checkPackageFiles' results (computed when omitted). */
export async function linkPackage(info: PackageInfo, ctx: LinkContext, stats?: readonly (Stats | undefined)[]): Promise<LinkedPackage> {
  const sources = stats ?? (await checkPackageFiles(info));
  const { prefix, writer, state } = ctx;
  const what = info.dist;
  const fail = (rel: string, error: unknown): InstallError =>
    error instanceof InstallError ? error : new InstallError('link', `${what}: cannot place ${rel} in ${prefix}: ${(error as Error).message}`, { package: what, file: rel, cause: error });
  const targets = targetPaths(info, ctx.python);
  const entryPoints = entryPointPaths(info);
  const result: LinkedPackage = {
    files: [],
    pathsData: [],
    linkType: ctx.linkMode === 'copy' ? 3 : 1,
    compile: [],
    clobbered: [],
    counts: { hardlinked: 0, copied: 0, rewritten: 0, softlinks: 0, entryPoints: 0 },
    warnings: [],
  };

  // 1. folders, parents first
  const wanted = new Set<string>();
  targets.forEach((rel, i) => {
    for (const d of parentsOf(rel)) wanted.add(d);
    if (info.paths[i]!.type === 'directory') wanted.add(rel);
  });
  for (const e of entryPoints) for (const d of parentsOf(e.rel)) wanted.add(d);
  for (const dir of [...wanted].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))) {
    if (state.dirs.has(dir)) continue;
    try {
      await ensureDir(dir, ctx, result);
    } catch (error) {
      throw fail(dir, error);
    }
  }

  // 2. whatever is in the way of a file goes aside; then the files are recorded as about to be made
  const files = targets.map((rel, i) => ({ rel, entry: info.paths[i]! })).filter((f) => f.entry.type !== 'directory');
  const making = [...files.map((f) => f.rel), ...entryPoints.map((e) => e.rel)];
  for (const rel of making) {
    if (state.fresh && !state.created.has(rel)) continue;
    try {
      if (await writer.moveAside(rel)) result.clobbered.push(rel);
    } catch (error) {
      throw fail(rel, error);
    }
  }
  writer.creating(making);
  for (const rel of making) state.created.add(rel);

  // 3. the files themselves
  // every task settles before an error is passed on, so a rollback never races a late write
  const pool = new TaskPool(ctx.concurrency ?? 16);
  const data: (PrefixPathData | undefined)[] = new Array(info.paths.length);
  let failed = false;
  const settled = await Promise.allSettled(
    targets.map((rel, i) =>
      pool.run(async () => {
        if (failed) return;
        try {
          ctx.signal?.throwIfAborted();
          data[i] = await linkOne(info, info.paths[i]!, sources[i], rel, ctx, result);
        } catch (error) {
          failed = true;
          throw fail(rel, error);
        }
      }),
    ),
  );
  const rejected = settled.find((s) => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  targets.forEach((rel, i) => {
    result.files.push(rel);
    result.pathsData.push(data[i]!);
    if (info.noarch === 'python' && isCompilablePy(info.paths[i]!.path)) result.compile.push({ py: rel, pyc: pycPath(rel, ctx.python!.version) });
  });

  // 4. entry points
  for (const e of entryPoints) {
    const script = entryPointScript(join(prefix, ctx.python!.executable), parseEntryPoint(e.definition)!);
    try {
      await writeFile(join(prefix, e.rel), script, { mode: 0o755 });
    } catch (error) {
      throw fail(e.rel, error);
    }
    result.files.push(e.rel);
    result.pathsData.push({ _path: e.rel, path_type: 'unix_python_entry_point' });
    result.counts.entryPoints++;
  }
  if (!state.hardlinks) result.linkType = LINK_TYPE.copy;
  return result;
}

async function ensureDir(dir: string, ctx: LinkContext, result: LinkedPackage): Promise<void> {
  const full = join(ctx.prefix, dir);
  let st;
  try {
    st = await stat(full);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) {
    ctx.state.dirs.add(dir);
    return;
  }
  // a file (or a dangling link) where a folder must be: moved aside, as conda clobbers it
  if (await ctx.writer.moveAside(dir)) result.clobbered.push(dir);
  await ctx.writer.mkdir(dir);
  ctx.state.dirs.add(dir);
}

async function linkOne(info: PackageInfo, entry: PackagePath, st: Stats | undefined, rel: string, ctx: LinkContext, result: LinkedPackage): Promise<PrefixPathData> {
  const source = join(info.dir, entry.path);
  const dest = join(ctx.prefix, rel);
  const base: PrefixPathData = { _path: rel, path_type: entry.type };
  if (entry.sha256 !== undefined) base.sha256 = entry.sha256;
  if (entry.size !== undefined) base.size_in_bytes = entry.size;
  if (entry.noLink) base.no_link = true;
  if (entry.type === 'directory') return base;

  if (entry.type === 'softlink') {
    await symlink(await readlink(source), dest);
    result.counts.softlinks++;
    return base;
  }

  if (entry.placeholder !== undefined) {
    const original = await readFile(source);
    const { data, changed } = rewriteForPrefix(original, entry.placeholder, entry.fileMode ?? 'text', ctx.prefix, { what: info.dist, path: entry.path });
    await writeFile(dest, data, { mode: st!.mode & 0o7777 });
    base.file_mode = entry.fileMode ?? 'text';
    base.prefix_placeholder = entry.placeholder;
    base.sha256_in_prefix = changed ? sha256Of(data) : (entry.sha256 ?? sha256Of(data));
    if (changed) result.counts.rewritten++;
    else result.counts.copied++;
    const platform = ctx.platform ?? process.platform;
    const subdir = typeof info.index.subdir === 'string' ? info.index.subdir : undefined;
    if (changed && entry.fileMode === 'binary' && needsCodesign(subdir, platform)) {
      const problem = await (ctx.codesign ?? codesign)(dest);
      if (problem) result.warnings.push(problem);
    }
    return base;
  }

  if (entry.sha256 !== undefined) base.sha256_in_prefix = entry.sha256;
  if (ctx.linkMode !== 'copy' && !entry.noLink && ctx.state.hardlinks) {
    try {
      await link(source, dest);
      result.counts.hardlinked++;
      return base;
    } catch (error) {
      if (!CROSS_DEVICE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      ctx.state.hardlinks = false;
    }
  }
  await copyFile(source, dest);
  result.counts.copied++;
  return base;
}
