// .conda packages built byte by byte, for the format's corners: zip64 in every field, deflated parts,
// parts in a subfolder, long names (pax), modes (setuid dropped), folder modes, entries replaced by
// later ones, and empty parts.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zstdCompressSync } from 'node:zlib';
import { extractPackageArchive, type ExtractResult } from '../../core/install/extract-package.ts';
import { buildConda, buildTar, buildZip, indexJson } from '../support/package-builder.ts';

const DIST = 'demo-1.0-0';
let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'env-setup-format-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function extract(bytes: Buffer): Promise<{ dir: string; result: ExtractResult }> {
  const file = join(await mkdtemp(join(work, 'a-')), `${DIST}.conda`);
  await writeFile(file, bytes);
  const dir = await mkdtemp(join(work, 'x-'));
  return { dir, result: await extractPackageArchive(file, 'conda', dir, { what: `${DIST}.conda` }) };
}

const info = buildTar([{ name: 'info/index.json', data: indexJson(DIST) }]);

describe('.conda format corners', () => {
  it('reads zip64 sizes and offsets from the extra fields and zip64 end records', async () => {
    const { dir, result } = await extract(buildConda(DIST, { zip64: true, pkg: [{ name: 'bin/tool', data: '#!/bin/sh\n', mode: 0o755 }] }));
    assert.equal(await readFile(join(dir, 'bin/tool'), 'utf8'), '#!/bin/sh\n');
    assert.equal(result.files, 2);
  });

  it('reads deflated parts in a subfolder of the zip, in any order', async () => {
    const pkg = buildTar([{ name: 'share/a.txt', data: 'a'.repeat(10_000) }]);
    const zip = buildZip([
      { name: `some/folder/info-${DIST}.tar.zst`, data: zstdCompressSync(info), method: 8 },
      { name: `some/folder/pkg-${DIST}.tar.zst`, data: zstdCompressSync(pkg), method: 8 },
      { name: 'some/folder/metadata.json', data: Buffer.from('{"conda_pkg_format_version": 2}'), method: 8 },
    ]);
    const { dir } = await extract(zip);
    assert.equal((await stat(join(dir, 'share/a.txt'))).size, 10_000);
    assert.deepEqual((await readdir(dir)).sort(), ['info', 'share']);
  });

  it('keeps long names, links and modes; drops setuid; folders stay writable by their owner', async () => {
    const long = `lib/${'x'.repeat(150)}/${'y'.repeat(120)}.txt`;
    const { dir, result } = await extract(
      buildConda(DIST, {
        pkg: [
          { name: 'bin', type: 'dir', mode: 0o555 },
          { name: 'bin/suid', data: 'x', mode: 0o4755 },
          { name: long, data: 'long' },
          { name: 'lib/link', type: 'symlink', linkname: `${'x'.repeat(150)}/${'y'.repeat(120)}.txt` },
          { name: 'lib/hard', type: 'hardlink', linkname: long },
          { name: 'ro.txt', data: 'r', mode: 0o444 },
        ],
      }),
    );
    assert.equal(await readFile(join(dir, long), 'utf8'), 'long');
    assert.equal(await readFile(join(dir, 'lib/link'), 'utf8'), 'long');
    assert.equal((await stat(join(dir, 'lib/hard'))).ino, (await stat(join(dir, long))).ino);
    assert.equal((await stat(join(dir, 'bin/suid'))).mode & 0o7777, 0o755);
    assert.equal((await stat(join(dir, 'bin'))).mode & 0o777, 0o755);
    assert.equal((await stat(join(dir, 'ro.txt'))).mode & 0o777, 0o444);
    assert.equal(result.files, 5);
    assert.equal(await readlink(join(dir, 'lib/link')), `${'x'.repeat(150)}/${'y'.repeat(120)}.txt`);
  });

  it('lets a later entry replace an earlier one, as tar does', async () => {
    const { dir } = await extract(
      buildConda(DIST, {
        pkg: [
          { name: 'a.txt', data: 'first' },
          { name: 'a.txt', data: 'second' },
          { name: 'b', type: 'symlink', linkname: 'a.txt' },
          { name: 'b', data: 'now a file' },
        ],
      }),
    );
    assert.equal(await readFile(join(dir, 'a.txt'), 'utf8'), 'second');
    assert.ok((await stat(join(dir, 'b'))).isFile());
    assert.equal(await readFile(join(dir, 'b'), 'utf8'), 'now a file');
  });

  it('accepts an empty pkg part (a metapackage)', async () => {
    const { dir, result } = await extract(buildConda(DIST, { pkgTar: buildTar([]) }));
    assert.deepEqual(await readdir(dir), ['info']);
    assert.equal(result.files, 1);
  });
});
