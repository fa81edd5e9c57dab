// The path rules of extraction on their own: entry names, symbolic link targets, and links that
// escape only through other links of the same package.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinkTree, normalizeEntryName, symlinkTargetProblem } from '../../core/install/path-safety.ts';

describe('entry names', () => {
  it('cleans harmless names', () => {
    assert.deepEqual(normalizeEntryName('./lib//a.so'), { ok: true, path: 'lib/a.so' });
    assert.deepEqual(normalizeEntryName('info/index.json'), { ok: true, path: 'info/index.json' });
    assert.deepEqual(normalizeEntryName('./'), { ok: true, path: '' });
    assert.deepEqual(normalizeEntryName('a/./b/'), { ok: true, path: 'a/b' });
    assert.deepEqual(normalizeEntryName('lib/..foo'), { ok: true, path: 'lib/..foo' });
  });

  it('refuses absolute names, .. and NUL', () => {
    for (const [name, reason] of [
      ['/etc/passwd', 'is an absolute path'],
      ['\\\\server\\share', 'is an absolute path'],
      ['C:/Windows/evil.dll', 'is an absolute path'],
      ['../evil', 'has ".." in its path'],
      ['lib/../../evil', 'has ".." in its path'],
      ['lib\\..\\..\\evil', 'has ".." in its path'],
      ['a\0b', 'has a NUL character in its name'],
    ] as const) {
      assert.deepEqual(normalizeEntryName(name), { ok: false, reason }, name);
    }
  });
});

describe('entry names, the fast path', () => {
  // the rule the character loop replaced, kept here as the reference
  const CLEAN = /^(?![A-Za-z]:)(?:(?!\.\.?(?:\/|$))[^/\\\0]+\/)*(?!\.\.?$)[^/\\\0]+$/;
  it('keeps exactly the names the regular expression calls clean as they are (every name of up to 5 characters from a tricky alphabet)', () => {
    const alphabet = ['a', '.', '/', '\\', '\0', ':', 'Z'];
    let names = [''];
    let checked = 0;
    for (let length = 1; length <= 5; length++) {
      names = names.flatMap((n) => alphabet.map((c) => n + c));
      for (const name of names) {
        const r = normalizeEntryName(name);
        assert.equal(r.ok && r.path === name, CLEAN.test(name), JSON.stringify(name));
        checked++;
      }
    }
    assert.equal(checked, 7 + 49 + 343 + 2401 + 16807);
  });
});

describe('symbolic link targets', () => {
  it('accepts links that stay inside', () => {
    assert.equal(symlinkTargetProblem('lib/libz.so', 'libz.so.1'), undefined);
    assert.equal(symlinkTargetProblem('bin/python', '../lib/python3.12/python'), undefined);
    assert.equal(symlinkTargetProblem('a/b/c', '../../d'), undefined);
  });

  it('refuses empty, absolute and escaping targets', () => {
    assert.equal(symlinkTargetProblem('lib/libz.so.1', ''), 'is a symbolic link with an empty target');
    assert.match(symlinkTargetProblem('lib/x', '/etc/passwd')!, /absolute path \/etc\/passwd/);
    assert.match(symlinkTargetProblem('x', '../outside')!, /outside the package/);
    assert.match(symlinkTargetProblem('a/b', '../../outside')!, /outside the package/);
    assert.match(symlinkTargetProblem('a/b', 'c/../../../x')!, /outside the package/);
  });
});

describe('links followed through links', () => {
  it('finds a link that escapes only through another link made later', () => {
    const tree = new LinkTree();
    tree.add('x', 'a/b/../..'); // fine on its own: a/b/../.. is the package root
    tree.add('a/b', '..'); // fine on its own: the package root
    assert.deepEqual(tree.findEscape(), { path: 'x', target: 'a/b/../..' });
  });

  it('accepts chains that stay inside, and loops', () => {
    const tree = new LinkTree();
    tree.add('lib/libz.so', 'libz.so.1');
    tree.add('lib/libz.so.1', 'libz.so.1.3');
    tree.add('bin/tool', '../lib/libz.so');
    tree.add('loop/a', 'b');
    tree.add('loop/b', 'a');
    assert.equal(tree.findEscape(), undefined);
  });
});
