// `env-setup solve` end to end: a real process against our channel server on 127.0.0.1 serving the
// rattler test channels and conda's test index (turned into repodata), with exit codes and JSON.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url);
const skip = existsSync(fixtures) ? false : '../shared/fixtures is absent';
const bin = fileURLToPath(new URL('../../bin/env-setup.js', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('env-setup solve', { skip }, () => {
  let server: ChannelServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    // conda's test index (filename → record) served as a channel named conda-test
    const index = JSON.parse(readFileSync(new URL('conda-test-index/index.json', fixtures), 'utf8'));
    const repodata = JSON.stringify({ info: { subdir: 'linux-64' }, packages: index, repodata_version: 1 });
    server = await startChannelServer({
      root: fileURLToPath(new URL('channels/rattler/', fixtures)),
      files: { '/conda-test/linux-64/repodata.json': repodata, '/conda-test/noarch/repodata.json': JSON.stringify({ info: { subdir: 'noarch' }, packages: {} }) },
    });
    const home = mkdtempSync(join(tmpdir(), 'env-setup-solve-'));
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '' };
  });
  after(() => server.close());

  test('solves over HTTP like conda: numpy from conda test index', async () => {
    const r = await run(['solve', 'numpy', '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    const names = j.packages.map((p: { name: string; version: string; build: string }) => `${p.name}-${p.version}-${p.build}`);
    assert.deepEqual(names.slice().sort(), ['numpy-1.7.1-py33_0', 'openssl-1.0.1c-0', 'python-3.3.2-0', 'readline-6.2-0', 'sqlite-3.7.13-0', 'system-5.8-1', 'tk-8.5.13-0', 'zlib-1.2.7-0']);
    // dependencies come before dependents
    assert.ok(names.indexOf('python-3.3.2-0') < names.indexOf('numpy-1.7.1-py33_0'));
    const numpy = j.packages.find((p: { name: string }) => p.name === 'numpy');
    assert.equal(numpy.url, `${server.url}/conda-test/linux-64/numpy-1.7.1-py33_0.tar.bz2`);
    assert.ok(j.timings.spans.some((s: { name: string }) => s.name === 'solve'));
    assert.ok(j.stats.records > 1000);
  });

  test('an environment file gives channels and specs; __unix comes from the machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-setup-solve-file-'));
    const file = join(dir, 'environment.yml');
    writeFileSync(file, `channels:\n  - ${server.url}/dummy\n  - nodefaults\ndependencies:\n  - foobar\n  - baz\n`);
    const r = await run(['solve', '-f', file, '--platform', 'linux-64', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    const got = JSON.parse(r.out).packages.map((p: { name: string; version: string }) => `${p.name}=${p.version}`).sort();
    assert.deepEqual(got, ['baz=2.0', 'bors=1.2.1', 'foobar=2.1']);
  });

  test('unsatisfiable: exit 1 with the conflicting chains, as text and as JSON', async () => {
    const text = await run(['solve', 'foobar', 'bors>=2', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(text.code, 1);
    assert.match(text.err, /cannot be solved/);
    assert.match(text.err, /Package bors conflicts for:/);
    const j = await run(['solve', 'foobar', 'bors>=2', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(j.code, 1);
    const e = JSON.parse(j.out).error;
    assert.equal(e.kind, 'unsatisfiable');
    assert.deepEqual(e.explanation.conflicts[0].chains, [["bors[version='>=2']"], ['foobar', "bors[version='<2.0']"]]);
  });

  test('bad input exits 2: a bad spec, an unknown channel', async () => {
    const bad = await run(['solve', 'numpy>>1', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /invalid match spec 'numpy>>1'/);
    const missing = await run(['solve', 'numpy', '-c', `${server.url}/no-such-channel`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(missing.code, 2, missing.out);
    assert.equal(JSON.parse(missing.out).error.kind, 'not-found');
  });

  test('an unknown package is explained as missing (exit 1)', async () => {
    const r = await run(['solve', 'nosuchpackage', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /not available from the configured channels:\n {2}- nosuchpackage/);
  });
});
