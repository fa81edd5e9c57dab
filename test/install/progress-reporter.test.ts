// The progress renderer: a live bar with speed and ETA on a terminal, periodic plain lines and a
// summary elsewhere, driven by a fake clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatDuration, installProgressReporter } from '../../core/install/progress-reporter.ts';

function sink(): { text: () => string; write: (s: string) => void } {
  let out = '';
  return { text: () => out, write: (s: string) => void (out += s) };
}

const MB = 1024 * 1024;

describe('install progress', () => {
  it('formats sizes and durations', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 kB');
    assert.equal(formatBytes(12.34 * MB), '12.3 MB');
    assert.equal(formatBytes(3 * 1024 * MB), '3.00 GB');
    assert.equal(formatDuration(4_400), '4s');
    assert.equal(formatDuration(125_000), '2m05s');
    assert.equal(formatDuration(3_720_000), '1h02m');
  });

  it('draws one live line on a terminal: bar, bytes, speed, ETA, packages ready', () => {
    let t = 0;
    const out = sink();
    const r = installProgressReporter(out, { tty: true, now: () => t, columns: 100 });
    r.onProgress({ type: 'plan', packages: 3, cached: 1, toDownload: 2, downloadBytes: 20 * MB });
    r.onProgress({ type: 'download-start', fn: 'a.conda', total: 10 * MB });
    r.onProgress({ type: 'download-start', fn: 'b.conda', total: 10 * MB });
    for (let i = 1; i <= 10; i++) {
      t += 500;
      r.onProgress({ type: 'download-progress', fn: 'a.conda', bytes: i * 0.5 * MB, total: 10 * MB });
    }
    r.onProgress({ type: 'ready', fn: 'c.conda', source: 'extracted-cache' });
    const last = out.text().split('\r\x1b[K').at(-1)!;
    assert.match(last, /^packages \[#+-+\] 5\.0 MB\/20\.0 MB · 1\.0 MB\/s · ETA 15s · 1\/3 ready$/);
    r.onProgress({ type: 'finish', packages: 3, downloaded: 2, downloadedBytes: 20 * MB });
    assert.ok(out.text().endsWith('\r\x1b[K'), 'the line is erased at the end');
  });

  it('writes periodic plain lines and a summary elsewhere', () => {
    let t = 0;
    const out = sink();
    const r = installProgressReporter(out, { tty: false, now: () => t, intervalMs: 5000 });
    r.onProgress({ type: 'plan', packages: 2, cached: 0, toDownload: 2, downloadBytes: 8 * MB });
    r.onProgress({ type: 'download-start', fn: 'a.conda', total: 8 * MB });
    for (let i = 1; i <= 8; i++) {
      t += 1000;
      r.onProgress({ type: 'download-progress', fn: 'a.conda', bytes: i * MB, total: 8 * MB });
    }
    r.onProgress({ type: 'download-done', fn: 'a.conda', bytes: 8 * MB });
    r.onProgress({ type: 'ready', fn: 'a.conda', source: 'download' });
    r.onProgress({ type: 'ready', fn: 'b.conda', source: 'extracted-cache' });
    t += 500;
    r.onProgress({ type: 'finish', packages: 2, downloaded: 1, downloadedBytes: 8 * MB });
    r.finish();
    assert.equal(
      out.text(),
      'packages: 5.0 MB of 8.0 MB downloaded (63%), 1.0 MB/s, ETA 3s; 0/2 ready\n' + 'packages: 2 ready (1 from the cache, 1 downloaded, 8.0 MB) in 9s\n',
    );
  });

  it('says when it waits for another run', () => {
    const out = sink();
    const r = installProgressReporter(out, { tty: true, now: () => 0 });
    r.onProgress({ type: 'plan', packages: 1, cached: 0, toDownload: 1, downloadBytes: MB });
    r.onProgress({ type: 'waiting', fn: 'a.conda' });
    assert.match(out.text(), /waiting for 1 locked by another run/);
  });
});
