// The stages of a transaction (transaction.ts runs them in order, under the prefix lock and the
// journal): checking the packages to link, unlinking (pre-unlink scripts, files moved to the backup,
// folders left empty removed, records moved away), linking package by package, byte-compiling
// noarch: python sources, post-link scripts, and writing conda-meta (records, history, state).

import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Tracer } from '../timing/tracer.ts';
import { InstallError } from './errors.ts';
import type { Journal } from './link-journal.ts';
import type { PackageInfo } from './link-package-info.ts';
import {
  beginLinkPackage,
  checkPackageFiles,
  entryPointPaths,
  madePaths,
  makeDirs,
  newLinkState,
  packageDirs,
  placeholderModes,
  sortByDepth,
  targetPaths,
  type LinkContext,
  type LinkedPackage,
  type SourceModes,
} from './link-package.ts';
import { compilePython, type PythonTarget } from './link-python.ts';
import { readPackageInfoCached } from './package-manifest-cache.ts';
import { writeJsonFileSync } from './json-parts.ts';
import { buildPrefixRecord, buildStateFile, distString, formatHistoryBlock, prefixRecordFileName } from './link-record.ts';
import { runLinkScript, type LinkScriptRun } from './link-scripts.ts';
import { normalizeEntryName } from './path-safety.ts';
import { TaskPool } from './task-pool.ts';
import type { LinkPackage, TransactionOptions, TransactionResult } from './transaction.ts';
import type { InstalledPackage } from './transaction-plan.ts';

export interface Prepared {
  fetched: LinkPackage;
  info: PackageInfo;
  /** Where each of info.paths goes in the prefix. */
  targets: readonly string[];
  /** The files and links it makes in the prefix (entry points included). */
  paths: string[];
  /** The folders it needs there. */
  dirs: Set<string>;
  /** Modes of the files to rewrite (checkPackageFiles). */
  modes: SourceModes;
  /** The stamps linking compares each file with (fetchPackages' `checkWhileLinking`). */
  stamps?: Float64Array | undefined;
}

/** Reads and checks every package to link, before the prefix is touched. */
export async function preparePackages(link: TransactionOptions['link'] & {}, python: PythonTarget | undefined): Promise<Prepared[]> {
  return Promise.all(
    link.map(async (fetched) => {
      // a package fetchPackages has just checked file by file is not read and checked again
      const checked = fetched.checked?.dir === fetched.dir ? fetched.checked : undefined;
      const info = checked ?? (await readPackageInfoCached(fetched.dir, fetched.fn, true))!;
      // stamps in the order of the manifest they were read with
      const stamps = checked !== undefined && fetched.stamps?.length === 3 * checked.paths.length ? fetched.stamps : undefined;
      const targets = targetPaths(info, python);
      const entryPoints = entryPointPaths(info);
      const paths = madePaths(info, targets, entryPoints);
      const dirs = packageDirs(info, targets, entryPoints);
      const modes = checked ? await placeholderModes(info, undefined, stamps) : await checkPackageFiles(info);
      return { fetched, info, targets, paths, dirs, modes, stamps };
    }),
  );
}

/** What the stages share. */
export interface Ctx {
  prefix: string;
  journal: Journal;
  options: TransactionOptions;
  result: TransactionResult;
  tracer: Tracer;
  signal: AbortSignal;
  keep: InstalledPackage[];
  /** Packages whose conda-meta record is already written, by index (see linkAll). */
  recorded?: Set<number>;
}

