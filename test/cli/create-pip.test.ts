// `env-setup create` with a `pip:` section, end to end with real pip and no network: a channel on
// 127.0.0.1 serves a `python` package whose post-link script puts a real virtual environment (made
// once with `python3 -m venv --copies`, pip included by ensurepip) into the prefix, and a `pip` package; a
// wheel built here sits in `wheels/` next to environment.yml, installed with `--no-index
// --find-links wheels` (relative, so it proves pip runs in the file's folder). Checked: the wheel
// is importable with the prefix's python; `-r requirements.txt` works; a requirement pip cannot
// find fails the create with pip's output and exit 1; no python is a clear error; an unchanged
// prefix runs pip again; a tarball restore does not (and the package is still there); the tarball
// key follows the pip lines and is unchanged without them, and what pip builds from this machine (a
// local wheel rebuilt, a --find-links folder; one too large turns tarballs off); a dry run lists the lines.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tarballKey } from '../../core/cache/cache-keys.ts';
import { ENV_TARBALL_FORMAT_VERSION } from '../../core/cache/env-tarball-format.ts';
import { hostSubdir } from '../../core/index/virtual-packages.ts';
import { buildConda, buildZip, indexJson } from '../support/package-builder.ts';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { runCli } from '../support/run-cli.ts';

const venvWorks = process.platform !== 'win32' && spawnSync('python3', ['-m', 'venv', '--help'], { stdio: 'ignore' }).status === 0;
const skip = venvWorks ? false : 'python3 -m venv is not available (needed for a real python with pip in the test environments)';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A wheel of the pure-Python package `hello_wheel` 1.0 (a zip: the module, METADATA, WHEEL, RECORD). */
function helloWheel(greeting = 'hello from a wheel'): Buffer {
  const files: [string, string][] = [
    ['hello_wheel/__init__.py', `GREETING = '${greeting}'\n`],
    ['hello_wheel-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: hello-wheel\nVersion: 1.0\n'],
    ['hello_wheel-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\nGenerator: env-setup-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n'],
  ];
  const record = files.map(([name, data]) => `${name},sha256=${createHash('sha256').update(data).digest('base64url')},${Buffer.byteLength(data)}`);
  record.push('hello_wheel-1.0.dist-info/RECORD,,');
  return buildZip([...files, ['hello_wheel-1.0.dist-info/RECORD', `${record.join('\n')}\n`]].map(([name, data]) => ({ name: name!, data: Buffer.from(data!) })));
}

/** A noarch conda package with `files`, and its repodata record. */
function condaPackage(name: string, files: { name: string; data: string; mode?: number }[]): { fn: string; conda: Buffer; record: Record<string, unknown> } {
  const dist = `${name}-1.0-0`;
  const paths = { paths_version: 1, paths: files.map((f) => ({ _path: f.name, path_type: 'hardlink', sha256: sha256(f.data), size_in_bytes: Buffer.byteLength(f.data) })) };
  const conda = buildConda(dist, {
    info: [
      { name: 'info/index.json', data: indexJson(dist) },
      { name: 'info/paths.json', data: JSON.stringify(paths) },
    ],
    pkg: files.map((f) => ({ name: f.name, data: f.data, mode: f.mode ?? 0o644 })),
  });
  const record = { name, version: '1.0', build: '0', build_number: 0, depends: [], subdir: 'noarch', sha256: sha256(conda), md5: createHash('md5').update(conda).digest('hex'), size: conda.length };
  return { fn: `${dist}.conda`, conda, record };
}

interface Run {
  code: number | null;
  out: string;
  err: string;
  json: {
    cache: { path: string; specHash: string; tarball: { status: string; key?: string; saved?: boolean } };
    pip?: { requirements: string[]; ran: boolean; reason?: string; installed?: string[]; output?: string };
    timings: { spans: { name: string }[] };
    error?: { kind: string; message: string };
  };
  spans: string[];
}

