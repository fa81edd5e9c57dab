// The job summary's pin suggestions: shown with their measured candidate counts when the solve was
// slow or the environment large, and not otherwise (nor when no solve ran).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CreateOutcome } from '../../core/create/create-environment.ts';
import type { PinEffect } from '../../core/solve/pin-effects.ts';
import type { EnvironmentSolveStats } from '../../core/solve/solve-environment.ts';
import type { TimingDocument, TimingSpan } from '../../core/timing/schema.ts';
import { LARGE_ENVIRONMENT, renderSummary, SLOW_SOLVE_MS } from '../../action/job-summary.ts';

const pins: PinEffect[] = [
  { name: 'python', pin: 'python=3.12', constraint: '=3.12', candidates: 312, left: 41, requested: true },
  { name: 'libblas', pin: 'libblas=3.9', constraint: '=3.9', candidates: 120, left: 60, requested: false },
];

function span(id: number, name: string, startMs: number, durationMs: number): TimingSpan {
  return { id, parent: null, name, startMs, durationMs, attributes: {}, status: 'ok' };
}

function summary(solveMs: number, packageCount: number, stats: Partial<EnvironmentSolveStats> | undefined): string {
  const doc: TimingDocument = {
    schema: 'env-setup/timing',
    version: '1.0.0',
    startedAt: new Date(0).toISOString(),
    totalMs: solveMs + 100,
    spans: [span(1, 'index', 0, solveMs / 2), span(2, 'solve', solveMs / 2, solveMs / 2)],
    counters: {},
  };
  const outcome = {
    ok: true,
    prefix: '/tmp/env',
    path: 'solve',
    spec: { status: 'miss' },
    tarball: { status: 'miss' },
    environmentKey: 'k',
    specHash: 'h',
    packages: Array.from({ length: packageCount }, () => ({})),
    link: [],
    unlink: [],
    transaction: undefined,
    restore: undefined,
    stats: stats === undefined ? undefined : { records: 1000, recordsRead: 500, channels: 1, subdirs: 2, ...stats },
    warnings: [],
    notices: [],
    specs: [],
  } as unknown as CreateOutcome;
  return renderSummary({ outcome, doc, previous: undefined, notes: [], packageCache: 'none' });
}

test('a slow solve lists the pins that shrink the search most, with their candidate counts', () => {
  const text = summary(SLOW_SOLVE_MS + 200, 10, { pins });
  assert.match(text, /### Pin suggestions/);
  assert.match(text, /Reducing the index and solving took 1200 ms for 10 packages/);
  assert.match(text, /\| `python=3\.12` \| 312 \| 41 \| in the environment file without a version \|/);
  assert.match(text, /\| `libblas=3\.9` \| 120 \| 60 \| a dependency: add it to the file \|/);
  assert.ok(text.indexOf('python=3.12') < text.indexOf('libblas=3.9'));
});

test('a large environment gets them even when the solve was quick', () => {
  assert.match(summary(50, LARGE_ENVIRONMENT, { pins }), /### Pin suggestions/);
});

test('a quick, small solve, a run without a solve, or no pin worth making: no suggestions', () => {
  assert.doesNotMatch(summary(SLOW_SOLVE_MS - 200, LARGE_ENVIRONMENT - 1, { pins }), /Pin suggestions/);
  assert.doesNotMatch(summary(SLOW_SOLVE_MS * 3, 500, undefined), /Pin suggestions/);
  assert.doesNotMatch(summary(SLOW_SOLVE_MS * 3, 500, { pins: [] }), /Pin suggestions/);
});
