// The environment tarball key once pip installs into the prefix: without pip lines it is exactly
// what it was (the spec file hash, so stored keys stay valid); with them, different pip lines or a
// changed requirements file give a different key, while order, whitespace and a password in an
// index URL do not.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tarballContentHash, tarballKey } from '../../core/cache/cache-keys.ts';
import { referencedFiles } from '../../core/cache/referenced-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'env-setup-pip-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SPEC = 'ab'.repeat(32);
const key = (hash: string) => tarballKey({ specFileHash: hash, platform: 'linux-64', prefix: '/opt/envs/demo', formatVersion: 1 });

test('no pip lines: the key is the one made from the spec file hash alone', () => {
  assert.equal(tarballContentHash(SPEC), SPEC);
  assert.equal(tarballContentHash(SPEC, { requirements: [], files: [] }), SPEC);
  const prefixHash = createHash('sha256').update('/opt/envs/demo').digest('hex').slice(0, 16);
  assert.equal(key(tarballContentHash(SPEC)), `env-setup-env-1-linux-64-${prefixHash}-${SPEC}`);
});

test('pip lines change the key; order, whitespace and credentials do not', () => {
  const a = tarballContentHash(SPEC, { requirements: ['--no-index', 'hello-wheel==1.0'], files: [] });
  const b = tarballContentHash(SPEC, { requirements: ['--no-index', 'hello-wheel==2.0'], files: [] });
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, SPEC);
  assert.notEqual(a, b);
  assert.notEqual(key(a), key(b));
  assert.equal(tarballContentHash(SPEC, { requirements: ['hello-wheel==1.0', '  --no-index '], files: [] }), a);
  const withIndex = (url: string) => tarballContentHash(SPEC, { requirements: [`--extra-index-url ${url}`, 'x'], files: [] });
  assert.equal(withIndex('https://u:one@pypi.example.com/simple'), withIndex('https://u:two@pypi.example.com/simple'));
  assert.notEqual(withIndex('https://pypi.example.com/simple'), withIndex('https://other.example.com/simple'));
  assert.notEqual(tarballContentHash('cd'.repeat(32), { requirements: ['hello-wheel==1.0', '--no-index'], files: [] }), a, 'the conda packages still count');
});

test('the content of a requirements file the pip lines name changes the key', () => {
  const envFile = join(dir, 'environment.yml');
  const lines = ['-r requirements.txt'];
  writeFileSync(join(dir, 'requirements.txt'), 'hello-wheel==1.0\n');
  const one = tarballContentHash(SPEC, { requirements: lines, files: referencedFiles(lines, envFile) });
  assert.equal(tarballContentHash(SPEC, { requirements: lines, files: referencedFiles(lines, envFile) }), one);
  writeFileSync(join(dir, 'requirements.txt'), 'hello-wheel==2.0\n');
  assert.notEqual(tarballContentHash(SPEC, { requirements: lines, files: referencedFiles(lines, envFile) }), one);
});
