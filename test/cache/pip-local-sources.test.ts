// The local sources pip builds from, as the environment tarball's key reads them: which pip lines
// name one, where their paths are relative to, and what of a folder's tree changes its hash (source
// files, modes, symlink targets) and what does not (version control, caches, build output, the
// prefix inside the folder); limits; a missing source.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hashLocalSource, localSourceOf, pipLocalSources } from '../../core/cache/pip-local-sources.ts';

const root = mkdtempSync(join(tmpdir(), 'env-setup-pip-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh project folder with `files` (path → content). */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${n++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('which pip lines name a local source, and its path as written', () => {
  const cases: [string, { value: string; findLinks: boolean } | undefined][] = [
    ['.', { value: '.', findLinks: false }],
    ['./src/pkg', { value: './src/pkg', findLinks: false }],
    ['.[dev,test]', { value: '.', findLinks: false }],
    ['-e .', { value: '.', findLinks: false }],
    ['-e ./lib[extra]', { value: './lib', findLinks: false }],
    ['--editable=../shared', { value: '../shared', findLinks: false }],
    ['-e.', { value: '.', findLinks: false }],
    ['pkg/sub  ; python_version >= "3.8"  # a comment', { value: 'pkg/sub', findLinks: false }],
    ['dist/hello-1.0-py3-none-any.whl', { value: 'dist/hello-1.0-py3-none-any.whl', findLinks: false }],
    ['hello-1.0.tar.gz', { value: 'hello-1.0.tar.gz', findLinks: false }],
    ['hello @ file:///opt/src/hello', { value: '/opt/src/hello', findLinks: false }],
    ['file:///opt/wheels/a-1-py3-none-any.whl', { value: '/opt/wheels/a-1-py3-none-any.whl', findLinks: false }],
    ['--find-links wheels', { value: 'wheels', findLinks: true }],
    ['-f ./wheels', { value: './wheels', findLinks: true }],
    ["--find-links='my wheels'", { value: 'my wheels', findLinks: true }],
    ['requests', undefined],
    ['numpy>=1.20,<2', undefined],
    ['Django>=3 ; python_version > "3"', undefined],
    ['-r requirements.txt', undefined],
    ['--no-index', undefined],
    ['--index-url https://pypi.org/simple', undefined],
    ['--find-links https://download.pytorch.org/whl/torch_stable.html', undefined],
    ['-e git+https://github.com/a/b.git#egg=b', undefined],
    ['hello @ https://example.org/hello-1.0.tar.gz', undefined],
    ['git+https://github.com/a/b.git', undefined],
    ['# ./commented-out', undefined],
    ['', undefined],
  ];
  for (const [line, expected] of cases) assert.deepEqual(localSourceOf(line), expected, line);
});

test('a folder: its source files, modes and symlink targets change the hash', async () => {
  const dir = project({ 'pkg/pyproject.toml': '[project]\nname = "pkg"\n', 'pkg/src/pkg/__init__.py': 'X = 1\n', 'pkg/bin/tool': '#!/bin/sh\n' });
  const base = dir;
  const hash = async () => (await hashLocalSource(join(dir, 'pkg'), base)).sha256;
  const first = await hash();
  assert.match(first ?? '', /^[0-9a-f]{64}$/);
  assert.equal(await hash(), first, 'the same tree, the same hash');
  const source = await hashLocalSource(join(dir, 'pkg'), base);
  assert.equal(source.path, 'pkg/');
  assert.equal(source.files, 3);

  writeFileSync(join(dir, 'pkg/src/pkg/__init__.py'), 'X = 2\n');
  const edited = await hash();
  assert.notEqual(edited, first, 'a changed source file');
  chmodSync(join(dir, 'pkg/bin/tool'), 0o755);
  const executable = await hash();
  assert.notEqual(executable, edited, 'an executable bit');
  writeFileSync(join(dir, 'pkg/src/pkg/extra.py'), '');
  const added = await hash();
  assert.notEqual(added, executable, 'a new, empty file');
  symlinkSync('extra.py', join(dir, 'pkg/src/pkg/alias.py'));
  const linked = await hash();
  assert.notEqual(linked, added, 'a new symlink');
  rmSync(join(dir, 'pkg/src/pkg/alias.py'));
  symlinkSync('__init__.py', join(dir, 'pkg/src/pkg/alias.py'));
  assert.notEqual(await hash(), linked, "a symlink's target");
  mkdirSync(join(dir, 'pkg/src/pkg/build'));
  writeFileSync(join(dir, 'pkg/src/pkg/build/data.txt'), 'a folder named build below the top is source\n');
  assert.notEqual(await hash(), linked);
});

