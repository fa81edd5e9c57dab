// The package cache index: a log folded to the latest state per package, compacted when it grows,
// and made again from the folders.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compactCacheIndex, readCacheIndex, rebuildCacheIndex, recordCacheEntry, recordCacheRemoval } from '../../core/install/cache-index.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-setup-index-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the package cache index', () => {
  it('keeps the latest line per package and forgets removed ones', async () => {
    const pkgs = join(dir, 'a');
    await recordCacheEntry(pkgs, { dist: 'b-1-0', fn: 'b-1-0.conda', archive: true, extracted: false });
    await recordCacheEntry(pkgs, { dist: 'a-1-0', fn: 'a-1-0.conda', archive: true, extracted: true, sha256: 'x' });
    await recordCacheEntry(pkgs, { dist: 'b-1-0', fn: 'b-1-0.conda', archive: false, extracted: true });
    await recordCacheEntry(pkgs, { dist: 'c-1-0', fn: 'c-1-0.tar.bz2', archive: true, extracted: true });
    await recordCacheRemoval(pkgs, 'c-1-0');
    await writeFile(join(pkgs, '.env-setup/index.jsonl'), '{"dist": "cut sho', { flag: 'a' });
    const entries = await readCacheIndex(pkgs);
    assert.deepEqual(entries.map((e) => [e.dist, e.archive, e.extracted]), [['a-1-0', true, true], ['b-1-0', false, true]]);
    assert.deepEqual(await readCacheIndex(join(dir, 'none')), []);
  });

  it('compacts a long log to one line per package', async () => {
    const pkgs = join(dir, 'b');
    for (let i = 0; i < 100; i++) await recordCacheEntry(pkgs, { dist: `p-${i % 3}-0`, fn: `p-${i % 3}-0.conda`, archive: true, extracted: true });
    assert.ok(await compactCacheIndex(pkgs));
    const lines = (await readFile(join(pkgs, '.env-setup/index.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 3);
    assert.equal(await compactCacheIndex(pkgs), false);
    assert.equal((await readCacheIndex(pkgs)).length, 3);
  });

  it('is made again from the folders', async () => {
    const pkgs = join(dir, 'c');
    await mkdir(join(pkgs, 'x-1.0-0/info'), { recursive: true });
    await writeFile(join(pkgs, 'x-1.0-0/info/repodata_record.json'), JSON.stringify({ fn: 'x-1.0-0.conda', url: 'https://h/c/noarch/x-1.0-0.conda', sha256: 's', md5: 'm', size: 3 }));
    await writeFile(join(pkgs, 'x-1.0-0.conda'), 'abc');
    await writeFile(join(pkgs, 'y-2.0-1.tar.bz2'), 'abc');
    await mkdir(join(pkgs, 'not-a-package'));
    const entries = await rebuildCacheIndex(pkgs);
    assert.deepEqual(
      entries.map((e) => [e.dist, e.fn, e.archive, e.extracted, e.sha256]),
      [
        ['x-1.0-0', 'x-1.0-0.conda', true, true, 's'],
        ['y-2.0-1', 'y-2.0-1.tar.bz2', true, false, undefined],
      ],
    );
    assert.deepEqual((await readCacheIndex(pkgs)).map((e) => e.dist), ['x-1.0-0', 'y-2.0-1']);
  });
});
