// `env-setup solve`: read specs (from arguments and/or an environment file), solve against the
// channels — for a fresh environment, or with --prefix against an installed one as `conda install`
// does — print the packages and what changes (or, with --json, the documented JSON), or explain
// why not (exit 1).

import { existsSync } from 'node:fs';
import { ChannelError } from '../core/channel/index.ts';
import { hostSubdir } from '../core/index/virtual-packages.ts';
import { SpecError } from '../core/spec/errors.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { type CondaMeta, readCondaMeta } from '../core/spec/prefix-record.ts';
import type { UpdateModifier } from '../core/solve/final-state.ts';
import { type SolvedPackage, solveEnvironment } from '../core/solve/solve-environment.ts';
import type { ChannelPriority } from '../core/solve/conda-solver.ts';
import { Tracer } from '../core/timing/index.ts';
import type { DependencyEntry } from '../core/spec/plain-spec-file.ts';
import { fetchProgressReporter, type ProgressStream } from './progress.ts';
import { readEnvironmentFileArg } from './read-environment-file.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';
import { unsolvedResult } from './solve-failure.ts';

interface SolveArgs {
  file: string | undefined;
  specs: string[];
  channels: string[];
  platform: string | undefined;
  virtualPackages: string[];
  channelPriority: ChannelPriority | undefined;
  offline: boolean;
  condarc: string | undefined;
  cacheDir: string | undefined;
  overrideChannels: boolean;
  prefix: string | undefined;
  updateModifier: UpdateModifier | undefined;
}

function parseArgs(args: string[]): SolveArgs {
  const out: SolveArgs = { file: undefined, specs: [], channels: [], platform: undefined, virtualPackages: [], channelPriority: undefined, offline: false, condarc: undefined, cacheDir: undefined, overrideChannels: false, prefix: undefined, updateModifier: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => optionValue(args, ++i, a);
    if (a === '-f' || a === '--file') out.file = value();
    else if (a === '-c' || a === '--channel') out.channels.push(value());
    else if (a === '--platform') out.platform = value();
    else if (a === '--virtual-package') out.virtualPackages.push(value());
    else if (a === '--channel-priority') {
      const v = value();
      if (v !== 'strict' && v !== 'flexible' && v !== 'disabled') throw new UsageError(`--channel-priority must be strict, flexible or disabled, not '${v}'`);
      out.channelPriority = v;
    } else if (a === '--offline') out.offline = true;
    else if (a === '--override-channels') out.overrideChannels = true;
    else if (a === '--condarc') out.condarc = value();
    else if (a === '--cache-dir') out.cacheDir = value();
    else if (a === '-p' || a === '--prefix') out.prefix = value();
    else if (a === '--freeze-installed' || a === '--update-all') {
      const m: UpdateModifier = a === '--update-all' ? 'update-all' : 'freeze-installed';
      if (out.updateModifier !== undefined && out.updateModifier !== m) throw new UsageError('--freeze-installed and --update-all cannot be used together');
      out.updateModifier = m;
    } else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'solve'`);
    else out.specs.push(a);
  }
  return out;
}

export interface SolveIo {
  /** --json: the progress goes to a terminal only (as a live line), never as plain lines. */
  json: boolean;
  /** Where progress goes (stderr); omitted, no progress is shown. */
  progress?: ProgressStream & { isTTY?: boolean };
}

export async function runSolve(argv: string[], io: SolveIo = { json: false }): Promise<CliResult> {
  const args = parseArgs(argv);
  const tracer = new Tracer();
  const specs: MatchSpec[] = [];
  const entries: DependencyEntry[] = [];
  const channels = [...args.channels];
  let file = args.file;
  if (args.updateModifier !== undefined && args.prefix === undefined) throw new UsageError(`${args.updateModifier === 'update-all' ? '--update-all' : '--freeze-installed'} needs an installed environment: pass --prefix PATH`);
  // --update-all needs no specs: everything installed is updated
  const updateAll = args.updateModifier === 'update-all';
  if (file === undefined && args.specs.length === 0 && !updateAll && existsSync('environment.yml')) file = 'environment.yml';
  if (file === undefined && args.specs.length === 0 && !updateAll) throw new UsageError("'solve' needs specs or an environment file: env-setup solve -f environment.yml, or env-setup solve 'numpy>=1.26'");
  try {
    if (file !== undefined) {
      const env = readEnvironmentFileArg(file);
      if (env.kind === 'explicit') throw new UsageError(`${file} is an explicit (locked) file: there is nothing to solve`);
      if (env.kind === 'environment-yml') {
        for (const c of env.channels) if (!channels.includes(c.value)) channels.push(c.value);
        entries.push(...env.dependencies);
      } else entries.push(...env.specs);
      specs.push(...entries.map((d) => d.spec));
    }
    for (const s of args.specs) specs.push(MatchSpec.parse(s));
    const platform = args.platform ?? hostSubdir();
    if (platform === undefined) throw new UsageError('cannot tell this machine\'s platform; pass --platform (e.g. linux-64)');
    let installed: CondaMeta | undefined;
    if (args.prefix !== undefined) {
      if (!existsSync(args.prefix)) throw new UsageError(`${args.prefix}: no such environment (--prefix)`);
      installed = readCondaMeta(args.prefix);
    }
    const tty = io.progress?.isTTY === true;
    const progress = io.progress && (tty || !io.json) ? fetchProgressReporter(io.progress, { tty }) : undefined;
    const result = await solveEnvironment({
      specs,
      channels,
      platform,
      virtualPackages: args.virtualPackages,
      channelPriority: args.channelPriority,
      offline: args.offline,
      condarcPath: args.condarc,
      cacheDir: args.cacheDir,
      overrideChannels: args.overrideChannels,
      installed,
      updateModifier: args.updateModifier,
      tracer,
      onProgress: progress?.onProgress,
    }).finally(() => progress?.finish());
    const timings = tracer.toJSON();
    // the specs it names, mapped back to the lines of the file they came from
    if (!result.ok) return unsolvedResult(result, file, entries, timings);
    if (result.link === undefined || result.unlink === undefined) {
      return { exitCode: 0, text: table(result.packages.map((p) => ['', p])), json: { packages: result.packages, stats: result.stats, timings } };
    }
    // against an installed environment: what changes
    const rows: [string, SolvedPackage][] = [...result.unlink.map((p): [string, SolvedPackage] => ['-', p]), ...result.link.map((p): [string, SolvedPackage] => ['+', p])];
    const text = rows.length === 0 ? 'nothing to change: the environment already satisfies the request' : table(rows);
    return { exitCode: 0, text, json: { packages: result.packages, unlink: result.unlink, link: result.link, stats: result.stats, timings } };
  } catch (e) {
    if (e instanceof SpecError) return { exitCode: 2, text: '', errorText: `error: ${e.message}`, json: { error: { kind: 'bad-input', message: e.message } } };
    if (e instanceof ChannelError) {
      return { exitCode: e.exitCode, text: '', errorText: `error: ${e.message}`, json: { error: { kind: e.kind, message: e.message, url: e.url } } };
    }
    throw e;
  }
}

/** One line per package, columns aligned; a `-`/`+` mark column when any row has one. */
function table(rows: readonly [string, SolvedPackage][]): string {
  const width = Math.max(0, ...rows.map(([, p]) => p.name.length));
  const marked = rows.some(([m]) => m !== '');
  return rows.map(([m, p]) => `${marked ? `${m} ` : ''}${p.name.padEnd(width)}  ${p.version}  ${p.build}  ${p.channel}/${p.subdir}`).join('\n');
}
