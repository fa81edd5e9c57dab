// The whole solve as the CLI, the Action and the editor run it: resolve channels, fetch their
// repodata, build the index, add the machine's virtual packages, solve (a fresh environment, or
// against an installed one as conda install does), and either list the packages in dependency
// order with what changes, or explain why there is no solution. Every stage is traced.

import { fetchMoreShards, fetchRepodata, missedShardNames, resolveChannels, type FetchProgress, type ResolvedChannels, type SubdirRepodata } from '../channel/index.ts';
import { PackageIndex, type IndexSource } from '../index/package-index.ts';
import { virtualPackagesFor } from '../index/virtual-packages.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import type { CondaMeta } from '../spec/prefix-record.ts';
import { Tracer } from '../timing/index.ts';
import { type ChannelPriority, solveConda, type SolveRequest, type SolveStats } from './conda-solver.ts';
import { explainUnsatisfiable, type UnsatExplanation } from './explain.ts';
import { type FinalStateErrorKind, solveFinalState, type UpdateModifier } from './final-state.ts';
import { installedSources, matchInstalled } from './installed-records.ts';
import { linkDiff } from './link-diff.ts';
import { type PinEffect, pinEffects } from './pin-effects.ts';
import { dependencyOrder } from './prefix-graph.ts';

export { dependencyOrder } from './prefix-graph.ts';

/** Where the records come from: the channels (as conda resolves them), the platform, the cache. */
export interface ChannelRequest {
  /** Channels in priority order (names or URLs); empty means `.condarc` / defaults. */
  channels?: readonly string[];
  platform: string;
  /** `--virtual-package name=version[=build]` values. */
  virtualPackages?: readonly string[];
  channelPriority?: ChannelPriority;
  offline?: boolean;
  condarcPath?: string;
  /** Use only the given channels (no `.condarc` channels, no `defaults`), as conda's --override-channels. */
  overrideChannels?: boolean;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  tracer?: Tracer;
  onProgress?: (p: FetchProgress) => void;
}

export interface SolveEnvironmentOptions extends ChannelRequest {
  specs: readonly MatchSpec[];
  /** Solve against this installed environment (its conda-meta records, history and pins) instead of a fresh one. */
  installed?: CondaMeta;
  /**
   * How installed packages may change. Default: freeze-installed, retried as update-specs when that
   * cannot be solved, as `conda install` does; explicit freeze-installed does not retry.
   */
  updateModifier?: UpdateModifier;
}

/** A solved package as `env-setup solve --json` prints it. */
export interface SolvedPackage {
  name: string;
  version: string;
  build: string;
  build_number: number;
  subdir: string;
  channel: string;
  url: string | undefined;
  fn: string;
  md5: string | undefined;
  sha256: string | undefined;
  size: number | undefined;
  depends: string[];
  constrains: string[];
}

export interface EnvironmentSolveStats extends SolveStats {
  /** Records in the channels' repodata. */
  records: number;
  /** Records parsed: those of the package names the solve reached. */
  recordsRead: number;
  channels: number;
  subdirs: number;
  /** After a successful solve: the pins that would shrink the search most, with candidate counts. */
  pins?: PinEffect[];
}

export type EnvironmentSolution =
  | {
      ok: true;
      /** The environment after the solve, dependencies first. */
      packages: SolvedPackage[];
      /** With an installed environment: what to remove (dependents first) and add (dependencies first). */
      unlink?: SolvedPackage[];
      link?: SolvedPackage[];
      stats: EnvironmentSolveStats;
    }
  | { ok: false; explanation: UnsatExplanation; stats: EnvironmentSolveStats; kind?: FinalStateErrorKind; message?: string };

const VIRTUAL = '@';

export async function solveEnvironment(options: SolveEnvironmentOptions): Promise<EnvironmentSolution> {
  const tracer = options.tracer ?? Tracer.disabled();
  const env = options.env ?? process.env;
  const specChannels = options.specs.map((s) => s.channel).filter((c): c is string => c !== undefined && c !== '*');
  const resolved = tracer.span('resolve channels', () =>
    resolveChannels({
      platform: options.platform,
      channels: options.channels,
      specChannels,
      channelPriority: options.channelPriority,
      condarcPath: options.condarcPath,
      overrideChannels: options.overrideChannels,
      env,
    }),
  );
  const fetchOptions = { offline: options.offline, cacheDir: options.cacheDir, env, network: resolved.network, tracer, onProgress: options.onProgress };
  const subdirs = await fetchRepodata(resolved.channels, { ...fetchOptions, names: wantedNames(options) });
  // sharded channels hold only the names fetched: when the solve asked for others, fetch them and solve again
  for (;;) {
    const solution = solveOver(options, resolved, subdirs, tracer);
    const missed = missedShardNames(subdirs);
    if (missed.length === 0) return solution;
    await tracer.span('shards.more', () => fetchMoreShards(subdirs, missed, fetchOptions), { names: missed.length });
  }
}

/** Names a solve starts from: the specs', the installed packages', the history's and the pins'. */
function wantedNames(options: SolveEnvironmentOptions): string[] {
  const meta = options.installed;
  const specs = [...options.specs, ...(meta?.history ?? []), ...(meta?.pinned ?? [])];
  return [...specs.map((s) => s.name), ...(meta?.records ?? []).map((r) => r.record.name)].filter((n) => n !== '*');
}

