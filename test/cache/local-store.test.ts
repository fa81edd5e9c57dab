// The folder store: put/get/list/delete with creation times and sizes, atomic replacement, moves,
// invalid keys refused, leftovers of interrupted writes ignored and cleaned, the default folder.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LocalStore, localStoreDir } from '../../core/cache/local-store.ts';
import { getData, putData } from '../../core/cache/store.ts';
import { SpecError } from '../../core/spec/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'env-setup-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('put, get, list and delete, with creation time and size', async () => {
  const store = new LocalStore({ dir: join(root, 'a') });
  assert.deepEqual(await store.list(), []);
  assert.equal(await store.get('env-setup-spec-x'), undefined);
  const before = Date.now();
  const src = join(root, 'src.txt');
  writeFileSync(src, 'hello');
  utimesSync(src, new Date(0), new Date(0));
  const entry = await store.put('env-setup-spec-x', src);
  assert.equal(entry.size, 5);
  assert.ok(entry.created >= before - 1000 && entry.created <= Date.now() + 1000, 'created is the time of put, not the source file mtime');
  assert.ok(existsSync(src), 'copied by default');
  const got = await store.get('env-setup-spec-x');
  assert.equal(readFileSync(got!.path, 'utf8'), 'hello');
  assert.deepEqual(got!.entry, entry);
  await putData(store, 'env-setup-env-y', new Uint8Array([1, 2, 3]));
  assert.deepEqual((await store.list()).map((e) => e.key).sort(), ['env-setup-env-y', 'env-setup-spec-x']);
  assert.deepEqual((await store.list('env-setup-env-')).map((e) => e.key), ['env-setup-env-y']);
  assert.deepEqual([...(await getData(store, 'env-setup-env-y'))!.data], [1, 2, 3]);
  assert.equal(await store.delete('env-setup-env-y'), true);
  assert.equal(await store.delete('env-setup-env-y'), false);
  assert.equal(await store.get('env-setup-env-y'), undefined);
});

test('put replaces atomically, moves when asked, and leaves no temporaries', async () => {
  const dir = join(root, 'b');
  const store = new LocalStore({ dir });
  await putData(store, 'k1', 'old');
  const src = join(root, 'move-me');
  writeFileSync(src, 'new content');
  await store.put('k1', src, { move: true });
  assert.equal(existsSync(src), false, 'moved');
  assert.equal(readFileSync((await store.get('k1'))!.path, 'utf8'), 'new content');
  assert.deepEqual(readdirSync(dir), ['k1']);
  await assert.rejects(store.put('k2', join(root, 'does-not-exist')), /ENOENT/);
  assert.deepEqual(readdirSync(dir), ['k1'], 'a failed put leaves nothing behind');
});

test('keys that are not plain names are refused', async () => {
  const store = new LocalStore({ dir: join(root, 'c') });
  for (const bad of ['../escape', 'a/b', '', '.hidden', 'a b', 'x'.repeat(251), 'a..b']) {
    await assert.rejects(store.get(bad), (e: unknown) => e instanceof SpecError && /invalid cache key/.test(e.message), bad);
    await assert.rejects(putData(store, bad, 'x'), SpecError, bad);
  }
});

test('files that are not entries are not listed; stale temporaries are removed', async () => {
  const dir = join(root, 'd');
  const store = new LocalStore({ dir });
  await putData(store, 'real', 'x');
  writeFileSync(join(dir, '.tmp-abandoned'), 'partial');
  writeFileSync(join(dir, '.tmp-fresh'), 'partial');
  utimesSync(join(dir, '.tmp-abandoned'), new Date(Date.now() - 7200_000), new Date(Date.now() - 7200_000));
  assert.deepEqual((await store.list()).map((e) => e.key), ['real']);
  assert.equal(await store.removeStaleTemporaries(3600_000), 1);
  assert.deepEqual(readdirSync(dir).sort(), ['.tmp-fresh', 'real']);
});

test('the default folder is <cache dir>/env-cache, following ENV_SETUP_CACHE_DIR and --cache-dir', () => {
  assert.equal(localStoreDir({ env: { ENV_SETUP_CACHE_DIR: '/x/cache' } }), join('/x/cache', 'env-cache'));
  assert.equal(localStoreDir({ env: { XDG_CACHE_HOME: '/xdg' } }), join('/xdg', 'env-setup', 'env-cache'));
  assert.equal(localStoreDir({ cacheDir: '/given', env: { ENV_SETUP_CACHE_DIR: '/x' } }), join('/given', 'env-cache'));
});
