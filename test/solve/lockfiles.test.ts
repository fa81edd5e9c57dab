// Every real lock file is a solution: for each lock file in ../shared/fixtures/lockfiles (conda-lock
// v1 and pixi lock files, read with core/spec/lock-file.ts; explicit files, read with
// core/spec/explicit-file.ts), each environment × platform is solved with every locked conda record
// given as an exact spec (`channel::name==version=build`), over an index holding just the locked
// records plus the virtual packages they need. The solver must find exactly the locked set, and the
// solution must pass test/solve/solution-checker.ts.
//
// Lock files keep only part of a record (conda-lock v1 drops constrains and build pins, test
// fixtures drop depends, explicit files hold only URLs), so each lock is solved a second time with
// conda-forge's own records from ../shared/fixtures/real-slice in place of the locked ones wherever
// real-slice has the same file (the hashes must agree). Explicit files, which have nothing but URLs,
// take their records from real-slice in their only pass.
//
// Locks whose own records are not a consistent solution, and files that lock no conda package, are
// listed below with the reason, and checked to be exactly that — nothing is skipped silently.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PackageIndex, type IndexSource } from '../../core/index/package-index.ts';
import { solveConda } from '../../core/solve/conda-solver.ts';
import { explainUnsatisfiable } from '../../core/solve/explain.ts';
import { canonicalChannelName } from '../../core/spec/channel-name.ts';
import { SpecError } from '../../core/spec/errors.ts';
import { parseExplicitFile } from '../../core/spec/explicit-file.ts';
import { buildNumberOfBuild, subdirOfUrl } from '../../core/spec/lock-file-record.ts';
import { readLockFile, type LockedCondaPackage, type LockFile } from '../../core/spec/lock-file.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { Version } from '../../core/spec/version.ts';
import { checkSolution } from './solution-checker.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const LOCKS = join(FIXTURES, 'lockfiles/conda-lock');
const EXPLICIT = join(FIXTURES, 'lockfiles/explicit-envs');
const SLICE = join(FIXTURES, 'real-slice');
const present = [LOCKS, EXPLICIT, SLICE].every((dir) => existsSync(dir));
const skip = present ? false : `${FIXTURES} (lockfiles, real-slice) is absent: the shared fixtures are not available here`;

// ---- what the fixtures are expected to be ------------------------------------------------------

/** A file that cannot be read, and what the error must say. */
const REFUSED: Record<string, RegExp> = {
  'forward-compatible-lock.yml': /format version 1000, but env-setup reads versions 1 to 7/,
};

/** Files that lock no conda package at all, and what they hold instead. */
const NO_CONDA: Record<string, string> = {
  'v4/absolute-path-lock.yml': 'pypi only: one local PyPI project per platform',
  'v6/empty-lock.yml': 'empty: an environment without platforms',
  'v7/empty-lock.yml': 'empty: an environment without platforms',
  'v6/options-lock.yml': 'six environments that only carry solve options',
  'v7/options-lock.yml': 'six environments that only carry solve options',
  'v7/pypi_absolute_url.yml': 'pypi only: two local PyPI projects per platform',
  'v7/pypi_custom_index.yml': 'pypi only: three PyPI packages, two from a custom index',
  'v7/pypi_relative_outside_url.yml': 'pypi only: two local PyPI projects per platform',
  'v7/pypi_relative_url.yml': 'pypi only: two local PyPI projects per platform',
  'v7/partial-source-extra-depends-lock.yml': 'one source package pixi has not evaluated (no version or build to pin)',
  'v7/partial-source-flags-lock.yml': 'one source package pixi has not evaluated (no version or build to pin)',
  'v7/partial-source-purls-lock.yml': 'one source package pixi has not evaluated (no version or build to pin)',
  'v7/partial-source-run-exports-lock.yml': 'one source package pixi has not evaluated (no version or build to pin)',
};

interface NotASolution {
  /** Why the locked records cannot all be installed together. */
  why: string;
  /** What solution-checker.ts says about the whole locked set (independent of the solver). */
  problems: string[];
  /** Packages the records need that the lock does not have (from explainUnsatisfiable). */
  missing: string[];
}

const SOURCES_WHY =
  'child-package depends on packages it builds from source (its `sources` / `source_depends`), and those are not locked as packages of the environment';
const VARIANTS_WHY =
  'two variants of one source package (my-package 1.0.0 for linux-64 and for win-64) are both locked for linux-64, and both depend on python, which the lock does not have';

