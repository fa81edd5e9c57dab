// Environment tarballs end to end, on prefixes installed by the real installer (runTransaction) from
// packages built for the test: pack → restore at the same path gives the same tree (modes, mtimes,
// links, hard links) and packs again to the same bytes; restore at another path relocates text and
// binary placeholders, shebangs, entry points and history, and the result runs and passes the scan;
// damage is caught by the scan by default and not in simple mode (and the timing shows the scan
// span only in the first); damaged, foreign and hostile archives are refused with the target left
// as it was; a folder that is not an environment is never replaced.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { link, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { constants as zlibConstants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { EnvTarballError } from '../../core/cache/env-tarball-errors.ts';
import { MANIFEST_MEMBER } from '../../core/cache/env-tarball-format.ts';
import { packEnvironment } from '../../core/cache/env-tarball-pack.ts';
import { relocateBinary, relocateEntryPoint } from '../../core/cache/env-tarball-relocate.ts';
import { restoreEnvironment } from '../../core/cache/env-tarball-restore.ts';
import { isSimpleMode, scanPrefix } from '../../core/cache/env-tarball-scan.ts';
import { systemExtractor } from '../../core/cache/env-tarball-system-tools.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { STATE_DIR } from '../../core/install/link-journal.ts';
import { Tracer } from '../../core/timing/tracer.ts';
import { buildPackage, tree, type BuiltPackage } from '../install/link-support.ts';
import { buildTar } from '../support/package-builder.ts';

const PH = '/opt/anaconda1anaconda2anaconda3';
const BIN_PH = '/placeholder_' + 'p'.repeat(120);

const BIG = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7919) % 251));

const spanNames = (tracer: Tracer): string[] => tracer.toJSON().spans.map((s) => s.name);

