// Loads ../shared/conformance/solve-cases.json cases into a PackageIndex the way each upstream test
// loaded its index (see the conformance README's `loader` notes), and runs one case: a fresh solve,
// or (state-cases.ts) a solve against installed records, history, removals, options and pins.

import { readFileSync } from 'node:fs';
import { PackageIndex, type IndexSource } from '../../core/index/package-index.ts';
import { type ChannelPriority, solveConda } from '../../core/solve/conda-solver.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { explainUnsatisfiable } from '../../core/solve/explain.ts';
import { checkSolution } from './solution-checker.ts';
import { runState, usesState } from './state-cases.ts';

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

/** Replaces a case's index sources before the index is built (test/channel/shards-solve-cases.test.ts serves them over HTTP). */
export type SourceTransform = (sources: IndexSource[]) => IndexSource[];

/** The index a case runs against, the channel names in priority order, and the installed records added to it. */
export function loadCase(c: SolveCase, transform?: SourceTransform): { index: PackageIndex; channels: string[]; added: Map<string, number>; virtualNames: string[] } {
  const sources: IndexSource[] = [];
  const files: string[] = c.index === null ? [] : Array.isArray(c.index) ? c.index : [c.index];
  const channels: string[] = c.channels ?? (c.loader === 'mamba-inline' ? ['repo'] : ['channel-1']);
  files.forEach((file, i) => {
    // conda's helpers publish index.json as channel-1 and indexN.json as channel-N; old conda's
    // Resolve gives a channel missing from its priority list the priority 1
    const own = `channel-${/^index(\d*)\.json$/.exec(file)?.[1] || '1'}`;
    const merged = c.loader === 'conda-old-resolve' && files.length > 1;
    const channel = merged || channels.includes(own) ? own : (channels[i] ?? channels[0]!);
    const priority = channels.includes(channel) ? channels.indexOf(channel) : 1;
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
  const virtual: [string, unknown][] = [];
  if ((c.loader === 'conda-head' || c.loader === 'conda-head-solvertests') && /^Solver\./.test(c.api ?? '')) {
    // conda's Solver (get_reduced_index) adds a `<feature>@` record in channel @ for every feature
    // named by a record's track_features or features
    const features = new Set<string>();
    for (const s of sources) for (const [, raw] of s.entries as [string, Record<string, unknown>][]) for (const f of `${raw.track_features ?? ''} ${raw.features ?? ''}`.split(/[ ,]+/)) if (f) features.add(f);
    for (const f of features) virtual.push([`${f}@`, { name: `${f}@`, version: '0', build: '0', build_number: 0, track_features: f, depends: [] }]);
  }
  if (vp) for (const [name, version] of Object.entries(vp)) if (version !== null) virtual.push([`${name}-${version}-0.virtual`, { name, version, build: '0', build_number: 0, depends: [] }]);
  // mamba's installed virtual packages are facts about the machine, like conda's
  for (const v of (c.installed_virtual ?? []) as Record<string, unknown>[]) virtual.push([`${v.name}-${v.version}-${v.build}.virtual`, { build_number: 0, depends: [], ...v }]);
  if (virtual.length > 0) sources.push({ channel: '@', priority: -1, subdir: c.subdir ?? 'linux-64', entries: virtual });
  // installed records given as objects (mamba) are not in any channel: add them as conda adds prefix records
  const installedRecords = ((c.installed ?? []) as unknown[]).filter((e): e is Record<string, unknown> => typeof e !== 'string');
  if (installedRecords.length > 0) {
    const entries = installedRecords.map((r): [string, unknown] => [`${r.name}-${r.version}-${r.build}.tar.bz2`, { build_number: 0, depends: [], ...r }]);
    sources.push({ channel: 'installed', priority: channels.length, subdir: c.subdir ?? 'linux-64', entries });
  }
  const index = PackageIndex.from(transform ? transform(sources) : sources);
  const added = new Map<string, number>();
  for (const r of installedRecords) {
    const id = index.candidates(String(r.name)).find((x) => index.channelOf(x) === 'installed' && index.record(x).version === r.version && index.record(x).build === r.build);
    if (id !== undefined) added.set(`${r.name}-${r.version}-${r.build}`, id);
  }
  const virtualNames = [...new Set(virtual.map(([, raw]) => String((raw as { name: unknown }).name)))];
  return { index, channels, added, virtualNames };
}

export function channelPriorityOf(c: SolveCase): ChannelPriority {
  const raw = c.settings?.channel_priority ?? (c.settings?.strict_repo_priority === false ? 'flexible' : undefined);
  // conda's and mamba's default is flexible
  if (raw === undefined) return c.settings?.strict_repo_priority === true ? 'strict' : 'flexible';
  const s = String(raw).toLowerCase();
  if (s === 'false' || s === 'disabled') return 'disabled';
  if (s === 'true' || s === 'flexible') return 'flexible';
  return 'strict';
}

export interface CaseRun {
  ok: boolean;
  /** conda's exception kind when !ok and the run says (state cases). */
  error?: string;
  chosen: string[];
  problems: string[];
  index: PackageIndex;
  records: number[];
  /** Diff against the installed records (state cases). */
  link: string[];
  unlink: string[];
}

/** Expected entries are `name-version-build`, with `channel[/noarch]::` when the case names channels. */
function labeller(c: SolveCase, index: PackageIndex): (id: number) => string {
  const named = [
    ...(c.expected ?? []), ...(c.expected_contains ?? []), ...(c.expected_excludes ?? []),
    ...(c.expected_link ?? []), ...(c.expected_unlink ?? []), ...(c.expected_unlink_contains ?? []),
  ] as string[];
  const multi = named.some((x) => x.includes('::'));
  return (id) => {
    const r = index.record(id);
    const base = `${r.name}-${r.version}-${r.build}`;
    return multi ? `${index.channelOf(id)}${index.subdirOf(id) === 'noarch' ? '/noarch' : ''}::${base}` : base;
  };
}

const shown = (index: PackageIndex) => (id: number) => index.channelOf(id) !== '@' && !index.nameOf(id).endsWith('@');

export function runSolve(c: SolveCase, specs: string[] = c.specs, transform?: SourceTransform): CaseRun {
  const { index } = loadCase(c, transform);
  const out = solveConda({ index, specs: specs.map((s) => MatchSpec.parse(s)), channelPriority: channelPriorityOf(c) });
  if (!out.ok) return { ok: false, chosen: [], problems: [], index, records: [], link: [], unlink: [] };
  const label = labeller(c, index);
  return { ok: true, chosen: out.records.filter(shown(index)).map(label), problems: checkSolution(index, out.records), index, records: out.records, link: [], unlink: [] };
}

/** A case through conda's Solver / Resolve entry points (state-cases.ts) or, without any state, a plain solve. */
export function runCase(c: SolveCase, transform?: SourceTransform): CaseRun {
  if (!usesState(c)) return runSolve(c, c.specs, transform);
  const { index, added, virtualNames } = loadCase(c, transform);
  const run = runState(c, index, added, channelPriorityOf(c));
  const label = labeller(c, index);
  if (!run.ok) return { ok: false, error: run.error, chosen: [], problems: [], index, records: [], link: [], unlink: [] };
  // the machine's virtual packages are part of every environment conda checks
  const virtual = virtualNames.flatMap((n) => index.candidates(n).filter((id) => index.channelOf(id) === '@'));
  const problems = run.mayBeInconsistent ? [] : checkSolution(index, [...run.records, ...virtual]);
  return { ok: true, chosen: run.records.filter(shown(index)).map(label), problems, index, records: run.records, link: run.link.map(label), unlink: run.unlink.map(label) };
}

/** Compare as sets; `channel/<platform>::` prefixes in expectations are read as `channel::`. */
function plain(x: string): string {
  return x.replace(/\/(?!noarch)[a-z0-9]+-[a-z0-9]+::/, '::');
}

function setDiff(got: readonly string[], expected: readonly string[]): string | undefined {
  const have = new Set(got);
  const want = new Set(expected.map(plain));
  const extra = [...have].filter((x) => !want.has(x));
  const lacking = [...want].filter((x) => !have.has(x));
  return extra.length || lacking.length ? `extra ${extra.join(' ')} | missing ${lacking.join(' ')}` : undefined;
}

/** undefined when the case passes, else how it differs. Unsupported case shapes say so. */
export function checkCase(c: SolveCase, transform?: SourceTransform): string | undefined {
  if (c.api && !/solve_final_state|solve_for_diff|Resolve\.(install|remove|solve)|mamba/.test(c.api)) return `api ${c.api} not implemented yet`;
  const run = runCase(c, transform);
  if (run.problems.length > 0) return `invalid solution: ${run.problems.join('; ')}`;
  if (c.expect_unsat || c.expect_error) {
    if (run.ok) return `expected unsatisfiable, got ${run.chosen.join(' ')}`;
    if (typeof c.expect_error === 'string' && c.expect_error === 'SpecsConfigurationConflictError' && run.error !== 'specs-configuration-conflict') return `expected ${c.expect_error}, got ${run.error ?? 'unsatisfiable'}`;
    if (c.expected_unsat_chains) {
      const { index } = loadCase(c, transform);
      const why = explainUnsatisfiable({ index, specs: (c.specs as string[]).map((s) => MatchSpec.parse(s)), channelPriority: channelPriorityOf(c) });
      const got = why.conflicts.flatMap((x) => x.chains).map((ch) => JSON.stringify(ch)).sort();
      const want = (c.expected_unsat_chains as string[][]).map((ch) => JSON.stringify(ch)).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) return `chains ${got.join(' ')} != ${want.join(' ')}`;
    }
    return undefined;
  }
  if (!run.ok) return `unsatisfiable, expected a solution${run.error ? ` (${run.error})` : ''}`;
  const got = new Set(run.chosen);
  const show = () => `got ${[...got].sort().join(' ')}`;
  if (c.expected) {
    const d = setDiff(run.chosen, c.expected);
    if (d) return `differs: ${d}`;
  }
  if (c.expected_link) {
    const d = setDiff(run.link, c.expected_link);
    if (d) return `link differs: ${d}`;
  }
  if (c.expected_unlink) {
    const d = setDiff(run.unlink, c.expected_unlink);
    if (d) return `unlink differs: ${d}`;
  }
  for (const x of c.expected_unlink_contains ?? []) if (!run.unlink.includes(plain(x))) return `${x} is not unlinked; unlinked ${run.unlink.join(' ')}`;
  if (c.expected_link_count !== undefined && run.link.length !== c.expected_link_count) return `link count ${run.link.length} != ${c.expected_link_count}`;
  if (c.expected_unlink_count !== undefined && run.unlink.length !== c.expected_unlink_count) return `unlink count ${run.unlink.length} != ${c.expected_unlink_count}`;
  for (const x of c.expected_contains ?? []) if (!got.has(plain(x))) return `missing ${x}; ${show()}`;
  for (const x of c.expected_excludes ?? []) if (got.has(plain(x))) return `has ${x}`;
  if (c.expected_count !== undefined && got.size !== c.expected_count) return `count ${got.size} != ${c.expected_count}`;
  if (c.expected_equal_to_solve_of) {
    const other = runCase({ ...c, specs: c.expected_equal_to_solve_of }, transform);
    if (JSON.stringify([...got].sort()) !== JSON.stringify([...other.chosen].sort())) return `differs from the solve of ${c.expected_equal_to_solve_of}`;
  }
  const { index, records } = run;
  for (const want of c.expected_contains_records ?? []) {
    const hit = records.some((id) => Object.entries(want as Record<string, unknown>).every(([k, v]) => {
      const r = index.record(id) as unknown as Record<string, unknown>;
      if (k === 'repo' || k === 'channel') return index.channelOf(id) === v;
      if (k === 'track_features') return JSON.stringify(r[k]) === JSON.stringify(v);
      if (k === 'timestamp') return r[k] === v || r[k] === (v as number) * 1000; // records keep milliseconds
      if (k === 'subdir') return index.subdirOf(id) === v;
      return r[k] === v;
    }));
    if (!hit) return `no chosen record like ${JSON.stringify(want)}; ${show()}`;
  }
  for (const n of c.expected_excludes_names ?? []) if (records.some((id) => index.nameOf(id) === n)) return `has ${n}`;
  return undefined;
}
