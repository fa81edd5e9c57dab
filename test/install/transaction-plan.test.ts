// findClobbers: which paths more than one package writes, with every writer in order and the last
// one winning (conda's rule), staying packages first; a path one package lists twice is not a
// clobber. pathsSeenTwice (its first pass) agrees with a Set on many paths, with empty and
// non-ASCII ones.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findClobbers, pathsSeenTwice, type InstalledPackage } from '../../core/install/transaction-plan.ts';

const staying = (dist: string, files: string[]): InstalledPackage => ({ dist, files }) as unknown as InstalledPackage;

describe('findClobbers', () => {
  it('finds nothing when every path has one writer', () => {
    assert.deepEqual(findClobbers([], [{ dist: 'a-1-0', paths: ['bin/a', 'lib/liba.so'] }, { dist: 'b-1-0', paths: ['bin/b'] }]), []);
  });

  it('does not call a path one package lists twice a clobber', () => {
    assert.deepEqual(findClobbers([staying('s-1-0', ['x', 'x'])], [{ dist: 'a-1-0', paths: ['y', 'y'] }]), []);
  });

  it('names every writer in order, staying packages first, the last one winning; sorted by path', () => {
    const out = findClobbers(
      [staying('s-1-0', ['share/doc', 'etc/conf'])],
      [
        { dist: 'a-1-0', paths: ['lib/x', 'etc/conf', 'lib/x'] },
        { dist: 'b-1-0', paths: ['lib/x', 'bin/only-b'] },
        { dist: 'c-1-0', paths: ['etc/conf', 'lib/x', 'share/doc'] },
      ],
    );
    assert.deepEqual(out, [
      { path: 'etc/conf', packages: ['s-1-0', 'a-1-0', 'c-1-0'], winner: 'c-1-0' },
      { path: 'lib/x', packages: ['a-1-0', 'b-1-0', 'c-1-0'], winner: 'c-1-0' },
      { path: 'share/doc', packages: ['s-1-0', 'c-1-0'], winner: 'c-1-0' },
    ]);
  });

  it('keeps a package once when it is both staying and linked again', () => {
    assert.deepEqual(findClobbers([staying('a-1-0', ['p'])], [{ dist: 'a-1-0', paths: ['p'] }]), []);
  });
});

describe('pathsSeenTwice', () => {
  it('finds exactly the paths a Set finds seen twice, in lists of every size', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const total of [0, 1, 2, 3, 17, 1000, 50_000]) {
      const lists: string[][] = [[], [], []];
      for (let i = 0; i < total; i++) lists[next(3)]!.push(next(5) === 0 ? '' : `lib/pkg-${next(total * 2 + 1)}/módulo-${next(3)}.py`);
      const seen = new Set<string>();
      const expected = new Set<string>();
      for (const list of lists) for (const path of list) (seen.has(path) ? expected : seen).add(path);
      assert.deepEqual(pathsSeenTwice(lists), expected, `${total} paths`);
    }
  });
});
