// Spec files: written in conda's explicit format with env-setup's header, read back by our
// explicit-file reader (round trip on real explicit files), tokens removed, the solution hash stable
// across headers, and files of a newer major format refused with a clear message.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSpecFile, SPEC_FORMAT_VERSION, specFileHash, writeSpecFile } from '../../core/cache/spec-file.ts';
import { withChannelCredentials } from '../../core/cache/spec-file-credentials.ts';
import { SpecError } from '../../core/spec/errors.ts';
import { parseExplicitFile } from '../../core/spec/explicit-file.ts';

const shared = fileURLToPath(new URL('../../../shared/fixtures/lockfiles/explicit-envs/', import.meta.url));
const local = fileURLToPath(new URL('../spec/fixtures/env-files/', import.meta.url));
const KEY = 'a'.repeat(64);

const sample = {
  platform: 'linux-64',
  environmentKey: KEY,
  channels: ['https://repo.example.com/t/tk-secret-1/private', 'conda-forge'],
  virtualPackages: ['__glibc=2.17=0', { name: '__unix', version: '0', build: '0' }],
  packages: [
    { name: 'libfoo', url: 'https://repo.example.com/t/tk-secret-1/private/linux-64/libfoo-2.0-h1_0.conda', sha256: 'b'.repeat(64), md5: 'c'.repeat(32) },
    { name: 'bar', url: 'https://user:pw-secret-2@repo.example.com/private/noarch/bar-1.0-0.tar.bz2', md5: 'd'.repeat(32) },
    { name: 'nohash', url: 'https://conda.anaconda.org/conda-forge/noarch/nohash-1-0.conda' },
  ],
  created: new Date('2025-01-31T12:00:00.000Z'),
  envSetupVersion: '9.8.7',
};

test('writes the header and one URL per line with its hash; secrets never enter it', () => {
  const text = writeSpecFile(sample);
  assert.ok(!text.includes('tk-secret-1') && !text.includes('pw-secret-2'), text);
  const lines = text.trimEnd().split('\n');
  assert.ok(lines.includes('# platform: linux-64'));
  assert.ok(lines.includes(`# spec-format: ${SPEC_FORMAT_VERSION}`));
  assert.ok(lines.includes('# env-setup: 9.8.7'));
  assert.ok(lines.includes(`# environment-key: ${KEY}`));
  assert.ok(lines.includes('# channel: https://repo.example.com/t/<TOKEN>/private'));
  assert.ok(lines.includes('# created: 2025-01-31T12:00:00.000Z'));
  const at = lines.indexOf('@EXPLICIT');
  assert.deepEqual(lines.slice(at + 1), [
    `https://repo.example.com/private/linux-64/libfoo-2.0-h1_0.conda#sha256:${'b'.repeat(64)}`,
    `https://repo.example.com/private/noarch/bar-1.0-0.tar.bz2#${'d'.repeat(32)}`,
    'https://conda.anaconda.org/conda-forge/noarch/nohash-1-0.conda',
  ]);
});

test('reads back through our explicit-file reader: header, packages and hash', () => {
  const text = writeSpecFile(sample);
  const spec = readSpecFile(text, 'env.lock');
  assert.deepEqual(spec.header, {
    formatVersion: SPEC_FORMAT_VERSION,
    envSetupVersion: '9.8.7',
    environmentKey: KEY,
    platform: 'linux-64',
    channels: ['https://repo.example.com/t/<TOKEN>/private', 'conda-forge'],
    virtualPackages: ['__glibc=2.17=0', '__unix=0=0'],
    created: '2025-01-31T12:00:00.000Z',
  });
  assert.deepEqual(spec.explicit, parseExplicitFile(text, 'env.lock'));
  assert.deepEqual(spec.explicit.packages.map((p) => [p.name, p.version, p.build, p.subdir, p.sha256, p.md5]), [
    ['libfoo', '2.0', 'h1_0', 'linux-64', 'b'.repeat(64), undefined],
    ['bar', '1.0', '0', 'noarch', undefined, 'd'.repeat(32)],
    ['nohash', '1', '0', 'noarch', undefined, undefined],
  ]);
  assert.equal(spec.hash, specFileHash('linux-64', sample.packages.map((p) => ({ ...p }))));
});

