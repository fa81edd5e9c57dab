// The solver keeps what its decisions read in step with the SAT trail instead of rescanning every
// requirement at each decision. These tests check the two halves of that: the trail-prefix hook of
// the SAT core (what a caller saw of the trail and what a backjump undid), and whole solves on the
// benchmark's generated conda-forge-like channel, many of them with conflicts and backjumps, whose
// solutions must be valid.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BENCH_ENVIRONMENTS, DATA_SCIENCE_STACK, generateChannel } from '../../bench/generate-channel.ts';
import { PackageIndex } from '../../core/index/package-index.ts';
import { virtualPackagesFor } from '../../core/index/virtual-packages.ts';
import { solveConda } from '../../core/solve/conda-solver.ts';
import { lit, type Literal, SatSolver } from '../../core/solve/sat.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { checkSolution } from './solution-checker.ts';

function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => (s = (s * 1103515245 + 12345) % 2147483648) % n;
}

test('takeUnchangedPrefix: a copy of the trail kept with it matches the trail at every decision', () => {
  const rnd = random(5);
  let decisions = 0;
  let conflicts = 0;
  let deepBackjumps = 0;
  for (let t = 0; t < 1000; t++) {
    const n = 20 + rnd(30);
    const copy: Literal[] = [];
    const s = new SatSolver({
      expand: (v) => (rnd(3) === 0 ? [[lit(v, false), lit(1 + rnd(n), rnd(2) === 0), lit(1 + rnd(n), rnd(2) === 0)]] : []),
      decide: (solver) => {
        const from = solver.takeUnchangedPrefix();
        assert.ok(from <= copy.length, `problem ${t}: prefix ${from} beyond what was seen (${copy.length})`);
        if (from < copy.length) deepBackjumps++;
        // what was seen before `from` is still the trail's beginning
        for (let i = 0; i < from; i++) assert.equal(solver.trailLiteral(i), copy[i], `problem ${t}: trail changed at ${i} < ${from}`);
        copy.length = from;
        for (let i = from; i < solver.trailLength; i++) copy.push(solver.trailLiteral(i));
        for (const l of copy) {
          assert.equal(solver.litValue(l), true, `problem ${t}: trail literal ${l} not true`);
          assert.equal(solver.state(l >> 1), (l & 1) === 0 ? 1 : 2);
        }
        for (let v = 1; v <= n; v++) {
          if (solver.valueOf(v) === undefined) {
            decisions++;
            return lit(v, rnd(2) === 0);
          }
        }
        return undefined;
      },
    });
    for (let v = 0; v < n; v++) s.newVar();
    for (let g = 1; g + 2 <= n; g += 4) s.addAtMostOne([g, g + 1, g + 2]);
    for (let i = 0; i < (n * 7) / 2; i++) {
      const c: Literal[] = [];
      for (let j = 0; j < 3; j++) c.push(lit(1 + rnd(n), rnd(2) === 0));
      s.addClause(c);
    }
    s.solve();
    conflicts += s.stats.conflicts;
  }
  assert.ok(decisions > 1000 && conflicts > 500 && deepBackjumps > 10, `only ${decisions} decisions, ${conflicts} conflicts, ${deepBackjumps} deep backjumps`);
});

test('generated conda-forge-like channel: the benchmark requests and more solve to valid solutions', () => {
  const channel = generateChannel({ records: 8000 });
  const virtual = virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_GLIBC: '2.17' } });
  const index = PackageIndex.from([
    { channel: 'forge', priority: 0, subdir: 'linux-64', entries: Object.entries(channel['linux-64']['packages.conda']) },
    { channel: 'forge', priority: 0, subdir: 'noarch', entries: Object.entries(channel.noarch['packages.conda']) },
    { channel: '@', priority: -1, subdir: 'linux-64', entries: virtual.map((r): [string, unknown] => [r.fn, r]) },
  ]);
  const requests = BENCH_ENVIRONMENTS.map((e) => e.specs);
  const rnd = random(3);
  for (let i = 0; i < 6; i++) requests.push(DATA_SCIENCE_STACK.filter(() => rnd(3) === 0));
  requests.push(['python 3.10.*', 'numpy <2', 'pandas', 'openssl <3', 'pyarrow']);
  let conflicts = 0;
  for (const specs of requests) {
    const out = solveConda({ index, specs: [...specs.map((s) => MatchSpec.parse(s)), ...virtual.map((r) => MatchSpec.fromFields({ name: r.name }))] });
    assert.ok(out.ok, `${specs.join(', ')}: no solution`);
    assert.deepEqual(checkSolution(index, out.records), [], specs.join(', '));
    for (const s of specs) {
      const spec = MatchSpec.parse(s);
      assert.ok(
        out.records.some((id) => index.matches(spec, id)),
        `${s} is not met`,
      );
    }
    conflicts += out.stats.conflicts;
  }
  assert.ok(conflicts > 0, 'some request should need backjumps');
});
