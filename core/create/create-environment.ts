// `create` as every face runs it (the CLI, the Action): an environment at a prefix from an
// environment file and/or specs, taking the fastest path the caches allow —
//
//   1. what to install: a locked input (an @EXPLICIT file, conda-lock.yml, pixi.lock) as written;
//      else the spec file stored for the environment key (hit: no solve); else a solve, whose
//      spec file is then stored. An expired spec file is solved again; when that fails for a
//      reason outside the user's file (a channel cannot be reached) the stale one is used, with a
//      warning.
//   2. nothing to do when the prefix already holds exactly those packages;
//   3. the environment tarball stored for that solution (keyed by the spec file's hash, platform
//      and prefix): restored, scanned (unless simple mode) and relocated when the prefix differs;
//      a tarball that fails any of that is discarded with a warning and the packages installed;
//   4. install: fetch into the package cache, link in one transaction; then pip (below); then pack
//      the prefix as a tarball for next time, unless packages with link scripts make that unsafe (a
//      notice names them; `tarballs: 'on'` forces it) or tarballs are off.
//
// pip: the environment file's `pip:` requirements are installed by the prefix's pip after the conda
// packages (pip-requirements.ts, as `conda env create` does) whenever the file has pip lines and
// the prefix was not restored from a tarball — also when the conda packages were already there
// (conda runs pip again on `env update`); never on a dry run or with `pip: false`. The tarball then
// holds what pip installed: its key's hash covers the pip lines, the requirement files they name
// and what pip builds from this machine — local package folders, archives, --find-links folders
// (tarballContentHash, pip-local-sources.ts; span `cache.pip-sources`; one too large to read turns
// tarballs off, with a notice) — and it is restored only at the prefix it was made at (pip's scripts
// and records hold the prefix path, which relocation does not know about).
//
// The outcome says which path ran and why (hit, miss, expired, corrupt, stale, refresh, off) for
// every cache, with the keys, so the summary and the `--json` timing export can print them. Spans:
// `cache.spec` (lookup and store), the solve's own, `cache.restore`/`cache.scan`/`cache.relocate`,
// the installer's, `install.pip` (pip-requirements.ts), and `cache.save` (pack and store).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARBALL_KEY_PREFIX, tarballContentHash, tarballKey } from '../cache/cache-keys.ts';
import type { EnvironmentInput } from '../cache/environment-input.ts';
import { environmentKey } from '../cache/environment-key.ts';
import { ENV_TARBALL_FORMAT_VERSION } from '../cache/env-tarball-format.ts';
import { pipLocalSources } from '../cache/pip-local-sources.ts';
import type { ArchiveStream } from '../cache/env-tarball-stream-scan.ts';
import { restoreEnvironment, type RestoreResult } from '../cache/env-tarball-restore.ts';
import { readRecordFiles } from '../cache/env-tarball-scan.ts';
import { linkScriptPackages, tarballDecision, type TarballSetting } from '../cache/link-script-policy.ts';
import { lookupSpecFile, storeSpecFile } from '../cache/spec-cache.ts';
import { withChannelCredentials } from '../cache/spec-file-credentials.ts';
import { specFileHash } from '../cache/spec-file.ts';
import { allowsStaleSpecFallback, staleSpecWarning } from '../cache/stale-fallback.ts';
import type { CacheStore } from '../cache/store.ts';
import { DEFAULT_SPEC_TTL, DEFAULT_TARBALL_TTL, isExpired, type Ttl } from '../cache/ttl.ts';
import type { FetchProgress } from '../channel/repodata-source.ts';
import { defaultCacheDir } from '../channel/cache-dir.ts';
import { resolveChannels } from '../channel/resolve.ts';
import { virtualPackagesFor } from '../index/virtual-packages.ts';
import { fsBatchPool } from '../install/fs-batch.ts';
import { buildStateFile } from '../install/link-record.ts';
import { recoverPrefix } from '../install/prefix-lock.ts';
import type { InstallProgress } from '../install/progress.ts';
import { resolvePkgsDir } from '../install/pkgs-dir.ts';
import { checkPrefixUsable } from '../install/prefix-usable.ts';
import type { TransactionEvent, TransactionOptions, TransactionResult } from '../install/transaction.ts';
import { diffPrefix, readInstalled, type InstalledPackage } from '../install/transaction-plan.ts';
import type { ChannelPriority } from '../solve/conda-solver.ts';
import type { EnvironmentSolution, EnvironmentSolveStats } from '../solve/solve-environment.ts';
import { SpecError } from '../spec/errors.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { Tracer } from '../timing/tracer.ts';
import { explicitPackages, lockedInputPackages, type InstallRecord } from './locked-packages.ts';
import { installPipRequirements, shownPipLine } from './pip-requirements.ts';

