// Hostile and damaged packages, built byte by byte: every one is refused with an InstallError of the
// right kind that names the package and the entry, and nothing is written outside the folder.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, zstdCompressSync } from 'node:zlib';
import { InstallError, type InstallErrorKind } from '../../core/install/errors.ts';
import { extractPackageArchive, type ExtractLimits } from '../../core/install/extract-package.ts';
import { buildConda, buildTar, buildZip, indexJson, type TarEntrySpec } from '../support/package-builder.ts';

const DIST = 'evil-1.0-0';
const FN = `${DIST}.conda`;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'env-setup-attacks-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Extracts `archive` into `<case>/pkg`; returns the case folder (to check nothing landed beside pkg). */
async function extract(archive: Buffer, options: { format?: 'conda' | 'tar.bz2'; limits?: Partial<ExtractLimits>; fn?: string } = {}): Promise<{ caseDir: string; dest: string; run: Promise<unknown> }> {
  const caseDir = await mkdtemp(join(work, 'case-'));
  const file = join(caseDir, options.fn ?? FN);
  await writeFile(file, archive);
  const dest = join(caseDir, 'pkg');
  await mkdir(dest);
  const run = extractPackageArchive(file, options.format ?? 'conda', dest, { what: options.fn ?? FN, limits: options.limits });
  return { caseDir, dest, run };
}