describe('environment tarballs', () => {
  let work: string;
  let pkgs: string;
  let packages: BuiltPackage[];
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-tarball-'));
    pkgs = join(work, 'pkgs');
    const elf = Buffer.concat([Buffer.from('\x7fELF\0\0'), Buffer.from(`${BIN_PH}/lib\0`), Buffer.from('tail'), Buffer.from(`rpath=${BIN_PH}/lib:${BIN_PH}/lib64\0`), Buffer.from('end')]);
    packages = [
      await buildPackage(pkgs, { name: 'python', version: '3.99.1', index: { subdir: 'linux-64' }, files: [{ name: 'share/python-marker', data: 'py' }] }),
      await buildPackage(pkgs, {
        name: 'demo',
        version: '2.1',
        build: 'h1_0',
        index: { subdir: 'linux-64' },
        files: [
          { name: 'bin/hello', data: `#!/bin/sh\necho "prefix is ${PH}"\ncat "${PH}/share/demo/data.txt"\n`, placeholder: PH, mode: 0o755 },
          { name: 'bin/tool', data: '#!/bin/sh\necho tool\n', mode: 0o755 },
          { name: 'etc/demo.conf', data: `root=${PH}\nlib=${PH}/lib\n`, placeholder: PH },
          { name: 'lib/libdemo.so.2', data: elf, placeholder: BIN_PH, fileMode: 'binary', mode: 0o755 },
          { name: 'lib/libdemo.so', type: 'symlink', linkname: 'libdemo.so.2' },
          { name: 'share/demo/data.txt', data: 'some data\n' },
          // large enough to be hashed on the file-system workers during a restore
          { name: 'share/demo/big.bin', data: BIG },
          { name: 'share/empty', type: 'dir' },
          { name: 'share/private.txt', data: 'secret', mode: 0o600 },
          // a name tar lists escaped (a tab, non-ASCII letters)
          { name: 'share/demo/naïve\tname ü.txt', data: 'odd name' },
        ],
      }),
      await buildPackage(pkgs, {
        name: 'greet',
        build: 'pyh0_0',
        index: { noarch: 'python', depends: ['python'] },
        linkJson: { noarch: { type: 'python', entry_points: ['greet = greet.cli:main'] }, package_metadata_version: 1 },
        files: [
          { name: 'site-packages/greet/__init__.py', data: '' },
          { name: 'site-packages/greet/cli.py', data: 'def main():\n    return 0\n' },
        ],
      }),
    ];
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const install = async (prefix: string) => {
    await runTransaction({ prefix, link: packages, compile: false, history: { cmd: `env-setup create -p ${prefix}` } });
    // a hard link inside the prefix, and an old mtime, as packing must keep them
    await link(join(prefix, 'share/demo/data.txt'), join(prefix, 'share/demo/data-again.txt'));
    await utimes(join(prefix, 'bin/tool'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  };

  it('packs deterministically, restores the same tree at the same path, and packs it again to the same bytes', async () => {
    const prefix = join(work, 'same', 'env');
    await install(prefix);
    await mkdir(join(prefix, STATE_DIR), { recursive: true });
    await writeFile(join(prefix, STATE_DIR, 'journal.jsonl.old'), 'transient');
    const before = await tree(prefix, (rel) => rel.startsWith(STATE_DIR));
    const tracer = new Tracer();
    const a = await packEnvironment({ prefix, output: join(work, 'a.tar.zst'), platform: 'linux-64', meta: { key: 'k1' }, tracer });
    const b = await packEnvironment({ prefix, output: join(work, 'b.tar.zst'), platform: 'linux-64', meta: { key: 'k1' } });
    assert.deepEqual(await readFile(a.archive), await readFile(b.archive));
    assert.ok(spanNames(tracer).includes('cache.pack'));
    assert.equal(a.manifest.prefix, prefix);
    assert.equal(a.manifest.meta.key, 'k1');
    assert.equal(a.hardlinks, 1);
    const raw = zstdDecompressSync(await readFile(a.archive));
    assert.equal(raw.toString('latin1', 0, MANIFEST_MEMBER.length), MANIFEST_MEMBER, 'the manifest is the first member');
    assert.ok(!raw.includes('transient'), 'env-setup state is not packed');

    await rm(prefix, { recursive: true });
    const restoreTracer = new Tracer();
    const r = await restoreEnvironment({ archive: a.archive, prefix, tracer: restoreTracer, scan: true });
    assert.equal(r.status, 'restored');
    assert.equal(r.status === 'restored' && r.relocated, undefined);
    assert.equal(r.status === 'restored' && r.scan?.ok, true);
    assert.deepEqual(await tree(prefix), before);
    assert.equal((await stat(join(prefix, 'bin/tool'))).mtime.toISOString(), '2020-01-02T03:04:05.000Z');
    assert.equal((await stat(join(prefix, 'share/demo/data.txt'))).ino, (await stat(join(prefix, 'share/demo/data-again.txt'))).ino);
    assert.equal(await readlink(join(prefix, 'lib/libdemo.so')), 'libdemo.so.2');
    assert.ok(['cache.restore', 'cache.scan', 'cache.swap'].every((n) => spanNames(restoreTracer).includes(n)));
    const extractor = restoreTracer.toJSON().spans.find((s) => s.name === 'cache.restore')?.attributes?.extractor;
    assert.equal(extractor, (await systemExtractor()) === undefined ? 'env-setup' : 'zstd | tar', 'the span names the extractor: the system programs wherever they are found');
    assert.ok(!spanNames(restoreTracer).includes('cache.relocate'));
    const again = await packEnvironment({ prefix, output: join(work, 'c.tar.zst'), platform: 'linux-64', meta: { key: 'k1' } });
    assert.deepEqual(await readFile(again.archive), await readFile(a.archive));
  });

  it('restores from the bytes as they arrive (a download) the same tree; a download that breaks off is a failed restore that leaves the prefix as it was', async () => {
    const prefix = join(work, 'stream', 'env');
    await install(prefix);
    const before = await tree(prefix, (rel) => rel.startsWith(STATE_DIR));
    const packed = await packEnvironment({ prefix, output: join(work, 'stream.tar.zst'), platform: 'linux-64', meta: { key: 'k-stream' } });
    const bytes = await readFile(packed.archive);
    // small pieces with a pause between them, as a download arrives
    async function* arriving(limit = bytes.length, failure?: Error): AsyncGenerator<Buffer> {
      for (let at = 0; at < limit; at += 7000) {
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(at, Math.min(limit, at + 7000));
      }
      if (failure) throw failure;
    }
    await rm(prefix, { recursive: true });
    const tracer = new Tracer();
    const r = await restoreEnvironment({ archive: { name: 'k-stream (a test store)', chunks: arriving() }, prefix, scan: true, tracer });
    assert.equal(r.status, 'restored');
    assert.equal(r.status === 'restored' && r.scan?.ok, true);
    assert.deepEqual(await tree(prefix, (rel) => rel.startsWith(STATE_DIR)), before);
    assert.equal(tracer.toJSON().spans.find((s) => s.name === 'cache.restore')?.attributes?.archive, 'k-stream (a test store)');

    const broken = await restoreEnvironment({ archive: { name: 'k-stream (a test store)', chunks: arriving(Math.floor(bytes.length / 2), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })) }, prefix, scan: true });
    assert.equal(broken.status, 'failed');
    assert.ok(broken.status === 'failed' && broken.reason === 'corrupt', JSON.stringify(broken));
    assert.match(broken.status === 'failed' ? broken.message : '', /k-stream \(a test store\) could not be read to its end \(socket hang up\)/);
    const cut = await restoreEnvironment({ archive: { name: 'k-stream (a test store)', chunks: arriving(Math.floor(bytes.length / 2)) }, prefix, scan: false });
    assert.ok(cut.status === 'failed' && cut.reason === 'corrupt', 'a download that just stops is damage too');
    assert.deepEqual(await tree(prefix, (rel) => rel.startsWith(STATE_DIR)), before, 'the prefix is as it was');
    assert.deepEqual((await import('node:fs')).readdirSync(join(work, 'stream')), ['env'], 'no restore folder left beside it');
  });

  it('a restore that fails while the download waits on the network stops the download at once (cancel), not at its next chunk', async () => {
    const prefix = join(work, 'stalled', 'env');
    const stalled = async (bad: Buffer, extractor?: 'node') => {
      let cancelled = false;
      let wake: (() => void) | undefined;
      async function* stalling(): AsyncGenerator<Buffer> {
        yield bad;
        if (!cancelled) await new Promise<void>((resolve) => (wake = resolve));
        throw new Error('the download was cancelled');
      }
      const t0 = performance.now();
      const r = await restoreEnvironment({ archive: { name: 'stalled (a test store)', chunks: stalling(), cancel: () => ((cancelled = true), wake?.()) }, prefix, scan: true, extractor });
      assert.ok(cancelled, 'the source was cancelled');
      assert.ok(performance.now() - t0 < 5000);
      return r;
    };
    // bytes that are not zstd: refused at the first chunk (the zstd program reads its input 128 KiB
    // at a time, and says nothing before it has them), by either extractor
    for (const extractor of [undefined, 'node'] as const) {
      const garbage = await stalled(Buffer.alloc(1 << 20, 'not zstd'), extractor);
      assert.ok(garbage.status === 'failed' && garbage.reason === 'corrupt', JSON.stringify(garbage));
      assert.match(garbage.status === 'failed' ? garbage.message : '', /stalled \(a test store\) is damaged: cannot be decompressed/);
    }
    // a zstd stream of a tar whose first member is not the manifest: the in-process extractor
    // refuses it at the first chunk (tar's listing only comes when its buffer fills or it ends)
    const foreign = await stalled(zstdCompressSync(buildTar([{ name: 'not-the-manifest', data: 'x' }])), 'node');
    assert.ok(foreign.status === 'failed' && foreign.reason === 'format', JSON.stringify(foreign));
  });

  it('relocates to another prefix: text and binary placeholders, shebangs, entry points and history hold the new path, and it runs', async () => {
    const from = join(work, 'reloc', 'original-prefix');
    await install(from);
    const packed = await packEnvironment({ prefix: from, output: join(work, 'reloc.tar.zst'), platform: 'linux-64' });
    const oldBinary = await readFile(join(from, 'lib/libdemo.so.2'));
    for (const to of [join(work, 'reloc', 'b'), join(work, 'reloc', 'a-longer-prefix-than-the-original')]) {
      const tracer = new Tracer();
      const r = await restoreEnvironment({ archive: packed.archive, prefix: to, tracer });
      assert.equal(r.status, 'restored', r.status === 'failed' ? r.message : '');
      assert.ok(r.status === 'restored' && r.relocated !== undefined && r.relocated.rewritten === 3 && r.relocated.entryPoints === 1);
      assert.ok(spanNames(tracer).includes('cache.relocate'));
      assert.equal(execFileSync(join(to, 'bin/hello'), { encoding: 'utf8' }), `prefix is ${to}\nsome data\n`);
      assert.equal(await readFile(join(to, 'etc/demo.conf'), 'utf8'), `root=${to}\nlib=${to}/lib\n`);
      const binary = await readFile(join(to, 'lib/libdemo.so.2'));
      assert.equal(binary.length, oldBinary.length);
      assert.ok(binary.includes(`\0${to}/lib\0`) && binary.includes(`rpath=${to}/lib:${to}/lib64\0`) && binary.includes('tail') && binary.subarray(-3).toString() === 'end');
      assert.ok(!binary.includes(from));
      assert.match(await readFile(join(to, 'bin/greet'), 'utf8'), new RegExp(`^#!${to}/bin/python3\\.99\\n`));
      assert.match(await readFile(join(to, 'conda-meta/history'), 'utf8'), new RegExp(`# cmd: env-setup create -p ${to}\\n`));
      assert.equal((await stat(join(to, 'bin/hello'))).mode & 0o777, 0o755);
      const scan = await scanPrefix(to);
      assert.deepEqual(scan.differences, []);
      assert.ok(scan.checked >= 8);
    }
  });

  it('cannot move a binary to a prefix longer than its placeholder: the restore fails and leaves the target as it was', async () => {
    const from = join(work, 'long', 'env');
    await install(from);
    const packed = await packEnvironment({ prefix: from, output: join(work, 'long.tar.zst'), platform: 'linux-64' });
    const to = join(work, 'long', 'x'.repeat(BIN_PH.length));
    const r = await restoreEnvironment({ archive: packed.archive, prefix: to });
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && r.reason === 'relocate' && /lib\/libdemo\.so\.2 is a binary built for prefixes of at most \d+ bytes/.test(r.message));
    assert.equal(existsSync(to), false);
  });

  it('finds a corrupted file by default and restores it unchecked in simple mode', async () => {
    const prefix = join(work, 'corrupt', 'env');
    await install(prefix);
    const packed = await packEnvironment({ prefix, output: join(work, 'good.tar.zst'), platform: 'linux-64' });
    // damage inside the tar, under an intact zstd frame: only the scan can see it
    const raw = zstdDecompressSync(await readFile(packed.archive));
    const at = raw.indexOf('echo tool');
    assert.ok(at > 0);
    raw.write('ECHO', at, 'latin1');
    const bad = join(work, 'bad.tar.zst');
    await writeFile(bad, zstdCompressSync(raw, { params: { [zlibConstants.ZSTD_c_checksumFlag]: 1 } }));

    const tracer = new Tracer();
    const r = await restoreEnvironment({ archive: bad, prefix, tracer });
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && r.reason === 'scan' && r.scan !== undefined);
    assert.deepEqual(
      r.scan!.differences.map((d) => [d.path, d.package, d.problem]),
      [['bin/tool', 'demo-2.1-h1_0', 'sha256']],
    );
    assert.match(r.message, /bin\/tool \(demo-2\.1-h1_0\): sha256 is/);
    assert.ok(spanNames(tracer).includes('cache.scan'));
    assert.equal(await readFile(join(prefix, 'bin/tool'), 'utf8'), '#!/bin/sh\necho tool\n', 'the environment in place is untouched');
    assert.deepEqual(
      (await readFile(join(work, 'corrupt', 'env', 'etc/demo.conf'), 'utf8')).length > 0,
      true,
    );

    const simple = new Tracer();
    const previous = process.env.ENV_SETUP_SIMPLE;
    process.env.ENV_SETUP_SIMPLE = '1';
    try {
      assert.equal(isSimpleMode(), true);
      const s = await restoreEnvironment({ archive: bad, prefix, tracer: simple });
      assert.equal(s.status, 'restored');
      assert.equal(s.status === 'restored' && s.scan, undefined);
    } finally {
      if (previous === undefined) delete process.env.ENV_SETUP_SIMPLE;
      else process.env.ENV_SETUP_SIMPLE = previous;
    }
    assert.ok(spanNames(simple).includes('cache.restore'));
    assert.ok(!spanNames(simple).includes('cache.scan'));
    assert.equal(await readFile(join(prefix, 'bin/tool'), 'utf8'), '#!/bin/sh\nECHO tool\n', 'simple mode trusts the archive');
    assert.equal(isSimpleMode(), false);

    // the disk scan sees it too, and a missing file and a changed type
    await unlink(join(prefix, 'share/demo/data.txt'));
    await unlink(join(prefix, 'lib/libdemo.so'));
    await writeFile(join(prefix, 'lib/libdemo.so'), 'not a link');
    const scan = await scanPrefix(prefix, { tracer: simple });
    assert.deepEqual(
      scan.differences.map((d) => [d.path, d.problem]),
      [
        ['bin/tool', 'sha256'],
        ['lib/libdemo.so', 'type'],
        ['share/demo/data.txt', 'missing'],
      ],
    );
  });

  it('finds a corrupted large file (hashed on the workers) and restores an intact one', async () => {
    const prefix = join(work, 'corrupt-big', 'env');
    await install(prefix);
    const packed = await packEnvironment({ prefix, output: join(work, 'good-big.tar.zst'), platform: 'linux-64' });
    const raw = zstdDecompressSync(await readFile(packed.archive));
    const at = raw.indexOf(BIG.subarray(200 * 1024, 200 * 1024 + 64));
    assert.ok(at > 0);
    raw[at + 10] ^= 0xff;
    const bad = join(work, 'bad-big.tar.zst');
    await writeFile(bad, zstdCompressSync(raw, { params: { [zlibConstants.ZSTD_c_checksumFlag]: 1 } }));
    const r = await restoreEnvironment({ archive: bad, prefix });
    assert.ok(r.status === 'failed' && r.reason === 'scan', r.status);
    assert.deepEqual(
      r.scan!.differences.map((d) => [d.path, d.package, d.problem]),
      [['share/demo/big.bin', 'demo-2.1-h1_0', 'sha256']],
    );
    const elsewhere = join(work, 'corrupt-big', 'elsewhere');
    const good = await restoreEnvironment({ archive: packed.archive, prefix: elsewhere });
    assert.equal(good.status, 'restored');
    assert.ok(good.status === 'restored' && good.scan !== undefined && good.scan.ok && good.scan.bytes >= BIG.length);
    assert.deepEqual(await readFile(join(elsewhere, 'share/demo/big.bin')), BIG);
  });

  it('refuses damaged, foreign and hostile archives and leaves the target alone', async () => {
    const prefix = join(work, 'refuse', 'env');
    await install(prefix);
    const packed = await packEnvironment({ prefix, output: join(work, 'refuse.tar.zst'), platform: 'linux-64' });
    const bytes = await readFile(packed.archive);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const manifest = JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/x', platform: 'linux-64', files: 1, entries: 1, bytes: 1, meta: {} });
    const hostile = (entry: Parameters<typeof buildTar>[0][number]) => zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest }, entry]));
    const record = (path: string) => JSON.stringify({ name: 'x', version: '1', build: '0', paths_data: { paths_version: 1, paths: [{ _path: path, path_type: 'hardlink', sha256: '0'.repeat(64), size_in_bytes: 1 }] } });
    const many = (entries: Parameters<typeof buildTar>[0]) =>
      zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest.replace('"entries":1,"bytes":1', `"entries":${entries.length},"bytes":10000`) }, ...entries]));
    const cases: [string, Buffer, string][] = [
      ['flipped', flipped, 'corrupt'],
      ['truncated', truncated, 'corrupt'],
      ['not-zstd', Buffer.alloc(4096, 'not zstd'), 'corrupt'],
      ['not-ours', zstdCompressSync(buildTar([{ name: 'bin/x', data: 'x' }])), 'format'],
      ['dotdot', hostile({ name: '../evil', data: 'x' }), 'unsafe-path'],
      ['absolute-link', hostile({ name: 'bin/l', type: 'symlink', linkname: '/etc/passwd' }), 'unsafe-path'],
      ['escaping-link', hostile({ name: 'bin/l', type: 'symlink', linkname: '../../..' }), 'unsafe-path'],
      ['fifo', hostile({ name: 'bin/f', type: 'fifo' }), 'unsafe-path'],
      ['late-record', zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest.replace('"entries":1,"bytes":1', '"entries":2,"bytes":3') }, { name: 'bin/a', data: 'a' }, { name: 'conda-meta/a-1-0.json', data: '{}' }])), 'corrupt'],
      ['too-many', zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest }, { name: 'a', data: 'a' }, { name: 'b', data: 'b' }])), 'corrupt'],
      ['absolute', hostile({ name: '/evil', data: 'x' }), 'unsafe-path'],
      ['hardlink-out', hostile({ name: 'bin/h', type: 'hardlink', linkname: '../../../evil' }), 'unsafe-path'],
      // (a device: refused, or, where tar cannot make one — not root — a tarball tar fails on)
      ['chardev', hostile({ name: 'bin/c', type: 'chardev' }), 'unsafe-path|corrupt'],
      // a file written through a link to a folder of the archive, after the file it replaces (whose
      // early hash would then be stale)
      ['through-link', many([{ name: 'e/d', data: 'good' }, { name: 'c', type: 'symlink', linkname: 'e' }, { name: 'c/d', data: 'evil' }]), 'unsafe-path'],
      ['twice', many([{ name: 'a', data: 'good' }, { name: 'a', data: 'evil' }]), 'corrupt'],
      // links that stay inside one by one and lead out together (x -> a/b/../.. with a/b -> ..)
      ['links-out-together', many([{ name: 'x', type: 'symlink', linkname: 'a/b/../..' }, { name: 'a/b', type: 'symlink', linkname: '..' }]), 'unsafe-path'],
      // a link where a folder of the archive already is
      ['link-over-folder', many([{ name: 'd/x', data: 'x' }, { name: 'd', type: 'symlink', linkname: 'e' }]), 'corrupt'],
      // more content than the manifest declares (10000 bytes): stopped before it is all written
      ['too-big', many([{ name: 'conda-meta/', type: 'dir' }, { name: 'conda-meta/x-1-0.json', data: '{}' }, { name: 'bin/a', data: 'x'.repeat(20_000) }]), 'corrupt'],
      ['no-records', many([{ name: 'bin/a', data: 'a' }]), 'format'],
      // (from a review) what must be refused before anything reads it: a FIFO or a device as the
      // manifest or a record would block or never end a read
      ['fifo-manifest', zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, type: 'fifo' }, { name: 'a', data: 'a' }])), 'format'],
      ['fifo-record', many([{ name: 'conda-meta/', type: 'dir' }, { name: 'conda-meta/x-1-0.json', type: 'fifo' }, { name: 'bin/a', data: 'a' }]), 'unsafe-path'],
      ['device-record', many([{ name: 'conda-meta/', type: 'dir' }, { name: 'conda-meta/x-1-0.json', type: 'chardev' }, { name: 'bin/a', data: 'a' }]), 'unsafe-path|corrupt'],
      // conda-meta as a link to another environment: its state folder must not be deleted through it
      ['state-through-link', many([{ name: 'conda-meta', type: 'symlink', linkname: join(work, 'refuse', 'victim') }, { name: 'bin/a', data: 'a' }]), 'unsafe-path'],
      // a record listing a path outside the folder (a device there): not read, missing
      ['record-outside', many([{ name: 'conda-meta/', type: 'dir' }, { name: 'conda-meta/x-1-0.json', data: record('../../../../../../../../../../dev/zero') }, { name: 'bin/a', data: 'a' }]), 'scan'],
    ];
    await mkdir(join(work, 'refuse', 'victim', '.env-setup'), { recursive: true });
    await writeFile(join(work, 'refuse', 'victim', '.env-setup', 'journal'), 'another environment');
    assert.match(manifest, /"entries":1,"bytes":1/);
    const before = await tree(prefix);
    for (const [name, data, reason] of cases) {
      const archive = join(work, `${name}.tar.zst`);
      await writeFile(archive, data);
      const r = await restoreEnvironment({ archive, prefix });
      assert.equal(r.status, 'failed', name);
      assert.ok(r.status === 'failed' && reason.split('|').includes(r.reason), `${name}: expected ${reason}, got ${r.status === 'failed' ? `${r.reason}: ${r.message}` : ''}`);
      assert.ok(r.status === 'failed' && r.message.includes(archive), name);
      if (name === 'late-record') assert.match(r.status === 'failed' ? r.message : '', /conda-meta\/a-1-0\.json comes after the files of the environment/);
      if (name === 'too-big') assert.match(r.status === 'failed' ? r.message : '', /bin\/a takes the content past the 10000 bytes its manifest declares/);
      // zstd's own words (the program's, also when tar runs it, or node's)
      if (name === 'not-zstd') assert.match(r.status === 'failed' ? r.message : '', /damaged: cannot be decompressed \((zstd: )?[^)]*(format|unknown frame)/i);
    }
    assert.deepEqual(await tree(prefix), before);
    assert.equal(existsSync(join(work, 'evil')), false);
    assert.equal(await readFile(join(work, 'refuse', 'victim', '.env-setup', 'journal'), 'utf8'), 'another environment');
    await rm(join(work, 'refuse', 'victim'), { recursive: true });
    const leftovers = (await import('node:fs')).readdirSync(join(work, 'refuse'));
    assert.deepEqual(leftovers, ['env'], 'no temporary folders are left');
  });

  it('replaces an environment, fills an empty folder, and never replaces a folder that is not an environment', async () => {
    const prefix = join(work, 'replace', 'env');
    await install(prefix);
    const packed = await packEnvironment({ prefix, output: join(work, 'replace.tar.zst'), platform: 'linux-64' });
    await writeFile(join(prefix, 'share/extra-file'), 'not in the archive');
    // what killed restores left: deleted after an hour, not before (a restore may still be running)
    const stale = join(work, 'replace', '.env.env-setup-restore-0123456789ab');
    const recent = join(work, 'replace', '.env.env-setup-replaced-ba9876543210');
    await mkdir(stale);
    await mkdir(recent);
    await utimes(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    const r = await restoreEnvironment({ archive: packed.archive, prefix });
    assert.equal(r.status, 'restored');
    assert.equal(existsSync(join(prefix, 'share/extra-file')), false);
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(recent), true);
    assert.deepEqual((await scanPrefix(prefix)).differences, []);

    const empty = join(work, 'replace', 'empty');
    await mkdir(empty);
    assert.equal((await restoreEnvironment({ archive: packed.archive, prefix: empty })).status, 'restored');
    assert.ok((await lstat(join(empty, 'conda-meta'))).isDirectory());

    const mine = join(work, 'replace', 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'thesis.tex'), 'years of work');
    await assert.rejects(restoreEnvironment({ archive: packed.archive, prefix: mine }), (e: unknown) => e instanceof EnvTarballError && e.kind === 'prefix' && /not a conda environment/.test(e.message));
    assert.equal(await readFile(join(mine, 'thesis.tex'), 'utf8'), 'years of work');
    await assert.rejects(restoreEnvironment({ archive: join(work, 'absent.tar.zst'), prefix: join(work, 'replace', 'new') }), (e: unknown) => e instanceof EnvTarballError && e.kind === 'io');
    await symlink('env', join(work, 'replace', 'link'));
    await assert.rejects(restoreEnvironment({ archive: packed.archive, prefix: join(work, 'replace', 'link') }), (e: unknown) => e instanceof EnvTarballError && e.kind === 'prefix');
  });

  it('refuses to pack a folder that is not an environment', async () => {
    const dir = join(work, 'not-env');
    await mkdir(dir);
    await assert.rejects(packEnvironment({ prefix: dir, output: join(work, 'x.tar.zst'), platform: 'linux-64' }), (e: unknown) => e instanceof EnvTarballError && e.kind === 'prefix');
  });

  it('refuses, naming it, a file whose name is not valid UTF-8 (left there by a script, say), instead of failing on it', async () => {
    const prefix = join(work, 'latin1', 'env');
    await install(prefix);
    const bad = Buffer.concat([Buffer.from(join(prefix, 'share/caf')), Buffer.from([0xe9])]);
    writeFileSync(bad, 'x');
    await assert.rejects(
      packEnvironment({ prefix, output: join(work, 'latin1.tar.zst'), platform: 'linux-64' }),
      (e: unknown) => e instanceof EnvTarballError && e.kind === 'format' && /share\/caf\\xe9 has a name that is not valid UTF-8/.test(e.message),
    );
    assert.equal(existsSync(join(work, 'latin1.tar.zst')), false);
  });
});