/** Environment × platform (`file environment platform`) whose own records are not a consistent solution. */
const NOT_A_SOLUTION: Record<string, NotASolution> = {
  'v6/sources-lock.yml default win-64': {
    why: SOURCES_WHY,
    problems: ['path', 'git_tag', 'git_rev', 'git_branch'].map((d) => `child-package-0.1.0-pyhbf21a9e_0.conda needs ${d}, not satisfied`),
    missing: ['git_branch', 'git_rev', 'git_tag', 'path'],
  },
  'v7/sources-lock.yml default win-64': {
    why: SOURCES_WHY,
    problems: ['path', 'git_tag', 'git_rev', 'git_branch'].map((d) => `child-package-0.1.0-pyhbf21a9e_0.conda needs ${d}, not satisfied`),
    missing: ['git_branch', 'git_rev', 'git_tag', 'path'],
  },
  'v7/sources-lfs-lock.yml default win-64': {
    why: SOURCES_WHY,
    problems: ['git_lfs', 'git_no_lfs', 'git_plain'].map((d) => `child-package-0.1.0-pyhbf21a9e_0.conda needs ${d}, not satisfied`),
    missing: ['git_lfs', 'git_no_lfs', 'git_plain'],
  },
  'v6/source-package-with-variants-lock.yml default linux-64': {
    why: 'the source package my-package depends on python >=3.8, which the lock does not have',
    problems: ["my-package-1.0.0-.conda needs python[version='>=3.8'], not satisfied"],
    missing: ['python'],
  },
  'v6/multiple-source-packages-with-variants-lock.yml default linux-64': {
    why: VARIANTS_WHY,
    problems: [
      'two records for my-package: my-package-1.0.0-.conda and my-package-1.0.0-.conda',
      "my-package-1.0.0-.conda needs python[version='>=3.8'], not satisfied",
      "my-package-1.0.0-.conda needs python[version='>=3.8'], not satisfied",
    ],
    missing: ['python'],
  },
  'v7/multiple-source-packages-with-variants-lock.yml default linux-64': {
    why: VARIANTS_WHY,
    problems: [
      'two records for my-package: my-package-1.0.0-.conda and my-package-1.0.0-.conda',
      "my-package-1.0.0-.conda needs python[version='>=3.8'], not satisfied",
      "my-package-1.0.0-.conda needs python[version='>=3.8'], not satisfied",
    ],
    missing: ['python'],
  },
};

const STRIPPED_PYTHON_WHY =
  "the fixture's python 3.12.0 record was written without its depends; conda-forge's record needs bzip2, libffi, openssl, … which the lock does not have";

/** Environment × platform that is a solution as locked, but not with conda-forge's full records from real-slice. */
const NOT_A_SOLUTION_WITH_REAL_RECORDS: Record<string, { why: string; missing: string[] }> = {
  'v6/derived-channel-lock.yml default win-64': {
    why: STRIPPED_PYTHON_WHY,
    missing: ['bzip2', 'libexpat', 'libffi', 'libsqlite', 'libzlib', 'openssl', 'tk', 'tzdata', 'ucrt', 'vc', 'vc14_runtime', 'xz'],
  },
  'v7/derived-channel-lock.yml default win-64': {
    why: STRIPPED_PYTHON_WHY,
    missing: ['bzip2', 'libexpat', 'libffi', 'libsqlite', 'libzlib', 'openssl', 'tk', 'tzdata', 'ucrt', 'vc', 'vc14_runtime', 'xz'],
  },
};

/**
 * Explicit files: how many of their packages real-slice has (the others have only a URL, so their
 * own depends are unknown; the depends of the real-slice records are still checked against them).
 */
const EXPLICIT_COVERAGE: Record<string, { packages: number; fromRealSlice: number; note: string }> = {
  'ros-noetic_linux-64.txt': { packages: 568, fromRealSlice: 88, note: 'robostack packages and 2022 conda-forge builds are not in real-slice' },
  'vs2015_runtime_win-64.txt': { packages: 2, fromRealSlice: 0, note: 'pkgs/main packages: real-slice holds conda-forge only' },
  'xtensor_linux-64.txt': { packages: 7, fromRealSlice: 1, note: 'conda-forge builds from 2020, older than real-slice' },
};

// ---- solving a locked set ----------------------------------------------------------------------

