// `env-setup solve` end to end: a real process against our channel server on 127.0.0.1 serving the
// rattler test channels and conda's test index (turned into repodata), with exit codes and JSON.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { runCli } from '../support/run-cli.ts';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url);
const skip = existsSync(fixtures) ? false : '../shared/fixtures is absent';

const run = runCli;

const temps: string[] = [];
/** A fresh temporary folder, removed when the tests end. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
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
    const home = tempDir('env-setup-solve-');
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), CONDARC: '', CONDA_CHANNELS: '' };
  });
  after(async () => {
    await server.close();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

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
    const dir = tempDir('env-setup-solve-file-');
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

  test('unsatisfiable environment file: the explanation names the lines the conflicting specs are on', async () => {
    const dir = tempDir('env-setup-solve-file-');
    const file = join(dir, 'environment.yml');
    writeFileSync(file, `channels:\n  - ${server.url}/dummy\n  - nodefaults\ndependencies:\n  - baz\n  - foobar\n  - bors >=2   # too new for foobar\n`);
    const text = await run(['solve', '-f', file, '--platform', 'linux-64'], env);
    assert.equal(text.code, 1);
    assert.match(text.err, new RegExp(`In ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\n  line 6: foobar\n  line 7: bors >=2\n?$`));
    const j = await run(['solve', '-f', file, '--platform', 'linux-64', '--json'], env);
    assert.equal(j.code, 1);
    const sources = JSON.parse(j.out).error.sources as { spec: string; text: string; file: string; range: { start: { line: number; column: number } } }[];
    assert.deepEqual(sources.map((s) => [s.spec, s.text, s.file, s.range.start.line, s.range.start.column]), [
      ['foobar', 'foobar', file, 6, 5],
      ["bors[version='>=2']", 'bors >=2', file, 7, 5],
    ]);
  });

  test('progress: off a terminal, a line per subdir on stderr (none with --json)', async () => {
    const r = await run(['solve', 'foobar', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^repodata .*\/dummy\/linux-64: (downloaded|from the cache)/m);
    const j = await run(['solve', 'foobar', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(j.err, '');
  });

  test('bad input exits 2: a bad spec, an unknown channel', async () => {
    const bad = await run(['solve', 'numpy>>1', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /invalid match spec 'numpy>>1'/);
    const missing = await run(['solve', 'numpy', '-c', `${server.url}/no-such-channel`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(missing.code, 2, missing.out);
    assert.equal(JSON.parse(missing.out).error.kind, 'not-found');
  });

  /** A prefix whose conda-meta holds these conda-test records (as conda writes PrefixRecords), plus history and extra records. */
  function makePrefix(fns: string[], history: string, extra: Record<string, unknown>[] = []): string {
    const index = JSON.parse(readFileSync(new URL('conda-test-index/index.json', fixtures), 'utf8')) as Record<string, Record<string, unknown>>;
    const prefix = tempDir('env-setup-prefix-');
    mkdirSync(join(prefix, 'conda-meta'));
    const channel = `${server.url}/conda-test`;
    for (const fn of fns) {
      const rec = { ...index[fn]!, fn, subdir: 'linux-64', channel, url: `${channel}/linux-64/${fn}`, files: [], link: { source: '/pkgs/x', type: 1 } };
      writeFileSync(join(prefix, 'conda-meta', fn.replace('.tar.bz2', '.json')), JSON.stringify(rec));
    }
    for (const rec of extra) writeFileSync(join(prefix, 'conda-meta', `${rec.name}-${rec.version}-${rec.build}.json`), JSON.stringify(rec));
    writeFileSync(join(prefix, 'conda-meta', 'history'), history);
    return prefix;
  }

  const py27 = ['openssl-1.0.1c-0', 'readline-6.2-0', 'sqlite-3.7.13-0', 'system-5.8-1', 'tk-8.5.13-0', 'zlib-1.2.7-0'];
  const names = (ps: { name: string; version: string; build: string }[]) => ps.map((p) => `${p.name}-${p.version}-${p.build}`).sort();

  test('--prefix: installs into an existing environment as conda install does, keeping what is installed', async () => {
    const prefix = makePrefix([...py27, 'python-2.7.5-0'].map((x) => `${x}.tar.bz2`), '==> 2024-01-01 00:00:00 <==\n# cmd: conda create -n x python=2\n# update specs: ["python=2"]\n');
    const r = await run(['solve', 'numba', '--prefix', prefix, '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.deepEqual(names(j.unlink), []);
    assert.deepEqual(names(j.link), ['llvm-3.2-0', 'llvmpy-0.11.2-py27_0', 'meta-0.4.2.dev-py27_0', 'numba-0.8.1-np17py27_0', 'numpy-1.7.1-py27_0']);
    assert.ok(names(j.packages).includes('python-2.7.5-0'));
    // dependencies are linked before their dependents
    const linked = j.link.map((p: { name: string }) => p.name);
    assert.ok(linked.indexOf('numpy') < linked.indexOf('numba'));
    const text = await run(['solve', 'numba', '--prefix', prefix, '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^\+ numba +0\.8\.1 +np17py27_0 /m);
    const same = await run(['solve', 'python=2', '--prefix', prefix, '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels'], env);
    assert.match(same.out, /nothing to change/);
  });

  test('--prefix: a requested package changes, the rest stays (also with --freeze-installed)', async () => {
    const prefix = makePrefix([...py27, 'python-2.7.5-0'].map((x) => `${x}.tar.bz2`), '# update specs: ["python"]\n');
    const args = ['solve', 'python=3', '--prefix', prefix, '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels', '--json'];
    const r = await run(args, env);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.deepEqual(names(j.unlink), ['python-2.7.5-0']);
    assert.deepEqual(names(j.link), ['python-3.3.2-0']);
    const frozen = await run([...args, '--freeze-installed'], env);
    assert.equal(frozen.code, 0, frozen.err + frozen.out);
    assert.deepEqual(names(JSON.parse(frozen.out).link), ['python-3.3.2-0']);
  });

  test('--update-all updates everything the history allows; records no channel has stay installed', async () => {
    const pip = { name: 'requests-extra', version: '1.0', build: 'pypi_0', build_number: 0, subdir: 'pypi', channel: 'pypi', depends: [], fn: 'requests-extra-1.0-pypi_0' };
    const prefix = makePrefix([...py27, 'python-2.7.3-7', 'numpy-1.6.2-py27_4'].map((x) => `${x}.tar.bz2`), '# update specs: ["python=2", "numpy"]\n', [pip]);
    const r = await run(['solve', '--update-all', '--prefix', prefix, '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.deepEqual(names(j.unlink), ['numpy-1.6.2-py27_4', 'python-2.7.3-7']);
    assert.deepEqual(names(j.link), ['numpy-1.7.1-py27_0', 'python-2.7.5-0']);
    assert.ok(names(j.packages).includes('requests-extra-1.0-pypi_0'));
  });

  test('--prefix: bad usage exits 2', async () => {
    const noPrefix = await run(['solve', 'numpy', '--update-all', '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(noPrefix.code, 2);
    assert.match(noPrefix.err, /--update-all needs an installed environment/);
    const notEnv = await run(['solve', 'numpy', '--prefix', tempDir('env-setup-empty-'), '-c', `${server.url}/conda-test`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(notEnv.code, 2);
    assert.match(notEnv.err, /not a conda environment/);
  });

  test('an unknown package is explained as missing (exit 1)', async () => {
    const r = await run(['solve', 'nosuchpackage', '-c', `${server.url}/dummy`, '--platform', 'linux-64', '--override-channels'], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /not available from the configured channels:\n {2}- nosuchpackage/);
  });
});
