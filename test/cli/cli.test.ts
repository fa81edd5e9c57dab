// End-to-end tests of the env-setup command: real processes, real exit codes and output.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/env-setup.js', import.meta.url));
const pkg = JSON.parse(spawnSync(process.execPath, ['-e', 'process.stdout.write(require("fs").readFileSync(process.argv[1], "utf8"))', fileURLToPath(new URL('../../package.json', import.meta.url))]).stdout.toString());

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--version prints the package version', () => {
  const r = run('--version');
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), pkg.version);
  assert.deepEqual(JSON.parse(run('--version', '--json').out), { version: pkg.version });
});

test('--help lists the commands', () => {
  const r = run('--help');
  assert.equal(r.code, 0);
  assert.match(r.out, /Usage:/);
  assert.match(r.out, /spec <spec>/);
  assert.match(r.out, /check/);
});

test('spec prints conda canonical forms, as JSON too', () => {
  const r = run('spec', 'numpy=1.7=py3*_2', 'conda-forge/linux-64::foo>=1.0');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "numpy==1.7[build=py3*_2]\nconda-forge/linux-64::foo[version='>=1.0']\n");
  const j = JSON.parse(run('spec', 'numpy 1.7*', '--json').out);
  assert.equal(j.specs[0].canonical, 'numpy=1.7');
  assert.equal(j.specs[0].version, '1.7.*');
});

test('spec --record tells whether a record matches (exit 1 when not)', () => {
  assert.equal(run('spec', 'numpy>=1.26', '--record', '{"name":"numpy","version":"1.26.4"}').code, 0);
  const r = run('spec', 'numpy<1.26', '--record', '{"name":"numpy","version":"1.26.4"}');
  assert.equal(r.code, 1);
  assert.match(r.out, /does not match/);
});

test('bad input exits 2 with a clear message and no stack trace', () => {
  const bad = run('spec', 'numpy>>1');
  assert.equal(bad.code, 2);
  assert.match(bad.out, /invalid match spec 'numpy>>1'/);
  assert.doesNotMatch(bad.out + bad.err, /at .*\.ts:\d+/);
  const unknown = run('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command 'frobnicate'/);
  assert.equal(JSON.parse(run('frobnicate', '--json').out).error, "unknown command 'frobnicate'; run 'env-setup --help' for the list");
});

test('check reads an environment file and reports errors at their line and column', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'env-setup-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'environment.yml');
  writeFileSync(good, 'name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy>=1.26\n');
  const ok = run('check', '-f', good, '--json');
  assert.equal(ok.code, 0, ok.out);
  assert.deepEqual(JSON.parse(ok.out).dependencies, ['python=3.12', "numpy[version='>=1.26']"]);

  const badFile = join(dir, 'bad.yml');
  writeFileSync(badFile, 'channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy>>1\n');
  const bad = run('check', '-f', badFile, '--json');
  assert.equal(bad.code, 2);
  const j = JSON.parse(bad.out);
  assert.equal(j.line, 5);
  assert.equal(j.column, 5);
  assert.match(j.error, /bad\.yml:5:5: .*numpy>>1/);

  const missing = run('check', '-f', join(dir, 'nope.yml'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});

test('no command loads undici before it goes to the network (loading it costs every start ~60 ms)', () => {
  // every command module, as the CLI imports them; then whether any undici module was loaded
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    for (const c of ['cache', 'check', 'create', 'install', 'list', 'lock', 'lsp', 'remove', 'run', 'solve', 'spec']) await import(new URL('../../cli/' + c + '.ts', ${JSON.stringify(import.meta.url)}).href);
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(k))));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
  // and the probe does see undici once something imports it
  const control = spawnSync(process.execPath, ['--input-type=module', '-e', script.replace("for (const c", "await import('undici'); for (const c")], { encoding: 'utf8' });
  assert.notDeepEqual(JSON.parse(control.stdout), []);
});
