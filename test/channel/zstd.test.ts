// zstd: the content size read from frame headers, and decompression whatever the header claims.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { zstdCompressSync } from 'node:zlib';
import { decompressZstd, zstdChunkSize, zstdContentSize } from '../../core/channel/zstd.ts';

test('the frame content size is read from real frames of every size class', async () => {
  for (const n of [0, 1, 200, 300, 70_000, 5_000_000]) {
    const data = Buffer.alloc(n, 'ab');
    const z = zstdCompressSync(data);
    assert.equal(zstdContentSize(z), n, `${n} bytes`);
    assert.deepEqual(await decompressZstd(z), data);
  }
  assert.equal(zstdContentSize(Buffer.from('not zstd at all')), undefined);
  assert.equal(zstdContentSize(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), undefined, 'too short');
});

test('a header that lies about the size is bounded, and a wrong size is refused by zstd', async () => {
  const data = Buffer.from(JSON.stringify({ packages: Object.fromEntries(Array.from({ length: 2000 }, (_, k) => [`p${k}-1-0.conda`, { name: `p${k}` }])) }));
  const z = Buffer.from(zstdCompressSync(data));
  const descriptor = z[4]!;
  const fcsAt = 5 + ((descriptor >> 5) & 1 ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = [0, 2, 4, 8][descriptor >> 6]!;
  assert.ok(fcsBytes >= 2, 'this frame carries its size in 2+ bytes');
  const huge = Buffer.from(z);
  huge.fill(0xff, fcsAt, fcsAt + fcsBytes);
  assert.ok(zstdContentSize(huge)! > 60_000);
  assert.equal(zstdChunkSize(huge), Math.min(z.length * 64, 1 << 30), 'no more than 64x the compressed size is allocated up front');
  await assert.rejects(decompressZstd(huge));
  const zero = Buffer.from(z);
  zero.fill(0, fcsAt, fcsAt + fcsBytes);
  assert.equal(zstdChunkSize(zero), 64 << 10);
  await assert.rejects(decompressZstd(zero));
  assert.deepEqual(await decompressZstd(z), data);
});
