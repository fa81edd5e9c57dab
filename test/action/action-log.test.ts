// The `log-level` input: warning shows warnings only, info adds progress, link steps, stages and
// pins, debug adds every package's download/extraction/link and repodata fetches in the log itself
// (at other levels those go to core.debug, which the runner shows only with ACTIONS_STEP_DEBUG).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ActionLog, actionLog } from '../../action/action-log.ts';
import type { LogLevel } from '../../action/inputs.ts';
import type { TimingDocument } from '../../core/timing/schema.ts';

function drive(level: LogLevel): { info: string[]; warning: string[]; debug: string[] } {
  const seen = { info: [] as string[], warning: [] as string[], debug: [] as string[] };
  const log: ActionLog = actionLog(level, { info: (m) => seen.info.push(m), warning: (m) => seen.warning.push(m), debug: (m) => seen.debug.push(m) }, 0);
  log.onRepodataProgress({ channel: 'conda-forge', subdir: 'linux-64', phase: 'done', total: 1234 });
  log.onInstallProgress({ type: 'plan', packages: 1, cached: 0, toDownload: 1, downloadBytes: 100 });
  log.onInstallProgress({ type: 'download-start', fn: 'zlib-1.3.1-0.conda', total: 100 });
  log.onInstallProgress({ type: 'download-done', fn: 'zlib-1.3.1-0.conda', bytes: 100 });
  log.onInstallProgress({ type: 'download-retry', fn: 'zlib-1.3.1-0.conda', attempt: 2, reason: 'connection reset' });
  log.onInstallProgress({ type: 'extract-done', fn: 'zlib-1.3.1-0.conda', files: 7, bytes: 300 });
  log.onTransactionEvent({ type: 'start', link: 1, unlink: 0 });
  log.onTransactionEvent({ type: 'linked', dist: 'zlib-1.3.1-0', files: 7 });
  log.onTransactionEvent({ type: 'script', run: { package: 'zlib-1.3.1-0', action: 'post-link', script: 'bin/.zlib-post-link.sh', exitCode: 0, output: 'hello from the script\n', messages: undefined } });
  const doc: TimingDocument = {
    schema: 'env-setup/timing',
    version: '1.0.0',
    startedAt: new Date(0).toISOString(),
    totalMs: 500,
    spans: [{ id: 1, parent: null, name: 'solve', startMs: 0, durationMs: 120, attributes: {}, status: 'ok' }],
    counters: {},
  };
  log.stages(doc);
  log.pins([{ name: 'python', pin: 'python=3.12', constraint: '=3.12', candidates: 312, left: 41, requested: true }]);
  log.warning('careful');
  return seen;
}

test('warning: only warnings', () => {
  const seen = drive('warning');
  assert.deepEqual(seen.info, []);
  assert.deepEqual(seen.warning, ['careful']);
});

test('info: retries, link steps, scripts, stages and pins; per-package detail only to core.debug', () => {
  const seen = drive('info');
  const text = seen.info.join('\n');
  assert.match(text, /retrying zlib-1\.3\.1-0\.conda \(attempt 2\): connection reset/);
  assert.match(text, /linking: 0 to remove, 1 to add/);
  assert.match(text, /post-link script of zlib-1\.3\.1-0: exit 0/);
  assert.match(text, /stages: solve 120 ms \(total 500 ms\)/);
  assert.match(text, /python=3\.12 \(leaves 41 of 312 candidates\)/);
  assert.doesNotMatch(text, /debug:|linked zlib|downloaded zlib/);
  assert.ok(seen.debug.some((m) => /downloaded zlib-1\.3\.1-0\.conda \(100 bytes\)/.test(m)));
  assert.ok(seen.debug.some((m) => /hello from the script/.test(m)));
});

test('debug: the per-package detail and repodata fetches in the log itself', () => {
  const seen = drive('debug');
  const text = seen.info.join('\n');
  for (const re of [/debug: repodata conda-forge\/linux-64: done \(1234 bytes\)/, /debug: downloaded zlib/, /debug: extracted zlib-1\.3\.1-0\.conda: 7 files/, /debug: linked zlib-1\.3\.1-0 \(7 files\)/, /debug: hello from the script/, /stages: solve/]) {
    assert.match(text, re);
  }
  assert.deepEqual(seen.debug, []);
});