/** One locked package as the solver gets it. */
interface Locked {
  name: string;
  version: string;
  build: string;
  /** Canonical channel name; undefined for source packages (they have none). */
  channel: string | undefined;
  subdir: string;
  fn: string;
  /** The repodata record put in the index. */
  raw: Record<string, unknown>;
  fromRealSlice: boolean;
}

const SOURCE_CHANNEL = '<source packages>';
const VIRTUAL = '@';

interface Outcome {
  ok: boolean;
  /** `name=version=build` of the solution (virtual packages left out), sorted. */
  chosen: string[];
  /** `name=version=build` of the locked set, sorted. */
  locked: string[];
  /** solution-checker.ts on the solution. */
  solutionProblems: string[];
  /** solution-checker.ts on the whole locked set. */
  lockedProblems: string[];
  /** The virtual packages added, `name=version`. */
  virtual: string[];
  /** Names the solver reports as missing (no record at all) when there is no solution. */
  missing: string[];
  explanation: string;
}

function solveLocked(packages: readonly Locked[], subdir: string, declaredVirtual: readonly string[]): Outcome {
  const sources = new Map<string, IndexSource & { entries: [string, unknown][] }>();
  for (const p of packages) {
    const channel = p.channel ?? SOURCE_CHANNEL;
    const key = `${channel} ${p.subdir}`;
    let source = sources.get(key);
    if (source === undefined) sources.set(key, (source = { channel, priority: 0, subdir: p.subdir, entries: [] }));
    source.entries.push([p.fn, p.raw]);
  }
  const virtual = virtualPackages(packages.map((p) => p.raw), declaredVirtual);
  const index = PackageIndex.from([
    ...sources.values(),
    { channel: VIRTUAL, priority: -1, subdir, entries: virtual.map((v): [string, unknown] => [`${v.name}-${v.version}-${v.build}.virtual`, v]) },
  ]);
  assert.equal(index.size, packages.length + virtual.length, 'every locked record is in the index (no duplicate file names)');
  // channel::name==version=build, built field by field (an empty build is left out: it cannot be written)
  const specs = packages.map((p) => MatchSpec.fromFields({ name: p.name, version: `==${p.version}`, build: p.build === '' ? undefined : p.build, channel: p.channel }));
  const request = { index, specs, virtualChannel: VIRTUAL };
  const out = solveConda(request);
  const label = (id: number) => `${index.nameOf(id)}=${index.record(id).version}=${index.record(id).build}`;
  const outcome: Outcome = {
    ok: out.ok,
    chosen: [],
    locked: packages.map((p) => `${p.name}=${p.version}=${p.build}`).sort(),
    solutionProblems: [],
    lockedProblems: checkSolution(index, [...index.allIds()]),
    virtual: virtual.map((v) => `${v.name}=${v.version}`),
    missing: [],
    explanation: '',
  };
  if (out.ok) {
    outcome.chosen = out.records.filter((id) => index.channelOf(id) !== VIRTUAL).map(label).sort();
    outcome.solutionProblems = checkSolution(index, out.records);
  } else {
    const why = explainUnsatisfiable(request);
    outcome.missing = why.conflicts.filter((c) => !c.available).map((c) => c.name).sort();
    outcome.explanation = why.text;
  }
  return outcome;
}

interface VirtualRecord {
  name: string;
  version: string;
  build: string;
  build_number: 0;
  depends: string[];
  constrains: string[];
}

/**
 * The virtual packages (`__glibc`, `__osx`, `__unix`, `__win`, `__cuda`, `__archspec`, …) the locked
 * records ask for, at versions the lock itself accepts, not the test machine's: every version the
 * lock's specs on a name mention (in depends, in constrains, and in a version 7 platform's declared
 * `virtual-packages`) is a candidate, plus 0, and the highest candidate that satisfies all of them is
 * used (`__glibc >=2.17,<3.0.a0` gives 2.17, `__osx >=11.0` gives 11.0, `__unix` gives 0). The build
 * is 0 unless a spec names one. A name no candidate satisfies is left out, so the solve then fails.
 */
