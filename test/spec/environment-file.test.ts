// Tests for the environment file readers (environment.yml, explicit and plain spec files): values
// with exact source positions, precise errors for the hand-written bad files in fixtures/env-files,
// and every real explicit environment and conda-lock file under /work/shared/fixtures/lockfiles.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import {
  parseEnvironmentFile,
  parseEnvironmentYml,
  parseExplicitFile,
  parsePlainSpecFile,
  redactUrl,
  type EnvironmentYml,
  type ExplicitFile,
  type PlainSpecFile,
  type Range,
} from '../../core/spec/environment-file.ts';
import { SpecError } from '../../core/spec/errors.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/env-files/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/fixtures/lockfiles/', import.meta.url));
const SHARED_ABSENT = `${SHARED} absent: the shared lock file fixtures are not available here`;

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function yml(name: string): EnvironmentYml {
  return parseEnvironmentYml(fixture(name), name);
}

/** Asserts that `fn` throws a SpecError at file:line:column whose message holds every `includes`. */
function assertSpecError(fn: () => unknown, file: string, line: number, column: number, ...includes: Array<string | RegExp>): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${String(error)}`);
    assert.equal(error.file, file);
    assert.deepEqual(error.position, { line, column }, error.message);
    assert.ok(error.message.startsWith(`${file}:${line}:${column}: `), error.message);
    for (const part of includes) {
      if (typeof part === 'string') assert.ok(error.message.includes(part), `${JSON.stringify(error.message)} should include ${JSON.stringify(part)}`);
      else assert.match(error.message, part);
    }
    return true;
  });
}

function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

/** The text a single-line range covers. */
function textAt(text: string, r: Range): string {
  assert.equal(r.start.line, r.end.line, 'single-line range expected');
  const line = text.split(/\r\n|\n|\r/)[r.start.line - 1]!;
  return line.slice(r.start.column - 1, r.end.column - 1);
}

// ---------------------------------------------------------------------------------------------
// environment.yml

test('environment.yml: values with exact positions', () => {
  const text = fixture('environment.yml');
  const env = parseEnvironmentYml(text, 'environment.yml');
  assert.equal(env.kind, 'environment-yml');
  assert.equal(env.fileName, 'environment.yml');
  assert.deepEqual(env.name, { value: 'analysis', range: range(2, 7, 2, 15) });
  assert.equal(env.prefix, undefined);
  assert.deepEqual(env.channels, [
    { value: 'conda-forge', range: range(4, 5, 4, 16) },
    { value: 'bioconda', range: range(5, 5, 5, 13) },
  ]);

  assert.deepEqual(
    env.dependencies.map((dep) => [dep.text, dep.spec.name, dep.range.start.line, dep.range.start.column]),
    [
      ['python=3.12', 'python', 7, 5],
      ['numpy >=1.26,<2', 'numpy', 8, 5],
      ['conda-forge::scipy', 'scipy', 9, 5],
      ['pywin32', 'pywin32', 10, 5],
      ['pip', 'pip', 11, 5],
    ],
  );
  assert.deepEqual(env.dependencies[1]!.range, range(8, 5, 8, 20));
  // A quoted spec's range covers its quotes.
  assert.deepEqual(env.dependencies[2]!.range, range(9, 5, 9, 25));
  assert.equal(textAt(text, env.dependencies[2]!.range), '"conda-forge::scipy"');
  for (const dep of env.dependencies) {
    if (dep !== env.dependencies[2]) assert.equal(textAt(text, dep.range), dep.text);
  }
  // A comment selector is kept; an ordinary comment is not a selector.
  assert.equal(env.dependencies[3]!.selector, 'win');
  assert.equal(env.dependencies[0]!.selector, undefined);

  assert.deepEqual(env.pipRange, range(12, 5, 12, 8));
  assert.deepEqual(env.pip, [
    { text: 'requests>=2.31', range: range(13, 9, 13, 23) },
    { text: '-e .', range: range(14, 9, 14, 13) },
  ]);

  // Scalars YAML would read as numbers or booleans keep the text as written.
  assert.deepEqual(env.variables, [
    { name: 'OMP_NUM_THREADS', value: '1', range: range(16, 3, 16, 21) },
    { name: 'GREETING', value: 'hello world', range: range(17, 3, 17, 26) },
    { name: 'VERSION', value: '1.10', range: range(18, 3, 18, 16) },
    { name: 'FLAG', value: 'true', range: range(19, 3, 19, 13) },
  ]);
  assert.deepEqual(env.warnings, []);
});

test('environment.yml: CRLF line endings and a byte order mark give the same values and positions', () => {
  const lf = parseEnvironmentYml(fixture('environment.yml'), 'environment.yml');
  const crlfText = fixture('environment.yml').replace(/\n/g, '\r\n');
  assert.ok(crlfText.includes('\r\n'));
  const crlf = parseEnvironmentYml(crlfText, 'environment.yml');
  const bom = parseEnvironmentYml('\uFEFF' + crlfText, 'environment.yml');
  const plain = (env: EnvironmentYml) => JSON.parse(JSON.stringify({ ...env, dependencies: env.dependencies.map((d) => ({ ...d, spec: d.spec.toString() })) }));
  assert.deepEqual(plain(crlf), plain(lf));
  assert.deepEqual(plain(bom), plain(lf));
  // No carriage return leaks into any value.
  assert.ok(!JSON.stringify(plain(crlf)).includes('\\r'));
});

test('environment.yml: CEP 24 extensions, and unknown keys as warnings with positions', () => {
  const env = yml('unknown-keys.yml');
  assert.deepEqual(env.platforms, [
    { value: 'linux-64', range: range(6, 5, 6, 13) },
    { value: 'osx-arm64', range: range(7, 5, 7, 14) },
  ]);
  assert.deepEqual(env.category, { value: 'dev', range: range(8, 11, 8, 14) });
  assert.equal(env.dependencies.length, 0);
  const warnings = env.warnings.map((w) => [w.range.start.line, w.range.start.column, w.message]);
  assert.equal(warnings.length, 3, JSON.stringify(warnings));
  const [misspelt, unknown, noDeps] = env.warnings;
  assert.deepEqual(misspelt!.range, range(2, 1, 2, 12));
  assert.match(misspelt!.message, /unknown top-level key 'dependecies'.*did you mean "dependencies"/);
  assert.deepEqual(unknown!.range, range(4, 1, 4, 12));
  assert.match(unknown!.message, /unknown top-level key 'description' is ignored by conda; remove it/);
  assert.match(noDeps!.message, /no "dependencies" list/);
});

test('environment.yml: pip requirements without pip among the conda dependencies are a warning', () => {
  const env = yml('pip-without-pip.yml');
  assert.deepEqual(env.pip.map((p) => p.text), ['flask']);
  assert.deepEqual(env.pip[0]!.range, range(4, 7, 4, 12));
  assert.equal(env.warnings.length, 1);
  assert.deepEqual(env.warnings[0]!.range, range(3, 5, 3, 8));
  assert.match(env.warnings[0]!.message, /"pip" is not among the conda dependencies.*add "- pip"/);
});

test('environment.yml: comment and dictionary selectors are kept on the entries', () => {
  const env = yml('selectors.yml');
  assert.deepEqual(
    env.dependencies.map((d) => [d.text, d.selector, d.range.start.line, d.range.start.column]),
    [
      ['python', undefined, 2, 5],
      ['pywin32', 'win', 3, 5],
      ['readline', 'unix', 4, 16],
      ['libgcc-ng', 'linux and x86_64', 5, 5],
    ],
  );
});

test('environment.yml: null-ish sections, aliases, quoting and flow style', () => {
  const env = parseEnvironmentYml(
    ['name: x', 'channels:', 'dependencies: [python, "numpy>=1"]', 'prefix: ~/envs/x', 'variables:'].join('\n'),
    'flow.yml',
  );
  assert.deepEqual(env.channels, []);
  assert.deepEqual(env.dependencies.map((d) => [d.text, d.range.start.column]), [['python', 16], ['numpy>=1', 24]]);
  assert.deepEqual(env.prefix, { value: '~/envs/x', range: range(4, 9, 4, 17) });
  assert.deepEqual(env.warnings.map((w) => [w.range.start.line, w.message]), [
    [2, '"channels" has no value and is ignored; give it a value or remove the key'],
    [5, '"variables" has no value and is ignored; give it a value or remove the key'],
  ]);

  const aliased = parseEnvironmentYml('x-common: &common\n  - numpy\ndependencies: *common\n', 'alias.yml');
  assert.deepEqual(aliased.dependencies.map((d) => [d.text, d.range.start.line]), [['numpy', 2]]);
  assert.equal(aliased.warnings.length, 1);

  const env2 = parseEnvironmentYml('name: "my env"\ndependencies:\n  - yes\n  - \'true\'\n', 'names.yml');
  assert.deepEqual(env2.dependencies.map((d) => d.text), ['yes', 'true']);
  assert.match(env2.warnings[0]!.message, /environment name 'my env' contains a space/);
  assert.deepEqual(env2.warnings[0]!.range, range(1, 7, 1, 15));
});

test('environment.yml: bad files give precise errors', () => {
  const cases: Array<[string, number, number, ...Array<string | RegExp>]> = [
    ['bad-channels-scalar.yml', 2, 11, '"channels" must be a list', "the string 'conda-forge'"],
    ['bad-dependency-number.yml', 4, 5, 'dependency 3.9 is read by YAML as a number', 'python=3.9'],
    ['bad-nested-list.yml', 3, 5, 'nested list'],
    ['bad-pip-entry.yml', 5, 9, 'each pip requirement must be a string', 'a mapping'],
    ['bad-match-spec.yml', 7, 5, 'numpy>>1'],
    ['bad-yaml-syntax.yml', 5, 1, 'YAML syntax error', 'quote'],
    ['bad-tab-indent.yml', 3, 1, 'YAML syntax error', 'indent with spaces'],
    ['bad-two-pip.yml', 5, 5, 'a second "pip" subsection', 'line 3'],
    ['bad-subsection.yml', 3, 5, "unsupported dependencies subsection 'numpy'", '"- numpy=1.26"'],
    ['bad-not-mapping.yml', 1, 1, 'must be a YAML mapping', 'a list'],
    ['bad-variable.yml', 5, 3, 'environment variable "EMPTY" has no value'],
    ['bad-duplicate-key.yml', 4, 1, 'YAML syntax error', 'only once'],
    ['empty.yml', 1, 1, 'empty environment file'],
  ];
  for (const [file, line, column, ...includes] of cases) {
    assertSpecError(() => parseEnvironmentYml(fixture(file), file), file, line, column, ...includes);
    // The dispatcher reads .yml files the same way.
    assertSpecError(() => parseEnvironmentFile(fixture(file), file), file, line, column, ...includes);
  }
});

test('environment.yml: a bad match spec keeps the MatchSpec message after the position', () => {
  assert.throws(
    () => parseEnvironmentYml(fixture('bad-match-spec.yml'), 'environment.yml'),
    (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.match(error.message, /^environment\.yml:7:5: /);
      assert.ok(error.cause instanceof SpecError, 'the MatchSpec error is kept as the cause');
      assert.equal(error.message, `environment.yml:7:5: ${(error.cause as SpecError).message}`);
      assert.equal(error.input, 'numpy>>1');
      return true;
    },
  );
});

test('environment.yml: more wrong types', () => {
  const cases: Array<[string, number, number, string]> = [
    ['dependencies: numpy\n', 1, 15, '"dependencies" must be a list'],
    ['dependencies:\n  - numpy\n  -\n', 3, 3, 'empty dependency entry'],
    ['dependencies:\n  - pip:\n      - 1.0\n', 3, 9, 'the number 1.0'],
    ['dependencies:\n  - pip: requests\n', 2, 10, '"pip" must be a list'],
    ['name: [a, b]\ndependencies: []\n', 1, 7, '"name" must be the environment name'],
    ['channels:\n  - {a: b}\ndependencies: []\n', 2, 5, 'each channel in "channels" must be a string'],
    ['variables: [A=1]\ndependencies: []\n', 1, 12, '"variables" must be a mapping'],
    ['variables:\n  A: [1, 2]\ndependencies: []\n', 2, 6, 'must be a single string'],
    ['platforms: [noarch]\ndependencies: []\n', 1, 13, '"noarch" is not a platform'],
    ['platforms: [linux-65]\ndependencies: []\n', 1, 13, "unknown platform 'linux-65'"],
    ['dependencies:\n  - sel(foo): bar\n', 2, 5, "unsupported selector 'sel(foo)'"],
    ['name: a\n---\nname: b\n', 2, 1, 'more than one YAML document'],
    ['---\n', 1, 1, 'empty environment file'],
    ['', 1, 1, 'empty environment file'],
  ];
  for (const [text, line, column, message] of cases) {
    assertSpecError(() => parseEnvironmentYml(text, 'env.yml'), 'env.yml', line, column, message);
  }
});

// ---------------------------------------------------------------------------------------------
// Plain spec files

test('plain spec file: one spec per line, comments, platform header and positions', () => {
  const text = fixture('plain-specs.txt');
  const file = parsePlainSpecFile(text, 'plain-specs.txt');
  assert.equal(file.kind, 'plain');
  assert.equal(file.platform, 'osx-arm64');
  assert.deepEqual(
    file.specs.map((s) => [s.text, s.spec.name, s.range]),
    [
      ['python>=3.11', 'python', range(5, 1, 5, 13)],
      ['numpy', 'numpy', range(6, 3, 6, 8)],
      ['conda-forge::scipy=1.13', 'scipy', range(7, 1, 7, 24)],
    ],
  );
  const crlf = parsePlainSpecFile(text.replace(/\n/g, '\r\n'), 'plain-specs.txt');
  assert.deepEqual(crlf.specs.map((s) => [s.text, s.range]), file.specs.map((s) => [s.text, s.range]));
});

test('plain spec file: errors', () => {
  assertSpecError(() => parsePlainSpecFile(fixture('plain-bad-spec.txt'), 'plain-bad-spec.txt'), 'plain-bad-spec.txt', 3, 1, 'numpy>>1');
  assertSpecError(() => parseEnvironmentFile(fixture('plain-bad-spec.txt'), 'plain-bad-spec.txt'), 'plain-bad-spec.txt', 3, 1, 'numpy>>1');
  assertSpecError(() => parsePlainSpecFile('# platform: linux-64\n\n', 'specs.txt'), 'specs.txt', 1, 1, 'empty environment file');
  assertSpecError(() => parsePlainSpecFile('numpy\n @EXPLICIT\n', 'specs.txt'), 'specs.txt', 2, 2, '@EXPLICIT');
});

// ---------------------------------------------------------------------------------------------
// Explicit files

test('explicit file: hashes, channels, subdirs, tokens and positions', () => {
  const file = parseExplicitFile(fixture('explicit-good.txt'), 'explicit-good.txt');
  assert.equal(file.kind, 'explicit');
  assert.equal(file.platform, 'osx-arm64');
  assert.equal(file.packages.length, 5);
  const [bzip2, setuptools, tzdata, wheel, libfoo] = file.packages;
  assert.deepEqual(bzip2, {
    url: 'https://conda.anaconda.org/conda-forge/osx-arm64/bzip2-1.0.8-h93a5062_5.conda',
    md5: '1bbc659ca658bfd49a481b5ef7a0f40f',
    fileName: 'bzip2-1.0.8-h93a5062_5.conda',
    name: 'bzip2',
    version: '1.0.8',
    build: 'h93a5062_5',
    channel: 'https://conda.anaconda.org/conda-forge',
    subdir: 'osx-arm64',
    range: range(4, 1, 4, 111),
  });
  assert.equal(setuptools!.sha256, '72d143408507043628b32bed089730b6d5f5445eccc44b59911ec9f262e365e7');
  assert.equal(setuptools!.md5, undefined);
  assert.equal(setuptools!.subdir, 'noarch');
  // A bare 64-hex hash (as conda-lock writes) is a sha256.
  assert.equal(tzdata!.sha256, '7b2b69c54ec62a243eb6fba2391b5e443421608c3ae5dbff938ad33ca8db5122');
  assert.equal(tzdata!.version, '2024a');
  assert.equal(wheel!.md5, undefined);
  assert.equal(wheel!.sha256, undefined);
  assert.deepEqual(wheel!.range, range(8, 1, 8, 78));
  // Indented line with a channel token: the URL keeps the token.
  assert.equal(libfoo!.url, 'https://repo.example.com/t/secret-token-123/private/osx-arm64/libfoo-2.0-h1234567_0.tar.bz2');
  assert.equal(libfoo!.channel, 'https://repo.example.com/t/secret-token-123/private');
  assert.deepEqual([libfoo!.name, libfoo!.version, libfoo!.build, libfoo!.subdir], ['libfoo', '2.0', 'h1234567_0', 'osx-arm64']);
  assert.equal(libfoo!.range.start.line, 10);
  assert.equal(libfoo!.range.start.column, 3);
  assert.equal(redactUrl(libfoo!.url), 'https://repo.example.com/t/<TOKEN>/private/osx-arm64/libfoo-2.0-h1234567_0.tar.bz2');

  const crlf = parseExplicitFile(fixture('explicit-good.txt').replace(/\n/g, '\r\n'), 'explicit-good.txt');
  assert.deepEqual(crlf, file);
});

test('explicit file: bad files give precise errors', () => {
  const cases: Array<[string, number, number, ...string[]]> = [
    ['explicit-bad-hash.txt', 4, 83, "bad package hash '8fd587013b9da8b52050268d50c1230'", '32 hex digits (md5)'],
    ['explicit-not-url.txt', 3, 1, "found 'numpy=1.26'", '.conda or .tar.bz2'],
    ['explicit-bad-filename.txt', 2, 47, "'tzdata.conda' is not of the form <name>-<version>-<build>.conda"],
    ['explicit-before-marker.txt', 2, 1, 'comes before the @EXPLICIT line'],
  ];
  for (const [file, line, column, ...includes] of cases) {
    assertSpecError(() => parseExplicitFile(fixture(file), file), file, line, column, ...includes);
    assertSpecError(() => parseEnvironmentFile(fixture(file), file), file, line, column, ...includes);
  }
  assertSpecError(() => parseExplicitFile('@EXPLICIT\nhttps://a.org/c/noarch/x-1-0.conda#' + 'A'.repeat(32), 'e.txt'), 'e.txt', 2, 36, 'lowercase');
  assertSpecError(() => parseExplicitFile('@EXPLICIT\nhttps://a.org/c/noarch/x-1-0.conda #abc', 'e.txt'), 'e.txt', 2, 35, 'unexpected whitespace');
  assertSpecError(() => parseExplicitFile('https://a.org/c/noarch/x-1-0.conda\n', 'e.txt'), 'e.txt', 1, 1, 'comes before the @EXPLICIT line');
  assertSpecError(() => parseExplicitFile('# platform: linux-64\n', 'e.txt'), 'e.txt', 1, 1, 'no @EXPLICIT line');
});

test('explicit file: paths and file URLs (CEP 23 allows them), URL-encoded file names', () => {
  const file = parseExplicitFile(
    [
      '@EXPLICIT',
      'file:///opt/channel/linux-64/foo-1.0-0.tar.bz2',
      './pkgs/bar-2.0-h0_1.conda',
      'C:\\pkgs\\win-64\\baz-3-0.conda',
      'https://example.com/channel/noarch/torch%2Bcu-2.1%2Bcpu-py_0.conda',
    ].join('\n'),
    'paths.txt',
  );
  assert.deepEqual(
    file.packages.map((p) => [p.name, p.version, p.build, p.channel, p.subdir]),
    [
      ['foo', '1.0', '0', 'file:///opt/channel', 'linux-64'],
      ['bar', '2.0', 'h0_1', './pkgs', undefined],
      ['baz', '3', '0', 'C:\\pkgs', 'win-64'],
      ['torch+cu', '2.1+cpu', 'py_0', 'https://example.com/channel', 'noarch'],
    ],
  );
  assert.equal(file.packages[3]!.fileName, 'torch+cu-2.1+cpu-py_0.conda');
});

test('redactUrl hides channel tokens and basic-auth passwords', () => {
  assert.equal(redactUrl('https://user:pa55@repo.example.com/t/abc-123/main/linux-64/x-1-0.conda'), 'https://user@repo.example.com/t/<TOKEN>/main/linux-64/x-1-0.conda');
  assert.equal(redactUrl('https://conda.anaconda.org/t/tk-9/conda-forge'), 'https://conda.anaconda.org/t/<TOKEN>/conda-forge');
  assert.equal(redactUrl('https://repo.example.com/t/abc'), 'https://repo.example.com/t/<TOKEN>');
  assert.equal(redactUrl('https://conda.anaconda.org/conda-forge/noarch/x-1-0.conda'), 'https://conda.anaconda.org/conda-forge/noarch/x-1-0.conda');
  assert.equal(redactUrl('/local/path/t/x'), '/local/path/t/x');
});

// ---------------------------------------------------------------------------------------------
// Choosing the format

test('parseEnvironmentFile chooses the format by content', () => {
  const kinds: Array<[string, string, string]> = [
    ['environment.yml', 'dependencies:\n  - numpy\n', 'environment-yml'],
    ['env.yaml', 'dependencies:\n  - numpy\n', 'environment-yml'],
    ['environment.txt', 'name: x\ndependencies:\n  - numpy\n', 'environment-yml'],
    ['requirements.txt', 'numpy\nscipy>=1\n', 'plain'],
    ['spec.txt', 'conda-forge::numpy\n', 'plain'],
    ['lock.yml', '# platform: linux-64\n@EXPLICIT\nhttps://a.org/c/linux-64/x-1-0.conda\n', 'explicit'],
    ['lock.txt', '@EXPLICIT\r\n', 'explicit'],
  ];
  for (const [name, text, kind] of kinds) {
    const parsed = parseEnvironmentFile(text, name);
    assert.equal(parsed.kind, kind, name);
    assert.equal(parsed.fileName, name);
  }
  const narrowed = parseEnvironmentFile(fixture('plain-specs.txt'), 'plain-specs.txt');
  assert.ok(narrowed.kind === 'plain' && (narrowed satisfies PlainSpecFile).specs.length === 3);
});

// ---------------------------------------------------------------------------------------------
// Shared real-world fixtures

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

test('every explicit environment in shared fixtures parses with the right counts', (t) => {
  const dir = join(SHARED, 'explicit-envs');
  if (!existsSync(dir)) {
    t.skip(SHARED_ABSENT);
    return;
  }
  const files = listFiles(dir);
  assert.ok(files.length > 0);
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const name = path.slice(SHARED.length);
    const parsed = parseEnvironmentFile(text, name);
    assert.equal(parsed.kind, 'explicit', name);
    const file = parsed as ExplicitFile;
    // Count the package lines independently: non-blank, non-comment lines after @EXPLICIT.
    const lines = text.split(/\r?\n/);
    const marker = lines.findIndex((line) => line.trim() === '@EXPLICIT');
    const urlLines = lines.slice(marker + 1).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    assert.equal(file.packages.length, urlLines.length, name);
    assert.ok(file.packages.length > 0, name);
    // The platform header agrees with the file name (`<env>_<platform>.txt`).
    assert.equal(file.platform, /_([a-z0-9]+-[a-z0-9]+)\.txt$/.exec(name)?.[1], name);
    file.packages.forEach((pkg, index) => {
      const line = urlLines[index]!.trim();
      assert.equal(pkg.url, line.split('#')[0], name);
      assert.equal(pkg.md5 ?? pkg.sha256, line.split('#')[1], name);
      assert.equal(lines[pkg.range.start.line - 1]!.trim(), line);
      assert.equal(`${pkg.channel}/${pkg.subdir}/${pkg.fileName}`, pkg.url);
      assert.ok(pkg.subdir === file.platform || pkg.subdir === 'noarch', `${name}: ${pkg.url}`);
      assert.equal(`${pkg.name}-${pkg.version}-${pkg.build}`, pkg.fileName.replace(/\.(conda|tar\.bz2)$/, ''));
      assert.ok(!pkg.version.includes('-') && !pkg.build.includes('-'));
    });
  }
});

interface LockedRecord {
  url: string;
  name: string;
  version?: string;
  build?: string;
  md5?: string;
  sha256?: string;
}

/** Every conda package record of a conda-lock / pixi lock file that names its URL and package name. */
function lockedRecords(text: string): LockedRecord[] {
  const records: LockedRecord[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const url = typeof object['url'] === 'string' ? object['url'] : object['conda'];
    const hash = (object['hash'] ?? {}) as Record<string, unknown>;
    if (typeof url === 'string' && /^https?:\/\/.*\.(conda|tar\.bz2)$/.test(url) && typeof object['name'] === 'string') {
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const record: LockedRecord = { url, name: object['name'] };
      const fields = {
        version: str(object['version']),
        build: str(object['build']),
        md5: str(object['md5'] ?? hash['md5']),
        sha256: str(object['sha256'] ?? hash['sha256']),
      };
      for (const [key, v] of Object.entries(fields)) if (v !== undefined) (record as unknown as Record<string, string>)[key] = v;
      records.push(record);
    }
    Object.values(object).forEach(visit);
  };
  // The failsafe schema keeps every scalar a string (a version `1.10` stays "1.10").
  visit(parseDocument(text, { schema: 'failsafe' }).toJS());
  return records;
}

test('conda-lock fixtures: their package URLs, as an explicit file, give the recorded name, version, build and hashes', (t) => {
  const dir = join(SHARED, 'conda-lock');
  if (!existsSync(dir)) {
    t.skip(SHARED_ABSENT);
    return;
  }
  const seen = new Map<string, LockedRecord>();
  for (const path of listFiles(dir)) {
    for (const record of lockedRecords(readFileSync(path, 'utf8'))) if (!seen.has(record.url)) seen.set(record.url, record);
  }
  const records = [...seen.values()];
  assert.ok(records.length > 1000, `only ${records.length} records found`);
  // Write each hash in one of the three accepted forms, in turn.
  const lines = records.map((r, index) => {
    if (r.md5 && index % 3 === 0) return `${r.url}#${r.md5}`;
    if (r.sha256 && index % 3 === 1) return `${r.url}#sha256:${r.sha256}`;
    if (r.sha256) return `${r.url}#${r.sha256}`;
    return r.url;
  });
  const file = parseExplicitFile(['# platform: linux-64', '@EXPLICIT', ...lines].join('\n'), 'from-locks.txt');
  assert.equal(file.packages.length, records.length);
  file.packages.forEach((pkg, index) => {
    const record = records[index]!;
    const where = `${record.url}`;
    assert.equal(pkg.range.start.line, index + 3, where);
    assert.equal(pkg.url, record.url, where);
    assert.equal(pkg.name, record.name, where);
    if (record.version !== undefined) assert.equal(pkg.version, record.version, where);
    if (record.build !== undefined) assert.equal(pkg.build, record.build, where);
    // (A lock's `subdir` field names the platform locked for, even for noarch packages, so the
    // subdir is checked against the URL instead.)
    assert.equal(pkg.subdir, record.url.split('/').at(-2), where);
    assert.equal(`${pkg.channel}/${pkg.subdir}/${pkg.fileName}`, record.url, where);
    if (lines[index]!.includes('#')) {
      assert.equal(pkg.md5 ?? pkg.sha256, pkg.md5 !== undefined ? record.md5 : record.sha256, where);
    }
  });
});

test('conda-lock fixtures are recognised as lock files, not environment.yml', (t) => {
  const dir = join(SHARED, 'conda-lock');
  if (!existsSync(dir)) {
    t.skip(SHARED_ABSENT);
    return;
  }
  const files = listFiles(dir).filter((path) => /\.ya?ml$/.test(path));
  assert.ok(files.length > 0);
  for (const path of files) {
    const name = path.slice(SHARED.length);
    assert.throws(
      () => parseEnvironmentFile(readFileSync(path, 'utf8'), name),
      (error: unknown) => error instanceof SpecError && error.message.startsWith(`${name}:`) && /this is a lock file/.test(error.message),
      name,
    );
  }
});
