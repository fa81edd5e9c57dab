// Loads ../shared/conformance/solve-cases.json cases into a PackageIndex the way each upstream test
// loaded its index (see the conformance README's `loader` notes), and runs one case.

import { readFileSync } from 'node:fs';
import { PackageIndex, type IndexSource } from '../../core/index/package-index.ts';
import { type ChannelPriority, solveConda } from '../../core/solve/conda-solver.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { explainUnsatisfiable } from '../../core/solve/explain.ts';
import { checkSolution } from './solution-checker.ts';

// deno-lint-ignore no-explicit-any
export type SolveCase = Record<string, any>;

const indexDir = new URL('../../../shared/fixtures/conda-test-index/', import.meta.url);
const fileCache = new Map<string, Record<string, Record<string, unknown>>>();

function indexFile(name: string): Record<string, Record<string, unknown>> {
  let d = fileCache.get(name);
  if (d === undefined) {
    d = JSON.parse(readFileSync(new URL(name, indexDir), 'utf8')) as Record<string, Record<string, unknown>>;
    fileCache.set(name, d);
  }
  return d;
}

const CONDA_TEST_DEFAULTS = { version: '1.0', build: '0', build_number: 0, timestamp: 0, depends: [] as string[] };

/** The index a case runs against, plus the channel names in priority order. */
export function loadCase(c: SolveCase): { index: PackageIndex; channels: string[] } {
  const sources: IndexSource[] = [];
  const files: string[] = c.index === null ? [] : Array.isArray(c.index) ? c.index : [c.index];
  const channels: string[] = c.channels ?? (c.loader === 'mamba-inline' ? ['repo'] : ['channel-1']);
  files.forEach((file, i) => {
    // a single index file is conda's channel-1 when the case names several channels around it
    const channel = files.length === 1 && channels.includes('channel-1') ? 'channel-1' : (channels[i] ?? channels[0]!);
    const priority = Math.max(0, channels.indexOf(channel));
    const linux: [string, unknown][] = [];
    const noarch: [string, unknown][] = [];
    for (const [fn, raw0] of Object.entries(indexFile(file))) {
      let raw = raw0;
      if (c.loader === 'conda-head-solvertests' && raw.name === 'python') {
        raw = { ...raw, depends: [...((raw.depends as string[]) ?? []), 'pip'] };
      }
      (raw.subdir === 'noarch' || raw.noarch ? noarch : linux).push([fn, raw]);
    }
    sources.push({ channel, priority, subdir: c.subdir ?? 'linux-64', entries: linux });
    if (noarch.length > 0) sources.push({ channel, priority, subdir: 'noarch', entries: noarch });
  });
  // inline and extra records, grouped by their channel (repo) and subdir
  const groups = new Map<string, { channel: string; subdir: string; entries: [string, unknown][] }>();
  for (const p of [...(c.packages ?? []), ...(c.extra_records ?? [])] as Record<string, unknown>[]) {
    const rec: Record<string, unknown> = c.loader === 'mamba-inline' ? { version: '0', build: '', ...p } : c.loader === 'conda-head-solvertests' || c.loader === 'conda-head' ? { ...CONDA_TEST_DEFAULTS, ...p } : { ...p };
    const fn = (rec.fn as string | undefined) ?? `${rec.name}-${rec.version}-${rec.build}.tar.bz2`;
    const channel = ((rec.repo ?? rec.channel) as string | undefined) ?? channels[0]!;
    const subdir = rec.subdir === 'noarch' || rec.noarch ? 'noarch' : (c.subdir ?? 'linux-64');
    const key = `${channel} ${subdir}`;
    if (!groups.has(key)) groups.set(key, { channel, subdir, entries: [] });
    groups.get(key)!.entries.push([fn, rec]);
  }
  for (const g of groups.values()) {
    const at = channels.indexOf(g.channel);
    sources.push({ channel: g.channel, priority: at >= 0 ? at : channels.length, subdir: g.subdir, entries: g.entries });
  }
  if (c.loader === 'conda-old-resolve') {
    // old conda's Resolve tracked each feature with a `<feature>@` record
    const features = new Set<string>();
    for (const s of sources) for (const [, raw] of s.entries as [string, Record<string, unknown>][]) for (const f of String(raw.track_features ?? '').split(/[ ,]+/)) if (f) features.add(f);
    sources.push({ channel: channels[0]!, priority: 0, subdir: c.subdir ?? 'linux-64', entries: [...features].map((f): [string, unknown] => [`${f}@-0-0.tar.bz2`, { name: `${f}@`, version: '0', build: '0', build_number: 0, track_features: f, depends: [] }]) });
  }
  const vp = c.settings?.virtual_packages as Record<string, string | null> | undefined;
  if (vp) {
    const entries: [string, unknown][] = [];
    for (const [name, version] of Object.entries(vp)) if (version !== null) entries.push([`${name}-${version}-0.virtual`, { name, version, build: '0', build_number: 0, depends: [] }]);
    sources.push({ channel: '@', priority: -1, subdir: c.subdir ?? 'linux-64', entries });
  }
  return { index: PackageIndex.from(sources), channels };
}

