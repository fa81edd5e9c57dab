// `env-setup check [-f FILE]`: read an environment file and report problems with their positions.

import { readFileSync } from 'node:fs';
import { parseEnvironmentFile } from '../core/spec/environment-file.ts';
import { SpecError } from '../core/spec/errors.ts';
import { type CliResult, UsageError } from './result.ts';

export function runCheck(args: string[]): CliResult {
  let file = 'environment.yml';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--file') {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a file name`);
      file = v;
    } else throw new UsageError(`unknown argument '${a}' for 'check'`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file; pass the environment file with -f FILE` : `${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    const env = parseEnvironmentFile(text, file);
    const summary =
      env.kind === 'environment-yml'
        ? { kind: env.kind, name: env.name?.value, channels: env.channels.map((c) => c.value), dependencies: env.dependencies.map((d) => d.spec.toString()), pip: env.pip.map((p) => p.text), warnings: env.warnings.map((w) => `${file}:${w.range.start.line}:${w.range.start.column}: ${w.message}`) }
        : env.kind === 'explicit'
          ? { kind: env.kind, platform: env.platform, packages: env.packages.length, warnings: [] as string[] }
          : { kind: env.kind, platform: env.platform, dependencies: env.specs.map((d) => d.spec.toString()), warnings: [] as string[] };
    const lines = [`${file}: ok (${env.kind})`, ...summary.warnings.map((w) => `warning: ${w}`)];
    return { exitCode: 0, text: lines.join('\n'), json: { file, ok: true, ...summary } };
  } catch (e) {
    if (e instanceof SpecError) return { exitCode: 2, text: `error: ${e.message}`, json: { file, ok: false, error: e.message, line: e.position?.line, column: e.position?.column } };
    throw e;
  }
}
