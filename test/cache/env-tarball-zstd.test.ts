// decompressFile and decompressChunks: the bytes come back whole across many reads, damage is a ZstdStreamError (a failing source a ZstdSourceError), and a
// reader that stops early (or an abort) ends the stream without hanging and closes the file.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { constants, zstdCompressSync } from 'node:zlib';
import { decompressChunks, decompressFile, ZstdSourceError, ZstdStreamError } from '../../core/cache/env-tarball-zstd.ts';

function fixture(t: { after: (fn: () => void) => void }): { dir: string; data: Buffer; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-zstd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // 5 MiB, half random (so the compressed file spans several 1 MiB reads) and half repeated
  const data = Buffer.concat([randomBytes(5 << 19), Buffer.alloc(5 << 19, 'conda ')]);
  const file = join(dir, 'a.tar.zst');
  writeFileSync(file, zstdCompressSync(data));
  return { dir, data, file };
}

test('decompressFile gives back every byte, in order, across several reads', async (t) => {
  const { data, file } = fixture(t);
  const chunks: Buffer[] = [];
  for await (const chunk of decompressFile(file)) chunks.push(Buffer.from(chunk));
  assert.ok(Buffer.concat(chunks).equals(data));
});

test('decompressFile: a truncated or damaged file is a ZstdStreamError', async (t) => {
  const { dir, file } = fixture(t);
  // with the frame checksum, as packing writes it: damage inside stored (incompressible) blocks shows only there
  const whole = zstdCompressSync(randomBytes(3 << 20), { params: { [constants.ZSTD_c_checksumFlag]: 1 } });
  const truncated = join(dir, 'truncated.zst');
  writeFileSync(truncated, whole.subarray(0, whole.length - 1000));
  const damaged = join(dir, 'damaged.zst');
  const bad = Buffer.from(whole);
  for (let i = 2000; i < 2100; i++) bad[i] = bad[i]! ^ 0xff;
  writeFileSync(damaged, bad);
  for (const path of [truncated, damaged]) {
    await assert.rejects(async () => {
      for await (const _ of decompressFile(path)) void _;
    }, ZstdStreamError);
  }
  void file;
});

test('decompressFile: a reader that stops after one chunk, or an abort, ends without hanging', async (t) => {
  const { file } = fixture(t);
  for await (const chunk of decompressFile(file)) {
    assert.ok(chunk.length > 0);
    break;
  }
  const controller = new AbortController();
  await assert.rejects(async () => {
    let n = 0;
    for await (const _ of decompressFile(file, controller.signal)) if (++n === 1) controller.abort();
  }, { name: 'AbortError' });
});

test('decompressChunks: the bytes of chunks as they arrive, and a failing source is a ZstdSourceError', async () => {
  const data = Buffer.concat([randomBytes(3 << 19), Buffer.alloc(3 << 19, 'conda ')]);
  const compressed = zstdCompressSync(data);
  async function* pieces(upTo = compressed.length, fail = false): AsyncGenerator<Buffer> {
    for (let at = 0; at < upTo; at += 100_000) yield compressed.subarray(at, Math.min(upTo, at + 100_000));
    if (fail) throw new Error('connection reset');
  }
  const out: Buffer[] = [];
  for await (const chunk of decompressChunks(pieces())) out.push(Buffer.from(chunk));
  assert.ok(Buffer.concat(out).equals(data));
  await assert.rejects(async () => {
    for await (const _ of decompressChunks(pieces(compressed.length >> 1, true))) void _;
  }, (e: unknown) => e instanceof ZstdSourceError && /connection reset/.test(e.message));
  await assert.rejects(async () => {
    for await (const _ of decompressChunks(pieces(compressed.length >> 1))) void _;
  }, ZstdStreamError, 'data that stops short is damage');
});
