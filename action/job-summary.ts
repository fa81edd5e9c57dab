// The job summary (GITHUB_STEP_SUMMARY) in Markdown: which cache path ran and why, every stage with
// its milliseconds and share of the total, the slowest packages to download and extract, and the
// comparison with the previous run's stages, flagging regressions; and, when the solve was slow or
// large, the pins that would shrink its search most, with their measured candidate counts.

import type { CreateOutcome } from '../core/create/create-environment.ts';
import type { PinEffect } from '../core/solve/pin-effects.ts';
import { slowestSpans, type StageTime, stageTimes } from '../core/timing/stages.ts';
import type { TimingDocument } from '../core/timing/schema.ts';
import type { RunRecord } from './run-record.ts';

export interface SummaryInput {
  outcome: CreateOutcome;
  doc: TimingDocument;
  previous: RunRecord | undefined;
  /** Lines about choices the action made (package cache vs tarball, saves skipped, prewarm). */
  notes: string[];
  packageCache: string;
}

const PATH_WORDS: Record<string, string> = {
  tarball: 'environment restored from the cache (no solve, no download)',
  spec: 'stored solve used (no solve), packages installed',
  solve: 'solved and installed',
  locked: 'installed from the lock file as written',
};

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A stage is a regression when it took 50 % and 500 ms longer than last time. */
export function isRegression(now: number, before: number): boolean {
  return now > before * 1.5 && now - before > 500;
}

export function renderSummary(input: SummaryInput): string {
  const { outcome: o, doc } = input;
  const out: string[] = [];
  out.push(`## env-setup: ${o.packages.length} packages in ${ms(doc.totalMs)}`);
  out.push('');
  out.push(`Prefix \`${o.prefix}\`, cache path **${o.path}**: ${PATH_WORDS[o.path] ?? o.path}.`);
  out.push('');
  out.push('| cache | status | why | key |');
  out.push('|---|---|---|---|');
  out.push(`| spec file | ${o.spec.status}${o.spec.saved ? ', saved' : ''} | ${cell(o.spec.reason ?? '')} | ${o.spec.key ? `\`${o.spec.key}\`` : ''} |`);
  out.push(`| environment | ${o.tarball.status}${o.tarball.saved ? ', saved' : ''} | ${cell(o.tarball.reason ?? '')} | ${o.tarball.key ? `\`${o.tarball.key}\`` : ''} |`);
  out.push(`| packages | ${cell(input.packageCache)} | | |`);
  out.push('');
  for (const n of [...input.notes, ...o.warnings.map((w) => `⚠️ ${w}`), ...o.notices]) out.push(`- ${cell(n)}`);
  if (input.notes.length + o.warnings.length + o.notices.length > 0) out.push('');

  const stages = stageTimes(doc);
  const prev = input.previous;
  out.push('### Where the time went');
  out.push('');
  out.push(prev ? '| stage | ms | share | previous run | |' : '| stage | ms | share |');
  out.push(prev ? '|---|---:|---:|---:|---|' : '|---|---:|---:|');
  for (const s of stages) {
    const row = `| ${s.stage} | ${s.ms.toFixed(0)} | ${(s.share * 100).toFixed(1)} % |`;
    if (!prev) out.push(row);
    else {
      const before = prev.stages[s.stage] ?? 0;
      out.push(`${row} ${before.toFixed(0)} | ${isRegression(s.ms, before) ? '🔺 regression' : ''} |`);
    }
  }
  out.push(prev ? `| **total** | **${doc.totalMs.toFixed(0)}** | 100 % | ${prev.totalMs.toFixed(0)} (${prev.path}) | ${isRegression(doc.totalMs, prev.totalMs) ? '🔺 regression' : ''} |` : `| **total** | **${doc.totalMs.toFixed(0)}** | 100 % |`);
  out.push('');
  out.push('Stages can overlap (downloads run while other packages extract), so shares may add up to more than 100 %.');
  out.push('');

  const downloads = slowestSpans(doc, 'install.download', 10);
  const extracts = slowestSpans(doc, 'install.extract', 10);
  if (downloads.length + extracts.length > 0) {
    out.push('### Slowest packages');
    out.push('');
    out.push('| download | ms | extract | ms |');
    out.push('|---|---:|---|---:|');
    for (let i = 0; i < Math.max(downloads.length, extracts.length); i++) {
      const d = downloads[i];
      const e = extracts[i];
      out.push(`| ${d ? cell(d.package) : ''} | ${d ? d.ms.toFixed(0) : ''} | ${e ? cell(e.package) : ''} | ${e ? e.ms.toFixed(0) : ''} |`);
    }
    out.push('');
  }
  if (o.stats !== undefined) {
    out.push(`Solve: ${o.stats.recordsRead} of ${o.stats.records} records read from ${o.stats.channels} channel(s), ${o.stats.subdirs} subdir(s).`);
    out.push('');
    out.push(...pinSuggestions(o.stats.pins ?? [], stages, o.packages.length));
  }
  return out.join('\n');
}

/** A solve is worth pinning for when the index reduction and the solve took this long together … */
export const SLOW_SOLVE_MS = 1000;
/** … or the environment has this many packages. */
export const LARGE_ENVIRONMENT = 100;

/** Milliseconds of index reduction and solving in a run. */
function solveTime(stages: readonly StageTime[]): number {
  return stages.filter((s) => s.stage === 'reduce' || s.stage === 'solve').reduce((sum, s) => sum + s.ms, 0);
}

/** Whether pins are worth suggesting: the solve was slow or the environment large, and a pin would help. */
export function wantsPinSuggestions(pins: readonly PinEffect[], stages: readonly StageTime[], packages: number): boolean {
  return pins.length > 0 && (solveTime(stages) >= SLOW_SOLVE_MS || packages >= LARGE_ENVIRONMENT);
}

/** The pins that would shrink the search most, with their measured candidate counts, when the solve was slow or large. */
function pinSuggestions(pins: readonly PinEffect[], stages: readonly StageTime[], packages: number): string[] {
  if (!wantsPinSuggestions(pins, stages, packages)) return [];
  const out = ['### Pin suggestions', ''];
  out.push(
    `Reducing the index and solving took ${ms(solveTime(stages))} for ${packages} packages. Pinning packages with many builds (like python) makes conda-style solves faster and environments steadier; these pins, to the release series just solved, would shrink the search most:`,
  );
  out.push('');
  out.push('| pin | candidates | left after the pin | where |');
  out.push('|---|---:|---:|---|');
  for (const p of pins.slice(0, 5)) {
    out.push(`| \`${cell(p.pin)}\` | ${p.candidates} | ${p.left} | ${p.requested ? 'in the environment file without a version' : 'a dependency: add it to the file'} |`);
  }
  out.push('');
  return out;
}
