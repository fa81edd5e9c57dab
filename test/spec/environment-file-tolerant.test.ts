// parseEnvironmentYml's tolerant mode (for editors): every problem collected with its position,
// the rest of the file still read.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnvironmentYml, SpecError } from '../../core/index.ts';

test('bad entries are collected and the others read', () => {
  const errors: SpecError[] = [];
  const text = ['name: x', 'channels:', '  - conda-forge', 'dependencies:', '  - numpy', '  - scipy>>1', '  -', '  - 3.12', '  - pandas', 'platforms: [linux-64, nowhere-64]', 'foo: 1', ''].join('\n');
  const env = parseEnvironmentYml(text, 'environment.yml', { errors });
  assert.deepEqual(env.dependencies.map((d) => d.text), ['numpy', 'pandas']);
  assert.deepEqual(env.channels.map((c) => c.value), ['conda-forge']);
  assert.deepEqual(errors.map((e) => [e.position?.line, e.position?.column]), [[6, 5], [7, 3], [8, 5], [10, 23]]);
  assert.equal(errors[0]!.input, 'scipy>>1');
  assert.match(errors[2]!.message, /read by YAML as a number/);
  assert.match(errors[3]!.message, /unknown platform 'nowhere-64'/);
  assert.deepEqual(env.warnings.map((w) => w.range.start.line), [11]);
});

test('YAML syntax errors are all reported, and nothing else is read', () => {
  const errors: SpecError[] = [];
  const env = parseEnvironmentYml('dependencies:\n  - "numpy\n  - scipy\n', 'environment.yml', { errors });
  assert.ok(errors.length >= 1);
  assert.ok(errors.every((e) => e.message.includes('YAML syntax error')));
  assert.deepEqual(env.dependencies, []);
});

test('without the option the first problem is thrown, as before', () => {
  assert.throws(() => parseEnvironmentYml('dependencies:\n  - numpy\n  - scipy>>1\n  - pandas>>2\n', 'environment.yml'), (e: unknown) => e instanceof SpecError && e.position?.line === 3);
});
