// How the pip step runs pip, checked with a stand-in `bin/python` (a shell script that records its
// arguments, working directory, environment and the requirements file it was given): conda's exact
// command line, the temporary `condaenv.*.requirements.txt` in the environment file's folder and
// gone afterwards, the activated environment (activate.d sourced), pip's output passed on, a
// failure with the tail of the output, a prefix without python, and credentials kept out of what
// is shown. Real pip is exercised end to end in test/cli/create-pip.test.ts.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { installPipRequirements, outputTail, PipError, pipInstalled, shownPipLine } from '../../core/create/pip-requirements.ts';
import { Tracer } from '../../core/timing/tracer.ts';

const root = mkdtempSync(join(tmpdir(), 'env-setup-pip-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A prefix whose bin/python records how it was called in <prefix>/calls.json and prints `output`, exiting with `code`. */
function fakePrefix(output: string, code: number): string {
  const prefix = join(root, `env-${n++}`);
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  mkdirSync(join(prefix, 'etc', 'conda', 'activate.d'), { recursive: true });
  writeFileSync(join(prefix, 'etc', 'conda', 'activate.d', 'demo.sh'), 'export DEMO_ACTIVATED=yes\n');
  const script = [
    '#!/bin/sh',
    // the requirements file is the argument after -r
    'req=""; prev=""; for a in "$@"; do if [ "$prev" = "-r" ]; then req="$a"; fi; prev="$a"; done',
    `{ printf '%s\\n' "$@"; echo "--cwd=$(pwd)"; echo "--prefix=$CONDA_PREFIX"; echo "--activated=$DEMO_ACTIVATED"; echo "--path1=\${PATH%%:*}"; echo "--content-begin"; cat "$req"; } > "${prefix}/calls.txt"`,
    `printf '%s' '${output}'`,
    `exit ${code}`,
  ].join('\n');
  writeFileSync(join(prefix, 'bin', 'python'), `${script}\n`);
  chmodSync(join(prefix, 'bin', 'python'), 0o755);
  return prefix;
}

function projectDir(): { dir: string; file: string } {
  const dir = join(root, `project-${n++}`);
  mkdirSync(dir);
  const file = join(dir, 'environment.yml');
  writeFileSync(file, 'dependencies:\n  - python\n');
  return { dir, file };
}

test("pip runs as conda runs it: python -m pip install -U -r <temp file in the file's folder> --exists-action=b, there, activated", async () => {
  const prefix = fakePrefix('Collecting a\nSuccessfully installed a-1.0 b-2.0\n', 0);
  const { dir, file } = projectDir();
  const tracer = new Tracer();
  const seen: string[] = [];
  let started = '';
  const result = await installPipRequirements({
    prefix,
    requirements: ['--find-links wheels', 'a==1.0', '-r requirements.txt'],
    environmentFile: file,
    env: { PATH: process.env.PATH },
    tracer,
    onStart: (c) => (started = c),
    onOutput: (t) => seen.push(t),
  });
  const calls = readFileSync(join(prefix, 'calls.txt'), 'utf8').split('\n');
  const [args, content] = [calls.slice(0, calls.indexOf('--content-begin')), calls.slice(calls.indexOf('--content-begin') + 1)];
  const reqFile = args[5]!;
  assert.deepEqual(args.slice(0, 5), ['-m', 'pip', 'install', '-U', '-r']);
  assert.equal(args[6], '--exists-action=b');
  assert.match(reqFile, /^.*\/condaenv\.[0-9a-f]{8}\.requirements\.txt$/);
  assert.equal(join(reqFile, '..'), dir, 'the requirements file is in the environment file folder');
  assert.ok(!existsSync(reqFile), 'the temporary file is deleted');
  assert.deepEqual(readdirSync(dir), ['environment.yml']);
  assert.ok(args.includes(`--cwd=${dir}`), args.join(' '));
  assert.ok(args.includes(`--prefix=${prefix}`));
  assert.ok(args.includes('--activated=yes'), 'activate.d scripts were sourced');
  assert.ok(args.includes(`--path1=${join(prefix, 'bin')}`));
  assert.deepEqual(content.filter((l) => l !== ''), ['--find-links wheels', 'a==1.0', '-r requirements.txt']);
  assert.deepEqual(result.installed, ['a-1.0', 'b-2.0']);
  assert.equal(seen.join(''), 'Collecting a\nSuccessfully installed a-1.0 b-2.0\n');
  assert.match(started, /bin\/python -m pip install -U -r condaenv\.[0-9a-f]{8}\.requirements\.txt --exists-action=b$/);
  const span = tracer.toJSON().spans.find((s) => s.name === 'install.pip');
  assert.ok(span !== undefined, 'install.pip span');
  assert.equal(span.attributes.requirements, 3);
});

test('a failing pip is a PipError with the tail of its output; the temporary file is still deleted', async () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
  const prefix = fakePrefix(`${lines}\nERROR: No matching distribution found for nope\n`, 1);
  const { dir, file } = projectDir();
  await assert.rejects(
    () => installPipRequirements({ prefix, requirements: ['nope'], environmentFile: file, env: { PATH: process.env.PATH } }),
    (e: unknown) => {
      assert.ok(e instanceof PipError);
      assert.equal(e.kind, 'failed');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /^pip failed \(exit 1\) installing the pip requirements of .*environment\.yml into .*; its output ends:\n/);
      assert.match(e.message, /ERROR: No matching distribution found for nope$/);
      assert.ok(!e.message.includes('line 5\n'), 'only the tail');
      return true;
    },
  );
  assert.deepEqual(readdirSync(dir), ['environment.yml']);
});

test('python without pip: the error says to add pip', async () => {
  const prefix = fakePrefix('/x/bin/python: No module named pip\n', 1);
  const { file } = projectDir();
  await assert.rejects(() => installPipRequirements({ prefix, requirements: ['a'], environmentFile: file, env: { PATH: process.env.PATH } }), /No module named pip\n.*add pip to the file's dependencies/s);
});

test('a prefix without bin/python: a PipError telling to add python and pip, nothing written', async () => {
  const prefix = join(root, `empty-${n++}`);
  mkdirSync(prefix);
  const { dir, file } = projectDir();
  await assert.rejects(
    () => installPipRequirements({ prefix, requirements: ['a', 'b'], environmentFile: file }),
    (e: unknown) => e instanceof PipError && e.kind === 'no-python' && /has 2 pip requirement\(s\), but the environment at .* has no bin\/python to run pip with: add python and pip to the file's dependencies/.test(e.message),
  );
  assert.deepEqual(readdirSync(dir), ['environment.yml']);
});

test('what is shown of pip lines and output', () => {
  assert.equal(shownPipLine('--extra-index-url https://user:s3cret@pypi.example.com/simple'), '--extra-index-url https://user@pypi.example.com/simple');
  assert.equal(shownPipLine('requests>=2'), 'requests>=2');
  assert.deepEqual(pipInstalled('Requirement already satisfied: a\n'), []);
  assert.deepEqual(pipInstalled('x\nSuccessfully installed hello-wheel-1.0\n'), ['hello-wheel-1.0']);
  assert.equal(outputTail('a\nb\nc\n', 2), '    …\n    b\n    c');
  assert.equal(outputTail('a\n', 2), '    a');
});
