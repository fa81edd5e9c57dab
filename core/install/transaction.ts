// A change to a prefix, all or nothing: remove some installed packages and link some extracted
// ones, the way conda's UnlinkLinkTransaction does it, with a journal (link-journal.ts) instead of
// conda's in-memory undo list so that even a killed process is undone by the next run.
//
//   1. checks, before anything is touched: the operating system (Windows: not supported yet), the
//      prefix (absent, empty, or a conda environment), every package's manifest (paths.json or
//      info/files), noarch: python needing a python; clobbered paths (a warning each, last wins)
//   2. the prefix lock; a transaction interrupted earlier is recovered first
//   3. unlink, dependents first: the pre-unlink script (a failure is a warning, as in conda), then
//      the files its record lists are moved to the backup (a file another staying package also
//      lists is left), folders left empty removed, the record moved away
//   4. link, dependencies first (link-package.ts); noarch: python sources byte-compiled with the
//      environment's python; post-link scripts, in the activated environment (a failure rolls
//      everything back)
//   5. conda-meta: a PrefixRecord per linked package, a history block, the `state` file's env_vars
//   6. commit (the backups go) — or, on any error, SIGINT or SIGTERM, rollback
//
// Every stage is a span of the tracer (`install.transaction` › `install.unlink` / `install.link` /
// `install.compile` / `install.scripts` / `install.records`); the stages are in transaction-steps.ts.

import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Tracer } from '../timing/tracer.ts';
import { InstallError } from './errors.ts';
import { checkPrefixUsable, isEmptyBesidesCondaMeta } from './prefix-usable.ts';
import { fsBatchPool } from './fs-batch.ts';
import type { FetchedPackage } from './fetch-packages.ts';
import { Journal, journalPaths, recoverJournal, type RecoveryOutcome } from './link-journal.ts';
import { readStateVars } from './link-record.ts';
import type { LinkScriptRun } from './link-scripts.ts';
import { lockPrefix, tidyPrefix, type PrefixLockOptions } from './prefix-lock.ts';
import { findClobbers, finalPython, readInstalled, type Clobber, type InstalledPackage } from './transaction-plan.ts';
import { compileAll, linkAll, postLinkAll, preparePackages, unlinkAll, writeRecords } from './transaction-steps.ts';

export type TransactionEvent =
  | { type: 'start'; link: number; unlink: number }
  | { type: 'unlinked'; dist: string }
  | { type: 'linked'; dist: string; files: number }
  | { type: 'script'; run: LinkScriptRun }
  | { type: 'rollback'; reason: string }
  | { type: 'done' };

/** A package to link: what fetchPackages returns. */
export type LinkPackage = Pick<FetchedPackage, 'dir' | 'record' | 'archive' | 'fn'> & Partial<Pick<FetchedPackage, 'checked' | 'stamps'>>;

export interface TransactionOptions {
  prefix: string;
  /**
   * Packages to link, dependencies first (fetchPackages' results; `checked` spares reading and
   * checking a package again; with `stamps`, each file is compared with its stamp as it is linked:
   * one that changed fails the transaction with InstallError 'cache-changed').
   */
  link?: readonly LinkPackage[];
  /** Installed packages to remove (from readInstalled), dependents first. */
  unlink?: readonly InstalledPackage[];
  /** The spec asked for each name (PrefixRecord `requested_spec`). */
  requestedSpecs?: ReadonlyMap<string, string>;
  /** The history block's command line and specs. */
  history?: { cmd: string; version?: string; updateSpecs?: readonly string[]; removeSpecs?: readonly string[] };
  /** Environment variables to keep in conda-meta/state (an environment file's `variables:`). */
  envVars?: Readonly<Record<string, string>>;
  /** Run post-link and pre-unlink scripts. Default true. */
  runScripts?: boolean;
  /** Byte-compile noarch: python sources. Default true. */
  compile?: boolean;
  /** 'copy' never hard links. Default 'auto'. */
  linkMode?: 'auto' | 'copy';
  /** Environment for scripts (default process.env). */
  env?: NodeJS.ProcessEnv;
  lock?: PrefixLockOptions;
  tracer?: Tracer;
  onEvent?: (event: TransactionEvent) => void;
  signal?: AbortSignal;
  /** Test hook: called after each package is unlinked or linked. */
  onStep?: (step: { phase: 'unlink' | 'link'; dist: string; index: number }) => void | Promise<void>;
  /** Defaults to process.platform (tests may pretend). */
  platform?: NodeJS.Platform;
}

export interface TransactionResult {
  prefix: string;
  linked: string[];
  unlinked: string[];
  clobbers: Clobber[];
  warnings: string[];
  scripts: LinkScriptRun[];
  /** What scripts left in .messages.txt. */
  messages: string[];
  /** What an earlier interrupted transaction left, and what was done about it. */
  recovered: RecoveryOutcome;
  counts: { files: number; hardlinked: number; copied: number; rewritten: number; softlinks: number; entryPoints: number; compiled: number };
}

