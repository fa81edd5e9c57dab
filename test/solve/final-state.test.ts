// Solving against an installed state on a small index: what each update modifier keeps and changes,
// removal with and without --force, --prune, the link/unlink diff, and installed records that a
// channel also has (or no longer has).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PackageIndex } from '../../core/index/package-index.ts';
import { solveFinalState, type FinalStateRequest } from '../../core/solve/final-state.ts';
import { installedSources, matchInstalled } from '../../core/solve/installed-records.ts';
import { linkDiff } from '../../core/solve/link-diff.ts';
import { MatchSpec } from '../../core/spec/match-spec.ts';
import { readPrefixRecord } from '../../core/spec/prefix-record.ts';

const rec = (name: string, version: string, depends: string[] = [], extra: Record<string, unknown> = {}) =>
  [`${name}-${version}-0.conda`, { name, version, build: '0', build_number: 0, depends, ...extra }] as [string, unknown];

const entries = [
  rec('python', '3.10.1'), rec('python', '3.10.4'), rec('python', '3.11.2'),
  rec('lib', '1.0'), rec('lib', '2.0'),
  rec('app', '1.0', ['lib 1.*', 'python 3.10.*']), rec('app', '2.0', ['lib 2.*', 'python']),
  rec('tool', '1.0', ['python']), rec('helper', '1.0', ['python'], { noarch: 'python' }),
];

function setup(extraSources: Parameters<typeof PackageIndex.from>[0] = []) {
  const index = PackageIndex.from([{ channel: 'test', priority: 0, subdir: 'linux-64', entries }, ...extraSources]);
  const id = (nvb: string) => index.candidates(nvb.split('-')[0]!).find((x) => `${index.nameOf(x)}-${index.record(x).version}` === nvb)!;
  const labels = (ids: readonly number[]) => ids.map((x) => `${index.nameOf(x)}-${index.record(x).version}`).sort();
  return { index, id, labels };
}

const specs = (...s: string[]) => s.map((x) => MatchSpec.parse(x));

test('a new package is added; installed packages keep their versions (freeze-installed), python may move within its minor version (update-specs)', () => {
  const { index, id, labels } = setup();
  const installed = [id('python-3.10.1'), id('lib-1.0'), id('app-1.0')];
  const base: FinalStateRequest = { index, installed, history: specs('app'), specsToAdd: specs('tool') };
  const frozen = solveFinalState({ ...base, updateModifier: 'freeze-installed' });
  assert.ok(frozen.ok);
  assert.deepEqual(labels(frozen.records), ['app-1.0', 'lib-1.0', 'python-3.10.1', 'tool-1.0']);
  const specsOnly = solveFinalState(base);
  assert.ok(specsOnly.ok);
  assert.deepEqual(labels(specsOnly.records), ['app-1.0', 'lib-1.0', 'python-3.10.4', 'tool-1.0']);
});

test('--update-all moves everything the history allows to the newest versions, python within its minor version', () => {
  const { index, id, labels } = setup();
  const installed = [id('python-3.10.1'), id('lib-1.0'), id('app-1.0')];
  const out = solveFinalState({ index, installed, history: specs('app'), updateModifier: 'update-all' });
  assert.ok(out.ok);
  assert.deepEqual(labels(out.records), ['app-2.0', 'lib-2.0', 'python-3.10.4']);
  // asking for python lets it change minor version
  const py = solveFinalState({ index, installed, history: specs('app'), specsToAdd: specs('app', 'python') });
  assert.ok(py.ok);
  assert.deepEqual(labels(py.records), ['app-2.0', 'lib-2.0', 'python-3.11.2']);
});