/** How a cache was used: found and used, not there, too old, unusable, used although too old, ignored on purpose, or not in play. */
export type CacheStatus = 'hit' | 'miss' | 'expired' | 'corrupt' | 'stale' | 'refresh' | 'off' | 'locked' | 'skipped';

export interface CreateCacheOptions {
  /** Where spec files and tarballs live; undefined: no caching at all (`--no-cache`). */
  store: CacheStore | undefined;
  /** Ignore stored entries, store fresh ones (`--refresh`). */
  refresh?: boolean;
  /** Default 24 h. */
  specTtl?: Ttl;
  /** Default 24 h. */
  tarballTtl?: Ttl;
  /** 'auto' (default): tarballs unless packages have link scripts; 'on': always; 'off': never. */
  tarballs?: TarballSetting;
  /** Simple mode: no integrity scan of restored tarballs, a cheaper check of cached packages. */
  simple?: boolean;
}

export interface CreateEnvironmentOptions {
  prefix: string;
  /** The subdir to install for (this machine's). */
  platform: string;
  /** The environment file, read with readEnvironmentInput; undefined when there are only specs. */
  input?: EnvironmentInput | undefined;
  /** Specs besides the file's (the command line's). */
  specs?: readonly MatchSpec[];
  /** Channels before the file's (the command line's). */
  channels?: readonly string[];
  channelPriority?: ChannelPriority | undefined;
  virtualPackages?: readonly string[];
  offline?: boolean;
  condarcPath?: string | undefined;
  overrideChannels?: boolean;
  cacheDir?: string | undefined;
  pkgsDir?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cache: CreateCacheOptions;
  transaction?: Pick<TransactionOptions, 'history' | 'envVars' | 'runScripts' | 'compile' | 'linkMode'>;
  /** Stop after the plan. */
  dryRun?: boolean;
  /** Install the environment file's pip requirements (default true; never on a dry run). */
  pip?: boolean;
  tracer?: Tracer;
  onRepodataProgress?: (p: FetchProgress) => void;
  onInstallProgress?: (event: InstallProgress) => void;
  /** The packages are fetched; the prefix is about to change. */
  onFetched?: (link: number, unlink: number) => void;
  onEvent?: (event: TransactionEvent) => void;
  /** pip is about to run this command (for the log). */
  onPipStart?: (command: string) => void;
  /** pip's output as it comes: it belongs in the log, as link scripts' output does. */
  onPipOutput?: (text: string) => void;
  /** Called once before packages are fetched and linked (not on a tarball hit): the Action restores its package cache here. */
  beforeInstall?: (info: { specHash: string; link: number }) => Promise<void>;
  now?: () => number;
}

export type CreatePath = 'tarball' | 'spec' | 'solve' | 'locked';

export interface CacheUse {
  status: CacheStatus;
  key?: string;
  /** Why, in words (for the summary). */
  reason?: string;
}

/** What became of the environment file's pip requirements. */
export interface PipOutcome {
  /** The `pip:` lines, credentials removed. */
  requirements: string[];
  /** Whether pip ran in this create. */
  ran: boolean;
  /** Why it did not run (dry run, restored from a tarball, turned off). */
  reason?: string;
  /** What pip reported installing (`name-version`), when it ran. */
  installed?: string[];
  /** pip's output (the last 64 KiB), when it ran. */
  output?: string;
}

export interface CreateOutcome {
  ok: true;
  prefix: string;
  /** Where the packages came from and how the prefix was made: `tarball` (restored), else how the package list was got. */
  path: CreatePath;
  spec: CacheUse & { saved?: boolean };
  tarball: CacheUse & { saved?: boolean };
  environmentKey: string | undefined;
  /** specFileHash of the packages: the identity of the solution. */
  specHash: string;
  packages: InstallRecord[];
  /** What was (or, with dryRun, would be) added and removed. */
  link: InstallRecord[];
  unlink: InstalledPackage[];
  transaction: TransactionResult | undefined;
  restore: Extract<RestoreResult, { status: 'restored' }> | undefined;
  stats: EnvironmentSolveStats | undefined;
  warnings: string[];
  notices: string[];
  /** The specs asked for (for the history and messages). */
  specs: MatchSpec[];
  /** The environment file's pip requirements; undefined when it has none. */
  pip: PipOutcome | undefined;
}

