// NameSearch: prefix lookups over sorted names and "did you mean" by edit distance.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NameSearch } from '../../core/index/name-search.ts';

const names = new NameSearch(['numpy', 'numba', 'numexpr', 'pandas', 'python', 'python-dateutil', 'scipy', 'scikit-learn', 'py', 'numpy', 'ruamel.yaml', 'ruamel_yaml']);

test('prefix search: sorted, bounded, lower-cased', () => {
  assert.equal(names.size, 11);
  assert.deepEqual(names.withPrefix('num'), ['numba', 'numexpr', 'numpy']);
  assert.deepEqual(names.withPrefix('PY'), ['py', 'python', 'python-dateutil']);
  assert.deepEqual(names.withPrefix('py', 2), ['py', 'python']);
  assert.deepEqual(names.withPrefix('zzz'), []);
  assert.deepEqual(names.withPrefix('').length, 11);
  assert.ok(names.has('scipy') && !names.has('scip'));
});

test('similar names: typos, transpositions, separators', () => {
  assert.deepEqual(names.similar('nunpy'), ['numpy']);
  assert.deepEqual(names.similar('pyhton'), ['python']);
  assert.deepEqual(names.similar('pandsa'), ['pandas']);
  assert.deepEqual(names.similar('scikit_learn'), ['scikit-learn']);
  assert.deepEqual(names.similar('ruamel-yaml'), ['ruamel.yaml', 'ruamel_yaml']);
  assert.deepEqual(names.similar('tensorflow'), []);
  assert.deepEqual(names.similar('numpy'), ['numba'], 'the name itself is not suggested');
});

test('prefix search stays fast on 300k names', () => {
  const many = new NameSearch(Array.from({ length: 300_000 }, (_, i) => `pkg-${(i * 7919) % 300_000}`));
  const t = performance.now();
  for (let i = 0; i < 1000; i++) many.withPrefix(`pkg-${i}`, 50);
  assert.ok(performance.now() - t < 500, 'a thousand lookups well under a second');
  assert.deepEqual(many.withPrefix('pkg-29999', 3), ['pkg-29999', 'pkg-299990', 'pkg-299991']);
});
