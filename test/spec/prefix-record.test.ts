// Reading an installed environment's conda-meta: real PrefixRecords (rattler's test data), conda's
// history file (requested specs, removals, neutered specs, the old format) and pinned specs.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpecError } from '../../core/spec/errors.ts';
import { readCondaMeta, readHistorySpecs, readPinnedSpecs, readPrefixRecord } from '../../core/spec/prefix-record.ts';

const fixtures = new URL('../../../shared/fixtures/conda-meta/', import.meta.url);
const skip = existsSync(fixtures) ? false : '../shared/fixtures/conda-meta is absent';

test('real conda-meta records: name, version, build, channel and file name', { skip }, () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 30);
  for (const f of files) {
    const r = readPrefixRecord(JSON.parse(readFileSync(new URL(f, fixtures), 'utf8')), f);
    assert.equal(`${r.record.name}-${r.record.version}-${r.record.build}.json`, f);
  }
  const ffi = readPrefixRecord(JSON.parse(readFileSync(new URL('libffi-3.4.2-h3422bc3_5.json', fixtures), 'utf8')));
  assert.equal(ffi.channel, 'conda-forge');
  assert.equal(ffi.subdir, 'osx-arm64');
  assert.equal(ffi.fn, 'libffi-3.4.2-h3422bc3_5.tar.bz2');
  assert.equal(ffi.url, 'https://conda.anaconda.org/conda-forge/osx-arm64/libffi-3.4.2-h3422bc3_5.tar.bz2');
});

test('history: the last spec per name wins, removals drop it, neutered specs replace it, old comma format is read', () => {
  const text = [
    '==> 2024-01-01 10:00:00 <==',
    '# cmd: conda create -n x python=3.11 numpy',
    '# conda version: 24.1.0',
    '+conda-forge/linux-64::python-3.11.9-h0_0_cpython',
    "# update specs: ['python=3.11', 'numpy']",
    '==> 2024-01-02 10:00:00 <==',
    '# install specs: ["scipy>=1.10", "requests"]',
    '==> 2024-01-03 10:00:00 <==',
    "# remove specs: ['requests']",
    '# neutered specs: ["numpy"]',
    '# update specs: ["feature@"]',
    '==> 2013-01-01 <==',
    '# install specs: pandas 0.11*, six',
  ].join('\n');
  assert.deepEqual(readHistorySpecs(text).map(String), ['python=3.11', 'numpy', 'scipy[version=\'>=1.10\']', 'pandas=0.11', 'six']);
});

test('pinned: one spec per line, comments skipped', () => {
  assert.deepEqual(readPinnedSpecs('# pins\npython 3.11.*\n\nnumpy <2\n').map(String), ['python=3.11', "numpy[version='<2']"]);
});

test('readCondaMeta: records, history limited to installed names, pins; a folder without conda-meta is bad input', { skip }, (t) => {
  const prefix = mkdtempSync(join(tmpdir(), 'env-setup-meta-'));
  const bare = mkdtempSync(join(tmpdir(), 'env-setup-nometa-'));
  t.after(() => {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(bare, { recursive: true, force: true });
  });
  mkdirSync(join(prefix, 'conda-meta'));
  for (const f of ['python-3.11.9-h932a869_0_cpython.json', 'numpy-1.26.4-py311h7125741_0.json']) writeFileSync(join(prefix, 'conda-meta', f), readFileSync(new URL(f, fixtures)));
  writeFileSync(join(prefix, 'conda-meta', 'history'), '# update specs: ["python=3.11", "numpy", "scipy"]\n');
  writeFileSync(join(prefix, 'conda-meta', 'pinned'), 'numpy 1.26.*\n');
  const meta = readCondaMeta(prefix);
  assert.deepEqual(meta.records.map((r) => r.record.name), ['numpy', 'python']);
  assert.deepEqual(meta.history.map(String), ['python=3.11', 'numpy']);
  assert.deepEqual(meta.pinned.map(String), ['numpy=1.26']);
  assert.throws(() => readCondaMeta(bare), SpecError);
});
