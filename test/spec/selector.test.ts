// CEP 24 selectors evaluated against target platforms.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorHolds } from '../../core/spec/selector.ts';

test('platform names and their combinations', () => {
  assert.equal(selectorHolds('win', 'win-64'), true);
  assert.equal(selectorHolds('win', 'linux-64'), false);
  assert.equal(selectorHolds('unix', 'osx-arm64'), true);
  assert.equal(selectorHolds('not win', 'osx-arm64'), true);
  assert.equal(selectorHolds('linux and aarch64', 'linux-aarch64'), true);
  assert.equal(selectorHolds('linux and aarch64', 'linux-64'), false);
  assert.equal(selectorHolds('osx or (linux and x86_64)', 'linux-64'), true);
  assert.equal(selectorHolds('linux64', 'linux-64'), true);
  assert.equal(selectorHolds('arm64', 'osx-arm64'), true);
});

test('anything but platform names is unknown, unless the rest decides', () => {
  assert.equal(selectorHolds('py>=310', 'linux-64'), undefined);
  assert.equal(selectorHolds('cuda', 'linux-64'), undefined);
  assert.equal(selectorHolds('win and cuda', 'linux-64'), false);
  assert.equal(selectorHolds('linux or cuda', 'linux-64'), true);
  assert.equal(selectorHolds('(linux', 'linux-64'), undefined);
  assert.equal(selectorHolds('linux linux', 'linux-64'), undefined);
});
