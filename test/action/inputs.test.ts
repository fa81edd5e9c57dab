// Input validation (action/inputs.ts), the remote key scheme of the @actions/cache store, and the
// stage table and Chrome trace of core/timing the summary is built from.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRemoteKey, remoteKey } from '../../action/actions-cache-store.ts';
import { readInputs, parseSize } from '../../action/inputs.ts';
import { withChannelToken } from '../../action/channel-token.ts';
import { preferPackageCache } from '../../action/run-record.ts';
import { toChromeTrace } from '../../core/timing/chrome-trace.ts';
import { stageTimes } from '../../core/timing/stages.ts';
import type { TimingDocument } from '../../core/timing/schema.ts';

test('defaults match action.yml and values are validated with the accepted ones named', () => {
  const d = readInputs({});
  assert.equal(d.environmentFile, 'environment.yml');
  assert.equal(d.cacheSpec, true);
  assert.equal(d.specTtl, 24 * 3600_000);
  assert.equal(d.timingArtifact, 'env-setup-timings');
  assert.equal(readInputs({ 'INPUT_TIMING-ARTIFACT': '' }).timingArtifact, undefined);
  assert.deepEqual(readInputs({ 'INPUT_CREATE-ARGS': 'python=3.12\n numpy  # comment\n' }).createArgs, ['python=3.12', 'numpy']);
  assert.throws(() => readInputs({ INPUT_SIMPLE: 'yes' }), /input 'simple': 'yes' is not a boolean; use true or false/);
  assert.throws(() => readInputs({ 'INPUT_LOG-LEVEL': 'loud' }), /input 'log-level': 'loud' is not one of debug, info, warning/);
  assert.throws(() => readInputs({ INPUT_PLATFORM: 'amiga-68k' }), /input 'platform'/);
  assert.throws(() => readInputs({ 'INPUT_AUTH-TOKEN': 'x' }), /input 'auth-host': auth-token and auth-host go together/);
  assert.throws(() => readInputs({ 'INPUT_ENVIRONMENT-TTL': '3 fortnights' }), /input 'environment-ttl'/);
  assert.equal(parseSize('4GB', 'x'), 4e9);
  assert.equal(parseSize('2GiB', 'x'), 2 * 1024 ** 3);
  assert.throws(() => parseSize('big', 'environment-cache-max-size'), /input 'environment-cache-max-size': 'big' is not a size/);
});

test('remote keys carry the creation time and read back', () => {
  const key = 'env-setup-spec-1-linux-64-' + 'a'.repeat(64);
  assert.deepEqual(parseRemoteKey(remoteKey(key, 1700000000123)), { key, created: 1700000000123 });
  assert.equal(parseRemoteKey(key), undefined);
});

test('a channel token goes into URLs on its host only', () => {
  assert.equal(withChannelToken('https://conda.example.com/private', 'conda.example.com', 's3cret'), 'https://conda.example.com/t/s3cret/private');
  assert.equal(withChannelToken('https://other.org/private', 'conda.example.com', 's3cret'), 'https://other.org/private');
  assert.equal(withChannelToken('conda-forge', 'conda.example.com', 's3cret'), 'conda-forge');
});

test('the faster measured path wins', () => {
  assert.equal(preferPackageCache(undefined).yes, false);
  assert.equal(preferPackageCache({ format: 1, created: 0, path: 'tarball', totalMs: 1, stages: {}, tarballRestoreMs: 9000, packageInstallMs: 3000 }).yes, true);
  assert.equal(preferPackageCache({ format: 1, created: 0, path: 'tarball', totalMs: 1, stages: {}, tarballRestoreMs: 900, packageInstallMs: 3000 }).yes, false);
});

const doc: TimingDocument = {
  schema: 'env-setup/timing',
  version: '1.0.0',
  startedAt: '2025-01-01T00:00:00.000Z',
  totalMs: 100,
  spans: [
    { id: 0, parent: null, name: 'install.download', startMs: 0, durationMs: 40, attributes: { package: 'a.conda' }, status: 'ok' },
    { id: 1, parent: null, name: 'install.download', startMs: 20, durationMs: 40, attributes: { package: 'b.conda' }, status: 'ok' },
    { id: 2, parent: null, name: 'solve', startMs: 60, durationMs: 10, attributes: {}, status: 'ok' },
    { id: 3, parent: null, name: 'install.link', startMs: 70, durationMs: null, attributes: {}, status: 'open' },
  ],
  counters: { 'install.downloads': 2 },
};

test('stage times are the union of their spans, concurrent ones counted once', () => {
  const s = Object.fromEntries(stageTimes(doc).map((t) => [t.stage, t.ms]));
  assert.equal(s.download, 60);
  assert.equal(s.solve, 10);
  assert.equal(s.link, 0);
});

test('the Chrome trace puts overlapping spans in separate lanes', () => {
  const t = toChromeTrace(doc);
  const downloads = t.traceEvents.filter((e) => e.name === 'install.download');
  assert.equal(downloads.length, 2);
  assert.notEqual(downloads[0]!.tid, downloads[1]!.tid);
  assert.equal(downloads[1]!.ts, 20_000);
  assert.equal(t.traceEvents.find((e) => e.name === 'install.link')!.ph, 'i');
  assert.ok(t.traceEvents.some((e) => e.ph === 'C' && e.name === 'install.downloads'));
});
