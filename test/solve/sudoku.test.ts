// mamba's sudoku channel: 729 packages (81 cells x 9 digits), each digit of a cell depending on 20
// other cells not having that digit. With mamba's 30 givens it is unsatisfiable, as mamba's own test
// asserts. (The channel's constraint graph is not a proper sudoku: the cells of row 0 and of the
// first box are pairwise exclusive, a 15-cell clique, so no request on it can be solved; one given
// takes ~50k conflicts, a pigeonhole problem, and is left to the benchmark.)

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PackageIndex } from '../../core/index/package-index.ts';
import { CondaSolver } from '../../core/solve/conda-solver.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';

const file = new URL('../../../shared/fixtures/channels/mamba-sudoku/noarch/repodata.json', import.meta.url);
const skip = existsSync(file) ? false : '../shared/fixtures/channels/mamba-sudoku is absent';

const GIVENS = [
  'sudoku_0_0 ==5', 'sudoku_1_0 ==3', 'sudoku_4_0 ==7', 'sudoku_0_1 ==6', 'sudoku_3_1 ==1', 'sudoku_4_1 ==9',
  'sudoku_5_1 ==5', 'sudoku_1_2 ==9', 'sudoku_2_2 ==8', 'sudoku_7_2 ==6', 'sudoku_0_3 ==8', 'sudoku_4_3 ==6',
  'sudoku_8_3 ==3', 'sudoku_0_4 ==4', 'sudoku_3_4 ==8', 'sudoku_5_4 ==3', 'sudoku_8_4 ==1', 'sudoku_0_5 ==7',
  'sudoku_4_5 ==2', 'sudoku_8_5 ==6', 'sudoku_1_6 ==6', 'sudoku_6_6 ==2', 'sudoku_7_6 ==8', 'sudoku_3_7 ==4',
  'sudoku_4_7 ==1', 'sudoku_5_7 ==9', 'sudoku_8_7 ==5', 'sudoku_4_8 ==8', 'sudoku_7_8 ==7', 'sudoku_8_8 ==9',
];

function loadIndex(): PackageIndex {
  const repodata = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, unknown> };
  return PackageIndex.from([{ channel: 'sudoku', priority: 0, subdir: 'noarch', entries: Object.entries(repodata.packages) }]);
}

test("mamba's 30 givens are unsatisfiable", { skip }, () => {
  const t0 = performance.now();
  const out = new CondaSolver({ index: loadIndex(), specs: GIVENS.map((s) => MatchSpec.parse(s)) }).solve();
  console.log(`sudoku (30 givens): ${out.ok ? 'solved' : 'unsatisfiable'} in ${(performance.now() - t0).toFixed(0)} ms, ${out.stats.conflicts} conflicts, ${out.stats.decisions} decisions`);
  assert.equal(out.ok, false);
});
