// Unsatisfiable requests are explained with the user's specs and the chains that meet on a package.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PackageIndex } from '../../core/index/package-index.ts';
import { solveConda } from '../../core/solve/conda-solver.ts';
import { explainUnsatisfiable } from '../../core/solve/explain.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';

const rec = (name: string, version: string, depends: string[] = []) => [`${name}-${version}-0.conda`, { name, version, build: '0', build_number: 0, depends }] as [string, unknown];

const index = PackageIndex.from([
  {
    channel: 'test',
    priority: 0,
    subdir: 'linux-64',
    entries: [rec('a', '1', ['b', 'c >=1,<2']), rec('b', '1'), rec('c', '1.5'), rec('c', '2.5'), rec('d', '1', ['c >=2,<3']), rec('e', '1', ['nothere'])],
  },
]);

test('two specs meeting on one package: both chains, ending in the conflicting constraints', () => {
  const specs = ['a', 'd', 'b'].map((s) => MatchSpec.parse(s));
  assert.equal(solveConda({ index, specs }).ok, false);
  const why = explainUnsatisfiable({ index, specs });
  assert.deepEqual(why.specs, ['a', 'd']);
  // as conda does, b is listed too: a requested package that another spec also reaches is a suspect
  assert.deepEqual(why.conflicts, [
    { name: 'b', available: true, chains: [['a', 'b'], ['b']] },
    { name: 'c', available: true, chains: [['a', "c[version='>=1,<2']"], ['d', "c[version='>=2,<3']"]] },
  ]);
  assert.match(why.text, /cannot be installed together: a, d/);
  assert.match(why.text, /Package c conflicts for:\n {2}a -> c\[version='>=1,<2'\]\n {2}d -> c\[version='>=2,<3'\]/);
});

test('a package nobody provides is named as missing', () => {
  const specs = [MatchSpec.parse('nosuchpackage >=1')];
  const why = explainUnsatisfiable({ index, specs });
  assert.deepEqual(why.missing, ["nosuchpackage[version='>=1']"]);
  assert.match(why.text, /not available from the configured channels:\n {2}- nosuchpackage/);
});

test('a missing dependency is traced from the spec that needs it', () => {
  const specs = [MatchSpec.parse('e')];
  assert.equal(solveConda({ index, specs }).ok, false);
  const why = explainUnsatisfiable({ index, specs });
  assert.deepEqual(why.conflicts.map((c) => c.name), ['nothere']);
});
