// findClobbers: which paths more than one package writes, with every writer in order and the last
// one winning (conda's rule), staying packages first; a path one package lists twice is not a
// clobber.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findClobbers, type InstalledPackage } from '../../core/install/transaction-plan.ts';

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
