// `env-setup create`: an environment from an environment file (environment.yml, an @EXPLICIT list,
// or a plain spec list) and/or specs, at `-p PREFIX` or `-n NAME`. Solves for this machine (an
// explicit file is taken as it is), fetches what is not in the package cache, and links it in one
// transaction. An existing environment at the prefix is brought to exactly the solved set (only
// the differences are unlinked and linked), so running create twice changes nothing the second
// time. `--dry-run` stops after the plan. The file's `variables:` go to conda-meta/state, where
// `conda activate` and `env-setup run` find them.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostSubdir } from '../core/index/virtual-packages.ts';
import { recoverPrefix } from '../core/install/prefix-lock.ts';
import { checkPrefixUsable } from '../core/install/transaction.ts';
import { diffPrefix, readInstalled } from '../core/install/transaction-plan.ts';
import { solveEnvironment } from '../core/solve/solve-environment.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import type { DependencyEntry } from '../core/spec/plain-spec-file.ts';
import { Tracer } from '../core/timing/index.ts';
import { applyChanges, changeTable, channelOption, defaultLinkArgs, emptyChannelArgs, errorResult, linkOption, resolvePrefixArg, transactionJson, transactionNotes, type ChannelArgs, type CommandIo, type LinkArgs } from './prefix-common.ts';
import { fetchProgressReporter } from './progress.ts';
import { readEnvironmentFileArg } from './read-environment-file.ts';
import { type CliResult, UsageError } from './result.ts';
import { renderSpecSources, specSources } from './spec-sources.ts';

interface CreateArgs {
  file: string | undefined;
  specs: string[];
  prefix: string | undefined;
  name: string | undefined;
  dryRun: boolean;
  channel: ChannelArgs;
  link: LinkArgs;
}

