// The batches of file-system calls linking and the package cache's check use (fs-batch.ts), on
// worker threads and on the main thread alike: hard links, copies, symbolic links and folders made
// with failures reported by index (and every call tried), large batches cut in parts with the
// indices kept, the first path that is missing / of another type / of another size / changed since
// its stamp, stamps (size, mtime, inode), sha256 checks, which paths exist, the copy that replaces a hard link across file systems,
// and a background pool's workers at the lowest priority (Linux).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canRunInBackground, CHECK, FsBatchPool, PLACE, type PlaceOp } from '../../core/install/fs-batch.ts';

for (const workers of [0, 1, 2]) {
  describe(`file-system batches with ${workers === 0 ? 'no worker (on the main thread)' : `${workers} worker(s)`}`, () => {
    let work: string;
    let src: string;
    const pool = new FsBatchPool(workers);
    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'env-setup-fsbatch-'));
      src = join(work, 'src');
      await mkdir(join(src, 'lib'), { recursive: true });
      for (let i = 0; i < 1500; i++) await writeFile(join(src, 'lib', `f${i}`), `file ${i}`);
      await symlink('f0', join(src, 'lib', 'link'));
    });
    after(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('makes folders in order, then hard links, copies and links, reporting each failure by index', async () => {
      const dest = join(work, `dest-${workers}`);
      await mkdir(dest);
      const dirs = await pool.place({ srcRoot: '', destRoot: dest, src: ['a', 'a/b', 'lib', 'missing/c'], ops: [PLACE.mkdir, PLACE.mkdir, PLACE.mkdir, PLACE.mkdir] }, Infinity);
      assert.equal(dirs.made, 3);
      assert.deepEqual(
        dirs.failures.map((f) => [f.index, f.code]),
        [[3, 'ENOENT']],
      );
      const names = Array.from({ length: 1500 }, (_, i) => `lib/f${i}`);
      const ops: PlaceOp[] = names.map((_, i) => (i % 100 === 7 ? PLACE.copy : PLACE.link));
      // two entries fail: a source that is not there, a destination that is already there
      names.push('lib/nothing', 'lib/f1', 'lib/link');
      ops.push(PLACE.link, PLACE.link, PLACE.symlink);
      const dest2 = [...names];
      dest2[1501] = 'lib/f0';
      dest2[1] = 'lib/renamed1';
      const r = await pool.place({ srcRoot: src, destRoot: dest, src: names, dest: dest2, ops }, 100);
      assert.equal(r.copied, 15);
      assert.equal(r.linked, 1485);
      assert.equal(r.symlinked, 1);
      assert.equal(r.crossDevice, false);
      assert.deepEqual(
        r.failures.map((f) => [f.index, f.code]),
        [
          [1500, 'ENOENT'],
          [1501, 'EEXIST'],
        ],
      );
      assert.match(r.failures[0]!.message, /ENOENT: no such file or directory, link '.*lib\/nothing' -> '.*lib\/nothing'/);
      assert.equal((await lstat(join(dest, 'lib/f5'))).ino, (await lstat(join(src, 'lib/f5'))).ino, 'a hard link');
      assert.notEqual((await lstat(join(dest, 'lib/f7'))).ino, (await lstat(join(src, 'lib/f7'))).ino, 'a copy');
      assert.equal(await readFile(join(dest, 'lib/f7'), 'utf8'), 'file 7');
      assert.equal(await readFile(join(dest, 'lib/renamed1'), 'utf8'), 'file 1');
      assert.equal(await readlink(join(dest, 'lib/link')), 'f0');
    });

    it('finds the first path that is missing, of another type or of another size, in order across parts', async () => {
      const paths = Array.from({ length: 1500 }, (_, i) => `lib/f${i}`);
      const sizes = paths.map((_, i) => `file ${i}`.length);
      const types = paths.map(() => CHECK.file);
      assert.equal(await pool.check({ root: src, paths, types, sizes }, 64), undefined);
      assert.equal(await pool.check({ root: src, paths: [...paths, 'lib/link'], types: [...types, CHECK.symlink] }, 64), undefined);
      const wrongSize = [...sizes];
      wrongSize[1200] = 99;
      wrongSize[1300] = 99;
      assert.deepEqual(await pool.check({ root: src, paths, sizes: wrongSize }, 64), { index: 1200, kind: 'size', found: 'file', size: 'file 1200'.length });
      const missing = [...paths];
      missing[700] = 'lib/gone';
      missing[1400] = 'lib/gone2';
      assert.deepEqual(await pool.check({ root: src, paths: missing, sizes }, 64), { index: 700, kind: 'missing' });
      assert.deepEqual(await pool.check({ root: src, paths: ['lib/f1', 'lib/link', 'lib'], types: [CHECK.file, CHECK.file, CHECK.any] }), { index: 1, kind: 'type', found: 'symlink', size: 2 });
      assert.deepEqual(await pool.check({ root: src, paths: ['lib'], types: [CHECK.symlink] }), { index: 0, kind: 'type', found: 'dir', size: statSync(join(src, 'lib')).size });
    });

    it('with stamps, places only the sources that still match them (type, size, mtime, inode), reporting the rest as changed', async () => {
      const dest = join(work, `stamped-${workers}`);
      await mkdir(join(dest, 'lib'), { recursive: true });
      const names = [...Array.from({ length: 300 }, (_, i) => `lib/f${i}`), 'lib/link', 'lib/f300', 'lib/nothing'];
      const ops: PlaceOp[] = names.map((n, i) => (n === 'lib/link' ? PLACE.symlink : i % 50 === 3 ? PLACE.copy : PLACE.link));
      const stamps = await pool.stat(src, names);
      stamps[3 * 302] = 0; // a stamp for a file that is gone
      stamps[3 * 120 + 1] += 1; // another mtime
      stamps[3 * 250 + 2] += 1; // another inode
      stamps[3 * 53] += 1; // another size (a copy)
      stamps.fill(-1, 3 * 301, 3 * 302); // not stamped: placed unchecked
      const r = await pool.place({ srcRoot: src, destRoot: dest, src: names, ops, stamps }, 64);
      assert.deepEqual(
        r.failures.map((f) => [f.index, f.code, f.message]),
        [
          [53, 'ECACHECHANGED', 'has another size'],
          [120, 'ECACHECHANGED', 'was modified or replaced'],
          [250, 'ECACHECHANGED', 'was modified or replaced'],
          [302, 'ECACHECHANGED', 'is missing'],
        ],
      );
      assert.equal(r.linked + r.copied + r.symlinked, names.length - 4);
      for (const i of [53, 120, 250]) assert.equal(existsSync(join(dest, names[i]!)), false, `${names[i]} is left alone`);
      assert.equal(await readFile(join(dest, 'lib/f300'), 'utf8'), 'file 300');
      assert.equal(await readlink(join(dest, 'lib/link')), 'f0');
      // the op's type is checked too: a file where a symbolic link should be, and the reverse
      const kinds = await pool.stat(src, ['lib/f0', 'lib/link']);
      const swapped = await pool.place({ srcRoot: src, destRoot: join(dest, 'lib'), src: ['lib/f0', 'lib/link'], dest: ['s0', 's1'], ops: [PLACE.symlink, PLACE.link], stamps: kinds });
      assert.deepEqual(
        swapped.failures.map((f) => [f.index, f.message]),
        [
          [0, 'is no longer a symbolic link'],
          [1, 'is no longer a regular file'],
        ],
      );
    });

    it('stats paths in order across parts, and checks them against that stamp (mtime and inode)', async () => {
      const paths = [...Array.from({ length: 1500 }, (_, i) => `lib/f${i}`), 'lib/nothing'];
      const stamps = await pool.stat(src, paths, 64);
      assert.equal(stamps.length, paths.length * 3);
      const st = statSync(join(src, 'lib/f1234'));
      assert.deepEqual([...stamps.subarray(3 * 1234, 3 * 1235)], [st.size, st.mtimeMs, st.ino]);
      assert.deepEqual([...stamps.subarray(3 * 1500)], [-1, -1, -1], 'a missing path');
      const present = paths.slice(0, 1500);
      const stamped = stamps.slice(0, 1500 * 3);
      assert.equal(await pool.check({ root: src, paths: present, stamps: stamped }, 64), undefined);
      const moved = stamped.slice();
      moved[3 * 900 + 1] += 1; // another mtime
      moved[3 * 1100 + 2] += 1; // another inode
      assert.deepEqual(await pool.check({ root: src, paths: present, stamps: moved }, 64), { index: 900, kind: 'changed', size: 'file 900'.length });
      moved.fill(-1, 3 * 900, 3 * 901); // not stamped: not checked
      assert.deepEqual(await pool.check({ root: src, paths: present, stamps: moved }, 64), { index: 1100, kind: 'changed', size: 'file 1100'.length });
    });

    it('hashes files in order across parts: the first whose sha256 differs, or that cannot be read', async () => {
      const paths = Array.from({ length: 300 }, (_, i) => `lib/f${i}`);
      const digests = paths.map((_, i) => createHash('sha256').update(`file ${i}`).digest('hex'));
      const sizes = paths.map((_, i) => `file ${i}`.length);
      assert.equal(await pool.hash(src, paths, digests, sizes, 100), undefined);
      const wrong = [...digests];
      wrong[250] = '0'.repeat(64);
      wrong[100] = '';
      assert.deepEqual(await pool.hash(src, paths, wrong, sizes, 100), { index: 250, actual: digests[250] });
      assert.deepEqual(await pool.hash(src, ['lib/f1', 'lib/gone'], [digests[1]!, digests[2]!], [7, 7]), { index: 1, actual: null });
    });

    it('says which paths exist (a dangling link does)', async () => {
      await symlink('nowhere', join(src, 'dangling'));
      try {
        const paths = ['lib/f3', 'nothing', 'dangling', 'lib/nothing/deeper', 'lib'];
        assert.deepEqual(await pool.exists(src, paths, 2), [0, 2, 4]);
      } finally {
        await rm(join(src, 'dangling'));
      }
    });

    it(workers === 0 ? 'runs every batch on this thread' : 'shares check batches with this thread once the workers run, and leaves hashing to them', async () => {
      // until the workers run (a batch goes to one), this thread runs every batch
      const paths = Array.from({ length: 1500 }, (_, i) => `lib/f${i}`);
      for (let tries = 0; tries < 100; tries++) {
        const sent = pool.ran.workers;
        await pool.stat(src, paths.slice(0, 10));
        if (workers === 0 || pool.ran.workers > sent) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const before = { ...pool.ran };
      const digests = paths.slice(0, 200).map((_, i) => createHash('sha256').update(`file ${i}`).digest('hex'));
      assert.equal(await pool.hash(src, paths.slice(0, 200), digests, new Array<number>(200).fill(7), 8), undefined);
      if (workers === 0) {
        assert.equal(pool.ran.workers, 0);
        assert.ok(pool.ran.here > before.here);
        return;
      }
      assert.equal(pool.ran.here, before.here, 'no hash batch ran here');
      const middle = { ...pool.ran };
      // 1500 paths in parts of 16: 94 batches, more than the workers take at a time
      const sizes = paths.map((_, i) => `file ${i}`.length);
      sizes[1400] = 3;
      assert.deepEqual(await pool.check({ root: src, paths, sizes }, 16), { index: 1400, kind: 'size', found: 'file', size: 'file 1400'.length });
      assert.ok(pool.ran.here > middle.here, `some check batches ran here (${pool.ran.here - middle.here})`);
      assert.ok(pool.ran.workers > middle.workers, `some ran on the workers (${pool.ran.workers - middle.workers})`);
    });
  });
}