function virtualPackages(records: readonly Record<string, unknown>[], declared: readonly string[]): VirtualRecord[] {
  const specs = new Map<string, MatchSpec[]>();
  const add = (text: string) => {
    const spec = MatchSpec.parse(text);
    if (spec.name.startsWith('__')) specs.set(spec.name, [...(specs.get(spec.name) ?? []), spec]);
  };
  for (const d of declared) add(d);
  for (const r of records) for (const d of (r.depends as string[] | undefined) ?? []) add(d);
  const constrained = new Map<string, MatchSpec[]>();
  for (const r of records) {
    for (const c of (r.constrains as string[] | undefined) ?? []) {
      const spec = MatchSpec.parse(c);
      if (spec.name.startsWith('__')) constrained.set(spec.name, [...(constrained.get(spec.name) ?? []), spec]);
    }
  }
  const out: VirtualRecord[] = [];
  for (const [name, own] of specs) {
    const all = [...own, ...(constrained.get(name) ?? [])];
    const versions = new Set(['0']);
    for (const s of all) for (const v of s.version?.toString().match(/\d[0-9A-Za-z_.!+]*/g) ?? []) if (Version.tryParse(v.replace(/\.$/, ''))) versions.add(v.replace(/\.$/, ''));
    const builds = new Set(['0']);
    for (const s of all) {
      const build = s.exactValue('build');
      if (build !== undefined) builds.add(build);
    }
    const candidates = [...versions].sort((a, b) => Version.parse(b).compare(Version.parse(a)));
    let chosen: VirtualRecord | undefined;
    for (const version of candidates) {
      for (const build of builds) {
        const record: VirtualRecord = { name, version, build, build_number: 0, depends: [], constrains: [] };
        if (all.every((s) => s.matches(record))) {
          chosen = record;
          break;
        }
      }
      if (chosen) break;
    }
    if (chosen) out.push(chosen);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

// ---- real-slice ----------------------------------------------------------------------------------

let realSlice: Map<string, Record<string, Record<string, unknown>>> | undefined;

/** conda-forge's records by subdir and file name (real-slice has linux-64, noarch, osx-arm64, win-64). */
function realRecord(subdir: string, fn: string): Record<string, unknown> | undefined {
  if (realSlice === undefined) {
    realSlice = new Map();
    for (const dir of readdirSync(SLICE)) {
      const file = join(SLICE, dir, 'repodata.json');
      if (!existsSync(file)) continue;
      const repodata = JSON.parse(readFileSync(file, 'utf8')) as { packages?: Record<string, Record<string, unknown>>; 'packages.conda'?: Record<string, Record<string, unknown>> };
      realSlice.set(dir, { ...repodata.packages, ...repodata['packages.conda'] });
    }
  }
  return realSlice.get(subdir)?.[fn];
}

/** The channels real-slice speaks for: conda-forge and its prefix.dev mirror (same files, same hashes). */
const CONDA_FORGE = new Set(['conda-forge', 'https://prefix.dev/conda-forge']);

/** conda-forge's record of a locked binary package, when real-slice has the file; the hashes must agree. */
function realRecordOf(record: LockedCondaPackage, where: string): Record<string, unknown> | undefined {
  if (record.kind !== 'binary' || record.channel === undefined || !CONDA_FORGE.has(canonicalChannelName(record.channel))) return undefined;
  const subdir = subdirOfUrl(record.url);
  const real = subdir === undefined ? undefined : realRecord(subdir, record.fn);
  if (real === undefined) return undefined;
  for (const hash of ['md5', 'sha256'] as const) {
    if (record[hash] !== undefined && real[hash] !== undefined) assert.equal(record[hash], real[hash], `${where}: ${record.fn} ${hash} differs from real-slice's`);
  }
  return real;
}

function fromLock(record: LockedCondaPackage, real: Record<string, unknown> | undefined): Locked {
  const { position: _position, kind: _kind, source: _source, ...repodata } = record;
  return {
    name: record.name,
    version: record.version,
    build: record.build,
    channel: record.kind === 'binary' && record.channel !== undefined ? canonicalChannelName(record.channel) : undefined,
    subdir: record.subdir,
    fn: record.fn,
    raw: real ?? repodata,
    fromRealSlice: real !== undefined,
  };
}

// ---- the tests -----------------------------------------------------------------------------------

function lockFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(relative(LOCKS, path));
    }
  };
  walk(LOCKS);
  return out;
}

const totals = { files: 0, environments: 0, platforms: 0, solved: 0, records: 0, withRealRecords: 0, replaced: 0, notASolution: 0, noConda: 0 };
const used = new Set<string>();
/** The virtual packages each solve added (`file environment platform` → `name=version`). */
const virtualAdded = new Map<string, string[]>();