function parseArgs(args: string[]): CreateArgs {
  const out: CreateArgs = { file: undefined, specs: [], prefix: undefined, name: undefined, dryRun: false, channel: emptyChannelArgs(), link: defaultLinkArgs() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const used = channelOption(args, i, out.channel);
    if (used >= 0) i = used;
    else if (a === '-f' || a === '--file') out.file = value();
    else if (a === '-p' || a === '--prefix') out.prefix = value();
    else if (a === '-n' || a === '--name') out.name = value();
    else if (a === '--dry-run') out.dryRun = true;
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
    const specs: MatchSpec[] = [];
    const entries: DependencyEntry[] = [];
    const channels = [...args.channel.channels];
    let explicit: { name: string; version: string; build: string; url: string; fn: string; md5?: string | undefined; sha256?: string | undefined; channel: string; subdir?: string | undefined }[] | undefined;
    let fileName: string | undefined;
    let variables: Record<string, string> | undefined;
    const notes: string[] = [];
    if (file !== undefined) {
      const parsed = readEnvironmentFileArg(file);
      if (parsed.kind === 'explicit') {
        if (args.specs.length > 0) throw new UsageError(`${file} is an explicit (locked) file: it cannot be combined with specs`);
        explicit = parsed.packages.map((p) => ({ name: p.name, version: p.version, build: p.build, url: asUrl(p.url, file!), fn: p.fileName, md5: p.md5, sha256: p.sha256, channel: p.channel, subdir: p.subdir }));
      } else if (parsed.kind === 'environment-yml') {
        for (const c of parsed.channels) if (!channels.includes(c.value)) channels.push(c.value);
        entries.push(...parsed.dependencies);
        fileName = parsed.name?.value;
        if (parsed.variables.length > 0) variables = Object.fromEntries(parsed.variables.map((v) => [v.name, v.value]));
        if (parsed.pip.length > 0) notes.push(`warning: the ${parsed.pip.length} pip requirement(s) of ${file} are not installed (pip is not supported yet)`);
      } else entries.push(...parsed.specs);
      specs.push(...entries.map((d) => d.spec));
    }
    for (const s of args.specs) specs.push(MatchSpec.parse(s));
    const prefix = resolvePrefixArg(args.prefix, args.name ?? (args.prefix === undefined ? fileName : undefined), 'create', env);
    await checkPrefixUsable(prefix);
    if (existsSync(prefix)) await recoverPrefix(prefix);

    let packages: { name: string; version: string; build: string; url?: string | undefined; fn: string; channel: string; md5?: string | undefined; sha256?: string | undefined }[];
    let stats: unknown;
    if (explicit !== undefined) packages = explicit;
    else {
      const platform = hostSubdir();
      if (platform === undefined) throw new UsageError("cannot tell this machine's platform");
      const tty = io.progress?.isTTY === true;
      const progress = io.progress && (tty || !io.json) ? fetchProgressReporter(io.progress, { tty }) : undefined;
      const result = await solveEnvironment({
        specs,
        channels,
        platform,
        channelPriority: args.channel.channelPriority,
        offline: args.channel.offline,
        condarcPath: args.channel.condarc,
        cacheDir: args.channel.cacheDir,
        overrideChannels: args.channel.overrideChannels,
        env,
        tracer,
        onProgress: progress?.onProgress,
      }).finally(() => progress?.finish());
      if (!result.ok) {
        if (result.kind === 'invalid-spec') return { exitCode: 2, text: '', errorText: `error: ${result.message}`, json: { error: { kind: 'bad-input', message: result.message } } };
        const sources = file === undefined ? [] : specSources(result.explanation, file, entries);
        const where = renderSpecSources(sources);
        return {
          exitCode: 1,
          text: '',
          errorText: `error: the environment cannot be solved\n${result.explanation.text}${where ? `\n${where}` : ''}`,
          json: { error: { kind: result.kind ?? 'unsatisfiable', message: result.message ?? 'the environment cannot be solved', explanation: result.explanation, sources }, timings: tracer.toJSON() },
        };
      }
      packages = result.packages;
      stats = result.stats;
    }

    const diff = diffPrefix(readInstalled(prefix), packages);
    const rows = [...diff.unlink.map((p) => ['-', p] as const), ...diff.link.map((p) => ['+', p] as const)];
    const plan = { prefix, packages, link: diff.link, unlink: diff.unlink.map((p) => p.dist) };
    if (args.dryRun) {
      const text = rows.length === 0 ? `nothing to change in ${prefix}` : `would change ${prefix}:\n${changeTable(rows)}`;
      return { exitCode: 0, text, errorText: notes.join('\n') || undefined, json: { ...plan, dryRun: true, stats, timings: tracer.toJSON() } };
    }
    const requested = new Map(specs.map((s) => [s.name, s.toString()]));
    const { result } = await applyChanges({
      prefix,
      link: diff.link,
      unlink: diff.unlink,
      channel: args.channel,
      linkArgs: args.link,
      tracer,
      io,
      transaction: {
        requestedSpecs: requested,
        history: { cmd: ['env-setup', 'create', ...argv].join(' '), version: version(), updateSpecs: specs.map(String) },
        envVars: variables,
      },
    });
    const summary = `${rows.length === 0 ? 'nothing to change in' : 'environment ready at'} ${prefix}: ${packages.length} packages (${result.linked.length} linked, ${result.unlinked.length} removed)`;
    const errorText = [...notes, transactionNotes(result)].filter((s) => s !== '').join('\n');
    return {
      exitCode: 0,
      text: rows.length === 0 ? summary : `${changeTable(rows)}\n${summary}`,
      errorText: errorText || undefined,
      json: { ...plan, ...transactionJson(result), stats, timings: tracer.toJSON() },
    };
  } catch (e) {
    const handled = errorResult(e, tracer.toJSON());
    if (handled) return handled;
    throw e;
  }
}

/** An explicit file's entry as a URL: a local path (relative to the file) becomes a file:// URL. */
function asUrl(entry: string, file: string): string {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry) ? entry : pathToFileURL(resolve(dirname(file), entry)).href;
}

let cachedVersion: string | undefined;
/** env-setup's version, for the history file. */
export function version(): string {
  cachedVersion ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

