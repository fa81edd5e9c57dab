// The VS Code client's glue, outside VS Code (no headless editor here): which files it serves, how
// it starts the server, which settings it passes, and the status bar text. The logic is in the
// server, tested over LSP in lsp.test.ts.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_PATTERNS, documentSelector } from '../../extension/client/document-selector.ts';
import { serverLaunch, serverSettings } from '../../extension/client/server-launch.ts';
import { statusText } from '../../extension/client/status-text.ts';
import { isEnvironmentFile } from '../../extension/server/document-model.ts';
import { readSettings } from '../../extension/server/settings.ts';

test('document selector: environment files by name, plus the user globs, on disk and untitled', () => {
  const selector = documentSelector(['conda/*.yaml', '  ', 42, '**/environment*.{yml,yaml}']);
  assert.deepEqual([...new Set(selector.map((f) => f.pattern))], [...DEFAULT_PATTERNS, 'conda/*.yaml']);
  assert.deepEqual([...new Set(selector.map((f) => f.scheme))], ['file', 'untitled']);
});

test('the server serves environment*.yml always, other YAML files only with a dependencies key', () => {
  assert.equal(isEnvironmentFile('file:///p/environment.yml', 'name: x\n'), true);
  assert.equal(isEnvironmentFile('file:///p/environment-dev.yaml', ''), true);
  assert.equal(isEnvironmentFile('file:///p/env.yml', 'name: x\ndependencies:\n  - numpy\n'), true);
  assert.equal(isEnvironmentFile('file:///p/env.yml', 'version: 2\nsteps: []\n'), false);
  assert.equal(isEnvironmentFile('file:///p/notes.txt', 'dependencies:\n'), false);
});

test('server launch: the bundled server beside the client, or the configured path', () => {
  assert.equal(serverLaunch('/ext', undefined).module, join('/ext', 'server.js'));
  assert.equal(serverLaunch('/ext', '  ').module, join('/ext', 'server.js'));
  assert.equal(serverLaunch('/ext', '/dev/server.js').module, '/dev/server.js');
  assert.equal(serverLaunch('/ext', 'out/server.js').module, join('/ext', 'out/server.js'));
});

test('settings the client passes are the ones the server reads', () => {
  const config: Record<string, unknown> = { channels: ['conda-forge'], platforms: ['linux-64', 'win-64'], offline: true, solveDebounceMs: 50, files: ['x'], serverPath: 'y' };
  const passed = serverSettings((key) => config[key]);
  assert.deepEqual(passed, { envSetup: { channels: ['conda-forge'], platforms: ['linux-64', 'win-64'], offline: true, solveDebounceMs: 50 } });
  const read = readSettings(passed);
  assert.deepEqual([read.channels, read.platforms, read.offline, read.solveDebounceMs, read.inlayHints], [['conda-forge'], ['linux-64', 'win-64'], true, 50, true]);
  // mistyped values keep their defaults
  assert.deepEqual(readSettings({ envSetup: { platforms: 'linux-64', solveDebounceMs: -5 } }).platforms, []);
  assert.equal(readSettings({ envSetup: { solveDebounceMs: -5 } }).solveDebounceMs, 300);
});

test('status bar text', () => {
  assert.deepEqual(statusText({ uri: 'u', version: 1, state: 'solved', message: 'linux-64: 13 packages in 7 ms' }), { text: '$(check) conda: solved', tooltip: 'linux-64: 13 packages in 7 ms' });
  assert.equal(statusText({ uri: 'u', version: 1, state: 'unsatisfiable', message: '' }).text, '$(error) conda: cannot be solved');
});