function assertSolution(outcome: Outcome, where: string): void {
  assert.ok(outcome.ok, `${where}: the locked set is not accepted as a solution\n${outcome.explanation}`);
  assert.deepEqual(outcome.chosen, outcome.locked, `${where}: the solver chose another set than the locked one`);
  assert.deepEqual(outcome.solutionProblems, [], `${where}: the solution fails the checker`);
  assert.deepEqual(outcome.lockedProblems, [], `${where}: the locked set fails the checker`);
}

function checkLockFile(file: string): void {
  let lock: LockFile;
  try {
    lock = readLockFile(readFileSync(join(LOCKS, file), 'utf8'), file);
  } catch (error) {
    const refused = REFUSED[file];
    if (refused === undefined) throw error;
    used.add(file);
    assert.ok(error instanceof SpecError);
    assert.match(error.message, refused);
    return;
  }
  assert.equal(REFUSED[file], undefined, `${file} was expected to be refused`);
  totals.files++;
  const condaCount = lock.environments.reduce((n, e) => n + e.packages.reduce((m, p) => m + p.conda.length, 0), 0);
  if (NO_CONDA[file] !== undefined) {
    used.add(file);
    totals.noConda++;
    assert.equal(condaCount, 0, `${file} was expected to lock no conda package (${NO_CONDA[file]})`);
    const note = NO_CONDA[file]!;
    const pypi = lock.environments.reduce((n, e) => n + e.packages.reduce((m, p) => m + p.pypi.length, 0), 0);
    const partial = lock.environments.reduce((n, e) => n + e.packages.reduce((m, p) => m + p.partialSources.length, 0), 0);
    if (note.startsWith('pypi only')) assert.ok(pypi > 0 && partial === 0, file);
    else if (note.includes('not evaluated')) {
      assert.equal(partial, 1, file);
      // its depends would have to be locked too once it is built: python is not in the lock
      const only = lock.environments[0]!.packages[0]!.partialSources[0]!;
      assert.deepEqual(only.depends, ['python >=3.10']);
    } else assert.equal(pypi + partial, 0, file);
    return;
  }
  assert.ok(condaCount > 0, `${file} locks no conda package: list it in NO_CONDA with what it holds`);

  for (const environment of lock.environments) {
    totals.environments++;
    for (const platform of environment.packages) {
      const where = `${file} ${environment.name} ${platform.platform}`;
      totals.platforms++;
      assert.ok(platform.conda.length > 0, `${where}: no conda packages`);
      assert.deepEqual(platform.partialSources, [], `${where}: unevaluated source packages cannot be pinned`);
      const declared = lock.platforms.find((p) => p.name === platform.platform)?.virtualPackages ?? [];

      // 1. the lock's own records
      const outcome = solveLocked(platform.conda.map((r) => fromLock(r, undefined)), platform.subdir, declared);
      virtualAdded.set(where, outcome.virtual);
      const expected = NOT_A_SOLUTION[where];
      if (expected !== undefined) {
        used.add(where);
        totals.notASolution++;
        assert.equal(outcome.ok, false, `${where} is listed as not a solution (${expected.why}), but it solves now: remove it from NOT_A_SOLUTION`);
        assert.deepEqual(outcome.lockedProblems, expected.problems, `${where}: ${expected.why}`);
        assert.deepEqual(outcome.missing, expected.missing, `${where}: ${expected.why}\n${outcome.explanation}`);
        continue;
      }
      assertSolution(outcome, where);
      totals.solved++;
      totals.records += platform.conda.length;

      // 2. conda-forge's own records wherever real-slice has the file
      const withReal = platform.conda.map((r) => fromLock(r, realRecordOf(r, where)));
      const replaced = withReal.filter((p) => p.fromRealSlice).length;
      if (replaced === 0) continue;
      const real = solveLocked(withReal, platform.subdir, declared);
      const expectedReal = NOT_A_SOLUTION_WITH_REAL_RECORDS[where];
      if (expectedReal !== undefined) {
        used.add(`${where} (real-slice)`);
        assert.equal(real.ok, false, `${where} is listed as failing with real-slice's records (${expectedReal.why}), but it solves now`);
        assert.deepEqual(real.missing, expectedReal.missing, `${where}: ${expectedReal.why}\n${real.explanation}`);
        continue;
      }
      assertSolution(real, `${where} (with ${replaced} of real-slice's records)`);
      totals.withRealRecords++;
      totals.replaced += replaced;
    }
  }
}

test('real-slice and the lock file fixtures are there', { skip }, () => {
  assert.ok(lockFiles().length > 0);
  assert.ok(readdirSync(EXPLICIT).length > 0);
});