export async function unlinkAll(unlink: readonly InstalledPackage[], ctx: Ctx): Promise<void> {
  const { journal, prefix, result } = ctx;
  const keptFiles = new Set(ctx.keep.flatMap((p) => p.files));
  for (const [index, pkg] of unlink.entries()) {
    ctx.signal.throwIfAborted();
    if (ctx.options.runScripts !== false) {
      const run = await runLinkScript(prefix, scriptPackage(pkg.record), 'pre-unlink', { env: ctx.options.env });
      if (run) {
        noteScript(run, ctx);
        if (run.exitCode !== 0) result.warnings.push(`the pre-unlink script of ${pkg.dist} failed (exit ${run.exitCode}); consider telling the package's maintainers`);
      }
    }
    const dirs = new Set<string>();
    for (const file of pkg.files) {
      if (keptFiles.has(file)) continue;
      // a record from elsewhere may name anything: only clean paths inside the prefix are touched
      const clean = normalizeEntryName(file);
      if (!clean.ok || clean.path !== file || file.startsWith('conda-meta/')) {
        result.warnings.push(`${pkg.dist} lists "${file}", which is not a path inside the environment: left alone`);
        continue;
      }
      await journal.moveAside(file);
      for (let d = dirname(file); d !== '.' && d !== ''; d = dirname(d)) dirs.add(d);
    }
    const pathsData = (pkg.record.paths_data as { paths?: { _path?: unknown; path_type?: unknown }[] } | undefined)?.paths ?? [];
    for (const p of pathsData) if (p.path_type === 'directory' && typeof p._path === 'string') dirs.add(p._path);
    for (const dir of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1))) {
      const entries = await readdir(join(prefix, dir)).catch(() => undefined);
      if (entries !== undefined && entries.length === 0) await journal.rmdir(dir);
    }
    await journal.moveAside(`conda-meta/${pkg.file}`);
    result.unlinked.push(pkg.dist);
    ctx.options.onEvent?.({ type: 'unlinked', dist: pkg.dist });
    await ctx.options.onStep?.({ phase: 'unlink', dist: pkg.dist, index });
  }
}

/** Placeholder files in hand at once across the packages being linked (each is rewritten synchronously; what overlaps is re-signing, on macOS). */
const REWRITES = 16;

/**
 * Links the packages, dependencies first. In a fresh prefix where no package has a file where
 * another wants a folder, every folder is made first (one batch) and every package is started at
 * once: their files go to the workers' queues in package order, so the workers never wait for
 * this thread while it rewrites placeholder files and makes conda-meta records — except that a
 * package writing a path an earlier one writes (a clobber) waits until those are done, so the
 * last one still wins. Otherwise (a prefix with
 * content) the packages go one after the other. Results, events and `onStep` come in package order;
 * on a failure every package under way settles first and the failure of the earliest package is
 * the one passed on.
 */
