// `env-setup lock` end to end: real processes against conda's test-recipes channel served on
// 127.0.0.1. Spec files per platform that our explicit reader and `create --file` take; the spec file
// stored in the cache under the environment key; a conda-lock v1 file our lock reader reads back;
// tokens kept out of every file; bad input (an explicit file, a bad -o, a bad platform) exits 2.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSpecFile } from '../../core/cache/spec-file.ts';
import { readLockFile } from '../../core/spec/lock-file.ts';
import { hostSubdir } from '../../core/index/virtual-packages.ts';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { runCli } from '../support/run-cli.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

const run = runCli;

describe('env-setup lock', { skip }, () => {
  let server: ChannelServer;
  let tokenServer: ChannelServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let channel: string;
  const host = hostSubdir() ?? 'linux-64';
  const envFile = (name: string, deps: string[], ch = channel): string => {
    const file = join(home, `${name}.yml`);
    writeFileSync(file, `name: ${name}\nchannels:\n  - ${ch}\n  - nodefaults\ndependencies:\n${deps.map((d) => `  - ${d}\n`).join('')}`);
    return file;
  };

  before(async () => {
    server = await startChannelServer({ root: fixtures });
    tokenServer = await startChannelServer({ root: fixtures, token: 'sekrit-token-123' });
    channel = `${server.url}/conda-test-recipes`;
    home = mkdtempSync(join(tmpdir(), 'env-setup-lock-'));
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), ENV_SETUP_ENVS_DIR: join(home, 'envs'), CONDARC: '', CONDA_CHANNELS: '', CONDA_PKGS_DIRS: '' };
  });
  after(async () => {
    await server.close();
    await tokenServer.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('writes a spec file that round-trips, is cached under its key, and installs with create --file', async () => {
    const file = envFile('one', ['dependent', 'python=3.99']);
    const out = join(home, 'one.lock');
    const r = await run(['lock', '-f', file, '-o', out, '--json'], env, home);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.equal(j.files.length, 1);
    assert.equal(j.files[0].platform, host);
    assert.match(j.files[0].environmentKey, /^[0-9a-f]{64}$/);
    assert.ok(j.timings.spans.some((s: { name: string }) => s.name === 'solve'));
    const text = readFileSync(out, 'utf8');
    const spec = readSpecFile(text, out);
    assert.equal(spec.header?.environmentKey, j.files[0].environmentKey);
    assert.equal(spec.header?.platform, host);
    assert.deepEqual(spec.header?.channels, [`${channel}`]);
    assert.ok(spec.header!.virtualPackages.length > 0);
    assert.equal(spec.hash, j.files[0].specHash);
    assert.deepEqual(spec.explicit.packages.map((p) => p.name), ['dependency', 'dependent', 'python']);
    for (const p of spec.explicit.packages) assert.ok(p.sha256 !== undefined || p.md5 !== undefined, `${p.name} has a hash`);
    // stored in the cache: the same text under the spec key
    const cached = join(home, 'cache', 'env-cache', j.files[0].specKey);
    assert.equal(readFileSync(cached, 'utf8'), text);
    // and installs with our create --file, unchanged
    const prefix = join(home, 'one-env');
    const c = await run(['create', '-f', out, '-p', prefix, '--json'], env, home);
    assert.equal(c.code, 0, c.err + c.out);
    const installed = readdirSync(join(prefix, 'conda-meta')).filter((f) => f.endsWith('.json'));
    assert.equal(installed.length, spec.explicit.packages.length);
  });

  test('several platforms in one call: one file each ({platform} in -o), or one conda-lock.yml', async () => {
    const file = envFile('multi', ['dependent']);
    const r = await run(['lock', '-f', file, '--platform', 'linux-64', '--platform', 'osx-arm64', '-o', join(home, 'multi-{platform}.txt'), '--no-cache'], env, home);
    assert.equal(r.code, 0, r.err + r.out);
    for (const p of ['linux-64', 'osx-arm64']) {
      const spec = readSpecFile(readFileSync(join(home, `multi-${p}.txt`), 'utf8'), p);
      assert.equal(spec.header?.platform, p);
      assert.ok(spec.explicit.packages.some((x) => x.name === 'dependent'));
    }
    assert.equal(existsSync(join(home, 'cache', 'env-cache')) && readdirSync(join(home, 'cache', 'env-cache')).some((n) => n.includes('osx-arm64')), false, '--no-cache stores nothing');
    // without --platform: the file's platforms:, default names in the working folder
    const cwd = mkdtempSync(join(home, 'cwd-'));
    writeFileSync(join(cwd, 'environment.yml'), `channels: [${channel}, nodefaults]\nplatforms: [linux-64, win-64]\ndependencies: [dependent]\n`);
    const d = await run(['lock', '--no-cache'], env, cwd);
    assert.equal(d.code, 0, d.err + d.out);
    assert.deepEqual(readdirSync(cwd).sort(), ['conda-linux-64.lock', 'conda-win-64.lock', 'environment.yml']);
    const lockOut = join(home, 'conda-lock.yml');
    const l = await run(['lock', '-f', file, '--platform', 'linux-64,osx-arm64', '--format', 'conda-lock', '-o', lockOut, '--json'], env, home);
    assert.equal(l.code, 0, l.err + l.out);
    const lock = readLockFile(readFileSync(lockOut, 'utf8'), lockOut);
    assert.equal(lock.format, 'conda-lock');
    assert.equal(lock.version, 1);
    assert.deepEqual(lock.platforms.map((p) => p.name), ['linux-64', 'osx-arm64']);
    const linux = lock.environments[0]!.packages.find((p) => p.platform === 'linux-64')!;
    assert.ok(linux.conda.some((p) => p.name === 'dependent' && p.depends.some((d) => d.startsWith('dependency'))));
    // a conda-lock file is a lock: nothing to solve
    const again = await run(['lock', '-f', lockOut], env, home);
    assert.equal(again.code, 2);
    assert.match(again.err, /already a conda-lock file: there is nothing to solve/);
  });

  test('a channel token never reaches the spec file, the conda-lock file or the output', async () => {
    const tokenChannel = `${tokenServer.url}/t/sekrit-token-123/conda-test-recipes`;
    const file = envFile('tok', ['dependent'], tokenChannel);
    const out = join(home, 'tok.lock');
    const r = await run(['lock', '-f', file, '-o', out, '--json'], env, home);
    assert.equal(r.code, 0, r.err + r.out);
    const text = readFileSync(out, 'utf8');
    assert.ok(!text.includes('sekrit'), text);
    assert.ok(!r.out.includes('sekrit') && !r.err.includes('sekrit'));
    const spec = readSpecFile(text, out);
    assert.ok(spec.explicit.packages.every((p) => p.url.startsWith(`${tokenServer.url}/conda-test-recipes/`)));
    for (const name of readdirSync(join(home, 'cache', 'env-cache'))) assert.ok(!readFileSync(join(home, 'cache', 'env-cache', name), 'utf8').includes('sekrit'));
    const lockOut = join(home, 'tok-lock.yml');
    const l = await run(['lock', '-f', file, '--format', 'conda-lock', '-o', lockOut], env, home);
    assert.equal(l.code, 0, l.err);
    assert.ok(!readFileSync(lockOut, 'utf8').includes('sekrit'));
  });

  test('bad input exits 2 with a clear message; an unsolvable file exits 1 naming its lines', async () => {
    const explicit = join(home, 'explicit.txt');
    writeFileSync(explicit, `@EXPLICIT\n${channel}/noarch/dependency-1.0-0.conda\n`);
    const e = await run(['lock', '-f', explicit], env, home);
    assert.equal(e.code, 2);
    assert.match(e.err, /already an @EXPLICIT file: there is nothing to solve/);
    const file = envFile('bad', ['dependent']);
    const o = await run(['lock', '-f', file, '--platform', 'linux-64', '--platform', 'osx-64', '-o', join(home, 'x.lock')], env, home);
    assert.equal(o.code, 2);
    assert.match(o.err, /put \{platform\} in the name/);
    const p = await run(['lock', '-f', file, '--platform', 'linux-65'], env, home);
    assert.equal(p.code, 2);
    assert.match(p.err, /'linux-65' is not a platform/);
    const missing = await run(['lock', '-f', join(home, 'nope.yml')], env, home);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file/);
    const unsat = envFile('unsat', ['dependent=99']);
    const u = await run(['lock', '-f', unsat, '--json'], env, home);
    assert.equal(u.code, 1, u.out);
    assert.ok(JSON.parse(u.out).error);
  });
});
