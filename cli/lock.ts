// `env-setup lock`: solve an environment file for one or more platforms and write the solves down —
// as spec files (conda's @EXPLICIT format with env-setup's header; one file per platform, which
// `conda create --file` and `env-setup create -f` install unchanged) or as one conda-lock v1 file
// (`--format conda-lock`) for all platforms. Solves run through solveEnvironment exactly as
// `env-setup solve`; each spec file is also stored in the cache (under its environment key), so a
// later `create` of the same file on the same platform skips the solve (`--no-cache`: not stored).

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { environmentKey } from '../core/cache/environment-key.ts';
import { readEnvironmentInput, type SolveInput } from '../core/cache/environment-input.ts';
import { LocalStore } from '../core/cache/local-store.ts';
import { storeSpecFile } from '../core/cache/spec-cache.ts';
import { readSpecFile, writeSpecFile } from '../core/cache/spec-file.ts';
import { specFileKey } from '../core/cache/cache-keys.ts';
import { hostSubdir, virtualPackagesFor } from '../core/index/virtual-packages.ts';
import { solveEnvironment, type SolvedPackage } from '../core/solve/solve-environment.ts';
import { writeCondaLock } from '../core/spec/lock-file-write-conda-lock.ts';
import { isKnownSubdir } from '../core/spec/platform.ts';
import { Tracer } from '../core/timing/index.ts';
import { channelOption, emptyChannelArgs, errorResult, type ChannelArgs, type CommandIo } from './prefix-common.ts';
import { fetchProgressReporter } from './progress.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';
import { unsolvedResult } from './solve-failure.ts';

type LockFormat = 'explicit' | 'conda-lock';

interface LockArgs {
  file: string;
  platforms: string[];
  output: string | undefined;
  format: LockFormat;
  virtualPackages: string[];
  channel: ChannelArgs;
  store: boolean;
}

