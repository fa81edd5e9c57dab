// The environment key, both ways, on real environment files: what must not change it (comments,
// whitespace, key and list order, spec spelling, the name, a channel token, the file format) and
// what must (a spec, channel order, platform, channel priority, virtual-package overrides, pip
// requirements and the content of a referenced requirements file, the .condarc's channels).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readEnvironmentInput, type SolveInput } from '../../core/cache/environment-input.ts';
import { environmentKey, type EnvironmentKeyRequest } from '../../core/cache/environment-key.ts';
import { SpecError } from '../../core/spec/errors.ts';

const fixtures = fileURLToPath(new URL('../spec/fixtures/env-files/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'env-setup-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = { HOME: dir, CONDARC: '', CONDA_CHANNELS: '' };

function input(text: string, name = 'environment.yml'): SolveInput {
  const file = join(dir, name);
  writeFileSync(file, text);
  const parsed = readEnvironmentInput(text, file);
  assert.equal(parsed.kind, 'solve');
  return parsed as SolveInput;
}

function keyOf(i: SolveInput, extra: Partial<EnvironmentKeyRequest> = {}): string {
  return environmentKey({ specs: i.specs, channels: i.channels, platform: 'linux-64', pip: i.pip, files: i.files, env, ...extra }).key;
}

const original = readFileSync(join(fixtures, 'environment.yml'), 'utf8');
const base = keyOf(input(original));

test('a key is 64 hex digits, and the same file gives the same key', () => {
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(keyOf(input(original)), base);
});

test('comments, whitespace, key order, list order, spelling and the name do not change it', () => {
  const reformatted = `variables: {OMP_NUM_THREADS: 2}
dependencies:
  - pip:
    - requests>=2.31
    - "-e ."
  - pip
  - numpy>=1.26,<2
  - conda-forge::scipy
  - pywin32   # [win]
  - python =3.12
channels: [conda-forge, bioconda]
name: another-name
`;
  assert.equal(keyOf(input(reformatted)), base);
  // a spec given twice is one spec
  assert.equal(keyOf(input(original.replace('  - pip\n', '  - pip\n  - python=3.12\n'))), base);
});

test('the same specs in a plain spec file and in an environment.yml give the same key', () => {
  const plain = input(readFileSync(join(fixtures, 'plain-specs.txt'), 'utf8'), 'specs.txt');
  const yml = input('channels: [conda-forge]\ndependencies: [conda-forge::scipy=1.13, numpy, python>=3.11]\n');
  assert.equal(keyOf(plain, { channels: ['conda-forge'] }), keyOf(yml));
});

test('anything that changes the solve changes it', () => {
  const i = input(original);
  const changed: [string, string][] = [
    ['a spec', keyOf(input(original.replace('python=3.12', 'python=3.11')))],
    ['an added spec', keyOf(input(original.replace('  - pip\n', '  - pip\n  - pandas\n')))],
    ['channel order', keyOf(input(original.replace('  - conda-forge\n  - bioconda  # second channel', '  - bioconda\n  - conda-forge')))],
    ['a pip requirement', keyOf(input(original.replace('requests>=2.31', 'requests>=2.32')))],
    ['the platform', keyOf(i, { platform: 'osx-arm64' })],
    ['channel priority', keyOf(i, { channelPriority: 'strict' })],
    ['a --virtual-package', keyOf(i, { virtualPackages: ['__glibc=2.28'] })],
    ['CONDA_OVERRIDE_GLIBC', keyOf(i, { env: { ...env, CONDA_OVERRIDE_GLIBC: '2.28' } })],
    ['--override-channels off (.condarc defaults)', keyOf(input(original.replace('  - bioconda  # second channel', '  - bioconda\n  - nodefaults')))],
  ];
  const seen = new Set([base]);
  for (const [what, key] of changed) {
    assert.notEqual(key, base, what);
    assert.ok(!seen.has(key), `${what} collides with another change`);
    seen.add(key);
  }
});

test('the .condarc the solve reads is part of it (its channels, channel_alias)', () => {
  const i = input('dependencies: [numpy]\n');
  const condarc = join(dir, 'condarc.yml');
  writeFileSync(condarc, 'channels: [conda-forge]\n');
  const a = keyOf(i, { condarcPath: condarc });
  writeFileSync(condarc, 'channels: [conda-forge]\nchannel_alias: https://mirror.example.com\n');
  const b = keyOf(i, { condarcPath: condarc });
  assert.notEqual(a, keyOf(i));
  assert.notEqual(a, b);
});

test('a channel token or password does not change it; the channel URL does', () => {
  const with1 = input('channels: [https://repo.example.com/t/tk-111/private]\ndependencies: [numpy]\n');
  const with2 = input('channels: [https://repo.example.com/t/tk-222/private]\ndependencies: [numpy]\n');
  const auth = input('channels: [https://user:pw@repo.example.com/private]\ndependencies: [numpy]\n');
  const other = input('channels: [https://repo.example.com/other]\ndependencies: [numpy]\n');
  const k = environmentKey({ specs: with1.specs, channels: with1.channels, platform: 'linux-64', env });
  assert.ok(!JSON.stringify(k.canonical).includes('tk-111'));
  assert.equal(keyOf(with2), k.key);
  assert.equal(keyOf(auth), k.key);
  assert.notEqual(keyOf(other), k.key);
  // a spec with a channel URL holding a token
  const spec1 = input('channels: [conda-forge]\ndependencies: ["https://repo.example.com/t/tk-111/private::numpy"]\n');
  const spec2 = input('channels: [conda-forge]\ndependencies: ["https://repo.example.com/t/tk-222/private::numpy"]\n');
  const ks = environmentKey({ specs: spec1.specs, channels: spec1.channels, platform: 'linux-64', env });
  assert.ok(!JSON.stringify(ks.canonical).includes('tk-111'));
  assert.equal(keyOf(spec2), ks.key);
});

test('the content of a referenced requirements file (and of the files it refers to) is part of it', () => {
  writeFileSync(join(dir, 'requirements.txt'), 'requests>=2\n-r more/extra.txt\n');
  const text = 'dependencies:\n  - pip\n  - pip:\n    - -r requirements.txt\n';
  const k1 = keyOf(input(text));
  const canonical = environmentKey({ specs: [], platform: 'linux-64', env, files: input(text).files }).canonical;
  assert.deepEqual(canonical.files.map((f) => [f.path, f.sha256 === null]), [['more/extra.txt', true], ['requirements.txt', false]]);
  writeFileSync(join(dir, 'requirements.txt'), 'requests>=2.1\n-r more/extra.txt\n');
  const k2 = keyOf(input(text));
  assert.notEqual(k2, k1);
  // a missing file that appears changes it too
  mkdirSync(join(dir, 'more'), { recursive: true });
  writeFileSync(join(dir, 'more', 'extra.txt'), 'numpy\n');
  const k3 = keyOf(input(text));
  assert.notEqual(k3, k2);
  assert.equal(keyOf(input(text)), k3);
  // --requirement=… and -rfile spellings name the same file
  assert.deepEqual(input('dependencies:\n  - pip:\n    - --requirement=requirements.txt\n').files.map((f) => f.path), ['requirements.txt', 'more/extra.txt']);
  assert.deepEqual(input('dependencies:\n  - pip:\n    - -rrequirements.txt\n').files.map((f) => f.path), ['requirements.txt', 'more/extra.txt']);
});

test('a bad --virtual-package is a SpecError, not a key', () => {
  assert.throws(() => keyOf(input(original), { virtualPackages: ['glibc=2.28'] }), SpecError);
});
