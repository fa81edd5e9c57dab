// Tests for the lock file reader (core/spec/lock-file*.ts) on rattler's real lock file fixtures
// (../shared/fixtures/lockfiles/conda-lock: conda-lock v1 and pixi lock files of versions 3 to 7):
// counts per environment and platform (also counted independently from the plain YAML), exact
// records with the fields filled from URLs, the PyPI split, source packages, and SpecErrors with
// file, line and column for broken files written here.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SpecError } from '../../core/spec/errors.ts';
import { lockedPackages, readLockFile, type LockedCondaPackage, type LockFile, type LockPlatformPackages } from '../../core/spec/lock-file.ts';

const LOCKS = fileURLToPath(new URL('../../../shared/fixtures/lockfiles/conda-lock/', import.meta.url));
const skip = existsSync(LOCKS) ? false : `${LOCKS} is absent: the shared lock file fixtures are not available here`;

const cache = new Map<string, LockFile>();
function lock(file: string): LockFile {
  let read = cache.get(file);
  if (read === undefined) {
    read = readLockFile(readFileSync(join(LOCKS, file), 'utf8'), file);
    cache.set(file, read);
  }
  return read;
}

function packages(file: string, environment: string, platform: string): LockPlatformPackages {
  const found = lockedPackages(lock(file), environment, platform);
  assert.ok(found, `${file}: no packages for ${environment} / ${platform}`);
  return found;
}

function conda(file: string, environment: string, platform: string, name: string): LockedCondaPackage {
  const found = packages(file, environment, platform).conda.filter((r) => r.name === name);
  assert.equal(found.length, 1, `${file} ${environment} ${platform}: ${found.length} records named ${name}`);
  return found[0]!;
}

function lockFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.yml')) out.push(relative(LOCKS, path));
    }
  };
  walk(LOCKS);
  return out;
}

/** [format, version, { environment: { platform: [conda records, partial source packages, pypi packages] } }] */
type Summary = [string, number, Record<string, Record<string, [number, number, number]>>];

const PY6 = { 'linux-64': [22, 0, 0], 'linux-aarch64': [21, 0, 0], 'linux-ppc64le': [22, 0, 0], 'osx-64': [15, 0, 0], 'osx-arm64': [15, 0, 0], 'win-64': [16, 0, 0] } as const;
const NUMPY5 = { 'linux-64': [254, 0, 0], 'linux-aarch64': [176, 0, 0], 'linux-ppc64le': [177, 0, 0], 'osx-64': [180, 0, 0], 'osx-arm64': [183, 0, 0] } as const;
const MATPLOTLIB = { 'linux-64': [24, 0, 12], 'osx-64': [17, 0, 12], 'win-64': [17, 0, 12] } as const;
const TURTLESIM = { 'linux-64': [593, 0, 0], 'osx-64': [543, 0, 0], 'osx-arm64': [544, 0, 0], 'win-64': [517, 0, 0] } as const;
const STABILITY = { 'osx-arm64': [13, 0, 2], 'win-64': [15, 0, 2] } as const;
const PYPI_PATHS = { 'linux-64': [0, 0, 2], 'osx-64': [0, 0, 2], 'osx-arm64': [0, 0, 2], 'win-64': [0, 0, 2] } as const;
const OPTIONS = ['without-options', 'with-exclude-newer', 'with-strategy', 'with-default-strategy', 'with-channel-priority', 'with-default-channel-priority'];
const one = (platform: string, counts: [number, number, number]) => ({ default: { [platform]: counts } });

