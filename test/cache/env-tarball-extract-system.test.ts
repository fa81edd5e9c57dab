// The system extractor (env-tarball-extract-system.ts): chosen where zstd and GNU tar are found,
// and not when ENV_SETUP_EXTRACTOR=node or the programs are missing; the names tar lists read
// back exactly (escapes, non-ASCII); the restore's span names the extractor. The restores
// themselves — same tree, relocation, scan, hostile archives — are env-tarball.test.ts, which runs
// with this extractor where it is found and again with the in-process one
// (env-tarball-node-extractor.test.ts).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('checks the files conda-meta lists, hashed while tar runs or after it: a changed file, a changed type and a missing file are found', { skip: why }, async () => {
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
      for (const overlap of [true, false]) {
        const root = join(work, `root-${overlap}`);
        await mkdir(root);
        const r = await extractWithSystemTools({ archive, root, scan: true }, tools!, { overlap });
        const scan = r.scan!.finish();
        assert.deepEqual(
          scan.differences.map((d) => [d.path, d.problem]),
          [
            ['bin/changed', 'sha256'],
            ['bin/gone', 'missing'],
            ['bin/now-a-link', 'type'],
          ],
          `overlap ${overlap}`,
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
});
