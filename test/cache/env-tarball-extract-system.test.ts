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
import { extractWithSystemTools, unescapeName } from '../../core/cache/env-tarball-extract-system.ts';
import { MANIFEST_MEMBER } from '../../core/cache/env-tarball-format.ts';
import { extractorChoice, systemExtractor } from '../../core/cache/env-tarball-system-tools.ts';
import { buildTar } from '../support/package-builder.ts';

const tools = await systemExtractor({ ...process.env, ENV_SETUP_EXTRACTOR: 'system' });
const why = tools === undefined ? 'this machine has no zstd and GNU tar: the in-process extractor is used (and tested) alone' : false;

describe('the system extractor', () => {
  it('reads back the names GNU tar lists (--quoting-style=escape, C locale)', () => {
    assert.equal(unescapeName('bin/python3.12'), 'bin/python3.12');
    assert.equal(unescapeName('caf\\303\\251/x'), 'café/x');
    assert.equal(unescapeName('back\\\\slash'), 'back\\slash');
    assert.equal(unescapeName('new\\nline\\ttab'), 'new\nline\ttab');
    assert.equal(unescapeName('odd\\q'), undefined);
    assert.equal(unescapeName('ends\\'), undefined);
    // the listing arrives as latin1 (a byte per character): raw UTF-8 reads back too
    assert.equal(unescapeName(Buffer.from('naïve', 'utf8').toString('latin1')), 'naïve');
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

  it('does not read through a sparse file larger than its record says (a 64 GiB file of 0 bytes on disk)', { skip: why }, async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'env-setup-system-sparse-'));
    try {
      const src = join(work, 'src');
      await mkdir(join(src, 'conda-meta'), { recursive: true });
      await mkdir(join(src, 'bin'));
      const paths = [
        { _path: 'bin/big', path_type: 'hardlink', sha256: '0'.repeat(64), size_in_bytes: 10 },
        { _path: 'bin/big-unsized', path_type: 'hardlink', sha256: '0'.repeat(64), prefix_placeholder: '/opt/x', file_mode: 'text' },
      ];
      await writeFile(join(src, 'conda-meta', 'x-1-0.json'), JSON.stringify({ name: 'x', version: '1', build: '0', paths_data: { paths_version: 1, paths } }));
      await writeFile(join(src, '.env-setup-environment.json'), JSON.stringify({ format: 'env-setup-environment', version: 1, prefix: '/p', platform: 'linux-64', files: 3, entries: 5, bytes: 1000, meta: {} }));
      for (const f of ['big', 'big-unsized']) execFileSync('truncate', ['-s', '64G', join(src, 'bin', f)]);
      const tarFile = join(work, 'a.tar');
      try {
        execFileSync(tools!.tar, ['-c', '-S', '--no-recursion', '--format=pax', '-f', tarFile, '-C', src, '.env-setup-environment.json', 'conda-meta', 'conda-meta/x-1-0.json', 'bin', 'bin/big', 'bin/big-unsized'], { stdio: 'ignore' });
      } catch {
        t.skip('this tar cannot write sparse files here');
        return;
      }
      await rm(src, { recursive: true });
      const archive = join(work, 'a.tar.zst');
      execFileSync(tools!.zstd, ['-q', '--rm', tarFile, '-o', archive]);
      const root = join(work, 'root');
      await mkdir(root);
      const t0 = performance.now();
      const r = await extractWithSystemTools({ archive, root, scan: true }, tools!);
      const scan = r.scan!.finish();
      assert.deepEqual(
        scan.differences.map((d) => [d.path, d.problem]),
        [
          ['bin/big', 'size'],
          ['bin/big-unsized', 'sha256'],
        ],
      );
      assert.ok(performance.now() - t0 < 20_000, 'not read through');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
