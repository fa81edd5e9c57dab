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
//
// Speed: a package has up to tens of thousands of files. Before linking they are checked with one
// readdir per folder, not an lstat per file (and not at all when fetchPackages has just checked
// them, see transaction-steps.ts; with stamps from fetchPackages, each is compared with its stamp
// by the batch that links it, and one that changed is InstallError 'cache-changed'); the plain
// ones — hard links, copies, symbolic links, and the folders of a fresh prefix — are then made in
// batches of synchronous calls (fs-batch.ts, on worker threads) rather than with a promise per
// call; only files with a prefix placeholder (read, rewritten, written) go one by one.

import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, writeFileSync, type Dirent, type Stats } from 'node:fs';
import { lstat, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallError } from './errors.ts';
import { CACHE_CHANGED, fsBatchPool, PLACE, stampProblem, type FsFailure, type PlaceOp } from './fs-batch.ts';
import { codesign, needsCodesign } from './link-codesign.ts';
import type { PackageInfo, PathType } from './link-package-info.ts';
import { PaddingError, placeholderTooLong, rewriteForPrefix } from './link-prefix-replace.ts';
import { rewriteBinaryFile, type StreamedRewrite } from './link-prefix-stream.ts';
import { entryPointScript, isCompilablePy, noarchPythonPath, parseEntryPoint, pycPath, type PythonTarget } from './link-python.ts';
import { PrefixPathsData } from './prefix-paths-data.ts';
import { TaskPool } from './task-pool.ts';

/** The changes linking may make, each recorded first (link-journal.ts implements it). */
export interface PrefixWriter {
  moveAside(rel: string): Promise<boolean>;
  creating(rels: readonly string[]): void;
  mkdir(rel: string): Promise<void>;
  /** Records that the absent folders `rels` (parents first) are about to be made by the caller; without it, each goes through `mkdir`. */
  makingDirs?(rels: readonly string[]): void;
}

/** The mode of each source file that is rewritten (placeholder files), by manifest index; checkPackageFiles makes it. */
export type SourceModes = readonly (number | undefined)[];

/** conda's LinkType numbers, as written in a PrefixRecord's `link.type`. */
export const LINK_TYPE = { hardlink: 1, softlink: 2, copy: 3, directory: 4 } as const;

/** State shared by the packages of one transaction. */
export interface LinkState {
  /** Folders known to exist in the prefix (relative). */
  dirs: Set<string>;
  /** Paths made by this transaction so far. */
  created: Set<string>;
  /** The prefix held nothing when the transaction began: only `created` paths can be in the way. */
  fresh: boolean;
  /**
   * When set (a fresh prefix whose folders are all made and where no file goes where a folder
   * does), `created` keeps only these paths: those more than one package writes (findClobbers),
   * the only ones a package can find in its way. Keeping every path made was a set of tens of
   * thousands of strings, most of a fresh install's bookkeeping.
   */
  onlyShared?: ReadonlySet<string>;
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
  /** Files with a placeholder in hand at once (rewritten one by one, synchronously; re-signed concurrently). Default 16. */
  concurrency?: number;
  /** Where the rewrites of placeholder files queue, when shared by several packages (else one of `concurrency` per package). */
  rewrites?: TaskPool;
  /** Plain files per batch of file-system calls on a worker (see fs-batch.ts). Default 512. */
  batchSize?: number;
  /** Re-sign rewritten binaries (Apple silicon); default: on a Mac, for osx-arm64 packages. */
  codesign?: (path: string) => Promise<string | undefined>;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
}

export interface LinkedPackage {
  /** Prefix-relative paths, as conda-meta `files` lists them (without .pyc files, added after compiling). */
  files: string[];
  /** conda-meta `paths_data.paths`, made as the record is written. */
  pathsData: PrefixPathsData;
  /** The link type asked for (conda-meta `link.type`). */
  linkType: 1 | 3;
  /** noarch: python sources to byte-compile, and the .pyc each gives. */
  compile: { py: string; pyc: string }[];
  /** Paths that were already there (owned by another package, or by nobody) and were replaced. */
  clobbered: string[];
  counts: { hardlinked: number; copied: number; rewritten: number; softlinks: number; entryPoints: number };
  warnings: string[];
}

const sha256Of = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function newLinkState(fresh: boolean): LinkState {
  return { dirs: new Set(['']), created: new Set(), fresh, hardlinks: true };
}

