// `env-setup list -p PREFIX | -n NAME [--json]`: the packages installed in an environment, read from
// its conda-meta (whoever made it: env-setup, conda, mamba or pixi). A transaction that was
// interrupted there is recovered first, so the list is never of a half-changed environment.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { recoverPrefix } from '../core/install/prefix-lock.ts';
import { readCondaMeta } from '../core/spec/prefix-record.ts';
import { errorResult, resolvePrefixArg, type CommandIo } from './prefix-common.ts';
import { type CliResult, UsageError, optionValue } from './result.ts';

export async function runList(argv: string[], io: CommandIo = { json: false }): Promise<CliResult> {
  let prefixArg: string | undefined;
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => optionValue(argv, ++i, a);
    if (a === '-p' || a === '--prefix') prefixArg = value();
    else if (a === '-n' || a === '--name') name = value();
    else throw new UsageError(`unknown argument '${a}' for 'list'`);
  }
  const prefix = resolvePrefixArg(prefixArg, name, 'list', io.env);
  if (!existsSync(join(prefix, 'conda-meta'))) throw new UsageError(`${prefix} is not a conda environment (no conda-meta folder)`);
  try {
    await recoverPrefix(prefix);
    const meta = readCondaMeta(prefix);
    const packages = meta.records
      .map((r) => ({
        name: r.record.name,
        version: r.record.version,
        build: r.record.build,
        build_number: r.record.build_number,
        channel: r.channel,
        subdir: r.subdir,
        fn: r.fn,
        url: r.url,
        requested_spec: typeof r.raw.requested_spec === 'string' && r.raw.requested_spec !== 'None' ? r.raw.requested_spec : undefined,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const widths = [0, 0, 0].map((_, i) => Math.max(0, ...packages.map((p) => [p.name, p.version, p.build][i]!.length)));
    const header = `# packages in environment at ${prefix}:`;
    const rows = packages.map((p) => `${p.name.padEnd(widths[0]!)}  ${p.version.padEnd(widths[1]!)}  ${p.build.padEnd(widths[2]!)}  ${p.channel}`.trimEnd());
    return { exitCode: 0, text: [header, ...rows].join('\n'), json: { prefix, packages } };
  } catch (e) {
    const handled = errorResult(e);
    if (handled) return handled;
    throw e;
  }
}