export async function linkAll(prepared: readonly Prepared[], python: PythonTarget | undefined, fresh: boolean, ctx: Ctx): Promise<LinkedPackage[]> {
  const state = newLinkState(fresh);
  const linkCtx: LinkContext = {
    prefix: ctx.prefix,
    writer: ctx.journal,
    state,
    python,
    linkMode: ctx.options.linkMode,
    signal: ctx.signal,
    platform: ctx.options.platform,
    rewrites: new TaskPool(REWRITES),
  };
  // paths written by more than one package (findClobbers has them all): a package replacing any
  // other path found something nobody owns there
  const shared = new Set(ctx.result.clobbers.map((c) => c.path));
  const allDirsMade = fresh && (await makeAllDirs(prepared, linkCtx));
  // with every folder made and no file where a folder goes, only shared paths can be in a package's way
  if (allDirsMade) state.onlyShared = shared;
  const ahead = allDirsMade ? Number.POSITIVE_INFINITY : 1;
  const out: LinkedPackage[] = [];
  const inFlight: { p: Prepared; index: number; done: Promise<LinkedPackage> }[] = [];
  // the package whose failure is being passed on, if it is one
  let failing = Number.POSITIVE_INFINITY;
  const finishOne = async (): Promise<void> => {
    const { p, index, done } = inFlight.shift()!;
    failing = index;
    const linked = await done;
    failing = Number.POSITIVE_INFINITY;
    out.push(linked);
    const c = ctx.result.counts;
    c.files += linked.files.length;
    c.hardlinked += linked.counts.hardlinked;
    c.copied += linked.counts.copied;
    c.rewritten += linked.counts.rewritten;
    c.softlinks += linked.counts.softlinks;
    c.entryPoints += linked.counts.entryPoints;
    ctx.result.warnings.push(...linked.warnings);
    for (const path of linked.clobbered) if (!shared.has(path)) ctx.result.warnings.push(`${path} was already in the prefix without belonging to any package; ${p.info.dist} replaced it`);
    ctx.result.linked.push(p.info.dist);
    ctx.options.onEvent?.({ type: 'linked', dist: p.info.dist, files: linked.files.length });
    await ctx.options.onStep?.({ phase: 'link', dist: p.info.dist, index });
  };
  try {
    for (const [index, p] of prepared.entries()) {
      ctx.signal.throwIfAborted();
      if (inFlight.length > 0 && shared.size > 0 && p.paths.some((rel) => shared.has(rel) && state.created.has(rel))) while (inFlight.length > 0) await finishOne();
      while (inFlight.length >= ahead) await finishOne();
      let begun!: () => void;
      const started = new Promise<void>((resolve) => (begun = resolve));
      const done = ctx.tracer.span(
        'install.link.package',
        async () => {
          const link = await beginLinkPackage(p.info, linkCtx, p.modes, p);
          begun();
          const linked = await link.done;
          // its conda-meta record is final unless byte-compiling is to add .pyc files to it: written
          // as soon as it is linked (as conda does, package by package; journaled, so a rollback
          // removes it), not in package order and not all at the end, so that a package that
          // takes long (python: 10,000 files and a 25 MB executable to rewrite) does not hold
          // back the others' records, and no record's text is kept waiting
          if (linked.compile.length === 0 || python === undefined || ctx.options.compile === false) {
            await writePrefixRecord(p, linked, ctx);
            (ctx.recorded ??= new Set()).add(index);
          }
          return linked;
        },
        { package: p.info.dist },
      );
      done.catch(() => undefined); // awaited by finishOne, or below
      inFlight.push({ p, index, done });
      failing = index;
      await Promise.race([started, done]);
      failing = Number.POSITIVE_INFINITY;
    }
    while (inFlight.length > 0) await finishOne();
  } catch (error) {
    // nothing may still be writing when the caller rolls back; the earliest package's failure is passed on
    const rest = await Promise.allSettled(inFlight.map((f) => f.done));
    const earlier = rest.findIndex((r, i) => r.status === 'rejected' && inFlight[i]!.index < failing);
    throw earlier >= 0 ? (rest[earlier] as PromiseRejectedResult).reason : error;
  }
  return out;
}

/**
 * In a fresh prefix, makes every folder the packages need in one batch, when no package has a file
 * (or entry point) where another wants a folder; says whether it did.
 */
async function makeAllDirs(prepared: readonly Prepared[], linkCtx: LinkContext): Promise<boolean> {
  const owner = new Map<string, string>();
  for (const p of prepared) for (const d of p.dirs) if (!owner.has(d)) owner.set(d, p.info.dist);
  for (const p of prepared) for (const rel of p.paths) if (owner.has(rel)) return false;
  const fail = (rel: string, error: unknown): InstallError =>
    error instanceof InstallError ? error : new InstallError('link', `${owner.get(rel)}: cannot place ${rel} in ${linkCtx.prefix}: ${(error as Error).message}`, { package: owner.get(rel), file: rel, cause: error });
  await makeDirs(sortByDepth(owner.keys()), linkCtx, { clobbered: [] }, fail);
  return true;
}

export async function compileAll(linked: LinkedPackage[], python: PythonTarget, ctx: Ctx): Promise<void> {
  const jobs = linked.flatMap((l) => l.compile);
  if (jobs.length === 0) return;
  if (!existsSync(join(ctx.prefix, python.executable))) {
    ctx.result.warnings.push(`no ${python.executable} in the environment: the .py files of noarch: python packages were not byte-compiled`);
    return;
  }
  const dirs = [...new Set(jobs.map((j) => dirname(j.pyc)))];
  for (const dir of dirs) if (!existsSync(join(ctx.prefix, dir))) await ctx.journal.mkdir(dir);
  for (const j of jobs) await ctx.journal.moveAside(j.pyc);
  ctx.journal.creating(jobs.map((j) => j.pyc));
  const { compiled, problem } = await compilePython(ctx.prefix, python, jobs.map((j) => j.py), jobs.map((j) => j.pyc), ctx.signal);
  if (problem) ctx.result.warnings.push(problem);
  const done = new Set(compiled);
  ctx.result.counts.compiled += compiled.length;
  for (const l of linked) {
    for (const j of l.compile) {
      if (!done.has(j.pyc)) continue;
      l.files.push(j.pyc);
      l.pathsData.push({ _path: j.pyc, path_type: 'pyc_file' });
    }
  }
}

