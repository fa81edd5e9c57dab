// Extraction of every real package in ../shared/fixtures (.conda and .tar.bz2): each extracts, and
// each file its info/paths.json lists is there with the listed size and sha256; links, hard links,
// modes, zip64, zip data descriptors with deflate, `./` names and metadata-only packages come out
// right; the known-broken zlib .conda of conda's test data is refused naming the entry.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InstallError } from '../../core/install/errors.ts';
import { extractPackageArchive } from '../../core/install/extract-package.ts';
import { splitArchiveName } from '../../core/install/pkgs-dir.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const noFixtures = existsSync(join(FIXTURES, 'packages/rattler/sparse')) ? false : `package fixtures not found in ${FIXTURES} (../shared is absent)`;

/** Every .conda and .tar.bz2 under the fixtures. */
function fixturePackages(): string[] {
  if (noFixtures) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (splitArchiveName(entry.name)) out.push(p);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

/** conda's own test artifacts whose symbolic links have empty targets (conda and micromamba refuse them too). */
const BROKEN: Record<string, string> = {
  'zlib-1.2.11-h7b6447c_3.conda': 'lib/libz.so.1',
  'zlib-1.2.11-h1de35cc_3.conda': 'lib/libz.1.dylib',
};

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'env-setup-extract-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function extractFixture(path: string): Promise<string> {
  const fn = basename(path);
  const dest = await mkdtemp(join(work, 'p-'));
  await extractPackageArchive(path, splitArchiveName(fn)!.format, dest, { what: fn });
  return dest;
}