export interface CreateFailure {
  ok: false;
  prefix: string;
  failure: Extract<EnvironmentSolution, { ok: false }>;
  environmentKey: string | undefined;
  specs: MatchSpec[];
}

const clean = (warning: string) => warning.replace(/^warning: /, '');

/** Creates (or brings up to date) the environment at `options.prefix` (see the header). */
export async function createEnvironment(options: CreateEnvironmentOptions): Promise<CreateOutcome | CreateFailure> {
  const tracer = options.tracer ?? Tracer.disabled();
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const { store } = options.cache;
  const refresh = options.cache.refresh === true;
  const { prefix, platform, input } = options;
  const warnings: string[] = [];
  const notices: string[] = [];

  await checkPrefixUsable(prefix);
  // The file-system worker (fs-batch.ts) checks the package cache and links. Its start-up (~100 ms
  // of CPU) is best spent beside the solve or the spec file's reading, not holding up the install.
  // But a stored environment is restored by zstd and tar, which want both CPUs: while one may be
  // found, the worker starts only once a solve or an install is certain.
  const tarballMayHit = store !== undefined && !refresh && options.cache.tarballs !== 'off';
  const startWorker = () => {
    if (options.dryRun !== true) fsBatchPool().warm();
  };
  if (!tarballMayHit) startWorker();
  if (existsSync(prefix)) await recoverPrefix(prefix);

  // 1. what to install
  let packages: InstallRecord[];
  let path: CreatePath;
  let spec: CreateOutcome['spec'];
  let key: string | undefined;
  let stats: EnvironmentSolveStats | undefined;
  const specs: MatchSpec[] = [];
  if (input?.kind === 'locked') {
    if ((options.specs?.length ?? 0) > 0) throw new SpecError(`the environment file is ${input.reason}: it is installed as written and cannot be combined with more specs`);
    const locked = lockedInputPackages(input, platform);
    packages = locked.packages;
    warnings.push(...locked.warnings);
    path = 'locked';
    spec = { status: 'locked', reason: `the input is ${input.reason}: nothing to solve` };
  } else {
    specs.push(...(input?.specs ?? []), ...(options.specs ?? []));
    const channels = [...(options.channels ?? [])];
    for (const c of input?.channels ?? []) if (!channels.includes(c)) channels.push(c);
    const solveOptions = {
      specs,
      channels,
      platform,
      virtualPackages: options.virtualPackages,
      channelPriority: options.channelPriority,
      condarcPath: options.condarcPath,
      overrideChannels: options.overrideChannels,
      env,
    };
    key = tracer.span('cache.key', () => environmentKey({ ...solveOptions, pip: input?.pip, files: input?.files }).key);
    const lookup = store === undefined || refresh ? undefined : await tracer.span('cache.spec.lookup', () => lookupSpecFile(store, { environmentKey: key!, platform, ttl: options.cache.specTtl ?? DEFAULT_SPEC_TTL, now: now() }));
    const fromSpec = (text: { explicit: Parameters<typeof explicitPackages>[0] }): InstallRecord[] => {
      const resolved = resolveChannels({ ...solveOptions, specChannels: specs.map((s) => s.channel).filter((c): c is string => c !== undefined && c !== '*') });
      return explicitPackages(text.explicit).map((p) => ({ ...p, url: withChannelCredentials(p.url, resolved.channels) }));
    };
    if (lookup?.status === 'hit') {
      packages = fromSpec(lookup.spec);
      path = 'spec';
      spec = { status: 'hit', key: lookup.key, reason: `stored ${age(lookup.entry.created, now())} ago` };
    } else {
      if (lookup?.status === 'corrupt') warnings.push(`the stored solve ${lookup.key} cannot be used (${lookup.reason}); solving again`);
      const stale = lookup?.status === 'expired' ? lookup : undefined;
      let solved: EnvironmentSolution | undefined;
      try {
        // the solver, the installer and the packer are loaded when needed: a tarball hit starts without them
        startWorker();
        const { solveEnvironment } = await import('../solve/solve-environment.ts');
        solved = await solveEnvironment({ ...solveOptions, offline: options.offline, cacheDir: options.cacheDir, tracer, onProgress: options.onRepodataProgress });
      } catch (error) {
        if (stale === undefined || !allowsStaleSpecFallback(error)) throw error;
        warnings.push(clean(staleSpecWarning(error, stale.entry.created, now())));
        solved = undefined;
      }
      if (solved === undefined) {
        packages = fromSpec(stale!.spec);
        path = 'spec';
        spec = { status: 'stale', key: stale!.key, reason: 'expired, and solving again failed' };
      } else {
        if (!solved.ok) return { ok: false, prefix, failure: solved, environmentKey: key, specs };
        stats = solved.stats;
        packages = solved.packages.map((p) => {
          if (p.url === undefined) throw new SpecError(`the solved package ${p.name} ${p.version} ${p.build} has no URL to install it from`);
          return { name: p.name, version: p.version, build: p.build, url: p.url, fn: p.fn, channel: p.channel, subdir: p.subdir, md5: p.md5, sha256: p.sha256, size: p.size };
        });
        path = 'solve';
        const status: CacheStatus = store === undefined ? 'off' : refresh ? 'refresh' : (lookup?.status ?? 'miss');
        spec = { status, reason: specReason(status, lookup?.status === 'expired' ? lookup.entry.created : undefined, now(), options.cache.specTtl ?? DEFAULT_SPEC_TTL) };
        if (store !== undefined) {
          const stored = await tracer.span('cache.spec.save', () =>
            storeSpecFile(store, {
              environmentKey: key!,
              platform,
              channels: resolveChannels({ ...solveOptions, specChannels: [] }).channels.map((c) => c.baseUrl),
              virtualPackages: virtualPackagesFor(platform, { env, overrides: options.virtualPackages }),
              packages: solved.packages,
              created: new Date(now()),
            }),
          );
          spec.key = stored.key;
          spec.saved = true;
        }
      }
    }
  }
  const specHash = specFileHash(platform, packages);
  const pipLines = input?.kind === 'solve' && input.file.kind === 'environment-yml' ? input.pip : [];
  const pipFile = input?.kind === 'solve' && input.file.kind === 'environment-yml' ? input.file.fileName : undefined;
  const pipOn = pipLines.length > 0 && options.pip !== false;
  if (pipLines.length > 0 && !pipOn) notices.push(`the ${pipLines.length} pip requirement(s) of the environment file are not installed (pip is turned off)`);
  const pipNotRun = (reason: string): PipOutcome | undefined => (pipLines.length === 0 ? undefined : { requirements: pipLines.map(shownPipLine), ran: false, reason });
  const runPip = async (): Promise<PipOutcome | undefined> => {
    if (!pipOn) return pipNotRun('pip is turned off');
    const run = await installPipRequirements({ prefix, requirements: pipLines, environmentFile: pipFile!, env, tracer, onStart: options.onPipStart, onOutput: options.onPipOutput });
    return { requirements: pipLines.map(shownPipLine), ran: true, installed: run.installed, output: run.output.slice(-64 * 1024) };
  };

  // 2. what changes in the prefix
  const diff = diffPrefix(readInstalled(prefix), packages);
  const unchanged = diff.link.length === 0 && diff.unlink.length === 0;
  const outcome = (rest: Pick<CreateOutcome, 'tarball' | 'transaction' | 'restore' | 'pip'> & { path?: CreatePath }): CreateOutcome => ({
    ok: true,
    prefix,
    path: rest.path ?? path,
    spec,
    tarball: rest.tarball,
    environmentKey: key,
    specHash,
    packages,
    link: diff.link,
    unlink: diff.unlink,
    transaction: rest.transaction,
    restore: rest.restore,
    stats,
    warnings,
    notices,
    specs,
    pip: rest.pip,
  });
  if (unchanged) {
    const skipped: CacheUse = { status: 'skipped', reason: 'the prefix already holds these packages' };
    if (options.dryRun) return outcome({ tarball: skipped, transaction: undefined, restore: undefined, pip: pipNotRun(pipOn ? 'dry run' : 'pip is turned off') });
    return outcome({ tarball: skipped, transaction: undefined, restore: undefined, pip: await runPip() });
  }
  const tarballsWanted = store !== undefined && options.cache.tarballs !== 'off';
  // the caches this run writes (left out of the sources below when they lie inside one)
  const cacheRoot = options.cacheDir ?? defaultCacheDir({ env });
  // what pip builds from this machine (package folders, archives, --find-links folders) is read into the key
  const localSources = pipOn && tarballsWanted
    ? await tracer.span('cache.pip-sources', async (span) => {
        const exclude = [prefix, resolvePkgsDir({ pkgsDir: options.pkgsDir, env }), cacheRoot, store?.dir].filter((p) => p !== undefined);
        const found = await pipLocalSources(pipLines, pipFile!, { exclude });
        span.addAttributes({ sources: found.length, files: found.reduce((n, s) => n + s.files, 0), bytes: found.reduce((n, s) => n + s.bytes, 0) });
        return found;
      })
    : [];
  const unhashed = localSources.filter((s) => s.tooLarge !== undefined);
  const offReason = unhashed.length === 0 ? undefined : `pip installs from ${unhashed.map((s) => `${s.path} (${s.tooLarge})`).join(', ')}, too large to read into the key`;
  if (offReason !== undefined) notices.push(`environment tarballs are off for this environment: ${offReason}`);
  const tarballsOn = tarballsWanted && offReason === undefined;
  const contentHash = tarballContentHash(specHash, pipOn ? { requirements: pipLines, files: [...(input?.kind === 'solve' ? input.files : []), ...localSources] } : undefined);
  const tKey = tarballKey({ specFileHash: contentHash, platform, prefix, formatVersion: ENV_TARBALL_FORMAT_VERSION });
  if (options.dryRun) {
    const tarball: CacheUse = { status: tarballsOn ? 'skipped' : 'off', key: tKey, reason: offReason ?? 'dry run' };
    return outcome({ tarball, transaction: undefined, restore: undefined, pip: pipNotRun(pipOn ? 'dry run' : 'pip is turned off') });
  }

  // 3. the stored environment
  let tarball: CreateOutcome['tarball'] = { status: tarballsOn ? (refresh ? 'refresh' : 'miss') : 'off', key: tKey, ...(offReason === undefined ? {} : { reason: offReason }) };
  if (tarballsOn && !refresh) {
    const found = await findTarball(store, tKey, contentHash, !pipOn);
    if (found !== undefined && isExpired(found.entry.created, options.cache.tarballTtl ?? DEFAULT_TARBALL_TTL, now())) {
      tarball = { status: 'expired', key: tKey, reason: `stored ${age(found.entry.created, now())} ago, older than the TTL` };
    } else if (found !== undefined) {
      const restored = await restoreEnvironment({ archive: found.archive, prefix, scan: options.cache.simple !== true, tracer, toolsMemo: join(cacheRoot, 'system-tools.json') });
      if (restored.status === 'restored') {
        warnings.push(...restored.warnings);
        // the file's variables are not part of the key: this run's go into conda-meta/state, as an install would put them
        const vars = options.transaction?.envVars;
        if (vars !== undefined && Object.keys(vars).length > 0) {
          const statePath = join(prefix, 'conda-meta', 'state');
          await writeFile(statePath, buildStateFile(await readFile(statePath, 'utf8').catch(() => undefined), vars));
        }
        const pip = pipNotRun('restored from the stored environment, which holds what pip installed');
        return outcome({ path: 'tarball', tarball: { status: 'hit', key: found.entry.key, reason: `stored ${age(found.entry.created, now())} ago${restored.relocated ? ', relocated' : ''}${restored.scan ? ', scanned' : ', not scanned (simple mode)'}` }, transaction: undefined, restore: restored, pip });
      }
      warnings.push(`the stored environment ${found.entry.key} cannot be used: ${restored.message}; installing the packages instead`);
      await store.delete(found.entry.key).catch(() => false);
      tarball = { status: 'corrupt', key: tKey, reason: restored.reason };
    }
  }

  // 4. install, then store the environment
  startWorker();
  const requestedSpecs = new Map(specs.map((s) => [s.name, s.toString()]));
  await options.beforeInstall?.({ specHash, link: diff.link.length });
  const { installPackages } = await import('../install/install-packages.ts');
  const { result } = await installPackages({
    prefix,
    link: diff.link,
    unlink: diff.unlink,
    pkgsDir: options.pkgsDir,
    offline: options.offline,
    cacheCheck: options.cache.simple === true ? 'record' : 'paths',
    env,
    tracer,
    onFetchProgress: options.onInstallProgress,
    onFetched: () => options.onFetched?.(diff.link.length, diff.unlink.length),
    onEvent: options.onEvent,
    transaction: {
      ...options.transaction,
      requestedSpecs,
      // the history's update specs are what was asked for: the file's and the command line's
      history: options.transaction?.history && { ...options.transaction.history, updateSpecs: [...options.transaction.history.updateSpecs ?? [], ...specs.map(String)] },
    },
  });
  // pip after the conda packages, before the prefix is packed: the tarball holds what it installed
  const pip = await runPip();
  if (tarballsOn) {
    const decision = tarballDecision(linkScriptPackages(readRecordFiles(prefix)), { tarballs: options.cache.tarballs ?? 'auto' });
    if (decision.notice) notices.push(decision.notice);
    if (!decision.enabled) {
      tarball = { ...tarball, status: 'off', reason: 'packages have link scripts' };
    } else {
      // the environment is made: a tarball that cannot be packed or stored only costs the next run time
      const failure = await tracer.span('cache.save', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'env-setup-pack-'));
        try {
          const file = join(dir, `${tKey}.tar.zst`);
          const { packEnvironment } = await import('../cache/env-tarball-pack.ts');
          await packEnvironment({ prefix, output: file, platform, meta: { key: tKey, specHash: contentHash }, tracer });
          await store.put(tKey, file, { move: true });
          return undefined;
        } catch (error) {
          return (error as Error).message;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
      if (failure === undefined) tarball = { ...tarball, saved: true };
      else {
        warnings.push(`the environment was not stored as a tarball: ${failure}`);
        tarball = { ...tarball, status: 'skipped', reason: failure };
      }
    }
  }
  return outcome({ tarball, transaction: result, restore: undefined, pip });
}

