// `env-setup cache list|clean`: entries with kind, size and age; clean all or --older-than; JSON;
// bad usage exits 2. One run through the real command line, the rest in process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCache } from '../../cli/cache.ts';
import { UsageError } from '../../cli/result.ts';
import { specFileKey, tarballKey } from '../../core/cache/cache-keys.ts';
import { LocalStore } from '../../core/cache/local-store.ts';
import { putData } from '../../core/cache/store.ts';

const bin = fileURLToPath(new URL('../../bin/env-setup.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'env-setup-cache-cli-'));
after(() => rmSync(home, { recursive: true, force: true }));

const SPEC = specFileKey('1'.repeat(64), 'linux-64');
const TAR = tarballKey({ specFileHash: '2'.repeat(64), platform: 'linux-64', prefix: '/tmp/env', formatVersion: 1 });

async function fill(cacheDir: string): Promise<LocalStore> {
  const store = new LocalStore({ cacheDir });
  await putData(store, SPEC, 'spec');
  await putData(store, TAR, new Uint8Array(3000));
  const old = new Date(Date.now() - 10 * 86_400_000);
  utimesSync(join(store.dir, TAR), old, old);
  return store;
}

test('list shows kind, size and age; clean --older-than removes only old entries; clean removes all', async () => {
  const cacheDir = join(home, 'a');
  const store = await fill(cacheDir);
  const list = await runCache(['list', '--cache-dir', cacheDir]);
  assert.equal(list.exitCode, 0);
  const lines = list.text.split('\n');
  assert.match(lines[0]!, new RegExp(`^environment +2\\.9 KiB +10d old  ${TAR}$`));
  assert.match(lines[1]!, new RegExp(`^spec file +4 B +\\d+s old  ${SPEC}$`));
  assert.equal(lines[2], `2 entries, 2.9 KiB in ${store.dir}`);
  const json = list.json as { entries: { key: string; kind: string; size: number; created: string }[]; size: number };
  assert.deepEqual(json.entries.map((e) => [e.key, e.kind, e.size]), [[TAR, 'tarball', 3000], [SPEC, 'spec', 4]]);
  assert.equal(json.size, 3004);

  const clean = await runCache(['clean', '--older-than', '7d', '--cache-dir', cacheDir]);
  assert.equal(clean.exitCode, 0);
  assert.equal(clean.text, `removed 1 entry (2.9 KiB) older than 7d; 1 kept in ${store.dir}`);
  assert.deepEqual((await store.list()).map((e) => e.key), [SPEC]);
  const all = await runCache(['clean', '--cache-dir', cacheDir]);
  assert.deepEqual((all.json as { removed: { key: string }[] }).removed.map((e) => e.key), [SPEC]);
  assert.deepEqual(await store.list(), []);
});

test('the command line: ENV_SETUP_CACHE_DIR, --json, and exit 2 for bad usage', async () => {
  const cacheDir = join(home, 'b');
  await fill(cacheDir);
  writeFileSync(join(cacheDir, 'env-cache', '.tmp-leftover'), 'x');
  const env = { ...process.env, ENV_SETUP_CACHE_DIR: cacheDir };
  const list = spawnSync(process.execPath, [bin, 'cache', 'list', '--json'], { env, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.equal(JSON.parse(list.stdout).entries.length, 2);
  const clean = spawnSync(process.execPath, [bin, 'cache', 'clean', '--older-than', '1d'], { env, encoding: 'utf8' });
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /^removed 1 entry \(2\.9 KiB\) older than 1d; 1 kept in /);
  assert.ok(existsSync(join(cacheDir, 'env-cache', '.tmp-leftover')), 'a fresh temporary (a write in progress) is left alone');
  const bad = spawnSync(process.execPath, [bin, 'cache', 'clean', '--older-than', '7'], { env, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--older-than: invalid duration '7': a number needs a unit/);
  const none = spawnSync(process.execPath, [bin, 'cache'], { env, encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /'cache' needs an action/);
});

test('usage errors in process', async () => {
  await assert.rejects(runCache(['purge']), (e: unknown) => e instanceof UsageError && /not 'purge'/.test(e.message));
  await assert.rejects(runCache(['list', '--older-than', '1d']), (e: unknown) => e instanceof UsageError && /unknown option '--older-than' for 'cache list'/.test(e.message));
  const empty = await runCache(['list', '--cache-dir', join(home, 'nothing-here')]);
  assert.match(empty.text, /^0 entries, 0 B in /);
});
