// `env-setup solve`: read specs (from arguments and/or an environment file), solve against the
// channels, print the packages (or, with --json, the documented JSON), or explain why not (exit 1).

import { existsSync, readFileSync } from 'node:fs';
import { ChannelError } from '../core/channel/index.ts';
import { hostSubdir } from '../core/index/virtual-packages.ts';
import { parseEnvironmentFile } from '../core/spec/environment-file.ts';
import { SpecError } from '../core/spec/errors.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { solveEnvironment } from '../core/solve/solve-environment.ts';
import type { ChannelPriority } from '../core/solve/conda-solver.ts';
import { Tracer } from '../core/timing/index.ts';
import { type CliResult, UsageError } from './result.ts';

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
}

function parseArgs(args: string[]): SolveArgs {
  const out: SolveArgs = { file: undefined, specs: [], channels: [], platform: undefined, virtualPackages: [], channelPriority: undefined, offline: false, condarc: undefined, cacheDir: undefined, overrideChannels: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
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
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'solve'`);
    else out.specs.push(a);
  }
  return out;
}

export async function runSolve(argv: string[]): Promise<CliResult> {
  const args = parseArgs(argv);
  const tracer = new Tracer();
  const specs: MatchSpec[] = [];
  const channels = [...args.channels];
  let file = args.file;
  if (file === undefined && args.specs.length === 0 && existsSync('environment.yml')) file = 'environment.yml';
  if (file === undefined && args.specs.length === 0) throw new UsageError("'solve' needs specs or an environment file: env-setup solve -f environment.yml, or env-setup solve 'numpy>=1.26'");
  try {
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new UsageError(`${file}: no such file; pass the environment file with -f FILE`);
      }
      const env = parseEnvironmentFile(text, file);
      if (env.kind === 'explicit') throw new UsageError(`${file} is an explicit (locked) file: there is nothing to solve`);
      if (env.kind === 'environment-yml') {
        for (const c of env.channels) if (!channels.includes(c.value)) channels.push(c.value);
        specs.push(...env.dependencies.map((d) => d.spec));
      } else specs.push(...env.specs.map((d) => d.spec));
    }
    for (const s of args.specs) specs.push(MatchSpec.parse(s));
    const platform = args.platform ?? hostSubdir();
    if (platform === undefined) throw new UsageError('cannot tell this machine\'s platform; pass --platform (e.g. linux-64)');
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
      tracer,
    });
    const timings = tracer.toJSON();
    if (!result.ok) {
      return {
        exitCode: 1,
        text: '',
        errorText: `error: the environment cannot be solved\n${result.explanation.text}`,
        json: { error: { kind: 'unsatisfiable', message: 'the environment cannot be solved', explanation: result.explanation }, stats: result.stats, timings },
      };
    }
    const width = Math.max(0, ...result.packages.map((p) => p.name.length));
    const text = result.packages.map((p) => `${p.name.padEnd(width)}  ${p.version}  ${p.build}  ${p.channel}/${p.subdir}`).join('\n');
    return { exitCode: 0, text, json: { packages: result.packages, stats: result.stats, timings } };
  } catch (e) {
    if (e instanceof SpecError) return { exitCode: 2, text: '', errorText: `error: ${e.message}`, json: { error: { kind: 'bad-input', message: e.message } } };
    if (e instanceof ChannelError) {
      return { exitCode: e.exitCode, text: '', errorText: `error: ${e.message}`, json: { error: { kind: e.kind, message: e.message, url: e.url } } };
    }
    throw e;
  }
}
