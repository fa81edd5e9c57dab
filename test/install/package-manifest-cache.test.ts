// The compact manifest copy (core/install/package-manifest-cache.ts): it gives back exactly what
// reading the JSON files gives, is made on the first read, is not trusted once paths.json,
// index.json or link.json changed (or the copy is damaged), and an old package without
// paths.json gets none. The manifest's columns (ManifestPaths) give back what they were made of.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManifestPaths, readPackageInfo, type PackageInfo, type PackagePath } from '../../core/install/link-package-info.ts';
import { MANIFEST_FILE, readPackageInfoCached } from '../../core/install/package-manifest-cache.ts';
import { buildPackage, type BuiltPackage } from './link-support.ts';

/** An info with its manifest as entries: the same whatever array types the columns have. */
const plain = (info: PackageInfo | undefined) => info && { ...info, paths: info.paths.entries() };

describe('package manifest copy', () => {
  let dir: string;
  let pkg: BuiltPackage;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'env-setup-manifest-'));
    pkg = await buildPackage(dir, {
      name: 'mixed',
      version: '2.1',
      build: 'h1_3',
      buildNumber: 3,
      index: { subdir: 'linux-64' },
      linkJson: { noarch: { type: 'python', entry_points: ['tool = mixed.cli:main'] } },
      files: [
        { name: 'site-packages/mixed/__init__.py', data: 'x = 1\n' },
        { name: 'site-packages/mixed/ünïcode name.py', data: 'y = 2\n' },
        { name: 'bin/text', data: '#!/opt/anaconda1anaconda2anaconda3/bin/python\n', placeholder: '/opt/anaconda1anaconda2anaconda3', mode: 0o755 },
        { name: 'lib/bin.so', data: Buffer.concat([Buffer.from('/placeholder/prefix/lib'), Buffer.alloc(40)]), placeholder: '/placeholder/prefix', fileMode: 'binary' },
        { name: 'lib/copy-me', data: 'copy\n', noLink: true },
        { name: 'lib/link', type: 'symlink', linkname: 'bin.so' },
        { name: 'empty', type: 'dir' },
      ],
    });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives what the JSON files give, and makes the copy on the first read', async () => {
    await rm(join(pkg.dir, MANIFEST_FILE), { force: true });
    const fromJson = await readPackageInfo(pkg.dir, pkg.fn);
    const first = await readPackageInfoCached(pkg.dir, pkg.fn);
    assert.deepEqual(plain(first), plain(fromJson));
    await stat(join(pkg.dir, MANIFEST_FILE));
    const second = await readPackageInfoCached(pkg.dir, pkg.fn);
    assert.deepEqual(plain(second), plain(fromJson));
    // the placeholders, modes, hashes and types really are in it
    const bin = second!.paths.entries().find((p) => p.path === 'lib/bin.so')!;
    assert.equal(bin.placeholder, '/placeholder/prefix');
    assert.equal(bin.fileMode, 'binary');
    assert.match(bin.sha256!, /^[0-9a-f]{64}$/);
    assert.equal(second!.paths.entries().find((p) => p.path === 'lib/copy-me')!.noLink, true);
    assert.equal(second!.paths.entries().find((p) => p.path === 'lib/link')!.type, 'softlink');
    assert.deepEqual(second!.entryPoints, ['tool = mixed.cli:main']);
    assert.equal(second!.noarch, 'python');
  });

  it('is read instead of paths.json while paths.json is unchanged', async () => {
    await readPackageInfoCached(pkg.dir, pkg.fn);
    // a copy naming another path proves which one was read: swap in a doctored copy with the same fingerprint
    const copy = await readFile(join(pkg.dir, MANIFEST_FILE));
    const doctored = Buffer.from(copy.toString('latin1').replace('lib/copy-me', 'lib/copy-ME'), 'latin1');
    await writeFile(join(pkg.dir, MANIFEST_FILE), doctored);
    const info = await readPackageInfoCached(pkg.dir, pkg.fn);
    assert.ok(info!.paths.entries().some((p) => p.path === 'lib/copy-ME'));
    await rm(join(pkg.dir, MANIFEST_FILE));
  });

  it('is not trusted once paths.json, index.json or link.json changed', async () => {
    for (const file of ['info/paths.json', 'info/index.json', 'info/link.json']) {
      await readPackageInfoCached(pkg.dir, pkg.fn);
      const copy = await readFile(join(pkg.dir, MANIFEST_FILE));
      await writeFile(join(pkg.dir, MANIFEST_FILE), Buffer.from(copy.toString('latin1').replace('lib/copy-me', 'lib/copy-ME'), 'latin1'));
      // same content, another modification time: the copy no longer fits
      const later = new Date(Date.now() + 5000);
      await utimes(join(pkg.dir, file), later, later);
      const info = await readPackageInfoCached(pkg.dir, pkg.fn);
      assert.ok(!info!.paths.entries().some((p) => p.path === 'lib/copy-ME'), file);
      assert.deepEqual(plain(info), plain(await readPackageInfo(pkg.dir, pkg.fn)), file);
    }
  });

  it('a damaged copy is read around and made again', async () => {
    await readPackageInfoCached(pkg.dir, pkg.fn);
    const copy = await readFile(join(pkg.dir, MANIFEST_FILE));
    for (const damaged of [copy.subarray(0, copy.length - 3), Buffer.from('nonsense'), Buffer.concat([copy.subarray(0, 30), Buffer.alloc(64, 0xff)])]) {
      await writeFile(join(pkg.dir, MANIFEST_FILE), damaged);
      assert.deepEqual(plain(await readPackageInfoCached(pkg.dir, pkg.fn)), plain(await readPackageInfo(pkg.dir, pkg.fn)));
      assert.deepEqual(await readFile(join(pkg.dir, MANIFEST_FILE)), copy);
    }
  });

  it('an old package (info/files, no paths.json) gets no copy', async () => {
    const old = await buildPackage(dir, { name: 'old', oldFormat: true, files: [{ name: 'bin/tool', data: 'x' }] });
    assert.equal(await readPackageInfoCached(old.dir, old.fn), undefined);
    const info = await readPackageInfoCached(old.dir, old.fn, true);
    assert.deepEqual(plain(info), plain(await readPackageInfo(old.dir, old.fn)));
    await assert.rejects(stat(join(old.dir, MANIFEST_FILE)));
  });
});