export async function runTransaction(options: TransactionOptions): Promise<TransactionResult> {
  const tracer = options.tracer ?? Tracer.disabled();
  const prefix = resolve(options.prefix);
  if ((options.platform ?? process.platform) === 'win32') {
    throw new InstallError('unsupported', 'installing into a prefix is not supported on Windows yet (solving is: use env-setup solve)');
  }
  // the file-system workers link the files (fs-batch.ts): started now, they are ready by then
  if ((options.link?.length ?? 0) > 0) fsBatchPool().warm();
  return tracer.span('install.transaction', async (span) => {
    const made = await preparePrefix(prefix);
    const lock = await lockPrefix(prefix, options.lock);
    let journal: Journal | undefined;
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => abort.abort(new InstallError('interrupted', `interrupted by ${signal}: the prefix was restored to its state before the transaction`));
    const outer = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', outer, { once: true });
    try {
      const recovered = await recoverJournal(prefix);
      const result: TransactionResult = {
        prefix,
        linked: [],
        unlinked: [],
        clobbers: [],
        warnings: [],
        scripts: [],
        messages: [],
        recovered,
        counts: { files: 0, hardlinked: 0, copied: 0, rewritten: 0, softlinks: 0, entryPoints: 0, compiled: 0 },
      };
      if (recovered.kind !== 'none') result.warnings.push(`an interrupted transaction was found in ${prefix} and ${recovered.kind === 'completed' ? 'completed' : 'rolled back'}`);
      const installed = readInstalled(prefix);
      const files = new Set(installed.map((p) => p.file));
      const unlink = (options.unlink ?? []).filter((p) => {
        if (files.has(p.file)) return true;
        result.warnings.push(`${p.dist} is no longer installed in ${prefix}: nothing to remove`);
        return false;
      });
      const unlinkFiles = new Set(unlink.map((p) => p.file));
      const keep = installed.filter((p) => !unlinkFiles.has(p.file));
      const link = options.link ?? [];
      const python = finalPython(
        link.map((p) => p.record),
        keep,
      );
      const prepared = await tracer.span('install.verify', () => preparePackages(link, python));
      result.clobbers = findClobbers(keep, prepared.map((p) => ({ dist: p.info.dist, paths: p.paths })));
      for (const c of result.clobbers) result.warnings.push(`${c.path} is in ${c.packages.join(' and ')}: the file of ${c.winner} is kept`);
      const nothing = link.length === 0 && unlink.length === 0 && !made.createdCondaMeta && (await sameEnvVars(prefix, options.envVars));
      span.addAttributes({ link: link.length, unlink: unlink.length, prefix });
      if (nothing) return result;

      const fresh = unlink.length === 0 && installed.length === 0 && (await isEmptyBesidesCondaMeta(prefix));
      journal = await Journal.open(prefix, made);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      options.onEvent?.({ type: 'start', link: link.length, unlink: unlink.length });
      const ctx = { prefix, journal, options, result, tracer, signal: abort.signal, keep };
      await tracer.span('install.unlink', () => unlinkAll(unlink, ctx));
      const linked = await tracer.span('install.link', () => linkAll(prepared, python, fresh, ctx));
      if (python !== undefined && options.compile !== false) await tracer.span('install.compile', () => compileAll(linked, python, ctx));
      if (options.runScripts !== false) await tracer.span('install.scripts', () => postLinkAll(prepared, ctx));
      await tracer.span('install.records', () => writeRecords(prepared, linked, unlink, ctx));
      abort.signal.throwIfAborted();
      await journal.commit();
      journal = undefined;
      tracer.counter('install.link.files', result.counts.files);
      tracer.counter('install.link.hardlinked', result.counts.hardlinked);
      tracer.counter('install.link.copied', result.counts.copied);
      tracer.counter('install.link.rewritten', result.counts.rewritten);
      options.onEvent?.({ type: 'done' });
      return result;
    } catch (error) {
      const reason: unknown = abort.signal.reason;
      const failure = !abort.signal.aborted ? error : reason instanceof InstallError ? reason : new InstallError('interrupted', 'the transaction was cancelled: the prefix was restored to its state before it');
      if (journal !== undefined) {
        options.onEvent?.({ type: 'rollback', reason: (failure as Error).message });
        const problems = await tracer.span('install.rollback', () => journal!.rollback());
        if (problems.length > 0 && failure instanceof Error) failure.message += `\n(rollback could not restore everything: ${problems.join('; ')})`;
      }
      throw failure;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      options.signal?.removeEventListener('abort', outer);
      await lock.release();
      await tidyPrefix(prefix, made);
    }
  });
}

/** Makes sure `prefix` can take a transaction; says whether it and its conda-meta are new. */
async function preparePrefix(prefix: string): Promise<{ createdPrefix: boolean; createdCondaMeta: boolean }> {
  await checkPrefixUsable(prefix);
  const createdPrefix = !existsSync(prefix);
  const createdCondaMeta = !existsSync(join(prefix, 'conda-meta'));
  try {
    await mkdir(journalPaths(prefix).state, { recursive: true });
  } catch (error) {
    throw new InstallError('prefix', `${prefix} cannot be written: ${(error as Error).message}`, { file: prefix, cause: error });
  }
  return { createdPrefix, createdCondaMeta };
}

/** Whether conda-meta/state already has every variable of `vars` with the same value (true when there are none). */
async function sameEnvVars(prefix: string, vars: Readonly<Record<string, string>> | undefined): Promise<boolean> {
  if (vars === undefined || Object.keys(vars).length === 0) return true;
  const current = readStateVars(await readFile(join(prefix, 'conda-meta', 'state'), 'utf8').catch(() => undefined));
  return Object.entries(vars).every(([k, v]) => current[k] === v);
}