/**
 * The tarball for this solution: the one made at this prefix, else (when `anyPrefix`: pip installed
 * nothing, so relocation knows every file holding the prefix) the newest made at another prefix for
 * the same solution, platform and format (restoring it relocates).
 */
/** A stored environment tarball: a file, or (a store that downloads) its bytes as they arrive. */
interface FoundTarball {
  archive: string | ArchiveStream;
  entry: { key: string; created: number };
}

async function findTarball(store: CacheStore, key: string, specHash: string, anyPrefix: boolean): Promise<FoundTarball | undefined> {
  const exact = await openTarball(store, key);
  if (exact !== undefined || !anyPrefix) return exact;
  // <prefix>-<format>-<platform>-<prefix hash>-<spec hash>: the same up to the prefix hash
  const head = key.slice(0, key.length - specHash.length - 1 - 16);
  const others = (await store.list(head)).filter((e) => e.key.startsWith(TARBALL_KEY_PREFIX) && e.key.endsWith(`-${specHash}`));
  const newest = others.at(-1);
  return newest === undefined ? undefined : openTarball(store, newest.key);
}

async function openTarball(store: CacheStore, key: string): Promise<FoundTarball | undefined> {
  if (store.open !== undefined) {
    const opened = await store.open(key);
    return opened && { archive: { name: `${opened.entry.key} (${store.location})`, chunks: opened.chunks, ...(opened.cancel === undefined ? {} : { cancel: opened.cancel }) }, entry: opened.entry };
  }
  const got = await store.get(key);
  return got && { archive: got.path, entry: got.entry };
}

function specReason(status: CacheStatus, created: number | undefined, now: number, ttl: Ttl): string {
  switch (status) {
    case 'off':
      return 'caching is off';
    case 'refresh':
      return 'asked to refresh';
    case 'expired':
      return `stored ${age(created!, now)} ago, older than the TTL (${ttl === 0 ? '0: always solve' : age(now - ttl, now)})`;
    case 'corrupt':
      return 'the stored solve could not be used';
    default:
      return 'no stored solve for this environment';
  }
}

/** `3.2 h`, `45 s`, `2.0 days`. */
function age(created: number, now: number): string {
  const s = Math.max(0, (now - created) / 1000);
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}
