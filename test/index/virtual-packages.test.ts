// Virtual packages: detection on this machine, conda's cross-platform defaults, CONDA_OVERRIDE_* and
// --virtual-package overrides, and clear errors for bad input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecError } from '../../core/spec/errors.ts';
import { Version } from '../../core/spec/version.ts';
import {
  darwinToMacos, type HostFacts, hostSubdir, parseVirtualPackageArg, type VirtualPackageRecord, virtualPackagesFor, x86_64Level,
} from '../../core/index/virtual-packages.ts';

const NO_ENV = {};

function summary(records: VirtualPackageRecord[]): string[] {
  return records.map((r) => `${r.name}=${r.version}=${r.build}`);
}

test('cross-platform defaults: linux-64', () => {
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { detect: false, env: NO_ENV })), ['__unix=0=0', '__linux=0=0', '__glibc=2.17=0', '__archspec=1=x86_64']);
});

test('cross-platform defaults: linux-aarch64', () => {
  assert.deepEqual(summary(virtualPackagesFor('linux-aarch64', { detect: false, env: NO_ENV })), ['__unix=0=0', '__linux=0=0', '__glibc=2.17=0', '__archspec=1=aarch64']);
});

test('cross-platform defaults: osx-arm64 and osx-64', () => {
  assert.deepEqual(summary(virtualPackagesFor('osx-arm64', { detect: false, env: NO_ENV })), ['__unix=0=0', '__osx=11.0=0', '__archspec=1=arm64']);
  assert.deepEqual(summary(virtualPackagesFor('osx-64', { detect: false, env: NO_ENV })), ['__unix=0=0', '__osx=10.15=0', '__archspec=1=x86_64']);
});

test('cross-platform defaults: win-64 and others', () => {
  assert.deepEqual(summary(virtualPackagesFor('win-64', { detect: false, env: NO_ENV })), ['__win=0=0', '__archspec=1=x86_64']);
  assert.deepEqual(summary(virtualPackagesFor('win-arm64', { detect: false, env: NO_ENV })), ['__win=0=0', '__archspec=1=arm64']);
  assert.deepEqual(summary(virtualPackagesFor('linux-ppc64le', { detect: false, env: NO_ENV })), ['__unix=0=0', '__linux=0=0', '__glibc=2.17=0', '__archspec=1=ppc64le']);
  assert.deepEqual(summary(virtualPackagesFor('emscripten-wasm32', { detect: false, env: NO_ENV })), ['__unix=0=0', '__archspec=1=wasm32']);
  assert.deepEqual(summary(virtualPackagesFor('noarch', { detect: false, env: NO_ENV })), []);
});

test('records are repodata-shaped, channel @', () => {
  const [glibc] = virtualPackagesFor('linux-64', { detect: false, env: NO_ENV }).filter((r) => r.name === '__glibc');
  assert.deepEqual(glibc, {
    name: '__glibc', version: '2.17', build: '0', build_number: 0, depends: [], constrains: [], subdir: 'linux-64', channel: '@', fn: '__glibc-2.17-0.virtual',
  });
});

test('an unknown platform is a SpecError', () => {
  assert.throws(() => virtualPackagesFor('linux-128', { detect: false }), (e: unknown) => e instanceof SpecError && /unknown platform 'linux-128'/.test(e.message));
});

test('CONDA_OVERRIDE_* set versions and builds', () => {
  const env = { CONDA_OVERRIDE_GLIBC: '2.28', CONDA_OVERRIDE_LINUX: '5.15.0-91-generic', CONDA_OVERRIDE_ARCHSPEC: 'x86_64_v3', CONDA_OVERRIDE_CUDA: ' 12.4 ' };
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { detect: false, env })), ['__unix=0=0', '__linux=5.15.0=0', '__glibc=2.28=0', '__archspec=1=x86_64_v3', '__cuda=12.4=0']);
  assert.deepEqual(summary(virtualPackagesFor('osx-arm64', { detect: false, env: { CONDA_OVERRIDE_OSX: '14.5' } })), ['__unix=0=0', '__osx=14.5=0', '__archspec=1=arm64']);
  assert.deepEqual(summary(virtualPackagesFor('win-64', { detect: false, env: { CONDA_OVERRIDE_WIN: '10.0.22631' } })), ['__win=10.0.22631=0', '__archspec=1=x86_64']);
  // CEP 30 __cuda_arch, only with __cuda
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_CUDA: '12.4', CONDA_OVERRIDE_CUDA_ARCH: '8.6=RTX3090' } })).slice(-2), ['__cuda=12.4=0', '__cuda_arch=8.6=RTX3090']);
  assert.ok(!summary(virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_CUDA_ARCH: '8.6' } })).some((s) => s.startsWith('__cuda')));
});