describe('relocation helpers', () => {
  it('moves binary strings within the room of the placeholder, keeping every other byte', () => {
    const ph = '/ph_' + 'x'.repeat(40);
    const from = '/old/env';
    const installed = Buffer.concat([Buffer.from('A\0'), Buffer.from(`${from}/lib:${from}/lib64`), Buffer.alloc(2 * (ph.length - from.length) + 1), Buffer.from('B\0\0C')]);
    const moved = relocateBinary(installed, from, '/a/much/longer/new/env', ph, 'x');
    assert.equal(moved.length, installed.length);
    assert.ok(moved.includes('A\0/a/much/longer/new/env/lib:/a/much/longer/new/env/lib64\0'));
    assert.ok(moved.subarray(-4).equals(Buffer.from('B\0\0C')));
    assert.throws(() => relocateBinary(installed, from, '/' + 'y'.repeat(ph.length), ph, 'lib/x.so'), (e: unknown) => e instanceof EnvTarballError && e.kind === 'relocate' && /lib\/x\.so/.test(e.message));
  });

  it('rewrites entry point shebangs, switching to the /bin/sh trampoline for long paths', () => {
    const body = '# -*- coding: utf-8 -*-\nimport sys\n';
    assert.equal(relocateEntryPoint(Buffer.from(`#!/old/bin/python3.12\n${body}`), '/old', '/new').toString(), `#!/new/bin/python3.12\n${body}`);
    const long = '/l' + 'o'.repeat(130);
    assert.equal(relocateEntryPoint(Buffer.from(`#!/old/bin/python3.12\n${body}`), '/old', long).toString(), `#!/bin/sh\n'''exec' "${long}/bin/python3.12" "$0" "$@"\n' '''\n${body}`);
    assert.equal(relocateEntryPoint(Buffer.from(`#!/bin/sh\n'''exec' "${long}/bin/python3.12" "$0" "$@"\n' '''\n${body}`), long, '/new').toString(), `#!/new/bin/python3.12\n${body}`);
    assert.equal(relocateEntryPoint(Buffer.from(`#!/elsewhere/python\n${body}`), '/old', '/new').toString(), `#!/elsewhere/python\n${body}`);
  });
});