for (const file of present ? lockFiles() : []) {
  test(`lock file ${file}: each environment × platform is a solution, or the listed exception`, () => checkLockFile(file));
}

test('virtual packages are the versions the locks themselves ask for', { skip }, () => {
  const added = (where: string) => virtualAdded.get(where);
  // `__glibc >=2.17,<3.0.a0` → 2.17; `__linux` and `__unix` without a version → 0
  assert.deepEqual(added('v0/numpy-conda-lock.yml default linux-64'), ['__glibc=2.17', '__linux=0', '__unix=0']);
  // `__osx >=10.12`, `>=10.13` and `>=10.14` on one platform → 10.14, the lowest that meets them all
  assert.deepEqual(added('v4/turtlesim-lock.yml default osx-64'), ['__osx=10.14']);
  assert.deepEqual(added('v7/numpy-as-pypi-lock.yml default osx-arm64'), ['__osx=11.0']);
  // a version 7 platform's declared `virtual-packages: [__libc >= 32]` is added as well
  assert.deepEqual(added('v7/conda-path-lock.yml default linux-64-foobar'), ['__libc=32', '__unix=0']);
  assert.deepEqual(added('v6/conda-path-lock.yml default win-64'), ['__win=0']);
  // records without virtual dependencies get none
  assert.deepEqual(added('v4/python-lock.yml default linux-64'), []);
});

test('the expectations name only what exists', { skip }, () => {
  const listed = [
    ...Object.keys(REFUSED),
    ...Object.keys(NO_CONDA),
    ...Object.keys(NOT_A_SOLUTION),
    ...Object.keys(NOT_A_SOLUTION_WITH_REAL_RECORDS).map((k) => `${k} (real-slice)`),
  ];
  assert.deepEqual(listed.filter((k) => !used.has(k)), [], 'stale entries: remove them');
  console.log(
    `lock files: ${totals.files} read, ${Object.keys(REFUSED).length} refused; ${totals.noConda} lock no conda package; ` +
      `${totals.environments} environments with conda packages, ${totals.platforms} environment × platform: ` +
      `${totals.solved} solved to exactly the locked set (${totals.records} records), ${totals.notASolution} not a solution (listed with the reason); ` +
      `${totals.withRealRecords} solved again with ${totals.replaced} of real-slice's records in place of the locked ones`,
  );
});

test('explicit files: records from real-slice, accepted as a solution', { skip }, () => {
  const files = readdirSync(EXPLICIT).filter((f) => f.endsWith('.txt')).sort();
  assert.deepEqual(files, Object.keys(EXPLICIT_COVERAGE).sort());
  let total = 0;
  for (const file of files) {
    const explicit = parseExplicitFile(readFileSync(join(EXPLICIT, file), 'utf8'), file);
    assert.ok(explicit.platform, `${file}: no "# platform:" line`);
    const packages: Locked[] = explicit.packages.map((p) => {
      const channel = canonicalChannelName(p.channel);
      const subdir = p.subdir ?? explicit.platform!;
      const real = CONDA_FORGE.has(channel) ? realRecord(subdir, p.fileName) : undefined;
      if (real !== undefined && p.md5 !== undefined) assert.equal(real.md5, p.md5, `${file}: ${p.fileName} md5`);
      if (real !== undefined && p.sha256 !== undefined) assert.equal(real.sha256, p.sha256, `${file}: ${p.fileName} sha256`);
      // without a real-slice record only the URL is known: name, version, build, and no depends
      const raw = real ?? { name: p.name, version: p.version, build: p.build, build_number: buildNumberOfBuild(p.build) ?? 0, depends: [], subdir };
      return { name: p.name, version: p.version, build: p.build, channel, subdir, fn: p.fileName, raw, fromRealSlice: real !== undefined };
    });
    const coverage = EXPLICIT_COVERAGE[file]!;
    assert.deepEqual(
      { packages: packages.length, fromRealSlice: packages.filter((p) => p.fromRealSlice).length },
      { packages: coverage.packages, fromRealSlice: coverage.fromRealSlice },
      `${file}: ${coverage.note}`,
    );
    assertSolution(solveLocked(packages, explicit.platform!, []), file);
    total += packages.length;
  }
  console.log(`explicit files: ${files.length} accepted as a solution (${total} records, ${Object.values(EXPLICIT_COVERAGE).reduce((n, c) => n + c.fromRealSlice, 0)} with real-slice's records)`);
});
