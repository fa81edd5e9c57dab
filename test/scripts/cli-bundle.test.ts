// The CLI as bundled (`node scripts/build.ts cli`): a small entry and the rest in chunks loaded when
// used (each command, undici, the language server), and the bundle runs: --version, `check`, and a
// `create` that solves, installs and restores the stored environment from a file:// channel.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { buildTargets } from '../../scripts/build.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

test('the CLI bundle is a small entry with its commands in chunks, and it runs', { skip, timeout: 120_000 }, async () => {
  await buildTargets(['cli']);
  const dist = join(root, 'dist', 'cli');
  assert.ok(statSync(join(dist, 'main.mjs')).size < 64 * 1024, 'main.mjs holds the command table, not the commands');
  const chunks = readdirSync(join(dist, 'chunks'));
  for (const command of ['create', 'lsp', 'check']) assert.ok(chunks.some((c) => c.startsWith(`${command}-`)), `${command} in a chunk of its own: ${chunks.join(', ')}`);

  const work = mkdtempSync(join(tmpdir(), 'env-setup-cli-bundle-'));
  try {
    const env = { ...process.env, HOME: work, ENV_SETUP_CACHE_DIR: join(work, 'cache'), CONDA_PKGS_DIRS: join(work, 'pkgs'), CONDARC: '', CONDA_CHANNELS: '', ENV_SETUP_SIMPLE: '', NODE_COMPILE_CACHE: join(work, 'compile-cache') };
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(dist, 'env-setup.mjs'), ...args], { env, encoding: 'utf8', cwd: work });
    const version = cli('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);

    const file = join(work, 'environment.yml');
    writeFileSync(file, `channels:\n  - ${pathToFileURL(join(fixtures, 'conda-test-recipes')).href}\n  - nodefaults\ndependencies:\n  - small-executable\n`);
    const check = cli('check', '-f', file);
    assert.equal(check.status, 0, check.stderr + check.stdout);

    const prefix = join(work, 'env');
    const first = cli('create', '-f', file, '-p', prefix, '--json');
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.equal((JSON.parse(first.stdout) as { cache: { path: string } }).cache.path, 'solve');
    assert.equal(readFileSync(join(prefix, 'bin', 'small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
    rmSync(prefix, { recursive: true });
    const again = cli('create', '-f', file, '-p', prefix, '--json');
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.equal((JSON.parse(again.stdout) as { cache: { path: string } }).cache.path, 'tarball');
    assert.equal(readFileSync(join(prefix, 'bin', 'small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
