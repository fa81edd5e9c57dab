// Package records from real repodata read leniently; every real dependency string is a valid match spec.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { readPackageRecord } from '../../core/spec/record.ts';
import { SpecError } from '../../core/spec/errors.ts';

const slice = new URL('../../../shared/fixtures/real-slice/', import.meta.url);
const skip = existsSync(slice) ? false : '../shared/fixtures/real-slice is absent';

test('messy records are read leniently', () => {
  const r = readPackageRecord({ name: 'Foo', version: 1.1, build: 'py_0', build_number: '3', track_features: 'mkl  debug', noarch: true, timestamp: 1600000000 }, { fn: 'foo-1.1-py_0.tar.bz2', subdir: 'noarch' });
  assert.equal(r.name, 'foo');
  assert.equal(r.version, '1.1');
  assert.equal(r.build_number, 3);
  assert.deepEqual(r.track_features, ['mkl', 'debug']);
  assert.deepEqual(r.depends, []);
  assert.equal(r.noarch, 'generic');
  assert.equal(r.timestamp, 1600000000000);
  assert.equal(r.subdir, 'noarch');
  assert.equal(r.fn, 'foo-1.1-py_0.tar.bz2');
});

test('a record without a version is a clear error naming the entry', () => {
  assert.throws(() => readPackageRecord({ name: 'foo', build: '0' }, { fn: 'foo-1-0.conda', source: 'repodata.json' }), (e: unknown) => {
    assert.ok(e instanceof SpecError);
    assert.match((e as Error).message, /repodata\.json: foo-1-0\.conda: .*version/);
    return true;
  });
});

test('every record and dependency in the real conda-forge slice reads and matches itself', { skip }, () => {
  let records = 0;
  let deps = 0;
  for (const subdir of ['linux-64', 'noarch', 'osx-arm64', 'win-64']) {
    const repodata = JSON.parse(readFileSync(new URL(`${subdir}/repodata.json`, slice), 'utf8'));
    for (const key of ['packages', 'packages.conda']) {
      for (const [fn, raw] of Object.entries(repodata[key] ?? {})) {
        const r = readPackageRecord(raw, { fn, subdir, channel: 'conda-forge' });
        records++;
        const exact = MatchSpec.parse(`${r.name}==${r.version}=${r.build}`);
        assert.ok(exact.matches(r), `${fn} does not match its own exact spec ${exact}`);
        for (const d of [...r.depends, ...r.constrains]) {
          const m = MatchSpec.parse(d);
          deps++;
          const again = MatchSpec.parse(m.toString());
          assert.ok(again.equals(m), `${d} → ${m} does not round-trip`);
        }
      }
    }
  }
  assert.ok(records > 40000, `only ${records} records`);
  assert.ok(deps > 100000, `only ${deps} dependency strings`);
});

test('the fast path reads every real dependency exactly as the general parser does', { skip }, () => {
  const seen = new Set<string>();
  for (const subdir of ['linux-64', 'noarch', 'osx-arm64', 'win-64']) {
    const repodata = JSON.parse(readFileSync(new URL(`${subdir}/repodata.json`, slice), 'utf8'));
    for (const key of ['packages', 'packages.conda']) {
      for (const raw of Object.values(repodata[key] ?? {}) as { depends?: string[]; constrains?: string[] }[]) {
        for (const d of [...(raw.depends ?? []), ...(raw.constrains ?? [])]) seen.add(d);
      }
    }
  }
  MatchSpec.clearCache();
  for (const d of seen) {
    const fast = MatchSpec.parse(d);
    const general = MatchSpec.parseGeneral(d);
    assert.equal(fast.key, general.key, d);
    assert.equal(fast.toString(), general.toString(), d);
  }
  assert.ok(seen.size > 5000);
});