test('the solution hash ignores the header but not the packages, their order or the platform', () => {
  const h = readSpecFile(writeSpecFile(sample), 'a').hash;
  assert.equal(readSpecFile(writeSpecFile({ ...sample, environmentKey: 'e'.repeat(64), created: new Date(), channels: [] }), 'b').hash, h);
  assert.notEqual(readSpecFile(writeSpecFile({ ...sample, platform: 'linux-aarch64' }), 'c').hash, h);
  assert.notEqual(readSpecFile(writeSpecFile({ ...sample, packages: [...sample.packages].reverse() }), 'd').hash, h);
  assert.notEqual(readSpecFile(writeSpecFile({ ...sample, packages: sample.packages.slice(1) }), 'e').hash, h);
  assert.match(h, /^[0-9a-f]{64}$/);
});

test('real explicit files round-trip: read, written as a spec file, read again, same packages', { skip: existsSync(shared) ? false : '../shared/fixtures is absent' }, () => {
  for (const name of ['xtensor_linux-64.txt', 'ros-noetic_linux-64.txt', 'vs2015_runtime_win-64.txt']) {
    const original = parseExplicitFile(readFileSync(join(shared, name), 'utf8'), name);
    const text = writeSpecFile({ platform: original.platform!, channels: ['conda-forge'], virtualPackages: [], packages: original.packages });
    const again = readSpecFile(text, name);
    assert.equal(again.header?.platform, original.platform);
    const strip = (ps: typeof original.packages) => ps.map((p) => ({ ...p, range: undefined }));
    assert.deepEqual(strip(again.explicit.packages), strip(original.packages), name);
    // another tool's explicit file has no env-setup header, but the same hash
    const plain = readSpecFile(readFileSync(join(shared, name), 'utf8'), name);
    assert.equal(plain.header, undefined);
    assert.equal(plain.hash, again.hash);
  }
});

test('a hand-written explicit file with a token reads; writing it drops the token', () => {
  const original = parseExplicitFile(readFileSync(join(local, 'explicit-good.txt'), 'utf8'), 'explicit-good.txt');
  const text = writeSpecFile({ platform: 'osx-arm64', channels: [], virtualPackages: [], packages: original.packages });
  assert.ok(!text.includes('secret-token-123'));
  assert.equal(readSpecFile(text, 'x').explicit.packages.length, original.packages.length);
});

test('a newer major format is refused; a malformed header or body names the file and line', () => {
  const text = writeSpecFile(sample);
  const newer = text.replace(`# spec-format: ${SPEC_FORMAT_VERSION}`, '# spec-format: 2.0.0');
  assert.throws(() => readSpecFile(newer, 'cache/key'), (e: unknown) => e instanceof SpecError && /^cache\/key:5:1: this spec file has format 2\.0\.0, newer than/.test(e.message));
  assert.equal(readSpecFile(text.replace(`# spec-format: ${SPEC_FORMAT_VERSION}`, '# spec-format: 1.7.0'), 'x').header?.formatVersion, '1.7.0');
  assert.throws(() => readSpecFile(text.replace(`# spec-format: ${SPEC_FORMAT_VERSION}`, '# spec-format: one'), 'x'), /x:5:1: "spec-format: one" is not a version/);
  assert.throws(() => readSpecFile(text.replace(`# spec-format: ${SPEC_FORMAT_VERSION}\n`, ''), 'x'), /no "spec-format:" line/);
  assert.throws(() => readSpecFile(text.replace('#sha256:' + 'b'.repeat(64), '#sha256:XYZ'), 'x'), (e: unknown) => e instanceof SpecError && /^x:\d+:\d+: bad package hash/.test(e.message));
  assert.throws(() => readSpecFile(text.slice(0, text.indexOf('@EXPLICIT')), 'x'), /no @EXPLICIT line/);
});

test('a package without a URL cannot be written', () => {
  assert.throws(() => writeSpecFile({ ...sample, packages: [{ name: 'ghost', url: undefined }] }), /'ghost' has no URL/);
});

test('credentials come back from the channel configuration when installing', () => {
  const channels = [{ baseUrl: 'https://repo.example.com/t/tk-9/private' }, { baseUrl: 'https://conda.anaconda.org/conda-forge' }];
  assert.equal(withChannelCredentials('https://repo.example.com/private/linux-64/x-1-0.conda', channels), 'https://repo.example.com/t/tk-9/private/linux-64/x-1-0.conda');
  assert.equal(withChannelCredentials('https://conda.anaconda.org/conda-forge/noarch/y-1-0.conda', channels), 'https://conda.anaconda.org/conda-forge/noarch/y-1-0.conda');
  assert.equal(withChannelCredentials('https://repo.example.com/privateer/noarch/z-1-0.conda', channels), 'https://repo.example.com/privateer/noarch/z-1-0.conda');
});