const SUMMARIES: Record<string, Summary> = {
  'v0/numpy-conda-lock.yml': ['conda-lock', 1, { default: NUMPY5 as never }],
  'v0/pypi-matplotlib-conda-lock.yml': ['conda-lock', 1, { default: MATPLOTLIB as never }],
  'v0/python-conda-lock.yml': ['conda-lock', 1, { default: PY6 as never }],
  'v3/robostack-turtlesim-conda-lock.yml': ['pixi', 3, { default: TURTLESIM as never }],
  'v4/absolute-path-lock.yml': ['pixi', 4, { default: { 'linux-64': [0, 0, 1], 'win-64': [0, 0, 1] } }],
  'v4/numpy-lock.yml': ['pixi', 4, { default: NUMPY5 as never }],
  'v4/path-based-lock.yml': ['pixi', 4, one('win-64', [15, 0, 18])],
  'v4/pypi-matplotlib-lock.yml': ['pixi', 4, { default: MATPLOTLIB as never }],
  'v4/python-lock.yml': ['pixi', 4, { default: PY6 as never }],
  'v4/turtlesim-lock.yml': ['pixi', 4, { default: TURTLESIM as never }],
  'v5/flat-index-lock.yml': ['pixi', 5, one('osx-arm64', [13, 0, 5])],
  'v5/similar-with-and-without-purl.yml': ['pixi', 5, one('win-64', [1, 0, 0])],
  'v5/stability-original.yml': ['pixi', 5, { default: STABILITY as never }],
  'v5/stability-shuffled.yml': ['pixi', 5, { default: STABILITY as never }],
  'v6/conda-path-lock.yml': ['pixi', 6, { default: { 'linux-64': [1, 0, 0], 'win-64': [3, 0, 0] }, second: { 'win-64': [1, 0, 0] } }],
  'v6/derived-channel-lock.yml': ['pixi', 6, one('win-64', [2, 0, 0])],
  'v6/empty-lock.yml': ['pixi', 6, { default: {} }],
  'v6/multiple-source-packages-with-variants-lock.yml': ['pixi', 6, one('linux-64', [2, 0, 0])],
  'v6/numpy-as-pypi-lock.yml': ['pixi', 6, one('osx-arm64', [19, 0, 1])],
  'v6/options-lock.yml': ['pixi', 6, Object.fromEntries(OPTIONS.map((name) => [name, {}]))],
  'v6/pixi-build-git-rev-only-source-lock.yml': ['pixi', 6, one('linux-64', [1, 0, 0])],
  'v6/pixi-build-git-tag-source-lock.yml': ['pixi', 6, one('linux-64', [1, 0, 0])],
  'v6/pixi-build-pinned-source-lock.yml': ['pixi', 6, one('linux-64', [1, 0, 0])],
  'v6/pixi-build-url-source-lock.yml': ['pixi', 6, one('linux-64', [1, 0, 0])],
  'v6/python-from-conda-only-lock.yml': ['pixi', 6, one('osx-arm64', [19, 0, 0])],
  'v6/source-package-with-variants-lock.yml': ['pixi', 6, one('linux-64', [1, 0, 0])],
  'v6/sources-lock.yml': ['pixi', 6, one('win-64', [1, 0, 0])],
  'v7/conda-path-lock.yml': ['pixi', 7, { default: { 'linux-64-foobar': [1, 0, 0], 'win-64': [3, 0, 0] }, second: { 'win-64': [1, 0, 0] } }],
  'v7/conda-source-build-host-packages-lock.yml': ['pixi', 7, one('linux-64', [3, 0, 0])],
  'v7/derived-channel-lock.yml': ['pixi', 7, one('win-64', [2, 0, 0])],
  'v7/empty-lock.yml': ['pixi', 7, { default: {} }],
  'v7/multiple-source-packages-with-variants-lock.yml': ['pixi', 7, one('linux-64', [2, 0, 0])],
  'v7/numpy-as-pypi-lock.yml': ['pixi', 7, one('osx-arm64', [19, 0, 1])],
  'v7/options-lock.yml': ['pixi', 7, Object.fromEntries(OPTIONS.map((name) => [name, {}]))],
  'v7/partial-source-extra-depends-lock.yml': ['pixi', 7, one('linux-64', [0, 1, 0])],
  'v7/partial-source-flags-lock.yml': ['pixi', 7, one('linux-64', [0, 1, 0])],
  'v7/partial-source-purls-lock.yml': ['pixi', 7, one('linux-64', [0, 1, 0])],
  'v7/partial-source-run-exports-lock.yml': ['pixi', 7, one('linux-64', [0, 1, 0])],
  'v7/pixi-build-git-rev-only-source-lock.yml': ['pixi', 7, one('linux-64', [1, 0, 0])],
  'v7/pixi-build-git-tag-source-lock.yml': ['pixi', 7, one('linux-64', [1, 0, 0])],
  'v7/pixi-build-pinned-source-lock.yml': ['pixi', 7, one('linux-64', [1, 0, 0])],
  'v7/pixi-build-url-source-lock.yml': ['pixi', 7, one('linux-64', [1, 0, 0])],
  'v7/pypi_absolute_url.yml': ['pixi', 7, { default: PYPI_PATHS as never }],
  'v7/pypi_custom_index.yml': ['pixi', 7, one('linux-64', [0, 0, 3])],
  'v7/pypi_relative_outside_url.yml': ['pixi', 7, { default: PYPI_PATHS as never }],
  'v7/pypi_relative_url.yml': ['pixi', 7, { default: PYPI_PATHS as never }],
  'v7/python-from-conda-only-lock.yml': ['pixi', 7, one('osx-arm64', [19, 0, 0])],
  'v7/sources-lfs-lock.yml': ['pixi', 7, one('win-64', [1, 0, 0])],
  'v7/sources-lock.yml': ['pixi', 7, one('win-64', [1, 0, 0])],
};

function summary(read: LockFile): Summary {
  const environments: Summary[2] = {};
  for (const env of read.environments) {
    environments[env.name] = Object.fromEntries(env.packages.map((p) => [p.platform, [p.conda.length, p.partialSources.length, p.pypi.length]]));
  }
  return [read.format, read.version, environments];
}