/** Where each of the package's paths goes in the prefix (its manifest's own list, unless noarch: python moves them). */
export function targetPaths(info: PackageInfo, python: PythonTarget | undefined): readonly string[] {
  if (info.noarch !== 'python') return info.paths.names;
  if (python === undefined) {
    throw new InstallError('link', `${info.dist} is a noarch: python package, but the environment has no python to install it for`, { package: info.dist });
  }
  return info.paths.names.map((path) => noarchPythonPath(path, python));
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

/** The files and links a package makes in the prefix (`targets` but its folders, then its entry points). */
export function madePaths(info: PackageInfo, targets: readonly string[], entryPoints: readonly { rel: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < targets.length; i++) if (info.paths.type(i) !== 'directory') out.push(targets[i]!);
  for (const e of entryPoints) out.push(e.rel);
  return out;
}

/**
 * Checks, before anything is linked, that every file and link the manifest lists is in the
 * extracted package with the type it says (a damaged package is InstallError 'corrupt'), with one
 * readdir per folder; returns the modes of the files to rewrite (those with a placeholder).
 */
export async function checkPackageFiles(info: PackageInfo, concurrency = 32): Promise<SourceModes> {
  const pool = new TaskPool(concurrency);
  const byFolder = new Map<string, Map<string, Dirent> | undefined>();
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    if (manifest.type(i) === 'directory') continue;
    const path = manifest.path(i);
    const slash = path.lastIndexOf('/');
    byFolder.set(slash < 0 ? '' : path.slice(0, slash), undefined);
  }
  await Promise.all(
    [...byFolder.keys()].map((folder) =>
      pool.run(async () => {
        const entries = await readdir(folder === '' ? info.dir : join(info.dir, folder), { withFileTypes: true }).catch(() => undefined);
        if (entries !== undefined) byFolder.set(folder, new Map(entries.map((e) => [e.name, e])));
      }),
    ),
  );
  // the first problem in manifest order is the one reported (the same every run)
  for (let i = 0; i < manifest.length; i++) {
    const type = manifest.type(i);
    if (type === 'directory') continue;
    const path = manifest.path(i);
    const slash = path.lastIndexOf('/');
    const found = byFolder.get(slash < 0 ? '' : path.slice(0, slash))?.get(path.slice(slash + 1));
    const ok = found !== undefined && (type === 'softlink' ? found.isSymbolicLink() : found.isFile());
    if (!ok) await sourceProblem(info, path, type);
  }
  return placeholderModes(info, pool);
}

/**
 * The modes of the package's files with a placeholder (the files rewritten into the prefix get
 * them); with `stamps` (fetchPackages' `checkWhileLinking`), each of those files is also compared
 * with its stamp, as linking does with the others.
 */
export async function placeholderModes(info: PackageInfo, pool = new TaskPool(32), stamps?: Float64Array): Promise<SourceModes> {
  const modes: (number | undefined)[] = new Array(info.paths.length);
  const looking: Promise<void>[] = [];
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    if (!manifest.isPlaceholderFile(i)) continue;
    const path = manifest.path(i);
    looking.push(
      pool.run(async () => {
        modes[i] = (stamps === undefined ? await sourceProblem(info, path, 'hardlink') : await stampedSource(info, path, stamps, i)).mode;
      }),
    );
  }
  await Promise.all(looking);
  return modes;
}

/** The error of a cached file found changed after its package was checked (see fetchPackages' `checkWhileLinking`). */
function cacheChanged(info: Pick<PackageInfo, 'dist' | 'dir'>, path: string, what: string): InstallError {
  return new InstallError('cache-changed', `${info.dist}: ${path} in the package cache (${info.dir}) changed after the package was checked: it ${what}`, { package: info.dist, file: path });
}

/** Looks at the file of manifest entry `i` and throws cacheChanged unless it is the regular file its stamp says; returns its stats. */
async function stampedSource(info: PackageInfo, path: string, stamps: Float64Array, i: number): Promise<Stats> {
  const st = await lstat(join(info.dir, path)).catch(() => undefined);
  const problem = stampProblem(st, false, stamps, i);
  if (problem !== undefined) throw cacheChanged(info, path, problem);
  return st!;
}

