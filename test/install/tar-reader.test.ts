// The tar reader: its direct decoding of plain headers gives exactly what tar's own Header gives,
// on built archives (prefix names, pax and GNU long names, old-style folders, NUL type flags) and on
// the inner tarballs of every real package in ../shared/fixtures; bodies arrive whole whatever the
// chunking; the end marker stops reading; a cut archive is 'truncated'.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { zstdDecompressSync } from 'node:zlib';
import { Bunzip2 } from '../../core/install/bunzip2-stream.ts';
import { TarFormatError, TarReader } from '../../core/install/tar-reader.ts';
import { buildTar } from '../support/package-builder.ts';

interface Seen {
  path: string;
  type: string;
  mode: number | undefined;
  size: number;
  linkpath: string | undefined;
  body: string;
}

function read(tar: Buffer, options: { tarHeaderOnly?: boolean; chunk?: number } = {}): { entries: Seen[]; eof: boolean } {
  const entries: Seen[] = [];
  const reader = new TarReader(
    (h) => {
      const hash = createHash('sha256');
      const seen: Seen = { path: h.path, type: h.type === 'OldFile' ? 'File' : h.type, mode: h.mode === undefined ? undefined : h.mode & 0o7777, size: h.size, linkpath: h.linkpath, body: '' };
      entries.push(seen);
      return (chunk) => {
        if (chunk) hash.update(chunk);
        else seen.body = hash.digest('hex').slice(0, 16);
      };
    },
    { tarHeaderOnly: options.tarHeaderOnly },
  );
  const step = options.chunk ?? tar.length;
  for (let i = 0; i < tar.length; i += step) reader.write(tar.subarray(i, i + step));
  reader.end();
  return { entries, eof: reader.eof };
}

/** A ustar header whose name is split between the prefix and name fields. */
function prefixed(prefix: string, name: string, data: string): Buffer {
  const tar = buildTar([{ name, data }]);
  tar.write(prefix, 345, 155, 'utf8');
  tar.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i]!;
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return tar;
}

/** Sets the type flag of the first header to `flag` (fixing the checksum). */
function withFlag(tar: Buffer, flag: number): Buffer {
  tar[156] = flag;
  tar.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i]!;
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return tar;
}

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const noFixtures = existsSync(join(FIXTURES, 'packages')) ? false : `package fixtures not found in ${FIXTURES} (../shared is absent)`;

describe('tar reader', () => {
  it('decodes plain headers as tar does, and hands over bodies whatever the chunking', () => {
    const long = `lib/${'d'.repeat(120)}/${'f'.repeat(90)}.py`;
    const tars = [
      buildTar([
        { name: 'a.txt', data: 'hello', mode: 0o644 },
        { name: 'bin/', type: 'dir', mode: 0o755 },
        { name: 'bin/tool', data: 'x'.repeat(1000), mode: 0o4755 },
        { name: 'lib/l', type: 'symlink', linkname: '../a.txt' },
        { name: 'lib/h', type: 'hardlink', linkname: 'a.txt' },
        { name: long, data: 'long name' },
        { name: 'lib/longlink', type: 'symlink', linkname: `${'x'.repeat(150)}` },
        { name: 'dev/null', type: 'chardev' },
        { name: 'ünïcödé/名前.txt', data: 'utf8' },
      ]),
      prefixed('lib/python3.12/site-packages/some_package/with/a/deep/folder', 'module.py', 'print(1)'),
      withFlag(buildTar([{ name: 'old-style-dir/', data: '' }]), 0x30),
      withFlag(buildTar([{ name: 'nul-type.txt', data: 'x' }]), 0),
      buildTar([
        { name: '././@LongLink', type: 'L', data: `${'g'.repeat(200)}/file.txt\0` },
        { name: 'truncated-name', data: 'gnu long name' },
        { name: '././@LongLink', type: 'K', data: `${'t'.repeat(130)}\0` },
        { name: 'gnu-link', type: 'symlink', linkname: 'short' },
      ]),
    ];
    for (const tar of tars) {
      const ours = read(tar);
      assert.deepEqual(ours, read(tar, { tarHeaderOnly: true }));
      assert.deepEqual(read(tar, { chunk: 7 }), ours);
      assert.deepEqual(read(tar, { chunk: 512 }), ours);
      assert.ok(ours.eof);
    }
    assert.equal(read(tars[1]!).entries[0]!.path, 'lib/python3.12/site-packages/some_package/with/a/deep/folder/module.py');
    assert.equal(read(tars[2]!).entries[0]!.type, 'Directory');
    assert.equal(read(tars[4]!).entries[0]!.path, `${'g'.repeat(200)}/file.txt`);
    assert.equal(read(tars[4]!).entries[1]!.linkpath, 't'.repeat(130));
    assert.equal(read(tars[0]!).entries[5]!.path, long);
  });

  it('stops at the end marker and refuses a cut archive', () => {
    const tar = Buffer.concat([buildTar([{ name: 'a', data: 'x' }]), Buffer.from('garbage after the end')]);
    assert.deepEqual(read(tar).entries.map((e) => e.path), ['a']);
    const cut = buildTar([{ name: 'a', data: 'x'.repeat(2000) }]).subarray(0, 1000);
    assert.throws(() => read(cut), (e: unknown) => e instanceof TarFormatError && e.kind === 'truncated' && e.entry === 'a' && /ends 1512 bytes before the end of a/.test(e.message));
    assert.throws(() => read(Buffer.from('x'.repeat(600))), (e: unknown) => e instanceof TarFormatError && e.kind === 'corrupt');
  });

  it('agrees with tar on the inner tarballs of every real package', { skip: noFixtures }, async () => {
    const tars: Buffer[] = [];
    const bz2: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.name.endsWith('.tar.bz2')) bz2.push(p);
        else if (entry.name.endsWith('.conda')) {
          const zip = readFileSync(p);
          // stored parts: each zstd frame starts with its magic number
          for (let at = zip.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])); at !== -1; at = zip.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), at + 4)) {
            try {
              tars.push(zstdDecompressSync(zip.subarray(at)));
            } catch {
              // a magic number inside compressed data, or a deflated part: skip
            }
          }
        }
      }
    };
    walk(FIXTURES);
    for (const file of bz2) {
      const chunks: Buffer[] = [];
      await pipeline(Readable.from([readFileSync(file)]), new Bunzip2(), async (src) => {
        for await (const c of src) chunks.push(c as Buffer);
      });
      tars.push(Buffer.concat(chunks));
    }
    let entries = 0;
    for (const tar of tars) {
      let ours: { entries: Seen[] };
      try {
        ours = read(tar);
      } catch {
        continue; // the end of a zstd frame that was not a tar
      }
      assert.deepEqual(ours, read(tar, { tarHeaderOnly: true }));
      entries += ours.entries.length;
    }
    assert.ok(entries > 1000, `compared ${entries} entries`);
  });
});
