// The CliResult of a solve that found no solution: bad input (exit 2) for specs of one package that
// cannot be combined, otherwise exit 1 with conda's conflict explanation and the lines of the
// environment file the conflicting specs are on.

import type { EnvironmentSolution } from '../core/solve/solve-environment.ts';
import type { DependencyEntry } from '../core/spec/plain-spec-file.ts';
import type { CliResult } from './result.ts';
import { renderSpecSources, specSources } from './spec-sources.ts';

export function unsolvedResult(result: Extract<EnvironmentSolution, { ok: false }>, file: string | undefined, entries: readonly DependencyEntry[], timings: unknown, what = 'the environment'): CliResult {
  if (result.kind === 'invalid-spec') return { exitCode: 2, text: '', errorText: `error: ${result.message}`, json: { error: { kind: 'bad-input', message: result.message } } };
  const sources = file === undefined ? [] : specSources(result.explanation, file, entries);
  const where = renderSpecSources(sources);
  return {
    exitCode: 1,
    text: '',
    errorText: `error: ${what} cannot be solved\n${result.explanation.text}${where ? `\n${where}` : ''}`,
    json: { error: { kind: result.kind ?? 'unsatisfiable', message: result.message ?? `${what} cannot be solved`, explanation: result.explanation, sources }, stats: result.stats, timings },
  };
}
