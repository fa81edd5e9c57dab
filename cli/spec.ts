// `env-setup spec <spec>...`: read match specs as conda does and show what they mean.

import { MatchSpec } from '../core/spec/match-spec.ts';
import { SpecError } from '../core/spec/errors.ts';
import { type CliResult, UsageError } from './result.ts';

export function runSpec(args: string[]): CliResult {
  const strict = args.includes('--strict');
  let record: Record<string, unknown> | undefined;
  const specs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--strict') continue;
    if (a === '--record') {
      const value = args[++i];
      if (value === undefined) throw new UsageError("--record needs a JSON object, e.g. --record '{\"name\":\"numpy\",\"version\":\"1.26.4\"}'");
      try {
        record = JSON.parse(value) as Record<string, unknown>;
      } catch {
        throw new UsageError(`--record: not valid JSON: ${value}`);
      }
      if (typeof record !== 'object' || record === null || typeof record.name !== 'string' || typeof record.version !== 'string') {
        throw new UsageError('--record needs a JSON object with string "name" and "version"');
      }
      continue;
    }
    if (a.startsWith('--')) throw new UsageError(`unknown option '${a}' for 'spec'`);
    specs.push(a);
  }
  if (specs.length === 0) throw new UsageError("'spec' needs at least one match spec, e.g. env-setup spec 'numpy>=1.26'");

  const results = specs.map((text) => {
    try {
      const m = strict ? MatchSpec.parse(text, { strict: true }) : MatchSpec.parse(text);
      return {
        input: text,
        canonical: m.toString(),
        name: m.name,
        version: m.version?.toString(),
        build: m.build?.toString(),
        channel: m.channel,
        subdir: m.subdir,
        ...(record ? { matches: m.matches(record as never) } : {}),
      };
    } catch (e) {
      if (e instanceof SpecError) return { input: text, error: e.message };
      throw e;
    }
  });
  const bad = results.some((r) => 'error' in r);
  const unmatched = record !== undefined && results.some((r) => 'matches' in r && r.matches === false);
  const text = results
    .map((r) => ('error' in r ? `error: ${r.error}` : `${r.canonical}${'matches' in r ? (r.matches ? '  (matches)' : '  (does not match)') : ''}`))
    .join('\n');
  return { exitCode: bad ? 2 : unmatched ? 1 : 0, text, json: { specs: results } };
}
