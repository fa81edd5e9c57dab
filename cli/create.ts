// `env-setup create`: an environment from an environment file (environment.yml, a plain spec list,
// or a lock: @EXPLICIT, conda-lock.yml, pixi.lock) and/or specs, at `-p PREFIX` or `-n NAME`, by
// core/create (stored environment tarball → stored spec file → solve + install; see there). An
// existing environment at the prefix is brought to exactly the solved set, so running create twice
// changes nothing the second time. `--dry-run` stops after the plan. The file's `variables:` go to
// conda-meta/state, where `conda activate` and `env-setup run` find them. The file's `pip:`
// requirements are installed by the environment's pip after the conda packages, as conda does
// (core/create/pip-requirements.ts; pip's output goes to stderr, `--json` has it under `pip`;
// `--no-pip` leaves them out; `--dry-run` lists them). Cache flags: see cache-options.ts; stderr
// (and `--json`'s `cache`) say which path ran and why, with every key.

import { existsSync, readFileSync } from 'node:fs';
import { isSimpleMode } from '../core/cache/env-tarball-scan.ts';
import { LocalStore } from '../core/cache/local-store.ts';
import { createEnvironment, type CacheUse, type CreateOutcome } from '../core/create/create-environment.ts';
import { hostSubdir } from '../core/index/virtual-packages.ts';
import { registerEnvironment } from '../core/install/environment-registry.ts';
import { installProgressReporter } from '../core/install/progress-reporter.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { Tracer } from '../core/timing/index.ts';
import { cacheOption, defaultCacheArgs, type CacheArgs } from './cache-options.ts';
import { changeTable, channelOption, defaultLinkArgs, emptyChannelArgs, errorResult, linkOption, resolvePrefixArg, transactionJson, transactionNotes, type ChannelArgs, type CommandIo, type LinkArgs } from './prefix-common.ts';
import { fetchProgressReporter } from './progress.ts';
import { readEnvironmentInputArg } from './read-environment-file.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';
import { unsolvedResult } from './solve-failure.ts';

interface CreateArgs {
  file: string | undefined;
  specs: string[];
  prefix: string | undefined;
  name: string | undefined;
  dryRun: boolean;
  pip: boolean;
  channel: ChannelArgs;
  link: LinkArgs;
  cache: CacheArgs;
}

