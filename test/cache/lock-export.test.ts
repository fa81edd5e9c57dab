// Inputs that already are locks (nothing to solve, no TTL): @EXPLICIT files, conda-lock and pixi lock
// files, told apart from files to solve. And the conda-lock v1 export: real conda-lock files read,
// written again by our writer and read back by our lock reader give the same records.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readEnvironmentInput } from '../../core/cache/environment-input.ts';
import { readLockFile } from '../../core/spec/lock-file.ts';
import { writeCondaLock } from '../../core/spec/lock-file-write-conda-lock.ts';

const lockfiles = fileURLToPath(new URL('../../../shared/fixtures/lockfiles/', import.meta.url));
const local = fileURLToPath(new URL('../spec/fixtures/env-files/', import.meta.url));
const skip = existsSync(lockfiles) ? false : '../shared/fixtures is absent';

test('files to solve and files that are locks', { skip }, () => {
  const yml = readEnvironmentInput(readFileSync(join(local, 'environment.yml'), 'utf8'), join(local, 'environment.yml'));
  assert.equal(yml.kind, 'solve');
  if (yml.kind === 'solve') {
    assert.deepEqual(yml.channels, ['conda-forge', 'bioconda']);
    assert.deepEqual(yml.pip, ['requests>=2.31', '-e .']);
    assert.equal(yml.specs.length, yml.entries.length);
  }
  assert.equal(readEnvironmentInput(readFileSync(join(local, 'plain-specs.txt'), 'utf8'), 'plain-specs.txt').kind, 'solve');
  const explicit = readEnvironmentInput(readFileSync(join(local, 'explicit-good.txt'), 'utf8'), 'explicit-good.txt');
  assert.equal(explicit.kind, 'locked');
  assert.equal(explicit.kind === 'locked' && explicit.reason, 'an @EXPLICIT file');
  assert.equal(explicit.kind === 'locked' && explicit.explicit?.packages.length, 5);
  const condaLock = readEnvironmentInput(readFileSync(join(lockfiles, 'conda-lock/v0/numpy-conda-lock.yml'), 'utf8'), 'conda-lock.yml');
  assert.equal(condaLock.kind === 'locked' && condaLock.reason, 'a conda-lock file');
  const pixi = readEnvironmentInput(readFileSync(join(lockfiles, 'conda-lock/v6/options-lock.yml'), 'utf8'), 'pixi.lock');
  assert.equal(pixi.kind === 'locked' && pixi.reason, 'a pixi lock file');
  assert.ok(pixi.kind === 'locked' && pixi.lock !== undefined);
});

test('conda-lock export round-trips real conda-lock files through our reader', { skip }, () => {
  for (const name of ['conda-lock/v0/numpy-conda-lock.yml', 'conda-lock/v0/python-conda-lock.yml']) {
    const original = readLockFile(readFileSync(join(lockfiles, name), 'utf8'), name);
    const env = original.environments[0]!;
    const text = writeCondaLock({
      channels: env.channels,
      platforms: env.packages.map((p) => ({ platform: p.platform, packages: p.conda, contentHash: '0'.repeat(64) })),
      sources: ['environment.yml'],
    });
    const again = readLockFile(text, 'conda-lock.yml');
    assert.equal(again.format, 'conda-lock');
    assert.equal(again.version, 1);
    assert.deepEqual(again.platforms, original.platforms, name);
    assert.deepEqual(again.environments[0]!.channels, env.channels);
    const view = (l: typeof original) =>
      l.environments[0]!.packages.map((p) => ({ platform: p.platform, conda: p.conda.map((c) => ({ name: c.name, version: c.version, build: c.build, url: c.url, md5: c.md5, sha256: c.sha256, depends: [...c.depends].sort(), subdir: c.subdir })) }));
    assert.deepEqual(view(again), view(original), name);
  }
});

test('conda-lock export: credentials removed, dependencies as conda-lock maps them, versions stay strings', () => {
  const text = writeCondaLock({
    channels: ['https://repo.example.com/t/tk-secret/private'],
    platforms: [{ platform: 'linux-64', packages: [{ name: 'a', version: '1.10', url: 'https://repo.example.com/t/tk-secret/private/linux-64/a-1.10-0.conda', md5: '0'.repeat(32), depends: ['python >=3.8', 'python <4', '__glibc >=2.17', 'zlib'] }] }],
  });
  assert.ok(!text.includes('tk-secret'));
  assert.match(text, /version: "1\.10"/);
  assert.match(text, /python: ">=3\.8,<4"/);
  assert.match(text, /zlib: ""/);
  const back = readLockFile(text, 'x.yml').environments[0]!.packages[0]!.conda[0]!;
  assert.equal(back.version, '1.10');
  assert.deepEqual(back.depends.sort(), ['__glibc >=2.17', 'python >=3.8,<4', 'zlib']);
  assert.throws(() => writeCondaLock({ channels: [], platforms: [{ platform: 'linux-64', packages: [{ name: 'b', version: '1', url: undefined, depends: [] }] }] }), /'b' has no URL/);
});
