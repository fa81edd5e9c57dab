// Spec files in a store: the key strings (spec file and tarball), and lookups that say which path
// runs — miss, hit, expired (TTL 0, a passed TTL), corrupt (unreadable, another key, another
// platform) — plus storing; and which solve errors allow the stale spec file with a warning.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { keyKind, prefixHash, specFileKey, tarballKey } from '../../core/cache/cache-keys.ts';
import { LocalStore } from '../../core/cache/local-store.ts';
import { lookupSpecFile, storeSpecFile } from '../../core/cache/spec-cache.ts';
import { writeSpecFile } from '../../core/cache/spec-file.ts';
import { allowsStaleSpecFallback, staleSpecWarning } from '../../core/cache/stale-fallback.ts';
import { checkCacheKey, putData } from '../../core/cache/store.ts';
import { ChannelError } from '../../core/channel/errors.ts';
import { SpecError } from '../../core/spec/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'env-setup-spec-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const K1 = '1'.repeat(64);
const K2 = '2'.repeat(64);
const H = 'f'.repeat(64);
const solve = (environmentKey: string, platform = 'linux-64') => ({
  environmentKey,
  platform,
  channels: ['conda-forge'],
  virtualPackages: ['__unix=0=0'],
  packages: [{ name: 'zlib', url: 'https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-h0_0.conda', sha256: 'e'.repeat(64) }],
});

test('key strings: documented shape, valid store keys, each part counts', () => {
  const spec = specFileKey(K1, 'linux-64');
  assert.equal(spec, `env-setup-spec-1-linux-64-${K1}`);
  const tar = tarballKey({ specFileHash: H, platform: 'osx-arm64', prefix: '/home/u/env', formatVersion: 1 });
  assert.equal(tar, `env-setup-env-1-osx-arm64-${prefixHash('/home/u/env')}-${H}`);
  assert.match(prefixHash('/home/u/env'), /^[0-9a-f]{16}$/);
  assert.equal(prefixHash('/home/u/env/'), prefixHash('/home/u/./env'), 'the prefix is normalised');
  for (const k of [spec, tar]) assert.doesNotThrow(() => checkCacheKey(k));
  assert.notEqual(tarballKey({ specFileHash: H, platform: 'osx-arm64', prefix: '/home/u/env2', formatVersion: 1 }), tar);
  assert.notEqual(tarballKey({ specFileHash: H, platform: 'osx-arm64', prefix: '/home/u/env', formatVersion: 2 }), tar);
  assert.notEqual(tarballKey({ specFileHash: H, platform: 'osx-64', prefix: '/home/u/env', formatVersion: 1 }), tar);
  assert.deepEqual([keyKind(spec), keyKind(tar), keyKind('other')], ['spec', 'tarball', 'other']);
  assert.throws(() => specFileKey('nothex', 'linux-64'), SpecError);
  assert.throws(() => specFileKey(K1, 'Linux 64'), SpecError);
  assert.throws(() => tarballKey({ specFileHash: H, platform: 'linux-64', prefix: '/p', formatVersion: '1/2' }), SpecError);
});

test('miss, then hit after storing; expired after the TTL or with TTL 0; never expires with never', async () => {
  const store = new LocalStore({ dir: join(dir, 'a') });
  const miss = await lookupSpecFile(store, { environmentKey: K1, platform: 'linux-64', ttl: 3600_000 });
  assert.deepEqual(miss, { status: 'miss', key: specFileKey(K1, 'linux-64') });
  const stored = await storeSpecFile(store, solve(K1));
  assert.equal(stored.key, specFileKey(K1, 'linux-64'));
  const hit = await lookupSpecFile(store, { environmentKey: K1, platform: 'linux-64', ttl: 3600_000 });
  assert.equal(hit.status, 'hit');
  if (hit.status !== 'hit') return;
  assert.equal(hit.text, stored.text);
  assert.equal(hit.spec.hash, stored.hash);
  assert.deepEqual(hit.spec.explicit.packages.map((p) => p.name), ['zlib']);
  assert.equal((await lookupSpecFile(store, { environmentKey: K1, platform: 'linux-64', ttl: 0 })).status, 'expired');
  assert.equal((await lookupSpecFile(store, { environmentKey: K1, platform: 'linux-64', ttl: 3600_000, now: Date.now() + 3600_001 })).status, 'expired');
  assert.equal((await lookupSpecFile(store, { environmentKey: K1, platform: 'linux-64', ttl: Infinity, now: Date.now() + 1e12 })).status, 'hit');
  assert.equal((await lookupSpecFile(store, { environmentKey: K2, platform: 'linux-64', ttl: Infinity })).status, 'miss');
});

test('corrupt: unreadable, no header, or written for another key or platform', async () => {
  const store = new LocalStore({ dir: join(dir, 'b') });
  const at = (key: string) => ({ environmentKey: key, platform: 'linux-64', ttl: Infinity });
  await putData(store, specFileKey(K1, 'linux-64'), 'garbage without a marker\n');
  const bad = await lookupSpecFile(store, at(K1));
  assert.equal(bad.status, 'corrupt');
  assert.match(bad.status === 'corrupt' ? bad.reason : '', /:1:1: 'garbage without a marker' comes before the @EXPLICIT line/);
  await putData(store, specFileKey(K1, 'linux-64'), '@EXPLICIT\nhttps://x.org/c/linux-64/a-1-0.conda\n');
  assert.match(JSON.stringify(await lookupSpecFile(store, at(K1))), /no env-setup header/);
  await putData(store, specFileKey(K1, 'linux-64'), writeSpecFile(solve(K2)));
  assert.match(JSON.stringify(await lookupSpecFile(store, at(K1))), /"corrupt".*environment key 2222/);
  await putData(store, specFileKey(K1, 'linux-64'), writeSpecFile(solve(K1, 'osx-64')));
  assert.match(JSON.stringify(await lookupSpecFile(store, at(K1))), /"corrupt".*platform osx-64/);
  // storing again repairs it
  await storeSpecFile(store, solve(K1));
  assert.equal((await lookupSpecFile(store, at(K1))).status, 'hit');
});

test('the stale spec file is used only when the channel, not the user, is at fault', () => {
  const err = (kind: ConstructorParameters<typeof ChannelError>[0]) => new ChannelError(kind, `${kind} happened`);
  assert.equal(allowsStaleSpecFallback(err('unreachable')), true);
  assert.equal(allowsStaleSpecFallback(err('offline-miss')), true);
  assert.equal(allowsStaleSpecFallback(err('malformed')), true);
  assert.equal(allowsStaleSpecFallback(err('not-found')), false);
  assert.equal(allowsStaleSpecFallback(err('unauthorized')), false);
  assert.equal(allowsStaleSpecFallback(new SpecError('bad spec')), false);
  assert.equal(allowsStaleSpecFallback(new Error('boom')), false);
  const now = Date.now();
  const w = staleSpecWarning(err('unreachable'), now - 30 * 3600_000, now);
  assert.match(w, /^warning: the stored solve \(30\.0 h old\) has expired but solving again failed \(unreachable happened\)/);
  assert.match(staleSpecWarning(err('unreachable'), now - 72 * 3600_000, now), /3\.0 days old/);
});

test('a store file written by hand is listed under its key', async () => {
  const store = new LocalStore({ dir: join(dir, 'c') });
  await storeSpecFile(store, solve(K2));
  writeFileSync(join(dir, 'c', 'README'), 'not an entry but a valid key');
  assert.deepEqual((await store.list('env-setup-spec-')).map((e) => e.key), [specFileKey(K2, 'linux-64')]);
});