test('removing a package takes its dependents along; --force leaves them; --prune drops orphans', () => {
  const { index, id, labels } = setup();
  const installed = [id('python-3.10.1'), id('lib-1.0'), id('app-1.0'), id('tool-1.0')];
  const history = specs('app', 'tool');
  const removed = solveFinalState({ index, installed, history, specsToRemove: specs('lib') });
  assert.ok(removed.ok);
  assert.deepEqual(labels(removed.records), ['python-3.10.4', 'tool-1.0']);
  const forced = solveFinalState({ index, installed, history, specsToRemove: specs('lib'), forceRemove: true });
  assert.ok(forced.ok);
  assert.deepEqual(labels(forced.records), ['app-1.0', 'python-3.10.1', 'tool-1.0']);
  const missing = solveFinalState({ index, installed, history, specsToRemove: specs('nothere') });
  assert.equal(missing.ok, false);
  assert.equal(!missing.ok && missing.kind, 'packages-not-found');
  const pruned = solveFinalState({ index, installed, history, specsToAdd: specs('tool'), prune: true });
  assert.ok(pruned.ok);
  assert.deepEqual(labels(pruned.records), ['python-3.11.2', 'tool-1.0']);
});

test('pins hold even when the request names the package; a pin against the request is a configuration conflict', () => {
  const { index, id, labels } = setup();
  const installed = [id('python-3.10.1')];
  const pinned = specs('python 3.10.*');
  const out = solveFinalState({ index, installed, history: specs('python'), specsToAdd: specs('app', 'python'), pinned });
  assert.ok(out.ok);
  assert.deepEqual(labels(out.records), ['app-2.0', 'lib-2.0', 'python-3.10.4']);
  const clash = solveFinalState({ index, installed: [], specsToAdd: specs('tool', 'app >=2'), pinned: specs('lib 1.*') });
  assert.equal(clash.ok, false);
  assert.equal(!clash.ok && clash.kind, 'specs-configuration-conflict');
});

test('the diff unlinks and links what changed, and relinks noarch python packages when python changes minor version', () => {
  const { index, id, labels } = setup();
  const before = [id('python-3.10.1'), id('helper-1.0'), id('lib-1.0')];
  const after = [id('python-3.11.2'), id('helper-1.0'), id('lib-1.0')];
  const diff = linkDiff(index, before, after);
  assert.deepEqual(labels(diff.unlink), ['helper-1.0', 'python-3.10.1']);
  assert.deepEqual(labels(diff.link), ['helper-1.0', 'python-3.11.2']);
  // dependencies first when linking, dependents first when unlinking
  assert.deepEqual(diff.link.map((x) => index.nameOf(x)), ['python', 'helper']);
  assert.deepEqual(diff.unlink.map((x) => index.nameOf(x)), ['helper', 'python']);
  const reinstall = linkDiff(index, before, before, { specsToAdd: specs('lib'), forceReinstall: true });
  assert.deepEqual(labels(reinstall.link), ['lib-1.0']);
  assert.deepEqual(labels(reinstall.unlink), ['lib-1.0']);
});

test('installed records: the channel record stands in for its installed copy; a record no channel has is used as installed', () => {
  const installed = [
    readPrefixRecord({ name: 'lib', version: '1.0', build: '0', build_number: 0, subdir: 'linux-64', channel: 'https://conda.anaconda.org/test', fn: 'lib-1.0-0.conda', depends: [] }),
    readPrefixRecord({ name: 'gone', version: '0.1', build: 'x', build_number: 0, subdir: 'linux-64', channel: 'https://conda.anaconda.org/test', fn: 'gone-0.1-x.conda', depends: ['lib'] }),
  ];
  const { index, labels } = setup(installedSources(installed, 'linux-64'));
  const found = matchInstalled(index, installed, '@');
  assert.deepEqual(labels(found.ids), ['gone-0.1', 'lib-1.0']);
  assert.equal(index.priorityOf(found.ids[0]!), 0); // the channel's lib, not the installed copy
  assert.equal(found.duplicates.size, 1);
  const out = solveFinalState({ index, installed: found.ids, exclude: found.duplicates, history: specs('gone'), specsToAdd: specs('tool') });
  assert.ok(out.ok);
  // lib is not in the history: conda lets it move to the newest version
  assert.deepEqual(labels(out.records), ['gone-0.1', 'lib-2.0', 'python-3.11.2', 'tool-1.0']);
});