async function refused(archive: Buffer, kind: InstallErrorKind, message: RegExp, options: Parameters<typeof extract>[1] & { entry?: string } = {}): Promise<string> {
  const { caseDir, run } = await extract(archive, options);
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof InstallError, `an InstallError, not ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    assert.ok(error.message.startsWith(options.fn ?? FN), `the message names the package: ${error.message}`);
    if (options.entry !== undefined) assert.equal(error.file, options.entry);
    assert.equal(error.exitCode, 1);
    return true;
  });
  assert.deepEqual((await readdir(caseDir)).sort(), [options.fn ?? FN, 'pkg'].sort(), 'nothing was written beside the package folder');
  return caseDir;
}

const pkg = (entries: TarEntrySpec[]): Buffer => buildConda(DIST, { pkg: entries });

describe('paths that leave the package', () => {
  it('refuses ../ names', async () => {
    await refused(pkg([{ name: '../evil.txt', data: 'x' }]), 'unsafe-path', /entry \.\.\/evil\.txt of pkg-evil-1\.0-0\.tar\.zst has "\.\." in its path/, { entry: '../evil.txt' });
    await refused(pkg([{ name: 'lib/../../evil.txt', data: 'x' }]), 'unsafe-path', /has "\.\." in its path/);
  });

  it('refuses absolute names', async () => {
    const target = join(tmpdir(), `env-setup-evil-${randomUUID()}`);
    await refused(pkg([{ name: target, data: 'x' }]), 'unsafe-path', /is an absolute path/, { entry: target });
    assert.ok(!existsSync(target));
  });

  it('refuses symbolic links that point outside, directly or through other links', async () => {
    await refused(pkg([{ name: 'lib/x', type: 'symlink', linkname: '../../outside' }]), 'unsafe-path', /entry lib\/x .* is a symbolic link to \.\.\/\.\.\/outside, outside the package/, { entry: 'lib/x' });
    await refused(pkg([{ name: 'etc/passwd', type: 'symlink', linkname: '/etc/passwd' }]), 'unsafe-path', /symbolic link to the absolute path \/etc\/passwd/);
    await refused(
      pkg([
        { name: 'x', type: 'symlink', linkname: 'a/b/../..' },
        { name: 'a/b', type: 'symlink', linkname: '..' },
      ]),
      'unsafe-path',
      /the symbolic link x -> a\/b\/\.\.\/\.\. leads outside the package/,
    );
  });

  it('refuses writing through a symbolic link of the package', async () => {
    await refused(
      pkg([
        { name: 'real/keep', data: 'x' },
        { name: 'lib', type: 'symlink', linkname: 'real' },
        { name: 'lib/evil.so', data: 'x' },
      ]),
      'unsafe-path',
      /entry lib\/evil\.so .* is written through the symbolic link lib/,
    );
  });

  it('refuses hard links that escape, point at links, or at nothing', async () => {
    await refused(pkg([{ name: 'lib/x', type: 'hardlink', linkname: '../../../etc/passwd' }]), 'unsafe-path', /entry lib\/x .* is a hard link that has a target with "\.\." in its path/);
    await refused(pkg([{ name: 'lib/x', type: 'hardlink', linkname: '/etc/passwd' }]), 'unsafe-path', /is a hard link that is to an absolute path/);
    await refused(
      pkg([
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'c', type: 'hardlink', linkname: 'a' },
      ]),
      'unsafe-path',
      /entry c .* is a hard link to a, which is not a regular file/,
    );
    await refused(pkg([{ name: 'c', type: 'hardlink', linkname: 'missing' }]), 'corrupt', /is a hard link to missing, which is not in the archive before it/);
  });

  it('refuses device files and FIFOs', async () => {
    await refused(pkg([{ name: 'dev/null', type: 'chardev' }]), 'unsafe-path', /entry dev\/null .* is a character device/);
    await refused(pkg([{ name: 'dev/sda', type: 'blockdev' }]), 'unsafe-path', /is a block device/);
    await refused(pkg([{ name: 'pipe', type: 'fifo' }]), 'unsafe-path', /entry pipe .* is a FIFO/);
  });

  it('refuses symbolic links with empty targets, naming the entry', async () => {
    await refused(pkg([{ name: 'lib/libz.so', type: 'symlink', linkname: '' }]), 'corrupt', /entry lib\/libz\.so of pkg-evil-1\.0-0\.tar\.zst is a symbolic link with an empty target/, { entry: 'lib/libz.so' });
  });
});

describe('zip bombs', () => {
  it('refuses an entry that declares more than the limit, before writing a byte', async () => {
    // 20 GiB declared (a pax size record); the data itself is not even there
    const tar = buildTar([{ name: 'bomb.bin', declaredSize: 20 * 1024 ** 3, data: Buffer.alloc(1024) }], { end: false });
    const started = Date.now();
    await refused(buildConda(DIST, { pkgTar: tar }), 'too-large', /entry bomb\.bin .* would take the package past \d+ unpacked bytes; refused as a possible zip bomb/);
    assert.ok(Date.now() - started < 5000);
  });

  it('refuses a small archive that unpacks past the limits', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const archive = pkg([{ name: 'zeros.bin', data: zeros }]);
    assert.ok(archive.length < 64 * 1024, `the bomb is ${archive.length} bytes`);
    await refused(archive, 'too-large', /zeros\.bin .* past 16777216 unpacked bytes/, { limits: { maxUnpackedBytes: 16 * 1024 * 1024 } });
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `f/${i}`, data: '' }));
    await refused(pkg(many), 'too-large', /has more than 20 entries/, { limits: { maxEntries: 20 } });
  });

  it('never decompresses what follows the end of the tar', async () => {
    const tar = Buffer.concat([buildTar([{ name: 'info/index.json', data: indexJson(DIST) }]), Buffer.alloc(256 * 1024 * 1024)]);
    const zip = buildZip([{ name: `info-${DIST}.tar.zst`, data: zstdCompressSync(tar) }]);
    const { dest, run } = await extract(zip, { limits: { maxUnpackedBytes: 1024 * 1024 } });
    await run;
    assert.ok(existsSync(join(dest, 'info/index.json')));
  });

  it('refuses a zip entry that inflates past its declared size', async () => {
    const info = zstdCompressSync(buildTar([{ name: 'info/index.json', data: indexJson(DIST) }]));
    const zip = buildZip([{ name: `info-${DIST}.tar.zst`, data: info, method: 8, declaredSize: 10 }]);
    await refused(zip, 'corrupt', /unpacks to more than the 10 bytes its zip entry declares/);
  });
});

describe('truncated and damaged archives', () => {
  const good = pkg([
    { name: 'lib/big.bin', data: Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)) },
    { name: 'lib/small.txt', data: 'hello' },
  ]);

  it('refuses a .conda cut short, wherever it is cut', async () => {
    for (const keep of [0.2, 0.5, 0.9, 0.999]) {
      await refused(good.subarray(0, Math.floor(good.length * keep)), 'truncated', /truncated|too short|ends/);
    }
  });

  it('refuses a zstd part cut short inside a well-formed zip', async () => {
    const tar = buildTar([{ name: 'lib/a.bin', data: Buffer.alloc(300_000, 7) }, { name: 'info/index.json', data: indexJson(DIST) }]);
    const z = zstdCompressSync(tar);
    const zip = buildZip([{ name: `info-${DIST}.tar.zst`, data: z.subarray(0, z.length - 20) }]);
    await refused(zip, 'truncated', /info-evil-1\.0-0\.tar\.zst\): the zstd data ends early/);
  });

  it('refuses a tar cut in the middle of a file', async () => {
    const tar = buildTar([{ name: 'info/index.json', data: indexJson(DIST) }, { name: 'lib/a.bin', data: Buffer.alloc(100_000, 1) }], { end: false });
    await refused(buildConda(DIST, { pkgTar: tar.subarray(0, 60_000) }), 'truncated', /truncated/);
  });

  it('checks the zip CRC-32 unless the archive was just verified by its hash (which covers every byte)', async () => {
    const zstd = (b: Buffer) => zstdCompressSync(b);
    const parts = (crc?: number) =>
      buildZip([
        { name: 'metadata.json', data: Buffer.from('{"conda_pkg_format_version": 2}') },
        { name: `pkg-${DIST}.tar.zst`, data: zstd(buildTar([{ name: 'lib/a.txt', data: 'a' }])), crc },
        { name: `info-${DIST}.tar.zst`, data: zstd(buildTar([{ name: 'info/index.json', data: indexJson(DIST) }])) },
      ]);
    const wrongCrc = parts(12345);
    await refused(wrongCrc, 'corrupt', /pkg-evil-1\.0-0\.tar\.zst fails its CRC-32 check/);
    const caseDir = await mkdtemp(join(work, 'case-'));
    await writeFile(join(caseDir, FN), wrongCrc);
    await mkdir(join(caseDir, 'pkg'));
    const result = await extractPackageArchive(join(caseDir, FN), 'conda', join(caseDir, 'pkg'), { what: FN, hashVerified: true });
    assert.equal(result.files, 2);
    assert.equal(result.kindOf('lib/a.txt'), 'file');
    assert.equal(result.kindOf('lib'), 'dir');
    assert.equal(result.kindOf('nothing'), undefined);
  });

  it("checks the CRC-32 of a stored part to its last byte, also past tar's end-of-archive", async () => {
    // a second zstd frame (4 MiB that do not compress) after the tarball's: tar stops at its
    // end-of-archive long before the file is read to the end
    const noise = randomBytes(4 << 20);
    const data = Buffer.concat([zstdCompressSync(buildTar([{ name: 'lib/a.txt', data: 'a' }])), zstdCompressSync(noise)]);
    const conda = (bytes: Buffer, crc: number) =>
      buildZip([
        { name: `info-${DIST}.tar.zst`, data: zstdCompressSync(buildTar([{ name: 'info/index.json', data: indexJson(DIST) }])) },
        { name: `pkg-${DIST}.tar.zst`, data: bytes, crc },
      ]);
    const { caseDir, run } = await extract(conda(data, crc32(data)));
    await run;
    assert.equal(readFileSync(join(caseDir, 'pkg', 'lib', 'a.txt'), 'utf8'), 'a');
    // a byte of the second frame damaged: only the CRC-32 can see it
    const damaged = Buffer.from(data);
    damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 0xff;
    await refused(conda(damaged, crc32(data)), 'corrupt', /pkg-evil-1\.0-0\.tar\.zst fails its CRC-32 check/);
  });

  it('a stored part spanning several reads extracts byte for byte; declared sizes that disagree are refused', async () => {
    // random bytes: zstd cannot shrink them, so the stored part is some 5 MiB, five reads
    const big = randomBytes(5 * 1024 * 1024 + 123);
    const { caseDir, run } = await extract(pkg([{ name: 'lib/big.bin', data: big }, { name: 'lib/after.txt', data: 'after' }]));
    await run;
    assert.ok(readFileSync(join(caseDir, 'pkg', 'lib', 'big.bin')).equals(big));
    assert.equal(readFileSync(join(caseDir, 'pkg', 'lib', 'after.txt'), 'utf8'), 'after');
    const tarZst = zstdCompressSync(buildTar([{ name: 'info/index.json', data: indexJson(DIST) }]));
    const declared = buildZip([{ name: `info-${DIST}.tar.zst`, data: tarZst, declaredSize: tarZst.length + 10 }]);
    await refused(declared, 'corrupt', /is stored, but its zip entry declares \d+ bytes for \d+ bytes of content/);
  });

  it('refuses damaged bytes: a zip CRC, a tar header checksum, a zstd frame', async () => {
    const damaged = Buffer.from(good);
    const at = damaged.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])) + 40;
    damaged[at] = damaged[at]! ^ 0xff;
    await refused(damaged, 'corrupt', /CRC-32|zstd data is damaged/);
    await refused(pkg([{ name: 'a', data: 'x' }, { name: 'b', data: 'x', badChecksum: true }]), 'corrupt', /tar header with a bad checksum/);
    await refused(pkg([{ name: 'a', data: 'x', badChecksum: true }]), 'corrupt', /first header is damaged/);
    const zip = buildZip([{ name: `info-${DIST}.tar.zst`, data: Buffer.from('not zstd at all, just text') }]);
    await refused(zip, 'corrupt', /zstd data is damaged/);
  });

  it('refuses files that are not packages', async () => {
    await refused(Buffer.from('<html>404 Not Found</html>'), 'truncated', /no zip end-of-directory record/);
    await refused(buildZip([{ name: 'metadata.json', data: Buffer.from('{}') }]), 'corrupt', /not a \.conda package: its zip has no info-\*\.tar\.zst part \(it holds metadata\.json\)/);
    await refused(buildZip([{ name: `info-${DIST}.tar.zst`, data: zstdCompressSync(Buffer.from('plain text, not a tar archive'.repeat(40))) }]), 'corrupt', /not a tar archive|cannot be read/);
  });
});

describe('.tar.bz2', () => {
  const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/channels/conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2', import.meta.url));
  const skip = existsSync(FIXTURE) ? false : `${FIXTURE} not found (../shared is absent)`;
  const fn = 'zlib-1.2.11-h7b6447c_3.tar.bz2';

  it('refuses a truncated .tar.bz2', { skip }, async () => {
    const bytes = readFileSync(FIXTURE);
    await refused(bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated', /ends early|truncated/, { format: 'tar.bz2', fn });
  });

  it('refuses a damaged .tar.bz2 and one that is not bzip2', { skip }, async () => {
    const bytes = Buffer.from(readFileSync(FIXTURE));
    for (let i = 2000; i < 2010; i++) bytes[i] = 0;
    await refused(bytes, 'corrupt', /bzip2 data (is damaged|fails its CRC)/, { format: 'tar.bz2', fn });
    await refused(Buffer.from('just text'), 'corrupt', /not bzip2 data/, { format: 'tar.bz2', fn });
  });
});
