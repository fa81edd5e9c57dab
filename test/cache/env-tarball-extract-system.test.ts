// The system extractor (env-tarball-extract-system.ts): chosen where zstd and GNU tar are found,
// and not when ENV_SETUP_EXTRACTOR=node or the programs are missing; the names tar lists read
// back exactly (escapes, non-ASCII); the restore's span names the extractor. The restores
// themselves — same tree, relocation, scan, hostile archives — are env-tarball.test.ts, which runs
// with this extractor where it is found and again with the in-process one
// (env-tarball-node-extractor.test.ts).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { zstdCompressSync } from 'node:zlib';
import { extractWithSystemTools } from '../../core/cache/env-tarball-extract-system.ts';
import { createdDirectory, parseListingLine } from '../../core/cache/env-tarball-listing.ts';
import type { EnvTarballError } from '../../core/cache/env-tarball-errors.ts';
import { MANIFEST_MEMBER } from '../../core/cache/env-tarball-format.ts';
import { extractorChoice, systemExtractor } from '../../core/cache/env-tarball-system-tools.ts';
import { buildTar } from '../support/package-builder.ts';

const tools = await systemExtractor({ ...process.env, ENV_SETUP_EXTRACTOR: 'system' });
const why = tools === undefined ? 'this machine has no zstd and GNU tar: the in-process extractor is used (and tested) alone' : false;