test('overrides for another OS are ignored', () => {
  const env = { CONDA_OVERRIDE_OSX: '14.5', CONDA_OVERRIDE_WIN: '10.0.1' };
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { detect: false, env })), ['__unix=0=0', '__linux=0=0', '__glibc=2.17=0', '__archspec=1=x86_64']);
});

test('an empty override removes the package (but __linux becomes 0, as in conda)', () => {
  const env = { CONDA_OVERRIDE_GLIBC: '', CONDA_OVERRIDE_ARCHSPEC: '', CONDA_OVERRIDE_CUDA: '', CONDA_OVERRIDE_LINUX: '' };
  const host: HostFacts = { subdir: 'linux-64', linuxRelease: '6.1.0-18-amd64', glibc: '2.36', archspec: 'x86_64_v3', cuda: '12.2' };
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { host, env })), ['__unix=0=0', '__linux=0=0']);
  assert.deepEqual(summary(virtualPackagesFor('osx-64', { detect: false, env: { CONDA_OVERRIDE_OSX: '  ' } })), ['__unix=0=0', '__archspec=1=x86_64']);
  assert.deepEqual(summary(virtualPackagesFor('win-64', { detect: false, env: { CONDA_OVERRIDE_WIN: '' } })), ['__archspec=1=x86_64']);
});

test('a bad override value is a SpecError naming the variable', () => {
  assert.throws(() => virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_GLIBC: '2..17' } }), (e: unknown) => e instanceof SpecError && /CONDA_OVERRIDE_GLIBC='2\.\.17'/.test(e.message));
  assert.throws(() => virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_ARCHSPEC: 'x86 64' } }), /CONDA_OVERRIDE_ARCHSPEC/);
  assert.throws(() => virtualPackagesFor('osx-64', { detect: false, env: { CONDA_OVERRIDE_OSX: '13.*' } }), /pattern/);
});

test('host facts are used when the target OS is the host OS', () => {
  const host: HostFacts = { subdir: 'linux-64', linuxRelease: '6.8.0-1012-azure', glibc: '2.39', archspec: 'x86_64_v4', cuda: '12.4', cudaArch: { version: '8.9', build: 'L4' } };
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { host, env: NO_ENV })), ['__unix=0=0', '__linux=6.8.0=0', '__glibc=2.39=0', '__archspec=1=x86_64_v4', '__cuda=12.4=0', '__cuda_arch=8.9=L4']);
  // another linux subdir: the kernel and libc are the host's (as in conda), the microarchitecture is not
  assert.deepEqual(summary(virtualPackagesFor('linux-aarch64', { host, env: NO_ENV })).slice(0, 4), ['__unix=0=0', '__linux=6.8.0=0', '__glibc=2.39=0', '__archspec=1=aarch64']);
  // another OS: defaults, no CUDA from this machine
  assert.deepEqual(summary(virtualPackagesFor('osx-arm64', { host, env: NO_ENV })), ['__unix=0=0', '__osx=11.0=0', '__archspec=1=arm64']);
  // musl: no __glibc
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { host: { subdir: 'linux-64', linuxRelease: '6.6.1' }, env: NO_ENV })), ['__unix=0=0', '__linux=6.6.1=0', '__archspec=1=x86_64']);
  // macOS host: the real version, trimmed to major.minor (CEP 30)
  const mac: HostFacts = { subdir: 'osx-arm64', osx: '14.4.1', archspec: 'm2' };
  assert.deepEqual(summary(virtualPackagesFor('osx-arm64', { host: mac, env: NO_ENV })), ['__unix=0=0', '__osx=14.4=0', '__archspec=1=m2']);
  assert.deepEqual(summary(virtualPackagesFor('osx-64', { host: mac, env: NO_ENV })), ['__unix=0=0', '__osx=14.4=0', '__archspec=1=x86_64']);
  // a kernel release without a numeric prefix is 0, as in conda
  assert.deepEqual(summary(virtualPackagesFor('linux-64', { host: { subdir: 'linux-64', linuxRelease: 'weird' }, env: NO_ENV })).slice(1, 2), ['__linux=0=0']);
});

test('--virtual-package overrides replace or add packages', () => {
  const records = virtualPackagesFor('linux-64', { detect: false, env: { CONDA_OVERRIDE_GLIBC: '2.28' }, overrides: ['__glibc=2.31', '__cuda=12.0', '__archspec=1=x86_64_v3'] });
  assert.deepEqual(summary(records), ['__unix=0=0', '__linux=0=0', '__glibc=2.31=0', '__archspec=1=x86_64_v3', '__cuda=12.0=0']);
  assert.equal(records.find((r) => r.name === '__cuda')?.fn, '__cuda-12.0-0.virtual');
});