describe('real packages', { skip: noFixtures }, () => {
  it('extract, with every file of info/paths.json in place, sized and hashed as listed', async () => {
    const packages = fixturePackages();
    assert.ok(packages.length >= 80, `found ${packages.length} fixture packages`);
    let checkedFiles = 0;
    for (const path of packages) {
      const fn = basename(path);
      if (BROKEN[fn] && path.includes('conda-format-repo')) continue;
      const dir = await extractFixture(path);
      const index = JSON.parse(await readFile(join(dir, 'info/index.json'), 'utf8')) as { name: string };
      assert.ok(fn.startsWith(index.name), `${fn}: info/index.json names ${index.name}`);
      let listed: { paths: { _path: string; path_type?: string; sha256?: string; size_in_bytes?: number }[] };
      try {
        listed = JSON.parse(await readFile(join(dir, 'info/paths.json'), 'utf8'));
      } catch {
        continue;
      }
      for (const entry of listed.paths) {
        const file = join(dir, entry._path);
        const info = await lstat(file);
        if ((entry.path_type ?? 'hardlink') !== 'hardlink') continue;
        assert.ok(info.isFile(), `${fn}: ${entry._path} is a file`);
        if (entry.size_in_bytes !== undefined) assert.equal(info.size, entry.size_in_bytes, `${fn}: size of ${entry._path}`);
        if (entry.sha256) assert.equal(createHash('sha256').update(await readFile(file)).digest('hex'), entry.sha256, `${fn}: sha256 of ${entry._path}`);
        checkedFiles++;
      }
    }
    assert.ok(checkedFiles > 100, `checked ${checkedFiles} files against paths.json`);
  });

  it('refuses conda test data whose symbolic links have empty targets, naming the entry', async () => {
    for (const [fn, entry] of Object.entries(BROKEN)) {
      const path = fixturePackages().find((p) => basename(p) === fn)!;
      const dest = await mkdtemp(join(work, 'broken-'));
      await assert.rejects(extractPackageArchive(path, 'conda', dest, { what: fn }), (error: unknown) => {
        assert.ok(error instanceof InstallError);
        assert.equal(error.kind, 'corrupt');
        assert.equal(error.package, fn);
        assert.equal(error.file, entry);
        assert.match(error.message, new RegExp(`${fn}: entry ${entry} of pkg-.*\\.tar\\.zst is a symbolic link with an empty target`));
        assert.equal(error.exitCode, 1);
        return true;
      });
    }
  });

  it('keeps symbolic links as links and hard links as one file', async () => {
    const dir = await extractFixture(join(FIXTURES, 'packages/rattler/sparse/symlink-test-1.0.0-0.conda'));
    assert.equal(await readlink(join(dir, 'lib/liblink.so')), 'libreal.so.1');
    const real = await stat(join(dir, 'lib/libreal.so.1'));
    const hard = await stat(join(dir, 'lib/libhard.so'));
    assert.equal(hard.ino, real.ino);
    assert.equal(await readFile(join(dir, 'lib/liblink.so'), 'utf8'), await readFile(join(dir, 'lib/libreal.so.1'), 'utf8'));
  });

  it('keeps modes (an executable stays executable, with group write)', async () => {
    const dir = await extractFixture(join(FIXTURES, 'channels/conda-test-recipes/noarch/small-executable-1.0-0.conda'));
    assert.equal((await stat(join(dir, 'bin/small'))).mode & 0o777, 0o775);
    assert.equal((await stat(join(dir, 'Scripts/small.bat'))).mode & 0o777, 0o664);
    assert.equal((await stat(join(dir, 'info/index.json'))).mode & 0o777, 0o644);
  });

  it('reads zip64 .conda files, `./` names and metadata-only packages', async () => {
    const zip64 = await extractFixture(join(FIXTURES, 'packages/rattler/sparse/zip64-test-1.0.0-0.conda'));
    assert.equal(await readFile(join(zip64, 'bin/hello.txt'), 'utf8'), 'zip64 payload\n');
    const dotslash = await extractFixture(join(FIXTURES, 'packages/rattler/sparse/dotslash-test-1.0.0-0.conda'));
    assert.ok((await stat(join(dotslash, 'lib/data.txt'))).isFile());
    const infoOnly = await extractFixture(join(FIXTURES, 'packages/rattler/sparse/info-only-1.0.0-0.conda'));
    assert.deepEqual(await readdir(infoOnly), ['info']);
    const empty = await extractFixture(join(FIXTURES, 'packages/rattler/packages/empty-0.1.0-h4616a5c_0.conda'));
    assert.deepEqual(await readdir(empty), ['info']);
    const sparse = await extractFixture(join(FIXTURES, 'packages/rattler/sparse/sparse-test-1.0.0-0.conda'));
    assert.equal((await stat(join(sparse, 'lib/blob.bin'))).size, 150000);
  });

  it('reads a .conda with deflated parts in a subfolder and zip data descriptors (rattler needs its buffered path for it)', async () => {
    const dir = await extractFixture(join(FIXTURES, 'packages/rattler/real/ca-certificates-2024.7.4-hbcca054_0.conda'));
    assert.equal((await stat(join(dir, 'ssl/cacert.pem'))).size, 291528);
    assert.equal(await readlink(join(dir, 'ssl/cert.pem')), 'cacert.pem');
    assert.ok(!existsSync(join(dir, 'Users')), 'the zip folder is not extracted');
  });

  it('extracts .tar.bz2 packages like their .conda twins', async () => {
    const bz2 = await extractFixture(join(FIXTURES, 'channels/conda-format-repo/win-64/zlib-1.2.11-h62dcd97_3.tar.bz2'));
    const conda = await extractFixture(join(FIXTURES, 'channels/conda-format-repo/win-64/zlib-1.2.11-h62dcd97_3.conda'));
    const list = async (d: string): Promise<string[]> => (await readdir(d, { recursive: true })).sort();
    const a = await list(bz2);
    assert.deepEqual(a.filter((p) => !p.startsWith('info')), (await list(conda)).filter((p) => !p.startsWith('info')));
    const lib = a.find((p) => p.endsWith('.dll'))!;
    assert.deepEqual(readFileSync(join(bz2, lib)), readFileSync(join(conda, lib)));
  });
});
