// Every real version string from ../shared/fixtures/versions parses as conda parsed it, and the order
// over all of them is total and consistent.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Version } from '../../core/spec/version.ts';

const dir = new URL('../../../shared/fixtures/versions/', import.meta.url);
const skip = existsSync(dir) ? false : '../shared/fixtures/versions is absent';

/** Python's repr of conda's VersionOrder.version list, from ours. */
function pythonRepr(v: Version): string {
  const atom = (a: unknown) => (a === Infinity ? 'inf' : typeof a === 'string' ? `'${a}'` : String(a));
  return '[' + v.version.map((c) => '[' + c.map(atom).join(', ') + ']').join(', ') + ']';
}

test('versions parse exactly as conda parsed them', { skip }, () => {
  const lines = readFileSync(new URL('rattler-parsed-versions.txt', dir), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(lines.length > 28000, `expected the whole fixture, got ${lines.length} lines`);
  const wrong: string[] = [];
  for (const line of lines) {
    const eq = line.indexOf('=[');
    const text = line.slice(0, eq);
    const want = line.slice(eq + 1);
    const got = pythonRepr(Version.parse(text));
    if (got !== want) wrong.push(`${text}: ${got} != ${want}`);
  }
  assert.deepEqual(wrong.slice(0, 20), []);
});

test('the order over all real versions is total and consistent', { skip }, () => {
  const texts = readFileSync(new URL('rattler-versions.txt', dir), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const versions = texts.map((t) => Version.parse(t));
  const sorted = [...versions].sort((a, b) => a.compare(b));
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.compare(sorted[i]!) <= 0, `${sorted[i - 1]} > ${sorted[i]}`);
  // deterministic pseudo-random pairs and triples
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % versions.length;
  for (let k = 0; k < 200000; k++) {
    const a = versions[rnd()]!;
    const b = versions[rnd()]!;
    const c = versions[rnd()]!;
    assert.equal(a.compare(b), -b.compare(a) || 0, `antisymmetry ${a} ${b}`);
    if (a.compare(b) <= 0 && b.compare(c) <= 0) assert.ok(a.compare(c) <= 0, `transitivity ${a} ${b} ${c}`);
    if (a.compare(b) === 0) assert.equal(a.compare(c), b.compare(c), `equal versions compare alike: ${a} ${b} ${c}`);
  }
  // sorted order is consistent with any pair from the sorted list
  for (let k = 0; k < 100000; k++) {
    const i = rnd();
    const j = rnd();
    const [x, y] = i <= j ? [i, j] : [j, i];
    assert.ok(sorted[x]!.compare(sorted[y]!) <= 0);
  }
});
