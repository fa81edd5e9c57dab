// rattler's test channels: the pytorch linux-64 snapshot holds pytorch's own channel only, so a solve
// of pytorch must fail and name the dependencies that live elsewhere (blas, the CUDA libraries);
// the small channels solve, and every solution is checked.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PackageIndex } from '../../core/index/package-index.ts';
import { solveConda } from '../../core/solve/conda-solver.ts';
import { explainUnsatisfiable } from '../../core/solve/explain.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { checkSolution } from './solution-checker.ts';

const channels = new URL('../../../shared/fixtures/channels/rattler/', import.meta.url);
const skip = existsSync(channels) ? false : '../shared/fixtures/channels/rattler is absent';

function load(channel: string, subdir: string): PackageIndex {
  const r = JSON.parse(readFileSync(new URL(`${channel}/${subdir}/repodata.json`, channels), 'utf8'));
  const unix = { name: '__unix', version: '0', build: '0', build_number: 0, depends: [] };
  return PackageIndex.from([
    { channel, priority: 0, subdir, entries: [...Object.entries(r['packages.conda'] ?? {}), ...Object.entries(r.packages ?? {})] },
    { channel: '@', priority: -1, subdir, entries: [['__unix-0-0.virtual', unix]] },
  ]);
}

test('pytorch snapshot: pytorch cannot be solved and the missing dependencies are named', { skip }, () => {
  const index = load('pytorch', 'linux-64');
  const specs = [MatchSpec.parse('pytorch')];
  assert.equal(solveConda({ index, specs }).ok, false);
  const why = explainUnsatisfiable({ index, specs });
  const missing = why.conflicts.filter((c) => !c.available).map((c) => c.name);
  assert.ok(missing.includes('blas'), `missing: ${missing.join(', ')}`);
  assert.ok(missing.includes('cuda-cudart'), `missing: ${missing.join(', ')}`);
  assert.match(why.text, /Package blas is not available from the configured channels, but is needed by:/);
});

test('pytorch snapshot: a package without outside dependencies (cuda100) solves', { skip }, () => {
  const index = load('pytorch', 'linux-64');
  const specs = [MatchSpec.parse('cuda100')];
  const out = solveConda({ index, specs });
  assert.ok(out.ok);
  if (out.ok) assert.deepEqual(checkSolution(index, out.records), []);
});

test('dummy channel: newest compatible versions, dependencies honoured', { skip }, () => {
  const index = load('dummy', 'linux-64');
  const out = solveConda({ index, specs: ['foobar', 'xbar'].map((s) => MatchSpec.parse(s)) });
  assert.ok(out.ok);
  if (!out.ok) return;
  assert.deepEqual(checkSolution(index, out.records), []);
  const got = out.records.filter((id) => index.channelOf(id) !== '@').map((id) => `${index.nameOf(id)}=${index.record(id).version}`).sort();
  assert.deepEqual(got, ['bors=1.2.1', 'foobar=2.1', 'xbar=1', 'xfoo=2']);
});
