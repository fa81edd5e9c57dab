// The CLI's fetch progress: plain lines per subdir off a terminal, one live line on a terminal.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fetchProgressReporter } from '../../cli/progress.ts';

function sink() {
  const out: string[] = [];
  return { out, stream: { write: (t: string) => out.push(t) } };
}

test('off a terminal: one line per subdir when it is ready, saying where it came from', () => {
  const { out, stream } = sink();
  const r = fetchProgressReporter(stream, { tty: false });
  r.onProgress({ channel: 'conda-forge', subdir: 'linux-64', phase: 'start' });
  r.onProgress({ channel: 'conda-forge', subdir: 'noarch', phase: 'start' });
  r.onProgress({ channel: 'conda-forge', subdir: 'linux-64', phase: 'downloading', bytes: MBs(3), total: MBs(21) });
  r.onProgress({ channel: 'conda-forge', subdir: 'noarch', phase: 'cached', total: MBs(70) });
  r.onProgress({ channel: 'conda-forge', subdir: 'noarch', phase: 'done', bytes: 0, total: MBs(70) });
  r.onProgress({ channel: 'conda-forge', subdir: 'linux-64', phase: 'done', bytes: MBs(21), total: MBs(106) });
  r.onProgress({ channel: 'local', subdir: 'noarch', phase: 'start' });
  r.onProgress({ channel: 'local', subdir: 'noarch', phase: 'done', bytes: 0, total: 10 });
  r.finish();
  assert.deepEqual(out, [
    'repodata conda-forge/noarch: from the cache (70.0 MB)\n',
    'repodata conda-forge/linux-64: downloaded 21.0 MB\n',
    'repodata local/noarch: ready\n',
  ]);
});

test('on a terminal: one line rewritten in place, at most ten times a second, erased at the end', () => {
  const { out, stream } = sink();
  let clock = 0;
  const r = fetchProgressReporter(stream, { tty: true, now: () => clock });
  r.onProgress({ channel: 'c', subdir: 'linux-64', phase: 'start' });
  r.onProgress({ channel: 'c', subdir: 'linux-64', phase: 'downloading', bytes: MBs(1), total: MBs(4) });
  clock = 50;
  r.onProgress({ channel: 'c', subdir: 'linux-64', phase: 'downloading', bytes: MBs(2), total: MBs(4) });
  clock = 150;
  r.onProgress({ channel: 'c', subdir: 'linux-64', phase: 'downloading', bytes: MBs(3), total: MBs(4) });
  r.onProgress({ channel: 'c', subdir: 'linux-64', phase: 'done', bytes: MBs(4), total: MBs(4) });
  r.finish();
  assert.deepEqual(out, [
    '\r\x1b[Krepodata: c/linux-64 …',
    '\r\x1b[Krepodata: c/linux-64 3.0 MB/4.0 MB',
    '\r\x1b[Krepodata: c/linux-64 done',
    '\r\x1b[K',
  ]);
});

function MBs(n: number): number {
  return n * 1024 * 1024;
}