function parseArgs(args: string[]): CreateArgs {
  const out: CreateArgs = { file: undefined, specs: [], prefix: undefined, name: undefined, dryRun: false, pip: true, channel: emptyChannelArgs(), link: defaultLinkArgs(), cache: defaultCacheArgs() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => optionValue(args, ++i, a);
    const used = Math.max(channelOption(args, i, out.channel), cacheOption(args, i, out.cache));
    if (used >= 0) i = used;
    else if (a === '-f' || a === '--file') out.file = value();
    else if (a === '-p' || a === '--prefix') out.prefix = value();
    else if (a === '-n' || a === '--name') out.name = value();
    else if (a === '--dry-run') out.dryRun = true;
    else if (a === '--no-pip') out.pip = false;
    else if (linkOption(a, out.link)) continue;
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'create'`);
    else out.specs.push(a);
  }
  return out;
}

export async function runCreate(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  const args = parseArgs(argv);
  const env = io.env ?? process.env;
  const tracer = new Tracer();
  let file = args.file;
  if (file === undefined && args.specs.length === 0) {
    if (!existsSync('environment.yml')) throw new UsageError("'create' needs an environment file or specs: env-setup create -f environment.yml -p PREFIX");
    file = 'environment.yml';
  }
  try {
    const input = file === undefined ? undefined : readEnvironmentInputArg(file);
    const fileYml = input?.kind === 'solve' && input.file.kind === 'environment-yml' ? input.file : undefined;
    const specs = args.specs.map((s) => MatchSpec.parse(s));
    const prefix = resolvePrefixArg(args.prefix, args.name ?? (args.prefix === undefined ? fileYml?.name?.value : undefined), 'create', env);
    const platform = hostSubdir();
    if (platform === undefined) throw new UsageError("cannot tell this machine's platform");
    const tty = io.progress?.isTTY === true;
    const show = io.progress !== undefined && (tty || !io.json);
    const repodataProgress = show ? fetchProgressReporter(io.progress!, { tty }) : undefined;
    const installProgress = show ? installProgressReporter(io.progress!, { tty }) : undefined;
    const write = (line: string) => {
      if (show) io.progress!.write(line + '\n');
    };
    const simple = args.cache.simple || isSimpleMode(env);
    const store = args.cache.enabled ? new LocalStore({ cacheDir: args.channel.cacheDir, env }) : undefined;
    const variables = fileYml && fileYml.variables.length > 0 ? Object.fromEntries(fileYml.variables.map((v) => [v.name, v.value])) : undefined;
    const outcome = await createEnvironment({
      prefix,
      platform,
      input,
      specs,
      channels: args.channel.channels,
      channelPriority: args.channel.channelPriority,
      offline: args.channel.offline,
      condarcPath: args.channel.condarc,
      overrideChannels: args.channel.overrideChannels,
      cacheDir: args.channel.cacheDir,
      pkgsDir: args.channel.pkgsDir,
      env,
      cache: { store, refresh: args.cache.refresh, specTtl: args.cache.specTtl, tarballTtl: args.cache.tarballTtl, tarballs: args.cache.tarballs, simple },
      transaction: {
        history: { cmd: ['env-setup', 'create', ...argv].join(' '), version: version(), updateSpecs: [] },
        envVars: variables,
        runScripts: args.link.runScripts,
        compile: args.link.compile,
        linkMode: args.link.copy ? 'copy' : 'auto',
      },
      dryRun: args.dryRun,
      pip: args.pip,
      tracer,
      onRepodataProgress: repodataProgress?.onProgress,
      onInstallProgress: installProgress?.onProgress,
      onFetched: (link, unlink) => {
        repodataProgress?.finish();
        installProgress?.finish();
        if (link + unlink > 0) write(`linking: ${unlink} to remove, ${link} to add in ${prefix}`);
      },
      onEvent: (e) => {
        if (e.type === 'script') write(`${e.run.action} script of ${e.run.package}: exit ${e.run.exitCode}`);
        else if (e.type === 'rollback') write(`rolling back: ${e.reason.split('\n')[0]}`);
      },
      onPipStart: (command) => write(`pip: ${command}`),
      onPipOutput: (text) => {
        if (show) io.progress!.write(text);
      },
    }).finally(() => {
      repodataProgress?.finish();
      installProgress?.finish();
    });
    if (!outcome.ok) return unsolvedResult(outcome.failure, file, input?.kind === 'solve' ? input.entries : [], tracer.toJSON());
    const rows = [...outcome.unlink.map((p) => ['-', p] as const), ...outcome.link.map((p) => ['+', p] as const)];
    const cache = cacheJson(outcome);
    const plan = { prefix, packages: outcome.packages, link: outcome.link, unlink: outcome.unlink.map((p) => p.dist) };
    const notes = [...outcome.warnings.map((w) => `warning: ${w}`), ...outcome.notices.map((n) => `note: ${n}`), ...(io.json ? [] : cacheLines(outcome))];
    const pip = outcome.pip === undefined ? {} : { pip: outcome.pip };
    if (args.dryRun) {
      const conda = rows.length === 0 ? `nothing to change in ${prefix}` : `would change ${prefix}:\n${changeTable(rows)}`;
      const pipLines = outcome.pip === undefined || !args.pip ? '' : `\nthen pip would install (from ${file}'s folder):\n${outcome.pip.requirements.map((r) => `  ${r}`).join('\n')}`;
      return { exitCode: 0, text: conda + pipLines, errorText: notes.join('\n') || undefined, json: { ...plan, dryRun: true, ...pip, warnings: outcome.warnings, notices: outcome.notices, cache, stats: outcome.stats, timings: tracer.toJSON() } };
    }
    const result = outcome.transaction;
    const summary =
      outcome.path === 'tarball'
        ? `environment ready at ${prefix}: ${outcome.packages.length} packages (restored from the stored environment)`
        : `${rows.length === 0 ? 'nothing to change in' : 'environment ready at'} ${prefix}: ${outcome.packages.length} packages (${result?.linked.length ?? 0} linked, ${result?.unlinked.length ?? 0} removed)`;
    // conda and mamba list the environments they make in ~/.conda/environments.txt
    const registry = registerEnvironment(prefix, io.env);
    const errorText = [...notes, result ? transactionNotes(result) : '', registry === undefined ? '' : `warning: ${registry}`].filter((s) => s !== '').join('\n');
    const restored = { linked: outcome.link.map((p) => `${p.name}-${p.version}-${p.build}`), unlinked: outcome.unlink.map((p) => p.dist) };
    const text = rows.length === 0 || outcome.path === 'tarball' ? summary : `${changeTable(rows)}\n${summary}`;
    return {
      exitCode: 0,
      text: outcome.pip?.ran ? `${text}\n${pipSummary(outcome.pip.requirements.length, outcome.pip.installed ?? [])}` : text,
      errorText: errorText || undefined,
      json: { ...plan, ...(result ? transactionJson(result) : restored), ...pip, warnings: [...outcome.warnings, ...(result?.warnings ?? [])], notices: outcome.notices, cache, stats: outcome.stats, timings: tracer.toJSON() },
    };
  } catch (e) {
    const handled = errorResult(e, tracer.toJSON());
    if (handled) return handled;
    throw e;
  }
}

/** The line saying what pip did. */
function pipSummary(lines: number, installed: readonly string[]): string {
  const what = installed.length === 0 ? 'nothing new installed' : `installed ${installed.join(' ')}`;
  return `pip: ${lines} requirement line(s), ${what}`;
}

/** What the caches did, for --json: the path that ran, and per cache its status, key and reason. */
function cacheJson(o: CreateOutcome): Record<string, unknown> {
  return { path: o.path, environmentKey: o.environmentKey, specHash: o.specHash, spec: o.spec, tarball: o.tarball };
}

/** The cache lines of the summary on stderr: which path ran and why, with every key. */
function cacheLines(o: CreateOutcome): string[] {
  const line = (what: string, u: CacheUse & { saved?: boolean }) => `${what}: ${u.status}${u.reason ? ` (${u.reason})` : ''}${u.key ? ` [${u.key}]` : ''}${u.saved ? ', stored' : ''}`;
  return [`cache path: ${o.path}`, line('spec file', o.spec), line('environment tarball', o.tarball)];
}

let cachedVersion: string | undefined;
/** env-setup's version, for the history file. */
export function version(): string {
  cachedVersion ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