/** Looks at one source path and throws the InstallError 'corrupt' describing what is wrong with it; returns its stats when nothing is. */
async function sourceProblem(info: PackageInfo, path: string, type: PathType): Promise<Stats> {
  let st: Stats;
  try {
    st = await lstat(join(info.dir, path));
  } catch {
    throw new InstallError('corrupt', `${info.dist}: its manifest lists ${path}, which the extracted package in ${info.dir} does not have (remove that folder to have it extracted again)`, {
      package: info.dist,
      file: path,
    });
  }
  if (type === 'softlink' && !st.isSymbolicLink()) {
    throw new InstallError('corrupt', `${info.dist}: info/paths.json says ${path} is a symbolic link, but the package has a ${st.isDirectory() ? 'folder' : `regular file of ${st.size} bytes`} there: the package is damaged`, {
      package: info.dist,
      file: path,
    });
  }
  if (type === 'hardlink' && !st.isFile()) {
    throw new InstallError('corrupt', `${info.dist}: ${path} should be a file but is ${st.isSymbolicLink() ? 'a symbolic link' : 'a folder'}: the package is damaged`, { package: info.dist, file: path });
  }
  return st;
}

/** Links `info` into the prefix; `modes` are checkPackageFiles' results (computed when omitted). */
export async function linkPackage(info: PackageInfo, ctx: LinkContext, modes?: SourceModes): Promise<LinkedPackage> {
  return (await beginLinkPackage(info, ctx, modes)).done;
}

/** The folders a package's paths need in the prefix (its own `directory` entries too), unsorted. */
export function packageDirs(info: PackageInfo, targets: readonly string[], entryPoints: readonly { rel: string }[]): Set<string> {
  const wanted = new Set<string>();
  // a folder is added with its parents, so the walk up stops at the first folder already there
  const add = (dir: string): void => {
    while (dir !== '' && !wanted.has(dir)) {
      wanted.add(dir);
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '' : dir.slice(0, slash);
    }
  };
  const parentOf = (rel: string): string => {
    const slash = rel.lastIndexOf('/');
    return slash < 0 ? '' : rel.slice(0, slash);
  };
  targets.forEach((rel, i) => add(info.paths.type(i) === 'directory' ? rel : parentOf(rel)));
  for (const e of entryPoints) add(parentOf(e.rel));
  return wanted;
}

/** Sorted parents before children (then by name). */
export function sortByDepth(dirs: Iterable<string>): string[] {
  const depth = (d: string): number => {
    let n = 0;
    for (let i = d.indexOf('/'); i >= 0; i = d.indexOf('/', i + 1)) n++;
    return n;
  };
  return [...dirs]
    .map((d) => ({ d, n: depth(d) }))
    .sort((a, b) => a.n - b.n || (a.d < b.d ? -1 : 1))
    .map((x) => x.d);
}

/**
 * Starts linking `info`: resolves once its folders are made, what was in the way is moved aside and
 * its files are recorded and being placed; `done` resolves when they are all in place (and the
 * entry points written). A transaction starts the next package meanwhile (see linkAll).
 */
