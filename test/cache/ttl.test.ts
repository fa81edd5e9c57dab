// TTLs: the spellings --spec-ttl accepts, errors that name the flag, and expiry at the boundary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SPEC_TTL, formatTtl, isExpired, parseTtl } from '../../core/cache/ttl.ts';
import { SpecError } from '../../core/spec/errors.ts';

test('parses durations, 0 and never', () => {
  assert.equal(parseTtl('24h', '--spec-ttl'), 24 * 3600_000);
  assert.equal(parseTtl('12h', '--spec-ttl'), 12 * 3600_000);
  assert.equal(parseTtl('30m', '--spec-ttl'), 30 * 60_000);
  assert.equal(parseTtl('7d', '--spec-ttl'), 7 * 86_400_000);
  assert.equal(parseTtl('1d12h', '--spec-ttl'), 36 * 3600_000);
  assert.equal(parseTtl('2w', '--spec-ttl'), 14 * 86_400_000);
  assert.equal(parseTtl(' 90S ', '--spec-ttl'), 90_000);
  assert.equal(parseTtl('1.5h', '--spec-ttl'), 90 * 60_000);
  assert.equal(parseTtl('0', '--spec-ttl'), 0);
  assert.equal(parseTtl('never', '--spec-ttl'), Infinity);
  assert.equal(parseTtl('NEVER', '--spec-ttl'), Infinity);
  assert.equal(DEFAULT_SPEC_TTL, parseTtl('24h', 'x'));
});

test('bad durations name the flag and say what to write', () => {
  for (const bad of ['', '12', '5y', 'h', '12h30', 'soon', '-1h']) {
    assert.throws(
      () => parseTtl(bad, '--spec-ttl'),
      (e: unknown) => e instanceof SpecError && e.message.startsWith('--spec-ttl: invalid duration') && e.message.includes('e.g. 24h'),
      bad,
    );
  }
  assert.throws(() => parseTtl('12', '--tarball-ttl'), /--tarball-ttl: .*needs a unit/);
});

test('formatTtl reads back', () => {
  for (const t of ['24h', '1d12h', '30m', '0', 'never', '7d', '90s']) assert.equal(parseTtl(formatTtl(parseTtl(t, 'x')), 'x'), parseTtl(t, 'x'));
  assert.equal(formatTtl(parseTtl('36h', 'x')), '1d12h');
});

test('expiry: 0 always, never never, otherwise at the TTL', () => {
  const created = 1_000_000;
  assert.equal(isExpired(created, 0, created), true);
  assert.equal(isExpired(created, Infinity, created + 1e15), false);
  assert.equal(isExpired(created, 3600_000, created + 3599_999), false);
  assert.equal(isExpired(created, 3600_000, created + 3600_000), true);
});