describe('env-setup create installs the pip requirements of environment.yml', { skip }, () => {
  let server: ChannelServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let channel: string;
  let n = 0;
  const subdir = hostSubdir()!;

  /** A project folder `name` with environment.yml (the given pip lines and conda dependencies), wheels/ and `extra` files. */
  const project = (name: string, pip: string[], deps = ['python', 'pip'], extra: Record<string, string> = {}): string => {
    const dir = join(home, name);
    mkdirSync(join(dir, 'wheels'), { recursive: true });
    writeFileSync(join(dir, 'wheels', 'hello_wheel-1.0-py3-none-any.whl'), helloWheel());
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
    const pipSection = pip.length === 0 ? '' : `  - pip:\n${pip.map((p) => `    - ${p}\n`).join('')}`;
    writeFileSync(join(dir, 'environment.yml'), `name: ${name}\nchannels:\n  - ${channel}\n  - nodefaults\ndependencies:\n${deps.map((d) => `  - ${d}\n`).join('')}${pipSection}`);
    return dir;
  };
  const prefixNamed = (name: string) => join(home, 'envs', `${name}-${n++}`);
  /** `env-setup create -f <name>/environment.yml` run from `home` (the file's folder is not the working directory). */
  const create = async (name: string, prefix: string, ...more: string[]): Promise<Run> => {
    const { code, out, err } = await runCli(['create', '-f', join(name, 'environment.yml'), '-p', prefix, ...more], env, home);
    let json = undefined as unknown as Run['json'];
    try {
      json = JSON.parse(out);
    } catch {
      // not JSON: the assertions on code and err say why
    }
    return { code, out, err, json, spans: json?.timings?.spans.map((s) => s.name) ?? [] };
  };
  const python = (prefix: string, code: string) => spawnSync(join(prefix, 'bin', 'python'), ['-c', code], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('condaenv.'));

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'env-setup-create-pip-'));
    // one real virtual environment with pip; the python package's post-link copies it into the prefix
    const template = join(home, 'venv-template');
    // --copies: a python binary rather than a link out of the prefix (a conda python is a real file; a tarball refuses such links)
    const made = spawnSync('python3', ['-m', 'venv', '--copies', template], { encoding: 'utf8' });
    assert.equal(made.status, 0, `python3 -m venv failed: ${made.stderr}`);
    const py = condaPackage('python', [{ name: 'bin/.python-post-link.sh', data: `cp -R "${template}/." "$PREFIX/"\n`, mode: 0o755 }]);
    const pipPkg = condaPackage('pip', [{ name: 'share/pip-placeholder/README', data: 'pip comes with the python package of this test\n' }]);
    const repodata = (packages: Record<string, unknown>, dir: string) => JSON.stringify({ info: { subdir: dir }, packages: {}, 'packages.conda': packages });
    server = await startChannelServer({
      files: {
        '/pipdemo/noarch/repodata.json': repodata({ [py.fn]: py.record, [pipPkg.fn]: pipPkg.record }, 'noarch'),
        [`/pipdemo/${subdir}/repodata.json`]: repodata({}, subdir),
        [`/pipdemo/noarch/${py.fn}`]: py.conda,
        [`/pipdemo/noarch/${pipPkg.fn}`]: pipPkg.conda,
      },
    });
    channel = `${server.url}/pipdemo`;
    env = {
      HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      ENV_SETUP_CACHE_DIR: join(home, 'cache'),
      ENV_SETUP_ENVS_DIR: join(home, 'envs'),
      CONDARC: '',
      CONDA_CHANNELS: '',
      CONDA_PKGS_DIRS: '',
      ENV_SETUP_SIMPLE: '',
      // pip: no configuration of this machine, no version check against PyPI, never a prompt
      PIP_CONFIG_FILE: '/dev/null',
      PIP_FIND_LINKS: '',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_NO_INPUT: '1',
    };
  });
  after(async () => {
    await server?.close();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  test('a wheel from wheels/ next to environment.yml is installed and importable; an unchanged prefix runs pip again', async () => {
    const dir = project('wheel', ['--no-index', '--find-links wheels', 'hello-wheel==1.0']);
    const prefix = prefixNamed('wheel');
    const first = await create('wheel', prefix, '--json');
    assert.equal(first.code, 0, first.err + first.out);
    assert.equal(first.json.pip?.ran, true, JSON.stringify(first.json.pip));
    assert.deepEqual(first.json.pip?.installed, ['hello-wheel-1.0']);
    assert.deepEqual(first.json.pip?.requirements, ['--no-index', '--find-links wheels', 'hello-wheel==1.0']);
    assert.ok(first.spans.includes('install.pip'), first.spans.join(', '));
    const imported = python(prefix, 'import hello_wheel; print(hello_wheel.GREETING)');
    assert.equal(imported.stdout, 'hello from a wheel\n', imported.stderr);
    assert.deepEqual(leftovers(dir), [], 'the temporary requirements file is deleted');

    // conda re-runs pip on an environment that already has the conda packages
    const again = await create('wheel', prefix, '--json');
    assert.equal(again.code, 0, again.err + again.out);
    assert.equal(again.json.cache.tarball.status, 'skipped');
    assert.equal(again.json.pip?.ran, true);
    assert.deepEqual(again.json.pip?.installed, []);
    assert.match(again.json.pip?.output ?? '', /Requirement already satisfied: hello-wheel==1\.0/);
    assert.ok(again.spans.includes('install.pip'));
  });

  test('-r requirements.txt next to environment.yml; pip output on stderr, a summary line on stdout', async () => {
    const dir = project('requirements', ['-r requirements.txt'], ['python', 'pip'], { 'requirements.txt': '--no-index\n--find-links wheels\nhello-wheel==1.0\n' });
    const prefix = prefixNamed('requirements');
    const r = await create('requirements', prefix);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.err, /pip: .*\/bin\/python -m pip install -U -r condaenv\.[0-9a-f]{8}\.requirements\.txt --exists-action=b\n/);
    assert.match(r.err, /Successfully installed hello-wheel-1\.0/);
    assert.match(r.err, /Looking in links: [^,\n]*\/requirements\/wheels\n/, 'only the wheels folder next to the file');
    assert.match(r.out, /\npip: 1 requirement line\(s\), installed hello-wheel-1\.0\n/);
    assert.equal(python(prefix, 'import hello_wheel').status, 0);
    assert.deepEqual(leftovers(dir), []);
  });

  test('a requirement pip cannot find fails the create with exit 1 and the tail of pip output', async () => {
    const dir = project('missing', ['--no-index', '--find-links wheels', 'not-in-wheels==1.0']);
    const r = await create('missing', prefixNamed('missing'));
    assert.equal(r.code, 1, r.err + r.out);
    assert.match(r.err, /error: pip failed \(exit 1\) installing the pip requirements of missing\/environment\.yml into .*; its output ends:\n/);
    assert.match(r.err, /No matching distribution found for not-in-wheels==1\.0/);
    assert.ok(!r.err.includes('internal error'), r.err);
    assert.deepEqual(leftovers(dir), []);

    const j = await create('missing', prefixNamed('missing'), '--json');
    assert.equal(j.code, 1);
    assert.equal(j.json.error?.kind, 'pip');
  });

  test('pip lines without python in the environment: a clear error naming what to add', async () => {
    project('nopython', ['hello-wheel==1.0'], ['pip']);
    const r = await create('nopython', prefixNamed('nopython'));
    assert.equal(r.code, 1, r.err + r.out);
    assert.match(r.err, /error: nopython\/environment\.yml has 1 pip requirement\(s\), but the environment at .* has no bin\/python to run pip with: add python and pip to the file's dependencies/);
  });

  test('a restored environment tarball holds what pip installed: pip does not run again', async () => {
    project('tarball', ['--no-index', '--find-links wheels', 'hello-wheel==1.0']);
    const prefix = prefixNamed('tarball');
    const first = await create('tarball', prefix, '--json', '--tarballs', 'on');
    assert.equal(first.code, 0, first.err + first.out);
    assert.equal(first.json.pip?.ran, true);
    assert.equal(first.json.cache.tarball.saved, true, JSON.stringify(first.json.cache.tarball));

    rmSync(prefix, { recursive: true, force: true });
    const second = await create('tarball', prefix, '--json', '--tarballs', 'on');
    assert.equal(second.code, 0, second.err + second.out);
    assert.equal(second.json.cache.path, 'tarball', JSON.stringify({ tarball: second.json.cache.tarball, err: second.err, w: (second.json as unknown as { warnings: string[] }).warnings }));
    assert.equal(second.json.cache.tarball.status, 'hit');
    assert.ok(!second.spans.includes('install.pip'), `no install.pip span: ${second.spans.join(', ')}`);
    assert.equal(second.json.pip?.ran, false);
    assert.match(second.json.pip?.reason ?? '', /restored/);
    const imported = python(prefix, 'import hello_wheel; print(hello_wheel.GREETING)');
    assert.equal(imported.stdout, 'hello from a wheel\n', imported.stderr);

    // a tarball with pip packages is not relocated to another prefix: that one installs (and runs pip)
    const elsewhere = prefixNamed('tarball');
    const third = await create('tarball', elsewhere, '--json', '--tarballs', 'on');
    assert.equal(third.code, 0, third.err + third.out);
    assert.equal(third.json.cache.path, 'spec');
    assert.equal(third.json.pip?.ran, true);
    assert.equal(python(elsewhere, 'import hello_wheel').status, 0);
  });

  test('what pip builds from this machine is in the tarball key: a rebuilt local wheel is installed, not restored stale', async () => {
    const dir = project('local', ['--no-index', './dist/hello_wheel-1.0-py3-none-any.whl']);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'hello_wheel-1.0-py3-none-any.whl'), helloWheel('first build'));
    const prefix = prefixNamed('local');
    const first = await create('local', prefix, '--json', '--tarballs', 'on');
    assert.equal(first.code, 0, first.err + first.out);
    assert.equal(first.json.cache.tarball.saved, true, JSON.stringify(first.json.cache.tarball));
    assert.ok(first.spans.includes('cache.pip-sources'), first.spans.join(', '));
    assert.equal(python(prefix, 'import hello_wheel; print(hello_wheel.GREETING)').stdout, 'first build\n');

    // unchanged: the tarball is restored
    rmSync(prefix, { recursive: true, force: true });
    const same = await create('local', prefix, '--json', '--tarballs', 'on');
    assert.equal(same.code, 0, same.err + same.out);
    assert.equal(same.json.cache.tarball.status, 'hit');
    assert.equal(same.json.cache.tarball.key, first.json.cache.tarball.key);

    // the wheel rebuilt with other content, same name and version: another key, pip installs the new build
    writeFileSync(join(dir, 'dist', 'hello_wheel-1.0-py3-none-any.whl'), helloWheel('second build'));
    rmSync(prefix, { recursive: true, force: true });
    const rebuilt = await create('local', prefix, '--json', '--tarballs', 'on');
    assert.equal(rebuilt.code, 0, rebuilt.err + rebuilt.out);
    assert.notEqual(rebuilt.json.cache.tarball.key, first.json.cache.tarball.key);
    assert.equal(rebuilt.json.cache.tarball.status, 'miss');
    assert.equal(rebuilt.json.pip?.ran, true);
    assert.equal(python(prefix, 'import hello_wheel; print(hello_wheel.GREETING)').stdout, 'second build\n');
  });

  test('a --find-links folder is in the tarball key; one too large to read turns tarballs off with a notice', async () => {
    const dir = project('links', ['--no-index', '--find-links wheels', 'hello-wheel==1.0']);
    const prefix = prefixNamed('links');
    const keyNow = async () => {
      const r = await create('links', prefix, '--json', '--dry-run');
      assert.equal(r.code, 0, r.err + r.out);
      return r.json.cache.tarball;
    };
    const plain = await keyNow();
    writeFileSync(join(dir, 'wheels', 'other-2.0-py3-none-any.whl'), 'another wheel');
    const more = await keyNow();
    assert.notEqual(more.key, plain.key);
    rmSync(join(dir, 'wheels', 'other-2.0-py3-none-any.whl'));
    assert.equal((await keyNow()).key, plain.key);

    // past the limit of 50,000 files
    for (let i = 0; i <= 50_000; i++) writeFileSync(join(dir, 'wheels', `f${i}`), '');
    const r = await create('links', prefix, '--json', '--dry-run');
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.json.cache.tarball.status, 'off');
    assert.match((r.json.cache.tarball as { reason?: string }).reason ?? '', /pip installs from wheels\/ \(more than 50,000 files\), too large to read into the key/);
    assert.match((r.json as unknown as { notices: string[] }).notices.join('\n'), /environment tarballs are off for this environment: pip installs from wheels\//);
    rmSync(join(dir, 'wheels'), { recursive: true, force: true });
  });

  test('the caches a run writes inside a local source are not read into the key: --cache-dir and CONDA_PKGS_DIRS there', async () => {
    const dir = project('inside', ['--no-index', '.']);
    const cacheDir = join(dir, 'envcache');
    const pkgsDir = join(dir, 'pkgcache');
    const prefix = prefixNamed('inside');
    const keyNow = async () => {
      const r = await runCli(['create', '-f', join('inside', 'environment.yml'), '-p', prefix, '--cache-dir', cacheDir, '--json', '--dry-run'], { ...env, CONDA_PKGS_DIRS: pkgsDir }, home);
      assert.equal(r.code, 0, r.err + r.out);
      return (JSON.parse(r.out) as Run['json']).cache.tarball.key;
    };
    const first = await keyNow();
    assert.ok(readdirSync(cacheDir).length > 0, 'the run wrote its caches inside the source folder');
    // what a later run adds to those caches (a download, a refreshed index) leaves the key as it is
    mkdirSync(pkgsDir, { recursive: true });
    writeFileSync(join(pkgsDir, 'downloaded-1.0-0.conda'), 'a package');
    writeFileSync(join(cacheDir, 'refreshed.json'), '{}');
    assert.equal(await keyNow(), first);
    // a file of the source itself does change it
    writeFileSync(join(dir, 'module.py'), 'X = 1\n');
    assert.notEqual(await keyNow(), first);
  });

  test('tarball keys: the same conda packages with other pip lines get another key; without pip lines the key is as before', async () => {
    const prefix = prefixNamed('keys');
    const keyOf = async (name: string, pip: string[]) => {
      project(name, pip);
      const r = await create(name, prefix, '--json', '--dry-run');
      assert.equal(r.code, 0, r.err + r.out);
      return r;
    };
    const a = await keyOf('keys-a', ['--no-index', 'hello-wheel==1.0']);
    const b = await keyOf('keys-b', ['--no-index', 'hello-wheel==2.0']);
    const none = await keyOf('keys-none', []);
    assert.equal(a.json.cache.specHash, none.json.cache.specHash, 'the same conda packages');
    assert.ok(a.json.cache.tarball.key && b.json.cache.tarball.key && none.json.cache.tarball.key);
    assert.notEqual(a.json.cache.tarball.key, b.json.cache.tarball.key);
    assert.notEqual(a.json.cache.tarball.key, none.json.cache.tarball.key);
    assert.equal(none.json.cache.tarball.key, tarballKey({ specFileHash: none.json.cache.specHash, platform: subdir, prefix, formatVersion: ENV_TARBALL_FORMAT_VERSION }));
    assert.equal(none.json.pip, undefined);
    // a dry run lists the pip lines and runs nothing
    assert.deepEqual(a.json.pip, { requirements: ['--no-index', 'hello-wheel==1.0'], ran: false, reason: 'dry run' });
    assert.ok(!a.spans.includes('install.pip'));
    assert.ok(!existsSync(prefix));
    // --no-pip: the pip lines are left out, and so the key is the conda packages' alone
    const off = await create('keys-a', prefix, '--json', '--dry-run', '--no-pip');
    assert.equal(off.code, 0, off.err + off.out);
    assert.equal(off.json.pip?.reason, 'pip is turned off');
    assert.equal(off.json.cache.tarball.key, none.json.cache.tarball.key);
    const text = await runCli(['create', '-f', join('keys-a', 'environment.yml'), '-p', prefix, '--dry-run'], env, home);
    assert.match(text.out, /then pip would install \(from keys-a\/environment\.yml's folder\):\n {2}--no-index\n {2}hello-wheel==1\.0/);
  });
});
