// `env-setup install -p PREFIX SPEC…`: adds or changes packages in an existing environment as
// `conda install` does — the solve starts from its conda-meta (records, history, pins), keeps what is
// installed unless a spec needs it changed (--freeze-installed, the default, retried unfrozen when
// needed; --update-all re-optimises everything), and only what changes is unlinked and linked, in
// one journaled transaction. The specs are added to conda-meta/history as conda records them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostSubdir } from '../core/index/virtual-packages.ts';
import { registerEnvironment } from '../core/install/environment-registry.ts';
import { recoverPrefix } from '../core/install/prefix-lock.ts';
import { readInstalled } from '../core/install/transaction-plan.ts';
import type { UpdateModifier } from '../core/solve/final-state.ts';
import { solveEnvironment } from '../core/solve/solve-environment.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { readCondaMeta } from '../core/spec/prefix-record.ts';
import { Tracer } from '../core/timing/index.ts';
import { version } from './create.ts';
import { applyChanges, changeTable, channelOption, defaultLinkArgs, emptyChannelArgs, errorResult, linkOption, resolvePrefixArg, transactionJson, transactionNotes, type CommandIo } from './prefix-common.ts';
import { fetchProgressReporter } from './progress.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';

export async function runInstall(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  const channel = emptyChannelArgs();
  const link = defaultLinkArgs();
  const specTexts: string[] = [];
  let prefixArg: string | undefined;
  let name: string | undefined;
  let dryRun = false;
  let updateModifier: UpdateModifier | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => optionValue(argv, ++i, a);
    const used = channelOption(argv, i, channel);
    if (used >= 0) i = used;
    else if (a === '-p' || a === '--prefix') prefixArg = value();
    else if (a === '-n' || a === '--name') name = value();
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--freeze-installed' || a === '--update-all') {
      const m: UpdateModifier = a === '--update-all' ? 'update-all' : 'freeze-installed';
      if (updateModifier !== undefined && updateModifier !== m) throw new UsageError('--freeze-installed and --update-all cannot be used together');
      updateModifier = m;
    } else if (linkOption(a, link)) continue;
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'install'`);
    else specTexts.push(a);
  }
  const env = io.env ?? process.env;
  const prefix = resolvePrefixArg(prefixArg, name, 'install', env);
  if (specTexts.length === 0 && updateModifier !== 'update-all') throw new UsageError("'install' needs specs: env-setup install -p PREFIX 'numpy>=1.26'");
  if (!existsSync(join(prefix, 'conda-meta'))) throw new UsageError(`${prefix} is not a conda environment (no conda-meta folder); make one with env-setup create`);
  const tracer = new Tracer();
  try {
    const specs = specTexts.map((s) => MatchSpec.parse(s));
    await recoverPrefix(prefix);
    const platform = hostSubdir();
    if (platform === undefined) throw new UsageError("cannot tell this machine's platform");
    const tty = io.progress?.isTTY === true;
    const progress = io.progress && (tty || !io.json) ? fetchProgressReporter(io.progress, { tty }) : undefined;
    const solved = await solveEnvironment({
      specs,
      channels: channel.channels,
      platform,
      channelPriority: channel.channelPriority,
      offline: channel.offline,
      condarcPath: channel.condarc,
      cacheDir: channel.cacheDir,
      overrideChannels: channel.overrideChannels,
      installed: readCondaMeta(prefix),
      updateModifier,
      env,
      tracer,
      onProgress: progress?.onProgress,
    }).finally(() => progress?.finish());
    if (!solved.ok) {
      if (solved.kind === 'invalid-spec') return { exitCode: 2, text: '', errorText: `error: ${solved.message}`, json: { error: { kind: 'bad-input', message: solved.message } } };
      return {
        exitCode: 1,
        text: '',
        errorText: `error: ${solved.message ?? 'the environment cannot be solved'}\n${solved.explanation.text}`,
        json: { error: { kind: solved.kind ?? 'unsatisfiable', message: solved.message ?? 'the environment cannot be solved', explanation: solved.explanation }, timings: tracer.toJSON() },
      };
    }
    const installed = readInstalled(prefix);
    const toLink = solved.link ?? [];
    const toUnlink = (solved.unlink ?? []).map((p) => installed.find((i) => i.name === p.name && i.version === p.version && i.build === p.build)).filter((p) => p !== undefined);
    const rows = [...toUnlink.map((p) => ['-', p] as const), ...toLink.map((p) => ['+', p] as const)];
    const plan = { prefix, packages: solved.packages, link: toLink, unlink: toUnlink.map((p) => p.dist) };
    if (dryRun || rows.length === 0) {
      const text = rows.length === 0 ? `nothing to change: ${prefix} already satisfies the request` : `would change ${prefix}:\n${changeTable(rows)}`;
      return { exitCode: 0, text, json: { ...plan, dryRun, stats: solved.stats, timings: tracer.toJSON() } };
    }
    const { result } = await applyChanges({
      prefix,
      link: toLink,
      unlink: toUnlink,
      channel,
      linkArgs: link,
      tracer,
      io,
      transaction: {
        requestedSpecs: new Map(specs.map((s) => [s.name, s.toString()])),
        history: { cmd: ['env-setup', 'install', ...argv].join(' '), version: version(), updateSpecs: specs.map(String) },
      },
    });
    const registry = registerEnvironment(prefix, io.env);
    return {
      exitCode: 0,
      text: `${changeTable(rows)}\n${prefix}: ${result.linked.length} linked, ${result.unlinked.length} removed`,
      errorText: [transactionNotes(result), registry === undefined ? '' : `warning: ${registry}`].filter((s) => s !== '').join('\n') || undefined,
      json: { ...plan, ...transactionJson(result), stats: solved.stats, timings: tracer.toJSON() },
    };
  } catch (e) {
    const handled = errorResult(e, tracer.toJSON());
    if (handled) return handled;
    throw e;
  }
}