describe('file-system batches across file systems', () => {
  // /dev/shm is a tmpfs on Linux; the temporary folder is usually on another file system
  const shm = '/dev/shm';
  const other = existsSync(shm) && statSync(shm).dev !== statSync(tmpdir()).dev;
  it('copies when a hard link is refused, from then on, and says so', { skip: !other && 'needs two file systems (/dev/shm and the temporary folder)' }, async () => {
    const a = await mkdtemp(join(shm, 'env-setup-fsbatch-'));
    const b = await mkdtemp(join(tmpdir(), 'env-setup-fsbatch-'));
    try {
      for (let i = 0; i < 5; i++) await writeFile(join(a, `f${i}`), `x${i}`);
      for (const workers of [0, 1]) {
        const dest = join(b, String(workers));
        await mkdir(dest);
        const r = await new FsBatchPool(workers).place({ srcRoot: a, destRoot: dest, src: ['f0', 'f1', 'f2', 'f3', 'f4'], ops: [PLACE.link, PLACE.link, PLACE.copy, PLACE.link, PLACE.link] });
        assert.deepEqual({ linked: r.linked, copied: r.copied, crossDevice: r.crossDevice, failures: r.failures }, { linked: 0, copied: 5, crossDevice: true, failures: [] });
        assert.equal(await readFile(join(dest, 'f4'), 'utf8'), 'x4');
      }
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});

describe('file-system batches in the background', () => {
  /** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
  const niceValues = (): number[] =>
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

  it('runs its workers at the lowest priority, leaving this thread and the other workers as they are (Linux)', { skip: process.platform !== 'linux' ? 'a thread has its own nice value only on Linux' : false }, async () => {
    const work = await mkdtemp(join(tmpdir(), 'env-setup-fsbatch-bg-'));
    try {
      await writeFile(join(work, 'a'), 'abc');
      const sha = createHash('sha256').update('abc').digest('hex');
      const before = niceValues().filter((n) => n === 19).length;
      const normal = new FsBatchPool(1);
      assert.equal(normal.background, false);
      // (contents: run on a worker even before one has started)
      assert.deepEqual((await normal.contents(work, ['a'])).digests, [sha]);
      assert.equal(niceValues().filter((n) => n === 19).length, before, 'a normal worker keeps its priority');
      const background = new FsBatchPool(1, { background: true });
      assert.equal(background.background, true);
      const r = await background.contents(work, ['a', 'missing']);
      assert.deepEqual([r.digests, [...r.sizes]], [[sha, null], [3, -1]], 'the same answers');
      assert.equal(niceValues().filter((n) => n === 19).length, before + 1, 'one more thread at nice 19: the background worker');
      assert.equal(os.getPriority(), 0, 'this thread keeps its priority');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('is an ordinary pool where a thread cannot be given its own priority (elsewhere the whole process would be lowered)', () => {
    assert.equal(canRunInBackground('linux'), true);
    for (const platform of ['darwin', 'win32', 'freebsd'] as const) assert.equal(canRunInBackground(platform), false, platform);
    assert.equal(new FsBatchPool(1, { background: true }).background, canRunInBackground());
  });
});