function scriptPackage(record: Record<string, unknown>): { name: string; version: string; buildNumber: number; dist: string } {
  const name = String(record.name ?? '');
  const version = String(record.version ?? '');
  return { name, version, buildNumber: Number(record.build_number ?? 0) || 0, dist: `${name}-${version}-${String(record.build ?? '')}` };
}

function noteScript(run: LinkScriptRun, ctx: Ctx): void {
  ctx.result.scripts.push(run);
  if (run.messages) ctx.result.messages.push(run.messages);
  ctx.options.onEvent?.({ type: 'script', run });
}

export async function postLinkAll(prepared: readonly Prepared[], ctx: Ctx): Promise<void> {
  for (const p of prepared) {
    ctx.signal.throwIfAborted();
    const run = await runLinkScript(ctx.prefix, { name: p.info.name, version: p.info.version, buildNumber: p.info.buildNumber, dist: p.info.dist }, 'post-link', { env: ctx.options.env, signal: ctx.signal });
    if (!run) continue;
    noteScript(run, ctx);
    if (run.exitCode !== 0) {
      const messages = run.messages ? `\nscript messages:\n${run.messages.trim()}` : '';
      throw new InstallError('script', `the post-link script of ${p.info.dist} failed (exit ${run.exitCode}): ${run.script}${messages}\nscript output:\n${run.output.trim() || '(none)'}`, {
        package: p.fetched.fn,
      });
    }
  }
}

async function writeFileJournaled(ctx: Ctx, rel: string, content: string): Promise<void> {
  await ctx.journal.moveAside(rel);
  ctx.journal.creating([rel]);
  await writeFile(join(ctx.prefix, rel), content);
}

/**
 * Writes a package's conda-meta record (what is in the way moved aside first), formatted part by
 * part through the scratch window (json-parts.ts): a big package's record is megabytes of text,
 * never made as one string.
 */
async function writePrefixRecord(p: Prepared, linked: LinkedPackage, ctx: Ctx): Promise<void> {
  const record = buildPrefixRecord({
    record: p.fetched.record,
    dir: p.fetched.dir,
    archive: p.fetched.archive,
    linked,
    requestedSpec: ctx.options.requestedSpecs?.get(p.info.name),
  });
  const rel = `conda-meta/${prefixRecordFileName(record)}`;
  await ctx.journal.moveAside(rel);
  ctx.journal.creating([rel]);
  writeJsonFileSync(join(ctx.prefix, rel), record, 2, '\n');
}

export async function writeRecords(prepared: readonly Prepared[], linked: LinkedPackage[], unlink: readonly InstalledPackage[], ctx: Ctx): Promise<void> {
  const { options } = ctx;
  // the rest (those byte-compiling added to) in package order
  for (const [i, p] of prepared.entries()) if (!ctx.recorded?.has(i)) await writePrefixRecord(p, linked[i]!, ctx);
  const historyPath = join(ctx.prefix, 'conda-meta', 'history');
  const old = await readFile(historyPath, 'utf8').catch(() => '');
  const block = formatHistoryBlock({
    date: new Date(),
    cmd: options.history?.cmd ?? 'env-setup',
    version: options.history?.version,
    unlinked: unlink.map((p) => distString(p.record)),
    linked: prepared.map((p) => distString(p.fetched.record)),
    updateSpecs: options.history?.updateSpecs,
    removeSpecs: options.history?.removeSpecs,
  });
  await writeFileJournaled(ctx, 'conda-meta/history', old + block);
  if (options.envVars !== undefined && Object.keys(options.envVars).length > 0) {
    const state = await readFile(join(ctx.prefix, 'conda-meta', 'state'), 'utf8').catch(() => undefined);
    await writeFileJournaled(ctx, 'conda-meta/state', buildStateFile(state, options.envVars));
  }
}
