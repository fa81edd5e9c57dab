// Pin effects: for each solved package nobody pinned, the candidate records and how many a pin to
// its solved release series leaves — on a small index with known counts, and on conda-forge's real
// records (../shared/fixtures/real-slice) through solveEnvironment, checked against counts taken
// straight from the repodata.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PackageIndex } from '../../core/index/package-index.ts';
import { isUnpinnedSpec, pinEffect, pinEffects, releaseSeries } from '../../core/solve/pin-effects.ts';
import { solveEnvironment } from '../../core/solve/solve-environment.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';

const rec = (name: string, version: string, build: number) =>
  [`${name}-${version}-${build}.conda`, { name, version, build: `h_${build}`, build_number: build, depends: [] }] as [string, unknown];

function builds(name: string, versions: string[], perVersion: number): [string, unknown][] {
  return versions.flatMap((v) => Array.from({ length: perVersion }, (_, b) => rec(name, v, b)));
}

const index = PackageIndex.from([
  {
    channel: 'test',
    priority: 0,
    subdir: 'linux-64',
    entries: [
      ...builds('python', ['3.11.9', '3.12.1', '3.12.4', '3.13.0'], 20), // 80 candidates, 40 in 3.12
      ...builds('numpy', ['1.26.4', '2.0.1', '2.1.0'], 30), // 90 candidates, 30 in 1.26
      ...builds('zlib', ['1.3.1'], 60), // 60 candidates, all in 1.3: a pin would not help
      ...builds('tiny', ['1.0', '2.0'], 5), // too few to be worth a pin
    ],
  },
  { channel: '@', priority: -1, subdir: 'linux-64', entries: builds('python', ['3.12.9'], 1) },
]);

test('releaseSeries and isUnpinnedSpec', () => {
  assert.equal(releaseSeries('3.12.4'), '3.12');
  assert.equal(releaseSeries('8'), '8');
  assert.equal(releaseSeries('2024a'), '2024');
  assert.equal(releaseSeries('rc'), undefined);
  assert.equal(isUnpinnedSpec(MatchSpec.parse('numpy')), true);
  assert.equal(isUnpinnedSpec(MatchSpec.parse('numpy *')), true);
  assert.equal(isUnpinnedSpec(MatchSpec.parse('numpy >=1')), false);
});

test('one pin: candidates without the virtual channel, and those the series keeps', () => {
  assert.deepEqual(pinEffect(index, 'python', '3.12.4', '@', true), { name: 'python', pin: 'python=3.12', constraint: '=3.12', candidates: 80, left: 40, requested: true });
  assert.equal(pinEffect(index, 'zlib', '1.3.1', '@'), undefined, 'a pin that keeps every candidate is no suggestion');
});

test('pins ordered by how much they shrink the search; pinned, small and useless ones left out', () => {
  const solved = [
    { name: 'python', version: '3.12.4' },
    { name: 'numpy', version: '1.26.4' },
    { name: 'zlib', version: '1.3.1' },
    { name: 'tiny', version: '2.0' },
  ];
  const effects = pinEffects(index, [MatchSpec.parse('numpy')], solved, '@');
  assert.deepEqual(
    effects.map((e) => [e.pin, e.candidates, e.left, e.requested]),
    [
      ['numpy=1.26', 90, 30, true],
      ['python=3.12', 80, 40, false],
    ],
  );
  assert.deepEqual(pinEffects(index, [MatchSpec.parse('numpy >=1.26')], solved, '@').map((e) => e.name), ['python'], 'a spec with a version is already pinned');
  assert.deepEqual(pinEffects(index, [], solved, '@', { limit: 1 }).map((e) => e.name), ['numpy']);
  assert.deepEqual(pinEffects(index, [], solved, '@', { minCandidates: 5 }).map((e) => e.name), ['numpy', 'python', 'tiny']);
});

const SLICE = fileURLToPath(new URL('../../../shared/fixtures/real-slice/', import.meta.url));
const sliceSkip = existsSync(join(SLICE, 'linux-64/repodata.json')) ? false : `${SLICE} is absent: the shared fixtures are not available here`;

test('real conda-forge records: the solve reports the pins with counts the repodata confirms', { skip: sliceSkip }, async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'pin-effects-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const solution = await solveEnvironment({
    specs: ['python', 'numpy'].map((s) => MatchSpec.parse(s)),
    channels: [SLICE],
    overrideChannels: true,
    platform: 'linux-64',
    virtualPackages: ['__glibc=2.35', '__unix=0'],
    env: { CONDARC: '' },
    cacheDir,
  });
  assert.equal(solution.ok, true);
  if (!solution.ok) return;
  const pins = solution.stats.pins ?? [];
  const python = pins.find((p) => p.name === 'python');
  assert.ok(python, `python is pinned by nobody and has many builds: ${JSON.stringify(pins)}`);
  const solvedPython = solution.packages.find((p) => p.name === 'python')!;
  const series = releaseSeries(solvedPython.version)!;
  // the counts, straight from the files
  let candidates = 0;
  let left = 0;
  for (const subdir of ['linux-64', 'noarch']) {
    const repodata = JSON.parse(readFileSync(join(SLICE, subdir, 'repodata.json'), 'utf8')) as Record<string, Record<string, { name: string; version: string }>>;
    for (const group of ['packages', 'packages.conda']) {
      for (const r of Object.values(repodata[group] ?? {})) {
        if (r.name !== 'python') continue;
        candidates++;
        if (r.version === series || r.version.startsWith(`${series}.`)) left++;
      }
    }
  }
  assert.deepEqual([python.pin, python.candidates, python.left, python.requested], [`python=${series}`, candidates, left, true]);
  assert.ok(left < candidates);
  for (let i = 1; i < pins.length; i++) assert.ok(pins[i - 1]!.candidates - pins[i - 1]!.left >= pins[i]!.candidates - pins[i]!.left, 'largest reduction first');
});