test('a folder: what pip, builds and tools write into it does not change the hash; nor do the prefix and caches inside it', async () => {
  const dir = project({ 'pyproject.toml': '[project]\nname = "app"\n', 'app/__init__.py': '' });
  const prefix = join(dir, 'env');
  const exclude = [prefix, join(dir, 'pkgs')];
  const before = (await hashLocalSource(dir, dir, { exclude })).sha256;
  const written: Record<string, string> = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'app/__pycache__/__init__.cpython-312.pyc': 'x',
    'app/stray.pyc': 'x',
    'app.egg-info/PKG-INFO': 'Name: app\n',
    'src/app.egg-info/PKG-INFO': 'Name: app\n',
    'build/lib/app/__init__.py': '',
    'dist/app-1.0-py3-none-any.whl': 'x',
    '.tox/py312/x': '',
    '.venv/bin/python': '',
    '.pytest_cache/v': '',
    '.cache/env-cache/entry.tar.zst': 'a cache kept in the project',
    'pkgs/zlib-1.3-0/info/index.json': '{}',
    'node_modules/x/index.js': '',
    'env/conda-meta/history': '',
    'condaenv.1a2b3c4d.requirements.txt': '-e .\n',
  };
  for (const [path, text] of Object.entries(written)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const after = await hashLocalSource(dir, dir, { exclude });
  // src/ itself is a new (empty but for what is skipped) folder of the tree
  rmSync(join(dir, 'src'), { recursive: true });
  assert.equal((await hashLocalSource(dir, dir, { exclude })).sha256, before);
  assert.equal(after.files, 2);
  assert.notEqual((await hashLocalSource(dir, dir, { exclude: [join(dir, 'pkgs')] })).sha256, before, 'without its exclusion the prefix is read');
  assert.notEqual((await hashLocalSource(dir, dir, { exclude: [prefix] })).sha256, before, 'without its exclusion the package cache is read');
});

test('limits: a source past them is not hashed and says which limit', async () => {
  const dir = project({ 'big/a': 'aaaa', 'big/b': 'bbbb', 'big/c': 'cccc', 'one.whl': '12345678' });
  const files = await hashLocalSource(join(dir, 'big'), dir, { limits: { files: 2, bytes: 1 << 20 } });
  assert.equal(files.sha256, null);
  assert.equal(files.tooLarge, 'more than 2 files');
  const bytes = await hashLocalSource(join(dir, 'big'), dir, { limits: { files: 100, bytes: 10 } });
  assert.equal(bytes.sha256, null);
  assert.match(bytes.tooLarge ?? '', /^more than /);
  const archive = await hashLocalSource(join(dir, 'one.whl'), dir, { limits: { files: 100, bytes: 4 } });
  assert.equal(archive.sha256, null);
  assert.ok(archive.tooLarge);
  assert.equal((await hashLocalSource(join(dir, 'big'), dir)).tooLarge, undefined);
});

test('the sources of an environment file: its pip lines and its requirement files, paths as pip resolves them', async () => {
  const dir = project({
    'environment.yml': 'dependencies: []\n',
    'reqs/dev.txt': '-e ./lib\n--find-links wheels\n--find-links cwd-wheels\nrequests\n',
    'reqs/wheels/a-1-py3-none-any.whl': 'near the requirement file',
    'cwd-wheels/b-1-py3-none-any.whl': 'in the working directory',
    'lib/lib.py': '',
    'dist/app-1.0-py3-none-any.whl': 'the app',
  });
  const file = join(dir, 'environment.yml');
  const sources = await pipLocalSources(['-r reqs/dev.txt', './dist/app-1.0-py3-none-any.whl', '-e ./lib', 'missing/pkg'], file);
  // -e ./lib is relative to pip's working directory, not the requirement file; a --find-links path is
  // relative to the requirement file where it exists there; each source once
  assert.deepEqual(
    sources.map((s) => [s.path, s.sha256 === null ? null : 'hashed']),
    [
      ['lib/', 'hashed'],
      ['reqs/wheels/', 'hashed'],
      ['cwd-wheels/', 'hashed'],
      ['dist/app-1.0-py3-none-any.whl', 'hashed'],
      ['missing/pkg', null],
    ],
  );
  const before = sources.find((s) => s.path === 'dist/app-1.0-py3-none-any.whl')!.sha256;
  writeFileSync(join(dir, 'dist/app-1.0-py3-none-any.whl'), 'the app, rebuilt');
  const again = await pipLocalSources(['-r reqs/dev.txt', './dist/app-1.0-py3-none-any.whl'], file);
  assert.notEqual(again.find((s) => s.path === 'dist/app-1.0-py3-none-any.whl')!.sha256, before);
  assert.deepEqual(await pipLocalSources(['requests', '--no-index'], file), []);
});