function solveOver(options: SolveEnvironmentOptions, resolved: ResolvedChannels, subdirs: SubdirRepodata[], tracer: Tracer): EnvironmentSolution {
  const env = options.env ?? process.env;
  const index = tracer.span('index', (span) => {
    const sources: IndexSource[] = subdirs.map((s) => ({
      channel: s.channel.name,
      priority: s.channel.priority,
      subdir: s.subdir,
      url: s.url,
      entries: s.packages,
      removed: s.removed,
    }));
    const virtual = virtualPackagesFor(options.platform, { env, overrides: options.virtualPackages });
    sources.push({ channel: VIRTUAL, priority: -1, subdir: options.platform, entries: virtual.map((r): [string, unknown] => [r.fn, r]) });
    sources.push(...installedSources(options.installed?.records ?? [], options.platform));
    const ix = PackageIndex.from(sources);
    // no name count here: over lazy sources (sharded or scanned repodata) it makes a string of every
    // name of every subdir, ~20 ms of each solve on a 16.5k-name channel, for a number nothing reads
    span.addAttributes({ records: ix.size });
    return ix;
  });
  const virtualNames = virtualNamesOf(index, options);
  const base = { index, channelPriority: resolved.channelPriority, virtualChannel: VIRTUAL };
  const installed = options.installed === undefined ? undefined : matchInstalled(index, options.installed.records, VIRTUAL);
  let request: SolveRequest;
  let records: number[];
  let failure: { kind?: FinalStateErrorKind; message?: string; specs?: MatchSpec[] } | undefined;
  let stats: EnvironmentSolveStats;
  // records read counts what the solve loaded, so it is taken after solving
  const counts = () => ({ records: index.size, recordsRead: index.loadedCount, channels: resolved.channels.length, subdirs: subdirs.length });
  if (installed === undefined) {
    // conda requires the machine's virtual packages, so their constraints (`__glibc >=2.28`) hold
    request = { ...base, specs: [...options.specs, ...virtualNames.map((n) => MatchSpec.fromFields({ name: n }))] };
    const outcome = tracer.span('solve', () => solveConda(request));
    stats = { ...outcome.stats, ...counts() };
    records = outcome.ok ? outcome.records : [];
    if (!outcome.ok) failure = {};
  } else {
    const meta = options.installed!;
    const outcome = tracer.span('solve', () =>
      solveFinalState({
        ...base,
        exclude: installed.duplicates,
        installed: installed.ids,
        history: meta.history,
        specsToAdd: options.specs,
        pinned: meta.pinned,
        virtualPackages: virtualNames,
        updateModifier: options.updateModifier ?? 'freeze-installed',
        retryUnfrozen: options.updateModifier === undefined,
      }),
    );
    request = outcome.request ?? { ...base, specs: options.specs };
    const solved = outcome.ok ? outcome.stats : undefined;
    stats = { ...(solved ?? { variables: 0, clauses: 0, decisions: 0, conflicts: 0, propagations: 0, learned: 0, names: 0 }), ...counts() };
    records = outcome.ok ? outcome.records : [];
    if (!outcome.ok) failure = { kind: outcome.kind, message: outcome.message, specs: outcome.specs };
  }
  if (failure !== undefined) {
    const { specs: failed = [], ...why } = failure;
    if (why.kind !== undefined && why.kind !== 'unsatisfiable') {
      // not a conflict to trace: a package to remove that is not installed, a spec against a pin, …
      const names = failed.map(String);
      const explanation: UnsatExplanation = { specs: names, missing: why.kind === 'packages-not-found' ? names : [], conflicts: [], text: why.message ?? '' };
      return { ok: false, explanation, stats, ...why };
    }
    const explanation = tracer.span('explain', () => explainUnsatisfiable(request));
    return { ok: false, explanation, stats, ...why };
  }
  const toPackage = (id: number) => solvedPackage(index, id);
  const chosen = records.filter((id) => index.channelOf(id) !== VIRTUAL);
  const packages = dependencyOrder(index, chosen).map(toPackage);
  stats.pins = tracer.span('solve.pins', () => pinEffects(index, [...options.specs, ...(options.installed?.history ?? []), ...(options.installed?.pinned ?? [])], packages, VIRTUAL));
  if (installed === undefined) return { ok: true, packages, stats };
  const diff = linkDiff(index, installed.ids, chosen, { specsToAdd: options.specs });
  return { ok: true, packages, unlink: diff.unlink.map(toPackage), link: diff.link.map(toPackage), stats };
}

/** The machine's virtual package names (records of the virtual channel) conda adds as specs. */
function virtualNamesOf(index: PackageIndex, options: SolveEnvironmentOptions): string[] {
  const env = options.env ?? process.env;
  return virtualPackagesFor(options.platform, { env, overrides: options.virtualPackages })
    .map((r) => r.name)
    .filter((name) => index.candidates(name).some((id) => index.channelOf(id) === VIRTUAL));
}

/** A record of the index as a solve result lists it. */
export function solvedPackage(index: PackageIndex, id: number): SolvedPackage {
  const r = index.record(id);
  return {
    name: r.name,
    version: r.version,
    build: r.build,
    build_number: r.build_number,
    subdir: index.subdirOf(id),
    channel: index.channelOf(id),
    url: index.urlOf(id),
    fn: index.fnOf(id),
    md5: r.md5,
    sha256: r.sha256,
    size: r.size,
    depends: r.depends,
    constrains: r.constrains,
  };
}
