// The stages of a transaction (transaction.ts runs them in order, under the prefix lock and the
// journal): checking the packages to link, unlinking (pre-unlink scripts, files moved to the backup,
// folders left empty removed, records moved away), linking package by package, byte-compiling
// noarch: python sources, post-link scripts, and writing conda-meta (records, history, state).

import { existsSync, type Stats } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Tracer } from '../timing/tracer.ts';
import { InstallError } from './errors.ts';
import type { FetchedPackage } from './fetch-packages.ts';
import type { Journal } from './link-journal.ts';
import { readPackageInfo, type PackageInfo } from './link-package-info.ts';
import { checkPackageFiles, entryPointPaths, linkPackage, newLinkState, targetPaths, type LinkedPackage } from './link-package.ts';
import { compilePython, type PythonTarget } from './link-python.ts';
import { buildPrefixRecord, buildStateFile, distString, formatHistoryBlock, formatJson, prefixRecordFileName } from './link-record.ts';
import { runLinkScript, type LinkScriptRun } from './link-scripts.ts';
import { normalizeEntryName } from './path-safety.ts';
import type { TransactionOptions, TransactionResult } from './transaction.ts';
import type { InstalledPackage } from './transaction-plan.ts';

export interface Prepared {
  fetched: Pick<FetchedPackage, 'dir' | 'record' | 'archive' | 'fn'>;
  info: PackageInfo;
  paths: string[];
  stats: (Stats | undefined)[];
}

/** Reads and checks every package to link, before the prefix is touched. */
export async function preparePackages(link: TransactionOptions['link'] & {}, python: PythonTarget | undefined): Promise<Prepared[]> {
  return Promise.all(
    link.map(async (fetched) => {
      const info = await readPackageInfo(fetched.dir, fetched.fn);
      const paths = [...targetPaths(info, python).filter((_, i) => info.paths[i]!.type !== 'directory'), ...entryPointPaths(info).map((e) => e.rel)];
      return { fetched, info, paths, stats: await checkPackageFiles(info) };
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

export async function linkAll(prepared: readonly Prepared[], python: PythonTarget | undefined, fresh: boolean, ctx: Ctx): Promise<LinkedPackage[]> {
  const state = newLinkState(fresh);
  const out: LinkedPackage[] = [];
  for (const [index, p] of prepared.entries()) {
    ctx.signal.throwIfAborted();
    const linked = await ctx.tracer.span(
      'install.link.package',
      () => linkPackage(p.info, { prefix: ctx.prefix, writer: ctx.journal, state, python, linkMode: ctx.options.linkMode, signal: ctx.signal, platform: ctx.options.platform }, p.stats),
      { package: p.info.dist },
    );
    out.push(linked);
    const c = ctx.result.counts;
    c.files += linked.files.length;
    c.hardlinked += linked.counts.hardlinked;
    c.copied += linked.counts.copied;
    c.rewritten += linked.counts.rewritten;
    c.softlinks += linked.counts.softlinks;
    c.entryPoints += linked.counts.entryPoints;
    ctx.result.warnings.push(...linked.warnings);
    const planned = new Set(ctx.result.clobbers.map((x) => x.path));
    for (const path of linked.clobbered) if (!planned.has(path)) ctx.result.warnings.push(`${path} was already in the prefix without belonging to any package; ${p.info.dist} replaced it`);
    ctx.result.linked.push(p.info.dist);
    ctx.options.onEvent?.({ type: 'linked', dist: p.info.dist, files: linked.files.length });
    await ctx.options.onStep?.({ phase: 'link', dist: p.info.dist, index });
  }
  return out;
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

export async function writeRecords(prepared: readonly Prepared[], linked: LinkedPackage[], unlink: readonly InstalledPackage[], ctx: Ctx): Promise<void> {
  const { options } = ctx;
  for (const [i, p] of prepared.entries()) {
    const record = buildPrefixRecord({
      record: p.fetched.record,
      dir: p.fetched.dir,
      archive: p.fetched.archive,
      linked: linked[i]!,
      requestedSpec: options.requestedSpecs?.get(p.info.name),
    });
    await writeFileJournaled(ctx, `conda-meta/${prefixRecordFileName(record)}`, formatJson(record));
  }
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