export async function beginLinkPackage(
  info: PackageInfo,
  ctx: LinkContext,
  modes?: SourceModes,
  known?: { targets: readonly string[]; paths: readonly string[]; dirs: ReadonlySet<string>; stamps?: Float64Array | undefined },
): Promise<{ done: Promise<LinkedPackage> }> {
  const sources = modes ?? (await checkPackageFiles(info));
  const { prefix, writer, state } = ctx;
  const what = info.dist;
  const fail = (rel: string, error: unknown): InstallError =>
    error instanceof InstallError ? error : new InstallError('link', `${what}: cannot place ${rel} in ${prefix}: ${(error as Error).message}`, { package: what, file: rel, cause: error });
  const targets = known?.targets ?? targetPaths(info, ctx.python);
  const entryPoints = entryPointPaths(info);
  const result: LinkedPackage = {
    files: [],
    pathsData: new PrefixPathsData(info.paths, targets),
    linkType: ctx.linkMode === 'copy' ? 3 : 1,
    compile: [],
    clobbered: [],
    counts: { hardlinked: 0, copied: 0, rewritten: 0, softlinks: 0, entryPoints: 0 },
    warnings: [],
  };

  // 1. folders, parents first
  const missing = sortByDepth([...(known?.dirs ?? packageDirs(info, targets, entryPoints))].filter((d) => !state.dirs.has(d)));
  await makeDirs(missing, ctx, result, fail);

  // 2. whatever is in the way of a file goes aside; then the files are recorded as about to be made
  const making = known?.paths ?? madePaths(info, targets, entryPoints);
  // in a fresh prefix only what this transaction made can be in the way; else one batch of lstats says what is there
  const { created, onlyShared } = state;
  const inTheWay = state.fresh
    ? created.size === 0
      ? []
      : making.filter((rel) => created.has(rel))
    : (await fsBatchPool().exists(prefix, making)).map((i) => making[i]!);
  for (const rel of inTheWay) {
    try {
      if (await writer.moveAside(rel)) result.clobbered.push(rel);
    } catch (error) {
      throw fail(rel, error);
    }
  }
  writer.creating(making);
  if (onlyShared === undefined) for (const rel of making) created.add(rel);
  else if (onlyShared.size > 0) for (const rel of making) if (onlyShared.has(rel)) created.add(rel);

  // 3. the files themselves: plain files and links in batches on the workers, files with a
  // placeholder one by one here; everything settles before an error is passed on, so a rollback
  // never races a late write, and the first failure in manifest order is the one reported
  ctx.signal?.throwIfAborted();
  // one pass over the manifest: what the batches make, and the files to rewrite here
  const copyAll = ctx.linkMode === 'copy' || !state.hardlinks;
  const manifest = info.paths;
  const n = manifest.length;
  const bulk: number[] = [];
  const src: string[] = [];
  const dest: string[] | undefined = info.noarch === 'python' ? [] : undefined;
  const ops: PlaceOp[] = [];
  const special: number[] = [];
  // each file's stamp, for the batch to compare the file with before placing it
  const stamps = known?.stamps;
  const bulkStamps = stamps === undefined ? undefined : new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const type = manifest.type(i);
    if (type === 'directory') continue;
    if (manifest.isPlaceholderFile(i)) {
      special.push(i);
      continue;
    }
    if (bulkStamps !== undefined) {
      const k = 3 * bulk.length;
      bulkStamps[k] = stamps![3 * i]!;
      bulkStamps[k + 1] = stamps![3 * i + 1]!;
      bulkStamps[k + 2] = stamps![3 * i + 2]!;
    }
    bulk.push(i);
    src.push(manifest.path(i));
    dest?.push(targets[i]!);
    ops.push(type === 'softlink' ? PLACE.symlink : copyAll || manifest.noLink(i) ? PLACE.copy : PLACE.link);
  }
  const failures: { index: number; error: unknown }[] = [];
  const placing =
    bulk.length === 0
      ? undefined
      : fsBatchPool()
          .place({ srcRoot: info.dir, destRoot: prefix, src, dest, ops, stamps: bulkStamps?.subarray(0, 3 * bulk.length) }, ctx.batchSize)
          .then(
            (r) => {
              result.counts.hardlinked += r.linked;
              result.counts.copied += r.copied;
              result.counts.softlinks += r.symlinked;
              if (r.crossDevice) state.hardlinks = false;
              for (const f of r.failures) {
                const index = bulk[f.index]!;
                failures.push({ index, error: f.code === CACHE_CHANGED ? cacheChanged(info, manifest.path(index), f.message) : failureError(f) });
              }
            },
            (error: unknown) => {
              failures.push({ index: bulk[0]!, error });
            },
          );
  const pool = ctx.rewrites ?? new TaskPool(ctx.concurrency ?? 16);
  let failed = false;
  const rewriting = special.map((i) =>
    pool.run(async () => {
      if (failed) return;
      try {
        ctx.signal?.throwIfAborted();
        await rewriteOne(info, i, sources[i], targets[i]!, ctx, result);
      } catch (error) {
        failed = true;
        failures.push({ index: i, error });
      }
    }),
  );
  const done = finishLinkPackage(info, ctx, result, targets, entryPoints, failures, Promise.all([placing, ...rewriting]), fail);
  done.catch(() => undefined); // the caller awaits it; until then a failure is not "unhandled"
  return { done };
}