export function channelPriorityOf(c: SolveCase): ChannelPriority {
  const raw = c.settings?.channel_priority ?? (c.settings?.strict_repo_priority === false ? 'flexible' : undefined);
  if (raw === undefined) return c.loader === 'mamba-inline' && c.settings?.strict_repo_priority !== true ? 'flexible' : 'strict';
  const s = String(raw).toLowerCase();
  if (s === 'false' || s === 'disabled') return 'disabled';
  if (s === 'true' || s === 'flexible') return 'flexible';
  return 'strict';
}

export interface CaseRun {
  ok: boolean;
  chosen: string[];
  problems: string[];
}

export function runSolve(c: SolveCase, specs: string[] = c.specs): CaseRun {
  const { index } = loadCase(c);
  const out = solveConda({ index, specs: specs.map((s) => MatchSpec.parse(s)), channelPriority: channelPriorityOf(c) });
  if (!out.ok) return { ok: false, chosen: [], problems: [] };
  const named = [...(c.expected ?? []), ...(c.expected_contains ?? []), ...(c.expected_excludes ?? [])] as string[];
  const multi = named.some((x) => x.includes('::'));
  const chosen = out.records
    .filter((id) => index.channelOf(id) !== '@' && !index.nameOf(id).endsWith('@'))
    .map((id) => {
      const r = index.record(id);
      const base = `${r.name}-${r.version}-${r.build}`;
      return multi ? `${index.channelOf(id)}${index.subdirOf(id) === 'noarch' ? '/noarch' : ''}::${base}` : base;
    });
  return { ok: true, chosen, problems: checkSolution(index, out.records) };
}

/** undefined when the case passes, else how it differs. Unsupported case shapes say so. */
export function checkCase(c: SolveCase): string | undefined {
  if (c.installed || c.history_specs || c.specs_to_remove || c.options || c.pins || c.installed_virtual) return 'needs solving against an installed state, pins or solver options (not implemented yet)';
  if (c.api && !/solve_final_state|Resolve.install|mamba/.test(c.api)) return `api ${c.api} not implemented yet`;
  const run = runSolve(c);
  if (run.problems.length > 0) return `invalid solution: ${run.problems.join('; ')}`;
  if (c.expect_unsat || c.expect_error) {
    if (run.ok) return `expected unsatisfiable, got ${run.chosen.join(' ')}`;
    if (c.expected_unsat_chains) {
      const { index } = loadCase(c);
      const why = explainUnsatisfiable({ index, specs: (c.specs as string[]).map((s) => MatchSpec.parse(s)), channelPriority: channelPriorityOf(c) });
      const got = why.conflicts.flatMap((x) => x.chains).map((ch) => JSON.stringify(ch)).sort();
      const want = (c.expected_unsat_chains as string[][]).map((ch) => JSON.stringify(ch)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) return `chains ${got.join(' ')} != ${want.join(' ')}`;
    }
    return undefined;
  }
  if (!run.ok) return 'unsatisfiable, expected a solution';
  const got = new Set(run.chosen);
  const show = () => `got ${[...got].sort().join(' ')}`;
  if (c.expected) {
    const want = new Set<string>((c.expected as string[]).map((x) => x.replace(/\/(?!noarch)[a-z0-9]+-[a-z0-9]+::/, '::')));
    const extra = [...got].filter((x) => !want.has(x));
    const lacking = [...want].filter((x) => !got.has(x));
    if (extra.length || lacking.length) return `differs: extra ${extra.join(' ')} | missing ${lacking.join(' ')}`;
  }
  const plain = (x: string) => x.replace(/\/(?!noarch)[a-z0-9]+-[a-z0-9]+::/, '::');
  for (const x of c.expected_contains ?? []) if (!got.has(plain(x))) return `missing ${x}; ${show()}`;
  for (const x of c.expected_excludes ?? []) if (got.has(plain(x))) return `has ${x}`;
  if (c.expected_count !== undefined && got.size !== c.expected_count) return `count ${got.size} != ${c.expected_count}`;
  if (c.expected_equal_to_solve_of) {
    const other = runSolve(c, c.expected_equal_to_solve_of);
    if (JSON.stringify([...got].sort()) !== JSON.stringify([...other.chosen].sort())) return `differs from the solve of ${c.expected_equal_to_solve_of}`;
  }
  if (c.expected_contains_records || c.expected_excludes_names) {
    const { index } = loadCase(c);
    const out = solveConda({ index, specs: (c.specs as string[]).map((s) => MatchSpec.parse(s)), channelPriority: channelPriorityOf(c) });
    if (!out.ok) return 'unsatisfiable';
    for (const want of c.expected_contains_records ?? []) {
      const hit = out.records.some((id) => Object.entries(want as Record<string, unknown>).every(([k, v]) => {
        const r = index.record(id) as unknown as Record<string, unknown>;
        if (k === 'repo' || k === 'channel') return index.channelOf(id) === v;
        if (k === 'track_features') return JSON.stringify(r[k]) === JSON.stringify(v);
        if (k === 'timestamp') return r[k] === v || r[k] === (v as number) * 1000; // records keep milliseconds
        if (k === 'subdir') return index.subdirOf(id) === v;
        return r[k] === v;
      }));
      if (!hit) return `no chosen record like ${JSON.stringify(want)}; ${show()}`;
    }
    for (const n of c.expected_excludes_names ?? []) if (out.records.some((id) => index.nameOf(id) === n)) return `has ${n}`;
  }
  return undefined;
}
