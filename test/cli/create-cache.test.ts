// `env-setup create` with its caches, end to end (real processes, conda's test-recipes channel on
// 127.0.0.1): the second create of an unchanged file neither solves nor installs (environment
// tarball), or only installs (spec file, tarballs off); the key ignores order and formatting and
// follows the specs; TTL 0 solves again; an expired spec file with the channel gone is used with a
// warning; a stored spec file installs as a lock; a tarball made at one prefix is relocated into
// another; a corrupted tarball is caught by the scan and replaced by an install, while simple mode
// skips the scan (and its span).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packEnvironment } from '../../core/cache/env-tarball-pack.ts';
import { buildConda, indexJson } from '../support/package-builder.ts';
import { type ChannelServer, startChannelServer } from '../support/channel-server.ts';
import { runCli } from '../support/run-cli.ts';

const fixtures = fileURLToPath(new URL('../../../shared/fixtures/channels/', import.meta.url));
const reportFsWorkers = new URL('../support/report-fs-workers.ts', import.meta.url).href;
const skip = existsSync(join(fixtures, 'conda-test-recipes/noarch/repodata.json')) ? false : '../shared/fixtures is absent';

interface Run {
  code: number | null;
  out: string;
  err: string;
  json: {
    cache: { path: string; environmentKey?: string; specHash: string; spec: { status: string; key?: string; saved?: boolean }; tarball: { status: string; key?: string; saved?: boolean; reason?: string } };
    timings: { spans: { name: string; attributes?: Record<string, unknown> }[] };
    linked: string[];
    warnings: string[];
    notices: string[];
  };
  spans: string[];
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const { code, out, err } = await runCli(args, env);
  let json: Run['json'] = undefined as unknown as Run['json'];
  try {
    json = JSON.parse(out);
  } catch {
    // not JSON: the assertions on code and err say why
  }
  return { code, out, err, json, spans: json?.timings?.spans.map((s) => s.name) ?? [] };
}