describe('ManifestPaths', () => {
  it('gives back every field of the entries it was made of, a sha256 that is not 64 hex digits as it was', () => {
    const entries: PackagePath[] = [
      { path: 'bin/a', type: 'hardlink', sha256: 'AB'.repeat(32), size: 2 ** 40 + 3, placeholder: '/opt/p1', fileMode: 'binary', noLink: false },
      { path: 'lib/l', type: 'softlink', sha256: undefined, size: undefined, placeholder: undefined, fileMode: undefined, noLink: false },
      { path: 'share/d', type: 'directory', sha256: undefined, size: 0, placeholder: undefined, fileMode: undefined, noLink: true },
      { path: 'etc/c', type: 'hardlink', sha256: 'not-hex', size: 5, placeholder: '/opt/p2', fileMode: 'text', noLink: false },
      { path: 'etc/e', type: 'hardlink', sha256: '0'.repeat(64), size: 1, placeholder: '/opt/p1', fileMode: 'text', noLink: true },
    ];
    const m = ManifestPaths.of(entries);
    assert.equal(m.length, 5);
    assert.deepEqual(m.entries(), entries);
    assert.deepEqual(m.placeholders, ['/opt/p1', '/opt/p2']);
    assert.deepEqual(
      entries.map((_, i) => m.isPlaceholderFile(i)),
      [true, false, false, true, true],
      'files with a placeholder (not links or folders)',
    );
    assert.deepEqual(ManifestPaths.of([]).entries(), []);
  });
});