describe('the system extractor', () => {
  it('reads back the members GNU tar lists (-vv --numeric-owner --quoting-style=c, C locale)', () => {
    const line = (mode: string, size: string, name: string) => `${mode} 0/0 ${size.padStart(13)} 2026-11-23 21:45 ${name}`;
    assert.deepEqual(parseListingLine(line('-rw-r--r--', '394', '"bin/python3.12"')), { type: '-', mode: 0o644, size: 394, name: 'bin/python3.12' });
    assert.deepEqual(parseListingLine(line('drwxr-xr-x', '0', '"conda-meta/"')), { type: 'd', mode: 0o755, size: 0, name: 'conda-meta/' });
    assert.deepEqual(parseListingLine(line('-rw-r--r--', '0', '"caf\\303\\251/x"')), { type: '-', mode: 0o644, size: 0, name: 'café/x' });
    assert.deepEqual(parseListingLine(line('-rw-r--r--', '1', '"back\\\\slash \\"q\\""')), { type: '-', mode: 0o644, size: 1, name: 'back\\slash "q"' });
    assert.deepEqual(parseListingLine(line('-rw-r--r--', '1', '"new\\nline\\ttab"')), { type: '-', mode: 0o644, size: 1, name: 'new\nline\ttab' });
    // names that look like the listing's own words are quoted, so they read back whole
    assert.deepEqual(parseListingLine(line('lrwxrwxrwx', '0', '"lnk -> z" -> "sp ace"')), { type: 'l', mode: 0o777, size: 0, name: 'lnk -> z', target: 'sp ace' });
    assert.deepEqual(parseListingLine(line('hrw-r--r--', '0', '"x link to y" link to "a"')), { type: 'h', mode: 0o644, size: 0, name: 'x link to y', target: 'a' });
    assert.deepEqual(parseListingLine(line('crw-r--r--', '1,3', '"dev/null"')), { type: 'c', mode: 0o644, size: 0, name: 'dev/null' });
    // setuid, setgid and sticky bits, with and without the execute bit under them
    assert.equal(parseListingLine(line('-rwsr-sr-t', '1', '"s"'))?.mode, 0o7755);
    assert.equal(parseListingLine(line('drwSr-Sr-T', '0', '"d/"'))?.mode, 0o7644);
    // tar making a member's missing folder
    assert.equal(createdDirectory('drwxr-xr-x                  Creating directory: "lib/a b"'), 'lib/a b');
    assert.equal(createdDirectory(line('-rw-r--r--', '1', '"Creating directory: x"')), undefined);
    // a 64 GiB size is read exactly
    assert.equal(parseListingLine(line('-rw-r--r--', String(64 * 2 ** 30), '"big"'))?.size, 64 * 2 ** 30);
    for (const bad of [line('-rw-r--r--', '1', '"odd\\q"'), line('-rw-r--r--', '1', '"ends\\'), line('-rw-r--r--', '1', '"open'), line('-rw-r--r--', '1', '"a" then'), line('lrwxrwxrwx', '0', '"a" -> "b'), line('lrwxrwxrwx', '0', '"a" -> "b" c'), 'garbage', line('-rw-r--r--', '1', 'unquoted')]) {
      assert.equal(parseListingLine(bad), undefined, bad);
    }
    // the listing arrives as latin1 (a byte per character): raw UTF-8 reads back too
    assert.equal(parseListingLine(line('-rw-r--r--', '1', `"${Buffer.from('naïve', 'utf8').toString('latin1')}"`))?.name, 'naïve');
  });

  it('is chosen only where zstd and GNU tar are, and never with ENV_SETUP_EXTRACTOR=node', { skip: why }, async () => {
    assert.match(tools!.tar, /tar$/);
    assert.equal(extractorChoice({ ENV_SETUP_EXTRACTOR: 'node' }), 'node');
    assert.equal(extractorChoice({ ENV_SETUP_EXTRACTOR: ' System ' }), 'system');
    assert.equal(extractorChoice({}), 'auto');
    assert.equal(await systemExtractor({ ...process.env, ENV_SETUP_EXTRACTOR: 'node' }), undefined);
    assert.equal(await systemExtractor(process.env, 'win32'), undefined);
    const empty = await mkdtemp(join(tmpdir(), 'env-setup-no-tools-'));
    try {
      assert.equal(await systemExtractor({ ...process.env, PATH: empty }), undefined, 'no programs on PATH: in-process');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    assert.deepEqual(await systemExtractor(process.env), process.env.ENV_SETUP_EXTRACTOR === 'node' ? undefined : tools);
  });

  it('asks each program what it is once, and remembers the answer in the memo file while the program file stays the same', { skip: process.platform === 'win32' ? 'shell scripts stand in for the programs' : false }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'env-setup-tools-memo-'));
    try {
      const bin = join(dir, 'bin');
      await mkdir(bin);
      const asked = join(dir, 'asked');
      const program = async (name: string, answer: string) => {
        await writeFile(join(bin, name), `#!/bin/sh\necho ${name} >> "${asked}"\necho '${answer}'\n`, { mode: 0o755 });
      };
      await program('zstd', '*** Zstandard CLI (64-bit) v1.5.5, by Yann Collet ***');
      await program('tar', 'tar (GNU tar) 1.35');
      const memo = join(dir, 'cache', 'system-tools.json');
      const times = async () => (await readFile(asked, 'utf8').catch(() => '')).split('\n').filter(Boolean).sort().join(',');
      // each call with another PATH string (the same folder): the process's own answer is not reused
      let n = 0;
      const find = (withMemo = true) => systemExtractor({ PATH: bin + ':'.repeat(++n), ENV_SETUP_EXTRACTOR: 'system' }, 'linux', withMemo ? memo : undefined);
      assert.deepEqual(await find(), { zstd: join(bin, 'zstd'), tar: join(bin, 'tar') }, 'found on PATH, named by their paths');
      assert.equal(await times(), 'tar,zstd');
      assert.deepEqual(Object.keys((JSON.parse(await readFile(memo, 'utf8')) as { programs: object }).programs).sort(), [join(bin, 'tar'), join(bin, 'zstd')]);
      assert.deepEqual(await find(), { zstd: join(bin, 'zstd'), tar: join(bin, 'tar') });
      assert.equal(await times(), 'tar,zstd', 'the memo answers: neither program was run again');
      // another program in the file's place (bsdtar): asked again, and not used
      await program('tar', 'bsdtar 3.7.2 - libarchive 3.7.2');
      assert.equal(await find(), undefined);
      assert.equal(await times(), 'tar,tar,zstd');
      assert.equal(await find(), undefined, 'the memo keeps the no as well');
      assert.equal(await times(), 'tar,tar,zstd');
      // without a memo every process asks
      await program('tar', 'tar (GNU tar) 1.35');
      await find(false);
      await find(false);
      assert.equal(await times(), 'tar,tar,tar,tar,zstd,zstd,zstd');
      // a memo that is not JSON is asked past, and written anew
      await writeFile(memo, 'not json');
      assert.deepEqual(await find(), { zstd: join(bin, 'zstd'), tar: join(bin, 'tar') });
      assert.equal((JSON.parse(await readFile(memo, 'utf8')) as { version: number }).version, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks the files conda-meta lists: a changed file, a changed type and a missing file are found', { skip: why }, async () => {
    const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    const big = Buffer.alloc(3 << 20, 'big file content ');
    const files = Array.from({ length: 300 }, (_, i) => ({ name: `lib/m${String(i).padStart(3, '0')}.py`, data: `print(${i})\n` }));
    const paths = [
      ...files.map((f) => ({ _path: f.name, path_type: 'hardlink', sha256: sha(f.data), size_in_bytes: f.data.length })),
      { _path: 'share/big.bin', path_type: 'hardlink', sha256: sha(big), size_in_bytes: big.length },
      { _path: 'bin/changed', path_type: 'hardlink', sha256: sha('as packed\n'), size_in_bytes: 10 },
      { _path: 'bin/now-a-link', path_type: 'hardlink', sha256: sha('a file\n'), size_in_bytes: 7 },
      { _path: 'bin/gone', path_type: 'hardlink', sha256: sha('x'), size_in_bytes: 1 },
    ];
    const record = JSON.stringify({ name: 'pkg', version: '1', build: '0', paths_data: { paths_version: 1, paths } });
    const members = [
      { name: 'conda-meta/', type: 'dir' as const },
      { name: 'conda-meta/pkg-1-0.json', data: record },
      { name: 'bin/', type: 'dir' as const },
      { name: 'bin/changed', data: 'AS PACKED\n' },
      { name: 'bin/now-a-link', type: 'symlink' as const, linkname: 'changed' },
      { name: 'lib/', type: 'dir' as const },
      ...files,
      { name: 'share/', type: 'dir' as const },
      { name: 'share/big.bin', data: big },
    ];
    const manifest = JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/p', platform: 'linux-64', files: 303, entries: members.length, bytes: 4 << 20, meta: {} });
    const work = await mkdtemp(join(tmpdir(), 'env-setup-system-scan-'));
    try {
      const archive = join(work, 'a.tar.zst');
      await writeFile(archive, zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest }, ...members])));
      {
        const root = join(work, 'root');
        await mkdir(root);
        const r = await extractWithSystemTools({ archive, root, scan: true }, tools!);
        const scan = r.scan!.finish();
        assert.deepEqual(
          scan.differences.map((d) => [d.path, d.problem]),
          [
            ['bin/changed', 'sha256'],
            ['bin/gone', 'missing'],
            ['bin/now-a-link', 'type'],
          ],
        );
        assert.equal(scan.checked, 304);
        assert.ok(scan.bytes >= big.length);
        assert.deepEqual(await readFile(join(root, 'share/big.bin')), big);
        assert.equal(r.manifest.entries, members.length);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('hashes the files tar has finished while it goes on (Linux), and still finds what differs among them', { skip: why || (process.platform !== 'linux' ? 'the background worker is Linux-only' : false) }, async () => {
    const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    // 600 files of 6 KB: about 15 of tar's 256 KiB records, and tar (a stand-in running the real
    // one) pauses 30 ms after each, so that the listing shows files finished while tar goes on
    const files = Array.from({ length: 600 }, (_, i) => ({ name: `lib/f${String(i).padStart(3, '0')}.bin`, data: Buffer.alloc(6000, `file ${i} `) }));
    const paths = files.map((f, i) => ({ _path: f.name, path_type: 'hardlink', sha256: i === 3 ? sha('something else') : sha(f.data), size_in_bytes: i === 7 ? 5999 : f.data.length }));
    const record = JSON.stringify({ name: 'pkg', version: '1', build: '0', paths_data: { paths_version: 1, paths } });
    const members = [{ name: 'conda-meta/', type: 'dir' as const }, { name: 'conda-meta/pkg-1-0.json', data: record }, { name: 'lib/', type: 'dir' as const }, ...files];
    const manifest = JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/p', platform: 'linux-64', files: 601, entries: members.length, bytes: 4 << 20, meta: {} });
    const work = await mkdtemp(join(tmpdir(), 'env-setup-system-background-'));
    try {
      const archive = join(work, 'a.tar.zst');
      await writeFile(archive, zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest }, ...members])));
      const slowTar = join(work, 'tar');
      await writeFile(slowTar, `#!/bin/sh\nexec '${tools!.tar}' "$@" --checkpoint=1 '--checkpoint-action=exec=sleep 0.03'\n`, { mode: 0o755 });
      const root = join(work, 'root');
      await mkdir(root);
      const r = await extractWithSystemTools({ archive, root, scan: true }, { ...tools!, tar: slowTar });
      assert.ok((r.hashedInBackground ?? 0) >= 128, `files hashed while tar ran: ${r.hashedInBackground}`);
      const scan = r.scan!.finish();
      assert.deepEqual(
        scan.differences.map((d) => [d.path, d.problem]),
        [
          ['lib/f003.bin', 'sha256'],
          ['lib/f007.bin', 'size'],
        ],
      );
      assert.equal(scan.checked, 600);
      assert.equal(scan.bytes, 599 * 6000, 'every file read once, but the one larger than its record');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('restores folders writable by their owner, the root with its own mode, and files dated in the future', { skip: why }, async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    const members = [
      { name: './', type: 'dir' as const, mode: 0o777 },
      { name: 'conda-meta/', type: 'dir' as const },
      { name: 'ro/', type: 'dir' as const, mode: 0o555 },
      { name: 'ro/file', data: 'x', mtime: future },
    ];
    const manifest = JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/p', platform: 'linux-64', files: 1, entries: members.length, bytes: 1, meta: {} });
    const work = await mkdtemp(join(tmpdir(), 'env-setup-system-modes-'));
    try {
      const archive = join(work, 'a.tar.zst');
      await writeFile(archive, zstdCompressSync(buildTar([{ name: MANIFEST_MEMBER, data: manifest }, ...members])));
      const root = join(work, 'root');
      await mkdir(root, { mode: 0o750 });
      await extractWithSystemTools({ archive, root, scan: true }, tools!);
      assert.equal((await stat(root)).mode & 0o777, 0o750, 'the root keeps its mode');
      assert.equal((await stat(join(root, 'ro'))).mode & 0o777, 0o755, 'a folder stays writable by its owner');
      assert.equal((await stat(join(root, 'ro/file'))).mtimeMs, future * 1000);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('does not read through a sparse file larger than its record or its manifest says (64 GiB files of 0 bytes on disk)', { skip: why }, async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'env-setup-system-sparse-'));
    const G64 = 64 * 2 ** 30;
    /** An archive of conda-meta/x-1-0.json listing `files` (64 GiB each, sparse), with a manifest declaring `bytes`. */
    const archiveOf = async (name: string, files: { path: string; size?: number }[], bytes: (record: number) => number): Promise<string | undefined> => {
      const src = join(work, `${name}-src`);
      await mkdir(join(src, 'conda-meta'), { recursive: true });
      await mkdir(join(src, 'bin'));
      const paths = files.map((f) => (f.size !== undefined ? { _path: f.path, path_type: 'hardlink', sha256: '0'.repeat(64), size_in_bytes: f.size } : { _path: f.path, path_type: 'hardlink', sha256: '0'.repeat(64), prefix_placeholder: '/opt/x', file_mode: 'text' }));
      const record = JSON.stringify({ name: 'x', version: '1', build: '0', paths_data: { paths_version: 1, paths } });
      await writeFile(join(src, 'conda-meta', 'x-1-0.json'), record);
      await writeFile(join(src, '.env-setup-environment.json'), JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/p', platform: 'linux-64', files: files.length + 1, entries: files.length + 3, bytes: bytes(record.length), meta: {} }));
      for (const f of files) execFileSync('truncate', ['-s', String(G64), join(src, f.path)]);
      const tarFile = join(work, `${name}.tar`);
      try {
        execFileSync(tools!.tar, ['-c', '-S', '--no-recursion', '--format=pax', '-f', tarFile, '-C', src, '.env-setup-environment.json', 'conda-meta', 'conda-meta/x-1-0.json', 'bin', ...files.map((f) => f.path)], { stdio: 'ignore' });
      } catch {
        return undefined;
      }
      await rm(src, { recursive: true });
      const archive = join(work, `${name}.tar.zst`);
      execFileSync(tools!.zstd, ['-q', '--rm', tarFile, '-o', archive]);
      return archive;
    };
    const restore = async (archive: string) => {
      const root = join(work, `root-${Math.random().toString(36).slice(2)}`);
      await mkdir(root);
      return extractWithSystemTools({ archive, root, scan: true }, tools!);
    };
    try {
      // the manifest declares 1000 bytes: tar is stopped as it names the first big file
      const declared = await archiveOf('declared', [{ path: 'bin/big', size: 10 }, { path: 'bin/big-unsized' }], () => 1000);
      if (declared === undefined) {
        t.skip('this tar cannot write sparse files here');
        return;
      }
      let t0 = performance.now();
      await assert.rejects(restore(declared), (e: EnvTarballError) => e.kind === 'corrupt' && /bin\/big takes the content past the 1000 bytes its manifest declares/.test(e.message));
      assert.ok(performance.now() - t0 < 20_000, 'not written through');
      // the manifest allows it, the record says 10 bytes: its size tells, it is not read
      const recorded = (await archiveOf('recorded', [{ path: 'bin/big', size: 10 }], (record) => G64 + record))!;
      t0 = performance.now();
      const scan = (await restore(recorded)).scan!.finish();
      assert.deepEqual(
        scan.differences.map((d) => [d.path, d.problem]),
        [['bin/big', 'size']],
      );
      assert.ok(performance.now() - t0 < 20_000, 'not read through');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
