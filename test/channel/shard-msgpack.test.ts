// The small msgpack reader for shards: it reads what @msgpack/msgpack writes exactly as
// @msgpack/msgpack's Decoder does, and leaves what it does not handle (extension types, trailing
// bytes, truncated documents) to the generic decoder by throwing UnreadShard; whole shards are read
// into [file name, record] pairs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decoder, encode } from '@msgpack/msgpack';
import { readMsgpack, readShardSections, UnreadShard } from '../../core/channel/shard-msgpack.ts';

test('reads every kind of value a shard holds as the generic decoder does', () => {
  const doc = {
    packages: {
      'a-1.0-0.tar.bz2': {
        name: 'a',
        version: '1.0',
        build_number: 0,
        depends: ['python >=3.8', 'numpy'],
        size: 123456789,
        big: 2 ** 40,
        negative: [-1, -31, -33, -200, -40000, -3_000_000_000],
        float: 1.5,
        flags: [true, false, null],
        sha256: Buffer.alloc(32, 7),
        long: 'x'.repeat(40) + 'é'.repeat(200) + '∑'.repeat(30000),
        wide: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i * 1000])),
        many: Array.from({ length: 70000 }, (_, i) => i % 300),
      },
    },
    'packages.conda': {},
    removed: ['a-0.9-0.tar.bz2'],
  };
  const bytes = Buffer.from(encode(doc));
  assert.deepEqual(readMsgpack(bytes), new Decoder().decode(bytes));
});

test('what it does not handle is an UnreadShard, for the generic decoder', () => {
  const withExt = Buffer.from(encode({ when: new Date(0) }));
  assert.throws(() => readMsgpack(withExt), UnreadShard);
  const good = Buffer.from(encode({ a: [1, 2, 3] }));
  assert.throws(() => readMsgpack(Buffer.concat([good, Buffer.from([0xc0])])), UnreadShard, 'trailing bytes');
  assert.throws(() => readMsgpack(good.subarray(0, good.length - 1)), UnreadShard, 'truncated');
  assert.throws(() => readMsgpack(Buffer.from([0x81, 0x90, 0x01])), UnreadShard, 'an array as a key');
  const proto = readMsgpack(Buffer.from(encode({ ['__proto__']: { polluted: true } }))) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
});

test('shard sections are read as [file name, record] pairs; other shapes are left to the generic decoder', () => {
  const rec = { name: 'a', version: '1', build: '0', sha256: Buffer.alloc(32, 1) };
  const shard = Buffer.from(encode({ info: { x: 1 }, packages: { 'a-1-0.tar.bz2': rec }, 'packages.conda': { 'a-1-0.conda': rec, 'a-2-0.conda': { ...rec, version: '2' } }, removed: ['a-0-0.conda'] }));
  const read = readShardSections(shard);
  const generic = new Decoder().decode(shard) as Record<string, Record<string, unknown>>;
  assert.deepEqual(read.packages, Object.entries(generic.packages!));
  assert.deepEqual(read.packagesConda, Object.entries(generic['packages.conda']!));
  assert.deepEqual(read.removed, ['a-0-0.conda']);
  assert.deepEqual(readShardSections(Buffer.from(encode({ packages: null }))), { packages: [], packagesConda: [], removed: undefined });
  // a record that is not a map, a section that is not one, a file name twice (a map keeps the last)
  assert.throws(() => readShardSections(Buffer.from(encode({ packages: { 'a-1-0.conda': 'nope' } }))), UnreadShard);
  assert.throws(() => readShardSections(Buffer.from(encode({ packages: ['a'] }))), UnreadShard);
  const twice = Buffer.concat([Buffer.from([0x81, 0xa8]), Buffer.from('packages'), Buffer.from([0x82]), Buffer.from(encode('a-1-0.conda')), Buffer.from(encode({ v: 1 })), Buffer.from(encode('a-1-0.conda')), Buffer.from(encode({ v: 2 }))]);
  assert.throws(() => readShardSections(twice), UnreadShard);
});