/** Every regular file below `dir` whose bytes hold `text`. */
function filesHolding(dir: string, text: string): string[] {
  const found: string[] = [];
  const needle = Buffer.from(text);
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

const PH = '/opt/anaconda1anaconda2anaconda3';
const BIN_PH = '/placeholder_' + 'p'.repeat(120);

/** A linux-64 channel `demo` with one package whose files hold the build prefix in text and binary mode. */
function placeholderChannel(): Record<string, Buffer | string> {
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  const files = [
    { name: 'bin/hello', data: Buffer.from(`#!/bin/sh\necho "prefix is ${PH}"\n`), mode: 0o755, placeholder: PH, fileMode: 'text' },
    { name: 'etc/demo.conf', data: Buffer.from(`root=${PH}\n`), mode: 0o644, placeholder: PH, fileMode: 'text' },
    { name: 'lib/libdemo.so', data: Buffer.concat([Buffer.from('\x7fELF\0'), Buffer.from(`${BIN_PH}/lib\0`), Buffer.from('end')]), mode: 0o755, placeholder: BIN_PH, fileMode: 'binary' },
  ];
  const dist = 'demo-1.0-h0_0';
  const paths = { paths_version: 1, paths: files.map((f) => ({ _path: f.name, path_type: 'hardlink', sha256: sha(f.data), size_in_bytes: f.data.length, prefix_placeholder: f.placeholder, file_mode: f.fileMode })) };
  const conda = buildConda(dist, {
    info: [
      { name: 'info/index.json', data: indexJson(dist, { subdir: 'linux-64' }) },
      { name: 'info/paths.json', data: JSON.stringify(paths) },
    ],
    pkg: files.map((f) => ({ name: f.name, data: f.data, mode: f.mode })),
  });
  const record = { name: 'demo', version: '1.0', build: 'h0_0', build_number: 0, depends: [], subdir: 'linux-64', sha256: sha(conda), md5: createHash('md5').update(conda).digest('hex'), size: conda.length };
  return {
    '/demo/linux-64/repodata.json': JSON.stringify({ info: { subdir: 'linux-64' }, packages: {}, 'packages.conda': { [`${dist}.conda`]: record } }),
    '/demo/noarch/repodata.json': JSON.stringify({ info: { subdir: 'noarch' }, packages: {} }),
    [`/demo/linux-64/${dist}.conda`]: conda,
  };
}

describe('env-setup create with spec files and environment tarballs', { skip }, () => {
  let server: ChannelServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let channel: string;
  let n = 0;
  const prefixNamed = (name: string) => join(home, 'envs', `${name}-${n++}`);
  const file = (name: string, body: string): string => {
    const path = join(home, name);
    writeFileSync(path, body);
    return path;
  };
  const yml = (deps: string[]) => `name: demo\nchannels:\n  - ${channel}\n  - nodefaults\ndependencies:\n${deps.map((d) => `  - ${d}\n`).join('')}`;
  const DEPS = ['small-executable', 'python=3.99', 'sample_noarch_python', 'activate_deactivate_package'];

  before(async () => {
    server = await startChannelServer({ root: fixtures });
    channel = `${server.url}/conda-test-recipes`;
    home = mkdtempSync(join(tmpdir(), 'env-setup-create-cache-'));
    env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache'), ENV_SETUP_CACHE_DIR: join(home, 'cache'), ENV_SETUP_ENVS_DIR: join(home, 'envs'), CONDARC: '', CONDA_CHANNELS: '', CONDA_PKGS_DIRS: '', ENV_SETUP_SIMPLE: '' };
  });
  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('the second create of an unchanged file restores the stored environment: no solve, no install', async () => {
    const f = file('a.yml', yml(DEPS));
    // one file-system worker whatever the CPUs, and a report of how many a run started
    const counted = { ...env, ENV_SETUP_FS_WORKERS: '1', NODE_OPTIONS: `--import=${reportFsWorkers}` };
    const first = await run(['create', '-f', f, '-p', prefixNamed('a'), '--json'], counted);
    assert.equal(first.code, 0, first.err + first.out);
    assert.match(first.err, /env-setup-test: fs workers started 1\n/);
    assert.equal(first.json.cache.path, 'solve');
    assert.equal(first.json.cache.spec.status, 'miss');
    assert.equal(first.json.cache.spec.saved, true);
    assert.equal(first.json.cache.tarball.saved, true, JSON.stringify(first.json.cache.tarball));
    assert.ok(first.spans.includes('solve') && first.spans.includes('cache.save'));

    const prefix = prefixNamed('a');
    const second = await run(['create', '-f', f, '-p', prefix, '--json'], counted);
    assert.equal(second.code, 0, second.err + second.out);
    // restored by the system's zstd and tar: the file-system worker (the installer's checks and
    // links; the in-process extractor's hashing) is not started
    const extractor = second.json.timings.spans.find((s) => s.name === 'cache.restore')?.attributes?.extractor;
    if (extractor !== 'env-setup') assert.match(second.err, /env-setup-test: fs workers started 0\n/);
    assert.equal(second.json.cache.path, 'tarball');
    assert.equal(second.json.cache.spec.status, 'hit');
    assert.equal(second.json.cache.tarball.status, 'hit');
    assert.ok(!second.spans.includes('solve'), 'no solve span');
    assert.ok(!second.spans.some((s) => s.startsWith('install.')), `no install span: ${second.spans.join(', ')}`);
    assert.ok(second.spans.includes('cache.restore') && second.spans.includes('cache.scan'));
    if (extractor !== 'env-setup') {
      assert.ok(existsSync(join(home, 'cache', 'system-tools.json')), 'the programs found are remembered in the cache folder');
    }
    assert.equal(readFileSync(join(prefix, 'bin/small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
    const exec = await run(['run', '-p', prefix, 'small', 'x'], env);
    assert.equal(exec.out, 'Hello! x\n');

    // without --json, stderr says which path ran, with the keys; variables (not in the key) reach conda-meta/state
    const withVars = file('a-vars.yml', `${yml(DEPS)}variables:\n  MY_VAR: restored\n`);
    const thirdPrefix = prefixNamed('a');
    const third = await run(['create', '-f', withVars, '-p', thirdPrefix], env);
    assert.equal(third.code, 0, third.err);
    assert.deepEqual(JSON.parse(readFileSync(join(thirdPrefix, 'conda-meta/state'), 'utf8')), { env_vars: { MY_VAR: 'restored' } });
    assert.match(third.err, /cache path: tarball/);
    assert.match(third.err, /spec file: hit .*\[env-setup-spec-1-linux-64-[0-9a-f]{64}\]/);
    assert.match(third.err, /environment tarball: hit .*\[env-setup-env-1-linux-64-[0-9a-f]{16}-[0-9a-f]{64}\]/);
  });

  test('with tarballs off, a spec hit installs without solving', async () => {
    const f = file('b.yml', yml(DEPS));
    const r = await run(['create', '-f', f, '-p', prefixNamed('b'), '--tarballs', 'off', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.json.cache.path, 'spec');
    assert.equal(r.json.cache.tarball.status, 'off');
    assert.ok(!r.spans.includes('solve'));
    assert.ok(r.spans.includes('install.transaction'));
    assert.equal(r.json.linked.length, 4);
  });

  test('an environment whose packages have link scripts is not packed, with a note naming them; --tarballs on forces it', async () => {
    const f = file('scripts.yml', yml(['post_link-c', 'small-executable']));
    const r = await run(['create', '-f', f, '-p', prefixNamed('scripts'), '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.json.cache.tarball.status, 'off');
    assert.ok(!r.spans.includes('cache.save'));
    assert.match(r.json.notices.join('\n'), /post_link-c-1\.0-0 \(post-link\).*--tarballs on/s);
    const forced = await run(['create', '-f', f, '-p', prefixNamed('scripts'), '--tarballs', 'on', '--json'], env);
    assert.equal(forced.code, 0, forced.err + forced.out);
    assert.equal(forced.json.cache.tarball.saved, true);
    assert.match(forced.json.notices.join('\n'), /forced on although/);
  });

  test('order, comments and spelling keep the key; another spec changes it; TTL 0 solves again', async () => {
    const base = await run(['create', '-f', file('c1.yml', yml(DEPS)), '-p', prefixNamed('c'), '--dry-run', '--json'], env);
    const reordered = `# the same, written otherwise\nchannels: [${channel}, nodefaults]\nname: other-name\ndependencies:\n  - python =3.99   # spaced\n  - activate_deactivate_package\n  - sample_noarch_python\n  - small-executable\n`;
    const same = await run(['create', '-f', file('c2.yml', reordered), '-p', prefixNamed('c'), '--dry-run', '--json'], env);
    assert.equal(same.code, 0, same.err + same.out);
    assert.equal(same.json.cache.environmentKey, base.json.cache.environmentKey);
    assert.equal(same.json.cache.spec.status, 'hit');
    assert.ok(!same.spans.includes('solve'));

    const other = await run(['create', '-f', file('c3.yml', yml([...DEPS.slice(0, 3)])), '-p', prefixNamed('c'), '--dry-run', '--json'], env);
    assert.notEqual(other.json.cache.environmentKey, base.json.cache.environmentKey);
    assert.equal(other.json.cache.spec.status, 'miss');

    const ttl0 = await run(['create', '-f', file('c4.yml', yml(DEPS)), '-p', prefixNamed('c'), '--spec-ttl', '0', '--dry-run', '--json'], env);
    assert.equal(ttl0.json.cache.spec.status, 'expired');
    assert.ok(ttl0.spans.includes('solve'));

    const bad = await run(['create', '-f', file('c5.yml', yml(DEPS)), '-p', prefixNamed('c'), '--spec-ttl', '12', '--json'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.out + bad.err, /--spec-ttl: invalid duration '12'/);
  });

  test('an expired spec file is used, with a warning, when the channel cannot be reached', async () => {
    const own = await startChannelServer({ root: fixtures });
    const f = file('d.yml', yml(DEPS).replace(channel, `${own.url}/conda-test-recipes`));
    const first = await run(['create', '-f', f, '-p', prefixNamed('d'), '--json'], env);
    assert.equal(first.code, 0, first.err + first.out);
    await own.close();
    const offline = { ...env, ENV_SETUP_CACHE_DIR: join(home, 'cache'), XDG_CACHE_HOME: join(home, 'cache') };
    // the repodata cache is still there: move it away, so the solve really needs the channel
    rmSync(join(home, 'cache', 'repodata'), { recursive: true, force: true });
    for (const d of readdirSync(join(home, 'cache'))) if (d !== 'env-cache' && d !== 'pkgs') rmSync(join(home, 'cache', d), { recursive: true, force: true });
    const r = await run(['create', '-f', f, '-p', prefixNamed('d'), '--spec-ttl', '0', '--tarballs', 'off', '--json'], offline);
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.json.cache.spec.status, 'stale');
    assert.ok(!r.spans.includes('install.download'), 'the packages come from the package cache');
    assert.match(r.json.warnings.join('\n'), /the stored solve \(.*\) has expired but solving again failed/);
    const text = await run(['create', '-f', f, '-p', prefixNamed('d'), '--spec-ttl', '0', '--tarballs', 'off'], offline);
    assert.equal(text.code, 0, text.err);
    assert.match(text.err, /warning: the stored solve \(.*\) has expired but solving again failed/);
  });

  test('a stored spec file is an explicit file that create installs as written, tokens left out', async () => {
    const f = file('e.yml', yml(DEPS));
    const first = await run(['create', '-f', f, '-p', prefixNamed('e'), '--dry-run', '--json'], env);
    const specPath = join(home, 'cache', 'env-cache', first.json.cache.spec.key!);
    const text = readFileSync(specPath, 'utf8');
    assert.match(text, /^@EXPLICIT$/m);
    assert.match(text, /^# environment-key: [0-9a-f]{64}$/m);
    const copy = file('e.txt', text);
    const r = await run(['create', '-f', copy, '-p', prefixNamed('e'), '--tarballs', 'off', '--json'], env);
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.json.cache.path, 'locked');
    assert.equal(r.json.cache.spec.status, 'locked');
    assert.ok(!r.spans.includes('solve'));
  });

  test('a tarball made at one prefix is relocated into another: the new path in every text and binary placeholder', async () => {
    const demo = await startChannelServer({ files: placeholderChannel() });
    try {
      const f = file('g.yml', `channels:\n  - ${demo.url}/demo\n  - nodefaults\ndependencies:\n  - demo\n`);
      const a = prefixNamed('reloc-a');
      const made = await run(['create', '-f', f, '-p', a, '--json'], env);
      assert.equal(made.code, 0, made.err + made.out);
      assert.equal(made.json.cache.tarball.saved, true);
      assert.equal(readFileSync(join(a, 'etc/demo.conf'), 'utf8'), `root=${a}\n`);
      assert.ok(readFileSync(join(a, 'lib/libdemo.so')).includes(Buffer.from(`${a}/lib\0`)));

      const b = prefixNamed('reloc-b-longer-name');
      const moved = await run(['create', '-f', f, '-p', b, '--json'], env);
      assert.equal(moved.code, 0, moved.err + moved.out);
      assert.equal(moved.json.cache.path, 'tarball');
      assert.match(moved.json.cache.tarball.reason ?? '', /relocated/);
      assert.deepEqual(filesHolding(b, a), [], 'no file keeps the old prefix');
      assert.equal(readFileSync(join(b, 'etc/demo.conf'), 'utf8'), `root=${b}\n`);
      const lib = readFileSync(join(b, 'lib/libdemo.so'));
      assert.ok(lib.includes(Buffer.from(`${b}/lib\0`)), 'the binary holds the new prefix');
      assert.equal(lib.length, readFileSync(join(a, 'lib/libdemo.so')).length, 'binary files keep their length');
      const exec = await run(['run', '-p', b, 'hello'], env);
      assert.equal(exec.out, `prefix is ${b}\n`);
    } finally {
      await demo.close();
    }
  });

  test('a corrupted tarball is caught by the scan and replaced by an install; simple mode trusts it', async () => {
    const f = file('h.yml', yml(DEPS));
    const a = prefixNamed('corrupt-a');
    const made = await run(['create', '-f', f, '-p', a, '--refresh', '--json'], env);
    assert.equal(made.code, 0, made.err + made.out);
    const key = made.json.cache.tarball.key!;
    const stored = join(home, 'cache', 'env-cache', key);
    const created = statSync(stored).mtime;
    // a well-formed archive of a damaged environment, under the same key and time
    writeFileSync(join(a, 'bin/small'), '#!/usr/bin/env bash\necho tampered\n');
    await packEnvironment({ prefix: a, output: stored, platform: 'linux-64' });
    const { utimesSync } = await import('node:fs');
    utimesSync(stored, created, created);

    const simple = await run(['create', '-f', f, '-p', a, '--json'], { ...env, ENV_SETUP_SIMPLE: '1' });
    assert.equal(simple.code, 0, simple.err + simple.out);
    // the prefix already holds these packages (by conda-meta): nothing to do at all
    assert.equal(simple.json.cache.tarball.status, 'skipped');

    const s = prefixNamed('corrupt-simple');
    const trusted = await run(['create', '-f', f, '-p', s, '--json'], { ...env, ENV_SETUP_SIMPLE: '1' });
    assert.equal(trusted.code, 0, trusted.err + trusted.out);
    assert.equal(trusted.json.cache.path, 'tarball');
    assert.ok(trusted.spans.includes('cache.restore'));
    assert.ok(!trusted.spans.includes('cache.scan'), 'simple mode: no scan span');
    assert.equal(readFileSync(join(s, 'bin/small'), 'utf8'), '#!/usr/bin/env bash\necho tampered\n');

    const d = prefixNamed('corrupt-default');
    const repaired = await run(['create', '-f', f, '-p', d, '--json'], env);
    assert.equal(repaired.code, 0, repaired.err + repaired.out);
    assert.equal(repaired.json.cache.tarball.status, 'corrupt');
    assert.notEqual(repaired.json.cache.path, 'tarball');
    assert.match(repaired.json.warnings.join('\n'), /the stored environment .* cannot be used: .*bin\/small/s);
    assert.ok(repaired.spans.includes('cache.scan'));
    assert.equal(readFileSync(join(d, 'bin/small'), 'utf8'), '#!/usr/bin/env bash\necho Hello! $@\n');
    assert.ok(!existsSync(join(home, 'cache', 'env-cache', key)) || statSync(join(home, 'cache', 'env-cache', key)).mtimeMs > created.getTime(), 'the bad tarball is gone or replaced');
  });
});
