// An index loaded once and solved against many times, as a long-running process (the language
// server) needs: `loadIndex` resolves the channels, fetches their repodata (through the cache) and
// builds the index with the target platform's virtual packages; `solveLoaded` solves a fresh
// environment on it, reusing the candidate orderings of earlier solves (SolveCache), and explains
// a failure. The one-shot path for the CLI is solve-environment.ts.

import { fetchRepodata, resolveChannels, type ResolvedChannel, type SubdirRepodata } from '../channel/index.ts';
import { PackageIndex, type IndexSource } from '../index/package-index.ts';
import { virtualPackagesFor } from '../index/virtual-packages.ts';
import { MatchSpec } from '../spec/match-spec.ts';
import { Tracer } from '../timing/index.ts';
import { type ChannelPriority, SolveCache, solveConda, type SolveRequest } from './conda-solver.ts';
import { explainUnsatisfiable } from './explain.ts';
import { dependencyOrder } from './prefix-graph.ts';
import { type ChannelRequest, type EnvironmentSolution, solvedPackage } from './solve-environment.ts';

export interface LoadIndexOptions extends ChannelRequest {
  /** Channels named by specs (`conda-forge::numpy`); they come after the others, as in conda. */
  specChannels?: readonly string[];
}

export interface LoadedIndex {
  index: PackageIndex;
  platform: string;
  channels: readonly ResolvedChannel[];
  channelPriority: ChannelPriority;
  /** What was fetched, one entry per channel subdir. */
  subdirs: readonly SubdirRepodata[];
  /** The channel name the virtual packages are filed under. */
  virtualChannel: string;
  /** The virtual package names the platform has (required by every solve, as conda does). */
  virtualNames: readonly string[];
  /** Orderings shared by the solves on this index. */
  cache: SolveCache;
}

const VIRTUAL = '@';

export async function loadIndex(options: LoadIndexOptions): Promise<LoadedIndex> {
  const tracer = options.tracer ?? Tracer.disabled();
  const env = options.env ?? process.env;
  const resolved = tracer.span('resolve channels', () =>
    resolveChannels({
      platform: options.platform,
      channels: options.channels,
      specChannels: options.specChannels,
      channelPriority: options.channelPriority,
      condarcPath: options.condarcPath,
      overrideChannels: options.overrideChannels,
      env,
    }),
  );
  const subdirs = await fetchRepodata(resolved.channels, {
    offline: options.offline,
    cacheDir: options.cacheDir,
    env,
    network: resolved.network,
    tracer,
    onProgress: options.onProgress,
  });
  const virtual = virtualPackagesFor(options.platform, { env, overrides: options.virtualPackages });
  const index = tracer.span('index', () => {
    const sources: IndexSource[] = subdirs.map((s) => ({ channel: s.channel.name, priority: s.channel.priority, subdir: s.subdir, url: s.url, entries: s.packages, removed: s.removed }));
    sources.push({ channel: VIRTUAL, priority: -1, subdir: options.platform, entries: virtual.map((r): [string, unknown] => [r.fn, r]) });
    return PackageIndex.from(sources);
  });
  return {
    index,
    platform: options.platform,
    channels: resolved.channels,
    channelPriority: resolved.channelPriority,
    subdirs,
    virtualChannel: VIRTUAL,
    virtualNames: virtual.map((r) => r.name),
    cache: new SolveCache(),
  };
}

/** Solves a fresh environment for `specs` on a loaded index: the packages in dependency order, or why not. */
export function solveLoaded(loaded: LoadedIndex, specs: readonly MatchSpec[], tracer: Tracer = Tracer.disabled()): EnvironmentSolution {
  const { index } = loaded;
  const request: SolveRequest = {
    index,
    channelPriority: loaded.channelPriority,
    virtualChannel: loaded.virtualChannel,
    cache: loaded.cache,
    specs: [...specs, ...loaded.virtualNames.map((name) => MatchSpec.fromFields({ name }))],
  };
  const outcome = tracer.span('solve', () => solveConda(request));
  const stats = {
    ...outcome.stats,
    records: index.size,
    recordsRead: index.loadedCount,
    channels: loaded.channels.length,
    subdirs: loaded.subdirs.length,
  };
  if (!outcome.ok) return { ok: false, explanation: tracer.span('explain', () => explainUnsatisfiable(request)), stats };
  const chosen = outcome.records.filter((id) => index.channelOf(id) !== loaded.virtualChannel);
  return { ok: true, packages: dependencyOrder(index, chosen).map((id) => solvedPackage(index, id)), stats };
}