async function finishLinkPackage(
  info: PackageInfo,
  ctx: LinkContext,
  result: LinkedPackage,
  targets: readonly string[],
  entryPoints: readonly { rel: string; definition: string }[],
  failures: readonly { index: number; error: unknown }[],
  placed: Promise<unknown>,
  fail: (rel: string, error: unknown) => InstallError,
): Promise<LinkedPackage> {
  const { prefix, state } = ctx;
  await placed;
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => (b.index < a.index ? b : a));
    throw fail(targets[first.index]!, first.error);
  }
  // (the entry points come after)
  result.files = targets.slice();
  if (info.noarch === 'python') {
    targets.forEach((rel, i) => {
      if (isCompilablePy(info.paths.path(i))) result.compile.push({ py: rel, pyc: pycPath(rel, ctx.python!.version) });
    });
  }

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

function failureError(f: FsFailure): Error {
  return Object.assign(new Error(f.message), { code: f.code });
}

/**
 * Makes the absent folders `dirs` (parents first; `fail` makes the error for one that cannot be
 * made). In a fresh prefix, those no file of this transaction is in the way of are made in one
 * batch (recorded in the journal first, all at once); every other folder — and one the batch could
 * not make — is looked at and made one by one.
 */
export async function makeDirs(dirs: readonly string[], ctx: LinkContext, result: Pick<LinkedPackage, 'clobbered'>, fail: (rel: string, error: unknown) => InstallError): Promise<void> {
  const { state, writer } = ctx;
  const batch = state.fresh && writer.makingDirs ? dirs.filter((d) => !state.created.has(d)) : [];
  if (batch.length > 0) {
    writer.makingDirs!(batch);
    // depth by depth (parents before their children), each depth across the workers
    const r = await fsBatchPool().mkdirs(ctx.prefix, batch);
    const failed = new Set(r.failures.map((f) => f.index));
    batch.forEach((d, i) => {
      if (!failed.has(i)) state.dirs.add(d);
    });
  }
  for (const dir of dirs) {
    if (state.dirs.has(dir)) continue;
    try {
      await ensureDir(dir, ctx, result);
    } catch (error) {
      throw fail(dir, error);
    }
  }
}

async function ensureDir(dir: string, ctx: LinkContext, result: Pick<LinkedPackage, 'clobbered'>): Promise<void> {
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

/** A file with a placeholder: read, rewritten for the prefix, written with the source's mode (re-signed where needed). */
async function rewriteOne(info: PackageInfo, i: number, mode: number | undefined, rel: string, ctx: LinkContext, result: LinkedPackage): Promise<void> {
  const manifest = info.paths;
  const path = manifest.path(i);
  const source = join(info.dir, path);
  const dest = join(ctx.prefix, rel);
  const placeholder = manifest.placeholder(i)!;
  const fileMode = manifest.fileMode(i) ?? 'text';
  const where = { what: info.dist, path, inPlace: true };
  const perm = (mode ?? lstatSync(source).mode) & 0o7777;
  // one at a time and synchronously (see link-prefix-stream.ts): binary files through a window,
  // text files (scripts, configuration: small) read whole
  let streamed: StreamedRewrite | undefined;
  if (fileMode === 'binary') {
    try {
      streamed = rewriteBinaryFile(source, dest, perm, placeholder, ctx.prefix);
    } catch (error) {
      throw error instanceof PaddingError ? placeholderTooLong(placeholder, ctx.prefix, where) : error;
    }
  }
  let changed: boolean;
  let digest: () => string;
  if (streamed?.done) {
    changed = streamed.changed;
    digest = () => streamed.sha256;
  } else {
    const rewritten = rewriteForPrefix(readFileSync(source), placeholder, fileMode, ctx.prefix, where);
    writeFileSync(dest, rewritten.data, { mode: perm });
    changed = rewritten.changed;
    digest = () => sha256Of(rewritten.data);
  }
  // the package's own hash stands for an unchanged file: only a rewritten one is hashed
  const sha256 = manifest.sha256(i);
  result.pathsData.rewritten(i, changed || sha256 === undefined ? digest() : sha256);
  if (changed) result.counts.rewritten++;
  else result.counts.copied++;
  const platform = ctx.platform ?? process.platform;
  const subdir = typeof info.index.subdir === 'string' ? info.index.subdir : undefined;
  if (changed && fileMode === 'binary' && needsCodesign(subdir, platform)) {
    const problem = await (ctx.codesign ?? codesign)(dest);
    if (problem) result.warnings.push(problem);
  }
}
