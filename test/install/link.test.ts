// Linking built packages into a prefix: hard links into the package cache, copies for no_link and
// for rewritten files, symbolic links and empty folders recreated, modes kept, text and binary
// placeholders replaced (the cache untouched), long shebangs shortened, a binary placeholder too
// short refused with the prefix left as it was, the old info/files + info/has_prefix format, and
// noarch: python (site-packages, entry points, byte-compiling with a python when this machine has
// one); the conda-meta PrefixRecord and history written as conda writes them.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InstallError } from '../../core/install/errors.ts';
import { ManifestPaths, readPackageInfo, type PackageInfo } from '../../core/install/link-package-info.ts';
import { linkPackage, newLinkState, placeholderModes, type PrefixWriter } from '../../core/install/link-package.ts';
import { runTransaction } from '../../core/install/transaction.ts';
import { readCondaMeta } from '../../core/spec/prefix-record.ts';
import { buildPackage, tree } from './link-support.ts';

const PH = '/opt/anaconda1anaconda2anaconda3';
const BIN_PH = '/placeholder_' + 'p'.repeat(100);

function machinePython(): { exe: string; version: string } | undefined {
  for (const cmd of ['python3', 'python']) {
    try {
      const out = execFileSync(cmd, ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const [exe, version] = out.trim().split('\n');
      if (exe && version) return { exe, version };
    } catch {
      // not there
    }
  }
  return undefined;
}

describe('linking one package', () => {
  let work: string;
  let pkgs: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-link-'));
    pkgs = join(work, 'pkgs');
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('hard links, copies, recreates links and folders, keeps modes, replaces placeholders, and writes conda-meta', async () => {
    const elf = Buffer.concat([Buffer.from('\x7fELF\0\0'), Buffer.from(`${BIN_PH}/lib\0`), Buffer.from('tail')]);
    const pkg = await buildPackage(pkgs, {
      name: 'demo',
      version: '2.1',
      build: 'h1_0',
      index: { subdir: 'linux-64', license: 'MIT' },
      files: [
        { name: 'bin/tool', data: '#!/bin/sh\necho tool\n', mode: 0o755 },
        { name: 'lib/libdemo.so.2', data: 'LIB', mode: 0o644 },
        { name: 'lib/libdemo.so', type: 'symlink', linkname: 'libdemo.so.2' },
        { name: 'share/empty', type: 'dir' },
        { name: 'etc/demo.conf', data: `root=${PH}\nlib=${PH}/lib\n`, placeholder: PH },
        { name: 'bin/demo-config', data: `#!${PH}/bin/sh\necho ${PH}\n`, placeholder: PH, mode: 0o755 },
        { name: 'lib/libbin.so', data: elf, placeholder: BIN_PH, fileMode: 'binary', mode: 0o755 },
        { name: 'share/copied.txt', data: 'copy me', noLink: true },
      ],
    });
    const prefix = join(work, 'env1');
    const result = await runTransaction({ prefix, link: [pkg], requestedSpecs: new Map([['demo', 'demo >=2']]), history: { cmd: 'env-setup create -p env1 demo', updateSpecs: ['demo[version=\'>=2\']'] } });
    assert.deepEqual(result.linked, ['demo-2.1-h1_0']);
    assert.equal(result.counts.rewritten, 3);

    const t = await tree(prefix);
    assert.deepEqual(Object.keys(t).sort(), [
      'bin',
      'bin/demo-config',
      'bin/tool',
      'conda-meta',
      'conda-meta/demo-2.1-h1_0.json',
      'conda-meta/history',
      'etc',
      'etc/demo.conf',
      'lib',
      'lib/libbin.so',
      'lib/libdemo.so',
      'lib/libdemo.so.2',
      'share',
      'share/copied.txt',
      'share/empty',
    ]);
    // hard links share the cache's inode; copies and rewritten files do not
    const ino = async (p: string) => (await stat(p)).ino;
    assert.equal(await ino(join(prefix, 'bin/tool')), await ino(join(pkg.dir, 'bin/tool')));
    assert.notEqual(await ino(join(prefix, 'share/copied.txt')), await ino(join(pkg.dir, 'share/copied.txt')));
    assert.notEqual(await ino(join(prefix, 'etc/demo.conf')), await ino(join(pkg.dir, 'etc/demo.conf')));
    assert.equal(t['bin/tool']!.mode, 0o755);
    assert.equal(t['bin/demo-config']!.mode, 0o755);
    assert.equal(t['lib/libbin.so']!.mode, 0o755);
    assert.equal(t['lib/libdemo.so.2']!.mode, 0o644);
    assert.equal(await readlink(join(prefix, 'lib/libdemo.so')), 'libdemo.so.2');
    assert.equal(await readFile(join(prefix, 'etc/demo.conf'), 'utf8'), `root=${prefix}\nlib=${prefix}/lib\n`);
    assert.equal(await readFile(join(pkg.dir, 'etc/demo.conf'), 'utf8'), `root=${PH}\nlib=${PH}/lib\n`, 'the cache keeps the placeholder');
    assert.equal(await readFile(join(prefix, 'bin/demo-config'), 'utf8'), `#!${prefix}/bin/sh\necho ${prefix}\n`);
    const bin = await readFile(join(prefix, 'lib/libbin.so'));
    assert.equal(bin.length, elf.length);
    assert.equal(bin.toString('latin1'), `\x7fELF\0\0${prefix}/lib${'\0'.repeat(BIN_PH.length - prefix.length)}\0tail`);

    // the PrefixRecord
    const rec = JSON.parse(await readFile(join(prefix, 'conda-meta/demo-2.1-h1_0.json'), 'utf8')) as Record<string, any>;
    assert.deepEqual(Object.keys(rec), [...Object.keys(rec)].sort(), 'keys sorted');
    assert.equal(rec.name, 'demo');
    assert.equal(rec.license, 'MIT');
    assert.equal(rec.fn, 'demo-2.1-h1_0.conda');
    assert.equal(rec.requested_spec, 'demo >=2');
    assert.equal(rec.extracted_package_dir, pkg.dir);
    assert.equal(rec.package_tarball_full_path, pkg.archive);
    assert.deepEqual(rec.link, { source: pkg.dir, type: 1 });
    assert.equal(rec.sha256, pkg.record.sha256);
    assert.deepEqual(rec.files, ['bin/tool', 'lib/libdemo.so.2', 'lib/libdemo.so', 'etc/demo.conf', 'bin/demo-config', 'lib/libbin.so', 'share/copied.txt']);
    const byPath = new Map((rec.paths_data.paths as Record<string, any>[]).map((p) => [p._path as string, p]));
    const pd = { get: (p: string): Record<string, any> => byPath.get(p) ?? assert.fail(`no ${p} in paths_data`) };
    assert.equal(rec.paths_data.paths_version, 1);
    assert.equal(pd.get('share/empty').path_type, 'directory');
    assert.equal(pd.get('lib/libdemo.so').path_type, 'softlink');
    assert.equal(pd.get('bin/tool').sha256_in_prefix, pd.get('bin/tool').sha256);
    const conf = pd.get('etc/demo.conf');
    assert.equal(conf.prefix_placeholder, PH);
    assert.equal(conf.file_mode, 'text');
    assert.notEqual(conf.sha256_in_prefix, conf.sha256);
    assert.equal(pd.get('lib/libbin.so').file_mode, 'binary');
    assert.equal(pd.get('share/copied.txt').no_link, true);
    assert.equal(pd.get('share/copied.txt').sha256_in_prefix, pd.get('share/copied.txt').sha256);
    assert.equal(pd.get('lib/libdemo.so').sha256_in_prefix, undefined, 'a symbolic link has no content in the prefix');
    // conda writes every entry with its keys sorted
    for (const entry of rec.paths_data.paths as Record<string, unknown>[]) assert.deepEqual(Object.keys(entry), Object.keys(entry).sort(), String(entry._path));

    // history, and conda-meta readable by the project's own reader (conda's format)
    const history = await readFile(join(prefix, 'conda-meta/history'), 'utf8');
    assert.match(history, /^==> \d{4}-\d\d-\d\d \d\d:\d\d:\d\d <==\n# cmd: env-setup create -p env1 demo\n\+https:\/\/example\.invalid\/test\/linux-64::demo-2\.1-h1_0\n# update specs: \["demo\[version='>=2'\]"\]\n$/);
    const meta = readCondaMeta(prefix);
    assert.deepEqual(meta.records.map((r) => r.record.name), ['demo']);
    assert.deepEqual(meta.history.map(String), ["demo[version='>=2']"]);
  });

  it('shortens a shebang that the prefix makes longer than 127 bytes', async () => {
    const pkg = await buildPackage(pkgs, { name: 'longbang', files: [{ name: 'bin/script', data: `#!${PH}/bin/perl -w\nprint "${PH}";\n`, placeholder: PH, mode: 0o755 }] });
    const prefix = join(work, 'p'.repeat(120));
    await runTransaction({ prefix, link: [pkg] });
    assert.equal(await readFile(join(prefix, 'bin/script'), 'utf8'), `#!/usr/bin/env perl -w\nprint "${prefix}";\n`);
  });

  it('refuses a binary placeholder shorter than the prefix, leaving no prefix behind', async () => {
    const pkg = await buildPackage(pkgs, { name: 'shortph', files: [{ name: 'a.txt', data: 'a' }, { name: 'lib/x.so', data: `\0/short/ph\0`, placeholder: '/short/ph', fileMode: 'binary' }] });
    const prefix = join(work, 'too-long-prefix');
    await assert.rejects(runTransaction({ prefix, link: [pkg] }), (e: unknown) => e instanceof InstallError && e.kind === 'placeholder-too-long' && e.exitCode === 1);
    assert.equal(existsSync(prefix), false);
  });

  it('links the old format: info/files, info/has_prefix (short and long lines) and info/no_link', async () => {
    const pkg = await buildPackage(pkgs, {
      name: 'oldfmt',
      oldFormat: true,
      files: [
        { name: 'bin/run', data: `#!/bin/sh\nexec ${PH}/bin/x\n`, placeholder: PH, mode: 0o755 },
        { name: 'lib/b.so', data: `\0${BIN_PH}/lib\0`, placeholder: BIN_PH, fileMode: 'binary' },
        { name: 'lib/link.so', type: 'symlink', linkname: 'b.so' },
        { name: 'share/nolink', data: 'n', noLink: true },
        { name: 'share/plain', data: 'p' },
      ],
    });
    const prefix = join(work, 'env-old');
    await runTransaction({ prefix, link: [pkg] });
    assert.equal(await readFile(join(prefix, 'bin/run'), 'utf8'), `#!/bin/sh\nexec ${prefix}/bin/x\n`);
    assert.equal((await readFile(join(prefix, 'lib/b.so'), 'latin1')).startsWith(`\0${prefix}/lib\0`), true);
    assert.equal(await readlink(join(prefix, 'lib/link.so')), 'b.so');
    assert.equal((await stat(join(prefix, 'share/plain'))).ino, (await stat(join(pkg.dir, 'share/plain'))).ino);
    assert.notEqual((await stat(join(prefix, 'share/nolink'))).ino, (await stat(join(pkg.dir, 'share/nolink'))).ino);
    const rec = JSON.parse(await readFile(join(prefix, 'conda-meta/oldfmt-1.0-0.json'), 'utf8')) as { paths_data: { paths: { _path: string; path_type: string; prefix_placeholder?: string }[] } };
    assert.deepEqual(
      rec.paths_data.paths.map((p) => [p._path, p.path_type, p.prefix_placeholder]),
      [
        ['bin/run', 'hardlink', PH],
        ['lib/b.so', 'hardlink', BIN_PH],
        ['lib/link.so', 'softlink', undefined],
        ['share/nolink', 'hardlink', undefined],
        ['share/plain', 'hardlink', undefined],
      ],
    );
  });

  it('copies everything with linkMode copy', async () => {
    const pkg = await buildPackage(pkgs, { name: 'copyall', files: [{ name: 'x', data: 'x' }] });
    const prefix = join(work, 'env-copy');
    await runTransaction({ prefix, link: [pkg], linkMode: 'copy' });
    assert.notEqual((await stat(join(prefix, 'x'))).ino, (await stat(join(pkg.dir, 'x'))).ino);
    const rec = JSON.parse(await readFile(join(prefix, 'conda-meta/copyall-1.0-0.json'), 'utf8')) as { link: { type: number } };
    assert.equal(rec.link.type, 3);
  });

  it('refuses Windows clearly', async () => {
    await assert.rejects(runTransaction({ prefix: join(work, 'win'), link: [], platform: 'win32' }), (e: unknown) => e instanceof InstallError && e.kind === 'unsupported' && /not supported on Windows yet/.test(e.message));
  });

  it('refuses a folder that is neither empty nor a conda environment', async () => {
    const prefix = join(work, 'not-env');
    const pkg = await buildPackage(pkgs, { name: 'any', files: [{ name: 'y', data: 'y' }] });
    await runTransaction({ prefix: join(prefix, 'inner'), link: [pkg] });
    await assert.rejects(runTransaction({ prefix, link: [pkg] }), (e: unknown) => e instanceof InstallError && e.kind === 'prefix' && e.exitCode === 2);
  });
});

describe('noarch: python', () => {
  let work: string;
  let pkgs: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-noarch-'));
    pkgs = join(work, 'pkgs');
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const noarchPkg = () =>
    buildPackage(pkgs, {
      name: 'greet',
      build: 'pyh0_0',
      index: { noarch: 'python', depends: ['python'] },
      linkJson: { noarch: { type: 'python', entry_points: ['greet = greet.cli:main'] }, package_metadata_version: 1 },
      files: [
        { name: 'site-packages/greet/__init__.py', data: '' },
        { name: 'site-packages/greet/cli.py', data: 'import sys\ndef main():\n    print("hello", *sys.argv[1:])\n    return 0\n' },
        { name: 'python-scripts/greet-sh', data: '#!/bin/sh\necho sh\n', mode: 0o755 },
      ],
    });

  it('refuses a noarch: python package without a python in the environment', async () => {
    const pkg = await noarchPkg();
    await assert.rejects(runTransaction({ prefix: join(work, 'nopy'), link: [pkg] }), (e: unknown) => e instanceof InstallError && /no python/.test(e.message));
    assert.equal(existsSync(join(work, 'nopy')), false);
  });

  it('puts files in site-packages and bin, writes entry points, and warns when there is no python to compile with', async () => {
    const python = await buildPackage(pkgs, { name: 'python', version: '3.99.1', files: [{ name: 'share/python-marker', data: 'py' }] });
    const pkg = await noarchPkg();
    const prefix = join(work, 'py-fake');
    const result = await runTransaction({ prefix, link: [python, pkg] });
    const sp = 'lib/python3.99/site-packages';
    assert.equal(await readFile(join(prefix, sp, 'greet/cli.py'), 'utf8'), 'import sys\ndef main():\n    print("hello", *sys.argv[1:])\n    return 0\n');
    assert.equal((await stat(join(prefix, 'bin/greet-sh'))).mode & 0o777, 0o755);
    const script = await readFile(join(prefix, 'bin/greet'), 'utf8');
    assert.equal(script.split('\n')[0], `#!${prefix}/bin/python3.99`);
    assert.match(script, /from greet\.cli import main\n/);
    assert.match(script, /sys\.exit\(main\(\)\)/);
    assert.equal((await stat(join(prefix, 'bin/greet'))).mode & 0o777, 0o755);
    assert.ok(result.warnings.some((w) => /not byte-compiled/.test(w)));
    const rec = JSON.parse(await readFile(join(prefix, 'conda-meta/greet-1.0-pyh0_0.json'), 'utf8')) as { files: string[]; paths_data: { paths: { _path: string; path_type: string }[] } };
    assert.deepEqual(rec.files, [`${sp}/greet/__init__.py`, `${sp}/greet/cli.py`, 'bin/greet-sh', 'bin/greet']);
    assert.equal(rec.paths_data.paths.find((p) => p._path === 'bin/greet')!.path_type, 'unix_python_entry_point');
  });

  it('does not run a bin/pythonX.Y that is not a program (the system would hand it to /bin/sh)', async () => {
    // an executable text file without #!: exec'd, /bin/sh would run it line by line in the prefix
    const python = await buildPackage(pkgs, { name: 'python', version: '3.98.1', build: 'junk_0', files: [{ name: 'bin/python3.98', data: 'touch ran-as-a-script\n', mode: 0o755 }] });
    const pkg = await noarchPkg();
    const prefix = join(work, 'py-junk');
    const result = await runTransaction({ prefix, link: [python, pkg] });
    assert.ok(result.warnings.some((w) => /bin\/python3\.98 in the environment is not a program .*not byte-compiled/.test(w)), result.warnings.join('\n'));
    assert.equal(existsSync(join(prefix, 'ran-as-a-script')), false);
  });

  const real = machinePython();
  it('byte-compiles with the environment python and the entry point runs', { skip: real ? false : 'no python on this machine' }, async () => {
    const { exe, version } = real!;
    const minor = version.split('.').slice(0, 2).join('.');
    const python = await buildPackage(pkgs, { name: 'python', version, build: 'real_0', files: [{ name: `bin/python${minor}`, data: `#!/bin/sh\nexec "${exe}" "$@"\n`, mode: 0o755 }] });
    const pkg = await noarchPkg();
    const prefix = join(work, 'py-real');
    const result = await runTransaction({ prefix, link: [python, pkg] });
    const tag = minor.replace('.', '');
    const sp = `lib/python${minor}/site-packages`;
    assert.equal(result.counts.compiled, 2);
    assert.ok(existsSync(join(prefix, sp, `greet/__pycache__/cli.cpython-${tag}.pyc`)));
    const rec = JSON.parse(await readFile(join(prefix, 'conda-meta/greet-1.0-pyh0_0.json'), 'utf8')) as { files: string[]; paths_data: { paths: { _path: string; path_type: string }[] } };
    assert.ok(rec.files.includes(`${sp}/greet/__pycache__/__init__.cpython-${tag}.pyc`));
    assert.equal(rec.paths_data.paths.find((p) => p._path.endsWith(`cli.cpython-${tag}.pyc`))!.path_type, 'pyc_file');
    // the machine's python does not know the prefix's site-packages: PYTHONPATH tells it
    const env = { ...process.env, PYTHONPATH: join(prefix, sp) };
    const run = spawnSync(join(prefix, `bin/python${minor}`), [join(prefix, 'bin/greet'), 'world'], { encoding: 'utf8', env });
    assert.equal(run.stdout, 'hello world\n', run.stderr);
    if (process.platform === 'linux') {
      // the shebang itself (a script as interpreter works on Linux)
      assert.equal(spawnSync(join(prefix, 'bin/greet'), ['you'], { encoding: 'utf8', env }).stdout, 'hello you\n');
    }
  });
});

describe('linkPackage on its own', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'env-setup-linkpkg-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('re-signs rewritten binaries of osx-arm64 packages on macOS only (codesign is injected here)', async () => {
    const pkg = await buildPackage(join(work, 'pkgs'), {
      name: 'signed',
      index: { subdir: 'osx-arm64' },
      files: [
        { name: 'lib/libx.dylib', data: `\0${BIN_PH}/lib\0`, placeholder: BIN_PH, fileMode: 'binary' },
        { name: 'lib/untouched.dylib', data: `\0no placeholder here\0`, placeholder: BIN_PH, fileMode: 'binary' },
        { name: 'etc/x.pc', data: `prefix=${PH}\n`, placeholder: PH },
      ],
    });
    const info = await readPackageInfo(pkg.dir, pkg.fn);
    for (const platform of ['darwin', 'linux'] as const) {
      const prefix = join(work, `prefix-${platform}`);
      await mkdir(prefix, { recursive: true });
      const writer: PrefixWriter = { moveAside: async () => false, creating: () => undefined, mkdir: (rel) => mkdir(join(prefix, rel)) };
      const signed: string[] = [];
      const linked = await linkPackage(info, { prefix, writer, state: newLinkState(true), python: undefined, platform, codesign: async (path) => (signed.push(path), undefined) });
      assert.deepEqual(signed, platform === 'darwin' ? [join(prefix, 'lib/libx.dylib')] : []);
      assert.equal(linked.counts.rewritten, 2);
      assert.equal((await readFile(join(prefix, 'lib/libx.dylib'), 'latin1')).startsWith(`\0${prefix}/lib\0`), true);
    }
  });
});

describe('placeholder files with stamps', () => {
  it('are compared with their stamps as their modes are read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'env-setup-placeholder-stamp-'));
    try {
      await writeFile(join(dir, 'script'), '#!/opt/placeholder/bin/python\n', { mode: 0o755 });
      const st = statSync(join(dir, 'script'));
      const info = {
        dir,
        dist: 'pkg-1.0-0',
        paths: ManifestPaths.of([{ path: 'script', type: 'hardlink', placeholder: '/opt/placeholder', fileMode: 'text', size: st.size, noLink: false }]),
      } as unknown as PackageInfo;
      const modes = await placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs, st.ino]));
      assert.equal(modes[0]! & 0o777, 0o755);
      await assert.rejects(placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs + 1, st.ino])), (e: unknown) => e instanceof InstallError && e.kind === 'cache-changed' && e.file === 'script');
      await unlink(join(dir, 'script'));
      await assert.rejects(placeholderModes(info, undefined, new Float64Array([st.size, st.mtimeMs, st.ino])), /script in the package cache \(.*\) changed after the package was checked: it is missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
