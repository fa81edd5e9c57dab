// Shows repodata fetch progress on stderr. On a terminal: one line rewritten in place (at most ten
// times a second) with every subdir's state and bytes, erased when done. Elsewhere (CI logs,
// pipes): one plain line per subdir when it is ready, saying where it came from.

import type { FetchProgress } from '../core/channel/index.ts';

export interface ProgressStream {
  write(text: string): unknown;
}

export interface FetchProgressReporter {
  onProgress(event: FetchProgress): void;
  /** Erases the live line (terminal) so normal output starts clean. */
  finish(): void;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

interface SubdirState {
  phase: FetchProgress['phase'];
  cached: boolean;
  bytes: number;
  total: number | undefined;
}

export function fetchProgressReporter(stream: ProgressStream, options: { tty: boolean; now?: () => number }): FetchProgressReporter {
  const now = options.now ?? Date.now;
  const states = new Map<string, SubdirState>();
  let lastRender = -Infinity;
  let shown = false;

  const render = (force: boolean) => {
    if (!force && now() - lastRender < 100) return;
    lastRender = now();
    const parts = [...states].map(([key, s]) => {
      if (s.phase === 'done') return `${key} ${s.cached ? 'cached' : 'done'}`;
      if (s.phase === 'downloading') return `${key} ${mb(s.bytes)}${s.total ? `/${mb(s.total)}` : ''}`;
      return `${key} …`;
    });
    stream.write(`\r\x1b[Krepodata: ${parts.join(', ')}`);
    shown = true;
  };

  return {
    onProgress(e) {
      const key = `${e.channel}/${e.subdir}`;
      const s = states.get(key) ?? { phase: e.phase, cached: false, bytes: 0, total: undefined };
      states.set(key, s);
      s.phase = e.phase;
      if (e.phase === 'cached') s.cached = true;
      if (e.phase === 'downloading') {
        s.bytes = e.bytes ?? s.bytes;
        s.total = e.total ?? s.total;
      }
      if (options.tty) {
        render(e.phase !== 'downloading');
        return;
      }
      if (e.phase !== 'done') return;
      if (s.cached) stream.write(`repodata ${key}: from the cache (${mb(e.total ?? 0)})\n`);
      else if ((e.bytes ?? 0) > 0) stream.write(`repodata ${key}: downloaded ${mb(e.bytes!)}\n`);
      else stream.write(`repodata ${key}: ready\n`);
    },
    finish() {
      if (options.tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
