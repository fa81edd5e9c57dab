// The test channel server itself: files from a folder and from memory, ETag / Last-Modified and
// 304s, .zst made on the fly, tokens, basic auth, injected failures, no escape from the root.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { zstdDecompressSync } from 'node:zlib';
import { startChannelServer } from './channel-server.ts';

const root = mkdtempSync(join(tmpdir(), 'env-setup-server-'));
mkdirSync(join(root, 'ch/noarch'), { recursive: true });
writeFileSync(join(root, 'ch/noarch/repodata.json'), '{"packages":{}}');
writeFileSync(join(root, 'secret.txt'), 'outside');
after(() => rmSync(root, { recursive: true, force: true }));

test('serves files with validators, 304s, on-the-fly .zst and injected failures', async () => {
  const files: Record<string, string> = { '/mem/linux-64/repodata.json': '{"a":1}' };
  const server = await startChannelServer({ root: join(root, 'ch'), files, zstd: true, cacheControl: 'max-age=5' });
  try {
    const first = await fetch(`${server.url}/noarch/repodata.json`);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), '{"packages":{}}');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    assert.match(etag, /^".+"$/);
    assert.equal(first.headers.get('cache-control'), 'max-age=5');
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`, { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`, { headers: { 'if-modified-since': lastModified } })).status, 304);

    const zst = await fetch(`${server.url}/mem/linux-64/repodata.json.zst`);
    assert.equal(zstdDecompressSync(Buffer.from(await zst.arrayBuffer())).toString(), '{"a":1}');
    files['/mem/linux-64/repodata.json'] = '{"a":2}';
    const changed = await fetch(`${server.url}/mem/linux-64/repodata.json`);
    assert.equal(await changed.text(), '{"a":2}');

    assert.equal((await fetch(`${server.url}/..%2fsecret.txt`)).status, 404);
    assert.equal((await fetch(`${server.url}/noarch`)).status, 404);
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`, { method: 'HEAD' })).status, 200);

    server.failNext('/noarch/repodata.json', 503, 2);
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`)).status, 503);
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`)).status, 503);
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`)).status, 200);
    server.failNext('/noarch/repodata.json', 'reset');
    await assert.rejects(fetch(`${server.url}/noarch/repodata.json`));
    assert.deepEqual(server.requests.slice(-4).map((r) => r.status), [503, 503, 200, 0]);
  } finally {
    await server.close();
  }
});

test('checks tokens and basic auth', async () => {
  const server = await startChannelServer({ root: join(root, 'ch'), token: 'tok', basicAuth: { user: 'u', password: 'p' } });
  try {
    const auth = { authorization: 'Basic ' + Buffer.from('u:p').toString('base64') };
    assert.equal((await fetch(`${server.url}/noarch/repodata.json`, { headers: auth })).status, 401);
    assert.equal((await fetch(`${server.url}/t/tok/noarch/repodata.json`)).status, 401);
    assert.equal((await fetch(`${server.url}/t/tok/noarch/repodata.json`, { headers: auth })).status, 200);
    assert.deepEqual(server.requests.at(-1)!.filePath, '/noarch/repodata.json');
  } finally {
    await server.close();
  }
});

test('serves a channel in sharded form, converted from its repodata.json, with correct hashes', async () => {
  const { decodeShardIndex, decodeShard, hexOf, sha256HexOf } = await import('../../core/channel/shard-format.ts');
  const rec = { name: 'a', version: '1', build: '0', sha256: 'ab'.repeat(32) };
  const files = { '/s/linux-64/repodata.json': JSON.stringify({ packages: {}, 'packages.conda': { 'a-1-0.conda': rec } }) };
  const plain = await startChannelServer({ files });
  const server = await startChannelServer({ files, shards: true });
  try {
    assert.equal((await fetch(`${plain.url}/s/linux-64/repodata_shards.msgpack.zst`)).status, 404, 'off by default');
    const res = await fetch(`${server.url}/s/linux-64/repodata_shards.msgpack.zst`);
    assert.equal(res.status, 200);
    const index = await decodeShardIndex(Buffer.from(await res.arrayBuffer()), 'index');
    const hash = hexOf(index.shards.get('a')!);
    const shardBytes = Buffer.from(await (await fetch(`${server.url}/s/linux-64/${hash}.msgpack.zst`)).arrayBuffer());
    assert.equal(sha256HexOf(shardBytes), hash);
    assert.deepEqual((await decodeShard(shardBytes, 'a', 'shard')).packagesConda, [['a-1-0.conda', rec]]);
    assert.equal((await fetch(`${server.url}/s/linux-64/${'0'.repeat(64)}.msgpack.zst`)).status, 404);
    assert.equal((await fetch(`${server.url}/s/linux-64/repodata_shards.msgpack.zst`, { headers: { 'if-none-match': res.headers.get('etag')! } })).status, 304);
  } finally {
    await plain.close();
    await server.close();
  }
});
