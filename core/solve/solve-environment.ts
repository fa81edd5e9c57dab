// The whole solve as the CLI, the Action and the editor run it: resolve channels, fetch their
// repodata, build the index, add the machine's virtual packages, solve, and either list the
// packages in dependency order or explain why there is no solution. Every stage is traced.

import { fetchRepodata, resolveChannels, type FetchProgress } from '../channel/index.ts';
import { PackageIndex, type IndexSource } from '../index/package-index.ts';
import { virtualPackagesFor } from '../index/virtual-packages.ts';
import type { MatchSpec } from '../spec/match-spec.ts';
import { Tracer } from '../timing/index.ts';
import { type ChannelPriority, solveConda, type SolveStats } from './conda-solver.ts';
import { explainUnsatisfiable, type UnsatExplanation } from './explain.ts';

export interface SolveEnvironmentOptions {
  specs: readonly MatchSpec[];
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
}

export type EnvironmentSolution =
  | { ok: true; packages: SolvedPackage[]; stats: EnvironmentSolveStats }
  | { ok: false; explanation: UnsatExplanation; stats: EnvironmentSolveStats };

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
  const subdirs = await fetchRepodata(resolved.channels, {
    offline: options.offline,
    cacheDir: options.cacheDir,
    env,
    network: resolved.network,
    tracer,
    onProgress: options.onProgress,
  });
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
    const ix = PackageIndex.from(sources);
    span.addAttributes({ records: ix.size, names: ix.nameCount });
    return ix;
  });
  const request = { index, specs: options.specs, channelPriority: resolved.channelPriority, virtualChannel: VIRTUAL };
  const outcome = tracer.span('solve', () => solveConda(request));
  const stats: EnvironmentSolveStats = { ...outcome.stats, records: index.size, recordsRead: index.loadedCount, channels: resolved.channels.length, subdirs: subdirs.length };
  if (!outcome.ok) {
    const explanation = tracer.span('explain', () => explainUnsatisfiable(request));
    return { ok: false, explanation, stats };
  }
  const chosen = outcome.records.filter((id) => index.channelOf(id) !== VIRTUAL);
  const packages = dependencyOrder(index, chosen).map((id): SolvedPackage => {
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
  });
  return { ok: true, packages, stats };
}

/** Dependencies before dependents; ties (and cycles) broken by name, so the order is deterministic. */
export function dependencyOrder(index: PackageIndex, ids: readonly number[]): number[] {
  const byName = new Map(ids.map((id) => [index.nameOf(id), id]));
  const names = [...byName.keys()].sort();
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: number[] = [];
  const visit = (name: string) => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    const id = byName.get(name)!;
    for (const dep of [...index.depends(id)].map((d) => d.name).sort()) if (byName.has(dep)) visit(dep);
    visiting.delete(name);
    done.add(name);
    out.push(id);
  };
  for (const n of names) visit(n);
  return out;
}