/**
 * The same counts from the plain YAML (yaml.parse, none of the reader's code): conda-lock layout
 * entries per platform and manager (one per URL), pixi references per environment and platform.
 */
function countFromYaml(text: string): Summary[2] {
  const doc = parse(text) as Record<string, any>;
  if (doc.version <= 3) {
    const counts: Record<string, [number, number, number]> = {};
    const seen = new Set<string>();
    for (const p of doc.package ?? []) {
      const key = `${p.platform} ${p.manager} ${p.url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = (counts[p.platform] ??= [0, 0, 0]);
      c[p.manager === 'conda' ? 0 : 2]++;
    }
    for (const platform of doc.metadata.platforms ?? []) counts[platform] ??= [0, 0, 0];
    return { default: counts };
  }
  const partial = new Set<string>((doc.packages ?? []).filter((p: any) => p.conda_source !== undefined && (p.version === undefined || p.subdir === undefined)).map((p: any) => p.conda_source));
  const out: Summary[2] = {};
  for (const [name, env] of Object.entries<any>(doc.environments)) {
    out[name] = {};
    for (const [platform, refs] of Object.entries<any[]>(env.packages ?? {})) {
      const c: [number, number, number] = [0, 0, 0];
      for (const ref of refs ?? []) {
        if (ref.pypi !== undefined) c[2]++;
        else if (ref.conda_source !== undefined && partial.has(ref.conda_source)) c[1]++;
        else c[0]++;
      }
      out[name][platform] = c;
    }
  }
  return out;
}

test('every lock file fixture is read: format, version and counts per environment and platform', { skip }, () => {
  const files = lockFiles();
  const readable = files.filter((f) => f !== 'forward-compatible-lock.yml');
  assert.deepEqual(readable.sort(), Object.keys(SUMMARIES).sort(), 'a fixture was added or removed: update SUMMARIES');
  let environments = 0;
  let platforms = 0;
  let records = 0;
  for (const file of readable) {
    const read = lock(file);
    assert.equal(read.kind, 'lock-file');
    assert.equal(read.fileName, file);
    assert.deepEqual(summary(read), SUMMARIES[file], file);
    assert.deepEqual(summary(read)[2], countFromYaml(readFileSync(join(LOCKS, file), 'utf8')), `${file}: counts differ from the plain YAML`);
    for (const env of read.environments) {
      environments++;
      for (const p of env.packages) {
        platforms++;
        records += p.conda.length;
        for (const r of p.conda) {
          assert.ok(r.name && r.version && r.fn, `${file}: ${JSON.stringify(r)}`);
          assert.ok(r.subdir === p.subdir || r.subdir === 'noarch' || r.kind === 'source', `${file} ${p.platform}: ${r.fn} is for ${r.subdir}`);
          assert.ok(r.position.line > 0 && r.position.column > 0);
        }
      }
    }
  }
  console.log(`lock files: ${readable.length} read (${environments} environments, ${platforms} environment platforms, ${records} conda records), 1 refused as too new`);
});

test('conda-lock v1: records filled from the URL, dependencies mapping read as match specs', { skip }, () => {
  const file = 'v0/python-conda-lock.yml';
  const read = lock(file);
  assert.deepEqual(read.platforms.map((p) => p.name), ['linux-64', 'linux-aarch64', 'linux-ppc64le', 'osx-64', 'osx-arm64', 'win-64']);
  assert.deepEqual(read.environments.map((e) => [e.name, e.channels]), [['default', ['conda-forge']]]);
  assert.deepEqual(conda(file, 'default', 'linux-64', '_openmp_mutex'), {
    kind: 'binary',
    name: '_openmp_mutex',
    version: '4.5',
    build: '2_gnu', // from the file name: conda-lock v1 does not store builds
    build_number: 0, // rattler: the digits closing the build string, else 0
    subdir: 'linux-64',
    depends: ['_libgcc_mutex 0.1 conda_forge', 'libgomp >=7.5.0'],
    constrains: [],
    track_features: [],
    fn: '_openmp_mutex-4.5-2_gnu.tar.bz2',
    url: 'https://conda.anaconda.org/conda-forge/linux-64/_openmp_mutex-4.5-2_gnu.tar.bz2',
    channel: 'https://conda.anaconda.org/conda-forge',
    md5: '73aaf86a425cc6e73fcf236a5a46396d',
    sha256: 'fbe2c5e56a653bebb982eda4876a9178aedfc2b545f25d0ce9c4c0b508253d22',
    arch: 'x86_64',
    platform: 'linux',
    category: 'main',
    optional: false,
    position: { line: 90, column: 5 },
  });
  const pip = conda(file, 'default', 'win-64', 'pip');
  assert.deepEqual([pip.subdir, pip.noarch, pip.depends], ['noarch', 'python', ['python >=3.7', 'setuptools', 'wheel']]);
  // a noarch package is listed once per platform in conda-lock v1, and read once per platform
  assert.equal(read.environments[0]!.packages.filter((p) => p.conda.some((r) => r.fn === 'pip-23.0.1-pyhd8ed1ab_0.conda')).length, 6);
});

test('pixi v3: conda-lock layout with dependency lists, constrains and track_features as a string', { skip }, () => {
  const file = 'v3/robostack-turtlesim-conda-lock.yml';
  assert.deepEqual(lock(file).environments[0]!.channels, ['https://conda.anaconda.org/conda-forge/', 'https://repo.prefix.dev/robostack-staging/']);
  const vc = conda(file, 'default', 'win-64', 'vc');
  assert.deepEqual(
    [vc.version, vc.build, vc.build_number, vc.track_features, vc.depends, vc.size, vc.timestamp],
    ['14.3', 'h64f974e_17', 17, ['vc14'], ['vc14_runtime >=14.36.32532'], 17176, 1688020629925],
  );
  const openmp = conda(file, 'default', 'linux-64', '_openmp_mutex');
  assert.deepEqual([openmp.build_number, openmp.constrains], [16, ['openmp_impl 9999']]);
  // the metadata names repo.prefix.dev, the package URLs conda.anaconda.org: the channel comes from the URL
  const channels = packages(file, 'default', 'linux-64').conda.map((r) => r.channel);
  assert.deepEqual([...new Set(channels)], ['https://conda.anaconda.org/conda-forge', 'https://conda.anaconda.org/robostack-staging']);
  assert.equal(channels.filter((c) => c?.endsWith('robostack-staging')).length, 289);
});

test('pixi v4: a noarch URL listed once per subdir is picked by the platform; build derived from the URL', { skip }, () => {
  const file = 'v4/numpy-lock.yml';
  const cycler = conda(file, 'default', 'osx-arm64', 'cycler');
  // the file lists this noarch package five times, each with its platform's subdir and no build
  assert.deepEqual(
    [cycler.subdir, cycler.build, cycler.build_number, cycler.fn, cycler.noarch, cycler.depends],
    ['osx-arm64', 'pyhd8ed1ab_0', 0, 'cycler-0.11.0-pyhd8ed1ab_0.tar.bz2', undefined, ['python >=3.6']],
  );
  assert.equal(conda(file, 'default', 'linux-64', 'cycler').subdir, 'linux-64');
  assert.equal(conda('v4/turtlesim-lock.yml', 'default', 'linux-64', '_openmp_mutex').build_number, 16);
});

test('pixi v5: duplicate entries of one URL are merged, the one with purls filling the other', { skip }, () => {
  const tzdata = conda('v5/similar-with-and-without-purl.yml', 'default', 'win-64', 'tzdata');
  assert.deepEqual(tzdata, {
    kind: 'binary',
    name: 'tzdata',
    version: '2024b',
    build: 'hc8b5060_0',
    build_number: 0,
    subdir: 'noarch',
    noarch: 'generic',
    depends: [],
    constrains: [],
    track_features: [],
    fn: 'tzdata-2024b-hc8b5060_0.conda',
    url: 'https://conda.anaconda.org/conda-forge/noarch/tzdata-2024b-hc8b5060_0.conda',
    channel: 'https://conda.anaconda.org/conda-forge',
    license: 'LicenseRef-Public-Domain',
    md5: '8ac3367aafb1cc0a068483c580af8015',
    sha256: '4fde5c3008bf5d2db82f2b50204464314cc3c91c1d953652f7bd01d9e52aefdf',
    size: 122354,
    timestamp: 1728047496079,
    purls: [],
    position: { line: 10, column: 5 },
  });
  // shuffling the file changes nothing but positions
  const strip = (l: LockFile) => JSON.stringify(l.environments.map((e) => e.packages.map((p) => [p.platform, p.conda.map((r) => ({ ...r, position: 0 })).sort((a, b) => a.fn.localeCompare(b.fn)), p.pypi.map((x) => x.name).sort()])));
  assert.equal(strip(lock('v5/stability-original.yml')), strip(lock('v5/stability-shuffled.yml')));
  assert.deepEqual(lock('v5/flat-index-lock.yml').environments[0]!.pypiIndexes, ['https://pypi.org/simple']);
});

test('pixi v6/v7: minimal records get name, version, build, subdir and channel from the URL', { skip }, () => {
  const python = conda('v7/numpy-as-pypi-lock.yml', 'default', 'osx-arm64', 'python');
  assert.deepEqual(
    [python.version, python.build, python.build_number, python.subdir, python.channel, python.fn, python.depends[0], python.purls],
    ['3.13.0', 'hbbac1ca_101_cp313', 101, 'osx-arm64', 'https://prefix.dev/conda-forge', 'python-3.13.0-hbbac1ca_101_cp313.conda', '__osx >=11.0', []],
  );
  const tool = conda('v7/conda-source-build-host-packages-lock.yml', 'default', 'linux-64', 'build-tool');
  assert.deepEqual(tool, {
    kind: 'binary',
    name: 'build-tool',
    version: '1.0.0',
    build: 'h0',
    build_number: 0,
    subdir: 'linux-64',
    depends: [],
    constrains: [],
    track_features: [],
    fn: 'build-tool-1.0.0-h0.conda',
    url: 'https://conda.anaconda.org/conda-forge/linux-64/build-tool-1.0.0-h0.conda',
    channel: 'https://conda.anaconda.org/conda-forge',
    arch: 'x86_64',
    platform: 'linux',
    position: { line: 14, column: 5 },
  });
  // an explicit channel wins (without its trailing slash)
  assert.equal(conda('v6/derived-channel-lock.yml', 'default', 'win-64', 'python').channel, 'https://conda.anaconda.org/conda-forge');
});

test('pixi v6: references choose between packages at one location by name, build and subdir', { skip }, () => {
  const file = 'v6/conda-path-lock.yml';
  const minimal = (env: string, platform: string) => {
    const r = conda(file, env, platform, 'minimal-project');
    return [r.kind, r.build, r.subdir, r.depends, r.url];
  };
  assert.deepEqual(minimal('default', 'linux-64'), ['source', 'first', 'linux-64', ['__unix'], '../minimal-project']);
  assert.deepEqual(minimal('default', 'win-64'), ['source', 'first', 'win-64', ['__win'], '../minimal-project']);
  assert.deepEqual(minimal('second', 'win-64'), ['source', 'second', 'win-64', ['__win'], '../minimal-project']);
  const win = packages(file, 'default', 'win-64').conda.map((r) => `${r.name}=${r.version}=${r.build} ${r.noarch ?? '-'} ${r.url}`);
  assert.deepEqual(win, ['minimal-project=0.1=first - ../minimal-project', 'a-python-project=0.1=py38 python ../a-python-project', 'b-python-project=0.1=h398123 python ../a-python-project']);
});

test('pixi v7: platforms with their own names, subdirs and virtual packages', { skip }, () => {
  const read = lock('v7/conda-path-lock.yml');
  assert.deepEqual(read.platforms, [
    { name: 'linux-64-foobar', subdir: 'linux-64', virtualPackages: ['__libc >= 32'] },
    { name: 'win-64', subdir: 'win-64', virtualPackages: [] },
  ]);
  const linux = packages('v7/conda-path-lock.yml', 'default', 'linux-64-foobar');
  assert.equal(linux.subdir, 'linux-64');
  assert.deepEqual(linux.conda.map((r) => [r.name, r.build, r.subdir, r.source?.identifier]), [['minimal-project', 'first', 'linux-64', 'minimal-project[ac2e8eb3] @ ../minimal-project']]);
  assert.deepEqual(lock('v7/empty-lock.yml').platforms, []);
  const options = lock('v7/options-lock.yml').environments.map((e) => [e.name, e.options]);
  assert.deepEqual(options.filter(([, o]) => Object.keys(o as object).length > 0), [
    ['with-channel-priority', { 'channel-priority': 'disabled' }],
    ['with-strategy', { strategy: 'lowest-version' }],
  ]);
  assert.deepEqual(lock('v6/options-lock.yml').environments.find((e) => e.name === 'with-exclude-newer')!.options, { 'exclude-newer': '2025-04-15T12:15:00+00:00' });
});

test('pypi packages are listed apart from conda packages', { skip }, () => {
  const linux = packages('v0/pypi-matplotlib-conda-lock.yml', 'default', 'linux-64');
  // file order, from an independent awk over the file
  assert.deepEqual(linux.pypi.map((p) => `${p.name}==${p.version}`), [
    'cycler==0.11.0', 'fonttools==4.29.1', 'kiwisolver==1.3.2', 'numpy==1.22.2', 'pillow==9.0.1', 'pyparsing==3.0.7',
    'six==1.16.0', 'tomli==2.0.1', 'packaging==21.3', 'python-dateutil==2.8.2', 'setuptools-scm==6.4.2', 'matplotlib==3.5.1',
  ]);
  assert.ok(linux.conda.every((r) => !r.url.includes('pythonhosted')));
  assert.deepEqual(linux.pypi.find((p) => p.name === 'cycler'), {
    name: 'cycler',
    version: '0.11.0',
    location: 'https://files.pythonhosted.org/packages/5c/f9/695d6bedebd747e5eb0fe8fad57b72fdf25411273a39791cde838d5a8f51/cycler-0.11.0-py3-none-any.whl',
    sha256: '3a27e95f763a428a739d2add979fa7494c912a32c17c4c38c4d5f082cad165a3',
    requires_dist: [],
    position: { line: 339, column: 5 },
  });

  const paths = packages('v4/path-based-lock.yml', 'default', 'win-64').pypi;
  const byName = (name: string) => paths.find((p) => p.name === name)!;
  assert.equal(byName('flask').location, 'git+ssh://git@github.com/pallets/flask@b90a4f1f4a370e92054b9cc9db0efcb864f87ebe');
  assert.equal(byName('click').location, 'direct+https://github.com/pallets/click/releases/download/8.1.7/click-8.1.7-py3-none-any.whl');
  assert.deepEqual([byName('minimal-project').location, byName('minimal-project').editable], ['./minimal_project', true]);
  assert.deepEqual(packages('v4/absolute-path-lock.yml', 'default', 'win-64').pypi.map((p) => p.location), ['E:\\Developer\\prefix\\pixi\\examples\\pypi-source-deps/minimal-project']);

  const custom = packages('v7/pypi_custom_index.yml', 'default', 'linux-64');
  assert.deepEqual([custom.conda.length, custom.pypi.map((p) => [p.name, p.version, p.index])], [
    0,
    [['local-pkg', undefined, undefined], ['numpy', '1.26.0', 'https://my-custom-index.example.com/simple'], ['requests', '2.31.0', 'https://my-custom-index.example.com/simple']],
  ]);
  assert.deepEqual(packages('v7/pypi_relative_url.yml', 'default', 'osx-64').pypi.map((p) => [p.name, p.location, p.requires_dist]), [
    ['pixi-repro', './', ['my-subdir @ file:my_subdir']],
    ['my-subdir', './my_subdir', []],
  ]);
});

test('source packages keep where and how they are built; unevaluated ones are listed apart', { skip }, () => {
  assert.deepEqual(conda('v6/pixi-build-git-tag-source-lock.yml', 'default', 'linux-64', 'pixi-tag-package').source, {
    location: 'pixi-tag-package',
    build: { git: 'https://github.com/example/pixi-package.git', tag: 'v1.2.0', rev: 'def456789012345' },
  });
  assert.deepEqual(conda('v7/pixi-build-url-source-lock.yml', 'default', 'linux-64', 'pixi-url-package').source, {
    location: 'pixi-url-package',
    identifier: 'pixi-url-package[a3cdc9ff] @ pixi-url-package',
    build: { url: 'https://example.com/package.tar.gz', sha256: '1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef' },
  });
  const child = conda('v7/sources-lock.yml', 'default', 'win-64', 'child-package');
  assert.deepEqual([child.kind, child.depends, Object.keys(child.source!.sourceDepends!)], ['source', ['path', 'git_tag', 'git_rev', 'git_branch'], ['git_branch', 'git_rev', 'git_tag', 'path', 'url']]);
  assert.deepEqual(conda('v6/derived-channel-lock.yml', 'default', 'win-64', 'child-package').source!.input, {
    hash: 'b67010bf5bc5608db89c0399e726852b07a7ef4fb26b3aa18171f1d0f6a19c89',
    globs: ['pixi.toml'],
  });
  const variants = packages('v6/multiple-source-packages-with-variants-lock.yml', 'default', 'linux-64').conda.map((r) => [r.name, r.url, r.source?.variants]);
  assert.deepEqual(variants, [
    ['my-package', 'my-package-linux', { python: '3.11', target_platform: 'linux-64' }],
    ['my-package', 'my-package-win', { python: '3.11', target_platform: 'win-64' }],
  ]);
  const host = conda('v7/conda-source-build-host-packages-lock.yml', 'default', 'linux-64', 'my-package').source!;
  assert.deepEqual([host.buildPackages, host.hostPackages], [
    [{ conda: 'https://conda.anaconda.org/conda-forge/linux-64/build-tool-1.0.0-h0.conda' }],
    [{ conda: 'https://conda.anaconda.org/conda-forge/linux-64/host-lib-2.0.0-h0.conda' }],
  ]);

  const partial = (file: string) => packages(file, 'default', 'linux-64').partialSources;
  assert.deepEqual(partial('v7/partial-source-extra-depends-lock.yml'), [
    {
      name: 'my-partial-pkg',
      location: 'my-partial-pkg',
      identifier: 'my-partial-pkg[abcd1234] @ my-partial-pkg',
      depends: ['python >=3.10'],
      constrains: [],
      extra_depends: { cuda: ['cudatoolkit >=11'], tests: ['pytest'] },
      position: { line: 12, column: 5 },
    },
  ]);
  assert.deepEqual(partial('v7/partial-source-flags-lock.yml')[0]!.flags, ['cuda', 'mkl']);
  assert.deepEqual(partial('v7/partial-source-purls-lock.yml')[0]!.purls, ['pkg:pypi/my-partial-pkg@1.0']);
  assert.deepEqual(partial('v7/partial-source-run-exports-lock.yml')[0]!.run_exports, { strong: ['libfoo >=1.0,<2'], weak: ['libbar >=2'] });
});

// ---- errors ----------------------------------------------------------------------------------

function assertLockError(text: string, line: number, column: number, ...includes: Array<string | RegExp>): SpecError {
  let caught: unknown;
  try {
    readLockFile(text, 'broken.lock');
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SpecError, `expected a SpecError, got ${String(caught)}`);
  assert.equal(caught.file, 'broken.lock');
  assert.deepEqual(caught.position, { line, column }, caught.message);
  assert.ok(caught.message.startsWith(`broken.lock:${line}:${column}: `), caught.message);
  for (const part of includes) {
    if (typeof part === 'string') assert.ok(caught.message.includes(part), `${JSON.stringify(part)} not in: ${caught.message}`);
    else assert.match(caught.message, part);
  }
  return caught;
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const V6_HEAD = ['version: 6', 'environments:', '  default:', '    channels:', '      - url: https://conda.anaconda.org/conda-forge/', '    packages:', '      linux-64:'];
const ZLIB = 'https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-hb9d3cd8_2.conda';

test('a newer format version is refused with the version and what to do', { skip }, () => {
  assertLockError(readFileSync(join(LOCKS, 'forward-compatible-lock.yml'), 'utf8'), 11, 10, 'version 1000', 'versions 1 to 7', 'update env-setup');
});

test('broken lock files: SpecErrors at the line and column of the problem', () => {
  assertLockError('', 1, 1, 'empty lock file');
  assertLockError('- a\n- b\n', 1, 1, 'must be a YAML mapping', 'a list');
  assertLockError(lines('name: x', 'dependencies:', '  - numpy'), 1, 1, 'no "version:" key', 'environment.yml');
  assertLockError(lines('environments: {}', 'packages: []'), 1, 1, 'no "version:" key');
  assertLockError(lines('version: six', 'packages: []'), 1, 10, 'whole number', "'six'");
  assertLockError(lines('version: 8', 'packages: []'), 1, 10, 'format version 8');
  assertLockError(lines('version: 6', 'environments:', '  default:', '    channels: [', 'packages: []'), 5, 1, 'YAML syntax error');
  assertLockError(lines('version: 6', 'environments: {}', 'packages: []', 'packages: []'), 4, 1, 'the same key appears twice');
  assertLockError(lines('version: 5', 'environments: {}'), 1, 1, 'needs a "packages:" list');

  // a reference to a package the file does not have
  assertLockError(lines(...V6_HEAD, `        - conda: ${ZLIB}`, 'packages: []'), 8, 18, `environment 'default', platform 'linux-64' refers to '${ZLIB}'`, 're-lock');
  // a v6 reference whose build matches no package at that location
  assertLockError(lines(...V6_HEAD, '        - conda: ../pkg', '          build: second', 'packages:', '  - conda: ../pkg', '    name: pkg', '    version: "1"', '    build: first', '    subdir: noarch'), 8, 18, "refers to '../pkg'");
  // a bad hash, a bad version, a bad subdir, a bad build_number
  const entry = (...fields: string[]) => lines(...V6_HEAD, `        - conda: ${ZLIB}`, 'packages:', `  - conda: ${ZLIB}`, ...fields.map((f) => `    ${f}`));
  assertLockError(entry('md5: 12345'), 11, 10, "md5 '12345' is not an md5 hash (32 hex digits)");
  assertLockError(entry(`sha256: ${'g'.repeat(64)}`), 11, 13, 'sha256', 'not a sha256 hash');
  assertLockError(entry('version: 1.0 beta'), 11, 14, "'1.0 beta' is not a valid conda version");
  assertLockError(entry('subdir: linux-65'), 11, 13, "'linux-65' is not a conda subdir");
  assertLockError(entry('build_number: -1'), 11, 19, 'build_number must be a whole number');
  assertLockError(entry('depends: python'), 11, 14, 'depends must be a list');
  assertLockError(entry('depends:', '  - [python]'), 12, 9, 'item 1 of depends must be a single value');
  assertLockError(entry('noarch: maybe'), 11, 13, 'noarch must be "python", "generic" or false');
  // a source package without a name, and an entry that is neither conda nor pypi
  assertLockError(lines(...V6_HEAD, '        - conda: ../src', 'packages:', '  - conda: ../src', '    version: "1"'), 10, 5, "the source package at '../src' has no \"name\"");
  assertLockError(lines('version: 6', 'environments: {}', 'packages:', '  - name: x', '    url: https://example.com/x-1-0.conda'), 4, 5, 'must start with "conda:" or "pypi:"');
  // a v4/v5 package kind that does not exist, and a conda URL that names no package
  assertLockError(lines('version: 5', 'environments: {}', 'packages:', '  - kind: npm', '    name: x'), 4, 11, "unknown package kind 'npm'");
  assertLockError(lines('version: 5', 'environments: {}', 'packages:', '  - kind: conda', '    url: https://example.com/download'), 4, 5, 'has no name', 'not a conda archive name');
  // a binary package without a subdir that its URL could give
  assertLockError(lines('version: 6', 'environments: {}', 'packages:', '  - conda: https://example.com/x-1-0.conda'), 4, 5, 'has no subdir');
  // platforms: a bad one in v5, a top-level list before v7, an undeclared one in v7, a duplicate one
  assertLockError(lines('version: 5', 'environments:', '  default:', '    channels: []', '    packages:', '      linux-65: []', 'packages: []'), 6, 7, "'linux-65' is not a conda platform");
  assertLockError(lines('version: 6', 'platforms: []', 'environments: {}', 'packages: []'), 2, 12, 'new in version 7');
  assertLockError(lines('version: 7', 'platforms:', '  - name: win-64', 'environments:', '  default:', '    channels: []', '    packages:', '      linux-64: []', 'packages: []'), 8, 7, "uses platform 'linux-64'", 'does not declare');
  assertLockError(lines('version: 7', 'platforms:', '  - name: win-64', '  - name: win-64', 'environments: {}', 'packages: []'), 4, 11, "platform 'win-64' is listed twice");
  assertLockError(lines('version: 7', 'platforms:', '  - name: my-linux', 'environments: {}', 'packages: []'), 3, 11, "'my-linux' is not a conda platform", 'subdir');
  // v7: a source package written the v6 way, and a malformed source identifier
  assertLockError(lines('version: 7', 'platforms: []', 'environments: {}', 'packages:', '  - conda: ../src'), 5, 12, 'conda_source');
  assertLockError(lines('version: 7', 'platforms: []', 'environments: {}', 'packages:', '  - conda_source: my-package @ ../src'), 5, 19, 'not a source package identifier');

  // conda-lock v1: a bad platform, an unknown manager, a missing hash, a bad dependency spec
  const v1 = (...fields: string[]) =>
    lines('version: 1', 'metadata:', '  channels:', '    - url: conda-forge', '  platforms:', '    - linux-64', 'package:', '  - name: zlib', ...fields.map((f) => `    ${f}`));
  const good = ['version: 1.3.1', 'manager: conda', 'platform: linux-64', 'dependencies: {}', `url: ${ZLIB}`, 'hash:', `  md5: ${'a'.repeat(32)}`];
  assertLockError(v1(...good.map((f) => f.replace('platform: linux-64', 'platform: linux-65'))), 11, 15, "'linux-65' is not a conda subdir");
  assertLockError(v1(...good.map((f) => f.replace('manager: conda', 'manager: npm'))), 10, 14, "unknown package manager 'npm'");
  assertLockError(v1(...good.slice(0, 5)), 8, 5, "the package 'zlib' has no \"hash\"");
  assertLockError(v1(...good, 'category: main', 'optional: maybe'), 17, 15, 'optional must be true or false');
  assertLockError(v1(...good.map((f) => f.replace('dependencies: {}', 'dependencies: {libgcc: [1]}'))), 12, 28, "the spec of dependency 'libgcc' must be a single value");
  assertLockError(lines('version: 1', 'package: []'), 1, 1, 'needs a "metadata:" mapping');
});

test('small lock files written here read as expected (timestamps in seconds become milliseconds)', () => {
  const v1 = readLockFile(
    lines(
      'metadata:',
      '  channels: [{url: conda-forge, used_env_vars: []}]',
      '  platforms: [linux-64]',
      'package:',
      '  - name: zlib',
      '    version: 1.3.1',
      '    manager: conda',
      '    platform: linux-64',
      '    dependencies:',
      '      libgcc: ">=13"',
      '      __glibc: ">=2.17,<3.0.a0"',
      '      libzlib: 1.3.1 hb9d3cd8_2',
      '      tzdata:',
      `    url: ${ZLIB}`,
      `    hash: {md5: ${'A'.repeat(32)}}`,
      '    timestamp: 1700000000',
      'version: 1',
    ),
    'conda-lock.yml',
  );
  const [zlib] = v1.environments[0]!.packages[0]!.conda;
  assert.deepEqual(
    [zlib!.depends, zlib!.md5, zlib!.timestamp, zlib!.build_number],
    [['libgcc >=13', '__glibc >=2.17,<3.0.a0', 'libzlib 1.3.1 hb9d3cd8_2', 'tzdata'], 'a'.repeat(32), 1700000000000, 2],
  );
  // an unquoted version that YAML would read as a number keeps its text
  const v7 = readLockFile(
    lines('version: 7', 'platforms: [{name: linux-64}]', 'environments:', '  default:', '    channels: []', '    packages:', `      linux-64: [{conda: "${ZLIB}"}]`, 'packages:', `  - conda: ${ZLIB}`, '    version: 1.10'),
    'pixi.lock',
  );
  assert.equal(v7.environments[0]!.packages[0]!.conda[0]!.version, '1.10');
});
