// `env-setup create`, `list`, `run`, `install` and `remove` end to end: real processes against conda's
// test-recipes channel served on 127.0.0.1, with exit codes, JSON (timings included), the
// environment's tree and conda-meta, named environments, dry runs, idempotent re-creation, a failing
// post-link (nothing left behind; --no-scripts goes through) and a broken real package.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { runCli } from '../support/run-cli.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

const run = runCli;

describe('env-setup create, list, run, install, remove', { skip }, () => {
  let server: ChannelServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let channel: string;
  const envFile = (name: string, deps: string[], extra = ''): string => {
    const file = join(home, `${name}.yml`);
    writeFileSync(file, `name: ${name}\nchannels:\n  - ${channel}\n  - nodefaults\ndependencies:\n${deps.map((d) => `  - ${d}\n`).join('')}${extra}`);
    return file;
  };

  before(async () => {
    server = await startChannelServer({ root: fixtures });
    channel = `${server.url}/conda-test-recipes`;
    home = mkdtempSync(join(tmpdir(), 'env-setup-create-'));
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), ENV_SETUP_ENVS_DIR: join(home, 'envs'), CONDARC: '', CONDA_CHANNELS: '', CONDA_PKGS_DIRS: '' };
  });
  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('creates an environment from a file: packages, files, variables, history, timings', async () => {
    const file = envFile('demo', ['small-executable', 'post_link-c', 'activate_deactivate_package', 'python=3.99', 'sample_noarch_python'], 'variables:\n  MY_VAR: hello world\n');
    const prefix = join(home, 'demo-env');
    const r = await run(['create', '-f', file, '-p', prefix, '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    const j = JSON.parse(r.out);
    assert.equal(j.prefix, prefix);
    assert.deepEqual(j.packages.map((p: { name: string }) => p.name).sort(), ['activate_deactivate_package', 'post_link-b', 'post_link-c', 'python', 'sample_noarch_python', 'small-executable']);
    assert.equal(j.linked.length, 6);
    assert.deepEqual(j.scripts.map((s: { package: string; exitCode: number }) => [s.package, s.exitCode]), [['post_link-c-1.0-0', 0]]);
    const spans = j.timings.spans.map((s: { name: string }) => s.name);
    for (const name of ['solve', 'install.fetch', 'install.transaction', 'install.link', 'install.records']) assert.ok(spans.includes(name), name);
    assert.equal(r.err, '', 'no progress lines with --json off a terminal');
    assert.equal(readFileSync(join(prefix, 'bin/small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
    assert.ok(existsSync(join(prefix, 'lib/python3.99t/site-packages/sample.py')));
    assert.deepEqual(JSON.parse(readFileSync(join(prefix, 'conda-meta/state'), 'utf8')), { env_vars: { MY_VAR: 'hello world' } });
    const history = readFileSync(join(prefix, 'conda-meta/history'), 'utf8');
    assert.match(history, /# cmd: env-setup create -f .*demo\.yml -p .*demo-env\n/);
    assert.match(history, /# update specs: \['small-executable', 'post_link-c', 'activate_deactivate_package', 'python=3\.99', 'sample_noarch_python'\]\n$/);
    const rec = JSON.parse(readFileSync(join(prefix, 'conda-meta/python-3.99.99-0.json'), 'utf8'));
    assert.equal(rec.requested_spec, 'python=3.99');
    assert.equal(JSON.parse(readFileSync(join(prefix, 'conda-meta/post_link-b-1.0-0.json'), 'utf8')).requested_spec, 'None');

    // again: nothing changes
    const again = await run(['create', '-f', file, '-p', prefix, '--json'], env);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual([JSON.parse(again.out).linked, JSON.parse(again.out).unlinked], [[], []]);
    assert.equal(readFileSync(join(prefix, 'conda-meta/history'), 'utf8').match(/^==> /gm)!.length, 1, 'not even a history block');

    // list
    const list = await run(['list', '-p', prefix, '--json'], env);
    assert.equal(list.code, 0, list.err);
    const listed = JSON.parse(list.out).packages;
    assert.deepEqual(listed.map((p: { name: string }) => p.name), ['activate_deactivate_package', 'post_link-b', 'post_link-c', 'python', 'sample_noarch_python', 'small-executable']);
    assert.equal(listed.find((p: { name: string }) => p.name === 'python').requested_spec, 'python=3.99');
    const text = await run(['list', '-p', prefix], env);
    assert.match(text.out, /^# packages in environment at .*\nactivate_deactivate_package +1\.0 +0 +http:\/\/127\.0\.0\.1:\d+\/conda-test-recipes\n/);

    // run: PATH, CONDA_PREFIX, variables, activate.d, the exit code
    const ran = await run(['run', '-p', prefix, '--', 'bash', '-c', 'small x; echo "$MY_VAR|$CONDA_PREFIX|$TEST"; exit 7'], env);
    assert.equal(ran.code, 7, ran.err);
    assert.equal(ran.out, `Hello! x\nhello world|${prefix}|teststringfromactivate\n`);
    const missing = await run(['run', '-p', prefix, 'no-such-command-here'], env);
    assert.equal(missing.code, 127);
  });

  test('--dry-run plans without touching anything; -n puts the environment in the envs folder', async () => {
    const file = envFile('named', ['dependent=1']);
    const dry = await run(['create', '-f', file, '--dry-run', '--json'], env);
    assert.equal(dry.code, 0, dry.err);
    const j = JSON.parse(dry.out);
    assert.equal(j.dryRun, true);
    assert.equal(j.prefix, join(home, 'envs', 'named'), "-n defaults to the file's name:");
    assert.deepEqual(j.link.map((p: { name: string; version: string }) => `${p.name}=${p.version}`), ['dependency=1.0', 'dependent=1.0']);
    assert.equal(existsSync(j.prefix), false);
    const text = await run(['create', '-f', file, '-n', 'other', '--dry-run'], env);
    assert.match(text.out, /^would change .*envs\/other:\n\+ dependency +1\.0 +0/);

    const real = await run(['create', '-f', file, '-n', 'named'], env);
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /environment ready at .*envs\/named: 2 packages \(2 linked, 0 removed\)/);
    assert.match(real.err, /packages: 2 ready/);
    assert.ok(existsSync(join(home, 'envs', 'named', 'conda-meta', 'dependent-1.0-0.json')));
  });

  test('install adds and upgrades, remove takes dependents along; errors have their exit codes', async () => {
    const prefix = join(home, 'changing');
    assert.equal((await run(['create', '-p', prefix, 'dependency=1', '-c', channel, '--override-channels'], env)).code, 0);
    const inst = await run(['install', '-p', prefix, 'dependency=2', 'other_dependent', '-c', channel, '--override-channels', '--json'], env);
    assert.equal(inst.code, 0, inst.err + inst.out);
    const j = JSON.parse(inst.out);
    assert.deepEqual(j.unlinked, ['dependency-1.0-0']);
    assert.deepEqual(j.linked, ['dependency-2.0-0', 'dependent-2.0-0', 'other_dependent-1.0-0']);
    const names = JSON.parse((await run(['list', '-p', prefix, '--json'], env)).out).packages.map((p: { name: string; version: string }) => `${p.name}=${p.version}`);
    assert.deepEqual(names, ['dependency=2.0', 'dependent=2.0', 'other_dependent=1.0']);
    const nothing = await run(['install', '-p', prefix, 'dependent', '-c', channel, '--override-channels'], env);
    assert.equal(nothing.code, 0, nothing.err);
    assert.match(nothing.out, /nothing to change/);

    const rm = await run(['remove', '-p', prefix, 'dependency', '--json'], env);
    assert.equal(rm.code, 0, rm.err + rm.out);
    assert.deepEqual(JSON.parse(rm.out).unlinked, ['other_dependent-1.0-0', 'dependent-2.0-0', 'dependency-2.0-0'], 'dependents go first');
    assert.deepEqual(JSON.parse((await run(['list', '-p', prefix, '--json'], env)).out).packages, []);
    assert.match(readFileSync(join(prefix, 'conda-meta/history'), 'utf8'), /# remove specs: \['dependency'\]\n$/);

    const notThere = await run(['remove', '-p', prefix, 'not-installed-pkg'], env);
    assert.equal(notThere.code, 1);
    assert.match(notThere.err, /not installed in .*: not-installed-pkg/);
    assert.equal((await run(['install', '-p', join(home, 'nowhere'), 'x'], env)).code, 2);
    assert.equal((await run(['create', 'dependency'], env)).code, 2, 'create needs -p or -n');
    writeFileSync(join(home, 'stray.txt'), 'x');
    const refused = await run(['create', '-p', home, 'dependency', '--dry-run', '-c', channel, '--override-channels'], env);
    assert.equal(refused.code, 2, refused.err);
    assert.match(refused.err, /is not empty and is not a conda environment/);
    assert.equal((await run(['create', '-p', join(home, 'bad'), 'dependency[version=>>1]', '-c', channel, '--override-channels'], env)).code, 2);
    const unsat = await run(['create', '-p', join(home, 'unsat'), 'dependency=9', '-c', channel, '--override-channels', '--json'], env);
    assert.equal(unsat.code, 1);
    assert.ok(JSON.parse(unsat.out).error);
    assert.equal(existsSync(join(home, 'unsat')), false);
  });

  test('created environments are listed in ~/.conda/environments.txt as conda lists them; remove --all deletes one and its line', async () => {
    const registry = join(home, '.conda', 'environments.txt');
    const listed = () => (existsSync(registry) ? readFileSync(registry, 'utf8').split('\n').filter((l) => l !== '') : []);
    const prefix = join(home, 'registered');
    const other = join(home, 'registered-too');
    writeFileSync(join(home, 'seed.txt'), '');
    assert.equal((await run(['create', '-p', prefix, 'dependent', '-c', channel, '--override-channels'], env)).code, 0);
    assert.equal((await run(['create', '-p', other, 'dependency', '-c', channel, '--override-channels'], env)).code, 0);
    assert.equal((await run(['install', '-p', prefix, 'other_dependent', '-c', channel, '--override-channels'], env)).code, 0);
    assert.deepEqual(listed().filter((l) => l.includes('registered')), [prefix, other], 'each once, in the order made');
    assert.equal((await run(['create', '-p', join(home, 'unlisted'), 'dependency', '-c', channel, '--override-channels'], { ...env, CONDA_REGISTER_ENVS: 'false' })).code, 0);
    assert.ok(!listed().includes(join(home, 'unlisted')), 'CONDA_REGISTER_ENVS=false, as register_envs: false');

    const dry = await run(['remove', '-p', prefix, '--all', '--dry-run'], env);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /would remove the environment .*registered:\n[\s\S]*other_dependent[\s\S]*and its folder/);
    assert.ok(existsSync(prefix));
    assert.equal((await run(['remove', '-p', prefix, '--all', 'dependency'], env)).code, 2, '--all takes no names');
    const all = await run(['remove', '-p', prefix, '--all', '--json'], env);
    assert.equal(all.code, 0, all.err + all.out);
    assert.deepEqual(JSON.parse(all.out).unlinked, ['other_dependent-1.0-0', 'dependent-2.0-0', 'dependency-2.0-0'], 'dependents first');
    assert.equal(existsSync(prefix), false, 'the folder is gone');
    assert.ok(!listed().includes(prefix));
    assert.ok(listed().includes(other), 'the other environment stays listed');
  });

  test('a failing post-link script leaves no environment behind; --no-scripts installs it', async () => {
    const prefix = join(home, 'failing');
    const r = await run(['create', '-p', prefix, 'failing_post_link', '-c', channel, '--override-channels'], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: the post-link script of failing_post_link-1\.0-0 failed \(exit 1\)/);
    assert.equal(existsSync(prefix), false);
    const ok = await run(['create', '-p', prefix, 'failing_post_link', '-c', channel, '--override-channels', '--no-scripts'], env);
    assert.equal(ok.code, 0, ok.err);
    assert.ok(existsSync(join(prefix, 'conda-meta', 'failing_post_link-1.0-0.json')));
  });

  test('--help documents the commands and where named environments go', async () => {
    const r = await run(['--help'], env);
    assert.equal(r.code, 0);
    for (const text of ['create [-f FILE]', 'install (-p PREFIX | -n NAME)', 'remove (-p PREFIX | -n NAME)', 'list (-p PREFIX | -n NAME)', 'run (-p PREFIX | -n NAME)', 'ENV_SETUP_ENVS_DIR', '--no-scripts']) assert.ok(r.out.includes(text), text);
  });

  test("a broken real package (conda-format-repo's zlib .conda) is refused clearly, nothing created", async () => {
    const repodata = JSON.parse(readFileSync(join(fixtures, 'conda-format-repo/linux-64/repodata.json'), 'utf8'));
    const md5 = repodata['packages.conda']['zlib-1.2.11-h7b6447c_3.conda'].md5;
    const file = join(home, 'explicit.txt');
    writeFileSync(file, `@EXPLICIT\n${server.url}/conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.conda#${md5}\n`);
    const prefix = join(home, 'broken');
    const r = await run(['create', '-f', file, '-p', prefix, '--json'], env);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.error.kind, 'corrupt');
    assert.match(j.error.message, /zlib-1\.2\.11-h7b6447c_3\.conda: entry lib\/libz\.so\.1 .* symbolic link with an empty target/);
    assert.equal(existsSync(prefix), false);
  });
});