test('parseVirtualPackageArg reads name=version[=build]', () => {
  assert.deepEqual(parseVirtualPackageArg('__glibc=2.28'), { name: '__glibc', version: '2.28', build: '0' });
  assert.deepEqual(parseVirtualPackageArg(' __ARCHSPEC=1=x86_64_v3 '), { name: '__archspec', version: '1', build: 'x86_64_v3' });
  assert.deepEqual(parseVirtualPackageArg('__osx=10.15'), { name: '__osx', version: '10.15', build: '0' });
});

test('parseVirtualPackageArg errors are clear SpecErrors', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['glibc=2.28', /start with '__' \(did you mean '__glibc'\?\)/],
    ['__glibc', /no version; write __glibc=<version>/],
    ['__glibc=', /version is empty/],
    ['__glibc=2.28=0=1', /too many '='/],
    ['__glibc=2..28', /invalid version/],
    ['__glibc=2.*', /pattern/],
    ['__glibc >=2.28', /spaces/],
    ['__glibc>=2.28', /one exact version, not a range/],
    ['__glibc==2.28', /single '='/],
    ['__archspec=1=', /build string is empty/],
    ['__archspec=1=a*b', /build string 'a\*b'/],
    ['__g@ibc=1', /not a package name/],
    ['=1', /name is missing/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseVirtualPackageArg(text), (e: unknown) => {
      assert.ok(e instanceof SpecError, `${text}: not a SpecError`);
      assert.match(e.message, message, text);
      assert.match(e.message, /^invalid virtual package/, text);
      return true;
    });
  }
});

test('helpers: x86-64 levels, darwin → macOS, host subdir', () => {
  const v2 = 'cx16 lahf_lm mmx sse sse2 ssse3 sse4_1 sse4_2 popcnt';
  const v3 = `${v2} avx avx2 bmi1 bmi2 f16c fma abm movbe xsave`;
  assert.equal(x86_64Level('flags\t\t: fpu sse'), 'x86_64');
  assert.equal(x86_64Level(`flags\t\t: ${v2}`), 'x86_64_v2');
  assert.equal(x86_64Level(`processor : 0\nflags\t\t: fpu ${v3} ht\n`), 'x86_64_v3');
  assert.equal(x86_64Level(`flags\t\t: ${v3} avx512f avx512bw avx512cd avx512dq avx512vl`), 'x86_64_v4');
  assert.equal(x86_64Level(`flags\t\t: ${v3} avx512f`), 'x86_64_v3');
  assert.equal(darwinToMacos('23.4.0'), '14.0');
  assert.equal(darwinToMacos('20.1.0'), '11.0');
  assert.equal(darwinToMacos('19.6.0'), '10.15');
  assert.equal(darwinToMacos('25.0.0'), '26.0');
  assert.equal(hostSubdir('linux', 'x64'), 'linux-64');
  assert.equal(hostSubdir('linux', 'arm64'), 'linux-aarch64');
  assert.equal(hostSubdir('darwin', 'arm64'), 'osx-arm64');
  assert.equal(hostSubdir('win32', 'x64'), 'win-64');
  assert.equal(hostSubdir('linux', 'arm', 'armv6l'), 'linux-armv6l');
  assert.equal(hostSubdir('sunos', 'x64'), undefined);
});

test('detection on this machine', { skip: process.platform !== 'linux' ? 'not on Linux' : false }, () => {
  const subdir = hostSubdir();
  assert.ok(subdir?.startsWith('linux-'), `host subdir ${subdir}`);
  const records = virtualPackagesFor(subdir!, { env: NO_ENV });
  const byName = new Map(records.map((r) => [r.name, r]));
  assert.equal(byName.get('__unix')?.version, '0');
  const linux = byName.get('__linux');
  assert.ok(linux && /^\d+\.\d+(\.\d+)?(\.\d+)?$/.test(linux.version), `__linux ${linux?.version}`);
  assert.ok(Version.parse(linux.version).compare(Version.parse('2.6')) > 0);
  const glibc = byName.get('__glibc');
  assert.ok(glibc && /^\d+\.\d+$/.test(glibc.version), `__glibc ${glibc?.version}`);
  assert.ok(Version.parse(glibc.version).compare(Version.parse('2.5')) > 0);
  const archspec = byName.get('__archspec');
  assert.equal(archspec?.version, '1');
  assert.ok(archspec.build.length > 0);
  if (process.arch === 'x64') assert.match(archspec.build, /^x86_64(_v[234])?$/);
  for (const r of records) {
    assert.equal(r.channel, '@');
    assert.equal(r.subdir, subdir);
    Version.parse(r.version);
  }
  // the facts are cached: a second call is fast and equal
  const t0 = performance.now();
  assert.deepEqual(virtualPackagesFor(subdir!, { env: NO_ENV }), records);
  assert.ok(performance.now() - t0 < 50);
});