function parseArgs(args: string[]): LockArgs {
  const out: LockArgs = { file: 'environment.yml', platforms: [], output: undefined, format: 'explicit', virtualPackages: [], channel: emptyChannelArgs(), store: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => optionValue(args, ++i, a);
    const used = channelOption(args, i, out.channel);
    if (used >= 0) i = used;
    else if (a === '-f' || a === '--file') out.file = value();
    else if (a === '--platform') {
      for (const p of value().split(',').map((s) => s.trim()).filter((s) => s !== '')) {
        if (!isKnownSubdir(p) || p === 'noarch') throw new UsageError(`--platform: '${p}' is not a platform to solve for (e.g. linux-64, osx-arm64, win-64)`);
        if (!out.platforms.includes(p)) out.platforms.push(p);
      }
    } else if (a === '-o' || a === '--output') out.output = value();
    else if (a === '--format') {
      const v = value();
      if (v !== 'explicit' && v !== 'conda-lock') throw new UsageError(`--format must be explicit or conda-lock, not '${v}'`);
      out.format = v;
    } else if (a === '--virtual-package') out.virtualPackages.push(value());
    else if (a === '--no-cache') out.store = false;
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'lock'`);
    else throw new UsageError(`'lock' takes an environment file with -f FILE, not '${a}'`);
  }
  return out;
}

interface PlatformSolve {
  platform: string;
  environmentKey: string;
  packages: SolvedPackage[];
  channels: string[];
  virtualPackages: string[];
}

/** Where the spec file of `platform` goes: -o as given (with `{platform}` filled in), else conda-<platform>.lock. */
function explicitPath(output: string | undefined, platform: string, several: boolean): string {
  if (output === undefined) return `conda-${platform}.lock`;
  if (output.includes('{platform}')) return output.replaceAll('{platform}', platform);
  if (several) throw new UsageError(`-o ${output}: several platforms write several files; put {platform} in the name, e.g. -o 'env-{platform}.lock'`);
  return output;
}

/** Writes a file through a temporary file and a rename, so a reader never sees half of it. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

export async function runLock(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  const args = parseArgs(argv);
  const env = io.env ?? process.env;
  const tracer = new Tracer();
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch {
    throw new UsageError(`${args.file}: no such file; pass the environment file with -f FILE`);
  }
  try {
    const input = readEnvironmentInput(text, args.file);
    if (input.kind === 'locked') throw new UsageError(`${args.file} is already ${input.reason}: there is nothing to solve; install it with env-setup create -f ${args.file}`);
    const platforms = args.platforms.length > 0 ? args.platforms : filePlatforms(input) ?? [hostSubdir()].filter((p): p is string => p !== undefined);
    if (platforms.length === 0) throw new UsageError("cannot tell this machine's platform; pass --platform (e.g. linux-64)");
    if (args.format === 'explicit') for (const p of platforms) explicitPath(args.output, p, platforms.length > 1);
    const channels = [...args.channel.channels];
    for (const c of input.channels) if (!channels.includes(c)) channels.push(c);

    const solves: PlatformSolve[] = [];
    const tty = io.progress?.isTTY === true;
    for (const platform of platforms) {
      const request = {
        specs: input.specs,
        channels,
        platform,
        virtualPackages: args.virtualPackages,
        channelPriority: args.channel.channelPriority,
        condarcPath: args.channel.condarc,
        overrideChannels: args.channel.overrideChannels,
        env,
      };
      const key = tracer.span('environment key', () => environmentKey({ ...request, pip: input.pip, files: input.files }), { platform });
      const progress = io.progress && (tty || !io.json) ? fetchProgressReporter(io.progress, { tty }) : undefined;
      const result = await solveEnvironment({ ...request, offline: args.channel.offline, cacheDir: args.channel.cacheDir, tracer, onProgress: progress?.onProgress }).finally(() => progress?.finish());
      if (!result.ok) return unsolvedResult(result, args.file, input.entries, tracer.toJSON(), `the environment for ${platform}`);
      const virtual = virtualPackagesFor(platform, { env, overrides: args.virtualPackages }).map((v) => `${v.name}=${v.version}=${v.build}`);
      const baseUrls = [...new Set(key.canonical.channels.map((u) => u.slice(0, u.lastIndexOf('/'))))];
      solves.push({ platform, environmentKey: key.key, packages: result.packages, channels: baseUrls, virtualPackages: virtual });
    }

    const created = new Date();
    const written: { platform: string; path: string; environmentKey: string; specKey: string; specHash: string; packages: number; cached: boolean }[] = [];
    const store = args.store ? new LocalStore({ cacheDir: args.channel.cacheDir, env }) : undefined;
    for (const s of solves) {
      const specInput = { platform: s.platform, environmentKey: s.environmentKey, channels: s.channels, virtualPackages: s.virtualPackages, packages: s.packages, created };
      const specText = writeSpecFile(specInput);
      const hash = readSpecFile(specText, 'spec file').hash;
      let path = '';
      if (args.format === 'explicit') {
        path = resolve(explicitPath(args.output, s.platform, platforms.length > 1));
        writeAtomically(path, specText);
      }
      if (store !== undefined) await tracer.span('store spec file', () => storeSpecFile(store, specInput));
      written.push({ platform: s.platform, path, environmentKey: s.environmentKey, specKey: specFileKey(s.environmentKey, s.platform), specHash: hash, packages: s.packages.length, cached: store !== undefined });
    }
    let lockPath: string | undefined;
    if (args.format === 'conda-lock') {
      lockPath = resolve(args.output ?? 'conda-lock.yml');
      const lockText = writeCondaLock({
        channels: solves[0]!.channels,
        platforms: solves.map((s) => ({ platform: s.platform, packages: s.packages, contentHash: s.environmentKey })),
        sources: [args.file],
      });
      writeAtomically(lockPath, lockText);
      for (const w of written) w.path = lockPath;
    }
    const lines = written.map((w) => `${w.platform}: ${w.packages} packages → ${w.path}\n  environment key ${w.environmentKey}${w.cached ? `\n  cached as ${w.specKey}` : ''}`);
    return {
      exitCode: 0,
      text: lines.join('\n'),
      json: { format: args.format, files: written, cache: store?.location, timings: tracer.toJSON() },
    };
  } catch (e) {
    const handled = errorResult(e, tracer.toJSON());
    if (handled) return handled;
    throw e;
  }
}

/** The platforms an environment.yml names in `platforms:` (a CEP 24 extension), if any. */
function filePlatforms(input: SolveInput): string[] | undefined {
  if (input.file.kind !== 'environment-yml' || input.file.platforms === undefined || input.file.platforms.length === 0) return undefined;
  return input.file.platforms.map((p) => p.value);
}
