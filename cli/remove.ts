// `env-setup remove -p PREFIX NAME…`: removes packages from an environment, and with them every
// installed package that depends on them (which would be left broken), as `conda remove` does;
// `--force` removes only the named ones. Works from conda-meta alone (no channel is read): each
// removed package's pre-unlink script runs, exactly the files its record lists are deleted (a file
// another installed package also lists stays), folders left empty go, and conda-meta/history gets
// `# remove specs: [...]`. A name that is not installed is an error (exit 1). `--all` removes every
// package and then the environment's folder, and takes it out of ~/.conda/environments.txt.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { unregisterEnvironment } from '../core/install/environment-registry.ts';
import { InstallError } from '../core/install/errors.ts';
import { recoverPrefix } from '../core/install/prefix-lock.ts';
import { readInstalled, type InstalledPackage } from '../core/install/transaction-plan.ts';
import { MatchSpec } from '../core/spec/match-spec.ts';
import { Tracer } from '../core/timing/index.ts';
import { version } from './create.ts';
import { applyChanges, changeTable, defaultLinkArgs, emptyChannelArgs, errorResult, linkOption, resolvePrefixArg, transactionJson, transactionNotes, type CommandIo } from './prefix-common.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';

const dependencyNames = (p: InstalledPackage): string[] =>
  (Array.isArray(p.record.depends) ? p.record.depends : []).filter((d): d is string => typeof d === 'string').map((d) => MatchSpec.tryParse(d)?.name ?? d.split(/[\s=<>!]/)[0]!);

/** The packages to remove for `names` (their dependents too unless `force`), dependents first. */
export function removalSet(installed: readonly InstalledPackage[], names: readonly string[], force: boolean): InstalledPackage[] {
  const chosen = new Set(installed.filter((p) => names.includes(p.name)));
  if (!force) {
    for (let grew = true; grew; ) {
      grew = false;
      const removedNames = new Set([...chosen].map((p) => p.name));
      for (const p of installed) {
        if (chosen.has(p) || !dependencyNames(p).some((d) => removedNames.has(d))) continue;
        chosen.add(p);
        grew = true;
      }
    }
  }
  // dependents first: a package goes once no other package still to go depends on it
  const order: InstalledPackage[] = [];
  const left = new Set(chosen);
  while (left.size > 0) {
    const next = [...left].filter((p) => ![...left].some((q) => q !== p && dependencyNames(q).includes(p.name)));
    const take = next.length > 0 ? next : [[...left][0]!];
    for (const p of take.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      order.push(p);
      left.delete(p);
    }
  }
  return order;
}

export async function runRemove(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  const link = defaultLinkArgs();
  const names: string[] = [];
  let prefixArg: string | undefined;
  let name: string | undefined;
  let dryRun = false;
  let force = false;
  let all = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => optionValue(argv, ++i, a);
    if (a === '-p' || a === '--prefix') prefixArg = value();
    else if (a === '-n' || a === '--name') name = value();
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--force') force = true;
    else if (a === '--all') all = true;
    else if (linkOption(a, link)) continue;
    else if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' for 'remove'`);
    else names.push(a);
  }
  const prefix = resolvePrefixArg(prefixArg, name, 'remove', io.env);
  if (all && names.length > 0) throw new UsageError("'remove --all' takes no package names: it removes the whole environment");
  if (!all && names.length === 0) throw new UsageError("'remove' needs the names of the packages to remove (or --all for the whole environment)");
  if (!existsSync(join(prefix, 'conda-meta'))) throw new UsageError(`${prefix} is not a conda environment (no conda-meta folder)`);
  const tracer = new Tracer();
  try {
    const specs = names.map((n) => MatchSpec.parse(n));
    await recoverPrefix(prefix);
    const installed = readInstalled(prefix);
    if (all) return await removeAll(prefix, installed, argv, { dryRun, link, tracer, io });
    const missing = specs.filter((s) => !installed.some((p) => p.name === s.name));
    if (missing.length > 0) {
      throw new InstallError('not-installed', `not installed in ${prefix}: ${missing.map((s) => s.name).join(', ')}`);
    }
    const unlink = removalSet(
      installed,
      specs.map((s) => s.name),
      force,
    );
    const rows = unlink.map((p) => ['-', p] as const);
    const plan = { prefix, unlink: unlink.map((p) => p.dist) };
    if (dryRun) return { exitCode: 0, text: `would change ${prefix}:\n${changeTable(rows)}`, json: { ...plan, dryRun, timings: tracer.toJSON() } };
    const { result } = await applyChanges({
      prefix,
      link: [],
      unlink,
      channel: emptyChannelArgs(),
      linkArgs: link,
      tracer,
      io,
      transaction: { history: { cmd: ['env-setup', 'remove', ...argv].join(' '), version: version(), removeSpecs: specs.map(String) } },
    });
    return {
      exitCode: 0,
      text: `${changeTable(rows)}\n${prefix}: ${result.unlinked.length} removed`,
      errorText: transactionNotes(result) || undefined,
      json: { ...plan, ...transactionJson(result), timings: tracer.toJSON() },
    };
  } catch (e) {
    const handled = errorResult(e, tracer.toJSON());
    if (handled) return handled;
    throw e;
  }
}

/**
 * `remove --all`, as conda does it: every package unlinked (pre-unlink scripts run, dependents
 * first), then the environment's folder deleted and taken out of ~/.conda/environments.txt.
 */
async function removeAll(
  prefix: string,
  installed: InstalledPackage[],
  argv: string[],
  o: { dryRun: boolean; link: ReturnType<typeof defaultLinkArgs>; tracer: Tracer; io: CommandIo },
): Promise<CliResult> {
  const unlink = removalSet(
    installed,
    installed.map((p) => p.name),
    true,
  );
  const rows = unlink.map((p) => ['-', p] as const);
  const plan = { prefix, unlink: unlink.map((p) => p.dist), removeFolder: true };
  if (o.dryRun) {
    const table = rows.length > 0 ? `${changeTable(rows)}\n` : '';
    return { exitCode: 0, text: `would remove the environment ${prefix}:\n${table}and its folder`, json: { ...plan, dryRun: true, timings: o.tracer.toJSON() } };
  }
  const { result } = await applyChanges({
    prefix,
    link: [],
    unlink,
    channel: emptyChannelArgs(),
    linkArgs: o.link,
    tracer: o.tracer,
    io: o.io,
    transaction: { history: { cmd: ['env-setup', 'remove', ...argv].join(' '), version: version(), removeSpecs: unlink.map((p) => p.name) } },
  });
  await o.tracer.span('install.unlink', () => rm(prefix, { recursive: true, force: true }), { what: 'the environment folder' });
  const registry = unregisterEnvironment(prefix, o.io.env);
  return {
    exitCode: 0,
    text: `${rows.length > 0 ? `${changeTable(rows)}\n` : ''}removed the environment ${prefix} (${result.unlinked.length} packages)`,
    errorText: [transactionNotes(result), registry === undefined ? '' : `warning: ${registry}`].filter((s) => s !== '').join('\n') || undefined,
    json: { ...plan, ...transactionJson(result), timings: o.tracer.toJSON() },
  };
}
